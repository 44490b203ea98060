/** Small text helpers the steps share: numbers as the wizard shows them, in the user's language. */
import type { DriveView, Progress } from '../../../electron/shared/contract.js';
import type { Translator } from '../../../electron/shared/i18n/translator.js';

/** How far one phase is, 0..1 (0 while its size is unknown). */
export function phaseFraction(p: Progress | null | undefined): number {
  return p && p.total > 0 ? p.bytes / p.total : 0;
}

export function speedOf(tr: Translator, p: Progress | null | undefined): string {
  return tr.speed(p?.bytesPerSecond ?? 0);
}

export function pct(tr: Translator, p: Progress | null | undefined): string {
  return tr.percent(phaseFraction(p));
}

/** "7.45 GiB · usb · removable". */
export function driveLine(tr: Translator, d: DriveView): string {
  return tr.t('app.drive.meta', { size: tr.bytes(d.size), bus: d.bus, removable: d.removable ? 'yes' : 'no' });
}

/** A DOM id for a drive row (`prefix-` + the path with everything but letters and digits as `_`). */
export function driveId(prefix: string, path: string): string {
  return `${prefix}-${path.replace(/[^A-Za-z0-9]/g, '_')}`;
}
