import { WRITE_STEPS, type Step } from '../../../electron/shared/wizard.js';

const STEP_TITLES: Record<Step, string> = {
  start: 'Welcome',
  image: 'Image',
  drives: 'Drives',
  confirm: 'Confirm',
  write: 'Write',
  done: 'Done',
  verify: 'Verify a stick',
};

/** Where the write flow stands (shown on its steps only). */
export function Stepper({ step }: { step: Step }) {
  if (!WRITE_STEPS.includes(step)) return null;
  const current = WRITE_STEPS.indexOf(step);
  return (
    <nav aria-label="Progress" className="stepper">
      <ol>
        {WRITE_STEPS.map((s, i) => (
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
