/**
 * How main says things: the Translator of a language, and
 * errors for people that keep an English copy for the log. Main's errors are written once, as a
 * function of a Translator (`Words`): the user reads them in their language, the log (which bug
 * reports quote) gets the same words in English. Pure (no electron import).
 */
import type { IpcError, IpcErrorCode } from '../shared/contract.js';
import { AppError, toIpcError } from '../shared/errors.js';
import type { Locale } from '../shared/i18n/locales.js';
import { createTranslator, type Translator } from '../shared/i18n/translator.js';

/** The Translator for a language (createTranslator keeps one per language). */
export function translator(locale: Locale): Translator {
  return createTranslator(locale);
}

/** English: what the log is written in. */
export function english(): Translator {
  return translator('en');
}

/** A message main builds, said in whichever language the Translator speaks. */
export type Words = (tr: Translator) => string;

/** A contract error in the user's language that remembers its English wording for the log. */
export class SaidError extends AppError {
  constructor(
    said: IpcError,
    readonly english: IpcError,
  ) {
    super(said);
  }
}

/** An error for the user (`tr`'s language), with its hint; the log gets it in English (`logText`). */
export function sayError(tr: Translator, code: IpcErrorCode, message: Words, hint?: Words): SaidError {
  const said = (t: Translator): IpcError => ({ code, message: message(t), ...(hint ? { hint: hint(t) } : {}) });
  return new SaidError(said(tr), tr.locale === 'en' ? said(tr) : said(english()));
}

/** What a log line says about an error: main's own in English, anything else as it came. */
export function logText(e: unknown): string {
  return e instanceof SaidError ? e.english.message : toIpcError(e).message;
}
