/**
 * What the helper needs from the engine, as one small interface: identify a target (size, identity,
 * safety notices — the same predicates the GUI shows), write, verify. `defaultEngine()` binds it to
 * the real engine; a function the engine does not have yet answers E_NOT_AVAILABLE (never a fake result).
 */
import { checkDrive, describePath, locateImage, runWriteJob, verifyStick, type StickVerifyResult, type WriteJobResult } from '../engine/index.js';
import type { Notice, Progress, VerifyReport, WriteMode, WriteResult } from '../shared/contract.js';
import { identityOf } from './identity.js';

export interface IdentifiedDrive {
  path: string;
  size: number | null;
  serial: string | null;
  system: boolean;
  notices: Notice[];
}

export interface HelperEngine {
  /** Looks the target up afresh (never from a cache) and runs the safety predicates against `image`. */
  identify(path: string, image: string): Promise<IdentifiedDrive>;
  write(job: { image: string; targets: string[]; mode: WriteMode; verify: boolean; signal: AbortSignal; onProgress: (p: Progress) => void }): Promise<WriteResult>;
  verify(job: { image: string; target: string; signal: AbortSignal; onProgress: (p: Progress) => void }): Promise<VerifyReport>;
}

/** Identifies any target path the way the GUI's drive list does. */
export async function identifyPath(path: string, image: string | null): Promise<IdentifiedDrive> {
  const d = await describePath(path);
  return {
    path: d.device,
    size: d.size,
    serial: identityOf(d),
    system: d.isSystem,
    notices: checkDrive(d, image ? { image: locateImage(image) } : {}),
  };
}

/** Kept for callers that only deal with regular files. */
export async function identifyRegularFile(path: string): Promise<IdentifiedDrive | null> {
  const d = await identifyPath(path, null);
  return d.serial?.startsWith('file:') ? d : null;
}

export function toWriteResult(r: WriteJobResult): WriteResult {
  return {
    outcome: r.ok ? 'done' : 'failed',
    seconds: r.seconds.total,
    targets: r.targets.map((t) => {
      const out: WriteResult['targets'][number] = { path: t.target, ok: t.ok, verified: t.verified && t.differences.length === 0 && t.ok };
      if (t.error) out.error = { code: t.error.code, message: t.error.message };
      return out;
    }),
  };
}

export function toVerifyReport(r: StickVerifyResult, image: string): VerifyReport {
  return {
    ok: r.ok,
    target: r.target,
    image,
    checkedFiles: r.files,
    problems: r.failures.map((f) => ({ path: f.path, problem: f.message })),
    extras: r.extras.map((e) => ({ path: e.path, known: e.known })),
  };
}

export function defaultEngine(): HelperEngine {
  return {
    identify: identifyPath,
    async write(job) {
      const r = await runWriteJob({ image: job.image, targets: job.targets, mode: job.mode, verify: job.verify, signal: job.signal, onProgress: job.onProgress });
      return toWriteResult(r);
    },
    async verify(job) {
      return toVerifyReport(await verifyStick(job.target, job.image, { signal: job.signal, onProgress: job.onProgress }), job.image);
    },
  };
}
