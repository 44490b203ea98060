/**
 * Reading answer files back: an imported autounattend.xml is checked (well-formed, an `unattend` root in
 * Microsoft's namespace, every component for the media's architecture) and then used byte for byte; a
 * generated one can be read back into its settings (round trips, the wizard's "imported file" summary).
 * Pure: bytes in, facts out.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SevenStickError } from '../../io/errors.js';
import { UNATTEND_NAMESPACE, unattendArch, type AnswerMedia, type UnattendArch } from './generate.js';
import { PRESET_VERSION, WIPE_DISK_0_CONFIRMATION, validatePreset, type NetworkLocation, type Preset, type UpdateSetting } from './preset.js';

/** Larger than any real answer file (WSIM's are a few KiB). */
export const MAX_ANSWER_FILE_BYTES = 1024 * 1024;

type XmlValue = string | number | boolean | XmlObject | XmlValue[] | undefined;
interface XmlObject {
  [k: string]: XmlValue;
}

const obj = (v: XmlValue): XmlObject => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {});
const arr = (v: XmlValue): XmlValue[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const text = (v: XmlValue): string | undefined => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);
const localName = (k: string): string => k.slice(k.indexOf(':') + 1);

/** The element's children by local name (namespace prefixes dropped). */
function child(o: XmlObject, name: string): XmlValue {
  for (const k of Object.keys(o)) if (!k.startsWith('@') && localName(k) === name) return o[k];
  return undefined;
}
function path(o: XmlValue, ...names: string[]): XmlValue {
  let cur: XmlValue = o;
  for (const n of names) cur = child(obj(arr(cur)[0]), n);
  return cur;
}

function decode(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new SevenStickError('E_FORMAT', 'The answer file is not UTF-8 or UTF-16 text');
  }
}

interface ParsedUnattend {
  root: XmlObject;
  /** settings elements, each with its pass and components. */
  settings: Array<{ pass: string; components: XmlObject[] }>;
}

