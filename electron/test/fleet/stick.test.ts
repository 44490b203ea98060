/**
 * Issue #13, parts 1 and 2, end to end through the CLI: a Win7-like ISO with three editions
 * (scripts/fixtures/win7-iso-editions.sh) written to a disk-image file with an answer file, only
 * edition 2 kept and ei.cfg dropped — checked with fsck.fat -n, mtools, wimlib-imagex (info, verify,
 * apply against the original image) and `sevenstick verify`, which must also catch an altered answer
 * file or install.wim. The FAT32 limit is lowered with $SEVENSTICK_TEST_FAT32_MAX_FILE to prove the
 * "too big unless slimmed" path on a small fixture.
 */
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAT32_MAX_FILE_ENV, defaultPreset, serializePreset } from '../../engine/index.js';
import { fixture, REPO, run, runOk, tempDir, type RunResult } from '../helpers/tools.js';
import { assertFsckClean, mdir, MTOOLS_ENV } from '../layout/util.js';

const CLI = join(REPO, 'build', 'electron', 'cli', 'index.js');
/** Larger than any one edition of the fixture's install.wim, smaller than the whole WIM. */
const LIMIT = '3000000';
const env = { ...process.env, [FAT32_MAX_FILE_ENV]: LIMIT };
const cli = (args: string[]): Promise<RunResult> => run('node', [CLI, ...args], { env });

let iso = '';
let t: { path: string; cleanup: () => void };
let stick = '';
let preset = '';

before(async () => {
  iso = await fixture('win7-iso-editions.sh', [], 'fleet-win7-editions');
  t = tempDir();
  preset = join(t.path, 'p.json');
  writeFileSync(preset, serializePreset({ ...defaultPreset('en-US', '00000409'), timeZone: 'W. Europe Standard Time', acceptEula: true }));
  stick = join(t.path, 'stick.img');
});
after(() => t?.cleanup());

async function mcopyOut(img: string, path: string, out: string): Promise<void> {
  await runOk('mcopy', ['-n', '-i', `${img}@@1M`, `::/${path}`, out], { env: MTOOLS_ENV });
}
async function mcopyIn(img: string, file: string, path: string): Promise<void> {
  await runOk('mcopy', ['-o', '-i', `${img}@@1M`, file, `::/${path}`], { env: MTOOLS_ENV });
}

test('inspect says which editions fit when install.wim is over the limit', async () => {
  const r = await cli(['inspect', iso, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).windows.fitsIfOnlyEdition, [1, 2, 3]);
  const plain = await run('node', [CLI, 'inspect', iso, '--json']);
  assert.equal(JSON.parse(plain.stdout).windows.fitsIfOnlyEdition, undefined, 'absent while install.wim fits');
});

test('an install.wim over the limit is refused (exit 2) unless only one edition is kept', async () => {
  const r = await cli(['write', iso, '--target', join(t.path, 'refused.img'), '--size', '64M', '--yes']);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr + r.stdout, /fits if only edition 1 or 2 or 3 is kept/);
});

