/**
 * A DiskPlan as a regenerable sector stream: the chunks a writer puts on the target, and
 * the same chunks again for verification. Only used regions are emitted (the first MiB,
 * the reserved area, both FATs, directories and file data, the disk's last 33 sectors);
 * boot-critical sectors come last, in stages a writer flushes between (backup boot sector and
 * stage 2, then the boot sector, then the MBR), so an interrupted write, or a cache that loses
 * what was not flushed, never leaves a stick that looks bootable with data missing. File bytes are read from the source when
 * their chunk is produced, a few chunks ahead of the consumer (READ_AHEAD); memory stays bounded.
 */
import { ioBuffers } from '../io/buffers.js';
import { SevenStickError } from '../io/errors.js';
import { readInto, type ByteReader, type ClosableReader } from '../io/reader.js';
import { FAT32_STAGE2_SECTOR, fat32BootSector, fat32Stage2, mbrBootCode } from './bootcode.js';
import { BPB_END, BPB_START, encodeBpb, SECTOR } from './fat32/bpb.js';
import { encodeFsInfo } from './fat32/fsinfo.js';
import { encodeMbr, PARTITION_TYPE_FAT32_LBA } from './mbr.js';
import {
  BACKUP_BOOT_SECTOR,
  BACKUP_FSINFO_SECTOR,
  clusterOffset,
  type DiskPlan,
  encodeDirectory,
  END_OF_CHAIN,
  FSINFO_SECTOR,
  GPT_TAIL_SECTORS,
  MiB,
  type PlannedNode,
  RESERVED_SECTORS,
  ROOT_CLUSTER,
} from './plan.js';
import { encodeVhdFooter, VHD_FOOTER_SIZE } from './vhd.js';

export interface DiskChunk {
  offset: number;
  data: Buffer;
  /** Boot-critical: written after every other chunk, and after a flush. */
  boot?: boolean;
  /**
   * Boot chunks: the order in which they become durable. A writer flushes after the data, then writes
   * stage 0, flushes, stage 1, flushes, … (a Windows stick: 0 = backup boot sector + stage 2,
   * 1 = the partition's boot sector, 2 = the MBR; a raw image: 0 = its first 64 KiB after sector 0,
   * 1 = sector 0). A boot chunk without a stage goes with stage 0, or last when it touches sector 0.
   */
  stage?: number;
}

export interface ChunkOptions {
  /**
   * Recycle chunk buffers: a chunk's `data` is then valid only until the consumer asks for the
   * next chunk (copy it if you need it longer). Saves allocating (and page-faulting) fresh memory
   * for every chunk. Default false: every chunk has its own buffer.
   */
  reuseBuffers?: boolean;
}

export interface DiskImageStream {
  /** Bytes of the whole disk image (for .vhd: including the 512-byte footer). */
  readonly size: number;
  /** Sum of all chunk lengths. */
  readonly bytesToWrite: number;
  chunks(signal?: AbortSignal, options?: ChunkOptions): AsyncIterable<DiskChunk>;
  /** What lives at a byte offset: 'MBR', 'FAT #1', 'sources/install.wim', 'free'… */
  describe(offset: number): string;
}

/** Largest chunk; data chunks end on absolute multiples of this (aligned writes). */
export const CHUNK_SIZE = 4 * MiB;

/** A chunk to be produced on demand. */
interface Piece {
  offset: number;
  length: number;
  boot?: boolean;
  stage?: number;
  /** `index`: the piece's position in this run of the stream (picks its recycled buffer). */
  make(ctx: StreamContext, index: number): Promise<Buffer> | Buffer;
}

interface StreamContext {
  readers: Map<PlannedNode, ByteReader>;
  dirCache: { node?: PlannedNode; buf?: Buffer };
  /** Recycled CHUNK_SIZE buffers (reuseBuffers); piece i uses ring[i % length]. */
  ring?: Buffer[];
}

function cancelled(): SevenStickError {
  return new SevenStickError('E_CANCELLED', 'Cancelled');
}

/**
 * Chunks produced ahead of the consumer (reads overlap the consumer's writes). Measured on a 3 GiB
 * ISO: 1–2 keep peak RSS near 100 MiB; 3 let it reach ~150 MiB (V8 collects dead 4 MiB buffers late).
 */
