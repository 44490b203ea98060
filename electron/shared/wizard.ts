/**
 * The wizard's state logic as a pure reducer (no DOM, no Node): Image → [Set up Windows] → Drives →
 * Confirm → Write → Done, and the second flow Verify-a-stick. "Set up Windows" (setup.ts) is off by
 * default; switched on from the image step, for Windows media only. The React components only render a state and dispatch
 * actions; every rule (what can be selected, when "Next" is allowed, what a vanished drive does to
 * the selection, which drives the confirmation names) lives here and is unit-tested.
 */
import type {
  ChecksumView,
  ConfirmedTarget,
  DriveView,
  ImageView,
  IpcError,
  Progress,
  VerifyReport,
  WriteResult,
} from './contract.js';
import { startTally, tallyProgress, writePasses, type JobTally } from './job-progress.js';
import { initialSetup, setupReady, setupReducer, type SetupAction, type SetupState } from './setup.js';

export type Step = 'start' | 'image' | 'setup' | 'drives' | 'confirm' | 'write' | 'done' | 'verify';
export type Flow = 'write' | 'verify';

export interface ImageState {
  path: string | null;
  status: 'empty' | 'loading' | 'ready' | 'error';
  info: ImageView | null;
  error: IpcError | null;
  checksum: {
    status: 'idle' | 'running' | 'done' | 'error';
    jobId: string | null;
    progress: Progress | null;
    value: ChecksumView | null;
    error: IpcError | null;
  };
}

export interface WriteState {
  jobId: string | null;
  targets: ConfirmedTarget[];
  verify: boolean;
  /** Latest progress per target path (or '' for job-wide events). */
  progress: Record<string, Progress>;
  /** The job's overall progress so far (job-progress.ts). */
  tally: JobTally;
  cancelling: boolean;
  result: WriteResult | null;
  error: IpcError | null;
}

export interface VerifyState {
  target: string | null;
  jobId: string | null;
  progress: Progress | null;
  report: VerifyReport | null;
  error: IpcError | null;
}

export interface WizardState {
  step: Step;
  flow: Flow;
  image: ImageState;
  drives: DriveView[];
  drivesLoaded: boolean;
  showAll: boolean;
  /** Selected drive paths, in the order the user picked them. */
  selected: string[];
  /** Set when a selected drive vanished or became unavailable (shown once, cleared on the next pick). */
  dropped: string[];
  write: WriteState;
  verify: VerifyState;
  /** "Set up Windows" (setup.ts). */
  setup: SetupState;
}

export type Action =
  | { type: 'start'; flow: Flow }
  | { type: 'reset' }
  | { type: 'back' }
  | { type: 'next' }
  | { type: 'image-chosen'; path: string }
  | { type: 'image-inspected'; path: string; info: ImageView }
  | { type: 'image-failed'; path: string; error: IpcError }
  | { type: 'checksum-started'; jobId: string }
  | { type: 'checksum-done'; jobId: string; value: ChecksumView }
  | { type: 'checksum-failed'; jobId: string; error: IpcError }
  | { type: 'drives-changed'; drives: DriveView[] }
  | { type: 'toggle-drive'; path: string }
  | { type: 'show-all'; value: boolean }
  | { type: 'write-started'; jobId: string; verify: boolean }
  | { type: 'job-progress'; jobId: string; progress: Progress }
  | { type: 'write-finished'; jobId: string; result: WriteResult }
  | { type: 'write-failed'; jobId: string; error: IpcError }
  | { type: 'cancel-requested' }
  | { type: 'verify-target'; path: string }
  | { type: 'verify-started'; jobId: string }
  | { type: 'verify-finished'; jobId: string; report: VerifyReport }
  | { type: 'verify-failed'; jobId: string; error: IpcError }
  | SetupAction;

const emptyImage: ImageState = {
  path: null,
  status: 'empty',
  info: null,
  error: null,
  checksum: { status: 'idle', jobId: null, progress: null, value: null, error: null },
};
const emptyWrite: WriteState = { jobId: null, targets: [], verify: true, progress: {}, tally: startTally(writePasses(true)), cancelling: false, result: null, error: null };
const emptyVerify: VerifyState = { target: null, jobId: null, progress: null, report: null, error: null };

export const initialState: WizardState = {
  step: 'start',
  flow: 'write',
  image: emptyImage,
  drives: [],
  drivesLoaded: false,
  showAll: false,
  selected: [],
  dropped: [],
  write: emptyWrite,
  verify: emptyVerify,
  setup: initialSetup,
};

export const WRITE_STEPS: readonly Step[] = ['image', 'drives', 'confirm', 'write', 'done'];

/** Whether the image is Windows media, the only kind "Set up Windows" is for. */
export function canSetUpWindows(s: WizardState): boolean {
  return s.image.status === 'ready' && s.image.info?.kind === 'windows' && !!s.image.info.windows;
}

