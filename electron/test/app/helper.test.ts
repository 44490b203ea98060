/**
 * The privileged helper's protocol, for real: each test spawns `node build/electron/helper/index.js`
 * as a separate process and talks to its socket like the GUI does (or like an attacker would).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { describePath } from '../../engine/index.js';
import { identityOf } from '../../helper/identity.js';
import { MAX_LINE, socketPathFor } from '../../shared/helper-protocol.js';
import { HelperSession, prepareSessionDir } from '../../main/helper-client.js';
import { AppError } from '../../shared/errors.js';
import { REPO, run, runOk, tempDir } from '../helpers/tools.js';

const HELPER = join(REPO, 'build', 'electron', 'helper', 'index.js');

// Whatever a failing assertion leaves behind (a helper still waiting, an open socket) is cleaned up
// here, so a broken helper makes tests fail instead of hanging the run.
const spawned: ChildProcess[] = [];
const sockets: Socket[] = [];
after(() => {
  for (const c of spawned) if (c.exitCode === null) c.kill('SIGKILL');
  for (const s of sockets) s.destroy();
});

interface Running {
  child: ChildProcess;
  dir: string;
  token: string;
  exit: Promise<number | null>;
  stderr: () => string;
}

async function startHelper(helloTimeoutMs = 3000): Promise<Running> {
  const { dir, token } = await prepareSessionDir();
  const child = spawn(process.execPath, [HELPER, '--dir', dir, '--hello-timeout-ms', String(helloTimeoutMs)], { stdio: ['ignore', 'ignore', 'pipe'] });
  spawned.push(child);
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Wait until it listens.
  const sock = socketPathFor(dir);
  for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(existsSync(sock), `helper did not listen: ${err}`);
  return { child, dir, token, exit, stderr: () => err };
}

/** A raw client: lines in, lines out. */
async function rawClient(path: string): Promise<{ sock: Socket; lines: string[]; closed: Promise<void>; send: (o: object) => void; next: () => Promise<Record<string, unknown>> }> {
  const sock = await new Promise<Socket>((resolve, reject) => {
    const s = connect(path, () => resolve(s));
    s.once('error', reject);
  });
  sockets.push(sock);
  const lines: string[] = [];
  let buf = '';
  const waiters: Array<() => void> = [];
  sock.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
    waiters.splice(0).forEach((w) => w());
  });
  sock.on('error', () => {});
  const closed = new Promise<void>((resolve) => sock.on('close', () => {
    waiters.splice(0).forEach((w) => w());
    resolve();
  }));
  let read = 0;
  const next = async (): Promise<Record<string, unknown>> => {
    const deadline = Date.now() + 5000;
    while (read >= lines.length) {
      if (sock.destroyed && read >= lines.length) throw new Error('socket closed without a message');
      if (Date.now() > deadline) throw new Error('no message within 5 s');
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
    return JSON.parse(lines[read++]!) as Record<string, unknown>;
  };
  return { sock, lines, closed, send: (o) => sock.write(JSON.stringify(o) + '\n'), next };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);
}

test('the token file is consumed and a client with the wrong token is refused (exit 4)', { timeout: 30_000 }, async () => {
  const h = await startHelper();
  assert.equal(existsSync(join(h.dir, 'token')), false, 'token file must be deleted once read');
  const c = await rawClient(socketPathFor(h.dir));
  c.send({ type: 'hello', token: 'f'.repeat(64), protocol: 1 });
  const msg = await c.next();
  assert.equal(msg.type, 'error');
  assert.equal((msg.error as { code: string }).code, 'E_SAFETY');
  assert.equal(await withTimeout(h.exit, 5000, 'helper exit'), 4);
});

