/**
 * How a requested language (the OS's, the user's choice, `--lang`, LANG/LC_ALL) becomes one SevenStick
 * has: best-fit matching by FormatJS's locale matcher (de-AT → de, pt-PT → pt-BR; nothing close → en).
 */
import { match } from '@formatjs/intl-localematcher';
import { DEFAULT_LOCALE, LOCALES, PSEUDO_LOCALE, toBcp47, type Locale, type ShippedLocale } from './locales.js';

/**
 * The best shipped language for what was asked, in order of preference (first is best). The pseudo
 * locale is taken only by its exact name. Nothing matching gives English.
 */
export function matchLocale(requested: readonly (string | null | undefined)[]): Locale {
  const tags: string[] = [];
  for (const r of requested) {
    if (!r) continue;
    if (r === PSEUDO_LOCALE) return PSEUDO_LOCALE;
    const tag = toBcp47(r);
    if (tag) tags.push(tag);
  }
  if (tags.length === 0) return DEFAULT_LOCALE;
  return match(tags, LOCALES, DEFAULT_LOCALE) as ShippedLocale;
}

/**
 * The language a terminal program should speak, POSIX order: LC_ALL, then LC_MESSAGES, then LANG;
 * GNU's LANGUAGE list (colon-separated preferences) counts when the winner is not C/POSIX.
 */
export function localeFromEnv(env: Readonly<Record<string, string | undefined>>): Locale {
  const winner = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  if (toBcp47(winner) === null) return DEFAULT_LOCALE;
  const prefs = (env.LANGUAGE ?? '').split(':').filter(Boolean);
  return matchLocale([...prefs, winner]);
}

