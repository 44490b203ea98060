/**
 * From a volume descriptor sequence to a readable UDF volume, in phases: read the sequence (newest
 * primary volume, logical volume and partition descriptors, following volume descriptor pointers) →
 * the logical volume's partition maps (type 1 physical; type 2 sparable, metadata, others unsupported)
 * → metadata partitions resolved through their metadata file, falling back to its mirror → the file set
 * descriptor and the root directory's file entry. Every loop is bounded and every descriptor's tag is checked.
 */
import { SevenStickError, formatError } from '../../io/errors.js';
import type { ByteReader } from '../../io/reader.js';
import { FileSetDesc, LVD_MAPS_OFFSET, LogicalVolume, PartitionDesc, PartitionMap1, PartitionMap2, PartitionMapHeader, PrimaryVolume, RegId, VolumePointer, regIdName } from './descriptors.js';
import { decodeDString } from './dstring.js';
import { FileType, LongAd } from './file-entry.js';
import { TagId, checkTag } from './tag.js';
import { UDF_SECTOR, UdfVolume, sectorsOf, type Icb, type PhysicalMapping } from './volume.js';

/** Bounds against hostile images. */
const MAX_VDS_SECTORS = 512;
const MAX_VDS_HOPS = 16;
const MAX_PARTITION_MAPS = 64;

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

type PartitionExtent = { seq: number; start: number; length: number };
type LogicalVolumeDesc = ReturnType<typeof LogicalVolume.decode>;

/** The newest descriptors of a volume descriptor sequence (ECMA-167 3/8.4). */
interface Descriptors {
  pvd: Buffer | undefined;
  lvd: Buffer;
  pds: Map<number, PartitionExtent>;
}

/** A metadata partition map, resolved once every map has its reference number. */
interface PendingMetadata {
  index: number;
  physical: PhysicalMapping;
  main: number;
  mirror: number;
}

/** The sequence at `location` (`length` bytes), following volume descriptor pointers. */
async function readDescriptorSequence(reader: ByteReader, location: number, length: number): Promise<Descriptors> {
  let pvd: Buffer | undefined;
  let lvd: Buffer | undefined;
  const pds = new Map<number, PartitionExtent>();
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
  return { pvd, lvd, pds };
}

/** The logical volume's partition maps (ECMA-167 3/10.7) into `volume.maps`; metadata maps are left pending. */
function readPartitionMaps(volume: UdfVolume, d: Descriptors, lv: LogicalVolumeDesc): { infos: UdfPartitionMapInfo[]; pending: PendingMetadata[] } {
  const { lvd, pds } = d;
  const last = sectorsOf(volume.reader) - 1;
  if (lv.numPartitionMaps > MAX_PARTITION_MAPS) throw formatError(`UDF logical volume claims ${lv.numPartitionMaps} partition maps`);
  const tableEnd = LVD_MAPS_OFFSET + lv.mapTableLength;
  if (tableEnd > lvd.length) throw formatError('UDF partition map table runs past its descriptor');
  const mapInfos: UdfPartitionMapInfo[] = [];
  const pending: PendingMetadata[] = [];
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
        // Resolved by resolveMetadataMaps, once every map has its reference number.
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
  return { infos: mapInfos, pending };
}

/** Each metadata partition read through its metadata file, else its mirror. */
async function resolveMetadataMaps(volume: UdfVolume, pending: readonly PendingMetadata[]): Promise<void> {
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
}

/** File set descriptor → root directory. */
async function readRootDirectory(volume: UdfVolume, lv: LogicalVolumeDesc) {
  const fsdAd = LongAd.decode(lv.contentsUse);
  const fsdBuf = await volume.readBlock({ partition: fsdAd.partition, block: fsdAd.block }, 'file set descriptor');
  checkTag(fsdBuf, 0, 'file set descriptor', { tagId: TagId.FileSet, location: fsdAd.block });
  const fsd = FileSetDesc.decode(fsdBuf);
  const rootAd = LongAd.decode(fsd.rootIcb);
  const icb: Icb = { partition: rootAd.partition, block: rootAd.block };
  const fe = await volume.readFileEntry(icb, 'root directory');
  if (fe.fileType !== FileType.Directory) throw formatError('UDF root ICB is not a directory');
  return { fsdBuf, icb, fe };
}

export type OpenedVolume = Awaited<ReturnType<typeof openVolume>>;

/** The volume a descriptor sequence describes, what it says about itself, and its root directory. */
export async function openVolume(reader: ByteReader, nsr: 2 | 3, anchorSector: number, sequence: 'main' | 'reserve', location: number, length: number) {
  const descriptors = await readDescriptorSequence(reader, location, length);
  const { pvd, lvd, pds } = descriptors;
  const lv = LogicalVolume.decode(lvd);
  if (lv.blockSize !== UDF_SECTOR) {
    throw new SevenStickError('E_UNSUPPORTED', `UDF logical block size ${lv.blockSize} is not supported (only 2048)`);
  }
  const domainSuffix = RegId.get(lvd, 'suffix', LogicalVolume.offsetOf('domain'));
  const rev = domainSuffix.readUInt16LE(0);
  const revision = `${(rev >> 8).toString(16)}.${(rev & 0xff).toString(16).padStart(2, '0')}`;

  const volume = new UdfVolume(reader);
  const maps = readPartitionMaps(volume, descriptors, lv);
  await resolveMetadataMaps(volume, maps.pending);
  const root = await readRootDirectory(volume, lv);
  const info: UdfInfo = {
    nsr,
    revision,
    anchor: anchorSector,
    sequence,
    logicalVolumeIdentifier: decodeDString(lvd, LogicalVolume.offsetOf('identifier'), 128),
    volumeIdentifier: pvd ? decodeDString(pvd, PrimaryVolume.offsetOf('volumeIdentifier'), 32) : '',
    fileSetIdentifier: decodeDString(root.fsdBuf, FileSetDesc.offsetOf('fileSetIdentifier'), 32),
    blockSize: lv.blockSize,
    partitions: [...pds.entries()].map(([number, p]) => ({ number, start: p.start, length: p.length })),
    partitionMaps: maps.infos,
  };
  return { volume, info, rootIcb: root.icb, rootFe: root.fe };
}
