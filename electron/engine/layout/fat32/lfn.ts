/**
 * FAT long-name (LFN) directory entries (Microsoft fatgen103, "FAT Long Directory Entries"):
 * 13 UTF-16 units per 32-byte entry, stored last-first before the short entry they belong to,
 * each carrying the short name's checksum.
 */
import { defineStruct } from '../../io/struct.js';
import { ATTR_LONG_NAME, DIRENT_SIZE } from './dirent.js';

/** fatgen103 — offsets of LDIR_* fields. */
export const LfnEntry = defineStruct('FAT long-name entry', DIRENT_SIZE, {
  ord: [0, 'u8'], // LDIR_Ord (0x40 marks the last, i.e. first stored, entry)
  name1: [1, 'bytes', 10], // LDIR_Name1: units 1–5
  attr: [11, 'u8'], // LDIR_Attr = ATTR_LONG_NAME
  type: [12, 'u8'], // LDIR_Type = 0
  chksum: [13, 'u8'], // LDIR_Chksum
  name2: [14, 'bytes', 12], // LDIR_Name2: units 6–11
  fstClusLo: [26, 'u16le'], // LDIR_FstClusLO = 0
  name3: [28, 'bytes', 4], // LDIR_Name3: units 12–13
});

export const LFN_LAST = 0x40;
export const LFN_UNITS = 13;

/** How many LFN entries a long name needs. */
export function lfnCount(long: string): number {
  return Math.ceil(long.length / LFN_UNITS);
}

/** Writes the LFN entries for `long` (in on-disk order) starting at `at`; returns the bytes written. */
export function encodeLfnEntries(long: string, checksum: number, buf: Buffer, at: number): number {
  const n = lfnCount(long);
  // Name units: the name, a NUL if there is room, then 0xFFFF padding (fatgen103).
  const units = Buffer.alloc(n * LFN_UNITS * 2, 0xff);
  units.write(long, 0, 'utf16le');
  if (long.length < n * LFN_UNITS) units.writeUInt16LE(0, long.length * 2);
  for (let k = 0; k < n; k++) {
    const seq = n - k; // stored from the last piece down to piece 1
    const part = units.subarray((seq - 1) * LFN_UNITS * 2, seq * LFN_UNITS * 2);
    LfnEntry.encode(
      {
        ord: seq | (k === 0 ? LFN_LAST : 0),
        name1: part.subarray(0, 10),
        attr: ATTR_LONG_NAME,
        type: 0,
        chksum: checksum,
        name2: part.subarray(10, 22),
        fstClusLo: 0,
        name3: part.subarray(22, 26),
      },
      buf,
      at + k * DIRENT_SIZE,
    );
  }
  return n * DIRENT_SIZE;
}
