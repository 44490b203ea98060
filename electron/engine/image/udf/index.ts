/**
 * UDF reader (ECMA-167 + OSTA UDF 1.02–2.60) for optical images with 2048-byte sectors.
 * Anchor (sector 256, else last sector, else last − 256) → volume descriptor sequence (main, then
 * reserve) → partitions + logical volume (type 1 maps; type 2 metadata partitions read through the
 * metadata file, falling back to its mirror) → file set descriptor → root ICB → file entries and
 * file identifier descriptors. Every loop is bounded and every descriptor's tag is checked.
 */
import { SevenStickError, formatError } from '../../io/errors.js';
import { ExtentReader, type ByteReader, type Extent } from '../../io/reader.js';
import { lookupPath, type FsNode, type ImageFileSystem } from '../fs.js';
import {
  AnchorPointer,
  FileSetDesc,
  LVD_MAPS_OFFSET,
  LogicalVolume,
  PartitionDesc,
  PartitionMap1,
  PartitionMap2,
  PartitionMapHeader,
  PrimaryVolume,
  RegId,
  VolumePointer,
  regIdName,
} from './descriptors.js';
import { decodeCs0, decodeDString } from './dstring.js';
import { FidFlag, FileIdentifier, fidSize } from './fid.js';
import {
  AdType,
  AllocationExtent,
  ExtAd,
  ExtendedFileEntry,
  ExtentKind,
  FileEntry,
  FileType,
  ICB_TAG_OFFSET,
  IcbTag,
  LongAd,
  ShortAd,
  splitExtentLength,
} from './file-entry.js';
import { TagId, checkTag } from './tag.js';
import { decodeTimestamp } from './timestamp.js';

export const UDF_SECTOR = 2048;
/** Bounds against hostile images. */
const MAX_VDS_SECTORS = 512;
const MAX_VDS_HOPS = 16;
const MAX_PARTITION_MAPS = 64;
const MAX_ADS = 1 << 20;
const MAX_AED_HOPS = 1 << 16;
const MAX_DIR_BYTES = 64 * 1024 * 1024;
const MAX_VRS_SECTORS = 64;

export interface UdfPartitionMapInfo {
  type: 1 | 2;
  kind: 'physical' | 'metadata' | 'sparable' | 'virtual' | 'unknown';
  identifier?: string;
  partitionNumber: number;
}

export interface UdfInfo {
  /** NSR descriptor in the volume recognition sequence: 2 (ECMA-167 2nd ed.) or 3. */
  nsr: 2 | 3;
  /** OSTA UDF revision from the logical volume's domain identifier, e.g. "1.02", "2.60". */
  revision: string;
  /** Sector of the anchor that was used. */
  anchor: number;
  /** Which volume descriptor sequence was read. */
  sequence: 'main' | 'reserve';
  logicalVolumeIdentifier: string;
  volumeIdentifier: string;
  fileSetIdentifier: string;
  blockSize: number;
  partitions: { number: number; start: number; length: number }[];
  partitionMaps: UdfPartitionMapInfo[];
}

/** Recognition sequence (ECMA-167 2/9): NSR02/NSR03 among the descriptors from sector 16. */
export async function detectUdf(reader: ByteReader): Promise<2 | 3 | undefined> {
  const known = new Set(['CD001', 'CDW02', 'BEA01', 'TEA01', 'BOOT2', 'NSR02', 'NSR03']);
  for (let i = 0; i < MAX_VRS_SECTORS; i++) {
    const at = (16 + i) * UDF_SECTOR;
    if (at + UDF_SECTOR > reader.size) return undefined;
    const id = (await reader.read(at, 8)).toString('latin1', 1, 6);
    if (id === 'NSR02') return 2;
    if (id === 'NSR03') return 3;
    if (!known.has(id)) return undefined;
  }
  return undefined;
}

type PhysicalMapping = { kind: 'physical'; start: number; length: number };
type PartitionMapping =
  | PhysicalMapping
  | { kind: 'metadata'; physicalRef: number; extents: readonly Extent[]; size: number }
  | { kind: 'unsupported'; what: string };

interface Icb {
  partition: number;
  block: number;
}

interface DirEntry {
  name: string;
  icb: Icb;
  isDirectory: boolean;
}

