/**
 * FAT32 FSInfo sector (Microsoft fatgen103, "FAT32 FSInfo Sector Structure").
 */
import { defineStruct } from '../../io/struct.js';
import { SECTOR } from './bpb.js';

/** fatgen103 — offsets of FSI_* fields. */
export const FsInfo = defineStruct('FAT32 FSInfo', SECTOR, {
  leadSig: [0, 'u32le'], // FSI_LeadSig 0x41615252
  strucSig: [484, 'u32le'], // FSI_StrucSig 0x61417272
  freeCount: [488, 'u32le'], // FSI_Free_Count
  nxtFree: [492, 'u32le'], // FSI_Nxt_Free
  trailSig: [508, 'u32le'], // FSI_TrailSig 0xAA550000
});

export function encodeFsInfo(freeCount: number, nextFree: number): Buffer {
  return FsInfo.encode(
    { leadSig: 0x41615252, strucSig: 0x61417272, freeCount, nxtFree: nextFree, trailSig: 0xaa550000 },
    Buffer.alloc(SECTOR),
  );
}
