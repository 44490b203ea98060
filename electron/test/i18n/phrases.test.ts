/**
 * Notices, verify problems and errors said in the user's language (shared/i18n/phrases.ts): every code
 * the engine has a message; for notices and problems the engine really produces, the English catalog
 * message made from `params` is exactly the engine's English `message` (so the params are complete), and
 * the pseudo-locale's text differs (so it comes from the catalog, not from the fallback).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  BufferReader,
  checkDrive,
  describePath,
  inspectImage,
  largeDrive,
  notRemovable,
  partitionNotDrive,
  readOnlyDrive,
  readWindowsMedia,
  resolveUefiLoader,
  runWriteJob,
  systemDrive,
  tooSmall,
  unknownSize,
  holdsSourceImage,
  verifyStick,
  type BiosOnlyReason,
  type Constraint,
  type ConstraintCode,
  type FsNode,
  type ImageFileSystem,
  type LoaderFacts,
  type StickNote,
  type StickProblemCode,
  type WindowsWarning,
  type WindowsWarningCode,
} from '../../engine/index.js';
import type { IpcErrorCode, Notice, VerifyProblem } from '../../shared/contract.js';
import { englishMessages, type MessageKey } from '../../shared/i18n/catalog.js';
import { BIOS_ONLY_REASON_KEYS, ERROR_KEYS, NOTICE_KEYS, PROBLEM_KEYS, errorText, messageValues, noticeText, problemText } from '../../shared/i18n/phrases.js';
import { createTranslator } from '../../shared/i18n/translator.js';
import { imageView } from '../../main/engine-bindings.js';
import { toVerifyReport, toWriteResult } from '../../helper/engine.js';
import { fakeStick } from '../helpers/drives.js';
import { REPO, runOk, tempDir } from '../helpers/tools.js';
import { editionsWim } from '../helpers/wim.js';

const en = createTranslator('en');
const pseudo = createTranslator('en-XA');

// Every code of the engine's unions, listed here so that a new code is a compile error until it is added.
const WARNING_CODES: Record<WindowsWarningCode, true> = {
  W_X86_NO_UEFI: true,
  W_UEFI_NEEDS_CSM: true,
  W_NO_USB3_DRIVERS: true,
  W_NOT_PROFESSIONAL: true,
  W_MULTI_EDITION: true,
  W_INSTALL_ESD: true,
  W_SPLIT_WIM: true,
  W_NOT_WINDOWS_7: true,
  W_NO_INSTALL_IMAGE: true,
  W_WIM_XML_UNREADABLE: true,
  W_BIOS_ONLY: true,
  W_FILE_TOO_LARGE: true,
};
const NOTE_CODES: Record<StickNote['code'], true> = { 'bios-only': true, customized: true, 'direct-io': true, 'boot-code-unchecked': true, 'stage2-unchecked': true };
const CONSTRAINT_CODES: Record<ConstraintCode, true> = { partition: true, system: true, source: true, 'read-only': true, 'too-small': true, 'unknown-size': true, large: true, 'not-removable': true };
const PROBLEM_CODES: Record<StickProblemCode, true> = {
  missing: true,
  type: true,
  size: true,
  different: true,
  'bytes-differ': true,
  'mbr-code': true,
  'boot-sector-code': true,
  'stage2-code': true,
  'manifest-invalid': true,
  'edition-unavailable': true,
  'ei-cfg-present': true,
  'answer-file-differs': true,
  'bootx64-unconfirmed': true,
};
const REASONS: Record<BiosOnlyReason, true> = {
  x86: true,
  arch: true,
  'no-install-wim': true,
  esd: true,
  'split-wim': true,
  'no-uefi-files': true,
  'wim-missing': true,
  'no-bootmgfw': true,
  'bootmgfw-folder': true,
  'bootmgfw-empty': true,
  'bootmgfw-too-large': true,
  'bootmgfw-sha1': true,
  'wim-unreadable': true,
};
const ERROR_CODES: Record<IpcErrorCode, true> = {
  E_VERIFY: true,
  E_ARGS: true,
  E_RANGE: true,
  E_FORMAT: true,
  E_UNSUPPORTED: true,
  E_NOT_FOUND: true,
  E_CHECKSUM: true,
  E_FILE_TOO_LARGE: true,
  E_TARGET_TOO_SMALL: true,
  E_LIMIT: true,
  E_IO: true,
  E_DEVICE: true,
  E_BUSY: true,
  E_SAFETY: true,
  E_CANCELLED: true,
  E_BAD_REQUEST: true,
  E_ELEVATION: true,
};

const english = englishMessages();
const inCatalog = (key: MessageKey | undefined, what: string): void => assert.ok(key !== undefined && english[key] !== undefined, `${what} has an English message`);

test('every Windows 7 warning, constraint, BIOS-only reason, verify problem and error code has a message', () => {
  for (const c of [...Object.keys(WARNING_CODES), 'W_HYBRID', 'W_RAW', ...Object.keys(CONSTRAINT_CODES), ...Object.keys(NOTE_CODES)]) inCatalog(NOTICE_KEYS[c], c);
  for (const c of Object.keys(REASONS)) inCatalog(BIOS_ONLY_REASON_KEYS[c], c);
  for (const c of Object.keys(PROBLEM_CODES)) inCatalog(PROBLEM_KEYS[c], c);
  for (const c of Object.keys(ERROR_CODES) as IpcErrorCode[]) inCatalog(ERROR_KEYS[c], c);
  // and no key for a code that does not exist
  assert.deepEqual(Object.keys(NOTICE_KEYS).sort(), [...Object.keys(WARNING_CODES), 'W_HYBRID', 'W_RAW', ...Object.keys(CONSTRAINT_CODES), ...Object.keys(NOTE_CODES)].sort());
  assert.deepEqual(Object.keys(BIOS_ONLY_REASON_KEYS).sort(), Object.keys(REASONS).sort());
  assert.deepEqual(Object.keys(PROBLEM_KEYS).sort(), Object.keys(PROBLEM_CODES).sort());
});

/** Seen codes, so each test can tell it met the ones it means to. */
const seenNotices = new Set<string>();
const seenReasons = new Set<string>();
const seenProblems = new Set<string>();

