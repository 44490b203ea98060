import type { Progress } from '../../../electron/shared/contract.js';
import { phaseText } from '../../../electron/shared/i18n/phrases.js';
import { jobFraction } from '../../../electron/shared/job-progress.js';
import { formatEta } from '../../../electron/shared/wizard.js';
import { bridge } from '../api.js';
import { speedOf, pct, phaseFraction } from '../components/format.js';
import { ProgressBar } from '../components/ProgressBar.js';
import { useT } from '../i18n.js';
import type { StepProps } from '../types.js';
import { driveName } from '../../../electron/shared/i18n/phrases.js';

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd className="num">{value}</dd>
    </div>
  );
}

function TargetProgress({ path, p, name }: { path: string; p: Progress | undefined; name: string }) {
  const tr = useT();
  const phase = p ? phaseText(tr, p.phase) : null;
  return (
    <li className="target">
      <div className="target-head">
        <span className="drive-name">{name}</span>
        <span className="drive-path">{path}</span>
      </div>
      <p className="phase" aria-live="polite">
        {phase ?? tr.t('app.write.waiting')}
      </p>
      <ProgressBar fraction={p?.phase === 'done' ? 1 : phaseFraction(p)} label={tr.t('app.write.progress', { name, phase: phase ?? tr.t('app.write.waitingShort') })} />
      <dl className="stats">
        <Stat label={tr.t('app.write.done')} value={p?.phase === 'done' ? tr.percent(1) : pct(tr, p)} />
        <Stat label={tr.t('app.write.speed')} value={speedOf(tr, p)} />
        <Stat label={tr.t('app.write.timeLeft')} value={formatEta(p?.etaSeconds ?? null)} />
      </dl>
    </li>
  );
}

export function WriteStep({ state, dispatch }: StepProps) {
  const tr = useT();
  const cancel = async () => {
    if (!state.write.jobId) return;
    dispatch({ type: 'cancel-requested' });
    await bridge().cancelJob({ jobId: state.write.jobId });
  };
  const overall = jobFraction(state.write.tally);
  return (
    <div className="step">
      <p className="overall num">
        <span className="sr-only">{tr.t('app.write.overall')} </span>
        {tr.percent(overall)}
      </p>
      <ul className="targets">
        {state.write.targets.map((t) => {
          const d = state.drives.find((x) => x.path === t.path);
          return <TargetProgress key={t.path} path={t.path} name={d ? driveName(tr, d) : t.path} p={state.write.progress[t.path] ?? state.write.progress['']} />;
        })}
      </ul>
      <p className="muted small">{tr.t('app.write.keepPlugged')}</p>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void cancel()} disabled={state.write.cancelling}>
          {state.write.cancelling ? tr.t('app.write.cancelling') : tr.t('app.write.cancel')}
        </button>
      </div>
    </div>
  );
}
