/**
 * Issue #15, the CLI in the user's language: `inspect`'s text, a `write` summary (to a disk-image file)
 * and `verify`'s report, as the CLI prints them with `--lang`, compared with expected-output files in
 * __snapshots__/<case>.<locale>.txt. The variable parts are normalized: the temporary folder and the
 * fixtures folder become <tmp> and <fixtures>; the job line's elapsed time and speeds become <time>
 * and <speed> (found through the message itself, so in any language).
 *
 * UPDATE_SNAPSHOTS=1 writes the files instead of comparing. A language is one line in LANGUAGES; one
 * whose cli catalog is still empty is skipped, saying so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGS } from '../../shared/i18n/catalog.js';
import { PSEUDO_LOCALE, type Locale } from '../../shared/i18n/locales.js';
import { createTranslator } from '../../shared/i18n/translator.js';
import { FIXTURES, REPO, fixture, run, tempDir } from '../helpers/tools.js';

const CLI = join(REPO, 'build', 'electron', 'cli', 'index.js');
const SNAPSHOTS = join(REPO, 'electron', 'test', 'cli', '__snapshots__');
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';

/** The languages with snapshots: one line each. */
const LANGUAGES: readonly Locale[] = [
  'en',
  PSEUDO_LOCALE,
  'de',
  'zh-CN',
];

/** Why a language has no snapshots yet (its CLI messages are not translated), or false. */
function pending(locale: Locale): string | false {
  if (locale === 'en' || locale === PSEUDO_LOCALE) return false;
  return Object.keys(CATALOGS[locale].cli).length === 0 ? `the ${locale} CLI catalog (locales/${locale}/cli.json) is still empty: its snapshots come with its translations` : false;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The write summary's job line with its time and speeds as <time> and <speed>, in the locale's own words. */
function normalizeJobLine(locale: Locale, text: string): string {
  const tr = createTranslator(locale);
  const marks = { time: '\u0001', speed: '\u0002', readBack: '\u0003' };
  const lines = text.split('\n');
  // A line is normalized once: the shorter job message must not match a read-back line already done.
  const done = new Set<number>();
  for (const key of ['cli.write.jobReadBack', 'cli.write.job'] as const) {
    for (const count of [1, 2]) {
      for (const finished of [0, 1, 2]) {
        const pattern = tr.t(key, { done: finished, count, size: '\u0004', ...marks });
        const re = new RegExp(
          `^${escape(pattern)}$`
            .replace('\u0001', '(?<time>.+?)')
            .replace('\u0002', '(?<speed>.+?)')
            .replace('\u0003', '(?<readBack>.+?)')
            .replace('\u0004', '(?<size>.+?)'),
        );
        for (const [i, l] of lines.entries()) {
          if (done.has(i) || !re.test(l)) continue;
          done.add(i);
          lines[i] = tr.t(key, { done: finished, count, size: re.exec(l)?.groups?.size ?? '', time: '<time>', speed: '<speed>', readBack: '<speed>' });
        }
      }
    }
  }
  return lines.join('\n');
}

function normalize(locale: Locale, text: string, tmp: string): string {
  return normalizeJobLine(locale, text.split(tmp).join('<tmp>').split(FIXTURES).join('<fixtures>'));
}

/** Compares with __snapshots__/<name>.<locale>.txt, or writes it under UPDATE_SNAPSHOTS=1. */
function snapshot(name: string, locale: Locale, actual: string): void {
  const file = join(SNAPSHOTS, `${name}.${locale}.txt`);
  if (UPDATE) {
    mkdirSync(SNAPSHOTS, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `no snapshot ${file}: run the test with UPDATE_SNAPSHOTS=1 and review what it writes`);
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} in ${locale} differs from ${file} (UPDATE_SNAPSHOTS=1 rewrites it after a reviewed change)`);
}

for (const locale of LANGUAGES) {
  test(`CLI snapshots in ${locale}: inspect, a write summary to a disk-image file, verify`, { skip: pending(locale) }, async () => {
    const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
    const t = tempDir();
    try {
      // Run in the temporary folder with relative names: the output does not depend on where it is.
      copyFileSync(iso, join(t.path, 'win7.iso'));
      const cli = (args: string[]) => run('node', [CLI, '--lang', locale, ...args], { cwd: t.path, timeoutMs: 120_000 });
      const inspect = await cli(['inspect', 'win7.iso']);
      assert.equal(inspect.code, 0, inspect.stderr);
      snapshot('inspect', locale, normalize(locale, inspect.stdout, t.path));

      const stick = 'stick.img';
      const write = await cli(['write', 'win7.iso', '--target', stick, '--size', '96M', '--yes']);
      assert.equal(write.code, 0, write.stderr);
      snapshot('write', locale, normalize(locale, write.stdout, t.path));

      const verify = await cli(['verify', stick, '--image', 'win7.iso']);
      assert.equal(verify.code, 0, verify.stderr);
      snapshot('verify', locale, normalize(locale, verify.stdout, t.path));

      // A stick SevenStick wrote, inspected: its partition table in words.
      const own = await cli(['inspect', stick]);
      assert.equal(own.code, 0, own.stderr);
      snapshot('inspect-stick', locale, normalize(locale, own.stdout, t.path));
    } finally {
      t.cleanup();
    }
  });
}
