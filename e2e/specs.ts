/**
 * The end-to-end specs, written once and run by two launchers (wizard.e2e.ts: the built renderer in
 * Chromium with the real handlers, engine and privileged helper; electron.e2e.ts: the real app through
 * Playwright's _electron). Loop devices are the sticks. Every step is screenshotted under
 * test-results/<launcher>-<test>/ and checked with axe.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, openSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { viewportAt } from './host.js';
import { loopDevice, rawImage, throttleWrites, until, win7Iso } from './util.js';
import { cmpDeviceWithFile, driveBox, heading, isRoot, pickImage, step, teardown, waitHeading, world, type Launcher } from './spec-kit.js';
import { defineSetupSpecs } from './setup-specs.js';

export type { Launcher };


export function defineSpecs(launch: Launcher, opts: { id: 'chromium' | 'electron'; skipAll?: string | false; canDrop: boolean }): void {
  const prefix = `${opts.id}: `;
  const dir = `${opts.id}-`;
  const skipAll = opts.skipAll ?? false;
  test(prefix + 'happy path: a Windows 7 ISO written to a loop device ends verified', { skip: skipAll || (!isRoot && 'needs root (loop devices)') }, async () => {
    const w = world();
    try {
      const iso = win7Iso();
      const stick = loopDevice(w.dir, 96);
      w.loops.push(stick);
      w.host = await launch({ name: dir + 'happy-path-win7', devices: [stick.device] });
      const host = w.host;
      await step(host, 'start');
      await pickImage(host, iso);
      await host.page.getByRole('heading', { level: 2, name: 'GRMCPRXFRER_EN_DVD' }).waitFor();
      await host.page.getByText('Windows 7 PROFESSIONAL').waitFor();
      await host.page.getByText('Build 6.1.7601.17514, Service Pack 1').waitFor();
      await host.page.getByText(/USB 3 drivers/).waitFor();
      await step(host, 'image');
      await host.page.getByRole('button', { name: 'Verify checksum' }).click();
      await host.page.getByText(/as listed publicly|not in the catalog/).waitFor({ timeout: 30_000 });
      await step(host, 'image-checksum');
      await host.page.getByRole('button', { name: 'Next' }).click();
      await waitHeading(host, 'Choose the USB drive');
      await driveBox(host, stick.device).waitFor();
      await step(host, 'drives');
      await driveBox(host, stick.device).check();
      await host.page.getByRole('button', { name: 'Next' }).click();
      await waitHeading(host, 'Erase and write?');
      await host.page.getByText(stick.device, { exact: false }).first().waitFor();
      await step(host, 'confirm');
      await host.page.getByRole('button', { name: /Erase drive and write/ }).click();
      await waitHeading(host, /Your sticks? (is|are) ready|did not finish|cancelled/, 120_000);
      await step(host, 'done');
      assert.equal(await heading(host).textContent(), 'Your stick is ready');
      await host.page.getByText(/Written and verified/).waitFor();
      // Outside oracle: the stick has an MBR with one FAT32 (LBA) partition at 1 MiB.
      const pt = JSON.parse(execFileSync('sfdisk', ['--json', stick.device], { encoding: 'utf8' })) as { partitiontable: { partitions: Array<{ start: number; type: string }> } };
      assert.equal(pt.partitiontable.partitions[0]?.start, 2048);
      assert.equal(pt.partitiontable.partitions[0]?.type, 'c');
    } finally {
      await teardown(w);
    }
  });

  test(prefix + 'happy path (raw image, two sticks at once): written byte for byte and verified; the bytes on both devices match', { skip: skipAll || (!isRoot && 'needs root (loop devices)') }, async () => {
    const w = world();
    try {
      const img = rawImage(w.dir, 24);
      const a = loopDevice(w.dir, 64, 'a.img');
      const b = loopDevice(w.dir, 48, 'b.img');
      w.loops.push(a, b);
      w.host = await launch({ name: dir + 'happy-path-raw', devices: [a.device, b.device] });
      const host = w.host;
      await pickImage(host, img);
      await host.page.getByText('Raw disk image', { exact: true }).waitFor();
      await step(host, 'image');
      await host.page.getByRole('button', { name: 'Next' }).click();
      await driveBox(host, a.device).check();
      await driveBox(host, b.device).check();
      await step(host, 'drives-selected');
      await host.page.getByRole('button', { name: 'Next' }).click();
      const erase = host.page.getByRole('listitem').filter({ hasText: /\/dev\/loop/ });
      assert.equal(await erase.count(), 2, 'the confirmation names both drives');
      await step(host, 'confirm');
      await host.page.getByRole('button', { name: /Erase 2 drives and write/ }).click();
      await waitHeading(host, /Your sticks? (is|are) ready|did not finish|cancelled/, 120_000);
      await step(host, 'done');
      assert.equal(await heading(host).textContent(), 'Your sticks are ready');
      assert.equal(await host.page.getByText(/Written and verified/).count(), 2);
      assert.ok(cmpDeviceWithFile(a.device, img, 24 * 1024 * 1024), `${a.device} bytes equal the image (cmp)`);
      assert.ok(cmpDeviceWithFile(b.device, img, 24 * 1024 * 1024), `${b.device} bytes equal the image (cmp)`);
    } finally {
      await teardown(w);
    }
  });

  test(prefix + 'opened with an image ("Open with", a file argument): the wizard starts on it; another one opened while running replaces it', { skip: skipAll }, async () => {
    const w = world();
    try {
      const iso = win7Iso();
      const img = rawImage(w.dir, 8);
      w.host = await launch({ name: dir + 'open-with', devices: [], launchImage: iso });
      const host = w.host;
      await host.page.getByRole('heading', { level: 2, name: 'GRMCPRXFRER_EN_DVD' }).waitFor();
      await host.page.getByText('Windows 7 PROFESSIONAL').waitFor();
      await step(host, 'launched-with-iso');
      await host.openWith(img);
      await host.page.getByText('Raw disk image', { exact: true }).waitFor();
      await step(host, 'opened-raw-image');
    } finally {
      await teardown(w);
    }
  });

  test(prefix + 'a corrupt ISO gives a readable error and no way forward', { skip: skipAll || (!isRoot && 'needs root (loop devices)') }, async () => {
    const w = world();
    try {
      const iso = win7Iso();
      const bad = join(w.dir, 'corrupt.iso');
      copyFileSync(iso, bad);
      // Wipe the volume descriptors and the UDF anchor: nothing left to recognise.
      const fd = openSync(bad, 'r+');
      for (const at of [16 * 2048, 256 * 2048]) writeSync(fd, Buffer.alloc(2048 * 8), 0, 2048 * 8, at);
      closeSync(fd);
      w.host = await launch({ name: dir + 'corrupt-iso', devices: [] });
      const host = w.host;
      await pickImage(host, bad);
      const alert = host.page.getByRole('alert');
      await alert.waitFor();
      const text = (await alert.textContent()) ?? '';
      assert.match(text, /This image cannot be used/);
      assert.match(text, /corrupt\.iso/);
      assert.doesNotMatch(text, /undefined|\[object|at .*\.js:\d+/, 'a sentence, not a stack trace');
      assert.equal(await host.page.getByRole('button', { name: 'Next' }).isDisabled(), true);
      await step(host, 'error');
    } finally {
      await teardown(w);
    }
  });

  test(prefix + 'the system disk is never offered, not even with "show all drives"', { skip: skipAll }, async () => {
    const w = world();
    try {
      const img = rawImage(w.dir, 2);
      w.host = await launch({ name: dir + 'system-disk', devices: [] });
      const host = w.host;
      await pickImage(host, img);
      await host.page.getByText('Raw disk image', { exact: true }).waitFor();
      await host.page.getByRole('button', { name: 'Next' }).click();
      await waitHeading(host, 'Choose the USB drive');
      const sys = JSON.parse(execFileSync('findmnt', ['-n', '-o', 'SOURCE', '-J', '/'], { encoding: 'utf8' })) as { filesystems: Array<{ source: string }> };
      const rootDev = sys.filesystems[0]?.source ?? '';
      await step(host, 'drives-default');
      const defaultText = (await host.page.locator('main').textContent()) ?? '';
      await host.page.getByRole('checkbox', { name: 'Show all drives' }).check();
      await host.page.locator('.drive').first().waitFor();
      await step(host, 'drives-all');
      const boxes = host.page.locator('.drive input[type=checkbox]');
      const n = await boxes.count();
      assert.ok(n > 0, 'show all lists the machine\'s drives');
      let sawSystem = false;
      for (let i = 0; i < n; i++) {
        const row = host.page.locator('.drive').nth(i);
        const t = (await row.textContent()) ?? '';
        if (/System drive/.test(t)) {
          sawSystem = true;
          assert.equal(await boxes.nth(i).isDisabled(), true, `system drive row must be disabled: ${t}`);
        }
      }
      assert.ok(sawSystem, `the system drive (root on ${rootDev}) is listed as such under "show all"`);
      // And the default list never mentions it.
      assert.doesNotMatch(defaultText, /System drive/);
    } finally {
      await teardown(w);
    }
  });

  test(prefix + 'a drive unplugged mid-selection drops out of the selection', { skip: skipAll || (!isRoot && 'needs root (loop devices)') }, async () => {
    const w = world();
    try {
      const img = rawImage(w.dir, 2);
      const a = loopDevice(w.dir, 16, 'a.img');
      const b = loopDevice(w.dir, 16, 'b.img');
      w.loops.push(a, b);
      w.host = await launch({ name: dir + 'unplugged', devices: [a.device, b.device] });
      const host = w.host;
      await pickImage(host, img);
      await host.page.getByText('Raw disk image', { exact: true }).waitFor();
      await host.page.getByRole('button', { name: 'Next' }).click();
      await driveBox(host, a.device).check();
      await driveBox(host, b.device).check();
      await step(host, 'both-selected');
      a.detach();
      await host.page.getByText(new RegExp(`${a.device} was removed`)).waitFor({ timeout: 15_000 });
      assert.equal(await driveBox(host, a.device).count(), 0);
      assert.equal(await driveBox(host, b.device).isChecked(), true);
      await step(host, 'one-unplugged');
      b.detach();
      await until(async () => (await host.page.getByRole('button', { name: 'Next' }).isDisabled()) || undefined, 15_000, 'Next disabled');
      await step(host, 'all-unplugged');
    } finally {
      await teardown(w);
    }
  });

  test(prefix + 'cancel mid-write: the job stops, the wizard says so, the stick has no boot sector', { skip: skipAll || (!isRoot && 'needs root (loop devices)') }, async () => {
    const w = world();
    try {
      const img = rawImage(w.dir, 64, 'big.img');
      const stick = loopDevice(w.dir, 80);
      w.loops.push(stick);
      // 8 MB/s: the write takes ~8 s, long enough to cancel in the middle.
      const unthrottle = throttleWrites(stick.device, 8 * 1024 * 1024);
      assert.ok(unthrottle, 'cgroup blkio throttling is needed to slow the write down');
      w.cleanups.push(unthrottle);
      w.host = await launch({ name: dir + 'cancel', devices: [stick.device] });
      const host = w.host;
      await pickImage(host, img);
      await host.page.getByText('Raw disk image', { exact: true }).waitFor();
      await host.page.getByRole('button', { name: 'Next' }).click();
      await driveBox(host, stick.device).check();
      await host.page.getByRole('button', { name: 'Next' }).click();
      await host.page.getByRole('button', { name: /Erase drive and write/ }).click();
      await waitHeading(host, 'Writing');
      await host.page.getByText(/^Writing$/).first().waitFor({ timeout: 20_000 });
      await until(async () => {
        const v = Number(await host.page.getByRole('progressbar').first().getAttribute('aria-valuenow'));
        return v >= 5 || undefined;
      }, 20_000, 'some progress');
      await step(host, 'writing');
      await host.page.getByRole('button', { name: 'Cancel' }).click();
      await waitHeading(host, /cancelled|did not finish|ready/, 60_000);
      await step(host, 'cancelled');
      assert.equal(await heading(host).textContent(), 'Writing cancelled');
      const s0 = Buffer.alloc(512);
      const fd = openSync(stick.device, 'r');
      readSync(fd, s0, 0, 512, 0);
      closeSync(fd);
      assert.ok(s0.equals(Buffer.alloc(512)), 'a cancelled stick keeps a zeroed first sector (never looks bootable)');
      assert.equal(cmpDeviceWithFile(stick.device, img, 64 * 1024 * 1024), false, 'the write really was interrupted');
    } finally {
      await teardown(w);
    }
  });

  test(prefix + 'verify a stick: a file changed after writing is found', { skip: skipAll || (!isRoot && 'needs root (loop devices)') }, async () => {
    const w = world();
    try {
      const iso = win7Iso();
      const stick = loopDevice(w.dir, 96);
      w.loops.push(stick);
      // Write it with the CLI (the GUI's write path is covered above), then change a file with mtools.
      execFileSync('node', [join(__dirname, '..', 'electron', 'cli', 'index.js'), 'write', iso, '--target', stick.device, '--yes', '--json'], { stdio: 'ignore', timeout: 120_000 });
      const patched = join(w.dir, 'setup.exe');
      writeFileSync(patched, 'changed after writing');
      execFileSync('mcopy', ['-o', '-i', `${stick.device}@@1M`, patched, '::/setup.exe']);
      w.host = await launch({ name: dir + 'verify-stick', devices: [stick.device] });
      const host = w.host;
      await host.page.getByRole('button', { name: /Verify a stick/ }).click();
      await waitHeading(host, 'Verify a stick');
      await host.page.getByRole('radio', { name: new RegExp(stick.device) }).check();
      await host.choose(iso);
      await host.page.getByRole('button', { name: /Choose the ISO/ }).click();
      await host.page.getByText('GRMCPRXFRER_EN_DVD', { exact: false }).waitFor();
      await step(host, 'verify-ready');
      await host.page.getByRole('button', { name: 'Verify', exact: true }).click();
      await host.page.getByRole('heading', { level: 2, name: /problem/ }).waitFor({ timeout: 60_000 });
      await host.page.getByText(/setup\.exe/i).first().waitFor();
      await step(host, 'verify-report');
    } finally {
      await teardown(w);
    }
  });

  test(prefix + 'keyboard only: the whole write flow with Tab, Space and Enter', { skip: skipAll || (!isRoot && 'needs root (loop devices)') }, async () => {
    const w = world();
    try {
      const img = rawImage(w.dir, 4);
      const stick = loopDevice(w.dir, 16);
      w.loops.push(stick);
      w.host = await launch({ name: dir + 'keyboard', devices: [stick.device] });
      const host = w.host;
      const kb = host.page.keyboard;
      const focused = async (): Promise<string> => host.page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el ? `${el.tagName}:${el.getAttribute('type') ?? ''}:${el.textContent ?? ''}:${el.id}` : '';
      });
      /** Tabs until the focused element matches, max 30 presses. */
      const tabTo = async (re: RegExp): Promise<void> => {
        for (let i = 0; i < 30; i++) {
          await kb.press('Tab');
          if (re.test(await focused())) return;
        }
        throw new Error(`keyboard: never reached ${re}`);
      };
      await tabTo(/Make a bootable stick/);
      await kb.press('Enter');
      await waitHeading(host, 'Choose the Windows 7 image');
      assert.match(await focused(), /^H1:/, 'focus moves to the new step heading');
      await host.choose(img);
      await tabTo(/Choose an ISO file/);
      await kb.press('Enter');
      await host.page.getByText('Raw disk image', { exact: true }).waitFor();
      await tabTo(/^BUTTON:button:Next/);
      await kb.press('Enter');
      await waitHeading(host, 'Choose the USB drive');
      await driveBox(host, stick.device).waitFor();
      await tabTo(/^INPUT:checkbox::drive-/);
      await kb.press('Space');
      assert.equal(await driveBox(host, stick.device).isChecked(), true);
      await step(host, 'drives-keyboard');
      await tabTo(/^BUTTON:button:Next/);
      await kb.press('Enter');
      await waitHeading(host, 'Erase and write?');
      await tabTo(/Erase drive and write/);
      await step(host, 'confirm-keyboard');
      await kb.press('Enter');
      await waitHeading(host, /Your stick is ready|did not finish/, 60_000);
      assert.equal(await heading(host).textContent(), 'Your stick is ready');
      await tabTo(/Start over/);
      await kb.press('Enter');
      await waitHeading(host, 'Make a Windows 7 USB stick');
      await step(host, 'back-to-start');
    } finally {
      await teardown(w);
    }
  });

  test(prefix + 'dropping an ISO on the window picks it; dark theme and 200 % zoom stay readable', { skip: skipAll || (!opts.canDrop && 'this launcher cannot fake a dropped file path') }, async () => {
    const w = world();
    try {
      const iso = win7Iso();
      w.host = await launch({ name: dir + 'drop-dark-zoom', devices: [], colorScheme: 'dark' });
      const host = w.host;
      await step(host, 'start-dark');
      await host.drop('win7.iso', iso);
      await waitHeading(host, 'Choose the Windows 7 image');
      await host.page.getByRole('heading', { level: 2, name: 'GRMCPRXFRER_EN_DVD' }).waitFor();
      await step(host, 'image-dark');
      // 200 % zoom: half the CSS viewport; nothing may overflow sideways.
      await host.page.setViewportSize(viewportAt(2));
      const overflow = await host.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `horizontal overflow at 200 %: ${overflow}px`);
      await step(host, 'image-dark-200');
    } finally {
      await teardown(w);
    }
  });

  defineSetupSpecs(launch, opts);
}
