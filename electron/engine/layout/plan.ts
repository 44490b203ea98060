/**
 * The whole stick, planned up front and deterministically: MBR with one active FAT32 (LBA)
 * partition at 1 MiB, FAT32 geometry by Microsoft's default cluster-size table (fatgen103),
 * every directory and file in one contiguous cluster run, long and unique 8.3 names.
 * Nothing is read or written here except the tree's names, sizes and times; every refusal
 * (file ≥ 4 GiB, target too small, names FAT32 cannot hold) happens here, before any write.
 */
import { createHash } from 'node:crypto';
import { formatBytes, stickSizeToBuy } from '../../shared/format.js';
import { SevenStickError } from '../io/errors.js';
import { SECTOR, type Fat32Geometry } from './fat32/bpb.js';
import { ATTR_ARCHIVE, ATTR_DIRECTORY, ATTR_VOLUME_ID, DIRENT_SIZE, encodeShortEntry } from './fat32/dirent.js';
import { encodeLfnEntries, lfnCount } from './fat32/lfn.js';
import { MBR_MAX_SECTORS } from './mbr.js';
import { checkLongName, exactShortName, fatUpper, shortNameChecksum, ShortNameTable } from './shortname.js';
import type { SourceEntry } from './source.js';
import { vhdDiskSize } from './vhd.js';

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
/** Windows caps a directory at 65536 entries (2 MiB). */
export const MAX_DIR_ENTRIES = 65536;
/** Largest FAT32 file: 4 GiB − 1. */
export const MAX_FILE_SIZE = 0xffffffff;
export const END_OF_CHAIN = 0x0fffffff;

