/**
 * 8.3 names: exact names kept, basis names and numeric tails as Windows makes them
 * (the mtools/fsck oracles in fat32.test.ts judge the written result).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basisName, displayShortName, exactShortName, ShortNameTable, shortNameChecksum, volumeLabelFrom } from '../../engine/index.js';

test('names that already are upper-case 8.3 names are kept exactly', () => {
  assert.equal(exactShortName('BOOTMGR'), 'BOOTMGR    ');
  assert.equal(exactShortName('SETUP.EXE'), 'SETUP   EXE');
  assert.equal(exactShortName('setup.exe'), undefined); // lower case needs an LFN
  assert.equal(exactShortName('A.B.C'), undefined);
  assert.equal(exactShortName('TOOLONGNAME'), undefined);
  assert.equal(exactShortName('NAME.'), undefined);
});

test('basis names and tails follow fatgen103', () => {
  assert.deepEqual(basisName('Program Files'), { base: 'PROGRAMF', ext: '', lossy: true });
  assert.deepEqual(basisName('bootmgr.efi'), { base: 'BOOTMGR', ext: 'EFI', lossy: false });
  assert.deepEqual(basisName('a.b.c'), { base: 'AB', ext: 'C', lossy: true });
  assert.deepEqual(basisName('.hidden'), { base: 'HIDDEN', ext: '', lossy: true });
  assert.deepEqual(basisName('Ünï.txt'), { base: '_N_', ext: 'TXT', lossy: true }); // non-ASCII → '_'
  const t = new ShortNameTable();
  assert.ok(t.reserve('README  TXT'));
  assert.equal(displayShortName(t.generate('Program Files', 'Program Files')), 'PROGRA~1');
  assert.equal(displayShortName(t.generate('Program Filesystem', 'Program Filesystem')), 'PROGRA~2');
  assert.equal(displayShortName(t.generate('Readme.txt.x', 'x')), 'README~1.X');
  assert.equal(displayShortName(t.generate('lower.txt', 'x')), 'LOWER.TXT'); // fits after upper-casing: no tail
  assert.equal(displayShortName(t.generate('lower.text', 'x')), 'LOWER~1.TEX'); // extension cut: lossy, tail
  const many = new ShortNameTable();
  const names = Array.from({ length: 1000 }, (_, i) => displayShortName(many.generate(`sameprefix_${i}.dat`, 'x')));
  assert.equal(new Set(names).size, 1000);
  assert.equal(names[0], 'SAMEPR~1.DAT');
  assert.equal(names[9], 'SAMEP~10.DAT');
  assert.equal(names[999], 'SAM~1000.DAT');
});

test('LFN checksum (fatgen103 ChkSum) and volume labels', () => {
  // Fixed values read from the LFN entries mtools 4 wrote (mkfs.fat -C img 4096; mcopy -i img f "::BootMgr",
  // "::Program Files", "::Readme.txt.x", "::lower.text", "::sameprefix_0.dat"): byte 13 of each LFN
  // entry, beside the short name mtools chose — the same short names ShortNameTable makes above.
  const fromMtools: [string, number][] = [
    ['BOOTMGR    ', 0xee],
    ['PROGRA~1   ', 0x20],
    ['README~1X  ', 0x9c],
    ['LOWER~1 TEX', 0xbb],
    ['SAMEPR~1DAT', 0x1c],
  ];
  for (const [packed, sum] of fromMtools) assert.equal(shortNameChecksum(packed), sum, packed);
  assert.equal(volumeLabelFrom('GRMCPRXFRER_EN_DVD'), 'GRMCPRXFRER');
  assert.equal(volumeLabelFrom('win7 sp1.x64'), 'WIN7 SP1_X6');
  assert.equal(volumeLabelFrom(''), '');
});