class UdfNode implements FsNode {
  constructor(
    readonly name: string,
    readonly path: string,
    readonly isDirectory: boolean,
    readonly size: number,
    readonly mtime: Date,
    readonly extents: readonly Extent[],
    readonly icb: Icb,
  ) {}
}

function sectorsOf(reader: ByteReader): number {
  return Math.floor(reader.size / UDF_SECTOR);
}

/** The partitions of a logical volume, and reading blocks and file entries through them. */
class UdfVolume {
  readonly maps: PartitionMapping[] = [];
  constructor(readonly reader: ByteReader) {}

  /** A physical partition reachable only internally (for a metadata file in a partition no type 1 map names). */
  addHiddenMap(p: PartitionMapping): number {
    this.maps.push(p);
    return this.maps.length - 1;
  }

  /** Image byte extents for `length` bytes starting at logical block `block` of partition reference `ref`. */
  mapExtent(ref: number, block: number, length: number): Extent[] {
    const m = this.maps[ref];
    if (!m) throw formatError(`UDF: reference to partition ${ref}, which the logical volume does not map`);
    if (m.kind === 'unsupported') throw new SevenStickError('E_UNSUPPORTED', `UDF: cannot read through a ${m.what}`);
    const bs = UDF_SECTOR;
    if (m.kind === 'physical') {
      if (block + Math.ceil(length / bs) > m.length) throw formatError(`UDF: extent at block ${block} lies outside its partition`);
      return [{ offset: (m.start + block) * bs, length }];
    }
    // Metadata partition: logical blocks are bytes of the metadata file.
    let pos = block * bs;
    if (pos + length > m.size) throw formatError(`UDF: extent at block ${block} lies outside the metadata partition`);
    const out: Extent[] = [];
    let remaining = length;
    let start = 0;
    for (const e of m.extents) {
      if (remaining === 0) break;
      if (pos < start + e.length) {
        const within = pos - start;
        const n = Math.min(e.length - within, remaining);
        out.push({ offset: (e.offset as number) + within, length: n });
        pos += n;
        remaining -= n;
      }
      start += e.length;
    }
    return out;
  }

  async readBlock(icb: Icb, what: string): Promise<Buffer> {
    const ext = this.mapExtent(icb.partition, icb.block, UDF_SECTOR);
    if (ext.length !== 1) throw formatError(`UDF ${what}: block is split across extents`);
    const e = ext[0] as Extent;
    if ((e.offset as number) + UDF_SECTOR > this.reader.size) throw new SevenStickError('E_RANGE', `UDF ${what} lies past the end of the image`);
    return this.reader.read(e.offset as number, UDF_SECTOR);
  }

