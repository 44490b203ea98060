/**
 * Electron main, the wiring: start-up order, the single-instance lock and "open with", the app's
 * language (language.ts: the choice remembered in settings.json, else the OS's), the contract's
 * handlers (handlers.ts) behind the IPC entry (ipc.ts), the window (window.ts), the menu (menu.ts), the
 * job hooks (job-hooks.ts), the app:// scheme and the session's refusals (web-session.ts), and the
 * quit paths. Runs unprivileged; writing drives goes through the elevated helper.
 * electron/test/app/main.test.ts runs this file against a stand-in for the electron module.
 */
import { app, BrowserWindow, dialog, shell, type FileFilter } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EventChannel, EventContract } from '../shared/contract.js';
import type { Locale } from '../shared/i18n/locales.js';
import { matchLocale } from '../shared/i18n/match.js';
import type { Translator } from '../shared/i18n/translator.js';
import { chooseAppUrl } from './app-protocol.js';
import { bindEngine } from './engine-bindings.js';
import { allFiles, openUserFile, saveUserFile } from './file-dialogs.js';
import { createHandlers } from './handlers.js';
import { checkLinuxLauncher, HelperSession } from './helper-client.js';
import { translator } from './i18n.js';
import { registerIpc } from './ipc.js';
import { createJobHooks } from './job-hooks.js';
import { languageSettings, readLanguageChoice, writeLanguageChoice } from './language.js';
import { imageFromArgs, launchLanguage, OPENABLE_EXTENSIONS } from './launch-args.js';
import { LogFile } from './log.js';
import { installMenu } from './menu.js';
import { registerAppScheme, secureDefaultSession } from './web-session.js';
import { createMainWindow, denyLeavingPage } from './window.js';

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

registerAppScheme();

let mainWindow: BrowserWindow | null = null;
let quitting = false;
const log = new LogFile(join(app.getPath('logs'), 'sevenstick.log'));

/** The user's language choice lives here (`{"language": "de"}`; none: follow the OS). */
const SETTINGS_FILE = join(app.getPath('userData'), 'settings.json');
/** `--lang=…` or SEVENSTICK_LANG: taken as the OS's language for this run. */
const launchLocale = launchLanguage(process.argv, process.env);
let osLocale: Locale | null = null;
const language = languageSettings({
  // Asked once, after ready (Electron answers getLocale only then): the OS's preferred languages, in order.
  os: () => (osLocale ??= matchLocale([launchLocale, ...app.getPreferredSystemLanguages(), app.getLocale()])),
  choice: readLanguageChoice(SETTINGS_FILE),
  save(choice) {
    try {
      writeLanguageChoice(SETTINGS_FILE, choice);
    } catch (e) {
      log.write(`language: could not remember ${choice ?? 'the OS language'}: ${String(e)}`);
    }
  },
  applied() {
    logLanguage();
    installAppMenu();
  },
});
function logLanguage(): void {
  log.write(`language: ${language.current()} (${language.choice() === null ? 'the OS language' : 'chosen'})`);
}
/** The user's language now: everything main says goes through it. */
const tr = (): Translator => translator(language.current());

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

/** The open dialog's filters: the images SevenStick opens, then anything. */
function imageFilters(t: Translator): FileFilter[] {
  return [{ name: t.t('main.filter.diskImages'), extensions: OPENABLE_EXTENSIONS.map((e) => e.slice(1)) }, allFiles(t)];
}

/** The installed pkexec launcher, checked afresh for each job (root-owned, not writable by others). */
function linuxLauncher(t: Translator): { linuxLauncher?: string; linuxLauncherProblem?: string } {
  if (process.platform !== 'linux') return {};
  const c = checkLinuxLauncher(undefined, undefined, t);
  return c.ok ? { linuxLauncher: c.path } : { linuxLauncherProblem: c.reason };
}

const engine = bindEngine(tr);
const privileged = process.platform === 'win32' ? false : process.getuid?.() === 0;
const { handlers, cancelAll, running, currentImage, drivesChanged } = createHandlers({
  engine,
  async startHelper(cliHint, t) {
    return HelperSession.start({
      ctx: {
        platform: process.platform,
        privileged,
        nodeExecutable: process.execPath,
        isElectron: true,
        helperScript: HELPER,
        ...linuxLauncher(t),
      },
      cliHint,
      tr: t,
      log: (l) => log.write(l),
    });
  },
  async chooseImage() {
    const t = tr();
    const opts = { title: t.t('main.dialog.chooseImage'), buttonLabel: t.t('main.dialog.openButton'), properties: ['openFile' as const], filters: imageFilters(t) };
    const r = mainWindow ? await dialog.showOpenDialog(mainWindow, opts) : await dialog.showOpenDialog(opts);
    return r.canceled || r.filePaths.length === 0 ? null : (r.filePaths[0] ?? null);
  },
  saveFile: (kind, text) => saveUserFile(mainWindow, kind, text, tr()),
  openFile: (kind, maxBytes) => openUserFile(mainWindow, kind, maxBytes, tr()),
  async openLog() {
    return (await shell.openPath(log.path)) === '';
  },
  emit,
  info: { version: app.getVersion(), platform: process.platform, needsElevation: !privileged, logPath: log.path },
  language,
  takeLaunchImage() {
    const path = launchImage;
    launchImage = null;
    return path;
  },
  hooks: createJobHooks(() => mainWindow, tr),
  log: (l) => log.write(l),
});

function createWindow(): void {
  const win = createMainWindow({
    preload: PRELOAD,
    appUrl: APP_URL,
    running,
    cancelAll,
    quitting: () => quitting,
    setQuitting: () => (quitting = true),
    tr,
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  mainWindow = win;
}

/** The menu in the language in use (at ready, and again whenever the user picks another). */
function installAppMenu(): void {
  installMenu({ command: (cmd) => emit('menu:command', cmd), logPath: log.path, tr: tr() });
}

app.on('web-contents-created', (_e, contents) => denyLeavingPage(contents, APP_URL));

app.whenReady().then(() => {
  log.write(`start: SevenStick ${app.getVersion()} on ${process.platform}, ${privileged ? 'privileged' : 'unprivileged'}, page ${APP_URL}`);
  secureDefaultSession(RENDERER_ROOT);
  registerIpc({ handlers, appUrl: APP_URL, ourContents: () => mainWindow?.webContents ?? null, log: (l) => log.write(l) });
  logLanguage();
  installAppMenu();
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
