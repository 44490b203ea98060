/**
 * The disk image stream contract, at the bottom of the engine: what a layout produces (a Windows
 * stick's sectors, or a raw image byte for byte) and what the device writer and the read-back consume.
 * Producers live in layout/ and job/, consumers in device/ and verify/; both import only this.
 */
export interface DiskChunk {
  offset: number;
  data: Buffer;
  /** Boot-critical: written after every other chunk, and after a flush. */
  boot?: boolean;
  /**
   * Boot chunks: the order in which they become durable. A writer flushes after the data, then writes
   * stage 0, flushes, stage 1, flushes, … (a Windows stick: 0 = backup boot sector + stage 2,
   * 1 = the partition's boot sector, 2 = the MBR; a raw image: 0 = its first 64 KiB after sector 0,
   * 1 = sector 0). A boot chunk without a stage goes with stage 0, or last when it touches sector 0.
   */
  stage?: number;
}

export interface ChunkOptions {
  /**
   * Recycle chunk buffers: a chunk's `data` is then valid only until the consumer asks for the
   * next chunk (copy it if you need it longer). Saves allocating (and page-faulting) fresh memory
   * for every chunk. Default false: every chunk has its own buffer.
   */
  reuseBuffers?: boolean;
}

export interface DiskImageStream {
  /** Bytes of the whole disk image (for .vhd: including the 512-byte footer). */
  readonly size: number;
  /** Sum of all chunk lengths. */
  readonly bytesToWrite: number;
  chunks(signal?: AbortSignal, options?: ChunkOptions): AsyncIterable<DiskChunk>;
  /** What lives at a byte offset: 'MBR', 'FAT #1', 'sources/install.wim', 'free'… */
  describe(offset: number): string;
}
