/**
 * A slimmed WIM: one image of a WIM as a WIM of its own, produced on the fly.
 *
 *   const slim = await planSlimWim(wim, 3);   // reads image 3's metadata (no file data)
 *   slim.size                                  // exact byte count, known before any byte is produced
 *   await slim.read(offset, length)            // random access (a ByteReader), also readInto()
 *
 * Layout of the slimmed WIM:
 *   header (208 bytes)
 *   the image's resources, copied VERBATIM from the source (compressed bytes, chunk tables, flags;
 *     nothing is recompressed) in source order — every blob the image references (file data, named
 *     streams, reparse data; a blob shared with other images once) and its metadata resource
 *   blob table: the metadata entry, then one entry per blob in file order — new offsets, part 1,
 *     reference counts as this image needs them
 *   XML: the source's, with only this image (INDEX="1") and TOTALBYTES = the XML's own offset
 *
 * Header decisions (as wimlib's `export`/single-image write): image count 1; boot index 1 when the
 * source's boot index was this image (the boot metadata entry then points at the copied metadata
 * resource), else 0 and a zero entry; flags keep the compression type, RP_FIX and READONLY; version
 * and chunk size as the source stores them (0 in an uncompressed WIM); no integrity table. The GUID is not random (wimlib's) but derived
 * from the source's GUID and the image index, so the same source gives the same bytes every time
 * (the stick's read-back verify regenerates them) while the slimmed WIM does not pose as the source.
 *
 * Only the small structures (header, blob table, XML) are held in memory; every other byte is read
 * from the source WIM when asked for, through its ByteReader (e.g. install.wim inside an ISO).
 */
import { createHash } from 'node:crypto';
import { SevenStickError } from '../../io/errors.js';
import { ExtentReader, checkRange, readInto, type ByteReader, type Extent } from '../../io/reader.js';
import { ResourceFlag, WIM_HEADER_SIZE, WimHeaderFlag, type ResourceHeader } from './header.js';
import { ZERO_RESOURCE, encodeWimHeader } from './header-writer.js';
import type { BlobEntry } from './blobtable.js';
import { encodeBlobTable } from './blobtable-writer.js';
import { encodeWimXml, singleImageXmlText } from './xml-writer.js';
import type { Wim } from './wim.js';
import type { ImageFileSystem } from '../fs.js';
import { INSTALL_WIM_PATH, openWimInFileSystem } from './source.js';

/** SHA-1 of zero bytes: an empty stream may be listed with it and have no blob. */
const EMPTY_SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
/** Header flags a single-image copy keeps (wimlib: RP_FIX and READONLY, plus the compression type). */
const KEPT_HEADER_FLAGS =
  WimHeaderFlag.RP_FIX |
  WimHeaderFlag.READONLY |
  WimHeaderFlag.COMPRESSION |
  WimHeaderFlag.COMPRESS_XPRESS |
  WimHeaderFlag.COMPRESS_LZX |
  WimHeaderFlag.COMPRESS_LZMS;

/**
 * The source WIM with the new structures (header, blob table, XML) after its end: one address space,
 * so the slimmed WIM is a list of extents over it (an ExtentReader).
 */
class SourceAndTail implements ByteReader {
  readonly size: number;
  constructor(
    private readonly src: ByteReader,
    private readonly tail: Buffer,
  ) {
    this.size = src.size + tail.length;
  }
  get label(): string {
    return this.src.label;
  }
  async read(offset: number, length: number): Promise<Buffer> {
    const out = Buffer.allocUnsafe(length);
    await this.readInto(offset, length, out, 0);
    return out;
  }
  async readInto(offset: number, length: number, buf: Buffer, at: number): Promise<void> {
    checkRange(this, offset, length);
    const fromSrc = Math.max(0, Math.min(length, this.src.size - offset));
    if (fromSrc > 0) await readInto(this.src, offset, fromSrc, buf, at);
    if (fromSrc === length) return;
    const t = offset + fromSrc - this.src.size;
    this.tail.copy(buf, at + fromSrc, t, t + length - fromSrc);
  }
}

/** The slimmed WIM's bytes, random access (read, readInto), produced from the source WIM on demand. */
export class SlimWim extends ExtentReader {
  constructor(
    base: ByteReader,
    extents: readonly Extent[],
    label: string,
    /** The image taken from the source (1-based). */
    readonly imageIndex: number,
    /** Data blobs copied (the metadata resource not counted). */
    readonly blobCount: number,
    /** Bytes copied from the source WIM (resources, verbatim). */
    readonly copiedBytes: number,
  ) {
    super(base, extents, label);
  }
}

/** The slimmed WIM's GUID: the first 16 bytes of SHA-1("SevenStick slim WIM" ‖ source GUID ‖ image index). */
function slimGuid(sourceGuid: Buffer, imageIndex: number): Buffer {
  const idx = Buffer.alloc(4);
  idx.writeUInt32LE(imageIndex);
  return createHash('sha1').update('SevenStick slim WIM').update(sourceGuid).update(idx).digest().subarray(0, 16);
}

function checkCopyable(e: BlobEntry, what: string, src: ByteReader): void {
  if (e.res.flags & (ResourceFlag.SOLID | ResourceFlag.SPANNED)) {
    throw new SevenStickError('E_UNSUPPORTED', `${src.label}: ${what} is in a solid or spanned resource, which cannot be copied on its own`);
  }
  if (e.partNumber !== 1) throw new SevenStickError('E_UNSUPPORTED', `${src.label}: ${what} is in part ${e.partNumber} of a split WIM set`);
  if (!Number.isSafeInteger(e.res.offset) || e.res.offset + e.res.storedSize > src.size) {
    throw new SevenStickError('E_FORMAT', `${src.label}: ${what} at ${e.res.offset}+${e.res.storedSize} lies past the end of the WIM`, {
      offset: e.res.offset,
    });
  }
}

