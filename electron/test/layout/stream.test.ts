/**
 * Refusals before any write, the stream's chunk rules (order, boot sectors last, only used
 * regions, old signatures wiped), cancellation, the raw stream, and the fixed-VHD footer
 * as qemu-img sees it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  BufferReader,
  createRawStream,
  diskStream,
  planDisk,
  SevenStickError,
  type DiskChunk,
  type SourceEntry,
} from '../../engine/index.js';
import { runOk, tempDir } from '../helpers/tools.js';
import { assertFsckClean, assertSameTree, listTree, mcopyAll, sfdiskPartitions, sourceFromDir, writeStreamToFile } from './util.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

function file(name: string, size: number, fill = 0): SourceEntry {
  return { name, isDirectory: false, size, mtime: new Date(Date.UTC(2010, 10, 20, 12, 0, 0)), open: () => new BufferReader(Buffer.alloc(size, fill), name) };
}
function dir(name: string, children: SourceEntry[]): SourceEntry {
  return { name, isDirectory: true, size: 0, mtime: new Date(Date.UTC(2010, 10, 20, 12, 0, 0)), children };
}

function readAt(path: string, offset: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(length);
    readSync(fd, b, 0, length, offset);
    return b;
  } finally {
    closeSync(fd);
  }
}

function isCode(code: string, re?: RegExp) {
  return (e: unknown) => e instanceof SevenStickError && e.code === code && (!re || re.test(e.message));
}

test('a file of 4 GiB or more is refused before anything is written, naming the file and the way out', () => {
  const t = tempDir();
  try {
    mkdirSync(join(t.path, 'src', 'sources'), { recursive: true });
    const big = join(t.path, 'src', 'sources', 'install.wim');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 4 * GiB); // sparse: exactly 4 GiB is one byte too many for FAT32
    closeSync(fd);
    const src = sourceFromDir(join(t.path, 'src'));
    assert.throws(() => planDisk(src, { targetSize: 16 * GiB }), isCode('E_FILE_TOO_LARGE', /sources\/install\.wim.*4 GiB.*(swm|split)/is));
    // One byte less fits (planning only: nothing is read).
    const fd2 = openSync(big, 'r+');
    ftruncateSync(fd2, 4 * GiB - 1);
    closeSync(fd2);
    const plan = planDisk(sourceFromDir(join(t.path, 'src')), { targetSize: 16 * GiB });
    assert.equal(plan.files[0]!.size, 4 * GiB - 1);
  } finally {
    t.cleanup();
  }
});

test('a target too small is refused with the size needed, and that size works', () => {
  const src = dir('', [file('a.bin', 60 * MiB), dir('sources', [file('boot.wim', 20 * MiB)])]);
  let needed = 0;
  assert.throws(
    () => planDisk(src, { targetSize: 64 * MiB }),
    (e: unknown) => {
      if (!(e instanceof SevenStickError) || e.code !== 'E_TARGET_TOO_SMALL') return false;
      needed = e.details['needed'] as number;
      return /needs at least/.test(e.message);
    },
  );
  assert.ok(needed > 80 * MiB && needed < 90 * MiB, `needed ${needed}`);
  planDisk(src, { targetSize: needed });
  assert.throws(() => planDisk(src, { targetSize: needed - MiB }), isCode('E_TARGET_TOO_SMALL'));
  // Below what FAT32 itself needs (65525 clusters): refused even when empty.
  assert.throws(() => planDisk(dir('', []), { targetSize: 20 * MiB }), isCode('E_TARGET_TOO_SMALL', /34 MiB/));
});

test('names FAT32 cannot hold are refused: case-only duplicates, illegal characters', () => {
  assert.throws(() => planDisk(dir('', [file('Setup.exe', 1), file('SETUP.EXE', 1)]), { targetSize: 64 * MiB }), isCode('E_UNSUPPORTED', /case/));
  assert.throws(() => planDisk(dir('', [file('a:b', 1)]), { targetSize: 64 * MiB }), isCode('E_UNSUPPORTED', /a:b/));
  assert.throws(() => planDisk(dir('', [file('x'.repeat(256), 1)]), { targetSize: 64 * MiB }), isCode('E_UNSUPPORTED'));
  // 'ß' upper-cases to 'SS' in JavaScript but not on FAT: these are two different names.
  const p = planDisk(dir('', [file('straße.txt', 1), file('STRASSE.TXT', 1)]), { targetSize: 64 * MiB });
  assert.deepEqual(p.files.map((f) => f.shortName).sort(), ['STRASSE TXT', 'STRA_E~1TXT']);
});

test('chunks: only used regions, boot sectors last, old signatures wiped, describe() names what lives where', async () => {
  const t = tempDir();
  try {
    const src = dir('', [file('bootmgr', 383_786, 0x11), dir('sources', [file('install.wim', 9 * MiB + 7, 0x22), file('empty.txt', 0)]), dir('efi', [])]);
    const plan = planDisk(src, { targetSize: 1 * GiB, label: 'grmcprxfrer_en_dvd' });
    const s = diskStream(plan);
    assert.equal(s.size, 1 * GiB);
    assert.ok(s.bytesToWrite < 20 * MiB, `writes ${s.bytesToWrite} bytes of a 1 GiB disk`);
    const img = join(t.path, 'disk.img');
    // An old stick: random bytes in the first and the last MiB (old MBR/GPT, old filesystem).
    const fd = openSync(img, 'w');
    ftruncateSync(fd, s.size);
    closeSync(fd);
    await runOk('dd', ['if=/dev/urandom', `of=${img}`, 'bs=1M', 'count=1', 'conv=notrunc', 'status=none']);
    await runOk('dd', ['if=/dev/urandom', `of=${img}`, 'bs=1M', 'count=1', `seek=${s.size / MiB - 1}`, 'conv=notrunc', 'status=none']);
    const st = await writeStreamToFile(s, img);
    assert.ok(st.maxChunk <= 4 * MiB);
    assert.equal(st.bootChunks, 4); // MBR, boot sector, backup boot sector, stage 2 (sector 12+)
    assert.ok(readAt(img, 512, MiB - 512).equals(Buffer.alloc(MiB - 512)), 'the first MiB after the MBR is zeroed');
    assert.ok(readAt(img, s.size - 33 * 512, 33 * 512).equals(Buffer.alloc(33 * 512)), 'the backup GPT area is zeroed');
    await assertFsckClean(img, t.path);
    const pt = await sfdiskPartitions(img);
    assert.equal(pt.partitions.length, 1);

    // The boot chunks are the last ones and are exactly the boot-critical sectors.
    const chunks: DiskChunk[] = [];
    for await (const c of s.chunks()) chunks.push({ offset: c.offset, data: Buffer.alloc(0), ...(c.boot ? { boot: true, stage: c.stage } : {}) });
    // In the order they become durable: backup boot sector and stage 2, then the boot sector, then the MBR.
    const boots = chunks.filter((c) => c.boot).map((c) => [c.offset, c.stage]);
    assert.deepEqual(boots, [
      [MiB + 6 * 512, 0],
      [MiB + 12 * 512, 0],
      [MiB, 1],
      [0, 2],
    ]);
    assert.ok(chunks.slice(-4).every((c) => c.boot));
    assert.equal(s.describe(MiB + 12 * 512), 'boot code (stage 2)');

    assert.equal(s.describe(0), 'MBR');
    assert.equal(s.describe(MiB), 'boot sector');
    assert.equal(s.describe(MiB + 512), 'FSInfo');
    assert.equal(s.describe(plan.fatOffset + 100), 'FAT #1');
    assert.equal(s.describe(plan.fatOffset + plan.fatBytes), 'FAT #2');
    assert.equal(s.describe(plan.dataOffset), 'root directory');
    const wim = plan.files.find((f) => f.path === 'sources/install.wim')!;
    const wimAt = plan.dataOffset + (wim.firstCluster - 2) * plan.clusterSize;
    assert.equal(s.describe(wimAt + 5 * MiB), 'sources/install.wim');
    assert.match(s.describe(wimAt + wim.size + 1), /install\.wim \(slack/);
    assert.equal(s.describe(512 * MiB), 'free');
    assert.equal(s.describe(s.size - 512), 'backup GPT area');
    // BOOTMGR's data comes first after the directories.
    const bm = plan.files.find((f) => f.path === 'bootmgr')!;
    assert.equal(bm.shortName, 'BOOTMGR    ');
    assert.ok(plan.allocated.findIndex((n) => n === bm) === plan.allocated.findIndex((n) => !n.isDirectory));
  } finally {
    t.cleanup();
  }
});

test('a write cut off before the boot chunks leaves no partition table', async () => {
  const t = tempDir();
  try {
    const s = diskStream(planDisk(dir('', [file('bootmgr', 1000, 1)]), { targetSize: 64 * MiB }));
    const img = join(t.path, 'cut.img');
    const fd = openSync(img, 'w');
    ftruncateSync(fd, s.size);
    for await (const c of s.chunks()) {
      if (c.boot) break;
      writeSync(fd, c.data, 0, c.data.length, c.offset);
    }
    closeSync(fd);
    assert.notEqual(readAt(img, 510, 2).readUInt16LE(0), 0xaa55);
    assert.notEqual(readAt(img, MiB + 510, 2).readUInt16LE(0), 0xaa55);
    const r = await runOk('sfdisk', ['--json', img]).catch((e: Error) => ({ stdout: '', stderr: e.message }));
    assert.doesNotMatch(r.stdout, /"partitions"/);
  } finally {
    t.cleanup();
  }
});

test('cancelling stops the stream with E_CANCELLED', async () => {
  const s = diskStream(planDisk(dir('', [file('big.bin', 20 * MiB, 3)]), { targetSize: 64 * MiB }));
  const ac = new AbortController();
  let n = 0;
  await assert.rejects(
    (async () => {
      for await (const _c of s.chunks(ac.signal)) if (++n === 2) ac.abort();
    })(),
    isCode('E_CANCELLED'),
  );
  assert.equal(n, 2);
});

for (const reuseBuffers of [false, true]) {
  test(`raw stream: the image byte for byte, padded to a sector, first 64 KiB last (reuseBuffers: ${reuseBuffers})`, async () => {
    const img = Buffer.alloc(9 * MiB + 100);
    for (let i = 0; i < img.length; i++) img[i] = (i * 7 + (i >> 9)) & 0xff;
    const s = createRawStream(new BufferReader(img, 'hybrid.iso'));
    assert.equal(s.size, 9 * MiB + 512);
    const out = Buffer.alloc(s.size, 0xee);
    const order: { offset: number; boot: boolean; stage?: number }[] = [];
    let bytes = 0;
    for await (const c of s.chunks(undefined, { reuseBuffers })) {
      c.data.copy(out, c.offset);
      order.push({ offset: c.offset, boot: c.boot === true, ...(c.boot ? { stage: c.stage } : {}) });
      bytes += c.data.length;
    }
    assert.equal(bytes, s.bytesToWrite);
    const expect = Buffer.alloc(s.size);
    img.copy(expect);
    assert.ok(out.equals(expect));
    assert.ok(order.length >= 4, `${order.length} chunks`);
    // The first 64 KiB last: sector 0 after the rest of them, in a later stage.
    assert.deepEqual(order.slice(-2), [
      { offset: 512, boot: true, stage: 0 },
      { offset: 0, boot: true, stage: 1 },
    ]);
    assert.ok(order.slice(0, -2).every((o) => !o.boot && o.offset >= 64 * 1024));
    assert.equal(s.describe(10), 'image boot area (first 64 KiB)');
  });
}

test('vhd: qemu-img sees a fixed vpc image of the planned size, and its data reads back', async () => {
  const t = tempDir();
  try {
    mkdirSync(join(t.path, 'src', 'sources'), { recursive: true });
    writeFileSync(join(t.path, 'src', 'bootmgr'), Buffer.alloc(5000, 9));
    writeFileSync(join(t.path, 'src', 'sources', 'Boot.wim'), Buffer.alloc(3 * MiB + 1, 7));
    const plan = planDisk(sourceFromDir(join(t.path, 'src')), { targetSize: 100 * MiB, vhd: true, label: 'win7' });
    assert.ok(plan.diskSize <= 100 * MiB && plan.diskSize > 99 * MiB, `${plan.diskSize}`);
    const s = diskStream(plan);
    assert.equal(s.size, plan.diskSize + 512);
    const vhd = join(t.path, 'x.vhd');
    await writeStreamToFile(s, vhd);
    const info = JSON.parse((await runOk('qemu-img', ['info', '--output=json', '-f', 'vpc', vhd])).stdout) as { format: string; 'virtual-size': number };
    assert.equal(info.format, 'vpc');
    assert.equal(info['virtual-size'], plan.diskSize);
    // qemu-img converts the VHD back to the raw disk: it must be exactly our first diskSize bytes.
    const raw = join(t.path, 'x.raw');
    await runOk('qemu-img', ['convert', '-f', 'vpc', '-O', 'raw', vhd, raw]);
    assert.ok(readFileSync(raw).equals(readFileSync(vhd).subarray(0, plan.diskSize)));
    await assertFsckClean(raw, t.path);
    const out = join(t.path, 'out');
    mkdirSync(out);
    await mcopyAll(raw, out);
    assertSameTree(listTree(out), listTree(join(t.path, 'src')));
    // Deterministic footer (same plan → same bytes), and 'conectix' at the end.
    const again = join(t.path, 'y.vhd');
    await writeStreamToFile(diskStream(planDisk(sourceFromDir(join(t.path, 'src')), { targetSize: 100 * MiB, vhd: true, label: 'win7' })), again);
    assert.ok(readFileSync(again).equals(readFileSync(vhd)));
    assert.equal(readFileSync(vhd).subarray(plan.diskSize, plan.diskSize + 8).toString('latin1'), 'conectix');
  } finally {
    t.cleanup();
  }
});

test('recycled chunk buffers are kept from one pass to the next, and two passes at once never share them', async () => {
  const img = Buffer.alloc(13 * MiB, 3);
  const s = createRawStream(new BufferReader(img, 'hybrid.iso'));
  const backing = async (): Promise<Set<ArrayBufferLike>> => {
    const set = new Set<ArrayBufferLike>();
    for await (const c of s.chunks(undefined, { reuseBuffers: true })) set.add(c.data.buffer);
    return set;
  };
  const first = await backing();
  const second = await backing();
  assert.deepEqual([...second].filter((b) => !first.has(b)), [], 'the second pass reads into the first pass buffers');
  const a = s.chunks(undefined, { reuseBuffers: true })[Symbol.asyncIterator]();
  const b = s.chunks(undefined, { reuseBuffers: true })[Symbol.asyncIterator]();
  const ca = await a.next();
  const cb = await b.next();
  assert.ok(!ca.done && !cb.done);
  assert.notEqual(ca.value.data.buffer, cb.value.data.buffer, 'concurrent passes use different buffers');
  assert.ok(ca.value.data.equals(cb.value.data));
  await a.return?.(undefined);
  await b.return?.(undefined);
});
