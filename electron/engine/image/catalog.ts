/**
 * Catalog of known official Windows 7 releases (file name + SHA-1/SHA-256 as third parties list
 * Microsoft's files publicly, with the sources that list each). The built-in list is
 * assets/catalog/windows7.json; a user adds entries in a JSON file at $SEVENSTICK_CATALOG or
 * ~/.config/sevenstick/catalog.json (same shape: `{"entries":[…]}` or a bare array; only `file` and a
 * hash are required). A match only ever says "matches <file> as listed publicly". A file named like a
 * listed release (its `file` or one of its `aliases`) whose checksums differ is reported as modified.
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
  /** RTM, SP1 or SP1 U (the SP1 media refresh, `_u_` in MSDN names). */
  release?: string;
  /** MSDN/TechNet, VLSC, Retail (Digital River), … */
  channel?: string;
  /** Other names the same file is published under (e.g. a Digital River `X17-59183.iso`). */
  aliases?: string[];
  /** Where the checksum is listed (shown in the UI): the first of `sources`. */
  source?: string;
  /** Every public listing found for this entry. */
  sources?: string[];
  /** True when only one source lists this entry. */
  singleSource?: boolean;
  /** 'builtin' or the path of the user catalog it came from. */
  origin?: string;
}

export interface CatalogMatch {
  file: string;
  by: 'sha1' | 'sha256' | 'sha1+sha256';
  source?: string;
  /** True when only one public source lists the matched entry. */
  singleSource?: boolean;
  origin: string;
  message: string;
}

/**
 * A file named like a listed release (its `file` or an alias, case-insensitively) whose checksums
 * differ from the listed ones: most likely modified (or damaged). Carries both hashes.
 */
export interface CatalogMismatch {
  /** The listed release's file name. */
  file: string;
  /** The listed SHA-1/SHA-256 (null when the entry lists none). */
  expectedSha1: string | null;
  expectedSha256: string | null;
  /** The image's own checksums. */
  sha1: string;
  sha256: string;
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
    for (const k of ['edition', 'arch', 'language', 'release', 'channel', 'source'] as const) if (typeof e[k] === 'string') out[k] = e[k];
    if (typeof e['size'] === 'number' && Number.isSafeInteger(e['size'])) out.size = e['size'];
    const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);
    const aliases = strings(e['aliases']);
    if (aliases?.length) out.aliases = aliases;
    const sources = strings(e['sources']);
    if (sources?.length) {
      out.sources = sources;
      out.source ??= sources[0];
    }
    if (typeof e['singleSource'] === 'boolean') out.singleSource = e['singleSource'];
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
    if (e.singleSource !== undefined) m.singleSource = e.singleSource;
    return m;
  }
  return null;
}

/** The listed release whose file name (or an alias) equals `fileName`, ignoring case as Windows does. */
export function findByName(fileName: string, catalog: Catalog): CatalogEntry | undefined {
  const want = fileName.toLowerCase();
  return catalog.entries.find((e) => e.file.toLowerCase() === want || (e.aliases ?? []).some((a) => a.toLowerCase() === want));
}

/**
 * A file named like a listed release whose checksums are not that release's: flagged as modified.
 * Null when the digests match the catalog (then it is no mismatch, whatever the name) or the name is
 * not a listed one.
 */
export function mismatchCatalog(fileName: string, d: Digests, catalog: Catalog): CatalogMismatch | null {
  if (matchCatalog(d, catalog)) return null;
  const e = findByName(fileName, catalog);
  if (!e) return null;
  const expectedSha1 = e.sha1 ?? null;
  const expectedSha256 = e.sha256 ?? null;
  const expected = expectedSha1 ? `SHA-1 ${expectedSha1}` : `SHA-256 ${expectedSha256 ?? ''}`;
  const actual = expectedSha1 ? `SHA-1 ${d.sha1}` : `SHA-256 ${d.sha256}`;
  const m: CatalogMismatch = {
    file: e.file,
    expectedSha1,
    expectedSha256,
    sha1: d.sha1,
    sha256: d.sha256,
    origin: e.origin ?? 'builtin',
    message: `modified: named like ${e.file}, but its checksum differs from the one listed publicly (listed ${expected}, this file ${actual})`,
  };
  if (e.source) m.source = e.source;
  return m;
}

/** Compares digests with a checksum the user pasted (SHA-1 or SHA-256 hex, any case, spaces ignored). */
export function matchChecksum(d: Digests, pasted: string): { algorithm: 'sha1' | 'sha256'; matches: boolean } | null {
  const hex = pasted.replace(/\s+/g, '').toLowerCase();
  if (HEX40.test(hex)) return { algorithm: 'sha1', matches: hex === d.sha1 };
  if (HEX64.test(hex)) return { algorithm: 'sha256', matches: hex === d.sha256 };
  return null;
}
