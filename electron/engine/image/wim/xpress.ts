/**
 * XPRESS Huffman decompressor ([MS-XCA] §2.1–2.2, "LZ77+Huffman"), as used for WIM chunks:
 * every chunk (≤ 64 KiB) is one block, compressed independently.
 *
 * - 256 bytes of code lengths: 512 symbols × 4 bits, low nibble first;
 * - then 16-bit little-endian words read MSB-first; symbols < 256 are literals;
 *   otherwise sym-256 = (log2(offset) << 4) | length header;
 * - offset = (1 << log2) | next log2 bits;
 * - a length header of 15 continues in the *byte* stream (bytes taken from the input position
 *   after the words loaded so far): +byte, and a byte of 255 means the length is the next u16;
 *   the match length is that plus 3.
 * The bit buffer is refilled lazily exactly as the reference decoder does (≥15 bits before a
 * symbol, ≥16 before offset bits), because the position of those extra bytes depends on it.
 */
import { SevenStickError } from '../../io/errors.js';
import { buildDecodeTable, copyMatch, decodeTableSize } from './huffman.js';

const NUM_SYMS = 512;
const MAX_CODE_LEN = 15;
const TABLEBITS = 11;
const MIN_MATCH = 3;
export const XPRESS_MAX_CHUNK = 65536;

function xpressError(what: string): SevenStickError {
  return new SevenStickError('E_FORMAT', `Corrupt XPRESS data: ${what}`);
}

export class XpressDecoder {
  private readonly lens = new Uint8Array(NUM_SYMS);
  private readonly table = new Int32Array(decodeTableSize(NUM_SYMS, TABLEBITS, MAX_CODE_LEN));

  /** Decompresses one chunk (`input` = its compressed bytes) filling `out` completely. */
  decompress(input: Uint8Array, out: Uint8Array): void {
    const outEnd = out.length;
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    if (outEnd > XPRESS_MAX_CHUNK) throw xpressError(`chunk of ${outEnd} bytes is larger than 64 KiB`);
    if (input.length < NUM_SYMS / 2) throw xpressError('chunk too short for its code lengths');
    const lens = this.lens;
    for (let i = 0; i < NUM_SYMS / 2; i++) {
      const b = input[i]!;
      lens[2 * i] = b & 0xf;
      lens[2 * i + 1] = b >>> 4;
    }
    const table = this.table;
    buildDecodeTable(table, lens, 0, NUM_SYMS, TABLEBITS, MAX_CODE_LEN, 'XPRESS code');

    const iend = input.length;
    let ip = NUM_SYMS / 2;
    let bitbuf = 0;
    let bitcount = 0;
    let op = 0;
    while (op < outEnd) {
      if (bitcount < 15) {
        if (ip + 1 < iend) {
          bitbuf |= (input[ip]! | (input[ip + 1]! << 8)) << (16 - bitcount);
          ip += 2;
        }
        bitcount += 16;
      }
      let e = table[bitbuf >>> (32 - TABLEBITS)]!;
      if (e & 0x80) e = table[(e >>> 8) + ((bitbuf << TABLEBITS) >>> (32 - (e & 0x1f)))]!;
      const l = e & 0x1f;
      bitbuf <<= l;
      bitcount -= l;
      let sym = e >>> 8;
      if (sym < 256) {
        out[op++] = sym;
        continue;
      }
      sym -= 256;
      let len = sym & 0xf;
      const log2 = sym >>> 4;
      if (bitcount < 16) {
        if (ip + 1 < iend) {
          bitbuf |= (input[ip]! | (input[ip + 1]! << 8)) << (16 - bitcount);
          ip += 2;
        }
        bitcount += 16;
      }
      let offset = 1 << log2;
      if (log2 > 0) {
        offset |= bitbuf >>> (32 - log2);
        bitbuf <<= log2;
        bitcount -= log2;
      }
      if (len === 0xf) {
        if (ip >= iend) throw xpressError('truncated match length');
        len += input[ip++]!;
        if (len === 0xf + 0xff) {
          if (ip + 1 >= iend) throw xpressError('truncated match length');
          len = input[ip]! | (input[ip + 1]! << 8);
          ip += 2;
        }
      }
      len += MIN_MATCH;
      if (len > outEnd - op) throw xpressError(`match of ${len} bytes at ${op} runs past the chunk`);
      if (offset > op) throw xpressError(`match offset ${offset} at ${op} reaches before the chunk`);
      op = copyMatch(out, view, op, offset, len);
    }
  }
}
