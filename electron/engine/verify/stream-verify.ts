/**
 * Reads a target back (bypassing the page cache where the OS allows) and compares every byte the stream
 * writes with the stream regenerated — the check after a write, also usable on its own (raw images).
 */
import { describePath } from '../device/describe-path.js';
import type { Drive } from '../device/drive.js';
import { runPipeline } from '../device/pipeline.js';
import { VerifySink, type Difference } from '../device/sinks.js';
import type { DiskImageStream } from '../io/disk-stream.js';
import { Target } from '../device/target.js';
import { ProgressMeter, type ProgressListener } from '../io/progress.js';
import { SevenStickError } from '../io/errors.js';

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
    const sink = new VerifySink(t, (o) => stream.describe(o), new ProgressMeter('verifying', stream.bytesToWrite, opts.onProgress, 200, targetPath));
    await runPipeline(stream, [sink], { align: t.sectorSize, signal: opts.signal, blockSize: opts.blockSize });
    if (sink.error) throw sink.error;
    return {
      ok: sink.differences.length === 0,
      target: targetPath,
      verifiedBytes: sink.verified,
      differingBytes: sink.differingBytes,
      differences: [...sink.differences].sort((a, b) => a.offset - b.offset),
      directIo: t.direct,
      notes: t.directNote ? [t.directNote] : [],
    };
  } finally {
    await t.close();
  }
}
