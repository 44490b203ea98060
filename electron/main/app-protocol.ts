/**
 * The renderer's origin: `app://sevenstick/…`, a privileged (standard + secure) custom scheme served
 * from build/renderer only, instead of file:// (which would let a page reach any file on the disk and
 * needs Electron's extra file:// privileges). Electron-free and unit-tested: main/index.ts registers
 * the scheme and hands every request to `serveAppRequest`.
 *
 * Resolution: only the host `sevenstick`; the URL's path (already dot-segment-normalised by the URL
 * parser, `%2e%2e` included) is percent-decoded, and any remaining `..` segment, backslash, NUL or
 * encoded slash is refused; the file must lie inside the root (checked on the resolved path), be a
 * regular file and not a symbolic link, and have a known type. Query strings and fragments are ignored.
 * Every answer — files and refusals alike — carries the CSP header.
 */
import { promises as fsp } from 'node:fs';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'sevenstick';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window loads. */
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** The renderer's policy (also in renderer/index.html), sent with every app:// response. */
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The types the renderer bundle uses; anything else is not served. */
export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

export function mimeType(file: string): string | null {
  return MIME_TYPES[extname(file).toLowerCase()] ?? null;
}

/** The file under `root` an app:// URL names, or null when the URL is not ours or escapes the root. */
export function resolveAppPath(url: string, root: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.hostname !== APP_HOST || u.port !== '' || u.username !== '' || u.password !== '') return null;
  // An encoded slash or backslash would smuggle a separator past the parser's normalisation.
  if (/%2f|%5c|%00/i.test(u.pathname)) return null;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  if (segments.length === 0) segments.push('index.html');
  const base = resolve(root);
  const file = resolve(base, ...segments);
  const rel = relative(base, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  return file;
}

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | null;
}

function headersFor(contentType: string | null): Record<string, string> {
  return {
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    ...(contentType ? { 'Content-Type': contentType } : {}),
  };
}

/** Answers one app:// request (GET/HEAD only) from the files under `root`. */
export async function serveAppRequest(req: { url: string; method: string }, root: string): Promise<AppResponse> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, headers: headersFor(null), body: null };
  const file = resolveAppPath(req.url, root);
  const type = file ? mimeType(file) : null;
  if (!file || !type) return { status: 404, headers: headersFor(null), body: null };
  try {
    const st = await fsp.lstat(file);
    if (!st.isFile()) return { status: 404, headers: headersFor(null), body: null };
    const body = req.method === 'HEAD' ? null : new Uint8Array(await fsp.readFile(file));
    return { status: 200, headers: headersFor(type), body };
  } catch {
    return { status: 404, headers: headersFor(null), body: null };
  }
}

/**
 * Which page the window loads: the dev server (SEVENSTICK_DEV_URL, a plain http URL on localhost) only
 * when the app is not packaged; a packaged app always loads its own app:// page.
 */
export function chooseAppUrl(opts: { isPackaged: boolean; devUrl: string | undefined }): string {
  const dev = opts.devUrl;
  if (opts.isPackaged || !dev) return APP_URL;
  return /^http:\/\/(localhost|127\.0\.0\.1):\d{1,5}\/?$/.test(dev) ? dev : APP_URL;
}
