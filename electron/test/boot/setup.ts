/**
 * Shared setup for the boot-code tests: fixtures (probes, disks built with sfdisk/mkfs.fat/
 * mtools), putting our boot code into a copy of a disk, and the fsck.fat oracle.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FAT32_BPB_LENGTH, FAT32_BPB_OFFSET, FAT32_STAGE2_SECTOR, fat32BootSector, fat32Stage2, mbrBootCode } from '../../engine/layout/bootcode.js';
import assert from 'node:assert/strict';
import { bootBios, bootUefi, type BootResult } from '../helpers/qemu.js';
import { REPO, fixture, run, runOk } from '../helpers/tools.js';

export const SECTOR = 512;
/** Size of the fake BOOTMGR: a bit over the real Win7 SP1 one (~375 KiB), not sector aligned. */
export const PROBE_SIZE = 391_337;
/** FAT32 backup boot sector (partition-relative). */
const BACKUP_BOOT_SECTOR = 6;

/** Every message our MBR and VBR can print. */
export const BOOT_MESSAGES =
  /BOOTMGR is missing|BOOTMGR is too big|Disk read error|File system damaged|Stage 2 missing|No active partition|Missing boot sector/;

/** fixture() keys on the builder script; this adds the source it assembles to the key. */
function srcTag(rel: string): string {
  return 'src-' + createHash('sha256').update(readFileSync(join(REPO, rel))).digest('hex').slice(0, 10);
}

export function bootmgrProbe(size = PROBE_SIZE): Promise<string> {
  return fixture('boot-bootmgr-probe.sh', [String(size), srcTag('scripts/fixtures/boot-bootmgr-probe.asm')]);
}

export function efiProbe(): Promise<string> {
  return fixture('efi-probe.sh', [srcTag('scripts/fixtures/efi-probe.c')]);
}

/** Test-only FORCE_CHS builds of mbr.asm and fat32.asm (a folder with mbr.bin and fat32.bin). */
export function chsVariant(): Promise<string> {
  return fixture('boot-chs-variant.sh', [srcTag('assets/boot/mbr.asm'), srcTag('assets/boot/fat32.asm'), srcTag('assets/boot/fail.inc')]);
}

export type DiskKind = 'simple' | 'fragmented' | 'bigroot' | 'missing' | 'efi';

/** A disk image made by outside tools only (see scripts/fixtures/boot-fat32-disk.sh). */
export function baseDisk(kind: DiskKind, sectorsPerCluster: number, payload: string): Promise<string> {
  return fixture('boot-fat32-disk.sh', [kind, String(sectorsPerCluster), payload]);
}

/** Copies a (sparse) disk image so a test can modify it. */
export async function copyDisk(src: string, dir: string, name = 'disk.img'): Promise<string> {
  const dst = join(dir, name);
  await runOk('cp', ['--sparse=always', src, dst]);
  return dst;
}

/** Start LBA of the first partition, as sfdisk (the oracle) sees it. */
export async function partitionStart(img: string): Promise<number> {
  const r = await runOk('sfdisk', ['--json', img]);
  const j = JSON.parse(r.stdout) as { partitiontable: { partitions: { start: number }[] } };
  const p = j.partitiontable.partitions[0];
  if (!p) throw new Error(`no partition in ${img}`);
  return p.start;
}

export interface BootCodeSet {
  /** 440 bytes for the MBR. */
  mbr: Buffer;
  /** The boot sector around the BPB bytes 3..89. */
  vbr: (bpb: Buffer) => Buffer;
  /** Stage-2 sectors for partition sector 12, … */
  stage2: Buffer;
}

/** Our shipped boot code, through the engine's loader. */
export function shippedCode(): BootCodeSet {
  return { mbr: mbrBootCode(), vbr: fat32BootSector, stage2: fat32Stage2() };
}

/** Boot code from a folder of raw .bin files (the FORCE_CHS variant). */
export function codeFromBins(dir: string): BootCodeSet {
  const mbr = readFileSync(join(dir, 'mbr.bin'));
  const fat = readFileSync(join(dir, 'fat32.bin'));
  return {
    mbr: mbr.subarray(0, 440),
    vbr: (bpb) => {
      const s = Buffer.from(fat.subarray(0, SECTOR));
      bpb.copy(s, FAT32_BPB_OFFSET);
      return s;
    },
    stage2: fat.subarray(SECTOR),
  };
}

export function readAt(img: string, offset: number, length: number): Buffer {
  const fd = openSync(img, 'r');
  try {
    const b = Buffer.alloc(length);
    if (readSync(fd, b, 0, length, offset) !== length) throw new Error(`short read in ${img} at ${offset}`);
    return b;
  } finally {
    closeSync(fd);
  }
}

export function writeAt(img: string, offset: number, data: Buffer): void {
  const fd = openSync(img, 'r+');
  try {
    writeSync(fd, data, 0, data.length, offset);
  } finally {
    closeSync(fd);
  }
}