  /** Reads a (extended) file entry and resolves its allocation descriptors into image extents. */
  async readFileEntry(icb: Icb, what: string): Promise<{ fileType: number; size: number; mtime: Date; extents: Extent[] }> {
    const buf = await this.readBlock(icb, what);
    const tag = checkTag(buf, 0, what, { tagId: [TagId.FileEntry, TagId.ExtendedFileEntry], location: icb.block });
    const extended = tag.tagId === TagId.ExtendedFileEntry;
    const S = extended ? ExtendedFileEntry : FileEntry;
    const fe = S.decode(buf);
    const icbTag = IcbTag.decode(buf, ICB_TAG_OFFSET);
    if (icbTag.strategyType !== 4 && icbTag.strategyType !== 4096) {
      throw new SevenStickError('E_UNSUPPORTED', `UDF ${what}: ICB strategy ${icbTag.strategyType} is not supported`);
    }
    const adStart = S.size + fe.lengthOfExtendedAttributes;
    const adEnd = adStart + fe.lengthOfAllocationDescriptors;
    if (adEnd > buf.length) throw formatError(`UDF ${what}: allocation descriptors run past the entry`);
    const size = fe.informationLength;
    const mtime = decodeTimestamp(fe.modificationTime, 0);
    const adType = icbTag.flags & 7;
    const extents: Extent[] = [];
    if (adType === AdType.Embedded) {
      if (size > fe.lengthOfAllocationDescriptors) throw formatError(`UDF ${what}: embedded data longer than its space`);
      const base = this.mapExtent(icb.partition, icb.block, UDF_SECTOR)[0] as Extent;
      if (size > 0) extents.push({ offset: (base.offset as number) + adStart, length: size });
      return { fileType: icbTag.fileType, size, mtime, extents };
    }
    if (adType !== AdType.Short && adType !== AdType.Long && adType !== AdType.Extended) {
      throw formatError(`UDF ${what}: unknown allocation descriptor type ${adType}`);
    }
    const adSize = adType === AdType.Short ? ShortAd.size : adType === AdType.Long ? LongAd.size : ExtAd.size;
    let area = buf;
    let pos = adStart;
    let end = adEnd;
    let total = 0;
    let count = 0;
    let hops = 0;
    const seen = new Set<string>();
    while (total < size) {
      if (pos + adSize > end) throw formatError(`UDF ${what}: allocation descriptors end before the file does`);
      if (++count > MAX_ADS) throw new SevenStickError('E_LIMIT', `UDF ${what}: too many allocation descriptors`);
      let raw: number;
      let block: number;
      let part: number;
      if (adType === AdType.Short) {
        const a = ShortAd.decode(area, pos);
        [raw, block, part] = [a.length, a.position, icb.partition];
      } else if (adType === AdType.Long) {
        const a = LongAd.decode(area, pos);
        [raw, block, part] = [a.length, a.block, a.partition];
      } else {
        const a = ExtAd.decode(area, pos);
        [raw, block, part] = [a.length, a.block, a.partition];
      }
      pos += adSize;
      const { kind, length } = splitExtentLength(raw);
      if (length === 0) throw formatError(`UDF ${what}: allocation descriptors end before the file does`);
      if (kind === ExtentKind.Continuation) {
        if (++hops > MAX_AED_HOPS) throw new SevenStickError('E_LIMIT', `UDF ${what}: too many allocation extents`);
        const key = `${part}:${block}`;
        if (seen.has(key)) throw formatError(`UDF ${what}: allocation extents form a loop`);
        seen.add(key);
        area = await this.readBlock({ partition: part, block }, `${what} allocation extent`);
        checkTag(area, 0, `${what} allocation extent`, { tagId: TagId.AllocationExtent, location: block });
        const aed = AllocationExtent.decode(area);
        pos = AllocationExtent.size;
        end = pos + aed.lengthOfAllocationDescriptors;
        if (end > area.length || end > pos + length) throw formatError(`UDF ${what}: allocation extent descriptor has a bad length`);
        continue;
      }
      const n = Math.min(length, size - total);
      if (kind === ExtentKind.Recorded) {
        for (const e of this.mapExtent(part, block, n)) {
          if ((e.offset as number) + e.length > this.reader.size) {
            throw new SevenStickError('E_RANGE', `UDF ${what}: data lies past the end of the image (truncated image?)`, { offset: e.offset as number });
          }
          extents.push(e);
        }
      } else {
        extents.push({ offset: null, length: n });
      }
      total += n;
    }
    return { fileType: icbTag.fileType, size, mtime, extents };
  }
}

export class UdfFileSystem implements ImageFileSystem {
  readonly kind = 'udf';
  readonly reader: ByteReader;
  private constructor(
    private readonly volume: UdfVolume,
    readonly info: UdfInfo,
    readonly label: string,
    readonly root: FsNode,
  ) {
    this.reader = volume.reader;
  }

  /** Opens the UDF volume in `reader` (E_FORMAT if there is none or it is malformed). */
  static async open(reader: ByteReader): Promise<UdfFileSystem> {
    const nsr = await detectUdf(reader);
    if (nsr === undefined) throw formatError(`${reader.label}: no UDF volume recognition sequence`);
    const last = sectorsOf(reader) - 1;
    let anchor: { sector: number; buf: Buffer } | undefined;
    for (const sector of [256, last, last - 256]) {
      if (sector < 0 || sector > last) continue;
      const buf = await reader.read(sector * UDF_SECTOR, UDF_SECTOR);
      try {
        checkTag(buf, 0, 'anchor volume descriptor pointer', { tagId: TagId.AnchorPointer, location: sector });
        anchor = { sector, buf };
        break;
      } catch {
        // try the next anchor position
      }
    }
    if (!anchor) throw formatError(`${reader.label}: no valid UDF anchor at sector 256, the last sector or last − 256`);
    const avdp = AnchorPointer.decode(anchor.buf);
    let lastErr: unknown;
    for (const [which, loc, len] of [
      ['main', avdp.mainLocation, avdp.mainLength],
      ['reserve', avdp.reserveLocation, avdp.reserveLength],
    ] as const) {
      try {
        return await UdfFileSystem.fromSequence(reader, nsr, anchor.sector, which, loc, len);
      } catch (e) {
        if (!(e instanceof SevenStickError) || e.code === 'E_IO') throw e;
        lastErr = e;
      }
    }
    throw lastErr;
  }

