/**
 * A job's overall progress: the one figure (0..1) behind the wizard's headline and main's taskbar.
 *
 * Pure (no DOM, no Node): a tally folds the job's Progress events one by one. Only the passes that
 * move bytes (hashing, writing, verifying) carry weight, each by its bytes; the other phases
 * (preparing, checking capacity, flushing, done) have no byte count and only say how far along the
 * order a target is, so they never pull the figure back — flushing means the write pass is complete.
 */
import type { Phase, Progress } from './contract.js';

/** The phases that move bytes, in the order a job runs them. */
export type BytePass = Extract<Phase, 'hashing' | 'writing' | 'verifying'>;

interface TargetTally {
  /** Bytes done in each pass (by index in `JobTally.passes`). */
  readonly done: readonly number[];
  /** Bytes each pass covers, 0 until one of its events has said. */
  readonly size: readonly number[];
}

export interface JobTally {
  /** The byte passes the job makes over every target, in order. */
  readonly passes: readonly BytePass[];
  /** Per target path ('' for events that name none). */
  readonly targets: Readonly<Record<string, TargetTally>>;
  /** A job-wide `done` event came: the job is over. */
  readonly finished: boolean;
}

/** The passes of a write job: the write, and the read-back when it verifies. */
export function writePasses(verify: boolean): BytePass[] {
  return verify ? ['writing', 'verifying'] : ['writing'];
}

export function startTally(passes: readonly BytePass[]): JobTally {
  return { passes, targets: {}, finished: false };
}

/** Every pass up to `last` (inclusive) complete; `last` = passes.length - 1 for a finished target. */
function through(t: TargetTally, last: number): TargetTally {
  return { done: t.done.map((d, i) => (i <= last ? Math.max(d, t.size[i] ?? 0) : d)), size: t.size };
}

/** The tally after one more event (the tally given is left as it was). */
export function tallyProgress(tally: JobTally, p: Progress): JobTally {
  const key = p.target ?? '';
  const n = tally.passes.length;
  if (p.phase === 'done' && key === '') {
    const targets = Object.fromEntries(Object.entries(tally.targets).map(([k, t]) => [k, through(t, n - 1)]));
    return { ...tally, targets, finished: true };
  }
  const empty: TargetTally = { done: new Array<number>(n).fill(0), size: new Array<number>(n).fill(0) };
  const t = tally.targets[key] ?? empty;
  let next: TargetTally;
  const pass = (tally.passes as readonly Phase[]).indexOf(p.phase);
  if (pass >= 0) {
    const size = t.size.map((s, i) => (i === pass && p.total > 0 ? p.total : s));
    next = through({ done: t.done.map((d, i) => (i === pass ? p.bytes : d)), size }, pass - 1);
  } else if (p.phase === 'flushing') next = through(t, tally.passes.indexOf('writing'));
  else if (p.phase === 'done') next = through(t, n - 1);
  else return tally;
  return { ...tally, targets: { ...tally.targets, [key]: next } };
}

/**
 * Bytes done and bytes planned, across every pass of every target (or of the one target `key` names).
 * A pass that has not started yet counts the bytes of the target's largest known pass (a read-back
 * covers what was written).
 */
export function jobBytes(tally: JobTally, key?: string): { done: number; planned: number } {
  let done = 0;
  let planned = 0;
  const list = key === undefined ? Object.values(tally.targets) : [tally.targets[key]].filter((t): t is TargetTally => t !== undefined);
  for (const t of list) {
    const known = Math.max(0, ...t.size);
    t.size.forEach((s, i) => {
      planned += s > 0 ? s : known;
      done += t.done[i] ?? 0;
    });
  }
  return { done, planned };
}

/** Bytes done over bytes planned (jobBytes), 0..1; 1 once the job is finished and nothing was planned. */
export function jobFraction(tally: JobTally, key?: string): number {
  const { done, planned } = jobBytes(tally, key);
  if (planned <= 0) return tally.finished ? 1 : 0;
  return Math.max(0, Math.min(1, done / planned));
}

/**
 * Seconds left for the whole job, from a smoothed rate of the job's bytes (jobBytes): an exponential
 * average over samples at least `minStepMs` apart, so one fast or slow burst (a cached read, a flush)
 * does not swing it, and nothing (null) until `warmupMs` of bytes have been seen — a first sample
 * says nothing about the rate.
 */
export class JobEta {
  private last: { t: number; done: number } | undefined;
  private first: number | undefined;
  private rate = 0;

  constructor(
    private readonly halfLifeMs = 3000,
    private readonly warmupMs = 1500,
    private readonly minStepMs = 250,
  ) {}

  /** One sample at `nowMs`; returns the estimate (null while unknown). */
  update(nowMs: number, done: number, planned: number): number | null {
    if (planned <= 0) return null;
    if (done >= planned) return 0;
    if (done <= 0 && this.first === undefined) return null;
    if (this.first === undefined || !this.last) {
      this.first = nowMs;
      this.last = { t: nowMs, done };
      return null;
    }
    const dt = nowMs - this.last.t;
    if (dt >= this.minStepMs) {
      const inst = ((done - this.last.done) / dt) * 1000;
      const w = 1 - Math.pow(0.5, dt / this.halfLifeMs);
      this.rate = this.rate > 0 ? this.rate + w * (inst - this.rate) : inst;
      this.last = { t: nowMs, done };
    }
    return this.estimate(nowMs, done, planned);
  }

  /** The current estimate without a new sample. */
  estimate(nowMs: number, done: number, planned: number): number | null {
    if (this.first === undefined || nowMs - this.first < this.warmupMs || this.rate <= 0) return done >= planned && planned > 0 ? 0 : null;
    return Math.max(0, Math.round((planned - done) / this.rate));
  }
}
