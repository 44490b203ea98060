/**
 * A tiny LZX *encoder* for tests only: it lets a test choose the block types (verbatim, aligned
 * offset, uncompressed — wimlib's compressor never emits the last one), the repeat offsets an
 * uncompressed block carries, and whether the code lengths use the pretree's run codes 17/18/19.
 * Greedy matching, Huffman codes from the real symbol frequencies (length-limited), E8 translation
 * with the WIM file size. Slow and simple on purpose; correctness is judged by wimlib (a WIM whose
 * resource is rewritten with these streams must extract with wimlib-imagex) and by round trips.
 */

const NUM_CHARS = 256;
const E8_FILE_SIZE = 12000000;

const SLOT_BASE: number[] = [];
const SLOT_EXTRA: number[] = [];
for (let s = 0, base = 0; s <= 50; s++) {
  SLOT_BASE.push(base);
  const extra = s < 4 ? 0 : Math.min((s >> 1) - 1, 17);
  SLOT_EXTRA.push(extra);
  base += 1 << extra;
}

export type BlockType = 'verbatim' | 'aligned' | 'uncompressed';

export interface BlockSpec {
  type: BlockType;
  size: number;
  /** For uncompressed blocks: the R0 R1 R2 to store (default: the current ones). */
  r?: [number, number, number];
  /** Emit literals only (no matches). */
  literalsOnly?: boolean;
}

export interface EncodeOptions {
  /** log2 of the window (the chunk size): 15 for WIM's 32 KiB chunks. */
  windowOrder?: number;
  /** Use the pretree run codes 17/18/19 (default true). */
  rle?: boolean;
  /** Apply E8 translation before encoding (default true, as WIM always does). */
  e8?: boolean;
}

export interface EncodeStats {
  blockTypes: BlockType[];
  presyms: Set<number>;
  repeatSlots: Set<number>;
  maxMainLen: number;
  longMatches: number;
  alignedSymsUsed: number;
}

class BitWriter {
  private readonly out: number[] = [];
  private acc = 0;
  private n = 0;
  bits(v: number, count: number): void {
    for (let i = count - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((v >>> i) & 1);
      if (++this.n === 16) {
        this.out.push(this.acc & 0xff, this.acc >>> 8);
        this.acc = 0;
        this.n = 0;
      }
    }
  }
  /** Pads to a 16-bit boundary; a full word of zeros when already aligned (LZX uncompressed blocks). */
  alignFull(): void {
    if (this.n === 0) this.bits(0, 16);
    else this.bits(0, 16 - this.n);
  }
  bytes(b: Uint8Array): void {
    if (this.n !== 0) throw new Error('bytes while not aligned');
    for (const x of b) this.out.push(x);
  }
  finish(): Buffer {
    if (this.n) this.bits(0, 16 - this.n);
    return Buffer.from(this.out);
  }
}

/** Huffman code lengths for `freqs`, limited to `maxLen`; a complete code (or all zeros if unused). */
export function huffmanLengths(freqs: readonly number[], maxLen: number): number[] {
  const n = freqs.length;
  const used = freqs.map((f, i) => [f, i] as const).filter(([f]) => f > 0);
  const lens = new Array<number>(n).fill(0);
  if (used.length === 0) return lens;
  if (used.length === 1) {
    const s = used[0]![1];
    lens[s] = 1;
    lens[s === 0 ? 1 : 0] = 1;
    return lens;
  }
  let f = freqs.slice();
  for (;;) {
    // nodes: [weight, symbols[]]; merging two lightest deepens every symbol in both.
    let nodes = f.map((w, i) => ({ w, syms: [i] })).filter((x) => x.w > 0);
    const depth = new Array<number>(n).fill(0);
    while (nodes.length > 1) {
      nodes.sort((a, b) => a.w - b.w);
      const [a, b] = [nodes[0]!, nodes[1]!];
      for (const s of a.syms) depth[s]!++;
      for (const s of b.syms) depth[s]!++;
      nodes = [{ w: a.w + b.w, syms: [...a.syms, ...b.syms] }, ...nodes.slice(2)];
    }
    if (Math.max(...depth) <= maxLen) return depth;
    f = f.map((w) => (w > 0 ? (w >> 1) | 1 : 0));
  }
}

/** Canonical codes (shorter first, then by symbol), as the decoder builds them. */
function canonicalCodes(lens: readonly number[]): number[] {
  const codes = new Array<number>(lens.length).fill(0);
  let code = 0;
  for (let l = 1; l <= 16; l++) {
    for (let s = 0; s < lens.length; s++) if (lens[s] === l) codes[s] = code++;
    code <<= 1;
  }
  return codes;
}

