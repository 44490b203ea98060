/**
 * What the helper needs from the engine, as one small interface: write drives, verify a drive. The
 * drives come already checked (authorize.ts) and the image as the descriptor the helper opened for
 * the user (image.ts); `defaultEngine()` binds it to the real engine.
 */
import { basename } from 'node:path';
import { customizationFromRequest, inspectImage, runWriteJob, verifyStick, type Drive, type StickVerifyResult, type Target, type WindowsCustomization, type WindowsWarning, type WriteJobResult } from '../engine/index.js';
import { AppError } from '../shared/errors.js';
import type { Notice, Progress, VerifyReport, WindowsSetup, WriteMode, WriteResult } from '../shared/contract.js';

export interface HelperWriteJob {
  /** The image as the user named it (aliased to the helper's open descriptor, see image.ts). */
  image: string;
  targets: Drive[];
  mode: WriteMode;
  verify: boolean;
  /** Checked by windowsCustomization before the job starts. */
  windows?: WindowsCustomization;
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

/** One of the engine's warnings about Windows media as the contract's notice (main's image card, write results). */
export function warningNotice(w: WindowsWarning): Notice {
  return { severity: 'warning', code: w.code, message: w.message, ...(w.params ? { params: w.params } : {}) };
}

export function toWriteResult(r: WriteJobResult): WriteResult {
  return {
    outcome: r.ok ? 'done' : 'failed',
    seconds: r.seconds.total,
    ...(r.warnings.length ? { warnings: r.warnings } : {}),
    ...(r.notices?.length ? { notices: r.notices.map(warningNotice) } : {}),
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
    problems: r.failures.map((f) => ({ path: f.path, problem: f.message, code: f.code, params: f.params })),
    extras: r.extras.map((e) => ({ path: e.path, known: e.known })),
  };
}

/**
 * A write's Windows customization as the engine takes it, checked against the image's media: it is
 * untrusted input (to main from the renderer, to the helper from the GUI) — edition, answer file size,
 * well-formed, architecture; it only ever becomes files on the stick. Main and the helper both run it.
 */
export async function windowsCustomization(image: string, windows: WindowsSetup): Promise<WindowsCustomization> {
  const r = await inspectImage(image);
  if (!r.windows || r.kind !== 'windows') throw new AppError({ code: 'E_ARGS', message: `${basename(image)} is not Windows setup media: it takes no answer file or edition choice.` });
  return customizationFromRequest(windows, r.windows);
}

export function defaultEngine(): HelperEngine {
  return {
    async write(job) {
      const r = await runWriteJob({ image: job.image, targets: job.targets, mode: job.mode, verify: job.verify, ...(job.windows ? { windows: job.windows } : {}), signal: job.signal, onOpened: job.onOpened, onProgress: job.onProgress });
      return toWriteResult(r);
    },
    async verify(job) {
      return toVerifyReport(await verifyStick(job.target, job.image, { signal: job.signal, onProgress: job.onProgress }), job.image);
    },
  };
}
