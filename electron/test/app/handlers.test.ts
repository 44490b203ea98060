/**
 * Main keeps what it offered (electron/main/handlers.ts): a write or verify naming anything but the
 * image it inspected last and drives from the last list it sent — same size, same identity, listed
 * as selectable — is refused before any helper starts. Disk-image files are written by main itself:
 * for real, with the real engine, a small raw image and a temp file target.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DriveView, ImageView, IpcResult, Progress, VerifyReport, WriteRequest, WriteResult } from '../../shared/contract.js';
import { bindEngine } from '../../main/engine-bindings.js';
import { createHandlers, dispatch, type HandlerDeps, type WriterSession } from '../../main/handlers.js';
import { translator } from '../../main/i18n.js';
import { languageSettings } from '../../main/language.js';
import { stubEngine } from '../helpers/engine.js';
import { fixture, tempDir } from '../helpers/tools.js';

const ISO = '/isos/win7.iso';

function drive(path: string, over: Partial<DriveView> = {}): DriveView {
  return { path, kind: 'block', description: `Stick ${path}`, backingFile: null, size: 8_000_000_000, bus: 'usb', removable: true, system: false, serial: `serial:S-${path}`, mountpoints: [], notices: [], selectable: true, hiddenByDefault: false, ...over };
}

const image: ImageView = { path: ISO, fileName: 'win7.iso', kind: 'windows', label: 'GRMCULFRER_EN_DVD', size: 3_000_000_000, notices: [] };

interface Harness {
  handlers: ReturnType<typeof createHandlers>;
  /** The drive list the stub engine reports next. */
  drives: DriveView[];
  helperStarts: number;
  written: Array<{ image: string; targets: string[] }>;
  verified: string[];
  /** Disk-image files main wrote itself (the stub engine's writeFiles). */
  filesWritten: string[];
  events: Array<[string, unknown]>;
  identify: (path: string) => { path: string; size: number; serial: string | null };
  log: string[];
}

function harness(language?: HandlerDeps['language']): Harness {
  const h: Harness = {
    drives: [drive('/dev/sdb'), drive('/dev/sdc'), drive('/dev/sda', { system: true, selectable: false, notices: [{ severity: 'error', code: 'system', message: 'This is the system drive.' }] })],
    helperStarts: 0,
    written: [],
    verified: [],
    filesWritten: [],
    events: [],
    identify: (path) => {
      const d = h.drives.find((x) => x.path === path);
      return { path, size: d?.size ?? 0, serial: d?.serial ?? null };
    },
    log: [],
    handlers: undefined as unknown as ReturnType<typeof createHandlers>,
  };
  const session: WriterSession = {
    async write(job) {
      h.written.push({ image: job.image, targets: job.targets.map((t) => t.path) });
      return { outcome: 'done', seconds: 1, targets: job.targets.map((t) => ({ path: t.path, ok: true, verified: true })) };
    },
    async verify(job) {
      h.verified.push(job.target.path);
      return { ok: true, target: job.target.path, image: job.image, checkedFiles: 1, problems: [], extras: [] };
    },
    cancel() {},
    close() {},
  };
  const engine = stubEngine({
    inspect: async (path) => ({ ...image, path }),
    listDrives: async () => h.drives,
    identifyForConfirm: async (path) => h.identify(path),
    writeFiles: async (job) => {
      h.filesWritten.push(...job.targets.map((t) => t.path));
      return { outcome: 'done', seconds: 1, targets: job.targets.map((t) => ({ path: t.path, ok: true, verified: true })) };
    },
  });
  const deps: HandlerDeps = {
    engine,
    startHelper: async () => {
      h.helperStarts++;
      return session;
    },
    chooseImage: async () => null,
    openLog: async () => true,
    emit: (ch, p) => h.events.push([ch, p]),
    info: { version: '0', platform: 'linux', needsElevation: true, logPath: '/tmp/x.log' },
    log: (l) => h.log.push(l),
    ...(language ? { language } : {}),
  };
  h.handlers = createHandlers(deps);
  return h;
}

const write = (over: Partial<WriteRequest> = {}): WriteRequest => ({
  jobId: `job-${Math.random().toString(36).slice(2, 12)}`,
  image: ISO,
  targets: [{ path: '/dev/sdb', size: 8_000_000_000, serial: 'serial:S-/dev/sdb' }],
  mode: 'auto',
  verify: true,
  ...over,
});

function refusedWith(r: IpcResult<unknown>, code: string, re: RegExp): void {
  assert.equal(r.ok, false, 'refused');
  if (r.ok) return;
  assert.equal(r.error.code, code, r.error.message);
  assert.match(r.error.message, re);
}

