/**
 * The writer and the read-back on real loop devices (root) and on regular files, judged by cmp against
 * an independently assembled image and by what the kernel's loop device holds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { runWriteJob, SevenStickError, verifyTargetAgainstStream, type StreamFactory } from '../../engine/index.js';
import { run, runOk, tempDir } from '../helpers/tools.js';
import { demoStream, isRoot, MiB, withLoops } from './helpers.js';

const factoryOf =
  (s: ReturnType<typeof demoStream>): StreamFactory =>
  async () => ({ stream: s, mode: 'windows', close: async () => undefined });

test('writes a stream to a regular file: cmp equals the assembled image; existing file keeps its size', async () => {
  const t = tempDir();
  try {
    const s = demoStream(7);
    const out = join(t.path, 'stick.img');
    const r = await runWriteJob({ image: '/dev/null', targets: [out], mode: 'windows', size: s.size, verify: true, streamFactory: factoryOf(s) });
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.targets[0]?.bytesWritten, s.bytesToWrite);
    const expected = join(t.path, 'expected.img');
    writeFileSync(expected, s.image());
    assert.equal((await run('cmp', [expected, out])).code, 0);
    // Existing, larger file: keeps its size; bytes outside the stream keep their old contents.
    const big = join(t.path, 'big.img');
    writeFileSync(big, Buffer.alloc(64 * MiB, 0xee));
    const r2 = await runWriteJob({ image: '/dev/null', targets: [big], mode: 'windows', verify: true, streamFactory: factoryOf(s) });
    assert.equal(r2.ok, true);
    assert.equal(statSync(big).size, 64 * MiB);
    const b = readFileSync(big);
    const img = s.image();
    for (const reg of s.regions) assert.ok(b.subarray(reg.offset, reg.offset + reg.data.length).equals(reg.data), reg.name);
    // 'b.bin' starts 100 bytes into a sector: the 100 bytes before it are the file's own, not zeros.
    const bStart = s.regions.find((x) => x.name === 'b.bin')?.offset ?? 0;
    assert.ok(b.subarray(bStart - 100, bStart).equals(Buffer.alloc(100, 0xee)));
    assert.equal(b[48 * MiB + 5], 0xee);
    assert.ok(img.length < b.length);
  } finally {
    t.cleanup();
  }
});

test('a new file target without --size is refused with E_ARGS', async () => {
  const t = tempDir();
  try {
    const s = demoStream(7);
    await assert.rejects(
      runWriteJob({ image: '/dev/null', targets: [join(t.path, 'new.img')], mode: 'windows', verify: true, streamFactory: factoryOf(s) }),
      (e: unknown) => e instanceof SevenStickError && e.code === 'E_ARGS',
    );
    assert.equal(existsSync(join(t.path, 'new.img')), false);
  } finally {
    t.cleanup();
  }
});

test('loop device (direct I/O): write + verify, then corruption behind the device is found and named', { skip: !isRoot && 'needs root' }, async () => {
  await withLoops([{ sizeMiB: 64, directIo: true }], async ([loop]) => {
    const dev = (loop as { dev: string }).dev;
    const file = (loop as { file: string }).file;
    const s = demoStream(3);
    const phases: string[] = [];
    const r = await runWriteJob({
      image: '/dev/null',
      targets: [dev],
      mode: 'windows',
      verify: true,
      streamFactory: factoryOf(s),
      onProgress: (p) => {
        if (phases[phases.length - 1] !== p.phase) phases.push(p.phase);
      },
    });
    assert.equal(r.ok, true, JSON.stringify(r.targets));
    assert.equal(r.targets[0]?.directIo, true);
    assert.deepEqual(phases, ['preparing', 'writing', 'flushing', 'verifying', 'done']);
    // Oracle: the device's bytes equal the assembled image (cmp on the first 48 MiB).
    const expected = `${file}.expected`;
    writeFileSync(expected, s.image());
    assert.equal((await run('cmp', ['-n', String(s.size), expected, dev])).code, 0);

    // Corrupt the backing file directly (the loop device reads it with direct I/O): three files hit.
    const hits = [
      { at: 2 * MiB + 1000, name: 'a.bin' },
      { at: 5.5 * MiB + 100 + 4 * MiB + 3, name: 'b.bin' },
      { at: 20 * MiB + 9 * MiB, name: 'sources/install.wim' },
      { at: 0x1be, name: 'MBR' },
    ];
    const fd = openSync(file, 'r+');
    for (const h of hits) {
      const b = Buffer.alloc(1);
      b[0] = (s.image()[h.at] as number) ^ 0xff;
      writeSync(fd, b, 0, 1, h.at);
    }
    closeSync(fd);
    const v = await verifyTargetAgainstStream(dev, s);
    assert.equal(v.ok, false);
    assert.equal(v.directIo, true);
    assert.deepEqual(
      v.differences.map((d) => [d.offset, d.length, d.what]),
      hits.map((h) => [h.at, 1, h.name]).sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
  });
});

test('two targets, one fails mid-write (tmpfs-backed loop): the other completes and verifies', { skip: !isRoot && 'needs root' }, async () => {
  await withLoops([{ sizeMiB: 64, directIo: true }, { sizeMiB: 64, tmpfsMiB: 8 }], async ([good, bad]) => {
    const s = demoStream(5);
    const t0 = Date.now();
    const r = await runWriteJob({ image: '/dev/null', targets: [good?.dev as string, bad?.dev as string], mode: 'windows', verify: true, streamFactory: factoryOf(s) });
    assert.ok(Date.now() - t0 < 30_000);
    const [g, b] = r.targets;
    assert.equal(r.ok, false);
    assert.equal(g?.ok, true, JSON.stringify(g));
    assert.equal(g?.verified, true);
    assert.equal(b?.ok, false);
    assert.equal(b?.error?.code, 'E_IO');
    assert.match(b?.error?.message ?? '', new RegExp(`${bad?.dev}.*byte \\d+`));
    const expected = `${good?.file}.expected`;
    writeFileSync(expected, s.image());
    assert.equal((await run('cmp', ['-n', String(s.size), expected, good?.dev as string])).code, 0);
  });
});

test('cancelling mid-write stops quickly and leaves no MBR signature', { skip: !isRoot && 'needs root' }, async () => {
  const old = Buffer.alloc(512, 0x33);
  old.writeUInt16LE(0xaa55, 510);
  // An old boot sector on the device first: it must be gone after the cancel.
  await withLoops([{ sizeMiB: 64, directIo: true, fill: old }], async ([loop]) => {
    const dev = loop?.dev as string;
    const s = demoStream(9);
    const ac = new AbortController();
    let abortedAt = 0;
    const p = runWriteJob({
      image: '/dev/null',
      targets: [dev],
      mode: 'windows',
      verify: true,
      streamFactory: factoryOf(s),
      blockSize: 1 * MiB,
      signal: ac.signal,
      onProgress: (e) => {
        if (e.phase === 'writing' && e.bytes > 0 && !abortedAt) {
          abortedAt = Date.now();
          ac.abort();
        }
      },
    });
    await assert.rejects(p, (e: unknown) => e instanceof SevenStickError && e.code === 'E_CANCELLED');
    assert.ok(Date.now() - abortedAt < 1000, 'stopped within a second');
    const s0 = readFileSync(dev).subarray(0, 512);
    assert.notEqual(s0.readUInt16LE(510), 0xaa55);
    assert.ok(s0.equals(Buffer.alloc(512)));
  });
});

test('a target file on a filesystem without O_DIRECT (ramfs): falls back to buffered I/O and says so', { skip: !isRoot && 'needs root (mount)' }, async () => {
  // (tmpfs supports O_DIRECT on this kernel; ramfs does not.)
  const t = tempDir();
  const mnt = join(t.path, 'ramfs');
  mkdirSync(mnt);
  await runOk('mount', ['-t', 'ramfs', 'ramfs', mnt]);
  try {
    const out = join(mnt, 'stick.img');
    const s = demoStream(11);
    const r = await runWriteJob({ image: '/dev/null', targets: [out], mode: 'windows', size: s.size, verify: true, streamFactory: factoryOf(s) });
    assert.equal(r.ok, true, JSON.stringify(r.targets));
    assert.equal(r.targets[0]?.directIo, false);
    assert.match(r.targets[0]?.notes.join(' ') ?? '', /does not support direct I\/O/);
    const expected = join(t.path, 'expected.img');
    writeFileSync(expected, s.image());
    assert.equal((await run('cmp', [expected, out])).code, 0);
  } finally {
    await run('umount', [mnt]);
    t.cleanup();
  }
});
