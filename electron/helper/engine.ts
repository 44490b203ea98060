/**
 * What the helper needs from the engine, as one small interface: identify a target (size, serial,
 * safety notices — the same predicates the GUI shows), write, verify. `defaultEngine()` binds it to
 * the real engine; functions the engine does not have yet answer E_NOT_AVAILABLE (never a fake result).
 */
import { promises as fsp } from 'node:fs';
import type { Notice, Progress, VerifyReport, WriteMode, WriteResult } from '../shared/contract.js';
import { AppError, notAvailable } from '../shared/errors.js';

export interface IdentifiedDrive {
  path: string;
  size: number | null;
  serial: string | null;
  system: boolean;
  notices: Notice[];
}

export interface HelperEngine {
  /** Looks the target up afresh (never from a cache) and runs the safety predicates against `image`. */
  identify(path: string, image: string): Promise<IdentifiedDrive>;
  write(job: { image: string; targets: string[]; mode: WriteMode; verify: boolean; signal: AbortSignal; onProgress: (p: Progress) => void }): Promise<WriteResult>;
  verify(job: { image: string; target: string; signal: AbortSignal; onProgress: (p: Progress) => void }): Promise<VerifyReport>;
}

/**
 * A regular file used as a target (a VM disk image): its identity is device + inode, so a file
 * replaced after confirmation is a different target even at the same path and size.
 */
export async function identifyRegularFile(path: string): Promise<IdentifiedDrive | null> {
  let st;
  try {
    st = await fsp.lstat(path);
  } catch (e) {
    throw new AppError({ code: 'E_NOT_FOUND', message: `${path} is gone: ${(e as Error).message}` });
  }
  if (!st.isFile()) return null;
  return { path, size: st.size, serial: `file:${st.dev}:${st.ino}`, system: false, notices: [] };
}

export function defaultEngine(): HelperEngine {
  return {
    async identify(path) {
      const f = await identifyRegularFile(path);
      if (f) return f;
      throw notAvailable('Identifying drives');
    },
    async write() {
      throw notAvailable('Writing');
    },
    async verify() {
      throw notAvailable('Verifying a stick');
    },
  };
}
