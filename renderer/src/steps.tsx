import { useId, useState } from 'react';
import type { DriveView, IpcError, Notice, Progress } from '../../electron/shared/contract.js';
import { formatBytes, formatSpeed } from '../../electron/shared/format.js';
import { canSelect, confirmationLines, formatEta, overallFraction, PHASE_LABELS, visibleDrives } from '../../electron/shared/wizard.js';
import type { StepProps } from './App.js';
import { asIpcError, bridge, newJobId, unwrap } from './api.js';

/** A hint; a command in it (from "sudo sevenstick" or "sevenstick" on) is shown as code. */
function Hint({ text }: { text: string }) {
  const m = /(sudo )?sevenstick .*/.exec(text);
  if (!m) return <p className="hint">{text}</p>;
  return (
    <p className="hint">
      {text.slice(0, m.index)}
      <code className="command">{m[0]}</code>
    </p>
  );
}

export function ErrorBox({ error, title }: { error: IpcError; title?: string }) {
  return (
    <div className="callout error" role="alert">
      <p className="callout-title">{title ?? 'Something went wrong'}</p>
      <p>{error.message}</p>
      {error.hint && <Hint text={error.hint} />}
      <p className="error-code">Error code: {error.code}</p>
    </div>
  );
}

function Notices({ notices, label }: { notices: Notice[]; label: string }) {
  if (notices.length === 0) return null;
  return (
    <ul className="notices" aria-label={label}>
      {notices.map((n) => (
        <li key={n.code + n.message} className={`notice ${n.severity}`}>
          <span className="notice-icon" aria-hidden="true">
            {n.severity === 'error' ? '✗' : '⚠'}
          </span>
          <span>
            <span className="sr-only">{n.severity === 'error' ? 'Unavailable: ' : 'Warning: '}</span>
            {n.message}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function StartStep({ dispatch }: StepProps) {
  return (
    <div className="start">
      <p className="lead">Turns a Windows 7 ISO into a USB stick that boots on BIOS and UEFI PCs — and proves it by reading every written sector back.</p>
      <div className="choices">
        <button type="button" className="choice" onClick={() => dispatch({ type: 'start', flow: 'write' })}>
          <span className="choice-title">Make a bootable stick</span>
          <span className="choice-text">Pick an ISO and a USB drive. The drive is erased.</span>
        </button>
        <button type="button" className="choice" onClick={() => dispatch({ type: 'start', flow: 'verify' })}>
          <span className="choice-title">Verify a stick</span>
          <span className="choice-text">Compare a stick made earlier with its ISO, file by file.</span>
        </button>
      </div>
      <p className="muted small">Tip: you can also drop an ISO file anywhere on this window.</p>
    </div>
  );
}

function ProgressBar({ fraction, label, id }: { fraction: number; label: string; id?: string }) {
  const pct = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
  return (
    <div className="bar" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} id={id}>
      <div className="bar-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd className="num">{value}</dd>
    </div>
  );
}

function speedOf(p: Progress | null | undefined): string {
  return p ? formatSpeed(p.bytesPerSecond) : '—';
}

function pct(p: Progress | null | undefined): string {
  if (!p || p.total <= 0) return '0 %';
  return `${Math.floor((p.bytes / p.total) * 100)} %`;
}

function ImageCard({ state, dispatch }: Pick<StepProps, 'state' | 'dispatch'>) {
  const info = state.image.info;
  if (!info) return null;
  const w = info.windows;
  const ck = state.image.checksum;
  const startChecksum = async () => {
    const jobId = newJobId();
    dispatch({ type: 'checksum-started', jobId });
    try {
      const value = await unwrap(bridge().checksumImage({ jobId, path: info.path }));
      dispatch({ type: 'checksum-done', jobId, value });
    } catch (e) {
      dispatch({ type: 'checksum-failed', jobId, error: asIpcError(e) });
    }
  };
  return (
    <section className="card" aria-labelledby="image-title">
      <h2 id="image-title" className="card-title">
        {info.label || info.fileName}
      </h2>
      <p className="muted break">{info.path}</p>
      <dl className="facts">
        <div>
          <dt>Type</dt>
          <dd>{info.kind === 'windows' ? 'Windows setup media' : info.kind === 'hybrid' ? 'Hybrid image (copied as is)' : 'Raw disk image'}</dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd className="num">{formatBytes(info.size)}</dd>
        </div>
        {w && (
          <>
            <div>
              <dt>Version</dt>
              <dd>
                Build {w.build}
                {w.servicePack ? `, ${w.servicePack}` : ', no service pack'}
              </dd>
            </div>
            <div>
              <dt>Architecture</dt>
              <dd>{w.arch === 'x64' ? '64-bit (x64)' : w.arch === 'x86' ? '32-bit (x86)' : w.arch}</dd>
            </div>
            <div>
              <dt>Boots on</dt>
              <dd>
                <span className={`badge ${w.bios ? 'yes' : 'no'}`}>BIOS {w.bios ? '✓' : '✗'}</span>{' '}
                <span className={`badge ${w.uefi ? 'yes' : 'no'}`}>UEFI {w.uefi ? '✓' : '✗'}</span>
              </dd>
            </div>
            {w.languages.length > 0 && (
              <div>
                <dt>Languages</dt>
                <dd>{w.languages.join(', ')}</dd>
              </div>
            )}
          </>
        )}
      </dl>
      {w && w.editions.length > 0 && (
        <div className="editions">
          <h3>Editions</h3>
          <ul>
            {w.editions.map((e) => (
              <li key={e.index}>
                <span className="num">{e.index}.</span> {e.name} <span className="muted">({e.editionId}, {e.arch})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <Notices notices={info.notices} label="Things to know about this image" />
      <div className="checksum">
        {ck.status === 'idle' && (
          <button type="button" className="secondary" onClick={() => void startChecksum()}>
            Verify checksum
          </button>
        )}
        {ck.status === 'running' && (
          <div className="checksum-progress">
            <p id="ck-label">Computing SHA-1 and SHA-256…</p>
            <ProgressBar fraction={ck.progress && ck.progress.total > 0 ? ck.progress.bytes / ck.progress.total : 0} label="Checksum progress" />
            <p className="num small muted">
              {pct(ck.progress)} · {speedOf(ck.progress)} · {formatEta(ck.progress?.etaSeconds ?? null)} left
            </p>
            <button type="button" className="secondary" onClick={() => ck.jobId && void bridge().cancelJob({ jobId: ck.jobId })}>
              Stop
            </button>
          </div>
        )}
        {ck.status === 'done' && ck.value && (
          <div className={`callout ${ck.value.catalogMatch ? 'success' : 'info'}`} role="status">
            {ck.value.catalogMatch ? (
              <p>
                ✓ Matches <strong>{ck.value.catalogMatch.file}</strong> as listed publicly <span className="muted">(source: {ck.value.catalogMatch.source})</span>.
              </p>
            ) : (
              <p>This image is not in the catalog of known official Windows 7 releases. That does not mean it is bad; compare the checksums with your source.</p>
            )}
            <p className="hashes">
              SHA-1 <code>{ck.value.sha1}</code>
              <br />
              SHA-256 <code>{ck.value.sha256}</code>
            </p>
          </div>
        )}
        {ck.status === 'error' && ck.error && <ErrorBox error={ck.error} title="The checksum could not be computed" />}
      </div>
    </section>
  );
}

export function ImageStep(props: StepProps) {
  const { state, chooseImage } = props;
  const img = state.image;
  return (
    <div className="step">
      <div className="pick">
        <button type="button" className={img.info ? 'secondary' : 'primary'} onClick={() => void chooseImage()}>
          {img.info ? 'Choose another image…' : 'Choose an ISO file…'}
        </button>
        <span className="muted">or drop it on this window</span>
      </div>
      <div aria-live="polite" className="live">
        {img.status === 'loading' && <p className="muted">Reading {img.path}…</p>}
      </div>
      {img.status === 'error' && img.error && <ErrorBox error={img.error} title="This image cannot be used" />}
      {img.status === 'ready' && <ImageCard state={state} dispatch={props.dispatch} />}
    </div>
  );
}

function driveLine(d: DriveView): string {
  return `${formatBytes(d.size)} · ${d.bus}${d.removable ? ' · removable' : ''}`;
}

export function DrivesStep({ state, dispatch }: StepProps) {
  const list = visibleDrives(state);
  const warnId = useId();
  return (
    <div className="step">
      <div aria-live="assertive" className="live">
        {state.dropped.length > 0 && (
          <p className="callout warning" role="status">
            {state.dropped.join(', ')} {state.dropped.length === 1 ? 'was removed or became unavailable, so it is' : 'were removed or became unavailable, so they are'} no longer selected.
          </p>
        )}
      </div>
      {!state.drivesLoaded ? (
        <p className="muted">Looking for drives…</p>
      ) : list.length === 0 ? (
        <div className="empty">
          <p>No USB drive found. Plug in a stick of at least 4 GB; it appears here by itself.</p>
        </div>
      ) : (
        <fieldset className="drives">
          <legend>Drives to write (everything on them is erased)</legend>
          <ul>
            {list.map((d) => {
              const selectable = canSelect(state, d);
              const checked = state.selected.includes(d.path);
              const id = `drive-${d.path.replace(/[^A-Za-z0-9]/g, '_')}`;
              return (
                <li key={d.path} className={`drive${checked ? ' selected' : ''}${selectable ? '' : ' unavailable'}`}>
                  <input
                    type="checkbox"
                    id={id}
                    checked={checked}
                    disabled={!selectable && !checked}
                    onChange={() => dispatch({ type: 'toggle-drive', path: d.path })}
                    aria-describedby={`${id}-desc`}
                  />
                  <label htmlFor={id}>
                    <span className="drive-name">{d.description}</span>
                    <span className="drive-path">{d.path}</span>
                  </label>
                  <div id={`${id}-desc`} className="drive-meta">
                    <span className="num">{driveLine(d)}</span>
                    {d.system && <span className="badge no">System drive</span>}
                    <Notices notices={d.notices} label={`About ${d.path}`} />
                  </div>
                </li>
              );
            })}
          </ul>
        </fieldset>
      )}
      <div className="show-all">
        <input type="checkbox" id="show-all" checked={state.showAll} onChange={(e) => dispatch({ type: 'show-all', value: e.target.checked })} aria-describedby={warnId} />
        <label htmlFor="show-all">Show all drives</label>
        <p id={warnId} className="small muted">
          Also lists internal and large disks. Be careful: picking the wrong one destroys its data. The system drive is never offered.
        </p>
      </div>
    </div>
  );
}

export function ConfirmStep({ state }: StepProps) {
  const lines = confirmationLines(state);
  return (
    <div className="step">
      <div className="callout danger">
        <p className="callout-title">
          {lines.length === 1 ? 'This drive will be completely erased:' : `These ${lines.length} drives will be completely erased:`}
        </p>
        <ul className="erase-list">
          {lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
        <p>Everything on {lines.length === 1 ? 'it' : 'them'} will be lost. This cannot be undone.</p>
      </div>
      <p>
        Image: <strong>{state.image.info?.label || state.image.info?.fileName}</strong> <span className="muted break">({state.image.path})</span>
      </p>
      <p className="muted">After writing, SevenStick reads every written sector back from the drive and compares it.</p>
    </div>
  );
}

function TargetProgress({ path, p, name }: { path: string; p: Progress | undefined; name: string }) {
  const fraction = p && p.total > 0 ? p.bytes / p.total : 0;
  return (
    <li className="target">
      <div className="target-head">
        <span className="drive-name">{name}</span>
        <span className="drive-path">{path}</span>
      </div>
      <p className="phase" aria-live="polite">
        {p ? PHASE_LABELS[p.phase] : 'Waiting for administrator access…'}
      </p>
      <ProgressBar fraction={p?.phase === 'done' ? 1 : fraction} label={`${name}: ${p ? PHASE_LABELS[p.phase] : 'waiting'}`} />
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
  const overall = overallFraction(state);
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

export function VerifyStep(props: StepProps) {
  const { state, dispatch, chooseImage } = props;
  const [busy, setBusy] = useState(false);
  const v = state.verify;
  const drives = visibleDrives(state).filter((d) => !d.system && d.size !== null);
  const start = async () => {
    if (!v.target || !state.image.path) return;
    const jobId = newJobId();
    setBusy(true);
    dispatch({ type: 'verify-started', jobId });
    try {
      const report = await unwrap(bridge().startVerify({ jobId, target: v.target, image: state.image.path }));
      dispatch({ type: 'verify-finished', jobId, report });
    } catch (e) {
      dispatch({ type: 'verify-failed', jobId, error: asIpcError(e) });
    } finally {
      setBusy(false);
    }
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
              const id = `vdrive-${d.path.replace(/[^A-Za-z0-9]/g, '_')}`;
              return (
                <li key={d.path} className={`drive${v.target === d.path ? ' selected' : ''}`}>
                  <input type="radio" name="verify-target" id={id} checked={v.target === d.path} disabled={v.jobId !== null} onChange={() => dispatch({ type: 'verify-target', path: d.path })} />
                  <label htmlFor={id}>
                    <span className="drive-name">{d.description}</span>
                    <span className="drive-path">{d.path}</span>
                  </label>
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
        <button type="button" className="primary" onClick={() => void start()} disabled={busy || v.jobId !== null || !v.target || state.image.status !== 'ready'}>
          Verify
        </button>
      </div>
      <div aria-live="polite" className="live">
        {v.jobId && (
          <div>
            <p>{v.progress ? PHASE_LABELS[v.progress.phase] : 'Starting…'}</p>
            <ProgressBar fraction={v.progress && v.progress.total > 0 ? v.progress.bytes / v.progress.total : 0} label="Verify progress" />
            <p className="num small muted">
              {pct(v.progress)} · {speedOf(v.progress)}
            </p>
          </div>
        )}
      </div>
      {v.error && <ErrorBox error={v.error} title="The stick could not be verified" />}
      {v.report && (
        <section className={`callout ${v.report.ok ? 'success' : 'danger'}`} aria-labelledby="report-title">
          <h2 id="report-title" className="callout-title">
            {v.report.ok ? `✓ The stick matches the ISO (${v.report.checkedFiles} files checked)` : `✗ ${v.report.problems.length} problem${v.report.problems.length === 1 ? '' : 's'} found`}
          </h2>
          {v.report.problems.length > 0 && (
            <ul className="problems">
              {v.report.problems.slice(0, 200).map((p) => (
                <li key={p.path + p.problem}>
                  {p.problem.includes(p.path) ? (
                    p.problem
                  ) : (
                    <>
                      <code>{p.path}</code>: {p.problem}
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
          {!v.report.ok && <p>Write the stick again to repair it.</p>}
          {v.report.extras.some((e) => !e.known) && (
            <p>
              Files on the stick that are not on the ISO:{' '}
              {v.report.extras
                .filter((e) => !e.known)
                .slice(0, 20)
                .map((e) => e.path)
                .join(', ')}
            </p>
          )}
          {v.report.extras.some((e) => e.known) && (
            <p className="muted">
              Added by Windows or macOS (not a problem):{' '}
              {v.report.extras
                .filter((e) => e.known)
                .slice(0, 20)
                .map((e) => e.path)
                .join(', ')}
            </p>
          )}
        </section>
      )}
    </div>
  );
}
