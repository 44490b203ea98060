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
