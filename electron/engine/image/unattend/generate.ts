/**
 * The Windows 7 answer file (autounattend.xml) from a preset and what inspect knows about the media.
 * Pure: no file access (the caller passes the bundled data and, unless the preset stores it, the
 * password). Deterministic: the same inputs give byte-identical XML.
 *
 *   windowsPE   Microsoft-Windows-International-Core-WinPE: setup's language, locale, keyboard
 *               Microsoft-Windows-Setup: disk 0 layout (only when the user chose to wipe it), the edition
 *                 (/IMAGE/INDEX or /IMAGE/NAME of an image in install.wim), licence, product key
 *   specialize  Microsoft-Windows-Shell-Setup: computer name, product key, time zone
 *   oobeSystem  Microsoft-Windows-International-Core: Windows' language, locale, keyboard
 *               Microsoft-Windows-Shell-Setup: OOBE answers, time zone, the local administrator account
 */
import { XMLBuilder } from 'fast-xml-parser';
import { SevenStickError } from '../../io/errors.js';
import type { WindowsArch, WindowsEdition } from '../wim/xml.js';
import type { LocaleEntry, UnattendData } from './data.js';
import { encodeWsimPassword } from './password.js';
import { checkPassword, type Preset } from './preset.js';

export const UNATTEND_NAMESPACE = 'urn:schemas-microsoft-com:unattend';
const WCM_NAMESPACE = 'http://schemas.microsoft.com/WMIConfig/2002/State';
const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';
const PUBLIC_KEY_TOKEN = '31bf3856ad364e35';

/** What the answer file needs to know about the media (a subset of inspect's `windows`). */
export interface AnswerMedia {
  arch: WindowsArch;
  editions: WindowsEdition[];
  languages: string[];
}

export type UnattendArch = 'amd64' | 'x86';

/** The answer file's processorArchitecture for the media's architecture; Windows 7 media are x64 or x86. */
export function unattendArch(arch: WindowsArch): UnattendArch {
  if (arch === 'x64') return 'amd64';
  if (arch === 'x86') return 'x86';
  throw new SevenStickError('E_UNSUPPORTED', `An answer file needs x64 or x86 Windows 7 media; this image's architecture is ${arch}`);
}

export interface AnswerSummary {
  arch: UnattendArch;
  /** The edition setup installs, or null when setup asks (or the product key decides). */
  edition: { index: number; name: string; by: 'index' | 'name' } | null;
  language: string;
  locale: string;
  /** InputLocale: "<LCID>:<KLID>". */
  inputLocale: string;
  timeZone: string | null;
  computerName: string | null;
  user: string | null;
  /** Only the last group, e.g. "…-8QKJH". */
  productKey: string | null;
  wipeDisk0: 'bios' | 'uefi' | null;
  /** What setup still asks, in the order it asks. */
  setupAsks: string[];
}

export interface AnswerFile {
  xml: string;
  summary: AnswerSummary;
}

export interface GenerateOptions {
  /** The account's clear password, when the preset does not store its encoding. Never kept, never logged. */
  password?: string;
}

type Node = { [k: string]: string | number | boolean | Node | Node[] };

function findLocale(data: UnattendData, tag: string, field: string): LocaleEntry {
  const l = data.locales.find((x) => x.tag.toLowerCase() === tag.toLowerCase());
  if (!l) throw new SevenStickError('E_ARGS', `The ${field} "${tag}" is not a Windows 7 locale SevenStick knows (e.g. en-US, de-DE)`);
  return l;
}

/** The edition the preset names, checked against the editions in the media's install.wim. */
export function resolveEdition(choice: Preset['edition'], media: AnswerMedia): AnswerSummary['edition'] {
  if (choice === 'ask') return null;
  const list = media.editions.map((e) => `${e.index}: ${e.name}`).join(', ') || 'none could be read';
  const e = 'index' in choice ? media.editions.find((x) => x.index === choice.index) : media.editions.find((x) => x.name.toLowerCase() === choice.name.toLowerCase());
  if (!e) {
    const what = 'index' in choice ? `no image ${choice.index}` : `no edition named "${choice.name}"`;
    throw new SevenStickError('E_ARGS', `install.wim has ${what} (its editions: ${list})`);
  }
  if (e.arch !== media.arch) throw new SevenStickError('E_ARGS', `Edition ${e.index} (${e.name}) is ${e.arch}, not ${media.arch} like the media`);
  return { index: e.index, name: e.name, by: 'index' in choice ? 'index' : 'name' };
}

function component(name: string, arch: UnattendArch, body: Node): Node {
  return {
    '@name': name,
    '@processorArchitecture': arch,
    '@publicKeyToken': PUBLIC_KEY_TOKEN,
    '@language': 'neutral',
    '@versionScope': 'nonSxS',
    '@xmlns:wcm': WCM_NAMESPACE,
    '@xmlns:xsi': XSI_NAMESPACE,
    ...body,
  };
}

