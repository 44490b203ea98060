/**
 * A ByteReader over a target that reads around the page cache: every read is widened to whole sectors
 * and done with direct I/O into an aligned buffer (where the OS and filesystem allow it).
 */
import { checkRange, type ClosableReader } from '../io/reader.js';
import { alignedBuffer, Target } from '../device/target.js';
import { describePath } from '../device/drives.js';
import { SevenStickError } from '../io/errors.js';

export class DeviceReader implements ClosableReader {
  private constructor(private readonly target: Target) {}

  static async open(path: string): Promise<DeviceReader> {
    const d = await describePath(path);
    if (!d.exists) throw new SevenStickError('E_NOT_FOUND', `${path} does not exist`, { path });
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
    if (end < offset + length) {
      // The device's size is not a whole number of sectors: the tail is read plainly.
      const buf = alignedBuffer(Math.ceil((offset + length - start) / s) * s);
      await this.target.readAt(buf, this.size - start, start);
      return Buffer.from(buf.subarray(offset - start, offset - start + length));
    }
    const buf = alignedBuffer(end - start);
    await this.target.readAt(buf, end - start, start);
    return Buffer.from(buf.subarray(offset - start, offset - start + length));
  }

  async close(): Promise<void> {
    await this.target.close();
  }
}
