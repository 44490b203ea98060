/**
 * Which image the OS asked us to open: "Open with SevenStick" and a file on the command line arrive
 * as arguments (first launch and a second instance alike); macOS sends `open-file` events instead.
 * Pure (no electron import), unit-tested.
 */
import { statSync } from 'node:fs';
import { extname, resolve } from 'node:path';

/** Extensions the app opens (the installers associate .iso and .img). */
export const OPENABLE_EXTENSIONS = ['.iso', '.img', '.bin', '.raw'];

/**
 * The last argument that names an existing regular file with an image extension, resolved against
 * `cwd`; null when there is none. Switches (`--x`), the executable and the app folder are skipped.
 */
export function imageFromArgs(argv: readonly string[], cwd: string): string | null {
  for (let i = argv.length - 1; i >= 1; i--) {
    const a = argv[i] as string;
    if (a.startsWith('-') || !OPENABLE_EXTENSIONS.includes(extname(a).toLowerCase())) continue;
    const path = resolve(cwd, a);
    try {
      if (statSync(path).isFile()) return path;
    } catch {
      // not a file we can open: keep looking
    }
  }
  return null;
}

/**
 * The language asked for at launch: a `--lang=<locale>` switch (Chromium's own, which Electron also
 * reads for `app.getLocale()`), else SEVENSTICK_LANG. It stands in for the OS's language (tests and
 * pseudo-locale runs use it); a language chosen in the app still wins. Null when neither is given.
 */
export function launchLanguage(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string | null {
  for (let i = argv.length - 1; i >= 1; i--) {
    const m = /^--lang=(.+)$/.exec(argv[i] as string);
    if (m?.[1]) return m[1];
  }
  return env.SEVENSTICK_LANG || null;
}
