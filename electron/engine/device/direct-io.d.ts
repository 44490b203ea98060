/**
 * Types for the native @ronomon/direct-io binding (it ships none). Only what the device layer uses.
 */
declare module '@ronomon/direct-io' {
  export const O_DIRECT: number;
  export const O_DSYNC: number;
  export const O_EXCL: number;
  export const O_EXLOCK: number;
  export const O_SYNC: number;
  export interface BlockDeviceInfo {
    logicalSectorSize: number;
    physicalSectorSize: number;
    size: number;
    serialNumber?: string;
  }
  /** A zero-filled Buffer whose address is a multiple of `alignment`. */
  export function getAlignedBuffer(size: number, alignment: number): Buffer;
  export function getBlockDevice(fd: number, callback: (error: Error | undefined, info: BlockDeviceInfo) => void): void;
  export function setF_NOCACHE(fd: number, value: 0 | 1, callback: (error?: Error) => void): void;
  export function setFlock(fd: number, value: 0 | 1, callback: (error?: Error) => void): void;
  export function setFSCTL_LOCK_VOLUME(fd: number, value: 0 | 1, callback: (error?: Error) => void): void;
}
