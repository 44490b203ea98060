#!/usr/bin/env node
// Device benchmark (root; Linux): on one loop device with --direct-io=on over a pre-filled backing file,
//  1. raw throughput: `dd bs=4M oflag=direct` write and `dd bs=4M iflag=direct` read vs SevenStick's write
//     and verify phases (raw mode, same bytes), alternating, median of REPS runs;
//  2. a whole job (write + verify) of a ~3 GiB Win7-like ISO vs "7z x, mkfs.fat, mcopy -s" onto the
//     same device (that pipeline does not even verify);
//  3. SevenStick's peak RSS (/usr/bin/time -f %M);
//  4. that whole job vs etcher-sdk (npm; the peer bench/peers/etcher-sdk.sh installs into bench/tmp/ on first
//     use, never a project dependency) writing + verifying the raw ISO the way Etcher does, on the same
//     device, alternating, median of REPS runs: etcherRatio = our job seconds / etcher-sdk seconds (goal
//     <= 1.0). If the peer cannot be installed or run, "etcher" records {"skipped": why}.
// Results: bench/results/device.json.
//   node bench/device.mjs [--gib 3] [--reps 3] [--keep]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { cpus, totalmem, release, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const REPO = resolve(import.meta.dirname, '..');
const CLI = join(REPO, 'build', 'electron', 'cli', 'index.js');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const GIB = opt('--gib', 3);
const REPS = opt('--reps', 3);
const MiB = 1024 * 1024;
const log = (...a) => console.error('[bench]', ...a);
const sh = (cmd, a, o = {}) => execFileSync(cmd, a, { encoding: 'utf8', maxBuffer: 64 * MiB, ...o });
const now = () => performance.now() / 1000;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (process.getuid?.() !== 0) {
  console.error('bench/device.mjs needs root (loop devices)');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'sevenstick-bench-'));
const loops = [];
const cleanup = () => {
  for (const l of loops) spawnSync('losetup', ['-d', l]);
  if (!args.includes('--keep')) rmSync(work, { recursive: true, force: true });
};
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

/** dd's own summary line: "N bytes (...) copied, S s, R MB/s" → bytes/s. */
function ddRate(a) {
  const r = spawnSync('dd', a, { encoding: 'utf8' });
  const m = /(\d+) bytes .* copied, ([\d.]+) s/.exec(r.stderr);
  if (!m) throw new Error(`dd ${a.join(' ')}: ${r.stderr}`);
  return Number(m[1]) / Number(m[2]);
}

/** Runs the CLI under /usr/bin/time; returns the result object, wall seconds and peak RSS (KiB). */
function sevenstick(cliArgs) {
  const t0 = now();
  const r = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', 'node', CLI, ...cliArgs, '--json'], { encoding: 'utf8', maxBuffer: 256 * MiB });
  const wall = now() - t0;
  const rss = Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const lines = r.stdout.trim().split('\n');
  const result = JSON.parse(lines[lines.length - 1]);
  if (r.status !== 0) throw new Error(`sevenstick ${cliArgs.join(' ')} exited ${r.status}: ${lines[lines.length - 1]} ${r.stderr}`);
  return { result, wall, rssKiB: rss };
}

const bytes = GIB * 1024 * MiB;
const diskBytes = bytes + 512 * MiB;
// 1. Backing file, pre-filled (no sparse holes: the loop device writes into allocated blocks).
const backing = join(work, 'disk.img');
log(`pre-filling a ${diskBytes / MiB} MiB backing file`);
sh('dd', ['if=/dev/zero', `of=${backing}`, 'bs=4M', `count=${diskBytes / (4 * MiB)}`, 'oflag=direct', 'status=none']);
const dev = sh('losetup', ['-f', '--show', '--direct-io=on', backing]).trim();
loops.push(dev);
log(`loop device ${dev}`);

// Raw image of `bytes` random bytes (incompressible; read from the page cache like dd reads /dev/zero).
const rawImg = join(work, 'raw.img');
log(`making a ${GIB} GiB random raw image`);
sh('dd', ['if=/dev/urandom', `of=${rawImg}`, 'bs=4M', `count=${bytes / (4 * MiB)}`, 'status=none']);
sh('cat', [rawImg], { stdio: ['ignore', 'ignore', 'inherit'] }); // warm the page cache

