/**
 * electron/main/index.ts, run for real in plain Node against a stand-in for the electron module
 * (electron-standin.ts, typed from Electron's declarations): start-up order, the hardened window, the
 * app:// handler and the session's refusals, the menu, the IPC sender check, "open with", and the quit
 * paths — with the real handlers and engine behind them (a disk-image file written by main itself).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { INVOKE_METHODS, type AppInfo, type IpcResult, type Progress, type WriteResult } from '../../shared/contract.js';
import { APP_URL, CSP } from '../../main/app-protocol.js';
import type * as MenuModule from '../../main/menu.js';
import { envTestDrives, setDriveSources } from '../../engine/device/drives.js';
import { fixture, REPO, tempDir } from '../helpers/tools.js';
import { requireFresh, withStandIn } from '../helpers/modules.js';
import { asElectron, electronEvent, ElectronWorld, StandInFrame, StandInWebContents, type StandInWindow } from './electron-standin.js';

const MAIN = join(__dirname, '..', '..', 'main', 'index.js');
const PRELOAD = join(__dirname, '..', '..', 'preload', 'index.js');

// Drives come from SEVENSTICK_TEST_DEVICES only: the watcher main starts at ready lists nothing else.
let drivelistSources: ReturnType<typeof setDriveSources> = [];
before(() => (drivelistSources = setDriveSources([envTestDrives])));
after(() => setDriveSources(drivelistSources));

interface Started {
  world: ElectronWorld;
  logFile: string;
  cleanup(): void;
}

/** Loads main/index.js afresh against a new stand-in (process.argv as given while it loads). */
async function loadMain(opts: { argv?: string[]; singleInstance?: boolean } = {}): Promise<Started> {
  const logs = tempDir('sevenstick-main-logs-');
  const world = new ElectronWorld(logs.path);
  if (opts.singleInstance === false) world.app.singleInstance = false;
  const argv = process.argv;
  if (opts.argv) process.argv = opts.argv;
  try {
    await withStandIn('electron', world.module, () => requireFresh(MAIN));
  } finally {
    process.argv = argv;
  }
  return {
    world,
    logFile: join(logs.path, 'sevenstick.log'),
    cleanup() {
      // Quitting stops the drive watcher main started at ready (will-quit).
      if (!world.app.quitted) world.app.quit();
      logs.cleanup();
    },
  };
}

const win = (world: ElectronWorld): StandInWindow => {
  const [w] = world.openWindows();
  assert.ok(w, 'main has a window');
  return w;
};

/** One IPC call as Electron delivers it: the sending webContents and frame, then the payload. */
async function invoke(world: ElectronWorld, channel: string, payload: unknown, from: { sender?: StandInWebContents; frame?: StandInFrame | null } = {}): Promise<IpcResult<unknown>> {
  const handler = world.ipcHandlers.get(channel);
  assert.ok(handler, `a handler for ${channel}`);
  const sender = from.sender ?? win(world).webContents;
  const event = asElectron<IpcMainInvokeEvent>({ sender, senderFrame: from.frame === undefined ? sender.mainFrame : from.frame });
  return (await handler(event, payload)) as IpcResult<unknown>;
}

