/**
 * Reading a WIM resource (a blob, the blob table, or an image's metadata) as a random-access
 * ByteReader over its *uncompressed* bytes.
 *
 * Layout of a compressed, non-solid resource [wimlib include/wimlib/resource.h, src/resource.c]:
 * the chunk table comes first — (numChunks − 1) entries, each the offset of chunk i+1 relative to
 * the end of the table, 4 bytes wide, or 8 when the uncompressed size exceeds 4 GiB — then the
 * chunks back to back. Every chunk but the last holds `chunkSize` uncompressed bytes; a chunk whose
 * stored size equals its uncompressed size is stored raw. Chunks are independent, so any byte
 * range is served by decompressing only the chunks it touches (a small LRU cache keeps partial
 * chunks for small sequential reads such as directory entries).
 */
import { SevenStickError } from '../../io/errors.js';
import { checkRange, type ByteReader } from '../../io/reader.js';
import { ResourceFlag, type CompressionType, type ResourceHeader } from './header.js';
import { LzxDecoder } from './lzx.js';
import { XpressDecoder, XPRESS_MAX_CHUNK } from './xpress.js';

export interface ChunkDecoder {
  decompress(input: Uint8Array, out: Uint8Array): void;
}

/** One decoder per compression type and chunk size, shared by all resources (JS is single-threaded). */
const decoders = new Map<string, ChunkDecoder>();
export function decoderFor(compression: CompressionType, chunkSize: number): ChunkDecoder {
  const key = `${compression}/${chunkSize}`;
  let d = decoders.get(key);
  if (!d) {
    if (compression === 'lzx') d = new LzxDecoder(chunkSize);
    else if (compression === 'xpress') {
      if (chunkSize > XPRESS_MAX_CHUNK) throw new SevenStickError('E_UNSUPPORTED', `XPRESS chunk size ${chunkSize} is not supported`);
      d = new XpressDecoder();
    } else if (compression === 'lzms') {
      throw new SevenStickError('E_UNSUPPORTED', 'LZMS compression (used by .esd files) is not supported');
    } else throw new SevenStickError('E_UNSUPPORTED', `Compression ${compression} is not supported`);
    decoders.set(key, d);
  }
  return d;
}

/** Compressed bytes fetched from the WIM in one read when streaming many chunks. */
const BATCH_BYTES = 2 * 1024 * 1024;
const CACHE_CHUNKS = 16;

export class ResourceReader implements ByteReader {
  readonly size: number;
  private chunkOffsets: Float64Array | undefined;
  private tablePromise: Promise<Float64Array> | undefined;
  private readonly cache = new Map<number, Buffer>();
  private readonly numChunks: number;

  constructor(
    private readonly wim: ByteReader,
    readonly res: ResourceHeader,
    private readonly compression: CompressionType,
    readonly chunkSize: number,
    readonly label: string,
  ) {
    this.size = res.originalSize;
    if (res.flags & ResourceFlag.SOLID) {
      throw new SevenStickError('E_UNSUPPORTED', `${label}: solid resources (as in .esd files) are not supported`);
    }
    if (res.flags & ResourceFlag.SPANNED) {
      throw new SevenStickError('E_UNSUPPORTED', `${label}: resources spanning a split (.swm) WIM set are not supported`);
    }
    if (!Number.isSafeInteger(res.offset) || !Number.isSafeInteger(res.storedSize) || res.offset + res.storedSize > wim.size) {
      throw new SevenStickError('E_FORMAT', `${label}: resource at ${res.offset}+${res.storedSize} lies past the end of ${wim.label}`, {
        offset: res.offset,
      });
    }
    if (!this.compressed) {
      if (res.originalSize > 0 && res.storedSize !== res.originalSize) {
        throw new SevenStickError('E_FORMAT', `${label}: uncompressed resource with stored size ${res.storedSize} ≠ size ${res.originalSize}`);
      }
      this.numChunks = 0;
    } else {
      if (!(chunkSize > 0 && (chunkSize & (chunkSize - 1)) === 0)) {
        throw new SevenStickError('E_UNSUPPORTED', `${label}: chunk size ${chunkSize} is not supported`);
      }
      decoderFor(compression, chunkSize);
      this.numChunks = Math.ceil(res.originalSize / chunkSize);
    }
  }

  get compressed(): boolean {
    return (this.res.flags & ResourceFlag.COMPRESSED) !== 0 && this.res.originalSize > 0;
  }

