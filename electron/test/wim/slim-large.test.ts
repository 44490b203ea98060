/**
 * The real case, slow (skipped unless SEVENSTICK_SLOW=1; needs ~12 GB in $TMPDIR and a few minutes):
 * a two-image WIM of more than 4 GiB (incompressible data, XPRESS), whose images each fit FAT32
 * alone. Each slimmed WIM is planned (size up front), produced through the reader into a file of
 * exactly that size under 4 GiB, and accepted by `wimlib-imagex info` and `verify`; its `dir
 * --detailed` listing equals the source image's (same hashes, sizes, compressed sizes). Image 2's
 * resources lie beyond 4 GiB in the source, so 64-bit offsets are exercised on the way.
 * Figures go to the test's diagnostics.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FileReader, MAX_FILE_SIZE, openWim, planSlimWim, slimmedSizes } from '../../engine/index.js';
import { runOk, tempDir } from '../helpers/tools.js';
import { detailedListing, produce } from './slim-oracle.js';

const SLOW = process.env['SEVENSTICK_SLOW'] === '1';
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

async function randomFiles(dir: string, names: string[], mib: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const n of names) await runOk('sh', ['-c', `head -c ${mib * MiB} /dev/urandom > "${join(dir, n)}"`], { timeoutMs: 600_000 });
}

test('a WIM over 4 GiB: each edition alone fits FAT32, and wimlib verifies the slimmed WIM', { skip: !SLOW && 'set SEVENSTICK_SLOW=1 to run (≈12 GB of scratch space, minutes)', timeout: 3_600_000 }, async (t) => {
  const tmp = tempDir('sevenstick-slim-large-');
  const wimPath = join(tmp.path, 'big.wim');
  const since = (t0: number): string => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  try {
    // Image 1: 4 × 560 MiB of its own + a 64 MiB file shared with image 2; image 2 likewise.
    let t0 = Date.now();
    const src1 = join(tmp.path, 'src1');
    const src2 = join(tmp.path, 'src2');
    await randomFiles(src1, ['a1.bin', 'a2.bin', 'a3.bin', 'a4.bin'], 560);
    await randomFiles(src1, ['shared64.bin'], 64);
    await runOk('wimlib-imagex', ['capture', src1, wimPath, 'one', '--compress=XPRESS'], { timeoutMs: 3_600_000 });
    await randomFiles(src2, ['b1.bin', 'b2.bin', 'b3.bin', 'b4.bin'], 560);
    await runOk('cp', [join(src1, 'shared64.bin'), join(src2, 'shared64.bin')]);
    rmSync(src1, { recursive: true, force: true });
    await runOk('wimlib-imagex', ['append', src2, wimPath, 'two'], { timeoutMs: 3_600_000 });
    rmSync(src2, { recursive: true, force: true });
    const wimSize = statSync(wimPath).size;
    t.diagnostic(`source WIM: ${wimSize} bytes (${(wimSize / GiB).toFixed(2)} GiB), built in ${since(t0)}`);
    assert.ok(wimSize > MAX_FILE_SIZE, 'the source WIM does not fit FAT32');

    const r = await FileReader.open(wimPath);
    try {
      const wim = await openWim(r);
      t0 = Date.now();
      const sizes = await slimmedSizes(wim, MAX_FILE_SIZE);
      t.diagnostic(`slimmedSizes (both images) in ${since(t0)}: ${sizes.map((s) => `image ${s.imageIndex} ${s.size} bytes fits=${s.fits}`).join(', ')}`);
      assert.ok(sizes.every((s) => s.fits), 'each edition alone fits FAT32');

      for (const image of [2, 1]) {
        t0 = Date.now();
        const slim = await planSlimWim(wim, image);
        const plan = since(t0);
        const out = join(tmp.path, `slim${image}.wim`);
        t0 = Date.now();
        await produce(slim, out, 8 * MiB);
        const secs = (Date.now() - t0) / 1000;
        assert.equal(statSync(out).size, slim.size, 'bytes produced = size planned');
        assert.ok(slim.size <= MAX_FILE_SIZE);
        t.diagnostic(
          `image ${image}: planned in ${plan}, ${slim.size} bytes (${(slim.size / GiB).toFixed(2)} GiB, ${slim.blobCount} blobs) produced in ${secs.toFixed(1)} s (${(slim.size / MiB / secs).toFixed(0)} MiB/s)`,
        );
        t0 = Date.now();
        const info = (await runOk('wimlib-imagex', ['info', out])).stdout;
        assert.match(info, /Image Count:\s+1\n/);
        assert.match(info, new RegExp(`Name:\\s+${image === 1 ? 'one' : 'two'}\\n`));
        await runOk('wimlib-imagex', ['verify', out], { timeoutMs: 3_600_000 });
        t.diagnostic(`image ${image}: wimlib-imagex verify passed in ${since(t0)}`);
        assert.equal(await detailedListing(out, 1), await detailedListing(wimPath, image));
        rmSync(out, { force: true });
      }
    } finally {
      await r.close();
    }
  } finally {
    tmp.cleanup();
  }
});
