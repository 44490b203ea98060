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
import type { BrowserWindow, IpcMainInvokeEvent, WebContents } from 'electron';
import { INVOKE_METHODS, type AppInfo, type IpcResult, type Progress, type WriteResult } from '../../shared/contract.js';
import { APP_URL, CSP } from '../../main/app-protocol.js';
import type * as MenuModule from '../../main/menu.js';
import type * as JobHooksModule from '../../main/job-hooks.js';
import { envTestDrives, setDriveSources } from '../../engine/device/drives.js';
import { translator } from '../../main/i18n.js';
import type { MessageKey } from '../../shared/i18n/catalog.js';
import { fixture, REPO, tempDir } from '../helpers/tools.js';
import { requireFresh, withStandIn } from '../helpers/modules.js';
import { asElectron, electronEvent, ElectronWorld, StandInFrame, StandInWebContents, StandInWindow } from './electron-standin.js';

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

interface LoadOptions {
  argv?: string[];
  singleInstance?: boolean;
  /** The app's data folder (settings.json), e.g. kept from an earlier run; a fresh one otherwise. */
  userData?: string;
  /** What the OS reports: app.getPreferredSystemLanguages() and app.getLocale(). */
  os?: { languages: string[]; locale: string };
  /** SEVENSTICK_LANG while main loads. */
  langEnv?: string;
}

