/**
 * What the operating system reports: drivelist's list mapped to our Drive (sysfs fills in serials on
 * Linux), and Linux loop devices with a file attached, which drivelist leaves out.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Drive } from './drive.js';
import { describeLinuxBlock, linuxDeviceNumbers, readSys } from './linux-sysfs.js';

interface DrivelistDrive {
  device: string;
  raw: string;
  description: string;
  size: number | null;
  busType: string;
  isRemovable: boolean;
  isReadOnly: boolean;
  isSystem: boolean;
  isUSB: boolean | null;
  logicalBlockSize: number;
  mountpoints: { path: string }[];
}

/** What drivelist reports, mapped to our Drive (sysfs fills in serial and backing file on Linux). */
export async function drivelistDrives(): Promise<Drive[]> {
  const mod = (await import('drivelist')) as { list(): Promise<DrivelistDrive[]> };
  const list = await mod.list();
  return list.map((d) => {
    let serial: string | null = null;
    if (process.platform === 'linux') {
      const name = basename(d.device);
      serial = readSys(`/sys/block/${name}/device/serial`) || readSys(`/sys/block/${name}/device/wwid`) || null;
    }
    return {
      device: d.device,
      kind: 'block' as const,
      size: d.size && d.size > 0 ? d.size : null,
      description: d.description || basename(d.device),
      bus: d.isUSB ? 'usb' : (d.busType || 'unknown').toLowerCase(),
      removable: d.isRemovable,
      readOnly: d.isReadOnly,
      isSystem: d.isSystem,
      mountpoints: d.mountpoints.map((m) => m.path),
      serial,
      logicalSectorSize: d.logicalBlockSize || 512,
      backingFile: null,
      injected: false,
      exists: true,
      devNumbers: process.platform === 'linux' ? [...linuxDeviceNumbers(basename(d.device))] : [],
    };
  });
}

/**
 * Linux loop devices that have a file attached (drivelist leaves them out), described like any
 * block device and marked with bus 'loop'. The privileged helper lists them so a loop device can be
 * a target; it writes one only when the file behind it belongs to the user who asked.
 */
export async function linuxLoopDrives(): Promise<Drive[]> {
  if (process.platform !== 'linux') return [];
  const out: Drive[] = [];
  for (const name of readdirSync('/sys/block').filter((n) => /^loop\d+$/.test(n))) {
    if (readSys(`/sys/block/${name}/loop/backing_file`) === undefined) continue;
    let st;
    try {
      st = statSync(`/dev/${name}`);
    } catch {
      continue;
    }
    if (!st.isBlockDevice()) continue;
    out.push({ ...describeLinuxBlock(`/dev/${name}`, st.rdev), bus: 'loop' });
  }
  return out;
}
