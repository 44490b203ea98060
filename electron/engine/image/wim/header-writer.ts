/**
 * Writing the WIM header (208 bytes) and the 24-byte resource headers it embeds, through the
 * field tables the reader uses (header.ts: WimHeaderFields, ResourceHeaderFields).
 */
import { SevenStickError } from '../../io/errors.js';
import { RESHDR_SIZE, ResourceHeaderFields, WIM_HEADER_SIZE, WIM_MAGIC, WimHeaderFields, type ResourceHeader } from './header.js';

/** A resource's stored size is 56 bits wide. */
const MAX_STORED_SIZE = 2 ** 56 - 1;

export const ZERO_RESOURCE: ResourceHeader = { storedSize: 0, flags: 0, offset: 0, originalSize: 0 };

/** Encodes a resource header (wim_reshdr_disk) into `buf` at `base` (a new 24-byte buffer by default). */
export function encodeResourceHeader(res: ResourceHeader, buf: Buffer = Buffer.alloc(RESHDR_SIZE), base = 0): Buffer {
  const { storedSize, flags, offset, originalSize } = res;
  for (const [what, v, max] of [
    ['stored size', storedSize, MAX_STORED_SIZE],
    ['offset', offset, Number.MAX_SAFE_INTEGER],
    ['original size', originalSize, Number.MAX_SAFE_INTEGER],
    ['flags', flags, 0xff],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0 || v > max) throw new SevenStickError('E_RANGE', `WIM resource header: ${what} ${v} out of range`);
  }
  return ResourceHeaderFields.encode(
    {
      sizeLow: storedSize % 2 ** 32,
      sizeHigh: Math.floor(storedSize / 2 ** 32) % 2 ** 16,
      sizeTop: Math.floor(storedSize / 2 ** 48),
      flags,
      offset,
      originalSize,
    },
    buf,
    base,
  );
}

/** What a WIM header holds (the magic and header size are fixed). */
export interface WimHeaderInit {
  version: number;
  flags: number;
  chunkSize: number;
  /** 16 bytes. */
  guid: Buffer;
  partNumber: number;
  totalParts: number;
  imageCount: number;
  blobTable: ResourceHeader;
  xmlData: ResourceHeader;
  /** The boot image's metadata resource, or ZERO_RESOURCE when bootIndex is 0. */
  bootMetadata: ResourceHeader;
  /** 1-based bootable image, 0 for none. */
  bootIndex: number;
  integrityTable: ResourceHeader;
}

/** Encodes a standard (non-pipable) WIM header: 208 bytes, the unused tail zeroed. */
export function encodeWimHeader(h: WimHeaderInit): Buffer {
  if (h.guid.length !== 16) throw new SevenStickError('E_ARGS', `WIM header: GUID must be 16 bytes, not ${h.guid.length}`);
  const buf = Buffer.alloc(WIM_HEADER_SIZE);
  WimHeaderFields.encode(
    {
      magic: WIM_MAGIC,
      headerSize: WIM_HEADER_SIZE,
      version: h.version,
      flags: h.flags,
      chunkSize: h.chunkSize,
      guid: h.guid,
      partNumber: h.partNumber,
      totalParts: h.totalParts,
      imageCount: h.imageCount,
      bootIndex: h.bootIndex,
    },
    buf,
  );
  encodeResourceHeader(h.blobTable, buf, WimHeaderFields.offsetOf('blobTable'));
  encodeResourceHeader(h.xmlData, buf, WimHeaderFields.offsetOf('xmlData'));
  encodeResourceHeader(h.bootMetadata, buf, WimHeaderFields.offsetOf('bootMetadata'));
  encodeResourceHeader(h.integrityTable, buf, WimHeaderFields.offsetOf('integrityTable'));
  return buf;
}
