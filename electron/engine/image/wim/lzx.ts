/**
 * LZX decompressor for the WIM variant of the format.
 *
 * Facts (Microsoft "LZX Data Compression Format" 1997, [MS-PATCH] 2014, and wimlib's notes on
 * where WIM differs, src/lzx_decompress.c / lzx_common.c):
 * - every WIM chunk (normally 32 KiB) is compressed independently: the window is the chunk,
 *   code lengths start at 0, and the repeat offsets R0..R2 start at 1;
 * - a chunk is a sequence of blocks: 3-bit type (1 verbatim, 2 aligned offset, 3 uncompressed),
 *   then 1 bit "size is 32768", else a 16-bit size (plus 8 more bits when the window is ≥ 64 KiB);
 * - the bitstream is 16-bit little-endian words read MSB-first;
 * - code lengths come delta-coded through a 20-symbol pretree (4-bit lengths); the main code
 *   (256 literals + 8 length headers × offset slots) in two runs, then the 249-symbol length code;
 *   aligned blocks first carry 8 × 3-bit aligned-code lengths;
 * - uncompressed blocks: pad to 16 bits (16 bits when already aligned), R0 R1 R2 as u32 LE,
 *   the raw bytes, one pad byte when the size is odd;
 * - afterwards, E8 (x86 CALL) translation is undone with a fixed file size of 12000000,
 *   for E8 bytes before the last 10 bytes of the chunk.
 *
 * Written for speed: typed arrays, two-level table decoding, the bit buffer in locals,
 * no allocation per chunk.
 */
import { SevenStickError } from '../../io/errors.js';
import { buildDecodeTable, copyMatch, decodeTableSize } from './huffman.js';

const NUM_CHARS = 256;
const NUM_LEN_HEADERS = 8;
const NUM_PRIMARY_LENS = 7;
const MIN_MATCH = 2;
const LEN_SYMS = 249;
const PRE_SYMS = 20;
const ALIGNED_SYMS = 8;
const MAX_CODE_LEN = 16;
const MAIN_TABLEBITS = 12;
const LEN_TABLEBITS = 10;
const PRE_TABLEBITS = 8;
const ALIGNED_TABLEBITS = 7;
const E8_FILE_SIZE = 12000000;
/** Worst case the pretree run coding writes past the end of a lengths array (18: 20+31 zeros). */
const LENS_OVERRUN = 51;

const BLOCK_VERBATIM = 1;
const BLOCK_ALIGNED = 2;
const BLOCK_UNCOMPRESSED = 3;

/** Offset slot → first formatted offset, and number of extra bits. */
const SLOT_BASE = new Int32Array(51);
const SLOT_EXTRA = new Uint8Array(50);
for (let s = 0, base = 0; s < 50; s++) {
  SLOT_BASE[s] = base;
  const extra = s < 4 ? 0 : Math.min((s >> 1) - 1, 17);
  SLOT_EXTRA[s] = extra;
  base += 1 << extra;
  SLOT_BASE[s + 1] = base;
}