/** Forward E8 translation (what a WIM LZX compressor does before encoding). */
export function doE8(data: Uint8Array): Uint8Array {
  const d = Uint8Array.from(data);
  if (d.length <= 10) return d;
  for (let i = 0; i < d.length - 10; i++) {
    if (d[i] !== 0xe8) continue;
    const rel = d[i + 1]! | (d[i + 2]! << 8) | (d[i + 3]! << 16) | (d[i + 4]! << 24);
    if (rel >= -i && rel < E8_FILE_SIZE) {
      const abs = rel < E8_FILE_SIZE - i ? rel + i : rel - E8_FILE_SIZE;
      d[i + 1] = abs & 0xff;
      d[i + 2] = (abs >>> 8) & 0xff;
      d[i + 3] = (abs >>> 16) & 0xff;
      d[i + 4] = (abs >>> 24) & 0xff;
    }
    i += 4;
  }
  return d;
}

type Token = { lit: number } | { len: number; off: number };

function parse(data: Uint8Array, start: number, end: number, r: number[], literalsOnly: boolean, maxOffset: number): Token[] {
  const toks: Token[] = [];
  const heads = new Map<number, number[]>();
  const key = (p: number): number => data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16);
  for (let p = 0; p + 2 < start; p++) {
    const k = key(p);
    const l = heads.get(k) ?? [];
    l.push(p);
    heads.set(k, l);
  }
  const matchLen = (p: number, q: number): number => {
    let n = 0;
    while (p + n < end && n < 257 && data[p + n] === data[q + n]) n++;
    return n;
  };
  let p = start;
  while (p < end) {
    let best = { len: 0, off: 0 };
    if (!literalsOnly) {
      for (const off of r) {
        if (off <= p) {
          const n = matchLen(p, p - off);
          if (n >= 2 && n > best.len) best = { len: n, off };
        }
      }
      if (best.len < 3 && p + 2 < end) {
        const cands = heads.get(key(p)) ?? [];
        for (let i = cands.length - 1; i >= Math.max(0, cands.length - 8); i--) {
          const q = cands[i]!;
          if (p - q > maxOffset) break;
          const n = matchLen(p, q);
          if (n >= 3 && n > best.len) best = { len: n, off: p - q };
        }
      }
    }
    const adv = best.len >= 2 ? best.len : 1;
    if (best.len >= 2) {
      toks.push(best);
      // keep the queue as the decoder will
      const i = r.indexOf(best.off);
      if (i === 0) {
        /* R0 stays */
      } else if (i > 0) {
        r[i] = r[0]!;
        r[0] = best.off;
      } else {
        r[2] = r[1]!;
        r[1] = r[0]!;
        r[0] = best.off;
      }
    } else toks.push({ lit: data[p]! });
    for (let q = p; q < p + adv; q++) {
      if (q + 2 < data.length) {
        const k = key(q);
        const l = heads.get(k) ?? [];
        l.push(q);
        heads.set(k, l);
      }
    }
    p += adv;
  }
  return toks;
}

function writeLens(w: BitWriter, newLens: number[], prev: number[], start: number, end: number, rle: boolean, stats: EncodeStats): void {
  // presym items: [sym, extraBits, extraCount] (19 is followed by a second presym item)
  const items: [number, number, number][] = [];
  let p = start;
  while (p < end) {
    const v = newLens[p]!;
    let run = 1;
    while (p + run < end && newLens[p + run] === v) run++;
    if (rle && v === 0 && run >= 20) {
      const n = Math.min(run, 51);
      items.push([18, n - 20, 5]);
      p += n;
    } else if (rle && v === 0 && run >= 4) {
      const n = Math.min(run, 19);
      items.push([17, n - 4, 4]);
      p += n;
    } else if (rle && v !== 0 && run >= 4) {
      const n = Math.min(run, 5);
      items.push([19, n - 4, 1]);
      items.push([(prev[p]! - v + 17) % 17, 0, 0]);
      p += n;
    } else {
      items.push([(prev[p]! - v + 17) % 17, 0, 0]);
      p++;
    }
  }
  const freqs = new Array<number>(20).fill(0);
  for (const [s] of items) freqs[s]!++;
  const preLens = huffmanLengths(freqs, 15);
  const preCodes = canonicalCodes(preLens);
  for (let i = 0; i < 20; i++) w.bits(preLens[i]!, 4);
  for (const [s, x, n] of items) {
    stats.presyms.add(s);
    w.bits(preCodes[s]!, preLens[s]!);
    if (n) w.bits(x, n);
  }
  for (let i = start; i < end; i++) prev[i] = newLens[i]!;
}

