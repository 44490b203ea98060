/**
 * "Set up Windows" (shared/setup.ts, wired into shared/wizard.ts): off by default and then the write is
 * exactly today's; when on, the step sits after the image, the preset never holds a clear password, and
 * the `windows` validators of the contract. Main's answers:* and preset:* handlers with dialog stubs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnswerSummaryView, EditionView, ImageView } from '../../shared/contract.js';
import { erasesPcDisk, presetOf, passwordFor, setupLines, windowsRequest, wsimEncode, WIPE_CONFIRMATION } from '../../shared/setup.js';
import { validateRequest } from '../../shared/validate.js';
import { canProceed, initialState, reducer, writeSteps, type Action, type WizardState } from '../../shared/wizard.js';
import { checkImportedAnswerFile, encodeWsimPassword, validatePreset } from '../../engine/index.js';
import { createHandlers, dispatch } from '../../main/handlers.js';
import { stubEngine } from '../helpers/engine.js';

/** An answer file's summary as the engine gives it. */
const DETAILS: AnswerSummaryView = {
  arch: 'amd64',
  edition: { index: 4, name: 'Windows 7 PROFESSIONAL', by: 'index' },
  language: 'en-US',
  locale: 'en-US',
  inputLocale: '0409:00000409',
  timeZone: null,
  computerName: 'LAB-1',
  user: null,
  productKey: null,
  wipeDisk0: null,
  setupAsks: ['user name'],
};

const editions: EditionView[] = [
  { index: 1, name: 'Windows 7 HOMEBASIC', editionId: 'HomeBasic', arch: 'x64' },
  { index: 4, name: 'Windows 7 PROFESSIONAL', editionId: 'Professional', arch: 'x64' },
];
const image: ImageView = {
  path: '/isos/win7.iso',
  fileName: 'win7.iso',
  kind: 'windows',
  label: 'GRMCPRXFRER_EN_DVD',
  size: 3_000_000_000,
  notices: [],
  windows: { build: '6.1.7601', servicePack: 1, arch: 'x64', uefi: true, bios: true, editions, languages: ['en-US'] },
};
const run = (actions: Action[], s: WizardState = initialState): WizardState => actions.reduce(reducer, s);
const toImage: Action[] = [
  { type: 'start', flow: 'write' },
  { type: 'image-chosen', path: image.path },
  { type: 'image-inspected', path: image.path, info: image },
];
const on: Action = { type: 'setup-enable', value: true, language: 'en-US', keyboard: '00000409' };

test('skipped (the default): Image → Drives as before, no `windows` in the write', () => {
  const s = run([...toImage, { type: 'next' }]);
  assert.equal(s.step, 'drives');
  assert.equal(s.setup.enabled, false);
  assert.equal(windowsRequest(s.setup), undefined);
  assert.deepEqual(setupLines(s.setup, editions), []);
  assert.deepEqual(writeSteps(s), ['image', 'drives', 'confirm', 'write', 'done']);
});

test('on: Image → Set up Windows → Drives and back; settings leave the step only with their answer file', () => {
  let s = run([...toImage, on, { type: 'next' }]);
  assert.equal(s.step, 'setup');
  assert.deepEqual(writeSteps(s), ['image', 'setup', 'drives', 'confirm', 'write', 'done']);
  assert.equal(s.setup.language, 'en-US');
  assert.equal(canProceed(s), true);
  assert.equal(reducer(s, { type: 'next' }).step, 'setup', 'no answer file yet');
  s = run([{ type: 'setup-set', patch: { edition: 4, onlyEdition: true, computerName: 'LAB-1' } }, { type: 'setup-busy' }], s);
  assert.equal(canProceed(s), false, 'busy');
  s = run([{ type: 'setup-generated', answers: { xml: '<unattend/>', summary: ['Edition: 4. Windows 7 PROFESSIONAL'], details: DETAILS } }, { type: 'next' }], s);
  assert.equal(s.step, 'drives');
  assert.deepEqual(windowsRequest(s.setup), { edition: 4, onlyEdition: true, showAllEditions: false, unattendXml: '<unattend/>' });
  assert.equal(reducer(s, { type: 'back' }).step, 'setup');
  // Any change drops the generated file; no edition, no "keep only".
  const changed = reducer(reducer(s, { type: 'back' }), { type: 'setup-set', patch: { edition: null } });
  assert.equal(changed.setup.answers, null);
  assert.equal(changed.setup.onlyEdition, false);
  // A new image starts the step over, off.
  assert.equal(run([{ type: 'back' }, { type: 'back' }, { type: 'image-chosen', path: '/isos/other.iso' }], s).setup.enabled, false);
});

test('raw and hybrid images never get the step', () => {
  const raw = { ...image, kind: 'raw' as const, windows: undefined };
  const s = run([{ type: 'start', flow: 'write' }, { type: 'image-chosen', path: raw.path }, { type: 'image-inspected', path: raw.path, info: raw }, on, { type: 'next' }]);
  assert.equal(s.step, 'drives');
});

