/**
 * scripts/fixtures/win7-iso.sh keeps its promises to the other helpers: options --bootmgr, --bootmgfw,
 * --extra, --label; the layout of Win7 media; and a deterministic result. Oracles: 7z, wimlib-imagex.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { REPO, runOk, tempDir } from '../helpers/tools.js';
import { openImage, sevenZipList } from './oracle.js';

const SCRIPT = join(REPO, 'scripts', 'fixtures', 'win7-iso.sh');
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

test('win7-iso.sh: --bootmgr/--bootmgfw/--extra/--label land where the real media has them', async () => {
  const t = tempDir();
  try {
    const bootmgr = join(t.path, 'my-bootmgr');
    const bootmgfw = join(t.path, 'my-bootmgfw.efi');
    writeFileSync(bootmgr, Buffer.alloc(390_000, 0x42));
    writeFileSync(bootmgfw, Buffer.from('MZ fake efi application '.repeat(1000)));
    const extra = join(t.path, 'extra');
    mkdirSync(join(extra, 'sources', '$OEM$'), { recursive: true });
    writeFileSync(join(extra, 'sources', '$OEM$', 'note.txt'), 'extra file');
    writeFileSync(join(extra, 'sources', 'ei.cfg'), '[EditionID]\r\nUltimate\r\n');
    const iso = join(t.path, 'w7.iso');
    await runOk('bash', [SCRIPT, iso, '--arch', 'x64', '--style', 'udf-only', '--bootmgr', bootmgr, '--bootmgfw', bootmgfw, '--extra', extra, '--label', 'MY_LABEL']);
    const listed = await sevenZipList(iso, 'Udf');
    for (const p of ['bootmgr', 'bootmgr.efi', 'boot/etfsboot.com', 'boot/bcd', 'efi/microsoft/boot/bcd', 'sources/install.wim', 'sources/ei.cfg', 'sources/idwbinfo.txt', 'sources/cversion.ini', 'setup.exe', 'autorun.inf', 'sources/$OEM$/note.txt']) {
      assert.ok(listed.has(p), p);
    }
    assert.ok(!listed.has('efi/boot/bootx64.efi'), 'Win7 media have no efi/boot/bootx64.efi');
    const { reader, fs } = await openImage(iso);
    try {
      assert.equal(fs.label, 'MY_LABEL');
      const bm = (await fs.lookup('bootmgr'))!;
      assert.equal(sha(await fs.open(bm).read(0, bm.size)), sha(readFileSync(bootmgr)));
      const ei = (await fs.lookup('sources/ei.cfg'))!;
      assert.equal((await fs.open(ei).read(0, ei.size)).toString(), '[EditionID]\r\nUltimate\r\n', '--extra overrides');
    } finally {
      await reader.close();
    }
    // bootmgfw.efi inside install.wim image 1, as wimlib-imagex extracts it
    await runOk('7z', ['x', '-y', '-tUdf', `-o${t.path}/x`, iso, 'sources/install.wim']);
    await runOk('wimlib-imagex', ['extract', join(t.path, 'x', 'sources', 'install.wim'), '1', '/Windows/Boot/EFI/bootmgfw.efi', `--dest-dir=${t.path}/y`, '--no-acls']);
    assert.equal(sha(readFileSync(join(t.path, 'y', 'bootmgfw.efi'))), sha(readFileSync(bootmgfw)));
    const info = (await runOk('wimlib-imagex', ['info', join(t.path, 'x', 'sources', 'install.wim')])).stdout;
    assert.match(info, /Compression:\s+LZX/);
  } finally {
    t.cleanup();
  }
});

// Only the pycdlib style: genisoimage stamps volume descriptors and boot.catalog with the current time.
test('win7-iso.sh --style udf-only is byte-for-byte deterministic', async () => {
  const t = tempDir();
  try {
    for (const style of ['udf-only']) {
      const a = join(t.path, `a-${style}.iso`);
      const b = join(t.path, `b-${style}.iso`);
      await runOk('bash', [SCRIPT, a, '--arch', 'x86', '--style', style]);
      await runOk('bash', [SCRIPT, b, '--arch', 'x86', '--style', style]);
      assert.equal(sha(readFileSync(a)), sha(readFileSync(b)), style);
    }
  } finally {
    t.cleanup();
  }
});