test('a job before hello is refused like a bad token', { timeout: 30_000 }, async () => {
  const h = await startHelper();
  const c = await rawClient(socketPathFor(h.dir));
  c.send({ type: 'write', job: { image: '/x.iso', targets: [{ path: '/dev/null', size: 0, serial: null }], mode: 'auto', verify: true } });
  const msg = await c.next();
  assert.equal((msg.error as { code: string }).code, 'E_SAFETY');
  assert.equal(await withTimeout(h.exit, 5000, 'helper exit'), 4);
});

test('a second client is turned away while the first keeps its session', { timeout: 30_000 }, async () => {
  const h = await startHelper();
  const first = await rawClient(socketPathFor(h.dir));
  first.send({ type: 'hello', token: h.token, protocol: 1 });
  assert.equal((await first.next()).type, 'ready');
  const second = await rawClient(socketPathFor(h.dir));
  second.send({ type: 'hello', token: h.token, protocol: 1 });
  const refused = await second.next();
  assert.equal(refused.type, 'error');
  assert.equal((refused.error as { code: string }).code, 'E_BUSY');
  await withTimeout(second.closed, 3000, 'second client dropped');
  // The first client still has a working session: a cancel before any job ends it cleanly.
  first.send({ type: 'cancel' });
  const bye = await first.next();
  assert.equal((bye.error as { code: string }).code, 'E_CANCELLED');
  assert.equal(await withTimeout(h.exit, 5000, 'helper exit'), 130);
});

test('the helper exits when the GUI vanishes after hello, and when nobody says hello in time', { timeout: 30_000 }, async () => {
  const h = await startHelper();
  const c = await rawClient(socketPathFor(h.dir));
  c.send({ type: 'hello', token: h.token, protocol: 1 });
  assert.equal((await c.next()).type, 'ready');
  c.sock.destroy();
  const code = await withTimeout(h.exit, 3000, 'helper exit after the client vanished');
  assert.notEqual(code, 0);

  const silent = await startHelper(600);
  const t0 = Date.now();
  assert.equal(await withTimeout(silent.exit, 5000, 'helper exit without hello'), 2);
  assert.ok(Date.now() - t0 < 4000);
});

test('malformed and oversized lines end the session', { timeout: 30_000 }, async () => {
  const h = await startHelper();
  const c = await rawClient(socketPathFor(h.dir));
  c.send({ type: 'hello', token: h.token, protocol: 1 });
  assert.equal((await c.next()).type, 'ready');
  c.sock.write('x'.repeat(MAX_LINE + 1024));
  const msg = await c.next();
  assert.equal((msg.error as { code: string }).code, 'E_BAD_REQUEST');
  await withTimeout(h.exit, 5000, 'helper exit');

  const h2 = await startHelper();
  const c2 = await rawClient(socketPathFor(h2.dir));
  c2.send({ type: 'hello', token: h2.token, protocol: 1, extra: 'field' });
  assert.equal(((await c2.next()).error as { code: string }).code, 'E_BAD_REQUEST');
  await withTimeout(h2.exit, 5000, 'helper exit');
});

