/**
 * A customized stick still boots: the three-edition Win7-like ISO with the suite's probes (bootmgr is
 * the BIOS probe, install.wim image 1's bootmgfw.efi the EFI probe), written with an answer file,
 * only edition 2 kept and ei.cfg dropped, booted under SeaBIOS (IDE, USB) and OVMF (USB).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createWindowsStick, defaultPreset, generateAnswerFile, inspectImage, loadUnattendData, verifyStick } from '../../engine/index.js';
import { fixture, tempDir } from '../helpers/tools.js';
import { assertStickBoots, bootmgrProbe, efiProbe } from '../boot/setup.js';
import { assertFsckClean, mdir, writeStreamToFile } from '../layout/util.js';

const MiB = 1024 * 1024;

test('a stick with an answer file and one edition kept boots under SeaBIOS (IDE, USB) and OVMF, and verifies', async () => {
  const bootmgr = await bootmgrProbe();
  const iso = await fixture('win7-iso-editions.sh', ['--bootmgr', bootmgr, '--bootmgfw', await efiProbe()], 'fleet-win7-editions-probes');
  const info = await inspectImage(iso);
  assert.ok(info.windows);
  const xml = generateAnswerFile({ ...defaultPreset('en-US', '00000409'), edition: { name: 'Windows 7 PROFESSIONAL' } }, info.windows, loadUnattendData()).xml;
  const t = tempDir();
  try {
    const stick = await createWindowsStick(iso, { targetSize: 128 * MiB, windows: { edition: 2, onlyEdition: true, showAllEditions: true, unattend: Buffer.from(xml) } });
    assert.equal(stick.uefiBoot, 'install.wim');
    const img = join(t.path, 'stick.img');
    await writeStreamToFile(stick.stream, img);
    await stick.close();
    await assertFsckClean(img, t.path);
    assert.match(await mdir(img, '::/'), /autounattend\.xml/i);
    const v = await verifyStick(img, iso);
    assert.equal(v.ok, true, JSON.stringify(v.failures));

    await assertStickBoots(img, statSync(bootmgr).size);
  } finally {
    t.cleanup();
  }
});
