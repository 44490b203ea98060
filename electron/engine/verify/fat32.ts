/**
 * Our own FAT32 reader, for re-verifying a stick: MBR → partition → boot sector (BPB) → FAT → directories
 * with long names → files as extents. Field tables are the layout area's (fatgen103, one table per
 * structure); the reading is independent of the writer. Every chain, directory and length is bounded.
 */
import { SevenStickError, formatError } from '../io/errors.js';
import { ExtentReader, type ByteReader, type Extent } from '../io/reader.js';
import { Fat32BootSector, SECTOR } from '../layout/fat32/bpb.js';
import { ATTR_DIRECTORY, ATTR_LONG_NAME, ATTR_VOLUME_ID, DIRENT_SIZE, DirEntry } from '../layout/fat32/dirent.js';
import { LFN_LAST, LfnEntry } from '../layout/fat32/lfn.js';
import { Mbr, PartitionEntry } from '../layout/mbr.js';

/** FAT32 partition types: 0x0B (CHS), 0x0C (LBA). */
const FAT32_TYPES = new Set([0x0b, 0x0c]);
const FAT_ENTRY_MASK = 0x0fffffff;
const FAT_BAD = 0x0ffffff7;
const FAT_EOC_MIN = 0x0ffffff8;
/** A directory larger than this is hostile (FAT allows 65536 entries of 32 bytes). */
const MAX_DIR_BYTES = 65536 * DIRENT_SIZE;
/** NTRes flags (Windows NT): lower-case base / extension of an 8.3 name. */
const NTRES_LOWER_BASE = 0x08;
const NTRES_LOWER_EXT = 0x10;

export interface FatNode {
  /** Long name if present, else the 8.3 name. '' for the root. */
  name: string;
  /** 8.3 name as shown (NAME.EXT). */
  shortName: string;
  /** '/'-separated path from the root, no leading slash. */
  path: string;
  isDirectory: boolean;
  size: number;
  firstCluster: number;
}

export interface FatPartition {
  /** 0..3: the MBR entry; -1: no MBR (the volume starts at sector 0). */
  index: number;
  startLba: number;
  sectors: number;
  type: number;
  active: boolean;
}

/** The first FAT32 partition of a disk (or the whole disk when sector 0 is itself a FAT32 boot sector). */
export function findFat32Partition(sector0: Buffer, diskSize: number): FatPartition {
  const mbr = Mbr.decode(sector0);
  if (mbr.signature !== 0xaa55) {
    // SevenStick zeroes sector 0 first and writes it last: an empty one is what an unfinished write leaves.
    const why = sector0.every((b) => b === 0)
      ? 'sector 0 is empty, which is what an interrupted or cancelled write leaves (SevenStick writes it last, so an unfinished stick never looks finished): write the stick again'
      : 'no boot signature in sector 0: it was not written with this image, or its write did not finish';
    throw formatError(`The stick has no partition table: ${why}`, { offset: 510 });
  }
  if (Fat32BootSector.get(sector0, 'filSysType') === 'FAT32   ' && Fat32BootSector.get(sector0, 'bytsPerSec') === SECTOR) {
    return { index: -1, startLba: 0, sectors: Math.floor(diskSize / SECTOR), type: 0x0c, active: false };
  }
  for (let i = 0; i < 4; i++) {
    const e = PartitionEntry.decode(mbr.partitions, i * 16);
    if (!FAT32_TYPES.has(e.type) || e.sectors === 0) continue;
    if ((e.lbaFirst + e.sectors) * SECTOR > diskSize) {
      throw formatError(`Partition ${i + 1} ends past the end of the stick`, { offset: 446 + i * 16 });
    }
    return { index: i, startLba: e.lbaFirst, sectors: e.sectors, type: e.type, active: e.status === 0x80 };
  }
  throw formatError('The stick has no FAT32 partition');
}

export class Fat32Reader {
  private readonly fatCache = new Map<number, Buffer>();
  private static readonly FAT_PAGE = 64 * 1024;

  private constructor(
    readonly disk: ByteReader,
    readonly partition: FatPartition,
    readonly bootSector: Buffer,
    readonly bytesPerCluster: number,
    /** Byte offsets on the disk. */
    readonly fatOffset: number,
    readonly fatBytes: number,
    readonly dataOffset: number,
    readonly clusterCount: number,
    readonly rootCluster: number,
    readonly label: string,
  ) {}

