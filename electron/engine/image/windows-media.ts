/**
 * Windows setup media facts from an image's filesystem: `sources/install.wim` XML (editions,
 * architecture, build, languages), `sources/ei.cfg`, `sources/idwbinfo.txt`, `sources/cversion.ini`,
 * and what that means for a USB stick (UEFI possible? what to warn about).
 */
import { formatBytes } from '../../shared/format.js';
import { SevenStickError } from '../io/errors.js';
import type { ByteReader } from '../io/reader.js';
import type { FsNode, ImageFileSystem } from './fs.js';
import { biosOnlyParams, resolveUefiLoader, type UefiLoader } from './uefi-loader.js';
import { readWimHeader, readWimXmlText } from './wim/header.js';
import { editionsFromWimXml, type WindowsArch, type WindowsEdition } from './wim/xml.js';

export type WindowsWarningCode =
  | 'W_X86_NO_UEFI'
  | 'W_UEFI_NEEDS_CSM'
  | 'W_NO_USB3_DRIVERS'
  | 'W_NOT_PROFESSIONAL'
  | 'W_MULTI_EDITION'
  | 'W_INSTALL_ESD'
  | 'W_SPLIT_WIM'
  | 'W_NOT_WINDOWS_7'
  | 'W_NO_INSTALL_IMAGE'
  | 'W_WIM_XML_UNREADABLE'
  | 'W_BIOS_ONLY'
  | 'W_FILE_TOO_LARGE';

/** FAT32's largest file is 4 GiB − 1 byte. */
const FAT32_FILE_LIMIT = 4 * 1024 ** 3;

/**
 * One thing to know about the media: `message` in English (logs, the CLI's JSON); `code` and `params`
 * say the same as data, for the user's language (shared/i18n/phrases.ts). Params: `path`, `detail` (an
 * engine error message, English), `build`, `count`, `editions` (a list, comma-separated), `edition`, `pick`
 * ('eiCfg' or 'ask'), `sizeBytes` (a number); W_BIOS_ONLY: `reason` (a BiosOnlyReason) and that reason's params.
 */
export interface WindowsWarning {
  code: WindowsWarningCode;
  message: string;
  params?: Record<string, string | number>;
}

export interface WindowsInfo {
  /** e.g. "Windows 7". */
  product: string;
  /** "6.1.7601.17514" when known. */
  version: string;
  build: number | null;
  /** Service pack level (0 for RTM), when known. */
  sp: number | null;
  arch: WindowsArch;
  /**
   * True when a stick made from the media boots via UEFI: x64 with bootmgr.efi or efi/microsoft/boot, and
   * a UEFI loader (the ISO's efi/boot/bootx64.efi, or install.wim image 1's bootmgfw.efi, SHA-1 checked).
   */
  uefi: boolean;
  /** True when the stick needs efi/boot/bootx64.efi taken from install.wim (Win7 x64 media lack it). */
  needsBootx64FromWim: boolean;
  /** Where the stick's efi/boot/bootx64.efi comes from; 'none': the stick boots in BIOS mode only (see warnings). */
  uefiBoot: 'iso' | 'install.wim' | 'none';
  editions: WindowsEdition[];
  languages: string[];
  /** Path of the install image in the filesystem and its format. */
  installImage: { path: string; format: 'wim' | 'esd' | 'swm' } | null;
  eiCfg: { editionId?: string; channel?: string; volumeLicense?: boolean } | null;
  idwbinfo: Record<string, string> | null;
  cversion: Record<string, string> | null;
  warnings: WindowsWarning[];
  /**
   * `inspect` only, and only when install.wim is larger than FAT32 can hold: the editions whose
   * install.wim alone (`--edition N --only-edition`) would fit.
   */
  fitsIfOnlyEdition?: number[];
}

const MAX_SMALL_FILE = 64 * 1024;

/** Parses an INI file into "Section.Key" → value (keys as written). Sections with bare values get "Section" → first line. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = '';
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';')) continue;
    const m = /^\[(.+)\]$/.exec(line);
    if (m) {
      section = (m[1] as string).trim();
      out[section] ??= {};
      continue;
    }
    const sec = (out[section] ??= {});
    const eq = line.indexOf('=');
    if (eq > 0) sec[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    else sec[''] ??= line;
  }
  return out;
}

function decodeText(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.toString('utf16le', 2);
  return buf.toString('utf8');
}

async function readSmall(fs: ImageFileSystem, node: FsNode | undefined): Promise<string | undefined> {
  if (!node || node.isDirectory || node.size > MAX_SMALL_FILE) return undefined;
  return decodeText(await fs.open(node).read(0, node.size));
}


/** Looks for Windows setup media in `fs`; undefined when it is not Windows media. */
export async function readWindowsMedia(fs: ImageFileSystem): Promise<WindowsInfo | undefined> {
  return (await readWindowsMediaAndLoader(fs))?.info;
}

