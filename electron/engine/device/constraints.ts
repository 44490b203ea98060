/**
 * Drive safety as pure predicates (the shape of Etcher's drive-constraints): each looks at the facts
 * about a drive (and the image) and says nothing, or `{severity, code, message}`. The GUI, the CLI and
 * the privileged helper call the same functions. Errors refuse the drive; warnings need a confirmation.
 */
import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatBytes } from '../../shared/format.js';
import { SevenStickError } from '../io/errors.js';
import { identitiesOf, type Identity } from '../io/identity.js';
import type { Drive } from './drive.js';
import { devNumber, readMounts } from './linux-sysfs.js';

export type ConstraintCode = 'partition' | 'system' | 'source' | 'read-only' | 'too-small' | 'unknown-size' | 'large' | 'not-removable';

/**
 * `message` is English (logs, the CLI's JSON, errors); `code` and `params` say the same as data, for the
 * user's language (shared/i18n/phrases.ts). Params: `device` always; `imagePath` (source: the image's path);
 * `sizeBytes` (the drive's size) and `requiredBytes` (what the image needs), numbers.
 */
export interface Constraint {
  severity: 'error' | 'warning';
  code: ConstraintCode;
  message: string;
  params: Record<string, string | number>;
}

/** Drives above this size get a warning: a USB stick rarely is that big; a backup disk often is. */
export const LARGE_DRIVE_BYTES = 64e9;

/** Where the source image lives, found once (not pure: it asks the OS) and handed to the predicates. */
export interface ImageLocation {
  /** The image's real path. */
  path: string;
  /** major:minor of the filesystem holding it (Linux). */
  fsDev?: string;
  /** The mount point the image lives under (the longest one that prefixes its path). */
  mountpoint?: string;
  /**
   * The image's identities (device + inode; a block device's number and, for a loop device, its backing
   * file's): a target with any of them is the image, whatever its path (hard link, symlink, loop device).
   */
  identities?: Identity[];
}

/** Every identity a target stands for: the file's (when it exists), a block device's and its loop backing file's. */
export function targetIdentities(d: Drive): Identity[] {
  const ids = identitiesOf(d.device);
  if (d.backingFile) for (const i of identitiesOf(d.backingFile)) if (!ids.includes(i)) ids.push(i);
  return ids;
}

export function locateImage(imagePath: string): ImageLocation {
  let path = resolve(imagePath);
  try {
    path = realpathSync(path);
  } catch {
    // Keep the resolved path; the image check below still compares paths.
  }
  const loc: ImageLocation = { path, identities: identitiesOf(path) };
  try {
    const st = statSync(path);
    loc.fsDev = st.isBlockDevice() ? devNumber(st.rdev) : devNumber(st.dev);
  } catch {
    // Unknown: only path comparisons apply.
  }
  if (process.platform === 'linux') {
    let best = '';
    for (const m of readMounts()) {
      const mp = m.mountpoint;
      const inside = mp === '/' || path === mp || path.startsWith(mp + '/');
      if (inside && mp.length >= best.length) best = mp;
    }
    if (best) loc.mountpoint = best;
  }
  return loc;
}

export function partitionNotDrive(d: Drive): Constraint | undefined {
  if (!d.isPartition) return undefined;
  return { severity: 'error', code: 'partition', params: { device: d.device }, message: `${d.device} is a partition: choose the whole drive (the stick gets a new partition table)` };
}

export function systemDrive(d: Drive): Constraint | undefined {
  if (!d.isSystem) return undefined;
  return { severity: 'error', code: 'system', params: { device: d.device }, message: `${d.device} is a system drive (the computer runs from it); it can never be a target` };
}