const raw = { ddWrite: [], ddWriteFromFile: [], ddRead: [], ourWrite: [], ourVerify: [], rssKiB: [] };
for (let i = 0; i < REPS; i++) {
  raw.ddWrite.push(ddRate(['if=/dev/zero', `of=${dev}`, 'bs=4M', `count=${bytes / (4 * MiB)}`, 'oflag=direct']));
  raw.ddWriteFromFile.push(ddRate([`if=${rawImg}`, `of=${dev}`, 'bs=4M', 'oflag=direct']));
  raw.ddRead.push(ddRate([`if=${dev}`, 'of=/dev/null', 'bs=4M', `count=${bytes / (4 * MiB)}`, 'iflag=direct']));
  const s = sevenstick(['write', rawImg, '--target', dev, '--mode', 'raw', '--yes']);
  raw.ourWrite.push(s.result.bytesToWrite / s.result.seconds.writing);
  raw.ourVerify.push(s.result.bytesToWrite / s.result.seconds.verifying);
  raw.rssKiB.push(s.rssKiB);
  log(`rep ${i + 1}: dd write ${(raw.ddWrite[i] / 1e6).toFixed(0)} MB/s, ours ${(raw.ourWrite[i] / 1e6).toFixed(0)} MB/s; dd read ${(raw.ddRead[i] / 1e6).toFixed(0)} MB/s, our verify ${(raw.ourVerify[i] / 1e6).toFixed(0)} MB/s`);
}
rmSync(rawImg);

// 2. A ~3 GiB Win7-like ISO: the fixture script with big extra files.
const extra = join(work, 'extra');
mkdirSync(join(extra, 'sources'), { recursive: true });
mkdirSync(join(extra, 'support'), { recursive: true });
const parts = [['sources/install2.wim', 0.5], ['sources/big1.bin', 0.5], ['support/big2.bin', 1]];
let left = GIB - 0.05;
log('making the Win7-like ISO');
for (const [p, share] of parts) {
  const mib = Math.floor(Math.min(left, GIB * share) * 1024);
  left -= mib / 1024;
  sh('dd', ['if=/dev/urandom', `of=${join(extra, p)}`, 'bs=1M', `count=${mib}`, 'status=none']);
}
for (let i = 0; i < 200; i++) writeFileSync(join(extra, 'support', `small${i}.txt`), `file ${i}\n`.repeat(i * 50));
const iso = join(work, 'win7.iso');
sh('bash', [join(REPO, 'scripts', 'fixtures', 'win7-iso.sh'), iso, '--style', 'bridge', '--extra', extra]);
rmSync(extra, { recursive: true, force: true });
const isoBytes = statSync(iso).size;
sh('cat', [iso], { stdio: ['ignore', 'ignore', 'inherit'] });

const job = sevenstick(['write', iso, '--target', dev, '--yes']);
log(`SevenStick job: ${job.wall.toFixed(1)} s (write ${job.result.seconds.writing.toFixed(1)} s, verify ${job.result.seconds.verifying.toFixed(1)} s), peak RSS ${(job.rssKiB / 1024).toFixed(0)} MiB`);

// The pipeline: extract, partition + format, copy, sync (no verify).
const out = join(work, 'x');
const t0 = now();
sh('7z', ['x', '-y', `-o${out}`, iso], { stdio: ['ignore', 'ignore', 'inherit'] });
const t1 = now();
sh('sfdisk', ['-q', dev], { input: 'label: dos\nstart=2048, type=c, bootable\n' });
const part = sh('losetup', ['-f', '--show', '--direct-io=on', '-o', String(MiB), '--sizelimit', String(diskBytes - MiB), backing]).trim();
loops.push(part);
sh('mkfs.fat', ['-F', '32', '-n', 'WIN7', part], { stdio: ['ignore', 'ignore', 'inherit'] });
const t2 = now();
const names = sh('ls', ['-A', out]).trim().split('\n').map((n) => join(out, n));
sh('mcopy', ['-s', '-i', part, ...names, '::/']);
sh('sync', []);
sh('blockdev', ['--flushbufs', part]);
const t3 = now();
const pipeline = { extract: t1 - t0, format: t2 - t1, copy: t3 - t2, total: t3 - t0 };
log(`pipeline: ${pipeline.total.toFixed(1)} s (7z ${pipeline.extract.toFixed(1)}, mkfs ${pipeline.format.toFixed(1)}, mcopy+sync ${pipeline.copy.toFixed(1)})`);
spawnSync('losetup', ['-d', part]);
loops.splice(loops.indexOf(part), 1);
rmSync(out, { recursive: true, force: true });

