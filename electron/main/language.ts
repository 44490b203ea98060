/**
 * The app's language: the user's choice (remembered in settings.json in the app's data folder) or,
 * without one, the OS's (`app.getPreferredSystemLanguages()`, then `app.getLocale()`). Main's menu,
 * dialogs and notifications and the wizard all speak what `current()` says.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isLocale, type Locale } from '../shared/i18n/locales.js';
import type { LanguageSettings } from './handlers.js';

export interface LanguageOptions {
  /** The OS's language, matched to one SevenStick has. */
  os(): Locale;
  /** The remembered choice at start. */
  choice?: Locale | null;
  /** Remembers a new choice. */
  save?(choice: Locale | null): void;
  /** Called with the language in use after every choice (main rebuilds its menu). */
  applied?(locale: Locale): void;
}

export function languageSettings(opts: LanguageOptions): LanguageSettings {
  let choice = opts.choice ?? null;
  const current = (): Locale => choice ?? opts.os();
  return {
    current,
    choice: () => choice,
    choose(locale) {
      choice = locale;
      opts.save?.(choice);
      const now = current();
      opts.applied?.(now);
      return now;
    },
  };
}

/** The settings file: `{"language": "de"}`; anything unreadable or unknown counts as no choice. */
export function readLanguageChoice(file: string): Locale | null {
  try {
    const v = (JSON.parse(readFileSync(file, 'utf8')) as { language?: unknown }).language;
    return isLocale(v) ? v : null;
  } catch {
    return null;
  }
}

/** Writes the choice (null: the key is dropped), through a temporary file so a crash leaves the old one. */
export function writeLanguageChoice(file: string, choice: Locale | null): void {
  let settings: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) settings = parsed as Record<string, unknown>;
  } catch {
    // No file yet, or an unreadable one: start afresh.
  }
  if (choice === null) delete settings.language;
  else settings.language = choice;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file + '.tmp', JSON.stringify(settings, null, 2) + '\n', { mode: 0o600 });
  renameSync(file + '.tmp', file);
}
