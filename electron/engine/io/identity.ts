/**
 * "Is this the same file?" answered by identity, never by path: a regular file is its filesystem's
 * device number and its inode (so hard links, symlinks and `..` spellings all match), a block device is
 * its device number, and a Linux loop device is also the file behind it.
 */
import { readFileSync, statSync } from 'node:fs';

/** `file:<dev>:<ino>` for a regular file (or anything else with an inode), `block:<rdev>` for a block device. */
export type Identity = string;

function major(rdev: bigint): bigint {
  return ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
}
function minor(rdev: bigint): bigint {
  return (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
}

/** The file behind a Linux loop device (from sysfs), if `rdev` is one that has a file attached. */
export function loopBackingFile(rdev: bigint): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const f = readFileSync(`/sys/dev/block/${major(rdev)}:${minor(rdev)}/loop/backing_file`, 'utf8').trim();
    return f.endsWith(' (deleted)') ? undefined : f || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every identity a path stands for (following symlinks): the file's own, and for a loop device also
 * its backing file's. Empty when the path does not exist (yet).
 */
export function identitiesOf(path: string): Identity[] {
  let st;
  try {
    st = statSync(path, { bigint: true });
  } catch {
    return [];
  }
  if (st.isBlockDevice()) {
    const out: Identity[] = [`block:${st.rdev}`];
    const backing = loopBackingFile(st.rdev);
    if (backing) out.push(...identitiesOf(backing).filter((i) => !out.includes(i)));
    return out;
  }
  return [`file:${st.dev}:${st.ino}`];
}

/** Whether two paths name the same file or device (by identity). False when either does not exist. */
export function sameFile(a: string, b: string): boolean {
  const ia = identitiesOf(a);
  return identitiesOf(b).some((i) => ia.includes(i));
}
