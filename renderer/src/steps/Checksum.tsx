import type { ChecksumView } from '../../../electron/shared/contract.js';
import { formatEta, type ImageState } from '../../../electron/shared/wizard.js';
import { bridge } from '../api.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { speedOf, pct, phaseFraction } from '../components/format.js';
import { ProgressBar } from '../components/ProgressBar.js';
import { Msg, useT } from '../i18n.js';
import type { Dispatch } from '../types.js';
import { useJob, type JobActions } from '../useJob.js';

const CHECKSUM: JobActions<ChecksumView> = {
  started: (jobId) => ({ type: 'checksum-started', jobId }),
  finished: (jobId, value) => ({ type: 'checksum-done', jobId, value }),
  failed: (jobId, error) => ({ type: 'checksum-failed', jobId, error }),
};

/** The image's SHA-1 and SHA-256 on request, matched against the catalog of official releases. */
export function Checksum({ path, ck, dispatch }: { path: string; ck: ImageState['checksum']; dispatch: Dispatch }) {
  const tr = useT();
  const job = useJob(dispatch, CHECKSUM);
  const match = ck.value?.catalogMatch;
  const mismatch = ck.value?.catalogMismatch;
  return (
    <div className="checksum">
      {ck.status === 'idle' && (
        <button type="button" className="secondary" onClick={() => void job.start((api, jobId) => api.checksumImage({ jobId, path }))}>
          {tr.t('app.checksum.start')}
        </button>
      )}
      {ck.status === 'running' && (
        <div className="checksum-progress">
          <p id="ck-label">{tr.t('app.checksum.computing')}</p>
          <ProgressBar fraction={phaseFraction(ck.progress)} label={tr.t('app.checksum.progress')} />
          <p className="num small muted">{tr.t('app.checksum.stats', { percent: pct(tr, ck.progress), speed: speedOf(tr, ck.progress), eta: formatEta(ck.progress?.etaSeconds ?? null) })}</p>
          <button type="button" className="secondary" onClick={() => ck.jobId && void bridge().cancelJob({ jobId: ck.jobId })}>
            {tr.t('app.checksum.stop')}
          </button>
        </div>
      )}
      {ck.status === 'done' && ck.value && (
        <div className={`callout ${match ? 'success' : mismatch ? 'warning' : 'info'}`} role="status">
          {match ? (
            <p>
              <Msg id="app.checksum.match" values={{ file: match.file, source: match.source, single: match.singleSource ? 'yes' : 'no' }} />
            </p>
          ) : mismatch ? (
            <>
              <p className="callout-title">{tr.t('app.checksum.modified')}</p>
              <p>
                <Msg id="app.checksum.modifiedText" values={{ file: mismatch.file }} />
              </p>
              <p className="hashes">
                {mismatch.expectedSha1 && (
                  <>
                    <Msg id="app.checksum.listedSha1" values={{ hash: mismatch.expectedSha1 }} />
                    <br />
                  </>
                )}
                {mismatch.expectedSha256 && (
                  <>
                    <Msg id="app.checksum.listedSha256" values={{ hash: mismatch.expectedSha256 }} />
                    <br />
                  </>
                )}
                <span className="muted">{tr.t('app.checksum.source', { source: mismatch.source })}</span>
              </p>
            </>
          ) : (
            <p>{tr.t('app.checksum.noMatch')}</p>
          )}
          <p className="hashes">
            {mismatch ? <Msg id="app.checksum.thisFileSha1" values={{ hash: ck.value.sha1 }} /> : <Msg id="app.checksum.sha1" values={{ hash: ck.value.sha1 }} />}
            <br />
            <Msg id="app.checksum.sha256" values={{ hash: ck.value.sha256 }} />
          </p>
        </div>
      )}
      {ck.status === 'error' && ck.error && <ErrorBox error={ck.error} title={tr.t('app.checksum.failed')} />}
    </div>
  );
}
