/**
 * A job's overall progress (shared/job-progress.ts), the one figure behind the wizard's headline and
 * main's taskbar: byte passes weighted by their bytes, phases without bytes never pulling it back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Progress } from '../../shared/contract.js';
import { JobEta, jobBytes, jobFraction, startTally, tallyProgress, writePasses, type BytePass } from '../../shared/job-progress.js';

const ev = (phase: Progress['phase'], bytes: number, total: number, target?: string): Progress => ({
  type: 'progress',
  phase,
  bytes,
  total,
  bytesPerSecond: 0,
  etaSeconds: null,
  ...(target === undefined ? {} : { target }),
});
/** The figure after each event, in order. */
const figures = (passes: readonly BytePass[], events: Progress[]): number[] => {
  let t = startTally(passes);
  return events.map((p) => jobFraction((t = tallyProgress(t, p))));
};

test('a write with read-back: the flushing event (0/0 bytes) after 50 % keeps 50 %, and the figure never goes back', () => {
  const f = figures(writePasses(true), [
    ev('preparing', 0, 0),
    ev('writing', 0, 1000, '/dev/sdb'),
    ev('writing', 1000, 1000, '/dev/sdb'),
    ev('flushing', 0, 0, '/dev/sdb'),
    ev('verifying', 0, 1000, '/dev/sdb'),
    ev('verifying', 500, 1000, '/dev/sdb'),
    ev('verifying', 1000, 1000, '/dev/sdb'),
    ev('done', 0, 0),
  ]);
  assert.deepEqual(f, [0, 0, 0.5, 0.5, 0.5, 0.75, 1, 1]);
  for (let i = 1; i < f.length; i++) assert.ok((f[i] as number) >= (f[i - 1] as number), `never back: ${f.join(' → ')}`);
});

test('write and read-back count by their bytes', () => {
  // A read-back that covers a quarter of what was written weighs a quarter as much.
  const f = figures(writePasses(true), [ev('writing', 600, 1200, 't'), ev('writing', 1200, 1200, 't'), ev('verifying', 150, 300, 't')]);
  assert.deepEqual(f, [0.25, 0.5, (1200 + 150) / 1500]);
});

test('several targets: bytes over all of them; one target flushing keeps its share', () => {
  const f = figures(writePasses(true), [ev('writing', 100, 100, 'a'), ev('writing', 50, 100, 'b'), ev('flushing', 0, 0, 'a'), ev('flushing', 0, 0, 'b')]);
  assert.deepEqual(f, [0.5, 0.375, 0.375, 0.5]);
});

test('no read-back: flushing means the write, so the job, is through; a verify job is its read-back only', () => {
  assert.deepEqual(figures(writePasses(false), [ev('writing', 40, 100, 'a'), ev('flushing', 0, 0, 'a')]), [0.4, 1]);
  assert.deepEqual(figures(['verifying'], [ev('verifying', 25, 100, 'a'), ev('done', 0, 0)]), [0.25, 1]);
  assert.deepEqual(figures(['hashing'], [ev('hashing', 1, 4)]), [0.25]);
});

test('phases without a byte pass (preparing, checking capacity) leave the figure where it was; the tally given is not changed', () => {
  const t0 = startTally(writePasses(true));
  const t1 = tallyProgress(t0, ev('checking-capacity', 5, 10, 'a'));
  assert.equal(t1, t0);
  const t2 = tallyProgress(t0, ev('writing', 5, 10, 'a'));
  assert.deepEqual(t0.targets, {});
  assert.equal(jobFraction(t2), 0.25);
  assert.equal(jobFraction(startTally(writePasses(true))), 0);
});

test('JobEta: the whole job’s time left (write + verify), nothing from the first sample, steady under a burst', () => {
  // 100 MiB written at 10 MiB/s, then read back at 10 MiB/s: 20 s in all.
  const MB = 1024 * 1024;
  let tally = startTally(writePasses(true));
  const eta = new JobEta();
  const at = (ms: number, p: Progress): number | null => {
    tally = tallyProgress(tally, p);
    const { done, planned } = jobBytes(tally);
    return eta.update(ms, done, planned);
  };
  assert.equal(at(0, ev('writing', 0, 100 * MB, 'a')), null);
  assert.equal(at(200, ev('writing', 2 * MB, 100 * MB, 'a')), null, 'a first sample says nothing');
  let last: number | null = null;
  for (let t = 400; t <= 5000; t += 200) last = at(t, ev('writing', (t / 100) * MB, 100 * MB, 'a'));
  // At 5 s half of the write is done: 5 s of writing and 10 s of verifying are left.
  assert.ok(last !== null && Math.abs(last - 15) <= 1, `ETA at 5 s: ${last}`);
  // A burst (a cached 20 MiB in 200 ms) moves it a little, not to near zero.
  const burst = at(5200, ev('writing', 72 * MB, 100 * MB, 'a'));
  assert.ok(burst !== null && burst > 8, `ETA after a burst: ${burst}`);
  assert.equal(jobFraction(tally, 'a'), jobFraction(tally));
});
