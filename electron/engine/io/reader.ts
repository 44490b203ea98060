/**
 * Random-access reading. Every parser in the engine reads through a ByteReader:
 * a file, a block device, an in-memory buffer, a byte range of another reader,
 * or a file made of extents inside an image (a UDF file, a WIM inside an ISO).
 * Reads are bounds-checked; a read that cannot be satisfied is an error with a code,
 * never a short buffer.
 */
import { promises as fsp, readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { SevenStickError, toSevenStickError } from './errors.js';

/** The largest single read the engine ever asks for; anything larger is a malformed length. */
export const MAX_READ = 256 * 1024 * 1024;

export interface ByteReader {
  /** Total size in bytes. */
  readonly size: number;
  /** What the reader reads, for error messages (a path, or `install.wim in /x.iso`). */
  readonly label: string;
  /** Exactly `length` bytes starting at `offset`, or a SevenStickError (E_RANGE / E_IO). */
  read(offset: number, length: number): Promise<Buffer>;
  /**
   * Optional: the same bytes written into `buf` at `at` instead of a new buffer (lets a stream
   * recycle its buffers). Use `readInto()` below, which falls back to read + copy.
   */
  readInto?(offset: number, length: number, buf: Buffer, at: number): Promise<void>;
}

/** Reads `length` bytes at `offset` of `reader` into `buf` at `at`, without a copy where the reader allows. */
export async function readInto(reader: ByteReader, offset: number, length: number, buf: Buffer, at: number): Promise<void> {
  if (!Number.isSafeInteger(at) || at < 0 || at + length > buf.length) {
    throw new SevenStickError('E_RANGE', `${reader.label}: target buffer too small for ${length} bytes at ${at}`);
  }
  if (reader.readInto) return reader.readInto(offset, length, buf, at);
  (await reader.read(offset, length)).copy(buf, at);
}

export interface ClosableReader extends ByteReader {
  close(): Promise<void>;
}

/** Throws E_RANGE unless [offset, offset+length) lies inside [0, size). */
export function checkRange(reader: Pick<ByteReader, 'size' | 'label'>, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new SevenStickError('E_RANGE', `${reader.label}: invalid read of ${length} bytes at ${offset}`, { offset });
  }
  if (length > MAX_READ) {
    throw new SevenStickError('E_LIMIT', `${reader.label}: refusing a single read of ${length} bytes at ${offset}`, { offset });
  }
  if (offset + length > reader.size) {
    throw new SevenStickError(
      'E_RANGE',
      `${reader.label}: read of ${length} bytes at ${offset} goes past the end (${reader.size} bytes)`,
      { offset },
    );
  }
}

export class BufferReader implements ClosableReader {
  readonly size: number;
  constructor(
    private readonly buf: Buffer,
    readonly label = 'buffer',
  ) {
    this.size = buf.length;
  }
  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, offset, length);
    return Buffer.from(this.buf.subarray(offset, offset + length));
  }
  async readInto(offset: number, length: number, buf: Buffer, at: number): Promise<void> {
    checkRange(this, offset, length);
    this.buf.copy(buf, at, offset, offset + length);
  }
  async close(): Promise<void> {}
}

/** Size of a Linux block device from sysfs, by its device number. */
function linuxBlockDeviceSize(rdev: number): number | undefined {
  const major = Math.floor(rdev / 256) & 0xfff;
  const minor = (rdev & 0xff) | ((Math.floor(rdev / 4096) & ~0xff) >>> 0);
  try {
    const sectors = Number(readFileSync(`/sys/dev/block/${major}:${minor}/size`, 'utf8').trim());
    return Number.isSafeInteger(sectors) ? sectors * 512 : undefined;
  } catch {
    return undefined;
  }
}

/** Absolute name → the name to open instead (see aliasFile). */
const aliases = new Map<string, string>();

/**
 * Makes FileReader.open(name) open `openAs` instead, until the returned function is called. The
 * privileged helper maps the image the user named to the descriptor it opened with that user's rights
 * (/proc/self/fd/N), so every read comes from that open file while messages and format detection
 * (the file's extension) keep the user's name.
 */
export function aliasFile(name: string, openAs: string): () => void {
  const key = resolvePath(name);
  aliases.set(key, openAs);
  return () => {
    if (aliases.get(key) === openAs) aliases.delete(key);
  };
}

export class FileReader implements ClosableReader {
  private constructor(
    private readonly handle: fsp.FileHandle,
    readonly size: number,
    readonly label: string,
    readonly isBlockDevice: boolean,
  ) {}

