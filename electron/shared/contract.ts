/**
 * The ONE typed IPC contract between the renderer (wizard), the preload bridge and Electron main.
 *
 * Every channel's request, response and event payload sits in the two maps below; the preload's
 * API type, main's handler table and the renderer's client are all derived from them, so a change
 * here is a compile error everywhere it matters. Payloads are plain data (structured-clone safe).
 * This file has no runtime imports (the one type import below is erased): the renderer (DOM types only) and the sandboxed preload import it
 * as types; its few constants (channel and method names) are re-checked by unit tests where inlined.
 */

import type { Locale } from './i18n/locales.js';

// ---------------------------------------------------------------------------------------------
// Progress: structurally the engine's `Progress` (electron/engine/job/progress.ts). The renderer
// project may not reach into the engine, so the shape is restated here and main/handlers.ts holds a
// compile-time check that the two types are identical (a drift is a tsc error).
// ---------------------------------------------------------------------------------------------
export type Phase = 'preparing' | 'hashing' | 'writing' | 'flushing' | 'verifying' | 'checking-capacity' | 'done';

export interface Progress {
  type: 'progress';
  phase: Phase;
  bytes: number;
  total: number;
  bytesPerSecond: number;
  etaSeconds: number | null;
  target?: string;
}

/** Error codes that cross the bridge: the engine's stable codes, plus a few of the app's own. */
export type IpcErrorCode =
  | 'E_VERIFY'
  | 'E_ARGS'
  | 'E_RANGE'
  | 'E_FORMAT'
  | 'E_UNSUPPORTED'
  | 'E_NOT_FOUND'
  | 'E_CHECKSUM'
  | 'E_FILE_TOO_LARGE'
  | 'E_TARGET_TOO_SMALL'
  | 'E_LIMIT'
  | 'E_IO'
  | 'E_DEVICE'
  | 'E_BUSY'
  | 'E_SAFETY'
  | 'E_CANCELLED'
  /** The payload failed main's runtime validation (a bug or a hostile renderer). */
  | 'E_BAD_REQUEST'
  /** The user (or the OS) refused to start the privileged helper. */
  | 'E_ELEVATION';

export interface IpcError {
  code: IpcErrorCode;
  /** Written for a person. */
  message: string;
  /** What to do about it, when there is something to do (e.g. the equivalent CLI command). */
  hint?: string;
}

/** Every invoke answers with this, so errors keep their code across the bridge. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** Safety as data: the same small records the device layer's predicates return. */
export interface Notice {
  severity: 'warning' | 'error';
  code: string;
  /** In English (logs, the CLI's JSON); people see the catalog's message for `code` with `params`. */
  message: string;
  /** The values the translated message needs (device, sizes in bytes, build…). */
  params?: Record<string, string | number>;
}

export interface EditionView {
  index: number;
  name: string;
  editionId: string;
  arch: string;
}

export interface ImageView {
  path: string;
  /** File name only, for headings. */
  fileName: string;
  kind: 'windows' | 'hybrid' | 'raw';
  label: string;
  size: number;
  windows?: {
    /** "6.1.7601.17514", or null when the media does not say. */
    build: string | null;
    /** The service pack's number (1 for SP1), or null when the media has none. */
    servicePack: number | null;
    arch: string;
    uefi: boolean;
    bios: boolean;
    editions: EditionView[];
    languages: string[];
  };
  /** Warnings about the image (Win7 without USB 3 drivers, UEFI hang without CSM…). */
  notices: Notice[];
}

export interface ChecksumView {
  sha1: string;
  sha256: string;
  /** A public listing this image matches, or null. Never more than "matches <file> as listed publicly". */
  catalogMatch: { file: string; source: string; singleSource?: boolean } | null;
  /**
   * The image is named like a listed release but its checksums differ: flagged as modified, with the
   * listed hashes (the image's own are `sha1`/`sha256`). Null (or absent from older builds) otherwise.
   */
  catalogMismatch?: { file: string; expectedSha1: string | null; expectedSha256: string | null; source: string } | null;
}

