import type { MessageKey } from '../../../electron/shared/i18n/catalog.js';
import type { Step } from '../../../electron/shared/wizard.js';
import { useT } from '../i18n.js';

const STEP_TITLES: Record<Step, MessageKey> = {
  start: 'app.step.start',
  image: 'app.step.image',
  setup: 'app.step.setup',
  drives: 'app.step.drives',
  confirm: 'app.step.confirm',
  write: 'app.step.write',
  done: 'app.step.done',
  verify: 'app.step.verify',
};

/** Where the write flow stands (shown on its steps only). */
export function Stepper({ step, steps }: { step: Step; steps: readonly Step[] }) {
  const tr = useT();
  if (!steps.includes(step)) return null;
  const current = steps.indexOf(step);
  return (
    <nav aria-label={tr.t('app.stepper.label')} className="stepper">
      <ol>
        {steps.map((s, i) => (
          <li key={s} className={i < current ? 'past' : i === current ? 'current' : 'future'} aria-current={i === current ? 'step' : undefined}>
            <span className="dot" aria-hidden="true">
              {i < current ? '✓' : tr.number(i + 1)}
            </span>
            <span className="label">{tr.t(STEP_TITLES[s])}</span>
          </li>
        ))}
      </ol>
    </nav>
  );
}
