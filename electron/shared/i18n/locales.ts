/**
 * The languages SevenStick speaks, and how a requested language (the OS's, the user's choice, `--lang`,
 * LANG/LC_ALL) names. Pure and import-free (the root helper's request validation uses isLocale); the
 * matching itself is match.ts.
 */
/** Shipped languages, in the order the language menus list them. */
export const LOCALES = ['en', 'de', 'fr', 'es', 'pt-BR', 'ru', 'zh-CN', 'pl', 'tr', 'it'] as const;
export type ShippedLocale = (typeof LOCALES)[number];

/**
 * The pseudo-locale: English with every letter accented and every text 40 % longer (pseudo.ts). Not a
 * language for people: tests use it to find cut-off text and strings that bypass the catalogs.
 */
export const PSEUDO_LOCALE = 'en-XA';
export type Locale = ShippedLocale | typeof PSEUDO_LOCALE;

export const DEFAULT_LOCALE: ShippedLocale = 'en';

/** Each language's own name for itself, as language pickers show them (not translated, on purpose). */
export const LANGUAGE_NAMES: Record<ShippedLocale, string> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  'pt-BR': 'Português (Brasil)',
  ru: 'Русский',
  'zh-CN': '简体中文',
  pl: 'Polski',
  tr: 'Türkçe',
  it: 'Italiano',
};

export function isLocale(x: unknown): x is Locale {
  return typeof x === 'string' && (x === PSEUDO_LOCALE || (LOCALES as readonly string[]).includes(x));
}

/**
 * A POSIX or BCP 47 name as BCP 47: "de_DE.UTF-8" → "de-DE", "sr_RS@latin" → "sr-RS", "C"/"POSIX"/"" → null.
 */
export function toBcp47(name: string): string | null {
  const base = name.trim().split(/[.@]/)[0]?.replace(/_/g, '-') ?? '';
  if (base === '' || base === 'C' || base === 'POSIX') return null;
  try {
    return Intl.getCanonicalLocales(base)[0] ?? null;
  } catch {
    return null;
  }
}

/** The locale Intl formats numbers and dates with (the pseudo-locale formats as English). */
export function intlLocale(locale: Locale): string {
  return locale === PSEUDO_LOCALE ? 'en' : locale;
}
