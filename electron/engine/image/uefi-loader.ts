/**
 * The one rule for the stick's UEFI loader, efi/boot/bootx64.efi. It is either
 *   - the ISO's own efi/boot/bootx64.efi (copied like every other file), or
 *   - exactly install.wim image 1's Windows/Boot/EFI/bootmgfw.efi: read in full here, its SHA-1 checked
 *     against the WIM's blob table, and then served from memory (so what is planned is what is written), or
 *   - absent, with a warning that says the stick boots in BIOS (Legacy/CSM) mode only, and why.
 * Never an empty or partial file: every way the WIM can be damaged (header, blob table, hashes, chunk
 * tables, compressed data, metadata, XML) lands on "absent with a warning". The layout, the write job's
 * warnings, inspect and verify all ask this function.
 */
import { createHash } from 'node:crypto';
import { SevenStickError } from '../io/errors.js';
import type { ImageFileSystem } from './fs.js';
import { openWim } from './wim/wim.js';

export const BOOTX64_PATH = 'efi/boot/bootx64.efi';
export const BOOTMGFW_IN_WIM = 'Windows/Boot/EFI/bootmgfw.efi';
/** bootmgfw.efi is well under 2 MiB; anything this large is not a boot manager (and is not read into memory). */
export const MAX_LOADER_BYTES = 32 * 1024 * 1024;

export type UefiLoader =
  /** The ISO has efi/boot/bootx64.efi itself. */
  | { source: 'iso' }
  /** Taken from install.wim image 1; `bytes` are exactly bootmgfw.efi, SHA-1 checked. */
  | { source: 'install.wim'; wimPath: string; bytes: Buffer; sha1: string; mtime: Date }
  /**
   * No loader: the stick boots in BIOS mode only. `warning` says so and why; `reason` is the why alone,
   * in English; `reasonCode` and `reasonParams` are the same why as data (for the user's language).
   */
  | { source: 'none'; reason: string; reasonCode: BiosOnlyReason; reasonParams: Record<string, string | number>; warning: string; damaged: boolean };

/**
 * Why a stick boots in BIOS mode only. Params: `wimPath` (the install image's path), `arch` (x86, ia64 or
 * 'unknown'), `loaderBytes` (a number), `detail` (an engine error message, English).
 */
export type BiosOnlyReason =
  | 'x86'
  | 'arch'
  | 'no-install-wim'
  | 'esd'
  | 'split-wim'
  | 'no-uefi-files'
  | 'wim-missing'
  | 'no-bootmgfw'
  | 'bootmgfw-folder'
  | 'bootmgfw-empty'
  | 'bootmgfw-too-large'
  | 'bootmgfw-sha1'
  | 'wim-unreadable';

/** What the rule needs to know about the media (WindowsInfo's facts). */
export interface LoaderFacts {
  arch: string;
  uefi: boolean;
  installImage: { path: string; format: 'wim' | 'esd' | 'swm' } | null;
}

export const BIOS_ONLY_PREFIX = 'The stick will boot in BIOS (Legacy/CSM) mode only';

function none(reasonCode: BiosOnlyReason, reasonParams: Record<string, string | number>, reason: string, damaged = false): UefiLoader {
  return { source: 'none', reason, reasonCode, reasonParams, damaged, warning: `${BIOS_ONLY_PREFIX}: ${reason}.` };
}

/** A BIOS-only loader's why as one notice's params: `reason` (the BiosOnlyReason) and that reason's own params. */
export function biosOnlyParams(loader: Extract<UefiLoader, { source: 'none' }>): Record<string, string | number> {
  return { reason: loader.reasonCode, ...loader.reasonParams };
}

/** Reads bootmgfw.efi from install.wim image 1 and checks it; a SevenStickError (not E_IO/E_CANCELLED) says why not. */
async function loaderFromWim(fs: ImageFileSystem, wimPath: string): Promise<UefiLoader> {
  const node = await fs.lookup(wimPath);
  if (!node || node.isDirectory) return none('wim-missing', { wimPath }, `${wimPath} is missing`);
  const wim = await openWim(fs.open(node));
  const entry = await wim.lookup(1, BOOTMGFW_IN_WIM);
  if (!entry) return none('no-bootmgfw', { wimPath }, `image 1 of ${wimPath} has no ${BOOTMGFW_IN_WIM}`, true);
  if (entry.isDirectory) return none('bootmgfw-folder', { wimPath }, `${BOOTMGFW_IN_WIM} in image 1 of ${wimPath} is a folder`, true);
  if (entry.sha1 === null) return none('bootmgfw-empty', { wimPath }, `${BOOTMGFW_IN_WIM} in image 1 of ${wimPath} is empty`, true);
  // open() refuses a hash the blob table does not list (the size would otherwise read as 0).
  const reader = wim.open(entry);
  if (reader.size === 0) return none('bootmgfw-empty', { wimPath }, `${BOOTMGFW_IN_WIM} in image 1 of ${wimPath} is empty`, true);
  if (reader.size > MAX_LOADER_BYTES) return none('bootmgfw-too-large', { wimPath, loaderBytes: reader.size }, `${BOOTMGFW_IN_WIM} in image 1 of ${wimPath} is implausibly large (${reader.size} bytes)`, true);
  const bytes = await reader.read(0, reader.size);
  // Reading it front to back checked the SHA-1 against the blob table (E_CHECKSUM otherwise); check again, independently.
  const sha1 = createHash('sha1').update(bytes).digest('hex');
  if (!reader.verified || sha1 !== entry.sha1 || bytes.length !== reader.size) {
    return none('bootmgfw-sha1', { wimPath }, `${BOOTMGFW_IN_WIM} in ${wimPath} does not match its SHA-1 (the WIM is damaged)`, true);
  }
  return { source: 'install.wim', wimPath, bytes, sha1, mtime: entry.lastWriteTime };
}

/**
 * Decides the stick's UEFI loader for Windows media. Throws only for E_IO and E_CANCELLED (the image
 * itself cannot be read); a damaged or unusable install.wim gives `{ source: 'none' }` with a warning.
 */
export async function resolveUefiLoader(fs: ImageFileSystem, facts: LoaderFacts): Promise<UefiLoader> {
  const own = await fs.lookup(BOOTX64_PATH);
  if (own && !own.isDirectory && own.size > 0) return { source: 'iso' };
  if (facts.arch === 'x86') return none('x86', {}, '32-bit (x86) Windows 7 cannot boot via UEFI');
  if (facts.arch !== 'x64') return none('arch', { arch: facts.arch }, `the media's architecture is ${facts.arch === 'unknown' ? 'unknown' : facts.arch}, and only x64 Windows 7 boots via UEFI`);
  const img = facts.installImage;
  if (!img) return none('no-install-wim', {}, 'the image has no sources/install.wim to take the UEFI boot file from');
  if (img.format === 'esd') return none('esd', { wimPath: img.path }, `${img.path} is LZMS-compressed (an .esd), which SevenStick cannot unpack`);
  if (img.format === 'swm') return none('split-wim', { wimPath: img.path }, `${img.path} is a split WIM, which SevenStick does not read`);
  if (!facts.uefi) return none('no-uefi-files', {}, 'the media has no UEFI boot files (bootmgr.efi, efi/microsoft/boot)');
  try {
    return await loaderFromWim(fs, img.path);
  } catch (e) {
    if (!(e instanceof SevenStickError) || e.code === 'E_IO' || e.code === 'E_CANCELLED') throw e;
    return none('wim-unreadable', { wimPath: img.path, detail: e.message }, `the UEFI boot file could not be taken from ${img.path} (${e.message})`, true);
  }
}
