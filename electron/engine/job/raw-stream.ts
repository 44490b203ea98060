/**
 * A hybrid or raw image as a disk image stream, byte for byte: the raw side of the write job's
 * stream factory (image-stream.ts), and what `verify` compares a raw stick against.
 */
import type { DiskImageStream, ChunkOptions } from '../io/disk-stream.js';
import { readInto, type ByteReader } from '../io/reader.js';
import { SECTOR } from '../layout/fat32/bpb.js';
import { runPieces, split, type StreamContext } from '../layout/pieces.js';

/**
 * A hybrid or raw image, byte for byte (padded with zeros to whole sectors). Its first 64 KiB
 * (MBR, GPT, boot code) come last: first the sectors after sector 0 (stage 0), then sector 0 (stage 1).
 */
export function createRawStream(reader: ByteReader): DiskImageStream {
  const size = Math.ceil(reader.size / SECTOR) * SECTOR;
  const bootEnd = Math.min(size, 64 * 1024);
  const make = (a: number, b: number) => async (ctx: StreamContext, index: number) => {
    const end = Math.min(b, reader.size);
    // A recycled buffer when the consumer asked for them, else a fresh one; the image's last
    // partial sector is padded with zeros.
    const out = ctx.ring ? (ctx.ring[index % ctx.ring.length] as Buffer).subarray(0, b - a) : Buffer.allocUnsafe(b - a);
    if (end > a) await readInto(reader, a, end - a, out, 0);
    out.fill(0, Math.max(end - a, 0));
    return out;
  };
  const pieces = [...split(bootEnd, size, make), ...split(SECTOR, bootEnd, make, true, 0), ...split(0, Math.min(SECTOR, size), make, true, 1)];
  return {
    size,
    bytesToWrite: size,
    chunks: (signal?: AbortSignal, options?: ChunkOptions) => runPieces(pieces, signal, async () => undefined, options),
    describe: (offset: number) => (offset < 0 || offset >= size ? 'outside the disk' : offset < bootEnd ? 'image boot area (first 64 KiB)' : 'image data'),
  };
}
