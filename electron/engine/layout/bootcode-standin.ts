/**
 * TEMPORARY stand-in for bootcode.ts (owned by the `boot` helper) until its branch lands:
 * same names, no real boot code. Delete once `boot` is merged.
 */
export const FAT32_STAGE2_SECTOR = 12;

export function mbrBootCode(): Buffer {
  return Buffer.alloc(440);
}

export function fat32BootSector(bpbBytes: Buffer): Buffer {
  const s = Buffer.alloc(512);
  s[0] = 0xeb;
  s[1] = 0x58;
  s[2] = 0x90;
  bpbBytes.copy(s, 3);
  s[510] = 0x55;
  s[511] = 0xaa;
  return s;
}

export function fat32Stage2(): Buffer {
  return Buffer.alloc(0);
}
