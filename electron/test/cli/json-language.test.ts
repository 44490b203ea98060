/**
 * Issue #15: `--json` is for programs and stays English and byte for byte the same whatever the
 * language (LANG=de_DE.UTF-8, --lang ru, the pseudo-locale): results, the CLI's own errors, the
 * engine's errors, a write's result and its progress lines (timings normalized: they differ run to run).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, fixture, run, tempDir } from '../helpers/tools.js';

const CLI = join(REPO, 'build', 'electron', 'cli', 'index.js');

/** How each run chooses its language. */
const RUNS: readonly { name: string; env: NodeJS.ProcessEnv; args: string[] }[] = [
  { name: 'LANG=C', env: { LANG: 'C', LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '' }, args: [] },
  { name: 'LANG=de_DE.UTF-8', env: { LANG: 'de_DE.UTF-8', LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '' }, args: [] },
  { name: '--lang=ru', env: { LANG: 'C', LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '' }, args: ['--lang=ru'] },
  { name: '--lang en-XA under LC_ALL=zh_CN.UTF-8', env: { LANG: 'C', LC_ALL: 'zh_CN.UTF-8', LC_MESSAGES: '', LANGUAGE: '' }, args: ['--lang', 'en-XA'] },
];

/** Run-to-run differences (elapsed seconds, speeds, ETAs) as 0, the rest as it is. */
function stable(stdout: string): string {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const o = JSON.parse(l) as Record<string, unknown>;
      if (o.type === 'progress') return null;
      return JSON.stringify(o, (k, v: unknown) => (['seconds', 'bytesPerSecond', 'etaSeconds', 'directIo'].includes(k) ? 0 : v));
    })
    .filter((l) => l !== null)
    .join('\n');
}

async function sameInEveryLanguage(args: string[], normalize: (s: string) => string = (s) => s, before: () => void = () => undefined): Promise<string> {
  const outs: string[] = [];
  for (const r of RUNS) {
    before();
    const res = await run('node', [CLI, ...r.args, ...args], { env: { ...process.env, ...r.env }, timeoutMs: 120_000 });
    outs.push(normalize(res.stdout));
    assert.equal(outs.at(-1), outs[0], `${args.join(' ')}: the --json output under ${r.name} is the English one`);
  }
  return outs[0] ?? '';
}

test('--json output is the same bytes in every language: inspect, errors, write, verify', async () => {
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
  const t = tempDir();
  try {
    const inspect = await sameInEveryLanguage(['inspect', iso, '--json']);
    assert.match(inspect, /"kind":"windows"/);
    // The CLI's own error and an engine error: English messages.
    const bad = await sameInEveryLanguage(['write', iso, '--target', join(t.path, 'x.img'), '--size', '0', '--json']);
    assert.match(bad, /"message":"Bad size \\"0\\": a disk image must be more than 0 bytes"/);
    const missing = await sameInEveryLanguage(['inspect', join(t.path, 'none.iso'), '--json']);
    assert.match(missing, /"code":"E_NOT_FOUND"/);
    // A write (progress lines dropped, timings zeroed) and a verify.
    const stick = join(t.path, 'stick.img');
    // Each run writes a new file, as the first did.
    const write = await sameInEveryLanguage(['write', iso, '--target', stick, '--size', '96M', '--yes', '--json'], stable, () => rmSync(stick, { force: true }));
    assert.match(write, /"type":"result","ok":true/);
    const verify = await sameInEveryLanguage(['verify', stick, '--image', iso, '--json'], stable);
    assert.match(verify, /"type":"result","ok":true/);
    // Progress lines keep their English fields too (values vary, the keys and phases do not).
    const res = await run('node', [CLI, '--lang', 'ru', 'write', iso, '--target', stick, '--yes', '--json'], { timeoutMs: 120_000 });
    const phases = new Set(
      res.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; phase?: string })
        .filter((o) => o.type === 'progress')
        .map((o) => o.phase),
    );
    assert.ok([...phases].every((p) => ['preparing', 'writing', 'flushing', 'verifying', 'done'].includes(p ?? '')), [...phases].join(', '));
  } finally {
    t.cleanup();
  }
});
