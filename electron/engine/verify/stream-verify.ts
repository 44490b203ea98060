/**
 * Reads targets back (bypassing the page cache where the OS allows) and compares every byte the stream
 * writes with the stream regenerated: `readBackTargets` is the one read-back pass — the write job's
 * verify phase and `verifyTargetAgainstStream` (a target on its own, e.g. a raw image later) both run it.
 */
import { describePath } from '../device/describe-path.js';
import type { Drive } from '../device/drive.js';
import { runPipeline, type BufferPool } from '../device/pipeline.js';
import { VerifySink, type Difference } from '../device/sinks.js';
import type { DiskImageStream } from '../io/disk-stream.js';
import { Target } from '../device/target.js';
import { ProgressMeter, type ProgressListener } from '../io/progress.js';
import { SevenStickError } from '../io/errors.js';

/** One target's read-back. */
export interface ReadBack {
  target: string;
  /** Set when the target could not be read back (every byte): then `differences` says nothing. */
  error?: SevenStickError;
  verifiedBytes: number;
  differingBytes: number;
  /** Regions that differ, by offset (at most MAX_REPORTED_DIFFERENCES). */
  differences: Difference[];
}

export interface ReadBackOptions {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  blockSize?: number;
  /** Buffers to use (the write job shares its write pass's). */
  pool?: BufferPool;
}

/**
 * One pass of the stream, read back from every target at once ('verifying' progress per target).
 * A target that fails to read is dropped with its error; the others go on. Cancellation throws.
 */
export async function readBackTargets(stream: DiskImageStream, targets: readonly Target[], opts: ReadBackOptions = {}): Promise<ReadBack[]> {
  if (targets.length === 0) return [];
  const sinks = targets.map((t) => new VerifySink(t, (o) => stream.describe(o), new ProgressMeter('verifying', stream.bytesToWrite, opts.onProgress, 200, t.path)));
  const align = Math.max(...targets.map((t) => t.sectorSize));
  await runPipeline(stream, sinks, { align, signal: opts.signal, blockSize: opts.blockSize, pool: opts.pool });
  return sinks.map((v) => ({
    target: v.name,
    error: v.error,
    verifiedBytes: v.verified,
    differingBytes: v.differingBytes,
    differences: [...v.differences].sort((a, b) => a.offset - b.offset),
  }));
}

/** The E_VERIFY error for a read-back that found differences (undefined when it found none). */
export function differencesError(r: ReadBack): SevenStickError | undefined {
  const first = r.differences[0];
  if (!first) return undefined;
  return new SevenStickError('E_VERIFY', `${r.target}: ${r.differingBytes} bytes read back differ, first at byte ${first.offset} (${first.what})`, {
    path: r.target,
    offset: first.offset,
  });
}

export interface StreamVerifyResult {
  ok: boolean;
  target: string;
  verifiedBytes: number;
  differingBytes: number;
  differences: Difference[];
  /** Whether the read-back bypassed the page cache. */
  directIo: boolean;
  notes: string[];
}

export async function verifyTargetAgainstStream(
  target: string | Drive,
  stream: DiskImageStream,
  opts: { onProgress?: ProgressListener; signal?: AbortSignal; blockSize?: number } = {},
): Promise<StreamVerifyResult> {
  const drive = typeof target === 'string' ? await describePath(target) : target;
  const targetPath = drive.device;
  if (!drive.exists) throw new SevenStickError('E_NOT_FOUND', `${targetPath} does not exist`, { path: targetPath });
  const t = await Target.open(drive, { write: false, direct: true });
  try {
    if (t.size < stream.size && stream.bytesToWrite > 0) {
      throw new SevenStickError('E_VERIFY', `${targetPath} (${t.size} bytes) is smaller than the image (${stream.size} bytes)`, { path: targetPath });
    }
    const [r] = (await readBackTargets(stream, [t], opts)) as [ReadBack];
    if (r.error) throw r.error;
    return {
      ok: r.differences.length === 0,
      target: targetPath,
      verifiedBytes: r.verifiedBytes,
      differingBytes: r.differingBytes,
      differences: r.differences,
      directIo: t.direct,
      notes: t.directNote ? [t.directNote] : [],
    };
  } finally {
    await t.close();
  }
}
