/**
 * The disk image stream the writer consumes. The `layout` area produces these (Windows stick, raw copy);
 * this file holds the shape the device layer codes against and a raw stream over any reader.
 */
import type { ByteReader } from '../io/reader.js';
import { SevenStickError } from '../io/errors.js';

export interface DiskChunk {
  offset: number;
  data: Buffer;
  /** Boot-critical bytes (MBR, VBR): written last so an interrupted write never looks bootable. */
  boot?: boolean;
}

export interface DiskImageStream {
  /** Bytes of the whole disk image (.vhd: incl. footer). */
  readonly size: number;
  /** Sum of chunk lengths. */
  readonly bytesToWrite: number;
  /** Regenerable; ascending offsets, boot chunks last. */
  chunks(signal?: AbortSignal): AsyncIterable<DiskChunk>;
  /** What lives at a byte offset ('MBR', 'FAT #1', 'sources/install.wim', …). */
  describe(offset: number): string;
}

/** A stream that copies a reader byte for byte (hybrid ISOs, .img files); sector 0 is a boot chunk, sent last. */
export function rawStreamOf(reader: ByteReader, chunkSize = 4 * 1024 * 1024): DiskImageStream {
  const size = reader.size;
  const bootLen = Math.min(512, size);
  return {
    size,
    bytesToWrite: size,
    describe: (offset) => (offset < bootLen ? 'MBR' : `image byte ${offset}`),
    async *chunks(signal) {
      if (size > bootLen) {
        for (let pos = bootLen; pos < size; ) {
          if (signal?.aborted) throw new SevenStickError('E_CANCELLED', 'Cancelled');
          // Keep later chunks aligned to chunkSize boundaries of the image.
          const end = Math.min(size, (Math.floor(pos / chunkSize) + 1) * chunkSize);
          yield { offset: pos, data: await reader.read(pos, end - pos) };
          pos = end;
        }
      }
      if (bootLen > 0) yield { offset: 0, data: await reader.read(0, bootLen), boot: true };
    },
  };
}