  private static async fromSequence(
    reader: ByteReader,
    nsr: 2 | 3,
    anchorSector: number,
    sequence: 'main' | 'reserve',
    location: number,
    length: number,
  ): Promise<UdfFileSystem> {
    let pvd: Buffer | undefined;
    let lvd: Buffer | undefined;
    const pds = new Map<number, { seq: number; start: number; length: number }>();
    let pvdSeq = -1;
    let lvdSeq = -1;
    let loc = location;
    let sectors = Math.floor(length / UDF_SECTOR);
    let total = 0;
    let hops = 0;
    const last = sectorsOf(reader) - 1;
    outer: for (;;) {
      for (let i = 0; i < sectors; i++) {
        if (++total > MAX_VDS_SECTORS) throw formatError('UDF volume descriptor sequence is too long');
        const sector = loc + i;
        if (sector > last) throw formatError('UDF volume descriptor sequence lies past the end of the image');
        const buf = await reader.read(sector * UDF_SECTOR, UDF_SECTOR);
        const tag = checkTag(buf, 0, `volume descriptor at sector ${sector}`, { location: sector });
        if (tag.tagId === TagId.Terminating) break outer;
        if (tag.tagId === TagId.VolumePointer) {
          if (++hops > MAX_VDS_HOPS) throw formatError('UDF volume descriptor pointers form a chain that is too long');
          const vdp = VolumePointer.decode(buf);
          loc = vdp.nextLocation;
          sectors = Math.floor(vdp.nextLength / UDF_SECTOR);
          continue outer;
        }
        if (tag.tagId === TagId.PrimaryVolume) {
          const seq = PrimaryVolume.get(buf, 'sequenceNumber');
          if (seq > pvdSeq) [pvd, pvdSeq] = [buf, seq];
        } else if (tag.tagId === TagId.LogicalVolume) {
          const seq = LogicalVolume.get(buf, 'sequenceNumber');
          if (seq > lvdSeq) [lvd, lvdSeq] = [buf, seq];
        } else if (tag.tagId === TagId.Partition) {
          const pd = PartitionDesc.decode(buf);
          const prev = pds.get(pd.number);
          if (!prev || pd.sequenceNumber > prev.seq) pds.set(pd.number, { seq: pd.sequenceNumber, start: pd.start, length: pd.length });
        }
      }
      break;
    }
    if (!lvd) throw formatError('UDF volume descriptor sequence has no logical volume descriptor');
    if (pds.size === 0) throw formatError('UDF volume descriptor sequence has no partition descriptor');
    const lv = LogicalVolume.decode(lvd);
    if (lv.blockSize !== UDF_SECTOR) {
      throw new SevenStickError('E_UNSUPPORTED', `UDF logical block size ${lv.blockSize} is not supported (only 2048)`);
    }
    const domainSuffix = RegId.get(lvd, 'suffix', LogicalVolume.offsetOf('domain'));
    const rev = domainSuffix.readUInt16LE(0);
    const revision = `${(rev >> 8).toString(16)}.${(rev & 0xff).toString(16).padStart(2, '0')}`;

    // Partition maps (ECMA-167 3/10.7).
    if (lv.numPartitionMaps > MAX_PARTITION_MAPS) throw formatError(`UDF logical volume claims ${lv.numPartitionMaps} partition maps`);
    const tableEnd = LVD_MAPS_OFFSET + lv.mapTableLength;
    if (tableEnd > lvd.length) throw formatError('UDF partition map table runs past its descriptor');
    const mapInfos: UdfPartitionMapInfo[] = [];
    const volume = new UdfVolume(reader);
    const pending: { index: number; physical: PhysicalMapping; main: number; mirror: number }[] = [];
    let pos = LVD_MAPS_OFFSET;
    for (let i = 0; i < lv.numPartitionMaps; i++) {
      if (pos + 2 > tableEnd) throw formatError('UDF partition map table is cut short');
      const h = PartitionMapHeader.decode(lvd, pos);
      if (h.length < 2 || pos + h.length > tableEnd) throw formatError('UDF partition map has a bad length');
      const physicalFor = (num: number): PhysicalMapping => {
        const pd = pds.get(num);
        if (!pd) throw formatError(`UDF partition map refers to partition ${num}, which has no descriptor`);
        if (pd.start + pd.length > last + 1) throw formatError(`UDF partition ${num} lies past the end of the image`);
        return { kind: 'physical', start: pd.start, length: pd.length };
      };
      if (h.type === 1 && h.length >= 6) {
        const m = PartitionMap1.decode(lvd, pos);
        mapInfos.push({ type: 1, kind: 'physical', partitionNumber: m.partitionNumber });
        volume.maps.push(physicalFor(m.partitionNumber));
      } else if (h.type === 2 && h.length >= 64) {
        const m = PartitionMap2.decode(lvd, pos);
        const ident = regIdName(m.typeIdentifier, 0);
        const kind = ident === '*UDF Metadata Partition' ? 'metadata' : ident === '*UDF Sparable Partition' ? 'sparable' : ident === '*UDF Virtual Partition' ? 'virtual' : 'unknown';
        mapInfos.push({ type: 2, kind, identifier: ident, partitionNumber: m.partitionNumber });
        if (kind === 'sparable') {
          // Sparing only remaps defective packets on rewritable media; an image has none.
          volume.maps.push(physicalFor(m.partitionNumber));
        } else if (kind === 'metadata') {
          // Resolved below, once every map has its reference number.
          volume.maps.push({ kind: 'unsupported', what: 'metadata partition (unreadable metadata file)' });
          pending.push({ index: i, physical: physicalFor(m.partitionNumber), main: m.metadataFile, mirror: m.metadataMirrorFile });
        } else {
          volume.maps.push({ kind: 'unsupported', what: `${ident || 'unknown'} partition map` });
        }
      } else {
        mapInfos.push({ type: h.type === 1 ? 1 : 2, kind: 'unknown', partitionNumber: -1 });
        volume.maps.push({ kind: 'unsupported', what: `partition map of type ${h.type}` });
      }
      pos += h.length;
    }
    for (const p of pending) {
      // The metadata file's allocation descriptors are relative to the physical partition it lives in.
      const found = volume.maps.findIndex((x) => x.kind === 'physical' && x.start === p.physical.start);
      const physicalRef = found >= 0 ? found : volume.addHiddenMap(p.physical);
      let lastErr: unknown;
      for (const block of [p.main, p.mirror]) {
        try {
          const fe = await volume.readFileEntry({ partition: physicalRef, block }, 'metadata file');
          if (fe.fileType !== FileType.MetadataFile && fe.fileType !== FileType.MetadataMirrorFile) {
            throw formatError('UDF metadata partition map points at something that is not a metadata file');
          }
          if (fe.extents.some((e) => e.offset === null)) throw formatError('UDF metadata file has unrecorded extents');
          volume.maps[p.index] = { kind: 'metadata', physicalRef, extents: fe.extents, size: fe.size };
          lastErr = undefined;
          break;
        } catch (e) {
          lastErr = e;
        }
      }
      if (lastErr) throw lastErr;
    }

    // File set descriptor → root directory.
    const fsdAd = LongAd.decode(lv.contentsUse);
    const fsdBuf = await volume.readBlock({ partition: fsdAd.partition, block: fsdAd.block }, 'file set descriptor');
    checkTag(fsdBuf, 0, 'file set descriptor', { tagId: TagId.FileSet, location: fsdAd.block });
    const fsd = FileSetDesc.decode(fsdBuf);
    const rootAd = LongAd.decode(fsd.rootIcb);
    const rootIcb = { partition: rootAd.partition, block: rootAd.block };
    const rootFe = await volume.readFileEntry(rootIcb, 'root directory');
    if (rootFe.fileType !== FileType.Directory) throw formatError('UDF root ICB is not a directory');
    const info: UdfInfo = {
      nsr,
      revision,
      anchor: anchorSector,
      sequence,
      logicalVolumeIdentifier: decodeDString(lvd, LogicalVolume.offsetOf('identifier'), 128),
      volumeIdentifier: pvd ? decodeDString(pvd, PrimaryVolume.offsetOf('volumeIdentifier'), 32) : '',
      fileSetIdentifier: decodeDString(fsdBuf, FileSetDesc.offsetOf('fileSetIdentifier'), 32),
      blockSize: lv.blockSize,
      partitions: [...pds.entries()].map(([number, p]) => ({ number, start: p.start, length: p.length })),
      partitionMaps: mapInfos,
    };
    const root = new UdfNode('', '', true, 0, rootFe.mtime, rootFe.extents, rootIcb);
    return new UdfFileSystem(volume, info, info.logicalVolumeIdentifier || info.volumeIdentifier, root);
  }

