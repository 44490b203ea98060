/**
 * The engine, seen through the contract: each binding calls a real engine function and maps its
 * result to the plain view types the renderer gets. A binding the engine cannot back yet is absent
 * (the handler then answers E_NOT_AVAILABLE) — never a made-up result.
 */
import type { ChecksumView, ConfirmedTarget, DriveView, ImageView, Progress } from '../shared/contract.js';
import type { Progress as EngineProgress } from '../engine/job/progress.js';

// The contract restates the engine's Progress (the renderer may not import the engine): these two
// lines fail to compile the moment the two drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const PROGRESS_TYPES_MATCH: Same<Progress, EngineProgress> = true;

export interface EngineBindings {
  inspect?: (path: string) => Promise<ImageView>;
  checksum?: (path: string, opts: { signal: AbortSignal; onProgress: (p: Progress) => void }) => Promise<ChecksumView>;
  /** Every drive, with `hiddenByDefault` set on those only "show all" lists. */
  listDrives?: () => Promise<DriveView[]>;
  /** Calls back with the full list whenever it changes; returns a stop function. */
  watchDrives?: (onChange: (drives: DriveView[]) => void) => () => void;
  /** The identity (path, size, serial) the helper will re-check, for a drive picked in the verify flow. */
  identifyForConfirm?: (path: string) => Promise<ConfirmedTarget>;
  /** Whether the helper can write / verify in this build. */
  canWrite: boolean;
  canVerify: boolean;
}

export function bindEngine(): EngineBindings {
  return { canWrite: false, canVerify: false };
}
