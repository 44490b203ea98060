/**
 * SHA-1 and SHA-256 of an image in one streaming pass: the main thread reads and hashes SHA-256
 * while a worker thread hashes SHA-1 of the same chunks, so both cost about as much as one.
 * Memory stays bounded (a few chunks in flight); progress goes through ProgressMeter.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { SevenStickError } from '../io/errors.js';
import { readChunks, type ByteReader } from '../io/reader.js';
import { ProgressMeter, type ProgressListener } from '../io/progress.js';

export interface Digests {
  sha1: string;
  sha256: string;
}

export interface HashOptions {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /** Chunk size in bytes (default 4 MiB). */
  chunkSize?: number;
  /** Hash SHA-1 in a worker thread (default true). */
  parallel?: boolean;
}

const MAX_IN_FLIGHT = 4;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const h = require('node:crypto').createHash('sha1');
parentPort.on('message', (m) => {
  if (m === 'end') { parentPort.postMessage({ digest: h.digest('hex') }); return; }
  h.update(m);
  parentPort.postMessage({ ack: true });
});
`;

class Sha1Worker {
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true });
  private inFlight = 0;
  private waiters: (() => void)[] = [];
  private digestWaiter: ((d: string) => void) | undefined;
  private failure: unknown;

  constructor() {
    this.worker.on('message', (m: { ack?: boolean; digest?: string }) => {
      if (m.ack) {
        this.inFlight--;
        this.waiters.shift()?.();
      } else if (m.digest !== undefined) this.digestWaiter?.(m.digest);
    });
    this.worker.on('error', (e) => {
      this.failure = e;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  async push(chunk: Buffer): Promise<void> {
    while (this.inFlight >= MAX_IN_FLIGHT && !this.failure) await new Promise<void>((r) => this.waiters.push(r));
    if (this.failure) throw new SevenStickError('E_IO', 'SHA-1 worker failed', {}, { cause: this.failure });
    this.inFlight++;
    // The caller is done with the chunk: hand its memory over when it owns it whole, else copy.
    const whole = chunk.byteOffset === 0 && chunk.buffer instanceof ArrayBuffer && chunk.buffer.byteLength === chunk.length;
    const view = whole ? new Uint8Array(chunk.buffer as ArrayBuffer) : new Uint8Array(chunk);
    this.worker.postMessage(view, [view.buffer]);
  }

  async digest(): Promise<string> {
    const p = new Promise<string>((r) => (this.digestWaiter = r));
    this.worker.postMessage('end');
    return p;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** SHA-1 and SHA-256 of the whole reader, in one pass. */
export async function hashReader(reader: ByteReader, opts: HashOptions = {}): Promise<Digests> {
  const meter = new ProgressMeter('hashing', reader.size, opts.onProgress);
  meter.update(0, true);
  const sha256 = createHash('sha256');
  const parallel = opts.parallel ?? true;
  const worker = parallel ? new Sha1Worker() : undefined;
  const sha1 = parallel ? undefined : createHash('sha1');
  try {
    let done = 0;
    for await (const chunk of readChunks(reader, opts.chunkSize ?? 4 * 1024 * 1024, 0, reader.size, opts.signal)) {
      done += chunk.length;
      if (worker) {
        sha256.update(chunk);
        await worker.push(chunk); // chunk is not used after this
      } else {
        sha1?.update(chunk);
        sha256.update(chunk);
      }
      if (done < reader.size) meter.update(done);
    }
    const out = { sha1: worker ? await worker.digest() : (sha1 as ReturnType<typeof createHash>).digest('hex'), sha256: sha256.digest('hex') };
    meter.finish();
    return out;
  } finally {
    await worker?.close();
  }
}
