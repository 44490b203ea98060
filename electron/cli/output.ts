/**
 * CLI output per the contract (README, "Command line"): with --json, JSON Lines on stdout
 * (progress lines, then one result or error object); otherwise a progress bar on a TTY
 * and plain lines elsewhere. Errors map to exit codes by their code.
 */
import { SingleBar, Presets } from 'cli-progress';
import { SevenStickError, exitCodeOf, isSevenStickError, type Progress } from '../engine/index.js';
import { formatSpeed } from '../shared/format.js';

export interface OutputOptions {
  json: boolean;
}

export class Output {
  private bar: SingleBar | undefined;
  private barPhase: string | undefined;
  private lastPlain = 0;

  constructor(readonly opts: OutputOptions) {}

  line(obj: object): void {
    process.stdout.write(JSON.stringify(obj) + '\n');
  }

  /** A human line (stderr under --json so stdout stays machine-readable). */
  info(text: string): void {
    if (this.opts.json) process.stderr.write(text + '\n');
    else process.stdout.write(text + '\n');
  }

  progress(p: Progress): void {
    if (this.opts.json) {
      this.line(p);
      return;
    }
    const label = `${p.target ? p.target + ' ' : ''}${p.phase}`;
    if (process.stderr.isTTY) {
      if (!this.bar || this.barPhase !== label) {
        this.bar?.stop();
        this.bar = new SingleBar(
          { format: `${label.padEnd(12)} [{bar}] {percentage}% | {speed} | ETA {eta_formatted}`, hideCursor: true, stream: process.stderr },
          Presets.shades_classic,
        );
        this.barPhase = label;
        this.bar.start(Math.max(p.total, 1), 0, { speed: '' });
      }
      this.bar.update(p.bytes, { speed: formatSpeed(p.bytesPerSecond) });
      if (p.bytes >= p.total) {
        this.bar.stop();
        this.bar = undefined;
      }
      return;
    }
    if (p.total === 0) {
      // A phase without a byte count (preparing, done): its name is the news.
      if (p.phase !== 'done') process.stderr.write(`${label}…\n`);
      return;
    }
    const now = Date.now();
    if (p.bytes >= p.total || now - this.lastPlain >= 2000) {
      this.lastPlain = now;
      const pct = p.total > 0 ? Math.floor((p.bytes / p.total) * 100) : 100;
      process.stderr.write(`${label}: ${pct}% (${p.bytes}/${p.total} bytes, ${formatSpeed(p.bytesPerSecond)})\n`);
    }
  }

  stopBar(): void {
    this.bar?.stop();
    this.bar = undefined;
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