  private async readDirEntries(dir: FsNode): Promise<DirEntry[]> {
    if (!dir.isDirectory) throw new SevenStickError('E_ARGS', `${dir.path} is not a folder`);
    const total = dir.extents.reduce((s, e) => s + e.length, 0);
    if (total > MAX_DIR_BYTES) throw new SevenStickError('E_LIMIT', `UDF folder ${dir.path || '/'} is implausibly large`);
    const buf = await new ExtentReader(this.reader, dir.extents).read(0, total);
    const out: DirEntry[] = [];
    let pos = 0;
    while (pos < buf.length) {
      if (pos + FileIdentifier.size > buf.length) break;
      const where = `file identifier in ${dir.path || '/'}`;
      checkTag(buf, pos, where, { tagId: TagId.FileIdentifier });
      const f = FileIdentifier.decode(buf, pos);
      const size = fidSize(f.lengthOfImplementationUse, f.lengthOfFileIdentifier);
      if (pos + size > buf.length + 3) throw formatError(`UDF ${where}: entry runs past the folder`);
      const flags = f.characteristics;
      if (!(flags & (FidFlag.Deleted | FidFlag.Parent))) {
        const nameAt = pos + FileIdentifier.size + f.lengthOfImplementationUse;
        const name = decodeCs0(buf, nameAt, f.lengthOfFileIdentifier);
        if (name === '' || name.includes('/') || name.includes('\0') || name === '.' || name === '..') {
          throw formatError(`UDF ${where}: invalid file name`);
        }
        const ad = LongAd.decode(f.icb);
        out.push({ name, icb: { partition: ad.partition, block: ad.block }, isDirectory: (flags & FidFlag.Directory) !== 0 });
      }
      pos += size;
    }
    return out;
  }

