#!/usr/bin/env node
// A/B of two builds of SevenStick on the same device (root; Linux): the same Win7-like ISO written and
// verified by an older build's CLI and by this checkout's, alternating, median of REPS runs each. Load
// on the machine hits both alike, so the ratio says whether a change made the job slower.
//   node bench/ab-builds.mjs --old /path/to/older/checkout [--gib 1.5] [--reps 3]
// The older checkout must be built (`npx tsc -b` there). Results: bench/results/ab-builds.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const OLD = opt('--old', undefined);
if (!OLD) {
  console.error('usage: node bench/ab-builds.mjs --old /path/to/older/checkout [--gib 1.5] [--reps 3]');
  process.exit(2);
}
const GIB = Number(opt('--gib', '1.5'));
const REPS = Number(opt('--reps', '3'));
const MiB = 1024 * 1024;
const log = (...a) => console.error('[ab]', ...a);
const sh = (cmd, a, o = {}) => execFileSync(cmd, a, { encoding: 'utf8', ...o });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const builds = { old: join(resolve(OLD), 'build', 'electron', 'cli', 'index.js'), new: join(REPO, 'build', 'electron', 'cli', 'index.js') };
const work = mkdtempSync(join(tmpdir(), 'sevenstick-ab-'));
let dev = '';
try {
  const backing = join(work, 'disk.img');
  sh('dd', ['if=/dev/zero', `of=${backing}`, 'bs=1M', `count=${Math.ceil((GIB + 0.5) * 1024)}`, 'status=none']);
  dev = sh('losetup', ['-f', '--show', '--direct-io=on', backing]).trim();
  const extra = join(work, 'extra');
  mkdirSync(join(extra, 'support'), { recursive: true });
  sh('dd', ['if=/dev/urandom', `of=${join(extra, 'support', 'big.bin')}`, 'bs=1M', `count=${Math.floor((GIB - 0.05) * 1024)}`, 'status=none']);
  for (let i = 0; i < 200; i++) writeFileSync(join(extra, 'support', `small${i}.txt`), `file ${i}\n`.repeat(i * 50));
  const iso = join(work, 'win7.iso');
  log('making the Win7-like ISO');
  sh('bash', [join(REPO, 'scripts', 'fixtures', 'win7-iso.sh'), iso, '--style', 'bridge', '--extra', extra]);
  rmSync(extra, { recursive: true, force: true });
  sh('cat', [iso], { stdio: ['ignore', 'ignore', 'inherit'] });

  const runs = { old: [], new: [] };
  for (let i = 0; i < REPS; i++) {
    for (const which of i % 2 ? ['new', 'old'] : ['old', 'new']) {
      const r = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', 'node', builds[which], 'write', iso, '--target', dev, '--yes', '--json'], { encoding: 'utf8', maxBuffer: 256 * MiB });
      const result = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((o) => o.type === 'result');
      if (!result?.ok) throw new Error(`${which}: ${r.stdout.slice(-500)} ${r.stderr.slice(-500)}`);
      const rss = Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
      runs[which].push({ total: result.seconds.total, writing: result.seconds.writing, verifying: result.seconds.verifying, rssMiB: rss });
      log(`${which}: ${result.seconds.total.toFixed(2)} s (write ${result.seconds.writing.toFixed(2)}, verify ${result.seconds.verifying.toFixed(2)}), peak RSS ${rss.toFixed(0)} MiB`);
    }
  }
  const sum = (k) => ({ old: median(runs.old.map((r) => r[k])), new: median(runs.new.map((r) => r[k])) });
  const total = sum('total');
  const out = {
    date: new Date().toISOString(),
    old: resolve(OLD),
    isoBytes: statSync(iso).size,
    reps: REPS,
    medians: { total, writing: sum('writing'), verifying: sum('verifying'), rssMiB: sum('rssMiB') },
    ratioNewToOld: Number((total.new / total.old).toFixed(3)),
    runs,
  };
  mkdirSync(join(REPO, 'bench', 'results'), { recursive: true });
  writeFileSync(join(REPO, 'bench', 'results', 'ab-builds.json'), JSON.stringify(out, null, 2) + '\n');
  console.log(JSON.stringify(out.medians), 'ratio new/old', out.ratioNewToOld);
} finally {
  if (dev) spawnSync('losetup', ['-d', dev]);
  rmSync(work, { recursive: true, force: true });
}
