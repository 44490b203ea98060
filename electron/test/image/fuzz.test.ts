/**
 * Hostile input: thousands of mutated images (bit flips, random bytes, absurd 32-bit values, zeroed
 * sectors, truncation), biased towards the metadata areas. Every run must end in a valid result or a
 * SevenStickError — never another exception, a hang, or an unbounded allocation (reads are capped by
 * MAX_READ and the readers' own limits). Plus hand-made nasty cases.
 * Runs per image: SEVENSTICK_FUZZ_RUNS (default 800).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { SevenStickError, checkRange, inspectReader, openFileSystem, walk, type ByteReader } from '../../engine/index.js';
import { udfCrc } from '../../engine/image/udf/tag.js';
import { fixture } from '../helpers/tools.js';

const RUNS = Number(process.env['SEVENSTICK_FUZZ_RUNS'] ?? 800);
const SECTOR = 2048;
/** A generous per-run bound that only a hang would hit. */
const HANG_MS = 20_000;

/** A reader over `base` with some sectors replaced and optionally cut short; never copies the image. */
class MutatedReader implements ByteReader {
  readonly label = 'mutated.iso';
  bytesRead = 0;
  constructor(
    private readonly base: Buffer,
    private readonly sectors: Map<number, Buffer>,
    readonly size: number,
  ) {}
  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, offset, length);
    this.bytesRead += length;
    const out = Buffer.from(this.base.subarray(offset, offset + length));
    for (const [sector, data] of this.sectors) {
      const from = Math.max(sector * SECTOR, offset);
      const to = Math.min(sector * SECTOR + SECTOR, offset + length);
      if (from < to) data.copy(out, from - offset, from - sector * SECTOR, to - sector * SECTOR);
    }
    return out;
  }
}

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'u32'; at: number; value: number }
  | { kind: 'zero-sector'; sector: number }
  | { kind: 'truncate'; fraction: number };

interface Plan {
  muts: Mutation[];
  /** Re-seal UDF descriptor tags (checksum + CRC) after mutating, so parsers get past them. */
  reseal: boolean;
}

/** Sectors worth hitting: the non-zero ones among the first `hot` (descriptors, entries, folders). */
function hotSectorsOf(base: Buffer, hot: number): number[] {
  const out: number[] = [];
  const zero = Buffer.alloc(SECTOR);
  for (let s = 16; s < Math.min(hot, base.length / SECTOR); s++) if (!base.subarray(s * SECTOR, (s + 1) * SECTOR).equals(zero)) out.push(s);
  return out;
}

function planArb(size: number, hot: number[]): fc.Arbitrary<Plan> {
  const sectors = Math.floor(size / SECTOR);
  // Most mutations land in the first 512 bytes of a metadata sector, where descriptors keep their fields.
  const offset = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...hot), fc.integer({ min: 0, max: 511 })).map(([s, o]) => s * SECTOR + o) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...hot), fc.integer({ min: 0, max: SECTOR - 1 })).map(([s, o]) => s * SECTOR + o) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: size - 1 }) },
  );
  const absurd = fc.constantFrom(0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0x3fffffff, 0xc0000000, 0x40000800, 256, 2048, sectors, sectors + 1);
  const mut: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: offset, bit: fc.integer({ min: 0, max: 7 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('byte' as const), at: offset, value: fc.integer({ min: 0, max: 255 }) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('u32' as const), at: offset.map((o) => o & ~3), value: fc.oneof(absurd, fc.nat()) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('zero-sector' as const), sector: fc.constantFrom(...hot) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  );
  return fc.record({ muts: fc.array(mut, { minLength: 1, maxLength: 6 }), reseal: fc.boolean() });
}

const TAG_IDS = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 256, 257, 258, 259, 260, 261, 262, 263, 264, 265, 266]);

/** Recomputes checksum and CRC of the UDF tags at the start of a sector (and of FIDs following each other). */
function resealSector(buf: Buffer): void {
  let pos = 0;
  for (let i = 0; i < 128 && pos + 16 <= buf.length; i++) {
    const id = buf.readUInt16LE(pos);
    if (!TAG_IDS.has(id)) return;
    const crcLen = buf.readUInt16LE(pos + 10);
    if (pos + 16 + crcLen <= buf.length) buf.writeUInt16LE(udfCrc(buf, pos + 16, pos + 16 + crcLen), pos + 8);
    let sum = 0;
    for (let k = 0; k < 16; k++) if (k !== 4) sum += buf[pos + k] as number;
    buf[pos + 4] = sum & 0xff;
    if (id !== 257 || pos + 38 > buf.length) return;
    pos += (38 + buf.readUInt16LE(pos + 36) + (buf[pos + 19] as number) + 3) & ~3;
  }
}

