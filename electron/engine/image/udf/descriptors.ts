/**
 * UDF volume structures (ECMA-167 part 3; OSTA UDF 2.60 §2.2): Anchor Volume Descriptor Pointer,
 * Primary Volume, Partition, Logical Volume (with partition maps) and Volume Descriptor Pointer;
 * plus the File Set Descriptor (ECMA-167 4/14.1). Offsets are from the descriptor start.
 */
import { defineStruct } from '../../io/struct.js';

/** ECMA-167 1/7.4 entity identifier ("regid", 32 bytes). */
export const RegId = defineStruct('UDF entity identifier', 32, {
  flags: [0, 'u8'],
  identifier: [1, 'ascii', 23],
  suffix: [24, 'bytes', 8],
});

export function regIdName(buf: Buffer, base: number): string {
  return RegId.get(buf, 'identifier', base).replace(/[\0 ]+$/, '');
}

/** ECMA-167 3/7.1 extent_ad. */
export const ExtentAd = defineStruct('UDF extent_ad', 8, {
  length: [0, 'u32le'],
  location: [4, 'u32le'],
});

/** ECMA-167 3/10.2 Anchor Volume Descriptor Pointer (tag 2). */
export const AnchorPointer = defineStruct('UDF anchor volume descriptor pointer', 32, {
  mainLength: [16, 'u32le'],
  mainLocation: [20, 'u32le'],
  reserveLength: [24, 'u32le'],
  reserveLocation: [28, 'u32le'],
});

/** ECMA-167 3/10.3 Volume Descriptor Pointer (tag 3). */
export const VolumePointer = defineStruct('UDF volume descriptor pointer', 28, {
  sequenceNumber: [16, 'u32le'],
  nextLength: [20, 'u32le'],
  nextLocation: [24, 'u32le'],
});

/** ECMA-167 3/10.1 Primary Volume Descriptor (tag 1). */
export const PrimaryVolume = defineStruct('UDF primary volume descriptor', 512, {
  sequenceNumber: [16, 'u32le'],
  volumeIdentifier: [24, 'bytes', 32],
  volumeSetIdentifier: [72, 'bytes', 128],
  recordingTime: [376, 'bytes', 12],
});

/** ECMA-167 3/10.5 Partition Descriptor (tag 5). */
export const PartitionDesc = defineStruct('UDF partition descriptor', 356, {
  sequenceNumber: [16, 'u32le'],
  flags: [20, 'u16le'],
  number: [22, 'u16le'],
  contents: [24, 'bytes', 32],
  accessType: [184, 'u32le'],
  start: [188, 'u32le'],
  length: [192, 'u32le'],
});

/** ECMA-167 3/10.6 Logical Volume Descriptor (tag 6); partition maps start at 440. */
export const LogicalVolume = defineStruct('UDF logical volume descriptor', 440, {
  sequenceNumber: [16, 'u32le'],
  identifier: [84, 'bytes', 128],
  blockSize: [212, 'u32le'],
  domain: [216, 'bytes', 32],
  contentsUse: [248, 'bytes', 16],
  mapTableLength: [264, 'u32le'],
  numPartitionMaps: [268, 'u32le'],
});
export const LVD_MAPS_OFFSET = 440;

/** Partition map header (ECMA-167 3/10.7.1). */
export const PartitionMapHeader = defineStruct('UDF partition map', 2, {
  type: [0, 'u8'],
  length: [1, 'u8'],
});

/** Type 1 partition map (ECMA-167 3/10.7.2). */
export const PartitionMap1 = defineStruct('UDF type 1 partition map', 6, {
  volumeSequence: [2, 'u16le'],
  partitionNumber: [4, 'u16le'],
});

/** Type 2 partition map (ECMA-167 3/10.7.3) as OSTA UDF 2.60 §2.2.10 lays out the metadata partition map. */
export const PartitionMap2 = defineStruct('UDF type 2 partition map', 64, {
  typeIdentifier: [4, 'bytes', 32],
  volumeSequence: [36, 'u16le'],
  partitionNumber: [38, 'u16le'],
  metadataFile: [40, 'u32le'],
  metadataMirrorFile: [44, 'u32le'],
  metadataBitmapFile: [48, 'u32le'],
  allocationUnitSize: [52, 'u32le'],
  alignmentUnitSize: [56, 'u16le'],
  flags: [58, 'u8'],
});

/** ECMA-167 4/14.1 File Set Descriptor (tag 256). */
export const FileSetDesc = defineStruct('UDF file set descriptor', 512, {
  logicalVolumeIdentifier: [112, 'bytes', 128],
  fileSetIdentifier: [304, 'bytes', 32],
  rootIcb: [400, 'bytes', 16],
  domain: [416, 'bytes', 32],
  nextExtent: [448, 'bytes', 16],
});
