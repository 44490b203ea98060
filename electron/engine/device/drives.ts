/**
 * The drive list: drives from every source (what the OS reports, os-drives.ts; injected test devices),
 * the first source winning for a path, all or only those a person would pick, strict (fail closed) or
 * not. Tests inject devices with SEVENSTICK_TEST_DEVICES=/dev/loop3,/dev/loop4 — described like
 * explicit paths (describe-path.ts), since drivelist drops /dev/loop* on Linux — or setDriveSources().
 */
import { SevenStickError } from '../io/errors.js';
import { describePath } from './describe-path.js';
import type { Drive, DriveSource } from './drive.js';
import { drivelistDrives } from './os-drives.js';

/** Devices named in SEVENSTICK_TEST_DEVICES (comma-separated paths), described like explicit paths. */
export async function envTestDrives(): Promise<Drive[]> {
  const list = (process.env.SEVENSTICK_TEST_DEVICES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const out: Drive[] = [];
  for (const p of list) {
    try {
      out.push({ ...(await describePath(p)), injected: true });
    } catch {
      // A test device that vanished is simply absent.
    }
  }
  return out;
}

let sources: DriveSource[] = [drivelistDrives, envTestDrives];

/** Replaces the drive sources (tests, the helper process); returns the previous ones. */
export function setDriveSources(next: DriveSource[]): DriveSource[] {
  const prev = sources;
  sources = next;
  return prev;
}

export interface ListOptions {
  /** Include system drives, drives of unknown size and fixed disks. */
  all?: boolean;
  /**
   * Fail closed: a source that cannot be read throws (E_DEVICE) instead of being skipped. The helper
   * lists strictly — a drive list it could not read must not look like "nothing is a system disk".
   */
  strict?: boolean;
  /** Read these sources instead of the configured ones (the helper: the OS's list and loop devices only). */
  sources?: readonly DriveSource[];
}

/** Drives from every source (first source wins for a device path), sorted by path. */
export async function listDrives(opts: ListOptions = {}): Promise<Drive[]> {
  const byDevice = new Map<string, Drive>();
  for (const src of opts.sources ?? sources) {
    let drives: Drive[];
    try {
      drives = await src();
    } catch (e) {
      if (opts.strict) throw new SevenStickError('E_DEVICE', `Cannot list the drives of this system (${(e as Error).message}); nothing was written`, {}, { cause: e });
      continue;
    }
    for (const d of drives) if (!byDevice.has(d.device)) byDevice.set(d.device, d);
  }
  const all = [...byDevice.values()].sort((a, b) => a.device.localeCompare(b.device));
  return opts.all ? all : all.filter(isUsableByDefault);
}

/** The default list: drives a person would pick (removable or injected, not system, known size). */
export function isUsableByDefault(d: Drive): boolean {
  return !d.isSystem && d.size !== null && d.size > 0 && (d.removable || d.injected);
}
