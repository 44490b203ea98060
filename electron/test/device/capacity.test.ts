/**
 * Fake-capacity check against simulated counterfeit sticks (writes past the real size wrap around or
 * vanish), and the drive watcher against loop devices appearing and vanishing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertCapacity, checkCapacity, markerOffsets, setDriveSources, SevenStickError, envTestDrives, watchDrives, type CapacityDevice, type DriveChange } from '../../engine/index.js';
import { run, runOk, tempDir } from '../helpers/tools.js';
import { isRoot, MiB } from './helpers.js';

/** A stick that claims `claimed` bytes but stores `real`: writes past it wrap (or are dropped). */
function fakeStick(claimed: number, real: number, mode: 'wrap' | 'drop'): CapacityDevice {
  const store = new Map<number, Buffer>();
  const where = (off: number): number | undefined => (off < real ? off : mode === 'wrap' ? off % real : undefined);
  return {
    path: '/dev/fake',
    size: claimed,
    sectorSize: 512,
    async writeAt(buf, length, offset) {
      for (let s = 0; s < length; s += 512) {
        const at = where(offset + s);
        if (at !== undefined) store.set(at, Buffer.from(buf.subarray(s, s + 512)));
      }
    },
    async readAt(buf, length, offset) {
      for (let s = 0; s < length; s += 512) {
        const at = where(offset + s);
        (at !== undefined ? (store.get(at) ?? Buffer.alloc(512)) : Buffer.alloc(512)).copy(buf, s);
      }
    },
    async sync() {},
  };
}

test('marker positions cover the claimed size, sector-aligned, first and last sector included', () => {
  const o = markerOffsets(16e9, 512);
  assert.ok(o.length >= 256 && o.length <= 513, String(o.length));
  assert.equal(o[0], 0);
  assert.equal(o[o.length - 1], Math.floor(16e9 / 512) * 512 - 512);
  assert.ok(o.every((x) => x % 512 === 0));
});

test('an honest stick passes; wrapping and dropping fakes are caught with a usable-size estimate', async () => {
  const honest = await checkCapacity(fakeStick(8e9, 8e9, 'wrap'));
  assert.equal(honest.ok, true);
  assert.doesNotThrow(() => assertCapacity(honest, '/dev/fake'));
  const GiB = 1024 ** 3;
  for (const [mode, claimed, real] of [
    ['wrap', 32 * GiB, 4 * GiB],
    ['wrap', 64e9, 8 * GiB],
    ['drop', 32e9, 4e9],
  ] as const) {
    const r = await checkCapacity(fakeStick(claimed, real, mode));
    assert.equal(r.ok, false, mode);
    // The estimate lies between the real size and the next marker above it.
    assert.ok(r.usableSize >= real && r.usableSize <= real + (2 * claimed) / 256, `${mode}: ${r.usableSize}`);
    assert.throws(() => assertCapacity(r, '/dev/fake'), (e: unknown) => e instanceof SevenStickError && e.code === 'E_DEVICE' && /holds at most about/.test(e.message));
  }
});

test('watchDrives reports a loop device appearing and vanishing', { skip: !isRoot && 'needs root' }, async () => {
  const t = tempDir();
  const prevSources = setDriveSources([envTestDrives]);
  const prevEnv = process.env.SEVENSTICK_TEST_DEVICES;
  const events: DriveChange[] = [];
  let stop: (() => void) | undefined;
  let dev = '';
  try {
    await runOk('truncate', ['-s', '16M', `${t.path}/d.img`]);
    dev = (await runOk('losetup', ['-f', '--show', `${t.path}/d.img`])).stdout.trim();
    // The injected list names a device that does not exist yet, then it appears, then it goes.
    await run('losetup', ['-d', dev]);
    process.env.SEVENSTICK_TEST_DEVICES = dev;
    stop = watchDrives((c) => events.push(c), 50);
    const waitFor = async (pred: () => boolean): Promise<void> => {
      for (let i = 0; i < 100 && !pred(); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(pred());
    };
    await waitFor(() => events.length >= 1);
    assert.deepEqual(events[0]?.drives.map((d) => d.device), []);
    const again = (await runOk('losetup', ['--show', dev, `${t.path}/d.img`])).stdout.trim();
    assert.equal(again, dev);
    await waitFor(() => events.some((e) => e.added.some((d) => d.device === dev && d.size === 16 * MiB)));
    await run('losetup', ['-d', dev]);
    await waitFor(() => events.some((e) => e.removed.some((d) => d.device === dev)));
  } finally {
    stop?.();
    setDriveSources(prevSources);
    if (prevEnv === undefined) delete process.env.SEVENSTICK_TEST_DEVICES;
    else process.env.SEVENSTICK_TEST_DEVICES = prevEnv;
    if (dev) await run('losetup', ['-d', dev]);
    t.cleanup();
  }
});
