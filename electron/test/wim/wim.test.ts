/**
 * WIM reading against the oracle: WIMs made by `wimlib-imagex capture` + `append` (LZX, XPRESS,
 * uncompressed, and LZX with 128 KiB chunks); for every file of every image our bytes must equal
 * what `wimlib-imagex extract` wrote.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BufferReader,
  ExtentReader,
  FileReader,
  SevenStickError,
  openWim,
  type ByteReader,
  type Wim,
} from '../../engine/index.js';
import { fixture, runOk, tempDir } from '../helpers/tools.js';

const isCode = (code: string) => (e: unknown) => e instanceof SevenStickError && e.code === code;

/** Every regular file below `dir`, as '/'-separated paths. */
function oracleFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    const rel = prefix ? `${prefix}/${name}` : name;
    if (st.isDirectory()) out.push(...oracleFiles(p, rel));
    else if (st.isFile()) out.push(rel);
  }
  return out;
}

async function compareAll(wim: Wim, fx: string): Promise<number> {
  let n = 0;
  for (const img of [1, 2]) {
    const want = oracleFiles(join(fx, `out${img}`)).sort();
    const got: string[] = [];
    for await (const e of wim.walk(img)) {
      if (e.isDirectory || e.attributes & 0x400) continue;
      got.push(e.path);
      const ours = await wim.readFile(img, e.path);
      const theirs = readFileSync(join(fx, `out${img}`, e.path));
      assert.ok(ours.equals(theirs), `image ${img} ${e.path}: ${ours.length} bytes vs wimlib's ${theirs.length}`);
      assert.equal(e.size, theirs.length, `${e.path} size`);
      n++;
    }
    assert.deepEqual(got.sort(), want, `image ${img}: same file list as wimlib extract`);
  }
  return n;
}

for (const [comp, chunk] of [['LZX', ''], ['XPRESS', ''], ['none', ''], ['LZX', '131072']] as const) {
  test(`${comp}${chunk ? ' ' + chunk + '-byte chunks' : ''}: every file of both images equals wimlib-imagex extract`, async () => {
    const fx = await fixture('wim-tree.sh', chunk ? [comp, chunk] : [comp]);
    const r = await FileReader.open(join(fx, 'test.wim'));
    try {
      const wim = await openWim(r);
      assert.equal(wim.imageCount, 2);
      assert.equal(wim.header.compression, comp === 'none' ? 'none' : comp.toLowerCase());
      assert.match(wim.xmlText, /<NAME>one<\/NAME>[\s\S]*<NAME>two<\/NAME>/);
      const n = await compareAll(wim, fx);
      assert.ok(n >= 20, `compared ${n} files`);
    } finally {
      await r.close();
    }
  });
}

test('lookup is case-insensitive, lists folders, finds deep and non-ASCII paths, and knows empty files and symlinks', async () => {
  const fx = await fixture('wim-tree.sh', ['LZX']);
  const r = await FileReader.open(join(fx, 'test.wim'));
  try {
    const wim = await openWim(r);
    const e = await wim.lookup(1, 'WINDOWS/boot/EFI/BOOTMGFW.EFI');
    assert.ok(e);
    assert.equal(e.path, 'Windows/Boot/EFI/bootmgfw.efi');
    assert.equal(e.size, 120_000);
    assert.equal(e.sha1, createHash('sha1').update(readFileSync(join(fx, 'out1/Windows/Boot/EFI/bootmgfw.efi'))).digest('hex'));
    const two = await wim.readFile(2, '/windows/boot/efi/bootmgfw.efi');
    assert.ok(two.equals(readFileSync(join(fx, 'out2/Windows/Boot/EFI/bootmgfw.efi'))), 'image 2 has its own bootmgfw.efi');
    assert.equal(await wim.lookup(1, 'Windows/Boot/EFI/missing.efi'), undefined);
    assert.equal(await wim.lookup(1, 'big.txt/inside'), undefined, 'a file has no children');
    assert.equal(await wim.lookup(2, 'deep'), undefined, 'image 2 does not have image 1 files');

    const deep = await wim.readFile(1, 'deep/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/leaf.txt');
    assert.equal(deep.toString(), 'deep leaf\n'.repeat(100));
    assert.equal((await wim.readFile(1, 'ÜNÏCÖDÉ 文件.TXT')).toString(), 'unicode names\n'.repeat(50));
    assert.equal((await wim.readFile(1, 'ΕΛΛΗΝΙΚΆ/ФАЙЛ.txt')).toString(), 'cyrillic in greek\n');

    const empty = await wim.lookup(1, 'empty.txt');
    assert.ok(empty);
    assert.equal(empty.size, 0);
    assert.equal(empty.sha1, null);
    assert.equal((await wim.readFile(1, 'empty.txt')).length, 0);
    assert.equal(wim.open(empty).size, 0);

    const link = await wim.lookup(1, 'link-to-big');
    assert.ok(link);
    assert.ok(link.attributes & 0x400, 'a symlink is captured as a reparse point');
    assert.equal(link.sha1, null, 'the reparse data is not the file contents');

    const root = await wim.list(1, '');
    const names = root.map((x) => x.name).sort();
    for (const n of ['Windows', 'big.txt', 'deep', 'empty.txt', 'random.bin', 'sizes', 'zeros.bin']) assert.ok(names.includes(n), n);
    const sizes = await wim.list(1, 'SIZES');
    assert.deepEqual(sizes.map((x) => x.size).sort((a, b) => a - b), [1, 10, 11, 32767, 32768, 32769, 65537]);
    assert.ok(sizes.every((x) => x.path.startsWith('sizes/')));
    await assert.rejects(wim.list(1, 'big.txt'), isCode('E_ARGS'));
    await assert.rejects(wim.list(1, 'nope'), isCode('E_NOT_FOUND'));
    await assert.rejects(wim.readFile(1, 'nope.txt'), isCode('E_NOT_FOUND'));
    await assert.rejects(wim.lookup(3, 'x'), isCode('E_NOT_FOUND'));
    await assert.rejects(wim.lookup(0, 'x'), isCode('E_NOT_FOUND'));
    assert.throws(() => wim.open(root.find((x) => x.name === 'deep')!), isCode('E_ARGS'));
  } finally {
    await r.close();
  }
});

