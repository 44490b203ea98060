/**
 * How the GUI and the helper name "the drive the user confirmed": path + size + an identity string.
 * The identity is the drive's serial when the OS reports one; for a loop device, the file behind it
 * (path and inode); for a regular file, its device and inode. Both sides compute it with this one
 * function, so a drive swapped after confirmation (another stick, another loop backing file, another
 * file at the same path) no longer matches. Pure Node, no electron.
 */
import { statSync } from 'node:fs';
import type { Drive } from '../engine/index.js';

function inodeOf(path: string): string | null {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

export function identityOf(d: Pick<Drive, 'device' | 'kind' | 'serial' | 'backingFile' | 'exists'>): string | null {
  if (d.serial) return `serial:${d.serial}`;
  if (d.kind === 'file') return d.exists ? `file:${inodeOf(d.device) ?? '?'}` : null;
  if (d.backingFile) return `loop:${d.backingFile}:${inodeOf(d.backingFile) ?? '?'}`;
  return null;
}
