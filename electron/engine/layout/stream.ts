/**
 * A DiskPlan as a regenerable sector stream: the chunks a writer puts on the target, and
 * the same chunks again for verification. Only used regions are emitted (the first MiB,
 * the reserved area, both FATs, directories and file data, the disk's last 33 sectors);
 * boot-critical sectors come last, in stages a writer flushes between (backup boot sector and
 * stage 2, then the boot sector, then the MBR), so an interrupted write, or a cache that loses
 * what was not flushed, never leaves a stick that looks bootable with data missing. File bytes are read from the source when
 * their chunk is produced, a few chunks ahead of the consumer (READ_AHEAD, pieces.ts); memory stays bounded.
 */
import { SevenStickError } from '../io/errors.js';
import type { ChunkOptions, DiskImageStream } from '../io/disk-stream.js';
import { readInto, type ByteReader, type ClosableReader } from '../io/reader.js';
import { FAT32_STAGE2_SECTOR, fat32BootSector, fat32Stage2, mbrBootCode } from './bootcode.js';
import { BPB_END, BPB_START, encodeBpb, SECTOR } from './fat32/bpb.js';
import { encodeFsInfo } from './fat32/fsinfo.js';
import { encodeMbr, PARTITION_TYPE_FAT32_LBA } from './mbr.js';
import { CHUNK_SIZE, closeAll, runPieces, split, zeros, type Piece, type StreamContext } from './pieces.js';
import { encodeDirectory } from './directory.js';
import { BACKUP_BOOT_SECTOR, BACKUP_FSINFO_SECTOR, END_OF_CHAIN, FSINFO_SECTOR, GPT_TAIL_SECTORS, RESERVED_SECTORS, ROOT_CLUSTER } from './geometry.js';
import { clusterOffset, type DiskPlan, type PlannedNode } from './plan.js';
import { encodeVhdFooter, VHD_FOOTER_SIZE } from './vhd.js';

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
