/** The disk image stream the writer consumes is the layout area's (Windows stick or raw copy). */
export type { DiskChunk, DiskImageStream } from '../layout/stream.js';
