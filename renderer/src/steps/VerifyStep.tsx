import type { VerifyReport as Report } from '../../../electron/shared/contract.js';
import { formatBytes } from '../../../electron/shared/format.js';
import { PHASE_LABELS, visibleDrives } from '../../../electron/shared/wizard.js';
import { DriveLabel } from '../components/DriveLabel.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { driveId, driveLine, speedOf, pct, phaseFraction } from '../components/format.js';
import { ProgressBar } from '../components/ProgressBar.js';
import type { StepProps } from '../types.js';
import { useJob, type JobActions } from '../useJob.js';
import { VerifyReport } from './VerifyReport.js';

const VERIFY: JobActions<Report> = {
  started: (jobId) => ({ type: 'verify-started', jobId }),
  finished: (jobId, report) => ({ type: 'verify-finished', jobId, report }),
  failed: (jobId, error) => ({ type: 'verify-failed', jobId, error }),
};

export function VerifyStep({ state, dispatch, chooseImage }: StepProps) {
  const job = useJob(dispatch, VERIFY);
  const v = state.verify;
  const drives = visibleDrives(state).filter((d) => !d.system && d.size !== null);
  const start = async () => {
    const target = v.target;
    const image = state.image.path;
    if (!target || !image) return;
    await job.start((api, jobId) => api.startVerify({ jobId, target, image }));
  };
  return (
    <div className="step">
      <fieldset className="drives">
        <legend>1. The stick to check</legend>
        {drives.length === 0 ? (
          <p className="muted">No drive found. Plug the stick in; it appears here by itself.</p>
        ) : (
          <ul>
            {drives.map((d) => {
              const id = driveId('vdrive', d.path);
              return (
                <li key={d.path} className={`drive${v.target === d.path ? ' selected' : ''}`}>
                  <input type="radio" name="verify-target" id={id} checked={v.target === d.path} disabled={v.jobId !== null} onChange={() => dispatch({ type: 'verify-target', path: d.path })} />
                  <DriveLabel id={id} drive={d} />
                  <div className="drive-meta num">{driveLine(d)}</div>
                </li>
              );
            })}
          </ul>
        )}
      </fieldset>
      <fieldset className="plain">
        <legend>2. The ISO it was made from</legend>
        <div className="pick">
          <button type="button" className="secondary" onClick={() => void chooseImage()} disabled={v.jobId !== null}>
            {state.image.path ? 'Choose another ISO…' : 'Choose the ISO…'}
          </button>
          <span className="break">{state.image.info ? `${state.image.info.label || state.image.info.fileName} (${formatBytes(state.image.info.size)})` : state.image.status === 'loading' ? 'Reading…' : ''}</span>
        </div>
        {state.image.status === 'error' && state.image.error && <ErrorBox error={state.image.error} title="This image cannot be used" />}
      </fieldset>
      <div className="actions split">
        <button type="button" className="secondary" onClick={() => dispatch({ type: 'back' })} disabled={v.jobId !== null}>
          Back
        </button>
        <button type="button" className="primary" onClick={() => void start()} disabled={job.busy || v.jobId !== null || !v.target || state.image.status !== 'ready'}>
          Verify
        </button>
      </div>
      <div aria-live="polite" className="live">
        {v.jobId && (
          <div>
            <p>{v.progress ? PHASE_LABELS[v.progress.phase] : 'Starting…'}</p>
            <ProgressBar fraction={phaseFraction(v.progress)} label="Verify progress" />
            <p className="num small muted">
              {pct(v.progress)} · {speedOf(v.progress)}
            </p>
          </div>
        )}
      </div>
      {v.error && <ErrorBox error={v.error} title="The stick could not be verified" />}
      {v.report && <VerifyReport report={v.report} />}
    </div>
  );
}
