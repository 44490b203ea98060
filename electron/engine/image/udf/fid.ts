/** UDF File Identifier Descriptor (ECMA-167 4/14.4, tag 257): one directory entry. */
import { defineStruct } from '../../io/struct.js';

export const FileIdentifier = defineStruct('UDF file identifier descriptor', 38, {
  fileVersion: [16, 'u16le'],
  characteristics: [18, 'u8'],
  lengthOfFileIdentifier: [19, 'u8'],
  icb: [20, 'bytes', 16],
  lengthOfImplementationUse: [36, 'u16le'],
});

/** File characteristics bits (ECMA-167 4/14.4.3). */
export const FidFlag = { Hidden: 0x01, Directory: 0x02, Deleted: 0x04, Parent: 0x08, Metadata: 0x10 } as const;

/** Total size of a FID with the given lengths, padded to 4 bytes. */
export function fidSize(lengthOfImplementationUse: number, lengthOfFileIdentifier: number): number {
  return (38 + lengthOfImplementationUse + lengthOfFileIdentifier + 3) & ~3;
}