  static async open(disk: ByteReader): Promise<Fat32Reader> {
    if (disk.size < SECTOR * 2) throw formatError(`${disk.label} is too small to hold a FAT32 stick`);
    const part = findFat32Partition(await disk.read(0, SECTOR), disk.size);
    const partOffset = part.startLba * SECTOR;
    const bs = await disk.read(partOffset, SECTOR);
    const b = Fat32BootSector.decode(bs);
    if (b.signature !== 0xaa55) throw formatError('The FAT32 boot sector has no boot signature', { offset: partOffset + 510 });
    if (b.bytsPerSec !== SECTOR) throw new SevenStickError('E_UNSUPPORTED', `Sector size ${b.bytsPerSec} is not supported`, { offset: partOffset + 11 });
    if (b.secPerClus === 0 || (b.secPerClus & (b.secPerClus - 1)) !== 0 || b.secPerClus > 128) throw formatError(`Bad sectors per cluster (${b.secPerClus})`, { offset: partOffset + 13 });
    if (b.numFats < 1 || b.numFats > 2 || b.fatSz32 === 0 || b.rsvdSecCnt === 0 || b.rootEntCnt !== 0) throw formatError('The boot sector does not describe a FAT32 volume', { offset: partOffset });
    const totalSectors = b.totSec32 || b.totSec16;
    if (totalSectors > part.sectors && part.index >= 0) throw formatError('The FAT32 volume is larger than its partition', { offset: partOffset + 32 });
    const dataSector = b.rsvdSecCnt + b.numFats * b.fatSz32;
    if (dataSector >= totalSectors) throw formatError('The FATs fill the whole volume', { offset: partOffset });
    const clusterCount = Math.floor((totalSectors - dataSector) / b.secPerClus);
    if (clusterCount < 65525) throw formatError(`${clusterCount} clusters: too few for FAT32`);
    if (b.fatSz32 * SECTOR < (clusterCount + 2) * 4) throw formatError('The FAT is too small for the volume');
    if (b.rootClus < 2 || b.rootClus >= clusterCount + 2) throw formatError(`Bad root cluster ${b.rootClus}`);
    if (partOffset + totalSectors * SECTOR > disk.size) throw formatError('The FAT32 volume ends past the end of the stick');
    return new Fat32Reader(
      disk,
      part,
      bs,
      b.secPerClus * SECTOR,
      partOffset + b.rsvdSecCnt * SECTOR,
      b.fatSz32 * SECTOR,
      partOffset + dataSector * SECTOR,
      clusterCount,
      b.rootClus,
      b.volLab.trimEnd(),
    );
  }

  get root(): FatNode {
    return { name: '', shortName: '', path: '', isDirectory: true, size: 0, firstCluster: this.rootCluster };
  }

  /** FAT entry of a cluster (first FAT), through a page cache. */
  private async fatEntry(cluster: number): Promise<number> {
    const byte = cluster * 4;
    const page = Math.floor(byte / Fat32Reader.FAT_PAGE);
    let buf = this.fatCache.get(page);
    if (!buf) {
      const start = page * Fat32Reader.FAT_PAGE;
      buf = await this.disk.read(this.fatOffset + start, Math.min(Fat32Reader.FAT_PAGE, this.fatBytes - start));
      if (this.fatCache.size > 256) this.fatCache.clear();
      this.fatCache.set(page, buf);
    }
    return buf.readUInt32LE(byte - page * Fat32Reader.FAT_PAGE) & FAT_ENTRY_MASK;
  }

  private clusterOffset(c: number): number {
    return this.dataOffset + (c - 2) * this.bytesPerCluster;
  }

  /**
   * The clusters of a chain as disk extents (consecutive clusters merged), following at most
   * `maxClusters` links; a loop, a free or bad link or an out-of-range cluster is E_FORMAT.
   */
  async chain(first: number, maxClusters: number, what: string): Promise<Extent[]> {
    const out: Extent[] = [];
    let c = first;
    for (let n = 0; n < maxClusters; n++) {
      if (c < 2 || c >= this.clusterCount + 2) throw formatError(`${what}: cluster chain points to cluster ${c}, outside the volume`);
      const off = this.clusterOffset(c);
      const last = out[out.length - 1];
      if (last && last.offset !== null && last.offset + last.length === off) out[out.length - 1] = { offset: last.offset, length: last.length + this.bytesPerCluster };
      else out.push({ offset: off, length: this.bytesPerCluster });
      const next = await this.fatEntry(c);
      if (next >= FAT_EOC_MIN) return out;
      if (next === FAT_BAD || next === 0) throw formatError(`${what}: cluster chain breaks at cluster ${c} (${next === 0 ? 'free' : 'bad'} entry)`);
      c = next;
    }
    throw formatError(`${what}: cluster chain is longer than the data it holds (a loop?)`);
  }

