/**
 * Partition tables in an image's first sectors, for hybrid detection: an MBR (boot signature 55 AA
 * at 510 and at least one sane entry in the four 16-byte entries at 446) or a GPT header
 * ("EFI PART" at LBA 1, UEFI 2.x §5.3.2, with its CRC32 over HeaderSize bytes).
 */
import { crc32 } from 'node:zlib';
import { defineStruct } from '../io/struct.js';
import type { ByteReader } from '../io/reader.js';

export const MBR_SECTOR = 512;

export const MbrFields = defineStruct('MBR', 512, {
  entries: [446, 'bytes', 64],
  signature: [510, 'u16le'],
});

export const MbrEntry = defineStruct('MBR partition entry', 16, {
  status: [0, 'u8'],
  type: [4, 'u8'],
  lbaStart: [8, 'u32le'],
  sectors: [12, 'u32le'],
});

export const GptHeader = defineStruct('GPT header', 92, {
  signature: [0, 'ascii', 8],
  revision: [8, 'u32le'],
  headerSize: [12, 'u32le'],
  headerCrc: [16, 'u32le'],
  myLba: [24, 'u64le'],
  alternateLba: [32, 'u64le'],
  firstUsableLba: [40, 'u64le'],
  lastUsableLba: [48, 'u64le'],
  entriesLba: [72, 'u64le'],
  numEntries: [80, 'u32le'],
  entrySize: [84, 'u32le'],
});

export interface MbrPartition {
  index: number;
  bootable: boolean;
  type: number;
  start: number;
  sectors: number;
}

export type PartitionTable =
  | { kind: 'mbr'; partitions: MbrPartition[] }
  | { kind: 'gpt'; entries: number; protectiveMbr: boolean; partitions: MbrPartition[] };

/** The sane MBR entries of sector 0 (empty when there is no MBR). */
export function parseMbr(sector0: Buffer, imageSectors: number): MbrPartition[] {
  if (sector0.length < 512 || MbrFields.get(sector0, 'signature') !== 0xaa55) return [];
  const out: MbrPartition[] = [];
  for (let i = 0; i < 4; i++) {
    const e = MbrEntry.decode(sector0, 446 + i * 16);
    const sane = (e.status === 0 || e.status === 0x80) && e.type !== 0 && e.sectors >= 1 && e.lbaStart < imageSectors;
    if (sane) out.push({ index: i + 1, bootable: e.status === 0x80, type: e.type, start: e.lbaStart, sectors: e.sectors });
  }
  return out;
}

/** Finds an MBR or a GPT in the image; undefined when neither is there. */
export async function readPartitionTable(reader: ByteReader): Promise<PartitionTable | undefined> {
  if (reader.size < 2 * MBR_SECTOR) return undefined;
  const head = await reader.read(0, 2 * MBR_SECTOR);
  const sectors = Math.floor(reader.size / MBR_SECTOR);
  const mbr = parseMbr(head.subarray(0, 512), sectors);
  // Field by field: the 64-bit fields of a non-GPT sector may hold anything.
  const g = {
    signature: GptHeader.get(head, 'signature', MBR_SECTOR),
    headerSize: GptHeader.get(head, 'headerSize', MBR_SECTOR),
    headerCrc: GptHeader.get(head, 'headerCrc', MBR_SECTOR),
    numEntries: GptHeader.get(head, 'numEntries', MBR_SECTOR),
  };
  if (g.signature === 'EFI PART' && g.headerSize >= 92 && g.headerSize <= MBR_SECTOR) {
    const copy = Buffer.from(head.subarray(MBR_SECTOR, MBR_SECTOR + g.headerSize));
    copy.writeUInt32LE(0, GptHeader.offsetOf('headerCrc'));
    if (crc32(copy) >>> 0 === g.headerCrc) {
      return { kind: 'gpt', entries: g.numEntries, protectiveMbr: mbr.some((p) => p.type === 0xee), partitions: mbr };
    }
  }
  return mbr.length > 0 ? { kind: 'mbr', partitions: mbr } : undefined;
}
