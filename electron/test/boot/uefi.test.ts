/**
 * UEFI side of a stick: OVMF (TCG) boots efi/boot/bootx64.efi from a FAT32 partition on a USB
 * stick. The payload is our gnu-efi probe, which prints "EFI PROBE OK" through ConOut (OVMF
 * mirrors ConOut to COM1) and powers off. This proves the probe and the harness for the helpers
 * that put bootmgfw.efi there from install.wim.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootUefi } from '../helpers/qemu.js';
import { tempDir } from '../helpers/tools.js';
import { baseDisk, copyDisk, efiProbe, fsckClean, fsckPartition, installBootCode, peInfo } from './setup.js';

test('OVMF boots efi/boot/bootx64.efi (the EFI probe) from a FAT32 USB stick with our BIOS code in place', async () => {
  const efi = await efiProbe();
  const pe = peInfo(efi);
  assert.equal(pe.machine, 0x8664, 'x86-64 PE');
  assert.equal(pe.subsystem, 10, 'EFI application');
  const base = await baseDisk('efi', 8, efi);
  const t = tempDir('sevenstick-uefi-');
  try {
    const img = await copyDisk(base, t.path);
    await installBootCode(img); // a real stick carries both; UEFI must not care
    const f = await fsckPartition(img);
    assert.ok(fsckClean(f), f.output);
    const r = await bootUefi(img, { timeoutMs: 90_000 });
    assert.match(r.serial, /EFI PROBE OK/, `serial:\n${r.serial.slice(-2000)}\n${r.command}`);
    assert.equal(r.timedOut, false);
    assert.equal(r.exitStatus, 0, 'the probe powers the machine off');
  } finally {
    t.cleanup();
  }
});
