/**
 * Every language fits (issue #15): the whole wizard walked in the pseudo-locale (accented, 40 % longer)
 * at 100 % and 200 % zoom, light and dark; in German and Simplified Chinese; and in Russian, dark at
 * 200 %. On every step the element boxes are measured (nothing cut off, nothing outside its box or the window, no sideways
 * scrolling), axe runs, `<html lang>` must be the language, and in the pseudo-locale no English word
 * may be left (a string that bypasses the catalogs). Then the language is changed in the app, kept
 * across a reload, and given back to the OS. Screenshots: test-results/i18n-<language>-<theme>-<zoom>/.
 *
 * The problems of a walk are collected step by step and reported together at the end, so one run shows
 * everything that does not fit, grouped by check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DriveView, ImageView } from '../electron/shared/contract.js';
import { isLocale, PSEUDO_LOCALE, type Locale } from '../electron/shared/i18n/locales.js';
import { pseudoMessage } from '../electron/shared/i18n/pseudo.js';
import { launch, REPO, STUB_FILES, type Host } from './host.js';
import { axeViolations, driveBox, fitProblems, heading, isRoot, pageTexts, pickImage, say, teardown, valuesSaying, waitHeading, world } from './spec-kit.js';
import { loopDevice, throttleWrites, until, win7Iso } from './util.js';

/** Names and technical words that stay as they are in every language. */
const ALLOWED_WORDS = new Set(['SevenStick', 'Windows', 'UEFI', 'BIOS', 'CSM', 'FAT32', 'NTFS', 'exFAT', 'MiB', 'GiB', 'KiB', 'TiB', 'ISO', 'USB', 'SHA', 'GPT', 'MBR', 'WSIM', 'OOBE', 'autounattend', 'sudo', 'sevenstick']);

/** Windows 7's own identifiers the setup lists show (language, keyboard and time zone names): data, not messages. */
function windowsIdentifiers(): string[] {
  const loc = JSON.parse(readFileSync(join(REPO, 'assets', 'unattend', 'locales.json'), 'utf8')) as { locales: Array<{ tag: string; name: string }>; keyboards: Array<{ name: string }> };
  const tz = JSON.parse(readFileSync(join(REPO, 'assets', 'unattend', 'timezones.json'), 'utf8')) as { zones: Array<{ id: string; label: string }> };
  return [...loc.locales.map((l) => `${l.name} (${l.tag})`), ...loc.locales.map((l) => l.name), ...loc.keyboards.map((k) => k.name), ...tz.zones.flatMap((z) => [z.label, z.id])];
}

/**
 * English words (4+ plain ASCII letters) left in a page's texts, each with the text it was found in.
 * `dynamic` are values that come from outside the catalogs (the image's label, editions and languages,
 * drive names, what the user typed): they are taken out first, as are paths, file names and codes.
 */