export interface DriveView {
  /** Device path: /dev/sdX, /dev/loopN, \\.\PhysicalDriveN… (or a disk-image file). */
  path: string;
  /** A whole drive, or a regular file (a disk image for VMs), which main writes itself, unprivileged. */
  kind: 'block' | 'file';
  /** The OS's model name, or the device layer's English words for it: shown through driveName (shared/i18n/phrases.ts). */
  description: string;
  /** A loop device's file, shown as "Loop device over <file>". */
  backingFile: string | null;
  /** Bytes, or null when the OS cannot tell (such a drive is never selectable). */
  size: number | null;
  bus: string;
  removable: boolean;
  system: boolean;
  serial: string | null;
  mountpoints: string[];
  /** Why the drive is risky (warning) or unavailable (error). */
  notices: Notice[];
  /** False when any notice is an error, and always for the system drive. */
  selectable: boolean;
  /** Only listed because the user asked for all drives. */
  hiddenByDefault: boolean;
}

/** What the user confirmed for one target: the helper re-identifies the drive against this. */
export interface ConfirmedTarget {
  path: string;
  size: number;
  serial: string | null;
}

export type WriteMode = 'auto' | 'windows' | 'raw';

export interface WriteRequest {
  /** Chosen by the renderer so it can cancel and match progress events before the answer comes. */
  jobId: string;
  image: string;
  targets: ConfirmedTarget[];
  mode: WriteMode;
  verify: boolean;
  /** "Set up Windows": absent (or all off) when the step was skipped, which gives exactly the plain write. */
  windows?: WindowsSetup;
}

/**
 * A Windows stick's customization: the edition (1-based index in install.wim), whether the
 * stick's install.wim keeps only it (needs `edition`), whether sources/ei.cfg is left off (setup offers
 * every edition), and autounattend.xml's text (at most 256 KiB as UTF-8; main and the helper check it
 * against the media again). The stick then also carries sevenstick.json, which `verify` reads.
 */
export interface WindowsSetup {
  /** The edition (install.wim image index), or null: setup asks. */
  edition: number | null;
  /** Keep only that edition in the stick's install.wim. */
  onlyEdition: boolean;
  /** Show every edition in setup (ei.cfg no longer limits the list). */
  showAllEditions: boolean;
  /** autounattend.xml for the stick's root (generated or imported as is), or null: none. */
  unattendXml: string | null;
}

/** `answers:generate`: an answer file for the inspected image from a preset (the password is never logged). */
export interface AnswersRequest {
  image: string;
  /** A preset document (validated by the engine's validatePreset). */
  preset: unknown;
  password: string | null;
}

export interface AnswersResponse {
  xml: string;
  /** What the answer file sets and what setup still asks, one line each (English, for logs). */
  summary: string[];
  /** The same as data, for the user's language (shared/i18n/answer-summary.ts). */
  details: AnswerSummaryView;
}

/** Structurally the engine's AnswerSummary (main/engine-bindings.ts checks the two agree at compile time). */
export interface AnswerSummaryView {
  arch: string;
  edition: { index: number; name: string; by: 'index' | 'name' } | null;
  language: string;
  locale: string;
  /** InputLocale: "<LCID>:<KLID>". */
  inputLocale: string;
  timeZone: string | null;
  computerName: string | null;
  user: string | null;
  /** Only the last group, e.g. "…-8QKJH". */
  productKey: string | null;
  wipeDisk0: 'bios' | 'uefi' | null;
  /** What setup still asks, in the order it asks (English phrases; answer-summary.ts words them). */
  setupAsks: string[];
}

export interface TargetOutcome {
  path: string;
  ok: boolean;
  verified: boolean;
  error?: IpcError;
}

export interface WriteResult {
  outcome: 'done' | 'failed' | 'cancelled';
  targets: TargetOutcome[];
  seconds: number;
  /** About the stick as a whole, in words (e.g. it boots in BIOS mode only, and why). */
  warnings?: string[];
  /** The same warnings as notices (code and params), for the user's language. */
  notices?: Notice[];
}

export interface VerifyRequest {
  jobId: string;
  target: string;
  image: string;
}

/** One thing wrong on a stick: `problem` in English (logs, JSON); `code` and `params` let people read it in their language. */
export interface VerifyProblem {
  path: string;
  problem: string;
  code?: string;
  params?: Record<string, string | number>;
}

export interface VerifyReport {
  ok: boolean;
  target: string;
  image: string;
  checkedFiles: number;
  /** Missing or different files, boot code mismatches: each one is a failure. */
  problems: Array<VerifyProblem>;
  /** Files on the stick that are not on the ISO; `known` ones are what Windows/macOS add by themselves. */
  extras: Array<{ path: string; known: boolean }>;
}