  /** Loads and checks the chunk table: absolute WIM offsets of every chunk, plus the end. */
  private table(): Promise<Float64Array> {
    if (this.chunkOffsets) return Promise.resolve(this.chunkOffsets);
    this.tablePromise ??= this.loadTable().then((t) => (this.chunkOffsets = t));
    return this.tablePromise;
  }

  private async loadTable(): Promise<Float64Array> {
    const { res, numChunks, chunkSize, label } = this;
    const entrySize = res.originalSize > 0xffffffff ? 8 : 4;
    const tableBytes = (numChunks - 1) * entrySize;
    if (tableBytes > res.storedSize) {
      throw new SevenStickError('E_FORMAT', `${label}: chunk table (${tableBytes} bytes) is larger than the resource (${res.storedSize})`);
    }
    const raw = tableBytes > 0 ? await this.wim.read(res.offset, tableBytes) : Buffer.alloc(0);
    const base = res.offset + tableBytes;
    const dataSize = res.storedSize - tableBytes;
    const offs = new Float64Array(numChunks + 1);
    offs[0] = base;
    for (let i = 1; i < numChunks; i++) {
      const rel = entrySize === 4 ? raw.readUInt32LE((i - 1) * 4) : Number(raw.readBigUInt64LE((i - 1) * 8));
      offs[i] = base + rel;
    }
    offs[numChunks] = base + dataSize;
    for (let i = 0; i < numChunks; i++) {
      const stored = offs[i + 1]! - offs[i]!;
      const usize = i === numChunks - 1 ? res.originalSize - i * chunkSize : chunkSize;
      if (!(stored > 0) || stored > usize) {
        throw new SevenStickError('E_FORMAT', `${label}: chunk ${i} has an impossible stored size ${stored} (uncompressed ${usize})`, {
          offset: offs[i]!,
        });
      }
    }
    return offs;
  }

  private decodeChunk(i: number, input: Uint8Array, out: Uint8Array, offs: Float64Array): void {
    if (input.length === out.length) {
      out.set(input);
      return;
    }
    try {
      decoderFor(this.compression, this.chunkSize).decompress(input, out);
    } catch (e) {
      if (e instanceof SevenStickError) {
        throw new SevenStickError(e.code, `${this.label}: chunk ${i}: ${e.message}`, { offset: offs[i]! });
      }
      throw e;
    }
  }

  private chunkUSize(i: number): number {
    return i === this.numChunks - 1 ? this.size - i * this.chunkSize : this.chunkSize;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, offset, length);
    if (!this.compressed) return this.wim.read(this.res.offset + offset, length);
    const out = Buffer.allocUnsafe(length);
    if (length === 0) return out;
    const offs = await this.table();
    const cs = this.chunkSize;
    const end = offset + length;
    let i = Math.floor(offset / cs);
    const last = Math.floor((end - 1) / cs);
    while (i <= last) {
      const cached = this.cache.get(i);
      if (cached) {
        const cStart = i * cs;
        const from = Math.max(offset, cStart);
        const to = Math.min(end, cStart + cached.length);
        cached.copy(out, from - offset, from - cStart, to - cStart);
        this.cache.delete(i);
        this.cache.set(i, cached);
        i++;
        continue;
      }
      // Batch: chunks i..j (not cached) whose compressed bytes we fetch in one read.
      let j = i;
      while (j < last && offs[j + 2]! - offs[i]! <= BATCH_BYTES && !this.cache.has(j + 1)) j++;
      const packed = await this.wim.read(offs[i]!, offs[j + 1]! - offs[i]!);
      for (let k = i; k <= j; k++) {
        const input = packed.subarray(offs[k]! - offs[i]!, offs[k + 1]! - offs[i]!);
        const cStart = k * cs;
        const usize = this.chunkUSize(k);
        if (cStart >= offset && cStart + usize <= end) {
          this.decodeChunk(k, input, out.subarray(cStart - offset, cStart - offset + usize), offs);
        } else {
          const buf = Buffer.allocUnsafe(usize);
          this.decodeChunk(k, input, buf, offs);
          const from = Math.max(offset, cStart);
          const to = Math.min(end, cStart + usize);
          buf.copy(out, from - offset, from - cStart, to - cStart);
          this.cache.set(k, buf);
          if (this.cache.size > CACHE_CHUNKS) this.cache.delete(this.cache.keys().next().value as number);
        }
      }
      i = j + 1;
    }
    return out;
  }
}
