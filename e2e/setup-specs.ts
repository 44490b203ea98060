/** The e2e specs of the "Set up Windows" step (answer file, edition, presets), run by defineSpecs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STUB_FILES, viewportAt } from './host.js';
import { loopDevice, until, win7Iso } from './util.js';
import { driveBox, isRoot, pickImage, step, teardown, waitHeading, world, type Launcher } from './spec-kit.js';

export function defineSetupSpecs(launch: Launcher, opts: { id: 'chromium' | 'electron'; skipAll?: string | false; canDrop: boolean }): void {
  const prefix = `${opts.id}: `;
  const dir = `${opts.id}-`;
  const skipAll = opts.skipAll ?? false;
  const chromiumOnly = opts.id !== 'chromium' && 'needs the test host (dialog stubs, recorded write requests)';

  test(prefix + 'Set up Windows: edition, language, time zone, computer name and account set; the preset has no password; the write carries the answer file', { skip: skipAll || chromiumOnly || (!isRoot && 'needs root (loop devices)') }, async () => {
    const w = world();
    try {
      const iso = win7Iso();
      const stick = loopDevice(w.dir, 96);
      w.loops.push(stick);
      w.host = await launch({ name: dir + 'setup-windows', devices: [stick.device] });
      const host = w.host;
      const p = host.page;
      await pickImage(host, iso);
      await p.getByRole('heading', { level: 2, name: 'GRMCPRXFRER_EN_DVD' }).waitFor();
      await p.getByRole('checkbox', { name: /Set up Windows/ }).check();
      await step(host, 'image-setup-on');
      await p.getByRole('button', { name: 'Next' }).click();
      await waitHeading(host, 'Set up Windows');
      await step(host, 'setup');
      await p.getByLabel('Edition to install').selectOption({ index: 1 });
      const edition = Number(await p.getByLabel('Edition to install').inputValue());
      await p.getByLabel('Time zone').selectOption('W. Europe Standard Time');
      await p.getByLabel('Formats (dates, numbers, currency)').selectOption('de-DE');
      await p.getByLabel('Computer name').fill('LAB-PC-01');
      await p.getByLabel('Administrator account name').fill('labadmin');
      await p.getByLabel('Account password').fill('S3cret!pw');
      await p.getByRole('checkbox', { name: 'Accept the Windows licence terms' }).check();
      await step(host, 'setup-filled');
      await p.getByRole('button', { name: 'Save preset…' }).click();
      const presetFile = join(host.files ?? '', STUB_FILES.preset);
      await until(() => existsSync(presetFile), 10_000, 'the saved preset');
      const preset = readFileSync(presetFile, 'utf8');
      assert.match(preset, /"name": "labadmin"/);
      assert.match(preset, /"from": "prompt"/, 'no password in the preset without the box ticked');
      assert.doesNotMatch(preset, /S3cret|wsimEncoded/);
      await p.getByRole('button', { name: 'Next' }).click();
      await waitHeading(host, 'Choose the USB drive');
      await driveBox(host, stick.device).check();
      await p.getByRole('button', { name: 'Next' }).click();
      await waitHeading(host, 'Erase and write?');
      const card = p.getByRole('region', { name: 'Windows setup' });
      await card.getByText(`Edition: ${edition}.`).waitFor();
      await card.getByText('Time zone: W. Europe Standard Time').waitFor();
      await card.getByText('Computer: LAB-PC-01').waitFor();
      await card.getByText('Account: labadmin (administrator)').waitFor();
      await step(host, 'confirm-setup');
      await p.getByRole('button', { name: /Erase drive and write/ }).click();
      await waitHeading(host, /Your sticks? (is|are) ready|did not finish|cancelled/, 120_000);
      await step(host, 'done-setup');
      // What main received: the write with "Set up Windows" on (the stick's autounattend.xml is the engine's part).
      const req = host.writes?.[0];
      assert.ok(req?.windows, 'the write request carries `windows`');
      assert.equal(req.windows.edition, edition);
      assert.equal(req.windows.onlyEdition, false);
      assert.match(req.windows.unattendXml ?? '', /<ComputerName>LAB-PC-01<\/ComputerName>/);
      assert.match(req.windows.unattendXml ?? '', /<Key>\/IMAGE\/INDEX<\/Key>/);
      assert.doesNotMatch(req.windows.unattendXml ?? '', /S3cret/, 'the password is only in its WSIM encoding');
    } finally {
      await teardown(w);
    }
  });

  test(prefix + 'Set up Windows, dark and keyboard only: the step is reached and filled with Tab, Space, arrows and typing; a wrong-architecture answer file is refused; 200 % zoom reflows', { skip: skipAll || chromiumOnly }, async () => {
    const w = world();
    try {
      const iso = win7Iso();
      w.host = await launch({ name: dir + 'setup-windows-keyboard-dark', devices: [], colorScheme: 'dark', launchImage: iso });
      const host = w.host;
      const p = host.page;
      const kb = p.keyboard;
      await p.getByRole('heading', { level: 2, name: 'GRMCPRXFRER_EN_DVD' }).waitFor();
      const focusedId = async (): Promise<string> => p.evaluate(() => (document.activeElement as HTMLElement | null)?.id || (document.activeElement?.textContent ?? ''));
      const tabTo = async (re: RegExp): Promise<void> => {
        for (let i = 0; i < 60; i++) {
          await kb.press('Tab');
          if (re.test(await focusedId())) return;
        }
        throw new Error(`keyboard: never reached ${re}`);
      };
      await tabTo(/^setup-enabled$/);
      await kb.press('Space');
      await tabTo(/^Next$/);
      await kb.press('Enter');
      await waitHeading(host, 'Set up Windows');
      await tabTo(/^setup-edition$/);
      await kb.press('ArrowDown');
      await tabTo(/^setup-only-edition$/);
      await kb.press('Space');
      await tabTo(/^setup-computer$/);
      await kb.type('KIOSK-7');
      await tabTo(/^setup-disk-ask$/);
      await kb.press('ArrowDown');
      assert.equal(await p.getByRole('radio', { name: /Wipe disk 0/ }).isChecked(), true);
      await p.getByText("Setup will erase the PC's first disk without asking").waitFor();
      assert.equal(await p.getByRole('button', { name: 'Next' }).isDisabled(), true, 'wiping disk 0 needs the second confirmation');
      await tabTo(/^setup-wipe-confirm$/);
      await kb.press('Space');
      assert.equal(await p.getByRole('button', { name: 'Next' }).isDisabled(), false);
      await step(host, 'setup-keyboard-dark');
      await p.setViewportSize(viewportAt(2));
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `horizontal overflow at 200 %: ${overflow}px`);
      await step(host, 'setup-dark-200');
      await p.setViewportSize(viewportAt(1));
      // An imported answer file for the other architecture: refused, with the reason.
      writeFileSync(
        join(host.files ?? '', STUB_FILES.answers),
        '<?xml version="1.0" encoding="utf-8"?>\n<unattend xmlns="urn:schemas-microsoft-com:unattend"><settings pass="oobeSystem"><component name="Microsoft-Windows-Shell-Setup" processorArchitecture="x86" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS"/></settings></unattend>\n',
      );
      await p.getByRole('radio', { name: /autounattend\.xml I already have/ }).check();
      await p.getByRole('button', { name: 'Import autounattend.xml…' }).click();
      const alert = p.getByRole('alert');
      await alert.waitFor();
      assert.match((await alert.textContent()) ?? '', /x86.*amd64|amd64.*x86/);
      await step(host, 'setup-import-refused-dark');
    } finally {
      await teardown(w);
    }
  });
}
