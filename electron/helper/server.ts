/**
 * The privileged helper's session: check the private directory, take the one-time token, listen,
 * accept ONE client, check its token in constant time, re-identify every target against what the
 * user confirmed, re-run the safety checks, run one job with progress, and end. Every other path
 * (wrong token, a second client, a malformed line, no hello in time, the GUI going away) ends the
 * session without touching a drive.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { IpcError, Notice } from '../shared/contract.js';
import { toIpcError as toContractError } from '../shared/errors.js';
import type { HelperEngine, IdentifiedDrive } from './engine.js';
import { encode, LineSplitter, parseClientMessage, socketPathFor, TOKEN_FILE, type ClientMessage, type HelperMessage } from './protocol.js';

export interface HelperOptions {
  /** The private directory the GUI made (0700, owned by the GUI's user). */
  dir: string;
  engine: HelperEngine;
  /** How long the GUI has to connect and say hello. */
  helloTimeoutMs: number;
  /** The uid the directory must belong to (pkexec's PKEXEC_UID), when known. */
  expectedUid?: number;
  log?: (line: string) => void;
}

export interface HelperOutcome {
  /** Process exit code: 0 job done, 1 verify found differences, 2 bad request, 3 I/O, 4 refused, 130 cancelled. */
  code: number;
  reason: string;
}

class Refusal extends Error {
  constructor(readonly error: IpcError) {
    super(error.message);
  }
}

const EXIT_OF: Partial<Record<IpcError['code'], number>> = {
  E_VERIFY: 1,
  E_SAFETY: 4,
  E_CANCELLED: 130,
  E_IO: 3,
  E_DEVICE: 3,
  E_BUSY: 3,
  E_NOT_AVAILABLE: 3,
};

function exitFor(e: IpcError): number {
  return EXIT_OF[e.code] ?? 2;
}

/** Refuses a directory or file that another user could have planted or could read. */
async function checkPrivate(path: string, kind: 'dir' | 'file', expectedUid: number | undefined): Promise<number> {
  const st = await fsp.lstat(path);
  if (st.isSymbolicLink()) throw new Refusal({ code: 'E_SAFETY', message: `${path} is a symbolic link` });
  if (kind === 'dir' ? !st.isDirectory() : !st.isFile()) throw new Refusal({ code: 'E_SAFETY', message: `${path} is not a ${kind}` });
  if (process.platform !== 'win32') {
    if ((st.mode & 0o077) !== 0) throw new Refusal({ code: 'E_SAFETY', message: `${path} is accessible to other users (mode ${(st.mode & 0o777).toString(8)})` });
    if (expectedUid !== undefined && st.uid !== expectedUid) throw new Refusal({ code: 'E_SAFETY', message: `${path} does not belong to the user who asked for the helper` });
  }
  return st.uid;
}

/** Constant-time token comparison (hashing first makes the lengths equal). */
export function tokensEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

function describeMismatch(confirmed: { path: string; size: number; serial: string | null }, now: IdentifiedDrive): string | null {
  if (now.size !== confirmed.size) {
    return `${confirmed.path} is not the drive you confirmed: it now has ${now.size ?? 'an unknown number of'} bytes, you confirmed ${confirmed.size}. Nothing was written; pick the drive again.`;
  }
  if ((now.serial ?? null) !== (confirmed.serial ?? null)) {
    return `${confirmed.path} is not the drive you confirmed: its serial changed. Nothing was written; pick the drive again.`;
  }
  return null;
}

function firstError(notices: readonly Notice[]): Notice | undefined {
  return notices.find((n) => n.severity === 'error');
}

