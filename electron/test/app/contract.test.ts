/**
 * The contract's runtime side: payload validators, the trusted-sender check, the preload's inlined
 * channel tables (loaded with a stub 'electron' module), the helper launch commands, and dispatch.
 * (About 400 lines: one test file per contract, so every channel's checks sit together.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENT_METHODS, INVOKE_METHODS, type EventChannel, type InvokeChannel } from '../../shared/contract.js';
import { REQUEST_VALIDATORS, validateRequest } from '../../shared/validate.js';
import { isAllowedNavigation, isTrustedSender } from '../../main/sender.js';
import { checkLinuxLauncher, HelperSession, launchSpec, elevationError, type LaunchContext } from '../../main/helper-client.js';
import { logText, translator } from '../../main/i18n.js';
import { AppError } from '../../shared/errors.js';
import { SevenStickError } from '../../engine/index.js';
import { stubEngine } from '../helpers/engine.js';
import { cliEquivalent, createHandlers, dispatch } from '../../main/handlers.js';
import { withStandIn } from '../helpers/modules.js';

const goodWrite = {
  jobId: 'job-12345678',
  image: '/isos/win7.iso',
  targets: [{ path: '/dev/sdb', size: 16_000_000_000, serial: 'ABC' }],
  mode: 'auto',
  verify: true,
};

test('validators accept well-formed requests and refuse everything else, naming the field', () => {
  assert.deepEqual(validateRequest('write:start', goodWrite), goodWrite);
  assert.deepEqual(validateRequest('app:info', undefined), {});
  assert.deepEqual(validateRequest('drives:list', { showAll: false }), { showAll: false });
  const bad: Array<[InvokeChannel, unknown, RegExp]> = [
    ['write:start', { ...goodWrite, targets: [] }, /targets: expected 1 to 16/],
    ['write:start', { ...goodWrite, mode: 'dd' }, /mode: expected one of/],
    ['write:start', { ...goodWrite, image: 'relative.iso' }, /image: expected an absolute path/],
    ['write:start', { ...goodWrite, extra: 1 }, /unexpected field "extra"/],
    ['write:start', { ...goodWrite, targets: [goodWrite.targets[0], goodWrite.targets[0]] }, /listed twice/],
    ['write:start', { ...goodWrite, targets: [{ path: '/isos/win7.iso', size: 1, serial: null }] }, /image itself/],
    ['write:start', { ...goodWrite, targets: [{ path: '/dev/sdb', size: -1, serial: null }] }, /size: expected a non-negative integer/],
    ['write:start', { ...goodWrite, targets: [{ path: '/dev/sdb', size: 1.5, serial: null }] }, /size/],
    ['write:start', { ...goodWrite, jobId: '../../etc' }, /not a job id/],
    ['image:inspect', { path: '/a\0b' }, /NUL/],
    ['image:inspect', { path: 'x'.repeat(5000) }, /longer than/],
    ['image:inspect', null, /expected an object/],
    ['image:inspect', [], /expected an object/],
    ['drives:list', { showAll: 'yes' }, /true or false/],
    ['app:info', { sneaky: true }, /unexpected field/],
    ['job:cancel', { jobId: 5 }, /expected a string/],
  ];
  for (const [ch, payload, re] of bad) assert.throws(() => validateRequest(ch, payload), re, `${ch} ${JSON.stringify(payload)?.slice(0, 80)}`);
  // Images (and every other file path) must be local: UNC shares and Win32 namespace paths are refused.
  for (const unc of [
    '\\\\server\\share\\win7.iso',
    '\\\\server\\share',
    '//server/share/win7.iso',
    '//server/share',
    '\\/server/share/win7.iso',
    '/\\server\\share\\win7.iso',
    '\\\\?\\UNC\\server\\share\\win7.iso',
    '\\\\?\\C:\\isos\\win7.iso',
    '\\\\.\\C:\\isos\\win7.iso',
    '\\\\.\\PhysicalDrive1',
    '\\\\.\\pipe\\x',
  ]) {
    assert.throws(() => validateRequest('image:inspect', { path: unc }), /network \(UNC\) and device-namespace paths are not accepted/, unc);
    assert.throws(() => validateRequest('image:checksum', { jobId: 'job-12345678', path: unc }), /not accepted/, unc);
    assert.throws(() => validateRequest('write:start', { ...goodWrite, image: unc }), /image: network/, unc);
    assert.throws(() => validateRequest('verify:start', { jobId: 'job-12345678', target: '/dev/sdb', image: unc }), /image: network/, unc);
  }
  for (const local of ['/isos/win7.iso', 'C:\\isos\\win7.iso', 'c:/isos/win7.iso', '/home/u/My ISOs/win 7.iso']) {
    assert.deepEqual(validateRequest('image:inspect', { path: local }), { path: local });
  }
  assert.throws(() => validateRequest('image:inspect', { path: 'C:isos\\win7.iso' }), /expected an absolute path/);
  // Targets: drives and local files; \\.\PhysicalDriveN (exactly) is still a drive.
  for (const target of ['/dev/sdb', '/dev/loop7', '/dev/disk4', '\\\\.\\PhysicalDrive2', '\\\\.\\physicaldrive10', 'D:\\vms\\win7.vhd', '/home/u/win7.img']) {
    const w = validateRequest('write:start', { ...goodWrite, targets: [{ path: target, size: 1, serial: null }] });
    assert.equal(w.targets[0]?.path, target);
    assert.equal(validateRequest('verify:start', { jobId: 'job-12345678', target, image: '/isos/win7.iso' }).target, target);
  }
  for (const target of ['\\\\server\\share\\stick.img', '//server/share/stick.img', '\\\\?\\UNC\\server\\share\\x.img', '\\\\.\\PhysicalDrive', '\\\\.\\PhysicalDrive1\\x', '\\\\.\\C:', '\\\\?\\PhysicalDrive1', '\\\\.\\pipe\\sevenstick']) {
    assert.throws(() => validateRequest('write:start', { ...goodWrite, targets: [{ path: target, size: 1, serial: null }] }), /targets\[0\]\.path/, target);
    assert.throws(() => validateRequest('verify:start', { jobId: 'job-12345678', target, image: '/isos/win7.iso' }), /target/, target);
  }
  // A payload with a poisoned prototype is not a plain object.
  assert.throws(() => validateRequest('drives:list', Object.create({ showAll: true })), /plain object/);
  assert.throws(() => validateRequest('nope' as InvokeChannel, {}), /unknown channel/);
  assert.deepEqual(Object.keys(REQUEST_VALIDATORS).sort(), Object.keys(INVOKE_METHODS).sort());
});

test('only our own window, top frame and app:// page count as a trusted sender', () => {
  const app = 'app://sevenstick/index.html';
  const ok = { fromOurWindow: true, isMainFrame: true, frameUrl: app };
  assert.equal(isTrustedSender(ok, app), true);
  assert.equal(isTrustedSender({ ...ok, frameUrl: app + '#/drives' }, app), true);
  assert.equal(isTrustedSender({ ...ok, frameUrl: app + '?step=2' }, app), true);
  assert.equal(isTrustedSender({ ...ok, fromOurWindow: false }, app), false);
  assert.equal(isTrustedSender({ ...ok, isMainFrame: false }, app), false);
  for (const other of [
    'app://evil/index.html',
    'app://sevenstick.evil/index.html',
    'app://user@sevenstick/index.html',
    'app://sevenstick/other.html',
    'app://sevenstick/assets/index.js',
    'file:///opt/SevenStick/resources/app.asar/build/renderer/index.html',
    'file:///tmp/evil.html',
    'https://example.com/',
    'about:blank',
    'not a url',
  ]) {
    assert.equal(isTrustedSender({ ...ok, frameUrl: other }, app), false, other);
  }
  assert.equal(isTrustedSender({ ...ok, frameUrl: null }, app), false);
  assert.equal(isTrustedSender({ ...ok, frameUrl: 'http://127.0.0.1:5173/x' }, 'http://127.0.0.1:5173/'), true);
  assert.equal(isTrustedSender({ ...ok, frameUrl: 'http://127.0.0.1:5174/' }, 'http://127.0.0.1:5173/'), false);
  assert.equal(isTrustedSender({ ...ok, frameUrl: 'https://evil.com/' }, 'https://evil.com/'), false, 'remote origins never');
  assert.equal(isTrustedSender({ ...ok, frameUrl: 'file:///tmp/x.html' }, 'file:///tmp/x.html'), false, 'file:// pages never');
  assert.equal(isAllowedNavigation(app + '#x', app), true);
  assert.equal(isAllowedNavigation('app://sevenstick/other.html', app), false);
  assert.equal(isAllowedNavigation('app://evil/index.html', app), false);
  assert.equal(isAllowedNavigation('file:///etc/passwd', app), false);
  assert.equal(isAllowedNavigation('https://example.com', app), false);
});

test('the sandboxed preload exposes exactly one function per contract channel, with the contract\'s names', async () => {
  const invoked: Array<[string, unknown]> = [];
  const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
  let exposed: Record<string, unknown> | null = null;
  const stub = {
    contextBridge: { exposeInMainWorld: (_k: string, v: Record<string, unknown>) => (exposed = v) },
    ipcRenderer: {
      invoke: async (ch: string, req: unknown) => {
        invoked.push([ch, req]);
        return { ok: true, value: ch };
      },
      on: (ch: string, fn: (...a: unknown[]) => void) => (listeners.get(ch) ?? listeners.set(ch, new Set()).get(ch)!).add(fn),
      removeListener: (ch: string, fn: (...a: unknown[]) => void) => listeners.get(ch)?.delete(fn),
    },
    webUtils: { getPathForFile: (f: { name: string }) => `/dropped/${f.name}` },
  };
  const mod = await withStandIn('electron', stub, async () => (await import('../../preload/index.js')) as { PRELOAD_INVOKE_METHODS: Record<string, string>; PRELOAD_EVENT_METHODS: Record<string, string>; buildApi: () => Record<string, unknown> });
  assert.deepEqual(mod.PRELOAD_INVOKE_METHODS, INVOKE_METHODS);
  assert.deepEqual(mod.PRELOAD_EVENT_METHODS, EVENT_METHODS);
  const api = mod.buildApi();
  assert.equal(exposed, null, 'nothing exposed outside a context-isolated renderer');
  const expected = [...Object.values(INVOKE_METHODS), ...Object.values(EVENT_METHODS), 'pathForFile'].sort();
  assert.deepEqual(Object.keys(api).sort(), expected);
  assert.ok(Object.isFrozen(api));
  for (const [ch, method] of Object.entries(INVOKE_METHODS)) {
    const r = await (api[method] as (x: unknown) => Promise<unknown>)({ probe: ch });
    assert.deepEqual(r, { ok: true, value: ch });
  }
  assert.deepEqual(invoked.map((x) => x[0]).sort(), Object.keys(INVOKE_METHODS).sort());
  for (const [ch, method] of Object.entries(EVENT_METHODS) as Array<[EventChannel, string]>) {
    const got: unknown[] = [];
    const off = (api[method] as (fn: (p: unknown) => void) => () => void)((p) => got.push(p));
    for (const fn of listeners.get(ch) ?? []) fn({ sender: 'event object' }, 'payload');
    assert.deepEqual(got, ['payload'], 'listener gets the payload only, never the event');
    off();
    assert.equal(listeners.get(ch)?.size, 0);
  }
  assert.equal((api.pathForFile as (f: unknown) => string)({ name: 'a.iso', size: 1 }), '/dropped/a.iso');
});

test('the helper is launched directly when privileged, else through pkexec / UAC / osascript, token never in argv', () => {
  const base = { nodeExecutable: '/opt/SevenStick/sevenstick', isElectron: true, helperScript: '/opt/SevenStick/helper.js', helloTimeoutMs: 1000 };
  const root = launchSpec({ ...base, platform: 'linux', privileged: true }, '/tmp/d');
  assert.equal(root.command, '/opt/SevenStick/sevenstick');
  assert.equal(root.elevated, false);
  assert.equal(root.env?.ELECTRON_RUN_AS_NODE, '1');
  // Unprivileged Linux: only through the installed launcher; no pkexec of this binary or env(1).
  const hint = 'sudo sevenstick write /isos/win7.iso --target /dev/sdb';
  const noLauncher: LaunchContext[] = [
    { ...base, platform: 'linux' as const, privileged: false, linuxLauncherProblem: undefined },
    { ...base, platform: 'linux' as const, privileged: false, isElectron: false, linuxLauncherProblem: undefined },
    { ...base, platform: 'linux' as const, privileged: false, linuxLauncherProblem: '/usr/lib/sevenstick/sevenstick-helper is not owned by root' },
  ];
  for (const ctx of noLauncher) {
    assert.throws(
      () => launchSpec(ctx, '/tmp/d', hint),
      (e: unknown) =>
        e instanceof AppError &&
        e.error.code === 'E_ELEVATION' &&
        /needs SevenStick's helper launcher \(\/usr\/lib\/sevenstick\/sevenstick-helper\)/.test(e.error.message) &&
        /AppImage or a source checkout/.test(e.error.message) &&
        (!ctx.linuxLauncherProblem || e.error.message.includes(ctx.linuxLauncherProblem)) &&
        e.error.hint === `Write from a terminal instead: ${hint}`,
    );
  }
  const lin = launchSpec({ ...base, platform: 'linux', privileged: false, linuxLauncher: '/usr/lib/sevenstick/sevenstick-helper' }, '/tmp/d');
  assert.equal(lin.command, 'pkexec');
  assert.deepEqual(lin.args, ['/usr/lib/sevenstick/sevenstick-helper', '--dir', '/tmp/d', '--hello-timeout-ms', '1000']);
  assert.equal(lin.env, undefined);
  const linPkg = lin;
  const win = launchSpec({ ...base, platform: 'win32', privileged: false }, 'C:\\Temp\\d');
  assert.equal(win.command, 'powershell.exe');
  assert.match(win.args.join(' '), /-Verb RunAs/);
  const mac = launchSpec({ ...base, platform: 'darwin', privileged: false }, '/tmp/d');
  assert.match(mac.args[1] ?? '', /with administrator privileges/);
  for (const s of [root, lin, linPkg, win, mac]) assert.doesNotMatch(s.args.join(' '), /token/i);

  const dismissed = elevationError(lin, 126, undefined, '', 'sudo sevenstick write a.iso --target /dev/sdb');
  assert.equal(dismissed.error.code, 'E_ELEVATION');
  assert.match(dismissed.error.hint ?? '', /sudo sevenstick write/);
  const noAgent = elevationError(lin, 127, undefined, 'Error executing command as another user: No authentication agent found.', 'x');
  assert.match(noAgent.error.message, /no polkit authentication agent/);
  // In the user's language: the message and the hint translated, the command in the hint kept as a command.
  const pseudo = translator('en-XA');
  const said = elevationError(lin, 126, undefined, '', 'sudo sevenstick write a.iso --target /dev/sdb', pseudo);
  assert.equal(said.error.message, pseudo.t('main.elevation.dismissed'));
  assert.match(said.error.message, /[\u00C0-\u024F]/);
  assert.ok(said.error.hint?.includes(': sudo sevenstick write a.iso --target /dev/sdb') && /[\u00C0-\u024F]/.test(said.error.hint), said.error.hint);
  assert.equal(logText(said), dismissed.error.message, 'the log keeps it in English');
  assert.throws(
    () => launchSpec({ ...base, platform: 'linux', privileged: false }, '/tmp/d', hint, pseudo),
    (e: unknown) => e instanceof AppError && e.error.message === pseudo.t('main.elevation.noLauncher', { launcher: '/usr/lib/sevenstick/sevenstick-helper' }) && e.error.hint === pseudo.t('main.elevation.hintTerminalInstead', { command: hint }),
  );
});

test('the installed launcher is used only when it is a root-owned regular file nobody else can write', async () => {
  const { mkdirSync, writeFileSync, symlinkSync, chmodSync, chownSync, lstatSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tempDir } = await import('../helpers/tools.js');
  const t = tempDir('sevenstick-launcher-check-');
  try {
    const dir = join(t.path, 'lib');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const launcher = join(dir, 'sevenstick-helper');
    writeFileSync(launcher, '#!/bin/sh\n', { mode: 0o755 });
    chmodSync(launcher, 0o755);
    assert.deepEqual(checkLinuxLauncher(join(dir, 'missing')), { ok: false, reason: `${join(dir, 'missing')} is not installed` });
    // Ownership and modes through a stat stand-in (root and non-root owners alike, whoever runs the test).
    const real = lstatSync(launcher);
    const realDir = lstatSync(dir);
    const fake = (over: { uid?: number; mode?: number; dirUid?: number; dirMode?: number }) => (p: string) => {
      const st = p === dir ? realDir : real;
      const isDir = p === dir;
      return Object.assign(Object.create(Object.getPrototypeOf(st) as object) as typeof st, st, {
        uid: (isDir ? over.dirUid : over.uid) ?? 0,
        mode: (st.mode & ~0o7777) | ((isDir ? over.dirMode : over.mode) ?? 0o755),
      });
    };
    assert.deepEqual(checkLinuxLauncher(launcher, fake({})), { ok: true, path: launcher });
    assert.match((checkLinuxLauncher(launcher, fake({ uid: 1000 })) as { reason: string }).reason, /not owned by root/);
    assert.match((checkLinuxLauncher(launcher, fake({ dirUid: 1000 })) as { reason: string }).reason, /not owned by root/);
    assert.match((checkLinuxLauncher(launcher, fake({ mode: 0o775 })) as { reason: string }).reason, /writable by other users/);
    assert.match((checkLinuxLauncher(launcher, fake({ mode: 0o757 })) as { reason: string }).reason, /writable by other users/);
    assert.match((checkLinuxLauncher(launcher, fake({ dirMode: 0o777 })) as { reason: string }).reason, /writable by other users/);
    assert.match((checkLinuxLauncher(launcher, fake({ mode: 0o644 })) as { reason: string }).reason, /not executable/);
    // For real: a symbolic link is refused whoever owns it; the real file passes only when root owns it.
    const link = join(dir, 'link');
    symlinkSync(launcher, link);
    assert.match((checkLinuxLauncher(link) as { reason: string }).reason, /not a regular file/);
    if (process.getuid?.() === 0) {
      chownSync(launcher, 0, 0);
      chownSync(dir, 0, 0);
      assert.deepEqual(checkLinuxLauncher(launcher), { ok: true, path: launcher });
      chownSync(launcher, 1000, 1000);
      assert.match((checkLinuxLauncher(launcher) as { reason: string }).reason, /not owned by root/);
      chownSync(launcher, 0, 0);
      chmodSync(launcher, 0o777);
      assert.match((checkLinuxLauncher(launcher) as { reason: string }).reason, /writable by other users/);
    } else {
      assert.match((checkLinuxLauncher(launcher) as { reason: string }).reason, /not owned by root/);
    }
  } finally {
    t.cleanup();
  }
});

test('without the installed launcher, HelperSession.start refuses before running anything and leaves no session dir', async () => {
  const { readdirSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const before = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('sevenstick-helper-')));
  await assert.rejects(
    HelperSession.start({
      ctx: { platform: 'linux', privileged: false, nodeExecutable: '/nonexistent/sevenstick', isElectron: true, helperScript: '/nonexistent/helper.js' },
      cliHint: 'sudo sevenstick write /isos/a.iso --target /dev/sdb',
      connectTimeoutMs: 1000,
    }),
    (e: unknown) => e instanceof AppError && e.error.code === 'E_ELEVATION' && /sudo sevenstick write \/isos\/a\.iso --target \/dev\/sdb/.test(e.error.hint ?? ''),
  );
  assert.deepEqual(readdirSync(tmpdir()).filter((n) => n.startsWith('sevenstick-helper-') && !before.has(n)), [], 'the session directory (with its token) is removed');
});

test('dispatch validates first and wraps errors with their code', async () => {
  const events: unknown[] = [];
  const { handlers } = createHandlers({
    engine: stubEngine({
      inspect: async () => {
        throw new SevenStickError('E_FORMAT', '/isos/a.iso is not an ISO 9660 or UDF image');
      },
    }),
    startHelper: async () => {
      throw Object.assign(new Error('Administrator access was not granted'), { code: 'E_ELEVATION' });
    },
    chooseImage: async () => '/isos/picked.iso',
    openLog: async () => true,
    emit: (ch, p) => events.push([ch, p]),
    info: { version: '0.1.0', platform: 'linux', needsElevation: true, logPath: '/tmp/x.log' },
  });
  assert.deepEqual(await dispatch(handlers, 'image:choose', {}), { ok: true, value: '/isos/picked.iso' });
  // An engine error crosses the bridge with its stable code and its message.
  const failed = await dispatch(handlers, 'image:inspect', { path: '/isos/a.iso' });
  assert.deepEqual(failed, { ok: false, error: { code: 'E_FORMAT', message: '/isos/a.iso is not an ISO 9660 or UDF image' } });
  const bad = await dispatch(handlers, 'image:inspect', { path: 42 });
  assert.equal(!bad.ok && bad.error.code, 'E_BAD_REQUEST');
  // Refused before elevation: this image was never inspected (handlers.test.ts covers what main checks).
  const refused = await dispatch(handlers, 'write:start', goodWrite);
  assert.equal(!refused.ok && refused.error.code, 'E_SAFETY');
  // Once the image was inspected and the drive offered, the helper's elevation error comes through with its code.
  const offered = { path: '/dev/sdb', kind: 'block' as const, description: 'Stick', backingFile: null, size: 16_000_000_000, bus: 'usb', removable: true, system: false, serial: 'ABC', mountpoints: [], notices: [], selectable: true, hiddenByDefault: false };
  const elevating = createHandlers({
    engine: stubEngine({ inspect: async (path) => ({ path, fileName: 'win7.iso', kind: 'windows', label: 'x', size: 1, notices: [] }), listDrives: async () => [offered] }),
    startHelper: async () => {
      throw Object.assign(new Error('Administrator access was not granted'), { code: 'E_ELEVATION' });
    },
    chooseImage: async () => null,
    openLog: async () => true,
    emit: () => {},
    info: { version: '0.1.0', platform: 'linux', needsElevation: true, logPath: '/tmp/x.log' },
  });
  assert.ok((await dispatch(elevating.handlers, 'image:inspect', { path: goodWrite.image })).ok);
  assert.ok((await dispatch(elevating.handlers, 'drives:list', { showAll: true })).ok);
  const w = await dispatch(elevating.handlers, 'write:start', goodWrite);
  assert.equal(!w.ok && w.error.code, 'E_ELEVATION');
  const info = await dispatch(handlers, 'app:info', undefined);
  assert.deepEqual(info, { ok: true, value: { version: '0.1.0', platform: 'linux', needsElevation: true, logPath: '/tmp/x.log', launchImage: null, locale: 'en', languageChoice: null } });
  assert.equal(cliEquivalent('write', "/my isos/it's.iso", ['/dev/sdb']), `sudo sevenstick write '/my isos/it'\\''s.iso' --target /dev/sdb`);
});

test('the shipped polkit action names exactly the launcher main starts, and never caches authorisation', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { REPO } = await import('../helpers/tools.js');
  const { LINUX_LAUNCHER, POLKIT_ACTION } = await import('../../main/helper-client.js');
  const xml = readFileSync(join(REPO, 'assets', 'linux', 'org.sevenstick.helper.policy'), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  assert.match(xml, new RegExp(`<action id="${POLKIT_ACTION.replace(/\./g, '\\.')}">`));
  assert.match(xml, new RegExp(`key="org.freedesktop.policykit.exec.path">${LINUX_LAUNCHER}<`));
  assert.doesNotMatch(xml, /auth_admin_keep|<allow_\w+>yes</, 'every write asks for the password');
  assert.match(xml, /<description>Erase and write the USB drive\(s\) you selected in SevenStick<\/description>/);
  assert.match(xml, /<message>[^<]*erase and write the USB drive\(s\) you selected in SevenStick\.[^<]*one write job, on those whole removable drives only\.<\/message>/);
  for (const d of ['allow_any', 'allow_inactive', 'allow_active']) assert.match(xml, new RegExp(`<${d}>auth_admin</${d}>`));
  const launcher = readFileSync(join(REPO, 'assets', 'linux', 'sevenstick-helper'), 'utf8');
  assert.match(launcher, /helper\/index\.js" "\$@"/);
});

test('the pkexec launcher runs the app binary as Node on the helper with only PATH, PKEXEC_UID and ELECTRON_RUN_AS_NODE', async () => {
  const { chmodSync, mkdirSync, readFileSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { REPO, run, tempDir } = await import('../helpers/tools.js');
  const t = tempDir('sevenstick-launcher-');
  try {
    // The launcher as packaging fills it in (electron-builder.config.cjs), pointing at a fake app folder
    // whose "sevenstick" binary reports its environment and arguments.
    const appdir = join(t.path, 'app');
    mkdirSync(appdir);
    writeFileSync(join(appdir, 'sevenstick'), '#!/bin/sh\nenv | LC_ALL=C sort\necho "ARGS $*"\n', { mode: 0o755 });
    const template = readFileSync(join(REPO, 'assets', 'linux', 'sevenstick-helper'), 'utf8');
    const launcher = join(t.path, 'sevenstick-helper');
    writeFileSync(launcher, template.replace("APPDIR='@APPDIR@'", `APPDIR='${appdir}'`));
    chmodSync(launcher, 0o755);
    const env = { PATH: `${t.path}/evil-bin:/usr/bin:/bin`, PKEXEC_UID: '1000', NODE_OPTIONS: '--require /tmp/evil.js', ELECTRON_ENABLE_LOGGING: '1', HOME: '/home/someone', DISPLAY: ':0' };
    const r = await run(launcher, ['--dir', '/tmp/sevenstick-helper-x', '--hello-timeout-ms', '20000'], { env });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    const args = lines.pop();
    assert.equal(args, `ARGS ${appdir}/resources/app.asar.unpacked/build/electron/helper/index.js --dir /tmp/sevenstick-helper-x --hello-timeout-ms 20000`);
    // sh itself may add PWD (and SHLVL, _): nothing else of the caller's environment reaches the helper.
    const names = lines.map((l) => l.split('=')[0]).filter((n) => !['PWD', 'SHLVL', '_', 'OLDPWD'].includes(n ?? ''));
    assert.deepEqual(names, ['ELECTRON_RUN_AS_NODE', 'PATH', 'PKEXEC_UID']);
    assert.ok(lines.includes('PATH=/usr/sbin:/usr/bin:/sbin:/bin'), 'a fixed PATH, not the caller\'s');
    assert.ok(lines.includes('PKEXEC_UID=1000'), 'PKEXEC_UID passed on');
    assert.ok(lines.includes('ELECTRON_RUN_AS_NODE=1'));
  } finally {
    t.cleanup();
  }
});

test('an image the app was opened with is handed to the wizard once, and found in the launch arguments', async () => {
  const { mkdtempSync, writeFileSync, mkdirSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { imageFromArgs } = await import('../../main/launch-args.js');
  let launch: string | null = '/isos/opened.iso';
  const { handlers } = createHandlers({
    engine: stubEngine(),
    startHelper: async () => {
      throw new Error('unused');
    },
    chooseImage: async () => null,
    openLog: async () => true,
    emit: () => {},
    info: { version: '0.1.0', platform: 'linux', needsElevation: true, logPath: '/tmp/x.log' },
    takeLaunchImage: () => {
      const p = launch;
      launch = null;
      return p;
    },
  });
  const first = await dispatch(handlers, 'app:info', undefined);
  assert.equal(first.ok && first.value.launchImage, '/isos/opened.iso');
  const again = await dispatch(handlers, 'app:info', undefined);
  assert.equal(again.ok && again.value.launchImage, null);

  const dir = mkdtempSync(join(tmpdir(), 'sevenstick-args-'));
  try {
    writeFileSync(join(dir, 'Win7 SP1.ISO'), 'x');
    writeFileSync(join(dir, 'notes.txt'), 'x');
    mkdirSync(join(dir, 'folder.iso'));
    // Packaged: [exe, file]; from source: [electron, app folder, file]; switches are skipped.
    assert.equal(imageFromArgs(['/opt/SevenStick/sevenstick', 'Win7 SP1.ISO'], dir), join(dir, 'Win7 SP1.ISO'));
    assert.equal(imageFromArgs(['electron', '.', '--no-sandbox', join(dir, 'Win7 SP1.ISO')], '/'), join(dir, 'Win7 SP1.ISO'));
    assert.equal(imageFromArgs(['exe', 'notes.txt', 'folder.iso', 'missing.iso', '--x.iso'], dir), null);
    assert.equal(imageFromArgs(['Win7 SP1.ISO'], dir), null, 'the executable itself is never the image');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--lang=<locale> (the last one), else SEVENSTICK_LANG, is the language asked for at launch', async () => {
  const { launchLanguage } = await import('../../main/launch-args.js');
  assert.equal(launchLanguage(['exe', '--lang=de', '--lang=en-XA', 'a.iso'], {}), 'en-XA');
  assert.equal(launchLanguage(['exe', '--lang=fr'], { SEVENSTICK_LANG: 'de' }), 'fr', 'the switch before the variable');
  assert.equal(launchLanguage(['exe', '--lang', 'fr'], { SEVENSTICK_LANG: 'de' }), 'de', "only Chromium's --lang=… form");
  assert.equal(launchLanguage(['--lang=fr'], {}), null, 'the executable itself is never a switch');
  assert.equal(launchLanguage(['exe'], { SEVENSTICK_LANG: '' }), null);
});
