/**
 * The CLI's language (issue #15): `--lang <locale>` before the command, else LC_ALL / LC_MESSAGES /
 * LANG. One Translator per run, made in index.ts and handed down; nothing here holds the user's choice.
 *
 * The CLI's own errors keep two faces: the English message (the `--json` error object, logs) and the
 * user's language (the human `sevenstick: …` line). A `Said` is a message not yet said in a language;
 * a `CliError` carries one.
 */
import { SevenStickError, type ErrorCode, type ErrorDetails } from '../engine/index.js';
import type { MessageKey } from '../shared/i18n/catalog.js';
import { DEFAULT_LOCALE, PSEUDO_LOCALE, toBcp47, type Locale } from '../shared/i18n/locales.js';
import { localeFromEnv, matchLocale } from '../shared/i18n/match.js';
import { createTranslator, type MessageValues, type Translator } from '../shared/i18n/translator.js';

/** A message to say in whichever language: values that are sizes or lists are made by that language's Translator. */
export interface Said {
  key: MessageKey;
  values?: MessageValues | ((tr: Translator) => MessageValues);
}

export function say(tr: Translator, s: Said): string {
  return tr.t(s.key, typeof s.values === 'function' ? s.values(tr) : s.values);
}

/** English: what `--json` and the engine's logs carry. */
export function englishTranslator(): Translator {
  return createTranslator(DEFAULT_LOCALE);
}

/** An error the CLI itself raises: English `message` for JSON, `said` for the person at the terminal. */
export class CliError extends SevenStickError {
  constructor(
    code: ErrorCode,
    readonly said: Said,
    details: ErrorDetails = {},
  ) {
    super(code, say(englishTranslator(), said), details);
  }
}

/**
 * A `--lang` value as one of SevenStick's languages: a shipped one or a near one (de-AT, de_DE.UTF-8,
 * pt-PT), the pseudo-locale by its name, C/POSIX as English. Null when SevenStick does not speak it.
 */
export function parseLang(value: string): Locale | null {
  const v = value.trim();
  if (v === PSEUDO_LOCALE) return PSEUDO_LOCALE;
  const base = v.split(/[.@]/)[0] ?? '';
  if (base === 'C' || base === 'POSIX') return DEFAULT_LOCALE;
  const tag = toBcp47(v);
  if (tag === null) return null;
  const locale = matchLocale([tag]);
  // The matcher answers English for anything it cannot place: only English itself may get English.
  if (locale === DEFAULT_LOCALE && new Intl.Locale(tag).language !== 'en') return null;
  return locale;
}

/**
 * The `--lang` value among the program's own options (before the command; after it, options belong
 * to the command: `answers --lang` is the Windows installation's language). Undefined when not given.
 */
export function langArgument(args: readonly string[]): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--lang') value = args[++i];
    else if (a.startsWith('--lang=')) value = a.slice('--lang='.length);
    else if (a === '--' || !a.startsWith('-')) break;
  }
  return value;
}

/**
 * The run's language: `--lang` when it names one SevenStick speaks, else the environment's. A bad
 * `--lang` is reported by commander (its argument parser, parseLangOption) in the environment's language.
 */
export function cliLocale(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Locale {
  const asked = langArgument(args);
  return (asked !== undefined ? parseLang(asked) : null) ?? localeFromEnv(env);
}
