/**
 * The GUI's side of the privileged helper (pure Node, no electron import, so tests drive it for real).
 *
 * start(): make a 0700 directory, put a fresh random token in a 0600 file inside it, start the helper
 * (elevated unless we already are root/admin), connect to its socket, say hello with the token, wait
 * for "ready". run(): send one job, relay progress, resolve with the result. cancel(): ask the helper
 * to stop. Closing the socket makes the helper abort and exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstatSync, promises as fsp, type Stats } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { IpcError, Progress, VerifyReport, WriteResult } from '../shared/contract.js';
import { AppError } from '../shared/errors.js';
import type { Translator } from '../shared/i18n/translator.js';
import { english, sayError } from './i18n.js';
import { encode, LineSplitter, PROTOCOL_VERSION, socketPathFor, TOKEN_FILE, type HelperMessage, type VerifyJob, type WriteJob } from '../shared/helper-protocol.js';

/** Where Linux packages install the launcher the polkit action names (assets/linux/). */
export const LINUX_LAUNCHER = '/usr/lib/sevenstick/sevenstick-helper';
export const POLKIT_ACTION = 'org.sevenstick.helper.write-drive';

export interface LaunchSpec {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Whether this launch shows an elevation prompt (decides how failures are explained). */
  elevated: boolean;
}

export interface LaunchContext {
  platform: NodeJS.Platform;
  /** Already root/admin: run the helper directly, no prompt. */
  privileged: boolean;
  /** The Node-compatible executable (Electron's own binary runs as Node with ELECTRON_RUN_AS_NODE=1). */
  nodeExecutable: string;
  /** Whether nodeExecutable is Electron (needs ELECTRON_RUN_AS_NODE=1). */
  isElectron: boolean;
  helperScript: string;
  /**
   * The installed launcher the polkit action names (Linux packages), when it passed checkLinuxLauncher.
   * Without it an unprivileged Linux app cannot elevate (no generic pkexec fallback).
   */
  linuxLauncher?: string;
  /** Why the launcher was not usable (checkLinuxLauncher's reason), for the error message. */
  linuxLauncherProblem?: string;
  helloTimeoutMs?: number;
}

function psQuote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export type LauncherCheck = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Whether the installed pkexec launcher may be used: a regular file (not a symbolic link) owned by
 * root, executable, and neither it nor its folder writable by group or others — pkexec runs it as
 * root, so anyone who could change it would own the machine.
 */
export function checkLinuxLauncher(path: string = LINUX_LAUNCHER, stat: (p: string) => Stats = lstatSync, tr: Translator = english()): LauncherCheck {
  let st: Stats;
  let dirSt: Stats;
  try {
    st = stat(path);
    dirSt = stat(dirname(path));
  } catch {
    return { ok: false, reason: tr.t('main.launcher.notInstalled', { path }) };
  }
  if (st.isSymbolicLink() || !st.isFile()) return { ok: false, reason: tr.t('main.launcher.notAFile', { path }) };
  if (st.uid !== 0 || dirSt.uid !== 0) return { ok: false, reason: tr.t('main.launcher.notOwnedByRoot', { path }) };
  if ((st.mode & 0o022) !== 0 || (dirSt.mode & 0o022) !== 0) return { ok: false, reason: tr.t('main.launcher.writableByOthers', { path }) };
  if ((st.mode & 0o100) === 0) return { ok: false, reason: tr.t('main.launcher.notExecutable', { path }) };
  return { ok: true, path };
}

/**
 * How to start the helper on this platform (pure: unit-tested per platform). `cliHint` (the equivalent
 * `sudo sevenstick …` command) goes into the error when this platform cannot elevate here; the error
 * is in `tr`'s language.
 */
