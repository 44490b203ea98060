#!/usr/bin/env node
// Benchmark: extract a 64 MiB LZX-compressed file with our reader vs `wimlib-imagex extract`,
// same WIM, same run. Writes bench/results/wim.json. Needs `npx tsc -b` first.
// Data: 64 MiB of real x86-64 code and text (the host's /usr/bin and /usr/lib files, cycled),
// so both E8 translation and the Huffman/match paths are exercised as with Windows files.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const require = createRequire(import.meta.url);
const { FileReader, openWim } = require(join(repo, 'build/electron/engine/index.js'));

const SIZE = 64 * 1024 * 1024;
const RUNS = Number(process.env.RUNS ?? 5);
const work = mkdtempSync(join(tmpdir(), 'sevenstick-bench-wim-'));
try {
  // Build the source file from host binaries (deterministic order).
  const parts = [];
  let have = 0;
  const dirs = ['/usr/bin', '/usr/lib/x86_64-linux-gnu'];
  outer: for (const d of dirs) {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      let st;
      try { st = statSync(p); } catch { continue; }
      if (!st.isFile() || st.size < 4096 || st.size > 8 * 1024 * 1024) continue;
      const b = readFileSync(p);
      parts.push(b);
      have += b.length;
      if (have >= SIZE) break outer;
    }
  }
  let data = Buffer.concat(parts);
  while (data.length < SIZE) data = Buffer.concat([data, data]);
  data = data.subarray(0, SIZE);
  mkdirSync(join(work, 'src'));
  writeFileSync(join(work, 'src', 'big.bin'), data);
  const wimPath = join(work, 'big.wim');
  execFileSync('wimlib-imagex', ['capture', join(work, 'src'), wimPath, '--compress=LZX'], { stdio: 'ignore' });
  const wimSize = statSync(wimPath).size;
  const sha1 = createHash('sha1').update(data).digest('hex');

  const time = async (fn) => {
    const t0 = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };

  // wimlib: extract the one file to a file (it verifies SHA-1 too).
  // CPU seconds (user + system) of each side, too: robust when other processes share the CPU.
  let wimlibCpu = Infinity;
  let oursCpu = Infinity;
  const wimlibRun = (i) => {
    const dest = join(work, `wl${i}`);
    const timeFile = join(work, 'time.txt');
    execFileSync('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, 'wimlib-imagex', 'extract', wimPath, '1', '/big.bin', `--dest-dir=${dest}`, '--no-acls'], {
      stdio: 'ignore',
    });
    const [u, sy] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number);
    wimlibCpu = Math.min(wimlibCpu, u + sy);
    rmSync(dest, { recursive: true, force: true });
  };

  // Ours: open the WIM, stream the file to disk (SHA-1 checked).
  const oursRun = async (i) => {
    const c0 = process.cpuUsage();
    const r = await FileReader.open(wimPath);
    const wim = await openWim(r);
    const entry = await wim.lookup(1, 'big.bin');
    const dest = join(work, `ours${i}.bin`);
    const out = createWriteStream(dest);
    await wim.extractTo(entry, out);
    await new Promise((res, rej) => out.end((e) => (e ? rej(e) : res())));
    await r.close();
    const c = process.cpuUsage(c0);
    if (i > 0) oursCpu = Math.min(oursCpu, (c.user + c.system) / 1e6);
    if (i === 0 && createHash('sha1').update(readFileSync(dest)).digest('hex') !== sha1) throw new Error('ours: wrong bytes');
    rmSync(dest);
  };

  // Ours, decode only (no file write): the decompressor + SHA-1 on their own.
  const decodeRun = async () => {
    const r = await FileReader.open(wimPath);
    const wim = await openWim(r);
    const entry = await wim.lookup(1, 'big.bin');
    await wim.verifyBlob(entry);
    await r.close();
  };

  // Interleaved, best of RUNS each, so load from other processes hits both sides alike.
  let wimlibSec = Infinity;
  let oursSec = Infinity;
  let decodeSec = Infinity;
  await oursRun(0); // warm-up (JIT) and correctness check
  for (let i = 0; i < RUNS; i++) {
    wimlibSec = Math.min(wimlibSec, await time(() => wimlibRun(i)));
    oursSec = Math.min(oursSec, await time(() => oursRun(i + 1)));
    decodeSec = Math.min(decodeSec, await time(decodeRun));
  }

  const mb = SIZE / 1e6;
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    fileBytes: SIZE,
    wimBytes: wimSize,
    runs: RUNS,
    wimlibSeconds: +wimlibSec.toFixed(3),
    oursSeconds: +oursSec.toFixed(3),
    oursDecodeOnlySeconds: +decodeSec.toFixed(3),
    wimlibMBps: +(mb / wimlibSec).toFixed(1),
    oursMBps: +(mb / oursSec).toFixed(1),
    oursDecodeOnlyMBps: +(mb / decodeSec).toFixed(1),
    ratio: +(wimlibSec / oursSec).toFixed(3),
    wimlibCpuSeconds: +wimlibCpu.toFixed(3),
    oursCpuSeconds: +oursCpu.toFixed(3),
    cpuRatio: +(wimlibCpu / oursCpu).toFixed(3),
    loadAverage: (await import('node:os')).loadavg()[0],
    target: 0.5,
    pass: wimlibSec / oursSec >= 0.5,
  };
  mkdirSync(join(repo, 'bench', 'results'), { recursive: true });
  writeFileSync(join(repo, 'bench', 'results', 'wim.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
}
