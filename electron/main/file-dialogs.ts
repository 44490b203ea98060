/**
 * The native dialogs behind preset:save/load and answers:export/import (handlers.ts asks through its
 * deps, so the e2e host can stand in): the save dialog then the file written, or the open dialog then
 * the file read — a regular file, at most `maxBytes`.
 */
import { dialog, type BrowserWindow, type FileFilter } from 'electron';
import { open, writeFile } from 'node:fs/promises';
import type { UserFileKind } from './handlers.js';

const KINDS: Record<UserFileKind, { title: string; defaultPath: string; filters: FileFilter[] }> = {
  preset: { title: 'SevenStick preset', defaultPath: 'sevenstick-preset.json', filters: [{ name: 'SevenStick presets', extensions: ['json'] }] },
  answers: { title: 'Answer file', defaultPath: 'autounattend.xml', filters: [{ name: 'Answer files', extensions: ['xml'] }] },
};
const ALL_FILES: FileFilter = { name: 'All files', extensions: ['*'] };

export async function saveUserFile(win: BrowserWindow | null, kind: UserFileKind, text: string): Promise<boolean> {
  const k = KINDS[kind];
  const opts = { title: `Save the ${k.title.toLowerCase()}`, defaultPath: k.defaultPath, filters: [...k.filters, ALL_FILES] };
  const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
  if (r.canceled || !r.filePath) return false;
  await writeFile(r.filePath, text, 'utf8');
  return true;
}

export async function openUserFile(win: BrowserWindow | null, kind: UserFileKind, maxBytes: number): Promise<Buffer | null> {
  const k = KINDS[kind];
  const opts = { title: `Open a ${k.title.toLowerCase()}`, properties: ['openFile' as const], filters: [...k.filters, ALL_FILES] };
  const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
  const path = r.canceled ? undefined : r.filePaths[0];
  if (!path) return null;
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new Error(`${path} is not a file`);
    // One byte more than allowed: the handler then says the file is too large.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes + 1));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
