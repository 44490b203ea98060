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
 * and chunk size as the source; no integrity table. The GUID is not random (wimlib's) but derived
 * from the source's GUID and the image index, so the same source gives the same bytes every time
 * (the stick's read-back verify regenerates them) while the slimmed WIM does not pose as the source.
 *
 * Only the small structures (header, blob table, XML) are held in memory; every other byte is read
 * from the source WIM when asked for, through its ByteReader (e.g. install.wim inside an ISO).
 */
import { createHash } from 'node:crypto';
import { SevenStickError } from '../../io/errors.js';
import { checkRange, readInto, type ByteReader } from '../../io/reader.js';
import { ResourceFlag, WIM_HEADER_SIZE, WimHeaderFlag, type ResourceHeader } from './header.js';
import { ZERO_RESOURCE, encodeWimHeader } from './header-writer.js';
import type { BlobEntry } from './blobtable.js';
import { encodeBlobTable } from './blobtable-writer.js';
import { encodeWimXml, singleImageXmlText } from './xml-writer.js';
import type { Wim } from './wim.js';

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

/** A run of the slimmed WIM: bytes held in memory, or `length` bytes at `source` in the source WIM. */
type Piece = { start: number; length: number } & ({ buf: Buffer; source?: undefined } | { source: number; buf?: undefined });

/** The slimmed WIM's bytes, random access. */
export class SlimWim implements ByteReader {
  readonly size: number;
  private readonly starts: number[];

  constructor(
    private readonly src: ByteReader,
    private readonly pieces: readonly Piece[],
    readonly label: string,
    /** The image taken from the source (1-based). */
    readonly imageIndex: number,
    /** Data blobs copied (the metadata resource not counted). */
    readonly blobCount: number,
    /** Bytes copied from the source WIM (resources, verbatim). */
    readonly copiedBytes: number,
  ) {
    const last = pieces[pieces.length - 1]!;
    this.size = last.start + last.length;
    this.starts = pieces.map((p) => p.start);
  }

  private pieceAt(pos: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, offset, length);
    const out = Buffer.allocUnsafe(length);
    await this.readInto(offset, length, out, 0);
    return out;
  }

  async readInto(offset: number, length: number, buf: Buffer, at: number): Promise<void> {
    checkRange(this, offset, length);
    let done = 0;
    for (let i = this.pieceAt(offset); done < length; i++) {
      const p = this.pieces[i]!;
      const within = offset + done - p.start;
      const n = Math.min(p.length - within, length - done);
      if (p.buf) p.buf.copy(buf, at + done, within, within + n);
      else await readInto(this.src, p.source + within, n, buf, at + done);
      done += n;
    }
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

  const pieces: Piece[] = [{ start: 0, length: WIM_HEADER_SIZE, buf: Buffer.alloc(0) }];
  let pos = WIM_HEADER_SIZE;
  let metaEntry: BlobEntry | undefined;
  const blobEntries: BlobEntry[] = [];
  for (const { entry, refCount } of copies) {
    const res: ResourceHeader = { ...entry.res, offset: pos };
    const out: BlobEntry = { res, partNumber: 1, refCount, sha1: entry.sha1 };
    if (entry === meta) metaEntry = out;
    else blobEntries.push(out);
    const n = entry.res.storedSize;
    const prev = pieces[pieces.length - 1]!;
    if (prev.source !== undefined && prev.source + prev.length === entry.res.offset) prev.length += n;
    else if (n > 0) pieces.push({ start: pos, length: n, source: entry.res.offset });
    pos += n;
  }
  const copiedBytes = pos - WIM_HEADER_SIZE;

  const blobTable = encodeBlobTable([metaEntry!, ...blobEntries]);
  // wimlib writes the blob table and the XML uncompressed and flagged METADATA.
  const blobTableRes: ResourceHeader = { storedSize: blobTable.length, flags: ResourceFlag.METADATA, offset: pos, originalSize: blobTable.length };
  pieces.push({ start: pos, length: blobTable.length, buf: blobTable });
  pos += blobTable.length;

  const xml = encodeWimXml(singleImageXmlText(wim.xmlText, imageIndex, pos));
  const xmlRes: ResourceHeader = { storedSize: xml.length, flags: ResourceFlag.METADATA, offset: pos, originalSize: xml.length };
  pieces.push({ start: pos, length: xml.length, buf: xml });

  const h = wim.header;
  const boot = h.bootIndex === imageIndex;
  pieces[0] = {
    start: 0,
    length: WIM_HEADER_SIZE,
    buf: encodeWimHeader({
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
    }),
  };
  return new SlimWim(src, pieces, label, imageIndex, blobEntries.length, copiedBytes);
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