/** A notice in English from the catalog is the engine's message; in the pseudo-locale it is other text, made without a fallback. */
function assertNotice(n: Pick<Notice, 'code' | 'message' | 'params'>): void {
  const key = NOTICE_KEYS[n.code];
  assert.ok(key, n.code);
  assert.equal(en.t(key, messageValues(en, n.params)), n.message, `${n.code} ${JSON.stringify(n.params)}`);
  assert.equal(noticeText(en, n), n.message);
  const p = noticeText(pseudo, n);
  assert.equal(p, pseudo.t(key, messageValues(pseudo, n.params)));
  assert.notEqual(p, n.message, n.code);
  seenNotices.add(n.code);
  if (typeof n.params?.['reason'] === 'string') seenReasons.add(n.params['reason']);
}

function assertProblem(p: VerifyProblem): void {
  const key = p.code ? PROBLEM_KEYS[p.code] : undefined;
  assert.ok(key, `${p.code} (${p.problem})`);
  assert.equal(en.t(key, messageValues(en, p.params)), p.problem, `${p.code} ${JSON.stringify(p.params)}`);
  assert.equal(problemText(en, p), p.problem);
  const x = problemText(pseudo, p);
  assert.equal(x, pseudo.t(key, messageValues(pseudo, p.params)));
  assert.notEqual(x, p.problem, p.code);
  seenProblems.add(p.code ?? '');
  if (typeof p.params?.['reason'] === 'string') seenReasons.add(p.params['reason']);
}

