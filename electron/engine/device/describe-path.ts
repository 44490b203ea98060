/**
 * Describes an explicit target path: a block device (from sysfs on Linux, else from what the OS lists),
 * or a regular file, existing or to be created (a disk image for VMs).
 */
import { promises as fsp } from 'node:fs';
import { basename, resolve } from 'node:path';
import { SevenStickError } from '../io/errors.js';
import type { Drive } from './drive.js';
import { describeLinuxBlock } from './linux-sysfs.js';
import { drivelistDrives } from './os-drives.js';

/**
 * Describes an explicit target path: a block device (from the OS) or a regular file (a disk image
 * for VMs; it need not exist yet).
 */
export async function describePath(path: string): Promise<Drive> {
  const deviceNamespace = /^\\\\\.\\/.test(path);
  const abs = deviceNamespace ? path : resolve(path);
  if (deviceNamespace) {
    // \\.\PhysicalDriveN (Windows): only what the OS lists; never a file to create.
    const listed = (await drivelistDrives().catch(() => [])).find((x) => x.device.toLowerCase() === abs.toLowerCase());
    if (!listed) throw notADrive(abs, 'is not a drive this system reports');
    return listed;
  }
  let st;
  try {
    st = await fsp.stat(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new SevenStickError('E_DEVICE', `Cannot look at ${abs}: ${(e as Error).message}`, { path: abs });
    // A mistyped device name must never become a new file in /dev (a RAM filesystem): refuse it.
    if (inDeviceFolder(abs)) throw notADrive(abs, 'does not exist');
    return fileTarget(abs, { size: null, readOnly: false, exists: false });
  }
  if (st.isDirectory()) throw new SevenStickError('E_ARGS', `${abs} is a folder; the target must be a drive or a disk image file`, { path: abs });
  if (st.isBlockDevice() && process.platform === 'linux') {
    // A link such as /dev/disk/by-id/usb-… is resolved once here: the target is opened by its
    // real node name, without following links (O_NOFOLLOW), and checked against this st_rdev.
    const real = await fsp.realpath(abs).catch(() => abs);
    const d = describeLinuxBlock(real, st.rdev);
    // drivelist knows more on some systems (system flags); merge what it says about this device.
    const listed = (await drivelistDrives().catch(() => [])).find((x) => x.device === real);
    if (listed) {
      d.isSystem ||= listed.isSystem;
      d.readOnly ||= listed.readOnly;
      if (d.description === basename(abs) && listed.description) d.description = listed.description;
    }
    return d;
  }
  if (st.isBlockDevice() || st.isCharacterDevice()) {
    const listed = (await drivelistDrives().catch(() => [])).find((x) => x.device === abs);
    if (listed) return { ...listed, identity: { rdev: st.rdev } };
    throw notADrive(abs, 'is not a drive this system reports');
  }
  if (inDeviceFolder(abs)) throw notADrive(abs, st.isFile() ? 'is a regular file, not a drive' : 'is not a drive');
  if (!st.isFile()) throw new SevenStickError('E_ARGS', `${abs} is neither a drive nor a regular file`, { path: abs });
  let readOnly = false;
  try {
    await fsp.access(abs, 2 /* W_OK */);
  } catch {
    readOnly = true;
  }
  return { ...fileTarget(await fsp.realpath(abs).catch(() => abs), { size: st.size, readOnly, exists: true }), identity: { dev: st.dev, ino: st.ino } };
}

/** /dev (and its subfolders) holds devices: a target there is a whole block device or nothing. */
function inDeviceFolder(abs: string): boolean {
  return process.platform !== 'win32' && (abs === '/dev' || abs.startsWith('/dev/'));
}

/** A target in the device namespace that is not an existing drive: refused for safety (exit 4), nothing created. */
function notADrive(abs: string, why: string): SevenStickError {
  return new SevenStickError('E_SAFETY', `${abs} ${why}: a target under ${abs.startsWith('\\\\') ? '\\\\.\\' : '/dev'} must be an existing whole drive (check the name with "sevenstick drives"); nothing was written or created`, {
    path: abs,
  });
}

/** A regular file as a target (a disk image for VMs), existing or to be created. */
function fileTarget(abs: string, f: { size: number | null; readOnly: boolean; exists: boolean }): Drive {
  return {
    device: abs,
    kind: 'file',
    size: f.size,
    description: f.exists ? 'Disk image file' : 'New disk image file',
    bus: 'file',
    removable: true,
    readOnly: f.readOnly,
    isSystem: false,
    mountpoints: [],
    serial: null,
    logicalSectorSize: 512,
    backingFile: null,
    injected: false,
    exists: f.exists,
    devNumbers: [],
  };
}
