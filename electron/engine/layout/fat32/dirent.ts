/**
 * FAT 32-byte short directory entry (Microsoft fatgen103, "FAT Directory Structure").
 */
import { defineStruct } from '../../io/struct.js';

export const DIRENT_SIZE = 32;

/** fatgen103 §"FAT Directory Structure" — offsets of DIR_* fields. */
export const DirEntry = defineStruct('FAT directory entry', DIRENT_SIZE, {
  name: [0, 'ascii', 11], // DIR_Name: 8 + 3, space padded
  attr: [11, 'u8'], // DIR_Attr
  ntRes: [12, 'u8'], // DIR_NTRes
  crtTimeTenth: [13, 'u8'], // DIR_CrtTimeTenth: 10 ms units, 0..199
  crtTime: [14, 'u16le'], // DIR_CrtTime
  crtDate: [16, 'u16le'], // DIR_CrtDate
  lstAccDate: [18, 'u16le'], // DIR_LstAccDate
  fstClusHi: [20, 'u16le'], // DIR_FstClusHI
  wrtTime: [22, 'u16le'], // DIR_WrtTime
  wrtDate: [24, 'u16le'], // DIR_WrtDate
  fstClusLo: [26, 'u16le'], // DIR_FstClusLO
  fileSize: [28, 'u32le'], // DIR_FileSize
});

export const ATTR_READ_ONLY = 0x01;
export const ATTR_HIDDEN = 0x02;
export const ATTR_SYSTEM = 0x04;
export const ATTR_VOLUME_ID = 0x08;
export const ATTR_DIRECTORY = 0x10;
export const ATTR_ARCHIVE = 0x20;
export const ATTR_LONG_NAME = 0x0f;

/** FAT date and time of a Date, in UTC (what the image recorded), clamped to FAT's 1980–2107 range. */
export function fatDateTime(d: Date): { date: number; time: number; tenth: number } {
  const ms = d.getTime();
  if (!Number.isFinite(ms) || d.getUTCFullYear() < 1980) return { date: (0 << 9) | (1 << 5) | 1, time: 0, tenth: 0 };
  if (d.getUTCFullYear() > 2107) return { date: (127 << 9) | (12 << 5) | 31, time: (23 << 11) | (59 << 5) | 29, tenth: 100 };
  const date = ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
  const sec = d.getUTCSeconds();
  const time = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (sec >> 1);
  // DIR_CrtTimeTenth counts 10 ms units 0..199 on top of the 2-second resolution.
  const tenth = (sec & 1) * 100 + Math.floor(d.getUTCMilliseconds() / 10);
  return { date, time, tenth };
}

export interface ShortEntryInit {
  packed: string;
  attr: number;
  firstCluster: number;
  size: number;
  mtime: Date;
}

/** Writes one short entry at `at`. */
export function encodeShortEntry(e: ShortEntryInit, buf: Buffer, at: number): void {
  const t = fatDateTime(e.mtime);
  DirEntry.encode(
    {
      name: e.packed,
      attr: e.attr,
      ntRes: 0,
      crtTimeTenth: t.tenth,
      crtTime: t.time,
      crtDate: t.date,
      lstAccDate: t.date,
      fstClusHi: (e.firstCluster >>> 16) & 0xffff,
      wrtTime: t.time,
      wrtDate: t.date,
      fstClusLo: e.firstCluster & 0xffff,
      fileSize: e.size,
    },
    buf,
    at,
  );
}

