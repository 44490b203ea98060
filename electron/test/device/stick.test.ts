/**
 * A Win7-like ISO written to a loop device in auto mode, judged by sfdisk, fsck.fat -n and mtools; then
 * re-verified by `sevenstick verify` before and after mtools edits behind its back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, run, runOk } from '../helpers/tools.js';
import { assertStickLayout, CLI, isRoot, MiB, withLoops } from './helpers.js';

const root = { skip: !isRoot && 'needs root (loop devices)' };
const cli = (args: string[]) => run('node', [CLI, ...args], { timeoutMs: 120_000 });
const lastJson = (s: string): Record<string, unknown> => JSON.parse(s.trim().split('\n').pop() as string) as Record<string, unknown>;

interface StickResult {
  ok: boolean;
  failures: { path: string; problem: string; offset?: number }[];
  extras: { path: string; known: boolean }[];
  files: number;
  directIo: boolean;
}

test('Win7 ISO → loop device (auto mode): oracles accept it; re-verify passes, then finds exactly a changed and a deleted file', root, async () => {
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64']);
  await withLoops([{ sizeMiB: 96, directIo: true }], async ([l]) => {
    const dev = l?.dev as string;
    const w = await cli(['write', iso, '--target', dev, '--yes', '--json']);
    assert.equal(w.code, 0, w.stdout + w.stderr);
    const res = lastJson(w.stdout) as { mode: string; ok: boolean };
    assert.equal(res.mode, 'windows');

    // Oracles: partition table, filesystem check (read-only loop at the partition), the UEFI file.
    await assertStickLayout(dev, l?.file as string);
    const md = await runOk('mdir', ['-/', '-b', '-i', `${dev}@@1M`, '::/efi/boot']);
    assert.match(md.stdout, /bootx64\.efi/i);

    const v1 = await cli(['verify', dev, '--image', iso, '--json']);
    assert.equal(v1.code, 0, v1.stdout + v1.stderr);
    const r1 = lastJson(v1.stdout) as unknown as StickResult;
    assert.equal(r1.ok, true);
    assert.equal(r1.directIo, true);
    assert.deepEqual(r1.extras, []);
    assert.ok(r1.files >= 10);

    // Behind its back, with mtools: change setup.exe (same size, other bytes), delete sources/ei.cfg,
    // add what Windows adds by itself.
    const tmp = `${l?.file}.x`;
    const setup = (await runOk('mdir', ['-b', '-i', `${dev}@@1M`, '::/setup.exe'])).stdout;
    assert.match(setup, /setup\.exe/i);
    await runOk('mcopy', ['-n', '-i', `${dev}@@1M`, '::/setup.exe', tmp]);
    const b = readFileSync(tmp);
    b[1000] = (b[1000] as number) ^ 0xff;
    writeFileSync(tmp, b);
    await runOk('mcopy', ['-o', '-i', `${dev}@@1M`, tmp, '::/setup.exe']);
    await runOk('mdel', ['-i', `${dev}@@1M`, '::/sources/ei.cfg']);
    await runOk('mmd', ['-i', `${dev}@@1M`, '::/System Volume Information']);
    writeFileSync(join(`${l?.file}.guid`), '{01234567-89AB-CDEF-0123-456789ABCDEF}\n');
    await runOk('mcopy', ['-i', `${dev}@@1M`, `${l?.file}.guid`, '::/System Volume Information/IndexerVolumeGuid']);

    const v2 = await cli(['verify', dev, '--image', iso, '--json']);
    assert.equal(v2.code, 1, v2.stdout + v2.stderr);
    const r2 = lastJson(v2.stdout) as unknown as StickResult;
    assert.equal(r2.ok, false);
    assert.deepEqual(r2.failures.map((f) => [f.path, f.problem]).sort(), [['setup.exe', 'different'], ['sources/ei.cfg', 'missing']]);
    assert.deepEqual(r2.extras, [{ path: 'System Volume Information', known: true }]);
    const human = await cli(['verify', dev, '--image', iso]);
    assert.equal(human.code, 1);
    assert.match(human.stdout, /setup\.exe differs from the image at byte 1000/);

    // Boot code changed behind its back (MBR code byte 17, boot sector code byte 200, stage 2 byte 40).
    const fsm = await import('node:fs');
    const fd = fsm.openSync(l?.file as string, 'r+');
    for (const at of [17, MiB + 200, MiB + 12 * 512 + 40]) {
      const one = Buffer.alloc(1);
      fsm.readSync(fd, one, 0, 1, at);
      one[0] = (one[0] as number) ^ 0x81;
      fsm.writeSync(fd, one, 0, 1, at);
    }
    fsm.closeSync(fd);
    const v3 = await cli(['verify', dev, '--image', iso, '--json']);
    assert.equal(v3.code, 1);
    const r3 = lastJson(v3.stdout) as unknown as StickResult;
    assert.deepEqual(
      r3.failures.filter((f) => f.problem === 'boot-code').map((f) => [f.path, f.offset]),
      [['MBR', 17], ['boot sector', MiB + 200], ['boot code (stage 2)', MiB + 12 * 512 + 40]],
    );
  });
});

test('raw image: verify compares bytes; a flipped byte is found; a .vhd target gets a footer qemu-img reads', root, async () => {
  const img = await fixture('dev-raw-image.py', ['40', '2']);
  await withLoops([{ sizeMiB: 48, directIo: true }], async ([l]) => {
    const dev = l?.dev as string;
    assert.equal((await cli(['write', img, '--target', dev, '--yes', '--mode', 'raw'])).code, 0);
    const ok = await cli(['verify', dev, '--image', img, '--json']);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.equal((lastJson(ok.stdout) as { kind: string }).kind, 'raw');
    // Flip a byte in the backing file (the loop device reads it directly).
    const fd = await import('node:fs').then((m) => m.openSync(l?.file as string, 'r+'));
    const fsm = await import('node:fs');
    const one = Buffer.alloc(1);
    fsm.readSync(fd, one, 0, 1, 1 * MiB + 7);
    one[0] = (one[0] as number) ^ 1;
    fsm.writeSync(fd, one, 0, 1, 1 * MiB + 7);
    fsm.closeSync(fd);
    const bad = await cli(['verify', dev, '--image', img, '--json']);
    assert.equal(bad.code, 1);
    const r = lastJson(bad.stdout) as { failures: { offset: number }[] };
    assert.deepEqual(r.failures.map((f) => f.offset), [1 * MiB + 7]);
  });
});

test('Windows ISO → new .vhd file: qemu-img sees a fixed VHD of the asked size', async () => {
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64']);
  const { tempDir } = await import('../helpers/tools.js');
  const t = tempDir();
  try {
    const vhd = join(t.path, 'stick.vhd');
    const w = await cli(['write', iso, '--target', vhd, '--yes', '--size', '64M', '--json']);
    assert.equal(w.code, 0, w.stdout + w.stderr);
    const info = JSON.parse((await runOk('qemu-img', ['info', '--output=json', '-f', 'vpc', vhd])).stdout) as { format: string; 'virtual-size': number };
    assert.equal(info.format, 'vpc');
    assert.ok(info['virtual-size'] > 60 * MiB && info['virtual-size'] <= 64 * MiB, String(info['virtual-size']));
  } finally {
    t.cleanup();
  }
});

test('Windows stream read-back: bytes flipped behind the device are each found and named by the file they belong to', root, async () => {
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64']);
  const { createWindowsStick, verifyTargetAgainstStream } = await import('../../engine/index.js');
  await withLoops([{ sizeMiB: 96, directIo: true }], async ([l]) => {
    const dev = l?.dev as string;
    assert.equal((await cli(['write', iso, '--target', dev, '--yes'])).code, 0);
    const stick = await createWindowsStick(iso, { targetSize: 96 * MiB });
    try {
      // Find where two files and a FAT live, from the stream's own description.
      const plan = stick.plan;
      const setup = plan.files.find((f) => f.path === 'setup.exe');
      const wim = plan.files.find((f) => f.path === 'sources/install.wim');
      assert.ok(setup && wim);
      const at = (n: { firstCluster: number }, plus: number): number => plan.dataOffset + (n.firstCluster - 2) * plan.clusterSize + plus;
      const hits = [plan.fatOffset + 100, at(setup, 5000), at(wim, 70_000)];
      const fsm = await import('node:fs');
      const fd = fsm.openSync(l?.file as string, 'r+');
      for (const h of hits) {
        const one = Buffer.alloc(1);
        fsm.readSync(fd, one, 0, 1, h);
        one[0] = (one[0] as number) ^ 0x10;
        fsm.writeSync(fd, one, 0, 1, h);
      }
      fsm.closeSync(fd);
      const v = await verifyTargetAgainstStream(dev, stick.stream);
      assert.equal(v.ok, false);
      assert.deepEqual(
        v.differences.map((d) => [d.offset, d.length, d.what]),
        [
          [hits[0], 1, 'FAT #1'],
          [hits[1], 1, 'setup.exe'],
          [hits[2], 1, 'sources/install.wim'],
        ],
      );
    } finally {
      await stick.close();
    }
  });
});

test('Windows ISO onto a stick too small for FAT32 → exit 2 before anything is written', root, async () => {
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64']);
  await withLoops([{ sizeMiB: 24, fill: Buffer.alloc(MiB, 0x77) }], async ([l]) => {
    const before = readFileSync(l?.file as string);
    const r = await cli(['write', iso, '--target', l?.dev as string, '--yes', '--json']);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const e = lastJson(r.stdout) as { type: string; code: string };
    assert.equal(e.type, 'error');
    assert.match(e.code, /E_TARGET_TOO_SMALL|E_UNSUPPORTED/);
    assert.ok(readFileSync(l?.file as string).equals(before), 'nothing written');
  });
});
