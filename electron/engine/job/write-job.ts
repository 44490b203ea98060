/**
 * The write job: image → stream → targets → verify, as phases with Progress events
 * (preparing → [checking-capacity] → writing → flushing → verifying → done). Several targets are fed
 * from one pass over the image; a target that fails is reported and dropped, the others finish.
 * runWriteJob runs the phases below in order: describeTargets → openStream → checkTargets →
 * openTargets → [checkCapacities] → zeroBootSectors → writeAll → the verify pass → finishTargets
 * (or, when the job fails as a whole, failJob).
 */
import { statSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { SevenStickError, type ErrorCode } from '../io/errors.js';
import { identitiesOf, type Identity } from '../io/identity.js';
import { assertCapacity, checkCapacity, markerOffsets } from '../device/capacity.js';
import { VHD_FOOTER_SIZE } from '../layout/vhd.js';
import { assertDriveUsable, locateImage, targetIdentities, type Constraint, type ImageLocation } from '../device/constraints.js';
import { describePath } from '../device/describe-path.js';
import type { Drive } from '../device/drive.js';
import { BufferPool, DEFAULT_BLOCK_SIZE, runPipeline } from '../device/pipeline.js';
import { currentPlatform, type DevicePlatform } from '../device/prepare.js';
import { WriteSink, type Difference } from '../device/sinks.js';
import { Target } from '../device/target.js';
import { differencesError, readBackTargets } from '../verify/stream-verify.js';
import { openImageStream, type ImageStream, type StreamFactory, type WriteMode } from './image-stream.js';
import type { WindowsCustomization } from './windows-customization.js';
import type { WindowsWarning } from '../image/windows-media.js';
import { ProgressMeter, type Progress, type ProgressListener } from '../io/progress.js';

export interface WriteJobOptions {
  image: string;
  /** Device paths or regular files (or drives already described). */
  targets: (string | Drive)[];
  mode: WriteMode;
  /** Size of a new target file in bytes (an existing file keeps its size). */
  size?: number;
  verify: boolean;
  checkCapacity?: boolean;
  /** Windows media: refuse (E_UNSUPPORTED) rather than write a stick that boots in BIOS mode only. */
  requireUefi?: boolean;
  /** Windows media: answer file, edition, ei.cfg (windows-customization.ts); absent: the plain stick. */
  windows?: WindowsCustomization;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /**
   * Called with every target's warnings after every check that can refuse passed and before anything is
   * unmounted, opened or written; awaited, so a caller may ask for confirmation here (the CLI does), and
   * throwing stops the job with every target untouched.
   */
  onWarnings?: (warnings: { target: string; constraints: Constraint[] }[]) => void | Promise<void>;
  /**
   * Called once every target is open and before anything is written to any of them; throwing
   * refuses the job (the helper checks the open descriptors against what the user confirmed).
   */
  onOpened?: (targets: readonly Target[]) => Promise<void>;
  /** Tests inject synthetic streams; the default reads the image. */
  streamFactory?: StreamFactory;
  platform?: DevicePlatform;
  /** I/O block size (default DEFAULT_BLOCK_SIZE, 2 MiB). */
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
  /** The same warnings as codes with params (e.g. W_BIOS_ONLY), for the user's language. */
  notices?: WindowsWarning[];
  mode: 'windows' | 'raw';
  /** Windows sticks: where efi/boot/bootx64.efi came from; 'none' = BIOS only (a warning says why). null for raw copies. */
  uefiBoot: 'iso' | 'install.wim' | 'none' | null;
  /** The image file's size in bytes. */
  imageSize: number;
  /** The disk the targets get, in bytes (a Windows stick's whole layout; a raw image's own size). */
  diskSize: number;
  bytesToWrite: number;
  targets: TargetResult[];
  seconds: { writing: number; verifying: number; total: number };
}

const now = (): number => performance.now();

/** A file's size, or undefined when it cannot be read (tests' synthetic streams name no real image). */
function fileSize(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

/** A new disk-image file must go into a folder that exists (bad input, exit 2 — not an I/O error). */
export function assertTargetPlace(d: Drive): void {
  if (d.kind !== 'file' || d.exists) return;
  const dir = dirname(d.device);
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new SevenStickError('E_ARGS', `Cannot create ${d.device}: the folder ${dir} does not exist`, { path: d.device });
  }
  if (!isDir) throw new SevenStickError('E_ARGS', `Cannot create ${d.device}: ${dir} is not a folder`, { path: d.device });
}

/** Refuses two targets that are one file or device (same path, hard link, symlink, a loop device and its file). */
export function assertDistinctTargets(drives: readonly Drive[]): void {
  const seen = new Map<Identity, string>();
  for (const d of drives) {
    // A file that does not exist yet is known by its folder's identity and its name.
    const ids = d.kind === 'file' && !d.exists ? identitiesOf(dirname(d.device)).map((i) => `${i}/${basename(d.device)}`) : targetIdentities(d);
    if (ids.length === 0) ids.push(`path:${d.device}`);
    for (const i of ids) {
      const other = seen.get(i);
      if (other !== undefined) {
        throw new SevenStickError(
          'E_ARGS',
          other === d.device ? `The same target is named twice: ${d.device}` : `${other} and ${d.device} are the same ${d.kind === 'file' ? 'file' : 'drive'}: name it once`,
          { path: d.device },
        );
      }
    }
    for (const i of ids) seen.set(i, d.device);
  }
}

function emit(l: ProgressListener | undefined, phase: Progress['phase'], target?: string): void {
  if (!l) return;
  const p: Progress = { type: 'progress', phase, bytes: 0, total: 0, bytesPerSecond: 0, etaSeconds: 0 };
  if (target !== undefined) p.target = target;
  l(p);
}

function keptNote(d: Drive): string {
  return `${d.device} was left as it is, apart from its first sector (zeroed so it does not pass for a finished stick): it existed before this write`;
}

/** Removes a file this job created, if it is still that file; returns the note to show, or undefined. */
async function removeIfCreated(d: Drive, created: Map<string, Identity[]>): Promise<string | undefined> {
  const ids = created.get(d.device);
  if (!ids) return undefined;
  created.delete(d.device);
  const now = identitiesOf(d.device);
  if (ids.length === 0 || !now.some((i) => ids.includes(i))) return undefined;
  try {
    await unlink(d.device);
    return `removed the unfinished disk image file ${d.device} (this write had created it)`;
  } catch (e) {
    return `could not remove the unfinished disk image file ${d.device}: ${(e as Error).message}`;
  }
}

/** What the phases of one job share. */
interface JobState {
  opts: WriteJobOptions;
  drives: Drive[];
  image: ImageLocation;
  /** The only target is a .vhd file. */
  vhd: boolean;
  img: ImageStream;
  /** Each drive's size as written (a new file: --size, or the raw image's own size). */
  sizes: number[];
  targets: Target[];
  results: Map<string, TargetResult>;
  /** Disk-image files this job created, by path, with their identity (removed again if the job does not finish them). */
  created: Map<string, Identity[]>;
}

/** Describes every target and refuses what is wrong before the image is opened (named twice, no folder, system, source, read-only, unknown size). */
async function describeTargets(opts: WriteJobOptions): Promise<Pick<JobState, 'drives' | 'image' | 'vhd'>> {
  if (opts.targets.length === 0) throw new SevenStickError('E_ARGS', 'No target given');
  const drives: Drive[] = [];
  for (const t of opts.targets) drives.push(typeof t === 'string' ? await describePath(t) : t);
  assertDistinctTargets(drives);
  for (const d of drives) assertTargetPlace(d);
  const image = locateImage(opts.image);
  const vhd = drives.some((d) => d.kind === 'file' && /\.vhd$/i.test(d.device));
  if (vhd && drives.length > 1) throw new SevenStickError('E_ARGS', 'A .vhd target must be the only target');

  // Safety first, with what we know before opening the image (system, source, read-only, unknown size).
  for (const d of drives) assertDriveUsable(d, { image });
  return { drives, image, vhd };
}

/** Opens the image as the stream the smallest target gets, and sizes every target. */
async function openStream(opts: WriteJobOptions, drives: Drive[], vhd: boolean): Promise<Pick<JobState, 'img' | 'sizes'>> {
  const sizeOf = (d: Drive): number => {
    if (d.kind === 'file' && (!d.exists || (opts.size !== undefined && (d.size ?? 0) === 0))) {
      if (opts.size === undefined) throw new SevenStickError('E_ARGS', `${d.device} does not exist yet: give its size with --size`, { path: d.device });
      return opts.size;
    }
    return d.size ?? 0;
  };
  const factory = opts.streamFactory ?? openImageStream;
  // A raw copy (--mode raw, or auto with a hybrid or raw image) to a new file without --size makes the
  // file as large as the image; a Windows stick needs the size.
  const rawNewFile = (d: Drive): boolean => opts.mode !== 'windows' && d.kind === 'file' && !d.exists && opts.size === undefined;
  const known = drives.filter((d) => !rawNewFile(d)).map(sizeOf);
  let img: ImageStream;
  try {
    img = await factory({ image: opts.image, mode: opts.mode, targetSize: known.length ? Math.min(...known) : 0, vhd, requireUefi: opts.requireUefi, ...(opts.windows ? { windows: opts.windows } : {}) });
  } catch (e) {
    // Auto mode found Windows media: the new file's size is needed after all (said about the file).
    const unsized = drives.find(rawNewFile);
    if (unsized && e instanceof SevenStickError && e.code === 'E_ARGS' && known.length === 0) sizeOf(unsized);
    throw e;
  }
  if (img.mode === 'windows') {
    const unsized = drives.find(rawNewFile);
    if (unsized) {
      await img.close();
      sizeOf(unsized);
    }
  }
  const sizes = drives.map((d) => (rawNewFile(d) ? img.stream.size : sizeOf(d)));
  return { img, sizes };
}

/** Every target against the stream's size (errors throw); the warnings go to onWarnings. */
async function checkTargets(job: JobState): Promise<void> {
  const { opts, drives, sizes, image, vhd, results } = job;
  const { stream } = job.img;
  const warnings: { target: string; constraints: Constraint[] }[] = [];
  drives.forEach((d, i) => {
    const sized: Drive = { ...d, size: sizes[i] ?? d.size };
    // A .vhd file grows by its footer; the disk inside must fit the size asked for.
    const w = assertDriveUsable(sized, { image, requiredBytes: vhd ? stream.size - VHD_FOOTER_SIZE : stream.size });
    if (w.length) warnings.push({ target: d.device, constraints: w });
    results.set(d.device, { target: d.device, ok: false, bytesWritten: 0, verified: false, directIo: false, differences: [], differingBytes: 0, notes: [] });
  });
  await opts.onWarnings?.(warnings);
}

/** Unmount, then open every target exclusively (nothing is written until all are open). */
async function openTargets(job: JobState, platform: DevicePlatform): Promise<void> {
  const { drives, sizes, vhd, targets, results, created } = job;
  const { stream } = job.img;
  for (const [i, d] of drives.entries()) {
    const r = results.get(d.device) as TargetResult;
    const unmounted = await platform.unmount(d);
    if (unmounted.length) r.notes.push(`unmounted ${unmounted.join(', ')}`);
    const isVhd = vhd && d.kind === 'file';
    const t = await Target.open(d, { write: true, size: isVhd ? stream.size : d.kind === 'file' ? sizes[i] : undefined, exactSize: isVhd, direct: true });
    targets.push(t);
    if (d.kind === 'file' && !d.exists) created.set(d.device, identitiesOf(d.device));
    r.directIo = t.direct;
    if (t.directNote) r.notes.push(t.directNote);
  }
}

/** The fake-capacity probe on every block device target (throws when one fails it). */
async function checkCapacities(job: JobState, onProgress: ProgressListener | undefined, signal: AbortSignal | undefined): Promise<void> {
  for (const t of job.targets) {
    if (t.drive.kind !== 'block') continue;
    const meter = new ProgressMeter('checking-capacity', 2 * markerOffsets(t.size, t.sectorSize).length * t.sectorSize, onProgress, 200, t.path);
    const c = await checkCapacity(t, { meter, signal });
    meter.finish();
    assertCapacity(c, t.path);
    (job.results.get(t.path) as TargetResult).notes.push(`capacity check passed (${c.positions} markers)`);
  }
}

/**
 * Sector 0 goes to zeros first; the stream's boot chunks come last, so until the very end the
 * target never looks like a valid (half-written) stick.
 */
async function zeroBootSectors(targets: readonly Target[]): Promise<void> {
  for (const t of targets) {
    if (!(await t.zeroBootSector())) throw new SevenStickError('E_IO', `Cannot write to ${t.path}`, { path: t.path, offset: 0 });
  }
}

/** The stream to every target in one pass; a target that fails keeps its error and is dropped. Returns the seconds it took. */
async function writeAll(job: JobState, pipeline: { align: number; signal: AbortSignal | undefined; pool: BufferPool }, onProgress: ProgressListener | undefined): Promise<number> {
  const { stream } = job.img;
  const tw = now();
  const writers = job.targets.map(
    (t) => new WriteSink(t, new ProgressMeter('writing', stream.bytesToWrite, onProgress, 200, t.path), undefined, () => emit(onProgress, 'flushing', t.path)),
  );
  await runPipeline(stream, writers, pipeline);
  for (const w of writers) {
    const r = job.results.get(w.name) as TargetResult;
    r.bytesWritten = w.written;
    if (w.error) r.error = { code: w.error.code, message: w.error.message, offset: w.error.details.offset };
  }
  return (now() - tw) / 1000;
}

/**
 * Cancelled or failed as a whole: no target may keep a boot sector (a job refused before its first
 * write leaves every target exactly as it was) and files this job created are removed; the error's
 * notes say what was done.
 */
async function failJob(job: JobState, touched: boolean, e: unknown): Promise<void> {
  const { targets, drives, created } = job;
  if (touched) for (const t of targets) await t.zeroBootSector();
  const opened = new Set(targets.map((t) => t.path));
  for (const t of targets) await t.close();
  targets.length = 0;
  const notes: string[] = [];
  for (const d of drives) {
    const note = await removeIfCreated(d, created);
    if (note) notes.push(note);
    else if (d.kind === 'file' && d.exists && opened.has(d.device)) notes.push(keptNote(d));
  }
  if (e instanceof SevenStickError && notes.length) {
    const prev = Array.isArray(e.details.notes) ? (e.details.notes as string[]) : [];
    e.details.notes = [...prev, ...notes];
  }
}

/** After the passes: a failed target must not look finished (a file this job made is removed); a good one gets its partitions re-read. */
async function finishTargets(job: JobState, platform: DevicePlatform): Promise<void> {
  const { drives, results, created } = job;
  for (const d of drives) {
    const r = results.get(d.device) as TargetResult;
    if (!r.ok) {
      // A disk-image file this job made and could not finish is removed; one that existed stays.
      const removed = await removeIfCreated(d, created);
      if (removed) {
        r.notes.push(removed);
        continue;
      }
      if (d.kind === 'file' && d.exists) r.notes.push(keptNote(d));
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
}

export async function runWriteJob(opts: WriteJobOptions): Promise<WriteJobResult> {
  const t0 = now();
  const platform = opts.platform ?? currentPlatform();
  const { signal, onProgress } = opts;
  const checkCancel = (): void => {
    if (signal?.aborted) throw new SevenStickError('E_CANCELLED', 'Cancelled');
  };
  emit(onProgress, 'preparing');
  const { drives, image, vhd } = await describeTargets(opts);
  const { img, sizes } = await openStream(opts, drives, vhd);
  const { stream } = img;
  const job: JobState = { opts, drives, image, vhd, img, sizes, targets: [], results: new Map(), created: new Map() };
  const { targets, results } = job;
  let touched = false;
  let tWrite: number;
  let tVerify = 0;
  let pool: BufferPool | undefined;
  try {
    await checkTargets(job);
    checkCancel();
    await openTargets(job, platform);
    await opts.onOpened?.(targets);
    // From here on the targets get written (capacity markers, then the image).
    touched = true;
    const align = Math.max(...targets.map((t) => t.sectorSize));
    // One set of aligned buffers for both passes (3 blocks in flight + 2 of read-ahead).
    pool = new BufferPool(opts.blockSize ?? DEFAULT_BLOCK_SIZE, 5);
    if (opts.checkCapacity) await checkCapacities(job, onProgress, signal);
    await zeroBootSectors(targets);
    tWrite = await writeAll(job, { align, signal, pool }, onProgress);
    checkCancel();

    if (opts.verify) {
      const tv = now();
      const ok = targets.filter((t) => !(results.get(t.path) as TargetResult).error);
      for (const v of await readBackTargets(stream, ok, { onProgress, signal, pool })) {
        const r = results.get(v.target) as TargetResult;
        r.verified = !v.error;
        if (!v.error) {
          r.differences = v.differences;
          r.differingBytes = v.differingBytes;
        }
        const e = v.error ?? differencesError(v);
        if (e) r.error = { code: e.code, message: e.message, offset: e.details.offset };
      }
      tVerify = (now() - tv) / 1000;
    }
    for (const r of results.values()) r.ok = r.error === undefined;
  } catch (e) {
    await failJob(job, touched, e);
    throw e;
  } finally {
    for (const t of targets) await t.close();
    pool?.close();
    await img.close();
  }
  await finishTargets(job, platform);
  const list = [...results.values()];
  emit(onProgress, 'done');
  return {
    ok: list.every((r) => r.ok),
    warnings: img.warnings ?? [],
    notices: img.notices ?? [],
    mode: img.mode,
    uefiBoot: img.mode === 'windows' ? (img.uefiBoot ?? null) : null,
    imageSize: fileSize(opts.image) ?? stream.size,
    diskSize: stream.size,
    bytesToWrite: stream.bytesToWrite,
    targets: list,
    seconds: { writing: tWrite, verifying: tVerify, total: (now() - t0) / 1000 },
  };
}
