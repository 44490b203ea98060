/** Issue #15: how the CLI picks its language — `--lang` (before the command), else LC_ALL/LC_MESSAGES/LANG. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cliLocale, langArgument, parseLang } from '../../cli/i18n.js';
import { REPO, run } from '../helpers/tools.js';

const CLI = join(REPO, 'build', 'electron', 'cli', 'index.js');
const NO_LOCALE = { LANG: '', LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '' };

test('--lang takes shipped languages, near and POSIX names, the pseudo-locale; nothing else', () => {
  for (const [v, want] of [
    ['en', 'en'],
    ['de', 'de'],
    ['de-AT', 'de'],
    ['de_DE.UTF-8', 'de'],
    ['pt-BR', 'pt-BR'],
    ['pt_PT', 'pt-BR'],
    ['zh-CN', 'zh-CN'],
    ['zh_CN.UTF-8', 'zh-CN'],
    ['ru_RU.UTF-8', 'ru'],
    ['en-XA', 'en-XA'],
    ['en_GB.UTF-8', 'en'],
    ['C', 'en'],
    ['C.UTF-8', 'en'],
  ] as const) {
    assert.equal(parseLang(v), want, v);
  }
  for (const v of ['xx', 'klingon', '', 'ja_JP.UTF-8']) assert.equal(parseLang(v), null, v);
});

test('--lang counts before the command only (answers --lang is the Windows language)', () => {
  assert.equal(langArgument(['--lang', 'de', 'drives']), 'de');
  assert.equal(langArgument(['--lang=fr', 'inspect', 'x.iso']), 'fr');
  assert.equal(langArgument(['answers', 'x.iso', '--lang', 'de-DE']), undefined);
  assert.equal(langArgument(['inspect', 'x.iso']), undefined);
  assert.equal(cliLocale(['answers', 'x.iso', '--lang', 'de-DE'], { LANG: 'ru_RU.UTF-8' }), 'ru');
  assert.equal(cliLocale(['--lang', 'tr', 'drives'], { LC_ALL: 'de_DE.UTF-8' }), 'tr');
  assert.equal(cliLocale([], { LC_ALL: 'pl_PL.UTF-8', LC_MESSAGES: 'de_DE.UTF-8', LANG: 'fr_FR.UTF-8' }), 'pl');
  assert.equal(cliLocale([], { LC_MESSAGES: 'it_IT.UTF-8', LANG: 'fr_FR.UTF-8' }), 'it');
  assert.equal(cliLocale([], { LANG: 'es_ES.UTF-8' }), 'es');
  assert.equal(cliLocale([], {}), 'en');
});

test('an unknown --lang is a usage error (exit 2) that names the languages; the environment speaks in help', async () => {
  const bad = await run('node', [CLI, '--lang', 'xx', 'drives'], { env: { ...process.env, ...NO_LOCALE } });
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /'xx' is invalid\. SevenStick speaks en, de, fr, es, pt-BR, ru, zh-CN, pl, tr, it, en-XA\./);
  const english = await run('node', [CLI, 'inspect', '--help'], { env: { ...process.env, ...NO_LOCALE, LANG: 'C.UTF-8' } });
  assert.equal(english.code, 0);
  assert.match(english.stdout, /^Usage: sevenstick inspect/);
  for (const how of [{ args: ['--lang', 'en-XA'], env: {} }, { args: [], env: { LC_ALL: 'en-XA' } }]) {
    const xa = await run('node', [CLI, ...how.args, 'inspect', '--help'], { env: { ...process.env, ...NO_LOCALE, ...how.env } });
    assert.equal(xa.code, 0, xa.stderr);
    assert.match(xa.stdout, /^Üšáĝé/);
    assert.match(xa.stdout, /Éẋíţ çöđéš/);
  }
});
