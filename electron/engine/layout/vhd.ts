/**
 * Fixed VHD footer (Microsoft "Virtual Hard Disk Image Format Specification" v1.0,
 * "Hard Disk Footer Format" and appendix "CHS Calculation"). A fixed VHD is the raw disk
 * followed by this 512-byte footer. All fields are big-endian.
 */
import { createHash } from 'node:crypto';
import { defineStruct } from '../io/struct.js';

export const VHD_FOOTER_SIZE = 512;

/** VHD spec, "Hard Disk Footer Format" — 64-bit sizes as hi/lo big-endian halves. */
export const VhdFooter = defineStruct('VHD footer', VHD_FOOTER_SIZE, {
  cookie: [0, 'ascii', 8], // "conectix"
  features: [8, 'u32be'], // 2 = reserved bit, always set
  version: [12, 'u32be'], // 0x00010000
  dataOffsetHi: [16, 'u32be'], // 0xFFFFFFFF for fixed disks
  dataOffsetLo: [20, 'u32be'], // 0xFFFFFFFF
  timestamp: [24, 'u32be'], // seconds since 2000-01-01 UTC
  creatorApp: [28, 'ascii', 4],
  creatorVersion: [32, 'u32be'],
  creatorHostOs: [36, 'ascii', 4], // "Wi2k"
  originalSizeHi: [40, 'u32be'],
  originalSizeLo: [44, 'u32be'],
  currentSizeHi: [48, 'u32be'],
  currentSizeLo: [52, 'u32be'],
  cylinders: [56, 'u16be'],
  heads: [58, 'u8'],
  sectorsPerTrack: [59, 'u8'],
  diskType: [60, 'u32be'], // 2 = fixed
  checksum: [64, 'u32be'], // one's complement of the byte sum with this field zero
  uniqueId: [68, 'bytes', 16],
  savedState: [84, 'u8'],
});

export interface Chs {
  cylinders: number;
  heads: number;
  sectorsPerTrack: number;
}

const MAX_CHS_SECTORS = 65535 * 16 * 255;

/** The VHD spec's CHS algorithm for a disk of `totalSectors` 512-byte sectors. */
export function vhdGeometry(totalSectors: number): Chs {
  const total = Math.min(totalSectors, MAX_CHS_SECTORS);
  let spt: number;
  let heads: number;
  let cth: number;
  if (total >= 65535 * 16 * 63) {
    spt = 255;
    heads = 16;
    cth = Math.floor(total / spt);
  } else {
    spt = 17;
    cth = Math.floor(total / spt);
    heads = Math.max(4, Math.floor((cth + 1023) / 1024));
    if (cth >= heads * 1024 || heads > 16) {
      spt = 31;
      heads = 16;
      cth = Math.floor(total / spt);
    }
    if (cth >= heads * 1024) {
      spt = 63;
      heads = 16;
      cth = Math.floor(total / spt);
    }
  }
  return { cylinders: Math.floor(cth / heads), heads, sectorsPerTrack: spt };
}

/**
 * The largest disk size ≤ `bytes` whose CHS geometry covers it exactly, so readers that size a
 * VHD by its geometry (Virtual PC, QEMU for unknown creators) and those that use the footer's
 * size (Hyper-V) agree. Disks beyond the largest CHS geometry keep their size: every reader then
 * uses the footer's size.
 */
export function vhdDiskSize(bytes: number): number {
  let sectors = Math.floor(bytes / 512);
  if (sectors >= MAX_CHS_SECTORS) return sectors * 512;
  for (let i = 0; i < 16; i++) {
    const g = vhdGeometry(sectors);
    const exact = g.cylinders * g.heads * g.sectorsPerTrack;
    if (exact === sectors) break;
    sectors = exact;
  }
  return sectors * 512;
}

/** The footer of a fixed VHD whose disk is `diskSize` bytes; `identity` seeds the UUID (deterministic). */
export function encodeVhdFooter(diskSize: number, identity: string): Buffer {
  const g = vhdGeometry(Math.floor(diskSize / 512));
  const uuid = createHash('sha1').update('sevenstick-vhd\0').update(identity).digest().subarray(0, 16);
  uuid[6] = ((uuid[6] as number) & 0x0f) | 0x50; // RFC 4122 name-based (SHA-1) version
  uuid[8] = ((uuid[8] as number) & 0x3f) | 0x80;
  const hi = Math.floor(diskSize / 2 ** 32);
  const lo = diskSize % 2 ** 32;
  const buf = VhdFooter.encode(
    {
      cookie: 'conectix',
      features: 2,
      version: 0x00010000,
      dataOffsetHi: 0xffffffff,
      dataOffsetLo: 0xffffffff,
      timestamp: 0, // fixed: the same plan gives the same bytes
      creatorApp: 'svst',
      creatorVersion: 0x00010000,
      creatorHostOs: 'Wi2k',
      originalSizeHi: hi,
      originalSizeLo: lo,
      currentSizeHi: hi,
      currentSizeLo: lo,
      cylinders: g.cylinders,
      heads: g.heads,
      sectorsPerTrack: g.sectorsPerTrack,
      diskType: 2,
      checksum: 0,
      uniqueId: uuid,
      savedState: 0,
    },
    Buffer.alloc(VHD_FOOTER_SIZE),
  );
  let sum = 0;
  for (const b of buf) sum += b;
  VhdFooter.encode({ checksum: ~sum >>> 0 }, buf);
  return buf;
}