test('drive constraints: the predicates on fake drives say the same in English from the catalog', () => {
  const image = { path: '/media/usb/win7.iso', mountpoint: '/media/usb' };
  const all: (Constraint | undefined)[] = [
    partitionNotDrive({ ...fakeStick, device: '/dev/sdz1', isPartition: true }),
    systemDrive({ ...fakeStick, isSystem: true }),
    holdsSourceImage({ ...fakeStick, mountpoints: ['/media/usb'] }, image),
    readOnlyDrive({ ...fakeStick, readOnly: true }),
    unknownSize({ ...fakeStick, size: null }),
    tooSmall(fakeStick, 17e9),
    tooSmall({ ...fakeStick, size: 2 * 1024 ** 3 }, 3_221_225_472),
    largeDrive({ ...fakeStick, size: 128e9 }),
    notRemovable({ ...fakeStick, removable: false }),
    ...checkDrive({ ...fakeStick, removable: false, size: 256e9, device: '/dev/sdy' }, { requiredBytes: 300e9 }),
  ];
  for (const c of all) {
    assert.ok(c);
    assertNotice({ ...c, params: c.params });
  }
  for (const c of Object.keys(CONSTRAINT_CODES)) assert.ok(seenNotices.has(c), c);
  // Sizes are the user's: German numbers in German.
  const de = createTranslator('de');
  const c = tooSmall(fakeStick, 17e9);
  assert.ok(c);
  assert.match(noticeText(de, c), /14,9\sGiB/);
});

/** An in-memory image filesystem: path → bytes (or a folder), with an optional size that differs from the bytes. */
function memFs(files: Record<string, Buffer | 'dir' | { bytes: Buffer; size: number }>): ImageFileSystem {
  const nodes = new Map<string, { node: FsNode; bytes: Buffer }>();
  const mtime = new Date(0);
  const add = (path: string, isDirectory: boolean, bytes: Buffer, size: number): void => {
    nodes.set(path.toLowerCase(), { node: { name: path.split('/').pop() ?? '', path, isDirectory, size, mtime, extents: [] }, bytes });
  };
  for (const [path, f] of Object.entries(files)) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!nodes.has(dir.toLowerCase())) add(dir, true, Buffer.alloc(0), 0);
    }
    if (f === 'dir') add(path, true, Buffer.alloc(0), 0);
    else if (Buffer.isBuffer(f)) add(path, false, f, f.length);
    else add(path, false, f.bytes, f.size);
  }
  const root: FsNode = { name: '', path: '', isDirectory: true, size: 0, mtime, extents: [] };
  const reader = new BufferReader(Buffer.alloc(0), 'mem');
  return {
    kind: 'udf',
    label: 'MEM',
    reader,
    root,
    list: async (d) => [...nodes.values()].map((n) => n.node).filter((n) => n.path.slice(0, Math.max(0, n.path.lastIndexOf('/'))) === d.path),
    lookup: async (p) => (p === '' ? root : nodes.get(p.toLowerCase())?.node),
    open: (n) => new BufferReader(nodes.get(n.path.toLowerCase())?.bytes ?? Buffer.alloc(0), n.path),
  };
}

const idwbinfo = (arch: string): Buffer => Buffer.from(`[BUILDINFO]\r\nBuildArch=${arch}\r\nBuildString=7601.17514.amd64fre.win7sp1_rtm.101119-1850\r\n`);

