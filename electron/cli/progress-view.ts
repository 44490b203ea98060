/**
 * The CLI's progress (issue #14), one model with the app's: the job's overall progress across its
 * phases from shared/job-progress.ts (byte passes weighted by bytes), the ETA of the whole job from a
 * smoothed rate (JobEta), phases without a byte count shown as status text. On a TTY one line per
 * target, redrawn in place (cli-progress MultiBar) and cleared at the end, each line fitting the
 * terminal; plain lines otherwise. Phase names, percentages, sizes, speeds and times in the run's
 * language (issue #15).
 */
import { MultiBar, type SingleBar } from 'cli-progress';
import type { Progress } from '../engine/index.js';
import { JobEta, jobBytes, jobFraction, startTally, tallyProgress, type BytePass, type JobTally } from '../shared/job-progress.js';
import { phaseText } from '../shared/i18n/phrases.js';
import type { Translator } from '../shared/i18n/translator.js';
import { cols, padEndCols, padStartCols, cutEndCols, cutStartCols } from './columns.js';

interface Line {
  key: string;
  phase: Progress['phase'];
  speed: number;
  bar?: SingleBar;
}

/** `…/long/path` cut from the left to `n` columns. */
function fit(name: string, n: number): string {
  return padEndCols(cutStartCols(name, n), n);
}

/** Text cut at the end to `n` columns. */
function cut(text: string, n: number): string {
  return padEndCols(cutEndCols(text, n), n);
}

/** The phases whose bytes move (a speed is worth showing). */
const MOVING: ReadonlySet<Progress['phase']> = new Set(['writing', 'verifying', 'hashing']);

/** Name columns: at least this wide (a cut name keeps its last characters), at most 24. */
const NAME_MIN = 12;

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
    private readonly tr: Translator,
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

  /** The job's time left: "ETA 1 min, 5 sec" (a dash while unknown). */
  private eta(): string {
    const s = this.job.etaSeconds();
    return this.tr.t('cli.progress.eta', { time: s === null || !Number.isFinite(s) ? '—' : this.tr.duration(s) });
  }

  /**
   * One target's line: name [bar] pct phase speed ETA, at most `width` columns. The percentage, speed
   * and ETA are never cut; when room is short the bar shrinks first, then the name, then the phase.
   */
  private render(l: Line): string {
    const tr = this.tr;
    const fraction = this.job.fraction(l.key || undefined);
    const pct = padStartCols(tr.percent(fraction), cols(tr.percent(1)));
    const speed = padStartCols(l.speed > 0 && MOVING.has(l.phase) ? tr.speed(l.speed) : '', cols(tr.speed(9999.9 * 1024 ** 2)));
    const eta = padEndCols(this.eta(), cols(tr.t('cli.progress.eta', { time: tr.duration(3599) })));
    const statusWidth = Math.max(...[...this.lines.values()].map((x) => cols(phaseText(tr, x.phase))));
    // name + " [" + bar + "] " + pct + " " + status + " " + speed + " " + eta
    const room = this.width() - 3 - cols(pct) - 1 - 1 - cols(speed) - 1 - cols(eta) - 1;
    const barMin = 5;
    let nameW = this.nameWidth;
    let statusW = statusWidth;
    if (nameW + statusW + barMin > room) nameW = Math.max(Math.min(NAME_MIN, nameW), room - statusW - barMin);
    if (nameW + statusW + barMin > room) statusW = Math.max(1, room - nameW - barMin);
    const barSize = Math.max(barMin, Math.min(30, room - nameW - statusW));
    const name = fit(l.key || this.defaultName, nameW);
    const filled = Math.round(fraction * barSize);
    return `${name} [${'█'.repeat(filled)}${'░'.repeat(barSize - filled)}] ${pct} ${cut(phaseText(tr, l.phase), statusW)} ${speed} ${eta}`.trimEnd().slice(0, this.width());
  }

  private line(key: string): Line {
    let l = this.lines.get(key);
    if (!l) {
      l = { key, phase: 'preparing', speed: 0 };
      this.lines.set(key, l);
      this.nameWidth = Math.min(24, Math.max(10, ...[...this.lines.keys()].map((k) => cols(k || this.defaultName))));
    }
    return l;
  }

  /** `target: text`, or the text alone for the job as a whole. */
  private named(name: string, text: string): string {
    return name ? this.tr.t('cli.progress.target', { target: name, text }) : text;
  }

  /** Shows one event (already folded into the JobProgress). */
  show(p: Progress): void {
    // An event about no target is about all of them (preparing, done); it gets a line of its own only
    // where the job has a name for it (inspect's hashing).
    const keyed = p.target !== undefined || this.defaultName !== '';
    const affected = keyed ? [this.line(p.target ?? '')] : [...this.lines.values()];
    if (!keyed && affected.length === 0 && !this.tty && p.phase !== 'done' && p.phase !== this.lastGlobal) {
      this.stream.write(`${this.tr.t('cli.progress.phase', { phase: phaseText(this.tr, p.phase) })}\n`);
    }
    if (!keyed) this.lastGlobal = p.phase;
    for (const l of affected) {
      const changed = l.phase !== p.phase;
      l.phase = p.phase;
      if (p.total > 0) l.speed = p.bytesPerSecond;
      if (!this.tty) this.plain(l, p, changed);
    }
    if (this.tty) this.draw();
  }

  private plain(l: Line, p: Progress, changed: boolean): void {
    if (p.phase === 'done') return;
    const tr = this.tr;
    const name = l.key || this.defaultName;
    const now = Date.now();
    const phase = phaseText(tr, l.phase);
    if (p.total === 0) {
      if (changed) this.stream.write(`${this.named(name, tr.t('cli.progress.phase', { phase }))}\n`);
      return;
    }
    if (!changed && p.bytes < p.total && now - this.lastPlain < 2000) return;
    this.lastPlain = now;
    const { done, planned } = this.job.bytes(l.key || undefined);
    const text = tr.t('cli.progress.plain', {
      phase,
      percent: tr.percent(this.job.fraction(l.key || undefined)),
      done: tr.bytes(done),
      planned: tr.bytes(planned),
      speed: tr.speed(p.bytesPerSecond),
      eta: this.eta(),
    });
    this.stream.write(`${this.named(name, text)}\n`);
  }

  private draw(): void {
    if (!this.multi) {
      // A phase without bytes before anything moved (preparing) is not worth a bar yet.
      if ([...this.lines.values()].every((l) => l.phase === 'preparing')) return;
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
