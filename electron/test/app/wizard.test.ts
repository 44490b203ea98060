/**
 * The wizard's pure reducer: step order, what may be selected, what a vanished drive does,
 * and that the confirmation names exactly the drives that will be erased.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DriveView, ImageView, Progress } from '../../shared/contract.js';
import { jobFraction } from '../../shared/job-progress.js';
import { formatBytes, formatSpeed, stickSizeToBuy } from '../../shared/format.js';
import { canProceed, confirmationLines, formatEta, initialState, reducer, visibleDrives, type Action, type WizardState } from '../../shared/wizard.js';

function drive(path: string, over: Partial<DriveView> = {}): DriveView {
  return { path, kind: 'block', description: `Stick ${path}`, backingFile: null, size: 8_000_000_000, bus: 'usb', removable: true, system: false, serial: `S-${path}`, mountpoints: [], notices: [], selectable: true, hiddenByDefault: false, ...over };
}
const image: ImageView = { path: '/isos/win7.iso', fileName: 'win7.iso', kind: 'windows', label: 'GRMCPRXFRER_EN_DVD', size: 3_000_000_000, notices: [] };
const sysDisk = drive('/dev/sda', { system: true, selectable: false, hiddenByDefault: true, notices: [{ severity: 'error', code: 'system', message: 'System drive' }] });
const run = (actions: Action[], s: WizardState = initialState): WizardState => actions.reduce(reducer, s);

const toDrives: Action[] = [
  { type: 'start', flow: 'write' },
  { type: 'image-chosen', path: image.path },
  { type: 'image-inspected', path: image.path, info: image },
  { type: 'drives-changed', drives: [sysDisk, drive('/dev/sdb'), drive('/dev/sdc')] },
  { type: 'next' },
];

test('the happy path walks Image → Drives → Confirm → Write → Done, with Next gated on each step', () => {
  let s = run([{ type: 'start', flow: 'write' }]);
  assert.equal(s.step, 'image');
  assert.equal(canProceed(s), false);
  s = reducer(s, { type: 'next' });
  assert.equal(s.step, 'image', 'no image, no next');
  s = run(toDrives);
  assert.equal(s.step, 'drives');
  assert.equal(canProceed(s), false);
  s = run([{ type: 'toggle-drive', path: '/dev/sdb' }, { type: 'toggle-drive', path: '/dev/sdc' }, { type: 'next' }], s);
  assert.equal(s.step, 'confirm');
  assert.deepEqual(s.write.targets, [
    { path: '/dev/sdb', size: 8_000_000_000, serial: 'S-/dev/sdb' },
    { path: '/dev/sdc', size: 8_000_000_000, serial: 'S-/dev/sdc' },
  ]);
  assert.deepEqual(
    confirmationLines(s).map((l) => ({ name: l.drive?.description, path: l.path, size: l.size })),
    [
      { name: 'Stick /dev/sdb', path: '/dev/sdb', size: 8_000_000_000 },
      { name: 'Stick /dev/sdc', path: '/dev/sdc', size: 8_000_000_000 },
    ],
  );
  s = reducer(s, { type: 'write-started', jobId: 'j1', verify: true });
  assert.equal(s.step, 'write');
  const p: Progress = { type: 'progress', phase: 'writing', bytes: 50, total: 100, bytesPerSecond: 10, etaSeconds: 5, target: '/dev/sdb' };
  s = reducer(s, { type: 'job-progress', jobId: 'j1', progress: p });
  s = reducer(s, { type: 'job-progress', jobId: 'other', progress: { ...p, bytes: 100 } });
  assert.equal(s.write.progress['/dev/sdb']?.bytes, 50, 'events of other jobs are ignored');
  assert.equal(jobFraction(s.write.tally), 0.25);
  assert.equal(reducer(s, { type: 'back' }), s, 'no way back while writing');
  s = reducer(s, { type: 'write-finished', jobId: 'j1', result: { outcome: 'done', seconds: 3, targets: [] } });
  assert.equal(s.step, 'done');
});

test('system drives are never selectable, even with "show all"; unavailable drives cannot be picked', () => {
  let s = run(toDrives);
  assert.deepEqual(visibleDrives(s).map((d) => d.path), ['/dev/sdb', '/dev/sdc']);
  s = reducer(s, { type: 'toggle-drive', path: '/dev/sda' });
  assert.deepEqual(s.selected, []);
  s = reducer(s, { type: 'show-all', value: true });
  assert.deepEqual(visibleDrives(s).map((d) => d.path), ['/dev/sda', '/dev/sdb', '/dev/sdc']);
  s = reducer(s, { type: 'toggle-drive', path: '/dev/sda' });
  assert.deepEqual(s.selected, []);
  const small = drive('/dev/sdd', { selectable: false, notices: [{ severity: 'error', code: 'too-small', message: 'Too small' }] });
  const unknown = drive('/dev/zram0', { size: null });
  s = run([{ type: 'drives-changed', drives: [...s.drives, small, unknown] }, { type: 'toggle-drive', path: '/dev/sdd' }, { type: 'toggle-drive', path: '/dev/zram0' }], s);
  assert.deepEqual(s.selected, []);
});

test('a drive unplugged mid-selection drops out (and sends the Confirm step back to Drives)', () => {
  let s = run([...toDrives, { type: 'toggle-drive', path: '/dev/sdb' }, { type: 'toggle-drive', path: '/dev/sdc' }]);
  s = reducer(s, { type: 'drives-changed', drives: [sysDisk, drive('/dev/sdc')] });
  assert.deepEqual(s.selected, ['/dev/sdc']);
  assert.deepEqual(s.dropped, ['/dev/sdb']);
  s = reducer(s, { type: 'next' });
  assert.equal(s.step, 'confirm');
  s = reducer(s, { type: 'drives-changed', drives: [sysDisk] });
  assert.equal(s.step, 'drives');
  assert.deepEqual(s.selected, []);
  assert.deepEqual(s.write.targets, []);
  assert.equal(canProceed(s), false);
});

test('hiding drives again unselects the hidden ones; a new image unselects itself', () => {
  const big = drive('/dev/sde', { hiddenByDefault: true, notices: [{ severity: 'warning', code: 'large', message: 'Larger than 64 GB' }] });
  let s = run([...toDrives, { type: 'drives-changed', drives: [sysDisk, drive('/dev/sdb'), big] }, { type: 'show-all', value: true }, { type: 'toggle-drive', path: '/dev/sde' }]);
  assert.deepEqual(s.selected, ['/dev/sde']);
  s = reducer(s, { type: 'show-all', value: false });
  assert.deepEqual(s.selected, []);
});

test('checksum and verify flows keep their own job ids; stale answers are ignored', () => {
  let s = run(toDrives.slice(0, 3));
  s = reducer(s, { type: 'checksum-started', jobId: 'c1' });
  assert.equal(canProceed(s), false, 'no Next while hashing');
  s = reducer(s, { type: 'job-progress', jobId: 'c1', progress: { type: 'progress', phase: 'hashing', bytes: 1, total: 2, bytesPerSecond: 1, etaSeconds: 1 } });
  assert.equal(s.image.checksum.progress?.bytes, 1);
  s = reducer(s, { type: 'checksum-done', jobId: 'old', value: { sha1: 'x', sha256: 'y', catalogMatch: null } });
  assert.equal(s.image.checksum.status, 'running');
  s = reducer(s, { type: 'checksum-done', jobId: 'c1', value: { sha1: 'x', sha256: 'y', catalogMatch: null } });
  assert.equal(s.image.checksum.status, 'done');

  let v = run([{ type: 'start', flow: 'verify' }, { type: 'drives-changed', drives: [sysDisk, drive('/dev/sdb')] }]);
  assert.equal(v.step, 'verify');
  v = run([{ type: 'verify-target', path: '/dev/sda' }], v);
  assert.equal(v.verify.target, null, 'never the system drive');
  v = run([{ type: 'verify-target', path: '/dev/sdb' }, { type: 'image-chosen', path: image.path }, { type: 'image-inspected', path: image.path, info: image }], v);
  assert.equal(canProceed(v), true);
  v = reducer(v, { type: 'verify-started', jobId: 'v1' });
  v = reducer(v, { type: 'verify-finished', jobId: 'v1', report: { ok: false, target: '/dev/sdb', image: image.path, checkedFiles: 3, problems: [{ path: 'setup.exe', problem: 'differs' }], extras: [] } });
  assert.equal(v.verify.report?.ok, false);
});

test('number formatting is stable', () => {
  // Binary units, three significant digits (shared/format.ts: the engine, the CLI and the wizard).
  assert.equal(formatBytes(999), '999 bytes');
  assert.equal(formatBytes(1), '1 byte');
  assert.equal(formatBytes(1024), '1.00 KiB');
  assert.equal(formatBytes(1024 * 1024 - 1), '1.00 MiB', 'never "1024 KiB"');
  assert.equal(formatBytes(8_004_304_896), '7.45 GiB');
  assert.equal(formatBytes(64_000_000_000), '59.6 GiB');
  assert.equal(formatBytes(250_059_350_016), '233 GiB');
  assert.equal(formatBytes(3 * 1024 ** 4), '3.00 TiB');
  assert.equal(formatBytes(null), 'unknown size');
  assert.equal(formatSpeed(38.25 * 1024 * 1024), '38.3 MiB/s');
  assert.equal(formatSpeed(0), '—');
  assert.equal(stickSizeToBuy(4_300_000_000), '5 GB');
  assert.equal(formatEta(null), '–:––');
  assert.equal(formatEta(125), '2:05');
});

test('overall progress: job-wide events without bytes do not count; flushing after 50 % keeps 50 %', () => {
  let s = run([...toDrives, { type: 'toggle-drive', path: '/dev/sdb' }, { type: 'next' }, { type: 'write-started', jobId: 'j', verify: true }]);
  const base: Progress = { type: 'progress', phase: 'preparing', bytes: 0, total: 0, bytesPerSecond: 0, etaSeconds: 0 };
  const at = (p: Partial<Progress>): WizardState => (s = reducer(s, { type: 'job-progress', jobId: 'j', progress: { ...base, ...p } }));
  at({});
  assert.equal(jobFraction(s.write.tally), 0);
  at({ phase: 'writing', bytes: 100, total: 100, target: '/dev/sdb' });
  assert.equal(jobFraction(s.write.tally), 0.5, 'written, not yet read back');
  at({ phase: 'flushing', target: '/dev/sdb' });
  assert.equal(jobFraction(s.write.tally), 0.5, 'the flushing event (0/0 bytes) does not drop the figure');
  at({ phase: 'verifying', bytes: 30, total: 100, target: '/dev/sdb' });
  assert.equal(jobFraction(s.write.tally), 0.65);
  at({ phase: 'done' });
  assert.equal(jobFraction(s.write.tally), 1);
});

test('overall progress without verify: the write is the whole job', () => {
  let s = run([...toDrives, { type: 'toggle-drive', path: '/dev/sdb' }, { type: 'next' }, { type: 'write-started', jobId: 'j', verify: false }]);
  const base: Progress = { type: 'progress', phase: 'writing', bytes: 30, total: 100, bytesPerSecond: 0, etaSeconds: 0, target: '/dev/sdb' };
  s = reducer(s, { type: 'job-progress', jobId: 'j', progress: base });
  assert.equal(jobFraction(s.write.tally), 0.3);
  s = reducer(s, { type: 'job-progress', jobId: 'j', progress: { ...base, phase: 'flushing', bytes: 0, total: 0 } });
  assert.equal(jobFraction(s.write.tally), 1);
});

test('a cancelled checksum goes back to idle; a failed one shows its error', () => {
  let s = run([...toDrives.slice(0, 3), { type: 'checksum-started', jobId: 'c1' }, { type: 'checksum-failed', jobId: 'c1', error: { code: 'E_CANCELLED', message: 'Cancelled' } }]);
  assert.equal(s.image.checksum.status, 'idle');
  s = run([{ type: 'checksum-started', jobId: 'c2' }, { type: 'checksum-failed', jobId: 'c2', error: { code: 'E_IO', message: 'read error' } }], s);
  assert.equal(s.image.checksum.status, 'error');
  assert.equal(s.image.checksum.error?.message, 'read error');
});