/** Inspect the image and let the lists settle (inspect also pushes a list checked against the new image). */
async function inspected(h: Harness, path = ISO): Promise<void> {
  const r = await dispatch(h.handlers.handlers, 'image:inspect', { path });
  assert.ok(r.ok);
  await new Promise((resolve) => setImmediate(resolve));
}

test('a write is refused unless its image is the one inspected last and a drive list was offered for it', async () => {
  const h = harness();
  refusedWith(await dispatch(h.handlers.handlers, 'write:start', write()), 'E_SAFETY', /not the image SevenStick inspected last/);
  await dispatch(h.handlers.handlers, 'drives:list', { showAll: true });
  refusedWith(await dispatch(h.handlers.handlers, 'write:start', write()), 'E_SAFETY', /not the image SevenStick inspected last/);
  await inspected(h, '/isos/other.iso');
  refusedWith(await dispatch(h.handlers.handlers, 'write:start', write()), 'E_SAFETY', /not the image SevenStick inspected last/);
  await inspected(h, ISO);
  refusedWith(await dispatch(h.handlers.handlers, 'write:start', write({ image: '/isos/other.iso' })), 'E_SAFETY', /\/isos\/other\.iso is not the image/);
  assert.equal(h.helperStarts, 0, 'no helper was started');
  // The list inspect pushed was checked against this image: now the same request goes through.
  const ok = await dispatch(h.handlers.handlers, 'write:start', write());
  assert.ok(ok.ok, JSON.stringify(ok));
  assert.equal(h.helperStarts, 1);
  assert.deepEqual(h.written, [{ image: ISO, targets: ['/dev/sdb'] }]);
  assert.ok(h.log.some((l) => /write job-\w+ refused: .*not the image/.test(l)), 'refusals are logged');
});

test('a list offered before the image was inspected does not count for it', async () => {
  const h = harness();
  h.handlers.drivesChanged(h.drives, null);
  const r1 = await dispatch(h.handlers.handlers, 'image:inspect', { path: ISO });
  assert.ok(r1.ok);
  // Before inspect's own list arrives, the last list was checked against no image.
  h.handlers.drivesChanged(h.drives, null);
  refusedWith(await dispatch(h.handlers.handlers, 'write:start', write()), 'E_SAFETY', /not shown a drive list for this image/);
  await dispatch(h.handlers.handlers, 'drives:list', { showAll: true });
  assert.ok((await dispatch(h.handlers.handlers, 'write:start', write())).ok);
});

test('each target must be in the last offered list, with the same size and identity, and selectable', async () => {
  const h = harness();
  await inspected(h);
  await dispatch(h.handlers.handlers, 'drives:list', { showAll: true });
  const cases: Array<[WriteRequest['targets'], RegExp]> = [
    [[{ path: '/dev/sdz', size: 8_000_000_000, serial: 'serial:S-/dev/sdz' }], /\/dev\/sdz is not in the drive list SevenStick showed/],
    [[{ path: '/dev/sdb', size: 16_000_000_000, serial: 'serial:S-/dev/sdb' }], /\/dev\/sdb is not the drive SevenStick showed/],
    [[{ path: '/dev/sdb', size: 8_000_000_000, serial: 'serial:OTHER' }], /\/dev\/sdb is not the drive SevenStick showed/],
    [[{ path: '/dev/sdb', size: 8_000_000_000, serial: null }], /not the drive SevenStick showed/],
    [[{ path: '/dev/sda', size: 8_000_000_000, serial: 'serial:S-/dev/sda' }], /\/dev\/sda was shown as unavailable: This is the system drive\./],
    [
      [
        { path: '/dev/sdb', size: 8_000_000_000, serial: 'serial:S-/dev/sdb' },
        { path: '/dev/sdy', size: 8_000_000_000, serial: null },
      ],
      /\/dev\/sdy is not in the drive list/,
    ],
  ];
  for (const [targets, re] of cases) refusedWith(await dispatch(h.handlers.handlers, 'write:start', write({ targets })), 'E_SAFETY', re);
  assert.equal(h.helperStarts, 0, 'no helper was started for any of them');
  assert.equal(h.handlers.running(), 0, 'no job was registered');

  // A drive that appears in a drives:changed event can be written; one that disappeared from it cannot.
  const sdd = drive('/dev/sdd', { size: 4_000_000_000 });
  h.handlers.drivesChanged([drive('/dev/sdc'), sdd]);
  assert.deepEqual(h.events.at(-1), ['drives:changed', [drive('/dev/sdc'), sdd]], 'the list is sent to the renderer');
  refusedWith(await dispatch(h.handlers.handlers, 'write:start', write()), 'E_SAFETY', /\/dev\/sdb is not in the drive list/);
  const both = write({ targets: [{ path: '/dev/sdc', size: 8_000_000_000, serial: 'serial:S-/dev/sdc' }, { path: '/dev/sdd', size: 4_000_000_000, serial: 'serial:S-/dev/sdd' }] });
  assert.ok((await dispatch(h.handlers.handlers, 'write:start', both)).ok);
  assert.deepEqual(h.written.at(-1)?.targets, ['/dev/sdc', '/dev/sdd']);
  // A drive listed as unavailable later (e.g. it now holds the image) is refused.
  h.handlers.drivesChanged([drive('/dev/sdc', { selectable: false, notices: [{ severity: 'error', code: 'holds-image', message: 'This drive holds the image.' }] })]);
  refusedWith(await dispatch(h.handlers.handlers, 'write:start', write({ targets: [both.targets[0]!] })), 'E_SAFETY', /was shown as unavailable: This drive holds the image/);
  // A drives:list answer replaces the last event's list.
  await dispatch(h.handlers.handlers, 'drives:list', { showAll: true });
  assert.ok((await dispatch(h.handlers.handlers, 'write:start', write())).ok);
  assert.equal(h.helperStarts, 2);
});

