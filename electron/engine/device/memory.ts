/**
 * Keeping a long write's memory flat. Streams allocate a few MiB per chunk (file reads, decompression);
 * V8 does not count the native memory behind those Buffers as heap pressure and lets a hundred MiB or
 * more of dead buffers pile up between collections. The pipeline looks at the memory held by buffers
 * every few blocks and asks for a collection once it has grown by a bounded amount.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gcFn: (() => void) | null | undefined;

/** Runs a full garbage collection when the runtime allows it (a no-op otherwise). */
export function collectGarbage(): void {
  if (gcFn === undefined) {
    try {
      const exposed = (globalThis as { gc?: () => void }).gc;
      if (exposed) gcFn = exposed;
      else {
        setFlagsFromString('--expose-gc');
        gcFn = runInNewContext('gc') as () => void;
      }
    } catch {
      gcFn = null;
    }
  }
  gcFn?.();
}

/** Bytes between two looks at the memory held by buffers during a pass. */
export const MEMORY_CHECK_BYTES = 16 * 1024 * 1024;
/** Growth of buffer memory (dead or alive) since the last collection that triggers the next one. */
export const BUFFER_GROWTH_LIMIT = 32 * 1024 * 1024;

let afterLastGc = -1;

/**
 * Collects garbage when the memory held by Buffers has grown by more than `limit` since the last
 * collection (the dead chunk buffers a stream leaves behind). Returns whether it collected.
 */
export function keepMemoryFlat(limit = BUFFER_GROWTH_LIMIT): boolean {
  const held = process.memoryUsage().arrayBuffers;
  if (afterLastGc >= 0 && held - afterLastGc <= limit) return false;
  collectGarbage();
  afterLastGc = process.memoryUsage().arrayBuffers;
  return true;
}