/** Whether the flow goes through "Set up Windows". */
export function setupOn(s: WizardState): boolean {
  return s.setup.enabled && canSetUpWindows(s);
}

/** The write flow's steps as the stepper shows them: "Set up Windows" only when it is switched on. */
export function writeSteps(s: WizardState): readonly Step[] {
  return setupOn(s) ? ['image', 'setup', ...WRITE_STEPS.slice(1)] : WRITE_STEPS;
}

/** Drives the list shows: everything the user may see (system drives only with "show all"). */
export function visibleDrives(s: WizardState): DriveView[] {
  return s.drives.filter((d) => s.showAll || !d.hiddenByDefault);
}

export function selectedDrives(s: WizardState): DriveView[] {
  return s.selected.map((p) => s.drives.find((d) => d.path === p)).filter((d): d is DriveView => d !== undefined);
}

/** A drive may be picked only if it is listed, selectable, has a known size, and is not the image. */
export function canSelect(s: WizardState, d: DriveView): boolean {
  return d.selectable && !d.system && d.size !== null && visibleDrives(s).includes(d) && d.path !== s.image.path;
}

/** Whether the wizard's primary button is enabled on the current step. */
export function canProceed(s: WizardState): boolean {
  switch (s.step) {
    case 'image':
      return s.image.status === 'ready' && s.image.checksum.status !== 'running';
    case 'setup':
      return setupReady(s.setup);
    case 'drives':
      return selectedDrives(s).length > 0;
    case 'confirm':
      return s.write.targets.length > 0;
    case 'verify':
      return s.verify.jobId === null && s.verify.target !== null && s.image.status === 'ready';
    default:
      return false;
  }
}

/** Whether leaving the current step backwards is allowed (never while a job runs). */
export function canGoBack(s: WizardState): boolean {
  if (s.step === 'write' || s.step === 'start' || s.step === 'done') return false;
  if (s.step === 'verify') return s.verify.jobId === null;
  return s.image.checksum.status !== 'running';
}

function dropUnavailable(s: WizardState, drives: DriveView[]): { selected: string[]; dropped: string[] } {
  const keep: string[] = [];
  const dropped: string[] = [];
  const next = { ...s, drives };
  for (const p of s.selected) {
    const d = drives.find((x) => x.path === p);
    if (d && canSelect(next, d)) keep.push(p);
    else dropped.push(p);
  }
  return { selected: keep, dropped };
}

