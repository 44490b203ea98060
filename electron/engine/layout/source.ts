/**
 * The abstract tree the planner lays out: a directory tree whose files can be opened as
 * ByteReaders. Built from an image's filesystem (sourceFromImageFs), from a local folder
 * (tests), or by hand; extra files (efi/boot/bootx64.efi) are merged in with addSourceFile.
 */
import { SevenStickError } from '../io/errors.js';
import { fatUpper } from './shortname.js';
import type { ByteReader } from '../io/reader.js';
import type { FsNode, ImageFileSystem } from '../image/fs.js';

export interface SourceEntry {
  name: string;
  isDirectory: boolean;
  /** File size in bytes (0 for directories). */
  size: number;
  mtime: Date;
  children?: SourceEntry[];
  /** A reader over the file's bytes; called when the stream needs them (possibly more than once). */
  open?(): ByteReader;
}

/** Guards against hostile trees (directory cycles, absurd sizes). */
export const MAX_SOURCE_DEPTH = 128;
export const MAX_SOURCE_ENTRIES = 1_000_000;

/**
 * Walks an image filesystem into a SourceEntry tree (names, sizes, times; file bytes stay in the
 * image and are read through the filesystem's extent readers).
 */
export async function sourceFromImageFs(fs: ImageFileSystem): Promise<SourceEntry> {
  let count = 0;
  const walk = async (node: FsNode, depth: number): Promise<SourceEntry> => {
    if (!node.isDirectory) {
      return { name: node.name, isDirectory: false, size: node.size, mtime: node.mtime, open: () => fs.open(node) };
    }
    if (depth > MAX_SOURCE_DEPTH) {
      throw new SevenStickError('E_LIMIT', `${fs.reader.label}: folders nested deeper than ${MAX_SOURCE_DEPTH} levels at "${node.path}"`, {
        path: node.path,
      });
    }
    const children: SourceEntry[] = [];
    for (const child of await fs.list(node)) {
      if (++count > MAX_SOURCE_ENTRIES) {
        throw new SevenStickError('E_LIMIT', `${fs.reader.label}: more than ${MAX_SOURCE_ENTRIES} files and folders`);
      }
      children.push(await walk(child, depth + 1));
    }
    return { name: node.name, isDirectory: true, size: 0, mtime: node.mtime, children };
  };
  return walk(fs.root, 0);
}

/** Case-insensitive child lookup. */
export function findChild(dir: SourceEntry, name: string): SourceEntry | undefined {
  const u = fatUpper(name);
  return dir.children?.find((c) => fatUpper(c.name) === u);
}

/** Case-insensitive lookup of a '/'-separated path. */
export function findSourcePath(root: SourceEntry, path: string): SourceEntry | undefined {
  let cur: SourceEntry | undefined = root;
  for (const part of path.split('/').filter((p) => p.length > 0)) {
    if (!cur?.isDirectory) return undefined;
    cur = findChild(cur, part);
  }
  return cur;
}

/**
 * Returns a copy of `root` with `file` added at `path` (folders matched case-insensitively,
 * created when missing with the file's time). An existing entry of that name is replaced.
 * The input tree is not modified.
 */
export function addSourceFile(root: SourceEntry, path: string, file: SourceEntry): SourceEntry {
  const parts = path.split('/').filter((p) => p.length > 0);
  if (parts.length === 0) throw new SevenStickError('E_ARGS', 'addSourceFile: empty path');
  const insert = (dir: SourceEntry, i: number): SourceEntry => {
    const name = parts[i] as string;
    const children = [...(dir.children ?? [])];
    const u = fatUpper(name);
    const at = children.findIndex((c) => fatUpper(c.name) === u);
    if (i === parts.length - 1) {
      const entry = { ...file, name: at >= 0 ? (children[at] as SourceEntry).name : name };
      if (at >= 0) children[at] = entry;
      else children.push(entry);
    } else {
      const existing = at >= 0 ? children[at] : undefined;
      if (existing && !existing.isDirectory) {
        throw new SevenStickError('E_FORMAT', `Cannot add ${path}: "${existing.name}" is a file, not a folder`);
      }
      const sub = insert(existing ?? { name, isDirectory: true, size: 0, mtime: file.mtime, children: [] }, i + 1);
      if (at >= 0) children[at] = sub;
      else children.push(sub);
    }
    return { ...dir, children };
  };
  return insert(root, 0);
}

/** Returns a copy of `root` without the entry at `path` (matched case-insensitively); the same tree when absent. */
export function removeSourcePath(root: SourceEntry, path: string): SourceEntry {
  const parts = path.split('/').filter((p) => p.length > 0);
  const remove = (dir: SourceEntry, i: number): SourceEntry => {
    const u = fatUpper(parts[i] as string);
    const children = dir.children ?? [];
    const at = children.findIndex((c) => fatUpper(c.name) === u);
    if (at < 0) return dir;
    const next = [...children];
    if (i === parts.length - 1) next.splice(at, 1);
    else if ((children[at] as SourceEntry).isDirectory) next[at] = remove(children[at] as SourceEntry, i + 1);
    else return dir;
    return { ...dir, children: next };
  };
  return parts.length ? remove(root, 0) : root;
}
