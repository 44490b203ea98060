/**
 * What a user may change on a Windows stick (issue #13, parts 1 and 2), applied to the planned tree so
 * the generated files are part of the streamed image — nothing is staged on disk:
 *
 *   autounattend.xml   at the stick's root: the answer file's bytes, unchanged
 *   sources/ei.cfg     dropped with showAllEditions (setup then offers every edition of install.wim)
 *   sources/install.wim  with onlyEdition: the WIM holding the chosen image alone (planSlimWim: its exact
 *                      size is known before writing; its bytes are produced on the fly from the ISO's WIM)
 *   sevenstick.json    the manifest: what was customized, so `verify` can re-verify the stick later
 *
 * A stick without customization gets none of this (no manifest): it stays byte-identical to before.
 */
import { createHash } from 'node:crypto';
import { SevenStickError } from '../io/errors.js';
import { BufferReader } from '../io/reader.js';
import type { ImageFileSystem } from '../image/fs.js';
import { checkImportedAnswerFile, readAnswerFile } from '../image/unattend/read.js';
import { planSlimWim, type SlimWim } from '../image/wim/slim.js';
import { INSTALL_WIM_PATH, openWimInFileSystem } from '../image/wim/source.js';
import type { WindowsInfo } from '../image/windows-media.js';
import { MAX_ANSWER_XML_BYTES } from '../../shared/validate.js';
import { addSourceFile, findSourcePath, removeSourcePath, type SourceEntry } from '../layout/source.js';

/** The customization of a Windows stick (the contract the CLI, the helper and main share). */
export interface WindowsCustomization {
  /** 1-based index of the edition in install.wim. */
  edition?: number;
  /** Keep only `edition` in the stick's install.wim (requires edition). */
  onlyEdition?: boolean;
  /** Drop sources/ei.cfg so setup offers every edition. */
  showAllEditions?: boolean;
  /** autounattend.xml's bytes, already checked (checkImportedAnswerFile). */
  unattend?: Buffer;
}

/** The same customization as it crosses IPC and the helper's socket (shared/contract.ts's WriteRequest.windows). */
export interface WindowsCustomizationRequest {
  edition: number | null;
  onlyEdition: boolean;
  showAllEditions: boolean;
  unattendXml: string | null;
}

export const AUTOUNATTEND_PATH = 'autounattend.xml';
export const MANIFEST_PATH = 'sevenstick.json';
export const EI_CFG_PATH = 'sources/ei.cfg';
export const MANIFEST_VERSION = 1;

/** sevenstick.json: English keys, stable; version 1. */
export interface StickManifest {
  version: 1;
  edition: number | null;
  onlyEdition: boolean;
  showAllEditions: boolean;
  /** SHA-256 (hex) of the stick's autounattend.xml, or null when SevenStick put none there. */
  autounattendSha256: string | null;
}

/** Whether `w` changes anything (a plain stick has no manifest). */
export function isCustomized(w: WindowsCustomization | undefined): w is WindowsCustomization {
  return !!w && (w.edition !== undefined || !!w.onlyEdition || !!w.showAllEditions || w.unattend !== undefined);
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function manifestOf(w: WindowsCustomization): StickManifest {
  return {
    version: MANIFEST_VERSION,
    edition: w.edition ?? null,
    onlyEdition: !!w.onlyEdition,
    showAllEditions: !!w.showAllEditions,
    autounattendSha256: w.unattend ? sha256Hex(w.unattend) : null,
  };
}

/** The manifest's bytes: JSON, keys in this order, two-space indent, LF, trailing newline. */
export function encodeManifest(m: StickManifest): Buffer {
  const ordered: StickManifest = { version: m.version, edition: m.edition, onlyEdition: m.onlyEdition, showAllEditions: m.showAllEditions, autounattendSha256: m.autounattendSha256 };
  return Buffer.from(JSON.stringify(ordered, null, 2) + '\n', 'utf8');
}

/** Reads a stick's sevenstick.json; E_FORMAT when it is not a version-1 manifest SevenStick writes. */
export function parseManifest(bytes: Buffer): StickManifest {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new SevenStickError('E_FORMAT', `${MANIFEST_PATH} on the stick is not JSON`, { path: MANIFEST_PATH, issue: 'notJson' });
  }
  const d = doc as Record<string, unknown>;
  const keys = ['version', 'edition', 'onlyEdition', 'showAllEditions', 'autounattendSha256'];
  const ok =
    typeof doc === 'object' &&
    doc !== null &&
    !Array.isArray(doc) &&
    Object.keys(d).length === keys.length &&
    keys.every((k) => k in d) &&
    d['version'] === MANIFEST_VERSION &&
    (d['edition'] === null || (Number.isSafeInteger(d['edition']) && (d['edition'] as number) >= 1)) &&
    typeof d['onlyEdition'] === 'boolean' &&
    typeof d['showAllEditions'] === 'boolean' &&
    (d['autounattendSha256'] === null || (typeof d['autounattendSha256'] === 'string' && /^[0-9a-f]{64}$/.test(d['autounattendSha256'])));
  if (!ok) throw new SevenStickError('E_FORMAT', `${MANIFEST_PATH} on the stick is not a version ${MANIFEST_VERSION} SevenStick manifest`, { path: MANIFEST_PATH, issue: 'notVersion', version: MANIFEST_VERSION });
  return d as unknown as StickManifest;
}