  /** The entries of a directory (without '.', '..', the volume label and deleted entries). */
  async list(dir: FatNode): Promise<FatNode[]> {
    if (!dir.isDirectory) throw new SevenStickError('E_ARGS', `${dir.path} is not a folder`);
    const extents = await this.chain(dir.firstCluster, Math.ceil(MAX_DIR_BYTES / this.bytesPerCluster), `folder "${dir.path || '/'}"`);
    const data = await new ExtentReader(this.disk, extents).read(0, extents.reduce((n, e) => n + e.length, 0));
    const out: FatNode[] = [];
    let lfn: { units: Buffer[]; checksum: number; expect: number } | undefined;
    for (let at = 0; at + DIRENT_SIZE <= data.length; at += DIRENT_SIZE) {
      const first = data[at] as number;
      if (first === 0x00) break;
      if (first === 0xe5) {
        lfn = undefined;
        continue;
      }
      const attr = DirEntry.get(data, 'attr', at);
      if ((attr & 0x3f) === ATTR_LONG_NAME) {
        const e = LfnEntry.decode(data, at);
        const seq = e.ord & 0x1f;
        if (e.ord & LFN_LAST) lfn = { units: [], checksum: e.chksum, expect: seq };
        if (!lfn || seq !== lfn.expect || seq === 0 || e.chksum !== lfn.checksum) {
          lfn = undefined;
          continue;
        }
        lfn.units[seq - 1] = Buffer.concat([e.name1, e.name2, e.name3]);
        lfn.expect = seq - 1;
        continue;
      }
      const e = DirEntry.decode(data, at);
      const raw = Buffer.from(e.name, 'latin1');
      if (raw[0] === 0x05) raw[0] = 0xe5;
      const packed = raw.toString('latin1');
      const pendingLfn = lfn;
      lfn = undefined;
      if (attr & ATTR_VOLUME_ID) continue;
      if (packed === '.          ' || packed === '..         ') continue;
      const base = packed.slice(0, 8).trimEnd();
      const ext = packed.slice(8).trimEnd();
      const shortName = ext ? `${base}.${ext}` : base;
      let name = (e.ntRes & NTRES_LOWER_BASE ? base.toLowerCase() : base) + (ext ? '.' + (e.ntRes & NTRES_LOWER_EXT ? ext.toLowerCase() : ext) : '');
      if (pendingLfn && pendingLfn.expect === 0 && shortNameChecksum(raw) === pendingLfn.checksum) {
        const units = Buffer.concat(pendingLfn.units);
        let end = 0;
        while (end + 1 < units.length && units.readUInt16LE(end) !== 0x0000) end += 2;
        name = units.toString('utf16le', 0, end);
      }
      const isDirectory = (attr & ATTR_DIRECTORY) !== 0;
      const firstCluster = (e.fstClusHi << 16) | e.fstClusLo;
      out.push({ name, shortName, path: dir.path ? `${dir.path}/${name}` : name, isDirectory, size: isDirectory ? 0 : e.fileSize, firstCluster });
    }
    return out;
  }

  /** Case-insensitive lookup of a '/'-separated path. */
  async lookup(path: string): Promise<FatNode | undefined> {
    let cur: FatNode | undefined = this.root;
    for (const part of path.split('/').filter(Boolean)) {
      if (!cur?.isDirectory) return undefined;
      const u = part.toUpperCase();
      cur = (await this.list(cur)).find((c) => c.name.toUpperCase() === u || c.shortName.toUpperCase() === u);
    }
    return cur;
  }

  /** A reader over a file's bytes (its cluster chain, cut to its size). */
  async open(file: FatNode): Promise<ByteReader> {
    if (file.isDirectory) throw new SevenStickError('E_ARGS', `${file.path} is a folder`);
    if (file.size === 0) return new ExtentReader(this.disk, [], file.path);
    const clusters = Math.ceil(file.size / this.bytesPerCluster);
    const extents = await this.chain(file.firstCluster, clusters, `file "${file.path}"`);
    if (extents.reduce((n, e) => n + e.length, 0) < file.size) throw formatError(`file "${file.path}": its cluster chain is shorter than its size`);
    // Cut the last extent to the file size.
    const cut: Extent[] = [];
    let left = file.size;
    for (const e of extents) {
      if (left <= 0) break;
      cut.push({ offset: e.offset, length: Math.min(e.length, left) });
      left -= e.length;
    }
    return new ExtentReader(this.disk, cut, file.path);
  }

  /** Every node below `dir`, depth-first, bounded. */
  async *walk(dir: FatNode = this.root, depth = 0, budget = { left: 1_000_000 }): AsyncGenerator<FatNode> {
    if (depth > 64) throw new SevenStickError('E_LIMIT', `Folders nest deeper than 64 levels at ${dir.path}`);
    for (const c of await this.list(dir)) {
      if (--budget.left < 0) throw new SevenStickError('E_LIMIT', 'More than a million files and folders on the stick');
      yield c;
      if (c.isDirectory) yield* this.walk(c, depth + 1, budget);
    }
  }
}

/** fatgen103 ChkSum over the 11 raw bytes of a short name. */
function shortNameChecksum(raw: Buffer): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = (((sum & 1) << 7) + (sum >> 1) + (raw[i] as number)) & 0xff;
  return sum;
}
