import type { Step } from '../../../electron/shared/wizard.js';

const STEP_TITLES: Record<Step, string> = {
  start: 'Welcome',
  image: 'Image',
  setup: 'Set up Windows',
  drives: 'Drives',
  confirm: 'Confirm',
  write: 'Write',
  done: 'Done',
  verify: 'Verify a stick',
};

/** Where the write flow stands (shown on its steps only). */
export function Stepper({ step, steps }: { step: Step; steps: readonly Step[] }) {
  if (!steps.includes(step)) return null;
  const current = steps.indexOf(step);
  return (
    <nav aria-label="Progress" className="stepper">
      <ol>
        {steps.map((s, i) => (
          <li key={s} className={i < current ? 'past' : i === current ? 'current' : 'future'} aria-current={i === current ? 'step' : undefined}>
            <span className="dot" aria-hidden="true">
              {i < current ? '✓' : i + 1}
            </span>
            <span className="label">{STEP_TITLES[s]}</span>
          </li>
        ))}
      </ol>
    </nav>
  );
}
