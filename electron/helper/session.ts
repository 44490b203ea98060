/**
 * The helper's start: who asked (the requester), the one-time token, the listening socket. Every
 * file operation here happens inside the folder the GUI's user made, so every one runs with that
 * user's rights (asUser) and nothing is done by root by path: the token is opened without following
 * links and judged by fstat of the open descriptor; the socket is bound as the user with a 0077
 * umask, so it is born the user's and 0600 — no chmod or chown afterwards.
 */
import { closeSync, constants as C, fstatSync, lstatSync, openSync, readSync, rmSync, unlinkSync } from 'node:fs';
import type { Server } from 'node:net';
import { asUser, canSwitchUser, primaryGroupOf, type Requester } from './as-user.js';
import { socketPathFor, TOKEN_FILE } from '../shared/helper-protocol.js';
import { Refusal } from './refusal.js';

const refuse = (message: string): never => {
  throw new Refusal({ code: 'E_SAFETY', message });
};

/**
 * Who the helper works for. Under pkexec that is PKEXEC_UID (set by pkexec, not by the client); else
 * the owner of the session folder (macOS's administrator prompt, or a GUI already running as root).
 * The folder must be a real folder, private to that user.
 */
export function requesterOf(dir: string, pkexecUid: number | undefined): Requester {
  let st;
  try {
    st = lstatSync(dir);
  } catch (e) {
    return refuse(`the session folder ${dir} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (st.isSymbolicLink()) refuse(`${dir} is a symbolic link`);
  if (!st.isDirectory()) refuse(`${dir} is not a dir`);
  if (process.platform !== 'win32') {
    if ((st.mode & 0o077) !== 0) refuse(`${dir} is accessible to other users (mode ${(st.mode & 0o777).toString(8)})`);
    if (pkexecUid !== undefined && st.uid !== pkexecUid) refuse(`${dir} does not belong to the user who asked for the helper`);
  }
  const uid = pkexecUid ?? (process.platform === 'win32' ? 0 : st.uid);
  let gid: number;
  try {
    gid = primaryGroupOf(uid);
  } catch (e) {
    return refuse(`the user ${uid} is not known to this system (${(e as Error).message})`);
  }
  return { uid, gid };
}

/**
 * Reads and deletes the token, as the requester: a regular file (not a link, not a hard link), the
 * requester's own, mode 0600, holding 64 hex digits. It works once.
 */
export function takeToken(dir: string, who: Requester): string {
  const path = `${dir}/${TOKEN_FILE}`;
  return asUser(who, () => {
    let fd: number;
    try {
      fd = openSync(path, C.O_RDONLY | (C.O_NOFOLLOW ?? 0) | (C.O_NONBLOCK ?? 0));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return refuse(code === 'ELOOP' ? `${path} is a symbolic link` : `the token file cannot be opened (${code ?? 'error'})`);
    }
    let text: string;
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) refuse(`${path} is not a file`);
      if (process.platform !== 'win32') {
        if (canSwitchUser() && st.uid !== who.uid) refuse(`${path} does not belong to the user who asked for the helper`);
        if ((st.mode & 0o777) !== 0o600) refuse(`${path} is accessible to other users (mode ${(st.mode & 0o777).toString(8)})`);
        if (st.nlink !== 1) refuse(`${path} has other names (hard links)`);
      }
      const buf = Buffer.alloc(130);
      const n = readSync(fd, buf, 0, buf.length, 0);
      text = buf.subarray(0, n).toString('utf8').trim();
    } finally {
      closeSync(fd);
    }
    // One-time: nobody (including a second helper) can read it again.
    unlinkSync(path);
    if (!/^[0-9a-f]{64}$/.test(text)) refuse('the token file does not hold a token');
    return text;
  });
}

/**
 * Starts listening in the session folder. POSIX: bound as the requester under a 0077 umask (Node
 * binds a Unix socket synchronously inside listen()), so the socket is the requester's and 0600
 * from the start. Windows: a named pipe named after the folder (its ACL is the system's default;
 * see SECURITY.md).
 */
export function listenAsUser(server: Server, dir: string, who: Requester): string {
  const path = socketPathFor(dir);
  if (process.platform === 'win32') {
    server.listen(path);
    return path;
  }
  asUser(who, () => {
    const umask = process.umask(0o077);
    try {
      rmSync(path, { force: true });
      server.listen(path);
    } finally {
      process.umask(umask);
    }
  });
  return path;
}
