/**
 * The one way SevenStick says things to people in their language: a Translator over FormatJS's
 * IntlShape. Main and the CLI make one with `createTranslator(locale)`; the wizard wraps react-intl's
 * `useIntl()` with `translatorFor` (renderer/src/i18n.tsx), so both format the same way.
 *
 * Sizes keep SevenStick's binary units (shared/format.ts picks the unit and the digits); the number
 * is written by Intl (4,70 GiB in German) and the unit symbol comes from the catalog (Gio in French,
 * ГиБ in Russian). Durations and dates are Intl's; percentages too.
 */
import { createIntl, createIntlCache, type IntlShape } from '@formatjs/intl';
import { scaleBytes } from '../format.js';
import { englishMessages, messagesFor, type MessageKey } from './catalog.js';
import { intlLocale, type Locale } from './locales.js';

export type NumberOptions = Parameters<IntlShape['formatNumber']>[1];

/**
 * The part of an IntlShape the Translator uses. Both FormatJS's own (main, the CLI) and react-intl's
 * (the wizard, whose formatMessage may also return React nodes) have it, so neither needs a cast.
 */
export type IntlCore = Pick<IntlShape, 'locale' | 'formatNumber' | 'formatDate' | 'formatDisplayName'> & {
  formatMessage(descriptor: { id: string }, values?: Record<string, string | number | Date>): unknown;
  formatList(list: readonly string[], options?: Parameters<IntlShape['formatList']>[1]): unknown;
};

export type MessageValues = Readonly<Record<string, string | number | Date | null | undefined>>;

export interface Translator {
  readonly locale: Locale;
  readonly intl: IntlCore;
  /** A catalog message with its ICU values. */
  t(key: MessageKey, values?: MessageValues): string;
  /** A plain number: 1,234.5 / 1.234,5. */
  number(n: number, options?: NumberOptions): string;
  /** 0..1 as a whole percentage ("42 %" in German, "42%" in English), never rounded up to 100 before the end. */
  percent(fraction: number): string;
  /** Bytes in binary units: "7.45 GiB", "512 bytes"; "unknown size" for null. */
  bytes(n: number | null | undefined): string;
  /** Throughput: "38.2 MiB/s"; "—" while there is none to tell. */
  speed(bytesPerSecond: number): string;
  /** A duration: "1 h 5 min", "42 s". */
  duration(seconds: number): string;
  /** A date and time, medium length. */
  dateTime(d: Date | number): string;
  /** "a, b and c" in the language's way. */
  list(items: readonly string[]): string;
}

const intlCache = createIntlCache();

const UNIT_KEYS = {
  KiB: 'unit.kib',
  MiB: 'unit.mib',
  GiB: 'unit.gib',
  TiB: 'unit.tib',
  PiB: 'unit.pib',
} as const satisfies Record<string, MessageKey>;

export function translatorFor(intl: IntlCore, locale: Locale): Translator {
  const t = (key: MessageKey, values?: MessageValues): string => String(intl.formatMessage({ id: key }, values as Record<string, string | number | Date>));
  const number = (n: number, options?: NumberOptions): string => intl.formatNumber(n, options);
  // Scaled sizes stay below 1024 of their unit: no digit grouping ("1000 KiB", as formatBytes writes it).
  const fixed = (n: number, digits: number): string => number(n, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
  return {
    locale,
    intl,
    t,
    number,
    percent: (fraction) => number(Math.floor(Math.max(0, Math.min(1, fraction)) * 100) / 100, { style: 'percent' }),
    bytes(n) {
      const s = scaleBytes(n);
      if (s === null) return t('unit.unknownSize');
      if (s.unit === 'B') return t('unit.bytes', { count: s.value });
      return t(UNIT_KEYS[s.unit], { value: fixed(s.value, s.digits) });
    },
    speed(bytesPerSecond) {
      if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '—';
      return t('unit.mibPerSecond', { value: fixed(bytesPerSecond / 1024 ** 2, 1) });
    },
    duration(seconds) {
      const s = Math.max(0, Math.round(Number.isFinite(seconds) ? seconds : 0));
      const parts: string[] = [];
      const h = Math.floor(s / 3600);
      const m = Math.floor((s % 3600) / 60);
      const sec = s % 60;
      const unit = (value: number, u: 'hour' | 'minute' | 'second'): string => number(value, { style: 'unit', unit: u, unitDisplay: 'short' });
      if (h) parts.push(unit(h, 'hour'));
      if (m || (h && sec)) parts.push(unit(m, 'minute'));
      if (!h && (sec || parts.length === 0)) parts.push(unit(sec, 'second'));
      return String(intl.formatList(parts, { type: 'unit', style: 'narrow' }));
    },
    dateTime: (d) => intl.formatDate(d, { dateStyle: 'medium', timeStyle: 'short' }),
    list: (items) => String(intl.formatList(items, { type: 'conjunction' })),
  };
}

/** The IntlShape for a language: its messages over English ones, numbers and dates in its locale. */
export function intlFor(locale: Locale, onError?: (e: Error) => void): IntlShape {
  return createIntl(
    {
      locale: intlLocale(locale),
      messages: { ...englishMessages(), ...messagesFor(locale) } as Record<string, string>,
      defaultLocale: 'en',
      onError: onError ?? ((e) => {
        throw e;
      }),
    },
    intlCache,
  );
}

const translators = new Map<Locale, Translator>();

/**
 * The Translator for main and the CLI, one per language and kept (FormatJS's formatters are not free to
 * make; a Translator never changes). A catalog error throws: a broken message is a bug, not a blank.
 */
export function createTranslator(locale: Locale): Translator {
  let tr = translators.get(locale);
  if (!tr) {
    tr = translatorFor(intlFor(locale), locale);
    translators.set(locale, tr);
  }
  return tr;
}
