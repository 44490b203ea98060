/**
 * A WIM file opened for reading: images, their directory trees, and every file's bytes —
 * through a ByteReader, so a WIM inside an ISO (an ExtentReader over a UDF file) reads exactly
 * like a WIM on disk. Every blob is checked against its SHA-1 when read in full.
 */
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { SevenStickError } from '../../io/errors.js';
import { BufferReader, checkRange, type ByteReader } from '../../io/reader.js';
import { WimHeaderFlag, readWimHeader, readWimXmlText, type WimHeader } from './header.js';
import { ResourceReader } from './resource.js';
import { parseBlobTable, type BlobTable } from './blobtable.js';
import { FILE_ATTRIBUTE_DIRECTORY, readDentry, readDirectory, rootDentryOffset, type RawDentry } from './dentry.js';

export interface WimStream {
  name: string;
  /** SHA-1 (hex) of the stream, or null for an empty stream. */
  sha1: string | null;
  size: number;
}

export interface WimEntry {
  /** 1-based image the entry belongs to. */
  readonly imageIndex: number;
  readonly name: string;
  readonly shortName: string;
  /** Path from the image root, '/'-separated, no leading slash ('' for the root). */
  readonly path: string;
  readonly isDirectory: boolean;
  readonly attributes: number;
  /** Size of the unnamed data stream (the file's contents). */
  readonly size: number;
  /** SHA-1 (hex) of the unnamed data stream, or null when it is empty. */
  readonly sha1: string | null;
  readonly lastWriteTime: Date;
  /** Named (alternate) data streams. */
  readonly streams: readonly WimStream[];
  /** Where the children's list starts in the image's metadata (0 for none). */
  readonly subdirOffset: number;
}

/** Uncompressed metadata larger than this is refused (Win7 images are tens of MiB). */
const MAX_METADATA = 1024 * 1024 * 1024;
/** Chunk size used when streaming a file out. */
const STREAM_CHUNK = 1024 * 1024;
const DIR_CACHE = 64;
/** SHA-1 of zero bytes: an empty stream may be recorded with it instead of the zero hash. */
const EMPTY_SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
/** readFile() holds the whole file in memory: meant for boot files, not multi-GB blobs. */
const MAX_READ_FILE = 256 * 1024 * 1024;

interface ImageMeta {
  reader: ResourceReader;
  root: RawDentry;
}

function normalisePath(path: string): string[] {
  return path.split(/[/\\]+/).filter((p) => p !== '' && p !== '.');
}

/** Checks a blob's SHA-1 as its bytes are read sequentially; see BlobReader. */
class Sha1Tracker {
  private hash: Hash | undefined = createHash('sha1');
  private hashedTo = 0;
  constructor(
    private readonly size: number,
    private readonly expected: string | null,
    private readonly what: string,
  ) {
    if (size === 0) this.finish();
  }

  /** Feeds `buf` (the bytes at `offset`); throws E_CHECKSUM when the last byte arrives and the hash differs. */
  feed(offset: number, buf: Buffer): void {
    if (!this.hash || offset > this.hashedTo || offset + buf.length <= this.hashedTo) return;
    this.hash.update(buf.subarray(this.hashedTo - offset));
    this.hashedTo = offset + buf.length;
    if (this.hashedTo >= this.size) this.finish();
  }

  get done(): boolean {
    return this.hash === undefined;
  }

  private finish(): void {
    const got = this.hash?.digest('hex');
    this.hash = undefined;
    const want = this.expected ?? (this.size === 0 ? null : '');
    if (this.size === 0 && want === null) return;
    if (got !== want) {
      throw new SevenStickError('E_CHECKSUM', `${this.what}: SHA-1 mismatch (expected ${want}, got ${got}) — the WIM is damaged`, {
        path: this.what,
      });
    }
  }
}

/**
 * A blob's uncompressed bytes. Reading it front to back (in any chunking, overlaps allowed)
 * checks its SHA-1 when the last byte is read: a mismatch throws E_CHECKSUM from that read.
 */
export class BlobReader implements ByteReader {
  readonly size: number;
  private readonly tracker: Sha1Tracker;
  constructor(
    private readonly inner: ByteReader,
    readonly sha1: string | null,
    readonly label: string,
  ) {
    this.size = inner.size;
    this.tracker = new Sha1Tracker(this.size, sha1, label);
  }
  /** True once every byte was read in order and the SHA-1 matched. */
  get verified(): boolean {
    return this.tracker.done;
  }
  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, offset, length);
    const buf = await this.inner.read(offset, length);
    this.tracker.feed(offset, buf);
    return buf;
  }
}