export async function runHelper(opts: HelperOptions): Promise<HelperOutcome> {
  const log = opts.log ?? (() => {});
  const ownerUid = await checkPrivate(opts.dir, 'dir', opts.expectedUid);
  const tokenPath = `${opts.dir}/${TOKEN_FILE}`;
  await checkPrivate(tokenPath, 'file', opts.expectedUid ?? (process.platform === 'win32' ? undefined : ownerUid));
  const token = (await fsp.readFile(tokenPath, 'utf8')).trim();
  // One-time: nobody (including a second helper) can read it again.
  await fsp.rm(tokenPath, { force: true });
  if (!/^[0-9a-f]{64}$/.test(token)) throw new Refusal({ code: 'E_SAFETY', message: 'the token file does not hold a token' });

  const socketPath = socketPathFor(opts.dir);
  if (process.platform !== 'win32') await fsp.rm(socketPath, { force: true });

  return await new Promise<HelperOutcome>((resolve) => {
    let client: Socket | null = null;
    let settled = false;
    const abort = new AbortController();
    let server: Server | null = null;

    const finish = (code: number, reason: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(helloTimer);
      abort.abort();
      log(`helper: session ends (${code}): ${reason}`);
      const done = (): void => {
        server?.close();
        resolve({ code, reason });
      };
      if (client && !client.destroyed) client.end(done);
      else done();
      setTimeout(() => client?.destroy(), 1000).unref();
    };

    const send = (msg: HelperMessage): void => {
      if (client && !client.destroyed && client.writable) client.write(encode(msg));
    };

    const fail = (error: IpcError): void => {
      send({ type: 'error', error });
      finish(exitFor(error), error.message);
    };

    const helloTimer = setTimeout(() => finish(2, `no client said hello within ${opts.helloTimeoutMs} ms`), opts.helloTimeoutMs);

    let authenticated = false;
    let jobStarted = false;

    const runJob = async (msg: Extract<ClientMessage, { type: 'write' | 'verify' }>): Promise<void> => {
      const image = msg.job.image;
      const targets = msg.type === 'write' ? msg.job.targets : [msg.job.target];
      // Re-identify each target and re-run every safety rule here, whatever the GUI checked.
      for (const t of targets) {
        if (t.path === image) throw new Refusal({ code: 'E_SAFETY', message: `${t.path} is the image itself` });
        const now = await opts.engine.identify(t.path, image);
        const mismatch = describeMismatch(t, now);
        if (mismatch) throw new Refusal({ code: 'E_SAFETY', message: mismatch });
        const bad = firstError(now.notices);
        if (bad && msg.type === 'write') throw new Refusal({ code: 'E_SAFETY', message: `${t.path}: ${bad.message}` });
        if (now.system) throw new Refusal({ code: 'E_SAFETY', message: `${t.path} is the system drive` });
      }
      const onProgress = (p: HelperMessage & { type: 'progress' }): void => send(p);
      if (msg.type === 'write') {
        const result = await opts.engine.write({
          image,
          targets: targets.map((t) => t.path),
          mode: msg.job.mode,
          verify: msg.job.verify,
          signal: abort.signal,
          onProgress: (progress) => onProgress({ type: 'progress', progress }),
        });
        send({ type: 'result', result });
        finish(result.outcome === 'done' ? 0 : result.outcome === 'cancelled' ? 130 : 3, `write ${result.outcome}`);
      } else {
        const report = await opts.engine.verify({
          image,
          target: msg.job.target.path,
          signal: abort.signal,
          onProgress: (progress) => onProgress({ type: 'progress', progress }),
        });
        send({ type: 'result', result: report });
        finish(report.ok ? 0 : 1, report.ok ? 'verify ok' : 'verify found differences');
      }
    };

    const onLine = (line: string): void => {
      let msg: ClientMessage;
      try {
        msg = parseClientMessage(line);
      } catch (e) {
        fail({ code: 'E_BAD_REQUEST', message: e instanceof Error ? e.message : 'bad message' });
        return;
      }
      if (!authenticated) {
        if (msg.type !== 'hello' || !tokensEqual(msg.token, token)) {
          fail({ code: 'E_SAFETY', message: 'the helper was not started by this client (bad or missing token)' });
          return;
        }
        authenticated = true;
        clearTimeout(helloTimer);
        send({ type: 'ready', pid: process.pid });
        return;
      }
      if (msg.type === 'cancel') {
        log('helper: cancel requested');
        abort.abort();
        if (!jobStarted) fail({ code: 'E_CANCELLED', message: 'cancelled before the job started' });
        return;
      }
      if (msg.type === 'hello' || jobStarted) {
        fail({ code: 'E_BAD_REQUEST', message: 'one job per helper session' });
        return;
      }
      jobStarted = true;
      runJob(msg).catch((e: unknown) => {
        if (e instanceof Refusal) fail(e.error);
        else fail(toContractError(e));
      });
    };

    server = createServer((socket) => {
      if (client !== null || settled) {
        // ONE client: anybody else is told so and dropped; the session itself goes on.
        socket.end(encode({ type: 'error', error: { code: 'E_BUSY', message: 'the helper already serves a client' } }));
        setTimeout(() => socket.destroy(), 200).unref();
        return;
      }
      client = socket;
      const lines = new LineSplitter();
      socket.on('data', (chunk: Buffer) => {
        let got: string[];
        try {
          got = lines.push(chunk);
        } catch (e) {
          fail({ code: 'E_BAD_REQUEST', message: e instanceof Error ? e.message : 'bad line' });
          return;
        }
        for (const l of got) if (!settled) onLine(l);
      });
      socket.on('error', () => {});
      socket.on('close', () => finish(jobStarted ? 130 : 2, 'the client went away'));
    });
    server.on('error', (e) => finish(3, `cannot listen: ${e.message}`));
    server.listen(socketPath, () => {
      if (process.platform === 'win32') return;
      // Only the GUI's user may connect (root can anyway); the token still has to match.
      fsp
        .chmod(socketPath, 0o600)
        .then(() => (process.getuid?.() === 0 ? fsp.chown(socketPath, ownerUid, -1) : undefined))
        .then(() => log(`helper: listening on ${socketPath}`))
        .catch((e: unknown) => finish(3, `cannot secure the socket: ${String(e)}`));
    });
  });
}

export { Refusal };
