/**
 * UDF descriptor tag (ECMA-167 3/7.2, 16 bytes) and its checks: the tag checksum
 * (sum of bytes 0–3 and 5–15, mod 256) and the CRC-ITU-T (x^16+x^12+x^5+1, initial 0)
 * over `crcLength` bytes of descriptor that follow the tag.
 */
import { defineStruct } from '../../io/struct.js';
import { formatError } from '../../io/errors.js';

export const TAG_SIZE = 16;

export const DescriptorTag = defineStruct('UDF descriptor tag', TAG_SIZE, {
  tagId: [0, 'u16le'],
  version: [2, 'u16le'],
  checksum: [4, 'u8'],
  serial: [6, 'u16le'],
  crc: [8, 'u16le'],
  crcLength: [10, 'u16le'],
  location: [12, 'u32le'],
});

/** Tag identifiers (ECMA-167 3/7.2.1 and 4/7.2.1). */
export const TagId = {
  PrimaryVolume: 1,
  AnchorPointer: 2,
  VolumePointer: 3,
  ImplementationUse: 4,
  Partition: 5,
  LogicalVolume: 6,
  UnallocatedSpace: 7,
  Terminating: 8,
  LogicalVolumeIntegrity: 9,
  FileSet: 256,
  FileIdentifier: 257,
  AllocationExtent: 258,
  Indirect: 259,
  TerminalEntry: 260,
  FileEntry: 261,
  ExtendedAttributeHeader: 262,
  UnallocatedSpaceEntry: 263,
  SpaceBitmap: 264,
  PartitionIntegrity: 265,
  ExtendedFileEntry: 266,
} as const;

const CRC_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

/** CRC-ITU-T as ECMA-167 1/7.2.6 defines it (initial value 0, no final xor). */
export function udfCrc(buf: Buffer, start = 0, end = buf.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ (CRC_TABLE[((crc >> 8) ^ (buf[i] as number)) & 0xff] as number);
  return crc;
}

export function tagChecksum(buf: Buffer, base = 0): number {
  let sum = 0;
  for (let i = 0; i < TAG_SIZE; i++) if (i !== 4) sum += buf[base + i] as number;
  return sum & 0xff;
}

export interface Tag {
  tagId: number;
  location: number;
  crcLength: number;
}

/**
 * Checks the tag at `base`: identifier (when given), checksum, location (when given) and the CRC
 * over the bytes available in `buf`. Throws E_FORMAT with `what` in the message.
 */
export function checkTag(buf: Buffer, base: number, what: string, expect: { tagId?: number | readonly number[]; location?: number } = {}): Tag {
  if (base + TAG_SIZE > buf.length) throw formatError(`UDF ${what}: descriptor cut short`);
  const t = DescriptorTag.decode(buf, base);
  if (tagChecksum(buf, base) !== t.checksum) throw formatError(`UDF ${what}: bad descriptor tag checksum`);
  if (expect.tagId !== undefined) {
    const ok = Array.isArray(expect.tagId) ? expect.tagId.includes(t.tagId) : t.tagId === expect.tagId;
    if (!ok) throw formatError(`UDF ${what}: unexpected descriptor (tag ${t.tagId})`);
  }
  if (expect.location !== undefined && t.location !== expect.location) {
    throw formatError(`UDF ${what}: descriptor records location ${t.location}, found at ${expect.location}`);
  }
  const crcEnd = base + TAG_SIZE + t.crcLength;
  if (t.crcLength > 0) {
    if (crcEnd > buf.length) throw formatError(`UDF ${what}: CRC length ${t.crcLength} runs past the descriptor`);
    if (udfCrc(buf, base + TAG_SIZE, crcEnd) !== t.crc) throw formatError(`UDF ${what}: descriptor CRC mismatch`);
  }
  return { tagId: t.tagId, location: t.location, crcLength: t.crcLength };
}
