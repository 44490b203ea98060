/**
 * The UEFI loader rule under a damaged install.wim: every stick made from an ISO whose WIM was
 * mutated (header, blob table, bootmgfw.efi's blob-table entry and SHA-1, its chunk table and
 * compressed data, image 1's metadata, the XML) has efi/boot/bootx64.efi exactly equal to the
 * pristine bootmgfw.efi (wimlib-imagex, the oracle) with no BIOS-only warning, or no bootx64.efi and a
 * BIOS-only warning. mtools reads the sticks. The ≥ 5,000-input campaign is scripts/fuzz-wim-loader.mjs.
 * The app's image card shows the same BIOS-only warning (imageView over inspect).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BufferReader, createWindowsStick, inspectImage, SevenStickError } from '../../engine/index.js';
import { imageView } from '../../main/engine-bindings.js';
import { fixture, run, runOk, tempDir } from '../helpers/tools.js';
import { writeStreamToFile } from '../layout/util.js';
import { judgeStick, mapWimInIso, mutate, type LoaderOutcome, type WimInIso } from './wim-in-iso.js';

const CLI = join(__dirname, '..', '..', 'cli', 'index.js');
const MiB = 1024 * 1024;
const cli = (args: string[]) => run(process.execPath, [CLI, ...args], { timeoutMs: 60_000 });
const lastJson = (s: string): Record<string, unknown> => JSON.parse(s.trim().split('\n').pop() as string) as Record<string, unknown>;

let mapped: Promise<{ m: WimInIso; isoPath: string }> | undefined;
/** The Win7-like ISO, its WIM's structures, and bootmgfw.efi as wimlib-imagex extracts it. */
function pristine(): Promise<{ m: WimInIso; isoPath: string }> {
  mapped ??= (async () => {
    const isoPath = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
    const t = tempDir();
    try {
      await runOk('7z', ['x', '-tudf', `-o${t.path}`, isoPath, 'sources/install.wim']);
      await runOk('wimlib-imagex', ['extract', join(t.path, 'sources', 'install.wim'), '1', '/Windows/Boot/EFI/bootmgfw.efi', `--dest-dir=${t.path}/wl`]);
      const loader = readFileSync(join(t.path, 'wl', 'bootmgfw.efi'));
      return { m: await mapWimInIso(readFileSync(isoPath), loader), isoPath };
    } finally {
      t.cleanup();
    }
  })();
  return mapped;
}

test('fuzzed install.wim (200 mutants over 10 regions): every stick has the exact loader, or none and a BIOS-only warning', { timeout: 240_000 }, async () => {
  const { m } = await pristine();
  const t = tempDir();
  const counts = new Map<string, number>();
  const byRegion = new Map<string, Set<LoaderOutcome>>();
  try {
    const img = join(t.path, 'stick.img');
    for (let seed = 1; seed <= 200; seed++) {
      const mut = mutate(m, seed);
      let stick;
      try {
        stick = await createWindowsStick(new BufferReader(mut.iso, 'fuzz.iso'), { targetSize: 64 * MiB });
      } catch (e) {
        assert.fail(`seed ${seed} (${mut.region}: ${mut.what}): the write was refused: ${e instanceof SevenStickError ? e.code + ' ' + e.message : String(e)}`);
      }
      await writeStreamToFile(stick.stream, img);
      await stick.close();
      const j = judgeStick(img, stick.warnings, m.loader, t.path);
      assert.notEqual(j.outcome, 'VIOLATION', `seed ${seed} (${mut.region}: ${mut.what}): ${j.why}`);
      assert.equal(stick.uefiBoot === 'install.wim', j.outcome === 'exact loader', `seed ${seed}: uefiBoot ${stick.uefiBoot} vs ${j.outcome}`);
      counts.set(j.outcome, (counts.get(j.outcome) ?? 0) + 1);
      byRegion.set(mut.region, (byRegion.get(mut.region) ?? new Set()).add(j.outcome));
    }
    // Both outcomes must occur, or the test proves nothing.
    assert.ok((counts.get('exact loader') ?? 0) > 0, `outcomes: ${JSON.stringify([...counts])}`);
    assert.ok((counts.get('BIOS only, warned') ?? 0) > 0, `outcomes: ${JSON.stringify([...counts])}`);
    // A flipped loader SHA-1 is never found in the blob table: always BIOS only.
    assert.deepEqual([...(byRegion.get('loader SHA-1') ?? [])], ['BIOS only, warned']);
  } finally {
    t.cleanup();
  }
});

test('fuzzed install.wim with UEFI required: the exact loader, or a refusal (E_UNSUPPORTED) before anything is written', { timeout: 120_000 }, async () => {
  const { m } = await pristine();
  let refused = 0;
  let exact = 0;
  for (let seed = 1000; seed < 1100; seed++) {
    const mut = mutate(m, seed);
    try {
      const stick = await createWindowsStick(new BufferReader(mut.iso, 'fuzz.iso'), { targetSize: 64 * MiB, requireUefi: true });
      assert.equal(stick.uefiBoot, 'install.wim', `seed ${seed} (${mut.region}: ${mut.what})`);
      assert.deepEqual(stick.warnings, []);
      exact++;
      await stick.close();
    } catch (e) {
      assert.ok(e instanceof SevenStickError && e.code === 'E_UNSUPPORTED', `seed ${seed} (${mut.region}: ${mut.what}): ${String(e)}`);
      assert.match(e.message, /UEFI boot was asked for/);
      refused++;
    }
  }
  assert.ok(refused > 0 && exact > 0, `refused ${refused}, exact ${exact}`);
});

