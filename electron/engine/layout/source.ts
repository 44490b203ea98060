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
  /**
   * Optional fast path: reads `length` bytes at `offset` of the file into `buf` at `at` (no new
   * buffer). Used by streams that recycle their chunk buffers (DiskImageStream.chunks' reuseBuffers).
   */
  readInto?(offset: number, length: number, buf: Buffer, at: number): Promise<void>;
}

/** Reads bytes of the image into a caller's buffer (e.g. through a file handle of the image). */
export type ImageReadInto = (imageOffset: number, length: number, buf: Buffer, at: number) => Promise<void>;

/** Guards against hostile trees (directory cycles, absurd sizes). */
export const MAX_SOURCE_DEPTH = 128;
export const MAX_SOURCE_ENTRIES = 1_000_000;

/**
 * A reader over an image file that hands reads lying inside one recorded extent straight to the
 * image reader (one buffer, no copy); anything else (extent boundaries, sparse parts) goes
 * through the filesystem's own reader.
 */
export function directExtentReader(fs: ImageFileSystem, node: FsNode): ByteReader {
  const general = fs.open(node);
  const starts: number[] = [];
  let pos = 0;
  for (const e of node.extents) {
    starts.push(pos);
    pos += e.length;
  }
  if (pos !== general.size) return general;
  return {
    size: general.size,
    label: general.label,
    read(offset: number, length: number): Promise<Buffer> {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] as number) <= offset) lo = mid;
        else hi = mid - 1;
      }
      const e = node.extents[lo];
      const within = offset - (starts[lo] ?? 0);
      if (e && e.offset !== null && length > 0 && within >= 0 && within + length <= e.length && offset + length <= general.size) {
        return fs.reader.read(e.offset + within, length);
      }
      return general.read(offset, length);
    },
  };
}

/**
 * readInto for an image file: straight from the image when the range lies inside one recorded
 * extent, else through the filesystem's reader and a copy.
 */
function extentReadInto(fs: ImageFileSystem, node: FsNode, imageReadInto: ImageReadInto): SourceEntry['readInto'] {
  const starts: number[] = [];
  let pos = 0;
  for (const e of node.extents) {
    starts.push(pos);
    pos += e.length;
  }
  let general: ByteReader | undefined;
  return async (offset, length, buf, at) => {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > node.size || at + length > buf.length) {
      throw new SevenStickError('E_RANGE', `${node.path}: read of ${length} bytes at ${offset} lies outside the file`, { path: node.path });
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const e = node.extents[lo];
    const within = offset - (starts[lo] ?? 0);
    if (pos === node.size && e && e.offset !== null && within >= 0 && within + length <= e.length && e.offset + within + length <= fs.reader.size) {
      return imageReadInto(e.offset + within, length, buf, at);
    }
    general ??= fs.open(node);
    (await general.read(offset, length)).copy(buf, at);
  };
}

/**
 * Walks an image filesystem into a SourceEntry tree (names, sizes, times; file bytes stay in the
 * image). With `imageReadInto`, files also get the readInto fast path.
 */
export async function sourceFromImageFs(fs: ImageFileSystem, imageReadInto?: ImageReadInto): Promise<SourceEntry> {
  let count = 0;
  const walk = async (node: FsNode, depth: number): Promise<SourceEntry> => {
    if (!node.isDirectory) {
      const entry: SourceEntry = { name: node.name, isDirectory: false, size: node.size, mtime: node.mtime, open: () => directExtentReader(fs, node) };
      if (imageReadInto) entry.readInto = extentReadInto(fs, node, imageReadInto);
      return entry;
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