test('only what a drives:list answer actually contained counts (hidden drives stay out of a filtered answer)', async () => {
  const h = harness();
  h.drives.push(drive('/dev/sde', { hiddenByDefault: true, removable: false }));
  await inspected(h);
  await dispatch(h.handlers.handlers, 'drives:list', { showAll: false });
  const sde = write({ targets: [{ path: '/dev/sde', size: 8_000_000_000, serial: 'serial:S-/dev/sde' }] });
  refusedWith(await dispatch(h.handlers.handlers, 'write:start', sde), 'E_SAFETY', /not in the drive list/);
  await dispatch(h.handlers.handlers, 'drives:list', { showAll: true });
  assert.ok((await dispatch(h.handlers.handlers, 'write:start', sde)).ok);
});

test('disk-image files and drives in one run are refused', async () => {
  const h = harness();
  h.drives.push(drive('/home/u/vm.img', { kind: 'file', size: 8_000_000_000, serial: 'file:1:2' }));
  await inspected(h);
  const mixed = write({ targets: [{ path: '/dev/sdb', size: 8_000_000_000, serial: 'serial:S-/dev/sdb' }, { path: '/home/u/vm.img', size: 8_000_000_000, serial: 'file:1:2' }] });
  refusedWith(await dispatch(h.handlers.handlers, 'write:start', mixed), 'E_BAD_REQUEST', /^Write disk image files and drives in separate runs\.$/);
  assert.equal(h.helperStarts, 0);
  // Files alone are written by main itself (the engine's writeFiles), never by the helper.
  const files = write({ targets: [{ path: '/home/u/vm.img', size: 8_000_000_000, serial: 'file:1:2' }] });
  assert.ok((await dispatch(h.handlers.handlers, 'write:start', files)).ok);
  assert.deepEqual(h.filesWritten, ['/home/u/vm.img']);
  assert.equal(h.helperStarts, 0);
  assert.deepEqual(h.written, []);
});

test('a verify must name the inspected image and a listed, non-system drive that is still the one listed', async () => {
  const h = harness();
  const req = (target: string, img = ISO) => ({ jobId: `job-${Math.random().toString(36).slice(2, 12)}`, target, image: img });
  refusedWith(await dispatch(h.handlers.handlers, 'verify:start', req('/dev/sdb')), 'E_SAFETY', /not the image SevenStick inspected last/);
  await inspected(h);
  refusedWith(await dispatch(h.handlers.handlers, 'verify:start', req('/dev/sdb', '/isos/other.iso')), 'E_SAFETY', /not the image/);
  refusedWith(await dispatch(h.handlers.handlers, 'verify:start', req('/dev/sdq')), 'E_SAFETY', /\/dev\/sdq is not in the drive list/);
  refusedWith(await dispatch(h.handlers.handlers, 'verify:start', req('/dev/sda')), 'E_SAFETY', /the system drive/);
  // Another stick now at /dev/sdb: identified afresh before any prompt, refused.
  const identify = h.identify;
  h.identify = (path) => ({ ...identify(path), serial: 'serial:SOMEONE-ELSE' });
  refusedWith(await dispatch(h.handlers.handlers, 'verify:start', req('/dev/sdb')), 'E_SAFETY', /not the drive SevenStick showed \(its size or identity changed\)/);
  assert.equal(h.helperStarts, 0);
  h.identify = identify;
  const ok = (await dispatch(h.handlers.handlers, 'verify:start', req('/dev/sdb'))) as IpcResult<VerifyReport>;
  assert.ok(ok.ok && ok.value.ok);
  assert.deepEqual(h.verified, ['/dev/sdb']);
  assert.equal(h.helperStarts, 1);
});

