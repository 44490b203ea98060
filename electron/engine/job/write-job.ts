/**
 * The write job: image → stream → targets → verify, as phases with Progress events
 * (preparing → [checking-capacity] → writing → flushing → verifying → done). Several targets are fed
 * from one pass over the image; a target that fails is reported and dropped, the others finish.
 */
import { SevenStickError, type ErrorCode } from '../io/errors.js';
import { assertCapacity, checkCapacity, markerOffsets } from '../device/capacity.js';
import { VHD_FOOTER_SIZE } from '../layout/vhd.js';
import { assertDriveUsable, locateImage, type Constraint } from '../device/constraints.js';
import { describePath, type Drive } from '../device/drives.js';
import { BufferPool, DEFAULT_BLOCK_SIZE, runPipeline } from '../device/pipeline.js';
import { currentPlatform, type DevicePlatform } from '../device/prepare.js';
import { VerifySink, WriteSink, type Difference } from '../device/sinks.js';
import { Target } from '../device/target.js';
import { openImageStream, type StreamFactory, type WriteMode } from './image-stream.js';
import { ProgressMeter, type Progress, type ProgressListener } from './progress.js';

export interface WriteJobOptions {
  image: string;
  /** Device paths or regular files (or drives already described). */
  targets: (string | Drive)[];
  mode: WriteMode;
  /** Size of a new target file in bytes (an existing file keeps its size). */
  size?: number;
  verify: boolean;
  checkCapacity?: boolean;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /** Called with every target's warnings before anything is written (after every error check passed). */
  onWarnings?: (warnings: { target: string; constraints: Constraint[] }[]) => void;
  /**
   * Called once every target is open and before anything is written to any of them; throwing
   * refuses the job (the helper checks the open descriptors against what the user confirmed).
   */
  onOpened?: (targets: readonly Target[]) => Promise<void>;
  /** Tests inject synthetic streams; the default reads the image. */
  streamFactory?: StreamFactory;
  platform?: DevicePlatform;
  /** I/O block size (default 4 MiB). */
  blockSize?: number;
}

export interface TargetResult {
  target: string;
  ok: boolean;
  bytesWritten: number;
  /** Whether every written byte was read back and compared. */
  verified: boolean;
  /** Whether the read-back bypassed the page cache. */
  directIo: boolean;
  differences: Difference[];
  differingBytes: number;
  error?: { code: ErrorCode; message: string; offset?: number };
  notes: string[];
}

export interface WriteJobResult {
  ok: boolean;
  /** About the image (e.g. no UEFI boot file on this media). */
  warnings: string[];
  mode: 'windows' | 'raw';
  imageSize: number;
  bytesToWrite: number;
  targets: TargetResult[];
  seconds: { writing: number; verifying: number; total: number };
}

const now = (): number => performance.now();

function emit(l: ProgressListener | undefined, phase: Progress['phase'], target?: string): void {
  if (!l) return;
  const p: Progress = { type: 'progress', phase, bytes: 0, total: 0, bytesPerSecond: 0, etaSeconds: 0 };
  if (target !== undefined) p.target = target;
  l(p);
}