test('the issue’s case through the CLI: one bit flipped in bootmgfw.efi’s blob-table SHA-1 → BIOS-only stick with a warning (text, JSON, inspect), verify checks against the ISO', { timeout: 120_000 }, async () => {
  const { m, isoPath } = await pristine();
  const t = tempDir();
  try {
    const sha = m.regions.find((r) => r.name === 'loader SHA-1') as { start: number };
    const bad = Buffer.from(m.iso);
    bad[sha.start + 7] = (bad[sha.start + 7] as number) ^ 0x10;
    const badIso = join(t.path, 'damaged.iso');
    writeFileSync(badIso, bad);

    const ins = await cli(['inspect', badIso, '--json']);
    assert.equal(ins.code, 0, ins.stderr);
    const w = (JSON.parse(ins.stdout) as { windows: { uefi: boolean; uefiBoot: string; warnings: { code: string; message: string }[] } }).windows;
    assert.equal(w.uefi, false);
    assert.equal(w.uefiBoot, 'none');
    assert.ok(w.warnings.some((x) => x.code === 'W_BIOS_ONLY' && /BIOS \(Legacy\/CSM\) mode only/.test(x.message)), JSON.stringify(w.warnings));
    const insText = await cli(['inspect', badIso]);
    assert.match(insText.stdout, /UEFI boot:\s+no \(BIOS\/CSM only\)/);
    assert.match(insText.stdout, /Warning:\s+The stick will boot in BIOS \(Legacy\/CSM\) mode only/);
    // The app's image card: the same warning as a notice, and no UEFI badge.
    const view = imageView(badIso, await inspectImage(badIso));
    assert.equal(view.windows?.uefi, false);
    assert.ok(view.notices.some((n) => n.code === 'W_BIOS_ONLY' && n.severity === 'warning'), JSON.stringify(view.notices));

    const stick = join(t.path, 'stick.img');
    const wj = await cli(['write', badIso, '--target', stick, '--size', '64M', '--yes', '--json']);
    assert.equal(wj.code, 0, wj.stdout + wj.stderr);
    const res = lastJson(wj.stdout) as { warnings: string[]; uefiBoot: string; ok: boolean };
    assert.equal(res.uefiBoot, 'none');
    assert.ok(res.warnings.some((x) => /BIOS \(Legacy\/CSM\) mode only/.test(x)), JSON.stringify(res.warnings));
    assert.equal(judgeStick(stick, res.warnings, m.loader, t.path).outcome, 'BIOS only, warned');
    const md = await run('mdir', ['-i', `${stick}@@1M`, '::/efi/boot'], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
    assert.doesNotMatch(md.stdout, /bootx64/i);

    const text = await cli(['write', badIso, '--target', join(t.path, 'stick2.img'), '--size', '64M', '--yes']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^warning: The stick will boot in BIOS \(Legacy\/CSM\) mode only: .*bootmgfw\.efi/m);

    const v = await cli(['verify', stick, '--image', badIso, '--json']);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.ok((lastJson(v.stdout).notes as string[]).some((n) => /BIOS \(Legacy\/CSM\) mode only/.test(n)));

    // UEFI asked for: refused before a file is made.
    const req = await cli(['write', badIso, '--target', join(t.path, 'stick3.img'), '--size', '64M', '--yes', '--require-uefi', '--json']);
    assert.equal(req.code, 2, req.stdout + req.stderr);
    assert.equal(lastJson(req.stdout).code, 'E_UNSUPPORTED');
    assert.equal(existsSync(join(t.path, 'stick3.img')), false);

    // A good stick, checked against the damaged ISO: its loader cannot be confirmed → a failure, not OK.
    const good = join(t.path, 'good.img');
    const g = await cli(['write', isoPath, '--target', good, '--size', '64M', '--yes', '--json']);
    assert.equal(g.code, 0, g.stdout + g.stderr);
    assert.equal((lastJson(g.stdout) as { uefiBoot: string }).uefiBoot, 'install.wim');
    assert.equal(judgeStick(good, [], m.loader, t.path).outcome, 'exact loader');
    const v2 = await cli(['verify', good, '--image', badIso, '--json']);
    assert.equal(v2.code, 1, v2.stdout + v2.stderr);
    assert.ok((lastJson(v2.stdout).failures as { path: string }[]).some((f) => f.path === 'efi/boot/bootx64.efi'));

    // And a stick whose loader was emptied afterwards fails verify against the pristine ISO.
    const emptied = join(t.path, 'emptied.img');
    copyFileSync(good, emptied);
    writeFileSync(join(t.path, 'empty'), '');
    await runOk('mcopy', ['-o', '-i', `${emptied}@@1M`, join(t.path, 'empty'), '::/efi/boot/bootx64.efi'], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
    const v3 = await cli(['verify', emptied, '--image', isoPath, '--json']);
    assert.equal(v3.code, 1, v3.stdout + v3.stderr);
  } finally {
    t.cleanup();
  }
});
