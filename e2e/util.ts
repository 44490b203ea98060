/**
 * e2e set-up helpers: fixture images (the shared Win7-like ISO script, a raw disk image made here),
 * loop devices over sparse files (the "USB sticks"), and waiting helpers.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './host.js';

export const FIXTURES = join(REPO, 'build', 'fixtures');

/** The shared Win7-like ISO (scripts/fixtures/win7-iso.sh), cached by the script's hash. */
export function win7Iso(args: string[] = []): string {
  const script = join(REPO, 'scripts', 'fixtures', 'win7-iso.sh');
  const key = createHash('sha256').update(execFileSync('cat', [script])).update(JSON.stringify(args)).digest('hex').slice(0, 12);
  mkdirSync(FIXTURES, { recursive: true });
  const out = join(FIXTURES, `e2e-win7${args.join('-').replace(/[^A-Za-z0-9_.-]/g, '_')}.${key}.iso`);
  if (!existsSync(out)) {
    execFileSync('bash', [script, `${out}.tmp`, ...args], { stdio: 'ignore', timeout: 300_000 });
    renameSync(`${out}.tmp`, out);
  }
  return out;
}

/** A raw disk image (no filesystem; written byte for byte), deterministic content. */
export function rawImage(dir: string, mib: number, name = 'disk.img'): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  // One pseudo-random MiB (SHA-256 in counter mode), stamped with its index so no two MiBs are equal.
  const block = Buffer.alloc(1024 * 1024);
  for (let j = 0; j < block.length; j += 32) createHash('sha256').update(`sevenstick:${j}`).digest().copy(block, j);
  for (let i = 0; i < mib; i++) {
    block.writeUInt32LE(i, 0);
    block.writeUInt32LE(i, 4096);
    writeSync(fd, block);
  }
  closeSync(fd);
  return path;
}

export interface Loop {
  device: string;
  backing: string;
  detach(): void;
}

/** A loop device over a new sparse file of `mib` MiB (direct I/O on, like a real stick's writes). */
export function loopDevice(dir: string, mib: number, name = 'stick.img'): Loop {
  const backing = join(dir, name);
  execFileSync('truncate', ['-s', `${mib}M`, backing]);
  const device = execFileSync('losetup', ['-f', '--show', backing], { encoding: 'utf8' }).trim();
  let attached = true;
  return {
    device,
    backing,
    detach() {
      if (!attached) return;
      attached = false;
      try {
        execFileSync('losetup', ['-d', device], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    },
  };
}

export async function until<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, ms = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Slows writes to one block device for this process and its children (the helper), through a cgroup
 * v1 blkio throttle — so "cancel mid-write" has a write to cancel. Returns an undo function, or null
 * where the controller is not available.
 */
export function throttleWrites(device: string, bytesPerSecond: number): (() => void) | null {
  const root = '/sys/fs/cgroup/blkio';
  if (!existsSync(join(root, 'cgroup.procs'))) return null;
  const dir = join(root, `sevenstick-e2e-${process.pid}`);
  try {
    const mm = execFileSync('lsblk', ['-dno', 'MAJ:MIN', device], { encoding: 'utf8' }).trim();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'blkio.throttle.write_bps_device'), `${mm} ${bytesPerSecond}\n`);
    writeFileSync(join(dir, 'cgroup.procs'), `${process.pid}\n`);
  } catch {
    return null;
  }
  return () => {
    try {
      writeFileSync(join(root, 'cgroup.procs'), `${process.pid}\n`);
      rmdirSync(dir);
    } catch {
      // a child still in it: the directory goes with the next run
    }
  };
}