test('start-up: app:// registered before ready; after it the session refusals, app:// handler, one IPC handler per channel and the menu, then the hardened window on app://sevenstick/', async () => {
  const m = await loadMain();
  const { world } = m;
  try {
    assert.deepEqual(world.calls, ['protocol.registerSchemesAsPrivileged', 'app.whenReady'], 'nothing but the scheme before ready');
    assert.deepEqual(world.schemes, [{ scheme: 'app', privileges: { standard: true, secure: true } }]);
    assert.equal(world.openWindows().length, 0);
    for (const e of ['second-instance', 'open-file', 'web-contents-created', 'window-all-closed', 'before-quit'] as const) assert.equal(world.app.listenerCount(e), 1, e);

    await world.becomeReady();
    const at = (call: string): number => {
      const i = world.calls.indexOf(call);
      assert.ok(i >= 0, `${call} in ${world.calls.join(', ')}`);
      return i;
    };
    const channels = Object.keys(INVOKE_METHODS);
    assert.deepEqual([...world.ipcHandlers.keys()].sort(), channels.sort(), 'one handler per contract channel');
    assert.ok(at('ready') < at('protocol.handle app'));
    for (const c of channels) assert.ok(at(`ipcMain.handle ${c}`) < at('new BrowserWindow'), `${c} is handled before the page can ask`);
    assert.ok(at('Menu.setApplicationMenu') < at('new BrowserWindow'));
    assert.equal(world.calls.at(-1), `loadURL ${APP_URL}`, 'the window loads our own app:// page, last');

    // The window: sandboxed, isolated, no Node, our preload, hidden until ready.
    const w = win(world);
    const prefs = w.options?.webPreferences;
    assert.ok(prefs);
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInWorker, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.allowRunningInsecureContent, false);
    assert.equal(prefs.webviewTag, false);
    assert.equal(prefs.preload, PRELOAD);
    assert.ok(existsSync(PRELOAD), 'the preload main names exists');
    assert.equal(w.options?.show, false);
    w.emit('ready-to-show');
    assert.equal(w.shown, true);

    // It stays on our page: other origins, files, redirects, new windows and webviews are refused.
    const wc = w.webContents;
    assert.equal(wc.navigate('https://example.com/'), true, 'navigation to another origin prevented');
    assert.equal(wc.navigate('file:///etc/passwd'), true);
    assert.equal(wc.navigate('app://sevenstick/other.html'), true);
    assert.equal(wc.navigate(`${APP_URL}#verify`), false, 'an in-page hash change is fine');
    assert.deepEqual(wc.windowOpenHandler?.({ url: 'https://example.com/', frameName: '', features: '', disposition: 'new-window', referrer: { url: '', policy: 'default' } }), { action: 'deny' });
    const redirect = electronEvent({ url: 'https://example.com/', isSameDocument: false, isMainFrame: true, frame: null });
    wc.emit('will-redirect', redirect, 'https://example.com/', false, true, 1, 1);
    assert.equal(redirect.defaultPrevented, true);
    const webview = electronEvent();
    wc.emit('will-attach-webview', webview, {}, {});
    assert.equal(webview.defaultPrevented, true);

    // Any other webContents that ever appears gets the same refusals.
    const other = new StandInWebContents();
    world.app.emit('web-contents-created', electronEvent(), asElectron<WebContents>(other));
    assert.equal(other.navigate('https://example.com/'), true);
    assert.deepEqual(other.windowOpenHandler?.({ url: 'https://example.com/', frameName: '', features: '', disposition: 'foreground-tab', referrer: { url: '', policy: 'default' } }), { action: 'deny' });

    // The session: every permission refused, downloads prevented, the CSP on every response.
    const ses = world.session;
    const granted: boolean[] = [];
    ses.permissionRequest?.(asElectron<WebContents>(wc), 'media', (g) => granted.push(g), asElectron({ isMainFrame: true, requestingUrl: APP_URL }));
    assert.deepEqual(granted, [false]);
    assert.equal(ses.permissionCheck?.(asElectron<WebContents>(wc), 'clipboard-read', 'app://sevenstick', asElectron({ isMainFrame: true })), false);
    const download = electronEvent();
    ses.emit('will-download', download, asElectron({}), asElectron<WebContents>(wc), null);
    assert.equal(download.defaultPrevented, true);
    let headers: Record<string, string | string[]> | undefined;
    ses.headersListener?.(asElectron({ responseHeaders: { 'X-Other': ['1'] } }), (r) => (headers = r.responseHeaders));
    assert.deepEqual(headers, { 'X-Other': ['1'], 'Content-Security-Policy': [CSP] });

    // app:// answers from build/renderer only, always with the CSP.
    const serve = world.protocolHandlers.get('app');
    assert.ok(serve);
    const page = await serve(new Request(APP_URL));
    assert.equal(page.status, existsSync(join(REPO, 'build', 'renderer', 'index.html')) ? 200 : 404);
    assert.equal(page.headers.get('Content-Security-Policy'), CSP);
    const escape = await serve(new Request('app://sevenstick/%2e%2e/%2e%2e/package.json'));
    assert.equal(escape.status, 404);
    assert.equal(escape.headers.get('Content-Security-Policy'), CSP);
    assert.equal((await serve(new Request(APP_URL, { method: 'POST', body: 'x' }))).status, 405);

    // The menu: commands go to the wizard; Help opens the log and the About box.
    const template = world.menu?.template ?? [];
    assert.deepEqual(
      template.map((i) => i.label ?? i.role),
      ['&File', '&Edit', '&View', 'windowMenu', 'help'],
    );
    const item = (label: string) => template.flatMap((i) => (Array.isArray(i.submenu) ? i.submenu : [])).find((i) => i.label === label);
    const click = (label: string): void => {
      const c = item(label)?.click;
      assert.ok(c, label);
      (c as () => void)();
    };
    click('Open Image…');
    click('Verify a Stick…');
    assert.deepEqual(wc.sent.filter(([ch]) => ch === 'menu:command'), [
      ['menu:command', 'open-image'],
      ['menu:command', 'verify-stick'],
    ]);
    assert.equal(item('Open Image…')?.accelerator, 'CmdOrCtrl+O');
    click('Open Log File');
    assert.deepEqual(world.openedPaths, [m.logFile]);
    click('About SevenStick');
    assert.equal(world.messageBoxes.at(-1)?.options.message, 'SevenStick 9.8.7');

    // Quit with nothing running: not prevented, the app quits.
    world.app.quit();
    assert.equal(world.app.quitted, true);
    assert.match(readFileSync(m.logFile, 'utf8'), /start: SevenStick 9\.8\.7 on .*page app:\/\/sevenstick\/index\.html/);
  } finally {
    m.cleanup();
  }
});