export function reducer(s: WizardState, a: Action): WizardState {
  switch (a.type) {
    case 'start':
      return { ...initialState, drives: s.drives, drivesLoaded: s.drivesLoaded, flow: a.flow, step: a.flow === 'write' ? 'image' : 'verify' };
    case 'reset':
      return { ...initialState, drives: s.drives, drivesLoaded: s.drivesLoaded };
    case 'back': {
      if (!canGoBack(s)) return s;
      if (s.step === 'image' || s.step === 'verify') return { ...s, step: 'start' };
      if (s.step === 'setup') return { ...s, step: 'image' };
      if (s.step === 'drives') return { ...s, step: setupOn(s) ? 'setup' : 'image' };
      if (s.step === 'confirm') return { ...s, step: 'drives', write: emptyWrite };
      return s;
    }
    case 'next': {
      if (!canProceed(s)) return s;
      if (s.step === 'image') return { ...s, step: setupOn(s) ? 'setup' : 'drives', dropped: [] };
      // Settings leave the step only with their answer file (App asks main for it first).
      if (s.step === 'setup') return s.setup.source === 'settings' && s.setup.enabled && !s.setup.answers ? s : { ...s, step: 'drives', dropped: [] };
      if (s.step === 'drives') {
        // The confirmation snapshots what the user saw: the helper re-identifies each drive against it.
        const targets = selectedDrives(s).map((d) => ({ path: d.path, size: d.size ?? 0, serial: d.serial }));
        return { ...s, step: 'confirm', write: { ...emptyWrite, targets } };
      }
      return s;
    }
    case 'image-chosen':
      if (s.step === 'write') return s;
      // Another image, other editions and architecture: "Set up Windows" starts over (off).
      return { ...s, image: { ...emptyImage, path: a.path, status: 'loading' }, selected: s.selected.filter((p) => p !== a.path), setup: initialSetup };
    case 'image-inspected':
      if (a.path !== s.image.path) return s;
      return { ...s, image: { ...s.image, status: 'ready', info: a.info, error: null } };
    case 'image-failed':
      if (a.path !== s.image.path) return s;
      return { ...s, image: { ...s.image, status: 'error', info: null, error: a.error } };
    case 'checksum-started':
      if (s.image.status !== 'ready') return s;
      return { ...s, image: { ...s.image, checksum: { status: 'running', jobId: a.jobId, progress: null, value: null, error: null } } };
    case 'checksum-done':
      if (s.image.checksum.jobId !== a.jobId) return s;
      return { ...s, image: { ...s.image, checksum: { ...s.image.checksum, status: 'done', value: a.value } } };
    case 'checksum-failed':
      if (s.image.checksum.jobId !== a.jobId) return s;
      if (a.error.code === 'E_CANCELLED') return { ...s, image: { ...s.image, checksum: emptyImage.checksum } };
      return { ...s, image: { ...s.image, checksum: { ...s.image.checksum, status: 'error', error: a.error } } };
    case 'drives-changed': {
      const { selected, dropped } = dropUnavailable(s, a.drives);
      const verifyTarget = s.verify.target !== null && s.verify.jobId === null && !a.drives.some((d) => d.path === s.verify.target) ? null : s.verify.target;
      // During and after a write the confirmed targets are fixed; only the list changes.
      if (s.step === 'write' || s.step === 'done' || s.step === 'confirm') {
        if (s.step === 'confirm' && dropped.length > 0) {
          return { ...s, drives: a.drives, drivesLoaded: true, selected, dropped: [...s.dropped, ...dropped], step: 'drives', write: emptyWrite };
        }
        return { ...s, drives: a.drives, drivesLoaded: true };
      }
      return {
        ...s,
        drives: a.drives,
        drivesLoaded: true,
        selected,
        dropped: dropped.length ? [...s.dropped, ...dropped] : s.dropped,
        verify: { ...s.verify, target: verifyTarget },
      };
    }
    case 'toggle-drive': {
      if (s.step !== 'drives') return s;
      if (s.selected.includes(a.path)) return { ...s, selected: s.selected.filter((p) => p !== a.path), dropped: [] };
      const d = s.drives.find((x) => x.path === a.path);
      if (!d || !canSelect(s, d)) return s;
      return { ...s, selected: [...s.selected, a.path], dropped: [] };
    }
    case 'show-all': {
      const next = { ...s, showAll: a.value };
      const { selected, dropped } = dropUnavailable(next, s.drives);
      return { ...next, selected, dropped };
    }
    case 'write-started':
      if (s.step !== 'confirm') return s;
      return { ...s, step: 'write', write: { ...s.write, jobId: a.jobId, verify: a.verify, progress: {}, tally: startTally(writePasses(a.verify)), cancelling: false, result: null, error: null } };
    case 'job-progress': {
      if (a.jobId === s.write.jobId) {
        const key = a.progress.target ?? '';
        return { ...s, write: { ...s.write, progress: { ...s.write.progress, [key]: a.progress }, tally: tallyProgress(s.write.tally, a.progress) } };
      }
      if (a.jobId === s.image.checksum.jobId && s.image.checksum.status === 'running') {
        return { ...s, image: { ...s.image, checksum: { ...s.image.checksum, progress: a.progress } } };
      }
      if (a.jobId === s.verify.jobId) return { ...s, verify: { ...s.verify, progress: a.progress } };
      return s;
    }
    case 'write-finished':
      if (a.jobId !== s.write.jobId) return s;
      return { ...s, step: 'done', write: { ...s.write, result: a.result, cancelling: false } };
    case 'write-failed':
      if (a.jobId !== s.write.jobId) return s;
      return { ...s, step: 'done', write: { ...s.write, error: a.error, cancelling: false } };
    case 'cancel-requested':
      if (s.step !== 'write') return s;
      return { ...s, write: { ...s.write, cancelling: true } };
    case 'verify-target': {
      if (s.step !== 'verify' || s.verify.jobId !== null) return s;
      const d = s.drives.find((x) => x.path === a.path);
      if (!d || d.system || d.size === null) return s;
      return { ...s, verify: { ...emptyVerify, target: a.path } };
    }
    case 'verify-started':
      if (!canProceed(s) || s.step !== 'verify') return s;
      return { ...s, verify: { ...s.verify, jobId: a.jobId, progress: null, report: null, error: null } };
    case 'verify-finished':
      if (a.jobId !== s.verify.jobId) return s;
      return { ...s, verify: { ...s.verify, jobId: null, report: a.report } };
    case 'verify-failed':
      if (a.jobId !== s.verify.jobId) return s;
      return { ...s, verify: { ...s.verify, jobId: null, error: a.error } };
    default:
      // Settings change only on the image step (on/off) and the setup step.
      if (s.step !== 'image' && s.step !== 'setup') return s;
      return { ...s, setup: setupReducer(s.setup, a) };
  }
}

/** One drive the confirmation names: what the user saw it as, its path and its size in bytes. */
export interface ConfirmLine {
  /** The drive as listed (named through driveName), or null when it has left the list. */
  drive: DriveView | null;
  path: string;
  size: number;
}

/** What a confirmation must show: every drive that will be erased, with its size (the step words it). */
export function confirmationLines(s: WizardState): ConfirmLine[] {
  return s.write.targets.map((t) => {
    const d = s.drives.find((x) => x.path === t.path);
    return { drive: d ?? null, path: t.path, size: t.size };
  });
}

/** Time left as m:ss (digits only, the same in every language). */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–:––';
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}
