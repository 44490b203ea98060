/**
 * What `write` checks before it asks (issue #14): every check that can refuse runs before the prompt —
 * existence and kind (describePath), safety (the constraints), and here the rights to open each target,
 * with the exact `sudo sevenstick …` line when they are missing. The prompt names what it accepts.
 */
import { constants as fsConstants, promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import type { Drive } from '../../engine/index.js';
import { driveName, noticeText } from '../../shared/i18n/phrases.js';
import type { Translator } from '../../shared/i18n/translator.js';
import { CliError, englishTranslator, say, type Said } from '../i18n.js';

/** A word for the shell: quoted only when it needs to be. */
function shellWord(w: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** The command line as the user typed it, run as root: `sudo sevenstick write …`. */
export function sudoLine(argv: readonly string[] = process.argv.slice(2)): string {
  return ['sudo', 'sevenstick', ...argv].map(shellWord).join(' ');
}

/**
 * Refuses (E_DEVICE, exit 3 as before, now before any prompt) a target this process may not open for
 * writing: a device without rights, an existing file it cannot write, a new file in a folder it cannot
 * write. The message ends with the exact line to run instead.
 */
export async function assertCanWrite(drives: readonly Drive[], argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  for (const d of drives) {
    const creating = d.kind === 'file' && !d.exists;
    const place = creating ? dirname(d.device) : d.device;
    const mode = creating ? fsConstants.W_OK | fsConstants.X_OK : fsConstants.R_OK | fsConstants.W_OK;
    try {
      await fsp.access(place, mode);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'EACCES';
      if (code !== 'EACCES' && code !== 'EPERM') continue; // anything else is reported when the target is opened
      const sudo = sudoLine(argv);
      const values = { device: d.device, place, code, sudo };
      throw new CliError('E_DEVICE', { key: creating ? 'cli.rights.create' : 'cli.rights.open', values }, { path: d.device, sudo });
    }
  }
}

/** One line of the prompt per target: its path, the size that will be written, what it is. */
export function promptLine(tr: Translator, d: Drive, newFileSize: number | undefined): string {
  const size = d.kind === 'file' && !d.exists ? (newFileSize !== undefined ? tr.bytes(newFileSize) : tr.t('cli.write.imageSize')) : tr.bytes(d.size);
  return `  ${d.device}  ${size}  ${driveName(tr, d)}`;
}

/** A warning about one target: English for `--json` (`targetWarnings`), and said in the user's language. */
export interface TargetWarning {
  target: string;
  code: string;
  message: string;
  text(tr: Translator): string;
}

/** A warning the engine gave about a target (a Constraint), in the user's language by its code. */
export function constraintWarning(target: string, c: { code: string; message: string; params?: Record<string, string | number> }): TargetWarning {
  return { target, code: c.code, message: c.message, text: (tr) => noticeText(tr, c) };
}

/** The JSON form: target, code and the English sentence. */
export function warningJson(w: TargetWarning): { target: string; code: string; message: string } {
  return { target: w.target, code: w.code, message: w.message };
}

/**
 * `--size` names a new file's size; an existing file keeps its own (README). Said, not silently ignored:
 * a warning for each existing, non-empty file whose size differs.
 */
export function sizeIgnoredWarnings(drives: readonly Drive[], size: number | undefined): TargetWarning[] {
  if (size === undefined) return [];
  return drives
    .filter((d) => d.kind === 'file' && d.exists && d.size !== null && d.size > 0 && d.size !== size)
    .map((d) => {
      const said: Said = { key: 'cli.write.sizeIgnored', values: (tr) => ({ size: tr.bytes(size), device: d.device, own: tr.bytes(d.size) }) };
      return { target: d.device, code: 'size-ignored', message: say(englishTranslator(), said), text: (tr) => say(tr, said) };
    });
}
