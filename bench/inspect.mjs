#!/usr/bin/env node
// Benchmark for `inspect` (README, "Benchmarks"): on a ~3 GiB Win7-like ISO made by
// scripts/fixtures/win7-iso.sh --extra (big files under sources/), measures
//   1. inspect without --hash: metadata only (goal: well under 1 s), and how many bytes it read;
//   2. inspect --hash (SHA-1 + SHA-256 in one pass) against `sha256sum` on the same file (goal ≥ 0.9×).
// Writes bench/results/inspect.json. The ISO lives under /tmp and is deleted afterwards.
// Usage: node bench/inspect.mjs [--size-gib N] [--keep]   (run `npx tsc -b` first)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, openSync, closeSync, writeSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const engine = require(join(REPO, 'build', 'electron', 'engine', 'index.js'));

const args = process.argv.slice(2);
const sizeGiB = Number(args[args.indexOf('--size-gib') + 1] || 3) || 3;
const keep = args.includes('--keep');

const work = mkdtempSync(join(tmpdir(), 'sevenstick-bench-'));
const extra = join(work, 'extra');
mkdirSync(join(extra, 'sources'), { recursive: true });
// Big files with non-zero, non-repeating content written in 64 MiB pieces (a real ISO is not zeros).
const pieceMiB = 64;
const piece = Buffer.alloc(pieceMiB * 1024 * 1024);
for (let i = 0; i < piece.length; i += 4) piece.writeUInt32LE((Math.imul(i, 2654435761) ^ (i >>> 7)) >>> 0, i);
const files = Math.max(1, Math.round(sizeGiB));
for (let f = 0; f < files; f++) {
  const fd = openSync(join(extra, 'sources', `big${f}.dat`), 'w');
  for (let m = 0; m < 1024 / pieceMiB; m++) {
    piece.writeUInt32LE(f * 1000 + m, 0); // make pieces differ
    writeSync(fd, piece);
  }
  closeSync(fd);
}
const iso = join(work, 'win7-big.iso');
console.error(`building a ${sizeGiB} GiB Win7-like ISO in ${work} ...`);
execFileSync('bash', [join(REPO, 'scripts', 'fixtures', 'win7-iso.sh'), iso, '--extra', extra], { stdio: 'inherit' });
rmSync(extra, { recursive: true, force: true });
const size = statSync(iso).size;

function timeIt(fn) {
  const t = process.hrtime.bigint();
  const r = fn();
  return r instanceof Promise ? r.then((v) => [Number(process.hrtime.bigint() - t) / 1e9, v]) : [Number(process.hrtime.bigint() - t) / 1e9, r];
}

// Count the bytes inspect reads by wrapping FileReader.read.
const origRead = engine.FileReader.prototype.read;
let bytesRead = 0;
engine.FileReader.prototype.read = function (o, l) {
  bytesRead += l;
  return origRead.call(this, o, l);
};
// Cold-ish first run (page cache holds the fresh ISO anyway), then best of 5.
const inspectTimes = [];
let result;
for (let i = 0; i < 5; i++) {
  bytesRead = 0;
  const [s, r] = await timeIt(() => engine.inspectImage(iso));
  inspectTimes.push(s);
  result = r;
}
const metadataBytes = bytesRead;
engine.FileReader.prototype.read = origRead;

// Hashing vs sha256sum, alternating, best of 3 each (both read the same cached file).
const shaTimes = [];
const oursTimes = [];
let digests;
for (let i = 0; i < 3; i++) {
  const [a] = timeIt(() => spawnSync('sha256sum', [iso], { encoding: 'utf8' }));
  shaTimes.push(a);
  const [b, r] = await timeIt(() => engine.inspectImage(iso, { hash: true, catalog: { entries: [], warnings: [] } }));
  oursTimes.push(b);
  digests = r;
}
const sha256sum = spawnSync('sha256sum', [iso], { encoding: 'utf8' }).stdout.split(' ')[0];
const best = (xs) => Math.min(...xs);
const out = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30) },
  image: { bytes: size, kind: result.kind, editions: result.windows?.editions.length },
  inspect: {
    seconds: { best: best(inspectTimes), all: inspectTimes },
    bytesRead: metadataBytes,
    goal: 'well under 1 s, metadata only',
  },
  hash: {
    oursSeconds: { best: best(oursTimes), all: oursTimes },
    sha256sumSeconds: { best: best(shaTimes), all: shaTimes },
    oursMBps: Math.round(size / best(oursTimes) / 1e6),
    sha256sumMBps: Math.round(size / best(shaTimes) / 1e6),
    ratio: Number((best(shaTimes) / best(oursTimes)).toFixed(3)),
    goal: 'ratio >= 0.9 (ours computes SHA-1 and SHA-256)',
    sha256Agrees: digests.sha256 === sha256sum,
  },
};
mkdirSync(join(REPO, 'bench', 'results'), { recursive: true });
writeFileSync(join(REPO, 'bench', 'results', 'inspect.json'), JSON.stringify(out, null, 2) + '\n');
console.log(JSON.stringify(out, null, 2));
if (!keep) rmSync(work, { recursive: true, force: true });
else console.error(`kept ${iso}`);
