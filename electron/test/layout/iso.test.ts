/**
 * From a Win7-like ISO (the `image` helper's fixture) to a stick: every ISO file read back with
 * mtools equals what 7-Zip extracts from the ISO, efi/boot/bootx64.efi equals what
 * wimlib-imagex extracts from install.wim image 1, fsck.fat is clean.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BufferReader, createWindowsStick, SevenStickError } from '../../engine/index.js';
import { fixture, runOk, tempDir } from '../helpers/tools.js';
import { assertFsckClean, listTree, mcopyAll, mdir, sfdiskPartitions, writeStreamToFile } from './util.js';

const MiB = 1024 * 1024;

for (const style of ['udf-only', 'bridge'] as const) {
  test(`Win7-like x64 ISO (${style}): files, bootx64.efi from install.wim, fsck clean`, async () => {
    const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', style]);
    const t = tempDir();
    try {
      const stick = await createWindowsStick(iso, { targetSize: 256 * MiB });
      assert.equal(stick.uefiBoot, 'install.wim');
      assert.equal(stick.plan.label, 'GRMCPRXFRER');
      const img = join(t.path, 'stick.img');
      await writeStreamToFile(stick.stream, img);
      await stick.close();

      const pt = await sfdiskPartitions(img);
      assert.equal(pt.partitions.length, 1);
      assert.equal(pt.partitions[0]!.start, 2048);
      assert.equal(pt.partitions[0]!.type, 'c');
      assert.equal(pt.partitions[0]!.bootable, true);
      await assertFsckClean(img, t.path);

      // The oracle for the ISO's content: 7-Zip's extraction of the UDF side.
      const isoOut = join(t.path, 'iso');
      await runOk('7z', ['x', '-y', '-tudf', `-o${isoOut}`, iso]);
      const stickOut = join(t.path, 'stick');
      mkdirSync(stickOut);
      await mcopyAll(img, stickOut);
      const fromIso = listTree(isoOut);
      assert.ok(fromIso.size > 15, `7z extracted only ${fromIso.size} entries`);
      const onStick = listTree(stickOut);
      for (const [k, v] of fromIso) {
        const w = onStick.get(k);
        if (v === 'dir') assert.equal(w, 'dir', `${k} should be a folder on the stick`);
        else assert.ok(Buffer.isBuffer(w) && w.equals(v), `${k}: bytes differ from the ISO's`);
      }
      const extra = [...onStick.keys()].filter((k) => !fromIso.has(k)).sort();
      assert.deepEqual(extra, ['efi/boot', 'efi/boot/bootx64.efi']);

      // bootx64.efi = install.wim image 1's Windows/Boot/EFI/bootmgfw.efi, as wimlib-imagex extracts it.
      const wimOut = join(t.path, 'wim');
      await runOk('wimlib-imagex', ['extract', join(isoOut, 'sources', 'install.wim'), '1', '/Windows/Boot/EFI/bootmgfw.efi', `--dest-dir=${wimOut}`, '--no-acls']);
      const expected = readFileSync(join(wimOut, 'bootmgfw.efi'));
      assert.ok((onStick.get('efi/boot/bootx64.efi') as Buffer).equals(expected), 'bootx64.efi differs from bootmgfw.efi');

      const root = await mdir(img);
      assert.match(root, /^BOOTMGR\s+\d+ .*bootmgr$/m, root);
    } finally {
      t.cleanup();
    }
  });
}

test('Win7-like x86 ISO: no UEFI file is added, everything else is copied', async () => {
  const iso = await fixture('win7-iso.sh', ['--arch', 'x86']);
  const t = tempDir();
  try {
    const stick = await createWindowsStick(iso, { targetSize: 128 * MiB });
    assert.equal(stick.uefiBoot, 'none');
    assert.equal(stick.plan.label, 'GRMCPRFRER_');
    const img = join(t.path, 'stick.img');
    await writeStreamToFile(stick.stream, img);
    await stick.close();
    await assertFsckClean(img, t.path);
    const isoOut = join(t.path, 'iso');
    await runOk('7z', ['x', '-y', '-tudf', `-o${isoOut}`, iso]);
    const stickOut = join(t.path, 'stick');
    mkdirSync(stickOut);
    await mcopyAll(img, stickOut);
    assert.deepEqual([...listTree(stickOut).keys()].sort(), [...listTree(isoOut).keys()].sort());
  } finally {
    t.cleanup();
  }
});

test('an ISO that has its own bootx64.efi keeps it (folders matched case-insensitively)', async () => {
  const extra = await fixture('layout-extra-bootx64.sh');
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'bridge', '--extra', extra], 'layout-win7-own-bootx64');
  const t = tempDir();
  try {
    const stick = await createWindowsStick(iso, { targetSize: 96 * MiB });
    assert.equal(stick.uefiBoot, 'iso');
    const img = join(t.path, 'stick.img');
    await writeStreamToFile(stick.stream, img);
    await stick.close();
    await assertFsckClean(img, t.path);
    const out = join(t.path, 'out');
    mkdirSync(out);
    await mcopyAll(img, out);
    const tree = listTree(out);
    const efiDirs = [...tree.keys()].filter((k) => /^efi$/i.test(k));
    assert.equal(efiDirs.length, 1, `one efi folder, not ${efiDirs.join(', ')}`);
    const boot = [...tree.entries()].find(([k]) => /^efi\/boot\/bootx64\.efi$/i.test(k));
    assert.ok(boot && Buffer.isBuffer(boot[1]) && boot[1].toString() === 'bootx64 from the ISO itself\n');
  } finally {
    t.cleanup();
  }
});

test('recycled chunk buffers (reuseBuffers) give the same image, big files included', async () => {
  const extra = await fixture('layout-extra-big.sh');
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'bridge', '--extra', extra], 'layout-win7-big');
  const t = tempDir();
  try {
    const imgs: string[] = [];
    for (const reuse of [false, true]) {
      const stick = await createWindowsStick(iso, { targetSize: 128 * MiB });
      const img = join(t.path, `stick-${reuse}.img`);
      const st = await writeStreamToFile(stick.stream, img, undefined, reuse);
      await stick.close();
      imgs.push(img);
      // The FATs of a 128 MiB stick are under 4 MiB; the 29 MiB file gives 6+ full chunks (more than the ring).
      assert.ok(st.fullChunks >= 6, `${st.fullChunks} full chunks`);
      if (reuse) assert.ok(st.fullChunkBuffers < st.fullChunks, 'recycled buffers were not used');
      else assert.equal(st.fullChunkBuffers, st.fullChunks);
    }
    await runOk('cmp', imgs);
    await assertFsckClean(imgs[1]!, t.path);
    const out = join(t.path, 'out');
    mkdirSync(out);
    await mcopyAll(imgs[1]!, out);
    const expected = readFileSync(join(extra, 'sources', 'extra', 'Big File.bin'));
    assert.ok(readFileSync(join(out, 'sources', 'extra', 'Big File.bin')).equals(expected));
  } finally {
    t.cleanup();
  }
});

test('two sticks from the same ISO are byte-identical', async () => {
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
  const t = tempDir();
  try {
    const sums: string[] = [];
    for (const n of ['a.img', 'b.img']) {
      const stick = await createWindowsStick(iso, { targetSize: 96 * MiB });
      await writeStreamToFile(stick.stream, join(t.path, n));
      await stick.close();
      sums.push((await runOk('sha256sum', [join(t.path, n)])).stdout.split(' ')[0] as string);
    }
    assert.equal(sums[0], sums[1]);
  } finally {
    t.cleanup();
  }
});

test('an ISO that is not Windows media is refused with E_UNSUPPORTED', async () => {
  const t = tempDir();
  try {
    mkdirSync(join(t.path, 'tree'));
    await runOk('sh', ['-c', `echo hello > ${join(t.path, 'tree', 'readme.txt')}`]);
    const iso = join(t.path, 'plain.iso');
    await runOk('genisoimage', ['-quiet', '-udf', '-V', 'PLAIN', '-o', iso, join(t.path, 'tree')]);
    await assert.rejects(createWindowsStick(iso, { targetSize: 64 * MiB }), (e: unknown) => e instanceof SevenStickError && e.code === 'E_UNSUPPORTED');
    await assert.rejects(createWindowsStick(new BufferReader(Buffer.alloc(1 * MiB), 'zeros.bin'), { targetSize: 64 * MiB }), (e: unknown) => e instanceof SevenStickError);
  } finally {
    t.cleanup();
  }
});
