/**
 * Main's side of every contract channel, as plain async functions (pure Node, no electron import):
 * the Electron wiring (main/index.ts) and the e2e test host (e2e/host.ts) both call `dispatch`, which
 * validates the payload, runs the handler and answers an IpcResult — so the browser tests exercise
 * exactly what the app runs. Writing and verifying drives go through the privileged helper; disk-image
 * files are written and verified here, unprivileged.
 *
 * Main keeps what it offered: the image it inspected last, and the last drive list it sent the
 * renderer (a drives:list answer or a drives:changed event, with the image it was checked against). A
 * write or verify that names another image, a drive that was not in that list, a drive whose size or
 * identity differs from what was listed, or one listed as unavailable, is refused (E_SAFETY) before any
 * helper starts — a compromised renderer cannot ask for more than the user was shown.
 */
import { basename } from 'node:path';
import type { Locale } from '../shared/i18n/locales.js';
import { errorText, noticeText } from '../shared/i18n/phrases.js';
import type { Translator } from '../shared/i18n/translator.js';
import type { AppInfo, DriveView, EventChannel, EventContract, InvokeChannel, IpcResult, Progress, RequestOf, ResponseOf, VerifyReport, VerifyRequest, WriteRequest, WriteResult } from '../shared/contract.js';
import { toIpcError } from '../shared/errors.js';
import { jobFraction, startTally, tallyProgress, writePasses, type BytePass, type JobTally } from '../shared/job-progress.js';
import { MAX_ANSWER_XML_BYTES, validateRequest } from '../shared/validate.js';
import { isDevicePath, type EngineBindings } from './engine-bindings.js';
import { sayError, logText, translator, type Words } from './i18n.js';
import { languageSettings } from './language.js';
import type { VerifyJob, WriteJob } from '../shared/helper-protocol.js';

/** What a started helper offers (HelperSession implements it). */
export interface WriterSession {
  write(job: WriteJob, onProgress: (p: Progress) => void): Promise<WriteResult>;
  verify(job: VerifyJob, onProgress: (p: Progress) => void): Promise<VerifyReport>;
  cancel(): void;
  close(): void;
}

export type JobKind = 'write' | 'verify' | 'checksum';

/** Side effects main adds around jobs (taskbar progress, power save blocker, notifications, log). */
export interface JobHooks {
  started?(jobId: string, kind: JobKind): void;
  /** `overall`: the job's progress so far, 0..1 (shared/job-progress.ts). */
  progress?(jobId: string, kind: JobKind, p: Progress, overall: number): void;
  /**
   * `summary`: what came of it in the user's language (a notification's body); empty for checksums,
   * which end without one.
   */
  ended?(jobId: string, kind: JobKind, outcome: 'ok' | 'failed' | 'cancelled', summary: string): void;
}

export interface HandlerDeps {
  engine: EngineBindings;
  /**
   * Starts the privileged helper (elevating if needed). `cliHint` is the equivalent command; `tr` speaks
   * the user's language (for the reasons elevation failed).
   */
  startHelper(cliHint: string, tr: Translator): Promise<WriterSession>;
  /** Native open-file dialog (Electron) or a test stub; null when cancelled. */
  chooseImage(): Promise<string | null>;
  /** Native save dialog, then the file written (Electron) or a test stub; false when cancelled. Absent: not offered. */
  saveFile?(kind: UserFileKind, text: string): Promise<boolean>;
  /** Native open dialog, then the file read, at most `maxBytes` (Electron) or a test stub; null when cancelled. Absent: not offered. */
  openFile?(kind: UserFileKind, maxBytes: number): Promise<Buffer | null>;
  openLog(): Promise<boolean>;
  emit<E extends EventChannel>(channel: E, payload: EventContract[E]): void;
  info: Omit<AppInfo, 'launchImage' | 'locale' | 'languageChoice'>;
  /** The app's language: the choice remembered (settings file in main) and the one in use. Absent: English, in memory (tests). */
  language?: LanguageSettings;
  /** The image the app was launched with; handed out once (a reload does not reopen it). */
  takeLaunchImage?(): string | null;
  hooks?: JobHooks;
  log?(line: string): void;
}

/** Where the app's language lives: the user's choice (null = the OS's) and what that resolves to. */
export interface LanguageSettings {
  current(): Locale;
  choice(): Locale | null;
  /** Remembers the choice, applies it (main: the menu) and returns the language now in use. */
  choose(locale: Locale | null): Locale;
}

