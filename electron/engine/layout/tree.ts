/**
 * The planned tree: every folder and file of the source with its FAT32 names (exact 8.3 names kept,
 * long names with unique generated 8.3 names), folder sizes in directory entries, and every refusal a
 * name, size or folder can cause (case clashes, files ≥ 4 GiB, too many entries, nesting too deep).
 */
import { SevenStickError } from '../io/errors.js';
import { FAT32_MAX_FILE_SIZE } from '../io/limits.js';
import { DIRENT_SIZE } from './fat32/dirent.js';
import { lfnCount } from './fat32/lfn.js';
import { formatBytes } from '../../shared/format.js';
import type { PlannedNode } from './plan.js';
import { checkLongName, exactShortName, fatUpper, ShortNameTable } from './shortname.js';
import type { SourceEntry } from './source.js';

/** Windows caps a directory at 65536 entries (2 MiB). */
export const MAX_DIR_ENTRIES = 65536;
/** Largest FAT32 file: 4 GiB − 1. */
export const MAX_FILE_SIZE = FAT32_MAX_FILE_SIZE;

export interface Tree {
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

/** `maxFileSize`: the FAT32 limit (a parameter so tests can lower it, see io/limits.ts). */
export function buildTree(sourceRoot: SourceEntry, hasLabel: boolean, maxFileSize: number = MAX_FILE_SIZE): Tree {
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
      if (!k.isDirectory && k.size > maxFileSize) {
        const isWim = /install\.(wim|esd)$/i.test(k.name);
        throw new SevenStickError(
          'E_FILE_TOO_LARGE',
          `"${path}" is ${formatBytes(k.size)}: FAT32 cannot hold a file of ${maxFileSize === MAX_FILE_SIZE ? '4 GiB' : formatBytes(maxFileSize + 1)} or more. ` +
            (isWim
              ? 'Keep only the edition you install (`--edition N --only-edition`; `inspect` says which fit), split it into .swm parts under 4 GiB (DISM /Split-Image, or `wimlib-imagex split install.wim install.swm 4000`) and build an ISO with those, or use a Windows 7 ISO whose install.wim is smaller than 4 GiB.'
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
