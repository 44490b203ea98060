/**
 * The stream scheduler: a stream is a list of pieces (offset, length, how to make the bytes), produced
 * in order with READ_AHEAD pieces of read-ahead, boot pieces last; chunk buffers can be recycled
 * (ChunkOptions.reuseBuffers) from one pass to the next. Used by the FAT32 stick stream (stream.ts)
 * and the raw image stream (job/raw-stream.ts).
 */
import { ioBuffers } from '../io/buffers.js';
import { SevenStickError } from '../io/errors.js';
import type { ChunkOptions, DiskChunk } from '../io/disk-stream.js';
import type { ByteReader, ClosableReader } from '../io/reader.js';
import { MiB } from './geometry.js';
import type { PlannedNode } from './plan.js';

/** Largest chunk; data chunks end on absolute multiples of this (aligned writes). */
export const CHUNK_SIZE = 4 * MiB;

/** A chunk to be produced on demand. */
export interface Piece {
  offset: number;
  length: number;
  boot?: boolean;
  stage?: number;
  /** `index`: the piece's position in this run of the stream (picks its recycled buffer). */
  make(ctx: StreamContext, index: number): Promise<Buffer> | Buffer;
}

export interface StreamContext {
  readers: Map<PlannedNode, ByteReader>;
  dirCache: { node?: PlannedNode; buf?: Buffer };
  /** Recycled CHUNK_SIZE buffers (reuseBuffers); piece i uses ring[i % length]. */
  ring?: Buffer[];
}

function cancelled(): SevenStickError {
  return new SevenStickError('E_CANCELLED', 'Cancelled');
}

/**
 * Chunks produced ahead of the consumer (reads overlap the consumer's writes). Measured on a 3 GiB
 * ISO: 1–2 keep peak RSS near 100 MiB; 3 let it reach ~150 MiB (V8 collects dead 4 MiB buffers late).
 */
export const READ_AHEAD = 2;

/** Runs the pieces in order with READ_AHEAD pieces of read-ahead; boot pieces are expected last in `pieces`. */
export async function* runPieces(
  pieces: readonly Piece[],
  signal: AbortSignal | undefined,
  finish: (ctx: StreamContext) => Promise<void>,
  options: ChunkOptions = {},
): AsyncGenerator<DiskChunk> {
  const ctx: StreamContext = { readers: new Map(), dirCache: {} };
  // Recycled buffers come from the one I/O pool and go back at the end of the pass, so the next pass
  // (write, then verify) gets the same ones. Pieces alive at once: the consumer's chunk + READ_AHEAD
  // being made; one spare.
  if (options.reuseBuffers) ctx.ring = Array.from({ length: READ_AHEAD + 2 }, () => ioBuffers.take(CHUNK_SIZE));
  let index = 0;
  const start = (p: Piece): Promise<Buffer> => {
    const i = index++;
    const pr = Promise.resolve().then(() => p.make(ctx, i));
    pr.catch(() => undefined); // handled when awaited; avoids an unhandled rejection if the consumer stops early
    return pr;
  };
  const pending: Promise<Buffer>[] = [];
  let next = 0;
  const fill = () => {
    while (next < pieces.length && pending.length < READ_AHEAD) pending.push(start(pieces[next++] as Piece));
  };
  try {
    for (let i = 0; i < pieces.length; i++) {
      if (signal?.aborted) throw cancelled();
      fill();
      const p = pieces[i] as Piece;
      const data = await (pending.shift() as Promise<Buffer>);
      if (data.length !== p.length) throw new Error(`internal: chunk at ${p.offset} is ${data.length} bytes, expected ${p.length}`);
      fill();
      yield p.boot ? { offset: p.offset, data, boot: true, stage: p.stage ?? 0 } : { offset: p.offset, data };
    }
  } finally {
    // Let in-flight reads settle before closing their readers.
    await Promise.allSettled(pending);
    for (const b of ctx.ring ?? []) ioBuffers.give(b);
    await finish(ctx);
  }
}

export async function closeAll(ctx: StreamContext): Promise<void> {
  for (const r of ctx.readers.values()) await (r as Partial<ClosableReader>).close?.();
  ctx.readers.clear();
}

/** Splits [start, end) into pieces ending on absolute CHUNK_SIZE boundaries. */
export function split(start: number, end: number, make: (a: number, b: number) => Piece['make'], boot = false, stage?: number): Piece[] {
  const out: Piece[] = [];
  for (let a = start; a < end; ) {
    const b = Math.min(end, (Math.floor(a / CHUNK_SIZE) + 1) * CHUNK_SIZE);
    out.push(boot ? { offset: a, length: b - a, boot, stage: stage ?? 0, make: make(a, b) } : { offset: a, length: b - a, make: make(a, b) });
    a = b;
  }
  return out;
}

export const zeros = (a: number, b: number) => () => Buffer.alloc(b - a);
