/**
 * The translator and the locale choice: sizes, speeds, durations and percentages through Intl with the
 * catalogs' unit symbols; POSIX/BCP 47 names to the languages SevenStick has; the pseudo-locale.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { formatBytes } from '../../shared/format.js';
import { CATALOGS, messagesFor, type MessageKey } from '../../shared/i18n/catalog.js';
import { LOCALES, PSEUDO_LOCALE, toBcp47 } from '../../shared/i18n/locales.js';
import { localeFromEnv, matchLocale } from '../../shared/i18n/match.js';
import { PSEUDO_GROWTH, pseudoMessage } from '../../shared/i18n/pseudo.js';
import { createTranslator } from '../../shared/i18n/translator.js';

describe('translator', () => {
  it('English sizes read like the engine\'s formatBytes (one rule for both; Intl adds digit grouping)', () => {
    const en = createTranslator('en');
    for (const n of [0, 1, 512, 1023, 1024, 1536, 1023.7 * 1024, 8e9, 7.45 * 1024 ** 3, 59.6 * 1024 ** 3, 233 * 1024 ** 3, 3 * 1024 ** 5, null]) {
      assert.equal(en.bytes(n).replace(/(\d),(\d)/g, '$1$2'), formatBytes(n), String(n));
    }
  });

  it('German writes decimal commas, French its own unit symbols (from the catalog, not the code)', () => {
    const de = createTranslator('de');
    assert.match(de.bytes(8e9), /^7,45\s/);
    assert.match(de.speed(40e6), /^38,1\s/);
    assert.equal(de.percent(0.426).replace(/\s/g, ' '), '42 %');
    const enSpeed = createTranslator('en').speed(40e6);
    assert.equal(enSpeed, '38.1 MiB/s');
    assert.equal(createTranslator('en').speed(0), '—');
  });

  it('never shows 100 % before the end, and durations come from Intl', () => {
    const en = createTranslator('en');
    assert.equal(en.percent(0.999), '99%');
    assert.equal(en.percent(1), '100%');
    assert.equal(en.duration(42), '42 sec');
    assert.equal(en.duration(125), '2 min 5 sec');
    assert.equal(en.duration(3725), '1 hr 2 min');
    assert.equal(en.duration(0), '0 sec');
    assert.notEqual(createTranslator('ru').duration(125), en.duration(125));
  });

  it('plurals follow the language (English one/other)', () => {
    const en = createTranslator('en');
    assert.equal(en.bytes(1), '1 byte');
    assert.equal(en.bytes(2), '2 bytes');
  });

  it('a message missing from a catalog falls back to English', () => {
    const keys = Object.keys(messagesFor('en'));
    assert.ok(keys.length > 0);
    for (const l of LOCALES) assert.equal(typeof createTranslator(l).t('phase.writing'), 'string');
  });
});

describe('choosing the language', () => {
  it('POSIX and BCP 47 names', () => {
    assert.equal(toBcp47('de_DE.UTF-8'), 'de-DE');
    assert.equal(toBcp47('sr_RS@latin'), 'sr-RS');
    assert.equal(toBcp47('C'), null);
    assert.equal(toBcp47('POSIX'), null);
    assert.equal(toBcp47(''), null);
  });

  it('the closest language SevenStick has, English when none is close', () => {
    assert.equal(matchLocale(['de-AT']), 'de');
    assert.equal(matchLocale(['pt_BR.UTF-8']), 'pt-BR');
    assert.equal(matchLocale(['pt-PT']), 'pt-BR');
    assert.equal(matchLocale(['zh-CN']), 'zh-CN');
    assert.equal(matchLocale(['zh-Hans-SG']), 'zh-CN');
    assert.equal(matchLocale(['ja-JP', 'fr-CA']), 'fr');
    assert.equal(matchLocale(['ja-JP']), 'en');
    assert.equal(matchLocale([]), 'en');
    assert.equal(matchLocale(['en-XA']), PSEUDO_LOCALE);
  });

  it('terminals: LC_ALL over LC_MESSAGES over LANG; C means English; LANGUAGE orders preferences', () => {
    assert.equal(localeFromEnv({ LANG: 'de_DE.UTF-8' }), 'de');
    assert.equal(localeFromEnv({ LC_ALL: 'ru_RU.UTF-8', LANG: 'de_DE.UTF-8' }), 'ru');
    assert.equal(localeFromEnv({ LC_MESSAGES: 'pl_PL.UTF-8', LANG: 'de_DE.UTF-8' }), 'pl');
    assert.equal(localeFromEnv({ LC_ALL: 'C', LANG: 'de_DE.UTF-8' }), 'en');
    assert.equal(localeFromEnv({}), 'en');
    assert.equal(localeFromEnv({ LANG: 'fr_FR.UTF-8', LANGUAGE: 'it:fr' }), 'it');
    assert.equal(localeFromEnv({ LANG: 'C.UTF-8', LANGUAGE: 'it' }), 'en');
  });
});

/** A value for every argument of a message: 3 for plurals and numbers, the `other` branch of selects, "x" else. */
function sampleValues(message: string): Record<string, string | number> {
  const values: Record<string, string | number> = {};
  const walk = (els: MessageFormatElement[]): void => {
    for (const el of els) {
      if (el.type === TYPE.plural || el.type === TYPE.number) values[el.value] = 3;
      else if (el.type === TYPE.select) values[el.value] = 'other';
      else if (el.type === TYPE.argument && !(el.value in values)) values[el.value] = 'x';
      if (el.type === TYPE.plural || el.type === TYPE.select) for (const o of Object.values(el.options)) walk(o.value);
      if (el.type === TYPE.tag) walk(el.children);
    }
  };
  walk(parse(message));
  return values;
}

describe('pseudo-locale', () => {
  it('accents every letter, keeps every placeholder and plural, and is at least 40 % longer', () => {
    const m = 'Write {count, plural, one {# stick} other {# sticks}} to <b>{device}</b>: it holds {size}.';
    const p = pseudoMessage(m);
    assert.doesNotThrow(() => parse(p));
    assert.doesNotMatch(p.replace(/\{[^{}]*\}|<\/?b>|\b(plural|one|other|count|device|size)\b/g, ''), /[A-Za-z]/);
    for (const part of ['{device}', '{size}', '<b>', '</b>', 'count,plural']) assert.ok(p.replace(/\s/g, '').includes(part.replace(/\s/g, '')), part);
    const en = createTranslator('en');
    const xa = createTranslator(PSEUDO_LOCALE);
    for (const key of Object.keys(CATALOGS.en.common) as MessageKey[]) {
      const values = sampleValues(CATALOGS.en.common[key]!);
      const a = en.t(key, values);
      const b = xa.t(key, values);
      if (!/[A-Za-z]/.test(a.replace(/\bx\b/g, ''))) continue;
      assert.notEqual(a, b, key);
      assert.ok(b.length >= Math.floor(a.length * (1 + PSEUDO_GROWTH)) - 1, `${key}: "${b}" is not 40 % longer than "${a}"`);
    }
  });
});