const added = (body: Node): Node => ({ '@wcm:action': 'add', ...body });

/** Disk 0, wiped: MBR with a 100 MB "System Reserved" partition (BIOS), or GPT with EFI + MSR (UEFI); Windows on the rest. */
function diskConfiguration(firmware: 'bios' | 'uefi'): { disk: Node; windowsPartition: number } {
  const create = (order: number, type: string, size: number | null): Node => added({ Order: order, Type: type, ...(size === null ? { Extend: true } : { Size: size }) });
  const modify = (order: number, body: Node): Node => added({ Order: order, PartitionID: order, ...body });
  if (firmware === 'bios') {
    return {
      windowsPartition: 2,
      disk: added({
        CreatePartitions: { CreatePartition: [create(1, 'Primary', 100), create(2, 'Primary', null)] },
        DiskID: 0,
        ModifyPartitions: {
          ModifyPartition: [modify(1, { Active: true, Format: 'NTFS', Label: 'System Reserved' }), modify(2, { Format: 'NTFS', Label: 'Windows', Letter: 'C' })],
        },
        WillWipeDisk: true,
      }),
    };
  }
  return {
    windowsPartition: 3,
    disk: added({
      CreatePartitions: { CreatePartition: [create(1, 'EFI', 100), create(2, 'MSR', 128), create(3, 'Primary', null)] },
      DiskID: 0,
      ModifyPartitions: { ModifyPartition: [modify(1, { Format: 'FAT32', Label: 'System' }), modify(3, { Format: 'NTFS', Label: 'Windows', Letter: 'C' })] },
      WillWipeDisk: true,
    }),
  };
}

const NETWORK_LOCATION = { home: 'Home', work: 'Work', public: 'Other' } as const;
const PROTECT_YOUR_PC = { recommended: 1, important: 2, off: 3 } as const;

function accountPassword(preset: Preset, opts: GenerateOptions): string {
  const src = preset.account?.password;
  if (src?.from === 'preset') return src.wsimEncoded;
  if (opts.password === undefined) {
    throw new SevenStickError('E_ARGS', `The password of the account "${preset.account?.name ?? ''}" is needed (from a prompt or the preset's passwordFile)`);
  }
  return encodeWsimPassword(checkPassword(opts.password), 'Password');
}