test('IPC: only our window\'s top frame on our page is answered; a subframe, another webContents, a navigated-away or missing frame is dropped and logged', async () => {
  const m = await loadMain();
  const { world } = m;
  try {
    await world.becomeReady();
    const w = win(world);
    const ok = (await invoke(world, 'app:info', {})) as IpcResult<AppInfo>;
    assert.ok(ok.ok, JSON.stringify(ok));
    assert.equal(ok.value.version, '9.8.7');
    assert.equal(ok.value.logPath, m.logFile);

    const dropped = { ok: false, error: { code: 'E_BAD_REQUEST', message: 'untrusted sender' } };
    assert.deepEqual(await invoke(world, 'app:info', {}, { frame: new StandInFrame(APP_URL) }), dropped, 'a subframe showing our page');
    assert.deepEqual(await invoke(world, 'app:info', {}, { frame: null }), dropped, 'no frame');
    const stranger = new StandInWebContents();
    stranger.mainFrame.url = APP_URL;
    assert.deepEqual(await invoke(world, 'app:info', {}, { sender: stranger }), dropped, 'another webContents');
    w.webContents.mainFrame.url = 'https://evil.example/';
    assert.deepEqual(await invoke(world, 'image:inspect', { path: '/etc/passwd' }, {}), dropped, 'our frame, another page');
    w.webContents.mainFrame.url = APP_URL;
    assert.deepEqual(await invoke(world, 'drives:list', { showAll: 'yes' }), { ok: false, error: { code: 'E_BAD_REQUEST', message: 'drives:list.showAll: expected true or false' } }, 'trusted, then validated');
    const log = readFileSync(m.logFile, 'utf8');
    assert.equal(log.match(/ipc: dropped app:info from an untrusted sender/g)?.length, 3);
    assert.match(log, /ipc: dropped image:inspect from an untrusted sender \(https:\/\/evil\.example\/\)/);
  } finally {
    m.cleanup();
  }
});

test('open with: the launch argument and an open-file before the page loads go to the first app:info; later ones, and a second instance, reach the wizard', async () => {
  const t = tempDir('sevenstick-main-open-');
  const [first, early, later, second] = ['win7.iso', 'early.iso', 'later.img', 'second.iso'].map((n) => join(t.path, n)) as [string, string, string, string];
  for (const f of [first, early, later, second]) writeFileSync(f, '');
  const m = await loadMain({ argv: [process.execPath, '.', '--no-sandbox', first] });
  const { world } = m;
  try {
    await world.becomeReady();
    const info = async (): Promise<string | null> => {
      const r = (await invoke(world, 'app:info', {})) as IpcResult<AppInfo>;
      assert.ok(r.ok);
      return r.value.launchImage;
    };
    assert.equal(await info(), first, 'the file the app was launched with');
    assert.equal(await info(), null, 'handed out once');

    const w = win(world);
    w.webContents.loading = true;
    const e1 = electronEvent();
    world.app.emit('open-file', e1, early);
    assert.equal(e1.defaultPrevented, true);
    assert.equal(await info(), early, 'kept while the page loads');
    w.webContents.loading = false;

    world.app.emit('open-file', electronEvent(), later);
    w.minimized = true;
    world.app.emit('second-instance', electronEvent(), ['/opt/SevenStick/sevenstick', second], t.path, {});
    assert.equal(w.minimized, false, 'restored');
    assert.equal(w.focused, true, 'focused');
    assert.deepEqual(w.webContents.sent.filter(([ch]) => ch === 'image:open'), [
      ['image:open', { path: later }],
      ['image:open', { path: second }],
    ]);

    // Another instance already runs: this one quits at once, before any window.
    const dup = await loadMain({ singleInstance: false });
    try {
      assert.equal(dup.world.app.quitCalls, 1);
      assert.equal(dup.world.app.listenerCount('second-instance'), 0);
    } finally {
      dup.cleanup();
    }
  } finally {
    m.cleanup();
    t.cleanup();
  }
});