function englishLeaks(texts: readonly string[], dynamic: readonly string[]): string[] {
  const strip = [...new Set(dynamic.filter((d) => d.trim().length >= 3))].sort((a, b) => b.length - a.length);
  const found = new Map<string, string>();
  for (const text of texts) {
    let t = text;
    for (const d of strip) t = t.split(d).join(' ');
    t = t
      .replace(/(^|[\s("'“])\/[^\s)"'”,]*/g, ' ') // POSIX paths
      .replace(/\b[A-Za-z]:\\[^\s)]*/g, ' ') // Windows paths
      .replace(/[\w-]+\.[A-Za-z0-9]{2,4}\b/g, ' ') // file names
      .replace(/\b[EW]_[A-Z0-9_]+\b/g, ' '); // error and notice codes
    for (const w of t.match(/[\p{L}\p{M}\p{N}]+/gu) ?? []) {
      if (/^[A-Za-z]{4,}$/.test(w) && !ALLOWED_WORDS.has(w) && !found.has(w)) found.set(w, text);
    }
  }
  return [...found].map(([w, text]) => `"${w}" in "${text.length > 100 ? text.slice(0, 97) + '…' : text}"`);
}

interface Problem {
  step: string;
  check: 'fit' | 'axe' | 'lang' | 'english';
  detail: string;
}

/** The per-step checks of one walk; `problems` grows as the walk goes on. */
function checker(host: Host, locale: Locale, opts: { leaks: boolean; dynamic: () => string[] }) {
  const problems: Problem[] = [];
  return {
    problems,
    async step(name: string): Promise<void> {
      await host.shot(name);
      const p = host.page;
      for (const f of await fitProblems(p)) problems.push({ step: name, check: 'fit', detail: `${f.kind}: "${f.text}" in ${f.element}: ${f.detail}` });
      for (const v of await axeViolations(p)) problems.push({ step: name, check: 'axe', detail: v });
      const lang = await p.evaluate(() => document.documentElement.lang);
      if (lang !== locale) problems.push({ step: name, check: 'lang', detail: `<html lang="${lang}">, expected "${locale}"` });
      if (opts.leaks) {
        // The engine's own detail under a translated error headline may stay English (see the i18n rules).
        const texts = await pageTexts(p, 'code, script, style, template, .callout.error > p:not(.callout-title):not(.hint):not(.error-code)');
        for (const l of englishLeaks(texts, opts.dynamic())) problems.push({ step: name, check: 'english', detail: l });
      }
    },
    /** Fails with every problem of the walk, grouped by check. */
    report(): void {
      if (problems.length === 0) return;
      const by = new Map<string, Problem[]>();
      for (const p of problems) by.set(p.check, [...(by.get(p.check) ?? []), p]);
      const summary = [...by].map(([c, ps]) => `${c}: ${ps.length}`).join(', ');
      const lines = [...by].flatMap(([c, ps]) => [`== ${c}`, ...ps.map((p) => `  [${p.step}] ${p.detail}`)]);
      assert.fail(`${problems.length} problem(s) in ${locale} (${summary}):\n${lines.join('\n')}`);
    },
  };
}

/** The answer file an import step takes: well-formed, for `arch`. */
function answerFile(arch: 'x86' | 'amd64'): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<unattend xmlns="urn:schemas-microsoft-com:unattend"><settings pass="oobeSystem"><component name="Microsoft-Windows-Shell-Setup" processorArchitecture="${arch}" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS"/></settings></unattend>\n`;
}

interface Walk {
  locale: Locale;
  colorScheme: 'light' | 'dark';
  zoom: 1 | 2;
}

/** The pseudo-locale light at 100 % and dark at 200 % (all four conditions in two walks), German and Chinese light at 100 %. */
const WALKS: Walk[] = [
  { locale: PSEUDO_LOCALE, colorScheme: 'light', zoom: 1 },
  { locale: PSEUDO_LOCALE, colorScheme: 'dark', zoom: 2 },
  { locale: 'de', colorScheme: 'light', zoom: 1 },
  { locale: 'zh-CN', colorScheme: 'light', zoom: 1 },
  // The long languages themselves, at the tight end: Russian dark at 200 %.
  { locale: 'ru', colorScheme: 'dark', zoom: 2 },
];

for (const walk of WALKS) {
  const { locale, colorScheme, zoom } = walk;
  const pseudo = locale === PSEUDO_LOCALE;
  const title = `i18n: every step in ${locale}, ${colorScheme}, ${zoom * 100} %: nothing cut off or overflowing, axe passes, <html lang> is set${pseudo ? ', no English left' : ''}`;
  test(title, { skip: !isRoot && 'needs root (loop devices)' }, async () => {
    const w = world();
    try {
      const iso = win7Iso();
      const stick = loopDevice(w.dir, 96);
      w.loops.push(stick);
      w.host = await launch({ name: `i18n-${locale}-${colorScheme}-${zoom * 100}`, devices: [stick.device], colorScheme, zoom, locale });
      const host = w.host;
      const p = host.page;
      const say_ = (english: string) => say(locale, english);

      // Values from outside the catalogs, as main reports them: the image's facts and the drives.
      const bridge = async <T>(method: string, req: object): Promise<T> =>
        p.evaluate(async ([m, r]) => {
          const api = (window as unknown as { sevenstick: Record<string, (x: object) => Promise<{ ok: boolean; value?: unknown }>> }).sevenstick;
          const res = await api[m as string]!(r as object);
          return res.value;
        }, [method, req] as const) as Promise<T>;
      const image = await bridge<ImageView>('inspectImage', { path: iso });
      const typed = ['LAB-PC-01', 'labadmin'];
      const dynamic = (drives: DriveView[]): string[] => [
        image.label,
        image.fileName,
        image.path,
        ...(image.windows?.editions.flatMap((e) => [e.name, e.editionId, `(${e.editionId}, ${e.arch})`, e.arch]) ?? []),
        ...(image.windows?.languages ?? []),
        // A drive's model name is the OS's; a loop device is named by its file (the words around it are ours).
        ...drives.flatMap((d) => [d.bus === 'loop' ? '' : d.description, d.backingFile ?? '', d.path, d.bus]),
        ...windowsIdentifiers(),
        ...typed,
      ];
      let drives = await bridge<DriveView[]>('listDrives', { showAll: true });
      const c = checker(host, locale, { leaks: pseudo, dynamic: () => dynamic(drives) });

      // Start.
      await c.step('start');

      // Image: a real Windows 7 ISO, its card, the checksum.
      await pickImage(host, iso, locale);
      await p.getByRole('heading', { level: 2, name: image.label }).waitFor();
      await p.getByRole('button', { name: say_('Verify checksum') }).click();
      await p.locator('.checksum .callout').waitFor({ timeout: 30_000 });
      await p.locator('#setup-enabled').check();
      await c.step('image');

      // Set up Windows: the settings (edition, region, account, disk), the disk-0 warning, the import view.
      await p.locator('.navbar button').last().click();
      await waitHeading(host, say_('Set up Windows'));
      await c.step('setup');
      await p.locator('#setup-edition').selectOption({ index: 1 });
      await p.locator('#setup-only-edition').check();
      await p.locator('#setup-timezone').selectOption('W. Europe Standard Time');
      await p.locator('#setup-computer').fill(typed[0]!);
      await p.locator('#setup-user').fill(typed[1]!);
      await p.locator('#setup-password').fill('S3cret!pw');
      await p.locator('#setup-eula').check();
      await p.locator('#setup-disk-wipe').check();
      await p.locator('#setup-fw-uefi').check();
      await p.locator('#setup-wipe-confirm').check();
      await c.step('setup-filled-wipe-disk-0');
      await p.locator('#setup-source-imported').check();
      writeFileSync(join(host.files ?? '', STUB_FILES.answers), answerFile('x86'));
      await p.locator('.setup .toolbar button').click();
      await p.locator('.setup .callout.error').waitFor();
      await c.step('setup-import-refused');
      writeFileSync(join(host.files ?? '', STUB_FILES.answers), answerFile('amd64'));
      await p.locator('.setup .toolbar button').click();
      await p.locator('.setup .callout[role=status]').waitFor();
      await c.step('setup-imported');
      await p.locator('#setup-source-settings').check();

      // Drives: the stick, then every drive (the system disk marked).
      await p.locator('.navbar button').last().click();
      await waitHeading(host, say_('Choose the USB drive'));
      await driveBox(host, stick.device).check();
      await c.step('drives');
      await p.locator('#show-all').check();
      drives = await bridge<DriveView[]>('listDrives', { showAll: true });
      await until(async () => (await p.locator('.drive').count()) > 1 || undefined, 10_000, 'every drive listed');
      await c.step('drives-all');
      await p.locator('#show-all').uncheck();

      // Confirm, with the setup card and the disk-0 warning.
      await p.locator('.navbar button').last().click();
      await waitHeading(host, say_('Erase and write?'));
      await p.locator('.setup-lines').waitFor();
      await c.step('confirm');

      // Write (slowed down so the step can be looked at while it runs), then Done.
      const unthrottle = throttleWrites(stick.device, 1024 * 1024);
      if (unthrottle) w.cleanups.push(unthrottle);
      await p.locator('.navbar button.danger').click();
      await waitHeading(host, say_('Writing'));
      if (unthrottle) {
        await until(async () => Number(await p.getByRole('progressbar').first().getAttribute('aria-valuenow')) > 0 || undefined, 30_000, 'write progress');
        await c.step('write');
      }
      await p.locator('.results .result').first().waitFor({ timeout: 180_000 });
      unthrottle?.();
      assert.equal(await p.locator('.results .result.ok').count(), 1, `the stick was written: ${await p.locator('main').innerText()}`);
      await waitHeading(host, say_('Your stick is ready'));
      await c.step('done');

      // Verify the stick against its ISO: from the start screen, to the report.
      await p.locator('.step .actions button.primary').click();
      await waitHeading(host, say_('Make a Windows 7 USB stick'));
      await p.getByRole('button', { name: say_('Verify a stick') }).click();
      await waitHeading(host, say_('Verify a stick'));
      await p.getByRole('radio', { name: new RegExp(stick.device) }).check();
      await host.choose(iso);
      await p.locator('.pick button').click();
      await p.getByText(image.label, { exact: false }).first().waitFor();
      await c.step('verify-ready');
      await p.locator('.actions.split button.primary').click();
      await p.locator('#report-title').waitFor({ timeout: 60_000 });
      await c.step('verify-report');

      c.report();
    } finally {
      await teardown(w);
    }
  });
}

/** The option of the language picker for a language (null: "System default", the option that is no language). */
async function languageOption(host: Host, locale: Locale | null): Promise<string> {
  const options = await host.page.locator('#language option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  const v = options.find((o) => (locale === null ? !isLocale(o) : o === locale));
  assert.ok(v !== undefined, `the language picker has an option for ${locale ?? 'the system default'} (options: ${options.join(', ')})`);
  return v;
}

test('i18n: the language changed in the app: the wizard speaks it at once, keeps it across a reload, and "System default" gives it back to the OS', async () => {
  const w = world();
  try {
    // The OS speaks the pseudo-locale, so choosing German changes the text even while German falls back to English.
    w.host = await launch({ name: 'i18n-language-choice', devices: [], locale: PSEUDO_LOCALE });
    const host = w.host;
    const p = host.page;
    const lang = () => p.evaluate(() => document.documentElement.lang);
    const appInfo = () => p.evaluate(async () => ((await (window as unknown as { sevenstick: { appInfo(r: object): Promise<{ value: { locale: string; languageChoice: string | null } }> } }).sevenstick.appInfo({})).value));
    assert.deepEqual(await appInfo().then((i) => [i.locale, i.languageChoice]), [PSEUDO_LOCALE, null], 'main reports the OS language and no choice');
    await waitHeading(host, say(PSEUDO_LOCALE, 'Make a Windows 7 USB stick'));
    const before = await heading(host).textContent();
    assert.equal(await lang(), PSEUDO_LOCALE);
    await host.shot('system-language');

    const picker = p.locator('#language');
    await picker.waitFor({ timeout: 5_000 });
    await picker.selectOption(await languageOption(host, 'de'));
    await until(async () => (await lang()) === 'de' || undefined, 5_000, '<html lang="de">');
    await waitHeading(host, say('de', 'Make a Windows 7 USB stick'));
    assert.notEqual(await heading(host).textContent(), before, 'the heading changed language');
    assert.equal(await picker.inputValue(), 'de');
    await host.shot('german');

    await p.reload();
    await heading(host).waitFor();
    await waitHeading(host, say('de', 'Make a Windows 7 USB stick'));
    assert.equal(await lang(), 'de', 'still German after a reload');
    assert.equal(await picker.inputValue(), 'de');
    assert.deepEqual(await appInfo().then((i) => [i.locale, i.languageChoice]), ['de', 'de'], 'main remembered the choice');
    await host.shot('german-after-reload');

    await picker.selectOption(await languageOption(host, null));
    await until(async () => (await lang()) === PSEUDO_LOCALE || undefined, 5_000, `<html lang="${PSEUDO_LOCALE}">`);
    assert.equal(await heading(host).textContent(), before, 'back to the OS language');
    assert.deepEqual(await appInfo().then((i) => [i.locale, i.languageChoice]), [PSEUDO_LOCALE, null], 'the choice was given back to the OS');
    await host.shot('system-language-again');
  } finally {
    await teardown(w);
  }
});

test('i18n: the checks themselves find text that does not fit and English that is left', async () => {
  const w = world();
  try {
    w.host = await launch({ name: 'i18n-checks', devices: [] });
    const p = w.host.page;
    assert.deepEqual(await fitProblems(p), [], 'the start screen fits');
    // Styled through the CSSOM (the page's CSP refuses style attributes).
    await p.evaluate(() => {
      const add = (tag: string, text: string, style: Record<string, string>): void => {
        const el = document.createElement(tag);
        if (tag === 'select') {
          el.setAttribute('aria-label', 'x');
          el.appendChild(new Option(text));
        } else el.textContent = text;
        for (const [k, v] of Object.entries(style)) el.style.setProperty(k, v);
        document.querySelector('main')?.appendChild(el);
      };
      add('button', 'Ausgesprochenüberlang', { width: '4rem', 'white-space': 'nowrap' });
      add('div', 'Eine Zeile, die umbricht und abgeschnitten wird', { width: '5rem', height: '1.2rem', overflow: 'hidden' });
      add('select', 'Ein sehr langer Eintrag der Auswahl', { width: '5rem' });
      add('p', 'Breit', { width: '3000px' });
    });
    const kinds = (await fitProblems(p)).map((f) => `${f.kind}: ${f.text}`);
    for (const want of ['outside-box: Ausgesprochenüberlang', 'clipped: Eine Zeile', 'select-clipped: Ein sehr langer', 'page-scrolls-sideways: ']) {
      assert.ok(kinds.some((k) => k.startsWith(want)), `finds "${want}" in:\n${kinds.join('\n')}`);
    }
  } finally {
    await teardown(w);
  }
  // say(): a catalog text in the wizard's language, also when it is one branch of a plural or select.
  assert.match(pseudoMessage('Writing'), say(PSEUDO_LOCALE, 'Writing') as RegExp);
  assert.match('Writing', say(PSEUDO_LOCALE, 'Writing') as RegExp);
  const plural = '{count, plural, one {Your stick is ready} other {Your sticks are ready}}';
  assert.deepEqual(valuesSaying(plural, 'Your stick is ready'), { count: 1 });
  assert.deepEqual(valuesSaying(plural, 'Your sticks are ready'), { count: 5 });
  assert.deepEqual(valuesSaying('{kind, select, iso {An ISO} other {A disk}}', 'An ISO'), { kind: 'iso' });
  assert.equal(valuesSaying(plural, 'ready'), null);
  assert.deepEqual(englishLeaks(['Ñéxţ ŵöŕ', 'Ŵíñđöŵš ÚÉFÍ SevenStick BIOS'], []), []);
  assert.deepEqual(englishLeaks(['Ŵŕíţíñĝ /dev/loop3 → /tmp/a b/win7.iso (E_NO_SPACE)', 'Ţíɱé žöñé: W. Europe Standard Time'], ['W. Europe Standard Time']), []);
  assert.deepEqual(englishLeaks(['Ñéxţ', 'Next', 'Choose the image'], []), ['"Next" in "Next"', '"Choose" in "Choose the image"', '"image" in "Choose the image"']);
});
