/**
 * The native dialogs behind preset:save/load and answers:export/import (handlers.ts asks through its
 * deps, so the e2e host can stand in): the save dialog then the file written, or the open dialog then
 * the file read — a regular file, at most `maxBytes`. Titles, buttons and filter names are in the
 * user's language (`tr`): GTK and Windows would label them in the OS's.
 */
import { dialog, type BrowserWindow, type FileFilter } from 'electron';
import { open, writeFile } from 'node:fs/promises';
import type { Translator } from '../shared/i18n/translator.js';
import type { UserFileKind } from './handlers.js';
import { sayError } from './i18n.js';

interface KindWords {
  save: string;
  open: string;
  defaultPath: string;
  filters: FileFilter[];
}

const KINDS: Record<UserFileKind, (tr: Translator) => KindWords> = {
  preset: (tr) => ({ save: tr.t('main.dialog.savePreset'), open: tr.t('main.dialog.openPreset'), defaultPath: 'sevenstick-preset.json', filters: [{ name: tr.t('main.filter.presets'), extensions: ['json'] }] }),
  answers: (tr) => ({ save: tr.t('main.dialog.saveAnswers'), open: tr.t('main.dialog.openAnswers'), defaultPath: 'autounattend.xml', filters: [{ name: tr.t('main.filter.answerFiles'), extensions: ['xml'] }] }),
};

/** "All files", the filter every dialog ends with. */
export function allFiles(tr: Translator): FileFilter {
  return { name: tr.t('main.filter.allFiles'), extensions: ['*'] };
}

export async function saveUserFile(win: BrowserWindow | null, kind: UserFileKind, text: string, tr: Translator): Promise<boolean> {
  const k = KINDS[kind](tr);
  const opts = { title: k.save, buttonLabel: tr.t('main.dialog.saveButton'), defaultPath: k.defaultPath, filters: [...k.filters, allFiles(tr)] };
  const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
  if (r.canceled || !r.filePath) return false;
  await writeFile(r.filePath, text, 'utf8');
  return true;
}

export async function openUserFile(win: BrowserWindow | null, kind: UserFileKind, maxBytes: number, tr: Translator): Promise<Buffer | null> {
  const k = KINDS[kind](tr);
  const opts = { title: k.open, buttonLabel: tr.t('main.dialog.openButton'), properties: ['openFile' as const], filters: [...k.filters, allFiles(tr)] };
  const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
  const path = r.canceled ? undefined : r.filePaths[0];
  if (!path) return null;
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw sayError(tr, 'E_IO', (t) => t.t('main.error.notAFile', { path }));
    // One byte more than allowed: the handler then says the file is too large.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes + 1));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
