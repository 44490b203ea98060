import type { VerifyReport as Report } from '../../../electron/shared/contract.js';
import { phaseText } from '../../../electron/shared/i18n/phrases.js';
import { visibleDrives } from '../../../electron/shared/wizard.js';
import { DriveLabel } from '../components/DriveLabel.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { driveId, driveLine, speedOf, pct, phaseFraction } from '../components/format.js';
import { ProgressBar } from '../components/ProgressBar.js';
import { useT } from '../i18n.js';
import type { StepProps } from '../types.js';
import { useJob, type JobActions } from '../useJob.js';
import { VerifyReport } from './VerifyReport.js';

const VERIFY: JobActions<Report> = {
  started: (jobId) => ({ type: 'verify-started', jobId }),
  finished: (jobId, report) => ({ type: 'verify-finished', jobId, report }),
  failed: (jobId, error) => ({ type: 'verify-failed', jobId, error }),
};

export function VerifyStep({ state, dispatch, chooseImage }: StepProps) {
  const tr = useT();
  const job = useJob(dispatch, VERIFY);
  const v = state.verify;
  const drives = visibleDrives(state).filter((d) => !d.system && d.size !== null);
  const start = async () => {
    const target = v.target;
    const image = state.image.path;
    if (!target || !image) return;
    await job.start((api, jobId) => api.startVerify({ jobId, target, image }));
  };
  const info = state.image.info;
  return (
    <div className="step">
      <fieldset className="drives">
        <legend>{tr.t('app.verify.stickLegend')}</legend>
        {drives.length === 0 ? (
          <p className="muted">{tr.t('app.verify.noDrive')}</p>
        ) : (
          <ul>
            {drives.map((d) => {
              const id = driveId('vdrive', d.path);
              return (
                <li key={d.path} className={`drive${v.target === d.path ? ' selected' : ''}`}>
                  <input type="radio" name="verify-target" id={id} checked={v.target === d.path} disabled={v.jobId !== null} onChange={() => dispatch({ type: 'verify-target', path: d.path })} />
                  <DriveLabel id={id} drive={d} />
                  <div className="drive-meta num">{driveLine(tr, d)}</div>
                </li>
              );
            })}
          </ul>
        )}
      </fieldset>
      <fieldset className="plain">
        <legend>{tr.t('app.verify.isoLegend')}</legend>
        <div className="pick">
          <button type="button" className="secondary" onClick={() => void chooseImage()} disabled={v.jobId !== null}>
            {state.image.path ? tr.t('app.verify.chooseAnother') : tr.t('app.verify.choose')}
          </button>
          <span className="break">
            {info ? tr.t('app.verify.image', { name: info.label || info.fileName, size: tr.bytes(info.size) }) : state.image.status === 'loading' ? tr.t('app.verify.reading') : ''}
          </span>
        </div>
        {state.image.status === 'error' && state.image.error && <ErrorBox error={state.image.error} title={tr.t('app.image.unusable')} />}
      </fieldset>
      <div className="actions split">
        <button type="button" className="secondary" onClick={() => dispatch({ type: 'back' })} disabled={v.jobId !== null}>
          {tr.t('app.nav.back')}
        </button>
        <button type="button" className="primary" onClick={() => void start()} disabled={job.busy || v.jobId !== null || !v.target || state.image.status !== 'ready'}>
          {tr.t('app.verify.start')}
        </button>
      </div>
      <div aria-live="polite" className="live">
        {v.jobId && (
          <div>
            <p>{v.progress ? phaseText(tr, v.progress.phase) : tr.t('app.verify.starting')}</p>
            <ProgressBar fraction={phaseFraction(v.progress)} label={tr.t('app.verify.progress')} />
            <p className="num small muted">{tr.t('app.verify.stats', { percent: pct(tr, v.progress), speed: speedOf(tr, v.progress) })}</p>
          </div>
        )}
      </div>
      {v.error && <ErrorBox error={v.error} title={tr.t('app.verify.failed')} />}
      {v.report && <VerifyReport report={v.report} />}
    </div>
  );
}