/** The customization a manifest records (the answer file's bytes are not in it: only their hash). */
export function customizationOfManifest(m: StickManifest): WindowsCustomization {
  const w: WindowsCustomization = {};
  if (m.edition !== null) w.edition = m.edition;
  if (m.onlyEdition) w.onlyEdition = true;
  if (m.showAllEditions) w.showAllEditions = true;
  return w;
}

/**
 * Refuses (E_ARGS, before anything is written) a customization that does not fit the media: an edition
 * install.wim does not have, onlyEdition without an edition or without install.wim, an answer file for
 * another architecture or one that picks an image the slimmed install.wim will not have.
 */
export function checkCustomization(w: WindowsCustomization, info: WindowsInfo): void {
  if (w.onlyEdition && w.edition === undefined) throw new SevenStickError('E_ARGS', 'Keeping only one edition needs the edition: give --edition N');
  if (w.edition !== undefined) {
    if (!Number.isSafeInteger(w.edition) || w.edition < 1) throw new SevenStickError('E_ARGS', `Bad edition index ${w.edition}: editions are numbered from 1`);
    if (info.installImage?.format !== 'wim') throw new SevenStickError('E_ARGS', 'This media has no sources/install.wim to choose an edition from');
    if (!info.editions.some((e) => e.index === w.edition)) {
      throw new SevenStickError('E_ARGS', `install.wim has no edition ${w.edition} (it has ${info.editions.map((e) => `${e.index}: ${e.name}`).join(', ') || 'none listed'})`);
    }
  }
  if (!w.unattend) return;
  checkImportedAnswerFile(w.unattend, info);
  if (!w.onlyEdition) return;
  const chosen = info.editions.find((e) => e.index === w.edition);
  const pick = readAnswerFile(w.unattend).edition;
  const fine = !pick || (pick.key === '/IMAGE/INDEX' && pick.value.trim() === '1') || (pick.key === '/IMAGE/NAME' && pick.value.trim().toLowerCase() === chosen?.name.toLowerCase());
  if (!fine) {
    throw new SevenStickError(
      'E_ARGS',
      `The answer file picks the edition by ${pick.key} = ${pick.value}, but the stick's install.wim will hold only edition ${w.edition} (${chosen?.name ?? '?'}) as its image 1: pick it by name (/IMAGE/NAME) in the answer file`,
    );
  }
}

/** The customization from its IPC/helper form, checked against the media (untrusted input: size, well-formed, architecture). */
export function customizationFromRequest(req: WindowsCustomizationRequest, info: WindowsInfo): WindowsCustomization {
  const w: WindowsCustomization = {};
  if (req.edition !== null) w.edition = req.edition;
  if (req.onlyEdition) w.onlyEdition = true;
  if (req.showAllEditions) w.showAllEditions = true;
  if (req.unattendXml !== null) {
    const bytes = Buffer.from(req.unattendXml, 'utf8');
    if (bytes.length > MAX_ANSWER_XML_BYTES) throw new SevenStickError('E_ARGS', `The answer file is too large (${bytes.length} bytes; at most ${MAX_ANSWER_XML_BYTES})`);
    w.unattend = bytes;
  }
  checkCustomization(w, info);
  return w;
}

/** The stick's install.wim with only `edition` kept (its size is exact before any byte is produced). */
export async function slimInstallWim(fs: ImageFileSystem, edition: number): Promise<SlimWim> {
  return planSlimWim(await openWimInFileSystem(fs, INSTALL_WIM_PATH), edition);
}

/**
 * The tree the stick gets for `w`: install.wim slimmed, ei.cfg dropped, autounattend.xml and the
 * manifest added at the root (times: the file replaced, else the ISO root's, so the same inputs give
 * the same stick). `w` must have passed checkCustomization.
 */
export async function customizeTree(tree: SourceEntry, fs: ImageFileSystem, w: WindowsCustomization): Promise<SourceEntry> {
  if (!isCustomized(w)) return tree;
  const mtime = tree.mtime;
  let out = tree;
  if (w.onlyEdition && w.edition !== undefined) {
    const slim = await slimInstallWim(fs, w.edition);
    const old = findSourcePath(out, INSTALL_WIM_PATH);
    out = addSourceFile(out, INSTALL_WIM_PATH, { name: 'install.wim', isDirectory: false, size: slim.size, mtime: old?.mtime ?? mtime, open: () => slim });
  }
  if (w.showAllEditions) out = removeSourcePath(out, EI_CFG_PATH);
  const file = (name: string, bytes: Buffer): SourceEntry => ({ name, isDirectory: false, size: bytes.length, mtime, open: () => new BufferReader(bytes, name) });
  if (w.unattend) out = addSourceFile(out, AUTOUNATTEND_PATH, file(AUTOUNATTEND_PATH, w.unattend));
  return addSourceFile(out, MANIFEST_PATH, file(MANIFEST_PATH, encodeManifest(manifestOf(w))));
}