test('the helper refuses a private directory other users can read', { timeout: 30_000 }, async () => {
  const { dir } = await prepareSessionDir();
  chmodSync(dir, 0o755);
  const child = spawn(process.execPath, [HELPER, '--dir', dir, '--hello-timeout-ms', '1000'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const code = await withTimeout(new Promise<number | null>((r) => child.on('exit', r)), 5000, 'helper exit');
  assert.equal(code, 4);
  assert.match(err, /accessible to other users/);
  assert.ok(existsSync(join(dir, 'token')), 'token left unread');
});

test('HelperSession.start launches the helper directly when already privileged and authenticates', { timeout: 30_000 }, async (t) => {
  if (process.getuid?.() !== 0) {
    t.skip('needs root (the unprivileged path would show a pkexec prompt)');
    return;
  }
  const s = await HelperSession.start({
    ctx: { platform: process.platform, privileged: true, nodeExecutable: process.execPath, isElectron: false, helperScript: HELPER, helloTimeoutMs: 5000 },
    connectTimeoutMs: 10_000,
  });
  assert.ok(s.pid && s.pid > 0);
  const dead = new Promise<void>((resolve) => {
    const iv = setInterval(() => {
      try {
        process.kill(s.pid ?? -1, 0);
      } catch {
        clearInterval(iv);
        resolve();
      }
    }, 50);
  });
  s.close();
  await withTimeout(dead, 5000, 'helper exit after close');
});

test('a loop device re-attached to another file of the same size after confirmation is refused', { timeout: 30_000 }, async (t) => {
  if (process.getuid?.() !== 0) {
    t.skip('needs root for losetup');
    return;
  }
  const dir = tempDir();
  let loop = '';
  try {
    const a = join(dir.path, 'a.img');
    const b = join(dir.path, 'b.img');
    const image = join(dir.path, 'image.iso');
    writeFileSync(a, Buffer.alloc(4 * 1024 * 1024, 1));
    writeFileSync(b, Buffer.alloc(4 * 1024 * 1024, 2));
    writeFileSync(image, Buffer.alloc(64 * 1024, 3));
    loop = (await runOk('losetup', ['-f', '--show', a])).stdout.trim();
    const d = await describePath(loop);
    const confirmed = { size: d.size, serial: identityOf(d) };
    assert.equal(confirmed.size, 4 * 1024 * 1024);
    await runOk('losetup', ['-d', loop]);
    await runOk('losetup', [loop, b]);
    const h = await startHelper();
    const s = await HelperSession.attach(socketPathFor(h.dir), h.token);
    await assert.rejects(
      s.write({ image, targets: [{ path: loop, size: confirmed.size ?? 0, serial: confirmed.serial }], mode: 'raw', verify: true }, () => {}),
      (e: unknown) => e instanceof AppError && e.error.code === 'E_SAFETY' && /serial changed/.test(e.error.message),
    );
    assert.equal(await withTimeout(h.exit, 5000, 'helper exit'), 4);
    assert.deepEqual(readFileSync(b), Buffer.alloc(4 * 1024 * 1024, 2), 'the swapped-in file is untouched');
  } finally {
    if (loop) await run('losetup', ['-d', loop]);
    dir.cleanup();
  }
});

test('a refused elevation (pkexec exits 126 or 127) is a clear E_ELEVATION with the CLI command, and leaves no session dir', { timeout: 30_000 }, async () => {
  const bin = tempDir();
  const oldPath = process.env.PATH;
  try {
    for (const [code, re] of [
      [126, /not granted/],
      [127, /no polkit authentication agent/],
    ] as const) {
      writeFileSync(join(bin.path, 'pkexec'), `#!/bin/sh\necho "Error executing command as another user: Not authorized" >&2\nexit ${code}\n`, { mode: 0o755 });
      process.env.PATH = `${bin.path}:${oldPath ?? ''}`;
      const before = new Set((await import('node:fs')).readdirSync((await import('node:os')).tmpdir()).filter((n) => n.startsWith('sevenstick-helper-')));
      await assert.rejects(
        HelperSession.start({
          // The installed launcher's path: pkexec (the stub) is only ever asked to run that.
          ctx: { platform: 'linux', privileged: false, nodeExecutable: process.execPath, isElectron: false, helperScript: HELPER, linuxLauncher: '/usr/lib/sevenstick/sevenstick-helper' },
          connectTimeoutMs: 5000,
          cliHint: 'sudo sevenstick write a.iso --target /dev/sdb',
        }),
        (e: unknown) => e instanceof AppError && e.error.code === 'E_ELEVATION' && re.test(e.error.message) && /sudo sevenstick write/.test(e.error.hint ?? ''),
      );
      const after = (await import('node:fs')).readdirSync((await import('node:os')).tmpdir()).filter((n) => n.startsWith('sevenstick-helper-') && !before.has(n));
      assert.deepEqual(after, [], 'the session directory (with its token) is removed');
    }
  } finally {
    process.env.PATH = oldPath;
    bin.cleanup();
  }
});
