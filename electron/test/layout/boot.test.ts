/**
 * Sticks that boot: a Win7-like ISO whose bootmgr is the `boot` helper's BIOS probe and whose
 * install.wim image 1 holds its EFI probe as Windows/Boot/EFI/bootmgfw.efi, laid out by
 * createWindowsStick, booted in QEMU: SeaBIOS (IDE and USB), OVMF (USB, via efi/boot/bootx64.efi),
 * and the same stick as a fixed VHD (`-drive format=vpc`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createWindowsStick } from '../../engine/index.js';
import { fixture, runOk, tempDir } from '../helpers/tools.js';
import { assertStickBoots, assertStickProbeOk, bootmgrProbe, efiProbe } from '../boot/setup.js';
import { assertFsckClean, writeStreamToFile } from './util.js';

const MiB = 1024 * 1024;

async function probeIso(): Promise<{ iso: string; bootmgrSize: number }> {
  const bootmgr = await bootmgrProbe();
  const efi = await efiProbe();
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--bootmgr', bootmgr, '--bootmgfw', efi], 'layout-win7-probes');
  return { iso, bootmgrSize: statSync(bootmgr).size };
}


test('a stick made from a Win7-like ISO boots under SeaBIOS (IDE and USB) and OVMF (USB)', async () => {
  const { iso, bootmgrSize } = await probeIso();
  const t = tempDir();
  try {
    const stick = await createWindowsStick(iso, { targetSize: 128 * MiB });
    assert.equal(stick.uefiBoot, 'install.wim');
    const img = join(t.path, 'stick.img');
    await writeStreamToFile(stick.stream, img);
    await stick.close();
    await assertFsckClean(img, t.path);

    await assertStickBoots(img, bootmgrSize);
  } finally {
    t.cleanup();
  }
});

/** SeaBIOS boot of a VHD through QEMU's vpc driver (the harness attaches raw disks only). */
function bootVhd(vhd: string, timeoutMs = 60_000): Promise<{ serial: string; status: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'qemu-system-x86_64',
      ['-accel', 'tcg', '-nographic', '-serial', 'stdio', '-monitor', 'none', '-m', '256', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
        '-drive', `file=${vhd},format=vpc,if=ide,snapshot=on`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let serial = '';
    child.stdout.on('data', (d: Buffer) => (serial += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (serial += d.toString('latin1')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ serial, status });
    });
  });
}

test('the same stick as a fixed VHD: qemu-img sees vpc of the planned size, and QEMU boots it (format=vpc)', async () => {
  const { iso, bootmgrSize } = await probeIso();
  const t = tempDir();
  try {
    const stick = await createWindowsStick(iso, { targetSize: 128 * MiB, vhd: true });
    const vhd = join(t.path, 'stick.vhd');
    await writeStreamToFile(stick.stream, vhd);
    await stick.close();
    assert.equal(statSync(vhd).size, stick.plan.diskSize + 512);
    const info = JSON.parse((await runOk('qemu-img', ['info', '--output=json', '-f', 'vpc', vhd])).stdout) as { format: string; 'virtual-size': number };
    assert.equal(info.format, 'vpc');
    assert.equal(info['virtual-size'], stick.plan.diskSize);
    // A fixed VHD has its footer only at the end, so qemu-img's format probe (which looks at the
    // first bytes) says raw; with -f vpc it reads the footer (size, geometry, checksum).
    const r = await bootVhd(vhd);
    assertStickProbeOk(r.serial, bootmgrSize, `\n${r.serial.slice(-1500)}`);
    assert.equal(r.status, 0x10 * 2 + 1);
  } finally {
    t.cleanup();
  }
});
