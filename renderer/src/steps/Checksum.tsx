import type { ChecksumView } from '../../../electron/shared/contract.js';
import { formatEta, type ImageState } from '../../../electron/shared/wizard.js';
import { bridge } from '../api.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { speedOf, pct, phaseFraction } from '../components/format.js';
import { ProgressBar } from '../components/ProgressBar.js';
import type { Dispatch } from '../types.js';
import { useJob, type JobActions } from '../useJob.js';

const CHECKSUM: JobActions<ChecksumView> = {
  started: (jobId) => ({ type: 'checksum-started', jobId }),
  finished: (jobId, value) => ({ type: 'checksum-done', jobId, value }),
  failed: (jobId, error) => ({ type: 'checksum-failed', jobId, error }),
};

/** The image's SHA-1 and SHA-256 on request, matched against the catalog of official releases. */
export function Checksum({ path, ck, dispatch }: { path: string; ck: ImageState['checksum']; dispatch: Dispatch }) {
  const job = useJob(dispatch, CHECKSUM);
  return (
    <div className="checksum">
      {ck.status === 'idle' && (
        <button type="button" className="secondary" onClick={() => void job.start((api, jobId) => api.checksumImage({ jobId, path }))}>
          Verify checksum
        </button>
      )}
      {ck.status === 'running' && (
        <div className="checksum-progress">
          <p id="ck-label">Computing SHA-1 and SHA-256…</p>
          <ProgressBar fraction={phaseFraction(ck.progress)} label="Checksum progress" />
          <p className="num small muted">
            {pct(ck.progress)} · {speedOf(ck.progress)} · {formatEta(ck.progress?.etaSeconds ?? null)} left
          </p>
          <button type="button" className="secondary" onClick={() => ck.jobId && void bridge().cancelJob({ jobId: ck.jobId })}>
            Stop
          </button>
        </div>
      )}
      {ck.status === 'done' && ck.value && (
        <div className={`callout ${ck.value.catalogMatch ? 'success' : ck.value.catalogMismatch ? 'warning' : 'info'}`} role="status">
          {ck.value.catalogMatch ? (
            <p>
              ✓ Matches <strong>{ck.value.catalogMatch.file}</strong> as listed publicly{' '}
              <span className="muted">
                (source: {ck.value.catalogMatch.source}
                {ck.value.catalogMatch.singleSource ? '; listed by one source only' : ''})
              </span>
              .
            </p>
          ) : ck.value.catalogMismatch ? (
            <>
              <p className="callout-title">Modified image</p>
              <p>
                This file is named like <strong>{ck.value.catalogMismatch.file}</strong>, but its checksum differs from the one listed publicly: it is not
                that release as published (it was changed or damaged).
              </p>
              <p className="hashes">
                {ck.value.catalogMismatch.expectedSha1 && (
                  <>
                    Listed SHA-1 <code>{ck.value.catalogMismatch.expectedSha1}</code>
                    <br />
                  </>
                )}
                {ck.value.catalogMismatch.expectedSha256 && (
                  <>
                    Listed SHA-256 <code>{ck.value.catalogMismatch.expectedSha256}</code>
                    <br />
                  </>
                )}
                <span className="muted">(source: {ck.value.catalogMismatch.source})</span>
              </p>
            </>
          ) : (
            <p>No match: this image is not in the catalog of known official Windows 7 releases. That does not mean it is bad; compare the checksums with your source.</p>
          )}
          <p className="hashes">
            {ck.value.catalogMismatch ? 'This file: ' : ''}SHA-1 <code>{ck.value.sha1}</code>
            <br />
            SHA-256 <code>{ck.value.sha256}</code>
          </p>
        </div>
      )}
      {ck.status === 'error' && ck.error && <ErrorBox error={ck.error} title="The checksum could not be computed" />}
    </div>
  );
}
