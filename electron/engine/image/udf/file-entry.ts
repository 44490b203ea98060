/**
 * UDF file entries (ECMA-167 4/14.9 File Entry, tag 261; 4/14.17 Extended File Entry, tag 266),
 * their ICB tag (4/14.6), allocation descriptors (short_ad 4/14.14.1, long_ad 4/14.14.2,
 * ext_ad 4/14.14.3) and Allocation Extent Descriptors (4/14.5, tag 258).
 */
import { defineStruct } from '../../io/struct.js';

/** ICB tag, 20 bytes at offset 16 of a (extended) file entry. */
export const IcbTag = defineStruct('UDF ICB tag', 20, {
  priorEntries: [0, 'u32le'],
  strategyType: [4, 'u16le'],
  maxEntries: [8, 'u16le'],
  fileType: [11, 'u8'],
  flags: [18, 'u16le'],
});
export const ICB_TAG_OFFSET = 16;

/** File types (ECMA-167 4/14.6.6; 250–252 from OSTA UDF 2.60 §2.3.5.2). */
export const FileType = {
  Directory: 4,
  File: 5,
  Symlink: 12,
  StreamDirectory: 13,
  MetadataFile: 250,
  MetadataMirrorFile: 251,
  MetadataBitmapFile: 252,
} as const;

/** Allocation descriptor kind in ICB tag flags bits 0–2. */
export const AdType = { Short: 0, Long: 1, Extended: 2, Embedded: 3 } as const;

export const FileEntry = defineStruct('UDF file entry', 176, {
  informationLength: [56, 'u64le'],
  modificationTime: [84, 'bytes', 12],
  lengthOfExtendedAttributes: [168, 'u32le'],
  lengthOfAllocationDescriptors: [172, 'u32le'],
});

export const ExtendedFileEntry = defineStruct('UDF extended file entry', 216, {
  informationLength: [56, 'u64le'],
  modificationTime: [92, 'bytes', 12],
  lengthOfExtendedAttributes: [208, 'u32le'],
  lengthOfAllocationDescriptors: [212, 'u32le'],
});

export const ShortAd = defineStruct('UDF short_ad', 8, {
  length: [0, 'u32le'],
  position: [4, 'u32le'],
});

export const LongAd = defineStruct('UDF long_ad', 16, {
  length: [0, 'u32le'],
  block: [4, 'u32le'],
  partition: [8, 'u16le'],
});

export const ExtAd = defineStruct('UDF ext_ad', 20, {
  length: [0, 'u32le'],
  recordedLength: [4, 'u32le'],
  informationLength: [8, 'u32le'],
  block: [12, 'u32le'],
  partition: [16, 'u16le'],
});

export const AllocationExtent = defineStruct('UDF allocation extent descriptor', 24, {
  previous: [16, 'u32le'],
  lengthOfAllocationDescriptors: [20, 'u32le'],
});

/** Extent length field: low 30 bits length, top 2 bits type (ECMA-167 4/14.14.1.1). */
export const ExtentKind = { Recorded: 0, AllocatedUnrecorded: 1, Unallocated: 2, Continuation: 3 } as const;
export function splitExtentLength(v: number): { kind: number; length: number } {
  return { kind: v >>> 30, length: v & 0x3fffffff };
}
