/** Shared by the slimmed-WIM tests: producing a reader's bytes into a file, and wimlib's listing of an image. */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { ByteReader } from '../../engine/index.js';
import { runOk } from '../helpers/tools.js';

/** Writes all of `r` to `path` through readInto, `chunk` bytes at a time; returns the bytes written. */
export async function produce(r: ByteReader & Required<Pick<ByteReader, 'readInto'>>, path: string, chunk: number): Promise<number> {
  const fd = openSync(path, 'w');
  const buf = Buffer.allocUnsafe(chunk);
  let n = 0;
  try {
    for (let pos = 0; pos < r.size; pos += chunk) {
      const len = Math.min(chunk, r.size - pos);
      await r.readInto(pos, len, buf, 0);
      n += writeSync(fd, buf, 0, len);
    }
  } finally {
    closeSync(fd);
  }
  return n;
}

/** `wimlib-imagex dir --detailed` of one image, without what slimming legitimately changes (offsets, reference counts). */
export async function detailedListing(wimPath: string, image: number): Promise<string> {
  const r = await runOk('wimlib-imagex', ['dir', wimPath, String(image), '--detailed'], { timeoutMs: 600_000 });
  return r.stdout
    .split('\n')
    .filter((l) => !/^(Offset in WIM|Reference Count)\s*=/.test(l))
    .join('\n');
}