export const READ_AHEAD = 2;

/** Runs the pieces in order with READ_AHEAD pieces of read-ahead; boot pieces are expected last in `pieces`. */
async function* runPieces(
  pieces: readonly Piece[],
  signal: AbortSignal | undefined,
  finish: (ctx: StreamContext) => Promise<void>,
  options: ChunkOptions = {},
): AsyncGenerator<DiskChunk> {
  const ctx: StreamContext = { readers: new Map(), dirCache: {} };
  // Recycled buffers come from the one I/O pool and go back at the end of the pass, so the next pass
  // (write, then verify) gets the same ones. Pieces alive at once: the consumer's chunk + READ_AHEAD
  // being made; one spare.
  if (options.reuseBuffers) ctx.ring = Array.from({ length: READ_AHEAD + 2 }, () => ioBuffers.take(CHUNK_SIZE));
  let index = 0;
  const start = (p: Piece): Promise<Buffer> => {
    const i = index++;
    const pr = Promise.resolve().then(() => p.make(ctx, i));
    pr.catch(() => undefined); // handled when awaited; avoids an unhandled rejection if the consumer stops early
    return pr;
  };
  const pending: Promise<Buffer>[] = [];
  let next = 0;
  const fill = () => {
    while (next < pieces.length && pending.length < READ_AHEAD) pending.push(start(pieces[next++] as Piece));
  };
  try {
    for (let i = 0; i < pieces.length; i++) {
      if (signal?.aborted) throw cancelled();
      fill();
      const p = pieces[i] as Piece;
      const data = await (pending.shift() as Promise<Buffer>);
      if (data.length !== p.length) throw new Error(`internal: chunk at ${p.offset} is ${data.length} bytes, expected ${p.length}`);
      fill();
      yield p.boot ? { offset: p.offset, data, boot: true, stage: p.stage ?? 0 } : { offset: p.offset, data };
    }
  } finally {
    // Let in-flight reads settle before closing their readers.
    await Promise.allSettled(pending);
    for (const b of ctx.ring ?? []) ioBuffers.give(b);
    await finish(ctx);
  }
}

async function closeAll(ctx: StreamContext): Promise<void> {
  for (const r of ctx.readers.values()) await (r as Partial<ClosableReader>).close?.();
  ctx.readers.clear();
}

/** Splits [start, end) into pieces ending on absolute CHUNK_SIZE boundaries. */
function split(start: number, end: number, make: (a: number, b: number) => Piece['make'], boot = false, stage?: number): Piece[] {
  const out: Piece[] = [];
  for (let a = start; a < end; ) {
    const b = Math.min(end, (Math.floor(a / CHUNK_SIZE) + 1) * CHUNK_SIZE);
    out.push(boot ? { offset: a, length: b - a, boot, stage: stage ?? 0, make: make(a, b) } : { offset: a, length: b - a, make: make(a, b) });
    a = b;
  }
  return out;
}

const zeros = (a: number, b: number) => () => Buffer.alloc(b - a);

/** The boot-critical sectors and the reserved area of a plan. */
export function bootSectors(plan: DiskPlan): { mbr: Buffer; vbr: Buffer; stage2: Buffer; fsInfo: Buffer } {
  const bpb = encodeBpb(plan.geometry);
  const vbr = fat32BootSector(bpb.subarray(BPB_START, BPB_END));
  if (vbr.length !== SECTOR || !vbr.subarray(BPB_START, BPB_END).equals(bpb.subarray(BPB_START, BPB_END)) || vbr.readUInt16LE(510) !== 0xaa55) {
    throw new Error('internal: the boot sector builder did not keep the BPB');
  }
  const code = fat32Stage2();
  const stage2 = Buffer.alloc(Math.ceil(code.length / SECTOR) * SECTOR);
  code.copy(stage2);
  if (FAT32_STAGE2_SECTOR + stage2.length / SECTOR > RESERVED_SECTORS || FAT32_STAGE2_SECTOR <= BACKUP_FSINFO_SECTOR) {
    throw new Error('internal: stage 2 boot code does not fit the reserved sectors');
  }
  const mbr = encodeMbr({
    bootCode: mbrBootCode(),
    diskSignature: plan.diskSignature,
    start: plan.partitionStart,
    sectors: plan.partitionSectors,
    type: PARTITION_TYPE_FAT32_LBA,
  });
  const nextFree = ROOT_CLUSTER + plan.usedClusters;
  const fsInfo = encodeFsInfo(plan.clusterCount - plan.usedClusters, nextFree < plan.clusterCount + ROOT_CLUSTER ? nextFree : 0xffffffff);
  return { mbr, vbr, stage2, fsInfo };
}

