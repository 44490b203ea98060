/**
 * The message catalogs against English and against the code:
 * - every language has exactly English's keys, area by area;
 * - every message parses as ICU MessageFormat and uses the same arguments (name and kind: plain,
 *   number, plural, select, date, tag) as its English original, so no translation drops a `{device}`;
 * - plurals name every plural category a count from 0 to 1000 falls into in the language (Russian
 *   one/few/many/other, Chinese other only), and none the language does not have;
 * - every English key is written literally somewhere in the code (no unused keys), and every key the
 *   code writes literally exists.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { AREAS, CATALOGS } from '../../shared/i18n/catalog.js';
import { LOCALES, type ShippedLocale } from '../../shared/i18n/locales.js';
import { REPO } from '../helpers/tools.js';

const KIND: Partial<Record<TYPE, string>> = {
  [TYPE.argument]: 'argument',
  [TYPE.number]: 'number',
  [TYPE.date]: 'date',
  [TYPE.time]: 'time',
  [TYPE.select]: 'select',
  [TYPE.plural]: 'plural',
  [TYPE.tag]: 'tag',
};

interface Shape {
  /** "name:kind", sorted and without repeats. */
  args: string[];
  /** Every plural's option keys, in order of appearance. */
  plurals: string[][];
}

function shapeOf(message: string): Shape {
  const args = new Set<string>();
  const plurals: string[][] = [];
  const walk = (els: MessageFormatElement[]): void => {
    for (const el of els) {
      const kind = KIND[el.type];
      if (kind && 'value' in el && typeof el.value === 'string') args.add(`${el.value}:${kind}`);
      if (el.type === TYPE.plural) plurals.push(Object.keys(el.options));
      if (el.type === TYPE.plural || el.type === TYPE.select) for (const o of Object.values(el.options)) walk(o.value);
      if (el.type === TYPE.tag) walk(el.children);
    }
  };
  walk(parse(message));
  return { args: [...args].sort(), plurals };
}

describe('message catalogs', () => {
  const en = CATALOGS.en;

  it('English has messages in every area, and every one parses', () => {
    for (const area of AREAS) {
      assert.ok(Object.keys(en[area]).length > 0, `en/${area}.json is empty`);
      for (const [key, m] of Object.entries(en[area])) assert.doesNotThrow(() => parse(m), `en/${area}.json ${key}`);
    }
  });

  for (const locale of LOCALES.filter((l): l is Exclude<ShippedLocale, 'en'> => l !== 'en')) {
    it(`${locale}: the same keys as English, the same arguments, every plural category its counts need`, () => {
      const rules = new Intl.PluralRules(locale);
      const categories = rules.resolvedOptions().pluralCategories;
      // The categories counts of files, sticks, editions… really fall into (French "many" starts at a million).
      const needed = [...new Set(Array.from({ length: 1001 }, (_, n) => rules.select(n)))];
      const problems: string[] = [];
      for (const area of AREAS) {
        const theirs = CATALOGS[locale][area];
        const where = `${locale}/${area}.json`;
        for (const key of Object.keys(en[area])) if (!(key in theirs)) problems.push(`${where}: missing ${key}`);
        for (const key of Object.keys(theirs)) if (!(key in en[area])) problems.push(`${where}: ${key} is not an English key`);
        for (const [key, message] of Object.entries(theirs)) {
          const original = en[area][key];
          if (original === undefined) continue;
          let shape: Shape;
          try {
            shape = shapeOf(message);
          } catch (e) {
            problems.push(`${where}: ${key} does not parse (${(e as Error).message})`);
            continue;
          }
          const want = shapeOf(original);
          if (shape.args.join() !== want.args.join()) problems.push(`${where}: ${key} has {${shape.args.join(', ')}}, English has {${want.args.join(', ')}}`);
          for (const options of shape.plurals) {
            const missing = needed.filter((c) => !options.includes(c));
            const foreign = options.filter((o) => !o.startsWith('=') && !(categories as readonly string[]).includes(o));
            if (missing.length) problems.push(`${where}: ${key} lacks the plural categories ${missing.join(', ')}`);
            if (foreign.length) problems.push(`${where}: ${key} has plural categories ${locale} does not use: ${foreign.join(', ')}`);
          }
          if (message.trim() === '') problems.push(`${where}: ${key} is empty`);
        }
      }
      assert.deepEqual(problems, []);
    });
  }

  it('English plurals have the categories English needs (one, other)', () => {
    const problems: string[] = [];
    for (const area of AREAS) {
      for (const [key, m] of Object.entries(en[area])) {
        for (const options of shapeOf(m).plurals) if (!options.includes('one') || !options.includes('other')) problems.push(`${area}: ${key}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  describe('catalogs and code', () => {
    const sourceRoots = ['electron/cli', 'electron/main', 'electron/preload', 'electron/shared', 'electron/engine', 'renderer/src'];
    const files: string[] = [];
    const visit = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) visit(p);
        else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) files.push(p);
      }
    };
    for (const r of sourceRoots) visit(join(REPO, r));
    /** Every quoted literal of the code, quotes stripped. */
    const literals = new Map<string, string>();
    for (const f of files) {
      for (const m of readFileSync(f, 'utf8').matchAll(/(['"`])([A-Za-z][\w.-]*)\1/g)) literals.set(m[2]!, relative(REPO, f));
    }
    const englishKeys = new Set(AREAS.flatMap((a) => Object.keys(en[a])));

    it('reads the code it checks', () => {
      assert.ok(files.length > 100, `only ${files.length} source files found`);
      assert.ok(files.some((f) => f.endsWith('.tsx')), 'no renderer files found');
    });

    it('no catalog has a key the code does not use', () => {
      const unused = [...englishKeys].filter((k) => !literals.has(k));
      assert.deepEqual(unused, [], 'keys no source file names literally (write keys out, never build them from pieces)');
    });

    it('every key the code names exists in English', () => {
      const areaKey = /^(app|main|cli)\.[a-z][\w]*(\.[A-Za-z0-9_]+)+$/;
      const unknown = [...literals].filter(([lit]) => areaKey.test(lit) && !englishKeys.has(lit)).map(([lit, file]) => `${file}: ${lit}`);
      assert.deepEqual(unknown, []);
    });
  });
});
