/**
 * Hostile input: fuzzed WIM headers, blob tables, chunk tables, metadata and compressed streams
 * must end in a typed SevenStickError (or a correct result), never a crash, hang (each test has a
 * timeout) or a write outside the output buffer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  BufferReader,
  LzxDecoder,
  SevenStickError,
  XpressDecoder,
  WimHeaderFields,
  decodeResourceHeader,
  openWim,
  parseBlobTable,
  type BlobEntry,
} from '../../engine/index.js';
import { runOk, tempDir } from '../helpers/tools.js';
import { lzxEncodeChunk } from './lzx-encoder.js';

const GUARD = 64;

/** Runs a chunk decoder into a view between guard bytes; checks the guards and the error type. */
function decodeGuarded(dec: { decompress(i: Uint8Array, o: Uint8Array): void }, input: Uint8Array, outSize: number): void {
  const buf = Buffer.alloc(outSize + 2 * GUARD, 0x5a);
  const out = buf.subarray(GUARD, GUARD + outSize);
  try {
    dec.decompress(input, out);
  } catch (e) {
    if (!(e instanceof SevenStickError)) throw e;
    assert.equal(e.code, 'E_FORMAT');
  }
  for (let i = 0; i < GUARD; i++) {
    assert.equal(buf[i], 0x5a, 'no write before the output');
    assert.equal(buf[GUARD + outSize + i], 0x5a, 'no write after the output');
  }
}

/** Applies byte mutations (position, value) to a copy. */
function mutate(src: Uint8Array, muts: readonly [number, number][], truncate?: number): Buffer {
  const b = Buffer.from(src);
  for (const [p, v] of muts) if (b.length) b[p % b.length] = v;
  return truncate !== undefined && b.length ? b.subarray(0, truncate % (b.length + 1)) : b;
}

const mutations = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 });

test('LZX: random and mutated streams end in E_FORMAT or output, never past the buffer', { timeout: 60_000 }, () => {
  const lzx = new LzxDecoder(32768);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 32768 }), (input, size) => decodeGuarded(lzx, input, size)),
    { numRuns: 300, seed: 42 },
  );
  const data = Buffer.from(Array.from({ length: 20000 }, (_, i) => (i * 7) % 251 ^ (i >> 9)));
  const valid = lzxEncodeChunk(data, [
    { type: 'aligned', size: 8000 },
    { type: 'uncompressed', size: 3001 },
    { type: 'verbatim', size: 8999 },
  ]).stream;
  fc.assert(
    fc.property(mutations, fc.option(fc.nat()), (m, cut) => decodeGuarded(lzx, mutate(valid, m, cut ?? undefined), 20000)),
    { numRuns: 400, seed: 7 },
  );
  const big = new LzxDecoder(131072);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 1, max: 131072 }), (input, size) => decodeGuarded(big, input, size)),
    { numRuns: 100, seed: 5 },
  );
});

interface SmallWim {
  bytes: Buffer;
  blobs: BlobEntry[];
  meta: BlobEntry[];
  blobTable: { offset: number; size: number };
}

async function makeSmallWim(comp: string): Promise<SmallWim> {
  const t = tempDir();
  try {
    const src = join(t.path, 'src');
    mkdirSync(join(src, 'dir', 'sub'), { recursive: true });
    writeFileSync(join(src, 'a.txt'), 'hello '.repeat(20000));
    writeFileSync(join(src, 'dir', 'b.bin'), Buffer.from(Array.from({ length: 70000 }, (_, i) => (i * 2654435761) >>> 24)));
    writeFileSync(join(src, 'dir', 'sub', 'c.txt'), 'c');
    writeFileSync(join(src, 'empty'), '');
    const p = join(t.path, 'x.wim');
    await runOk('wimlib-imagex', ['capture', src, p, `--compress=${comp}`]);
    const bytes = readFileSync(p);
    const h = WimHeaderFields.decode(bytes);
    const bt = decodeResourceHeader(h.blobTable);
    const table = parseBlobTable(bytes.subarray(bt.offset, bt.offset + bt.originalSize), 'x');
    return { bytes, blobs: [...table.byHash.values()], meta: table.metadata, blobTable: { offset: bt.offset, size: bt.originalSize } };
  } finally {
    t.cleanup();
  }
}

