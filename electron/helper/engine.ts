/**
 * What the helper needs from the engine, as one small interface: write drives, verify a drive. The
 * drives come already checked (authorize.ts) and the image as the descriptor the helper opened for
 * the user (image.ts); `defaultEngine()` binds it to the real engine.
 */
import { runWriteJob, verifyStick, type Drive, type StickVerifyResult, type Target, type WriteJobResult } from '../engine/index.js';
import type { Progress, VerifyReport, WriteMode, WriteResult } from '../shared/contract.js';

export interface HelperWriteJob {
  /** The image as the user named it (aliased to the helper's open descriptor, see image.ts). */
  image: string;
  targets: Drive[];
  mode: WriteMode;
  verify: boolean;
  signal: AbortSignal;
  /** Runs once every target is open, before the first byte is written; throws to refuse. */
  onOpened: (targets: readonly Target[]) => Promise<void>;
  onProgress: (p: Progress) => void;
}

export interface HelperVerifyJob {
  image: string;
  target: Drive;
  signal: AbortSignal;
  onProgress: (p: Progress) => void;
}

export interface HelperEngine {
  write(job: HelperWriteJob): Promise<WriteResult>;
  verify(job: HelperVerifyJob): Promise<VerifyReport>;
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
    async write(job) {
      const r = await runWriteJob({ image: job.image, targets: job.targets, mode: job.mode, verify: job.verify, signal: job.signal, onOpened: job.onOpened, onProgress: job.onProgress });
      return toWriteResult(r);
    },
    async verify(job) {
      return toVerifyReport(await verifyStick(job.target, job.image, { signal: job.signal, onProgress: job.onProgress }), job.image);
    },
  };
}
