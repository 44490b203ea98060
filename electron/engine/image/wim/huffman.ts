/**
 * Canonical Huffman decode tables, shared by the LZX and XPRESS decoders.
 *
 * Both formats read codes MSB-first from a bit buffer that holds the next bits
 * left-justified in a 32-bit integer, and both build codes canonically from a
 * list of code lengths (shorter codes first; equal lengths in symbol order).
 * [MS-XCA §2.1; Microsoft LZX Data Compression Format §2; wimlib decompress_common.c]
 *
 * Table layout (Int32Array): a primary table indexed by the next `tableBits` bits,
 * then uniform subtables of 2^(maxLen - tableBits) entries for longer codes.
 *   entry = (symbol << 8) | len            a decoded symbol, `len` bits to consume
 *   entry = (start << 8) | 0x80 | subBits  the code continues in the subtable at `start`
 * Decoding (inlined in the hot loops):
 *   e = t[buf >>> (32 - tableBits)];
 *   if (e & 0x80) e = t[(e >>> 8) + ((buf << tableBits) >>> (32 - (e & 0x1f)))];
 *   consume (e & 0x1f) bits; symbol = e >>> 8
 * An empty code (all lengths 0) decodes as symbol 0 consuming no bits, as wimlib does;
 * over-subscribed or incomplete codes are malformed input.
 */
import { SevenStickError } from '../../io/errors.js';

export const SUBTABLE_FLAG = 0x80;

/** Entries a table needs for `numSyms` symbols: primary part plus a worst-case subtable per symbol. */
export function decodeTableSize(numSyms: number, tableBits: number, maxLen: number): number {
  return (1 << tableBits) + (maxLen > tableBits ? numSyms << (maxLen - tableBits) : 0);
}

/** Scratch space reused across builds (single-threaded, never re-entered). */
const counts = new Int32Array(33);
const offsets = new Int32Array(33);
let sorted = new Uint16Array(1024);

/**
 * Fills `table` for the code whose lengths are `lens[lensStart .. lensStart + numSyms)`.
 * Throws E_FORMAT (naming `what`) for an invalid code.
 */
export function buildDecodeTable(
  table: Int32Array,
  lens: Uint8Array,
  lensStart: number,
  numSyms: number,
  tableBits: number,
  maxLen: number,
  what: string,
): void {
  counts.fill(0, 0, maxLen + 1);
  for (let s = 0; s < numSyms; s++) {
    const l = lens[lensStart + s] as number;
    if (l > maxLen) throw new SevenStickError('E_FORMAT', `${what}: Huffman code length ${l} exceeds ${maxLen}`);
    counts[l]++;
  }
  // Kraft check: the code must fill the code space exactly, or be empty.
  let left = 1;
  for (let l = 1; l <= maxLen; l++) {
    left = (left << 1) - (counts[l] as number);
    if (left < 0) throw new SevenStickError('E_FORMAT', `${what}: over-subscribed Huffman code`);
  }
  const primary = 1 << tableBits;
  if (left !== 0) {
    if (counts[0] === numSyms) {
      table.fill(0, 0, primary);
      return;
    }
    throw new SevenStickError('E_FORMAT', `${what}: incomplete Huffman code`);
  }
  // Counting sort of the used symbols by (length, symbol).
  if (sorted.length < numSyms) sorted = new Uint16Array(numSyms);
  offsets[1] = 0;
  for (let l = 1; l < maxLen; l++) offsets[l + 1] = (offsets[l] as number) + (counts[l] as number);
  for (let s = 0; s < numSyms; s++) {
    const l = lens[lensStart + s] as number;
    if (l !== 0) sorted[offsets[l]++] = s;
  }
  const subBits = maxLen - tableBits;
  let next = primary;
  let code = 0;
  let i = 0;
  let lastPrefix = -1;
  for (let l = 1; l <= maxLen; l++) {
    const n = counts[l] as number;
    for (let k = 0; k < n; k++, i++, code++) {
      const entry = ((sorted[i] as number) << 8) | l;
      if (l <= tableBits) {
        const start = code << (tableBits - l);
        const span = 1 << (tableBits - l);
        if (span > 16) table.fill(entry, start, start + span);
        else for (let j = start; j < start + span; j++) table[j] = entry;
      } else {
        const extra = l - tableBits;
        const prefix = code >>> extra;
        if (prefix !== lastPrefix) {
          table[prefix] = (next << 8) | SUBTABLE_FLAG | subBits;
          lastPrefix = prefix;
          next += 1 << subBits;
        }
        const sub = (table[prefix] as number) >>> 8;
        const start = sub + ((code & ((1 << extra) - 1)) << (subBits - extra));
        const span = 1 << (subBits - extra);
        if (span > 16) table.fill(entry, start, start + span);
        else for (let j = start; j < start + span; j++) table[j] = entry;
      }
    }
    code <<= 1;
  }
}

/**
 * LZ77 match copy shared by the decoders: `len` bytes from `offset` back, overlapping allowed
 * (the caller has checked 1 ≤ offset ≤ op and op + len ≤ out.length). Short matches go byte by
 * byte; long ones use native copies — a run (offset 1) is a fill, a short period is replicated
 * in doubling steps. Returns the new output position.
 */
export function copyMatch(out: Uint8Array, view: DataView, op: number, offset: number, len: number): number {
  let src = op - offset;
  const end = op + len;
  if (len <= 24) {
    // 4 bytes at a time when the source stays 4 bytes behind and the overshoot fits in the buffer
    // (bytes written past `end` are overwritten by later output).
    if (offset >= 4 && end + 3 < out.length) {
      while (op < end) {
        view.setUint32(op, view.getUint32(src, true), true);
        op += 4;
        src += 4;
      }
      return end;
    }
    while (op < end) out[op++] = out[src++]!;
    return end;
  }
  if (offset >= len) {
    out.copyWithin(op, src, src + len);
    return end;
  }
  if (offset === 1) {
    out.fill(out[src]!, op, end);
    return end;
  }
  // [src, op) repeats with period `offset`; copying from src keeps the distance a multiple of it.
  while (op < end) {
    const n = Math.min(op - src, end - op);
    out.copyWithin(op, src, src + n);
    op += n;
  }
  return end;
}
