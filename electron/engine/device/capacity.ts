/**
 * Fake-capacity check (the idea of Rufus's badblocks pass and f3): a counterfeit stick claims more
 * space than it has and wraps or drops writes past its real size. We write a marker (magic, run id,
 * its own offset) into one sector at ~256 positions across the claimed size, read them all back
 * (direct I/O), and call the stick fake when the markers from some position up are gone.
 */
import { randomBytes } from 'node:crypto';
import { SevenStickError } from '../io/errors.js';
import { defineStruct } from '../io/struct.js';
import type { ProgressMeter } from '../job/progress.js';
import { alignedBuffer } from './target.js';

/** One marker sector (our own format). */
const Marker = defineStruct('CapacityMarker', 48, {
  magic: [0, 'ascii', 16],
  runId: [16, 'bytes', 16],
  offset: [32, 'u64le'],
  index: [40, 'u32le'],
});
const MAGIC = 'SevenStickCapChk';

export interface CapacityDevice {
  readonly path: string;
  readonly size: number;
  readonly sectorSize: number;
  writeAt(buf: Buffer, length: number, offset: number): Promise<void>;
  readAt(buf: Buffer, length: number, offset: number): Promise<void>;
  sync(): Promise<void>;
}

export interface CapacityResult {
  ok: boolean;
  claimedSize: number;
  /** Estimate of the real usable size (the claimed size when ok). */
  usableSize: number;
  positions: number;
  badPositions: number;
}

/** Marker offsets: `count` sector-aligned positions spread over [0, size), the last sector included. */
export function markerOffsets(size: number, sectorSize: number, count = 256): number[] {
  const sectors = Math.floor(size / sectorSize);
  if (sectors <= 0) return [];
  const n = Math.min(count, sectors);
  const out = new Set<number>();
  for (let i = 0; i < n; i++) out.add(Math.floor((i * (sectors - 1)) / Math.max(1, n - 1)) * sectorSize);
  return [...out].sort((a, b) => a - b);
}

export async function checkCapacity(dev: CapacityDevice, opts: { count?: number; meter?: ProgressMeter; signal?: AbortSignal } = {}): Promise<CapacityResult> {
  const offsets = markerOffsets(dev.size, dev.sectorSize, opts.count ?? 256);
  const runId = randomBytes(16);
  const buf = alignedBuffer(dev.sectorSize);
  const check = (): void => {
    if (opts.signal?.aborted) throw new SevenStickError('E_CANCELLED', 'Cancelled');
  };
  for (const [i, off] of offsets.entries()) {
    check();
    buf.fill(0);
    Marker.encode({ magic: MAGIC, runId, offset: off, index: i }, buf);
    await dev.writeAt(buf, dev.sectorSize, off);
    opts.meter?.add(dev.sectorSize);
  }
  await dev.sync();
  const good: boolean[] = [];
  for (const [i, off] of offsets.entries()) {
    check();
    await dev.readAt(buf, dev.sectorSize, off);
    const m = Marker.decode(buf);
    good.push(m.magic === MAGIC && m.runId.equals(runId) && m.offset === off && m.index === i);
    opts.meter?.add(dev.sectorSize);
  }
  // Wipe the markers' sector 0 so a half-written stick never keeps a stale first sector.
  buf.fill(0);
  if (offsets[0] === 0) await dev.writeAt(buf, dev.sectorSize, 0);
  const bad = good.filter((g) => !g).length;
  if (bad === 0) return { ok: true, claimedSize: dev.size, usableSize: dev.size, positions: offsets.length, badPositions: 0 };
  // The real size lies below the lowest position from which every marker is gone (wrapped writes also
  // clobber low markers, so isolated low failures don't lower the estimate).
  let k = good.length;
  while (k > 0 && !good[k - 1]) k--;
  const usableSize = k < offsets.length ? (offsets[k] as number) : dev.size;
  return { ok: false, claimedSize: dev.size, usableSize, positions: offsets.length, badPositions: bad };
}

/** Throws E_DEVICE for a stick that lies about its size. */
export function assertCapacity(r: CapacityResult, path: string): void {
  if (r.ok) return;
  throw new SevenStickError(
    'E_DEVICE',
    `${path} claims ${(r.claimedSize / 1e9).toFixed(2)} GB but ${r.badPositions} of ${r.positions} test markers did not read back; ` +
      `it holds at most about ${(r.usableSize / 1e9).toFixed(2)} GB (a fake-capacity stick?)`,
    { path, claimedSize: r.claimedSize, usableSize: r.usableSize },
  );
}
