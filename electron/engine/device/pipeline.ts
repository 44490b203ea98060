/**
 * From a disk image stream to large aligned device I/O, for several targets at once:
 *
 *   stream chunks ──► blocks (aligned, ≤ blockSize, one contiguous run each; boot chunks held back to
 *   the end, in their stages) ──► read-ahead queue ──► every target's sink (write, or read back and compare)
 *
 * Ordered durability: before the first block of each boot stage every earlier block is finished and
 * every sink flushes (a write sink: fdatasync), so the data is on the device before the boot sectors
 * that point to it, and the MBR (the last stage) only after the partition's boot sectors.
 *
 * The stream is generated once per pass and every block is handed to every target. A block that does not
 * start or end on a sector boundary carries `dataStart`/`dataEnd`: the bytes around it are the device's
 * own (read, merged, written back), never zeros the stream did not ask for.
 */
import { SevenStickError } from '../io/errors.js';
import type { DiskChunk, DiskImageStream } from '../io/disk-stream.js';
import { BUFFER_ALIGNMENT, ioBuffers } from '../io/buffers.js';

export interface Block {
  /** Device offset of buf[0]; a multiple of the alignment. */
  offset: number;
  buf: Buffer;
  /** Bytes of buf to write/read; a multiple of the alignment. */
  length: number;
  /** Stream bytes are buf[dataStart, dataEnd); the rest is padding to sector boundaries. */
  dataStart: number;
  dataEnd: number;
  boot: boolean;
  /** Boot blocks: their stage (see DiskChunk.stage); -1 for data. */
  stage: number;
}

export const DEFAULT_BLOCK_SIZE = 2 * 1024 * 1024;
/** Boot chunks are small (MBR, VBR, reserved sectors); more than this held back is a stream bug. */
export const MAX_DEFERRED_BOOT_BYTES = 64 * 1024 * 1024;

const cancelled = (): SevenStickError => new SevenStickError('E_CANCELLED', 'Cancelled');

/**
 * A fixed set of buffers taken from `ioBuffers`: the producer waits for one to come back before filling
 * it. close() gives them all back to `ioBuffers` once nothing uses them any more.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];
  private readonly all: Buffer[] = [];
  private readonly waiters: ((b: Buffer) => void)[] = [];
  constructor(
    readonly size: number,
    readonly count: number,
  ) {
    for (let i = 0; i < count; i++) this.all.push(ioBuffers.take(size));
    this.free.push(...this.all);
  }
  close(): void {
    for (const b of this.all) ioBuffers.give(b);
    this.all.length = 0;
    this.free.length = 0;
  }
  acquire(): Promise<Buffer> {
    const b = this.free.pop();
    if (b) return Promise.resolve(b);
    return new Promise((r) => this.waiters.push(r));
  }
  release(b: Buffer): void {
    const w = this.waiters.shift();
    if (w) w(b);
    else this.free.push(b);
  }
}

/** A boot chunk's stage: its own, else 0 — or after every staged chunk when it touches sector 0. */
const LAST_STAGE = Number.MAX_SAFE_INTEGER;
function stageOf(c: DiskChunk): number {
  if (c.stage !== undefined) return c.stage;
  return c.offset < 512 ? LAST_STAGE : 0;
}

