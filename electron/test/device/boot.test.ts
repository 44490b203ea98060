/**
 * A stick written by `sevenstick write` to a real (loop) block device boots in QEMU: under SeaBIOS our
 * boot code loads the fake BOOTMGR probe (which checks its own bytes, DL and the BPB), and under OVMF
 * the firmware runs efi/boot/bootx64.efi — the EFI probe, taken from install.wim image 1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootBios, bootUefi } from '../helpers/qemu.js';
import { fixture, hasTool, run } from '../helpers/tools.js';
import { bootmgrProbe, efiProbe } from '../boot/setup.js';
import { CLI, isRoot, withLoops } from './helpers.js';

const canBoot = isRoot && hasTool('qemu-system-x86_64');
const PROBE_LINE = /PROBE (OK|FAIL[^\r\n]*?) size=(\d+) sum=([0-9a-f]{8}) dl=([0-9a-f]{2}) hidd=(\d+)/;

test('BIOS (SeaBIOS, USB stick): the written device boots our MBR → VBR → stage 2 → BOOTMGR', { skip: !canBoot && 'needs root and QEMU' }, async () => {
  const probe = await bootmgrProbe();
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--bootmgr', probe]);
  await withLoops([{ sizeMiB: 96, directIo: true }], async ([l]) => {
    const dev = l?.dev as string;
    const w = await run('node', [CLI, 'write', iso, '--target', dev, '--yes', '--json']);
    assert.equal(w.code, 0, w.stdout + w.stderr);
    const r = await bootBios(dev, { bus: 'usb', timeoutMs: 30_000, waitForSerial: /PROBE (OK|FAIL)[^\n]*\n/ });
    const m = PROBE_LINE.exec(r.serial);
    assert.ok(m, `no probe report\n${r.serial.slice(-1500)}\n${r.screen}\n${r.command}`);
    assert.equal(m[1], 'OK', m[0]);
    assert.equal(m[4], '80', 'DL = the BIOS drive');
    assert.equal(Number(m[5]), 2048, 'HiddSec = partition start');
  });
});

test('UEFI (OVMF, USB stick): the written device runs efi/boot/bootx64.efi from install.wim', { skip: !canBoot && 'needs root and QEMU' }, async () => {
  const efi = await efiProbe();
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--bootmgfw', efi]);
  await withLoops([{ sizeMiB: 96, directIo: true }], async ([l]) => {
    const dev = l?.dev as string;
    const w = await run('node', [CLI, 'write', iso, '--target', dev, '--yes', '--json']);
    assert.equal(w.code, 0, w.stdout + w.stderr);
    const r = await bootUefi(dev, { timeoutMs: 90_000, waitForSerial: /EFI PROBE OK/ });
    assert.match(r.serial, /EFI PROBE OK/, `serial:\n${r.serial.slice(-2000)}\n${r.command}`);
  });
});
