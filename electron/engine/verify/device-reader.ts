/**
 * A ByteReader over a target that reads around the page cache: every read is widened to whole sectors
 * and done with direct I/O into an aligned buffer (where the OS and filesystem allow it).
 */
import { checkRange, type ClosableReader } from '../io/reader.js';
import { Target } from '../device/target.js';
import { ioBuffers } from '../io/buffers.js';
import { describePath } from '../device/describe-path.js';
import type { Drive } from '../device/drive.js';
import { SevenStickError } from '../io/errors.js';

export class DeviceReader implements ClosableReader {
  private constructor(private readonly target: Target) {}

  /** Opens a path, or a drive already described (then it is opened as checked). */
  static async open(target: string | Drive): Promise<DeviceReader> {
    const d = typeof target === 'string' ? await describePath(target) : target;
    if (!d.exists) throw new SevenStickError('E_NOT_FOUND', `${d.device} does not exist`, { path: d.device });
    return new DeviceReader(await Target.open(d, { write: false, direct: true }));
  }

  get size(): number {
    return this.target.size;
  }
  get label(): string {
    return this.target.path;
  }
  /** Whether reads bypass the page cache, and why not when they don't. */
  get direct(): boolean {
    return this.target.direct;
  }
  get directNote(): string | undefined {
    return this.target.directNote;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, offset, length);
    if (length === 0) return Buffer.alloc(0);
    const s = this.target.sectorSize;
    const start = Math.floor(offset / s) * s;
    const end = Math.min(Math.ceil((offset + length) / s) * s, Math.floor(this.size / s) * s);
    const tail = end < offset + length; // the device's size is not a whole number of sectors
    const span = tail ? Math.ceil((offset + length - start) / s) * s : end - start;
    // At least 64 KiB, so small reads share one size of buffer.
    const buf = ioBuffers.take(Math.max(span, 64 * 1024));
    try {
      await this.target.readAt(buf, span, start); // regular files read zeros past their end
      return Buffer.from(buf.subarray(offset - start, offset - start + length));
    } finally {
      ioBuffers.give(buf);
    }
  }

  async close(): Promise<void> {
    await this.target.close();
  }
}
