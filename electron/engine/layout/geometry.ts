/**
 * The disk's fixed places (partition at 1 MiB, reserved sectors, FSInfo and backups, the GPT tail) and
 * FAT32 geometry by Microsoft's default cluster-size table (fatgen103): the candidate cluster sizes
 * for a disk, each with its FAT size, cluster count and the clusters usable for data.
 */
import { SECTOR } from './fat32/bpb.js';
import { MBR_MAX_SECTORS } from './mbr.js';

export const MiB = 1024 * 1024;
/** Partition start: 1 MiB (LBA 2048). */
export const PARTITION_START_LBA = 2048;
export const RESERVED_SECTORS = 32;
export const FSINFO_SECTOR = 1;
export const BACKUP_BOOT_SECTOR = 6;
export const BACKUP_FSINFO_SECTOR = 7;
export const ROOT_CLUSTER = 2;
/** Sectors at the end of the disk zeroed so an old backup GPT cannot confuse firmware; never used for data. */
export const GPT_TAIL_SECTORS = 33;
/** fatgen103: a volume with fewer clusters is FAT16, not FAT32. */
export const MIN_FAT32_CLUSTERS = 65525;
/** fatgen103: cluster numbers stop below 0x0FFFFFF7. */
export const MAX_FAT32_CLUSTERS = 0x0ffffff5 - 2;
export const END_OF_CHAIN = 0x0fffffff;

/** fatgen103's default sectors-per-cluster for a FAT32 volume of `sectors` 512-byte sectors. */
export function defaultSectorsPerCluster(sectors: number): number {
  if (sectors <= 532480) return 1; // ≤ 260 MB (fatgen103 refuses ≤ 32.5 MB; we just check the cluster count)
  if (sectors <= 16777216) return 8; // ≤ 8 GB: 4 KiB
  if (sectors <= 33554432) return 16; // ≤ 16 GB: 8 KiB
  if (sectors <= 67108864) return 32; // ≤ 32 GB: 16 KiB
  return 64; // larger: 32 KiB (never more)
}

/** FAT size and cluster count for a partition (fatgen103's FATSz computation, data area aligned). */
export function fat32Layout(partitionSectors: number, spc: number): { fatSectors: number; clusterCount: number; dataSector: number } {
  const tmp1 = partitionSectors - RESERVED_SECTORS;
  const tmp2 = (256 * spc + 2) / 2;
  let fatSectors = Math.ceil(tmp1 / tmp2);
  // Align the data area (relative to the 1 MiB aligned partition) to the cluster size, at least 4 KiB.
  const align = Math.max(spc, 8);
  while ((RESERVED_SECTORS + 2 * fatSectors) % align !== 0) fatSectors++;
  const dataSector = RESERVED_SECTORS + 2 * fatSectors;
  const clusterCount = Math.max(0, Math.floor((partitionSectors - dataSector) / spc));
  return { fatSectors, clusterCount, dataSector };
}

export interface Geometry {
  diskSectors: number;
  partitionSectors: number;
  spc: number;
  fatSectors: number;
  clusterCount: number;
  dataSector: number;
  /** Clusters usable for data (the disk's last 33 sectors stay free). */
  usableClusters: number;
}

export function geometryFor(diskSize: number, spcWanted: number | undefined): Geometry[] {
  const diskSectors = Math.floor(diskSize / SECTOR);
  const partitionSectors = Math.min(diskSectors - PARTITION_START_LBA, MBR_MAX_SECTORS);
  if (partitionSectors <= RESERVED_SECTORS) return [];
  const first = spcWanted ?? defaultSectorsPerCluster(partitionSectors);
  const out: Geometry[] = [];
  // The default first; smaller clusters after it, for content that only fits with less slack.
  for (let spc = first; spc >= 1; spc = spc >> 1) {
    const l = fat32Layout(partitionSectors, spc);
    if (l.clusterCount >= MIN_FAT32_CLUSTERS && l.clusterCount <= MAX_FAT32_CLUSTERS) {
      const lastUsable = Math.min(PARTITION_START_LBA + partitionSectors, diskSectors - GPT_TAIL_SECTORS);
      const usableClusters = Math.max(0, Math.min(l.clusterCount, Math.floor((lastUsable - PARTITION_START_LBA - l.dataSector) / spc)));
      out.push({ diskSectors, partitionSectors, spc, ...l, usableClusters });
    }
    if (spcWanted !== undefined) break;
  }
  return out;
}
