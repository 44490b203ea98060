/**
 * Our own BIOS boot code (assets/boot/*.asm, assembled by assets/boot/build.sh into the
 * checked-in .bin files), loaded at run time and handed to the disk planner as pure buffers.
 *
 * - mbr.bin (512 bytes): bytes 0..439 are the MBR code; 440..509 are zero in the .bin because
 *   the planner writes the disk signature, 0 and the partition table there; 510..511 = 55 AA.
 * - fat32.bin (512 × N bytes, 2 ≤ N ≤ 4): sector 0 is the FAT32 volume boot sector with a
 *   zeroed BPB/EBPB hole at 3..89 (the planner's BPB goes there); sectors 1..N-1 are stage 2,
 *   written at partition sectors FAT32_STAGE2_SECTOR, … (inside the 32 reserved sectors;
 *   FSInfo is at 1, the backup boot sector at 6, backup FSInfo at 7). Each stage-2 image
 *   starts with the magic word the boot sector checks before jumping to it.
 *
 * The assets folder is ../../../../assets from build/electron/engine/layout/, or
 * $SEVENSTICK_ASSETS (the folder that holds boot/) when set.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatError, toSevenStickError } from '../io/errors.js';
import { defineStruct } from '../io/struct.js';

export const SECTOR_SIZE = 512;
/** Partition-relative sector where stage 2 of the FAT32 boot code starts (fat32.asm STAGE2_LBA). */
export const FAT32_STAGE2_SECTOR = 12;
/** FAT32 reserved sectors our layout uses; stage 2 must end before them. */
const RESERVED_SECTORS = 32;
/** First word of every stage-2 image (fat32.asm STAGE2_MAGIC). */
const STAGE2_MAGIC = 0x5337;
const BOOT_SIGNATURE = 0xaa55;
/** FAT32 boot sector jump: EB 58 90 = jmp short 0x5A; nop. */
const VBR_JUMP = Buffer.from([0xeb, 0x58, 0x90]);

/** Classic MBR sector (the boot code's view of it). */
const MBR = defineStruct('MBR sector', SECTOR_SIZE, {
  bootCode: [0, 'bytes', 440],
  diskSignature: [440, 'u32le'],
  reserved: [444, 'u16le'],
  partitionTable: [446, 'bytes', 64],
  signature: [510, 'u16le'],
});

/** FAT32 volume boot sector (fatgen103: BS_jmpBoot, BPB 0x03..0x59, boot code, signature). */
const VBR = defineStruct('FAT32 boot sector', SECTOR_SIZE, {
  jump: [0, 'bytes', 3],
  bpb: [3, 'bytes', 87], // BS_OEMName .. BS_FilSysType: written by the planner
  code: [90, 'bytes', 420],
  signature: [510, 'u16le'],
});

/** The BPB/EBPB hole the planner fills: bytes 3..89 of the boot sector. */
export const FAT32_BPB_OFFSET = VBR.offsetOf('bpb');
export const FAT32_BPB_LENGTH = VBR.fields.bpb[2];

export function assetsDir(): string {
  const env = process.env.SEVENSTICK_ASSETS;
  return env ? resolve(env) : resolve(__dirname, '..', '..', '..', '..', 'assets');
}

function loadBin(root: string, name: string): Buffer {
  const path = join(root, 'boot', name);
  try {
    return readFileSync(path);
  } catch (e) {
    throw toSevenStickError(e, 'E_IO', `Cannot read boot code ${path} (is SevenStick installed completely?)`, { path });
  }
}

function isZero(b: Buffer): boolean {
  return b.every((x) => x === 0);
}

export interface BootCode {
  /** mbr.bin, 512 bytes. */
  mbr: Buffer;
  /** Sector 0 of fat32.bin (BPB hole zero). */
  vbr: Buffer;
  /** Sectors 1.. of fat32.bin. */
  stage2: Buffer;
}

const cache = new Map<string, BootCode>();

/**
 * Loads and validates the .bin files under `<assetsRoot>/boot/` (once per folder). Throws
 * E_NOT_FOUND / E_IO if a file can't be read, E_FORMAT if one is damaged.
 */
export function loadBootCode(assetsRoot: string = assetsDir()): BootCode {
  const hit = cache.get(assetsRoot);
  if (hit) return hit;
  const mbr = loadBin(assetsRoot, 'mbr.bin');
  if (mbr.length !== SECTOR_SIZE) throw formatError(`mbr.bin must be ${SECTOR_SIZE} bytes, it is ${mbr.length}`);
  const m = MBR.decode(mbr);
  if (m.signature !== BOOT_SIGNATURE) throw formatError('mbr.bin has no 55 AA signature');
  if (m.diskSignature !== 0 || m.reserved !== 0 || !isZero(m.partitionTable)) {
    throw formatError('mbr.bin must be zero from byte 440 to 509 (disk signature and partition table)');
  }

  const fat = loadBin(assetsRoot, 'fat32.bin');
  const sectors = fat.length / SECTOR_SIZE;
  if (!Number.isInteger(sectors) || sectors < 2 || sectors > 4) {
    throw formatError(`fat32.bin must be 2 to 4 sectors of ${SECTOR_SIZE} bytes, it is ${fat.length} bytes`);
  }
  const vbr = Buffer.from(fat.subarray(0, SECTOR_SIZE));
  const v = VBR.decode(vbr);
  if (!v.jump.equals(VBR_JUMP)) throw formatError('fat32.bin does not start with EB 58 90');
  if (!isZero(v.bpb)) throw formatError('fat32.bin must be zero in its BPB (bytes 3..89)');
  if (v.signature !== BOOT_SIGNATURE) throw formatError('fat32.bin has no 55 AA signature');
  const stage2 = Buffer.from(fat.subarray(SECTOR_SIZE));
  if (stage2.readUInt16LE(0) !== STAGE2_MAGIC) throw formatError('fat32.bin stage 2 does not start with its magic word');
  if (FAT32_STAGE2_SECTOR + stage2.length / SECTOR_SIZE > RESERVED_SECTORS) throw formatError('fat32.bin stage 2 does not fit in the reserved sectors');

  const code = { mbr, vbr, stage2 };
  cache.set(assetsRoot, code);
  return code;
}

/** The MBR's code area: 440 bytes for bytes 0..439 of sector 0 of the disk. */
export function mbrBootCode(): Buffer {
  return Buffer.from(MBR.get(loadBootCode().mbr, 'bootCode'));
}

/**
 * The FAT32 volume boot sector (512 bytes) around the given BPB: `bpbBytes` are bytes 3..89
 * (BS_OEMName through BS_FilSysType), exactly 87 bytes.
 */
export function fat32BootSector(bpbBytes: Buffer): Buffer {
  if (bpbBytes.length !== FAT32_BPB_LENGTH) {
    throw formatError(`FAT32 BPB must be ${FAT32_BPB_LENGTH} bytes (boot sector bytes 3..89), got ${bpbBytes.length}`);
  }
  const sector = Buffer.from(loadBootCode().vbr);
  return VBR.encode({ bpb: bpbBytes }, sector);
}

/** Stage 2 of the FAT32 boot code, whole sectors, for partition sectors FAT32_STAGE2_SECTOR, … */
export function fat32Stage2(): Buffer {
  return Buffer.from(loadBootCode().stage2);
}
