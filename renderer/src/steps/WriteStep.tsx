import type { Progress } from '../../../electron/shared/contract.js';
import { jobFraction } from '../../../electron/shared/job-progress.js';
import { formatEta, PHASE_LABELS } from '../../../electron/shared/wizard.js';
import { bridge } from '../api.js';
import { speedOf, pct, phaseFraction } from '../components/format.js';
import { ProgressBar } from '../components/ProgressBar.js';
import type { StepProps } from '../types.js';

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd className="num">{value}</dd>
    </div>
  );
}

function TargetProgress({ path, p, name }: { path: string; p: Progress | undefined; name: string }) {
  return (
    <li className="target">
      <div className="target-head">
        <span className="drive-name">{name}</span>
        <span className="drive-path">{path}</span>
      </div>
      <p className="phase" aria-live="polite">
        {p ? PHASE_LABELS[p.phase] : 'Waiting for administrator access…'}
      </p>
      <ProgressBar fraction={p?.phase === 'done' ? 1 : phaseFraction(p)} label={`${name}: ${p ? PHASE_LABELS[p.phase] : 'waiting'}`} />
      <dl className="stats">
        <Stat label="Done" value={p?.phase === 'done' ? '100 %' : pct(p)} />
        <Stat label="Speed" value={speedOf(p)} />
        <Stat label="Time left" value={formatEta(p?.etaSeconds ?? null)} />
      </dl>
    </li>
  );
}

export function WriteStep({ state, dispatch }: StepProps) {
  const cancel = async () => {
    if (!state.write.jobId) return;
    dispatch({ type: 'cancel-requested' });
    await bridge().cancelJob({ jobId: state.write.jobId });
  };
  const overall = jobFraction(state.write.tally);
  return (
    <div className="step">
      <p className="overall num">
        <span className="sr-only">Overall progress: </span>
        {Math.floor(overall * 100)} %
      </p>
      <ul className="targets">
        {state.write.targets.map((t) => {
          const d = state.drives.find((x) => x.path === t.path);
          return <TargetProgress key={t.path} path={t.path} name={d?.description ?? t.path} p={state.write.progress[t.path] ?? state.write.progress['']} />;
        })}
      </ul>
      <p className="muted small">Keep the drive plugged in. Your computer will not go to sleep while SevenStick writes.</p>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void cancel()} disabled={state.write.cancelling}>
          {state.write.cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
    </div>
  );
}