/** The files the user saves and opens through dialogs: a preset (JSON) or an answer file (autounattend.xml). */
export type UserFileKind = 'preset' | 'answers';

/** A preset is a few hundred bytes; anything past this is not one. */
export const MAX_PRESET_BYTES = 64 * 1024;

export type Handlers = { [C in InvokeChannel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };

interface Job {
  kind: JobKind;
  abort: AbortController;
  session: WriterSession | null;
  tally: JobTally;
}

function shellArg(s: string): string {
  return /^[A-Za-z0-9_./:=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function cliEquivalent(kind: 'write' | 'verify', image: string, targets: string[], opts: { mode?: string; verify?: boolean } = {}): string {
  if (kind === 'verify') return `sudo sevenstick verify ${shellArg(targets[0] ?? '')} --image ${shellArg(image)}`;
  const mode = opts.mode && opts.mode !== 'auto' ? ` --mode ${opts.mode}` : '';
  const nv = opts.verify === false ? ' --no-verify' : '';
  return `sudo sevenstick write ${shellArg(image)}${targets.map((t) => ` --target ${shellArg(t)}`).join('')}${mode}${nv}`;
}

/** The last drive list main sent the renderer, and the image its safety notices were checked against. */
export interface Offered {
  image: string | null;
  drives: Map<string, DriveView>;
}

/** A safety refusal: why, then that nothing was written. */
const refuse = (tr: Translator, reason: Words) => sayError(tr, 'E_SAFETY', (t) => t.t('main.refuse.nothingWritten', { reason: reason(t) }));

/** Whether a confirmed target is the drive main listed: same path, size and identity. */
function listedAs(tr: Translator, offered: Offered | null, t: { path: string; size: number; serial: string | null }): DriveView {
  const d = offered?.drives.get(t.path);
  if (!d) throw refuse(tr, (x) => x.t('main.refuse.notListed', { drive: t.path }));
  if (d.size !== t.size || d.serial !== t.serial) throw refuse(tr, (x) => x.t('main.refuse.notTheDriveShown', { drive: t.path }));
  return d;
}

/** Answer files are made and checked for the image main inspected last, nothing else. */
function checkInspected(tr: Translator, currentImage: string | null, image: string | null): void {
  if (currentImage === null || image !== currentImage) {
    throw sayError(tr, 'E_SAFETY', (t) => (image === null ? t.t('main.refuse.noImageInspected') : t.t('main.refuse.notTheImageInspected', { image })));
  }
}

function checkImage(tr: Translator, currentImage: string | null, offered: Offered | null, image: string): void {
  if (currentImage === null || image !== currentImage) throw refuse(tr, (t) => t.t('main.refuse.notTheImageInspected', { image }));
  if (!offered || offered.image !== image) throw refuse(tr, (t) => t.t('main.refuse.noDriveListYet'));
}

/**
 * The write main may run: every target offered, selectable and unchanged; all files or all drives.
 * Refusals are in `tr`'s language (English when not given).
 */
export function checkWriteRequest(req: WriteRequest, currentImage: string | null, offered: Offered | null, tr: Translator = translator('en')): 'files' | 'drives' {
  checkImage(tr, currentImage, offered, req.image);
  const kinds = new Set<'files' | 'drives'>();
  for (const t of req.targets) {
    const d = listedAs(tr, offered, t);
    if (!d.selectable) {
      const why = d.notices.find((n) => n.severity === 'error');
      throw refuse(tr, (x) => (why ? x.t('main.refuse.unavailableBecause', { drive: t.path, reason: noticeText(x, why) }) : x.t('main.refuse.unavailable', { drive: t.path })));
    }
    kinds.add(d.kind === 'file' && !isDevicePath(t.path) ? 'files' : 'drives');
  }
  if (kinds.size > 1) throw sayError(tr, 'E_BAD_REQUEST', (t) => t.t('main.refuse.filesAndDrives'));
  return kinds.has('files') ? 'files' : 'drives';
}

/** The verify main may run: the inspected image, a listed drive that is not the system drive. */
export function checkVerifyRequest(req: VerifyRequest, currentImage: string | null, offered: Offered | null, tr: Translator = translator('en')): DriveView {
  checkImage(tr, currentImage, offered, req.image);
  const d = offered?.drives.get(req.target);
  if (!d) throw refuse(tr, (t) => t.t('main.refuse.notListed', { drive: req.target }));
  if (d.system) throw refuse(tr, (t) => t.t('main.refuse.verifySystemDrive', { drive: req.target }));
  if (d.size === null) throw refuse(tr, (t) => t.t('main.refuse.verifyUnknownSize', { drive: req.target }));
  return d;
}

export function createHandlers(deps: HandlerDeps): {
  handlers: Handlers;
  currentImage(): string | null;
  /** Sends a changed drive list to the renderer (and remembers it as the list offered). */
  drivesChanged(drives: DriveView[], image?: string | null): void;
  cancelAll(): void;
  running(): number;
} {
  const language = deps.language ?? languageSettings({ os: () => 'en' });
  /** The user's language now (it may change between two calls). */
  const tr = (): Translator => translator(language.current());
  const jobs = new Map<string, Job>();
  /** The image the user picked last: drives holding it are flagged in every list. */
  let currentImage: string | null = null;
  let offered: Offered | null = null;
  const log = deps.log ?? (() => {});
  const offer = (drives: DriveView[], image: string | null): void => {
    offered = { image, drives: new Map(drives.map((d) => [d.path, d])) };
  };
  const drivesChanged = (drives: DriveView[], image: string | null = currentImage): void => {
    offer(drives, image);
    deps.emit('drives:changed', drives);
  };

  const newJob = (jobId: string, kind: JobKind, passes: readonly BytePass[]): Job => {
    if (jobs.has(jobId)) throw sayError(tr(), 'E_BAD_REQUEST', (t) => t.t('main.error.jobRunning', { job: jobId }));
    const job: Job = { kind, abort: new AbortController(), session: null, tally: startTally(passes) };
    jobs.set(jobId, job);
    deps.hooks?.started?.(jobId, kind);
    return job;
  };
  const progress = (jobId: string, job: Job) => (p: Progress) => {
    deps.emit('job:progress', { jobId, progress: p });
    job.tally = tallyProgress(job.tally, p);
    deps.hooks?.progress?.(jobId, job.kind, p, jobFraction(job.tally));
  };
  /** A job is over: the log gets `logSummary` (English), the hooks what came of it in the user's language. */
  const end = (jobId: string, kind: JobKind, outcome: 'ok' | 'failed' | 'cancelled', logSummary: string, summary?: Words): void => {
    jobs.delete(jobId);
    log(`job ${jobId} (${kind}) ${outcome}: ${logSummary}`);
    deps.hooks?.ended?.(jobId, kind, outcome, summary?.(tr()) ?? '');
  };
  /** A job that threw: the log gets the error as it is, the user `cancelled` or the error's headline in their language. */
  const endWith = (jobId: string, kind: JobKind, e: unknown, cancelled?: Words): void => {
    const err = toIpcError(e);
    const wasCancelled = err.code === 'E_CANCELLED';
    end(jobId, kind, wasCancelled ? 'cancelled' : 'failed', logText(e), (t) => (wasCancelled && cancelled ? cancelled(t) : errorText(t, err).title));
  };

  /** Runs one job in this process (disk-image files): same progress and cancel wiring as a helper job. */
  async function inMain<T>(jobId: string, kind: 'write' | 'verify', passes: readonly BytePass[], body: (signal: AbortSignal, onProgress: (p: Progress) => void) => Promise<T>): Promise<T> {
    const job = newJob(jobId, kind, passes);
    return body(job.abort.signal, progress(jobId, job));
  }

  /** Runs one helper job: start (elevate), hand over, relay progress, always close. */
  async function viaHelper<T>(jobId: string, kind: 'write' | 'verify', passes: readonly BytePass[], hint: string, body: (s: WriterSession, onProgress: (p: Progress) => void) => Promise<T>): Promise<T> {
    const job = newJob(jobId, kind, passes);
    let session: WriterSession | null = null;
    try {
      session = await deps.startHelper(hint, tr());
      job.session = session;
      if (job.abort.signal.aborted) throw sayError(tr(), 'E_CANCELLED', (t) => t.t('main.error.cancelledBeforeWriting'));
      return await body(session, progress(jobId, job));
    } finally {
      session?.close();
    }
  }

  /** A file the user picks, bounded (whatever the dialog's side did). */
  const noDialogs = (): never => {
    throw sayError(tr(), 'E_UNSUPPORTED', (t) => t.t('main.error.noFileDialogs'));
  };
  const saveChosen = (kind: UserFileKind, text: string): Promise<boolean> => (deps.saveFile ?? noDialogs)(kind, text);
  const openChosen = async (kind: UserFileKind, max: number): Promise<Buffer | null> => {
    const bytes = await (deps.openFile ?? noDialogs)(kind, max);
    if (bytes !== null && bytes.length > max) {
      throw sayError(tr(), 'E_FILE_TOO_LARGE', (t) => (kind === 'preset' ? t.t('main.error.presetTooLarge', { size: t.bytes(max) }) : t.t('main.error.answerFileTooLarge', { size: t.bytes(max) })));
    }
    return bytes;
  };

  const handlers: Handlers = {
    async 'app:info'() {
      return { ...deps.info, launchImage: deps.takeLaunchImage?.() ?? null, locale: language.current(), languageChoice: language.choice() };
    },
    async 'settings:language'({ locale }) {
      return { locale: language.choose(locale) };
    },
    async 'image:choose'() {
      return deps.chooseImage();
    },
    async 'image:inspect'({ path }) {
      const info = await deps.engine.inspect(path);
      if (currentImage !== path) {
        currentImage = path;
        // The drive that holds this image becomes unavailable: tell the list now, not at the next poll.
        deps.engine.listDrives(path).then((d) => drivesChanged(d, path), () => {});
      }
      return info;
    },
    async 'image:checksum'({ jobId, path }) {
      const job = newJob(jobId, 'checksum', ['hashing']);
      try {
        const v = await deps.engine.checksum(path, { signal: job.abort.signal, onProgress: progress(jobId, job) });
        end(jobId, 'checksum', 'ok', v.catalogMatch ? `matches ${v.catalogMatch.file}` : v.catalogMismatch ? `modified: named like ${v.catalogMismatch.file}, checksum differs` : 'no catalog match');
        return v;
      } catch (e) {
        endWith(jobId, 'checksum', e);
        throw e;
      }
    },
    async 'drives:list'({ showAll }) {
      const image = currentImage;
      const all = await deps.engine.listDrives(image);
      const sent = showAll ? all : all.filter((d) => !d.hiddenByDefault);
      offer(sent, image);
      return sent;
    },
    async 'write:start'(req) {
      const targets = req.targets.map((t) => t.path);
      const hint = cliEquivalent('write', req.image, targets, { mode: req.mode, verify: req.verify });
      const windows = req.windows ? { windows: req.windows } : {};
      let runs: 'files' | 'drives';
      try {
        runs = checkWriteRequest(req, currentImage, offered, tr());
        // The answer file and edition, checked against the inspected media before anything starts.
        if (req.windows) await deps.engine.checkWindows(req.image, req.windows);
      } catch (e) {
        log(`write ${req.jobId} refused: ${logText(e)}`);
        throw e;
      }
      try {
        const result =
          runs === 'files'
            ? await inMain(req.jobId, 'write', writePasses(req.verify), (signal, onProgress) => deps.engine.writeFiles({ image: req.image, targets: req.targets, mode: req.mode, verify: req.verify, ...windows, signal, onProgress }))
            : await viaHelper(req.jobId, 'write', writePasses(req.verify), hint, (s, onProgress) => s.write({ image: req.image, targets: req.targets, mode: req.mode, verify: req.verify, ...windows }, onProgress));
        const failed = result.targets.filter((t) => !t.ok).length;
        const image = basename(req.image);
        end(req.jobId, 'write', result.outcome === 'done' ? 'ok' : result.outcome === 'cancelled' ? 'cancelled' : 'failed', `${image} → ${targets.join(', ')}: ${result.outcome}${failed ? ` (${failed} failed)` : ''}`, (t) =>
          result.outcome === 'done'
            ? t.t('main.summary.written', { image, drives: t.list(targets), count: targets.length, duration: t.duration(result.seconds) })
            : result.outcome === 'cancelled'
              ? t.t('main.summary.writeCancelled', { image })
              : t.t('main.summary.writeFailed', { image, failed, count: targets.length }),
        );
        return result;
      } catch (e) {
        const err = toIpcError(e);
        endWith(req.jobId, 'write', e, (t) => t.t('main.summary.writeCancelled', { image: basename(req.image) }));
        if (err.code === 'E_CANCELLED') return { outcome: 'cancelled', targets: req.targets.map((t) => ({ path: t.path, ok: false, verified: false, error: err })), seconds: 0 };
        throw e;
      }
    },
    async 'verify:start'(req) {
      const hint = cliEquivalent('verify', req.image, [req.target]);
      let listed: DriveView;
      try {
        listed = checkVerifyRequest(req, currentImage, offered, tr());
      } catch (e) {
        log(`verify ${req.jobId} refused: ${logText(e)}`);
        throw e;
      }
      // Identified here, before any prompt: the drive must still be the one listed.
      const id = await deps.engine.identifyForConfirm(req.target);
      if (id.size !== listed.size || id.serial !== listed.serial) {
        const err = refuse(tr(), (t) => t.t('main.refuse.driveChanged', { drive: req.target }));
        log(`verify ${req.jobId} refused: ${logText(err)}`);
        throw err;
      }
      const isFile = listed.kind === 'file' && !isDevicePath(req.target);
      try {
        const report =
          isFile
            ? await inMain(req.jobId, 'verify', ['verifying'], (signal, onProgress) => deps.engine.verifyFile({ image: req.image, target: id, signal, onProgress }))
            : await viaHelper(req.jobId, 'verify', ['verifying'], hint, (s, onProgress) => s.verify({ image: req.image, target: id }, onProgress));
        const image = basename(req.image);
        end(req.jobId, 'verify', report.ok ? 'ok' : 'failed', report.ok ? `${req.target} matches ${image}` : `${report.problems.length} problem(s) on ${req.target}`, (t) =>
          report.ok ? t.t('main.summary.verified', { drive: req.target, image }) : t.t('main.summary.verifyProblems', { drive: req.target, count: report.problems.length }),
        );
        return report;
      } catch (e) {
        endWith(req.jobId, 'verify', e, (t) => t.t('main.summary.verifyCancelled', { drive: req.target }));
        throw e;
      }
    },
    async 'job:cancel'({ jobId }) {
      const job = jobs.get(jobId);
      if (!job) return false;
      job.abort.abort();
      job.session?.cancel();
      return true;
    },
    async 'log:open'() {
      return deps.openLog();
    },
    async 'answers:generate'({ image, preset, password }) {
      checkInspected(tr(), currentImage, image);
      const a = await deps.engine.generateAnswers(image, preset, password);
      // The password never reaches the log: only whether one was given.
      log(`answers: generated for ${basename(image)} (${a.xml.length} characters, ${password === null ? 'no password given' : 'a password given'})`);
      return a;
    },
    async 'preset:save'({ preset }) {
      const saved = await saveChosen('preset', await deps.engine.presetFile(preset));
      if (saved) log('preset: saved');
      return saved;
    },
    async 'preset:load'() {
      const bytes = await openChosen('preset', MAX_PRESET_BYTES);
      if (bytes === null) return null;
      const preset = await deps.engine.readPreset(bytes.toString('utf8'));
      log('preset: loaded');
      return { preset };
    },
    async 'answers:export'({ xml }) {
      const saved = await saveChosen('answers', xml);
      if (saved) log(`answers: exported (${xml.length} characters)`);
      return saved;
    },
    async 'answers:import'() {
      const image = currentImage;
      checkInspected(tr(), image, image);
      const bytes = await openChosen('answers', MAX_ANSWER_XML_BYTES);
      if (bytes === null) return null;
      try {
        const xml = await deps.engine.checkAnswerFile(image ?? '', bytes);
        log(`answers: imported ${bytes.length} bytes for ${basename(image ?? '')}`);
        return { xml };
      } catch (e) {
        log(`answers: import refused: ${logText(e)}`);
        throw e;
      }
    },
  };

  return {
    handlers,
    currentImage: () => currentImage,
    drivesChanged,
    cancelAll() {
      for (const j of jobs.values()) {
        j.abort.abort();
        j.session?.cancel();
      }
    },
    running() {
      return [...jobs.values()].filter((j) => j.kind !== 'checksum').length;
    },
  };
}

/** Validates, runs, and wraps the answer: the one path every IPC call takes after the sender check. */
export async function dispatch<C extends InvokeChannel>(handlers: Handlers, channel: C, payload: unknown): Promise<IpcResult<ResponseOf<C>>> {
  let request: RequestOf<C>;
  try {
    request = validateRequest(channel, payload);
  } catch (e) {
    return { ok: false, error: { code: 'E_BAD_REQUEST', message: e instanceof Error ? e.message : 'bad request' } };
  }
  try {
    const handler = handlers[channel] as (r: RequestOf<C>) => Promise<ResponseOf<C>>;
    return { ok: true, value: await handler(request) };
  } catch (e) {
    return { ok: false, error: toIpcError(e) };
  }
}
