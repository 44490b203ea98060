/**
 * Windows 7's own identifiers for the answer file, bundled as data with their sources:
 * assets/unattend/timezones.json (time zone IDs) and assets/unattend/locales.json (language tags with
 * their LCIDs, keyboard layouts by KLID). This module is the only one in unattend/ that reads files.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SevenStickError } from '../../io/errors.js';

export interface TimeZoneEntry {
  id: string;
  label: string;
}

export interface LocaleEntry {
  tag: string;
  /** The language identifier, 4 hex digits (InputLocale's first half). */
  lcid: string;
  name: string;
  /** The keyboard layout SevenStick proposes for this locale. */
  keyboard: string;
  /** A Windows 7 language pack: may be setup's and Windows' display language. */
  setupLanguage: boolean;
}

export interface KeyboardEntry {
  id: string;
  name: string;
}

export interface UnattendData {
  timeZones: TimeZoneEntry[];
  locales: LocaleEntry[];
  keyboards: KeyboardEntry[];
}

function readJson(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new SevenStickError('E_IO', `Cannot read SevenStick's data file ${path}: ${e instanceof Error ? e.message : String(e)}`, { path });
  }
}

function list<T>(doc: Record<string, unknown>, key: string, path: string): T[] {
  const v = doc[key];
  if (!Array.isArray(v) || v.length === 0) throw new SevenStickError('E_IO', `SevenStick's data file ${path} has no "${key}" list`, { path });
  return v as T[];
}

/** The assets folder: $SEVENSTICK_ASSETS when set (as for the boot code), else <repo or app>/assets. */
function assetsDir(): string {
  const env = process.env['SEVENSTICK_ASSETS'];
  return env ? resolve(env) : resolve(__dirname, '..', '..', '..', '..', '..', 'assets');
}

const cache = new Map<string, UnattendData>();

/** Loads the bundled lists from `<assetsRoot>/unattend/` (once per folder). */
export function loadUnattendData(assetsRoot: string = assetsDir()): UnattendData {
  const hit = cache.get(assetsRoot);
  if (hit) return hit;
  const tzPath = join(assetsRoot, 'unattend', 'timezones.json');
  const locPath = join(assetsRoot, 'unattend', 'locales.json');
  const tz = readJson(tzPath);
  const loc = readJson(locPath);
  const data: UnattendData = {
    timeZones: list<TimeZoneEntry>(tz, 'zones', tzPath),
    locales: list<LocaleEntry>(loc, 'locales', locPath),
    keyboards: list<KeyboardEntry>(loc, 'keyboards', locPath),
  };
  cache.set(assetsRoot, data);
  return data;
}
