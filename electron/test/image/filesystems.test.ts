/**
 * The UDF and ISO 9660/Joliet readers against 7-Zip: the same listing (paths, kinds, sizes) and the
 * same bytes in every file, on ISOs made by genisoimage, python3-pycdlib and xorriso.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readElTorito, Iso9660FileSystem, UdfFileSystem } from '../../engine/index.js';
import { fixture, tempDir } from '../helpers/tools.js';
import { openImage, ourList, sevenZipExtract, sevenZipList, sha256File, sha256Of } from './oracle.js';

const CASES = [
  { style: 'bridge', type: 'Udf', kind: 'udf' },
  { style: 'udf-only', type: 'Udf', kind: 'udf' },
  { style: 'joliet', type: 'Iso', kind: 'iso9660' },
  { style: 'plain', type: 'Iso', kind: 'iso9660' },
  { style: 'hybrid', type: 'Iso', kind: 'iso9660' },
] as const;

for (const c of CASES) {
  test(`${c.style} ISO: listing and every file's bytes agree with 7z`, async () => {
    const iso = await fixture('iso-build.sh', [c.style]);
    const { reader, fs } = await openImage(iso);
    const t = tempDir();
    try {
      assert.equal(fs.kind, c.kind);
      const expected = await sevenZipList(iso, c.type);
      const { map: ours, nodes } = await ourList(fs);
      assert.ok(expected.size > 80, `7z lists ${expected.size} entries`);
      assert.deepEqual(new Map([...ours].sort()), new Map([...expected].sort()));
      await sevenZipExtract(iso, c.type, t.path);
      let files = 0;
      for (const n of nodes) {
        if (n.isDirectory) continue;
        assert.equal(await sha256Of(fs, n), sha256File(join(t.path, n.path)), n.path);
        files++;
      }
      assert.ok(files > 70);
      // lookup is case-insensitive and finds deep paths
      const deep = await fs.lookup(c.style === 'plain' ? 'DEEP/A/B/C/D/E/F/G/H/I/J/BOTTOM.BIN' : 'deep/A/b/C/d/e/f/g/h/i/j/bottom.bin');
      assert.equal(deep?.size, 5000);
      assert.equal(await fs.lookup('no/such/file'), undefined);
    } finally {
      t.cleanup();
      await reader.close();
    }
  });
}

test('UDF-only ISO (Microsoft style): ISO 9660 side has only README.TXT, UDF has everything', async () => {
  const iso = await fixture('iso-build.sh', ['udf-only']);
  const { reader, fs } = await openImage(iso);
  try {
    assert.ok(fs instanceof UdfFileSystem);
    assert.equal(fs.label, 'TREE_UDF');
    assert.equal(fs.info.anchor, 256);
    assert.equal(fs.info.sequence, 'main');
    const isoSide = await Iso9660FileSystem.open(reader, true);
    assert.deepEqual((await isoSide.list(isoSide.root)).map((n) => n.name), ['README.TXT']);
    const names = (await fs.list((await fs.lookup('names'))!)).map((n) => n.name);
    for (const want of ['Größe_äöü.txt', 'Ελληνικά.txt', '日本語のファイル.txt']) assert.ok(names.includes(want), want);
    const empty = await fs.lookup('empty.txt');
    assert.equal(empty?.size, 0);
    assert.deepEqual(empty?.extents, []);
    assert.deepEqual(await fs.list((await fs.lookup('empty-folder'))!), []);
  } finally {
    await reader.close();
  }
});

test('El Torito entries are the ones genisoimage and xorriso were asked for', async () => {
  const expectBios = (e: { platform: string; mediaType: string; bootable: boolean; sectorCount: number }, sectors: number): void => {
    assert.equal(e.platform, 'x86');
    assert.equal(e.mediaType, 'no-emulation');
    assert.equal(e.bootable, true);
    assert.equal(e.sectorCount, sectors);
  };
  for (const style of ['bridge', 'joliet', 'hybrid', 'udf-only'] as const) {
    const iso = await fixture('iso-build.sh', [style]);
    const { reader, fs } = await openImage(iso);
    try {
      const et = await readElTorito(reader);
      assert.ok(et, style);
      const def = et.entries[0]!;
      expectBios(def, style === 'udf-only' ? 8 : 4);
      if (style === 'joliet') assert.equal(def.loadSegment, 0x1000);
      if (style === 'udf-only') assert.equal(def.loadSegment, 0x07c0);
      // The boot image is boot/bios.bin (2048 bytes of 0x90).
      const bios = await fs.lookup('boot/bios.bin');
      assert.equal(bios?.extents[0]?.offset, def.imageOffset, `${style}: boot image is boot/bios.bin`);
      if (style === 'hybrid') {
        assert.equal(et.entries.length, 2);
        const efi = et.entries[1]!;
        assert.equal(efi.platform, 'efi');
        assert.equal(efi.mediaType, 'no-emulation');
        assert.equal(efi.section, 'section');
        assert.equal((await fs.lookup('boot/efi.img'))?.extents[0]?.offset, efi.imageOffset);
      } else {
        assert.equal(et.entries.length, 1, style);
      }
    } finally {
      await reader.close();
    }
  }
  const plain = await openImage(await fixture('iso-build.sh', ['plain']));
  try {
    assert.equal(await readElTorito(plain.reader), undefined);
  } finally {
    await plain.reader.close();
  }
});

test('ISO 9660 multi-extent file (flag 0x80 records) agrees with 7z', async () => {
  // Turn SIZES/S2047.BIN, S2048.BIN, S2049.BIN of the plain ISO into one three-extent file by
  // setting the multi-extent flag on the first two records and giving all three the same name.
  const src = await fixture('iso-build.sh', ['plain']);
  const t = tempDir();
  try {
    const img = Buffer.from(readFileSync(src));
    for (const n of ['S2047.BIN;1', 'S2048.BIN;1']) img[img.indexOf(n, 0, 'latin1') - 33 + 25] |= 0x80;
    for (const n of ['S2048.BIN;1', 'S2049.BIN;1']) img.write('S2047.BIN;1', img.indexOf(n, 0, 'latin1'), 'latin1');
    const iso = join(t.path, 'multi.iso');
    writeFileSync(iso, img);
    const { reader, fs } = await openImage(iso);
    try {
      const node = (await fs.lookup('sizes/s2047.bin'))!;
      assert.equal(node.extents.length, 3);
      assert.equal(node.size, 2047 + 2048 + 2049);
      const seven = await sevenZipList(iso, 'Iso');
      assert.deepEqual(seven.get('SIZES/S2047.BIN'), { dir: false, size: node.size });
      assert.equal(seven.has('SIZES/S2048.BIN'), false);
      await sevenZipExtract(iso, 'Iso', join(t.path, 'x'));
      assert.equal(await sha256Of(fs, node), sha256File(join(t.path, 'x', 'SIZES', 'S2047.BIN')));
    } finally {
      await reader.close();
    }
  } finally {
    t.cleanup();
  }
});
