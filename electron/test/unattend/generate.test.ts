/**
 * The answer file generator: structure per pass (XPath through xmllint, and our own read-back), both
 * architectures, determinism, preset → XML → preset round trips, the password only in WSIM's encoding,
 * the preset's exact keys and format checks, the import check, and the bundled data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  WIPE_DISK_0_CONFIRMATION,
  checkImportedAnswerFile,
  decodeWsimPassword,
  defaultPreset,
  encodeWsimPassword,
  generateAnswerFile,
  loadUnattendData,
  parsePreset,
  presetFromAnswerFile,
  readAnswerFile,
  serializePreset,
  validatePreset,
  type AnswerMedia,
  type Preset,
  type WindowsEdition,
} from '../../engine/index.js';
import { REPO } from '../helpers/tools.js';
import { HAS_XMLLINT, count, str, wellFormed } from './xpath.js';

const data = loadUnattendData();
const PASSWORD = 'Tr0ub4dor&3 «ü»';

function edition(index: number, name: string, arch: 'x64' | 'x86'): WindowsEdition {
  return { index, name, editionId: name.replace(/^Windows 7 /, ''), arch, languages: ['en-US'] };
}
const x64: AnswerMedia = { arch: 'x64', languages: ['en-US'], editions: [edition(1, 'Windows 7 HOMEPREMIUM', 'x64'), edition(2, 'Windows 7 PROFESSIONAL', 'x64')] };
const x86: AnswerMedia = { arch: 'x86', languages: ['en-US'], editions: [edition(1, 'Windows 7 PROFESSIONAL', 'x86')] };

function fullPreset(over: Partial<Preset> = {}): Preset {
  return validatePreset({
    ...defaultPreset('en-US', '00000409'),
    edition: { name: 'Windows 7 PROFESSIONAL' },
    locale: 'de-DE',
    keyboard: '00000407',
    timeZone: 'W. Europe Standard Time',
    computerName: 'LAB-PC-07',
    account: { name: 'labadmin', displayName: 'Lab & Admin', password: { from: 'prompt' } },
    productKey: 'FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4',
    acceptEula: true,
    oobe: { networkLocation: 'work', updates: 'important' },
    ...over,
  });
}

const pass = (p: string): string => `//unattend/settings[@pass='${p}']`;
const comp = (p: string, name: string): string => `${pass(p)}/component[@name='${name}']`;

test('the generated answer file holds, per pass, the components and values Windows 7 setup reads', { skip: !HAS_XMLLINT && 'xmllint (libxml2-utils) is not installed' }, () => {
  const { xml, summary } = generateAnswerFile(fullPreset(), x64, data, { password: PASSWORD });
  assert.ok(wellFormed(xml));
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<unattend xmlns="urn:schemas-microsoft-com:unattend">'));
  assert.deepEqual([1, 2, 3].map((i) => str(xml, `//unattend/settings[${i}]/@pass`)), ['windowsPE', 'specialize', 'oobeSystem']);

  // windowsPE
  const winpe = comp('windowsPE', 'Microsoft-Windows-International-Core-WinPE');
  assert.equal(str(xml, `${winpe}/SetupUILanguage/UILanguage`), 'en-US');
  assert.equal(str(xml, `${winpe}/InputLocale`), '0407:00000407');
  assert.equal(str(xml, `${winpe}/SystemLocale`), 'de-DE');
  assert.equal(str(xml, `${winpe}/UILanguage`), 'en-US');
  assert.equal(str(xml, `${winpe}/UserLocale`), 'de-DE');
  const setup = comp('windowsPE', 'Microsoft-Windows-Setup');
  assert.equal(str(xml, `${setup}/ImageInstall/OSImage/InstallFrom/MetaData/Key`), '/IMAGE/NAME');
  assert.equal(str(xml, `${setup}/ImageInstall/OSImage/InstallFrom/MetaData/Value`), 'Windows 7 PROFESSIONAL');
  assert.equal(str(xml, `${setup}/ImageInstall/OSImage/InstallFrom/MetaData/@wcm:action`.replace('@wcm:action', "@*[local-name()='action']")), 'add');
  assert.equal(count(xml, `${setup}/ImageInstall/OSImage/InstallTo`), 0, 'partitioning stays "setup asks"');
  assert.equal(count(xml, `${setup}/DiskConfiguration`), 0);
  assert.equal(str(xml, `${setup}/UserData/AcceptEula`), 'true');
  assert.equal(str(xml, `${setup}/UserData/ProductKey/Key`), 'FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4');

  // specialize
  const spec = comp('specialize', 'Microsoft-Windows-Shell-Setup');
  assert.equal(str(xml, `${spec}/ComputerName`), 'LAB-PC-07');
  assert.equal(str(xml, `${spec}/TimeZone`), 'W. Europe Standard Time');
  assert.equal(str(xml, `${spec}/ProductKey`), 'FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4');

  // oobeSystem
  const intl = comp('oobeSystem', 'Microsoft-Windows-International-Core');
  assert.equal(str(xml, `${intl}/UILanguage`), 'en-US');
  assert.equal(str(xml, `${intl}/InputLocale`), '0407:00000407');
  const shell = comp('oobeSystem', 'Microsoft-Windows-Shell-Setup');
  assert.equal(str(xml, `${shell}/OOBE/HideEULAPage`), 'true');
  assert.equal(str(xml, `${shell}/OOBE/NetworkLocation`), 'Work');
  assert.equal(str(xml, `${shell}/OOBE/ProtectYourPC`), '2');
  assert.equal(str(xml, `${shell}/TimeZone`), 'W. Europe Standard Time');
  const account = `${shell}/UserAccounts/LocalAccounts/LocalAccount`;
  assert.equal(count(xml, account), 1);
  assert.equal(str(xml, `${account}/Name`), 'labadmin');
  assert.equal(str(xml, `${account}/DisplayName`), 'Lab & Admin');
  assert.equal(str(xml, `${account}/Group`), 'Administrators');
  assert.equal(str(xml, `${account}/Password/PlainText`), 'false');
  assert.equal(str(xml, `${account}/Password/Value`), Buffer.from(`${PASSWORD}Password`, 'utf16le').toString('base64'));

  // every component carries Windows 7's identity attributes for amd64
  const components = count(xml, '//component');
  assert.equal(components, 5);
  assert.equal(count(xml, "//component[@processorArchitecture='amd64'][@publicKeyToken='31bf3856ad364e35'][@language='neutral'][@versionScope='nonSxS']"), components);
  assert.deepEqual(summary.setupAsks, ['where to install (disk and partition)']);
  assert.equal(summary.productKey, '…-GPDD4');
});

test('the password is in the XML only as WSIM writes it; a stored preset holds that encoding, never the clear text', () => {
  assert.equal(encodeWsimPassword('abc'), Buffer.from('abcPassword', 'utf16le').toString('base64'));
  assert.equal(encodeWsimPassword('abc', 'AdministratorPassword'), Buffer.from('abcAdministratorPassword', 'utf16le').toString('base64'));
  assert.equal(decodeWsimPassword(encodeWsimPassword(PASSWORD)), PASSWORD);
  assert.equal(decodeWsimPassword(encodeWsimPassword(PASSWORD, 'AdministratorPassword'), 'AdministratorPassword'), PASSWORD);
  assert.equal(decodeWsimPassword(encodeWsimPassword(PASSWORD), 'AdministratorPassword'), undefined);
  const { xml } = generateAnswerFile(fullPreset(), x64, data, { password: PASSWORD });
  assert.ok(!xml.includes(PASSWORD) && !xml.includes('Tr0ub4dor'));
  assert.ok(xml.includes(encodeWsimPassword(PASSWORD)));
  const stored = presetFromAnswerFile(readAnswerFile(Buffer.from(xml)));
  const text = serializePreset(stored);
  assert.ok(!text.includes('Tr0ub4dor'));
  assert.deepEqual(stored.account?.password, { from: 'preset', wsimEncoded: encodeWsimPassword(PASSWORD) });
  // A preset that stores the encoding needs no password to reproduce the same file.
  assert.equal(generateAnswerFile(stored, x64, data).xml.includes(encodeWsimPassword(PASSWORD)), true);
  // Without a password (and none stored) nothing is generated, and the message never holds a password.
  assert.throws(() => generateAnswerFile(fullPreset(), x64, data), /password of the account "labadmin" is needed/);
  assert.throws(() => generateAnswerFile(fullPreset(), x64, data, { password: 'x'.repeat(128) }), (e: Error) => /longer than Windows allows/.test(e.message) && !e.message.includes('xxxx'));
});

test('round trips: preset → XML → preset, for both architectures and both partitioning modes; output is deterministic', () => {
  const cases: Array<[AnswerMedia, Preset]> = [
    [x64, fullPreset()],
    [x86, fullPreset({ edition: { index: 1 }, computerName: '*', oobe: { networkLocation: 'home', updates: 'off' } })],
    [x64, fullPreset({ partitioning: { mode: 'wipe-disk-0', firmware: 'uefi', confirmed: WIPE_DISK_0_CONFIRMATION } })],
    [x86, fullPreset({ edition: 'ask', productKey: null, timeZone: null, account: null, computerName: null, acceptEula: false, partitioning: { mode: 'wipe-disk-0', firmware: 'bios', confirmed: WIPE_DISK_0_CONFIRMATION } })],
    [x64, defaultPreset('en-US', '00000409')],
  ];
  for (const [media, preset] of cases) {
    const first = generateAnswerFile(preset, media, data, { password: PASSWORD });
    assert.equal(generateAnswerFile(structuredClone(preset), media, data, { password: PASSWORD }).xml, first.xml, 'same preset, same bytes');
    const facts = readAnswerFile(Buffer.from(first.xml));
    assert.equal(facts.arch, media.arch === 'x64' ? 'amd64' : 'x86');
    const back = presetFromAnswerFile(facts);
    const expected: Preset = preset.account ? { ...preset, account: { ...preset.account, password: { from: 'preset', wsimEncoded: encodeWsimPassword(PASSWORD) } } } : preset;
    assert.deepEqual(back, expected);
    // …and the preset read back writes the same file again.
    assert.equal(generateAnswerFile(back, media, data).xml, first.xml);
  }
});

test('wipe disk 0: only with the exact confirmation words; the layout matches the firmware', { skip: !HAS_XMLLINT && 'xmllint is not installed' }, () => {
  assert.throws(() => fullPreset({ partitioning: { mode: 'wipe-disk-0', firmware: 'bios', confirmed: 'yes' } }), /erasing disk 0 needs the exact words "I understand disk 0 will be erased"/);
  const bios = generateAnswerFile(fullPreset({ partitioning: { mode: 'wipe-disk-0', firmware: 'bios', confirmed: WIPE_DISK_0_CONFIRMATION } }), x64, data, { password: PASSWORD });
  const setup = comp('windowsPE', 'Microsoft-Windows-Setup');
  assert.equal(str(bios.xml, `${setup}/DiskConfiguration/Disk/DiskID`), '0');
  assert.equal(str(bios.xml, `${setup}/DiskConfiguration/Disk/WillWipeDisk`), 'true');
  assert.equal(count(bios.xml, `${setup}/DiskConfiguration/Disk/CreatePartitions/CreatePartition[*[local-name()='Type']='Primary']`), 2);
  assert.equal(str(bios.xml, `${setup}/DiskConfiguration/Disk/ModifyPartitions/ModifyPartition[1]/Active`), 'true');
  assert.equal(str(bios.xml, `${setup}/ImageInstall/OSImage/InstallTo/PartitionID`), '2');
  assert.equal(bios.summary.wipeDisk0, 'bios');
  const uefi = generateAnswerFile(fullPreset({ partitioning: { mode: 'wipe-disk-0', firmware: 'uefi', confirmed: WIPE_DISK_0_CONFIRMATION } }), x64, data, { password: PASSWORD });
  assert.deepEqual(readAnswerFile(Buffer.from(uefi.xml)).wipeDisk, { disk: 0, partitionTypes: ['EFI', 'MSR', 'Primary'] });
  assert.equal(str(uefi.xml, `${setup}/ImageInstall/OSImage/InstallTo/PartitionID`), '3');
});

test('a preset that leaves everything to setup writes only the language; the summary lists what setup asks', () => {
  const { xml, summary } = generateAnswerFile({ ...defaultPreset('en-US', '00000409'), oobe: { networkLocation: 'ask', updates: 'ask' } }, x64, data);
  const facts = readAnswerFile(Buffer.from(xml));
  assert.deepEqual(facts.passes, ['windowsPE', 'oobeSystem']);
  assert.equal(facts.edition, null);
  assert.equal(facts.accounts.length, 0);
  assert.doesNotMatch(xml, /Microsoft-Windows-Setup"|DiskConfiguration|ImageInstall/);
  assert.deepEqual(summary.setupAsks, [
    'edition',
    'licence terms',
    'where to install (disk and partition)',
    'user name and computer name',
    'product key (may be skipped)',
    'update setting',
    'time zone and date',
    'network location',
  ]);
});

test('presets: exact keys, version, formats; the edition, language and time zone must exist', () => {
  const good = JSON.parse(serializePreset(fullPreset())) as Record<string, unknown>;
  assert.deepEqual(parsePreset(JSON.stringify(good)), fullPreset());
  assert.throws(() => validatePreset({ ...good, extra: 1 }), /unexpected field "extra"/);
  const { timeZone: _tz, ...missing } = good;
  assert.throws(() => validatePreset(missing), /preset\.timeZone/);
  assert.throws(() => validatePreset({ ...good, version: 2 }), /presets of version 1/);
  assert.throws(() => parsePreset('{'), /not JSON/);
  assert.throws(() => validatePreset({ ...good, account: { name: 'bob', displayName: null, password: { from: 'prompt' }, clear: 'x' } }), /unexpected field "clear"/);
  assert.throws(() => validatePreset({ ...good, productKey: 'FJ82H-XT6CR-J8D7P-XQJJ2-GPDA4' }), /XXXXX-XXXXX/);
  assert.equal(validatePreset({ ...good, productKey: 'fj82h-xt6cr-j8d7p-xqjj2-gpdd4' }).productKey, 'FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4');
  for (const bad of ['TOO-LONG-COMPUTER', '12345', '-pc', 'pc_1', 'pc 1', '']) assert.throws(() => validatePreset({ ...good, computerName: bad }), /computerName/, bad);
  for (const bad of ['Administrator', 'a/b', 'a@b', 'x'.repeat(21), '...', 'bob.']) {
    assert.throws(() => validatePreset({ ...good, account: { name: bad, displayName: null, password: { from: 'prompt' } } }), /account\.name/, bad);
  }
  assert.throws(() => generateAnswerFile(fullPreset({ edition: { index: 3 } }), x64, data, { password: PASSWORD }), /install\.wim has no image 3 \(its editions: 1: Windows 7 HOMEPREMIUM, 2: Windows 7 PROFESSIONAL\)/);
  assert.throws(() => generateAnswerFile(fullPreset({ edition: { name: 'Windows 7 ULTIMATE' } }), x64, data, { password: PASSWORD }), /no edition named "Windows 7 ULTIMATE"/);
  assert.throws(() => generateAnswerFile(fullPreset({ timeZone: 'Europe/Berlin' }), x64, data, { password: PASSWORD }), /not a Windows 7 time zone ID/);
  assert.throws(() => generateAnswerFile(fullPreset({ language: 'fr-FR' }), x64, data, { password: PASSWORD }), /media's Windows is in en-US, not fr-FR/);
  assert.throws(() => generateAnswerFile(fullPreset({ language: 'de-AT' }), x64, data, { password: PASSWORD }), /a format, not a Windows 7 display language/);
  assert.throws(() => generateAnswerFile(fullPreset({ keyboard: '0000ffff' }), x64, data, { password: PASSWORD }), /keyboard layout 0000ffff/);
  assert.throws(() => generateAnswerFile(fullPreset(), { ...x64, arch: 'arm64' }, data, { password: PASSWORD }), /x64 or x86/);
});

test('an imported answer file is checked (well-formed, unattend root and namespace, architecture) and returned byte for byte', () => {
  const { xml } = generateAnswerFile(fullPreset(), x64, data, { password: PASSWORD });
  const bytes = Buffer.from(xml.replace('<settings', '<!-- hand edited -->\n  <settings'), 'utf8');
  const ok = checkImportedAnswerFile(bytes, x64);
  assert.equal(ok.bytes, bytes);
  assert.equal(ok.arch, 'amd64');
  assert.deepEqual(ok.passes, ['windowsPE', 'specialize', 'oobeSystem']);
  // UTF-16 with a BOM (what some editors write) is read too, and still returned as it was.
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml.replace('utf-8', 'utf-16'), 'utf16le')]);
  assert.equal(checkImportedAnswerFile(utf16, x64).bytes, utf16);
  assert.throws(() => checkImportedAnswerFile(bytes, x86), /component Microsoft-Windows-International-Core-WinPE \(pass windowsPE\) is for amd64, but the media is x86/);
  assert.throws(() => checkImportedAnswerFile(Buffer.from(xml.replace('</unattend>', '')), x64), /not well-formed XML/);
  assert.throws(() => checkImportedAnswerFile(Buffer.from(xml.replace('urn:schemas-microsoft-com:unattend', 'urn:other')), x64), /namespace/);
  assert.throws(() => checkImportedAnswerFile(Buffer.from('<?xml version="1.0"?><answers xmlns="urn:schemas-microsoft-com:unattend"/>'), x64), /root element is not <unattend>/);
  assert.throws(() => checkImportedAnswerFile(Buffer.from('<!DOCTYPE u [<!ENTITY a "b">]><unattend xmlns="urn:schemas-microsoft-com:unattend"/>'), x64), /DOCTYPE/);
  assert.throws(() => checkImportedAnswerFile(Buffer.from('<unattend xmlns="urn:schemas-microsoft-com:unattend"/>'), x64), /holds no settings/);
  assert.throws(() => checkImportedAnswerFile(Buffer.from([0xc3, 0x28, 0x3c]), x64), /not UTF-8 or UTF-16/);
  assert.throws(() => checkImportedAnswerFile(Buffer.alloc(0), x64), /empty/);
});

test('bundled data: Windows 7 identifiers, unique, each locale\'s keyboard listed, sources recorded', () => {
  for (const f of ['timezones.json', 'locales.json']) {
    const doc = JSON.parse(readFileSync(join(REPO, 'assets', 'unattend', f), 'utf8')) as { sources: string[] };
    assert.ok(Array.isArray(doc.sources) && doc.sources.length >= 2, `${f} records its sources`);
  }
  const ids = data.timeZones.map((z) => z.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ['W. Europe Standard Time', 'Pacific Standard Time', 'GMT Standard Time', 'China Standard Time', 'UTC', 'Dateline Standard Time']) assert.ok(ids.includes(id), id);
  for (const z of data.timeZones) assert.match(z.label, /^\(UTC([+-]\d\d:\d\d)?\) /, z.id);
  const setupLanguages = data.locales.filter((l) => l.setupLanguage).map((l) => l.tag);
  for (const tag of ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'ja-JP', 'zh-CN', 'pt-BR', 'sr-Latn-CS']) assert.ok(setupLanguages.includes(tag), tag);
  const keyboards = new Set(data.keyboards.map((k) => k.id));
  for (const l of data.locales) {
    assert.match(l.lcid, /^[0-9a-f]{4}$/, l.tag);
    assert.ok(keyboards.has(l.keyboard), `${l.tag}: ${l.keyboard}`);
  }
  for (const k of data.keyboards) assert.match(k.id, /^[0-9a-f]{8}$/);
});