export class Wim {
  private readonly metas = new Map<number, Promise<ImageMeta>>();
  private readonly dirCache = new Map<string, RawDentry[]>();

  private constructor(
    readonly reader: ByteReader,
    readonly header: WimHeader,
    readonly xmlText: string,
    private readonly blobs: BlobTable,
  ) {}

  static async open(reader: ByteReader): Promise<Wim> {
    const header = await readWimHeader(reader);
    const label = reader.label;
    if (header.totalParts > 1 || header.flags & WimHeaderFlag.SPANNED) {
      throw new SevenStickError(
        'E_UNSUPPORTED',
        `${label} is part ${header.partNumber} of a split WIM set (.swm, ${header.totalParts} parts); split WIMs are not supported`,
      );
    }
    if (header.compression === 'lzms' || header.version === 0xe00) {
      throw new SevenStickError('E_UNSUPPORTED', `${label} uses LZMS/solid compression (an .esd file); only LZX, XPRESS and uncompressed WIMs are supported`);
    }
    if (header.chunkSize === 0) header.chunkSize = 32768;
    const bt = header.blobTable;
    if (bt.originalSize > 256 * 1024 * 1024) throw new SevenStickError('E_LIMIT', `${label}: blob table is implausibly large`);
    const btReader = new ResourceReader(reader, bt, header.compression, header.chunkSize, `${label} (blob table)`);
    const blobs = parseBlobTable(await btReader.read(0, bt.originalSize), label);
    if (blobs.metadata.length < header.imageCount) {
      throw new SevenStickError('E_FORMAT', `${label}: header lists ${header.imageCount} images but the blob table has ${blobs.metadata.length}`);
    }
    const xmlText = await readWimXmlText(reader, header);
    return new Wim(reader, header, xmlText, blobs);
  }

  get imageCount(): number {
    return this.header.imageCount;
  }

  get label(): string {
    return this.reader.label;
  }

  private meta(imageIndex: number): Promise<ImageMeta> {
    if (!Number.isInteger(imageIndex) || imageIndex < 1 || imageIndex > this.imageCount) {
      return Promise.reject(
        new SevenStickError('E_NOT_FOUND', `${this.label} has no image ${imageIndex} (it has ${this.imageCount})`, { path: this.label }),
      );
    }
    let p = this.metas.get(imageIndex);
    if (!p) {
      p = this.loadMeta(imageIndex);
      this.metas.set(imageIndex, p);
      p.catch(() => this.metas.delete(imageIndex));
    }
    return p;
  }

  private async loadMeta(imageIndex: number): Promise<ImageMeta> {
    const entry = this.blobs.metadata[imageIndex - 1]!;
    const label = `${this.label} image ${imageIndex} metadata`;
    if (entry.res.originalSize > MAX_METADATA) throw new SevenStickError('E_LIMIT', `${label} is implausibly large`);
    const reader = new ResourceReader(this.reader, entry.res, this.header.compression, this.header.chunkSize, label);
    const rootAt = await rootDentryOffset(reader, label);
    const r = await readDentry(reader, rootAt, label);
    if (!r) throw new SevenStickError('E_FORMAT', `${label}: no root directory`);
    return { reader, root: r.dentry };
  }

  private blobSize(sha1: string | null): number {
    if (sha1 === null) return 0;
    return this.blobs.byHash.get(sha1)?.res.originalSize ?? 0;
  }