/** Checks the preset against the media and the bundled data, and writes the answer file. */
export function generateAnswerFile(preset: Preset, media: AnswerMedia, data: UnattendData, opts: GenerateOptions = {}): AnswerFile {
  const arch = unattendArch(media.arch);
  const edition = resolveEdition(preset.edition, media);
  const language = findLocale(data, preset.language, 'language');
  if (!language.setupLanguage) throw new SevenStickError('E_ARGS', `"${language.tag}" is a format, not a Windows 7 display language`);
  if (media.languages.length > 0 && !media.languages.some((l) => l.toLowerCase() === language.tag.toLowerCase())) {
    throw new SevenStickError('E_ARGS', `The media's Windows is in ${media.languages.join(', ')}, not ${language.tag}: choose one of those as the language (formats and keyboard may differ)`);
  }
  const locale = findLocale(data, preset.locale, 'locale');
  const keyboard = data.keyboards.find((k) => k.id.toLowerCase() === preset.keyboard.toLowerCase());
  if (!keyboard) throw new SevenStickError('E_ARGS', `The keyboard layout ${preset.keyboard} is not one SevenStick knows (e.g. 00000409 US, 00000407 German)`);
  const timeZone = preset.timeZone === null ? null : data.timeZones.find((z) => z.id === preset.timeZone);
  if (timeZone === undefined) throw new SevenStickError('E_ARGS', `"${preset.timeZone}" is not a Windows 7 time zone ID (e.g. "W. Europe Standard Time", "Pacific Standard Time")`);
  const inputLocale = `${locale.lcid}:${keyboard.id}`;
  const international = { InputLocale: inputLocale, SystemLocale: locale.tag, UILanguage: language.tag, UserLocale: locale.tag };
  const wipe = preset.partitioning.mode === 'wipe-disk-0' ? diskConfiguration(preset.partitioning.firmware) : null;

  // windowsPE
  const setup: Node = {};
  if (wipe) setup['DiskConfiguration'] = { Disk: wipe.disk, WillShowUI: 'OnError' };
  if (edition || wipe) {
    const osImage: Node = {};
    if (edition) {
      osImage['InstallFrom'] = { MetaData: added(edition.by === 'index' ? { Key: '/IMAGE/INDEX', Value: edition.index } : { Key: '/IMAGE/NAME', Value: edition.name }) };
    }
    if (wipe) osImage['InstallTo'] = { DiskID: 0, PartitionID: wipe.windowsPartition };
    osImage['WillShowUI'] = 'OnError';
    setup['ImageInstall'] = { OSImage: osImage };
  }
  const userData: Node = {};
  if (preset.acceptEula) userData['AcceptEula'] = true;
  if (preset.productKey) userData['ProductKey'] = { Key: preset.productKey, WillShowUI: 'OnError' };
  if (Object.keys(userData).length > 0) setup['UserData'] = userData;
  const windowsPE: Node[] = [component('Microsoft-Windows-International-Core-WinPE', arch, { SetupUILanguage: { UILanguage: language.tag }, ...international })];
  if (Object.keys(setup).length > 0) windowsPE.push(component('Microsoft-Windows-Setup', arch, setup));

  // specialize
  const special: Node = {};
  if (preset.computerName !== null) special['ComputerName'] = preset.computerName;
  if (preset.productKey) special['ProductKey'] = preset.productKey;
  if (timeZone) special['TimeZone'] = timeZone.id;

  // oobeSystem
  const oobe: Node = {};
  if (preset.acceptEula) oobe['HideEULAPage'] = true;
  if (preset.oobe.networkLocation !== 'ask') oobe['NetworkLocation'] = NETWORK_LOCATION[preset.oobe.networkLocation];
  if (preset.oobe.updates !== 'ask') oobe['ProtectYourPC'] = PROTECT_YOUR_PC[preset.oobe.updates];
  const shell: Node = {};
  if (Object.keys(oobe).length > 0) shell['OOBE'] = oobe;
  if (timeZone) shell['TimeZone'] = timeZone.id;
  if (preset.account) {
    const a = preset.account;
    shell['UserAccounts'] = {
      LocalAccounts: {
        LocalAccount: added({
          Description: 'Local administrator',
          DisplayName: a.displayName ?? a.name,
          Group: 'Administrators',
          Name: a.name,
          Password: { PlainText: false, Value: accountPassword(preset, opts) },
        }),
      },
    };
  }
  const oobeSystem: Node[] = [component('Microsoft-Windows-International-Core', arch, international)];
  if (Object.keys(shell).length > 0) oobeSystem.push(component('Microsoft-Windows-Shell-Setup', arch, shell));

  const settings: Node[] = [{ '@pass': 'windowsPE', component: windowsPE }];
  if (Object.keys(special).length > 0) settings.push({ '@pass': 'specialize', component: [component('Microsoft-Windows-Shell-Setup', arch, special)] });
  settings.push({ '@pass': 'oobeSystem', component: oobeSystem });

  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: true, indentBy: '  ', suppressBooleanAttributes: false });
  const body = builder.build({ unattend: { '@xmlns': UNATTEND_NAMESPACE, settings } }) as string;
  const xml = `<?xml version="1.0" encoding="utf-8"?>\n${body.trimEnd()}\n`;

  const asks: string[] = [];
  if (!edition && media.editions.length > 1 && !preset.productKey) asks.push('edition');
  if (!preset.acceptEula) asks.push('licence terms');
  if (!wipe) asks.push('where to install (disk and partition)');
  if (!preset.account) asks.push(preset.computerName === null ? 'user name and computer name' : 'user name');
  else if (preset.computerName === null) asks.push('computer name');
  if (!preset.productKey) asks.push('product key (may be skipped)');
  if (preset.oobe.updates === 'ask') asks.push('update setting');
  if (!timeZone) asks.push('time zone and date');
  if (preset.oobe.networkLocation === 'ask') asks.push('network location');
  return {
    xml,
    summary: {
      arch,
      edition,
      language: language.tag,
      locale: locale.tag,
      inputLocale,
      timeZone: timeZone?.id ?? null,
      computerName: preset.computerName,
      user: preset.account?.name ?? null,
      productKey: preset.productKey ? `…-${preset.productKey.slice(-5)}` : null,
      wipeDisk0: wipe && preset.partitioning.mode === 'wipe-disk-0' ? preset.partitioning.firmware : null,
      setupAsks: asks,
    },
  };
}

/** The summary as lines a person reads (the CLI's output, the wizard's review). */
export function summaryLines(s: AnswerSummary): string[] {
  const rows: Array<[string, string]> = [
    ['Edition', s.edition ? `${s.edition.index}: ${s.edition.name} (by ${s.edition.by})` : 'setup asks (or the product key decides)'],
    ['Language', `${s.language}, formats ${s.locale}, keyboard ${s.inputLocale}`],
    ['Time zone', s.timeZone ?? "setup asks (Windows proposes the locale's)"],
    ['Computer', s.computerName === '*' ? 'a name Windows makes up' : (s.computerName ?? 'setup asks')],
    ['Account', s.user ? `${s.user} (administrator)` : 'setup asks'],
    ['Disk', s.wipeDisk0 ? `DISK 0 IS ERASED (${s.wipeDisk0 === 'bios' ? 'MBR, BIOS' : 'GPT, UEFI'})` : 'setup asks where to install'],
    ['Setup asks', s.setupAsks.length ? s.setupAsks.join(', ') : 'nothing'],
  ];
  return rows.map(([k, v]) => `${(k + ':').padEnd(12)}${v}`);
}
