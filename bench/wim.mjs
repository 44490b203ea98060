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
const RUNS = Number(process.env.RUNS ?? 3);
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

  const timeIt = async (fn) => {
    let best = Infinity;
    for (let i = 0; i < RUNS; i++) {
      const t0 = process.hrtime.bigint();
      await fn(i);
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      best = Math.min(best, s);
    }
    return best;
  };

  // wimlib: extract the one file to a file (it verifies SHA-1 too).
  const wimlibSec = await timeIt((i) => {
    const dest = join(work, `wl${i}`);
    execFileSync('wimlib-imagex', ['extract', wimPath, '1', '/big.bin', `--dest-dir=${dest}`, '--no-acls'], { stdio: 'ignore' });
    rmSync(dest, { recursive: true, force: true });
  });

  // Ours: open the WIM, stream the file to disk (SHA-1 checked).
  const oursSec = await timeIt(async (i) => {
    const r = await FileReader.open(wimPath);
    const wim = await openWim(r);
    const entry = await wim.lookup(1, 'big.bin');
    const dest = join(work, `ours${i}.bin`);
    const out = createWriteStream(dest);
    await wim.extractTo(entry, out);
    await new Promise((res, rej) => out.end((e) => (e ? rej(e) : res())));
    await r.close();
    if (i === 0 && createHash('sha1').update(readFileSync(dest)).digest('hex') !== sha1) throw new Error('ours: wrong bytes');
    rmSync(dest);
  });

  // Ours, decode only (no file write): the decompressor + SHA-1 on their own.
  const decodeSec = await timeIt(async () => {
    const r = await FileReader.open(wimPath);
    const wim = await openWim(r);
    const entry = await wim.lookup(1, 'big.bin');
    await wim.verifyBlob(entry);
    await r.close();
  });

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
    target: 0.5,
    pass: wimlibSec / oursSec >= 0.5,
  };
  mkdirSync(join(repo, 'bench', 'results'), { recursive: true });
  writeFileSync(join(repo, 'bench', 'results', 'wim.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
}