export function launchSpec(ctx: LaunchContext, dir: string, cliHint?: string, tr: Translator = english()): LaunchSpec {
  const helperArgs = [ctx.helperScript, '--dir', dir, '--hello-timeout-ms', String(ctx.helloTimeoutMs ?? 20_000)];
  const runAsNode = ctx.isElectron ? { ELECTRON_RUN_AS_NODE: '1' } : {};
  if (ctx.privileged) {
    return { command: ctx.nodeExecutable, args: helperArgs, env: { ...process.env, ...runAsNode }, elevated: false };
  }
  switch (ctx.platform) {
    case 'linux':
      // Only the launcher the installed polkit action names, which starts the installed helper with a
      // cleared environment. Never pkexec on an arbitrary command (this binary, env(1)): that would ask
      // for a password to run whatever an AppImage or a source checkout contains, as root.
      if (ctx.linuxLauncher) return { command: 'pkexec', args: [ctx.linuxLauncher, ...helperArgs.slice(1)], elevated: true };
      throw sayError(
        tr,
        'E_ELEVATION',
        (t) =>
          ctx.linuxLauncherProblem
            ? t.t('main.elevation.noLauncherBecause', { launcher: LINUX_LAUNCHER, problem: ctx.linuxLauncherProblem })
            : t.t('main.elevation.noLauncher', { launcher: LINUX_LAUNCHER }),
        (t) => (cliHint ? t.t('main.elevation.hintTerminalInstead', { command: cliHint }) : t.t('main.elevation.hintInstallDeb', { command: 'sudo sevenstick write' })),
      );
    case 'win32': {
      // UAC: Start-Process -Verb RunAs; the elevated process gets a fresh environment, so cmd sets the variable.
      const inner = `${ctx.isElectron ? 'set ELECTRON_RUN_AS_NODE=1&& ' : ''}"${ctx.nodeExecutable}" ${helperArgs.map((a) => `"${a}"`).join(' ')}`;
      return {
        command: 'powershell.exe',
        args: ['-NoProfile', '-NonInteractive', '-Command', `Start-Process -FilePath cmd.exe -ArgumentList ${psQuote(`/d /s /c "${inner}"`)} -Verb RunAs -WindowStyle Hidden -Wait`],
        elevated: true,
      };
    }
    case 'darwin': {
      const cmd = `${ctx.isElectron ? 'ELECTRON_RUN_AS_NODE=1 ' : ''}${[ctx.nodeExecutable, ...helperArgs].map(shQuote).join(' ')}`;
      return {
        command: '/usr/bin/osascript',
        args: ['-e', `do shell script ${JSON.stringify(cmd)} with administrator privileges`],
        elevated: true,
      };
    }
    default:
      throw sayError(tr, 'E_UNSUPPORTED', (t) => t.t('main.elevation.unsupportedPlatform', { platform: ctx.platform }));
  }
}

/** A 0700 directory with a one-time 0600 token file in it. */
export async function prepareSessionDir(): Promise<{ dir: string; token: string }> {
  const dir = await fsp.mkdtemp(join(tmpdir(), 'sevenstick-helper-'));
  await fsp.chmod(dir, 0o700);
  const token = randomBytes(32).toString('hex');
  const fh = await fsp.open(join(dir, TOKEN_FILE), 'wx', 0o600);
  try {
    await fh.writeFile(token + '\n');
  } finally {
    await fh.close();
  }
  return { dir, token };
}

export interface StartOptions {
  ctx: LaunchContext;
  /** How long to wait for the helper's socket (the user may be typing a password). */
  connectTimeoutMs?: number;
  /** Text for an elevation failure's hint (the equivalent CLI command). */
  cliHint?: string;
  /** The user's language, for the reasons the helper could not start or stopped (English when not given). */
  tr?: Translator;
  log?: (line: string) => void;
}

type Pending = {
  resolve: (r: WriteResult | VerifyReport) => void;
  reject: (e: AppError) => void;
  onProgress: (p: Progress) => void;
};

export class HelperSession {
  private pending: Pending | null = null;
  private closed = false;
  private failure: IpcError | null = null;

  private constructor(
    private readonly socket: Socket,
    private readonly child: ChildProcess | null,
    private readonly dir: string,
    private readonly tr: Translator,
  ) {
    const lines = new LineSplitter(4 * 1024 * 1024);
    socket.on('data', (chunk: Buffer) => {
      let got: string[];
      try {
        got = lines.push(chunk);
      } catch {
        this.fail({ code: 'E_IO', message: this.tr.t('main.helper.malformed') });
        return;
      }
      for (const l of got) this.onMessage(l);
    });
    socket.on('close', () => {
      this.closed = true;
      this.fail({ code: 'E_IO', message: this.tr.t('main.helper.stopped') });
      void fsp.rm(this.dir, { recursive: true, force: true });
    });
    socket.on('error', () => {});
  }