/**
 * Puts boot code into a disk made by mkfs.fat, the way the disk planner will: MBR code in bytes
 * 0..439 (partition table kept), our boot sector around mkfs.fat's BPB at partition sectors 0
 * and 6 (backup), stage 2 at partition sector 12.
 */
export async function installBootCode(img: string, code: BootCodeSet = shippedCode()): Promise<number> {
  const start = await partitionStart(img);
  writeAt(img, 0, code.mbr);
  const bpb = readAt(img, start * SECTOR + FAT32_BPB_OFFSET, FAT32_BPB_LENGTH);
  const vbr = code.vbr(bpb);
  writeAt(img, start * SECTOR, vbr);
  writeAt(img, (start + BACKUP_BOOT_SECTOR) * SECTOR, vbr);
  writeAt(img, (start + FAT32_STAGE2_SECTOR) * SECTOR, code.stage2);
  return start;
}

/** fsck.fat -n on the partition, through a read-only loop device at the partition's offset. */
export async function fsckPartition(img: string): Promise<{ code: number; output: string }> {
  const start = await partitionStart(img);
  const dev = (await runOk('losetup', ['-r', '-o', String(start * SECTOR), '-f', '--show', img])).stdout.trim();
  try {
    const r = await run('fsck.fat', ['-n', dev]);
    return { code: r.code, output: r.stdout + r.stderr };
  } finally {
    await run('losetup', ['-d', dev]);
  }
}

/**
 * True if fsck.fat -n found nothing at all: exit 0 AND only its banner and summary lines (it exits 0
 * on "mostly harmless" findings such as a backup boot sector that differs).
 */
export function fsckClean(f: { code: number; output: string }): boolean {
  const lines = f.output.split('\n').map((l) => l.trim()).filter(Boolean);
  return f.code === 0 && lines.length === 2 && /^fsck\.fat /.test(lines[0] ?? '') && /: \d+ files, \d+\/\d+ clusters$/.test(lines[1] ?? '');
}

/** Cluster runs of a file or directory, by mtools' mshowfat (e.g. "<9-14> <21-26>" → 2 runs). */
export async function clusterRuns(img: string, path: string): Promise<{ runs: number; clusters: number; text: string }> {
  const r = await runOk('mshowfat', ['-i', `${img}@@1M`, path], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
  const runs = [...r.stdout.matchAll(/<(\d+)(?:-(\d+))?>/g)];
  const clusters = runs.reduce((n, m) => n + (m[2] ? Number(m[2]) - Number(m[1]) + 1 : 1), 0);
  return { runs: runs.length, clusters, text: r.stdout.trim() };
}

/** Machine and subsystem of a PE image (COFF header via e_lfanew at 0x3C; PE32+ optional header). */
export function peInfo(path: string): { machine: number; subsystem: number } {
  const b = readFileSync(path);
  if (b.toString('latin1', 0, 2) !== 'MZ') throw new Error(`${path} is not an MZ/PE file`);
  const pe = b.readUInt32LE(0x3c);
  if (b.toString('latin1', pe, pe + 4) !== 'PE\0\0') throw new Error(`${path} has no PE signature`);
  const machine = b.readUInt16LE(pe + 4);
  const optional = pe + 24;
  return { machine, subsystem: b.readUInt16LE(optional + 68) };
}

/** The probe's report line on the serial port: PROBE OK|FAIL <check> size= sum= dl= hidd=. */
export const PROBE_LINE = /PROBE (OK|FAIL[^\r\n]*?) size=(\d+) sum=([0-9a-f]{8}) dl=([0-9a-f]{2}) hidd=(\d+)/;

/** The tail of a boot's serial output, screen and command line, for an assertion message. */
export function explainBoot(r: BootResult): string {
  return `\n--- serial ---\n${r.serial.slice(-1500)}\n--- screen ---\n${r.screen}\n--- ${r.command}`;
}

/** The probe BOOTMGR ran whole and saw what real BOOTMGR needs: drive 0x80, HiddSec 2048 (a stick's partition at 1 MiB). */
export function assertStickProbeOk(serial: string, size: number, why: string): void {
  const m = PROBE_LINE.exec(serial);
  assert.ok(m, `no probe report${why}`);
  assert.equal(m[1], 'OK', `probe failed: ${m[0]}${why}`);
  assert.equal(Number(m[2]), size);
  assert.equal(m[4], '80');
  assert.equal(Number(m[5]), 2048);
}

/** A stick image with the probes boots under SeaBIOS (IDE and USB) and OVMF (USB). */
export async function assertStickBoots(img: string, bootmgrSize: number): Promise<void> {
  for (const bus of ['ide', 'usb'] as const) {
    const r = await bootBios(img, { bus, timeoutMs: 60_000 });
    assertStickProbeOk(r.serial, bootmgrSize, explainBoot(r));
    assert.equal(r.debugExit, 0x10, explainBoot(r));
  }
  const u = await bootUefi(img, { timeoutMs: 120_000 });
  assert.match(u.serial, /EFI PROBE OK/, explainBoot(u));
  assert.equal(u.exitStatus, 0, explainBoot(u));
}