/** Word reads go through a Uint16Array, which uses the host's byte order: little-endian (x86, ARM) only. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function lzxError(what: string): SevenStickError {
  return new SevenStickError('E_FORMAT', `Corrupt LZX data: ${what}`);
}

export class LzxDecoder {
  readonly windowOrder: number;
  readonly numMainSyms: number;
  private readonly mainLens: Uint8Array;
  private readonly lenLens = new Uint8Array(LEN_SYMS + LENS_OVERRUN);
  private readonly preLens = new Uint8Array(PRE_SYMS);
  private readonly alignedLens = new Uint8Array(ALIGNED_SYMS);
  private readonly mainTable: Int32Array;
  private readonly lenTable = new Int32Array(decodeTableSize(LEN_SYMS, LEN_TABLEBITS, MAX_CODE_LEN));
  private readonly preTable = new Int32Array(decodeTableSize(PRE_SYMS, PRE_TABLEBITS, MAX_CODE_LEN));
  private readonly alignedTable = new Int32Array(1 << ALIGNED_TABLEBITS);

  /**
   * The chunk's compressed bytes, copied behind zero padding: the bit reader reads ahead up to two
   * words past the end of a valid stream, and past the padding (only in corrupt data) typed-array
   * reads give undefined, which the bit operations turn into 0 — so the hot loop has no bounds test.
   */
  private padded = new Uint8Array(0);
  /** The same bytes as 16-bit words (the bitstream's unit; word reads are always at even offsets). */
  private words = new Uint16Array(0);
  // Bit reader state (copied into locals by the hot loop).
  private ip = 0;
  private iend = 0;
  private bitbuf = 0;
  private bitcount = 0;

  /** @param maxChunkSize the WIM chunk size (window): a power of two from 2^15 to 2^21. */
  constructor(maxChunkSize = 32768) {
    let order = 15;
    while (order < 21 && 1 << order < maxChunkSize) order++;
    if (maxChunkSize < 1 || 1 << order < maxChunkSize) {
      throw new SevenStickError('E_UNSUPPORTED', `LZX chunk size ${maxChunkSize} is not supported (at most 2 MiB)`);
    }
    if (!LITTLE_ENDIAN) throw new SevenStickError('E_UNSUPPORTED', 'LZX decoding needs a little-endian CPU');
    this.windowOrder = order;
    // The largest offset is window - 3 (+2 adjustment); count the slots that reach it.
    const maxAdjusted = (1 << order) - MIN_MATCH - 1 + 2;
    let slots = 30;
    while (maxAdjusted >= (SLOT_BASE[slots] as number)) slots++;
    this.numMainSyms = NUM_CHARS + slots * NUM_LEN_HEADERS;
    this.mainLens = new Uint8Array(this.numMainSyms + LENS_OVERRUN);
    this.mainTable = new Int32Array(decodeTableSize(this.numMainSyms, MAIN_TABLEBITS, MAX_CODE_LEN));
  }

  private refill(): void {
    const ip = this.ip;
    const w = this.words[ip >>> 1] as number;
    this.bitbuf |= w << (16 - this.bitcount);
    this.bitcount += 16;
    this.ip = ip + 2;
  }

  /** Reads n bits (0..17). */
  private bits(n: number): number {
    if (n === 0) return 0;
    while (this.bitcount < n) this.refill();
    const v = this.bitbuf >>> (32 - n);
    this.bitbuf <<= n;
    this.bitcount -= n;
    return v;
  }

  private sym(table: Int32Array, tableBits: number): number {
    if (this.bitcount < 16) this.refill();
    let e = table[this.bitbuf >>> (32 - tableBits)] as number;
    if (e & 0x80) e = table[(e >>> 8) + ((this.bitbuf << tableBits) >>> (32 - (e & 0x1f)))] as number;
    const l = e & 0x1f;
    this.bitbuf <<= l;
    this.bitcount -= l;
    return e >>> 8;
  }

  /** Reads the pretree, then `count` delta-coded lengths into lens[start..]. */
  private readLens(lens: Uint8Array, start: number, count: number): void {
    const pre = this.preLens;
    for (let i = 0; i < PRE_SYMS; i++) pre[i] = this.bits(4);
    buildDecodeTable(this.preTable, pre, 0, PRE_SYMS, PRE_TABLEBITS, MAX_CODE_LEN, 'LZX pretree');
    const end = start + count;
    let p = start;
    while (p < end) {
      let presym = this.sym(this.preTable, PRE_TABLEBITS);
      if (presym < 17) {
        lens[p] = ((lens[p] as number) - presym + 17) % 17;
        p++;
        continue;
      }
      let run: number;
      let len: number;
      if (presym === 17) {
        run = 4 + this.bits(4);
        len = 0;
      } else if (presym === 18) {
        run = 20 + this.bits(5);
        len = 0;
      } else {
        run = 4 + this.bits(1);
        presym = this.sym(this.preTable, PRE_TABLEBITS);
        if (presym > 16) throw lzxError('bad run in code lengths');
        len = ((lens[p] as number) - presym + 17) % 17;
      }
      // The arrays have LENS_OVERRUN spare bytes, so a run past the end is harmless (and ignored).
      lens.fill(len, p, p + run);
      p += run;
    }
  }

  /**
   * Decompresses one chunk: `input` holds exactly the chunk's compressed bytes; `out` is filled
   * completely (its length is the chunk's uncompressed size). Throws E_FORMAT on corrupt data.
   */
  decompress(compressed: Uint8Array, out: Uint8Array): void {
    const outEnd = out.length;
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    if (outEnd > 1 << this.windowOrder) throw lzxError(`chunk of ${outEnd} bytes exceeds the window`);
    if (this.padded.length < compressed.length + 16) {
      this.padded = new Uint8Array(Math.max((compressed.length + 17) & ~1, (1 << this.windowOrder) + 64));
      this.words = new Uint16Array(this.padded.buffer);
    }
    const input = this.padded;
    const words = this.words;
    input.set(compressed);
    input.fill(0, compressed.length, compressed.length + 16);
    this.ip = 0;
    this.iend = compressed.length;
    this.bitbuf = 0;
    this.bitcount = 0;
    this.mainLens.fill(0);
    this.lenLens.fill(0);
    let r0 = 1;
    let r1 = 1;
    let r2 = 1;
    let op = 0;
    let mayHaveE8 = false;
    const numMainSyms = this.numMainSyms;
    const mainLens = this.mainLens;

    while (op < outEnd) {
      const type = this.bits(3);
      let size: number;
      if (this.bits(1)) size = 32768;
      else {
        size = (this.bits(8) << 8) | this.bits(8);
        if (this.windowOrder >= 16) size = (size << 8) | this.bits(8);
      }
      // Empty blocks are legal (wimlib accepts them); each header consumes input, and past the end
      // the stream reads as zeros = block type 0, an error — so runs of them cannot loop forever.
      if (size > outEnd - op) throw lzxError(`block of ${size} bytes at ${op} overruns the ${outEnd}-byte chunk`);

      if (type === BLOCK_UNCOMPRESSED) {
        // Align: bits consumed so far, rounded up to the next 16-bit word (a full word if aligned).
        const consumed = this.ip * 8 - this.bitcount;
        let pos = ((consumed >> 4) + 1) * 2;
        if (pos + 12 > this.iend) throw lzxError('truncated uncompressed block header');
        r0 = input[pos]! | (input[pos + 1]! << 8) | (input[pos + 2]! << 16) | (input[pos + 3]! << 24);
        r1 = input[pos + 4]! | (input[pos + 5]! << 8) | (input[pos + 6]! << 16) | (input[pos + 7]! << 24);
        r2 = input[pos + 8]! | (input[pos + 9]! << 8) | (input[pos + 10]! << 16) | (input[pos + 11]! << 24);
        if (r0 <= 0 || r1 <= 0 || r2 <= 0) throw lzxError('bad repeat offset in uncompressed block');
        pos += 12;
        if (pos + size > this.iend) throw lzxError('truncated uncompressed block');
        out.set(input.subarray(pos, pos + size), op);
        op += size;
        pos += size + (size & 1);
        this.ip = pos;
        this.bitbuf = 0;
        this.bitcount = 0;
        mayHaveE8 = true;
        continue;
      }
      if (type !== BLOCK_VERBATIM && type !== BLOCK_ALIGNED) throw lzxError(`unknown block type ${type}`);
      const aligned = type === BLOCK_ALIGNED;
      if (aligned) {
        for (let i = 0; i < ALIGNED_SYMS; i++) this.alignedLens[i] = this.bits(3);
        buildDecodeTable(this.alignedTable, this.alignedLens, 0, ALIGNED_SYMS, ALIGNED_TABLEBITS, ALIGNED_TABLEBITS, 'LZX aligned code');
      }
      this.readLens(mainLens, 0, NUM_CHARS);
      this.readLens(mainLens, NUM_CHARS, numMainSyms - NUM_CHARS);
      buildDecodeTable(this.mainTable, mainLens, 0, numMainSyms, MAIN_TABLEBITS, MAX_CODE_LEN, 'LZX main code');
      this.readLens(this.lenLens, 0, LEN_SYMS);
      buildDecodeTable(this.lenTable, this.lenLens, 0, LEN_SYMS, LEN_TABLEBITS, MAX_CODE_LEN, 'LZX length code');
      if (mainLens[0xe8] !== 0) mayHaveE8 = true;

      // ---- hot loop: state in locals ----
      const mainTable = this.mainTable;
      const lenTable = this.lenTable;
      const alignedTable = this.alignedTable;
      let ip = this.ip;
      let bitbuf = this.bitbuf;
      let bitcount = this.bitcount;
      const blockEnd = op + size;
      while (op < blockEnd) {
        if (bitcount < 16) {
          bitbuf |= words[ip >>> 1]! << (16 - bitcount);
          bitcount += 16;
          ip += 2;
        }
        let e = mainTable[bitbuf >>> 20]!;
        if (e & 0x80) e = mainTable[(e >>> 8) + ((bitbuf << 12) >>> (32 - (e & 0x1f)))]!;
        let l = e & 0x1f;
        bitbuf <<= l;
        bitcount -= l;
        let sym = e >>> 8;
        if (sym < NUM_CHARS) {
          out[op++] = sym;
          continue;
        }
        sym -= NUM_CHARS;
        let matchLen = sym & 7;
        const slot = sym >>> 3;
        if (matchLen === NUM_PRIMARY_LENS) {
          if (bitcount < 16) {
            bitbuf |= words[ip >>> 1]! << (16 - bitcount);
            bitcount += 16;
            ip += 2;
          }
          e = lenTable[bitbuf >>> 22]!;
          if (e & 0x80) e = lenTable[(e >>> 8) + ((bitbuf << 10) >>> (32 - (e & 0x1f)))]!;
          l = e & 0x1f;
          bitbuf <<= l;
          bitcount -= l;
          matchLen += e >>> 8;
        }
        matchLen += MIN_MATCH;
        let offset: number;
        if (slot < 3) {
          if (slot === 0) offset = r0;
          else if (slot === 1) {
            offset = r1;
            r1 = r0;
            r0 = offset;
          } else {
            offset = r2;
            r2 = r0;
            r0 = offset;
          }
        } else {
          const extra = SLOT_EXTRA[slot]!;
          offset = SLOT_BASE[slot]! - 2;
          if (aligned && extra >= 3) {
            const verb = extra - 3;
            if (verb > 0) {
              while (bitcount < verb) {
                bitbuf |= words[ip >>> 1]! << (16 - bitcount);
                bitcount += 16;
                ip += 2;
              }
              offset += (bitbuf >>> (32 - verb)) << 3;
              bitbuf <<= verb;
              bitcount -= verb;
            }
            if (bitcount < 16) {
              bitbuf |= words[ip >>> 1]! << (16 - bitcount);
              bitcount += 16;
              ip += 2;
            }
            e = alignedTable[bitbuf >>> (32 - ALIGNED_TABLEBITS)]!;
            l = e & 0x1f;
            bitbuf <<= l;
            bitcount -= l;
            offset += e >>> 8;
          } else if (extra > 0) {
            while (bitcount < extra) {
              bitbuf |= words[ip >>> 1]! << (16 - bitcount);
              bitcount += 16;
              ip += 2;
            }
            offset += bitbuf >>> (32 - extra);
            bitbuf <<= extra;
            bitcount -= extra;
          }
          r2 = r1;
          r1 = r0;
          r0 = offset;
        }
        if (matchLen > blockEnd - op) {
          this.ip = ip;
          throw lzxError(`match of ${matchLen} bytes at ${op} runs past the block`);
        }
        if (offset > op) throw lzxError(`match offset ${offset} at ${op} reaches before the chunk`);
        op = copyMatch(out, view, op, offset, matchLen);
      }
      this.ip = ip;
      this.bitbuf = bitbuf;
      this.bitcount = bitcount;
    }
    if (mayHaveE8) undoE8(out);
  }
}

/**
 * Undoes LZX E8 preprocessing in one chunk: for each E8 byte before the last 10 bytes, the
 * following 32-bit absolute target becomes relative again; the 4 target bytes are skipped.
 */
export function undoE8(data: Uint8Array): void {
  const size = data.length;
  if (size <= 10) return;
  const limit = size - 10;
  let i = 0;
  for (;;) {
    i = data.indexOf(0xe8, i);
    if (i < 0 || i >= limit) return;
    const abs = data[i + 1]! | (data[i + 2]! << 8) | (data[i + 3]! << 16) | (data[i + 4]! << 24);
    let rel: number | undefined;
    if (abs >= 0) {
      if (abs < E8_FILE_SIZE) rel = abs - i;
    } else if (abs >= -i) {
      rel = abs + E8_FILE_SIZE;
    }
    if (rel !== undefined) {
      data[i + 1] = rel & 0xff;
      data[i + 2] = (rel >>> 8) & 0xff;
      data[i + 3] = (rel >>> 16) & 0xff;
      data[i + 4] = (rel >>> 24) & 0xff;
    }
    i += 5;
  }
}
