/** `sevenstick inspect` as users run it: one JSON object on stdout with --json, exit codes per README, "Command line". */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, fixture, run, runOk, tempDir } from '../helpers/tools.js';

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
    assert.match(r.stderr, /hashing/);
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
