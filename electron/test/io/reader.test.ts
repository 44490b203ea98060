import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BufferReader, ExtentReader, FileReader, SliceReader, SevenStickError, defineStruct, readChunks, readInto } from '../../engine/index.js';
import { tempDir } from '../helpers/tools.js';

const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i & 0xff));

test('BufferReader reads exact ranges and refuses reads past the end', async () => {
  const r = new BufferReader(data, 'mem');
  assert.deepEqual(await r.read(10, 3), Buffer.from([10, 11, 12]));
  await assert.rejects(r.read(999, 2), (e: unknown) => e instanceof SevenStickError && e.code === 'E_RANGE');
  await assert.rejects(r.read(-1, 1), (e: unknown) => e instanceof SevenStickError && e.code === 'E_RANGE');
  await assert.rejects(r.read(0.5, 1), (e: unknown) => e instanceof SevenStickError && e.code === 'E_RANGE');
});

test('FileReader reads a file and reports a missing one with E_NOT_FOUND', async () => {
  const t = tempDir();
  try {
    const p = join(t.path, 'f.bin');
    writeFileSync(p, data);
    const r = await FileReader.open(p);
    assert.equal(r.size, 1000);
    assert.deepEqual(await r.read(998, 2), Buffer.from([998 & 0xff, 999 & 0xff]));
    await assert.rejects(r.read(999, 2), (e: unknown) => e instanceof SevenStickError && e.code === 'E_RANGE');
    await r.close();
    await assert.rejects(FileReader.open(join(t.path, 'nope')), (e: unknown) => e instanceof SevenStickError && e.code === 'E_NOT_FOUND');
  } finally {
    t.cleanup();
  }
});

test('SliceReader and ExtentReader map offsets, with sparse extents reading as zeros', async () => {
  const base = new BufferReader(data);
  const s = new SliceReader(base, 100, 50);
  assert.deepEqual(await s.read(0, 2), Buffer.from([100, 101]));
  await assert.rejects(s.read(49, 2), (e: unknown) => e instanceof SevenStickError && e.code === 'E_RANGE');
  assert.throws(() => new SliceReader(base, 990, 20), (e: unknown) => e instanceof SevenStickError);

  const x = new ExtentReader(base, [
    { offset: 200, length: 3 },
    { offset: null, length: 2 },
    { offset: 5, length: 4 },
  ]);
  assert.equal(x.size, 9);
  assert.deepEqual(await x.read(0, 9), Buffer.from([200, 201, 202, 0, 0, 5, 6, 7, 8]));
  assert.deepEqual(await x.read(2, 4), Buffer.from([202, 0, 0, 5]));
  assert.throws(() => new ExtentReader(base, [{ offset: 990, length: 20 }]), (e: unknown) => e instanceof SevenStickError && e.code === 'E_RANGE');

  const chunks: Buffer[] = [];
  for await (const c of readChunks(x, 4)) chunks.push(c);
  assert.deepEqual(chunks.map((c) => c.length), [4, 4, 1]);
});

test('defineStruct decodes and encodes fields by table', () => {
  const S = defineStruct('test', 16, { a: [0, 'u16le'], b: [2, 'u32be'], c: [6, 'u32lsbmsb'], d: [14, 'ascii', 2] });
  const buf = Buffer.alloc(16);
  S.encode({ a: 0x1234, b: 0xdeadbeef, c: 7, d: 'OK' }, buf);
  assert.deepEqual(S.decode(buf), { a: 0x1234, b: 0xdeadbeef, c: 7, d: 'OK' });
  assert.equal(buf.readUInt32BE(10), 7);
  assert.throws(() => S.decode(buf, 1), (e: unknown) => e instanceof SevenStickError && e.code === 'E_FORMAT');
});

test('readInto fills a caller buffer through every reader kind, sparse parts as zeros', async () => {
  const t = tempDir();
  try {
    const p = join(t.path, 'f.bin');
    writeFileSync(p, data);
    const file = await FileReader.open(p);
    const x = new ExtentReader(new SliceReader(file, 100, 200), [
      { offset: 10, length: 3 },
      { offset: null, length: 2 },
      { offset: 0, length: 4 },
    ]);
    const buf = Buffer.alloc(12, 0xee);
    await readInto(x, 1, 7, buf, 2);
    assert.deepEqual(buf, Buffer.from([0xee, 0xee, 111, 112, 0, 0, 100, 101, 102, 0xee, 0xee, 0xee]));
    // A read inside one extent is the underlying bytes.
    assert.deepEqual(await x.read(5, 3), Buffer.from([100, 101, 102]));
    await assert.rejects(readInto(x, 0, 9, Buffer.alloc(8), 0), (e: unknown) => e instanceof SevenStickError && e.code === 'E_RANGE');
    await file.close();
  } finally {
    t.cleanup();
  }
});
