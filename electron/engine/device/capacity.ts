/**
 * Fake-capacity check (the idea of Rufus's badblocks pass and f3): a counterfeit stick claims more
 * space than it has and wraps or drops writes past its real size. We write a marker (magic, run id,
 * its own offset) into one sector at ~256 positions across the claimed size, read them all back
 * (direct I/O), and call the stick fake when the markers from some position up are gone.
 */
import { randomBytes } from 'node:crypto';
import { SevenStickError } from '../io/errors.js';
import { defineStruct } from '../io/struct.js';
import type { ProgressMeter } from '../io/progress.js';
import { formatBytes } from '../../shared/format.js';
import { ioBuffers } from '../io/buffers.js';

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

/**
 * Marker offsets: every multiple of a power-of-two stride (about `count` of them, at most 2×) plus the last
 * sector. A counterfeit controller wraps addresses modulo a power of two, so a wrapped marker lands exactly
 * on a lower marker and is seen.
 */
export function markerOffsets(size: number, sectorSize: number, count = 256): number[] {
  const sectors = Math.floor(size / sectorSize);
  if (sectors <= 0) return [];
  let stride = 1;
  while (stride * 2 <= sectors / count) stride *= 2;
  const out: number[] = [];
  for (let s = 0; s < sectors; s += stride) out.push(s * sectorSize);
  if (out[out.length - 1] !== (sectors - 1) * sectorSize) out.push((sectors - 1) * sectorSize);
  return out;
}

export async function checkCapacity(dev: CapacityDevice, opts: { count?: number; meter?: ProgressMeter; signal?: AbortSignal } = {}): Promise<CapacityResult> {
  const offsets = markerOffsets(dev.size, dev.sectorSize, opts.count ?? 256);
  const runId = randomBytes(16);
  const buf = ioBuffers.take(dev.sectorSize);
  try {
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
    // A position is bad when its sector reads back garbage (dropped writes). Positions that read back the
    // same marker share one physical sector (wrapped writes): only the lowest of them can be genuine.
    const index = new Map(offsets.map((o, i) => [o, i]));
    const bad = new Set<number>();
    const aliases = new Map<number, number[]>();
    for (const [i, off] of offsets.entries()) {
      check();
      await dev.readAt(buf, dev.sectorSize, off);
      const m = Marker.decode(buf);
      const valid = m.magic === MAGIC && m.runId.equals(runId) && index.get(m.offset) === m.index;
      if (!valid) bad.add(i);
      else aliases.set(m.index, [...(aliases.get(m.index) ?? []), i]);
      opts.meter?.add(dev.sectorSize);
    }
    for (const [owner, readers] of aliases) {
      const group = [...new Set([owner, ...readers])];
      if (group.length < 2) continue;
      const low = Math.min(...group);
      for (const g of group) if (g !== low) bad.add(g);
    }
    // Wipe sector 0 so a stick that fails here keeps no stale first sector.
    buf.fill(0);
    if (offsets[0] === 0) await dev.writeAt(buf, dev.sectorSize, 0);
    if (bad.size === 0) return { ok: true, claimedSize: dev.size, usableSize: dev.size, positions: offsets.length, badPositions: 0 };
    const first = Math.min(...bad);
    return { ok: false, claimedSize: dev.size, usableSize: offsets[first] as number, positions: offsets.length, badPositions: bad.size };
  } finally {
    ioBuffers.give(buf);
  }
}

/** Throws E_DEVICE for a stick that lies about its size. */
export function assertCapacity(r: CapacityResult, path: string): void {
  if (r.ok) return;
  throw new SevenStickError(
    'E_DEVICE',
    `${path} claims ${formatBytes(r.claimedSize)} but ${r.badPositions} of ${r.positions} test markers did not read back; ` +
      `it holds at most about ${formatBytes(r.usableSize)} (a fake-capacity stick?)`,
    { path, claimedSize: r.claimedSize, usableSize: r.usableSize },
  );
}
