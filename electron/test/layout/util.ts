/**
 * Test helpers for the layout tests: a SourceEntry tree from a local folder, a tiny writer
 * loop that puts a DiskImageStream into a (sparse) file while checking the chunk rules, and
 * the oracles' wrappers (sfdisk, fsck.fat, mtools).
 */
import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SevenStickError, type ByteReader, type DiskImageStream, type SourceEntry } from '../../engine/index.js';
import { run, runOk } from '../helpers/tools.js';

/** A reader over a local file that opens it per read (no descriptor to leak in tests). */
export function localFileReader(path: string): ByteReader {
  const size = statSync(path).size;
  return {
    size,
    label: path,
    async read(offset: number, length: number): Promise<Buffer> {
      if (offset < 0 || offset + length > size) throw new SevenStickError('E_RANGE', `${path}: read past end`);
      const fd = openSync(path, 'r');
      try {
        const buf = Buffer.alloc(length);
        let done = 0;
        while (done < length) {
          const n = readSync(fd, buf, done, length - done, offset + done);
          if (n === 0) throw new SevenStickError('E_RANGE', `${path}: short read`);
          done += n;
        }
        return buf;
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** A SourceEntry tree of a local folder. */
export function sourceFromDir(path: string, name = ''): SourceEntry {
  const st = statSync(path);
  if (!st.isDirectory()) return { name, isDirectory: false, size: st.size, mtime: st.mtime, open: () => localFileReader(path) };
  const children = readdirSync(path).map((n) => sourceFromDir(join(path, n), n));
  return { name, isDirectory: true, size: 0, mtime: st.mtime, children };
}

export interface WriteStats {
  chunks: number;
  bytes: number;
  bootChunks: number;
  maxChunk: number;
  /** Full-size (4 MiB) chunks, and how many distinct memory blocks they came in. */
  fullChunks: number;
  fullChunkBuffers: number;
}

/** Writes the stream into a file of `stream.size` bytes (sparse), asserting the chunk rules as it goes. */
export async function writeStreamToFile(stream: DiskImageStream, path: string, signal?: AbortSignal, reuseBuffers = false): Promise<WriteStats> {
  const fd = openSync(path, 'w');
  const stats: WriteStats = { chunks: 0, bytes: 0, bootChunks: 0, maxChunk: 0, fullChunks: 0, fullChunkBuffers: 0 };
  const full = new Set<ArrayBufferLike>();
  try {
    ftruncateSync(fd, stream.size);
    let lastEnd = 0;
    let inBoot = false;
    const bootRanges: [number, number][] = [];
    for await (const c of stream.chunks(signal, { reuseBuffers })) {
      assert.equal(c.offset % 512, 0, `chunk offset ${c.offset} not sector aligned`);
      assert.equal(c.data.length % 512, 0, `chunk at ${c.offset} has ${c.data.length} bytes`);
      assert.ok(c.data.length > 0);
      assert.ok(c.offset + c.data.length <= stream.size, `chunk at ${c.offset} past the end`);
      if (c.boot) {
        inBoot = true;
        for (const [a, b] of bootRanges) assert.ok(c.offset >= b || c.offset + c.data.length <= a, 'boot chunks overlap');
        bootRanges.push([c.offset, c.offset + c.data.length]);
        stats.bootChunks++;
      } else {
        assert.ok(!inBoot, `non-boot chunk at ${c.offset} after a boot chunk`);
        assert.ok(c.offset >= lastEnd, `chunk at ${c.offset} overlaps or is out of order (previous ended at ${lastEnd})`);
        lastEnd = c.offset + c.data.length;
      }
      stats.chunks++;
      stats.bytes += c.data.length;
      stats.maxChunk = Math.max(stats.maxChunk, c.data.length);
      if (c.data.length === 4 * 1024 * 1024) {
        stats.fullChunks++;
        full.add(c.data.buffer);
      }
      let done = 0;
      while (done < c.data.length) done += writeSync(fd, c.data, done, c.data.length - done, c.offset + done);
    }
    // Boot chunks must not overlap the data chunks either: they are all in the first MiB + reserved area,
    // which the normal chunks leave out for exactly these sectors.
  } finally {
    closeSync(fd);
  }
  assert.equal(stats.bytes, stream.bytesToWrite, 'bytesToWrite differs from the sum of chunk lengths');
  stats.fullChunkBuffers = full.size;
  return stats;
}

export interface SfdiskPartition {
  node: string;
  start: number;
  size: number;
  type: string;
  bootable?: boolean;
}

export async function sfdiskPartitions(img: string): Promise<{ label: string; partitions: SfdiskPartition[] }> {
  const r = await runOk('sfdisk', ['--json', img]);
  const j = JSON.parse(r.stdout) as { partitiontable: { label: string; partitions: SfdiskPartition[] } };
  return j.partitiontable;
}

/** Copies the partition out of a disk image (sparse), for tools without an offset option. */
export async function extractPartition(img: string, dir: string, startLba = 2048): Promise<string> {
  const part = join(dir, `part-${process.pid}-${Date.now()}.img`);
  await runOk('dd', [`if=${img}`, `of=${part}`, 'bs=1M', `skip=${(startLba * 512) / 1048576}`, 'conv=sparse', 'status=none']);
  return part;
}

/** `fsck.fat -n` on the partition: exit code 0 and none of its complaint words. */
export async function assertFsckClean(img: string, dir: string): Promise<string> {
  const part = await extractPartition(img, dir);
  try {
    const r = await run('fsck.fat', ['-n', '-v', part]);
    const output = r.stdout + r.stderr;
    assert.equal(r.code, 0, output);
    assert.match(output, /FAT32|32 bit entries/i, output);
    assert.doesNotMatch(output, /differ|invalid|wrong|duplicate|lost|dirty|bad |mismatch|free cluster count|has no|unable|fix/i, output);
    return output;
  } finally {
    rmSync(part, { force: true });
  }
}

/** Paths 7-Zip lists in the partition (7z reads FAT too, and decodes LFNs beyond the BMP). */
export async function sevenZipPaths(img: string, dir: string): Promise<string[]> {
  const part = await extractPartition(img, dir);
  try {
    const r = await runOk('7z', ['l', '-slt', '-sccUTF-8', part], { env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    return [...r.stdout.matchAll(/^Path = (.*)$/gm)].map((m) => m[1] as string).filter((p) => p !== part);
  } finally {
    rmSync(part, { force: true });
  }
}

export const MTOOLS_ENV = { ...process.env, MTOOLS_SKIP_CHECK: '1', LC_ALL: 'C.UTF-8' };

/** `mcopy -s` of the whole volume into `out`. */
export async function mcopyAll(img: string, out: string): Promise<void> {
  const r = await run('mcopy', ['-s', '-n', '-m', '-i', `${img}@@1M`, '::/*', out], { env: MTOOLS_ENV });
  assert.equal(r.code, 0, `mcopy failed: ${r.stderr}`);
  assert.ok(!/too big|error|cannot|failed/i.test(r.stderr), `mcopy complained: ${r.stderr}`);
}

export async function mdir(img: string, path = '::/', extra: string[] = []): Promise<string> {
  const r = await runOk('mdir', [...extra, '-i', `${img}@@1M`, path], { env: MTOOLS_ENV });
  return r.stdout;
}

/** Every file and folder under `dir` as relative paths, with each file's bytes. */
export function listTree(dir: string, prefix = ''): Map<string, Buffer | 'dir'> {
  const out = new Map<string, Buffer | 'dir'>();
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    const rel = prefix ? `${prefix}/${n}` : n;
    if (statSync(p).isDirectory()) {
      out.set(rel, 'dir');
      for (const [k, v] of listTree(p, rel)) out.set(k, v);
    } else out.set(rel, readFileSync(p));
  }
  return out;
}

/**
 * mtools 4.0.x decodes long names as UCS-2: a character beyond the BMP (a surrogate pair) comes
 * out as two '_'. Names are compared through this; 7-Zip checks those names exactly.
 */
export function asMtoolsSees(name: string): string {
  return name.replace(/[\u{10000}-\u{10FFFF}]/gu, '__');
}

/** Asserts two trees hold the same names and bytes (expected names as mtools shows them). */
export function assertSameTree(actual: Map<string, Buffer | 'dir'>, expectedRaw: Map<string, Buffer | 'dir'>): void {
  const expected = new Map([...expectedRaw].map(([k, v]) => [asMtoolsSees(k), v]));
  const a = [...actual.keys()].sort();
  const e = [...expected.keys()].sort();
  assert.deepEqual(a, e, 'file names differ');
  for (const k of e) {
    const x = actual.get(k);
    const y = expected.get(k);
    if (y === 'dir') assert.equal(x, 'dir', `${k} should be a folder`);
    else assert.ok(Buffer.isBuffer(x) && x.equals(y as Buffer), `${k}: bytes differ`);
  }
}