test('disk-image file targets are written by main itself, for real, never by the helper; a swapped file is refused', { timeout: 120_000 }, async () => {
  const MiB = 1024 * 1024;
  const img = await fixture('dev-raw-image.py', ['4', '4']);
  const t = tempDir('sevenstick-main-write-');
  const oldDevices = process.env.SEVENSTICK_TEST_DEVICES;
  try {
    const target = join(t.path, 'vm disk.img');
    writeFileSync(target, Buffer.alloc(8 * MiB, 0x5a));
    process.env.SEVENSTICK_TEST_DEVICES = target;
    let helperStarts = 0;
    const progress: Progress[] = [];
    const events: string[] = [];
    const { handlers } = createHandlers({
      engine: bindEngine(),
      startHelper: async () => {
        helperStarts++;
        throw new Error('the helper must not be started for a file');
      },
      chooseImage: async () => null,
      openLog: async () => true,
      emit: (ch, p) => {
        events.push(ch);
        if (ch === 'job:progress') progress.push((p as { progress: Progress }).progress);
      },
      info: { version: '0', platform: 'linux', needsElevation: true, logPath: '/tmp/x.log' },
    });
    assert.ok((await dispatch(handlers, 'image:inspect', { path: img })).ok);
    const list = await dispatch(handlers, 'drives:list', { showAll: true });
    assert.ok(list.ok);
    const listed = list.value.find((d) => d.path === target);
    assert.ok(listed, 'the file target is listed');
    assert.equal(listed.kind, 'file');
    assert.equal(listed.size, 8 * MiB);
    assert.ok(listed.selectable, JSON.stringify(listed.notices));
    const confirmed = { path: target, size: listed.size ?? 0, serial: listed.serial };

    const r = (await dispatch(handlers, 'write:start', { jobId: 'job-file-0001', image: img, targets: [confirmed], mode: 'auto', verify: true })) as IpcResult<WriteResult>;
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.outcome, 'done');
    assert.deepEqual(r.value.targets, [{ path: target, ok: true, verified: true }]);
    assert.equal(helperStarts, 0, 'written in main, no helper');
    const written = readFileSync(target);
    assert.equal(written.length, 8 * MiB, 'an existing file keeps its size');
    assert.ok(written.subarray(0, 4 * MiB).equals(readFileSync(img)), 'the image, byte for byte');
    assert.ok(progress.some((p) => p.phase === 'writing' && p.bytes === p.total && p.total > 0), 'writing progress relayed');
    assert.ok(progress.some((p) => p.phase === 'verifying'), 'verifying progress relayed');

    // Verify the file (also in main).
    const v = (await dispatch(handlers, 'verify:start', { jobId: 'job-file-0002', target, image: img })) as IpcResult<VerifyReport>;
    assert.ok(v.ok, JSON.stringify(v));
    assert.equal(helperStarts, 0);

    // Another file put at the same path (same size, new inode) after the list: refused, left as it is.
    const other = join(t.path, 'other.img');
    writeFileSync(other, Buffer.alloc(8 * MiB, 0x33));
    const inodeBefore = statSync(target).ino;
    renameSync(other, target);
    assert.notEqual(statSync(target).ino, inodeBefore);
    const swapped = await dispatch(handlers, 'write:start', { jobId: 'job-file-0003', image: img, targets: [confirmed], mode: 'auto', verify: true });
    refusedWith(swapped, 'E_SAFETY', /not the file you confirmed/);
    assert.ok(readFileSync(target).equals(Buffer.alloc(8 * MiB, 0x33)), 'the swapped-in file is untouched');
    assert.equal(helperStarts, 0);
  } finally {
    if (oldDevices === undefined) delete process.env.SEVENSTICK_TEST_DEVICES;
    else process.env.SEVENSTICK_TEST_DEVICES = oldDevices;
    t.cleanup();
  }
});

