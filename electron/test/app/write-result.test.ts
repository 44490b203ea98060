/**
 * What the app's Done screen gets from a write: the engine's result mapped to the contract's, with the
 * stick's warnings (a BIOS-only stick says so after writing too, not only on the image card).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WriteJobResult } from '../../engine/index.js';
import { toWriteResult } from '../../helper/engine.js';

const base: WriteJobResult = {
  ok: true,
  warnings: [],
  mode: 'windows',
  uefiBoot: 'install.wim',
  imageSize: 4096,
  diskSize: 8192,
  bytesToWrite: 4096,
  targets: [{ target: '/dev/sdz', ok: true, bytesWritten: 4096, verified: true, directIo: true, differences: [], differingBytes: 0, notes: [] }],
  seconds: { writing: 1, verifying: 1, total: 2 },
};

test('a BIOS-only stick carries its warning to the app; a plain one has no warnings key', () => {
  const bios = 'The stick will boot in BIOS (Legacy/CSM) mode only: 32-bit (x86) Windows 7 cannot boot via UEFI.';
  const r = toWriteResult({ ...base, uefiBoot: 'none', warnings: [bios] });
  assert.deepEqual(r.warnings, [bios]);
  assert.equal(r.outcome, 'done');
  assert.equal(r.targets[0]?.verified, true);
  assert.equal('warnings' in toWriteResult(base), false);
});