  private toEntry(imageIndex: number, d: RawDentry, path: string): WimEntry {
    return {
      imageIndex,
      name: d.name,
      shortName: d.shortName,
      path,
      isDirectory: (d.attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0,
      attributes: d.attributes,
      size: this.blobSize(d.dataHash),
      sha1: d.dataHash,
      lastWriteTime: d.lastWriteTime,
      streams: [...d.namedStreams].map(([name, sha1]) => ({ name, sha1, size: this.blobSize(sha1) })),
      subdirOffset: d.subdirOffset,
    };
  }

  private async children(imageIndex: number, dir: { subdirOffset: number }): Promise<RawDentry[]> {
    const meta = await this.meta(imageIndex);
    const key = `${imageIndex}:${dir.subdirOffset}`;
    let list = this.dirCache.get(key);
    if (!list) {
      list = await readDirectory(meta.reader, dir.subdirOffset, meta.reader.label);
      this.dirCache.set(key, list);
      if (this.dirCache.size > DIR_CACHE) this.dirCache.delete(this.dirCache.keys().next().value as string);
    }
    return list;
  }

  /** Case-insensitive lookup of a '/'-separated path in image `imageIndex` (1-based). */
  async lookup(imageIndex: number, path: string): Promise<WimEntry | undefined> {
    const meta = await this.meta(imageIndex);
    let cur = meta.root;
    const parts = normalisePath(path);
    const done: string[] = [];
    for (const part of parts) {
      if (!(cur.attributes & FILE_ATTRIBUTE_DIRECTORY)) return undefined;
      const kids = await this.children(imageIndex, cur);
      const lower = part.toLowerCase();
      const hit = kids.find((k) => k.name === part) ?? kids.find((k) => k.name.toLowerCase() === lower);
      if (!hit) return undefined;
      cur = hit;
      done.push(hit.name);
    }
    return this.toEntry(imageIndex, cur, done.join('/'));
  }

  /** The entries of a directory, in stored order. E_NOT_FOUND if it is missing, E_ARGS if it is a file. */
  async list(imageIndex: number, dirPath: string): Promise<WimEntry[]> {
    const dir = await this.lookup(imageIndex, dirPath);
    if (!dir) throw new SevenStickError('E_NOT_FOUND', `${dirPath} is not in image ${imageIndex} of ${this.label}`, { path: dirPath });
    if (!dir.isDirectory) throw new SevenStickError('E_ARGS', `${dirPath} in ${this.label} is a file, not a folder`, { path: dirPath });
    const kids = await this.children(imageIndex, dir);
    return kids.map((k) => this.toEntry(imageIndex, k, dir.path ? `${dir.path}/${k.name}` : k.name));
  }

  private streamOf(entry: WimEntry, streamName?: string): { sha1: string | null; what: string } {
    const what = `${entry.path || '/'}${streamName ? ':' + streamName : ''} in ${this.label} (image ${entry.imageIndex})`;
    if (!streamName) {
      if (entry.isDirectory) throw new SevenStickError('E_ARGS', `${what} is a folder, not a file`, { path: entry.path });
      return { sha1: entry.sha1, what };
    }
    const s = entry.streams.find((x) => x.name === streamName) ?? entry.streams.find((x) => x.name.toLowerCase() === streamName.toLowerCase());
    if (!s) throw new SevenStickError('E_NOT_FOUND', `${what}: no such stream`, { path: entry.path });
    return { sha1: s.sha1, what };
  }

  /**
   * Random access to a file's bytes (or a named stream's). Reading it front to back checks the
   * SHA-1 (E_CHECKSUM from the read that completes it); see BlobReader.
   */
  open(entry: WimEntry, streamName?: string): BlobReader {
    const { sha1, what } = this.streamOf(entry, streamName);
    if (sha1 === null) return new BlobReader(new BufferReader(Buffer.alloc(0), what), null, what);
    const blob = this.blobs.byHash.get(sha1);
    if (!blob && sha1 === EMPTY_SHA1) return new BlobReader(new BufferReader(Buffer.alloc(0), what), sha1, what);
    if (!blob) throw new SevenStickError('E_FORMAT', `${what}: its data (SHA-1 ${sha1}) is missing from the WIM`, { path: entry.path });
    if (blob.partNumber !== 1 && blob.partNumber !== this.header.partNumber) {
      throw new SevenStickError('E_UNSUPPORTED', `${what} is stored in part ${blob.partNumber} of a split WIM set (.swm)`);
    }
    const res = new ResourceReader(this.reader, blob.res, this.header.compression, this.header.chunkSize, what);
    return new BlobReader(res, sha1, what);
  }

  /** Streams a file's bytes in order; the SHA-1 is checked before the iterator finishes. */
  async *chunks(entry: WimEntry, streamName?: string, chunkSize = STREAM_CHUNK, signal?: AbortSignal): AsyncGenerator<Buffer> {
    const r = this.open(entry, streamName);
    for (let pos = 0; pos < r.size; pos += chunkSize) {
      if (signal?.aborted) throw new SevenStickError('E_CANCELLED', 'Cancelled');
      yield await r.read(pos, Math.min(chunkSize, r.size - pos));
    }
    if (!r.verified) throw new SevenStickError('E_CHECKSUM', `${r.label}: not verified`);
  }

  /** Reads a whole file into memory (meant for small files such as bootmgfw.efi), SHA-1 checked. */
  async readFile(imageIndex: number, path: string): Promise<Buffer> {
    const entry = await this.lookup(imageIndex, path);
    if (!entry) throw new SevenStickError('E_NOT_FOUND', `${path} is not in image ${imageIndex} of ${this.label}`, { path });
    if (entry.size > MAX_READ_FILE) {
      throw new SevenStickError('E_LIMIT', `${entry.path} (${entry.size} bytes) is too large to read into memory; stream it with chunks() or extractTo()`, {
        path: entry.path,
      });
    }
    const parts: Buffer[] = [];
    for await (const c of this.chunks(entry)) parts.push(c);
    return Buffer.concat(parts);
  }

  /** Writes a file's bytes to `out` (respecting backpressure); resolves with the byte count once the SHA-1 matched. */
  async extractTo(entry: WimEntry, out: Writable, streamName?: string, onBytes?: (n: number) => void): Promise<number> {
    let n = 0;
    for await (const c of this.chunks(entry, streamName)) {
      n += c.length;
      if (!out.write(c)) await once(out, 'drain');
      onBytes?.(c.length);
    }
    return n;
  }

  /** Reads a file (or stream) completely and checks its SHA-1; throws E_CHECKSUM on a mismatch. */
  async verifyBlob(entry: WimEntry, streamName?: string): Promise<void> {
    for await (const _ of this.chunks(entry, streamName)) {
      // reading is the check
    }
  }

  /** Walks an image's whole tree depth-first (files and folders, not the root). */
  async *walk(imageIndex: number, dirPath = ''): AsyncGenerator<WimEntry> {
    const start = await this.lookup(imageIndex, dirPath);
    if (!start) throw new SevenStickError('E_NOT_FOUND', `${dirPath} is not in image ${imageIndex} of ${this.label}`, { path: dirPath });
    if (!start.isDirectory) return;
    for await (const { dentry, path } of this.walkRaw(imageIndex, start)) yield this.toEntry(imageIndex, dentry, path);
  }

  /** The raw entries below a folder, depth-first; a directory cycle is E_FORMAT. */
  private async *walkRaw(imageIndex: number, start: { path: string; subdirOffset: number }): AsyncGenerator<{ dentry: RawDentry; path: string }> {
    const seen = new Set<number>();
    const stack = [start];
    while (stack.length) {
      const dir = stack.pop()!;
      if (dir.subdirOffset === 0) continue;
      if (seen.has(dir.subdirOffset)) throw new SevenStickError('E_FORMAT', `${this.label}: directory cycle at ${dir.path}`);
      seen.add(dir.subdirOffset);
      for (const dentry of await this.children(imageIndex, dir)) {
        const path = dir.path ? `${dir.path}/${dentry.name}` : dentry.name;
        yield { dentry, path };
        if (dentry.attributes & FILE_ATTRIBUTE_DIRECTORY) stack.push({ path, subdirOffset: dentry.subdirOffset });
      }
    }
  }

  /**
   * The blobs image `imageIndex` references — every stream of every entry, the root included
   * (file data, named streams, reparse data) — as SHA-1 (hex) → number of references. Reads the
   * image's metadata only, no file data.
   */
  async referencedBlobs(imageIndex: number): Promise<Map<string, number>> {
    const meta = await this.meta(imageIndex);
    const refs = new Map<string, number>();
    const add = (d: RawDentry): void => {
      for (const h of d.streamHashes) refs.set(h, (refs.get(h) ?? 0) + 1);
    };
    add(meta.root);
    for await (const { dentry } of this.walkRaw(imageIndex, { path: '', subdirOffset: meta.root.subdirOffset })) add(dentry);
    return refs;
  }

  /** The parsed blob table (data blobs by SHA-1, metadata resources in image order). */
  get blobTable(): BlobTable {
    return this.blobs;
  }
}

export function openWim(reader: ByteReader): Promise<Wim> {
  return Wim.open(reader);
}