test('cancelling a disk-image file write in main stops it (job:cancel reaches the in-process job)', { timeout: 120_000 }, async () => {
  const MiB = 1024 * 1024;
  const img = await fixture('dev-raw-image.py', ['64', '1']);
  const t = tempDir('sevenstick-main-cancel-');
  const oldDevices = process.env.SEVENSTICK_TEST_DEVICES;
  try {
    const target = join(t.path, 'vm.img');
    writeFileSync(target, Buffer.alloc(64 * MiB, 0x5a));
    process.env.SEVENSTICK_TEST_DEVICES = target;
    let cancelAsked: Promise<IpcResult<boolean>> | null = null;
    const h = createHandlers({
      engine: bindEngine(),
      startHelper: async () => {
        throw new Error('the helper must not be started for a file');
      },
      chooseImage: async () => null,
      openLog: async () => true,
      emit: (ch, p) => {
        if (ch === 'job:progress' && (p as { progress: Progress }).progress.phase === 'writing' && !cancelAsked) {
          cancelAsked = dispatch(h.handlers, 'job:cancel', { jobId: 'job-file-cancel' });
        }
      },
      info: { version: '0', platform: 'linux', needsElevation: true, logPath: '/tmp/x.log' },
    });
    assert.ok((await dispatch(h.handlers, 'image:inspect', { path: img })).ok);
    const list = await dispatch(h.handlers, 'drives:list', { showAll: true });
    const listed = list.ok ? list.value.find((d) => d.path === target) : undefined;
    assert.ok(listed);
    const r = (await dispatch(h.handlers, 'write:start', { jobId: 'job-file-cancel', image: img, targets: [{ path: target, size: listed.size ?? 0, serial: listed.serial }], mode: 'raw', verify: true })) as IpcResult<WriteResult>;
    assert.ok(cancelAsked, 'a writing progress event came');
    const c = (await cancelAsked) as IpcResult<boolean>;
    assert.deepEqual(c, { ok: true, value: true }, 'the running job was found and cancelled');
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.outcome, 'cancelled');
    assert.equal(h.running(), 0, 'the job is over');
    // Boot sectors are written last and zeroed on cancel: the file never looks bootable.
    assert.notDeepEqual(readFileSync(target).subarray(510, 512), Buffer.from([0x55, 0xaa]));
  } finally {
    if (oldDevices === undefined) delete process.env.SEVENSTICK_TEST_DEVICES;
    else process.env.SEVENSTICK_TEST_DEVICES = oldDevices;
    t.cleanup();
  }
});

test('refusals speak the language in use (the pseudo-locale: accented, from the catalog); the log keeps them in English', async () => {
  const pseudo = translator('en-XA');
  const h = harness(languageSettings({ os: () => 'en-XA' }));
  const refused = await dispatch(h.handlers.handlers, 'write:start', write());
  assert.ok(!refused.ok);
  assert.equal(refused.error.code, 'E_SAFETY');
  assert.match(refused.error.message, /[\u00C0-\u024F]/, refused.error.message);
  assert.doesNotMatch(refused.error.message, /not the image SevenStick inspected last/);
  const reason = pseudo.t('main.refuse.notTheImageInspected', { image: ISO });
  assert.equal(refused.error.message, pseudo.t('main.refuse.nothingWritten', { reason }));
  assert.ok(refused.error.message.includes(ISO), 'the path stays as it is');
  assert.ok(h.log.some((l) => /write job-\w+ refused: \/isos\/win7\.iso is not the image SevenStick inspected last: choose it again\. Nothing was written\.$/.test(l)), h.log.join('\n'));

  // A mixed run and a too-large preset too; English again once the user picks it.
  h.drives.push(drive('/home/u/vm.img', { kind: 'file', size: 8_000_000_000, serial: 'file:1:2' }));
  await inspected(h);
  const mixed = await dispatch(h.handlers.handlers, 'write:start', write({ targets: [{ path: '/dev/sdb', size: 8_000_000_000, serial: 'serial:S-/dev/sdb' }, { path: '/home/u/vm.img', size: 8_000_000_000, serial: 'file:1:2' }] }));
  assert.deepEqual(mixed, { ok: false, error: { code: 'E_BAD_REQUEST', message: pseudo.t('main.refuse.filesAndDrives') } });
  const chosen = await dispatch(h.handlers.handlers, 'settings:language', { locale: 'en' });
  assert.deepEqual(chosen, { ok: true, value: { locale: 'en' } });
  refusedWith(await dispatch(h.handlers.handlers, 'write:start', write({ image: '/isos/other.iso' })), 'E_SAFETY', /^\/isos\/other\.iso is not the image SevenStick inspected last: choose it again\. Nothing was written\.$/);
});