/** Loads main/index.js afresh against a new stand-in (process.argv as given while it loads). */
async function loadMain(opts: LoadOptions = {}): Promise<Started> {
  const logs = tempDir('sevenstick-main-logs-');
  const world = new ElectronWorld(logs.path, opts.userData ?? logs.path);
  if (opts.singleInstance === false) world.app.singleInstance = false;
  if (opts.os) {
    world.osLanguages = opts.os.languages;
    world.osLocale = opts.os.locale;
  }
  const argv = process.argv;
  const langEnv = process.env.SEVENSTICK_LANG;
  if (opts.argv) process.argv = opts.argv;
  if (opts.langEnv === undefined) delete process.env.SEVENSTICK_LANG;
  else process.env.SEVENSTICK_LANG = opts.langEnv;
  try {
    await withStandIn('electron', world.module, () => requireFresh(MAIN));
  } finally {
    process.argv = argv;
    if (langEnv === undefined) delete process.env.SEVENSTICK_LANG;
    else process.env.SEVENSTICK_LANG = langEnv;
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

    // The menu: commands go to the wizard; Help opens the log and the About box. Role menus keep their role, with our label.
    const template = world.menu?.template ?? [];
    assert.deepEqual(
      template.map((i) => [i.label, i.role]),
      [['&File', undefined], ['&Edit', undefined], ['&View', undefined], ['&Window', 'windowMenu'], ['&Help', 'help']],
    );
    const roleItems = template.flatMap((i) => (Array.isArray(i.submenu) ? i.submenu : [])).filter((i) => i.role);
    assert.ok(roleItems.length > 0 && roleItems.every((i) => typeof i.label === 'string' && i.label !== ''), 'every role item has our label (Electron would say it in English)');
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
    assert.equal(world.messageBoxes.at(-1)?.options.title, 'About SevenStick');
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

/**
 * A 64 MiB raw image and a disk-image file of the same size offered as the only test drive
 * (SEVENSTICK_TEST_DEVICES) while `body` runs; the variable and the files are put back afterwards.
 */
async function withImageTarget(prefix: string, body: (files: { img: string; target: string }) => Promise<void>): Promise<void> {
  const img = await fixture('dev-raw-image.py', ['64', '1']);
  const t = tempDir(prefix);
  const target = join(t.path, 'vm.img');
  writeFileSync(target, Buffer.alloc(64 * 1024 * 1024, 0x5a));
  const oldDevices = process.env.SEVENSTICK_TEST_DEVICES;
  process.env.SEVENSTICK_TEST_DEVICES = target;
  try {
    await body({ img, target });
  } finally {
    if (oldDevices === undefined) delete process.env.SEVENSTICK_TEST_DEVICES;
    else process.env.SEVENSTICK_TEST_DEVICES = oldDevices;
    t.cleanup();
  }
}

test('quit while a disk image is written: before-quit is prevented and the window asks; "Keep Writing" keeps the job, "Stop and Quit" cancels it and quits; taskbar progress, power save blocker, notification', { timeout: 120_000 }, async () => {
  await withImageTarget('sevenstick-main-quit-', async ({ img, target }) => {
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
      // The title tells the progress while the job runs (Intl's percent).
      assert.ok(w.titles.includes('50% – SevenStick'), w.titles.join(' | '));
    } finally {
      m.cleanup();
    }
  });
});

test('the macOS menu starts with the app menu and closes the window instead of quitting', async () => {
  const world = new ElectronWorld('/nonexistent');
  const { menuTemplate } = (await withStandIn('electron', world.module, () => requireFresh(join(__dirname, '..', '..', 'main', 'menu.js')))) as typeof MenuModule;
  const t = menuTemplate({ command: () => {}, logPath: '/tmp/x.log', tr: translator('en') }, 'darwin');
  assert.equal(t[0]?.role, 'appMenu');
  const appMenu = t[0]?.submenu;
  assert.ok(Array.isArray(appMenu));
  assert.deepEqual(appMenu.filter((i) => i.role).map((i) => i.label), ['About SevenStick', 'Services', 'Hide SevenStick', 'Hide Others', 'Show All', 'Quit SevenStick']);
  const file = t[1]?.submenu;
  assert.ok(Array.isArray(file));
  assert.deepEqual([file.at(-1)?.role, file.at(-1)?.label], ['close', 'Close Window']);
  // Windows says "Exit", the others "Quit".
  const quitLabel = (platform: NodeJS.Platform): unknown => {
    const f = menuTemplate({ command: () => {}, logPath: '/tmp/x.log', tr: translator('en') }, platform)[0]?.submenu;
    return Array.isArray(f) ? f.at(-1)?.label : undefined;
  };
  assert.equal(quitLabel('win32'), 'E&xit');
  assert.equal(quitLabel('linux'), '&Quit');
});

// ---------------------------------------------------------------------------------------------
// The language: the user's choice (settings.json), else the OS's; everything main says follows it.
// ---------------------------------------------------------------------------------------------

const PSEUDO = translator('en-XA');
/** Pseudo text: accented letters (pseudo.ts), so it came from the catalog, not from a literal. */
const ACCENTED = /[\u00C0-\u024F]/;

const topLabels = (world: ElectronWorld): unknown[] => (world.menu?.template ?? []).map((i) => i.label);
const menuItem = (world: ElectronWorld, label: string) => (world.menu?.template ?? []).flatMap((i) => (Array.isArray(i.submenu) ? i.submenu : [])).find((i) => i.label === label);

async function appInfo(world: ElectronWorld): Promise<AppInfo> {
  const r = (await invoke(world, 'app:info', {})) as IpcResult<AppInfo>;
  assert.ok(r.ok, JSON.stringify(r));
  return r.value;
}

test('the OS language picks the nearest shipped one (de-AT → de, fr-CA before de → fr); nothing close → English', async () => {
  const cases: Array<[{ languages: string[]; locale: string }, string]> = [
    [{ languages: ['de-AT'], locale: 'de-AT' }, 'de'],
    [{ languages: ['fr-CA', 'de-DE'], locale: 'de-DE' }, 'fr'],
    [{ languages: [], locale: 'pt-BR' }, 'pt-BR'],
    [{ languages: ['tlh'], locale: 'xx-YY' }, 'en'],
  ];
  for (const [os, want] of cases) {
    const m = await loadMain({ os });
    try {
      await m.world.becomeReady();
      const info = await appInfo(m.world);
      assert.deepEqual([info.locale, info.languageChoice], [want, null], JSON.stringify(os));
      assert.match(readFileSync(m.logFile, 'utf8'), new RegExp(`language: ${want} \\(the OS language\\)`));
    } finally {
      m.cleanup();
    }
  }
});

test('--lang=en-XA (or SEVENSTICK_LANG) stands in for the OS language: the menu, the About box, the quit question, the taskbar title and the notification are pseudo text', { timeout: 120_000 }, async () => {
  const env = await loadMain({ langEnv: 'en-XA', os: { languages: ['de-DE'], locale: 'de-DE' } });
  try {
    await env.world.becomeReady();
    assert.equal((await appInfo(env.world)).locale, 'en-XA', 'SEVENSTICK_LANG');
  } finally {
    env.cleanup();
  }

  await withImageTarget('sevenstick-main-pseudo-', async ({ img, target }) => {
    const m = await loadMain({ argv: [process.execPath, '.', '--lang=en-XA'], os: { languages: ['de-DE'], locale: 'de-DE' } });
    const { world } = m;
    try {
      await world.becomeReady();
      const info = await appInfo(world);
      assert.deepEqual([info.locale, info.languageChoice], ['en-XA', null]);

      // The menu: every label from the catalog, mnemonics kept.
      const labels = topLabels(world);
      const tops: MessageKey[] = ['main.menu.file', 'main.menu.edit', 'main.menu.view', 'main.menu.window', 'main.menu.help'];
      assert.deepEqual(labels, tops.map((k) => PSEUDO.t(k)));
      for (const l of labels) assert.match(String(l), /^&/, 'the mnemonic is kept');
      assert.match(String(labels[0]), ACCENTED);
      assert.notEqual(labels[0], '&File');
      const all = (world.menu?.template ?? []).flatMap((i) => (Array.isArray(i.submenu) ? i.submenu : [])).filter((i) => i.type !== 'separator');
      for (const i of all) assert.match(String(i.label), ACCENTED, `menu item ${String(i.label ?? i.role)} is pseudo text`);
      const about = menuItem(world, PSEUDO.t('main.menu.about', { app: 'SevenStick' }))?.click;
      assert.ok(about);
      (about as () => void)();
      const box = world.messageBoxes.at(-1)?.options;
      assert.match(String(box?.title), ACCENTED);
      assert.match(String(box?.detail), ACCENTED);

      // The open dialog: title, button and filter names (GTK and Windows would say them in the OS's language).
      assert.deepEqual(await invoke(world, 'image:choose', {}), { ok: true, value: null });
      const open = world.openDialogs.at(-1)?.options;
      assert.equal(open?.title, PSEUDO.t('main.dialog.chooseImage'));
      for (const text of [open?.title, open?.buttonLabel, ...(open?.filters ?? []).map((f) => f.name)]) assert.match(String(text), ACCENTED);
      assert.deepEqual(open?.filters?.map((f) => f.extensions), [['iso', 'img', 'bin', 'raw'], ['*']]);

      // A write, quit with "Stop and Quit": the question and the notification in pseudo text.
      assert.ok((await invoke(world, 'image:inspect', { path: img })).ok);
      const list = (await invoke(world, 'drives:list', { showAll: true })) as IpcResult<Array<{ path: string; size: number; serial: string | null }>>;
      assert.ok(list.ok);
      const listed = list.value.find((d) => d.path === target);
      assert.ok(listed);
      const w = win(world);
      let asked = false;
      w.webContents.onSend = (channel, payload) => {
        if (!asked && channel === 'job:progress' && (payload as { progress: Progress }).progress.phase === 'writing') {
          asked = true;
          world.messageBoxChoice = 1;
          world.app.quit();
        }
      };
      const r = (await invoke(world, 'write:start', { jobId: 'job-pseudo-001', image: img, targets: [{ path: target, size: listed.size, serial: listed.serial }], mode: 'raw', verify: true })) as IpcResult<WriteResult>;
      assert.ok(r.ok && r.value.outcome === 'cancelled', JSON.stringify(r));
      const question = world.messageBoxes.find((b) => b.options.type === 'warning')?.options;
      assert.ok(question, 'the quit question was asked');
      assert.equal(question.title, PSEUDO.t('main.quit.title'));
      assert.deepEqual(question.buttons, [PSEUDO.t('main.quit.keepWriting'), PSEUDO.t('main.quit.stopAndQuit')]);
      for (const text of [question.title, question.message, question.detail, ...(question.buttons ?? [])]) assert.match(String(text), ACCENTED);
      assert.deepEqual(world.notifications.map((n) => n.title), [PSEUDO.t('main.notify.writeCancelled')]);
      assert.match(String(world.notifications[0]?.title), ACCENTED);
      assert.match(String(world.notifications[0]?.body), ACCENTED, `the body too: ${String(world.notifications[0]?.body)}`);
      assert.ok(w.titles.some((x) => /^\d+% – SevenStick/.test(x) && ACCENTED.test(x)), `the taskbar title: ${w.titles.join(' | ')}`);
      // The log stays English.
      assert.match(readFileSync(m.logFile, 'utf8'), /job job-pseudo-001 \(write\) cancelled: /);
    } finally {
      m.cleanup();
    }
  });
});

test('settings:language rebuilds the menu in the chosen language and remembers it in settings.json; the next start reads it back (it wins over the OS and --lang); null follows the OS again', async () => {
  const data = tempDir('sevenstick-main-userdata-');
  const settings = join(data.path, 'settings.json');
  try {
    const first = await loadMain({ userData: data.path, os: { languages: ['de-AT'], locale: 'de-AT' } });
    try {
      await first.world.becomeReady();
      assert.deepEqual([(await appInfo(first.world)).locale, existsSync(settings)], ['de', false], 'the OS language, nothing saved yet');
      const menusBefore = first.world.calls.filter((c) => c === 'Menu.setApplicationMenu').length;
      const chosen = await invoke(first.world, 'settings:language', { locale: 'en-XA' });
      assert.deepEqual(chosen, { ok: true, value: { locale: 'en-XA' } });
      assert.equal(first.world.calls.filter((c) => c === 'Menu.setApplicationMenu').length, menusBefore + 1, 'the menu was built again');
      assert.equal(topLabels(first.world)[0], PSEUDO.t('main.menu.file'));
      assert.deepEqual(JSON.parse(readFileSync(settings, 'utf8')), { language: 'en-XA' });
      const info = await appInfo(first.world);
      assert.deepEqual([info.locale, info.languageChoice], ['en-XA', 'en-XA']);
    } finally {
      first.cleanup();
    }

    // The next start, same data folder, another OS language and a --lang switch: the choice wins.
    const second = await loadMain({ userData: data.path, argv: [process.execPath, '.', '--lang=fr'], os: { languages: ['ru-RU'], locale: 'ru-RU' } });
    try {
      await second.world.becomeReady();
      const info = await appInfo(second.world);
      assert.deepEqual([info.locale, info.languageChoice], ['en-XA', 'en-XA']);
      assert.equal(topLabels(second.world)[0], PSEUDO.t('main.menu.file'), 'the first menu is already in the chosen language');
      // Back to following the OS (here: the --lang switch standing in for it).
      assert.deepEqual(await invoke(second.world, 'settings:language', { locale: null }), { ok: true, value: { locale: 'fr' } });
      assert.deepEqual(JSON.parse(readFileSync(settings, 'utf8')), {}, 'the choice is dropped');
      assert.equal(topLabels(second.world)[0], translator('fr').t('main.menu.file'), 'the menu follows the OS (French) again');
      assert.notEqual(topLabels(second.world)[0], '&File');
      const unknown = await invoke(second.world, 'settings:language', { locale: 'xx' });
      assert.equal(!unknown.ok && unknown.error.code, 'E_BAD_REQUEST', 'a language SevenStick does not have');
    } finally {
      second.cleanup();
    }

    // A settings file that is not JSON, or names no language SevenStick has: the OS language.
    for (const text of ['{"language": "de"', '{"language": "klingon"}', '[]']) {
      writeFileSync(settings, text);
      const m = await loadMain({ userData: data.path, os: { languages: ['de-AT'], locale: 'de-AT' } });
      try {
        await m.world.becomeReady();
        const info = await appInfo(m.world);
        assert.deepEqual([info.locale, info.languageChoice], ['de', null], text);
      } finally {
        m.cleanup();
      }
    }
  } finally {
    data.cleanup();
  }
});

test('job hooks: the title (and on Windows the taskbar tooltip) tells phase and percentage in the language in use, set only when it changes, the name again at the end; the notification says how it ended', async () => {
  const world = new ElectronWorld('/nonexistent');
  const { createJobHooks } = (await withStandIn('electron', world.module, () => requireFresh(join(__dirname, '..', '..', 'main', 'job-hooks.js')))) as typeof JobHooksModule;
  const w = new StandInWindow(world, { title: 'SevenStick' });
  let tr = translator('en');
  const hooks = createJobHooks(() => asElectron<BrowserWindow>(w), () => tr, 'win32');
  const at = (phase: Progress['phase']): Progress => ({ type: 'progress', phase, bytes: 1, total: 2, bytesPerSecond: 1, etaSeconds: 1 });
  hooks.started?.('j1', 'write');
  hooks.progress?.('j1', 'write', at('writing'), 0.42);
  hooks.progress?.('j1', 'write', at('writing'), 0.424);
  assert.deepEqual(w.titles, ['SevenStick', '42% – SevenStick'], 'the same percentage is not set twice');
  assert.deepEqual(w.thumbnailToolTips, ['SevenStick: Writing, 42%']);
  // The user picks another language mid-job: the next progress speaks it.
  tr = PSEUDO;
  hooks.progress?.('j1', 'write', at('verifying'), 0.6);
  assert.equal(w.titles.at(-1), PSEUDO.t('main.taskbar.title', { percent: '60%', app: 'SevenStick' }));
  assert.ok(w.thumbnailToolTips.at(-1)?.includes(PSEUDO.t('phase.verifying')), w.thumbnailToolTips.at(-1));
  hooks.ended?.('j1', 'write', 'ok', 'the summary');
  assert.equal(w.titles.at(-1), 'SevenStick');
  assert.equal(w.thumbnailToolTips.at(-1), '');
  assert.equal(world.blockers.size, 0);
  hooks.started?.('j2', 'verify');
  hooks.ended?.('j2', 'verify', 'cancelled', 'another');
  assert.deepEqual(world.notifications, [
    { title: PSEUDO.t('main.notify.written'), body: 'the summary' },
    { title: PSEUDO.t('main.notify.verifyCancelled'), body: 'another' },
  ]);
  // Elsewhere than Windows there is no thumbnail tooltip; checksums leave the title alone.
  const linux = new StandInWindow(world, {});
  const plain = createJobHooks(() => asElectron<BrowserWindow>(linux), () => tr, 'linux');
  plain.progress?.('j3', 'checksum', at('hashing'), 0.5);
  plain.progress?.('j4', 'verify', at('verifying'), 0.5);
  assert.equal(linux.titles.length, 1);
  assert.deepEqual(linux.thumbnailToolTips, []);
});
