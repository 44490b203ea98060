/**
 * CLI output per the contract (README, "Command line"): with --json, JSON Lines on stdout
 * (progress lines, then one result or error object); otherwise a progress bar on a TTY
 * and plain lines elsewhere. Errors map to exit codes by their code.
 */
import { SevenStickError, exitCodeOf, isSevenStickError, type Progress } from '../engine/index.js';
import type { BytePass } from '../shared/job-progress.js';
import { JobProgress, ProgressView } from './progress-view.js';

export interface OutputOptions {
  json: boolean;
}

export class Output {
  private job: JobProgress | undefined;
  private view: ProgressView | undefined;

  constructor(readonly opts: OutputOptions) {}

  line(obj: object): void {
    process.stdout.write(JSON.stringify(obj) + '\n');
  }

  /** A human line (stderr under --json so stdout stays machine-readable). */
  info(text: string): void {
    if (this.opts.json) process.stderr.write(text + '\n');
    else process.stdout.write(text + '\n');
  }

  /**
   * The job's byte passes (shared/job-progress.ts), for its overall progress and ETA; `name` is shown
   * for events that name no target; `targets` fixes the order of the lines. Without it the first byte
   * pass seen is the job.
   */
  startJob(passes: readonly BytePass[], name = '', targets: readonly string[] = []): void {
    this.stopBar();
    this.job = new JobProgress(passes);
    this.view = this.opts.json ? undefined : new ProgressView(this.job, process.stderr, name, targets);
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

  error(e: unknown): number {
    this.stopBar();
    const err = isSevenStickError(e) ? e : new SevenStickError('E_IO', e instanceof Error ? e.message : String(e));
    if (this.opts.json) this.line({ type: 'error', code: err.code, message: err.message, ...err.details });
    else {
      process.stderr.write(`sevenstick: ${err.message}\n`);
      const notes = err.details.notes;
      if (Array.isArray(notes)) for (const n of notes) process.stderr.write(`  note: ${String(n)}\n`);
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
