/**
 * The boot code as files: build.sh --check against nasm (the oracle for "the .bin files are
 * what the sources say"), and bootcode.ts's loader and pure functions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SevenStickError } from '../../engine/io/errors.js';
import {
  FAT32_BPB_LENGTH,
  FAT32_BPB_OFFSET,
  FAT32_STAGE2_SECTOR,
  fat32BootSector,
  fat32Stage2,
  loadBootCode,
  mbrBootCode,
} from '../../engine/layout/bootcode.js';
import { REPO, run, tempDir } from '../helpers/tools.js';

const BOOT = join(REPO, 'assets', 'boot');
const isCode = (code: string) => (e: unknown) => e instanceof SevenStickError && e.code === code;

test('build.sh --check: the checked-in .bin files are exactly what nasm makes of the sources', async () => {
  const r = await run('bash', [join(BOOT, 'build.sh'), '--check']);
  assert.equal(r.code, 0, r.stderr);
});

test('build.sh --check fails on a changed or missing .bin (and build.sh repairs it)', async () => {
  const t = tempDir();
  try {
    const dir = join(t.path, 'boot');
    mkdirSync(dir);
    for (const f of ['build.sh', 'fail.inc', 'mbr.asm', 'mbr.bin', 'fat32.asm', 'fat32.bin']) cpSync(join(BOOT, f), join(dir, f));
    const bin = readFileSync(join(dir, 'fat32.bin'));
    bin[0x100] ^= 0xff;
    writeFileSync(join(dir, 'fat32.bin'), bin);
    let r = await run('bash', [join(dir, 'build.sh'), '--check']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /fat32\.bin differs/);
    rmSync(join(dir, 'mbr.bin'));
    r = await run('bash', [join(dir, 'build.sh'), '--check']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /mbr\.bin is missing/);
    r = await run('bash', [join(dir, 'build.sh')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readFileSync(join(dir, 'fat32.bin')), readFileSync(join(BOOT, 'fat32.bin')));
    r = await run('bash', [join(dir, 'build.sh'), '--check']);
    assert.equal(r.code, 0, r.stderr);
  } finally {
    t.cleanup();
  }
});

test('mbrBootCode: the 440 code bytes of mbr.bin, whose table area is zero and signature 55 AA', () => {
  const mbr = readFileSync(join(BOOT, 'mbr.bin'));
  assert.equal(mbr.length, 512);
  assert.ok(mbr.subarray(440, 510).every((b) => b === 0));
  assert.deepEqual([...mbr.subarray(510)], [0x55, 0xaa]);
  const code = mbrBootCode();
  assert.equal(code.length, 440);
  assert.deepEqual(code, mbr.subarray(0, 440));
  code[0] ^= 0xff; // callers get a copy
  assert.deepEqual(mbrBootCode(), mbr.subarray(0, 440));
});

test('fat32BootSector: our jump and code around the given BPB bytes 3..89; refuses a wrong-sized BPB', () => {
  const fat = readFileSync(join(BOOT, 'fat32.bin'));
  const bpb = Buffer.from(Array.from({ length: FAT32_BPB_LENGTH }, (_, i) => (i * 7 + 1) & 0xff));
  const s = fat32BootSector(bpb);
  assert.equal(s.length, 512);
  assert.equal(FAT32_BPB_OFFSET, 3);
  assert.equal(FAT32_BPB_LENGTH, 87);
  assert.deepEqual([...s.subarray(0, 3)], [0xeb, 0x58, 0x90]);
  assert.deepEqual(s.subarray(3, 90), bpb);
  assert.deepEqual(s.subarray(90, 510), fat.subarray(90, 510));
  assert.deepEqual([...s.subarray(510, 512)], [0x55, 0xaa]);
  assert.throws(() => fat32BootSector(Buffer.alloc(86)), isCode('E_FORMAT'));
  assert.throws(() => fat32BootSector(Buffer.alloc(90)), isCode('E_FORMAT'));
});

test('fat32Stage2: whole sectors after the boot sector, fitting the reserved area after the backups', () => {
  const fat = readFileSync(join(BOOT, 'fat32.bin'));
  const st = fat32Stage2();
  assert.equal(st.length % 512, 0);
  assert.ok(st.length >= 512 && st.length <= 3 * 512);
  assert.deepEqual(st, fat.subarray(512));
  assert.equal(FAT32_STAGE2_SECTOR, 12);
  assert.ok(FAT32_STAGE2_SECTOR > 7 && FAT32_STAGE2_SECTOR + st.length / 512 <= 32);
});

test('loadBootCode refuses missing or damaged .bin files', () => {
  const t = tempDir();
  try {
    const root = join(t.path, 'assets');
    const dir = join(root, 'boot');
    mkdirSync(dir, { recursive: true });
    assert.throws(() => loadBootCode(root), isCode('E_NOT_FOUND'));
    const damage = (name: string, at: number, value: number): string => {
      const sub = join(t.path, `${name}-${at}`);
      mkdirSync(join(sub, 'boot'), { recursive: true });
      for (const f of ['mbr.bin', 'fat32.bin']) cpSync(join(BOOT, f), join(sub, 'boot', f));
      const b = readFileSync(join(sub, 'boot', name));
      b[at] = value;
      writeFileSync(join(sub, 'boot', name), b);
      return sub;
    };
    assert.throws(() => loadBootCode(damage('mbr.bin', 511, 0)), isCode('E_FORMAT')); // no 55 AA
    assert.throws(() => loadBootCode(damage('mbr.bin', 446, 0x80)), isCode('E_FORMAT')); // table not zero
    assert.throws(() => loadBootCode(damage('fat32.bin', 1, 0x3c)), isCode('E_FORMAT')); // jump
    assert.throws(() => loadBootCode(damage('fat32.bin', 0x10, 2)), isCode('E_FORMAT')); // BPB hole
    assert.throws(() => loadBootCode(damage('fat32.bin', 512, 0)), isCode('E_FORMAT')); // stage 2 magic
    const short = join(t.path, 'short');
    mkdirSync(join(short, 'boot'), { recursive: true });
    cpSync(join(BOOT, 'mbr.bin'), join(short, 'boot', 'mbr.bin'));
    writeFileSync(join(short, 'boot', 'fat32.bin'), readFileSync(join(BOOT, 'fat32.bin')).subarray(0, 512));
    assert.throws(() => loadBootCode(short), isCode('E_FORMAT'));
    // an intact copy loads
    const good = join(t.path, 'good');
    mkdirSync(join(good, 'boot'), { recursive: true });
    for (const f of ['mbr.bin', 'fat32.bin']) cpSync(join(BOOT, f), join(good, 'boot', f));
    assert.equal(loadBootCode(good).mbr.length, 512);
  } finally {
    t.cleanup();
  }
});
