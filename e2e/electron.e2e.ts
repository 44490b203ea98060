/**
 * The same e2e specs through Playwright's _electron launcher (the real main process, preload and
 * helper), plus checks of the window's hardening. Skipped, with the reason, where node_modules/electron
 * has no binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, as in this project's CI).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { electronBinary, launchElectron } from './electron-host.js';
import { defineSpecs } from './specs.js';
import { EVENT_METHODS, INVOKE_METHODS } from '../electron/shared/contract.js';

const NO_BINARY = electronBinary() === null && 'no Electron binary in node_modules/electron (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1): the Electron-launcher specs cannot run here';

defineSpecs(launchElectron, { id: 'electron', canDrop: false, skipAll: NO_BINARY });

test('electron: the renderer sees only the bridge — no Node, no ipcRenderer — and one function per channel', { skip: NO_BINARY }, async () => {
  const host = await launchElectron({ name: 'electron-hardening', devices: [] });
  try {
    const facts = await host.page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      return {
        require: typeof w.require,
        process: typeof w.process,
        keys: Object.keys((w.sevenstick as object) ?? {}).sort(),
        frozen: Object.isFrozen(w.sevenstick),
      };
    });
    assert.equal(facts.require, 'undefined');
    assert.equal(facts.process, 'undefined');
    assert.deepEqual(facts.keys, [...Object.values(INVOKE_METHODS), ...Object.values(EVENT_METHODS), 'pathForFile'].sort());
    assert.equal(facts.frozen, true);
    // A navigation away from our page is refused.
    await host.page.evaluate(() => (window.location.href = 'https://example.com/'));
    await new Promise((r) => setTimeout(r, 500));
    assert.match(host.page.url(), /^app:\/\/sevenstick\/index\.html/, 'the page is served from app://, not file://');
  } finally {
    await host.close();
  }
});
