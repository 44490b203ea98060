/**
 * "Same file" questions answered by identity (device + inode), never by path, and the small
 * contract defects of issue #11 item 5: a new disk-image file removed when its write fails, an
 * existing one left as it is and said so, consistent messages and exit codes. Oracles: sha256 of
 * the files before/after, `ls` (existsSync), the exit code and the JSON error object.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runWriteJob, SevenStickError } from '../../engine/index.js';
import { fixture, run, runOk, tempDir } from '../helpers/tools.js';
import { CLI, isRoot } from './helpers.js';

const root = { skip: !isRoot && 'needs root (loop devices, tmpfs)' };
const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
const cli = (args: string[]) => run('node', [CLI, ...args], { timeoutMs: 60_000 });
const lastJson = (s: string): Record<string, unknown> => JSON.parse(s.trim().split('\n').pop() as string) as Record<string, unknown>;

test('extract -o the source ISO itself, a hard link or a symlink to it: refused (4), the ISO unchanged', async () => {
  const iso0 = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
  const t = tempDir();
  try {
    const iso = join(t.path, 'v.iso');
    writeFileSync(iso, readFileSync(iso0));
    const before = sha(iso);
    linkSync(iso, join(t.path, 'hard.iso'));
    symlinkSync(iso, join(t.path, 'sym.iso'));
    for (const out of [iso, join(t.path, 'hard.iso'), join(t.path, 'sym.iso')]) {
      for (const spec of ['bootmgr', 'sources/install.wim']) {
        const r = await cli(['extract', iso, spec, '-o', out, '--json']);
        assert.equal(r.code, 4, `${spec} -o ${out}: ${r.stdout}${r.stderr}`);
        const e = lastJson(r.stdout);
        assert.equal(e.type, 'error');
        assert.equal(e.code, 'E_SAFETY');
        assert.match(String(e.message), /is the image|same file/);
        assert.equal(sha(iso), before, `the ISO is unchanged after -o ${out}`);
      }
    }
    assert.deepEqual(readdirSync(t.path).sort(), ['hard.iso', 'sym.iso', 'v.iso'], 'no temporary file left behind');
  } finally {
    t.cleanup();
  }
});

test('extract -o a folder → 2 with a plain message; a failed extract leaves an existing output as it was and no temporary file', async () => {
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
  const t = tempDir();
  try {
    const r = await cli(['extract', iso, 'bootmgr', '-o', t.path]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /is a folder/);
    assert.doesNotMatch(r.stderr, /EISDIR|rm returned/);
    const out = join(t.path, 'keep.bin');
    writeFileSync(out, 'precious');
    const bad = await cli(['extract', iso, 'sources/install.wim:1/no/such/file', '-o', out]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.equal(readFileSync(out, 'utf8'), 'precious', 'the existing output is untouched by a failed extract');
    const ok = await cli(['extract', iso, 'bootmgr', '-o', out]);
    assert.equal(ok.code, 0, ok.stderr);
    await runOk('7z', ['x', '-tudf', `-o${t.path}/7z`, iso, 'bootmgr']);
    assert.ok(readFileSync(out).equals(readFileSync(join(t.path, '7z', 'bootmgr'))), 'extracted bootmgr equals 7z’s');
    assert.deepEqual(readdirSync(t.path).sort(), ['7z', 'keep.bin'], 'no temporary file left behind');
    // A character device is written directly, never renamed over or removed (also when the extract fails).
    for (const spec of ['bootmgr', 'no/such/file']) {
      const dn = await cli(['extract', iso, spec, '-o', '/dev/null']);
      assert.equal(dn.code, spec === 'bootmgr' ? 0 : 2, dn.stderr);
      assert.ok(statSync('/dev/null').isCharacterDevice(), '/dev/null is still the device');
    }
  } finally {
    t.cleanup();
  }
});

test('write: a hard link to the image, or two targets naming one file, are refused before anything is written', async () => {
  const img0 = await fixture('dev-raw-image.py', ['40', '2']);
  const t = tempDir();
  try {
    const img = join(t.path, 'v.img');
    writeFileSync(img, readFileSync(img0));
    const before = sha(img);
    const hard = join(t.path, 'hard.img');
    linkSync(img, hard);
    const r = await cli(['write', img, '--target', hard, '--mode', 'raw', '--yes', '--json']);
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.match(String(lastJson(r.stdout).message), /holds the source image/);
    assert.equal(sha(img), before, 'the image is unchanged');

    const other = join(t.path, 'other.img');
    writeFileSync(other, Buffer.alloc(64 << 20));
    const otherHard = join(t.path, 'other-hard.img');
    linkSync(other, otherHard);
    const r2 = await cli(['write', img, '--target', other, '--target', otherHard, '--mode', 'raw', '--yes', '--json']);
    assert.equal(r2.code, 2, r2.stdout + r2.stderr);
    assert.match(String(lastJson(r2.stdout).message), /same (file|drive)/);
    assert.equal(readFileSync(other).subarray(0, 512).every((b) => b === 0), true, 'nothing written');
  } finally {
    t.cleanup();
  }
});

test('write: a loop device backed by a hard link to the image is refused (4)', root, async () => {
  const img0 = await fixture('dev-raw-image.py', ['40', '2']);
  const t = tempDir();
  let dev = '';
  try {
    const img = join(t.path, 'v.img');
    writeFileSync(img, readFileSync(img0));
    const before = sha(img);
    linkSync(img, join(t.path, 'hard.img'));
    dev = (await runOk('losetup', ['-f', '--show', join(t.path, 'hard.img')])).stdout.trim();
    const r = await cli(['write', img, '--target', dev, '--mode', 'raw', '--yes', '--json']);
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.match(String(lastJson(r.stdout).message), /holds the source image/);
    assert.equal(sha(img), before);
  } finally {
    if (dev) await run('losetup', ['-d', dev]);
    t.cleanup();
  }
});

test('write to a disk-image file that runs out of space: a new file is removed, an existing one is kept and said so (exit 3)', root, async () => {
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
  const t = tempDir();
  const mnt = join(t.path, 'small');
  mkdirSync(mnt);
  await runOk('mount', ['-t', 'tmpfs', '-o', 'size=3M', 'tmpfs', mnt]);
  try {
    const fresh = join(mnt, 'new.img');
    const r = await cli(['write', iso, '--target', fresh, '--size', '64M', '--yes', '--json']);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.equal(existsSync(fresh), false, 'the new file is removed');
    assert.match(r.stdout + r.stderr, /removed/);

    const kept = join(mnt, 'kept.img');
    await runOk('truncate', ['-s', '64M', kept]);
    const r2 = await cli(['write', iso, '--target', kept, '--yes', '--json']);
    assert.equal(r2.code, 3, r2.stdout + r2.stderr);
    assert.equal(existsSync(kept), true, 'an existing file is left');
    assert.match(r2.stdout + r2.stderr, /left as it is|kept/);
  } finally {
    await run('umount', [mnt]);
    t.cleanup();
  }
});

test('bad input says what is wrong, exit 2: missing folder, --size 0 / too large, /dev/zero, no image', async () => {
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
  const t = tempDir();
  try {
    const missing = await cli(['write', iso, '--target', join(t.path, 'no', 'such', 'x.img'), '--size', '64M', '--yes', '--json']);
    assert.equal(missing.code, 2, missing.stdout + missing.stderr);
    assert.match(String(lastJson(missing.stdout).message), /folder .* does not exist/);

    const zero = await cli(['write', iso, '--target', join(t.path, 'x.img'), '--size', '0', '--yes']);
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /Bad size "0": .*more than 0/);
    const huge = await cli(['write', iso, '--target', join(t.path, 'x.img'), '--size', '99999999999G', '--yes']);
    assert.equal(huge.code, 2);
    assert.match(huge.stderr, /Bad size "99999999999G": .*too large/);
    assert.equal(existsSync(join(t.path, 'x.img')), false);

    const dz = await cli(['inspect', '/dev/zero', '--json']);
    assert.equal(dz.code, 2, dz.stdout + dz.stderr);
    assert.match(String(lastJson(dz.stdout).message), /not an image file|character device/);
    assert.doesNotMatch(String(lastJson(dz.stdout).message), /empty/);

    const noImage = await cli(['write']);
    assert.equal(noImage.code, 2);
    assert.match(noImage.stderr, /image/);
    assert.doesNotMatch(noImage.stderr, /required option '--target/);
    const noTarget = await cli(['write', iso]);
    assert.equal(noTarget.code, 2);
    assert.match(noTarget.stderr, /--target/);
  } finally {
    t.cleanup();
  }
});

test('a write cancelled mid-way: the disk-image file it created is removed, an existing one is kept with sector 0 zeroed (notes say which)', async () => {
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
  const t = tempDir();
  try {
    const existing = join(t.path, 'existing.img');
    writeFileSync(existing, Buffer.alloc(64 << 20, 0x5a));
    for (const [target, isNew] of [[join(t.path, 'new.img'), true], [existing, false]] as const) {
      const ac = new AbortController();
      let wrote = false;
      const err = await runWriteJob({
        image: iso,
        targets: [target],
        mode: 'auto',
        size: isNew ? 64 << 20 : undefined,
        verify: false,
        signal: ac.signal,
        onProgress: (p) => {
          if (p.phase === 'writing' && p.bytes > 0) {
            wrote = true;
            ac.abort();
          }
        },
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(wrote, 'cancelled while writing');
      assert.ok(err instanceof SevenStickError && err.code === 'E_CANCELLED', String(err));
      const notes = (err.details.notes ?? []) as string[];
      if (isNew) {
        assert.equal(existsSync(target), false, 'the new file is removed');
        assert.ok(notes.some((n) => /removed the unfinished disk image file/.test(n)), JSON.stringify(notes));
      } else {
        const b = readFileSync(target);
        assert.equal(b.length, 64 << 20);
        assert.ok(b.subarray(0, 512).every((x) => x === 0), 'sector 0 zeroed: it does not look like a disk');
        assert.ok(notes.some((n) => /left as it is/.test(n)), JSON.stringify(notes));
      }
    }
  } finally {
    t.cleanup();
  }
});
