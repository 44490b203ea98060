/**
 * ISO 9660 (ECMA-119) volume descriptors from sector 16 (ECMA-119 8.4 primary, 8.5 supplementary —
 * Joliet is a supplementary descriptor whose escape sequence is %/@, %/C or %/E — and 8.2 boot record
 * for El Torito), and the directory record (ECMA-119 9.1).
 */
import { defineStruct } from '../../io/struct.js';

export const ISO_SECTOR = 2048;
export const VD_START_SECTOR = 16;

export const VolumeDescriptor = defineStruct('ISO 9660 volume descriptor', 2048, {
  type: [0, 'u8'],
  standardId: [1, 'ascii', 5],
  version: [6, 'u8'],
  /** Boot record only: "EL TORITO SPECIFICATION" (El Torito 1.0, 2.0). */
  bootSystemId: [7, 'ascii', 32],
  /** Boot record only: sector of the boot catalog. */
  bootCatalog: [0x47, 'u32le'],
  systemId: [8, 'bytes', 32],
  volumeId: [40, 'bytes', 32],
  volumeSpaceSize: [80, 'u32lsbmsb'],
  escapeSequences: [88, 'bytes', 32],
  logicalBlockSize: [128, 'u16lsbmsb'],
  rootDirectoryRecord: [156, 'bytes', 34],
  creationDate: [813, 'ascii', 17],
});

export const VdType = { BootRecord: 0, Primary: 1, Supplementary: 2, Partition: 3, Terminator: 255 } as const;

export const DirectoryRecord = defineStruct('ISO 9660 directory record', 33, {
  length: [0, 'u8'],
  extAttrLength: [1, 'u8'],
  extent: [2, 'u32lsbmsb'],
  dataLength: [10, 'u32lsbmsb'],
  date: [18, 'bytes', 7],
  flags: [25, 'u8'],
  fileUnitSize: [26, 'u8'],
  interleaveGap: [27, 'u8'],
  volumeSequence: [28, 'u16lsbmsb'],
  nameLength: [32, 'u8'],
});

export const DirFlag = { Hidden: 0x01, Directory: 0x02, Associated: 0x04, MultiExtent: 0x80 } as const;

/** ECMA-119 9.1.5 recording date: years since 1900, month, day, hour, minute, second, GMT offset (15 min units). */
export const RecordingDate = defineStruct('ISO 9660 recording date', 7, {
  year: [0, 'u8'],
  month: [1, 'u8'],
  day: [2, 'u8'],
  hour: [3, 'u8'],
  minute: [4, 'u8'],
  second: [5, 'u8'],
  gmtOffset: [6, 'i8'],
});

export function decodeRecordingDate(buf: Buffer, base = 0): Date {
  const d = RecordingDate.decode(buf, base);
  const ms = Date.UTC(1900 + d.year, d.month - 1, d.day, d.hour, d.minute, d.second) - d.gmtOffset * 15 * 60_000;
  return Number.isFinite(ms) ? new Date(ms) : new Date(0);
}
