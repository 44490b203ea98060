/**
 * The whole stick, planned up front and deterministically: MBR with one active FAT32 (LBA)
 * partition at 1 MiB, FAT32 geometry by Microsoft's default cluster-size table (fatgen103),
 * every directory and file in one contiguous cluster run, long and unique 8.3 names.
 * Nothing is read or written here except the tree's names, sizes and times; every refusal
 * (file ≥ 4 GiB, target too small, names FAT32 cannot hold) happens while planning, before any write.
 * The pieces: geometry.ts (fixed places, cluster sizes), tree.ts (names, folder sizes, refusals),
 * directory.ts (a folder's bytes); here the size check and the cluster allocation.
 */
import { createHash } from 'node:crypto';
import { formatBytes, stickSizeToBuy } from '../../shared/format.js';
import { SevenStickError } from '../io/errors.js';
import { SECTOR, type Fat32Geometry } from './fat32/bpb.js';
import {
  BACKUP_BOOT_SECTOR,
  FSINFO_SECTOR,
  geometryFor,
  MiB,
  PARTITION_START_LBA,
  RESERVED_SECTORS,
  ROOT_CLUSTER,
  type Geometry,
} from './geometry.js';
import { fatUpper } from './shortname.js';
import type { SourceEntry } from './source.js';
import { buildTree, type Tree } from './tree.js';
import { vhdDiskSize } from './vhd.js';


export interface PlanOptions {
  /** Bytes of the target (the whole disk, without a VHD footer). */
  targetSize: number;
  /** Volume label source (the ISO label); made FAT-legal here. */
  label?: string;
  /** Plan a fixed VHD: the disk size is rounded down to what its CHS geometry covers. */
  vhd?: boolean;
  /** Force a cluster size in bytes (tests); default: Microsoft's table. */
  clusterSize?: number;
  /** The largest file FAT32 may hold (default 4 GiB − 1; tests lower it, see io/limits.ts). */
  maxFileSize?: number;
}

/** One directory or file of the plan. */
export interface PlannedNode {
  readonly source: SourceEntry;
  /** '/'-separated path from the root ('' for the root itself). */
  readonly path: string;
  readonly isDirectory: boolean;
  /** 11-byte 8.3 name (`NAME    EXT`); '' for the root. */
  readonly shortName: string;
  /** Whether LFN entries carry the real name (false when the name is an exact 8.3 name). */
  readonly needsLfn: boolean;
  /** File size, or the directory's size in bytes (its entries, before cluster rounding). */
  readonly size: number;
  /** First cluster (0 for empty files). */
  firstCluster: number;
  /** Clusters in the run. */
  clusters: number;
  readonly children: PlannedNode[];
  readonly parent: PlannedNode | undefined;
}

export interface DiskPlan {
  /** Bytes of the disk (without a VHD footer). */
  readonly diskSize: number;
  readonly vhd: boolean;
  readonly partitionStart: number; // LBA
  readonly partitionSectors: number;
  readonly geometry: Fat32Geometry;
  readonly clusterSize: number;
  /** Data clusters in the volume (numbered 2 .. clusterCount+1). */
  readonly clusterCount: number;
  /** Clusters in use (directories and files), all in 2 .. 2+usedClusters−1. */
  readonly usedClusters: number;
  /** Absolute byte offsets on the disk. */
  readonly partitionOffset: number;
  readonly fatOffset: number;
  readonly fatBytes: number;
  readonly dataOffset: number;
  readonly label: string; // 11 chars as in the BPB
  readonly hasLabelEntry: boolean;
  readonly diskSignature: number;
  readonly root: PlannedNode;
  /** Every node with clusters, in cluster order. */
  readonly allocated: readonly PlannedNode[];
  /** Every file, in tree order (for verification and tests). */
  readonly files: readonly PlannedNode[];
}


/** An 11-character FAT volume label from an ISO label: upper case, FAT-legal, '' if nothing is left. */
export function volumeLabelFrom(label: string | undefined): string {
  let out = '';
  for (const ch of Array.from(fatUpper(label ?? ''))) {
    if (out.length >= 11) break;
    if (/^[A-Z0-9 $%'\-_@~`!(){}^#&]$/.test(ch)) out += ch;
    else out += '_';
  }
  return out.trimEnd().replace(/^ +/, '');
}

function clustersNeeded(tree: Tree, clusterSize: number): number {
  let n = 0;
  for (const d of tree.dirs) n += Math.max(1, Math.ceil(d.size / clusterSize));
  for (const f of tree.files) n += Math.ceil(f.size / clusterSize);
  return n;
}

function fits(tree: Tree, diskSize: number, spcWanted: number | undefined): Geometry | undefined {
  for (const g of geometryFor(diskSize, spcWanted)) {
    if (clustersNeeded(tree, g.spc * SECTOR) <= g.usableClusters) return g;
  }
  return undefined;
}

/** Smallest disk size (whole MiB) that holds `tree`. */
function minimumDiskSize(tree: Tree, spcWanted: number | undefined): number {
  let lo = 1;
  let hi = 1;
  while (!fits(tree, hi * MiB, spcWanted)) {
    hi *= 2;
    if (hi > 64 * 1024 * 1024) return Infinity; // > 64 TiB: beyond any MBR disk
  }
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(tree, mid * MiB, spcWanted)) hi = mid;
    else lo = mid + 1;
  }
  return hi * MiB;
}