  /** Starts (and elevates) the helper and authenticates to it. */
  static async start(opts: StartOptions): Promise<HelperSession> {
    const { dir, token } = await prepareSessionDir();
    let spec: LaunchSpec;
    try {
      spec = launchSpec(opts.ctx, dir, opts.cliHint, opts.tr);
    } catch (e) {
      await fsp.rm(dir, { recursive: true, force: true });
      throw e;
    }
    opts.log?.(`helper: starting ${spec.command} ${spec.args.join(' ')}`);
    const child = spawn(spec.command, spec.args, { env: spec.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 8192) stderr += d.toString('utf8');
    });
    let exited: { code: number | null; error?: Error } | null = null;
    child.on('exit', (code) => (exited = { code }));
    child.on('error', (error) => (exited = { code: null, error }));
    try {
      const socket = await connectWithRetry(socketPathFor(dir), opts.connectTimeoutMs ?? 180_000, () => exited);
      const session = new HelperSession(socket, child, dir, opts.tr ?? english());
      await session.hello(token);
      return session;
    } catch (e) {
      child.kill();
      await fsp.rm(dir, { recursive: true, force: true });
      if (e instanceof AppError) throw e;
      const ex = exited as { code: number | null; error?: Error } | null;
      throw elevationError(spec, ex?.code ?? null, ex?.error, stderr, opts.cliHint, opts.tr);
    }
  }

  /** Connects to an already-running helper (tests: exercise the protocol without spawning). */
  static async attach(socketPath: string, token: string, timeoutMs = 5000, tr: Translator = english()): Promise<HelperSession> {
    const socket = await connectWithRetry(socketPath, timeoutMs, () => null);
    const s = new HelperSession(socket, null, '', tr);
    await s.hello(token);
    return s;
  }

  private readyWaiter: { resolve: () => void; reject: (e: AppError) => void } | null = null;

  private hello(token: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.readyWaiter = { resolve, reject };
      this.socket.write(encode({ type: 'hello', token, protocol: PROTOCOL_VERSION }));
    });
  }

  private onMessage(line: string): void {
    let msg: HelperMessage;
    try {
      msg = JSON.parse(line) as HelperMessage;
    } catch {
      this.fail({ code: 'E_IO', message: this.tr.t('main.helper.malformed') });
      return;
    }
    if (msg.type === 'ready') {
      this.readyWaiter?.resolve();
      this.readyWaiter = null;
    } else if (msg.type === 'progress') {
      this.pending?.onProgress(msg.progress);
    } else if (msg.type === 'result') {
      const p = this.pending;
      this.pending = null;
      p?.resolve(msg.result);
    } else if (msg.type === 'error') {
      this.fail(msg.error);
    }
  }

  private fail(error: IpcError): void {
    if (!this.failure) this.failure = error;
    const err = new AppError(this.failure);
    this.readyWaiter?.reject(err);
    this.readyWaiter = null;
    const p = this.pending;
    this.pending = null;
    p?.reject(err);
  }

  private send(job: { type: 'write'; job: WriteJob } | { type: 'verify'; job: VerifyJob }, onProgress: (p: Progress) => void): Promise<WriteResult | VerifyReport> {
    if (this.closed || this.failure) return Promise.reject(new AppError(this.failure ?? { code: 'E_IO', message: this.tr.t('main.helper.gone') }));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject, onProgress };
      this.socket.write(encode(job));
    });
  }

  async write(job: WriteJob, onProgress: (p: Progress) => void): Promise<WriteResult> {
    return (await this.send({ type: 'write', job }, onProgress)) as WriteResult;
  }

  async verify(job: VerifyJob, onProgress: (p: Progress) => void): Promise<VerifyReport> {
    return (await this.send({ type: 'verify', job }, onProgress)) as VerifyReport;
  }

  cancel(): void {
    if (!this.closed) this.socket.write(encode({ type: 'cancel' }));
  }

  /** Drops the connection: the helper aborts whatever it does and exits. */
  close(): void {
    this.socket.destroy();
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }
}

async function connectWithRetry(path: string, timeoutMs: number, exited: () => { code: number | null; error?: Error } | null): Promise<Socket> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const e = exited();
    if (e) throw new Error(`helper exited (${e.code ?? e.error?.message ?? '?'}) before it listened`);
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const s = connect(path);
        s.once('connect', () => {
          s.removeAllListeners('error');
          resolve(s);
        });
        s.once('error', reject);
      });
    } catch {
      if (Date.now() > deadline) throw new Error('timed out waiting for the helper');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Why the helper did not come up, in words a user can act on (in `tr`'s language); the helper's own
 * output and the OS's error stay as they came (they are for a bug report).
 */
export function elevationError(spec: LaunchSpec, code: number | null, error: Error | undefined, stderr: string, cliHint?: string, tr: Translator = english()): AppError {
  const hint = cliHint ? (t: Translator) => t.t('main.elevation.hintTerminalToo', { command: cliHint }) : undefined;
  const say = (c: 'E_IO' | 'E_ELEVATION', message: (t: Translator) => string): AppError => sayError(tr, c, message, hint);
  if (!spec.elevated) {
    const output = stderr.trim();
    return say('E_IO', (t) => {
      const why = error ? t.t('main.elevation.helperFailedError', { error: error.message }) : code !== null ? t.t('main.elevation.helperFailedExit', { code: String(code) }) : t.t('main.elevation.helperFailed');
      return output ? t.t('main.elevation.withOutput', { message: why, output }) : why;
    });
  }
  if (spec.command === 'pkexec') {
    if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return say('E_ELEVATION', (t) => t.t('main.elevation.noPkexec'));
    if (code === 126) return say('E_ELEVATION', (t) => t.t('main.elevation.dismissed'));
    if (code === 127 || /no authentication agent|not authorized/i.test(stderr)) return say('E_ELEVATION', (t) => t.t('main.elevation.refused'));
  }
  return say('E_ELEVATION', (t) => (code !== null ? t.t('main.elevation.notObtainedExit', { code: String(code) }) : t.t('main.elevation.notObtained')));
}
