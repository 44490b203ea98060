/**
 * The LZX decoder on its own: every block type (hand-made with a tiny test encoder, since wimlib
 * never writes uncompressed blocks), repeat offsets carried by uncompressed blocks, pretree run
 * codes, long codes (two-level tables), large windows, E8 edge cases — and wimlib as the judge:
 * a WIM whose file resource is rewritten with our hand-made streams must extract with wimlib.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileReader, LzxDecoder, SevenStickError, WimHeaderFields, openWim, undoE8 } from '../../engine/index.js';
import { runOk, tempDir } from '../helpers/tools.js';
import { doE8, lzxEncodeChunk, type BlockSpec } from './lzx-encoder.js';

/** Deterministic pseudo-random bytes. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** Text-like data with repeats (matches at many distances) and some E8 bytes. */
function sample(n: number, seed: number): Buffer {
  const rnd = prng(seed);
  const words = Array.from({ length: 60 }, () => Buffer.from(Array.from({ length: 2 + (rnd() % 8) }, () => 97 + (rnd() % 26))));
  const parts: Buffer[] = [];
  let len = 0;
  while (len < n) {
    const k = rnd() % 20;
    const b = k === 0 ? Buffer.from([0xe8, rnd() & 0xff, rnd() & 0xff, 0, 0]) : k === 1 ? Buffer.from(Array.from({ length: 16 }, () => rnd() & 0xff)) : words[rnd() % words.length]!;
    parts.push(b);
    len += b.length;
  }
  return Buffer.concat(parts).subarray(0, n);
}

function decode(stream: Buffer, size: number, windowSize = 32768): Buffer {
  const out = Buffer.alloc(size);
  new LzxDecoder(windowSize).decompress(stream, out);
  return out;
}

test('verbatim, aligned and uncompressed blocks (alone and mixed in one chunk) decode to the input', () => {
  const data = sample(32768, 1);
  for (const type of ['verbatim', 'aligned', 'uncompressed'] as const) {
    const { stream, stats } = lzxEncodeChunk(data, [{ type, size: 32768 }]);
    assert.deepEqual(stats.blockTypes, [type]);
    assert.ok(decode(stream, 32768).equals(data), `${type} block`);
  }
  const blocks: BlockSpec[] = [
    { type: 'verbatim', size: 1000 },
    { type: 'verbatim', size: 0 },
    { type: 'uncompressed', size: 0 },
    { type: 'uncompressed', size: 777 },
    { type: 'aligned', size: 5001 },
    { type: 'uncompressed', size: 2 },
    { type: 'verbatim', size: 20000 },
    { type: 'aligned', size: 32768 - 1000 - 777 - 5001 - 2 - 20000 },
  ];
  const { stream, stats } = lzxEncodeChunk(data, blocks);
  assert.ok(decode(stream, 32768).equals(data), 'mixed blocks');
  assert.ok(stats.alignedSymsUsed > 0, 'aligned blocks carried aligned offset symbols');
  assert.ok(stats.repeatSlots.size === 3, 'all three repeat offsets were used');
  assert.ok(stats.longMatches > 0, 'the length tree was used');
  for (const s of [17, 18, 19]) assert.ok(stats.presyms.has(s), `pretree run code ${s} used`);
  // The same without run codes, and the short last chunk of a resource.
  assert.ok(decode(lzxEncodeChunk(data, blocks, { rle: false }).stream, 32768).equals(data));
  const tail = data.subarray(0, 1234);
  for (const type of ['verbatim', 'aligned', 'uncompressed'] as const) {
    assert.ok(decode(lzxEncodeChunk(tail, [{ type, size: 1234 }]).stream, 1234).equals(tail), `short ${type}`);
  }
  const tiny = Buffer.from([0xe8, 1, 2, 3, 4, 5]);
  assert.ok(decode(lzxEncodeChunk(tiny, [{ type: 'verbatim', size: 6 }]).stream, 6).equals(tiny), 'a chunk ≤ 10 bytes is never E8-translated');
});