export interface PlanOptions {
  /** Bytes of the target (the whole disk, without a VHD footer). */
  targetSize: number;
  /** Volume label source (the ISO label); made FAT-legal here. */
  label?: string;
  /** Plan a fixed VHD: the disk size is rounded down to what its CHS geometry covers. */
  vhd?: boolean;
  /** Force a cluster size in bytes (tests); default: Microsoft's table. */
  clusterSize?: number;
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

interface Tree {
  root: PlannedNode;
  dirs: PlannedNode[]; // BFS order, root first
  files: PlannedNode[]; // DFS pre-order
}

function compareNames(a: SourceEntry, b: SourceEntry): number {
  const ua = fatUpper(a.name);
  const ub = fatUpper(b.name);
  if (ua !== ub) return ua < ub ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function buildTree(sourceRoot: SourceEntry, hasLabel: boolean): Tree {
  const mk = (source: SourceEntry, path: string, parent: PlannedNode | undefined, shortName: string, needsLfn: boolean): PlannedNode => ({
    source,
    path,
    isDirectory: source.isDirectory,
    shortName,
    needsLfn,
    size: source.isDirectory ? 0 : source.size,
    firstCluster: 0,
    clusters: 0,
    children: [],
    parent,
  });
  const root = mk(sourceRoot, '', undefined, '', false);
  const dirs: PlannedNode[] = [];
  const files: PlannedNode[] = [];
  let count = 0;
  const visit = (node: PlannedNode, depth: number): void => {
    dirs.push(node);
    if (depth > 255) throw new SevenStickError('E_LIMIT', `"${node.path}": folders nested too deep`, { path: node.path });
    const kids = [...(node.source.children ?? [])].sort(compareNames);
    for (let i = 1; i < kids.length; i++) {
      if (fatUpper((kids[i] as SourceEntry).name) === fatUpper((kids[i - 1] as SourceEntry).name)) {
        const p = join(node.path, (kids[i] as SourceEntry).name);
        throw new SevenStickError(
          'E_UNSUPPORTED',
          `"${join(node.path, (kids[i - 1] as SourceEntry).name)}" and "${p}" differ only in upper/lower case; FAT32 cannot hold both`,
          { path: p },
        );
      }
    }
    const table = new ShortNameTable();
    const exact = new Map<SourceEntry, string>();
    for (const k of kids) {
      if (++count > 4_000_000) throw new SevenStickError('E_LIMIT', 'More than 4 million files and folders');
      const path = join(node.path, k.name);
      checkLongName(k.name, path);
      if (!k.isDirectory && (!Number.isSafeInteger(k.size) || k.size < 0)) {
        throw new SevenStickError('E_FORMAT', `"${path}": bad file size ${k.size}`, { path });
      }
      if (!k.isDirectory && k.size > MAX_FILE_SIZE) {
        const isWim = /install\.(wim|esd)$/i.test(k.name);
        throw new SevenStickError(
          'E_FILE_TOO_LARGE',
          `"${path}" is ${formatBytes(k.size)}: FAT32 cannot hold a file of 4 GiB or more. ` +
            (isWim
              ? 'Split it into .swm parts under 4 GiB (DISM /Split-Image, or `wimlib-imagex split install.wim install.swm 4000`) and build an ISO with those, or use a Windows 7 ISO whose install.wim is smaller than 4 GiB.'
              : 'Remove or split that file, or use an image without it.'),
          { path, size: k.size },
        );
      }
      const packed = exactShortName(k.name);
      if (packed !== undefined && table.reserve(packed)) exact.set(k, packed);
    }
    for (const k of kids) {
      const path = join(node.path, k.name);
      const packed = exact.get(k);
      const child = packed !== undefined ? mk(k, path, node, packed, false) : mk(k, path, node, table.generate(k.name, path), true);
      node.children.push(child);
    }
    const entries = (node.parent ? 2 : hasLabel ? 1 : 0) + node.children.reduce((n, c) => n + 1 + (c.needsLfn ? lfnCount(c.source.name) : 0), 0);
    if (entries > MAX_DIR_ENTRIES) {
      throw new SevenStickError('E_LIMIT', `"${node.path || '/'}" has too many entries for one FAT32 folder (${entries} > ${MAX_DIR_ENTRIES})`, {
        path: node.path,
      });
    }
    (node as { size: number }).size = entries * DIRENT_SIZE;
    for (const c of node.children) {
      if (c.isDirectory) visit(c, depth + 1);
      else files.push(c);
    }
  };
  visit(root, 0);
  // Directories breadth-first is nicer for locality; reorder the DFS list into BFS.
  const bfs: PlannedNode[] = [];
  const queue: PlannedNode[] = [root];
  for (let i = 0; i < queue.length; i++) {
    const d = queue[i] as PlannedNode;
    bfs.push(d);
    for (const c of d.children) if (c.isDirectory) queue.push(c);
  }
  if (bfs.length !== dirs.length) throw new Error('internal: directory walk mismatch');
  return { root, dirs: bfs, files };
}

function join(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

interface Geometry {
  diskSectors: number;
  partitionSectors: number;
  spc: number;
  fatSectors: number;
  clusterCount: number;
  dataSector: number;
  /** Clusters usable for data (the disk's last 33 sectors stay free). */
  usableClusters: number;
}

function geometryFor(diskSize: number, spcWanted: number | undefined): Geometry[] {
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
  const tree = buildTree(source, label.length > 0);
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

/** The directory's clusters as bytes: its entries (LFN + 8.3), zero-padded to the run. */
export function encodeDirectory(plan: DiskPlan, dir: PlannedNode): Buffer {
  const buf = Buffer.alloc(dir.clusters * plan.clusterSize);
  let at = 0;
  const mtime = dir.source.mtime;
  if (dir.parent) {
    encodeShortEntry({ packed: '.          ', attr: ATTR_DIRECTORY, firstCluster: dir.firstCluster, size: 0, mtime }, buf, at);
    at += DIRENT_SIZE;
    // '..' of a first-level folder points at cluster 0, not at the root cluster (fatgen103).
    const up = dir.parent.parent ? dir.parent.firstCluster : 0;
    encodeShortEntry({ packed: '..         ', attr: ATTR_DIRECTORY, firstCluster: up, size: 0, mtime: dir.parent.source.mtime }, buf, at);
    at += DIRENT_SIZE;
  } else if (plan.hasLabelEntry) {
    encodeShortEntry({ packed: plan.label, attr: ATTR_VOLUME_ID, firstCluster: 0, size: 0, mtime }, buf, at);
    at += DIRENT_SIZE;
  }
  for (const c of dir.children) {
    if (c.needsLfn) at += encodeLfnEntries(c.source.name, shortNameChecksum(c.shortName), buf, at);
    encodeShortEntry(
      {
        packed: c.shortName,
        attr: c.isDirectory ? ATTR_DIRECTORY : ATTR_ARCHIVE,
        firstCluster: c.firstCluster,
        size: c.isDirectory ? 0 : c.size,
        mtime: c.source.mtime,
      },
      buf,
      at,
    );
    at += DIRENT_SIZE;
  }
  return buf;
}
