/** A drive as the engine sees it: a block device or a regular file (a disk image), and where drives come from. */

export interface Drive {
  /** Path to open: /dev/sdX, /dev/loopN, /dev/diskN, \\.\PhysicalDriveN, or a regular file. */
  device: string;
  kind: 'block' | 'file';
  /** Size in bytes; null when unknown (e.g. an empty zram device, a file not yet created). */
  size: number | null;
  description: string;
  bus: string;
  removable: boolean;
  readOnly: boolean;
  isSystem: boolean;
  /** Mount points of the device and of its partitions. */
  mountpoints: string[];
  serial: string | null;
  /** Bytes per logical sector (the alignment direct I/O needs). */
  logicalSectorSize: number;
  /** For a loop device: the file behind it. */
  backingFile: string | null;
  /** True when the drive came from an injected (test) source. */
  injected: boolean;
  /** For files: whether it exists yet. */
  exists: boolean;
  /** Linux: major:minor of the disk and its partitions (to tell whether a file lives on it). */
  devNumbers: string[];
  /** The path names a partition, not a whole drive. */
  isPartition?: boolean;
  /**
   * What the path named when it was described: a block device's st_rdev, or an existing file's
   * st_dev + st_ino. Target.open compares the open descriptor's fstat with it, so what gets written
   * is what was checked (a path swapped in between is refused).
   */
  identity?: { rdev: number } | { dev: number; ino: number };
}

/** Where drives come from; injectable for tests. */
export type DriveSource = () => Promise<Drive[]>;
