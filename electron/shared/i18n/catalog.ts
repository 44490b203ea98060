/**
 * Every message catalog, by language and area (common: units, phases, Windows 7 warnings, drive
 * notices, error headlines; app: the wizard; main: menus, dialogs, notifications; cli: the terminal).
 * Catalogs are flat JSON files of ICU MessageFormat strings: locales/<language>/<area>.json. English is
 * the source: its keys are the `MessageKey` type, and electron/test/i18n checks every other catalog
 * against it (same keys, same placeholders, no key the code does not use).
 */
import enCommon from './locales/en/common.json';
import enApp from './locales/en/app.json';
import enMain from './locales/en/main.json';
import enCli from './locales/en/cli.json';
import deCommon from './locales/de/common.json';
import deApp from './locales/de/app.json';
import deMain from './locales/de/main.json';
import deCli from './locales/de/cli.json';
import frCommon from './locales/fr/common.json';
import frApp from './locales/fr/app.json';
import frMain from './locales/fr/main.json';
import frCli from './locales/fr/cli.json';
import esCommon from './locales/es/common.json';
import esApp from './locales/es/app.json';
import esMain from './locales/es/main.json';
import esCli from './locales/es/cli.json';
import ptBrCommon from './locales/pt-BR/common.json';
import ptBrApp from './locales/pt-BR/app.json';
import ptBrMain from './locales/pt-BR/main.json';
import ptBrCli from './locales/pt-BR/cli.json';
import ruCommon from './locales/ru/common.json';
import ruApp from './locales/ru/app.json';
import ruMain from './locales/ru/main.json';
import ruCli from './locales/ru/cli.json';
import zhCnCommon from './locales/zh-CN/common.json';
import zhCnApp from './locales/zh-CN/app.json';
import zhCnMain from './locales/zh-CN/main.json';
import zhCnCli from './locales/zh-CN/cli.json';
import plCommon from './locales/pl/common.json';
import plApp from './locales/pl/app.json';
import plMain from './locales/pl/main.json';
import plCli from './locales/pl/cli.json';
import trCommon from './locales/tr/common.json';
import trApp from './locales/tr/app.json';
import trMain from './locales/tr/main.json';
import trCli from './locales/tr/cli.json';
import itCommon from './locales/it/common.json';
import itApp from './locales/it/app.json';
import itMain from './locales/it/main.json';
import itCli from './locales/it/cli.json';
import { pseudoCatalog } from './pseudo.js';
import { PSEUDO_LOCALE, type Locale, type ShippedLocale } from './locales.js';

export const AREAS = ['common', 'app', 'main', 'cli'] as const;
export type Area = (typeof AREAS)[number];

/** Every key of the English catalogs. */
export type MessageKey = keyof typeof enCommon | keyof typeof enApp | keyof typeof enMain | keyof typeof enCli;
export type Messages = Readonly<Partial<Record<MessageKey, string>>>;

/** Each language's catalogs by area, as the JSON files hold them. */
export const CATALOGS: Readonly<Record<ShippedLocale, Readonly<Record<Area, Readonly<Record<string, string>>>>>> = {
  en: { common: enCommon, app: enApp, main: enMain, cli: enCli },
  de: { common: deCommon, app: deApp, main: deMain, cli: deCli },
  fr: { common: frCommon, app: frApp, main: frMain, cli: frCli },
  es: { common: esCommon, app: esApp, main: esMain, cli: esCli },
  'pt-BR': { common: ptBrCommon, app: ptBrApp, main: ptBrMain, cli: ptBrCli },
  ru: { common: ruCommon, app: ruApp, main: ruMain, cli: ruCli },
  'zh-CN': { common: zhCnCommon, app: zhCnApp, main: zhCnMain, cli: zhCnCli },
  pl: { common: plCommon, app: plApp, main: plMain, cli: plCli },
  tr: { common: trCommon, app: trApp, main: trMain, cli: trCli },
  it: { common: itCommon, app: itApp, main: itMain, cli: itCli },
};

function merged(locale: ShippedLocale): Record<string, string> {
  return Object.assign({}, ...AREAS.map((a) => CATALOGS[locale][a])) as Record<string, string>;
}

const cache = new Map<Locale, Messages>();

/** One language's messages, all areas in one map (the pseudo-locale is made from English). */
export function messagesFor(locale: Locale): Messages {
  let m = cache.get(locale);
  if (!m) {
    m = locale === PSEUDO_LOCALE ? pseudoCatalog(merged('en')) : merged(locale);
    cache.set(locale, m);
  }
  return m;
}

/** English, what a message missing from a catalog falls back to. */
export function englishMessages(): Messages {
  return messagesFor('en');
}

