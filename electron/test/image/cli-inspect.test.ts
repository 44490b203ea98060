/** `sevenstick inspect` as users run it: one JSON object on stdout with --json, exit codes per README, "Command line". */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileReader, openFileSystem, readWindowsMedia, type ImageFileSystem } from '../../engine/index.js';
import { REPO, fixture, run, runOk, tempDir } from '../helpers/tools.js';
import { editionsWim } from '../helpers/wim.js';

const CLI = join(REPO, 'build', 'electron', 'cli', 'index.js');

function oneJson(stdout: string): Record<string, unknown> {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, `exactly one line on stdout, got:\n${stdout}`);
  return JSON.parse(lines[0] as string) as Record<string, unknown>;
}

test('inspect --json prints one object with the contract fields', async () => {
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
  const r = await run('node', [CLI, 'inspect', iso, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const o = oneJson(r.stdout);
  assert.equal(o['kind'], 'windows');
  assert.equal(o['label'], 'GRMCPRXFRER_EN_DVD');
  assert.equal(typeof o['size'], 'number');
  const w = o['windows'] as Record<string, unknown>;
  assert.equal(w['build'], 7601);
  assert.equal(w['arch'], 'x64');
  assert.equal(w['uefi'], true);
  assert.deepEqual(w['editions'], [{ index: 1, name: 'Windows 7 PROFESSIONAL', editionId: 'Professional', arch: 'x64', languages: ['en-US'], build: 7601, spBuild: 17514, spLevel: 1 }]);
  assert.deepEqual(w['languages'], ['en-US']);
  assert.equal(o['sha1'], undefined);
});

test('inspect --hash --json: still one object on stdout, progress on stderr, digests match sha1sum', async () => {
  const iso = await fixture('win7-iso.sh', ['--arch', 'x86', '--style', 'bridge']);
  const t = tempDir();
  try {
    const env = { ...process.env, SEVENSTICK_CATALOG: join(t.path, 'none.json') };
    const r = await run('node', [CLI, 'inspect', iso, '--hash', '--json'], { env });
    assert.equal(r.code, 0, r.stderr);
    const o = oneJson(r.stdout);
    assert.equal(o['sha1'], (await runOk('sha1sum', [iso])).stdout.split(' ')[0]);
    assert.equal(o['sha256'], (await runOk('sha256sum', [iso])).stdout.split(' ')[0]);
    assert.equal(o['catalogMatch'], null);
    assert.match(r.stderr, /Computing checksums/);
    // a user catalog named by SEVENSTICK_CATALOG is honoured
    writeFileSync(join(t.path, 'cat.json'), JSON.stringify({ entries: [{ file: 'mine.iso', sha1: o['sha1'] }] }));
    const m = await run('node', [CLI, 'inspect', iso, '--hash', '--json'], { env: { ...env, SEVENSTICK_CATALOG: join(t.path, 'cat.json') } });
    assert.equal((oneJson(m.stdout)['catalogMatch'] as { message: string }).message, 'matches mine.iso as listed publicly');
  } finally {
    t.cleanup();
  }
});

test('inspect without --json prints readable text', async () => {
  const iso = await fixture('win7-iso.sh', ['--arch', 'x86', '--style', 'udf-only']);
  const r = await run('node', [CLI, 'inspect', iso]);
  assert.equal(r.code, 0, r.stderr);
  // Long values wrap under their column: read each row as one line.
  r.stdout = r.stdout.replace(/\n {12}/g, ' ');
  assert.match(r.stdout, /Kind:\s+Windows setup media/);
  assert.match(r.stdout, /Windows:\s+Windows 7 SP1 \(6\.1\.7601\.17514\), x86/);
  assert.match(r.stdout, /UEFI boot:\s+no/);
  assert.match(r.stdout, /USB 2 port/);
});

test('inspect exit codes: 2 with a clear message for missing, truncated, non-image; 2 for bad arguments', async () => {
  const t = tempDir();
  try {
    const missing = await run('node', [CLI, 'inspect', join(t.path, 'nope.iso'), '--json']);
    assert.equal(missing.code, 2);
    const err = oneJson(missing.stdout);
    assert.equal(err['type'], 'error');
    assert.equal(err['code'], 'E_NOT_FOUND');
    const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
    const cut = join(t.path, 'cut.iso');
    await runOk('sh', ['-c', 'head -c 1000000 "$0" > "$1"', iso, cut]);
    const trunc = await run('node', [CLI, 'inspect', cut]);
    assert.equal(trunc.code, 2);
    assert.match(trunc.stderr, /truncated/);
    const txt = join(t.path, 'notes.txt');
    writeFileSync(txt, 'hello '.repeat(1000));
    const bad = await run('node', [CLI, 'inspect', txt, '--json']);
    assert.equal(bad.code, 2);
    assert.equal(oneJson(bad.stdout)['code'], 'E_FORMAT');
    assert.equal((await run('node', [CLI, 'inspect'])).code, 2);
    assert.equal((await run('node', [CLI, 'inspect', iso, '--bogus'])).code, 2);
  } finally {
    t.cleanup();
  }
});

test('#14.9 inspect text: ei.cfg that picks an edition is believed; words, not jargon; wrapped lines keep their indent; a SevenStick stick is named', async () => {
  const t = tempDir();
  try {
    // A two-edition install.wim with an ei.cfg that picks Professional.
    const wim = await editionsWim(t.path, ['HomePremium', 'Professional'], { arch: 9, build: 7601 });
    const tree = join(t.path, 'tree');
    mkdirSync(join(tree, 'sources'), { recursive: true });
    copyFileSync(wim, join(tree, 'sources', 'install.wim'));
    writeFileSync(join(tree, 'sources', 'ei.cfg'), '[EditionID]\r\nProfessional\r\n[Channel]\r\nRetail\r\n');
    writeFileSync(join(tree, 'bootmgr'), Buffer.alloc(4096, 1));
    const iso = join(t.path, 'ei.iso');
    await runOk('/usr/bin/python3', [join(REPO, 'scripts', 'fixtures', 'win7-iso-udf.py'), tree, iso, 'VARIANT']);
    const r = await run('node', [CLI, 'inspect', iso]);
    assert.equal(r.code, 0, r.stderr);
    const text = r.stdout.replace(/\n {12}/g, ' ');
    assert.match(text, /sources\/ei\.cfg picks Professional, so setup installs that one without asking/);
    assert.doesNotMatch(r.stdout, /unless ei\.cfg picks one/);
    for (const l of r.stdout.trimEnd().split('\n')) {
      assert.ok(l.length <= 80, `fits 80 columns: ${l}`);
      assert.match(l, /^(\S[^:]*: +|\s{12})\S/, `a row or a continuation under its column: "${l}"`);
    }

    // A stick image SevenStick wrote: named so, and its table in words.
    const win = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
    const stick = join(t.path, 'stick.img');
    assert.equal((await run('node', [CLI, 'write', win, '--target', stick, '--size', '96M', '--yes'])).code, 0);
    const s = await run('node', [CLI, 'inspect', stick]);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout.replace(/\n {12}/g, ' '), /Kind: +a stick \(or disk image\) SevenStick wrote/);
    assert.match(s.stdout.replace(/\n {12}/g, ' '), /Partitions: +MBR table: partition 1: FAT32, [\d.]+ MiB from 1\.00 MiB, active/);
    assert.doesNotMatch(s.stdout, /#1 type 0x|segment 0x/);
    const e = await run('node', [CLI, 'inspect', win]);
    assert.match(e.stdout.replace(/\n {12}/g, ' '), /Boot entry: +for BIOS from a CD\/DVD \(El Torito, no emulation\), 4\.00 KiB of boot code/);
  } finally {
    t.cleanup();
  }
});

test('#14.9 inspect warns about an install.wim of 4 GiB or more (as write would refuse it), like write does', async () => {
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
  const reader = await FileReader.open(iso);
  try {
    const fs = await openFileSystem(reader);
    // The same media, its install.wim said to be 5 GiB (the header and XML are read from the real bytes).
    const big: ImageFileSystem = {
      kind: fs.kind,
      label: fs.label,
      reader: fs.reader,
      root: fs.root,
      list: (d) => fs.list(d),
      open: (n) => fs.open(n),
      lookup: async (p) => {
        const n = await fs.lookup(p);
        return n && p.toLowerCase() === 'sources/install.wim' ? { ...n, size: 5 * 1024 ** 3 } : n;
      },
    };
    const w = await readWindowsMedia(big);
    const warn = w?.warnings.find((x) => x.code === 'W_FILE_TOO_LARGE');
    assert.ok(warn, JSON.stringify(w?.warnings));
    assert.match(warn.message, /sources\/install\.wim is 5\.00 GiB: a FAT32 stick holds files below 4 GiB only/);
    assert.equal((await readWindowsMedia(fs))?.warnings.some((x) => x.code === 'W_FILE_TOO_LARGE'), false);
  } finally {
    await reader.close();
  }
});
