/**
 * Our MBR + FAT32 boot code under SeaBIOS in QEMU. Disks are built by outside tools (sfdisk,
 * mkfs.fat, mtools); we only put our code in. The fake BOOTMGR (boot-bootmgr-probe.asm) checks,
 * once loaded and jumped to, its own hash over its whole size, DL, and the boot sector + BPB at
 * 0:7C00 (HiddSec against the MBR it reads itself), and reports on COM1. Error paths are judged
 * by the VGA text screen (the only place real firmware shows them).
 */
import { statSync, truncateSync } from 'node:fs';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bootBios, type BiosBootOptions, type BootResult } from '../helpers/qemu.js';
import { tempDir } from '../helpers/tools.js';
import {
  BOOT_MESSAGES,
  PROBE_LINE,
  PROBE_SIZE,
  SECTOR,
  baseDisk,
  bootmgrProbe,
  chsVariant,
  clusterRuns,
  codeFromBins,
  copyDisk,
  fsckClean,
  fsckPartition,
  installBootCode,
  readAt,
  writeAt,
  type DiskKind,
} from './setup.js';

const DEBUG_EXIT_OK = 0x10;

function explain(r: BootResult): string {
  return `\n--- serial ---\n${r.serial.slice(-1500)}\n--- screen ---\n${r.screen}\n--- ${r.command}`;
}

async function boot(img: string, opts: BiosBootOptions = {}): Promise<BootResult> {
  return bootBios(img, { timeoutMs: 20_000, waitForScreen: BOOT_MESSAGES, ...opts });
}

function assertProbeOk(r: BootResult, size = PROBE_SIZE): void {
  const m = PROBE_LINE.exec(r.serial);
  assert.ok(m, `no probe report${explain(r)}`);
  assert.equal(m[1], 'OK', `probe failed: ${m[0]}${explain(r)}`);
  assert.equal(Number(m[2]), size);
  assert.equal(m[4], '80', 'BOOTMGR must get DL = the BIOS drive');
  assert.equal(Number(m[5]), 2048, 'HiddSec must be the partition start');
  assert.equal(r.debugExit, DEBUG_EXIT_OK);
}

function assertScreen(r: BootResult, message: string): void {
  assert.ok(r.matched, `boot code did not stop with a message${explain(r)}`);
  assert.match(r.screen, new RegExp(message), explain(r));
  const others = r.screen.split('\n').filter((l) => BOOT_MESSAGES.test(l) && !l.includes(message));
  assert.deepEqual(others, [], 'no other boot message on screen');
  assert.doesNotMatch(r.serial, /PROBE/, 'BOOTMGR must not have been started');
}

/** Copies a fixture disk, installs our code, optionally tweaks it, boots it. */
async function bootDisk(
  kind: DiskKind,
  spc: number,
  opts: BiosBootOptions & { probeSize?: number; tweak?: (img: string, start: number) => void | Promise<void>; fsck?: boolean } = {},
): Promise<{ r: BootResult; img: string; cleanup: () => void }> {
  const payload = await bootmgrProbe(opts.probeSize);
  const base = await baseDisk(kind, spc, payload);
  const t = tempDir('sevenstick-boot-');
  try {
    const img = await copyDisk(base, t.path);
    const start = await installBootCode(img);
    if (opts.fsck !== false) {
      const f = await fsckPartition(img);
      assert.ok(fsckClean(f), `fsck.fat -n after installing our boot code:\n${f.output}`);
    }
    await opts.tweak?.(img, start);
    const r = await boot(img, opts);
    return { r, img, cleanup: t.cleanup };
  } catch (e) {
    t.cleanup();
    throw e;
  }
}

