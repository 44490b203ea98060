/**
 * UDF features the Debian tools never write, on our own generator's image (scripts/fixtures/
 * iso-udf-sparse.py): a sparse file over 4 GiB, Extended File Entries, embedded data, an allocation
 * extent descriptor, 16-bit names, a metadata partition; plus anchor / reserve-sequence / mirror
 * fallbacks on damaged copies. 7-Zip is the oracle where it can be (it does not follow allocation
 * extent descriptors, so many-extents.bin is checked against the generator's own digest).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BufferReader, UdfFileSystem, openFileSystem, type ImageFileSystem } from '../../engine/index.js';
import { udfCrc } from '../../engine/image/udf/tag.js';
import { fixture, runOk, tempDir } from '../helpers/tools.js';
import { ourList, sevenZipList, sha256File, sha256Of } from './oracle.js';
import { createHash } from 'node:crypto';

interface Expected {
  [path: string]: { size?: number; sha256?: string; head?: string; tail?: string; gap?: number; dir?: boolean };
}

const SECTOR = 2048;

async function load(variant: string[]): Promise<{ image: string; expected: Expected; bytes: Buffer }> {
  const dir = await fixture('iso-udf-sparse.py', variant);
  const image = join(dir, 'image.udf');
  return { image, expected: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected, bytes: readFileSync(image) };
}

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

async function checkContent(fs: ImageFileSystem, expected: Expected): Promise<void> {
  for (const [path, e] of Object.entries(expected)) {
    const n = await fs.lookup(path);
    assert.ok(n, path);
    if (e.dir) {
      assert.equal(n.isDirectory, true);
      continue;
    }
    assert.equal(n.size, e.size, path);
    if (e.sha256) assert.equal(await sha256Of(fs, n), e.sha256, path);
    if (e.head && e.tail && e.gap !== undefined) {
      const r = fs.open(n);
      assert.equal(sha(await r.read(0, 2048)), e.head);
      assert.equal(sha(await r.read(2048 + e.gap, 4096)), e.tail);
      // the sparse middle reads as zeros, also across the 4 GiB boundary
      assert.ok((await r.read(2 ** 32 - 4096, 8192)).equals(Buffer.alloc(8192)));
      assert.ok(n.size > 2 ** 32);
      assert.ok(n.extents.some((x) => x.offset === null));
      assert.equal(n.extents.reduce((s, x) => s + x.length, 0), n.size);
    }
  }
}

for (const variant of [[], ['--metadata']]) {
  const name = variant.length ? 'metadata-partition' : 'plain';
  test(`own UDF 2.50 image (${name}): listing matches 7z, content matches 7z and the generator`, async () => {
    const { image, expected } = await load(variant);
    const { FileReader } = await import('../../engine/index.js');
    const reader = await FileReader.open(image);
    const t = tempDir();
    try {
      const fs = await openFileSystem(reader);
      assert.ok(fs instanceof UdfFileSystem);
      assert.equal(fs.label, 'SPARSE_UDF');
      assert.equal(fs.info.nsr, 3);
      assert.equal(fs.info.revision, '2.50');
      assert.deepEqual(
        fs.info.partitionMaps.map((m) => m.kind),
        variant.length ? ['physical', 'metadata'] : ['physical'],
      );
      const { map } = await ourList(fs);
      assert.deepEqual(new Map([...map].sort()), new Map([...(await sevenZipList(image, 'Udf'))].sort()));
      const small = ['embedded.txt', 'Ünïcödé 名前.txt', 'sub dir/nested.txt'];
      await runOk('7z', ['x', '-y', '-tUdf', `-o${t.path}`, image, ...small]);
      for (const p of small) assert.equal(await sha256Of(fs, (await fs.lookup(p))!), sha256File(join(t.path, p)), p);
      await checkContent(fs, expected);
    } finally {
      t.cleanup();
      await reader.close();
    }
  });
}

/** Re-seals a descriptor's tag checksum and CRC after an edit (so only the intended damage remains). */
function reseal(buf: Buffer, at: number): void {
  const crcLen = buf.readUInt16LE(at + 10);
  buf.writeUInt16LE(udfCrc(buf, at + 16, at + 16 + crcLen), at + 8);
  let sum = 0;
  for (let i = 0; i < 16; i++) if (i !== 4) sum += buf[at + i] as number;
  buf[at + 4] = sum & 0xff;
}

test('UDF fallbacks: last-sector anchor, reserve volume descriptor sequence, metadata mirror', async () => {
  const { bytes, expected } = await load(['--metadata']);
  // 1. No anchor at 256: the one at the last sector is used.
  const a = Buffer.from(bytes);
  a.fill(0, 256 * SECTOR, 257 * SECTOR);
  const fa = (await openFileSystem(new BufferReader(a))) as UdfFileSystem;
  assert.equal(fa.info.anchor, a.length / SECTOR - 1);
  await checkContent(fa, expected);
  // 2. Main sequence's logical volume descriptor damaged (CRC no longer matches): reserve is used.
  const b = Buffer.from(bytes);
  b[34 * SECTOR + 100] ^= 0xff;
  const fb = (await openFileSystem(new BufferReader(b))) as UdfFileSystem;
  assert.equal(fb.info.sequence, 'reserve');
  await checkContent(fb, expected);
  // 3. Metadata file entry damaged: the mirror is read instead.
  const c = Buffer.from(bytes);
  c[272 * SECTOR + 200] ^= 0xff;
  const fc = await openFileSystem(new BufferReader(c));
  await checkContent(fc, expected);
  // 4. Both anchors gone: not UDF any more (E_FORMAT).
  const d = Buffer.from(a);
  d.fill(0, d.length - SECTOR);
  await assert.rejects(openFileSystem(new BufferReader(d)), (e: unknown) => (e as { code?: string }).code === 'E_FORMAT');
});

test('UDF directory loop is reported, not followed', async () => {
  const { bytes } = await load([]);
  // Point "sub dir"'s only child FID (nested.txt) at the root directory and mark it a directory.
  const buf = Buffer.from(bytes);
  const reader = new BufferReader(buf);
  const fs = await openFileSystem(reader);
  const sub = (await fs.lookup('sub dir'))!;
  const dirAt = sub.extents[0]!.offset as number;
  // second FID in the folder (after the 40-byte parent FID)
  const fidAt = dirAt + 40;
  assert.equal(buf.readUInt16LE(fidAt), 257);
  buf[fidAt + 18] = 0x02; // directory
  const rootIcbBlock = buf.readUInt32LE(dirAt + 20 + 4); // parent FID points at root
  buf.writeUInt32LE(rootIcbBlock, fidAt + 20 + 4);
  reseal(buf, fidAt);
  const fs2 = await openFileSystem(new BufferReader(buf));
  const { walk } = await import('../../engine/index.js');
  await assert.rejects(
    (async () => {
      for await (const _ of walk(fs2)) void _;
    })(),
    (e: unknown) => (e as { code?: string }).code === 'E_FORMAT' && /reached twice/.test((e as Error).message),
  );
});
