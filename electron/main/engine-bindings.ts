/**
 * The engine, seen through the contract: each binding calls a real engine function and maps its
 * result to the plain view types the renderer gets — never a made-up result.
 */
import { basename } from 'node:path';
import {
  checkDrive,
  checkImportedAnswerFile,
  describePath,
  generateAnswerFile,
  inspectImage,
  isUsableByDefault,
  listDrives,
  loadUnattendData,
  locateImage,
  parsePreset,
  runWriteJob,
  serializePreset,
  summaryLines,
  validatePreset,
  verifyStick,
  watchDrives,
  WIPE_DISK_0_CONFIRMATION,
  type Drive,
  type ImageLocation,
  type InspectResult,
  type Preset as EnginePreset,
  type Progress as EngineProgress,
  type WindowsInfo,
} from '../engine/index.js';
import type { AnswerSummaryView, AnswersResponse, ChecksumView, ConfirmedTarget, DriveView, ImageView, Progress, VerifyReport, WindowsSetup, WriteMode, WriteResult } from '../shared/contract.js';
import { WIPE_CONFIRMATION, type SetupPreset } from '../shared/setup.js';
import type { Translator } from '../shared/i18n/translator.js';
import { english, sayError } from './i18n.js';
import { toVerifyReport, toWriteResult, warningNotice, windowsCustomization } from '../helper/engine.js';
import { identityOf } from '../helper/identity.js';

// The contract restates the engine's Progress (the renderer may not import the engine): this line
// fails to compile the moment the two drift apart.
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const PROGRESS_TYPES_MATCH: Same<Progress, EngineProgress> = true;
// The wizard restates the preset too (shared/setup.ts): same rule, and the same words for erasing disk 0.
export const PRESET_TYPES_MATCH: Same<SetupPreset, EnginePreset> = true;
export const WIPE_WORDS_MATCH: Same<typeof WIPE_CONFIRMATION, typeof WIPE_DISK_0_CONFIRMATION> = true;

export interface EngineBindings {
  inspect: (path: string) => Promise<ImageView>;
  checksum: (path: string, opts: { signal: AbortSignal; onProgress: (p: Progress) => void }) => Promise<ChecksumView>;
  /** Every drive, with `hiddenByDefault` set on those only "show all" lists; checked against the image. */
  listDrives: (image: string | null) => Promise<DriveView[]>;
  /**
   * Calls back with the full list (and the image it was checked against) whenever it changes; returns
   * a stop function. Handler tests leave it out (the list then changes only when asked for).
   */
  watchDrives?: (image: () => string | null, onChange: (drives: DriveView[], image: string | null) => void, intervalMs?: number) => () => void;
  /** The identity (path, size, serial) the helper will re-check, for a drive picked in the verify flow. */
  identifyForConfirm: (path: string) => Promise<ConfirmedTarget>;
  /**
   * Writes disk-image FILES (never devices) in this process, unprivileged: each target is described
   * afresh and must still be the regular file the user confirmed (same size and identity).
   */
  writeFiles: (job: FileJob & { targets: ConfirmedTarget[]; mode: WriteMode; verify: boolean; windows?: WindowsSetup }) => Promise<WriteResult>;
  /**
   * Checks a write's Windows customization against the image (edition, the answer file: well-formed,
   * architecture, size) before anything starts; throws (E_ARGS, E_FORMAT…) when it does not fit.
   */
  checkWindows: (image: string, windows: WindowsSetup) => Promise<void>;
  /** An answer file for the image from a preset (validatePreset) and the account's password, if any. */
  generateAnswers: (image: string, preset: unknown, password: string | null) => Promise<AnswersResponse>;
  /** Verifies a disk-image FILE in this process, unprivileged (same identity check). */
  verifyFile: (job: FileJob & { target: ConfirmedTarget }) => Promise<VerifyReport>;
  /** A preset validated and serialised as its file (never a clear password: the preset type has none). */
  presetFile: (preset: unknown) => Promise<string>;
  /** A preset file's text, parsed and validated. */
  readPreset: (text: string) => Promise<unknown>;
  /** An imported answer file checked against the image (well-formed, its architecture): its text, unchanged. */
  checkAnswerFile: (image: string, bytes: Buffer) => Promise<string>;
}

export interface FileJob {
  image: string;
  signal: AbortSignal;
  onProgress: (p: Progress) => void;
}

/** Whether a path names a device rather than a file, by its form alone (/dev/…, \\.\…). */
export function isDevicePath(path: string): boolean {
  return path.startsWith('/dev/') || /^\\\\[.?]\\/.test(path);
}

/** Describes a confirmed disk-image file afresh; refuses anything but that same regular file. */
async function confirmedFile(t: ConfirmedTarget, tr: Translator): Promise<Drive> {
  const d = isDevicePath(t.path) ? null : await describePath(t.path);
  if (!d || d.kind !== 'file' || !d.exists) throw sayError(tr, 'E_SAFETY', (x) => x.t('main.refuse.notAnImageFile', { path: t.path }));
  const serial = identityOf(d);
  if (d.size !== t.size || serial === null || serial !== t.serial) {
    throw sayError(tr, 'E_SAFETY', (x) => x.t('main.refuse.nothingWritten', { reason: x.t('main.refuse.fileChanged', { path: t.path }) }));
  }
  return d;
}

