/**
 * The one way SevenStick writes sizes and speeds for people — in the engine's messages, the CLI and
 * the wizard alike: binary units (KiB, MiB, GiB, TiB; MiB/s), the units the sizes really are.
 * Pure (no Node, no DOM), so every layer may import it: the engine (the only module of
 * electron/shared/ it may import, a lint rule), the CLI, main and the renderer.
 */

const KiB = 1024;
const UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/**
 * How a byte count is shown, unit and digits (three significant digits): the one rule behind both
 * formatBytes (English, for the engine's messages and logs) and the translated sizes
 * (shared/i18n/translator.ts). Null for a size nobody knows.
 */
export function scaleBytes(n: number | null | undefined): { value: number; unit: 'B' | (typeof UNITS)[number]; digits: number } | null {
  if (n === null || n === undefined || !Number.isFinite(n) || n < 0) return null;
  if (n < KiB) return { value: n, unit: 'B', digits: 0 };
  let v = n / KiB;
  let i = 0;
  for (;;) {
    const digits = v < 10 ? 2 : v < 100 ? 1 : 0;
    // 1023.7 KiB would print as "1024 KiB": that is 1.00 MiB.
    if (Number(v.toFixed(digits)) < KiB || i === UNITS.length - 1) return { value: v, unit: UNITS[i]!, digits };
    v /= KiB;
    i++;
  }
}

/** 512 bytes, 4.00 KiB, 7.45 GiB, 59.6 GiB, 233 GiB: three significant digits; 'unknown size' for null. */
export function formatBytes(n: number | null | undefined): string {
  const s = scaleBytes(n);
  if (s === null) return 'unknown size';
  if (s.unit === 'B') return s.value === 1 ? '1 byte' : `${s.value} bytes`;
  return `${s.value.toFixed(s.digits)} ${s.unit}`;
}

/** Throughput: "38.2 MiB/s"; "—" while there is none to tell. */
export function formatSpeed(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '—';
  return `${(bytesPerSecond / (KiB * KiB)).toFixed(1)} MiB/s`;
}

/**
 * The stick to buy for `bytes`: "8 GB". The one decimal figure here, on purpose: sticks are sold by
 * decimal gigabytes (an "8 GB" stick holds 8,000,000,000 bytes or a little more, 7.45 GiB).
 */
export function stickSizeToBuy(bytes: number): string {
  return `${Math.ceil(bytes / 1e9)} GB`;
}