/** readWindowsMedia, plus the stick's UEFI loader as resolveUefiLoader decided it (with its bytes). */
export async function readWindowsMediaAndLoader(fs: ImageFileSystem): Promise<{ info: WindowsInfo; loader: UefiLoader } | undefined> {
  const find = (p: string): Promise<FsNode | undefined> => fs.lookup(p);
  const wim = await find('sources/install.wim');
  const esd = wim ? undefined : await find('sources/install.esd');
  const swm = wim || esd ? undefined : await find('sources/install.swm');
  const bootWim = await find('sources/boot.wim');
  const bootmgr = await find('bootmgr');
  const installNode = wim ?? esd ?? swm;
  if (!installNode && !(bootWim && bootmgr)) return undefined;

  const warnings: WindowsWarning[] = [];
  const installImage = installNode
    ? { path: installNode.path, format: (wim ? 'wim' : esd ? 'esd' : 'swm') as 'wim' | 'esd' | 'swm' }
    : null;
  let editions: WindowsEdition[] = [];
  if (installNode && !installNode.isDirectory) {
    try {
      const r: ByteReader = fs.open(installNode);
      const header = await readWimHeader(r);
      editions = editionsFromWimXml(await readWimXmlText(r, header));
    } catch (e) {
      if (!(e instanceof SevenStickError) || e.code === 'E_IO') throw e;
      warnings.push({ code: 'W_WIM_XML_UNREADABLE', message: `Could not read the editions from ${installNode.path}: ${e.message}`, params: { path: installNode.path, detail: e.message } });
    }
  } else {
    warnings.push({ code: 'W_NO_INSTALL_IMAGE', message: 'This image has no sources/install.wim: it looks like Windows boot media without an install image.' });
  }

  const ei = await readSmall(fs, await find('sources/ei.cfg'));
  const idw = await readSmall(fs, await find('sources/idwbinfo.txt'));
  const cv = await readSmall(fs, await find('sources/cversion.ini'));
  let eiCfg: WindowsInfo['eiCfg'] = null;
  if (ei !== undefined) {
    const ini = parseIni(ei);
    eiCfg = {};
    const edition = ini['EditionID']?.[''];
    const channel = ini['Channel']?.[''];
    const vl = ini['VL']?.[''];
    if (edition) eiCfg.editionId = edition;
    if (channel) eiCfg.channel = channel;
    if (vl) eiCfg.volumeLicense = vl === '1';
  }
  const idwbinfo = idw !== undefined ? (parseIni(idw)['BUILDINFO'] ?? {}) : null;
  const cversion = cv !== undefined ? (parseIni(cv)['HostBuild'] ?? {}) : null;

  // Architecture: the first edition's, else idwbinfo's BuildArch.
  let arch: WindowsArch = editions[0]?.arch ?? 'unknown';
  if (arch === 'unknown' && idwbinfo?.['BuildArch']) {
    const a = idwbinfo['BuildArch'].toLowerCase();
    arch = a === 'amd64' ? 'x64' : a === 'x86' ? 'x86' : a === 'ia64' ? 'ia64' : 'unknown';
  }
  const first = editions[0];
  let build: number | null = first?.build ?? null;
  let spBuild: number | null = first?.spBuild ?? null;
  const bs = idwbinfo?.['BuildString'];
  if (bs) {
    const m = /^(\d+)\.(\d+)\./.exec(bs);
    if (m) {
      build ??= Number(m[1]);
      spBuild ??= Number(m[2]);
    }
  }
  const sp = first?.spLevel ?? (build === 7601 ? 1 : build === 7600 ? 0 : null);
  const product = build !== null && build >= 7600 && build <= 7601 ? 'Windows 7' : build !== null ? `Windows (build ${build})` : 'Windows';
  const version = build !== null ? `6.1.${build}${spBuild !== null ? `.${spBuild}` : ''}` : '';

  const efiDir = await find('efi/microsoft/boot');
  const bootmgrEfi = await find('bootmgr.efi');
  const uefiMedia = arch === 'x64' && (bootmgrEfi !== undefined || (efiDir !== undefined && efiDir.isDirectory)) && installImage?.format !== 'esd';
  const bootx64 = await find('efi/boot/bootx64.efi');
  const loader = await resolveUefiLoader(fs, { arch, uefi: uefiMedia, installImage });
  const uefi = uefiMedia && loader.source !== 'none';
  const languages = [...new Set(editions.flatMap((e) => e.languages))];

  if (build !== null && build !== 7600 && build !== 7601) {
    warnings.push({ code: 'W_NOT_WINDOWS_7', message: `This is not Windows 7 media (build ${build}); SevenStick is made for Windows 7.`, params: { build } });
  }
  if (arch === 'x86') {
    warnings.push({ code: 'W_X86_NO_UEFI', message: '32-bit (x86) Windows 7 cannot boot via UEFI: the stick boots only in BIOS (Legacy/CSM) mode.' });
  }
  if (uefi) {
    warnings.push({
      code: 'W_UEFI_NEEDS_CSM',
      message: 'Windows 7 started via UEFI hangs at "Starting Windows" on most PCs unless CSM (Compatibility Support Module) is enabled in the firmware; prefer booting the stick in Legacy/CSM mode.',
    });
  }
  warnings.push({
    code: 'W_NO_USB3_DRIVERS',
    message: 'Windows 7 setup has no USB 3 drivers: plug the stick into a USB 2 port, or setup stops asking for a missing "CD/DVD drive device driver".',
  });
  if (editions.length > 0 && !editions.some((e) => e.editionId.toLowerCase() === 'professional')) {
    const list = [...new Set(editions.map((e) => e.editionId || e.name))].join(', ');
    warnings.push({
      code: 'W_NOT_PROFESSIONAL',
      message: `This is not Windows 7 Professional media (edition${editions.length > 1 ? 's' : ''}: ${list}).`,
      params: { count: editions.length, editions: list },
    });
  }
  if (editions.length > 1) {
    // sources/ei.cfg's [EditionID] makes setup install that edition without asking.
    const picked = eiCfg?.editionId ? editions.find((e) => e.editionId.toLowerCase() === eiCfg?.editionId?.toLowerCase()) : undefined;
    warnings.push({
      code: 'W_MULTI_EDITION',
      message: picked
        ? `The install image holds ${editions.length} editions; sources/ei.cfg picks ${picked.editionId}, so setup installs that one without asking.`
        : `The install image holds ${editions.length} editions; setup will ask which one to install.`,
      params: picked ? { count: editions.length, pick: 'eiCfg', edition: picked.editionId } : { count: editions.length, pick: 'ask' },
    });
  }
  if (installNode && !installNode.isDirectory && installNode.size >= FAT32_FILE_LIMIT) {
    warnings.push({
      code: 'W_FILE_TOO_LARGE',
      message: `${installNode.path} is ${formatBytes(installNode.size)}: a FAT32 stick holds files below 4 GiB only, so \`write\` refuses this image as it is (exit 2).`,
      params: { path: installNode.path, sizeBytes: installNode.size },
    });
  }
  if (installImage?.format === 'esd') {
    warnings.push({
      code: 'W_INSTALL_ESD',
      message: 'sources/install.esd is LZMS-compressed, which SevenStick cannot unpack: it cannot make the UEFI boot file, so the stick boots in BIOS mode only.',
    });
  }
  if (loader.source === 'none' && arch !== 'x86' && installImage?.format !== 'esd') {
    warnings.push({ code: 'W_BIOS_ONLY', message: loader.warning, params: biosOnlyParams(loader) });
  }
  if (installImage?.format === 'swm') {
    warnings.push({ code: 'W_SPLIT_WIM', message: 'The install image is split (sources/install.swm, install2.swm, …); SevenStick reads its first part only.' });
  }

  const info: WindowsInfo = {
    product,
    version,
    build,
    sp,
    arch,
    uefi,
    needsBootx64FromWim: uefiMedia && !(bootx64 && !bootx64.isDirectory && bootx64.size > 0),
    uefiBoot: loader.source,
    editions,
    languages,
    installImage,
    eiCfg,
    idwbinfo,
    cversion,
    warnings,
  };
  return { info, loader };
}