  /** Opens a regular file or a block device read-only. */
  static async open(path: string): Promise<FileReader> {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(aliases.get(resolvePath(path)) ?? path, 'r');
    } catch (e) {
      throw toSevenStickError(e, 'E_IO', `Cannot open ${path}`, { path });
    }
    try {
      const st = await handle.stat();
      if (st.isDirectory()) throw new SevenStickError('E_ARGS', `${path} is a folder, not an image file`, { path });
      if (!st.isFile() && !st.isBlockDevice()) {
        const what = st.isCharacterDevice() ? 'a character device' : st.isFIFO() ? 'a pipe' : st.isSocket() ? 'a socket' : 'not a regular file';
        throw new SevenStickError('E_ARGS', `${path} is ${what}, not an image file (give an ISO or disk image file, or a block device)`, { path });
      }
      let size = st.size;
      const block = st.isBlockDevice();
      if (block) {
        const s = linuxBlockDeviceSize(st.rdev);
        if (s === undefined) throw new SevenStickError('E_DEVICE', `Cannot tell the size of ${path}`, { path });
        size = s;
      }
      return new FileReader(handle, size, path, block);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const buf = Buffer.allocUnsafe(length);
    await this.readInto(offset, length, buf, 0);
    return buf;
  }

  async readInto(offset: number, length: number, buf: Buffer, at: number): Promise<void> {
    checkRange(this, offset, length);
    let done = 0;
    while (done < length) {
      let n: number;
      try {
        ({ bytesRead: n } = await this.handle.read(buf, at + done, length - done, offset + done));
      } catch (e) {
        throw toSevenStickError(e, 'E_IO', `Read error in ${this.label} at byte ${offset + done}`, {
          path: this.label,
          offset: offset + done,
        });
      }
      if (n === 0) {
        throw new SevenStickError('E_RANGE', `${this.label} ended early: ${this.label} is shorter than it claims`, {
          path: this.label,
          offset: offset + done,
        });
      }
      done += n;
    }
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** A byte range of another reader, itself a reader. */
export class SliceReader implements ByteReader {
  constructor(
    private readonly base: ByteReader,
    private readonly start: number,
    readonly size: number,
    readonly label = `${base.label}[${start}+${size}]`,
  ) {
    checkRange(base, start, 0);
    if (!Number.isSafeInteger(size) || size < 0 || start + size > base.size) {
      throw new SevenStickError('E_RANGE', `${label}: range ${start}+${size} lies outside ${base.label}`, { offset: start });
    }
  }
  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, offset, length);
    return this.base.read(this.start + offset, length);
  }
  async readInto(offset: number, length: number, buf: Buffer, at: number): Promise<void> {
    checkRange(this, offset, length);
    return readInto(this.base, this.start + offset, length, buf, at);
  }
}

/** One piece of a file: `length` bytes at `offset` in the underlying reader, or zeros when `offset` is null. */
export interface Extent {
  /** Byte offset in the underlying reader, or null for a sparse (unrecorded) extent that reads as zeros. */
  readonly offset: number | null;
  readonly length: number;
}

/** A file made of extents in another reader (e.g. a UDF file inside an ISO). */
export class ExtentReader implements ByteReader {
  readonly size: number;
  /** Start of each extent within the file, for binary search. */
  private readonly starts: number[] = [];

  constructor(
    private readonly base: ByteReader,
    readonly extents: readonly Extent[],
    readonly label = base.label,
  ) {
    let pos = 0;
    for (const e of extents) {
      if (!Number.isSafeInteger(e.length) || e.length < 0) throw new SevenStickError('E_FORMAT', `${label}: bad extent length`);
      if (e.offset !== null && (e.offset < 0 || e.offset + e.length > base.size)) {
        throw new SevenStickError('E_RANGE', `${label}: extent at ${e.offset}+${e.length} lies past the end of ${base.label}`, {
          offset: e.offset,
        });
      }
      this.starts.push(pos);
      pos += e.length;
    }
    this.size = pos;
  }

  private indexOf(pos: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, offset, length);
    if (length === 0) return Buffer.alloc(0);
    // Inside one recorded extent: the underlying reader's buffer, no copy.
    const i = this.indexOf(offset);
    const e = this.extents[i] as Extent;
    const within = offset - (this.starts[i] as number);
    if (e.offset !== null && within + length <= e.length) return this.base.read(e.offset + within, length);
    const out = Buffer.allocUnsafe(length);
    await this.readInto(offset, length, out, 0);
    return out;
  }

  async readInto(offset: number, length: number, buf: Buffer, at: number): Promise<void> {
    checkRange(this, offset, length);
    let done = 0;
    let i = this.indexOf(offset);
    while (done < length) {
      const e = this.extents[i] as Extent;
      const within = offset + done - (this.starts[i] as number);
      const n = Math.min(e.length - within, length - done);
      if (n > 0) {
        if (e.offset === null) buf.fill(0, at + done, at + done + n);
        else await readInto(this.base, e.offset + within, n, buf, at + done);
        done += n;
      }
      i++;
    }
  }
}

/** Streams a reader's bytes (or a range of them) in chunks of at most `chunkSize`. */
export async function* readChunks(
  reader: ByteReader,
  chunkSize = 4 * 1024 * 1024,
  start = 0,
  end = reader.size,
  signal?: AbortSignal,
): AsyncGenerator<Buffer> {
  for (let pos = start; pos < end; pos += chunkSize) {
    if (signal?.aborted) throw new SevenStickError('E_CANCELLED', 'Cancelled');
    yield await reader.read(pos, Math.min(chunkSize, end - pos));
  }
}
