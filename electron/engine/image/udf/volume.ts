/**
 * A UDF logical volume's partitions (type 1 physical maps, type 2 metadata partitions read through the
 * metadata file) and reading blocks and (extended) file entries through them. What the partition maps
 * are comes from the volume descriptor sequence (sequence.ts).
 */
import { SevenStickError, formatError } from '../../io/errors.js';
import type { ByteReader, Extent } from '../../io/reader.js';
import { AdType, AllocationExtent, ExtAd, ExtendedFileEntry, ExtentKind, FileEntry, ICB_TAG_OFFSET, IcbTag, LongAd, ShortAd, splitExtentLength } from './file-entry.js';
import { TagId, checkTag } from './tag.js';
import { decodeTimestamp } from './timestamp.js';

export const UDF_SECTOR = 2048;
/** Bounds against hostile images. */
const MAX_ADS = 1 << 20;
const MAX_AED_HOPS = 1 << 16;

export type PhysicalMapping = { kind: 'physical'; start: number; length: number };
export type PartitionMapping =
  | PhysicalMapping
  | { kind: 'metadata'; physicalRef: number; extents: readonly Extent[]; size: number }
  | { kind: 'unsupported'; what: string };

export interface Icb {
  partition: number;
  block: number;
}

export function sectorsOf(reader: ByteReader): number {
  return Math.floor(reader.size / UDF_SECTOR);
}

/** The partitions of a logical volume, and reading blocks and file entries through them. */
export class UdfVolume {
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
