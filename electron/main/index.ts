/**
 * Electron main: one hardened window, the app menu, native dialogs, and the IPC wiring of the
 * contract's handlers (handlers.ts). Runs unprivileged; writing goes through the elevated helper.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, powerSaveBlocker, protocol, session, shell, type IpcMainInvokeEvent, type MenuItemConstructorOptions } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EventChannel, EventContract, InvokeChannel, MenuCommand } from '../shared/contract.js';
import { INVOKE_METHODS } from '../shared/contract.js';
import { APP_SCHEME, chooseAppUrl, CSP, serveAppRequest } from './app-protocol.js';
import { bindEngine } from './engine-bindings.js';
import { createHandlers, dispatch, type JobKind } from './handlers.js';
import { checkLinuxLauncher, HelperSession } from './helper-client.js';
import { imageFromArgs } from './launch-args.js';
import { LogFile } from './log.js';
import { isAllowedNavigation, isTrustedSender } from './sender.js';

const ROOT = join(__dirname, '..', '..', '..');
/** The only folder app:// serves (app-protocol.ts). */
const RENDERER_ROOT = join(ROOT, 'build', 'renderer');
/**
 * In a packaged app the helper and the modules it loads are unpacked from app.asar (the installers'
 * asarUnpack): run that copy, so the elevated process needs no archive lookups and finds the native
 * modules beside it. From a source checkout the path has no app.asar and stays as it is.
 */
function unpacked(path: string): string {
  const u = path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
  return u !== path && existsSync(u) ? u : path;
}

const PRELOAD = join(__dirname, '..', 'preload', 'index.js');
const HELPER = unpacked(join(__dirname, '..', 'helper', 'index.js'));
/** app://sevenstick/index.html; SEVENSTICK_DEV_URL (a localhost dev server) only in an unpackaged app. */
const APP_URL = chooseAppUrl({ isPackaged: app.isPackaged, devUrl: process.env.SEVENSTICK_DEV_URL });

// Before ready: app:// is a standard (relative URLs, origin-scoped storage) and secure scheme.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);

let mainWindow: BrowserWindow | null = null;
let quitting = false;
const log = new LogFile(join(app.getPath('logs'), 'sevenstick.log'));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_e, argv, workingDirectory) => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    const path = imageFromArgs(argv, workingDirectory);
    if (path) openImage(path);
  });
}

/** The image we were launched with, until the wizard asks for it (app:info). */
let launchImage = imageFromArgs(process.argv, process.cwd());

/** An image the OS asks us to open: straight to a loaded wizard, else kept for its first app:info. */
function openImage(path: string): void {
  if (mainWindow && !mainWindow.isDestroyed() && !mainWindow.webContents.isLoading()) emit('image:open', { path });
  else launchImage = path;
}

// macOS: "Open with" and dropping on the Dock icon arrive as events, also before the app is ready.
app.on('open-file', (e, path) => {
  e.preventDefault();
  openImage(path);
});

function emit<E extends EventChannel>(channel: E, payload: EventContract[E]): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, payload);
}

const IMAGE_FILTERS = [
  { name: 'Disk images', extensions: ['iso', 'img', 'bin', 'raw'] },
  { name: 'All files', extensions: ['*'] },
];

let blocker: number | null = null;
const jobHooks = {
  started(_id: string, kind: JobKind) {
    if (kind === 'write' && blocker === null) blocker = powerSaveBlocker.start('prevent-app-suspension');
    if (kind !== 'checksum') mainWindow?.setProgressBar(0, { mode: 'indeterminate' });
  },
  progress(_id: string, kind: JobKind, _p: unknown, overall: number) {
    if (kind === 'checksum' || !mainWindow) return;
    mainWindow.setProgressBar(overall);
  },
  ended(_id: string, kind: JobKind, outcome: 'ok' | 'failed' | 'cancelled', summary: string) {
    if (kind === 'write' && blocker !== null) {
      powerSaveBlocker.stop(blocker);
      blocker = null;
    }
    if (kind === 'checksum') return;
    mainWindow?.setProgressBar(outcome === 'failed' ? 1 : -1, outcome === 'failed' ? { mode: 'error' } : undefined);
    if (Notification.isSupported() && !mainWindow?.isFocused()) {
      const title = kind === 'write' ? (outcome === 'ok' ? 'Your stick is ready' : outcome === 'cancelled' ? 'Writing cancelled' : 'Writing failed') : outcome === 'ok' ? 'Stick verified' : 'Verification found problems';
      new Notification({ title, body: summary }).show();
    }
  },
};

/** The installed pkexec launcher, checked afresh for each job (root-owned, not writable by others). */
function linuxLauncher(): { linuxLauncher?: string; linuxLauncherProblem?: string } {
  if (process.platform !== 'linux') return {};
  const c = checkLinuxLauncher();
  return c.ok ? { linuxLauncher: c.path } : { linuxLauncherProblem: c.reason };
}