/** Encodes one chunk as the given blocks (their sizes must add up to data.length). */
export function lzxEncodeChunk(input: Uint8Array, blocks: readonly BlockSpec[], opts: EncodeOptions = {}): { stream: Buffer; stats: EncodeStats } {
  const windowOrder = opts.windowOrder ?? 15;
  const rle = opts.rle ?? true;
  const data = opts.e8 === false ? input : doE8(input);
  if (blocks.reduce((a, b) => a + b.size, 0) !== data.length) throw new Error('block sizes must add up to the chunk size');
  let numSlots = 30;
  while ((1 << windowOrder) - 3 + 2 >= SLOT_BASE[numSlots]!) numSlots++;
  const numMain = NUM_CHARS + numSlots * 8;
  const stats: EncodeStats = { blockTypes: [], presyms: new Set(), repeatSlots: new Set(), maxMainLen: 0, longMatches: 0, alignedSymsUsed: 0 };
  const w = new BitWriter();
  const prevMain = new Array<number>(numMain).fill(0);
  const prevLen = new Array<number>(249).fill(0);
  const r = [1, 1, 1];
  let pos = 0;
  for (const b of blocks) {
    stats.blockTypes.push(b.type);
    w.bits(b.type === 'verbatim' ? 1 : b.type === 'aligned' ? 2 : 3, 3);
    if (b.size === 32768) w.bits(1, 1);
    else {
      w.bits(0, 1);
      if (windowOrder >= 16) w.bits(b.size, 24);
      else w.bits(b.size, 16);
    }
    if (b.type === 'uncompressed') {
      w.alignFull();
      if (b.r) [r[0], r[1], r[2]] = b.r;
      const hdr = Buffer.alloc(12);
      hdr.writeUInt32LE(r[0]!, 0);
      hdr.writeUInt32LE(r[1]!, 4);
      hdr.writeUInt32LE(r[2]!, 8);
      w.bytes(hdr);
      w.bytes(data.subarray(pos, pos + b.size));
      if (b.size & 1) w.bytes(new Uint8Array(1));
      pos += b.size;
      continue;
    }
    const rBefore = r.slice();
    const toks = parse(data, pos, pos + b.size, r, b.literalsOnly ?? false, (1 << windowOrder) - 3);
    // Replay the queue to choose slots exactly as the decoder will see them.
    const q = rBefore;
    type Sym = { main: number; len?: number; extra?: number; nextra?: number; aligned?: number };
    const syms: Sym[] = [];
    for (const t of toks) {
      if ('lit' in t) {
        syms.push({ main: t.lit });
        continue;
      }
      let slot: number;
      let extra = 0;
      const i = q.indexOf(t.off);
      if (i >= 0) {
        slot = i;
        if (i > 0) {
          q[i] = q[0]!;
          q[0] = t.off;
        }
        stats.repeatSlots.add(i);
      } else {
        const f = t.off + 2;
        slot = 3;
        while (SLOT_BASE[slot + 1]! <= f) slot++;
        extra = f - SLOT_BASE[slot]!;
        q[2] = q[1]!;
        q[1] = q[0]!;
        q[0] = t.off;
      }
      const lh = Math.min(t.len - 2, 7);
      const s: Sym = { main: NUM_CHARS + slot * 8 + lh };
      if (lh === 7) {
        s.len = t.len - 9;
        stats.longMatches++;
      }
      if (slot >= 3) {
        const nb = SLOT_EXTRA[slot]!;
        if (b.type === 'aligned' && nb >= 3) {
          s.extra = extra >>> 3;
          s.nextra = nb - 3;
          s.aligned = extra & 7;
        } else {
          s.extra = extra;
          s.nextra = nb;
        }
      }
      syms.push(s);
    }
    const mainF = new Array<number>(numMain).fill(0);
    const lenF = new Array<number>(249).fill(0);
    const alF = new Array<number>(8).fill(0);
    for (const s of syms) {
      mainF[s.main]!++;
      if (s.len !== undefined) lenF[s.len]!++;
      if (s.aligned !== undefined) alF[s.aligned]!++;
    }
    let alLens: number[] = [];
    if (b.type === 'aligned') {
      alLens = alF.filter((x) => x > 0).length >= 2 ? huffmanLengths(alF, 7) : [3, 3, 3, 3, 3, 3, 3, 3];
      stats.alignedSymsUsed += alF.filter((x) => x > 0).length;
      for (let i = 0; i < 8; i++) w.bits(alLens[i]!, 3);
    }
    const mainLens = huffmanLengths(mainF, 16);
    const lenLens = huffmanLengths(lenF, 16);
    stats.maxMainLen = Math.max(stats.maxMainLen, ...mainLens);
    writeLens(w, mainLens, prevMain, 0, NUM_CHARS, rle, stats);
    writeLens(w, mainLens, prevMain, NUM_CHARS, numMain, rle, stats);
    writeLens(w, lenLens, prevLen, 0, 249, rle, stats);
    const mainCodes = canonicalCodes(mainLens);
    const lenCodes = canonicalCodes(lenLens);
    const alCodes = canonicalCodes(alLens);
    for (const s of syms) {
      w.bits(mainCodes[s.main]!, mainLens[s.main]!);
      if (s.len !== undefined) w.bits(lenCodes[s.len]!, lenLens[s.len]!);
      if (s.nextra) w.bits(s.extra!, s.nextra);
      if (s.aligned !== undefined) w.bits(alCodes[s.aligned]!, alLens[s.aligned]!);
    }
    pos += b.size;
  }
  return { stream: w.finish(), stats };
}
