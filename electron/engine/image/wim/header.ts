/**
 * WIM file header (208 bytes) and the 24-byte resource header it embeds.
 * Offsets: wimlib include/wimlib/header.h (struct wim_header_disk) and
 * include/wimlib/resource.h (struct wim_reshdr_disk).
 */
import { defineStruct, type Decoded } from '../../io/struct.js';
import { SevenStickError, formatError } from '../../io/errors.js';
import type { ByteReader } from '../../io/reader.js';

export const WIM_MAGIC = Buffer.from('MSWIM\0\0\0', 'latin1');
/** wimlib's "pipable" WIM variant (`wimlib-imagex capture --pipable`). */
export const PWM_MAGIC = Buffer.from('WLPWM\0\0\0', 'latin1');
export const WIM_HEADER_SIZE = 208;
export const RESHDR_SIZE = 24;

export const WimHeaderFields = defineStruct('WIM header', WIM_HEADER_SIZE, {
  magic: [0x00, 'bytes', 8],
  headerSize: [0x08, 'u32le'],
  version: [0x0c, 'u32le'],
  flags: [0x10, 'u32le'],
  chunkSize: [0x14, 'u32le'],
  guid: [0x18, 'bytes', 16],
  partNumber: [0x28, 'u16le'],
  totalParts: [0x2a, 'u16le'],
  imageCount: [0x2c, 'u32le'],
  blobTable: [0x30, 'bytes', RESHDR_SIZE],
  xmlData: [0x48, 'bytes', RESHDR_SIZE],
  bootMetadata: [0x60, 'bytes', RESHDR_SIZE],
  bootIndex: [0x78, 'u32le'],
  integrityTable: [0x7c, 'bytes', RESHDR_SIZE],
});

/** wim_reshdr_disk: 56-bit stored size + 8-bit flags, then offset and original size. */
export const ResourceHeaderFields = defineStruct('WIM resource header', RESHDR_SIZE, {
  sizeLow: [0, 'u32le'],
  sizeHigh: [4, 'u16le'],
  sizeTop: [6, 'u8'],
  flags: [7, 'u8'],
  offset: [8, 'u64le'],
  originalSize: [16, 'u64le'],
});

export const WimHeaderFlag = {
  COMPRESSION: 0x00000002,
  READONLY: 0x00000004,
  SPANNED: 0x00000008,
  RESOURCE_ONLY: 0x00000010,
  METADATA_ONLY: 0x00000020,
  WRITE_IN_PROGRESS: 0x00000040,
  RP_FIX: 0x00000080,
  COMPRESS_XPRESS: 0x00020000,
  COMPRESS_LZX: 0x00040000,
  COMPRESS_LZMS: 0x00080000,
} as const;

/** Resource header flags (WIM_RESHDR_FLAG_*). */
export const ResourceFlag = {
  FREE: 0x01,
  METADATA: 0x02,
  COMPRESSED: 0x04,
  SPANNED: 0x08,
  SOLID: 0x10,
} as const;

export interface ResourceHeader {
  /** Bytes the resource occupies in the WIM (compressed size). */
  storedSize: number;
  flags: number;
  offset: number;
  /** Uncompressed size. */
  originalSize: number;
}

export function decodeResourceHeader(buf: Buffer, base = 0): ResourceHeader {
  const r = ResourceHeaderFields.decode(buf, base);
  return {
    storedSize: r.sizeLow + r.sizeHigh * 2 ** 32 + r.sizeTop * 2 ** 48,
    flags: r.flags,
    offset: r.offset,
    originalSize: r.originalSize,
  };
}

export type CompressionType = 'none' | 'xpress' | 'lzx' | 'lzms';

export interface WimHeader {
  version: number;
  flags: number;
  chunkSize: number;
  partNumber: number;
  totalParts: number;
  imageCount: number;
  compression: CompressionType;
  blobTable: ResourceHeader;
  xmlData: ResourceHeader;
  bootMetadata: ResourceHeader;
  bootIndex: number;
  integrityTable: ResourceHeader;
  raw: Decoded<typeof WimHeaderFields.fields>;
}

export function compressionOf(flags: number): CompressionType {
  if (!(flags & WimHeaderFlag.COMPRESSION)) return 'none';
  if (flags & WimHeaderFlag.COMPRESS_LZX) return 'lzx';
  if (flags & WimHeaderFlag.COMPRESS_XPRESS) return 'xpress';
  if (flags & WimHeaderFlag.COMPRESS_LZMS) return 'lzms';
  return 'none';
}

/** Reads and checks the WIM header. Throws E_FORMAT for anything that is not a WIM. */
export async function readWimHeader(reader: ByteReader): Promise<WimHeader> {
  if (reader.size < WIM_HEADER_SIZE) throw formatError(`${reader.label} is too small to be a WIM file`);
  const buf = await reader.read(0, WIM_HEADER_SIZE);
  const raw = WimHeaderFields.decode(buf);
  if (raw.magic.equals(PWM_MAGIC)) {
    throw new SevenStickError('E_UNSUPPORTED', `${reader.label} is a pipable WIM (wimlib --pipable); only standard WIM files are supported`);
  }
  if (!raw.magic.equals(WIM_MAGIC)) {
    throw formatError(`${reader.label} is not a WIM file (no MSWIM signature)`);
  }
  if (raw.headerSize !== WIM_HEADER_SIZE) throw formatError(`${reader.label}: unexpected WIM header size ${raw.headerSize}`);
  const resources = {
    blobTable: decodeResourceHeader(raw.blobTable),
    xmlData: decodeResourceHeader(raw.xmlData),
    bootMetadata: decodeResourceHeader(raw.bootMetadata),
    integrityTable: decodeResourceHeader(raw.integrityTable),
  };
  return {
    version: raw.version,
    flags: raw.flags,
    chunkSize: raw.chunkSize,
    partNumber: raw.partNumber,
    totalParts: raw.totalParts,
    imageCount: raw.imageCount,
    compression: compressionOf(raw.flags),
    bootIndex: raw.bootIndex,
    ...resources,
    raw,
  };
}

/** The XML resource is always stored uncompressed (UTF-16LE, usually with a BOM). Decodes it to a string. */
export async function readWimXmlText(reader: ByteReader, header?: WimHeader): Promise<string> {
  const h = header ?? (await readWimHeader(reader));
  const res = h.xmlData;
  if (res.storedSize === 0) return '';
  if (res.flags & ResourceFlag.COMPRESSED) {
    throw new SevenStickError('E_UNSUPPORTED', `${reader.label}: compressed WIM XML data is not supported`);
  }
  if (res.storedSize > 64 * 1024 * 1024) throw new SevenStickError('E_LIMIT', `${reader.label}: WIM XML data is implausibly large`);
  const buf = await reader.read(res.offset, res.storedSize);
  let text = buf.toString('utf16le', 0, buf.length - (buf.length % 2));
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.replace(/\0+$/, '');
}