/**
 * Plans the WIM that holds only image `imageIndex` (1-based) of `wim`: reads that image's metadata
 * (to learn which blobs it references) and builds the header, blob table and XML; the returned
 * reader produces every byte on demand.
 */
export async function planSlimWim(wim: Wim, imageIndex: number): Promise<SlimWim> {
  const src = wim.reader;
  const label = `${src.label} (image ${imageIndex} alone)`;
  const refs = await wim.referencedBlobs(imageIndex); // validates imageIndex (E_NOT_FOUND)
  const table = wim.blobTable;
  const meta = table.metadata[imageIndex - 1]!;
  checkCopyable(meta, `image ${imageIndex}'s metadata`, src);

  // Resources to copy, with the blob table entry each gets; in source order so adjacent ones stay one read.
  const copies: { entry: BlobEntry; refCount: number }[] = [{ entry: meta, refCount: 1 }];
  for (const [sha1, refCount] of refs) {
    const entry = table.byHash.get(sha1);
    if (!entry) {
      if (sha1 === EMPTY_SHA1) continue;
      throw new SevenStickError('E_FORMAT', `${src.label}: image ${imageIndex} references data (SHA-1 ${sha1}) missing from the blob table`);
    }
    checkCopyable(entry, `blob ${sha1}`, src);
    copies.push({ entry, refCount });
  }
  copies.sort((a, b) => a.entry.res.offset - b.entry.res.offset);

  // Extents over SourceAndTail: the resources at their source offsets, the new structures in the tail.
  const extents: { offset: number; length: number }[] = [{ offset: src.size, length: WIM_HEADER_SIZE }];
  let pos = WIM_HEADER_SIZE;
  let metaEntry: BlobEntry | undefined;
  const blobEntries: BlobEntry[] = [];
  for (const { entry, refCount } of copies) {
    const res: ResourceHeader = { ...entry.res, offset: pos };
    const out: BlobEntry = { res, partNumber: 1, refCount, sha1: entry.sha1 };
    if (entry === meta) metaEntry = out;
    else blobEntries.push(out);
    const n = entry.res.storedSize;
    const prev = extents[extents.length - 1]!;
    if (extents.length > 1 && prev.offset + prev.length === entry.res.offset) prev.length += n;
    else if (n > 0) extents.push({ offset: entry.res.offset, length: n });
    pos += n;
  }
  const copiedBytes = pos - WIM_HEADER_SIZE;

  const blobTable = encodeBlobTable([metaEntry!, ...blobEntries]);
  // wimlib writes the blob table and the XML uncompressed and flagged METADATA.
  const blobTableRes: ResourceHeader = { storedSize: blobTable.length, flags: ResourceFlag.METADATA, offset: pos, originalSize: blobTable.length };
  pos += blobTable.length;
  const xml = encodeWimXml(singleImageXmlText(wim.xmlText, imageIndex, pos));
  const xmlRes: ResourceHeader = { storedSize: xml.length, flags: ResourceFlag.METADATA, offset: pos, originalSize: xml.length };

  const h = wim.header;
  const boot = h.bootIndex === imageIndex;
  const header = encodeWimHeader({
    version: h.version,
    flags: h.flags & KEPT_HEADER_FLAGS,
    // As stored: an uncompressed WIM says 0, which Wim.open reads as 32768 (wimlib refuses 32768 there).
    chunkSize: h.raw.chunkSize,
    guid: slimGuid(h.raw.guid, imageIndex),
    partNumber: 1,
    totalParts: 1,
    imageCount: 1,
    blobTable: blobTableRes,
    xmlData: xmlRes,
    bootMetadata: boot ? metaEntry!.res : ZERO_RESOURCE,
    bootIndex: boot ? 1 : 0,
    integrityTable: ZERO_RESOURCE,
  });
  extents.push({ offset: src.size + WIM_HEADER_SIZE, length: blobTable.length + xml.length });
  const base = new SourceAndTail(src, Buffer.concat([header, blobTable, xml]));
  return new SlimWim(base, extents, label, imageIndex, blobEntries.length, copiedBytes);
}

/**
 * The size of the WIM that would hold only image `imageIndex`: from the headers, the blob table,
 * the XML and that image's metadata (which blobs it references) — no file data is read.
 */
export async function slimmedSize(wim: Wim, imageIndex: number): Promise<number> {
  return (await planSlimWim(wim, imageIndex)).size;
}

/** For each image: the size of the WIM holding it alone, and whether that is at most `maxFileSize` (FAT32: 4 GiB − 1). */
export async function slimmedSizes(wim: Wim, maxFileSize: number): Promise<{ imageIndex: number; size: number; fits: boolean }[]> {
  const out: { imageIndex: number; size: number; fits: boolean }[] = [];
  for (let i = 1; i <= wim.imageCount; i++) {
    const size = await slimmedSize(wim, i);
    out.push({ imageIndex: i, size, fits: size <= maxFileSize });
  }
  return out;
}

/** The editions of the ISO's install.wim whose slimmed WIM fits `maxFileSize` (empty when it cannot be read). */
export async function editionsThatFit(fs: ImageFileSystem, maxFileSize: number): Promise<number[]> {
  try {
    return (await slimmedSizes(await openWimInFileSystem(fs, INSTALL_WIM_PATH), maxFileSize)).filter((s) => s.fits).map((s) => s.imageIndex);
  } catch (e) {
    if (e instanceof SevenStickError && e.code !== 'E_IO') return [];
    throw e;
  }
}
