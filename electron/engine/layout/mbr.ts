/**
 * Master Boot Record with one partition entry (classic MBR layout: 440 bytes of code,
 * disk signature at 440, four 16-byte entries at 446, 0x55AA at 510).
 */
import { defineStruct } from '../io/struct.js';

const SECTOR = 512;

export const Mbr = defineStruct('MBR', SECTOR, {
  bootCode: [0, 'bytes', 440],
  diskSignature: [440, 'u32le'],
  reserved: [444, 'u16le'],
  partitions: [446, 'bytes', 64],
  signature: [510, 'u16le'], // 0xAA55
});

export const PartitionEntry = defineStruct('MBR partition entry', 16, {
  status: [0, 'u8'], // 0x80 active
  chsFirst: [1, 'bytes', 3],
  type: [4, 'u8'],
  chsLast: [5, 'bytes', 3],
  lbaFirst: [8, 'u32le'],
  sectors: [12, 'u32le'],
});

export const PARTITION_TYPE_FAT32_LBA = 0x0c;
export const MBR_MAX_SECTORS = 0xffffffff;

/** CHS address of an LBA with the usual 255 heads × 63 sectors; beyond cylinder 1023 the 1023/254/63 marker. */
export function chs(lba: number): Buffer {
  const spt = 63;
  const heads = 255;
  let c = Math.floor(lba / (spt * heads));
  let h = Math.floor(lba / spt) % heads;
  let s = (lba % spt) + 1;
  if (c > 1023) {
    c = 1023;
    h = 254;
    s = 63;
  }
  return Buffer.from([h, (s & 0x3f) | ((c >> 2) & 0xc0), c & 0xff]);
}

export interface MbrInit {
  bootCode: Buffer; // 440 bytes
  diskSignature: number;
  start: number; // LBA
  sectors: number;
  type: number;
}

export function encodeMbr(m: MbrInit): Buffer {
  const entry = PartitionEntry.encode(
    {
      status: 0x80,
      chsFirst: chs(m.start),
      type: m.type,
      chsLast: chs(m.start + m.sectors - 1),
      lbaFirst: m.start,
      sectors: m.sectors,
    },
    Buffer.alloc(16),
  );
  const parts = Buffer.alloc(64);
  entry.copy(parts, 0);
  return Mbr.encode(
    { bootCode: m.bootCode, diskSignature: m.diskSignature, reserved: 0, partitions: parts, signature: 0xaa55 },
    Buffer.alloc(SECTOR),
  );
}