test('write --preset --edition 2 --only-edition --show-all-editions: fsck, mtools, wimlib and verify agree', async () => {
  const w = await cli(['write', iso, '--target', stick, '--size', '64M', '--yes', '--json', '--preset', preset, '--edition', '2', '--only-edition', '--show-all-editions']);
  assert.equal(w.code, 0, w.stdout + w.stderr);
  await assertFsckClean(stick, t.path);

  const root = await mdir(stick, '::/');
  assert.match(root, /autounattend\.xml/i);
  assert.match(root, /sevenstick\.json/i);
  assert.doesNotMatch(await mdir(stick, '::/sources'), /ei\s+cfg|ei\.cfg/i);

  // The answer file is the generated one, byte for byte (edition by name: the slimmed WIM's image 1).
  const gen = join(t.path, 'gen.xml');
  const a = await run('node', [CLI, 'answers', iso, '--preset', preset, '--edition', 'Windows 7 PROFESSIONAL', '-o', gen]);
  assert.equal(a.code, 0, a.stderr);
  const got = join(t.path, 'got.xml');
  await mcopyOut(stick, 'autounattend.xml', got);
  assert.ok(readFileSync(got).equals(readFileSync(gen)));

  const manifest = join(t.path, 'sevenstick.json');
  await mcopyOut(stick, 'sevenstick.json', manifest);
  const m = JSON.parse(readFileSync(manifest, 'utf8'));
  assert.equal(m.version, 1);
  assert.equal(m.edition, 2);
  assert.equal(m.onlyEdition, true);
  assert.equal(m.showAllEditions, true);
  assert.match(m.autounattendSha256, /^[0-9a-f]{64}$/);

  // install.wim: one image, valid, and the same files as edition 2 of the ISO's.
  const wim = join(t.path, 'slim.wim');
  await mcopyOut(stick, 'sources/install.wim', wim);
  assert.ok(statSync(wim).size <= Number(LIMIT));
  const info = await runOk('wimlib-imagex', ['info', wim]);
  assert.match(info.stdout, /Image Count:\s+1\b/);
  assert.match(info.stdout, /Windows 7 PROFESSIONAL/);
  await runOk('wimlib-imagex', ['verify', wim]);
  const orig = join(t.path, 'orig.wim');
  await runOk('node', [CLI, 'extract', iso, 'sources/install.wim', '-o', orig]);
  await runOk('wimlib-imagex', ['apply', wim, '1', join(t.path, 'a-slim'), '--no-acls']);
  await runOk('wimlib-imagex', ['apply', orig, '2', join(t.path, 'a-orig'), '--no-acls']);
  await runOk('diff', ['-r', join(t.path, 'a-slim'), join(t.path, 'a-orig')]);

  const v = await cli(['verify', stick, '--image', iso, '--json']);
  assert.equal(v.code, 0, v.stdout + v.stderr);
  const result = JSON.parse(v.stdout.trim().split('\n').pop() as string);
  assert.equal(result.ok, true);
  assert.deepEqual(result.extras, []);
});

test('verify fails when the stick\'s autounattend.xml or install.wim is altered', async () => {
  const altered = join(t.path, 'alt-xml.img');
  copyFileSync(stick, altered);
  const evil = join(t.path, 'evil.xml');
  writeFileSync(evil, readFileSync(join(t.path, 'got.xml'), 'utf8').replace('W. Europe Standard Time', 'Pacific Standard Time'));
  await mcopyIn(altered, evil, 'autounattend.xml');
  const v1 = await cli(['verify', altered, '--image', iso]);
  assert.equal(v1.code, 1, v1.stdout + v1.stderr);
  assert.match(v1.stdout + v1.stderr, /autounattend\.xml differs/);

  const altered2 = join(t.path, 'alt-wim.img');
  copyFileSync(stick, altered2);
  const wim = readFileSync(join(t.path, 'slim.wim'));
  const at = wim.length >> 1;
  wim[at] = (wim[at] as number) ^ 0xff;
  const badWim = join(t.path, 'install.wim');
  writeFileSync(badWim, wim);
  await mcopyIn(altered2, badWim, 'sources/install.wim');
  const v2 = await cli(['verify', altered2, '--image', iso]);
  assert.equal(v2.code, 1, v2.stdout + v2.stderr);
  assert.match(v2.stdout + v2.stderr, /sources\/install\.wim differs/i);
});

test('a plain write has no manifest and no answer file (as before)', async () => {
  const plain = join(t.path, 'plain.img');
  const r = await run('node', [CLI, 'write', iso, '--target', plain, '--size', '64M', '--yes']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const root = await mdir(plain, '::/');
  assert.doesNotMatch(root, /sevenstick|autounattend/i);
  assert.match(await mdir(plain, '::/sources'), /ei\s+cfg/i);
  const v = await run('node', [CLI, 'verify', plain, '--image', iso]);
  assert.equal(v.code, 0, v.stdout + v.stderr);
});

test('--unattend with an answer file for another architecture is refused before writing (exit 2)', async () => {
  const x86 = join(t.path, 'x86.xml');
  writeFileSync(x86, readFileSync(join(t.path, 'got.xml'), 'utf8').replaceAll('processorArchitecture="amd64"', 'processorArchitecture="x86"'));
  const target = join(t.path, 'never.img');
  const r = await cli(['write', iso, '--target', target, '--size', '64M', '--yes', '--unattend', x86]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.throws(() => statSync(target));
});
