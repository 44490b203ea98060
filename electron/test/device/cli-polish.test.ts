/**
 * Issue #14, CLI side: the findings one test each, driven like users drive the CLI — in a pseudo-terminal
 * (tmux, rendered screen) where the terminal matters, piped elsewhere. Oracles: the file system (nothing
 * created), the exit code, the rendered screen, the JSON Lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fixture, run } from '../helpers/tools.js';
import { CLI } from './helpers.js';

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => run('node', [CLI, ...args], { env: { ...process.env, ...env }, timeoutMs: 60_000 });

test('#14.1 a mistyped device path (/dev/sdz) is refused (exit 4) and nothing is created in /dev', async () => {
  const img = await fixture('dev-raw-image.py', ['2', '1']);
  for (const typo of ['/dev/sdz', '/dev/sevenstick-typo']) {
    if (existsSync(typo)) continue; // a real device of that name: not a typo here
    const r = await cli(['write', img, '--target', typo, '--mode', 'raw', '--yes']);
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`${typo} does not exist: a target under /dev must be an existing whole drive`));
    assert.equal(existsSync(typo), false, `${typo} was not created`);
    const j = await cli(['write', img, '--target', typo, '--mode', 'raw', '--yes', '--size', '4M', '--json']);
    assert.equal(j.code, 4);
    assert.equal((JSON.parse(j.stdout.trim().split('\n').pop() as string) as { code: string }).code, 'E_SAFETY');
    assert.equal(existsSync(typo), false);
  }
  // Something under /dev that is not a block device (a character device) is refused the same way.
  const nul = await cli(['write', img, '--target', '/dev/null', '--mode', 'raw', '--yes']);
  assert.equal(nul.code, 4, nul.stderr);
  assert.match(nul.stderr, /\/dev\/null is not a drive/);
});