test('wiping disk 0 needs the second confirmation, which a loaded preset never gives', () => {
  let s = run([...toImage, on, { type: 'next' }, { type: 'setup-set', patch: { wipeDisk0: true } }]);
  assert.equal(canProceed(s), false);
  assert.deepEqual(presetOf(s.setup, editions).partitioning, { mode: 'ask' });
  s = reducer(s, { type: 'setup-set', patch: { wipeConfirmed: true, firmware: 'uefi' } });
  assert.equal(canProceed(s), true);
  assert.deepEqual(presetOf(s.setup, editions).partitioning, { mode: 'wipe-disk-0', firmware: 'uefi', confirmed: WIPE_CONFIRMATION });
  assert.equal(erasesPcDisk(s.setup), true);
  const loaded = reducer(s, { type: 'setup-preset-loaded', preset: presetOf(s.setup, editions), editions });
  assert.equal(loaded.setup.wipeDisk0, true);
  assert.equal(loaded.setup.wipeConfirmed, false);
  assert.equal(canProceed(loaded), false);
  assert.equal(erasesPcDisk({ ...s.setup, source: 'imported', imported: '<DiskConfiguration><Disk><WillWipeDisk>true</WillWipeDisk>' }), true);
});

test('the preset holds the password only when the box is ticked, and then only as the engine\'s WSIM encoding', () => {
  const s = run([...toImage, on, { type: 'next' }, { type: 'setup-set', patch: { userName: 'labadmin', password: 'S3cret!' } }]);
  const plain = presetOf(s.setup, editions);
  assert.deepEqual(plain.account?.password, { from: 'prompt' });
  assert.doesNotMatch(JSON.stringify(plain), /S3cret/);
  assert.equal(passwordFor(plain, s.setup), 'S3cret!');
  const stored = presetOf(reducer(s, { type: 'setup-set', patch: { storePassword: true } }).setup, editions);
  assert.deepEqual(stored.account?.password, { from: 'preset', wsimEncoded: encodeWsimPassword('S3cret!') });
  assert.equal(passwordFor(stored, s.setup), null);
  for (const pw of ['', 'ä€😀', 'x'.repeat(127)]) assert.equal(wsimEncode(pw), encodeWsimPassword(pw));
  // The engine accepts what the wizard makes; "keep only" names the edition (it is image 1 on the stick).
  validatePreset(plain);
  const only = presetOf(reducer(s, { type: 'setup-set', patch: { edition: 4, onlyEdition: true } }).setup, editions);
  assert.deepEqual(only.edition, { name: 'Windows 7 PROFESSIONAL' });
  validatePreset(only);
});

test('write:start validates `windows` with exact keys, an edition > 0 or null, and at most 256 KiB of XML', () => {
  const write = { jobId: 'job-12345678', image: '/isos/win7.iso', targets: [{ path: '/dev/sdb', size: 1, serial: null }], mode: 'auto', verify: true };
  const windows = { edition: 4, onlyEdition: true, showAllEditions: false, unattendXml: '<unattend/>' };
  assert.deepEqual(validateRequest('write:start', write), write, 'absent stays absent');
  assert.deepEqual(validateRequest('write:start', { ...write, windows }), { ...write, windows });
  const asks = { ...windows, edition: null, onlyEdition: false, unattendXml: null };
  assert.deepEqual(validateRequest('write:start', { ...write, windows: asks }).windows, asks);
  const bad: Array<[unknown, RegExp]> = [
    [{ ...windows, edition: 0 }, /edition: expected a positive integer/],
    [{ ...windows, edition: 1.5 }, /edition/],
    [{ ...windows, extra: true }, /unexpected field "extra"/],
    [{ edition: 1, onlyEdition: true, showAllEditions: false }, /unattendXml/],
    [{ ...windows, unattendXml: 'x'.repeat(256 * 1024 + 1) }, /longer than|larger than/],
    [{ ...windows, unattendXml: '€'.repeat(100_000) }, /larger than 256 KiB/],
    [{ ...windows, onlyEdition: 'yes' }, /true or false/],
    [{ ...windows, edition: null }, /onlyEdition: needs an edition/],
  ];
  for (const [v, re] of bad) assert.throws(() => validateRequest('write:start', { ...write, windows: v }), re);
  assert.throws(() => validateRequest('answers:generate', { image: 'rel.iso', preset: {}, password: null }), /absolute path/);
  assert.throws(() => validateRequest('answers:export', { xml: '' }), /must not be empty/);
  assert.throws(() => validateRequest('preset:load', { x: 1 }), /unexpected field/);
});

