/**
 * The block pipeline's rules, checked block by block on synthetic streams: aligned, bounded, one
 * contiguous run each, exactly the stream's bytes, boot blocks last; hostile streams are refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BufferPool, runPipeline, SevenStickError, toBlocks, type Block, type DiskChunk, type DiskImageStream, type PipelineOptions, type Sink } from '../../engine/index.js';
import { demoStream, MiB } from './helpers.js';

const streamOf = (size: number, chunks: DiskChunk[]): DiskImageStream => ({
  size,
  bytesToWrite: chunks.reduce((n, c) => n + c.data.length, 0),
  describe: () => 'x',
  async *chunks() {
    yield* chunks;
  },
});

/**
 * runPipeline, failing the test when a sink failed: the pipeline records what a sink throws (an
 * assertion inside process() or flush() too) as that sink's error and drops the sink, so the
 * assertion's own error — the cause the pipeline wrapped — is thrown here. `failing` sinks are
 * expected to fail and are left to the test.
 */
async function runChecked(stream: DiskImageStream, sinks: Sink[], opts: PipelineOptions, failing: Sink[] = []): Promise<void> {
  await runPipeline(stream, sinks, opts);
  for (const s of sinks) if (s.error && !failing.includes(s)) throw s.error.cause ?? s.error;
}

test('blocks are aligned, bounded, exact, with every boot block after every other block, sector 0 last, a flush before each boot stage', async () => {
  const s = demoStream(21);
  const image = s.image();
  const covered = Buffer.alloc(s.size);
  const seen: (Block | 'flush')[] = [];
  class Collect implements Sink {
    name = 'collect';
    async flush(): Promise<void> {
      seen.push('flush');
    }
    async process(b: Block): Promise<void> {
      assert.equal(b.offset % 4096, 0);
      assert.equal(b.length % 4096, 0);
      assert.ok(b.length <= 1 * MiB && b.dataStart < b.dataEnd && b.dataEnd <= b.length);
      assert.ok(b.buf.subarray(b.dataStart, b.dataEnd).equals(image.subarray(b.offset + b.dataStart, b.offset + b.dataEnd)));
      covered.fill(1, b.offset + b.dataStart, b.offset + b.dataEnd);
      seen.push({ ...b, buf: Buffer.alloc(0) });
    }
  }
  await runChecked(s, [new Collect()], { align: 4096, blockSize: 1 * MiB });
  // Exactly the regions' bytes were handed out.
  const want = Buffer.alloc(s.size);
  for (const r of s.regions) want.fill(1, r.offset, r.offset + r.data.length);
  assert.ok(covered.equals(want));
  const firstBoot = seen.findIndex((b) => b === 'flush' || b.boot);
  assert.ok(firstBoot > 0 && seen.slice(firstBoot).every((b) => b === 'flush' || b.boot));
  // The VBR (no stage: with stage 0) and then the MBR (touches sector 0: last), each after a flush.
  assert.deepEqual(
    seen.slice(firstBoot).map((b) => (b === 'flush' ? 'flush' : b.offset + b.dataStart)),
    ['flush', MiB, 'flush', 0],
  );
});

test('hostile streams: bytes past the disk → E_RANGE, going backwards → E_FORMAT, too much boot data → E_LIMIT', async () => {
  const pool = new BufferPool(MiB, 4);
  const drain = async (st: DiskImageStream): Promise<void> => {
    for await (const b of toBlocks(st, pool, 512)) pool.release(b.buf);
  };
  await assert.rejects(drain(streamOf(MiB, [{ offset: MiB - 100, data: Buffer.alloc(200) }])), (e: unknown) => e instanceof SevenStickError && e.code === 'E_RANGE');
  await assert.rejects(drain(streamOf(MiB, [{ offset: -512, data: Buffer.alloc(512) }])), (e: unknown) => e instanceof SevenStickError && e.code === 'E_RANGE');
  await assert.rejects(
    drain(
      streamOf(4 * MiB, [
        { offset: 2 * MiB, data: Buffer.alloc(512) },
        { offset: MiB, data: Buffer.alloc(512) },
      ]),
    ),
    (e: unknown) => e instanceof SevenStickError && e.code === 'E_FORMAT',
  );
  const big = Array.from({ length: 65 }, (_, i) => ({ offset: MiB + i * MiB, data: Buffer.alloc(MiB), boot: true }));
  await assert.rejects(drain(streamOf(80 * MiB, big)), (e: unknown) => e instanceof SevenStickError && e.code === 'E_LIMIT');
});

test('a failing sink is dropped, the others get every block', async () => {
  const s = demoStream(22);
  let good = 0;
  const ok: Sink = { name: 'ok', process: async (b) => void (good += b.dataEnd - b.dataStart) };
  let calls = 0;
  const bad: Sink = {
    name: 'bad',
    process: async () => {
      if (++calls === 3) throw new Error('boom');
    },
  };
  await runChecked(s, [bad, ok], { align: 512 }, [bad]);
  assert.equal(good, s.bytesToWrite);
  assert.equal(calls, 3);
  assert.match(bad.error?.message ?? '', /bad: boom/);
});
