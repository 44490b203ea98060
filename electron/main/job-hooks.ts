/**
 * What main adds around a job (handlers.ts calls these hooks): the taskbar/Dock progress of the
 * window, the power save blocker while a drive is written, and a notification when a job ends while
 * the window is not in front. Checksums only hash the image: no progress bar, no notification.
 */
import { Notification, powerSaveBlocker, type BrowserWindow } from 'electron';
import type { JobHooks, JobKind } from './handlers.js';

export function createJobHooks(window: () => BrowserWindow | null): JobHooks {
  let blocker: number | null = null;
  return {
    started(_id: string, kind: JobKind) {
      if (kind === 'write' && blocker === null) blocker = powerSaveBlocker.start('prevent-app-suspension');
      if (kind !== 'checksum') window()?.setProgressBar(0, { mode: 'indeterminate' });
    },
    progress(_id: string, kind: JobKind, _p: unknown, overall: number) {
      const mainWindow = window();
      if (kind === 'checksum' || !mainWindow) return;
      mainWindow.setProgressBar(overall);
    },
    ended(_id: string, kind: JobKind, outcome: 'ok' | 'failed' | 'cancelled', summary: string) {
      if (kind === 'write' && blocker !== null) {
        powerSaveBlocker.stop(blocker);
        blocker = null;
      }
      if (kind === 'checksum') return;
      const mainWindow = window();
      mainWindow?.setProgressBar(outcome === 'failed' ? 1 : -1, outcome === 'failed' ? { mode: 'error' } : undefined);
      if (Notification.isSupported() && !mainWindow?.isFocused()) {
        const title = kind === 'write' ? (outcome === 'ok' ? 'Your stick is ready' : outcome === 'cancelled' ? 'Writing cancelled' : 'Writing failed') : outcome === 'ok' ? 'Stick verified' : 'Verification found problems';
        new Notification({ title, body: summary }).show();
      }
    },
  };
}
