/**
 * What the helper will touch, decided by the helper alone: a whole block device that its own drive
 * list shows, that is not the system disk, and that is still the drive the user confirmed (size and
 * identity). Everything the client sends is a claim to check, never a fact: regular files, links,
 * partitions, character devices and anything not listed are refused; a drive list that cannot be
 * read refuses the job (fail closed). A loop device is written only when the file behind it belongs
 * to the user who asked (root writing through a loop device writes that file).
 *
 * The drive returned carries the device number that was checked; Target.open compares it with fstat
 * of the descriptor it opens (O_NOFOLLOW, O_EXCL), so check and open are one.
 */
import { lstatSync, statSync } from 'node:fs';
import { checkDrive, describePath, drivelistDrives, linuxLoopDrives, listDrives, type Drive, type DriveSource, type ImageLocation } from '../engine/index.js';
import type { ConfirmedTarget, IpcError } from '../shared/contract.js';
import type { Requester } from './as-user.js';
import { identityOf } from './identity.js';
import { Refusal } from './refusal.js';

export interface AuthorizeDeps {
  /** The helper's own drive list, every source read or an error (never a partial list). */
  listDrives(): Promise<Drive[]>;
  /** The drive at a path, described afresh from the OS. */
  describe(path: string): Promise<Drive>;
  lstat(path: string): { isBlockDevice(): boolean; isSymbolicLink(): boolean; isFile(): boolean; isCharacterDevice(): boolean; rdev: number };
  /** The owner of a file (a loop device's backing file), or undefined when it cannot be told. */
  ownerOf(path: string): number | undefined;
}

/** The helper's drive list: what the OS reports (drivelist) and Linux loop devices, read strictly. */
export async function helperDriveList(sources: readonly DriveSource[] = [drivelistDrives, linuxLoopDrives]): Promise<Drive[]> {
  try {
    return await listDrives({ all: true, strict: true, sources });
  } catch (e) {
    throw new Refusal({ code: 'E_SAFETY', message: `${(e as Error).message.replace(/; nothing was written$/, '')}, so no drive can be checked. Nothing was written.` });
  }
}

export const realDeps: AuthorizeDeps = {
  listDrives: () => helperDriveList(),
  describe: describePath,
  lstat: (p) => lstatSync(p),
  ownerOf(p) {
    try {
      return statSync(p).uid;
    } catch {
      return undefined;
    }
  },
};

const refuse = (message: string, code: IpcError['code'] = 'E_SAFETY'): never => {
  throw new Refusal({ code, message });
};

export interface AuthorizeContext {
  requester: Requester;
  /** Where the image lives (a drive holding it is refused for a write). */
  image?: ImageLocation;
  job: 'write' | 'verify';
}

/** Checks one confirmed target; returns the drive to open, or throws a Refusal saying why not. */
export async function authorizeTarget(t: ConfirmedTarget, ctx: AuthorizeContext, deps: AuthorizeDeps = realDeps): Promise<Drive> {
  const path = t.path;
  if (process.platform !== 'win32') {
    let st;
    try {
      st = deps.lstat(path);
    } catch (e) {
      return refuse(`${path} cannot be found (${(e as NodeJS.ErrnoException).code ?? 'error'}). Nothing was written.`);
    }
    if (st.isSymbolicLink()) refuse(`${path} is a link; the helper writes only drives named by their device node. Nothing was written.`);
    if (st.isFile()) refuse(`${path} is a file: disk image files are written by SevenStick itself, without administrator rights; the helper writes only whole drives. Nothing was written.`);
    if (!st.isBlockDevice()) refuse(`${path} is not a drive (not a block device). Nothing was written.`);
  }
  const listed = (await deps.listDrives()).find((d) => d.device === path);
  if (!listed) refuse(`${path} is not a drive this system lists. Nothing was written.`);
  let now: Drive;
  try {
    now = await deps.describe(path);
  } catch (e) {
    return refuse(`${path} cannot be examined (${(e as Error).message}). Nothing was written.`);
  }
  if (now.kind !== 'block' || now.device !== path) refuse(`${path} is not a drive this system lists. Nothing was written.`);
  if (now.isPartition) refuse(`${path} is a partition: only whole drives are written. Nothing was written.`);
  if (now.isSystem || listed?.isSystem) refuse(`${path} is the system drive. Nothing was written.`);
  if (now.size !== t.size) {
    refuse(`${path} is not the drive you confirmed: it now has ${now.size ?? 'an unknown number of'} bytes, you confirmed ${t.size}. Nothing was written; pick the drive again.`);
  }
  if (identityOf(now) !== (t.serial ?? null)) refuse(`${path} is not the drive you confirmed: its serial changed. Nothing was written; pick the drive again.`);
  if (now.backingFile !== null && ctx.requester.uid !== 0) {
    // Root writing a loop device writes the file behind it: only a file the user could write anyway.
    const owner = deps.ownerOf(now.backingFile);
    if (owner !== ctx.requester.uid) refuse(`${path} is a loop device over ${now.backingFile}, which is not yours. Nothing was written.`);
  }
  if (ctx.job === 'write') {
    const bad = checkDrive(now, ctx.image ? { image: ctx.image } : {}).find((n) => n.severity === 'error');
    if (bad) refuse(`${path}: ${bad.message}`);
  }
  return now;
}