test('random access: arbitrary byte ranges of compressed files equal the same ranges of wimlib output', async () => {
  const fx = await fixture('wim-tree.sh', ['LZX']);
  const r = await FileReader.open(join(fx, 'test.wim'));
  try {
    const wim = await openWim(r);
    for (const name of ['big.txt', 'random.bin', 'bash.elf', 'sizes/s32769.bin']) {
      const entry = (await wim.lookup(1, name))!;
      const want = readFileSync(join(fx, 'out1', name));
      const reader = wim.open(entry);
      assert.equal(reader.size, want.length);
      let seed = 12345;
      const rnd = (n: number): number => {
        seed = (seed * 1103515245 + 12345) >>> 0;
        return seed % n;
      };
      for (let i = 0; i < 60; i++) {
        const off = rnd(want.length);
        const len = Math.min(rnd(i % 3 === 0 ? 200_000 : 5000) + 1, want.length - off);
        const got = await reader.read(off, len);
        assert.ok(got.equals(want.subarray(off, off + len)), `${name} [${off}, +${len})`);
      }
      // chunk edges exactly
      for (const off of [0, 32767, 32768, 65535, 65536].filter((o) => o < want.length)) {
        assert.ok((await reader.read(off, 1)).equals(want.subarray(off, off + 1)), `${name} byte ${off}`);
      }
      await assert.rejects(reader.read(want.length - 1, 2), isCode('E_RANGE'));
    }
  } finally {
    await r.close();
  }
});

test('a WIM read through extents inside a larger image (like install.wim in an ISO) reads the same', async () => {
  const fx = await fixture('wim-tree.sh', ['XPRESS']);
  const wimBytes = readFileSync(join(fx, 'test.wim'));
  // Scatter the WIM in 3 pieces, out of order, inside a bigger buffer, like a fragmented UDF file.
  const a = 100_000;
  const b = 700_000;
  const pieces = [wimBytes.subarray(0, a), wimBytes.subarray(a, b), wimBytes.subarray(b)];
  const host = Buffer.alloc(wimBytes.length + 3 * 4096, 0xcc);
  const at = [2 * 4096 + pieces[2]!.length + pieces[1]!.length, 4096 + pieces[2]!.length, 0];
  pieces.forEach((p, i) => p.copy(host, at[i]!));
  const reader: ByteReader = new ExtentReader(
    new BufferReader(host, 'host.iso'),
    pieces.map((p, i) => ({ offset: at[i]!, length: p.length })),
    'sources/test.wim in host.iso',
  );
  const wim = await openWim(reader);
  const n = await compareAll(wim, fx);
  assert.ok(n >= 20);
});