test('an uncompressed block sets R0..R2 for the blocks after it', () => {
  // After 3000 bytes of text, the next block repeats data from exactly 1234 bytes back.
  const data = Buffer.alloc(8000);
  sample(3000, 2).copy(data, 0);
  for (let i = 3000; i < 8000; i++) data[i] = data[i - 1234]!;
  const blocks: BlockSpec[] = [
    { type: 'uncompressed', size: 3000, r: [1234, 7, 99] },
    { type: 'verbatim', size: 5000 },
  ];
  const { stream, stats } = lzxEncodeChunk(data, blocks);
  assert.ok(stats.repeatSlots.has(0));
  assert.ok(decode(stream, 8000).equals(data));
  // Changing the stored R0 must change the output: the decoder really uses it.
  const bad = lzxEncodeChunk(data, blocks).stream;
  const at = bad.indexOf(Buffer.from([0xd2, 0x04, 0, 0, 7, 0, 0, 0]));
  assert.ok(at > 0);
  bad[at] = 0xd3;
  assert.notDeepEqual(decode(bad, 8000), data);
  // R values of 0 are invalid.
  bad[at] = 0;
  bad[at + 1] = 0;
  assert.throws(() => decode(bad, 8000), (e: unknown) => e instanceof SevenStickError && e.code === 'E_FORMAT');
});

test('long Huffman codes (two-level tables) and large windows decode', () => {
  // Skewed literal frequencies force code lengths up to 16.
  const rnd = prng(3);
  const data = Buffer.alloc(32768);
  for (let i = 0; i < data.length; i++) {
    let v = 0;
    while (v < 40 && (rnd() & 1) === 0) v++;
    data[i] = v * 5;
  }
  const { stream, stats } = lzxEncodeChunk(data, [{ type: 'verbatim', size: 32768, literalsOnly: true }]);
  assert.ok(stats.maxMainLen > 12, `longest main code ${stats.maxMainLen} bits goes past the primary table`);
  assert.ok(decode(stream, 32768).equals(data));

  // 128 KiB window: 24-bit block sizes, 34 offset slots, offsets beyond 32 KiB.
  const big = Buffer.concat([sample(70000, 4), sample(60000, 4)]);
  const r = lzxEncodeChunk(big, [{ type: 'aligned', size: 100000 }, { type: 'verbatim', size: 30000 }], { windowOrder: 17 });
  assert.ok(decode(r.stream, big.length, 131072).equals(big));
});

test('E8 translation: targets on every boundary, E8 at the chunk end, overlapping E8 bytes', () => {
  const n = 32768;
  const data = Buffer.alloc(n, 0x61);
  let pos = 0;
  const rels = (p: number): number[] => [-p, -p - 1, 12000000 - p, 12000000 - p - 1, 11999999, 12000000, 0, -1, p, 2 ** 31 - 1, -(2 ** 31)];
  for (const rel of rels(5000)) {
    pos += 17;
    data[pos] = 0xe8;
    data.writeInt32LE(rel, pos + 1);
  }
  data.fill(0xe8, 20000, 20013); // runs of E8: each translation skips its 4 target bytes
  for (const p of [n - 16, n - 10]) {
    data[p] = 0xe8;
    data.writeInt32LE(100, p + 1);
  }
  const translated = Buffer.from(doE8(data));
  assert.equal(translated.readInt32LE(n - 15), 100 + n - 16, 'E8 before the last 10 bytes is translated');
  assert.equal(translated.readInt32LE(n - 9), 100, 'E8 in the last 10 bytes is left alone');
  const back = Buffer.from(translated);
  undoE8(back);
  assert.ok(back.equals(data), 'undoE8 inverts the translation');
  const { stream } = lzxEncodeChunk(data, [{ type: 'uncompressed', size: n }]);
  assert.ok(decode(stream, n).equals(data));
  // Hand-computed expectations for the decoder side: abs → rel at position i.
  const one = (i: number, abs: number): number => {
    const b = Buffer.alloc(64, 0x61);
    b[i] = 0xe8;
    b.writeInt32LE(abs, i + 1);
    undoE8(b);
    return b.readInt32LE(i + 1);
  };
  assert.equal(one(10, 50), 40);
  assert.equal(one(10, 11999999), 11999989);
  assert.equal(one(10, 12000000), 12000000, 'abs ≥ file size: untouched');
  assert.equal(one(10, -10), 11999990, 'abs = -i: compensating translation');
  assert.equal(one(10, -11), -11, 'abs < -i: untouched');
  assert.equal(one(53, 5), -48, 'E8 at size-11 is translated');
  assert.equal(one(54, 5), 5, 'E8 at size-10 is not');
});

