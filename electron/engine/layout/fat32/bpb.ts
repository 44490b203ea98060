/**
 * FAT32 boot sector: BPB + FAT32 extended BPB (Microsoft fatgen103, "Boot Sector and BPB",
 * "FAT32 Structure Starting at Offset 36"). The boot code around it comes from bootcode.ts.
 */
import { defineStruct } from '../../io/struct.js';

export const SECTOR = 512;

/** fatgen103 — offsets of BS_* / BPB_* fields. */
export const Fat32BootSector = defineStruct('FAT32 boot sector', SECTOR, {
  jmpBoot: [0, 'bytes', 3], // BS_jmpBoot
  oemName: [3, 'ascii', 8], // BS_OEMName
  bytsPerSec: [11, 'u16le'], // BPB_BytsPerSec
  secPerClus: [13, 'u8'], // BPB_SecPerClus
  rsvdSecCnt: [14, 'u16le'], // BPB_RsvdSecCnt
  numFats: [16, 'u8'], // BPB_NumFATs
  rootEntCnt: [17, 'u16le'], // BPB_RootEntCnt (0 on FAT32)
  totSec16: [19, 'u16le'], // BPB_TotSec16 (0 on FAT32)
  media: [21, 'u8'], // BPB_Media
  fatSz16: [22, 'u16le'], // BPB_FATSz16 (0 on FAT32)
  secPerTrk: [24, 'u16le'], // BPB_SecPerTrk
  numHeads: [26, 'u16le'], // BPB_NumHeads
  hiddSec: [28, 'u32le'], // BPB_HiddSec: partition start LBA (the BIOS chain relies on it)
  totSec32: [32, 'u32le'], // BPB_TotSec32
  fatSz32: [36, 'u32le'], // BPB_FATSz32
  extFlags: [40, 'u16le'], // BPB_ExtFlags (0: FATs mirrored)
  fsVer: [42, 'u16le'], // BPB_FSVer (0.0)
  rootClus: [44, 'u32le'], // BPB_RootClus
  fsInfo: [48, 'u16le'], // BPB_FSInfo
  bkBootSec: [50, 'u16le'], // BPB_BkBootSec
  reserved: [52, 'bytes', 12], // BPB_Reserved
  drvNum: [64, 'u8'], // BS_DrvNum
  reserved1: [65, 'u8'], // BS_Reserved1
  bootSig: [66, 'u8'], // BS_BootSig (0x29: the next three fields are present)
  volId: [67, 'u32le'], // BS_VolID
  volLab: [71, 'ascii', 11], // BS_VolLab
  filSysType: [82, 'ascii', 8], // BS_FilSysType
  signature: [510, 'u16le'], // 0xAA55
});

/** The bytes [3, 90) the boot code builder takes: OEM name, BPB and extended BPB. */
export const BPB_START = Fat32BootSector.offsetOf('oemName');
export const BPB_END = Fat32BootSector.offsetOf('filSysType') + 8;

export interface Fat32Geometry {
  partitionStart: number; // LBA
  totalSectors: number;
  sectorsPerCluster: number;
  reservedSectors: number;
  fatSectors: number;
  rootCluster: number;
  fsInfoSector: number;
  backupBootSector: number;
  volumeId: number;
  volumeLabel: string; // 11 chars, padded
}

/** A boot sector holding `g`'s BPB and no boot code (bootcode.ts adds the code around bytes 3..89). */
export function encodeBpb(g: Fat32Geometry): Buffer {
  const buf = Buffer.alloc(SECTOR);
  Fat32BootSector.encode(
    {
      jmpBoot: Buffer.from([0xeb, 0x58, 0x90]),
      oemName: 'MSWIN4.1',
      bytsPerSec: SECTOR,
      secPerClus: g.sectorsPerCluster,
      rsvdSecCnt: g.reservedSectors,
      numFats: 2,
      rootEntCnt: 0,
      totSec16: 0,
      media: 0xf8,
      fatSz16: 0,
      secPerTrk: 63,
      numHeads: 255,
      hiddSec: g.partitionStart,
      totSec32: g.totalSectors,
      fatSz32: g.fatSectors,
      extFlags: 0,
      fsVer: 0,
      rootClus: g.rootCluster,
      fsInfo: g.fsInfoSector,
      bkBootSec: g.backupBootSector,
      drvNum: 0x80,
      reserved1: 0,
      bootSig: 0x29,
      volId: g.volumeId,
      volLab: g.volumeLabel,
      filSysType: 'FAT32   ',
      signature: 0xaa55,
    },
    buf,
  );
  return buf;
}
