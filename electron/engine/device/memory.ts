/**
 * Keeping a long write's memory flat. Streams allocate a few MiB per chunk (file reads, decompression);
 * V8 does not see the native memory behind those Buffers as pressure and lets hundreds of MiB of dead
 * buffers pile up between collections. The pipeline asks for a collection every so many bytes instead.
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

/** Bytes between two collections during a pass. */
export const GC_EVERY_BYTES = 32 * 1024 * 1024;