const engine = bindEngine();
const privileged = process.platform === 'win32' ? false : process.getuid?.() === 0;
const { handlers, cancelAll, running, currentImage, drivesChanged } = createHandlers({
  engine,
  async startHelper(cliHint) {
    return HelperSession.start({
      ctx: {
        platform: process.platform,
        privileged,
        nodeExecutable: process.execPath,
        isElectron: true,
        helperScript: HELPER,
        ...linuxLauncher(),
      },
      cliHint,
      log: (l) => log.write(l),
    });
  },
  async chooseImage() {
    const opts = { title: 'Choose a Windows 7 image', properties: ['openFile' as const], filters: IMAGE_FILTERS };
    const r = mainWindow ? await dialog.showOpenDialog(mainWindow, opts) : await dialog.showOpenDialog(opts);
    return r.canceled || r.filePaths.length === 0 ? null : (r.filePaths[0] ?? null);
  },
  async openLog() {
    return (await shell.openPath(log.path)) === '';
  },
  emit,
  info: { version: app.getVersion(), platform: process.platform, needsElevation: !privileged, logPath: log.path },
  takeLaunchImage() {
    const path = launchImage;
    launchImage = null;
    return path;
  },
  hooks: jobHooks,
  log: (l) => log.write(l),
});

function registerIpc(): void {
  for (const channel of Object.keys(INVOKE_METHODS) as InvokeChannel[]) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, payload: unknown) => {
      const frame = event.senderFrame;
      const trusted = isTrustedSender(
        { fromOurWindow: !!mainWindow && event.sender === mainWindow.webContents, isMainFrame: !!frame && frame === event.sender.mainFrame, frameUrl: frame?.url ?? null },
        APP_URL,
      );
      if (!trusted) {
        log.write(`ipc: dropped ${channel} from an untrusted sender (${frame?.url ?? 'no frame'})`);
        return { ok: false, error: { code: 'E_BAD_REQUEST', message: 'untrusted sender' } };
      }
      return dispatch(handlers, channel, payload);
    });
  }
}

function menuCommand(cmd: MenuCommand): void {
  emit('menu:command', cmd);
}

function buildMenu(): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open Image…', accelerator: 'CmdOrCtrl+O', click: () => menuCommand('open-image') },
        { label: 'Verify a Stick…', accelerator: 'CmdOrCtrl+Shift+V', click: () => menuCommand('verify-stick') },
        { label: 'Start Over', click: () => menuCommand('start-over') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { label: '&Edit', submenu: [{ role: 'copy' }, { role: 'selectAll' }] },
    {
      label: '&View',
      submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Open Log File', click: () => void shell.openPath(log.path) },
        { label: 'Show Log Folder', click: () => shell.showItemInFolder(log.path) },
        { type: 'separator' },
        {
          label: 'About SevenStick',
          click: () =>
            void dialog.showMessageBox({
              type: 'info',
              title: 'About SevenStick',
              message: `SevenStick ${app.getVersion()}`,
              detail: 'Turns a Windows 7 ISO into a USB stick that boots on BIOS and UEFI PCs, and verifies it by reading it back.',
            }),
        },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 980,
    height: 720,
    minWidth: 640,
    minHeight: 520,
    show: false,
    title: 'SevenStick',
    backgroundColor: '#1f2430',
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // Middle-click would open links in new windows; nothing in our UI needs it.
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  });
  const wc = mainWindow.webContents;
  wc.setWindowOpenHandler(() => ({ action: 'deny' }));
  wc.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url, APP_URL)) e.preventDefault();
  });
  wc.on('will-redirect', (e) => e.preventDefault());
  wc.on('will-attach-webview', (e) => e.preventDefault());
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('close', (e) => {
    if (quitting || running() === 0 || !mainWindow) return;
    const choice = dialog.showMessageBoxSync(mainWindow, {
      type: 'warning',
      buttons: ['Keep Writing', 'Stop and Quit'],
      defaultId: 0,
      cancelId: 0,
      title: 'A drive is being written',
      message: 'SevenStick is writing a drive.',
      detail: 'If you quit now the stick will not boot until it is written again.',
    });
    if (choice === 0) {
      e.preventDefault();
      return;
    }
    quitting = true;
    cancelAll();
  });
  mainWindow.on('closed', () => (mainWindow = null));
  void mainWindow.loadURL(APP_URL);
}

app.on('web-contents-created', (_e, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url, APP_URL)) e.preventDefault();
  });
});

app.whenReady().then(() => {
  log.write(`start: SevenStick ${app.getVersion()} on ${process.platform}, ${privileged ? 'privileged' : 'unprivileged'}, page ${APP_URL}`);
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.on('will-download', (e) => e.preventDefault());
  // Our page: files under build/renderer only, each answer with the CSP header (app-protocol.ts).
  protocol.handle(APP_SCHEME, async (req) => {
    const r = await serveAppRequest({ url: req.url, method: req.method }, RENDERER_ROOT);
    return new Response(r.body, { status: r.status, headers: r.headers });
  });
  // The page's own CSP is in index.html and in every app:// answer; this header covers a dev server too.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  registerIpc();
  buildMenu();
  createWindow();
  if (engine.watchDrives) {
    // Through the handlers, which remember every list they send: a write may only name a drive it listed.
    const stop = engine.watchDrives(currentImage, drivesChanged);
    app.on('will-quit', stop);
  }
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}, (e: unknown) => log.write(`startup failed: ${String(e)}`));

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin' || running() > 0) app.quit();
});

app.on('before-quit', (e) => {
  if (quitting || running() === 0) return;
  e.preventDefault();
  mainWindow?.close();
});
