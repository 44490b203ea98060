/**
 * The wizard speaks the user's language: react-intl's IntlProvider over the shared catalogs
 * (electron/shared/i18n: the language's messages over English ones, numbers and dates in its locale),
 * `useT()` for the Translator every component formats with (the same one main and the CLI use), and
 * `<Msg>` for sentences with bold, code or muted parts (one message with tags, never fragments).
 */
import { createContext, useContext, useLayoutEffect, useMemo, type ReactNode } from 'react';
import { FormattedMessage, IntlProvider, useIntl } from 'react-intl';
import { englishMessages, messagesFor, type MessageKey } from '../../electron/shared/i18n/catalog.js';
import { intlLocale, type Locale } from '../../electron/shared/i18n/locales.js';
import { translatorFor, type Translator } from '../../electron/shared/i18n/translator.js';

const LocaleContext = createContext<Locale>('en');

/** A broken message is a bug: loud under `vite dev`, a warning in the app (react-intl still shows the English text). */
function onError(e: Error): void {
  if (import.meta.env.DEV) console.error('[i18n] a message failed to format:', e);
  else console.warn('[i18n]', e.message);
}

/** Everything under it speaks `locale`; `<html lang>` follows it (BCP 47; 'en-XA' for the pseudo-locale). */
export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  const messages = useMemo(() => ({ ...englishMessages(), ...messagesFor(locale) }) as Record<string, string>, [locale]);
  useLayoutEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  return (
    <LocaleContext.Provider value={locale}>
      <IntlProvider locale={intlLocale(locale)} defaultLocale="en" messages={messages} onError={onError}>
        {children}
      </IntlProvider>
    </LocaleContext.Provider>
  );
}

/** The language the wizard speaks now. */
export function useLocale(): Locale {
  return useContext(LocaleContext);
}

/** The Translator for the current language: messages, numbers, sizes, speeds, durations, dates. */
export function useT(): Translator {
  const intl = useIntl();
  const locale = useLocale();
  return useMemo(() => translatorFor(intl, locale), [intl, locale]);
}

type Chunks = ReactNode[];

/**
 * The tags rich messages may use: <b>, <code>, <muted>, <aside> (muted, breaks anywhere: a path).
 * Their names share one namespace with the values: no value may be called like a tag.
 */
const TAGS = {
  b: (c: Chunks) => <strong>{c}</strong>,
  code: (c: Chunks) => <code>{c}</code>,
  muted: (c: Chunks) => <span className="muted">{c}</span>,
  aside: (c: Chunks) => <span className="muted break">{c}</span>,
};

/** A message with rich parts, as React nodes. Values may be nodes too. */
export function Msg({ id, values }: { id: MessageKey; values?: Record<string, ReactNode> }) {
  return <FormattedMessage id={id} values={{ ...TAGS, ...values }} />;
}