const outcomes = new Map<string, number>();

/** Opens, walks and reads everything; any failure must be a SevenStickError. Returns files read. */
async function exercise(bytes: Buffer): Promise<number> {
  let files = 0;
  try {
    const wim = await openWim(new BufferReader(bytes, 'fuzz.wim'));
    for (let img = 1; img <= Math.min(wim.imageCount, 3); img++) {
      let n = 0;
      for await (const e of wim.walk(img)) {
        if (++n > 200) break;
        if (!e.isDirectory) {
          try {
            await wim.readFile(img, e.path);
            files++;
          } catch (err) {
            if (!(err instanceof SevenStickError)) throw err;
            outcomes.set(err.code, (outcomes.get(err.code) ?? 0) + 1);
          }
        }
      }
    }
  } catch (e) {
    if (!(e instanceof SevenStickError)) throw e;
    outcomes.set(e.code, (outcomes.get(e.code) ?? 0) + 1);
  }
  return files;
}

for (const comp of ['LZX', 'XPRESS']) {
  test(`${comp} WIM: fuzzed header, blob table, chunk tables, metadata and data end in SevenStickErrors`, { timeout: 120_000 }, async () => {
    const w = await makeSmallWim(comp);
    assert.equal(await exercise(w.bytes), 4, 'the clean file reads');
    outcomes.clear();
    const regions: [string, number, number][] = [
      ['header', 0, 208],
      ['blob table', w.blobTable.offset, w.blobTable.size],
      ...w.meta.map((m): [string, number, number] => ['metadata', m.res.offset, m.res.storedSize]),
      ...w.blobs.map((b): [string, number, number] => ['chunk table', b.res.offset, Math.min(16, b.res.storedSize)]),
      ...w.blobs.map((b): [string, number, number] => ['blob data', b.res.offset, b.res.storedSize]),
      ['anywhere', 0, w.bytes.length],
    ];
    for (const [what, start, len] of regions) {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: Math.max(len - 1, 0) }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), async (m) => {
          const b = Buffer.from(w.bytes);
          for (const [p, v] of m) b[start + p] = v;
          await exercise(b);
        }),
        { numRuns: what === 'anywhere' ? 150 : 40, seed: 11 },
      );
    }
    // Truncations.
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: w.bytes.length }), async (cut) => {
        await exercise(w.bytes.subarray(0, cut));
      }),
      { numRuns: 40, seed: 3 },
    );
    // The fuzzing reached the parsers and the checksum (not just the header check).
    for (const code of ['E_FORMAT', 'E_CHECKSUM']) assert.ok((outcomes.get(code) ?? 0) > 0, `some inputs ended in ${code}: ${JSON.stringify([...outcomes])}`);
  });
}

test('XPRESS: random and mutated chunks end in E_FORMAT or output, never past the buffer', { timeout: 60_000 }, async () => {
  const xp = new XpressDecoder();
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 200, maxLength: 3000 }), fc.integer({ min: 1, max: 65536 }), (input, size) => decodeGuarded(xp, input, size)),
    { numRuns: 300, seed: 42 },
  );
  // A real XPRESS chunk from wimlib: the first chunk of a.txt's resource.
  const w = await makeSmallWim('XPRESS');
  const blob = w.blobs.find((b) => b.res.originalSize === 120000)!;
  const first = w.bytes.readUInt32LE(blob.res.offset); // chunk 1 starts here → chunk 0's size
  const tableBytes = 4 * (Math.ceil(blob.res.originalSize / 32768) - 1);
  const chunk0 = w.bytes.subarray(blob.res.offset + tableBytes, blob.res.offset + tableBytes + first);
  const out = Buffer.alloc(32768);
  xp.decompress(chunk0, out);
  assert.equal(out.toString('latin1', 0, 12), 'hello hello ');
  fc.assert(
    fc.property(mutations, fc.option(fc.nat()), (m, cut) => decodeGuarded(xp, mutate(chunk0, m, cut ?? undefined), 32768)),
    { numRuns: 300, seed: 9 },
  );
});