// 4. etcher-sdk: File(raw ISO) → multiWrite.pipeSourceToDestinations({ verify: true }) → BlockDevice(dev).
/** Runs the peer under /usr/bin/time; returns its JSON line, wall seconds and peak RSS (KiB). */
function etcherRun(sdkDir) {
  const t0 = now();
  const r = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', 'node', join(REPO, 'bench', 'peers', 'etcher-write.mjs'), '--sdk', sdkDir, iso, dev], {
    encoding: 'utf8',
    maxBuffer: 64 * MiB,
  });
  const wall = now() - t0;
  const rss = Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let res;
  try {
    res = JSON.parse(line);
  } catch {
    throw new Error(`etcher-write.mjs exited ${r.status} without a result: ${r.stderr.trim().slice(-500)}`);
  }
  if (r.status !== 0 || res.error) throw new Error(`etcher-write.mjs exited ${r.status}: ${String(res.error ?? r.stderr).slice(0, 500)}`);
  return { result: res, wall, rssKiB: rss };
}

let etcher;
const peer = spawnSync('bash', [join(REPO, 'bench', 'peers', 'etcher-sdk.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * MiB });
if (peer.status !== 0) {
  etcher = { skipped: `the etcher-sdk peer could not be installed (bash bench/peers/etcher-sdk.sh exited ${peer.status ?? peer.signal})` };
  log(etcher.skipped);
} else {
  const sdkDir = peer.stdout.trim().split('\n').pop();
  try {
    const e = { ours: [], etcher: [] };
    for (let i = 0; i < REPS; i++) {
      // Alternate who goes first so neither always follows the other's writes.
      const pair = i % 2 === 0 ? ['ours', 'etcher'] : ['etcher', 'ours'];
      for (const who of pair) {
        if (who === 'ours') e.ours.push(sevenstick(['write', iso, '--target', dev, '--yes']));
        else e.etcher.push(etcherRun(sdkDir));
      }
      const o = e.ours[i];
      const x = e.etcher[i];
      log(`rep ${i + 1}: SevenStick job ${o.result.seconds.total.toFixed(2)} s (wall ${o.wall.toFixed(2)}), etcher-sdk ${x.result.seconds.toFixed(2)} s (flash ${x.result.flashing.toFixed(2)}, verify ${x.result.verifying.toFixed(2)}; wall ${x.wall.toFixed(2)})`);
    }
    const ourSeconds = median(e.ours.map((s) => s.result.seconds.total));
    const etcherSeconds = median(e.etcher.map((s) => s.result.seconds));
    const ourWall = median(e.ours.map((s) => s.wall));
    const etcherWall = median(e.etcher.map((s) => s.wall));
    const r3 = (x) => +x.toFixed(3);
    etcher = {
      version: e.etcher[0].result.version,
      reps: REPS,
      isoBytes,
      etcherBytesWritten: e.etcher[0].result.bytesWritten,
      etcherBytesVerified: e.etcher[0].result.bytesVerified,
      ourBytesWritten: e.ours[0].result.bytesToWrite,
      etcherSeconds: r3(etcherSeconds),
      ourJobSeconds: r3(ourSeconds),
      etcherRatio: r3(ourSeconds / etcherSeconds),
      etcherWallSeconds: r3(etcherWall),
      ourWallSeconds: r3(ourWall),
      wallRatio: r3(ourWall / etcherWall),
      etcherPhasesSeconds: {
        flashing: r3(median(e.etcher.map((s) => s.result.flashing))),
        verifying: r3(median(e.etcher.map((s) => s.result.verifying))),
      },
      ourPhasesSeconds: {
        writing: r3(median(e.ours.map((s) => s.result.seconds.writing))),
        verifying: r3(median(e.ours.map((s) => s.result.seconds.verifying))),
      },
      samples: {
        etcherSeconds: e.etcher.map((s) => r3(s.result.seconds)),
        ourJobSeconds: e.ours.map((s) => r3(s.result.seconds.total)),
        pairRatios: e.ours.map((s, i) => r3(s.result.seconds.total / e.etcher[i].result.seconds)),
      },
      etcherPeakRssMiB: +(Math.max(...e.etcher.map((s) => s.rssKiB)) / 1024).toFixed(1),
      ourPeakRssMiB: +(Math.max(...e.ours.map((s) => s.rssKiB)) / 1024).toFixed(1),
      note:
        'etcher-sdk copies the raw ISO (which a PC cannot boot from USB) with verify: true (XXH3 while writing, O_DIRECT read-back); ' +
        'SevenStick builds the FAT32 stick from the same ISO and reads every written byte back. Seconds are in-process job times ' +
        '(etcher: pipeSourceToDestinations incl. open/close; ours: result.seconds.total); wall times include node start-up.',
    };
    log(`etcher-sdk ${etcher.etcherSeconds} s vs our job ${etcher.ourJobSeconds} s: ratio ${etcher.etcherRatio}`);
  } catch (err) {
    etcher = { skipped: `the etcher-sdk comparison failed: ${String(err?.message ?? err).slice(0, 500)}` };
    log(etcher.skipped);
  }
}

const results = {
  date: new Date().toISOString(),
  machine: {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memGiB: +(totalmem() / 1024 ** 3).toFixed(1),
    kernel: release(),
    node: process.version,
    device: `${dev} (loop, --direct-io=on, backing file on ${sh('findmnt', ['-n', '-o', 'SOURCE,FSTYPE', '-T', work]).trim()})`,
  },
  raw: {
    bytes,
    reps: REPS,
    ddWriteMBs: +(median(raw.ddWrite) / 1e6).toFixed(1),
    ourWriteMBs: +(median(raw.ourWrite) / 1e6).toFixed(1),
    writeRatio: +(median(raw.ourWrite) / median(raw.ddWrite)).toFixed(3),
    ddWriteFromImageMBs: +(median(raw.ddWriteFromFile) / 1e6).toFixed(1),
    writeRatioVsDdFromImage: +(median(raw.ourWrite) / median(raw.ddWriteFromFile)).toFixed(3),
    samplesMBs: Object.fromEntries(Object.entries(raw).filter(([k]) => k !== 'rssKiB').map(([k, v]) => [k, v.map((x) => +(x / 1e6).toFixed(0))])),
    ddReadMBs: +(median(raw.ddRead) / 1e6).toFixed(1),
    ourVerifyMBs: +(median(raw.ourVerify) / 1e6).toFixed(1),
    verifyRatio: +(median(raw.ourVerify) / median(raw.ddRead)).toFixed(3),
    peakRssMiB: +(Math.max(...raw.rssKiB) / 1024).toFixed(1),
  },
  windowsJob: {
    isoBytes,
    bytesWritten: job.result.bytesToWrite,
    seconds: { ...job.result.seconds, wall: job.wall },
    peakRssMiB: +(job.rssKiB / 1024).toFixed(1),
    pipelineSeconds: pipeline,
    ratioVsPipeline: +(job.wall / pipeline.total).toFixed(3),
    note: 'the 7z/mkfs.fat/mcopy pipeline does not verify; SevenStick times include reading every byte back',
  },
  etcher,
  targets: { writeRatio: '>= 0.95', verifyRatio: '>= 0.95', ratioVsPipeline: '<= 0.5', peakRssMiB: '<= 150', etcherRatio: '<= 1.0' },
};
mkdirSync(join(REPO, 'bench', 'results'), { recursive: true });
writeFileSync(join(REPO, 'bench', 'results', 'device.json'), JSON.stringify(results, null, 2) + '\n');
console.log(JSON.stringify(results, null, 2));

