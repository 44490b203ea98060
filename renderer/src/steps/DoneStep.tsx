import type { Notice } from '../../../electron/shared/contract.js';
import { ErrorBox, ErrorText } from '../components/ErrorBox.js';
import { Notices } from '../components/Notices.js';
import { useT } from '../i18n.js';
import type { StepProps } from '../types.js';
import { driveName } from '../../../electron/shared/i18n/phrases.js';

export function DoneStep({ state, dispatch }: StepProps) {
  const tr = useT();
  const r = state.write.result;
  const err = state.write.error;
  // The stick's warnings as notices (in the user's language); older results carry only the English words.
  const stickNotices: Notice[] = r?.notices?.length ? r.notices : (r?.warnings ?? []).map((message) => ({ severity: 'warning', code: 'W_STICK', message }));
  return (
    <div className="step">
      {err && <ErrorBox error={err} title={err.code === 'E_ELEVATION' ? tr.t('app.done.noElevation') : tr.t('app.done.failed')} />}
      {r && (
        <ul className="results">
          {r.targets.map((t) => {
            const d = state.drives.find((x) => x.path === t.path);
            const cancelled = r.outcome === 'cancelled' || t.error?.code === 'E_CANCELLED';
            return (
              <li key={t.path} className={`result ${t.ok ? 'ok' : 'bad'}`}>
                <span className="result-icon" aria-hidden="true">
                  {t.ok ? '✓' : '✗'}
                </span>
                <div>
                  <p className="drive-name">
                    {d ? driveName(tr, d) : t.path} <span className="drive-path">{t.path}</span>
                  </p>
                  {t.ok ? (
                    <p>{t.verified ? tr.t('app.done.verified') : tr.t('app.done.notVerified')}</p>
                  ) : cancelled ? (
                    <p>{tr.t('app.done.cancelled')}</p>
                  ) : t.error ? (
                    <>
                      <ErrorText error={t.error} />
                      <p className="muted">{tr.t('app.done.tryAgain')}</p>
                    </>
                  ) : (
                    <p>{tr.t('app.done.notFinished')}</p>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {stickNotices.length > 0 && <Notices label={tr.t('app.done.aboutStick')} notices={stickNotices} />}
      {r?.outcome === 'done' && state.image.info?.kind === 'windows' && (
        <div className="callout info">
          <p className="callout-title">{tr.t('app.done.beforeBoot')}</p>
          <ul>
            <li>{tr.t('app.done.usb2')}</li>
            <li>{tr.t('app.done.csm')}</li>
          </ul>
        </div>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={() => dispatch({ type: 'reset' })}>
          {tr.t('app.done.startOver')}
        </button>
      </div>
    </div>
  );
}