test('Windows 7 warnings and BIOS-only reasons from media the engine reads: English from the catalog is the engine message', async () => {
  const t = tempDir();
  try {
    mkdirSync(join(t.path, 'a'));
    mkdirSync(join(t.path, 'b'));
    mkdirSync(join(t.path, 'c'));
    const x86 = readFileSync(await editionsWim(join(t.path, 'a'), ['HomeBasic', 'Ultimate'], { arch: 0, build: 7600 }));
    const x64 = readFileSync(await editionsWim(join(t.path, 'b'), ['HomeBasic', 'Ultimate'], { arch: 9, build: 7601 }));
    const vista = readFileSync(await editionsWim(join(t.path, 'c'), ['Professional'], { arch: 9, build: 6002 }));
    const garbage = Buffer.alloc(4096, 0x33);
    const small = Buffer.alloc(512, 1);
    const media: ImageFileSystem[] = [
      // x86, two editions, no ei.cfg: x86, USB 3, not Professional, setup asks
      memFs({ 'sources/install.wim': x86, bootmgr: small }),
      // x64 with UEFI files but no bootmgfw.efi in the WIM, ei.cfg picks one, install.wim "too large"
      memFs({ 'sources/install.wim': { bytes: x64, size: 5 * 1024 ** 3 }, 'sources/ei.cfg': Buffer.from('[EditionID]\r\nUltimate\r\n'), bootmgr: small, 'bootmgr.efi': small }),
      // not Windows 7, with its own bootx64.efi: needs CSM
      memFs({ 'sources/install.wim': vista, bootmgr: small, 'bootmgr.efi': small, 'efi/boot/bootx64.efi': small }),
      // unreadable install.wim, x64 by idwbinfo, no UEFI files
      memFs({ 'sources/install.wim': garbage, 'sources/idwbinfo.txt': idwbinfo('amd64'), bootmgr: small }),
      // boot media without an install image
      memFs({ 'sources/boot.wim': garbage, bootmgr: small, 'sources/idwbinfo.txt': idwbinfo('amd64') }),
      // install.esd; install.swm
      memFs({ 'sources/install.esd': garbage, 'sources/idwbinfo.txt': idwbinfo('amd64'), bootmgr: small, 'bootmgr.efi': small }),
      memFs({ 'sources/install.swm': x64, bootmgr: small, 'bootmgr.efi': small }),
    ];
    const warnings: WindowsWarning[] = [];
    for (const fs of media) {
      const w = await readWindowsMedia(fs);
      assert.ok(w);
      warnings.push(...w.warnings);
    }
    for (const w of warnings) assertNotice(w);
    for (const c of Object.keys(WARNING_CODES)) assert.ok(seenNotices.has(c), `${c} met`);
    const multi = warnings.filter((w) => w.code === 'W_MULTI_EDITION').map((w) => w.params?.['pick']);
    assert.deepEqual([...new Set(multi)].sort(), ['ask', 'eiCfg']);

    // Every reason the loader rule gives, straight from resolveUefiLoader.
    const wimWith = async (name: string, make: (efiDir: string) => void): Promise<Buffer> => {
      const content = join(t.path, name, 'Windows', 'Boot', 'EFI');
      mkdirSync(content, { recursive: true });
      make(content);
      const out = join(t.path, `${name}.wim`);
      await runOk('wimlib-imagex', ['capture', join(t.path, name), out, 'Windows 7 PROFESSIONAL', '--compress=XPRESS']);
      return readFileSync(out);
    };
    const folder = await wimWith('folder', (d) => mkdirSync(join(d, 'bootmgfw.efi')));
    const empty = await wimWith('empty', (d) => writeFileSync(join(d, 'bootmgfw.efi'), ''));
    const large = await wimWith('large', (d) => writeFileSync(join(d, 'bootmgfw.efi'), Buffer.alloc(33 * 1024 * 1024)));
    const wim = (bytes: Buffer): ImageFileSystem => memFs({ 'sources/install.wim': bytes });
    const facts = (over: Partial<LoaderFacts> = {}): LoaderFacts => ({ arch: 'x64', uefi: true, installImage: { path: 'sources/install.wim', format: 'wim' }, ...over });
    const cases: [ImageFileSystem, LoaderFacts][] = [
      [wim(x64), facts({ arch: 'x86' })],
      [wim(x64), facts({ arch: 'unknown' })],
      [wim(x64), facts({ arch: 'ia64' })],
      [wim(x64), facts({ installImage: null })],
      [wim(x64), facts({ installImage: { path: 'sources/install.esd', format: 'esd' } })],
      [wim(x64), facts({ installImage: { path: 'sources/install.swm', format: 'swm' } })],
      [wim(x64), facts({ uefi: false })],
      [memFs({}), facts()],
      [wim(x64), facts()],
      [wim(folder), facts()],
      [wim(empty), facts()],
      [wim(large), facts()],
      [wim(garbage), facts()],
    ];
    for (const [fs, f] of cases) {
      const loader = await resolveUefiLoader(fs, f);
      assert.equal(loader.source, 'none');
      if (loader.source !== 'none') continue;
      assertNotice({ code: 'W_BIOS_ONLY', message: loader.warning, params: { reason: loader.reasonCode, ...loader.reasonParams } });
    }
    // bootmgfw-sha1 needs a damaged WIM (loader-fuzz.test.ts makes those); every other reason is met.
    for (const r of Object.keys(REASONS)) if (r !== 'bootmgfw-sha1') assert.ok(seenReasons.has(r), `${r} met`);
  } finally {
    t.cleanup();
  }
});

