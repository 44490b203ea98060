/**
 * Planning without writing: Microsoft's cluster-size table, tiny and huge targets, the
 * read-ahead bound, and sources that change between planning and writing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addSourceFile, BufferReader, defaultSectorsPerCluster, findSourcePath, diskStream, planDisk, READ_AHEAD, SevenStickError, type ByteReader, type SourceEntry } from '../../engine/index.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const T = new Date(Date.UTC(2010, 10, 20));

function file(name: string, size: number, open?: () => ByteReader): SourceEntry {
  return { name, isDirectory: false, size, mtime: T, open: open ?? (() => new BufferReader(Buffer.alloc(size, 1), name)) };
}
function dir(name: string, children: SourceEntry[]): SourceEntry {
  return { name, isDirectory: true, size: 0, mtime: T, children };
}

test("cluster sizes follow fatgen103's table and never exceed 32 KiB", () => {
  const cases: [number, number][] = [
    [64 * MiB, 512],
    [260 * MiB, 512],
    [262 * MiB, 4096], // the table is by partition size: 261 MiB − 1 MiB is still ≤ 260 MiB
    [8 * GiB, 4096],
    [8 * GiB + 2 * MiB, 8192],
    [16 * GiB + 2 * MiB, 16384],
    [32 * GiB + 2 * MiB, 32768],
    [1024 * GiB, 32768],
  ];
  for (const [size, cluster] of cases) {
    const p = planDisk(dir('', [file('bootmgr', 1000)]), { targetSize: size });
    assert.equal(p.clusterSize, cluster, `${size / MiB} MiB`);
    assert.ok(p.clusterCount >= 65525);
    assert.equal(p.partitionSectors, size / 512 - 2048);
    // FAT big enough for every cluster, data area cluster-aligned inside the 1 MiB aligned partition.
    assert.ok((p.fatBytes / 4) >= p.clusterCount + 2);
    assert.equal((p.dataOffset - p.partitionOffset) % Math.max(cluster, 4096), 0);
  }
  assert.equal(defaultSectorsPerCluster(532480), 1);
  assert.equal(defaultSectorsPerCluster(532481), 8);
  assert.equal(defaultSectorsPerCluster(0xffffffff), 64);
});

test('the smallest FAT32 target works; a 3 TiB target gets an MBR-sized (2 TiB) partition', () => {
  const small = planDisk(dir('', []), { targetSize: 36 * MiB });
  assert.equal(small.clusterSize, 512);
  assert.ok(small.clusterCount >= 65525);
  const big = planDisk(dir('', [file('bootmgr', 1000)]), { targetSize: 3 * 1024 * GiB });
  assert.equal(big.partitionSectors, 0xffffffff);
  assert.equal(big.clusterSize, 32768);
  const s = diskStream(big);
  assert.equal(s.size, 3 * 1024 * GiB);
  assert.equal(s.describe(2.5 * 1024 * GiB), 'after the partition');
  assert.equal(s.describe(s.size - 512), 'backup GPT area');
  assert.ok(s.bytesToWrite < 600 * MiB, `${s.bytesToWrite}`); // two 256 MiB FATs + the rest
});

test('a file that changed size since planning is an error, not a silent short copy', async () => {
  const p = planDisk(dir('', [file('a.bin', 5000, () => new BufferReader(Buffer.alloc(4000), 'a.bin'))]), { targetSize: 64 * MiB });
  await assert.rejects(
    (async () => {
      for await (const _c of diskStream(p).chunks());
    })(),
    (e: unknown) => e instanceof SevenStickError && e.code === 'E_FORMAT' && /a\.bin/.test(e.message),
  );
});

test(`the stream reads at most ${READ_AHEAD} chunks ahead of a slow consumer`, async () => {
  let outstanding = 0;
  let maxOutstanding = 0;
  let consumed = 0;
  let maxAhead = 0;
  let started = 0;
  const size = 40 * MiB;
  const big = file('big.bin', size, () => ({
    size,
    label: 'big.bin',
    async read(_offset: number, length: number) {
      started++;
      maxAhead = Math.max(maxAhead, started - consumed);
      outstanding++;
      maxOutstanding = Math.max(maxOutstanding, outstanding);
      await new Promise((r) => setTimeout(r, 1));
      outstanding--;
      return Buffer.alloc(length);
    },
  }));
  const s = diskStream(planDisk(dir('', [big]), { targetSize: 128 * MiB }));
  for await (const c of s.chunks()) {
    if (['big.bin', 'root directory'].includes(s.describe(c.offset))) consumed++; // the first data chunk starts with the root
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.ok(consumed >= 10);
  assert.ok(maxAhead <= READ_AHEAD + 1, `read ${maxAhead} chunks ahead`);
  assert.ok(maxOutstanding <= READ_AHEAD + 1);
});

test('addSourceFile merges into existing folders case-insensitively and leaves the input tree alone', () => {
  const root = dir('', [dir('EFI', [dir('Microsoft', [dir('Boot', [file('bcd', 10)])])]), file('bootmgr', 10)]);
  const merged = addSourceFile(root, 'efi/boot/bootx64.efi', file('bootx64.efi', 20));
  assert.deepEqual(merged.children!.map((c) => c.name), ['EFI', 'bootmgr']);
  const efi = merged.children![0]!;
  assert.deepEqual(efi.children!.map((c) => c.name).sort(), ['Microsoft', 'boot']);
  assert.equal(findSourcePath(merged, 'EFI/BOOT/BOOTX64.EFI')?.size, 20);
  assert.equal(findSourcePath(root, 'efi/boot/bootx64.efi'), undefined);
  // And the plan has one EFI folder holding both.
  const p = planDisk(merged, { targetSize: 64 * MiB });
  assert.equal(p.root.children.filter((c) => c.isDirectory).length, 1);
});
