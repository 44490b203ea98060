/**
 * Finding a WIM, and a file inside it, from paths a person types:
 *   `1/Windows/Boot/EFI/bootmgfw.efi`                          image 1 of a plain .wim
 *   `sources/install.wim:1/Windows/Boot/EFI/bootmgfw.efi`       a WIM inside an ISO
 * (The stick's efi/boot/bootx64.efi is decided by one function alone: image/uefi-loader.ts.)
 */
import { SevenStickError } from '../../io/errors.js';
import { ExtentReader } from '../../io/reader.js';
import type { ImageFileSystem } from '../fs.js';
import { openWim, type Wim, type WimEntry } from './wim.js';

export const INSTALL_WIM_PATH = 'sources/install.wim';

/** Splits `N/path/in/image` (or `N:path`) into a 1-based image index and a path. E_ARGS otherwise. */
export function parseImagePath(spec: string): { imageIndex: number; path: string } {
  const m = /^\s*(\d+)(?:[/:\\](.*))?$/.exec(spec);
  if (!m) {
    throw new SevenStickError('E_ARGS', `"${spec}" does not name a file in a WIM image: write <image index>/<path>, e.g. 1/Windows/Boot/EFI/bootmgfw.efi`);
  }
  const imageIndex = Number(m[1]);
  if (!Number.isSafeInteger(imageIndex) || imageIndex < 1) throw new SevenStickError('E_ARGS', `Image index in "${spec}" must be 1 or more`);
  return { imageIndex, path: m[2] ?? '' };
}

/** Splits `sources/install.wim:1/x/y` at the colon that follows a .wim/.esd/.swm name; undefined if there is none. */
export function splitWimSpec(spec: string): { wimPath: string; inner: string } | undefined {
  const m = /^(.*?\.(?:wim|esd|swm)):(.*)$/i.exec(spec);
  return m ? { wimPath: m[1]!, inner: m[2]! } : undefined;
}

/** Opens a WIM stored in an image's filesystem (read in place through its extents). */
export async function openWimInFileSystem(fs: ImageFileSystem, wimPath: string): Promise<Wim> {
  const node = await fs.lookup(wimPath);
  if (!node) throw new SevenStickError('E_NOT_FOUND', `${wimPath} is not in ${fs.reader.label}`, { path: wimPath });
  if (node.isDirectory) throw new SevenStickError('E_ARGS', `${wimPath} in ${fs.reader.label} is a folder`, { path: wimPath });
  return openWim(new ExtentReader(fs.reader, node.extents, `${node.path} in ${fs.reader.label}`));
}

/** Looks a file up in a WIM; E_NOT_FOUND when absent, E_ARGS when it is a folder. */
export async function findWimFile(wim: Wim, imageIndex: number, path: string): Promise<WimEntry> {
  const entry = await wim.lookup(imageIndex, path);
  if (!entry) throw new SevenStickError('E_NOT_FOUND', `${path || '/'} is not in image ${imageIndex} of ${wim.label}`, { path });
  if (entry.isDirectory) throw new SevenStickError('E_ARGS', `${path || '/'} in image ${imageIndex} of ${wim.label} is a folder, not a file`, { path });
  return entry;
}