  private async nodeFor(dir: FsNode, e: DirEntry): Promise<FsNode> {
    const path = dir.path ? `${dir.path}/${e.name}` : e.name;
    const fe = await this.volume.readFileEntry(e.icb, `entry of ${path}`);
    const isDir = fe.fileType === FileType.Directory;
    if (isDir !== e.isDirectory) throw formatError(`UDF: ${path} is marked a ${e.isDirectory ? 'folder' : 'file'} but its entry says otherwise`);
    return new UdfNode(e.name, path, isDir, isDir ? 0 : fe.size, fe.mtime, fe.extents, e.icb);
  }

  async list(dir: FsNode): Promise<FsNode[]> {
    const entries = await this.readDirEntries(dir);
    const out: FsNode[] = [];
    for (const e of entries) out.push(await this.nodeFor(dir, e));
    return out;
  }

  lookup(path: string): Promise<FsNode | undefined> {
    // Only the matching entry's File Entry is read, not every sibling's.
    return lookupPath(this.root, path, async (dir, want) => {
      const e = (await this.readDirEntries(dir)).find((x) => x.name.toLowerCase() === want);
      return e && this.nodeFor(dir, e);
    });
  }

  open(file: FsNode): ByteReader {
    return new ExtentReader(this.reader, file.extents, `${file.path} in ${this.reader.label}`);
  }

  /** Identity of a node's ICB, for cycle detection in walks. */
  static nodeKey(node: FsNode): string | undefined {
    return node instanceof UdfNode ? `udf:${node.icb.partition}:${node.icb.block}` : undefined;
  }
}
