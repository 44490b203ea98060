/**
 * The two things a target does with a block: write it (merging the device's own bytes around an
 * unaligned run), or read it back from the device and compare.
 */
import { ioBuffers } from '../io/buffers.js';
import { SevenStickError } from '../io/errors.js';
import type { ProgressMeter } from '../io/progress.js';
import type { Block, Sink } from './pipeline.js';
import type { Target } from './target.js';

/** Flush to the device every this many bytes, so the last flush is short (no "stuck at 99%"). */
export const SYNC_EVERY_BYTES = 128 * 1024 * 1024;

export class WriteSink implements Sink {
  error?: SevenStickError;
  /** Bytes of stream data written. */
  written = 0;

  constructor(
    readonly target: Target,
    private readonly meter?: ProgressMeter,
    private readonly syncEvery = SYNC_EVERY_BYTES,
    /** Told when the final flush starts (the 'flushing' phase). */
    private readonly onFlush?: () => void,
  ) {}

  get name(): string {
    return this.target.path;
  }

  async process(b: Block): Promise<void> {
    const s = this.target.sectorSize;
    let buf = b.buf;
    let scratch: Buffer | undefined;
    if (b.dataStart % s !== 0 || b.dataEnd % s !== 0 || b.length % s !== 0) {
      // Unaligned edges: the sectors around the run keep the device's bytes.
      buf = scratch = ioBuffers.take(b.length);
      const headEnd = Math.ceil(b.dataStart / s) * s;
      const tailStart = Math.floor(b.dataEnd / s) * s;
      if (b.dataStart % s !== 0) await this.target.readAt(buf.subarray(headEnd - s), s, b.offset + headEnd - s);
      if (b.dataEnd % s !== 0 && tailStart >= headEnd) {
        await this.target.readAt(buf.subarray(tailStart), s, b.offset + tailStart);
      }
      b.buf.copy(buf, b.dataStart, b.dataStart, b.dataEnd);
      // Sector-sized head/tail reads above already filled [headEnd - s, headEnd) and [tailStart, tailStart + s).
    }
    const first = Math.floor(b.dataStart / s) * s;
    const end = Math.ceil(b.dataEnd / s) * s;
    try {
      await this.target.writeAt(buf.subarray(first), end - first, b.offset + first);
    } finally {
      if (scratch) ioBuffers.give(scratch);
    }
    this.written += b.dataEnd - b.dataStart;
    this.meter?.add(b.dataEnd - b.dataStart);
    if (this.target.pendingSync >= this.syncEvery) await this.target.sync();
  }

  /** Before a boot stage: the data (and earlier stages) reach the device before the boot sectors do. */
  async flush(): Promise<void> {
    await this.target.sync();
  }

  async finish(): Promise<void> {
    this.onFlush?.();
    await this.target.sync();
  }
}

/** A run of bytes on the target that differ from what the stream says should be there. */
export interface Difference {
  offset: number;
  length: number;
  /** What lives there, from the stream ('sources/install.wim', 'FAT #1', …). */
  what: string;
}

export const MAX_REPORTED_DIFFERENCES = 1000;

export class VerifySink implements Sink {
  error?: SevenStickError;
  readonly differences: Difference[] = [];
  /** Differing bytes in all (also beyond MAX_REPORTED_DIFFERENCES regions). */
  differingBytes = 0;
  verified = 0;

  constructor(
    readonly target: Target,
    private readonly describe: (offset: number) => string,
    private readonly meter?: ProgressMeter,
  ) {}

  get name(): string {
    return this.target.path;
  }

  async process(b: Block): Promise<void> {
    const s = this.target.sectorSize;
    const first = Math.floor(b.dataStart / s) * s;
    const end = Math.ceil(b.dataEnd / s) * s;
    const buf = ioBuffers.take(end - first);
    try {
      await this.target.readAt(buf, end - first, b.offset + first);
      const got = buf.subarray(b.dataStart - first, b.dataEnd - first);
      const want = b.buf.subarray(b.dataStart, b.dataEnd);
      if (!got.equals(want)) this.record(b.offset + b.dataStart, want, got);
    } finally {
      ioBuffers.give(buf);
    }
    const want = b.buf.subarray(b.dataStart, b.dataEnd);
    this.verified += want.length;
    this.meter?.add(want.length);
  }

  private record(base: number, want: Buffer, got: Buffer): void {
    let i = 0;
    const n = want.length;
    while (i < n) {
      // Skip equal stretches quickly by comparing 4 KiB at a time.
      if (want[i] === got[i]) {
        const step = Math.min(4096, n - i);
        if (want.subarray(i, i + step).equals(got.subarray(i, i + step))) {
          i += step;
          continue;
        }
        while (want[i] === got[i]) i++;
      }
      let j = i;
      while (j < n && want[j] !== got[j]) j++;
      this.addDifference(base + i, j - i);
      i = j;
    }
  }

  private addDifference(offset: number, length: number): void {
    this.differingBytes += length;
    const last = this.differences[this.differences.length - 1];
    // Bytes a few apart in the same place are one region (a corrupted sector, not 100 regions).
    if (last && offset - (last.offset + last.length) < 64 && this.describe(offset) === last.what) {
      last.length = offset + length - last.offset;
      return;
    }
    if (this.differences.length >= MAX_REPORTED_DIFFERENCES) return;
    this.differences.push({ offset, length, what: this.describe(offset) });
  }
}