/** A drive as the wizard shows it: the device layer's facts plus its safety predicates' verdicts. */
export function driveView(d: Drive, image: ImageLocation | undefined): DriveView {
  const notices = checkDrive(d, image ? { image } : {});
  return {
    path: d.device,
    kind: d.kind,
    description: d.description,
    backingFile: d.backingFile,
    size: d.size,
    bus: d.bus,
    removable: d.removable,
    system: d.isSystem,
    serial: identityOf(d),
    mountpoints: d.mountpoints,
    notices: notices.map((n) => ({ severity: n.severity, code: n.code, message: n.message, params: n.params })),
    selectable: !d.isSystem && d.size !== null && !notices.some((n) => n.severity === 'error'),
    hiddenByDefault: !isUsableByDefault(d),
  };
}

/** An inspected image as the wizard's card shows it. */
export function imageView(path: string, r: InspectResult): ImageView {
  const view: ImageView = { path, fileName: basename(path), kind: r.kind, label: r.label, size: r.size, notices: [] };
  const w = r.windows;
  if (w) {
    view.windows = {
      build: w.version || (w.build !== null ? String(w.build) : null),
      servicePack: w.sp || null,
      arch: w.arch,
      uefi: w.uefi,
      bios: true,
      editions: w.editions.map((e) => ({ index: e.index, name: e.name, editionId: e.editionId, arch: e.arch })),
      languages: w.languages,
    };
    view.notices = w.warnings.map(warningNotice);
  }
  if (r.kind === 'hybrid') view.notices.push({ severity: 'warning', code: 'W_HYBRID', message: 'This image already has a partition table: it will be copied byte for byte (raw mode).' });
  if (r.kind === 'raw') view.notices.push({ severity: 'warning', code: 'W_RAW', message: 'This is a raw disk image: it will be copied byte for byte.' });
  return view;
}

/** The Windows side of an image, or E_UNSUPPORTED: answer files are for Windows 7 setup media. */
async function windowsMedia(image: string, tr: Translator): Promise<WindowsInfo> {
  const w = (await inspectImage(image)).windows;
  if (!w) throw sayError(tr, 'E_UNSUPPORTED', (t) => t.t('main.error.notWindowsMedia', { image: basename(image) }));
  return w;
}

function locate(image: string | null): ImageLocation | undefined {
  return image ? locateImage(image) : undefined;
}

/** The engine's bindings; the errors main itself adds are in the user's language now (`tr`, English when not given). */
export function bindEngine(tr: () => Translator = english): EngineBindings {
  return {
    async inspect(path) {
      return imageView(path, await inspectImage(path));
    },
    async checksum(path, { signal, onProgress }) {
      const r = await inspectImage(path, { hash: true, signal, onProgress });
      if (!r.sha1 || !r.sha256) throw sayError(tr(), 'E_IO', (t) => t.t('main.error.noChecksums'));
      const m = r.catalogMatch;
      const x = r.catalogMismatch;
      return {
        sha1: r.sha1,
        sha256: r.sha256,
        catalogMatch: m ? { file: m.file, source: m.source ?? m.origin, ...(m.singleSource !== undefined ? { singleSource: m.singleSource } : {}) } : null,
        catalogMismatch: x ? { file: x.file, expectedSha1: x.expectedSha1, expectedSha256: x.expectedSha256, source: x.source ?? x.origin } : null,
      };
    },
    async listDrives(image) {
      const loc = locate(image);
      return (await listDrives({ all: true })).map((d) => driveView(d, loc));
    },
    watchDrives(image, onChange, intervalMs = 1500) {
      return watchDrives(
        (c) => {
          const img = image();
          onChange(
            c.drives.map((d) => driveView(d, locate(img))),
            img,
          );
        },
        intervalMs,
        { all: true },
      );
    },
    async identifyForConfirm(path) {
      const d = await describePath(path);
      if (d.size === null) throw sayError(tr(), 'E_DEVICE', (t) => t.t('main.error.noSize', { drive: path }));
      return { path: d.device, size: d.size, serial: identityOf(d) };
    },
    async writeFiles(job) {
      const targets: Drive[] = [];
      for (const t of job.targets) targets.push(await confirmedFile(t, tr()));
      const windows = job.windows ? await windowsCustomization(job.image, job.windows) : undefined;
      return toWriteResult(await runWriteJob({ image: job.image, targets, mode: job.mode, verify: job.verify, ...(windows ? { windows } : {}), signal: job.signal, onProgress: job.onProgress }));
    },
    async checkWindows(image, windows) {
      await windowsCustomization(image, windows);
    },
    async verifyFile(job) {
      const d = await confirmedFile(job.target, tr());
      return toVerifyReport(await verifyStick(d.device, job.image, { signal: job.signal, onProgress: job.onProgress }), job.image);
    },
    async generateAnswers(image, preset, password) {
      const p = validatePreset(preset);
      const a = generateAnswerFile(p, await windowsMedia(image, tr()), loadUnattendData(), password === null ? {} : { password });
      const details: AnswerSummaryView = a.summary;
      return { xml: a.xml, summary: summaryLines(a.summary), details };
    },
    async presetFile(preset) {
      return serializePreset(validatePreset(preset));
    },
    async readPreset(text) {
      return parsePreset(text);
    },
    async checkAnswerFile(image, bytes) {
      checkImportedAnswerFile(bytes, await windowsMedia(image, tr()));
      // The stick gets the text as it is; the bridge carries text, so it must be UTF-8 (WSIM's default).
      const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
      if (text.includes('\uFFFD') || text.includes('\0') || /^\uFEFF?<\?xml[^>]*encoding=["']utf-16/i.test(text)) {
        throw sayError(tr(), 'E_FORMAT', (t) => t.t('main.error.answerFileNotUtf8'));
      }
      return bytes.toString('utf8');
    },
  };
}
