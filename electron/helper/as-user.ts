/**
 * The requesting user's rights, borrowed by the root helper for everything that touches a path the
 * user named or a folder the user can write: reading the token, binding the socket, opening the
 * image. The effective uid, gid and groups are switched for one synchronous call and switched back,
 * so the kernel — not our checks — decides what the user may reach, and a link planted in the
 * user's folder leads nowhere the user could not go anyway.
 *
 * Synchronous only: nothing else of ours runs while the rights are switched (glibc applies
 * seteuid/setegid/setgroups to every thread of the process).
 */
import { execFileSync } from 'node:child_process';

export interface Requester {
  uid: number;
  /** The user's primary group. */
  gid: number;
}

/** True where this process could switch to another user (POSIX, effective root). */
export function canSwitchUser(): boolean {
  return process.platform !== 'win32' && process.geteuid?.() === 0;
}

/** The user's primary group from the system's user database (`id -g`, called by absolute path). */
export function primaryGroupOf(uid: number): number {
  if (!canSwitchUser() || uid === 0) return process.getegid?.() ?? 0;
  const out = execFileSync('/usr/bin/id', ['-g', String(uid)], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' }, timeout: 10_000 }).trim();
  const gid = Number(out);
  if (!Number.isSafeInteger(gid) || gid < 0) throw new Error(`no primary group for uid ${uid}`);
  return gid;
}

/** Node's POSIX credential calls (present on every platform but Windows; initgroups is missing from @types/node 20). */
interface PosixIds {
  getgroups(): number[];
  setgroups(groups: number[]): void;
  initgroups(user: number | string, extraGroup: number): void;
  getegid(): number;
  setegid(id: number): void;
  seteuid(id: number): void;
}

/** Runs `fn` with the requester's effective uid, gid and supplementary groups (a no-op when they are ours). */
export function asUser<T>(who: Requester, fn: () => T extends PromiseLike<unknown> ? never : T): T {
  if (!canSwitchUser() || who.uid === 0) return fn();
  const p = process as unknown as PosixIds;
  const groups = p.getgroups();
  const egid = p.getegid();
  try {
    try {
      p.initgroups(who.uid, who.gid);
    } catch {
      // Not in the user database by number: the primary group alone (fewer rights, never more).
      p.setgroups([who.gid]);
    }
    p.setegid(who.gid);
    p.seteuid(who.uid);
    return fn();
  } finally {
    // The saved set-user-ID is still root: this always gets the rights back.
    if (process.geteuid?.() !== 0) p.seteuid(0);
    p.setegid(egid);
    p.setgroups(groups);
  }
}