test('quit while a disk image is written: before-quit is prevented and the window asks; "Keep Writing" keeps the job, "Stop and Quit" cancels it and quits; taskbar progress, power save blocker, notification', { timeout: 120_000 }, async () => {
  const MiB = 1024 * 1024;
  const img = await fixture('dev-raw-image.py', ['64', '1']);
  const t = tempDir('sevenstick-main-quit-');
  const target = join(t.path, 'vm.img');
  writeFileSync(target, Buffer.alloc(64 * MiB, 0x5a));
  const oldDevices = process.env.SEVENSTICK_TEST_DEVICES;
  process.env.SEVENSTICK_TEST_DEVICES = target;
  const m = await loadMain();
  const { world } = m;
  try {
    await world.becomeReady();
    const w = win(world);
    assert.ok((await invoke(world, 'image:inspect', { path: img })).ok);
    const list = (await invoke(world, 'drives:list', { showAll: true })) as IpcResult<Array<{ path: string; size: number; serial: string | null }>>;
    assert.ok(list.ok);
    const listed = list.value.find((d) => d.path === target);
    assert.ok(listed, 'the file target is listed');

    // Quit while writing ("Keep Writing"), and again once it verifies ("Stop and Quit").
    const attempts: Array<{ phase: string; beforeQuitPrevented: boolean[]; quitted: boolean; windowOpen: boolean }> = [];
    w.webContents.onSend = (channel, payload) => {
      const phase = channel === 'job:progress' ? (payload as { progress: Progress }).progress.phase : '';
      if ((phase === 'writing' && attempts.length === 0) || (phase === 'verifying' && attempts.length === 1)) {
        world.messageBoxChoice = attempts.length === 0 ? 0 : 1;
        const seen = world.app.beforeQuitPrevented.length;
        world.app.quit();
        attempts.push({ phase, beforeQuitPrevented: world.app.beforeQuitPrevented.slice(seen), quitted: world.app.quitted, windowOpen: !w.destroyed });
      }
    };
    const r = (await invoke(world, 'write:start', { jobId: 'job-quit-0001', image: img, targets: [{ path: target, size: listed.size, serial: listed.serial }], mode: 'raw', verify: true })) as IpcResult<WriteResult>;

    assert.deepEqual(attempts, [
      // "Keep Writing": quit prevented, the window stays, the job goes on…
      { phase: 'writing', beforeQuitPrevented: [true], quitted: false, windowOpen: true },
      // …to verifying; "Stop and Quit": quit prevented until the window closed, whose last-window quit then goes through.
      { phase: 'verifying', beforeQuitPrevented: [true, false], quitted: true, windowOpen: false },
    ]);
    const asked = world.messageBoxes.filter((b) => b.options.title === 'A drive is being written');
    assert.equal(asked.length, 2);
    assert.deepEqual(asked[0]?.options.buttons, ['Keep Writing', 'Stop and Quit']);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.outcome, 'cancelled', 'Stop and Quit cancelled the running job');
    assert.notDeepEqual(readFileSync(target).subarray(510, 512), Buffer.from([0x55, 0xaa]), 'the cancelled file never looks bootable');

    // Job hooks: indeterminate at start, then fractions of the whole job; the blocker held while writing.
    assert.deepEqual(w.progress[0], [0, { mode: 'indeterminate' }]);
    const fractions = w.progress.slice(1).map(([p]) => p);
    assert.ok(fractions.length > 1 && fractions.every((p) => p >= 0 && p <= 1), fractions.join(' '));
    assert.ok(fractions.includes(0.5), `writing fills the first half of the bar: ${fractions.join(' ')}`);
    assert.ok(world.calls.includes('powerSaveBlocker.start prevent-app-suspension'));
    assert.equal(world.blockers.size, 0, 'the power save blocker is released');
    assert.deepEqual(world.notifications.map((n) => n.title), ['Writing cancelled']);
  } finally {
    m.cleanup();
    if (oldDevices === undefined) delete process.env.SEVENSTICK_TEST_DEVICES;
    else process.env.SEVENSTICK_TEST_DEVICES = oldDevices;
    t.cleanup();
  }
});

test('the macOS menu starts with the app menu and closes the window instead of quitting', async () => {
  const world = new ElectronWorld('/nonexistent');
  const { menuTemplate } = (await withStandIn('electron', world.module, () => requireFresh(join(__dirname, '..', '..', 'main', 'menu.js')))) as typeof MenuModule;
  const t = menuTemplate({ command: () => {}, logPath: '/tmp/x.log' }, 'darwin');
  assert.equal(t[0]?.role, 'appMenu');
  const file = t[1]?.submenu;
  assert.ok(Array.isArray(file));
  assert.equal(file.at(-1)?.role, 'close');
});