function parseUnattend(bytes: Buffer): ParsedUnattend {
  if (bytes.length === 0) throw new SevenStickError('E_FORMAT', 'The answer file is empty');
  if (bytes.length > MAX_ANSWER_FILE_BYTES) throw new SevenStickError('E_FORMAT', `The answer file is too large for one (${bytes.length} bytes)`);
  const xml = decode(bytes);
  if (/<!DOCTYPE/i.test(xml)) throw new SevenStickError('E_FORMAT', 'The answer file has a DOCTYPE: answer files never need one, and SevenStick does not accept it');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new SevenStickError('E_FORMAT', `The answer file is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, processEntities: true, htmlEntities: false, trimValues: true }).parse(
    xml,
  ) as XmlObject;
  const tops = Object.keys(doc).filter((k) => !k.startsWith('?') && !k.startsWith('#'));
  const rootKey = tops[0];
  if (tops.length !== 1 || rootKey === undefined || localName(rootKey) !== 'unattend' || Array.isArray(doc[rootKey])) {
    throw new SevenStickError('E_FORMAT', 'The answer file\'s root element is not <unattend>');
  }
  const root = obj(doc[rootKey]);
  const prefix = rootKey.includes(':') ? rootKey.slice(0, rootKey.indexOf(':')) : '';
  const ns = root[prefix ? `@xmlns:${prefix}` : '@xmlns'];
  if (ns !== UNATTEND_NAMESPACE) throw new SevenStickError('E_FORMAT', `The answer file's <unattend> is not in the ${UNATTEND_NAMESPACE} namespace`);
  const settings = arr(child(root, 'settings')).map((s) => {
    const o = obj(s);
    return { pass: text(o['@pass']) ?? '', components: arr(child(o, 'component')).map(obj) };
  });
  return { root, settings };
}

export interface ImportedAnswerFile {
  /** The file's bytes, unchanged: what goes on the stick. */
  bytes: Buffer;
  arch: UnattendArch;
  passes: string[];
  components: number;
}

/** Checks an answer file the user brings (well-formed, `unattend` root, every component for the media's architecture); returns its bytes unchanged. */
export function checkImportedAnswerFile(bytes: Buffer, media: Pick<AnswerMedia, 'arch'>): ImportedAnswerFile {
  const arch = unattendArch(media.arch);
  const { settings } = parseUnattend(bytes);
  let components = 0;
  for (const s of settings) {
    for (const c of s.components) {
      components++;
      const name = text(c['@name']) ?? '(unnamed)';
      const a = text(c['@processorArchitecture']);
      if (a !== arch) {
        throw new SevenStickError('E_ARGS', `The answer file's component ${name} (pass ${s.pass || '?'}) is for ${a ?? 'no architecture'}, but the media is ${arch}: setup would ignore it`);
      }
    }
  }
  if (components === 0) throw new SevenStickError('E_FORMAT', 'The answer file holds no settings (no <component> in any <settings> pass)');
  return { bytes, arch, passes: [...new Set(settings.map((s) => s.pass))], components };
}

/** What an answer file sets, read back the way generateAnswerFile writes it (absent: null). */
export interface AnswerFileFacts {
  arch: UnattendArch | null;
  passes: string[];
  setupLanguage: string | null;
  /** Per pass that has International-Core(-WinPE): its four values. */
  international: Record<string, { inputLocale: string | null; systemLocale: string | null; uiLanguage: string | null; userLocale: string | null }>;
  edition: { key: string; value: string } | null;
  installTo: { disk: number; partition: number } | null;
  wipeDisk: { disk: number; partitionTypes: string[] } | null;
  acceptEula: boolean;
  productKey: string | null;
  computerName: string | null;
  timeZone: { specialize: string | null; oobeSystem: string | null };
  hideEulaPage: boolean;
  networkLocation: string | null;
  protectYourPC: string | null;
  accounts: Array<{ name: string | null; displayName: string | null; group: string | null; password: string | null; plainText: string | null }>;
}

/** Reads the settings SevenStick writes out of an answer file (after the same checks as an import). */
export function readAnswerFile(bytes: Buffer): AnswerFileFacts {
  const { settings } = parseUnattend(bytes);
  const comp = (pass: string, name: string): XmlObject | undefined =>
    settings.filter((s) => s.pass === pass).flatMap((s) => s.components).find((c) => text(c['@name']) === name);
  const t = (o: XmlObject | undefined, ...names: string[]): string | null => (o ? (text(arr(path(o, ...names))[0]) ?? null) : null);
  const archs = new Set(settings.flatMap((s) => s.components.map((c) => text(c['@processorArchitecture']))));
  const only = archs.size === 1 ? [...archs][0] : undefined;
  const international: AnswerFileFacts['international'] = {};
  for (const [pass, name] of [
    ['windowsPE', 'Microsoft-Windows-International-Core-WinPE'],
    ['oobeSystem', 'Microsoft-Windows-International-Core'],
  ] as const) {
    const c = comp(pass, name);
    if (c) international[pass] = { inputLocale: t(c, 'InputLocale'), systemLocale: t(c, 'SystemLocale'), uiLanguage: t(c, 'UILanguage'), userLocale: t(c, 'UserLocale') };
  }
  const setup = comp('windowsPE', 'Microsoft-Windows-Setup');
  const meta = setup ? obj(arr(path(setup, 'ImageInstall', 'OSImage', 'InstallFrom', 'MetaData'))[0]) : {};
  const disk = setup ? obj(arr(path(setup, 'DiskConfiguration', 'Disk'))[0]) : {};
  const installTo = setup ? obj(arr(path(setup, 'ImageInstall', 'OSImage', 'InstallTo'))[0]) : {};
  const special = comp('specialize', 'Microsoft-Windows-Shell-Setup');
  const shell = comp('oobeSystem', 'Microsoft-Windows-Shell-Setup');
  const accounts = shell ? arr(path(shell, 'UserAccounts', 'LocalAccounts', 'LocalAccount')).map(obj) : [];
  return {
    arch: only === 'amd64' || only === 'x86' ? only : null,
    passes: settings.map((s) => s.pass),
    setupLanguage: t(comp('windowsPE', 'Microsoft-Windows-International-Core-WinPE'), 'SetupUILanguage', 'UILanguage'),
    international,
    edition: text(child(meta, 'Key')) !== undefined ? { key: text(child(meta, 'Key')) as string, value: text(child(meta, 'Value')) ?? '' } : null,
    installTo: text(child(installTo, 'DiskID')) !== undefined ? { disk: Number(text(child(installTo, 'DiskID'))), partition: Number(text(child(installTo, 'PartitionID'))) } : null,
    wipeDisk:
      text(child(disk, 'WillWipeDisk')) === 'true'
        ? { disk: Number(text(child(disk, 'DiskID'))), partitionTypes: arr(path(disk, 'CreatePartitions', 'CreatePartition')).map((p) => text(child(obj(p), 'Type')) ?? '') }
        : null,
    acceptEula: t(setup, 'UserData', 'AcceptEula') === 'true',
    productKey: t(setup, 'UserData', 'ProductKey', 'Key'),
    computerName: t(special, 'ComputerName'),
    timeZone: { specialize: t(special, 'TimeZone'), oobeSystem: t(shell, 'TimeZone') },
    hideEulaPage: t(shell, 'OOBE', 'HideEULAPage') === 'true',
    networkLocation: t(shell, 'OOBE', 'NetworkLocation'),
    protectYourPC: t(shell, 'OOBE', 'ProtectYourPC'),
    accounts: accounts.map((a) => ({
      name: t(a, 'Name'),
      displayName: t(a, 'DisplayName'),
      group: t(a, 'Group'),
      password: t(a, 'Password', 'Value'),
      plainText: t(a, 'Password', 'PlainText'),
    })),
  };
}

const NETWORK_BACK: Record<string, NetworkLocation> = { Home: 'home', Work: 'work', Other: 'public' };
const UPDATES_BACK: Record<string, UpdateSetting> = { '1': 'recommended', '2': 'important', '3': 'off' };

/**
 * The preset an answer file written by SevenStick came from (the password as its stored WSIM encoding;
 * `showEveryEdition`, which is not in the answer file, false). Throws E_ARGS when the file sets
 * something a preset cannot say.
 */
export function presetFromAnswerFile(facts: AnswerFileFacts): Preset {
  const intl = facts.international['oobeSystem'] ?? facts.international['windowsPE'];
  const account = facts.accounts[0];
  const edition: Preset['edition'] =
    facts.edition?.key === '/IMAGE/INDEX' ? { index: Number(facts.edition.value) } : facts.edition?.key === '/IMAGE/NAME' ? { name: facts.edition.value } : 'ask';
  return validatePreset({
    version: PRESET_VERSION,
    edition,
    showEveryEdition: false,
    language: facts.setupLanguage ?? intl?.uiLanguage,
    locale: intl?.userLocale,
    keyboard: intl?.inputLocale?.split(':')[1],
    timeZone: facts.timeZone.oobeSystem ?? facts.timeZone.specialize,
    computerName: facts.computerName,
    account: account
      ? { name: account.name, displayName: account.displayName === account.name ? null : account.displayName, password: { from: 'preset', wsimEncoded: account.password } }
      : null,
    productKey: facts.productKey,
    acceptEula: facts.acceptEula,
    oobe: {
      networkLocation: facts.networkLocation === null ? 'ask' : NETWORK_BACK[facts.networkLocation],
      updates: facts.protectYourPC === null ? 'ask' : UPDATES_BACK[facts.protectYourPC],
    },
    partitioning: facts.wipeDisk ? { mode: 'wipe-disk-0', firmware: facts.wipeDisk.partitionTypes.includes('EFI') ? 'uefi' : 'bios', confirmed: WIPE_DISK_0_CONFIRMATION } : { mode: 'ask' },
  });
}