/** Chunks in ascending order with every boot chunk (and anything touching sector 0) moved to the end, by stage. */
async function* bootLast(stream: DiskImageStream, signal?: AbortSignal): AsyncGenerator<DiskChunk> {
  const deferred: DiskChunk[] = [];
  let held = 0;
  let last = -1;
  // Chunk buffers may be recycled by the stream: each is copied (into a block, or here for the held-back
  // boot chunks) before the next one is asked for.
  for await (const c of stream.chunks(signal, { reuseBuffers: true })) {
    if (signal?.aborted) throw cancelled();
    if (!Number.isSafeInteger(c.offset) || c.offset < 0 || c.offset + c.data.length > stream.size) {
      throw new SevenStickError('E_RANGE', `The image stream produced bytes outside the disk (${c.offset}+${c.data.length} of ${stream.size})`, { offset: c.offset });
    }
    if (c.data.length === 0) continue;
    if (c.boot || c.offset < 512) {
      held += c.data.length;
      if (held > MAX_DEFERRED_BOOT_BYTES) throw new SevenStickError('E_LIMIT', 'The image stream marks too many bytes as boot-critical', { offset: c.offset });
      deferred.push({ offset: c.offset, data: Buffer.from(c.data), boot: true, stage: stageOf(c) });
      continue;
    }
    if (c.offset < last) throw new SevenStickError('E_FORMAT', `The image stream went backwards at byte ${c.offset}`, { offset: c.offset });
    last = c.offset + c.data.length;
    yield c;
  }
  deferred.sort((a, b) => (a.stage as number) - (b.stage as number) || a.offset - b.offset);
  for (const c of deferred) yield { ...c, boot: true };
}

/**
 * Coalesces a stream into aligned blocks. Each block is one contiguous run of stream bytes (gaps
 * between chunks start a new block), at most `pool.size` bytes, starting at a multiple of `align`.
 */
export async function* toBlocks(stream: DiskImageStream, pool: BufferPool, align: number, signal?: AbortSignal): AsyncGenerator<Block> {
  if (align <= 0 || pool.size % align !== 0 || BUFFER_ALIGNMENT % Math.min(align, BUFFER_ALIGNMENT) !== 0) {
    throw new SevenStickError('E_ARGS', `Bad alignment ${align} for blocks of ${pool.size}`);
  }
  let cur: Block | undefined;
  const finish = (b: Block): Block => {
    b.length = Math.ceil(b.dataEnd / align) * align;
    return b;
  };
  for await (const c of bootLast(stream, signal)) {
    const boot = c.boot === true;
    const stage = boot ? (c.stage as number) : -1;
    let pos = c.offset;
    let src = 0;
    while (src < c.data.length) {
      if (signal?.aborted) throw cancelled();
      // Continue the current block only for the very next byte of the same kind (data, or the same boot stage).
      if (cur && (cur.offset + cur.dataEnd !== pos || cur.stage !== stage || cur.dataEnd === pool.size)) {
        yield finish(cur);
        cur = undefined;
      }
      if (!cur) {
        const start = Math.floor(pos / align) * align;
        cur = { offset: start, buf: await pool.acquire(), length: 0, dataStart: pos - start, dataEnd: pos - start, boot, stage };
      }
      const n = Math.min(c.data.length - src, pool.size - cur.dataEnd);
      c.data.copy(cur.buf, cur.dataEnd, src, src + n);
      cur.dataEnd += n;
      src += n;
      pos += n;
    }
  }
  if (cur) yield finish(cur);
}

/** Runs `src` up to `depth` items ahead of the consumer (read-ahead). */
export async function* readAhead<T>(src: AsyncIterable<T>, depth: number): AsyncGenerator<T> {
  const it = src[Symbol.asyncIterator]();
  const pending: Promise<IteratorResult<T>>[] = [];
  const pull = (): void => {
    const p = it.next();
    p.catch(() => undefined); // awaited below; keep Node from calling it unhandled meanwhile
    pending.push(p);
  };
  try {
    for (let i = 0; i < depth; i++) pull();
    for (;;) {
      const r = await (pending.shift() as Promise<IteratorResult<T>>);
      if (r.done) return;
      pull();
      yield r.value;
    }
  } finally {
    await it.return?.().catch(() => undefined);
  }
}

/** What one target does with each block. */
export interface Sink {
  readonly name: string;
  /** Set when the sink failed; it gets no more blocks. */
  error?: SevenStickError;
  process(block: Block): Promise<void>;
  /** Before each boot stage: make everything processed so far durable (a write sink: fdatasync). */
  flush?(): Promise<void>;
  /** After the last block (flush, close). */
  finish?(): Promise<void>;
}