/** Plans the stick for `source` on a target of `opts.targetSize` bytes. Throws SevenStickError before anything is written. */
export function planDisk(source: SourceEntry, opts: PlanOptions): DiskPlan {
  if (!source.isDirectory) throw new SevenStickError('E_ARGS', 'planDisk: the source must be a folder tree');
  if (!Number.isSafeInteger(opts.targetSize) || opts.targetSize <= 0) {
    throw new SevenStickError('E_ARGS', `Bad target size ${opts.targetSize}`);
  }
  let spcWanted: number | undefined;
  if (opts.clusterSize !== undefined) {
    spcWanted = opts.clusterSize / SECTOR;
    if (![1, 2, 4, 8, 16, 32, 64].includes(spcWanted)) {
      throw new SevenStickError('E_ARGS', `Bad cluster size ${opts.clusterSize}: FAT32 here uses 512 bytes to 32 KiB`);
    }
  }
  const vhd = opts.vhd === true;
  const diskSize = vhd ? vhdDiskSize(opts.targetSize) : Math.floor(opts.targetSize / SECTOR) * SECTOR;
  const label = volumeLabelFrom(opts.label);
  const tree = buildTree(source, label.length > 0, opts.maxFileSize);
  const g = fits(tree, diskSize, spcWanted);
  if (!g) {
    const minimum = minimumDiskSize(tree, spcWanted);
    throw new SevenStickError(
      'E_TARGET_TOO_SMALL',
      `The target holds ${formatBytes(diskSize)}, but this image needs at least ${formatBytes(minimum)} ` +
        `(a ${stickSizeToBuy(minimum)} or larger stick)` +
        (diskSize < 40 * MiB ? '; FAT32 itself needs about 34 MiB' : '') +
        '.',
      { needed: minimum, available: diskSize },
    );
  }
  const clusterSize = g.spc * SECTOR;

  // Allocation: directories breadth-first (root at cluster 2), then BOOTMGR, then files in tree order.
  const allocated: PlannedNode[] = [];
  let next = ROOT_CLUSTER;
  const place = (n: PlannedNode, bytes: number, min: number): void => {
    const c = Math.max(min, Math.ceil(bytes / clusterSize));
    n.clusters = c;
    n.firstCluster = c > 0 ? next : 0;
    next += c;
    if (c > 0) allocated.push(n);
  };
  for (const d of tree.dirs) place(d, d.size, 1);
  const bootmgr = tree.root.children.find((c) => !c.isDirectory && c.shortName === 'BOOTMGR    ');
  if (bootmgr) place(bootmgr, bootmgr.size, 0);
  for (const f of tree.files) if (f !== bootmgr) place(f, f.size, 0);
  const usedClusters = next - ROOT_CLUSTER;
  if (usedClusters > g.usableClusters) throw new Error('internal: allocation overflow');

  const partitionOffset = PARTITION_START_LBA * SECTOR;
  const hash = createHash('sha1');
  hash.update(`${diskSize}\0${label}\0${clusterSize}\0`);
  for (const n of allocated) hash.update(`${n.path}\0${n.size}\0${n.source.mtime.getTime()}\0`);
  const digest = hash.digest();
  const geometry: Fat32Geometry = {
    partitionStart: PARTITION_START_LBA,
    totalSectors: g.partitionSectors,
    sectorsPerCluster: g.spc,
    reservedSectors: RESERVED_SECTORS,
    fatSectors: g.fatSectors,
    rootCluster: ROOT_CLUSTER,
    fsInfoSector: FSINFO_SECTOR,
    backupBootSector: BACKUP_BOOT_SECTOR,
    volumeId: digest.readUInt32LE(0),
    volumeLabel: (label || 'NO NAME').padEnd(11, ' '),
  };
  return {
    diskSize,
    vhd,
    partitionStart: PARTITION_START_LBA,
    partitionSectors: g.partitionSectors,
    geometry,
    clusterSize,
    clusterCount: g.clusterCount,
    usedClusters,
    partitionOffset,
    fatOffset: partitionOffset + RESERVED_SECTORS * SECTOR,
    fatBytes: g.fatSectors * SECTOR,
    dataOffset: partitionOffset + g.dataSector * SECTOR,
    label: geometry.volumeLabel,
    hasLabelEntry: label.length > 0,
    diskSignature: digest.readUInt32LE(4),
    root: tree.root,
    allocated,
    files: tree.files,
  };
}

/** Byte offset of a cluster on the disk. */
export function clusterOffset(plan: DiskPlan, cluster: number): number {
  return plan.dataOffset + (cluster - ROOT_CLUSTER) * plan.clusterSize;
}
