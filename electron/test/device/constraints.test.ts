import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertDriveUsable, checkDrive, SevenStickError, type Drive } from '../../engine/index.js';
import { fakeStick } from '../helpers/drives.js';

const stick: Drive = fakeStick;
const codes = (d: Drive, ctx = {}): string[] => checkDrive(d, ctx).map((c) => `${c.severity}:${c.code}`);

test('a plain USB stick has no constraints', () => {
  assert.deepEqual(codes(stick, { requiredBytes: 5e9 }), []);
});

test('each predicate fires on its own fact, errors before warnings', () => {
  assert.deepEqual(codes({ ...stick, isSystem: true }), ['error:system']);
  assert.deepEqual(codes({ ...stick, device: '/dev/sdz1', isPartition: true }), ['error:partition']);
  assert.deepEqual(codes({ ...stick, readOnly: true }), ['error:read-only']);
  assert.deepEqual(codes({ ...stick, size: null }), ['error:unknown-size']);
  assert.deepEqual(codes({ ...stick, size: 0 }), ['error:unknown-size']);
  assert.deepEqual(codes(stick, { requiredBytes: 17e9 }), ['error:too-small']);
  assert.deepEqual(codes({ ...stick, size: 128e9 }), ['warning:large']);
  assert.deepEqual(codes({ ...stick, removable: false }), ['warning:not-removable']);
  assert.deepEqual(codes({ ...stick, removable: false, isSystem: true, size: 256e9 }), ['error:system', 'warning:large', 'warning:not-removable']);
  // A new image file has no size yet and is not "unknown size"; an injected test device is not "fixed".
  assert.deepEqual(codes({ ...stick, kind: 'file', exists: false, size: null, device: '/tmp/new.img' }), []);
  assert.deepEqual(codes({ ...stick, removable: false, injected: true }), []);
});

test('the drive holding the image is refused: by mount, by filesystem device, by loop backing file, by path', () => {
  const img = { path: '/media/usb/win7.iso', mountpoint: '/media/usb', fsDev: '8:241' };
  assert.deepEqual(codes({ ...stick, mountpoints: ['/media/usb'], devNumbers: [] }, { image: img }), ['error:source']);
  assert.deepEqual(codes({ ...stick, mountpoints: [] }, { image: img }), ['error:source']);
  assert.deepEqual(codes({ ...stick, devNumbers: ['7:3'], backingFile: '/media/usb/win7.iso' }, { image: img }), ['error:source']);
  assert.deepEqual(codes({ ...stick, devNumbers: [], kind: 'file', device: '/media/usb/win7.iso' }, { image: img }), ['error:source']);
  assert.deepEqual(codes({ ...stick, devNumbers: ['8:16'] }, { image: img }), []);
});

test('assertDriveUsable maps too-small to E_TARGET_TOO_SMALL and the rest to E_SAFETY, returns warnings', () => {
  assert.throws(() => assertDriveUsable(stick, { requiredBytes: 20e9 }), (e: unknown) => e instanceof SevenStickError && e.code === 'E_TARGET_TOO_SMALL' && e.exitCode === 2);
  assert.throws(() => assertDriveUsable({ ...stick, isSystem: true }), (e: unknown) => e instanceof SevenStickError && e.code === 'E_SAFETY' && e.exitCode === 4);
  assert.deepEqual(assertDriveUsable({ ...stick, removable: false }).map((c) => c.code), ['not-removable']);
});
