/**
 * The privileged helper attacked the way a local process of the requesting user would: an
 * unprivileged test account (useradd) makes the session folder and token with its own rights
 * (setpriv), the helper is started as pkexec starts it (root, a cleared environment, PKEXEC_UID),
 * and each test tries to make root write, read or chown something the account could not touch
 * itself. The victims are root-owned stand-in files in a test folder, never system files. Each test
 * shows the attack failing — and the one happy path shows the same set-up really writes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describePath, drivelistDrives } from '../../engine/index.js';
import { identityOf } from '../../helper/identity.js';
import { socketPathFor } from '../../shared/helper-protocol.js';
import { HelperSession } from '../../main/helper-client.js';
import type { ConfirmedTarget } from '../../shared/contract.js';
import { AppError } from '../../shared/errors.js';
import { REPO, run, runOk, runOkSync } from '../helpers/tools.js';
import { ensureUser, runAsUser, userScript, type TestUser } from '../helpers/users.js';

/** SEVENSTICK_TEST_HELPER runs these attacks against another build of the helper (e.g. an older one). */
const HELPER = process.env.SEVENSTICK_TEST_HELPER ?? join(REPO, 'build', 'electron', 'helper', 'index.js');
const MiB = 1024 * 1024;
const isRoot = process.getuid?.() === 0;

const MAKE_SESSION = `
const fs = require('fs'), path = require('path'), crypto = require('crypto');
const dir = fs.mkdtempSync(path.join(process.argv[2], 'session-'));
fs.chmodSync(dir, 0o700);
const token = crypto.randomBytes(32).toString('hex');
const fd = fs.openSync(path.join(dir, 'token'), 'wx', 0o600);
fs.writeSync(fd, token + '\\n');
fs.closeSync(fd);
process.stdout.write(JSON.stringify({ dir, token }));
`;

/** Waits for helper.sock to appear, then replaces it with a link to argv[3] (the race of finding 3). */
const SWAP_SOCKET = `
const fs = require('fs'), path = require('path');
const dir = process.argv[2], victim = process.argv[3];
const sock = path.join(dir, 'helper.sock'), tmp = path.join(dir, 'evil');
const deadline = Date.now() + 5000;
for (;;) {
  try { fs.lstatSync(sock); break; } catch {}
  if (Date.now() > deadline) { process.stdout.write('timeout'); process.exit(0); }
}
fs.symlinkSync(victim, tmp);
try { fs.renameSync(tmp, sock); process.stdout.write('swapped'); } catch (e) { process.stdout.write('lost ' + e.code); }
`;

const CONNECT = `
const net = require('net');
const s = net.connect(process.argv[2]);
s.on('connect', () => { process.stdout.write('connected'); s.destroy(); });
s.on('error', (e) => process.stdout.write(e.code));
`;

let attacker: TestUser;
let other: TestUser;
let victims = '';
let home = '';
const spawned: ChildProcess[] = [];
const loops: string[] = [];
/** Device nodes the tests made where no udev runs. */
const nodes: string[] = [];

/** A root-owned file in the victims folder. */
function victim(name: string, content: Buffer | string, mode = 0o644): string {
  const p = join(victims, name);
  writeFileSync(p, content, { mode });
  chmodSync(p, mode);
  return p;
}

/** A file of the attacker's own, in the attacker's folder. */
function own(name: string, content: Buffer): string {
  const p = join(home, name);
  writeFileSync(p, content);
  chownSync(p, attacker.uid, attacker.gid);
  return p;
}

async function loopOver(file: string, partscan = false): Promise<string> {
  const dev = (await runOk('losetup', ['-f', '--show', ...(partscan ? ['-P'] : []), file])).stdout.trim();
  loops.push(dev);
  return dev;
}

async function confirm(path: string): Promise<ConfirmedTarget> {
  const d = await describePath(path);
  return { path: d.device, size: d.size ?? 0, serial: identityOf(d) };
}

interface Running {
  dir: string;
  token: string;
  sock: string;
  exit: Promise<number | null>;
  stderr: () => string;
}

/** The attacker makes a session folder with its own rights; root starts the helper as pkexec would. */
async function makeSession(user: TestUser): Promise<{ dir: string; token: string }> {
  const r = await runAsUser(user, userScript('make-session.js', MAKE_SESSION), [home]).done;
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as { dir: string; token: string };
}

