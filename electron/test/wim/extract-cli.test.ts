/**
 * `sevenstick extract` end to end, judged by 7z (pulls install.wim out of the ISO) and
 * wimlib-imagex (pulls the file out of the WIM).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, fixture, run, runOk, tempDir } from '../helpers/tools.js';

const CLI = join(REPO, 'build', 'electron', 'cli', 'index.js');
const sevenstick = (args: string[]) => run(process.execPath, [CLI, ...args]);

function lastJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
}

for (const style of ['udf-only', 'bridge']) {
  test(`extract from a ${style} Win7-like ISO: install.wim:1/…/bootmgfw.efi and sources/install.wim equal 7z + wimlib`, async () => {
    const iso = await fixture('win7-iso.sh', ['--style', style, '--label', 'WIM_EXTRACT_TEST']);
    const t = tempDir();
    try {
      // Oracle: 7z takes install.wim out of the ISO, wimlib takes bootmgfw.efi out of the WIM.
      await runOk('7z', ['x', '-tudf', `-o${t.path}/7z`, iso, 'sources/install.wim']);
      const oracleWim = join(t.path, '7z', 'sources', 'install.wim');
      await runOk('wimlib-imagex', ['extract', oracleWim, '1', '/Windows/Boot/EFI/bootmgfw.efi', `--dest-dir=${t.path}/wl`]);
      const want = readFileSync(join(t.path, 'wl', 'bootmgfw.efi'));

      const out = join(t.path, 'bootx64.efi');
      const r = await sevenstick(['extract', iso, 'sources/install.wim:1/Windows/Boot/EFI/bootmgfw.efi', '-o', out, '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(readFileSync(out).equals(want), 'bootmgfw.efi equals wimlib’s');
      const res = lastJson(r.stdout);
      assert.equal(res.type, 'result');
      assert.equal(res.bytes, want.length);
      assert.equal(res.verified, true);
      assert.ok(r.stdout.includes('"type":"progress"'), 'progress lines on stdout with --json');

      const wimOut = join(t.path, 'install.wim');
      const r2 = await sevenstick(['extract', iso, 'SOURCES/Install.WIM', '-o', wimOut]);
      assert.equal(r2.code, 0, r2.stderr);
      assert.ok(readFileSync(wimOut).equals(readFileSync(oracleWim)), 'install.wim equals 7z’s');

      // The extracted .wim works as a plain WIM too.
      const out3 = join(t.path, 'again.efi');
      const r3 = await sevenstick(['extract', wimOut, '1/windows/boot/efi/bootmgfw.efi', '-o', out3]);
      assert.equal(r3.code, 0, r3.stderr);
      assert.ok(readFileSync(out3).equals(want));
    } finally {
      t.cleanup();
    }
  });
}

test('extract exit codes: missing paths, bad specs, unsupported and damaged WIMs → 2, and no output left behind', async () => {
  const fx = await fixture('wim-tree.sh', ['none', '', 'cli']);
  const wim = join(fx, 'test.wim');
  const t = tempDir();
  try {
    const out = join(t.path, 'o.bin');
    const cases: [string[], string][] = [
      [['extract', wim, '1/nope.txt', '-o', out, '--json'], 'E_NOT_FOUND'],
      [['extract', wim, '3/big.txt', '-o', out, '--json'], 'E_NOT_FOUND'],
      [['extract', wim, 'big.txt', '-o', out, '--json'], 'E_ARGS'],
      [['extract', wim, '1/deep', '-o', out, '--json'], 'E_ARGS'],
      [['extract', join(t.path, 'missing.iso'), 'x', '-o', out, '--json'], 'E_NOT_FOUND'],
    ];
    for (const [args, code] of cases) {
      const r = await sevenstick(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      const e = lastJson(r.stdout);
      assert.equal(e.type, 'error');
      assert.equal(e.code, code, args.join(' '));
      assert.equal(existsSync(out), false);
    }
    const noOutput = await sevenstick(['extract', wim, '1/big.txt']);
    assert.equal(noOutput.code, 2, 'a missing -o is bad arguments');

    const solid = join(t.path, 'x.esd');
    await runOk('wimlib-imagex', ['capture', join(fx, 'src2'), solid, '--solid']);
    const r = await sevenstick(['extract', solid, '1/only2/readme.TXT', '-o', out, '--json']);
    assert.equal(r.code, 2);
    assert.equal(lastJson(r.stdout).code, 'E_UNSUPPORTED');

    // Damage big.txt's stored bytes: E_CHECKSUM, exit 2, partial output removed.
    const buf = readFileSync(wim);
    const src = readFileSync(join(fx, 'out1', 'big.txt'));
    const at = buf.indexOf(src.subarray(1_500_000, 1_500_100));
    assert.ok(at > 0);
    buf[at] ^= 0x20;
    const bad = join(t.path, 'bad.wim');
    writeFileSync(bad, buf);
    const d = await sevenstick(['extract', bad, '1/big.txt', '-o', out, '--json']);
    assert.equal(d.code, 2);
    const e = lastJson(d.stdout);
    assert.equal(e.code, 'E_CHECKSUM');
    assert.match(String(e.message), /big\.txt/);
    assert.equal(existsSync(out), false, 'no damaged file is left behind');

    const ok = await sevenstick(['extract', wim, '1/big.txt', '-o', out]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(readFileSync(out).equals(src));
  } finally {
    t.cleanup();
  }
});
