/** Small text helpers the steps share (numbers as the wizard shows them). */
import type { DriveView, Progress } from '../../../electron/shared/contract.js';
import { formatBytes, formatSpeed } from '../../../electron/shared/format.js';

/** How far one phase is, 0..1 (0 while its size is unknown). */
export function phaseFraction(p: Progress | null | undefined): number {
  return p && p.total > 0 ? p.bytes / p.total : 0;
}

export function speedOf(p: Progress | null | undefined): string {
  return p ? formatSpeed(p.bytesPerSecond) : '—';
}

export function pct(p: Progress | null | undefined): string {
  return `${Math.floor(phaseFraction(p) * 100)} %`;
}

export function driveLine(d: DriveView): string {
  return `${formatBytes(d.size)} · ${d.bus}${d.removable ? ' · removable' : ''}`;
}

/** A DOM id for a drive row (`prefix-` + the path with everything but letters and digits as `_`). */
export function driveId(prefix: string, path: string): string {
  return `${prefix}-${path.replace(/[^A-Za-z0-9]/g, '_')}`;
}
