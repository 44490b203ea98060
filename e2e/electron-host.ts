/**
 * The same Host as host.ts, but the real app: Playwright's _electron launcher starts Electron on the
 * repository (package.json main → build/electron/main/index.js) with a fresh user-data dir and the
 * test devices in its environment. The native open dialog is replaced from the test through
 * app.evaluate. Needs an Electron binary (node_modules/electron/dist); callers skip without one.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron } from 'playwright-core';
import { REPO, RESULTS, type Host, type HostOptions } from './host.js';

/**
 * Path of the Electron binary, or null when the package was installed without it. Electron ≥ 42 has no
 * postinstall: `require('electron')` itself downloads the binary on first use, so this never requires
 * it — it reads what an earlier download left (path.txt + dist/) and looks, nothing more.
 */
export function electronBinary(): string | null {
  try {
    const pkgDir = dirname(require.resolve('electron/package.json'));
    const rel = readFileSync(join(pkgDir, 'path.txt'), 'utf8').trim();
    const bin = join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkgDir, 'dist'), rel);
    return rel && existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

export async function launchElectron(opts: HostOptions): Promise<Host> {
  const bin = electronBinary();
  if (!bin) throw new Error('no Electron binary');
  const profile = mkdtempSync(join(tmpdir(), 'sevenstick-e2e-electron-'));
  const app = await _electron.launch({
    executablePath: bin,
    args: ['--no-sandbox', `--user-data-dir=${profile}`, REPO, ...(opts.launchImage ? [opts.launchImage] : [])],
    env: { ...process.env, SEVENSTICK_TEST_DEVICES: opts.devices.join(',') } as Record<string, string>,
    colorScheme: opts.colorScheme ?? 'light',
  });
  const page = await app.firstWindow();
  await page.getByRole('heading', { level: 1 }).waitFor();
  const shotsDir = join(RESULTS, opts.name);
  rmSync(shotsDir, { recursive: true, force: true });
  mkdirSync(shotsDir, { recursive: true });
  let shotNo = 0;
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return {
    page,
    errors,
    async choose(path) {
      await app.evaluate(({ dialog }, p) => {
        const fake = async () => ({ canceled: p === null, filePaths: p === null ? [] : [p] });
        (dialog as unknown as { showOpenDialog: typeof fake }).showOpenDialog = fake;
      }, path);
    },
    async drop() {
      throw new Error('dropping a real file needs OS drag and drop; covered by the Chromium launcher and the preload unit test');
    },
    async openWith(path) {
      // What main's second-instance / open-file handlers send to a loaded window.
      await app.evaluate(({ BrowserWindow }, p) => BrowserWindow.getAllWindows()[0]?.webContents.send('image:open', { path: p }), path);
    },
    async shot(step) {
      const file = join(shotsDir, `${String(++shotNo).padStart(2, '0')}-${step}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await app.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
