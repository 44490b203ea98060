/**
 * An open write target: a whole block device (exclusive, direct I/O with aligned buffers) or a regular
 * file (direct I/O when the filesystem offers it). Reads and writes retry transient errors with back-off
 * and fail with errors that name the device, the offset and what the OS said.
 */
import { constants as C, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { BUFFER_ALIGNMENT, ioBuffers, loadDirectIo } from '../io/buffers.js';
import { SevenStickError, type ErrorCode } from '../io/errors.js';
import type { Drive } from './drive.js';

const TRANSIENT = new Set(['EIO', 'EAGAIN', 'EINTR', 'EBUSY']);
export const RETRY_DELAYS_MS = [50, 200, 600];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface OpenOptions {
  write: boolean;
  /** For a new (or to-be-extended) regular file: its size in bytes. */
  size?: number;
  /** Ask for direct I/O (bypassing the page cache); falls back where the filesystem refuses it. */
  direct?: boolean;
  /** Regular files: make the file exactly `size` bytes (a .vhd's footer must be its last sector). */
  exactSize?: boolean;
}

function errnoCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Ties the open descriptor to what was checked: a block device must still be the device number that
 * was described, an existing file the same device + inode, a new file a regular file. Anything else
 * (a link or a different file swapped in at the path, a device re-created under the name) is refused
 * before a byte is read or written.
 */
export function assertSameObject(drive: Drive, st: { rdev: number; dev: number; ino: number; isBlockDevice(): boolean; isFile(): boolean }): void {
  const path = drive.device;
  const refuse = (why: string): never => {
    throw new SevenStickError('E_SAFETY', `${path} is not the drive that was checked (${why}); nothing was written`, { path });
  };
  if (drive.kind === 'block') {
    if (!st.isBlockDevice() && process.platform !== 'win32') refuse('it is no longer a block device');
    const id = drive.identity;
    if (id && 'rdev' in id && id.rdev !== st.rdev) refuse('its device number changed');
    return;
  }
  if (!st.isFile()) refuse('it is not a regular file');
  const id = drive.identity;
  if (id && 'ino' in id && (id.dev !== st.dev || id.ino !== st.ino)) refuse('another file is at that path now');
}

export class Target {
  /** Bytes written since the last sync. */
  private unsynced = 0;
  /** A regular file grown past its size by a whole-sector write at its end (cut back on close). */
  private grown = false;

  private constructor(
    readonly drive: Drive,
    private readonly handle: FileHandle,
    readonly size: number,
    /** Offsets and lengths of every I/O are multiples of this. */
    readonly sectorSize: number,
    /** Whether the page cache is bypassed. */
    readonly direct: boolean,
    /** Why direct I/O is off, when it is. */
    readonly directNote: string | undefined,
  ) {}

  get path(): string {
    return this.drive.device;
  }

  static async open(checked: Drive, opts: OpenOptions): Promise<Target> {
    const dio = loadDirectIo();
    let drive = checked;
    const path = drive.device;
    const isBlock = drive.kind === 'block';
    // Never through a link: the path was resolved once when the drive was described, and the open
    // descriptor is checked against that description below.
    let flags = (opts.write ? C.O_RDWR : C.O_RDONLY) | (C.O_NOFOLLOW ?? 0);
    // Linux: O_EXCL on a block device fails with EBUSY while the kernel has it or a partition of it
    // in use (mounted, swap, LVM/LUKS/RAID member). Required, not best-effort.
    if (isBlock && process.platform === 'linux') flags |= C.O_EXCL;
    if (isBlock && process.platform === 'win32' && dio) flags |= dio.O_EXLOCK;
    const wantDirect = (opts.direct ?? true) && dio !== null && process.platform !== 'darwin';
    let handle: FileHandle | undefined;
    let direct = false;
    let directNote: string | undefined;
    const fail = (e: unknown): SevenStickError => {
      const code = errnoCode(e);
      let ec: ErrorCode = 'E_DEVICE';
      let why = (e as Error).message;
      if (code === 'EBUSY') {
        ec = 'E_BUSY';
        why = `${path} is busy (mounted or opened by another program); close it and try again`;
      } else if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
        ec = code === 'EROFS' ? 'E_SAFETY' : 'E_DEVICE';
        why = code === 'EROFS' ? `${path} is read-only; nothing was written` : `No permission to open ${path} (${code}); run as administrator/root`;
      } else {
        why = `Cannot open ${path}: ${why}`;
      }
      return new SevenStickError(ec, why, { path, errno: code }, { cause: e });
    };
    if (!isBlock && opts.write && !drive.exists) {
      // A new file is created here and nowhere else (never an existing one taken over), and the
      // opens below must find that very file.
      try {
        const created = await fsp.open(path, flags | C.O_CREAT | C.O_EXCL, 0o644);
        const st = await created.stat();
        await created.close();
        drive = { ...drive, exists: true, identity: { dev: st.dev, ino: st.ino } };
      } catch (e) {
        throw fail(e);
      }
    }
    if (wantDirect && dio) {
      try {
        handle = await fsp.open(path, flags | dio.O_DIRECT, 0o644);
        direct = true;
      } catch (e) {
        if (errnoCode(e) !== 'EINVAL') throw fail(e);
        directNote = `the filesystem holding ${path} does not support direct I/O; the page cache is not bypassed`;
      }
    } else if (!dio) {
      directNote = 'the direct-io module is missing; the page cache is not bypassed';
    }
    if (!handle) {
      try {
        handle = await fsp.open(path, flags, 0o644);
      } catch (e) {
        throw fail(e);
      }
    }
    try {
      const st = await handle.stat();
      assertSameObject(drive, st);
      let size: number;
      if (isBlock) {
        size = drive.size ?? 0;
      } else {
        size = st.size;
        if (opts.write && opts.size !== undefined && (opts.size > size || (opts.exactSize && opts.size !== size))) {
          await handle.truncate(opts.size);
          size = opts.size;
        }
      }
      if (!(size > 0)) throw new SevenStickError('E_DEVICE', `${path} has no size`, { path });
      const sectorSize = isBlock ? Math.max(512, drive.logicalSectorSize) : direct ? Math.max(512, Math.min(st.blksize || 4096, BUFFER_ALIGNMENT)) : 512;
      return new Target(drive, handle, size, sectorSize, direct, directNote);
    } catch (e) {
      await handle.close().catch(() => undefined);
      throw e;
    }
  }

  private ioError(e: unknown, what: 'Write' | 'Read', offset: number, length: number): SevenStickError {
    if (e instanceof SevenStickError) return e;
    const code = errnoCode(e);
    return new SevenStickError(
      code === 'EIO' || code === 'ENOSPC' || code === 'ENXIO' ? 'E_IO' : 'E_DEVICE',
      `${what} error on ${this.path} at byte ${offset} (${length} bytes): ${(e as Error).message}`,
      { path: this.path, offset, errno: code },
      { cause: e },
    );
  }

  /** Writes buf[0, length) at offset (all aligned), retrying transient errors. */
  async writeAt(buf: Buffer, length: number, offset: number): Promise<void> {
    // A regular file whose size is not a whole number of sectors takes a last whole-sector write.
    const limit = this.drive.kind === 'file' ? Math.ceil(this.size / this.sectorSize) * this.sectorSize : this.size;
    if (offset + length > this.size && offset + length <= limit) this.grown = true;
    else if (offset + length > limit) {
      throw new SevenStickError('E_TARGET_TOO_SMALL', `${this.path} ends at byte ${this.size}; the image needs bytes up to ${offset + length}`, { path: this.path, offset });
    }
    await this.retrying('Write', length, offset, async (done) => {
      const { bytesWritten } = await this.handle.write(buf, done, length - done, offset + done);
      if (bytesWritten <= 0) throw Object.assign(new Error('the device accepted no more data'), { code: 'ENOSPC' });
      return bytesWritten;
    });
    this.unsynced += length;
  }

  /** Reads length bytes at offset into buf (all aligned), retrying transient errors. */
  async readAt(buf: Buffer, length: number, offset: number): Promise<void> {
    await this.retrying('Read', length, offset, async (done) => {
      const { bytesRead } = await this.handle.read(buf, done, length - done, offset + done);
      if (bytesRead > 0) return bytesRead;
      if (this.drive.kind === 'file' && offset + done >= this.size) {
        // Past the end of a regular file (its last partial sector): reads as zeros.
        buf.fill(0, done, length);
        return length - done;
      }
      throw Object.assign(new Error(`${this.path} ended early`), { code: 'ENXIO' });
    });
  }

  /**
   * Calls `step(done)` (one positioned read or write of the rest, returning how many bytes it moved)
   * until `length` bytes are done. Transient errors are retried after RETRY_DELAYS_MS (the count
   * starts again after any progress); anything else fails with the device, the offset and the OS's words.
   */
  private async retrying(what: 'Write' | 'Read', length: number, offset: number, step: (done: number) => Promise<number>): Promise<void> {
    let done = 0;
    for (let attempt = 0; done < length; ) {
      try {
        done += await step(done);
        attempt = 0;
      } catch (e) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (!TRANSIENT.has(errnoCode(e) ?? '') || delay === undefined) throw this.ioError(e, what, offset + done, length - done);
        attempt++;
        await sleep(delay);
      }
    }
  }

  /** Bytes written since the last sync. */
  get pendingSync(): number {
    return this.unsynced;
  }

  /** Flushes the OS's and the device's caches. */
  async sync(): Promise<void> {
    try {
      await this.handle.datasync();
    } catch (e) {
      throw this.ioError(e, 'Write', 0, 0);
    }
    this.unsynced = 0;
  }

  async close(): Promise<void> {
    if (this.grown) await this.handle.truncate(this.size).catch(() => undefined);
    await this.handle.close().catch(() => undefined);
  }

  /**
   * Overwrites the first sector with zeros (best effort): a stick whose write did not finish must not
   * look bootable or partitioned.
   */
  async zeroBootSector(): Promise<boolean> {
    const z = ioBuffers.take(this.sectorSize).fill(0, 0, this.sectorSize);
    try {
      await this.writeAt(z, this.sectorSize, 0);
      await this.sync();
      return true;
    } catch {
      return false;
    } finally {
      ioBuffers.give(z);
    }
  }
}