export function holdsSourceImage(d: Drive, image: ImageLocation | undefined): Constraint | undefined {
  if (!image) return undefined;
  let target = d.device;
  try {
    target = realpathSync(d.device);
  } catch {
    // A file that does not exist yet keeps its path.
  }
  const imageIds = image.identities ?? [];
  const hit =
    target === image.path ||
    (imageIds.length > 0 && targetIdentities(d).some((i) => imageIds.includes(i))) ||
    (d.backingFile !== null && d.backingFile === image.path) ||
    (image.fsDev !== undefined && d.kind === 'block' && d.devNumbers.includes(image.fsDev)) ||
    (image.mountpoint !== undefined && d.mountpoints.includes(image.mountpoint));
  if (!hit) return undefined;
  return { severity: 'error', code: 'source', params: { device: d.device, imagePath: image.path }, message: `${d.device} holds the source image ${image.path}; writing it would destroy the image` };
}

export function readOnlyDrive(d: Drive): Constraint | undefined {
  if (!d.readOnly) return undefined;
  return { severity: 'error', code: 'read-only', params: { device: d.device }, message: `${d.device} is read-only (write-protected); nothing can be written to it` };
}

export function unknownSize(d: Drive): Constraint | undefined {
  if (d.kind === 'file' && !d.exists) return undefined; // a new file gets --size
  if (d.size !== null && d.size > 0) return undefined;
  return { severity: 'error', code: 'unknown-size', params: { device: d.device }, message: `${d.device} reports no size (empty or virtual device); it cannot be written` };
}

export function tooSmall(d: Drive, requiredBytes: number | undefined): Constraint | undefined {
  if (requiredBytes === undefined || d.size === null || d.size <= 0 || d.size >= requiredBytes) return undefined;
  return {
    severity: 'error',
    code: 'too-small',
    params: { device: d.device, sizeBytes: d.size, requiredBytes },
    message: `${d.device} is too small: ${d.size} bytes (${formatBytes(d.size)}), the image needs ${requiredBytes} bytes (${formatBytes(requiredBytes)})`,
  };
}

export function largeDrive(d: Drive): Constraint | undefined {
  if (d.kind !== 'block' || d.size === null || d.size <= LARGE_DRIVE_BYTES) return undefined;
  return { severity: 'warning', code: 'large', params: { device: d.device, sizeBytes: d.size }, message: `${d.device} is large (${formatBytes(d.size)}) for a USB stick: make sure it is not a backup disk` };
}

export function notRemovable(d: Drive): Constraint | undefined {
  if (d.kind !== 'block' || d.removable || d.injected) return undefined;
  return { severity: 'warning', code: 'not-removable', params: { device: d.device }, message: `${d.device} is not a removable drive: make sure it is the one you mean` };
}

export interface SafetyContext {
  image?: ImageLocation;
  /** Bytes the target must hold at least. */
  requiredBytes?: number;
}

/** Every constraint that applies to a drive, errors first. */
export function checkDrive(d: Drive, ctx: SafetyContext = {}): Constraint[] {
  const all = [partitionNotDrive(d), systemDrive(d), holdsSourceImage(d, ctx.image), readOnlyDrive(d), unknownSize(d), tooSmall(d, ctx.requiredBytes), largeDrive(d), notRemovable(d)];
  const list = all.filter((c): c is Constraint => c !== undefined);
  return [...list.filter((c) => c.severity === 'error'), ...list.filter((c) => c.severity === 'warning')];
}

/**
 * Throws for the first error: too small → E_TARGET_TOO_SMALL and a partition → E_ARGS (bad input,
 * exit 2), everything else → E_SAFETY (exit 4). Returns the warnings.
 */
export function assertDriveUsable(d: Drive, ctx: SafetyContext = {}): Constraint[] {
  const list = checkDrive(d, ctx);
  const err = list.find((c) => c.severity === 'error');
  if (err) {
    const code = err.code === 'too-small' ? 'E_TARGET_TOO_SMALL' : err.code === 'partition' ? 'E_ARGS' : 'E_SAFETY';
    throw new SevenStickError(code, err.message, { path: d.device, constraint: err.code });
  }
  return list;
}