/**
 * Rewrites a file's resource in a wimlib-made WIM with our own chunk streams (appended at the end
 * of the WIM, blob table entry updated in place), so wimlib itself must decode our streams.
 */
function rewriteResource(wim: Buffer, fileSha1: string, chunks: Buffer[], usize: number): Buffer {
  const hdr = WimHeaderFields.decode(wim);
  const btOffset = Number(hdr.blobTable.readBigUInt64LE(8));
  const btSize = hdr.blobTable.readUInt32LE(0);
  const hash = Buffer.from(fileSha1, 'hex');
  let entryAt = -1;
  for (let at = btOffset; at < btOffset + btSize; at += 50) if (wim.subarray(at + 30, at + 50).equals(hash)) entryAt = at;
  assert.ok(entryAt > 0, 'blob entry found');
  const table = Buffer.alloc(4 * (chunks.length - 1));
  let off = 0;
  chunks.forEach((c, i) => {
    if (i > 0) table.writeUInt32LE(off, 4 * (i - 1));
    off += c.length;
  });
  const res = Buffer.concat([table, ...chunks]);
  const out = Buffer.concat([wim, res]);
  out.writeUInt32LE(res.length, entryAt); // stored size (low 32 bits); high bits were 0
  out.writeUInt16LE(0, entryAt + 4);
  out.writeUInt8(0, entryAt + 6);
  out.writeBigUInt64LE(BigInt(wim.length), entryAt + 8);
  out.writeBigUInt64LE(BigInt(usize), entryAt + 16);
  return out;
}

test('wimlib-imagex extracts a WIM whose LZX chunks are our hand-made verbatim/aligned/uncompressed streams', async () => {
  const t = tempDir();
  try {
    const size = 3 * 32768 + 5000;
    const data = sample(size, 9);
    data.fill(0x42, 40000, 41000);
    mkdirSync(join(t.path, 'src'));
    writeFileSync(join(t.path, 'src', 'f.bin'), data);
    const orig = join(t.path, 'orig.wim');
    await runOk('wimlib-imagex', ['capture', join(t.path, 'src'), orig, '--compress=LZX']);
    const plans: BlockSpec[][] = [
      [{ type: 'verbatim', size: 3000 }, { type: 'uncompressed', size: 1001, r: [5, 6, 7] }, { type: 'aligned', size: 32768 - 4001 }],
      [{ type: 'aligned', size: 32768 }],
      [{ type: 'uncompressed', size: 100 }, { type: 'verbatim', size: 32668 }],
      [{ type: 'aligned', size: 2000 }, { type: 'uncompressed', size: 3000 }],
    ];
    const chunks = plans.map((p, i) => lzxEncodeChunk(data.subarray(i * 32768, Math.min(size, (i + 1) * 32768)), p).stream);
    chunks.forEach((c, i) => assert.ok(c.length < Math.min(32768, size - i * 32768), `chunk ${i} is compressed (${c.length} bytes)`));
    const sha1 = createHash('sha1').update(data).digest('hex');
    const patched = join(t.path, 'patched.wim');
    writeFileSync(patched, rewriteResource(readFileSync(orig), sha1, chunks, size));
    await runOk('wimlib-imagex', ['extract', patched, '1', '/f.bin', `--dest-dir=${join(t.path, 'x')}`]);
    assert.ok(readFileSync(join(t.path, 'x', 'f.bin')).equals(data), 'wimlib decodes our streams to the file');
    const r = await FileReader.open(patched);
    try {
      const wim = await openWim(r);
      assert.ok((await wim.readFile(1, 'f.bin')).equals(data), 'so do we');
    } finally {
      await r.close();
    }
  } finally {
    t.cleanup();
  }
});
