/**
 * Progress as one typed union: the CLI's --json lines and the GUI's IPC events are this type.
 */
export type Phase = 'preparing' | 'hashing' | 'writing' | 'flushing' | 'verifying' | 'checking-capacity' | 'done';

export interface Progress {
  type: 'progress';
  phase: Phase;
  /** Bytes done in this phase. */
  bytes: number;
  /** Bytes this phase will do in all. */
  total: number;
  bytesPerSecond: number;
  /** Seconds left in this phase, or null when not yet known. */
  etaSeconds: number | null;
  /** Which target this is about, when a job has several. */
  target?: string;
}

export type ProgressListener = (p: Progress) => void;

/**
 * Turns byte counts into Progress events with a smoothed rate, at most every `intervalMs`
 * (plus always the first and the last one).
 */
export class ProgressMeter {
  private readonly start = performance.now();
  private lastEmit = -Infinity;
  private bytes = 0;

  constructor(
    private readonly phase: Phase,
    private readonly total: number,
    private readonly listener: ProgressListener | undefined,
    private readonly intervalMs = 200,
    private readonly target?: string,
  ) {}

  add(n: number): void {
    this.update(this.bytes + n);
  }

  update(bytes: number, force = false): void {
    this.bytes = bytes;
    if (!this.listener) return;
    const now = performance.now();
    if (!force && bytes < this.total && now - this.lastEmit < this.intervalMs) return;
    this.lastEmit = now;
    const seconds = (now - this.start) / 1000;
    const rate = seconds > 0 ? bytes / seconds : 0;
    const p: Progress = {
      type: 'progress',
      phase: this.phase,
      bytes,
      total: this.total,
      bytesPerSecond: Math.round(rate),
      etaSeconds: rate > 0 ? Math.max(0, Math.round((this.total - bytes) / rate)) : null,
    };
    if (this.target !== undefined) p.target = this.target;
    this.listener(p);
  }

  finish(): void {
    this.update(this.total, true);
  }
}