export async function runWriteJob(opts: WriteJobOptions): Promise<WriteJobResult> {
  const t0 = now();
  const platform = opts.platform ?? currentPlatform();
  const { signal, onProgress } = opts;
  const checkCancel = (): void => {
    if (signal?.aborted) throw new SevenStickError('E_CANCELLED', 'Cancelled');
  };
  emit(onProgress, 'preparing');
  if (opts.targets.length === 0) throw new SevenStickError('E_ARGS', 'No target given');
  const drives: Drive[] = [];
  for (const t of opts.targets) drives.push(typeof t === 'string' ? await describePath(t) : t);
  if (new Set(drives.map((d) => d.device)).size !== drives.length) throw new SevenStickError('E_ARGS', 'The same target is named twice');
  const image = locateImage(opts.image);
  const vhd = drives.some((d) => d.kind === 'file' && /\.vhd$/i.test(d.device));
  if (vhd && drives.length > 1) throw new SevenStickError('E_ARGS', 'A .vhd target must be the only target');

  // Safety first, with what we know before opening the image (system, source, read-only, unknown size).
  for (const d of drives) assertDriveUsable(d, { image });
  const sizeOf = (d: Drive): number => {
    if (d.kind === 'file' && (!d.exists || (opts.size !== undefined && (d.size ?? 0) === 0))) {
      if (opts.size === undefined) throw new SevenStickError('E_ARGS', `${d.device} does not exist yet: give its size with --size`, { path: d.device });
      return opts.size;
    }
    return d.size ?? 0;
  };
  const factory = opts.streamFactory ?? openImageStream;
  // A raw copy to a new file without --size makes the file as large as the image.
  const rawNewFile = (d: Drive): boolean => opts.mode === 'raw' && d.kind === 'file' && !d.exists && opts.size === undefined;
  const known = drives.filter((d) => !rawNewFile(d)).map(sizeOf);
  const img = await factory({ image: opts.image, mode: opts.mode, targetSize: known.length ? Math.min(...known) : 0, vhd });
  const sizes = drives.map((d) => (rawNewFile(d) ? img.stream.size : sizeOf(d)));
  const { stream } = img;
  const targets: Target[] = [];
  const results = new Map<string, TargetResult>();
  let touched = false;
  let tWrite: number;
  let tVerify = 0;
  try {
    const warnings: { target: string; constraints: Constraint[] }[] = [];
    drives.forEach((d, i) => {
      const sized: Drive = { ...d, size: sizes[i] ?? d.size };
      // A .vhd file grows by its footer; the disk inside must fit the size asked for.
      const w = assertDriveUsable(sized, { image, requiredBytes: vhd ? stream.size - VHD_FOOTER_SIZE : stream.size });
      if (w.length) warnings.push({ target: d.device, constraints: w });
      results.set(d.device, { target: d.device, ok: false, bytesWritten: 0, verified: false, directIo: false, differences: [], differingBytes: 0, notes: [] });
    });
    opts.onWarnings?.(warnings);
    checkCancel();

    // Unmount, then open every target exclusively (nothing is written until all are open).
    for (const [i, d] of drives.entries()) {
      const r = results.get(d.device) as TargetResult;
      const unmounted = await platform.unmount(d);
      if (unmounted.length) r.notes.push(`unmounted ${unmounted.join(', ')}`);
      const isVhd = vhd && d.kind === 'file';
      const t = await Target.open(d, { write: true, size: isVhd ? stream.size : d.kind === 'file' ? sizes[i] : undefined, exactSize: isVhd, direct: true });
      targets.push(t);
      r.directIo = t.direct;
      if (t.directNote) r.notes.push(t.directNote);
    }
    await opts.onOpened?.(targets);
    // From here on the targets get written (capacity markers, then the image).
    touched = true;
    const align = Math.max(...targets.map((t) => t.sectorSize));
    // One set of aligned buffers for both passes (3 blocks in flight + 2 of read-ahead).
    const pool = new BufferPool(opts.blockSize ?? DEFAULT_BLOCK_SIZE, 5);

    if (opts.checkCapacity) {
      for (const t of targets) {
        if (t.drive.kind !== 'block') continue;
        const meter = new ProgressMeter('checking-capacity', 2 * markerOffsets(t.size, t.sectorSize).length * t.sectorSize, onProgress, 200, t.path);
        const c = await checkCapacity(t, { meter, signal });
        meter.finish();
        assertCapacity(c, t.path);
        (results.get(t.path) as TargetResult).notes.push(`capacity check passed (${c.positions} markers)`);
      }
    }

    // Sector 0 goes to zeros first; the stream's boot chunks come last, so until the very end the
    // target never looks like a valid (half-written) stick.
    for (const t of targets) {
      if (!(await t.zeroBootSector())) throw new SevenStickError('E_IO', `Cannot write to ${t.path}`, { path: t.path, offset: 0 });
    }

    const tw = now();
    const writers = targets.map(
      (t) => new WriteSink(t, new ProgressMeter('writing', stream.bytesToWrite, onProgress, 200, t.path), undefined, () => emit(onProgress, 'flushing', t.path)),
    );
    await runPipeline(stream, writers, { align, signal, pool });
    for (const w of writers) {
      const r = results.get(w.name) as TargetResult;
      r.bytesWritten = w.written;
      if (w.error) r.error = { code: w.error.code, message: w.error.message, offset: w.error.details.offset };
    }
    tWrite = (now() - tw) / 1000;
    checkCancel();

    if (opts.verify) {
      const tv = now();
      const ok = targets.filter((t) => !(results.get(t.path) as TargetResult).error);
      const verifiers = ok.map((t) => new VerifySink(t, (o) => stream.describe(o), new ProgressMeter('verifying', stream.bytesToWrite, onProgress, 200, t.path)));
      if (verifiers.length) await runPipeline(stream, verifiers, { align, signal, pool });
      for (const v of verifiers) {
        const r = results.get(v.name) as TargetResult;
        if (v.error) {
          r.error = { code: v.error.code, message: v.error.message, offset: v.error.details.offset };
          continue;
        }
        r.verified = true;
        r.differences = [...v.differences].sort((a, b) => a.offset - b.offset);
        r.differingBytes = v.differingBytes;
        if (v.differences.length) {
          const first = r.differences[0] as Difference;
          r.error = {
            code: 'E_VERIFY',
            message: `${v.name}: ${v.differingBytes} bytes read back differ, first at byte ${first.offset} (${first.what})`,
            offset: first.offset,
          };
        }
      }
      tVerify = (now() - tv) / 1000;
    }
    for (const r of results.values()) r.ok = r.error === undefined;
  } catch (e) {
    // Cancelled or failed as a whole: no target may keep a boot sector. A job refused before its
    // first write leaves every target exactly as it was.
    if (touched) for (const t of targets) await t.zeroBootSector();
    throw e;
  } finally {
    for (const t of targets) await t.close();
    await img.close();
  }
  for (const d of drives) {
    const r = results.get(d.device) as TargetResult;
    if (!r.ok) {
      // A failed stick must not look like a finished one.
      const t = await Target.open(d, { write: true, direct: true }).catch(() => undefined);
      if (t) {
        await t.zeroBootSector();
        await t.close();
      }
      continue;
    }
    const note = await platform.rereadPartitions(d);
    if (note) r.notes.push(note);
  }
  const list = [...results.values()];
  emit(onProgress, 'done');
  return {
    ok: list.every((r) => r.ok),
    warnings: img.warnings ?? [],
    mode: img.mode,
    imageSize: stream.size,
    bytesToWrite: stream.bytesToWrite,
    targets: list,
    seconds: { writing: tWrite, verifying: tVerify, total: (now() - t0) / 1000 },
  };
}
