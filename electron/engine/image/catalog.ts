/**
 * Catalog of known official Windows 7 releases (file name + SHA-1/SHA-256 as third parties list
 * Microsoft's files publicly; README, "Command line", `inspect --hash`). The built-in list is assets/catalog/windows7.json; a user
 * adds entries in a JSON file at $SEVENSTICK_CATALOG or ~/.config/sevenstick/catalog.json (same shape:
 * `{"entries":[…]}` or a bare array). A match only ever says "matches <file> as listed publicly".
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Digests } from './checksum.js';

export interface CatalogEntry {
  file: string;
  sha1?: string;
  sha256?: string;
  size?: number;
  edition?: string;
  arch?: string;
  language?: string;
  /** Where the checksum is listed (shown in the UI). */
  source?: string;
  /** 'builtin' or the path of the user catalog it came from. */
  origin?: string;
}

export interface CatalogMatch {
  file: string;
  by: 'sha1' | 'sha256' | 'sha1+sha256';
  source?: string;
  origin: string;
  message: string;
}

export interface Catalog {
  entries: CatalogEntry[];
  /** Problems with the user catalog (it is skipped, never fatal). */
  warnings: string[];
}

/** Built-in catalog path: <repo or app>/assets/catalog/windows7.json. */
export const BUILTIN_CATALOG = resolve(__dirname, '..', '..', '..', '..', 'assets', 'catalog', 'windows7.json');

export function userCatalogPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env['SEVENSTICK_CATALOG']) return env['SEVENSTICK_CATALOG'];
  const base = env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return join(base, 'sevenstick', 'catalog.json');
}

const HEX40 = /^[0-9a-f]{40}$/;
const HEX64 = /^[0-9a-f]{64}$/;

/** Validates a parsed catalog document; returns the good entries and a note per bad one. */
export function parseCatalog(doc: unknown, origin: string): Catalog {
  const warnings: string[] = [];
  const list = Array.isArray(doc) ? doc : doc && typeof doc === 'object' && Array.isArray((doc as { entries?: unknown }).entries) ? (doc as { entries: unknown[] }).entries : undefined;
  if (!list) return { entries: [], warnings: [`${origin}: expected {"entries":[…]} or an array`] };
  const entries: CatalogEntry[] = [];
  list.forEach((raw: unknown, i: number) => {
    const e = raw as Record<string, unknown>;
    const sha1 = typeof e?.['sha1'] === 'string' ? e['sha1'].toLowerCase() : undefined;
    const sha256 = typeof e?.['sha256'] === 'string' ? e['sha256'].toLowerCase() : undefined;
    if (!e || typeof e['file'] !== 'string' || (!sha1 && !sha256) || (sha1 && !HEX40.test(sha1)) || (sha256 && !HEX64.test(sha256))) {
      warnings.push(`${origin}: entry ${i + 1} needs "file" and a valid "sha1" (40 hex) or "sha256" (64 hex)`);
      return;
    }
    const out: CatalogEntry = { file: e['file'], origin };
    if (sha1) out.sha1 = sha1;
    if (sha256) out.sha256 = sha256;
    for (const k of ['edition', 'arch', 'language', 'source'] as const) if (typeof e[k] === 'string') out[k] = e[k];
    if (typeof e['size'] === 'number' && Number.isSafeInteger(e['size'])) out.size = e['size'];
    entries.push(out);
  });
  return { entries, warnings };
}

function loadFile(path: string, origin: string): Catalog {
  try {
    return parseCatalog(JSON.parse(readFileSync(path, 'utf8')) as unknown, origin);
  } catch (e) {
    return { entries: [], warnings: [`${path}: cannot read the catalog (${e instanceof Error ? e.message : String(e)})`] };
  }
}

/** The built-in catalog plus the user's (if the file exists). */
export function loadCatalog(opts: { builtinPath?: string; userPath?: string | null } = {}): Catalog {
  const builtin = loadFile(opts.builtinPath ?? BUILTIN_CATALOG, 'builtin');
  const userPath = opts.userPath === undefined ? userCatalogPath() : opts.userPath;
  if (userPath === null || !existsSync(userPath)) return builtin;
  const user = loadFile(userPath, userPath);
  return { entries: [...builtin.entries, ...user.entries], warnings: [...builtin.warnings, ...user.warnings] };
}

/** The catalog entry the digests match, if any. A listed hash that disagrees is no match. */
export function matchCatalog(d: Digests, catalog: Catalog): CatalogMatch | null {
  for (const e of catalog.entries) {
    const s1 = e.sha1 === undefined ? undefined : e.sha1 === d.sha1;
    const s256 = e.sha256 === undefined ? undefined : e.sha256 === d.sha256;
    if (s1 === false || s256 === false || (s1 === undefined && s256 === undefined)) continue;
    const by = s1 && s256 ? 'sha1+sha256' : s1 ? 'sha1' : 'sha256';
    const m: CatalogMatch = { file: e.file, by, origin: e.origin ?? 'builtin', message: `matches ${e.file} as listed publicly` };
    if (e.source) m.source = e.source;
    return m;
  }
  return null;
}

/** Compares digests with a checksum the user pasted (SHA-1 or SHA-256 hex, any case, spaces ignored). */
export function matchChecksum(d: Digests, pasted: string): { algorithm: 'sha1' | 'sha256'; matches: boolean } | null {
  const hex = pasted.replace(/\s+/g, '').toLowerCase();
  if (HEX40.test(hex)) return { algorithm: 'sha1', matches: hex === d.sha1 };
  if (HEX64.test(hex)) return { algorithm: 'sha256', matches: hex === d.sha256 };
  return null;
}