describe('BIOS boot: our MBR + FAT32 boot code load BOOTMGR', () => {
  test('IDE disk, 512-byte clusters; the drive byte comes from DL, not from the BPB on disk', async () => {
    // BS_DrvNum (0x40) = 0 on disk: the probe's "drive byte == DL" check only passes if our
    // boot sector stored DL there at run time.
    const { r, cleanup } = await bootDisk('simple', 1, { tweak: (img, start) => writeAt(img, start * SECTOR + 0x40, Buffer.from([0])) });
    cleanup();
    assertProbeOk(r);
  });

  test('usb-storage on qemu-xhci, 4 KiB clusters', async () => {
    const { r, cleanup } = await bootDisk('simple', 8, { bus: 'usb' });
    cleanup();
    assertProbeOk(r);
  });

  test('IDE disk, 32 KiB clusters', async () => {
    const { r, cleanup } = await bootDisk('simple', 64);
    cleanup();
    assertProbeOk(r);
  });

  // Every cluster size from 512 bytes to 16 KiB; the 4 KiB one over USB.
  const fragmented: { spc: number; bus?: 'usb' }[] = [{ spc: 1 }, { spc: 2 }, { spc: 4 }, { spc: 8, bus: 'usb' }, { spc: 16 }, { spc: 32 }];
  for (const { spc, bus } of fragmented) {
    test(`BOOTMGR in several cluster runs (${spc * 512}-byte clusters${bus ? ', USB' : ''})`, async () => {
      const { r, img, cleanup } = await bootDisk('fragmented', spc, bus ? { bus } : {});
      try {
        const runs = await clusterRuns(img, '::BOOTMGR');
        assert.ok(runs.runs >= 4, `BOOTMGR should be fragmented: ${runs.text}`);
      } finally {
        cleanup();
      }
      assertProbeOk(r);
    });
  }

  test('root directory over many fragmented clusters, BOOTMGR in the last one', async () => {
    const { r, img, cleanup } = await bootDisk('bigroot', 1);
    try {
      const root = await clusterRuns(img, '::/');
      assert.ok(root.clusters >= 10 && root.runs >= 10, `root directory should span many separate clusters: ${root.text}`);
    } finally {
      cleanup();
    }
    assertProbeOk(r);
  });

  test('FAT mirroring off (ExtFlags: active FAT 1) and FAT 0 wiped: the chain is read from FAT 1', async () => {
    const { r, cleanup } = await bootDisk('fragmented', 1, {
      tweak: (img, start) => {
        const bs = readAt(img, start * SECTOR, SECTOR);
        const rsvd = bs.readUInt16LE(0x0e);
        const fatsz = bs.readUInt32LE(0x24);
        const ext = Buffer.alloc(2);
        ext.writeUInt16LE(0x0081, 0); // BPB_ExtFlags: bit 7 = only one FAT active, bits 0..3 = FAT 1
        for (const sector of [0, 6]) writeAt(img, (start + sector) * SECTOR + 0x28, ext);
        writeAt(img, (start + rsvd) * SECTOR, Buffer.alloc(fatsz * SECTOR));
      },
    });
    cleanup();
    assertProbeOk(r);
  });

  test('the largest BOOTMGR that fits below the EBDA (520,000 bytes) loads', async () => {
    const { r, cleanup } = await bootDisk('simple', 8, { probeSize: 520_000 });
    cleanup();
    assertProbeOk(r, 520_000);
  });

  test('CHS fallback (FORCE_CHS build, fixed 16/63 geometry without translation)', async () => {
    const code = codeFromBins(await chsVariant());
    const payload = await bootmgrProbe();
    const base = await baseDisk('simple', 1, payload);
    const t = tempDir('sevenstick-boot-');
    try {
      const img = await copyDisk(base, t.path);
      const HEADS = 16;
      const SECS = 63;
      const start = await installBootCode(img, code);
      // BPB geometry (BPB_SecPerTrk 0x18, BPB_NumHeads 0x1A) and the partition entry's CHS
      // start (entry at 446: head at +1, sector|cyl-high at +2, cyl-low at +3) for 16/63.
      const g = Buffer.alloc(4);
      g.writeUInt16LE(SECS, 0);
      g.writeUInt16LE(HEADS, 2);
      for (const sector of [0, 6]) writeAt(img, (start + sector) * SECTOR + 0x18, g);
      const cyl = Math.floor(start / (HEADS * SECS));
      const head = Math.floor(start / SECS) % HEADS;
      const sec = (start % SECS) + 1;
      writeAt(img, 446 + 1, Buffer.from([head, sec | ((cyl >> 2) & 0xc0), cyl & 0xff]));
      const cyls = Math.ceil(statSync(img).size / SECTOR / (HEADS * SECS));
      const r = await boot(img, { ideChs: { cyls, heads: HEADS, secs: SECS } });
      assertProbeOk(r);
    } finally {
      t.cleanup();
    }
  });
});

