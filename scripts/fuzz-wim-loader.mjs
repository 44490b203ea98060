#!/usr/bin/env node
// The UEFI loader rule under a damaged install.wim, at scale (the suite's loader-fuzz test runs 300 of
// these): N mutants of a Win7-like ISO (bytes of the WIM's header, blob table, bootmgfw.efi's entry and
// SHA-1, its chunk table and compressed data, image 1's metadata, the XML) each become a stick image;
// mtools reads efi/boot/bootx64.efi off it, which must be exactly bootmgfw.efi (as wimlib-imagex
// extracts it from the pristine ISO) with no BIOS-only warning, or absent with one. One stick in 10 is
// also re-checked by `verify` (verifyStick against the mutated ISO, which must pass), one in 50 mutants
// also goes through the CLI (`write --json` to a disk-image file: exit 0, the same outcome, then
// `verify`: exit 0), and every mutant is also planned with UEFI required (the exact loader, or E_UNSUPPORTED).
//
//   npx tsc -b && node scripts/fuzz-wim-loader.mjs [N=5000] [first seed=1]
//
// Prints a JSON summary (inputs, outcomes per class and per region, BIOS-only reasons, time); exits 1 on
// any violation.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const B = join(REPO, 'build', 'electron');
const engine = await import(join(B, 'engine', 'index.js'));
const { mapWimInIso, mutate, judgeStick } = await import(join(B, 'test', 'wim', 'wim-in-iso.js'));
const { writeStreamToFile } = await import(join(B, 'test', 'layout', 'util.js'));
const { fixture } = await import(join(B, 'test', 'helpers', 'tools.js'));

const N = Number(process.argv[2] ?? 5000);
const FIRST = Number(process.argv[3] ?? 1);
// One input in `every`, the pick moving by one each time so that every region (seed % 10) is sampled.
const sampled = (seed, every) => (seed - FIRST) % every === Math.floor((seed - FIRST) / every) % 10;
const MiB = 1024 * 1024;

const tmp = mkdtempSync(join(tmpdir(), 'sevenstick-fuzz-'));
try {
  const isoPath = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
  execFileSync('7z', ['x', '-tudf', `-o${tmp}/7z`, isoPath, 'sources/install.wim'], { stdio: 'ignore' });
  execFileSync('wimlib-imagex', ['extract', join(tmp, '7z', 'sources', 'install.wim'), '1', '/Windows/Boot/EFI/bootmgfw.efi', `--dest-dir=${tmp}/wl`], { stdio: 'ignore' });
  const loader = readFileSync(join(tmp, 'wl', 'bootmgfw.efi'));
  const m = await mapWimInIso(readFileSync(isoPath), loader);

  const t0 = performance.now();
  const outcomes = {};
  const perRegion = {};
  const reasons = {};
  const requireUefi = { 'exact loader': 0, refused: 0, VIOLATION: 0 };
  const verify = { ok: 0, failed: 0 };
  const cliRuns = { writeExit: {}, verifyExit: {} };
  const CLI = join(B, 'cli', 'index.js');
  const violations = [];
  const img = join(tmp, 'stick.img');
  const isoFile = join(tmp, 'mutant.iso');
  for (let seed = FIRST; seed < FIRST + N; seed++) {
    const mut = mutate(m, seed);
    let outcome;
    let why = '';
    let stick;
    try {
      stick = await engine.createWindowsStick(new engine.BufferReader(mut.iso, 'fuzz.iso'), { targetSize: 64 * MiB });
    } catch (e) {
      outcome = 'VIOLATION';
      why = `refused without --require-uefi: ${e?.code ?? ''} ${e?.message ?? e}`;
    }
    if (stick) {
      await writeStreamToFile(stick.stream, img);
      await stick.close();
      ({ outcome, why } = judgeStick(img, stick.warnings, loader, tmp));
      if (outcome !== 'VIOLATION' && (stick.uefiBoot === 'install.wim') !== (outcome === 'exact loader')) {
        why = `uefiBoot ${stick.uefiBoot} but ${outcome}`;
        outcome = 'VIOLATION';
      }
      if (outcome === 'BIOS only, warned') {
        const r = (stick.warnings[0] ?? '').replace(/.*mode only: /, '').replace(/\b[0-9a-f]{40}\b/g, '<sha1>').replace(/\d+/g, 'N');
        reasons[r] = (reasons[r] ?? 0) + 1;
      }
      if (sampled(seed, 10) && outcome !== 'VIOLATION') {
        writeFileSync(isoFile, mut.iso);
        const v = await engine.verifyStick(img, isoFile);
        if (v.ok) verify.ok++;
        else {
          verify.failed++;
          outcome = 'VIOLATION';
          why = `verify failed: ${JSON.stringify(v.failures.slice(0, 3))}`;
        }
      }
    }
    if (sampled(seed, 50) && outcome !== 'VIOLATION') {
      writeFileSync(isoFile, mut.iso);
      const target = join(tmp, 'cli.img');
      rmSync(target, { force: true });
      const w = spawnSync(process.execPath, [CLI, 'write', isoFile, '--target', target, '--size', '64M', '--yes', '--json'], { encoding: 'utf8' });
      cliRuns.writeExit[w.status] = (cliRuns.writeExit[w.status] ?? 0) + 1;
      const res = w.status === 0 ? JSON.parse(w.stdout.trim().split('\n').pop()) : undefined;
      const j = res ? judgeStick(target, res.warnings, loader, tmp) : { outcome: 'VIOLATION', why: `write exited ${w.status}: ${w.stderr}` };
      const v = spawnSync(process.execPath, [CLI, 'verify', target, '--image', isoFile, '--json'], { encoding: 'utf8' });
      cliRuns.verifyExit[v.status] = (cliRuns.verifyExit[v.status] ?? 0) + 1;
      if (j.outcome !== outcome || v.status !== 0) {
        why = `CLI: ${j.outcome} (${j.why}), verify exited ${v.status}`;
        outcome = 'VIOLATION';
      }
    }
    try {
      const s = await engine.createWindowsStick(new engine.BufferReader(mut.iso, 'fuzz.iso'), { targetSize: 64 * MiB, requireUefi: true });
      await s.close();
      if (s.uefiBoot === 'install.wim' && s.warnings.length === 0 && outcome === 'exact loader') requireUefi['exact loader']++;
      else requireUefi.VIOLATION++;
    } catch (e) {
      if (e?.code === 'E_UNSUPPORTED' && outcome !== 'exact loader') requireUefi.refused++;
      else requireUefi.VIOLATION++;
    }
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    perRegion[mut.region] ??= {};
    perRegion[mut.region][outcome] = (perRegion[mut.region][outcome] ?? 0) + 1;
    if (outcome === 'VIOLATION') violations.push({ seed, region: mut.region, what: mut.what, why });
    if ((seed - FIRST + 1) % 500 === 0) process.stderr.write(`${seed - FIRST + 1}/${N} inputs, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  const summary = {
    inputs: N,
    firstSeed: FIRST,
    seconds: Math.round((performance.now() - t0) / 100) / 10,
    outcomes,
    requireUefi,
    verifyRechecks: verify,
    cliRuns,
    perRegion,
    biosOnlyReasons: reasons,
    violations: violations.slice(0, 20),
  };
  console.log(JSON.stringify(summary, null, 2));
  process.exitCode = violations.length || requireUefi.VIOLATION ? 1 : 0;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
