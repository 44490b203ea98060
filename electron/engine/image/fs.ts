/**
 * The filesystem view every image reader (UDF, ISO 9660) offers: walk the tree,
 * stat, look a path up, and read a file's bytes through its extents — without
 * copying anything out of the image.
 */
import type { ByteReader, Extent } from '../io/reader.js';

export interface FsNode {
  /** Name as stored (long name, Unicode). The root's name is ''. */
  readonly name: string;
  /** Path from the root, '/'-separated, no leading slash ('' for the root). */
  readonly path: string;
  readonly isDirectory: boolean;
  /** File size in bytes (0 for directories). May exceed 4 GiB. */
  readonly size: number;
  /** Modification time as recorded in the image. */
  readonly mtime: Date;
  /** For files: where the bytes are in the image, in order; sparse parts have offset null. */
  readonly extents: readonly Extent[];
}

export interface ImageFileSystem {
  readonly kind: 'udf' | 'iso9660';
  /** Volume label (UDF logical volume identifier, or ISO 9660 / Joliet volume identifier). */
  readonly label: string;
  /** The image the filesystem lives in. */
  readonly reader: ByteReader;
  readonly root: FsNode;
  /** Children of a directory, in the order the image stores them. */
  list(dir: FsNode): Promise<FsNode[]>;
  /** Case-insensitive lookup of a '/'-separated path; undefined when absent. */
  lookup(path: string): Promise<FsNode | undefined>;
  /** A reader over a file's bytes (its extents in the image). */
  open(file: FsNode): ByteReader;
}

/**
 * Case-insensitive walk of a '/'-separated path from `root`, one component at a time through
 * `child(dir, lowerCaseName)` — each filesystem finds a child its own cheapest way.
 */
export async function lookupPath(
  root: FsNode,
  path: string,
  child: (dir: FsNode, lowerCaseName: string) => Promise<FsNode | undefined>,
): Promise<FsNode | undefined> {
  let node = root;
  for (const part of path.split('/').filter((p) => p !== '')) {
    if (!node.isDirectory) return undefined;
    const next = await child(node, part.toLowerCase());
    if (!next) return undefined;
    node = next;
  }
  return node;
}
