/**
 * CLI output per the contract (README, "Command line"): with --json, JSON Lines on stdout
 * (progress lines, then one result or error object, in English: the JSON is for programs); otherwise
 * a progress bar on a TTY and plain lines elsewhere, in the run's language. Errors map to exit codes
 * by their code.
 */
import { SevenStickError, exitCodeOf, isSevenStickError, type Progress } from '../engine/index.js';
import type { BytePass } from '../shared/job-progress.js';
import { errorText } from '../shared/i18n/phrases.js';
import type { Translator } from '../shared/i18n/translator.js';
import { CliError, englishTranslator, say, type Said } from './i18n.js';
import { JobProgress, ProgressView } from './progress-view.js';

export interface OutputOptions {
  json: boolean;
  /** The run's language (one per run, made in index.ts). */
  tr: Translator;
}

export class Output {
  private job: JobProgress | undefined;
  private view: ProgressView | undefined;
  /** Notes the CLI adds to the error it will report (e.g. what a cancel left on each target). */
  private errorNotes: Said[] = [];

  constructor(readonly opts: OutputOptions) {}

  get tr(): Translator {
    return this.opts.tr;
  }

  line(obj: object): void {
    process.stdout.write(JSON.stringify(obj) + '\n');
  }

  /** A human line (stderr under --json so stdout stays machine-readable). */
  info(text: string): void {
    if (this.opts.json) process.stderr.write(text + '\n');
    else process.stdout.write(text + '\n');
  }

  /** A `warning: …` line. */
  warning(text: string): void {
    this.info(this.tr.t('cli.warning', { message: text }));
  }

  /**
   * The job's byte passes (shared/job-progress.ts), for its overall progress and ETA; `name` is shown
   * for events that name no target; `targets` fixes the order of the lines. Without it the first byte
   * pass seen is the job.
   */
  startJob(passes: readonly BytePass[], name = '', targets: readonly string[] = []): void {
    this.stopBar();
    this.job = new JobProgress(passes);
    this.view = this.opts.json ? undefined : new ProgressView(this.job, this.tr, process.stderr, name, targets);
  }

  /**
   * One event. --json: the event as a JSON line, its `etaSeconds` the whole job's (null while unknown)
   * and `overall` the job's fraction done (0..1). Otherwise the view on stderr.
   */
  progress(p: Progress): void {
    if (!this.job) this.startJob(p.phase === 'hashing' || p.phase === 'writing' || p.phase === 'verifying' ? [p.phase] : []);
    const job = this.job as JobProgress;
    const { fraction, etaSeconds } = job.add(p, performance.now());
    if (this.opts.json) this.line({ ...p, etaSeconds, overall: Math.round(fraction * 10000) / 10000 });
    else this.view?.show(p);
  }

  /** Clears the progress lines (nothing is left behind on a terminal). */
  stopBar(): void {
    this.view?.stop();
  }

  /** Notes to add to the error this command ends with (`notes` in its JSON, `note:` lines otherwise). */
  noteOnError(notes: readonly Said[]): void {
    this.errorNotes.push(...notes);
  }

  error(e: unknown): number {
    this.stopBar();
    const err = isSevenStickError(e) ? e : new SevenStickError('E_IO', e instanceof Error ? e.message : String(e));
    const engineNotes = Array.isArray(err.details.notes) ? err.details.notes.map((n) => String(n)) : [];
    if (this.opts.json) {
      const english = this.errorNotes.map((n) => say(englishTranslator(), n));
      this.line({ type: 'error', code: err.code, message: err.message, ...err.details, ...(english.length ? { notes: [...engineNotes, ...english] } : {}) });
    } else {
      const tr = this.tr;
      // The CLI's own errors in the user's language; the engine's as a headline in it and the English detail.
      const { title, detail } = err instanceof CliError ? { title: say(tr, err.said), detail: '' } : errorText(tr, { code: err.code, message: err.message });
      process.stderr.write(`${tr.t('cli.error', { program: 'sevenstick', message: title })}\n`);
      if (detail) process.stderr.write(`${tr.t('cli.error.detail', { detail })}\n`);
      for (const n of [...engineNotes, ...this.errorNotes.map((s) => say(tr, s))]) process.stderr.write(`${tr.t('cli.note', { note: n })}\n`);
    }
    return exitCodeOf(err);
  }
}

/** Runs a command body and exits with the contract's exit code. */
export async function runCommand(opts: OutputOptions, body: (out: Output) => Promise<number | void>): Promise<never> {
  const out = new Output(opts);
  let code: number;
  try {
    code = (await body(out)) ?? 0;
  } catch (e) {
    code = out.error(e);
  }
  out.stopBar();
  process.exit(code);
}