test('W_HYBRID and W_RAW (main adds them for hybrid and raw images)', async () => {
  const t = tempDir();
  try {
    const raw = join(t.path, 'blank.img');
    writeFileSync(raw, Buffer.alloc(1024 * 1024, 0x5a));
    const hybrid = join(t.path, 'disk.img');
    writeFileSync(hybrid, Buffer.alloc(4 * 1024 * 1024));
    await runOk('sh', ['-c', 'printf "start=2048, type=c, bootable\\n" | sfdisk --quiet "$0"', hybrid]);
    for (const path of [raw, hybrid]) for (const n of imageView(path, await inspectImage(path)).notices) assertNotice(n);
    assert.ok(seenNotices.has('W_HYBRID') && seenNotices.has('W_RAW'));
  } finally {
    t.cleanup();
  }
});

/** Writes at `offset` of a file. */
function poke(file: string, offset: number, bytes: Buffer): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

test('a written stick: the write result carries the BIOS-only notice; verify problems say the same in English from the catalog', async () => {
  const t = tempDir();
  try {
    // Windows-like x64 media whose install.wim has no bootmgfw.efi: a BIOS-only stick.
    const tree = join(t.path, 'tree');
    mkdirSync(join(tree, 'sources'), { recursive: true });
    mkdirSync(join(tree, 'efi', 'microsoft', 'boot'), { recursive: true });
    mkdirSync(join(tree, 'docs'), { recursive: true });
    const wimDir = join(t.path, 'wim');
    mkdirSync(wimDir);
    writeFileSync(join(tree, 'sources', 'install.wim'), readFileSync(await editionsWim(wimDir, ['Professional'], { arch: 9, build: 7601 })));
    writeFileSync(join(tree, 'bootmgr'), Buffer.alloc(4096, 1));
    writeFileSync(join(tree, 'bootmgr.efi'), Buffer.alloc(4096, 2));
    writeFileSync(join(tree, 'efi', 'microsoft', 'boot', 'bcd'), Buffer.alloc(1024, 3));
    writeFileSync(join(tree, 'setup.exe'), Buffer.alloc(3000, 4));
    writeFileSync(join(tree, 'autorun.inf'), Buffer.alloc(100, 5));
    writeFileSync(join(tree, 'docs', 'a.txt'), 'aaaa');
    writeFileSync(join(tree, 'readme.txt'), 'hello');
    const iso = join(t.path, 'w7.iso');
    await runOk('/usr/bin/python3', [join(REPO, 'scripts', 'fixtures', 'win7-iso-udf.py'), tree, iso, 'NOTICES', 'bootmgr']);

    const stick = join(t.path, 'stick.img');
    writeFileSync(stick, Buffer.alloc(0));
    await runOk('truncate', ['-s', '64M', stick]);
    const r = await runWriteJob({ image: iso, targets: [await describePath(stick)], mode: 'windows', verify: false });
    assert.equal(r.ok, true);
    const result = toWriteResult(r);
    assert.deepEqual(result.notices?.map((n) => n.message), result.warnings);
    assert.equal(result.notices?.[0]?.code, 'W_BIOS_ONLY');
    for (const n of result.notices ?? []) assertNotice(n);

    // Spoil it: a file gone, one of another size, one with other bytes, a file that is a folder, a
    // bootx64.efi the image cannot confirm, a manifest that is not JSON, the MBR's and the VBR's code.
    const img = `${stick}@@1M`;
    await runOk('mdel', ['-i', img, '::/setup.exe']);
    writeFileSync(join(t.path, 'autorun.inf'), Buffer.alloc(101, 5));
    await runOk('mcopy', ['-o', '-i', img, join(t.path, 'autorun.inf'), '::/autorun.inf']);
    writeFileSync(join(t.path, 'readme.txt'), 'HELLO');
    await runOk('mcopy', ['-o', '-i', img, join(t.path, 'readme.txt'), '::/readme.txt']);
    await runOk('mdeltree', ['-i', img, '::/docs']);
    writeFileSync(join(t.path, 'docs'), 'now a file');
    await runOk('mcopy', ['-i', img, join(t.path, 'docs'), '::/docs']);
    await runOk('mmd', ['-i', img, '::/efi/boot']);
    writeFileSync(join(t.path, 'bootx64.efi'), Buffer.alloc(1, 9));
    await runOk('mcopy', ['-i', img, join(t.path, 'bootx64.efi'), '::/efi/boot/bootx64.efi']);
    writeFileSync(join(t.path, 'sevenstick.json'), 'not json');
    await runOk('mcopy', ['-i', img, join(t.path, 'sevenstick.json'), '::/sevenstick.json']);
    poke(stick, 0, Buffer.from([0x90]));
    poke(stick, 1024 * 1024 + 100, Buffer.from([0x90, 0x90]));

    const verified = await verifyStick(stick, iso);
    // Its notes carry codes: this BIOS-only stick's note says the same in English from the catalog.
    assert.deepEqual(verified.notices.map((n) => n.message), verified.notes);
    const biosOnly = verified.notices.find((n) => n.code === 'bios-only');
    assert.ok(biosOnly, JSON.stringify(verified.notes));
    assert.equal(noticeText(createTranslator('en'), biosOnly), biosOnly.message);
    assert.notEqual(noticeText(createTranslator('en-XA'), biosOnly), biosOnly.message);
    const v = toVerifyReport(verified, iso);
    assert.equal(v.ok, false);
    for (const p of v.problems) assertProblem(p);
    for (const c of ['missing', 'size', 'different', 'type', 'bootx64-unconfirmed', 'manifest-invalid', 'mbr-code', 'boot-sector-code']) assert.ok(seenProblems.has(c), `${c} met: ${JSON.stringify(v.problems)}`);

    // A raw image read back with one byte changed: "1 byte differs".
    const rawImage = join(t.path, 'raw.img');
    writeFileSync(rawImage, Buffer.alloc(1024 * 1024, 0x5a));
    const rawStick = join(t.path, 'raw-stick.img');
    writeFileSync(rawStick, Buffer.alloc(1024 * 1024, 0x5a));
    poke(rawStick, 4096, Buffer.from([0]));
    const rv = toVerifyReport(await verifyStick(rawStick, rawImage), rawImage);
    assert.equal(rv.problems.length, 1);
    assert.match(rv.problems[0]?.problem ?? '', /^1 byte differs at byte 4096/);
    for (const p of rv.problems) assertProblem(p);
  } finally {
    t.cleanup();
  }
});

test('error headlines: one for every code, from the catalog, with the message as the detail', () => {
  for (const code of Object.keys(ERROR_CODES) as IpcErrorCode[]) {
    const e = { code, message: 'what the layer said' };
    const a = errorText(en, e);
    assert.equal(a.detail, 'what the layer said');
    assert.notEqual(a.title, e.message);
    assert.notEqual(errorText(pseudo, e).title, a.title);
  }
  assert.equal(errorText(en, { code: 'E_TARGET_TOO_SMALL', message: 'x' }).title, 'The drive is too small for this image');
});

test('a code without a message, or params an older layer did not send, fall back to the English text', () => {
  assert.equal(noticeText(pseudo, { code: 'W_SOMETHING_NEW', message: 'Something new.' }), 'Something new.');
  assert.equal(noticeText(pseudo, { code: 'too-small', message: 'The old English.', params: { device: '/dev/sdz' } }), 'The old English.');
  assert.equal(noticeText(pseudo, { code: 'W_BIOS_ONLY', message: 'BIOS only, for a new reason.', params: { reason: 'new-reason' } }), 'BIOS only, for a new reason.');
  assert.equal(problemText(pseudo, { path: 'a', problem: 'a is odd' }), 'a is odd');
});
