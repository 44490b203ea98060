/**
 * What main adds around a job (handlers.ts calls these hooks): the taskbar/Dock progress of the
 * window, with the percentage and phase in its title (and, on Windows, the taskbar thumbnail's
 * tooltip), the power save blocker while a drive is written, and a notification when a job ends while
 * the window is not in front — all in the user's language at that moment (`tr`). Checksums only hash
 * the image: no progress bar, no notification.
 */
import { Notification, powerSaveBlocker, type BrowserWindow } from 'electron';
import type { Progress } from '../shared/contract.js';
import { phaseText } from '../shared/i18n/phrases.js';
import type { Translator } from '../shared/i18n/translator.js';
import type { JobHooks, JobKind } from './handlers.js';
import { APP_NAME } from './window.js';

type Outcome = 'ok' | 'failed' | 'cancelled';

/** The notification's title for how a job ended. */
function endedTitle(tr: Translator, kind: 'write' | 'verify', outcome: Outcome): string {
  if (kind === 'verify') return outcome === 'ok' ? tr.t('main.notify.verified') : outcome === 'cancelled' ? tr.t('main.notify.verifyCancelled') : tr.t('main.notify.verifyProblems');
  return outcome === 'ok' ? tr.t('main.notify.written') : outcome === 'cancelled' ? tr.t('main.notify.writeCancelled') : tr.t('main.notify.writeFailed');
}

export function createJobHooks(window: () => BrowserWindow | null, tr: () => Translator, platform: NodeJS.Platform = process.platform): JobHooks {
  let blocker: number | null = null;
  /** What the title and tooltip say now (set only when it changes: progress comes many times a second). */
  let shown = '';
  const show = (win: BrowserWindow, title: string, tooltip: string): void => {
    if (title === shown) return;
    shown = title;
    win.setTitle(title);
    if (platform === 'win32') win.setThumbnailToolTip(tooltip);
  };
  return {
    started(_id: string, kind: JobKind) {
      if (kind === 'write' && blocker === null) blocker = powerSaveBlocker.start('prevent-app-suspension');
      if (kind !== 'checksum') window()?.setProgressBar(0, { mode: 'indeterminate' });
    },
    progress(_id: string, kind: JobKind, p: Progress, overall: number) {
      const mainWindow = window();
      if (kind === 'checksum' || !mainWindow) return;
      mainWindow.setProgressBar(overall);
      const t = tr();
      const percent = t.percent(overall);
      show(mainWindow, t.t('main.taskbar.title', { percent, app: APP_NAME }), t.t('main.taskbar.tooltip', { percent, phase: phaseText(t, p.phase), app: APP_NAME }));
    },
    ended(_id: string, kind: JobKind, outcome: Outcome, summary: string) {
      if (kind === 'write' && blocker !== null) {
        powerSaveBlocker.stop(blocker);
        blocker = null;
      }
      if (kind === 'checksum') return;
      const mainWindow = window();
      mainWindow?.setProgressBar(outcome === 'failed' ? 1 : -1, outcome === 'failed' ? { mode: 'error' } : undefined);
      if (mainWindow) show(mainWindow, APP_NAME, '');
      if (Notification.isSupported() && !mainWindow?.isFocused()) {
        new Notification({ title: endedTitle(tr(), kind, outcome), body: summary }).show();
      }
    },
  };
}