function startHelper(dir: string, user: TestUser, helloMs = 5000, env: NodeJS.ProcessEnv = {}): Omit<Running, 'token'> {
  const child = spawn(process.execPath, [HELPER, '--dir', dir, '--hello-timeout-ms', String(helloMs)], {
    env: { ...env, PKEXEC_UID: String(user.uid) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  spawned.push(child);
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { dir, sock: socketPathFor(dir), exit, stderr: () => err };
}

async function session(user: TestUser = attacker, helloMs = 5000, env: NodeJS.ProcessEnv = {}): Promise<Running> {
  const { dir, token } = await makeSession(user);
  const h = startHelper(dir, user, helloMs, env);
  for (let i = 0; i < 100 && !existsSync(h.sock); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(existsSync(h.sock), `helper did not listen: ${h.stderr()}`);
  return { ...h, token };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);
}

const refused = (code: string, re: RegExp) => (e: unknown) => e instanceof AppError && e.error.code === code && re.test(e.error.message);

describe('the privileged helper under attack by a local user', { skip: isRoot ? false : 'needs root: the tests create users and loop devices and start the helper as pkexec does' }, () => {
  before(async () => {
    attacker = await ensureUser('sevenstick-attacker');
    other = await ensureUser('sevenstick-other');
    victims = mkdtempSync(join(tmpdir(), 'sevenstick-victims-'));
    chmodSync(victims, 0o755);
    home = mkdtempSync(join(tmpdir(), 'sevenstick-attacker-'));
    chownSync(home, attacker.uid, attacker.gid);
    chmodSync(home, 0o700);
  });

  after(async () => {
    for (const c of spawned) if (c.exitCode === null) c.kill('SIGKILL');
    for (const n of nodes) rmSync(n, { force: true });
    for (const l of loops) await run('losetup', ['-d', l]);
    rmSync(victims, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  test('finding 1: a regular file as the target is refused, and the root-owned file stays byte-identical', { timeout: 30_000 }, async () => {
    const content = 'root:x:0:0:stand-in for a root-owned file\n'.repeat(100);
    const v = victim('passwd-standin', content);
    const image = own('raw.img', Buffer.alloc(512, 0x41));
    const h = await session();
    const s = await HelperSession.attach(h.sock, h.token);
    await assert.rejects(s.write({ image, targets: [await confirm(v)], mode: 'raw', verify: false }, () => {}), refused('E_SAFETY', /is a file/));
    assert.equal(await withTimeout(h.exit, 5000, 'helper exit'), 4);
    assert.equal(readFileSync(v, 'utf8'), content);
  });

  test('finding 2: an image the user cannot read is refused, and none of it reaches the target', { timeout: 30_000 }, async () => {
    const secret = victim('shadow-standin', Buffer.from('TOP-SECRET-ROOT-ONLY '.repeat(200)), 0o600);
    const backing = own('stick-b.img', Buffer.alloc(4 * MiB));
    const loop = await loopOver(backing);
    const h = await session();
    const s = await HelperSession.attach(h.sock, h.token);
    await assert.rejects(s.write({ image: secret, targets: [await confirm(loop)], mode: 'raw', verify: false }, () => {}), refused('E_SAFETY', /cannot read/));
    assert.equal(await withTimeout(h.exit, 5000, 'helper exit'), 4);
    assert.deepEqual(readFileSync(backing), Buffer.alloc(4 * MiB), 'the stick is untouched');
    assert.ok(!h.stderr().includes('TOP-SECRET'));
  });

  test('finding 3: helper.sock swapped for a link right after bind never hands a file to the user (20 tries)', { timeout: 120_000 }, async (t) => {
    const v = victim('chown-victim', 'root-owned\n', 0o640);
    const before = statSync(v);
    let swaps = 0;
    for (let i = 0; i < 20; i++) {
      const { dir } = await makeSession(attacker);
      const swapper = runAsUser(attacker, userScript('swap-socket.js', SWAP_SOCKET), [dir, v]);
      const h = startHelper(dir, attacker, 300);
      const [outcome] = await Promise.all([swapper.done, withTimeout(h.exit, 10_000, 'helper exit')]);
      if (outcome.stdout === 'swapped') swaps++;
      const now = statSync(v);
      assert.equal(now.uid, before.uid, `try ${i}: owner changed`);
      assert.equal(now.gid, before.gid, `try ${i}: group changed`);
      assert.equal(now.mode, before.mode, `try ${i}: mode changed`);
    }
    t.diagnostic(`${swaps} of 20 swaps landed`);
    assert.ok(swaps >= 10, `the race was really run (${swaps} of 20 swaps landed)`);
  });

  test('finding 4: a target confirmed as a link, then pointed at another file, is refused and that file untouched', { timeout: 30_000 }, async () => {
    const mine = own('mine.img', Buffer.alloc(MiB));
    const content = Buffer.alloc(MiB, 0x5a);
    const v = victim('swap-victim.img', content);
    const link = join(home, 'stick');
    symlinkSync(mine, link);
    const confirmed = await confirm(link);
    rmSync(link);
    symlinkSync(v, link);
    const image = own('raw2.img', Buffer.alloc(4096, 0x42));
    const h = await session();
    const s = await HelperSession.attach(h.sock, h.token);
    await assert.rejects(s.write({ image, targets: [{ ...confirmed, path: link }], mode: 'raw', verify: false }, () => {}), refused('E_SAFETY', /link/));
    assert.equal(await withTimeout(h.exit, 5000, 'helper exit'), 4);
    assert.deepEqual(readFileSync(v), content);
    assert.deepEqual(readFileSync(mine), Buffer.alloc(MiB));
  });

  test('the socket is the requester\'s and 0600, and another user cannot connect to it', { timeout: 30_000 }, async () => {
    const h = await session();
    const st = lstatSync(h.sock);
    assert.ok(st.isSocket());
    assert.equal(st.uid, attacker.uid);
    assert.equal(st.mode & 0o077, 0, `owner-only, mode ${(st.mode & 0o777).toString(8)}`);
    const r = await runAsUser(other, userScript('connect.js', CONNECT), [h.sock]).done;
    assert.equal(r.stdout, 'EACCES');
    // Even with the folder opened up, the socket itself keeps the other user out.
    chmodSync(h.dir, 0o711);
    const r2 = await runAsUser(other, userScript('connect.js', CONNECT), [h.sock]).done;
    assert.equal(r2.stdout, 'EACCES');
    const s = await HelperSession.attach(h.sock, h.token);
    s.close();
    await withTimeout(h.exit, 5000, 'helper exit');
  });

  test('a forged token and a replayed one are refused', { timeout: 30_000 }, async () => {
    const first = await session();
    const s = await HelperSession.attach(first.sock, first.token);
    s.close();
    await withTimeout(first.exit, 5000, 'helper exit');

    const forged = await session();
    await assert.rejects(HelperSession.attach(forged.sock, 'a'.repeat(64)), refused('E_SAFETY', /token/));
    assert.equal(await withTimeout(forged.exit, 5000, 'helper exit'), 4);

    const replay = await session();
    await assert.rejects(HelperSession.attach(replay.sock, first.token), refused('E_SAFETY', /token/));
    assert.equal(await withTimeout(replay.exit, 5000, 'helper exit'), 4);
  });

  test('the token must be the requester\'s own private file: a link, another owner or mode 0644 is refused', { timeout: 30_000 }, async () => {
    const hex = 'b'.repeat(64) + '\n';
    const planted = victim('planted-token', hex, 0o600);
    const cases: Array<[string, (token: string) => void, RegExp]> = [
      ['link', (t) => {
        rmSync(t);
        symlinkSync(planted, t);
      }, /symbolic link/],
      ['owner', (t) => chownSync(t, other.uid, other.gid), /does not belong|cannot be opened \(EACCES\)/],
      ['mode', (t) => chmodSync(t, 0o644), /accessible to other users/],
    ];
    for (const [what, spoil, re] of cases) {
      const { dir } = await makeSession(attacker);
      spoil(join(dir, 'token'));
      const h = startHelper(dir, attacker, 1000);
      assert.equal(await withTimeout(h.exit, 5000, `helper exit (${what})`), 4, what);
      assert.match(h.stderr(), re, what);
      assert.ok(!existsSync(h.sock), `${what}: no socket`);
    }
    assert.equal(readFileSync(planted, 'utf8'), hex, 'the link\'s target was neither read into a session nor deleted');
  });

  test('a loop device over a file that is not the requester\'s is refused, and that file untouched', { timeout: 30_000 }, async () => {
    const content = Buffer.alloc(4 * MiB, 0x33);
    const v = victim('loop-victim.img', content);
    const loop = await loopOver(v);
    const image = own('raw3.img', Buffer.alloc(4096, 0x44));
    const h = await session();
    const s = await HelperSession.attach(h.sock, h.token);
    await assert.rejects(s.write({ image, targets: [await confirm(loop)], mode: 'raw', verify: false }, () => {}), refused('E_SAFETY', /not yours/));
    assert.equal(await withTimeout(h.exit, 5000, 'helper exit'), 4);
    assert.deepEqual(readFileSync(v), content);
  });

  test('verify jobs get the same checks: the system disk and a partition are refused', { timeout: 60_000 }, async (t) => {
    const image = own('raw4.img', Buffer.alloc(4096, 0x45));
    const system = (await drivelistDrives()).find((d) => d.isSystem);
    if (system) {
      const h = await session();
      const s = await HelperSession.attach(h.sock, h.token);
      await assert.rejects(s.verify({ image, target: await confirm(system.device) }, () => {}), refused('E_SAFETY', /system drive/));
      assert.equal(await withTimeout(h.exit, 5000, 'helper exit'), 4);
    } else {
      t.diagnostic('no system disk is listed on this machine (root on overlay?): that half is not run');
    }
    const table = own('parted.img', Buffer.alloc(4 * MiB));
    await runOk('sfdisk', ['--no-reread', '--no-tell-kernel', table], { input: 'label: dos\nstart=2048, size=4096, type=83\n' });
    const loop = await loopOver(table, true);
    await run('partx', ['-a', loop]);
    const part = `${loop}p1`;
    const sys = `/sys/block/${loop.replace('/dev/', '')}/${part.replace('/dev/', '')}/dev`;
    for (let i = 0; i < 50 && !existsSync(sys); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(existsSync(sys), 'the kernel found the partition');
    if (!existsSync(part)) {
      // No udev here: make the node as udev would.
      const [major, minor] = readFileSync(sys, 'utf8').trim().split(':');
      await runOk('mknod', [part, 'b', major ?? '', minor ?? '']);
      nodes.push(part);
    }
    const h = await session();
    const s = await HelperSession.attach(h.sock, h.token);
    await assert.rejects(s.verify({ image, target: await confirm(part) }, () => {}), refused('E_SAFETY', /partition|not a drive this system lists/));
    assert.equal(await withTimeout(h.exit, 5000, 'helper exit'), 4);
  });

  test('a character device as the target, and a device as the image, are refused', { timeout: 30_000 }, async () => {
    let h = await session();
    let s = await HelperSession.attach(h.sock, h.token);
    const image = own('raw5.img', Buffer.alloc(4096, 0x46));
    await assert.rejects(s.write({ image, targets: [{ path: '/dev/null', size: 0, serial: null }], mode: 'raw', verify: false }, () => {}), refused('E_SAFETY', /not a drive/));
    await withTimeout(h.exit, 5000, 'helper exit');

    const backing = own('stick-z.img', Buffer.alloc(4 * MiB));
    const loop = await loopOver(backing);
    h = await session();
    s = await HelperSession.attach(h.sock, h.token);
    await assert.rejects(s.write({ image: '/dev/zero', targets: [await confirm(loop)], mode: 'raw', verify: false }, () => {}), refused('E_ARGS', /not a regular file/));
    assert.equal(await withTimeout(h.exit, 5000, 'helper exit'), 2);
    assert.deepEqual(readFileSync(backing), Buffer.alloc(4 * MiB));
  });

  test('the requester\'s own stick is written from the requester\'s own image; the helper\'s tools come from the system, not an inherited PATH', { timeout: 60_000 }, async () => {
    // A 2 MiB raw image with one partition: after the write the kernel must know the partition,
    // which needs the helper's tools (blockdev/partx) — the system's, never ones planted in a PATH.
    const evil = join(home, 'bin');
    const marker = join(victims, 'planted-tool-ran');
    runOkSync('mkdir', ['-p', evil]);
    for (const tool of ['blockdev', 'partx', 'umount', 'lsblk', 'losetup', 'udevadm']) {
      writeFileSync(join(evil, tool), `#!/bin/sh\necho ${tool} >> ${marker}\nexit 1\n`, { mode: 0o755 });
    }
    const raw = Buffer.alloc(2 * MiB, 0x61);
    const rawPath = own('with-table.img', raw);
    await runOk('sfdisk', ['--no-reread', '--no-tell-kernel', rawPath], { input: 'label: dos\nstart=2048, size=2048, type=83\n' });
    const backing = own('stick-ok.img', Buffer.alloc(4 * MiB));
    const loop = await loopOver(backing, true);
    const name = loop.replace('/dev/', '');
    assert.equal(existsSync(`/sys/block/${name}/${name}p1`), false);
    const h = await session(attacker, 5000, { PATH: evil });
    const s = await HelperSession.attach(h.sock, h.token);
    // 'auto': the engine must still see the user's file name (.img → raw) while it reads the helper's descriptor.
    const result = await s.write({ image: rawPath, targets: [await confirm(loop)], mode: 'auto', verify: true }, () => {});
    assert.equal(result.outcome, 'done', JSON.stringify(result));
    assert.equal(result.targets[0]?.verified, true);
    assert.equal(await withTimeout(h.exit, 5000, 'helper exit'), 0);
    const written = readFileSync(backing);
    assert.deepEqual(written.subarray(0, 2 * MiB), readFileSync(rawPath));
    assert.ok(existsSync(`/sys/block/${name}/${name}p1`), `the partition table was re-read: ${h.stderr()}`);
    assert.equal(existsSync(marker), false, `a planted tool ran: ${existsSync(marker) ? readFileSync(marker, 'utf8') : ''}`);
  });
});
