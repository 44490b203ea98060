/**
 * The CLI contract (README, "Command line") for drives/write on loop devices: exit codes, JSON Lines, refusals
 * before anything is written, Ctrl-C. Oracles: cmp, sfdisk --json, fsck.fat -n, mdir (mtools).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fixture, run, runOk, tempDir } from '../helpers/tools.js';
import { assertStickLayout, CLI, isRoot, MiB, withLoops } from './helpers.js';

const root = { skip: !isRoot && 'needs root (loop devices)' };
const sha = (p: string, n?: number): string => createHash('sha256').update(n ? readFileSync(p).subarray(0, n) : readFileSync(p)).digest('hex');
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => run('node', [CLI, ...args], { env: { ...process.env, ...env }, timeoutMs: 60_000 });
const jsonLines = (s: string): Record<string, unknown>[] =>
  s
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

test('drives: /dev/vda is hidden by default and refused as system with --all; injected loop devices are listed', root, async () => {
  await withLoops([{ sizeMiB: 32 }], async ([l]) => {
    const dev = l?.dev as string;
    const def = await cli(['drives', '--json'], { SEVENSTICK_TEST_DEVICES: dev });
    assert.equal(def.code, 0, def.stderr);
    const drives = (jsonLines(def.stdout)[0] as { drives: { device: string; size: number; backingFile: string }[] }).drives;
    assert.deepEqual(
      drives.map((d) => [d.device, d.size, d.backingFile]),
      [[dev, 32 * MiB, l?.file]],
    );
    const all = await cli(['drives', '--all', '--json']);
    const vda = (jsonLines(all.stdout)[0] as { drives: { device: string; isSystem: boolean; constraints: { code: string }[] }[] }).drives.find((d) => d.device === '/dev/vda');
    assert.ok(vda, all.stdout);
    assert.equal(vda.isSystem, true);
    assert.ok(vda.constraints.some((c) => c.code === 'system'));
  });
});

test('write raw image: exit 0, JSON Lines contract, device equals image; sfdisk/fsck.fat/mdir accept the result', root, async () => {
  const img = await fixture('dev-fat-disk.sh');
  await withLoops([{ sizeMiB: 64, directIo: true }], async ([l]) => {
    const dev = l?.dev as string;
    const r = await cli(['write', img, '--target', dev, '--mode', 'raw', '--yes', '--json']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const lines = jsonLines(r.stdout);
    const last = lines[lines.length - 1] as { type: string; ok: boolean; targets: { verified: boolean; directIo: boolean }[] };
    assert.equal(last.type, 'result');
    assert.equal(last.ok, true);
    assert.equal(last.targets[0]?.verified, true);
    assert.equal(last.targets[0]?.directIo, true);
    const prog = lines.filter((x) => x.type === 'progress');
    for (const p of prog) for (const k of ['phase', 'bytes', 'total', 'bytesPerSecond', 'etaSeconds']) assert.ok(k in p, `${k} in ${JSON.stringify(p)}`);
    assert.ok(prog.some((p) => p.phase === 'writing' && p.bytes === p.total && p.total === 48 * MiB));
    assert.ok(prog.some((p) => p.phase === 'verifying' && p.bytes === p.total));
    assert.equal((await run('cmp', ['-n', String(48 * MiB), img, dev])).code, 0);
    await assertStickLayout(dev, l?.file as string);
    const md = await runOk('mdir', ['-/', '-b', '-i', `${dev}@@1M`, '::/']);
    assert.match(md.stdout, /A file with a rather long name\.txt/);
  });
});

test('refusals: system disk (even with --yes) → 4; no TTY without --yes → 4; read-only → 4; too small → 2; holds image → 4; bad args → 2', root, async () => {
  const img = await fixture('dev-raw-image.py', ['40', '2']);
  const sys = await cli(['write', img, '--target', '/dev/vda', '--yes', '--mode', 'raw']);
  assert.equal(sys.code, 4);
  assert.match(sys.stderr, /\/dev\/vda is a system drive/);
  const pattern = Buffer.alloc(MiB, 0x5a);
  await withLoops([{ sizeMiB: 64, fill: pattern }, { sizeMiB: 64, readOnly: true, fill: pattern }, { sizeMiB: 16, fill: pattern }], async ([ok, ro, small]) => {
    const before = [ok, ro, small].map((l) => sha(l?.file as string));
    const notty = await run('node', [CLI, 'write', img, '--target', ok?.dev as string, '--mode', 'raw'], { input: '' });
    assert.equal(notty.code, 4, notty.stderr);
    assert.match(notty.stderr, /not a terminal/);
    const r1 = await cli(['write', img, '--target', ro?.dev as string, '--yes', '--mode', 'raw', '--json']);
    assert.equal(r1.code, 4, r1.stdout + r1.stderr);
    const e1 = jsonLines(r1.stdout).pop() as { type: string; code: string; message: string };
    assert.equal(e1.type, 'error');
    assert.equal(e1.code, 'E_SAFETY');
    assert.match(e1.message, /read-only/);
    const r2 = await cli(['write', img, '--target', small?.dev as string, '--yes', '--mode', 'raw']);
    assert.equal(r2.code, 2, r2.stderr);
    assert.match(r2.stderr, /too small/);
    const r3 = await cli(['write', img, '--target', ok?.dev as string, '--yes', '--mode', 'bogus']);
    assert.equal(r3.code, 2);
    const r4 = await cli(['write', img, '--target', ok?.dev as string, '--yes', '--size', '12X']);
    assert.equal(r4.code, 2);
    // Nothing was written anywhere.
    assert.deepEqual([ok, ro, small].map((l) => sha(l?.file as string)), before);
  });
  // The loop device that IS the image (its backing file) is refused.
  const held = (await runOk('losetup', ['-f', '--show', img])).stdout.trim();
  try {
    const before = sha(img);
    const r = await cli(['write', img, '--target', held, '--yes', '--mode', 'raw']);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /holds the source image/);
    assert.equal(sha(img), before);
  } finally {
    await run('losetup', ['-d', held]);
  }
});

test('a target failing mid-write → exit 3 with device and offset, no hang; --check-capacity passes on an honest device', root, async () => {
  const img = await fixture('dev-raw-image.py', ['40', '2']);
  await withLoops([{ sizeMiB: 64, tmpfsMiB: 8 }, { sizeMiB: 64, directIo: true }], async ([bad, good]) => {
    const t0 = Date.now();
    const r = await cli(['write', img, '--target', bad?.dev as string, '--yes', '--mode', 'raw', '--json']);
    assert.ok(Date.now() - t0 < 20_000);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    const res = jsonLines(r.stdout).pop() as { type: string; targets: { error: { code: string; message: string } }[] };
    assert.equal(res.type, 'result');
    assert.equal(res.targets[0]?.error.code, 'E_IO');
    assert.match(res.targets[0]?.error.message ?? '', new RegExp(`${bad?.dev} at byte \\d+`));
    const c = await cli(['write', img, '--target', good?.dev as string, '--yes', '--mode', 'raw', '--check-capacity', '--json']);
    assert.equal(c.code, 0, c.stdout + c.stderr);
    assert.ok(jsonLines(c.stdout).some((x) => x.phase === 'checking-capacity'));
    assert.equal((await run('cmp', ['-n', String(40 * MiB), img, good?.dev as string])).code, 0);
  });
});

test('Ctrl-C mid-write → exit 130 within a second, no MBR signature left', root, async () => {
  const img = await fixture('dev-raw-image.py', ['400', '1']);
  await withLoops([{ sizeMiB: 420 }], async ([l]) => {
    const dev = l?.dev as string;
    const child = spawn('node', [CLI, 'write', img, '--target', dev, '--yes', '--mode', 'raw', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let sentAt = 0;
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!sentAt && /"phase":"writing","bytes":[1-9]/.test(out)) {
        sentAt = Date.now();
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    assert.ok(sentAt > 0, 'saw writing progress');
    assert.equal(code, 130, out);
    assert.ok(Date.now() - sentAt < 1000, `exited ${Date.now() - sentAt} ms after SIGINT`);
    const s0 = readFileSync(dev, { flag: 'r' }).subarray(0, 512);
    assert.notEqual(s0.readUInt16LE(510), 0xaa55);
    assert.match(jsonLines(out).pop()?.code as string, /E_CANCELLED/);
  });
});

test('write to a new file: Windows media need --size; with it the file has that size and holds the image', async () => {
  const img = await fixture('dev-raw-image.py', ['40', '2']);
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
  const t = tempDir();
  try {
    const f = join(t.path, 'vm.img');
    const no = await cli(['write', iso, '--target', f, '--yes', '--mode', 'auto', '--json']);
    assert.equal(no.code, 2, no.stdout);
    assert.match(no.stdout, /does not exist yet: give its size with --size/);
    assert.equal(existsSync(f), false);
    const r = await cli(['write', img, '--target', f, '--yes', '--size', '48M']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(f).length, 48 * MiB);
    assert.equal((await run('cmp', ['-n', String(40 * MiB), img, f])).code, 0);
  } finally {
    t.cleanup();
  }
});

test('a mounted partition is unmounted first (ext4 on a partitioned loop device); a device held open exclusively → E_BUSY, exit 3', root, async () => {
  const img = await fixture('dev-raw-image.py', ['40', '2']);
  const t = tempDir();
  const file = join(t.path, 'disk.img');
  const mnt = join(t.path, 'mnt');
  await runOk('truncate', ['-s', '64M', file]);
  await runOk('bash', ['-c', `printf 'label: dos\\nstart=2048, type=83\\n' | sfdisk -q '${file}'`]);
  const dev = (await runOk('losetup', ['-f', '--show', '-P', file])).stdout.trim();
  try {
    const part = `${dev}p1`;
    // No udev here: make the partition's node from sysfs when it is missing.
    const sys = `/sys/block/${basename(dev)}/${basename(part)}/dev`;
    if (!existsSync(sys)) await run('partx', ['-a', dev]);
    if (!existsSync(part)) {
      const [major, minor] = readFileSync(sys, 'utf8').trim().split(':');
      await runOk('mknod', [part, 'b', major as string, minor as string]);
    }
    await runOk('mkfs.ext4', ['-q', part]);
    await runOk('mkdir', ['-p', mnt]);
    await runOk('mount', [part, mnt]);
    const p1 = await cli(['write', img, '--target', part, '--yes', '--mode', 'raw']);
    assert.equal(p1.code, 2, p1.stderr);
    assert.match(p1.stderr, /is a partition: choose the whole drive/);
    const r = await cli(['write', img, '--target', dev, '--yes', '--mode', 'raw', '--json']);
    const res = jsonLines(r.stdout).pop() as { type: string; targets: { notes: string[] }[] };
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(res.targets[0]?.notes.join(' ') ?? '', new RegExp(`unmounted ${mnt}`));
    assert.equal((await run('findmnt', [mnt])).code, 1, 'no longer mounted');
    assert.equal((await run('cmp', ['-n', String(40 * MiB), img, dev])).code, 0);

    // Someone else holds the device exclusively (like a mounted filesystem would): E_BUSY, nothing written.
    const holder = spawn('/usr/bin/python3', ['-c', `import os,sys,time\nfd=os.open('${dev}', os.O_RDONLY|os.O_EXCL)\nprint('held', flush=True)\ntime.sleep(30)`], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((res) => holder.stdout.once('data', () => res()));
      const before = sha(file);
      const busy = await cli(['write', img, '--target', dev, '--yes', '--mode', 'raw', '--json']);
      assert.equal(busy.code, 3, busy.stdout + busy.stderr);
      const e = jsonLines(busy.stdout).pop() as { code: string; message: string };
      assert.equal(e.code, 'E_BUSY');
      assert.match(e.message, /busy/);
      assert.equal(sha(file), before);
    } finally {
      holder.kill();
    }
  } finally {
    await run('umount', [mnt]);
    await run('losetup', ['-d', dev]);
    await run('rm', ['-f', `${dev}p1`]);
    t.cleanup();
  }
});