export interface AppInfo {
  version: string;
  platform: string;
  /** Whether writing needs an elevation prompt on this machine. */
  needsElevation: boolean;
  logPath: string;
  /** The image the app was opened with ("Open with SevenStick", a file argument), if any. */
  launchImage: string | null;
  /** The language the app speaks now (the user's choice, else the OS's). */
  locale: Locale;
  /** The user's choice, or null: follow the OS. */
  languageChoice: Locale | null;
}

/** `settings:language`: the user picks a language (null: follow the OS again); it is remembered. */
export interface LanguageChoice {
  locale: Locale | null;
}

export type { Locale };

export type MenuCommand = 'open-image' | 'verify-stick' | 'start-over';

export type Empty = Record<string, never>;

/** Request → response for every renderer → main call. */
export interface InvokeContract {
  'app:info': { request: Empty; response: AppInfo };
  'image:choose': { request: Empty; response: string | null };
  'image:inspect': { request: { path: string }; response: ImageView };
  'image:checksum': { request: { jobId: string; path: string }; response: ChecksumView };
  'drives:list': { request: { showAll: boolean }; response: DriveView[] };
  'write:start': { request: WriteRequest; response: WriteResult };
  'verify:start': { request: VerifyRequest; response: VerifyReport };
  'job:cancel': { request: { jobId: string }; response: boolean };
  'log:open': { request: Empty; response: boolean };
  /** The preset is checked by main (the engine's validatePreset); the password is never logged. */
  'answers:generate': { request: AnswersRequest; response: AnswersResponse };
  /** Native save dialog; false when the user cancelled. */
  'preset:save': { request: { preset: unknown }; response: boolean };
  /** Native open dialog; null when the user cancelled. The preset comes back validated. */
  'preset:load': { request: Empty; response: { preset: unknown } | null };
  'answers:export': { request: { xml: string }; response: boolean };
  /** Native open dialog; the file is checked against the inspected image (well-formed, architecture) and returned as is. */
  'answers:import': { request: Empty; response: { xml: string } | null };
  /** The language the app speaks; the answer is the language now in use. Main rebuilds its menu in it. */
  'settings:language': { request: LanguageChoice; response: { locale: Locale } };
}

/** Payload of every main → renderer event. */
export interface EventContract {
  'drives:changed': DriveView[];
  'job:progress': { jobId: string; progress: Progress };
  'menu:command': MenuCommand;
  /** The OS asked us to open an image while running (Open with, a second launch with a file). */
  'image:open': { path: string };
}

export type InvokeChannel = keyof InvokeContract;
export type EventChannel = keyof EventContract;
export type RequestOf<C extends InvokeChannel> = InvokeContract[C]['request'];
export type ResponseOf<C extends InvokeChannel> = InvokeContract[C]['response'];

/** The preload's method name for each channel (the preload inlines a copy; a test checks they agree). */
export const INVOKE_METHODS = {
  'app:info': 'appInfo',
  'image:choose': 'chooseImage',
  'image:inspect': 'inspectImage',
  'image:checksum': 'checksumImage',
  'drives:list': 'listDrives',
  'write:start': 'startWrite',
  'verify:start': 'startVerify',
  'job:cancel': 'cancelJob',
  'log:open': 'openLog',
  'answers:generate': 'generateAnswers',
  'preset:save': 'savePreset',
  'preset:load': 'loadPreset',
  'answers:export': 'exportAnswers',
  'answers:import': 'importAnswers',
  'settings:language': 'setLanguage',
} as const satisfies Record<InvokeChannel, string>;

export const EVENT_METHODS = {
  'drives:changed': 'onDrivesChanged',
  'job:progress': 'onJobProgress',
  'menu:command': 'onMenuCommand',
  'image:open': 'onOpenImage',
} as const satisfies Record<EventChannel, string>;

/** A file the user dropped (the DOM's File is one). */
export interface DroppedFile {
  readonly name: string;
  readonly size: number;
}

/** What `window.sevenstick` offers: one function per channel, nothing else. */
export type SevenStickApi = {
  [C in InvokeChannel as (typeof INVOKE_METHODS)[C]]: (request: RequestOf<C>) => Promise<IpcResult<ResponseOf<C>>>;
} & {
  [E in EventChannel as (typeof EVENT_METHODS)[E]]: (listener: (payload: EventContract[E]) => void) => () => void;
} & {
  /** The filesystem path of a dropped file ('' when it has none). Not IPC: webUtils in the preload. */
  pathForFile(file: DroppedFile): string;
};