export interface PipelineOptions {
  blockSize?: number;
  /** Buffers between the stream and the slowest target (read-ahead + blocks in flight). */
  buffers?: number;
  /** Blocks each target works on at once (device queue depth; 2 keeps the device busy while comparing). */
  inflight?: number;
  /** Offsets and lengths of blocks are multiples of this (the largest sector size of all targets). */
  align: number;
  signal?: AbortSignal;
  /** Buffers to use (shared by a job's write and verify passes); blockSize and buffers then come from it. */
  pool?: BufferPool;
}

const asSevenStick = (s: Sink, e: unknown): SevenStickError =>
  e instanceof SevenStickError ? e : new SevenStickError('E_IO', `${s.name}: ${(e as Error).message}`, { path: s.name }, { cause: e });

/**
 * Feeds one pass of the stream to every sink, up to `inflight` blocks at a time. Blocks that need the
 * device's own bytes around them (unaligned edges) and boot blocks are barriers: everything before them
 * is finished first (boot blocks one at a time, in order), so read-modify-write sees earlier writes and
 * boot sectors really go last. Before the first block of each boot stage every sink flushes.
 * A sink that throws is marked failed and dropped; the others go on. Cancellation and stream errors stop
 * everything (thrown).
 */
export async function runPipeline(stream: DiskImageStream, sinks: Sink[], opts: PipelineOptions): Promise<void> {
  const inflight = Math.max(1, opts.inflight ?? 3);
  const pool = opts.pool ?? new BufferPool(opts.blockSize ?? DEFAULT_BLOCK_SIZE, Math.max(opts.buffers ?? 5, inflight + 2));
  const buffers = pool.count;
  if (buffers < inflight + 2) throw new SevenStickError('E_ARGS', `A pool of ${buffers} buffers is too small for ${inflight} blocks in flight`);
  const { signal } = opts;
  const live = (): Sink[] => sinks.filter((s) => !s.error);
  const running: Promise<void>[] = [];
  const drain = async (): Promise<void> => {
    while (running.length) await running.shift();
  };
  /** Runs one step on every live sink at once; a sink whose step throws is marked failed (and dropped). */
  const eachLive = async (step: (s: Sink) => Promise<void> | undefined): Promise<void> => {
    await Promise.all(
      live().map(async (s) => {
        try {
          await step(s);
        } catch (e) {
          s.error = asSevenStick(s, e);
        }
      }),
    );
  };
  const processBlock = async (block: Block): Promise<void> => {
    try {
      await eachLive((s) => s.process(block));
    } finally {
      pool.release(block.buf);
    }
  };
  /** Before a block goes out: true (and its buffer back) when no sink is left; cancellation throws. */
  const mustStop = (block: Block): boolean => {
    if (!signal?.aborted && live().length > 0) return false;
    pool.release(block.buf);
    if (signal?.aborted) throw cancelled();
    return true;
  };
  let stage = -1;
  try {
    for await (const block of readAhead(toBlocks(stream, pool, opts.align, signal), buffers - inflight)) {
      if (mustStop(block)) break;
      const unaligned = block.dataStart % opts.align !== 0 || block.dataEnd % opts.align !== 0;
      const barrier = unaligned || block.boot;
      if (barrier) await drain();
      if (block.boot && block.stage !== stage) {
        // A new boot stage: what came before is flushed to the device first.
        stage = block.stage;
        await eachLive((s) => s.flush?.());
        if (mustStop(block)) break;
      }
      running.push(processBlock(block));
      if (barrier || running.length >= inflight) await running.shift();
      if (signal?.aborted) throw cancelled();
    }
  } finally {
    await drain();
    if (!opts.pool) pool.close();
  }
  await eachLive((s) => s.finish?.());
}
