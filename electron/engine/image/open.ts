/**
 * Opening an image's filesystem (UDF preferred, else Joliet, else ISO 9660) and walking it.
 */
import { SevenStickError, formatError } from '../io/errors.js';
import type { ByteReader } from '../io/reader.js';
import type { FsNode, ImageFileSystem } from './fs.js';
import { Iso9660FileSystem, readVolumeDescriptors } from './iso9660/index.js';
import { UdfFileSystem, detectUdf } from './udf/index.js';

/**
 * The filesystem of an optical image: UDF when the image has a UDF recognition sequence
 * (Microsoft's ISOs hold everything in UDF; their ISO 9660 side has only README.TXT),
 * else Joliet, else plain ISO 9660. E_FORMAT when there is neither.
 */
export async function openFileSystem(reader: ByteReader): Promise<ImageFileSystem> {
  if ((await detectUdf(reader)) !== undefined) return UdfFileSystem.open(reader);
  if (await readVolumeDescriptors(reader)) return Iso9660FileSystem.open(reader, true);
  throw formatError(`${reader.label} holds neither a UDF nor an ISO 9660 filesystem`);
}

function nodeKey(node: FsNode): string {
  return UdfFileSystem.nodeKey(node) ?? Iso9660FileSystem.nodeKey(node) ?? `path:${node.path}`;
}

export interface WalkOptions {
  /** Upper bound on nodes visited (hostile images); default 1,000,000. */
  maxNodes?: number;
  /** Deepest folder level; default 256. */
  maxDepth?: number;
  signal?: AbortSignal;
}

/**
 * Every node below the root, depth-first, parents before their children, children in image order.
 * A folder reached twice (a directory loop or a hard-linked folder) is an E_FORMAT error.
 */
export async function* walk(fs: ImageFileSystem, opts: WalkOptions = {}): AsyncGenerator<FsNode> {
  const maxNodes = opts.maxNodes ?? 1_000_000;
  const maxDepth = opts.maxDepth ?? 256;
  const seen = new Set<string>([nodeKey(fs.root)]);
  let count = 0;
  async function* visit(dir: FsNode, depth: number): AsyncGenerator<FsNode> {
    if (depth > maxDepth) throw new SevenStickError('E_LIMIT', `${fs.reader.label}: folders nest deeper than ${maxDepth} levels at ${dir.path}`);
    for (const child of await fs.list(dir)) {
      if (opts.signal?.aborted) throw new SevenStickError('E_CANCELLED', 'Cancelled');
      if (++count > maxNodes) throw new SevenStickError('E_LIMIT', `${fs.reader.label}: more than ${maxNodes} files and folders`);
      yield child;
      if (child.isDirectory) {
        const key = nodeKey(child);
        if (seen.has(key)) throw formatError(`${fs.reader.label}: folder ${child.path} is reached twice (directory loop)`);
        seen.add(key);
        yield* visit(child, depth + 1);
      }
    }
  }
  yield* visit(fs.root, 1);
}