describe('BIOS boot: failures show a message and halt', () => {
  test('no BOOTMGR (deleted entry + a directory named BOOTMGR) → "BOOTMGR is missing", on screen and on serial', async () => {
    const { r, cleanup } = await bootDisk('missing', 1, { serialConsole: true });
    cleanup();
    assertScreen(r, 'BOOTMGR is missing');
    assert.match(r.serial, /BOOTMGR is missing/, `the message on the serial console too${explain(r)}`);
  });

  test('BOOTMGR larger than conventional memory allows → "BOOTMGR is too big"', async () => {
    const { r, cleanup } = await bootDisk('simple', 8, { probeSize: 700_000 });
    cleanup();
    assertScreen(r, 'BOOTMGR is too big');
  });

  test('no active partition → "No active partition"', async () => {
    const { r, cleanup } = await bootDisk('simple', 8, { tweak: (img) => writeAt(img, 446, Buffer.from([0])) });
    cleanup();
    assertScreen(r, 'No active partition');
  });

  test('partition boot sector without 55 AA → "Missing boot sector"', async () => {
    const { r, cleanup } = await bootDisk('simple', 8, {
      fsck: true,
      tweak: (img, start) => writeAt(img, start * SECTOR + 510, Buffer.from([0, 0])),
    });
    cleanup();
    assertScreen(r, 'Missing boot sector');
  });

  test('stage 2 not written → "Stage 2 missing"', async () => {
    const { r, cleanup } = await bootDisk('simple', 8, {
      tweak: (img, start) => writeAt(img, (start + 12) * SECTOR, Buffer.alloc(SECTOR)),
    });
    cleanup();
    assertScreen(r, 'Stage 2 missing');
  });

  test('BOOTMGR starting at cluster 0 → "File system damaged"', async () => {
    const { r, cleanup } = await bootDisk('simple', 8, {
      tweak: async (img, start) => {
        const at = await rootEntryOffset(img, start, 'BOOTMGR    ');
        writeAt(img, at + 20, Buffer.alloc(2)); // DIR_FstClusHI
        writeAt(img, at + 26, Buffer.alloc(2)); // DIR_FstClusLO
      },
    });
    cleanup();
    assertScreen(r, 'File system damaged');
  });

  test('BOOTMGR starting at a cluster number beyond the FAT → "File system damaged"', async () => {
    const { r, cleanup } = await bootDisk('simple', 8, {
      tweak: async (img, start) => {
        const at = await rootEntryOffset(img, start, 'BOOTMGR    ');
        const hi = Buffer.alloc(2);
        hi.writeUInt16LE(0x0fff, 0); // cluster 0x0FFFxxxx: below the reserved values, far past this FAT
        writeAt(img, at + 20, hi);
      },
    });
    cleanup();
    assertScreen(r, 'File system damaged');
  });

  test('disk ends in the middle of BOOTMGR → "Disk read error"', async () => {
    const { r, cleanup } = await bootDisk('simple', 8, {
      tweak: async (img, start) => {
        const at = await rootEntryOffset(img, start, 'BOOTMGR    ');
        const e = readAt(img, at, 32);
        const first = (e.readUInt16LE(20) << 16) | e.readUInt16LE(26);
        const g = geometry(img, start);
        // keep BOOTMGR's first 10 clusters, cut the rest of the disk off
        truncateSync(img, (g.dataLba + (first - 2 + 10) * g.spc) * SECTOR);
      },
    });
    cleanup();
    assertScreen(r, 'Disk read error');
  });
});

/** Byte offset of a root-directory entry (first root cluster only; enough for 'simple' disks). */
/** FAT32 geometry from the BPB (fatgen103 offsets), for the tests that edit a disk. */
function geometry(img: string, start: number): { spc: number; dataLba: number; rootClus: number } {
  const bs = readAt(img, start * SECTOR, SECTOR);
  const rsvd = bs.readUInt16LE(0x0e);
  const nfats = bs[0x10];
  const fatsz = bs.readUInt32LE(0x24);
  return { spc: bs[0x0d], dataLba: start + rsvd + nfats * fatsz, rootClus: bs.readUInt32LE(0x2c) };
}

async function rootEntryOffset(img: string, start: number, name83: string): Promise<number> {
  const { spc, dataLba, rootClus } = geometry(img, start);
  const rootAt = (dataLba + (rootClus - 2) * spc) * SECTOR;
  const dir = readAt(img, rootAt, spc * SECTOR);
  for (let i = 0; i < dir.length; i += 32) {
    if (dir.toString('latin1', i, i + 11) === name83) return rootAt + i;
  }
  throw new Error(`${name83} not in the first root cluster`);
}

test('oracle check: fsck.fat -n notices a boot sector whose backup (sector 6) was not updated', async () => {
  const base = await baseDisk('simple', 8, await bootmgrProbe());
  const t = tempDir('sevenstick-boot-');
  try {
    const img = await copyDisk(base, t.path);
    const start = await installBootCode(img);
    assert.ok(fsckClean(await fsckPartition(img)));
    writeAt(img, (start + 6) * SECTOR + 200, Buffer.from([0x12, 0x34]));
    const f = await fsckPartition(img);
    assert.equal(fsckClean(f), false, f.output);
    assert.match(f.output, /differences between boot sector and its backup/);
  } finally {
    t.cleanup();
  }
});
