/**
 * The Electron we pin is one Electron still supports: Electron supports its three newest stable
 * majors, so the pinned major must be at least (latest stable major − 2).
 *
 * The latest major comes from the npm registry (`npm view electron dist-tags.latest`, with a timeout).
 * Without the registry it is estimated from Electron's release cadence — a new major every 8 weeks —
 * anchored on a release the registry itself dates: 42.0.0, 2026-05-05 (npm's `time` field says
 * 2026-05-06T05:48Z; 43.0.0 followed on 2026-07-01, 44.0.0 on 2026-08-25, 45.0.0 on 2026-10-21).
 * The estimate waits 4 weeks after each expected date before counting a release (majors slip, and
 * the December one moves to January), so offline it can only be late, never early: it never fails
 * a pin the registry would accept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, run } from '../helpers/tools.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A stable major whose release date we know (see above). */
export const ANCHOR = { major: 42, date: Date.UTC(2026, 4, 5) };
const CADENCE_DAYS = 56;
const GRACE_DAYS = 28;
/** Electron supports the latest three stable majors. */
const SUPPORTED_MAJORS = 3;

/** The newest stable major Electron has most likely released by `now` (conservative). */
export function estimateLatestMajor(now: number): number {
  const days = Math.floor((now - ANCHOR.date) / DAY_MS) - GRACE_DAYS;
  return ANCHOR.major + Math.max(0, Math.floor(days / CADENCE_DAYS));
}

export function oldestSupportedMajor(latestMajor: number): number {
  return latestMajor - (SUPPORTED_MAJORS - 1);
}

/** The major of an exact `x.y.z` pin; a range (^, ~, >=…) is not a pin and answers null. */
export function pinnedMajor(spec: string): number | null {
  const m = /^(\d+)\.\d+\.\d+$/.exec(spec);
  return m ? Number(m[1]) : null;
}

async function registryLatestMajor(): Promise<{ major: number; version: string } | null> {
  const r = await run('npm', ['view', 'electron', 'dist-tags.latest', '--json', '--fetch-timeout=15000', '--fetch-retries=0'], {
    cwd: REPO,
    timeoutMs: 30_000,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  if (r.code !== 0) return null;
  try {
    const version = JSON.parse(r.stdout) as unknown;
    const m = typeof version === 'string' ? /^(\d+)\.\d+\.\d+$/.exec(version) : null;
    return m && typeof version === 'string' ? { major: Number(m[1]), version } : null;
  } catch {
    return null;
  }
}

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };

test('the cadence estimate and the support window', () => {
  assert.equal(estimateLatestMajor(Date.UTC(2026, 4, 5)), 42);
  // The releases the registry dates, each counted 4 weeks after its expected day, never before it shipped.
  for (const [major, released] of [
    [43, Date.UTC(2026, 6, 1)],
    [44, Date.UTC(2026, 7, 25)],
    [45, Date.UTC(2026, 9, 21)],
  ] as const) {
    assert.ok(estimateLatestMajor(released) < major, `${major} is not assumed on its release day`);
    assert.equal(estimateLatestMajor(released + 28 * DAY_MS), major, `${major} is counted 4 weeks later`);
  }
  assert.equal(estimateLatestMajor(Date.UTC(2027, 5, 1)), 48);
  assert.equal(oldestSupportedMajor(45), 43);
  assert.equal(pinnedMajor('45.5.0'), 45);
  assert.equal(pinnedMajor('^45.5.0'), null);
  assert.equal(pinnedMajor('45'), null);
});

test('the pinned Electron is one of the three supported stable majors, pinned exactly', async (t) => {
  const spec = pkg.devDependencies.electron ?? '';
  const major = pinnedMajor(spec);
  assert.ok(major !== null, `package.json pins electron exactly (got "${spec}")`);
  const installed = (JSON.parse(readFileSync(join(REPO, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
  assert.equal(installed, spec, 'node_modules/electron is the pinned version (npm ci)');

  const fromRegistry = await registryLatestMajor();
  const latest = fromRegistry?.major ?? estimateLatestMajor(Date.now());
  t.diagnostic(
    fromRegistry
      ? `registry: electron latest is ${fromRegistry.version}`
      : `registry unreachable: latest major estimated as ${latest} (8-week cadence from ${ANCHOR.major}.0.0, 2026-05-05)`,
  );
  assert.ok(
    major >= oldestSupportedMajor(latest),
    `Electron ${major} is out of support: the supported majors are ${oldestSupportedMajor(latest)}–${latest}. Pin the newest stable one exactly.`,
  );
  assert.ok(major <= latest + 1, `Electron ${major} is not released yet (latest stable ${latest})`);
});

test('electron-builder is pinned exactly', () => {
  assert.match(pkg.devDependencies['electron-builder'] ?? '', /^\d+\.\d+\.\d+$/);
});
