/**
 * Device test helpers: loop devices over small sparse files (always detached), a tmpfs-backed loop
 * device that fails mid-write, and a synthetic disk image stream with named regions, unaligned runs,
 * gaps and boot chunks (until the layout area's real streams are used).
 */
import { createCipheriv } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DiskChunk, DiskImageStream } from '../../engine/index.js';
import assert from 'node:assert/strict';
import { REPO, run, runOk, tempDir } from '../helpers/tools.js';

export const CLI = join(REPO, 'build', 'electron', 'cli', 'index.js');
export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
export const MiB = 1024 * 1024;

/** Deterministic pseudo-random bytes (AES-CTR over zeros; the seed picks the key). */
export function prng(seed: number, length: number): Buffer {
  const key = Buffer.alloc(16);
  key.writeUInt32LE(seed >>> 0, 0);
  const c = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  return Buffer.concat([c.update(Buffer.alloc(length)), c.final()]);
}

export interface Region {
  name: string;
  offset: number;
  data: Buffer;
  boot?: boolean;
}

/** A synthetic stream over named regions; pieces of `piece` bytes; boot regions come last. */
export function syntheticStream(size: number, regions: Region[], piece = MiB + 17): DiskImageStream & { regions: Region[]; image(): Buffer } {
  const sorted = [...regions].sort((a, b) => a.offset - b.offset);
  return {
    size,
    regions: sorted,
    bytesToWrite: sorted.reduce((n, r) => n + r.data.length, 0),
    describe(offset) {
      return sorted.find((r) => offset >= r.offset && offset < r.offset + r.data.length)?.name ?? 'free space';
    },
    async *chunks(): AsyncGenerator<DiskChunk> {
      for (const boot of [false, true]) {
        for (const r of sorted) {
          if (!!r.boot !== boot) continue;
          for (let p = 0; p < r.data.length; p += piece) {
            yield { offset: r.offset + p, data: r.data.subarray(p, Math.min(r.data.length, p + piece)), boot };
          }
        }
      }
    },
    image() {
      const b = Buffer.alloc(size);
      for (const r of sorted) r.data.copy(b, r.offset);
      return b;
    },
  };
}

/** A 48 MiB disk: MBR + VBR (boot), a FAT-ish table, three files (one starts and one ends off-sector). */
export function demoStream(seed = 1, size = 48 * MiB): ReturnType<typeof syntheticStream> {
  const mbr = prng(seed, 512);
  mbr.writeUInt16LE(0xaa55, 510);
  const vbr = prng(seed + 1, 512);
  vbr.writeUInt16LE(0xaa55, 510);
  return syntheticStream(size, [
    { name: 'MBR', offset: 0, data: mbr, boot: true },
    { name: 'VBR', offset: MiB, data: vbr, boot: true },
    { name: 'FAT #1', offset: MiB + 16 * 1024, data: prng(seed + 2, 40 * 1024) },
    { name: 'a.bin', offset: 2 * MiB, data: prng(seed + 3, 3 * MiB + 123) },
    { name: 'b.bin', offset: 5.5 * MiB + 100, data: prng(seed + 4, 7 * MiB) },
    { name: 'sources/install.wim', offset: 20 * MiB, data: prng(seed + 5, 10 * MiB) },
  ]);
}

export interface Loop {
  dev: string;
  file: string;
}

export interface LoopSpec {
  sizeMiB: number;
  directIo?: boolean;
  readOnly?: boolean;
  /** Put the backing file on a tmpfs of this many MiB: writes past it fail (EIO). */
  tmpfsMiB?: number;
  /** Initial contents of the backing file. */
  fill?: Buffer;
}

/** Runs fn with fresh loop devices; always detaches them and removes their files. */
export async function withLoops<T>(specs: LoopSpec[], fn: (loops: Loop[]) => Promise<T>): Promise<T> {
  const dir = tempDir('sevenstick-dev-');
  const loops: Loop[] = [];
  const mounts: string[] = [];
  try {
    for (const [i, s] of specs.entries()) {
      let base = dir.path;
      if (s.tmpfsMiB) {
        base = join(dir.path, `tmpfs${i}`);
        mkdirSync(base);
        await runOk('mount', ['-t', 'tmpfs', '-o', `size=${s.tmpfsMiB}M`, 'tmpfs', base]);
        mounts.push(base);
      }
      const file = join(base, `disk${i}.img`);
      if (s.fill) writeFileSync(file, s.fill);
      await runOk('truncate', ['-s', `${s.sizeMiB}M`, file]);
      const args = ['-f', '--show'];
      if (s.directIo) args.push('--direct-io=on');
      if (s.readOnly) args.push('-r');
      const dev = (await runOk('losetup', [...args, file])).stdout.trim();
      loops.push({ dev, file });
    }
    return await fn(loops);
  } finally {
    for (const l of loops) await run('losetup', ['-d', l.dev]);
    for (const m of mounts) await run('umount', [m]);
    rmSync(dir.path, { recursive: true, force: true });
  }
}

/**
 * Outside oracles for a written stick: sfdisk sees one bootable FAT32 (LBA) partition at 1 MiB, and
 * fsck.fat -n, on a read-only loop device over the partition in the backing file, finds nothing.
 */
export async function assertStickLayout(dev: string, backingFile: string): Promise<void> {
  const sf = JSON.parse((await runOk('sfdisk', ['--json', dev])).stdout) as { partitiontable: { partitions: { start: number; type: string; bootable?: boolean }[] } };
  assert.deepEqual(sf.partitiontable.partitions.map((p) => [p.start, p.type, p.bootable]), [[2048, 'c', true]]);
  const ro = (await runOk('losetup', ['-f', '--show', '-r', '-o', String(MiB), backingFile])).stdout.trim();
  try {
    const fsck = await run('fsck.fat', ['-n', ro]);
    assert.equal(fsck.code, 0, fsck.stdout + fsck.stderr);
  } finally {
    await run('losetup', ['-d', ro]);
  }
}
