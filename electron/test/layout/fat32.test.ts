/**
 * The planned stick judged by outside tools: sfdisk (partition table), fsck.fat -n (the
 * filesystem), mtools (every name and byte read back), with local-folder sources.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diskStream, planDisk, type DiskPlan } from '../../engine/index.js';
import { tempDir } from '../helpers/tools.js';
import { assertFsckClean, assertSameTree, listTree, sevenZipPaths, mcopyAll, mdir, sfdiskPartitions, sourceFromDir, writeStreamToFile } from './util.js';

const MiB = 1024 * 1024;

/** Deterministic pseudo-random bytes. */
function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** A tree full of naming traps. */
function makeTree(root: string): void {
  const f = (p: string, data: Buffer | string) => {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), data);
  };
  f('BOOTMGR', bytes(383_786, 1)); // exact 8.3 name: must stay `BOOTMGR    `, no LFN
  f('bootmgr.efi', bytes(70_000, 2));
  f('Program Files/readme.txt', 'pf');
  f('Program Filesystem/readme.txt', 'pfs');
  f('Program Files (x86)/x.txt', 'x86');
  f('a.b.c', 'abc');
  f('a.b.c.d', 'abcd');
  f('README.TXT', 'exact');
  f('ReadMe.txt.bak', 'bak');
  f('lower.txt', 'lower');
  f('MixedCase.Txt', 'mixed');
  f('.hidden', 'dot');
  f('name with spaces.text', 'spaces');
  f('Ünïcödé Fïlé.txt', 'unicode');
  f('日本語のファイル名.txt', 'cjk');
  f('emoji 😀 name.bin', 'emoji');
  f('x'.repeat(200) + '.long', 'long name');
  f('empty.file', '');
  mkdirSync(join(root, 'empty dir'));
  mkdirSync(join(root, 'EMPTYDIR'));
  let deep = 'deep';
  for (let i = 0; i < 20; i++) deep += `/level ${i} with a long folder name`;
  f(`${deep}/leaf.txt`, 'leaf');
  for (let i = 0; i < 1000; i++) f(`same/sameprefix_${String(i).padStart(4, '0')}.dat`, `file ${i}`);
  f('sources/install.wim', bytes(5 * MiB + 123, 3)); // crosses 4 MiB chunk boundaries, odd size
  f('sources/boot.wim', bytes(1 * MiB, 4));
  // Fixed times (the image's times must be carried over): 2009-07-14 01:02:04 UTC
  const t = new Date(Date.UTC(2009, 6, 14, 1, 2, 4));
  utimesSync(join(root, 'BOOTMGR'), t, t);
}

async function build(src: string, img: string, targetSize: number, opts: { clusterSize?: number; label?: string } = {}): Promise<DiskPlan> {
  const plan = planDisk(sourceFromDir(src), { targetSize, label: opts.label ?? 'GRMCPRXFRER_EN_DVD', clusterSize: opts.clusterSize });
  const stream = diskStream(plan);
  assert.equal(stream.size, targetSize);
  await writeStreamToFile(stream, img);
  return plan;
}

test('a tree with naming traps: sfdisk, fsck.fat -n and mtools agree with the source', async () => {
  const t = tempDir();
  try {
    const src = join(t.path, 'src');
    makeTree(src);
    const img = join(t.path, 'disk.img');
    const plan = await build(src, img, 64 * MiB);
    assert.equal(plan.clusterSize, 512); // fatgen103: ≤ 260 MB → 1 sector per cluster

    const pt = await sfdiskPartitions(img);
    assert.equal(pt.label, 'dos');
    assert.equal(pt.partitions.length, 1);
    const p = pt.partitions[0]!;
    assert.equal(p.start, 2048);
    assert.equal(p.type, 'c');
    assert.equal(p.bootable, true);
    assert.equal(p.start + p.size, (64 * MiB) / 512, 'the partition ends at the end of the target');

    await assertFsckClean(img, t.path);
    // 7-Zip as a second reader: every path, exactly (including names beyond the BMP).
    const sz = (await sevenZipPaths(img, t.path)).sort();
    assert.deepEqual(sz, [...listTree(src).keys()].sort());

    const out = join(t.path, 'out');
    mkdirSync(out);
    await mcopyAll(img, out);
    assertSameTree(listTree(out), listTree(src));

    // Short names as mtools sees them: BOOTMGR exactly (no long name), and the numeric tails.
    const root = await mdir(img);
    assert.match(root, /^BOOTMGR\s+383786 /m, root);
    assert.match(root, /^README\s+TXT\s+5 /m, root);
    assert.match(root, /GRMCPRXFRER/, root); // volume label
    const same = await mdir(img, '::/same');
    assert.match(same, /^SAMEPR~1 DAT\s+6 .* sameprefix_0000\.dat$/m);
    assert.match(same, /^SAMEP~10 DAT\s+/m);
    assert.match(same, /^SAME~100 DAT\s+/m);
    assert.match(same, /^SAM~1000 DAT\s+/m);
    const shorts = [...same.matchAll(/^(\S+)\s+DAT\s/gm)].map((m) => m[1]);
    assert.equal(shorts.length, 1000);
    assert.equal(new Set(shorts).size, 1000);
    // Times carried over (FAT keeps UTC fields as written; mtools prints them as is).
    assert.match(root, /^BOOTMGR\s+383786 2009-07-14\s+1:02/m, root);
  } finally {
    t.cleanup();
  }
});

test('two runs give byte-identical images', async () => {
  const t = tempDir();
  try {
    const src = join(t.path, 'src');
    makeTree(src);
    const h: string[] = [];
    for (const n of ['a.img', 'b.img']) {
      await build(src, join(t.path, n), 48 * MiB);
      h.push(createHash('sha256').update(readFileSync(join(t.path, n))).digest('hex'));
    }
    assert.equal(h[0], h[1]);
  } finally {
    t.cleanup();
  }
});

test('a bigger target gets 4 KiB clusters and still reads back (sparse 600 MiB image)', async () => {
  const t = tempDir();
  try {
    const src = join(t.path, 'src');
    makeTree(src);
    const img = join(t.path, 'disk.img');
    const plan = await build(src, img, 600 * MiB);
    assert.equal(plan.clusterSize, 4096);
    await assertFsckClean(img, t.path);
    const out = join(t.path, 'out');
    mkdirSync(out);
    await mcopyAll(img, out);
    assertSameTree(listTree(out), listTree(src));
  } finally {
    t.cleanup();
  }
});
