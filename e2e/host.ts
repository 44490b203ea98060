/**
 * The e2e test host: the built renderer in Debian's Chromium (playwright-core), talking to the SAME
 * main-side handlers the Electron app uses (electron/main/handlers.ts → real engine → real privileged
 * helper process), through a `window.sevenstick` shim that offers the contract's API exactly as the
 * preload does. Each launch gets a fresh browser profile, its own injected test devices, and a
 * screenshot folder under test-results/.
 */
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CSP } from '../electron/main/app-protocol.js';
import { bindEngine } from '../electron/main/engine-bindings.js';
import { createHandlers, dispatch } from '../electron/main/handlers.js';
import { HelperSession } from '../electron/main/helper-client.js';
import { languageSettings } from '../electron/main/language.js';
import type { Locale } from '../electron/shared/i18n/locales.js';
import { EVENT_METHODS, INVOKE_METHODS, type EventChannel, type EventContract, type InvokeChannel, type WriteRequest } from '../electron/shared/contract.js';

export const REPO = resolve(__dirname, '..', '..');
const RENDERER = join(REPO, 'build', 'renderer');
const HELPER = join(REPO, 'build', 'electron', 'helper', 'index.js');
export const RESULTS = join(REPO, 'test-results');

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

function serveRenderer(): Promise<{ server: Server; url: string }> {
  if (!existsSync(join(RENDERER, 'index.html'))) throw new Error('build/renderer is missing: run `npx vite build --config renderer/vite.config.ts`');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '') || 'index.html';
    const file = join(RENDERER, rel);
    if (!file.startsWith(RENDERER) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    r({ server, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/` });
  }));
}

export interface HostOptions {
  /** Folder name under test-results/ for this test's screenshots. */
  name: string;
  /** Devices the drive list shows besides the OS's (SEVENSTICK_TEST_DEVICES). */
  devices: string[];
  colorScheme?: 'light' | 'dark';
  /** Poll interval of the live drive list. */
  watchMs?: number;
  /** Start as if opened with this image ("Open with SevenStick", a file argument). */
  launchImage?: string;
  /**
   * The OS's language as main reports it (default English). A choice made in the app is kept in memory
   * for this launch, across page reloads, as main's settings file keeps it across restarts.
   * Chromium host only (the Electron launcher runs with the machine's own language).
   */
  locale?: Locale;
  /**
   * Browser zoom. 200 % zoom in Electron halves the CSS viewport: emulated with a CSS viewport of
   * 490×380 at device scale factor 2 (default 1: 980×760). Chromium host only.
   */
  zoom?: 1 | 2;
}

/** The window's CSS viewport at a zoom level (the app's window is 980×760 at 100 %). */
export function viewportAt(zoom: 1 | 2): { width: number; height: number } {
  return { width: 980 / zoom, height: 760 / zoom };
}

export interface Host {
  page: Page;
  /** Sets what the native open dialog returns next (null = the user cancelled). */
  choose(path: string | null): Promise<void>;
  /** Drops a file of this name (standing for `path`) on the window. */
  drop(name: string, path: string): Promise<void>;
  /** The OS asks the running app to open an image ("Open with" while it runs). */
  openWith(path: string): Promise<void>;
  shot(step: string): Promise<string>;
  close(): Promise<void>;
  /** Console errors and page errors seen so far. */
  errors: string[];
  /** Chromium host only: the folder the save/open dialog stubs use (preset.json, autounattend.xml). */
  files?: string;
  /** Chromium host only: every write:start request main received, as sent. */
  writes?: WriteRequest[];
}

/** The file the dialog stubs save to and open from, per kind. */
export const STUB_FILES = { preset: 'preset.json', answers: 'autounattend.xml' } as const;

export async function launch(opts: HostOptions): Promise<Host> {
  process.env.SEVENSTICK_TEST_DEVICES = opts.devices.join(',');
  const { server, url } = await serveRenderer();
  const profile = mkdtempSync(join(tmpdir(), 'sevenstick-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.SEVENSTICK_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: viewportAt(opts.zoom ?? 1),
    deviceScaleFactor: opts.zoom ?? 1,
    colorScheme: opts.colorScheme ?? 'light',
    reducedMotion: 'reduce',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const shotsDir = join(RESULTS, opts.name);
  rmSync(shotsDir, { recursive: true, force: true });
  mkdirSync(shotsDir, { recursive: true });
  let shotNo = 0;
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });

  let ready = false;
  const emit = <E extends EventChannel>(channel: E, payload: EventContract[E]): void => {
    if (!ready) return;
    page.evaluate(([ch, p]) => (window as unknown as { __sevenstickEmit: (c: string, p: unknown) => void }).__sevenstickEmit(ch, p), [channel, payload] as [string, unknown]).catch(() => {});
  };

  let nextChoice: string | null = null;
  let launchImage = opts.launchImage ?? null;
  const dropPaths: Record<string, string> = {};
  const files = mkdtempSync(join(tmpdir(), 'sevenstick-e2e-files-'));
  const writes: WriteRequest[] = [];
  const host: Host = {
    page,
    errors,
    files,
    writes,
    async choose(path) {
      nextChoice = path;
    },
    async drop(name, path) {
      dropPaths[name] = path;
      await dropOnPage(page, name);
    },
    async openWith(path) {
      emit('image:open', { path });
    },
    async shot(step) {
      const file = join(shotsDir, `${String(++shotNo).padStart(2, '0')}-${step}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      stopWatch();
      h.cancelAll();
      await context.close().catch(() => {});
      server.close();
      rmSync(profile, { recursive: true, force: true });
      rmSync(files, { recursive: true, force: true });
    },
  };

  const engine = bindEngine();
  const h = createHandlers({
    engine,
    startHelper: (cliHint) =>
      HelperSession.start({
        ctx: { platform: process.platform, privileged: process.getuid?.() === 0, nodeExecutable: process.execPath, isElectron: false, helperScript: HELPER, helloTimeoutMs: 10_000 },
        cliHint,
        connectTimeoutMs: 20_000,
      }),
    chooseImage: async () => nextChoice,
    // The save/open dialogs: a fixed name per kind in a folder the test controls (absent: cancelled).
    saveFile: async (kind, text) => {
      writeFileSync(join(files, STUB_FILES[kind]), text);
      return true;
    },
    openFile: async (kind) => (existsSync(join(files, STUB_FILES[kind])) ? readFileSync(join(files, STUB_FILES[kind])) : null),
    openLog: async () => true,
    emit,
    language: languageSettings({ os: () => opts.locale ?? 'en' }),
    info: { version: 'e2e', platform: process.platform, needsElevation: process.getuid?.() !== 0, logPath: join(tmpdir(), 'sevenstick-e2e.log') },
    takeLaunchImage: () => {
      const p = launchImage;
      launchImage = null;
      return p;
    },
  });
  // As main does: changed lists go out through the handlers, which remember what was offered.
  const stopWatch = engine.watchDrives ? engine.watchDrives(h.currentImage, h.drivesChanged, opts.watchMs ?? 400) : () => {};

  // The bridge: one binding for invokes (checked to come from our page), and the shim the preload would expose.
  await page.exposeBinding('__sevenstickInvoke', async (source, channel: unknown, payload: unknown) => {
    if (source.page !== page || source.frame !== page.mainFrame() || !source.frame.url().startsWith(url)) {
      return { ok: false, error: { code: 'E_BAD_REQUEST', message: 'untrusted sender' } };
    }
    if (typeof channel !== 'string' || !Object.prototype.hasOwnProperty.call(INVOKE_METHODS, channel)) {
      return { ok: false, error: { code: 'E_BAD_REQUEST', message: 'unknown channel' } };
    }
    if (channel === 'write:start') writes.push(structuredClone(payload) as WriteRequest);
    return dispatch(h.handlers, channel as InvokeChannel, payload);
  });
  await page.exposeBinding('__sevenstickDropPath', (_source, name: unknown) => (typeof name === 'string' ? (dropPaths[name] ?? '') : ''));
  await page.addInitScript(
    ({ invoke, events }) => {
      type Listener = (p: unknown) => void;
      const w = window as unknown as Record<string, unknown>;
      const listeners: Record<string, Set<Listener>> = {};
      const call = w.__sevenstickInvoke as (ch: string, p: unknown) => Promise<unknown>;
      const dropPath = w.__sevenstickDropPath as (name: string) => Promise<string>;
      const api: Record<string, unknown> = {};
      for (const [ch, m] of Object.entries(invoke)) api[m] = (req: unknown) => call(ch, req);
      for (const [ch, m] of Object.entries(events)) {
        listeners[ch] = new Set();
        api[m] = (fn: Listener) => {
          listeners[ch]?.add(fn);
          return () => listeners[ch]?.delete(fn);
        };
      }
      // webUtils.getPathForFile is synchronous; the host answers asynchronously, so the test registers
      // the path up front and the shim caches it by name.
      const cache: Record<string, string> = (w.__sevenstickDropCache as Record<string, string>) ?? {};
      w.__sevenstickDropCache = cache;
      api.pathForFile = (file: { name: string }) => cache[file.name] ?? '';
      w.__sevenstickPrimeDrop = async (name: string) => {
        cache[name] = await dropPath(name);
      };
      w.__sevenstickEmit = (ch: string, p: unknown) => listeners[ch]?.forEach((fn) => fn(p));
      w.sevenstick = Object.freeze(api);
    },
    { invoke: INVOKE_METHODS as Record<string, string>, events: EVENT_METHODS as Record<string, string> },
  );
  await page.goto(url);
  ready = true;
  await page.getByRole('heading', { level: 1 }).waitFor();
  return host;
}

/** Drops a file (by name; the host knows its path) on the window, like a user dragging it in. */
async function dropOnPage(page: Page, name: string): Promise<void> {
  await page.evaluate(async (n) => {
    const w = window as unknown as { __sevenstickPrimeDrop: (n: string) => Promise<void> };
    await w.__sevenstickPrimeDrop(n);
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(16)], n));
    const target = document.querySelector('.app') as HTMLElement;
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, name);
}
