/**
 * The one pool of I/O buffers. Every buffer that direct I/O (O_DIRECT) reads into or writes from —
 * the pipeline's blocks, the sinks' scratch space, the device reader's, the capacity markers, the
 * zeroed boot sector — and the image stream's recycled chunk buffers come from `ioBuffers`, with one
 * alignment rule: BUFFER_ALIGNMENT.
 *
 * Aligned buffers are native memory V8 does not see (the garbage collector frees them late): whoever
 * is done with one gives it back, and the next pass of a job (write, then verify) takes the same
 * buffers again instead of allocating new ones while the old ones wait to be collected.
 */

interface DirectIo {
  O_DIRECT: number;
  O_EXCL: number;
  O_EXLOCK: number;
  getAlignedBuffer(size: number, alignment: number): Buffer;
}

let directIo: DirectIo | null | undefined;

/** The native direct-io binding, or null where it is missing (then buffers are not aligned). */
export function loadDirectIo(): DirectIo | null {
  if (directIo === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      directIo = require('@ronomon/direct-io') as DirectIo;
    } catch {
      directIo = null;
    }
  }
  return directIo;
}

/** Memory alignment of every I/O buffer: safe for 512- and 4096-byte sector devices. */
export const BUFFER_ALIGNMENT = 4096;

/** A zero-filled buffer whose address is a multiple of BUFFER_ALIGNMENT (needed by O_DIRECT). */
function alignedBuffer(size: number): Buffer {
  const dio = loadDirectIo();
  if (dio) return dio.getAlignedBuffer(size, BUFFER_ALIGNMENT);
  // Node does not expose addresses: without the binding nothing is aligned, and Target.open falls back to buffered I/O.
  return Buffer.alloc(size);
}

export class AlignedBufferPool {
  private readonly free: Buffer[] = [];
  private freeBytes = 0;

  /** `keepBytes`: free buffers kept for reuse at most; what is given back beyond that is left to the collector. */
  constructor(readonly keepBytes: number) {}

  /**
   * An aligned buffer of at least `size` bytes: the smallest free one that fits (of those, the one
   * given back last), else a new one (zero-filled). A reused buffer holds whatever its last user left in it.
   */
  take(size: number): Buffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const len = (this.free[i] as Buffer).length;
      if (len >= size && (best < 0 || len <= (this.free[best] as Buffer).length)) best = i;
    }
    if (best < 0) return alignedBuffer(size);
    const b = this.free.splice(best, 1)[0] as Buffer;
    this.freeBytes -= b.length;
    return b;
  }

  /** Gives back a buffer take() returned (the whole buffer, not a slice of it); its owner no longer uses it. */
  give(b: Buffer): void {
    if (this.freeBytes + b.length > this.keepBytes) return;
    this.free.push(b);
    this.freeBytes += b.length;
  }
}

/** The process's pool; keeps up to what one job holds at once (stream chunks, blocks and scratch). */
export const ioBuffers = new AlignedBufferPool(32 * 1024 * 1024);