/** FAT entries [first, first+count) as bytes. */
function fatRange(plan: DiskPlan, ends: Uint32Array, first: number, count: number): Buffer {
  const buf = Buffer.alloc(count * 4);
  const usedEnd = ROOT_CLUSTER + plan.usedClusters; // clusters below this are all in use
  for (let i = 0; i < count; i++) {
    const c = first + i;
    if (c >= usedEnd) break;
    buf.writeUInt32LE(c === 0 ? 0x0ffffff8 : c === 1 ? 0x0fffffff : c + 1, i * 4);
  }
  // Chain ends: binary search the first run ending at or after `first`.
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ends[mid] as number) < first) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < ends.length && (ends[k] as number) < first + count; k++) {
    buf.writeUInt32LE(END_OF_CHAIN, ((ends[k] as number) - first) * 4);
  }
  return buf;
}

/** Index of the first allocated node whose run ends after byte `pos`. */
function firstNodeAfter(plan: DiskPlan, pos: number): number {
  const a = plan.allocated;
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const n = a[mid] as PlannedNode;
    if (clusterOffset(plan, n.firstCluster) + n.clusters * plan.clusterSize <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function readerFor(ctx: StreamContext, n: PlannedNode): ByteReader {
  let r = ctx.readers.get(n);
  if (!r) {
    if (!n.source.open) throw new SevenStickError('E_FORMAT', `"${n.path}" cannot be opened`, { path: n.path });
    r = n.source.open();
    if (r.size !== n.size) {
      throw new SevenStickError('E_FORMAT', `"${n.path}" is ${r.size} bytes now, but was ${n.size} bytes when planned`, { path: n.path });
    }
    ctx.readers.set(n, r);
  }
  return r;
}

async function dataPiece(plan: DiskPlan, ctx: StreamContext, a: number, b: number, index: number): Promise<Buffer> {
  // With recycled buffers every part is read straight into the piece's buffer (nothing allocated
  // per piece, however many small files it holds); without, parts are read and then joined.
  const ring = ctx.ring ? (ctx.ring[index % ctx.ring.length] as Buffer).subarray(0, b - a) : undefined;
  if (ring) {
    // One file's bytes fill the whole piece: no zeroing needed.
    const n = plan.allocated[firstNodeAfter(plan, a)];
    if (n && !n.isDirectory) {
      const start = clusterOffset(plan, n.firstCluster);
      if (start <= a && start + n.size >= b) {
        await readInto(readerFor(ctx, n), a - start, b - a, ring, 0);
        return ring;
      }
    }
    ring.fill(0);
  }
  const parts: { at: number; data: Promise<Buffer> | Buffer }[] = [];
  const reads: Promise<void>[] = [];
  const finished: ByteReader[] = [];
  for (let i = firstNodeAfter(plan, a); i < plan.allocated.length; i++) {
    const n = plan.allocated[i] as PlannedNode;
    const start = clusterOffset(plan, n.firstCluster);
    if (start >= b) break;
    if (n.isDirectory) {
      if (ctx.dirCache.node !== n) ctx.dirCache = { node: n, buf: encodeDirectory(plan, n) };
      const buf = ctx.dirCache.buf as Buffer;
      const from = Math.max(a, start);
      const to = Math.min(b, start + buf.length);
      const slice = buf.subarray(from - start, to - start);
      if (ring) slice.copy(ring, from - a);
      else parts.push({ at: from - a, data: slice });
    } else {
      const from = Math.max(a, start);
      const to = Math.min(b, start + n.size);
      if (to > from) {
        const r = readerFor(ctx, n);
        if (ring) reads.push(readInto(r, from - start, to - from, ring, from - a));
        else parts.push({ at: from - a, data: r.read(from - start, to - from) });
      }
      if (start + n.size <= b) {
        // The file ends in this piece: its reader is done once the reads are.
        const done = ctx.readers.get(n);
        ctx.readers.delete(n);
        if (done) finished.push(done);
      }
    }
  }
  const real = await Promise.all(parts.map(async (p) => ({ at: p.at, data: await p.data })));
  await Promise.all(reads);
  for (const r of finished) await (r as Partial<ClosableReader>).close?.();
  if (ring) return ring;
  // One read covering the whole piece: hand its buffer on without copying.
  if (real.length === 1 && (real[0] as { at: number; data: Buffer }).at === 0 && (real[0] as { data: Buffer }).data.length === b - a) {
    return (real[0] as { data: Buffer }).data;
  }
  const out = Buffer.alloc(b - a);
  for (const p of real) p.data.copy(out, p.at);
  return out;
}

/** The stream of a planned stick. */
export function diskStream(plan: DiskPlan): DiskImageStream & { readonly plan: DiskPlan } {
  const { mbr, vbr, stage2, fsInfo } = bootSectors(plan);
  const part = plan.partitionOffset;
  const sec = (n: number) => part + n * SECTOR;
  const ends = new Uint32Array(plan.allocated.map((n) => n.firstCluster + n.clusters - 1));

  const normal: Piece[] = [];
  const boot: Piece[] = [];
  // The first MiB after the MBR: zeros, wiping old partition-table and filesystem signatures.
  normal.push(...split(SECTOR, part, zeros));
  // Reserved area: FSInfo + backups; boot sector, its backup and stage 2 go last.
  const stage2Start = FAT32_STAGE2_SECTOR;
  const stage2End = FAT32_STAGE2_SECTOR + stage2.length / SECTOR;
  const reserved = Buffer.alloc(RESERVED_SECTORS * SECTOR);
  fsInfo.copy(reserved, FSINFO_SECTOR * SECTOR);
  fsInfo.copy(reserved, BACKUP_FSINFO_SECTOR * SECTOR);
  const bootSet = new Set<number>([0, BACKUP_BOOT_SECTOR]);
  for (let s = stage2Start; s < stage2End; s++) bootSet.add(s);
  for (let s = 0; s < RESERVED_SECTORS; ) {
    let e = s + 1;
    while (e < RESERVED_SECTORS && bootSet.has(e) === bootSet.has(s)) e++;
    if (!bootSet.has(s)) {
      const slice = reserved.subarray(s * SECTOR, e * SECTOR);
      normal.push({ offset: sec(s), length: slice.length, make: () => Buffer.from(slice) });
    }
    s = e;
  }
  // Both FATs, entirely.
  for (let f = 0; f < 2; f++) {
    const base = plan.fatOffset + f * plan.fatBytes;
    for (let off = 0; off < plan.fatBytes; off += CHUNK_SIZE) {
      const len = Math.min(CHUNK_SIZE, plan.fatBytes - off);
      const first = (off / 4) | 0;
      normal.push({ offset: base + off, length: len, make: () => fatRange(plan, ends, first, len / 4) });
    }
  }
  // Directories and files: one contiguous used run from cluster 2.
  const dataEnd = plan.dataOffset + plan.usedClusters * plan.clusterSize;
  normal.push(...split(plan.dataOffset, dataEnd, (a, b) => (ctx, index) => dataPiece(plan, ctx, a, b, index)));
  // The disk's last 33 sectors (where a backup GPT would live): zeros.
  const tail = plan.diskSize - GPT_TAIL_SECTORS * SECTOR;
  if (tail < dataEnd) throw new Error('internal: data runs into the GPT tail area');
  normal.push(...split(tail, plan.diskSize, zeros));
  let size = plan.diskSize;
  if (plan.vhd) {
    const identity = `${plan.diskSize}:${plan.geometry.volumeId}:${plan.diskSignature}`;
    const footer = encodeVhdFooter(plan.diskSize, identity);
    normal.push({ offset: plan.diskSize, length: VHD_FOOTER_SIZE, make: () => Buffer.from(footer) });
    size += VHD_FOOTER_SIZE;
  }
  // Boot-critical sectors last, in stages (a flush before each): the backup boot sector and stage 2
  // (what the boot sector relies on), then the partition's boot sector, then the MBR.
  boot.push({ offset: sec(BACKUP_BOOT_SECTOR), length: SECTOR, boot: true, stage: 0, make: () => Buffer.from(vbr) });
  if (stage2.length > 0) boot.push({ offset: sec(stage2Start), length: stage2.length, boot: true, stage: 0, make: () => Buffer.from(stage2) });
  boot.push({ offset: sec(0), length: SECTOR, boot: true, stage: 1, make: () => Buffer.from(vbr) });
  boot.push({ offset: 0, length: SECTOR, boot: true, stage: 2, make: () => Buffer.from(mbr) });

  const pieces = [...normal, ...boot];
  const bytesToWrite = pieces.reduce((n, p) => n + p.length, 0);

  const describe = (offset: number): string => {
    if (offset < 0 || offset >= size) return 'outside the disk';
    if (offset < SECTOR) return 'MBR';
    if (offset < part) return 'gap before the partition';
    if (plan.vhd && offset >= plan.diskSize) return 'VHD footer';
    if (offset < plan.fatOffset) {
      const s = Math.floor((offset - part) / SECTOR);
      if (s === 0) return 'boot sector';
      if (s === FSINFO_SECTOR) return 'FSInfo';
      if (s === BACKUP_BOOT_SECTOR) return 'backup boot sector';
      if (s === BACKUP_FSINFO_SECTOR) return 'backup FSInfo';
      if (s >= stage2Start && s < stage2End) return 'boot code (stage 2)';
      return 'reserved sectors';
    }
    if (offset < plan.fatOffset + plan.fatBytes) return 'FAT #1';
    if (offset < plan.dataOffset) return 'FAT #2';
    if (offset >= tail) return 'backup GPT area';
    if (offset >= part + plan.partitionSectors * SECTOR) return 'after the partition';
    if (offset >= dataEnd) return 'free';
    const n = plan.allocated[firstNodeAfter(plan, offset)] as PlannedNode;
    const within = offset - clusterOffset(plan, n.firstCluster);
    const name = n.path === '' ? 'root directory' : n.isDirectory ? `${n.path}/ (directory)` : n.path;
    return !n.isDirectory && within >= n.size ? `${name} (slack after the end)` : name;
  };

  return {
    plan,
    size,
    bytesToWrite,
    chunks: (signal?: AbortSignal, options?: ChunkOptions) => runPieces(pieces, signal, closeAll, options),
    describe,
  };
}

/**
 * A hybrid or raw image, byte for byte (padded with zeros to whole sectors). Its first 64 KiB
 * (MBR, GPT, boot code) come last: first the sectors after sector 0 (stage 0), then sector 0 (stage 1).
 */
export function createRawStream(reader: ByteReader): DiskImageStream {
  const size = Math.ceil(reader.size / SECTOR) * SECTOR;
  const bootEnd = Math.min(size, 64 * 1024);
  const make = (a: number, b: number) => async (ctx: StreamContext, index: number) => {
    const end = Math.min(b, reader.size);
    // A recycled buffer when the consumer asked for them, else a fresh one; the image's last
    // partial sector is padded with zeros.
    const out = ctx.ring ? (ctx.ring[index % ctx.ring.length] as Buffer).subarray(0, b - a) : Buffer.allocUnsafe(b - a);
    if (end > a) await readInto(reader, a, end - a, out, 0);
    out.fill(0, Math.max(end - a, 0));
    return out;
  };
  const pieces = [...split(bootEnd, size, make), ...split(SECTOR, bootEnd, make, true, 0), ...split(0, Math.min(SECTOR, size), make, true, 1)];
  return {
    size,
    bytesToWrite: size,
    chunks: (signal?: AbortSignal, options?: ChunkOptions) => runPieces(pieces, signal, async () => undefined, options),
    describe: (offset: number) => (offset < 0 || offset >= size ? 'outside the disk' : offset < bootEnd ? 'image boot area (first 64 KiB)' : 'image data'),
  };
}