test('a damaged blob is refused with E_CHECKSUM naming the file; a sequential reader checks too', async () => {
  const fx = await fixture('wim-tree.sh', ['none']);
  const t = tempDir();
  try {
    const buf = readFileSync(join(fx, 'test.wim'));
    const want = readFileSync(join(fx, 'out1/Windows/Boot/EFI/bootmgfw.efi'));
    const at = buf.indexOf(want.subarray(50_000, 50_064));
    assert.ok(at > 0, 'the stored file is found in the uncompressed WIM');
    buf[at + 10] ^= 0x01;
    const p = join(t.path, 'bad.wim');
    writeFileSync(p, buf);
    // The oracle agrees the WIM is damaged.
    await assert.rejects(runOk('wimlib-imagex', ['extract', p, '1', '/Windows/Boot/EFI/bootmgfw.efi', `--dest-dir=${t.path}/x`]));
    const r = await FileReader.open(p);
    try {
      const wim = await openWim(r);
      await assert.rejects(wim.readFile(1, 'Windows/Boot/EFI/bootmgfw.efi'), (e: unknown) => {
        assert.ok(e instanceof SevenStickError);
        assert.equal(e.code, 'E_CHECKSUM');
        assert.match(e.message, /Windows\/Boot\/EFI\/bootmgfw\.efi/);
        return true;
      });
      const entry = (await wim.lookup(1, 'Windows/Boot/EFI/bootmgfw.efi'))!;
      await assert.rejects(wim.verifyBlob(entry), isCode('E_CHECKSUM'));
      const reader = wim.open(entry);
      await reader.read(0, 100_000);
      assert.equal(reader.verified, false);
      await assert.rejects(reader.read(90_000, reader.size - 90_000), isCode('E_CHECKSUM'));
      // Other files are fine.
      assert.ok((await wim.readFile(1, 'big.txt')).equals(readFileSync(join(fx, 'out1/big.txt'))));
      const ok = wim.open((await wim.lookup(1, 'big.txt'))!);
      for (let pos = 0; pos < ok.size; pos += 300_000) await ok.read(pos, Math.min(300_000, ok.size - pos));
      assert.equal(ok.verified, true);
    } finally {
      await r.close();
    }
  } finally {
    t.cleanup();
  }
});

test('LZMS/solid (.esd-style), split (.swm) and pipable WIMs are refused with E_UNSUPPORTED naming them', async () => {
  const fx = await fixture('wim-tree.sh', ['LZX']);
  const t = tempDir();
  try {
    const solid = join(t.path, 'solid.esd');
    await runOk('wimlib-imagex', ['capture', join(fx, 'src2'), solid, '--solid']);
    const r1 = await FileReader.open(solid);
    await assert.rejects(openWim(r1), (e: unknown) => isCode('E_UNSUPPORTED')(e) && /LZMS|solid|\.esd/.test((e as Error).message));
    await r1.close();

    await runOk('wimlib-imagex', ['split', join(fx, 'test.wim'), join(t.path, 'part.swm'), '1']);
    assert.ok(existsSync(join(t.path, 'part2.swm')), 'wimlib made at least two parts');
    const r2 = await FileReader.open(join(t.path, 'part.swm'));
    await assert.rejects(openWim(r2), (e: unknown) => isCode('E_UNSUPPORTED')(e) && /\.swm|split/.test((e as Error).message));
    await r2.close();

    const pipable = join(t.path, 'pipable.wim');
    await runOk('wimlib-imagex', ['capture', join(fx, 'src2'), pipable, '--pipable']);
    const r4 = await FileReader.open(pipable);
    await assert.rejects(openWim(r4), (e: unknown) => isCode('E_UNSUPPORTED')(e) && /pipable/.test((e as Error).message));
    await r4.close();

    const r3 = new BufferReader(Buffer.alloc(4096, 0x41), 'not.wim');
    await assert.rejects(openWim(r3), isCode('E_FORMAT'));
  } finally {
    t.cleanup();
  }
});

test('extractTo streams a file into a Writable with backpressure and checks its SHA-1', async () => {
  const fx = await fixture('wim-tree.sh', ['LZX']);
  const r = await FileReader.open(join(fx, 'test.wim'));
  try {
    const wim = await openWim(r);
    const entry = (await wim.lookup(1, 'big.txt'))!;
    const parts: Buffer[] = [];
    const { Writable } = await import('node:stream');
    let progress = 0;
    const sink = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb) {
        parts.push(chunk);
        setImmediate(cb);
      },
    });
    const n = await wim.extractTo(entry, sink, undefined, (k) => (progress += k));
    assert.equal(n, entry.size);
    assert.equal(progress, entry.size);
    assert.ok(Buffer.concat(parts).equals(readFileSync(join(fx, 'out1', 'big.txt'))));
  } finally {
    await r.close();
  }
});
