/**
 * El Torito boot catalog ("El Torito" Bootable CD-ROM Format Specification 1.0, §2): a validation
 * entry (header id 1, platform, id string, checksum making the 16-bit word sum 0, key 55 AA), the
 * initial/default entry, then section headers (0x90 more follow / 0x91 last) each followed by
 * section entries (and optional 0x44 extension entries). All entries are 32 bytes.
 */
import { defineStruct } from '../../io/struct.js';
import { formatError } from '../../io/errors.js';
import type { ByteReader } from '../../io/reader.js';
import { ISO_SECTOR, VD_START_SECTOR, VdType, VolumeDescriptor } from './descriptors.js';

export const ENTRY_SIZE = 32;
/** Catalogs are small; this bounds a hostile one (4 sectors = 256 entries). */
const MAX_CATALOG_BYTES = 4 * ISO_SECTOR;

export const ValidationEntry = defineStruct('El Torito validation entry', ENTRY_SIZE, {
  headerId: [0, 'u8'],
  platform: [1, 'u8'],
  idString: [4, 'ascii', 24],
  checksum: [28, 'u16le'],
  key55: [30, 'u8'],
  keyAA: [31, 'u8'],
});

export const BootEntry = defineStruct('El Torito boot entry', ENTRY_SIZE, {
  indicator: [0, 'u8'],
  mediaType: [1, 'u8'],
  loadSegment: [2, 'u16le'],
  systemType: [4, 'u8'],
  sectorCount: [6, 'u16le'],
  loadRba: [8, 'u32le'],
});

export const SectionHeader = defineStruct('El Torito section header', ENTRY_SIZE, {
  indicator: [0, 'u8'],
  platform: [1, 'u8'],
  entries: [2, 'u16le'],
  idString: [4, 'ascii', 28],
});

export type Platform = 'x86' | 'ppc' | 'mac' | 'efi' | `unknown(${number})`;
export type MediaType = 'no-emulation' | 'floppy-1.2M' | 'floppy-1.44M' | 'floppy-2.88M' | 'hard-disk' | `unknown(${number})`;

export interface ElToritoEntry {
  /** 'default' is the initial entry; others come from section entries. */
  section: 'default' | 'section';
  platform: Platform;
  bootable: boolean;
  mediaType: MediaType;
  /** Real-mode load segment (0 means the BIOS default 0x07C0). */
  loadSegment: number;
  systemType: number;
  /** Virtual 512-byte sectors to load. */
  sectorCount: number;
  /** Image sector (2048 bytes) of the boot image. */
  loadRba: number;
  /** Byte offset of the boot image in the image. */
  imageOffset: number;
}

export interface ElTorito {
  catalogSector: number;
  entries: ElToritoEntry[];
}

function platformOf(id: number): Platform {
  return id === 0 ? 'x86' : id === 1 ? 'ppc' : id === 2 ? 'mac' : id === 0xef ? 'efi' : `unknown(${id})`;
}

function mediaOf(t: number): MediaType {
  const m = t & 0x0f;
  return (['no-emulation', 'floppy-1.2M', 'floppy-1.44M', 'floppy-2.88M', 'hard-disk'] as const)[m] ?? `unknown(${m})`;
}

function entryOf(buf: Buffer, at: number, platform: number, section: ElToritoEntry['section']): ElToritoEntry {
  const e = BootEntry.decode(buf, at);
  return {
    section,
    platform: platformOf(platform),
    bootable: e.indicator === 0x88,
    mediaType: mediaOf(e.mediaType),
    loadSegment: e.loadSegment,
    systemType: e.systemType,
    sectorCount: e.sectorCount,
    loadRba: e.loadRba,
    imageOffset: e.loadRba * ISO_SECTOR,
  };
}

/** Parses a boot catalog held in `buf`. */
export function parseBootCatalog(buf: Buffer, catalogSector: number): ElTorito {
  const v = ValidationEntry.decode(buf, 0);
  if (v.headerId !== 1 || v.key55 !== 0x55 || v.keyAA !== 0xaa) throw formatError('El Torito boot catalog has no valid validation entry');
  let sum = 0;
  for (let i = 0; i < ENTRY_SIZE; i += 2) sum = (sum + buf.readUInt16LE(i)) & 0xffff;
  if (sum !== 0) throw formatError('El Torito validation entry checksum is wrong');
  const entries: ElToritoEntry[] = [entryOf(buf, ENTRY_SIZE, v.platform, 'default')];
  let at = 2 * ENTRY_SIZE;
  while (at + ENTRY_SIZE <= buf.length) {
    const h = SectionHeader.decode(buf, at);
    if (h.indicator !== 0x90 && h.indicator !== 0x91) break;
    at += ENTRY_SIZE;
    for (let i = 0; i < h.entries && at + ENTRY_SIZE <= buf.length; i++) {
      const ind = buf[at] as number;
      if (ind === 0x88 || ind === 0x00) entries.push(entryOf(buf, at, h.platform, 'section'));
      at += ENTRY_SIZE;
      // Extension entries (0x44) belong to the entry before them.
      while (at + ENTRY_SIZE <= buf.length && buf[at] === 0x44) at += ENTRY_SIZE;
    }
    if (h.indicator === 0x91) break;
  }
  return { catalogSector, entries };
}

/** Finds the El Torito boot record among the volume descriptors and reads its catalog; undefined without one. */
export async function readElTorito(reader: ByteReader): Promise<ElTorito | undefined> {
  for (let i = 0; i < 64; i++) {
    const at = (VD_START_SECTOR + i) * ISO_SECTOR;
    if (at + ISO_SECTOR > reader.size) return undefined;
    const vd = await reader.read(at, ISO_SECTOR);
    const d = VolumeDescriptor.decode(vd);
    if (d.standardId !== 'CD001') return undefined;
    if (d.type === VdType.Terminator) return undefined;
    if (d.type === VdType.BootRecord && d.bootSystemId.startsWith('EL TORITO SPECIFICATION')) {
      const catAt = d.bootCatalog * ISO_SECTOR;
      if (catAt + ENTRY_SIZE * 2 > reader.size) throw formatError('El Torito boot catalog lies past the end of the image');
      const buf = await reader.read(catAt, Math.min(MAX_CATALOG_BYTES, reader.size - catAt));
      return parseBootCatalog(buf, d.bootCatalog);
    }
  }
  return undefined;
}