function apply(base: Buffer, plan: Plan): MutatedReader {
  const sectors = new Map<number, Buffer>();
  const sectorOf = (at: number): Buffer => {
    const s = Math.floor(at / SECTOR);
    let b = sectors.get(s);
    if (!b) {
      b = Buffer.from(base.subarray(s * SECTOR, (s + 1) * SECTOR));
      sectors.set(s, b);
    }
    return b;
  };
  let size = base.length;
  for (const m of plan.muts) {
    if (m.kind === 'flip') sectorOf(m.at)[m.at % SECTOR] ^= 1 << m.bit;
    else if (m.kind === 'byte') sectorOf(m.at)[m.at % SECTOR] = m.value;
    else if (m.kind === 'u32' && (m.at % SECTOR) + 4 <= SECTOR && m.at + 4 <= base.length) sectorOf(m.at).writeUInt32LE(m.value >>> 0, m.at % SECTOR);
    else if (m.kind === 'zero-sector') sectorOf(m.sector * SECTOR).fill(0);
    else if (m.kind === 'truncate') size = Math.min(size, Math.floor(base.length * m.fraction));
  }
  if (plan.reseal) for (const b of sectors.values()) resealSector(b);
  return new MutatedReader(base, sectors, size);
}

/** Everything a caller might do with an image: inspect, walk, read each file's first and last bytes. */
async function exercise(reader: MutatedReader): Promise<void> {
  try {
    await inspectReader(reader, 'mutated.iso');
  } catch (e) {
    if (!(e instanceof SevenStickError)) throw e;
  }
  try {
    const fs = await openFileSystem(reader);
    let n = 0;
    for await (const node of walk(fs, { maxNodes: 5000 })) {
      if (++n > 5000) break;
      if (node.isDirectory || node.size === 0) continue;
      const r = fs.open(node);
      await r.read(0, Math.min(r.size, 512));
      await r.read(Math.max(0, r.size - 512), Math.min(r.size, 512));
    }
  } catch (e) {
    if (!(e instanceof SevenStickError)) throw e;
  }
}

async function withHangGuard(p: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${HANG_MS} ms: a hang`)), HANG_MS);
  });
  try {
    await Promise.race([p, hang]);
  } finally {
    clearTimeout(timer);
  }
}

const IMAGES: { name: string; path: () => Promise<string>; hotSectors: number }[] = [
  { name: 'own UDF 2.50 (metadata partition, sparse, AED)', path: async () => join(await fixture('iso-udf-sparse.py', ['--metadata']), 'image.udf'), hotSectors: 1000 },
  { name: 'own UDF 2.50 (plain)', path: async () => join(await fixture('iso-udf-sparse.py', []), 'image.udf'), hotSectors: 1000 },
  { name: 'Win7-like udf-only (pycdlib)', path: () => fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']), hotSectors: 300 },
  { name: 'Joliet + El Torito + MBR (xorriso)', path: () => fixture('iso-build.sh', ['hybrid']), hotSectors: 80 },
  { name: 'genisoimage bridge', path: () => fixture('iso-build.sh', ['bridge']), hotSectors: 300 },
];

for (const img of IMAGES) {
  test(`fuzz: ${RUNS} mutated copies of ${img.name} end in a result or a SevenStickError`, async () => {
    const base = readFileSync(await img.path());
    let maxRead = 0;
    const hot = hotSectorsOf(base, img.hotSectors);
    await fc.assert(
      fc.asyncProperty(planArb(base.length, hot), async (plan) => {
        const reader = apply(base, plan);
        await withHangGuard(exercise(reader));
        maxRead = Math.max(maxRead, reader.bytesRead);
      }),
      { numRuns: RUNS, seed: 7601, endOnFailure: true },
    );
    // Metadata parsing never reads more than a bounded multiple of the image.
    assert.ok(maxRead < 64 * base.length + 512 * 1024 * 1024, `read ${maxRead} bytes at most`);
  });
}

test('hand-made nasty inputs: all-0xFF, all-zero, tiny, and a descriptor area of repeated anchors', async () => {
  const cases: Buffer[] = [Buffer.alloc(600 * SECTOR, 0xff), Buffer.alloc(600 * SECTOR), Buffer.alloc(513), Buffer.from('CD001')];
  // VRS says NSR02 but every sector is a copy of a (valid-looking) anchor pointing at itself
  const loop = Buffer.alloc(600 * SECTOR);
  loop.write('\0BEA01\x01', 16 * SECTOR, 'latin1');
  loop.write('\0NSR02\x01', 17 * SECTOR, 'latin1');
  loop.write('\0TEA01\x01', 18 * SECTOR, 'latin1');
  cases.push(loop);
  for (const c of cases) {
    const reader = new MutatedReader(c, new Map(), c.length);
    await withHangGuard(exercise(reader));
    await assert.rejects(inspectReader(reader, 'x.iso'), (e: unknown) => e instanceof SevenStickError);
  }
});
