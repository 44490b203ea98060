/**
 * Getting a drive ready to be written and telling the OS about the result: unmount every mounted
 * partition first, re-read the partition table after. One interface, one implementation per OS
 * (Linux is the one the tests run; macOS and Windows follow their documented tools).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { SevenStickError } from '../io/errors.js';
import type { Drive } from './drive.js';
import { readMounts } from './linux-sysfs.js';

const execFileP = promisify(execFile);

export interface DevicePlatform {
  /** Unmounts every mounted volume of the drive; E_BUSY when one cannot be unmounted. */
  unmount(drive: Drive): Promise<string[]>;
  /** Makes the OS read the new partition table (best effort; returns a note when it could not). */
  rereadPartitions(drive: Drive): Promise<string | undefined>;
}

async function tryRun(cmd: string, args: string[]): Promise<{ ok: boolean; msg: string }> {
  try {
    await execFileP(cmd, args, { timeout: 30_000 });
    return { ok: true, msg: '' };
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return { ok: false, msg: (err.stderr || err.message).trim() };
  }
}

export const linuxPlatform: DevicePlatform = {
  async unmount(drive) {
    if (drive.kind !== 'block') return [];
    const numbers = new Set(drive.devNumbers);
    // Deepest mount points first, so nested mounts come off before their parents.
    const mounts = readMounts()
      .filter((m) => numbers.has(m.dev))
      .map((m) => m.mountpoint)
      .sort((a, b) => b.length - a.length);
    const done: string[] = [];
    for (const mp of [...new Set(mounts)]) {
      const r = await tryRun('umount', [mp]);
      if (!r.ok) throw new SevenStickError('E_BUSY', `Cannot unmount ${mp} on ${drive.device}: ${r.msg}`, { path: drive.device });
      done.push(mp);
    }
    return done;
  },
  async rereadPartitions(drive) {
    if (drive.kind !== 'block') return undefined;
    // A loop device set up without partition scanning (losetup without -P) has no table to re-read.
    const name = basename(drive.device);
    if (name.startsWith('loop')) {
      let scan = '0';
      try {
        scan = readFileSync(`/sys/block/${name}/loop/partscan`, 'utf8').trim();
      } catch {
        // not a configured loop device
      }
      if (scan !== '1') return undefined;
    }
    // BLKRRPART, then partx to add/update/remove partitions one by one (some kernels and containers
    // accept the ioctl without creating the partitions).
    const a = await tryRun('blockdev', ['--rereadpt', drive.device]);
    const b = await tryRun('partx', ['-u', drive.device]);
    const c = await tryRun('partx', ['-a', drive.device]);
    if (a.ok || b.ok || c.ok) return undefined;
    return `the system did not re-read the partition table of ${drive.device} (${a.msg}); unplug and replug the stick`;
  },
};

export const macPlatform: DevicePlatform = {
  async unmount(drive) {
    if (drive.kind !== 'block') return [];
    const r = await tryRun('diskutil', ['unmountDisk', drive.device]);
    if (!r.ok) throw new SevenStickError('E_BUSY', `Cannot unmount ${drive.device}: ${r.msg}`, { path: drive.device });
    return drive.mountpoints;
  },
  async rereadPartitions(drive) {
    if (drive.kind !== 'block') return undefined;
    // Re-reading happens when the disk is mounted again; unmount keeps Finder from grabbing it mid-verify.
    const r = await tryRun('diskutil', ['unmountDisk', drive.device]);
    return r.ok ? undefined : `diskutil could not refresh ${drive.device}: ${r.msg}`;
  },
};

export const windowsPlatform: DevicePlatform = {
  async unmount(drive) {
    if (drive.kind !== 'block') return [];
    // Each volume of the disk is locked and dismounted (FSCTL_LOCK_VOLUME + FSCTL_DISMOUNT_VOLUME) by
    // PowerShell's volume API; the disk itself is then opened with an exclusive share mode (O_EXLOCK).
    const letters = drive.mountpoints.map((m) => m.replace(/[:\\/]+$/, '')).filter((l) => /^[A-Za-z]$/.test(l));
    for (const l of letters) {
      const script = `$v = Get-CimInstance Win32_Volume -Filter "DriveLetter='${l}:'"; if ($v) { $r = $v | Invoke-CimMethod -MethodName Dismount -Arguments @{Force=$true; Permanent=$false}; if ($r.ReturnValue -ne 0) { exit 1 } }`;
      const r = await tryRun('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script]);
      if (!r.ok) throw new SevenStickError('E_BUSY', `Cannot dismount ${l}: on ${drive.device}: ${r.msg}`, { path: drive.device });
    }
    return drive.mountpoints;
  },
  async rereadPartitions(drive) {
    if (drive.kind !== 'block') return undefined;
    const n = /PhysicalDrive(\d+)/i.exec(drive.device)?.[1];
    if (n === undefined) return undefined;
    const r = await tryRun('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', `Update-Disk -Number ${n}`]);
    return r.ok ? undefined : `Windows did not refresh disk ${n}: ${r.msg}`;
  },
};

export function currentPlatform(): DevicePlatform {
  if (process.platform === 'darwin') return macPlatform;
  if (process.platform === 'win32') return windowsPlatform;
  return linuxPlatform;
}
