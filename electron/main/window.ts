/**
 * The one window: sandboxed, context-isolated, no Node, our preload only; it may show our own page and
 * nothing else (no navigation away, no redirect, no new window, no <webview>). Closing it while a
 * drive is being written asks first; "Stop and Quit" cancels the running jobs.
 */
import { BrowserWindow, dialog, type WebContents } from 'electron';
import type { Translator } from '../shared/i18n/translator.js';
import { isAllowedNavigation } from './sender.js';

/** The product's name: the window's title (a name, the same in every language). */
export const APP_NAME = 'SevenStick';

/** Every webContents (ours, and any other that ever appears): no new windows, no navigation away from our page. */
export function denyLeavingPage(contents: WebContents, appUrl: string): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url, appUrl)) e.preventDefault();
  });
}

export interface WindowDeps {
  preload: string;
  appUrl: string;
  /** Write and verify jobs running now. */
  running(): number;
  /** The user chose to quit while jobs run: stop them. */
  cancelAll(): void;
  /** Whether the app is already quitting (no second question). */
  quitting(): boolean;
  setQuitting(): void;
  /** The user's language now (the quit question is asked in it). */
  tr(): Translator;
}

export function createMainWindow(deps: WindowDeps): BrowserWindow {
  // Inline, so electronegativity sees every option it checks.
  const win = new BrowserWindow({
    width: 980,
    height: 720,
    minWidth: 640,
    minHeight: 520,
    show: false,
    title: APP_NAME,
    backgroundColor: '#1f2430',
    webPreferences: {
      preload: deps.preload,
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
  const wc = win.webContents;
  denyLeavingPage(wc, deps.appUrl);
  wc.on('will-redirect', (e) => e.preventDefault());
  wc.on('will-attach-webview', (e) => e.preventDefault());
  win.once('ready-to-show', () => win.show());
  win.on('close', (e) => {
    if (deps.quitting() || deps.running() === 0) return;
    const tr = deps.tr();
    const choice = dialog.showMessageBoxSync(win, {
      type: 'warning',
      buttons: [tr.t('main.quit.keepWriting'), tr.t('main.quit.stopAndQuit')],
      defaultId: 0,
      cancelId: 0,
      title: tr.t('main.quit.title'),
      message: tr.t('main.quit.message'),
      detail: tr.t('main.quit.detail'),
    });
    if (choice === 0) {
      e.preventDefault();
      return;
    }
    deps.setQuitting();
    deps.cancelAll();
  });
  void win.loadURL(deps.appUrl);
  return win;
}
