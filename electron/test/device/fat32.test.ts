/**
 * Our FAT32 reader against mkfs.fat + mcopy images (the oracle: mtools' own listing and extraction),
 * and against hostile edits (chain loops, broken long names).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BufferReader, Fat32Reader, SevenStickError, type FatNode } from '../../engine/index.js';
import { fixture, runOk, tempDir } from '../helpers/tools.js';

function localTree(dir: string, prefix = ''): Map<string, { dir: boolean; size: number; path: string }> {
  const out = new Map<string, { dir: boolean; size: number; path: string }>();
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    const rel = prefix ? `${prefix}/${n}` : n;
    const st = statSync(p);
    out.set(rel, { dir: st.isDirectory(), size: st.isDirectory() ? 0 : st.size, path: p });
    if (st.isDirectory()) for (const [k, v] of localTree(p, rel)) out.set(k, v);
  }
  return out;
}

test('reads the tree (long names, nested folders) and every file byte for byte as mtools extracts them', async () => {
  const img = await fixture('dev-fat-disk.sh');
  const t = tempDir();
  try {
    await runOk('mcopy', ['-s', '-n', '-i', `${img}@@1M`, '::/*', t.path]);
    const want = localTree(t.path);
    const fat = await Fat32Reader.open(new BufferReader(readFileSync(img), img));
    assert.equal(fat.label, 'WIN7STICK');
    assert.equal(fat.partition.startLba, 2048);
    assert.equal(fat.partition.active, true);
    const got = new Map<string, FatNode>();
    for await (const n of fat.walk()) got.set(n.path, n);
    assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort());
    for (const [p, w] of want) {
      const n = got.get(p) as FatNode;
      assert.equal(n.isDirectory, w.dir, p);
      if (w.dir) continue;
      assert.equal(n.size, w.size, p);
      const r = await fat.open(n);
      assert.ok((await r.read(0, r.size)).equals(readFileSync(w.path)), p);
    }
    assert.equal((await fat.lookup('long folder name with spaces/A FILE WITH A RATHER LONG NAME.TXT'))?.size, 5000);
    assert.equal((await fat.lookup('LONGFO~1/AFILEW~1.TXT'))?.name, 'A file with a rather long name.txt');
    assert.equal(await fat.lookup('nope/x'), undefined);
  } finally {
    t.cleanup();
  }
});

test('hostile edits: a cluster chain loop is E_FORMAT (no hang); a long name with a bad checksum falls back to 8.3', async () => {
  const img = readFileSync(await fixture('dev-fat-disk.sh'));
  const fat = await Fat32Reader.open(new BufferReader(img));
  const node = (await fat.lookup('sources/install.wim')) as FatNode;
  // Point the file's 3rd cluster back at its first: a loop.
  const bad = Buffer.from(img);
  const third = node.firstCluster + 2;
  bad.writeUInt32LE(node.firstCluster, fat.fatOffset + third * 4);
  const f2 = await Fat32Reader.open(new BufferReader(bad));
  const n2 = (await f2.lookup('sources/install.wim')) as FatNode;
  await assert.rejects(f2.open(n2), (e: unknown) => e instanceof SevenStickError && e.code === 'E_FORMAT');
  // A chain into cluster 1 (outside the data area).
  const bad2 = Buffer.from(img);
  bad2.writeUInt32LE(1, fat.fatOffset + node.firstCluster * 4);
  const f3 = await Fat32Reader.open(new BufferReader(bad2));
  await assert.rejects(f3.open((await f3.lookup('sources/install.wim')) as FatNode), (e: unknown) => e instanceof SevenStickError && e.code === 'E_FORMAT');
  // Break the LFN checksum of "A file with a rather long name.txt": the reader shows its 8.3 name.
  const bad3 = Buffer.from(img);
  const dir = (await fat.lookup('Long Folder Name With Spaces')) as FatNode;
  const dirAt = fat.dataOffset + (dir.firstCluster - 2) * fat.bytesPerCluster;
  let patched = 0;
  for (let at = dirAt; at < dirAt + fat.bytesPerCluster; at += 32) {
    if (bad3[at + 11] === 0x0f && bad3.toString('utf16le', at + 1, at + 11).startsWith('A fil')) {
      bad3[at + 13] = (bad3[at + 13] as number) ^ 0x5a;
      patched++;
    }
  }
  assert.equal(patched, 1);
  const f4 = await Fat32Reader.open(new BufferReader(bad3));
  const names = (await f4.list((await f4.lookup('Long Folder Name With Spaces')) as FatNode)).map((n) => n.name).sort();
  assert.deepEqual(names, ['AFILEW~1.TXT', 'empty.txt']);
  // Not a FAT32 disk at all.
  await assert.rejects(Fat32Reader.open(new BufferReader(Buffer.alloc(4096))), (e: unknown) => e instanceof SevenStickError && e.code === 'E_FORMAT');
});
