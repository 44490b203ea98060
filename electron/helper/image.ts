/**
 * The image, read with the requesting user's rights only. The helper opens it once as the user
 * (asUser): a file the user cannot read is refused by the kernel, not by us. The open descriptor
 * must be a regular file (a device, a pipe or a folder is refused). The engine then reads that very
 * file through the descriptor's own name (/proc/self/fd/N on Linux, /dev/fd/N on macOS), which
 * names the open file itself — whatever happens to the path afterwards: the user's name is aliased
 * to it (aliasFile), so messages and format detection keep the name the user gave.
 */
import { closeSync, constants as C, fstatSync, openSync } from 'node:fs';
import { aliasFile } from '../engine/index.js';
import { asUser, type Requester } from './as-user.js';
import { Refusal } from './refusal.js';

export interface OpenedImage {
  /** What the user named (for messages). */
  path: string;
  /** What the engine opens: the descriptor's own name. */
  enginePath: string;
  close(): void;
}

export function descriptorPath(fd: number, path: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'linux') return `/proc/self/fd/${fd}`;
  if (platform === 'darwin') return `/dev/fd/${fd}`;
  // Windows: the elevated helper is the same user (UAC), so its rights are that user's own.
  return path;
}

export function openImageAsUser(path: string, who: Requester): OpenedImage {
  let fd: number;
  try {
    fd = asUser(who, () => openSync(path, C.O_RDONLY | (C.O_NONBLOCK ?? 0)));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new Refusal({ code: 'E_SAFETY', message: `You cannot read ${path}: the image is read with your own rights, never the administrator's. Nothing was written.` });
    }
    if (code === 'ENOENT') throw new Refusal({ code: 'E_NOT_FOUND', message: `${path} does not exist. Nothing was written.` });
    throw new Refusal({ code: 'E_IO', message: `Cannot open ${path} (${code ?? 'error'}). Nothing was written.` });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      throw new Refusal({ code: 'E_ARGS', message: `${path} is not a regular file: a device, a pipe or a folder cannot be the image. Nothing was written.` });
    }
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  let open = true;
  const enginePath = descriptorPath(fd, path);
  const unalias = enginePath === path ? () => {} : aliasFile(path, enginePath);
  return {
    path,
    enginePath,
    close() {
      unalias();
      if (open) closeSync(fd);
      open = false;
    },
  };
}
