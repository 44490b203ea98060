import type { StepProps } from '../types.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { Notices } from '../components/Notices.js';

export function DoneStep({ state, dispatch }: StepProps) {
  const r = state.write.result;
  const err = state.write.error;
  return (
    <div className="step">
      {err && <ErrorBox error={err} title={err.code === 'E_ELEVATION' ? 'SevenStick could not get administrator access' : 'Writing failed'} />}
      {r && (
        <ul className="results">
          {r.targets.map((t) => {
            const d = state.drives.find((x) => x.path === t.path);
            return (
              <li key={t.path} className={`result ${t.ok ? 'ok' : 'bad'}`}>
                <span className="result-icon" aria-hidden="true">
                  {t.ok ? '✓' : '✗'}
                </span>
                <div>
                  <p className="drive-name">
                    {d?.description ?? t.path} <span className="drive-path">{t.path}</span>
                  </p>
                  {t.ok ? (
                    <p>{t.verified ? 'Written and verified: every sector was read back from the drive and matches.' : 'Written (not verified).'}</p>
                  ) : (
                    <>
                      <p>
                        {r.outcome === 'cancelled' || t.error?.code === 'E_CANCELLED'
                          ? 'Cancelled. The drive was left without a boot sector, so it cannot be mistaken for a working stick. Write it again to use it.'
                          : (t.error?.message ?? 'Not finished.')}
                      </p>
                      {t.error && t.error.code !== 'E_CANCELLED' && <p className="muted">Try another USB port or another stick; if it fails at the same place again, the stick is probably worn out or fake.</p>}
                    </>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {r?.warnings && r.warnings.length > 0 && <Notices label="About this stick" notices={r.warnings.map((message) => ({ severity: 'warning', code: 'W_STICK', message }))} />}
      {r?.outcome === 'done' && state.image.info?.kind === 'windows' && (
        <div className="callout info">
          <p className="callout-title">Before you boot it</p>
          <ul>
            <li>Plug the stick into a USB 2 port: Windows 7 setup has no USB 3 drivers.</li>
            <li>Boot it in Legacy/CSM mode where you can: Windows 7 often hangs at “Starting Windows” under pure UEFI.</li>
          </ul>
        </div>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={() => dispatch({ type: 'reset' })}>
          Start over
        </button>
      </div>
    </div>
  );
}