function answersHarness(files: Record<string, Buffer | null>) {
  const log: string[] = [];
  const saved: Array<[string, string]> = [];
  const engine = stubEngine({
    inspect: async () => image,
    listDrives: async () => [],
    generateAnswers: async (_img, preset, password) => ({ xml: `<unattend>${password === null ? '' : encodeWsimPassword(password)}</unattend>`, summary: [JSON.stringify(validatePreset(preset).computerName)], details: DETAILS }),
    presetFile: async (preset) => JSON.stringify(validatePreset(preset)),
    readPreset: async (text) => validatePreset(JSON.parse(text)),
    // The engine's own check, for an x64 image.
    checkAnswerFile: async (_img, bytes) => (checkImportedAnswerFile(bytes, { arch: 'x64' }), bytes.toString('utf8')),
  });
  const h = createHandlers({
    engine,
    startHelper: async () => {
      throw new Error('no helper');
    },
    chooseImage: async () => null,
    openLog: async () => true,
    emit: () => {},
    info: { version: 't', platform: 'linux', needsElevation: false, logPath: '/tmp/x.log' },
    saveFile: async (kind, text) => (saved.push([kind, text]), true),
    openFile: async (kind) => files[kind] ?? null,
    log: (l) => log.push(l),
  });
  return { h, log, saved };
}

const unattend = (arch: string) =>
  Buffer.from(`<?xml version="1.0" encoding="utf-8"?><unattend xmlns="urn:schemas-microsoft-com:unattend"><settings pass="oobeSystem"><component name="Microsoft-Windows-Shell-Setup" processorArchitecture="${arch}" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS"/></settings></unattend>`);

test('answers:generate: only for the inspected image, the preset checked by the engine, the password in no log line', async () => {
  const { h, log } = answersHarness({});
  const preset = presetOf({ ...initialState.setup, language: 'en-US', locale: 'en-US', keyboard: '00000409', userName: 'labadmin', computerName: 'LAB-1', password: 'Hunter2-secret' }, editions);
  const early = await dispatch(h.handlers, 'answers:generate', { image: image.path, preset, password: 'Hunter2-secret' });
  assert.equal(early.ok ? 'ok' : early.error.code, 'E_SAFETY', 'no image inspected yet');
  await dispatch(h.handlers, 'image:inspect', { path: image.path });
  const r = await dispatch(h.handlers, 'answers:generate', { image: image.path, preset, password: 'Hunter2-secret' });
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.value.summary, ['"LAB-1"']);
  const bad = await dispatch(h.handlers, 'answers:generate', { image: image.path, preset: { ...preset, computerName: 'bad name!' }, password: null });
  assert.equal(bad.ok ? 'ok' : bad.error.code, 'E_ARGS');
  assert.ok(log.some((l) => /answers: generated/.test(l)));
  for (const l of log) {
    assert.doesNotMatch(l, /Hunter2/, l);
    assert.ok(!l.includes(encodeWsimPassword('Hunter2-secret')), l);
  }
});

test('answers:import refuses a wrong-architecture file and returns a right one as is; presets round-trip through the dialogs', async () => {
  const files: Record<string, Buffer | null> = { answers: unattend('x86') };
  const { h, log, saved } = answersHarness(files);
  await dispatch(h.handlers, 'image:inspect', { path: image.path });
  const wrong = await dispatch(h.handlers, 'answers:import', {});
  assert.equal(wrong.ok, false);
  assert.match(wrong.ok ? '' : wrong.error.message, /x86.*amd64/);
  assert.ok(log.some((l) => /import refused/.test(l)));
  files.answers = unattend('amd64');
  const right = await dispatch(h.handlers, 'answers:import', {});
  assert.deepEqual(right, { ok: true, value: { xml: unattend('amd64').toString('utf8') } });
  files.answers = Buffer.alloc(256 * 1024 + 1, 0x20);
  const big = await dispatch(h.handlers, 'answers:import', {});
  assert.equal(big.ok ? 'ok' : big.error.code, 'E_FILE_TOO_LARGE');
  files.answers = null;
  assert.deepEqual(await dispatch(h.handlers, 'answers:import', {}), { ok: true, value: null }, 'cancelled');
  const preset = presetOf({ ...initialState.setup, language: 'en-US', locale: 'en-US', keyboard: '00000409' }, editions);
  assert.deepEqual(await dispatch(h.handlers, 'preset:save', { preset }), { ok: true, value: true });
  assert.equal(saved[0]?.[0], 'preset');
  files.preset = Buffer.from(saved[0]?.[1] ?? '');
  assert.deepEqual(await dispatch(h.handlers, 'preset:load', {}), { ok: true, value: { preset } });
  const badSave = await dispatch(h.handlers, 'preset:save', { preset: { ...preset, extra: 1 } });
  assert.equal(badSave.ok ? 'ok' : badSave.error.code, 'E_ARGS');
  assert.deepEqual(await dispatch(h.handlers, 'answers:export', { xml: '<unattend/>' }), { ok: true, value: true });
  assert.deepEqual(saved[1], ['answers', '<unattend/>']);
});
