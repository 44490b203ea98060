/** A plain USB stick as the device layer describes one: the starting point of the predicate and helper tests. */
import type { Drive } from '../../engine/index.js';

export const fakeStick: Drive = {
  device: '/dev/sdz',
  kind: 'block',
  size: 16e9,
  description: 'Test Stick',
  bus: 'usb',
  removable: true,
  readOnly: false,
  isSystem: false,
  mountpoints: [],
  serial: 'ABC',
  logicalSectorSize: 512,
  backingFile: null,
  injected: false,
  exists: true,
  devNumbers: ['8:240', '8:241'],
  identity: { rdev: 0x8f0 },
};
