/**
 * The privileged helper's session, in phases: who asked and the one-time token (session.ts, as that
 * user), listen (bound as that user), accept ONE client, check its token in constant time, open the
 * image as that user (image.ts), decide which drives may be touched (authorize.ts: whole, listed,
 * not the system disk, still the drive the user confirmed), run one job with progress, and end.
 * Every other path (wrong token, a second client, a malformed line, no hello in time, the GUI going
 * away) ends the session without touching a drive.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { describePath, EXIT_CODES, locateImage, type Drive, type Target, type WindowsCustomization } from '../engine/index.js';
import type { ConfirmedTarget, IpcError, IpcErrorCode, WindowsSetup } from '../shared/contract.js';
import { toIpcError as toContractError } from '../shared/errors.js';
import type { Requester } from './as-user.js';
import { authorizeTarget, realDeps, type AuthorizeDeps } from './authorize.js';
import { windowsCustomization, type HelperEngine } from './engine.js';
import { identityOf } from './identity.js';
import { openImageAsUser } from './image.js';
import { encode, LineSplitter, parseClientMessage, type ClientMessage, type HelperMessage } from '../shared/helper-protocol.js';
import { Refusal } from './refusal.js';
import { listenAsUser, requesterOf, takeToken } from './session.js';

export interface HelperOptions {
  /** The private directory the GUI made (0700, owned by the GUI's user). */
  dir: string;
  engine: HelperEngine;
  /** How long the GUI has to connect and say hello. */
  helloTimeoutMs: number;
  /** The uid of the user who asked (pkexec's PKEXEC_UID), when known. */
  expectedUid?: number;
  /** Tests replace how drives are listed and described. */
  authorizeDeps?: AuthorizeDeps;
  log?: (line: string) => void;
}

export interface HelperOutcome {
  /** Process exit code, as the CLI's: 0 done, 1 verify differences, 2 bad request, 3 I/O, 4 refused, 130 cancelled. */
  code: number;
  reason: string;
}

/**
 * The CLI's exit code (EXIT_CODES) for a contract error code; the contract's own codes are bad input
 * (E_BAD_REQUEST, as E_ARGS) or I/O (the rest, as E_IO).
 */
export function exitFor(code: IpcErrorCode): number {
  const table: Readonly<Record<string, number>> = EXIT_CODES;
  return table[code] ?? (code === 'E_BAD_REQUEST' ? EXIT_CODES.E_ARGS : EXIT_CODES.E_IO);
}

/** Constant-time token comparison (hashing first makes the lengths equal). */
export function tokensEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/**
 * After the targets are open and before the first byte: each open descriptor's device is described
 * again (its device number is held open, so it cannot be another drive) and must still be what the
 * user confirmed.
 */
export function confirmOpened(confirmed: readonly ConfirmedTarget[], describe: (path: string) => Promise<Drive> = describePath) {
  return async (targets: readonly Target[]): Promise<void> => {
    for (const t of targets) {
      const want = confirmed.find((c) => c.path === t.path);
      const now = await describe(t.path);
      const held = t.drive.identity;
      const same =
        want !== undefined &&
        now.identity !== undefined &&
        held !== undefined &&
        'rdev' in now.identity &&
        'rdev' in held &&
        now.identity.rdev === held.rdev &&
        now.size === want.size &&
        identityOf(now) === want.serial;
      if (!same) throw new Refusal({ code: 'E_SAFETY', message: `${t.path} is not the drive you confirmed any more. Nothing was written; pick the drive again.` });
    }
  };
}

/** windowsCustomization, any refusal as E_BAD_REQUEST (nothing has been written). */
export async function checkedCustomization(image: string, req: WindowsSetup, check = windowsCustomization): Promise<WindowsCustomization> {
  try {
    return await check(image, req);
  } catch (e) {
    const err = toContractError(e);
    if (err.code === 'E_IO') throw e;
    throw new Refusal({ code: 'E_BAD_REQUEST', message: `The stick's answer file or edition was refused: ${err.message} Nothing was written.` });
  }
}

export async function runHelper(opts: HelperOptions): Promise<HelperOutcome> {
  const log = opts.log ?? (() => {});
  const requester = requesterOf(opts.dir, opts.expectedUid);
  const token = takeToken(opts.dir, requester);
  return serve(opts, requester, token, log);
}

/** Listens, authenticates one client and runs its one job. */
function serve(opts: HelperOptions, requester: Requester, token: string, log: (line: string) => void): Promise<HelperOutcome> {
  const deps = opts.authorizeDeps ?? realDeps;
  return new Promise<HelperOutcome>((resolve) => {
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
      finish(exitFor(error.code), error.message);
    };

    const helloTimer = setTimeout(() => finish(exitFor('E_BAD_REQUEST'), `no client said hello within ${opts.helloTimeoutMs} ms`), opts.helloTimeoutMs);

    let authenticated = false;
    let jobStarted = false;

    const runJob = async (msg: Extract<ClientMessage, { type: 'write' | 'verify' }>): Promise<void> => {
      const confirmed = msg.type === 'write' ? msg.job.targets : [msg.job.target];
      // The image: opened once, as the user who asked; the engine reads that open file.
      const image = openImageAsUser(msg.job.image, requester);
      try {
        // The customization is untrusted input to root: checked against the image before any drive is touched.
        const windows = msg.type === 'write' && msg.job.windows ? await checkedCustomization(image.path, msg.job.windows) : undefined;
        const location = locateImage(image.enginePath);
        // Every target checked here, whatever the GUI checked: whole, listed, not the system disk,
        // still the drive the user confirmed.
        // The drive list is read once per job (it spawns the OS's tools): every target is checked against the same list.
        const listed = deps.listDrives();
        const jobDeps: AuthorizeDeps = { ...deps, listDrives: () => listed };
        const drives: Drive[] = [];
        for (const t of confirmed) drives.push(await authorizeTarget(t, { requester, image: location, job: msg.type }, jobDeps));
        const onProgress = (p: HelperMessage & { type: 'progress' }): void => send(p);
        if (msg.type === 'write') {
          const result = await opts.engine.write({
            image: image.path,
            targets: drives,
            mode: msg.job.mode,
            verify: msg.job.verify,
            ...(windows ? { windows } : {}),
            signal: abort.signal,
            onOpened: confirmOpened(confirmed, deps.describe),
            onProgress: (progress) => onProgress({ type: 'progress', progress }),
          });
          send({ type: 'result', result });
          finish(result.outcome === 'done' ? 0 : exitFor(result.outcome === 'cancelled' ? 'E_CANCELLED' : 'E_IO'), `write ${result.outcome}`);
        } else {
          const report = await opts.engine.verify({
            image: image.path,
            target: drives[0] as Drive,
            signal: abort.signal,
            onProgress: (progress) => onProgress({ type: 'progress', progress }),
          });
          send({ type: 'result', result: report });
          finish(report.ok ? 0 : exitFor('E_VERIFY'), report.ok ? 'verify ok' : 'verify found differences');
        }
      } finally {
        image.close();
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
      socket.on('close', () => finish(exitFor(jobStarted ? 'E_CANCELLED' : 'E_BAD_REQUEST'), 'the client went away'));
    });
    let path = '';
    server.on('error', (e) => finish(exitFor('E_IO'), `cannot listen: ${e.message}`));
    server.on('listening', () => log(`helper: listening on ${path}`));
    try {
      path = listenAsUser(server, opts.dir, requester);
    } catch (e) {
      finish(exitFor('E_IO'), `cannot listen: ${(e as Error).message}`);
    }
  });
}

export { Refusal };
