/**
 * The CLI's progress (issue #14), one model with the app's: the job's overall progress across its
 * phases from shared/job-progress.ts (byte passes weighted by bytes), the ETA of the whole job from a
 * smoothed rate (JobEta), phases without a byte count shown as status text. On a TTY one line per
 * target, redrawn in place (cli-progress MultiBar) and cleared at the end, each line fitting the
 * terminal; plain lines otherwise.
 */
import { MultiBar, type SingleBar } from 'cli-progress';
import type { Progress } from '../engine/index.js';
import { formatBytes, formatSpeed } from '../shared/format.js';
import { JobEta, jobBytes, jobFraction, startTally, tallyProgress, type BytePass, type JobTally } from '../shared/job-progress.js';
import { formatEta } from '../shared/wizard.js';

const STATUS: Record<Progress['phase'], string> = {
  preparing: 'preparing',
  hashing: 'hashing',
  writing: 'writing',
  flushing: 'flushing',
  verifying: 'verifying',
  'checking-capacity': 'capacity',
  done: 'done',
};

interface Line {
  key: string;
  status: string;
  speed: number;
  bar?: SingleBar;
}

/** `…/long/path` cut from the left to `n` characters. */
function fit(name: string, n: number): string {
  return name.length <= n ? name.padEnd(n) : `…${name.slice(name.length - n + 1)}`;
}

/** The job's progress state, fed Progress events; renders lines of at most `width` columns. */
export class JobProgress {
  private tally: JobTally;
  private readonly estimator = new JobEta();
  private eta: number | null = null;

  constructor(passes: readonly BytePass[]) {
    this.tally = startTally(passes);
  }

  /** Folds one event in; returns the whole job's fraction and ETA at this moment. */
  add(p: Progress, nowMs: number): { fraction: number; etaSeconds: number | null } {
    this.tally = tallyProgress(this.tally, p);
    const { done, planned } = jobBytes(this.tally);
    this.eta = p.phase === 'done' && p.target === undefined ? 0 : this.estimator.update(nowMs, done, planned);
    return { fraction: jobFraction(this.tally), etaSeconds: this.eta };
  }

  fraction(key?: string): number {
    return jobFraction(this.tally, key);
  }

  bytes(key?: string): { done: number; planned: number } {
    return jobBytes(this.tally, key);
  }

  /** Seconds left for the whole job (null while unknown). */
  etaSeconds(): number | null {
    return this.eta;
  }
}

/** Renders a JobProgress to stderr: a MultiBar on a TTY, plain lines elsewhere. */
export class ProgressView {
  private readonly lines = new Map<string, Line>();
  private multi: MultiBar | undefined;
  private lastPlain = 0;
  private lastGlobal: Progress['phase'] | undefined;
  private nameWidth = 10;

  constructor(
    private readonly job: JobProgress,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    /** The name shown for events that name no target (e.g. the image being hashed). */
    private readonly defaultName = '',
    targets: readonly string[] = [],
  ) {
    for (const t of targets) this.line(t);
  }

  private get tty(): boolean {
    return this.stream.isTTY === true;
  }

  private width(): number {
    return Math.max(40, (this.stream.columns || 80) - 1);
  }

  /** One target's line: name [bar] pct status speed ETA, exactly `width` columns or less. */
  private render(l: Line): string {
    const pct = `${Math.floor(this.job.fraction(l.key || undefined) * 100)}%`.padStart(4);
    const speed = (l.speed > 0 && (l.status === 'writing' || l.status === 'verifying' || l.status === 'hashing') ? formatSpeed(l.speed) : '').padStart(11);
    const eta = `ETA ${formatEta(this.job.etaSeconds())}`.padEnd(10);
    const tail = ` ${pct} ${l.status.padEnd(9)} ${speed} ${eta}`;
    const name = fit(l.key || this.defaultName, this.nameWidth);
    const barSize = Math.max(5, Math.min(30, this.width() - name.length - tail.length - 3));
    const filled = Math.round(this.job.fraction(l.key || undefined) * barSize);
    return `${name} [${'█'.repeat(filled)}${'░'.repeat(barSize - filled)}]${tail}`.slice(0, this.width());
  }

  private line(key: string): Line {
    let l = this.lines.get(key);
    if (!l) {
      l = { key, status: 'preparing', speed: 0 };
      this.lines.set(key, l);
      this.nameWidth = Math.min(24, Math.max(10, ...[...this.lines.keys()].map((k) => (k || this.defaultName).length)));
    }
    return l;
  }

  /** Shows one event (already folded into the JobProgress). */
  show(p: Progress): void {
    // An event about no target is about all of them (preparing, done); it gets a line of its own only
    // where the job has a name for it (inspect's hashing).
    const keyed = p.target !== undefined || this.defaultName !== '';
    const affected = keyed ? [this.line(p.target ?? '')] : [...this.lines.values()];
    if (!keyed && affected.length === 0 && !this.tty && p.phase !== 'done' && p.phase !== this.lastGlobal) this.stream.write(`${STATUS[p.phase]}…\n`);
    if (!keyed) this.lastGlobal = p.phase;
    for (const l of affected) {
      const changed = l.status !== STATUS[p.phase];
      l.status = STATUS[p.phase];
      if (p.total > 0) l.speed = p.bytesPerSecond;
      if (!this.tty) this.plain(l, p, changed);
    }
    if (this.tty) this.draw();
  }

  private plain(l: Line, p: Progress, changed: boolean): void {
    if (p.phase === 'done') return;
    const name = l.key || this.defaultName;
    const now = Date.now();
    if (p.total === 0) {
      if (changed) this.stream.write(`${name ? name + ': ' : ''}${l.status}…\n`);
      return;
    }
    if (!changed && p.bytes < p.total && now - this.lastPlain < 2000) return;
    this.lastPlain = now;
    const { done, planned } = this.job.bytes(l.key || undefined);
    this.stream.write(
      `${name ? name + ': ' : ''}${l.status} ${Math.floor(this.job.fraction(l.key || undefined) * 100)}% of the job (${formatBytes(done)} of ${formatBytes(planned)}, ${formatSpeed(p.bytesPerSecond)}, ETA ${formatEta(this.job.etaSeconds())})\n`,
    );
  }

  private draw(): void {
    if (!this.multi) {
      // A phase without bytes before anything moved (preparing) is not worth a bar yet.
      if ([...this.lines.values()].every((l) => l.status === 'preparing')) return;
      this.multi = new MultiBar({
        stream: this.stream,
        hideCursor: true,
        clearOnComplete: true,
        linewrap: false,
        autopadding: false,
        fps: 10,
        format: (_o: unknown, _p: unknown, payload: { text?: string }) => payload.text ?? '',
      });
    }
    for (const l of this.lines.values()) {
      const text = this.render(l);
      if (!l.bar) l.bar = this.multi.create(1, 0, { text });
      else l.bar.update(0, { text });
    }
  }

  /** Removes the bars (nothing left behind on the terminal). */
  stop(): void {
    this.multi?.stop();
    this.multi = undefined;
    for (const l of this.lines.values()) delete l.bar;
  }
}
