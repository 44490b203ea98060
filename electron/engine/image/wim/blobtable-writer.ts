/**
 * Writing a WIM blob table: one 50-byte entry per blob, through the reader's field table
 * (blobtable.ts: BlobEntryFields). Entries are written in the order given.
 */
import { SevenStickError } from '../../io/errors.js';
import { BLOB_ENTRY_SIZE, BlobEntryFields, type BlobEntry } from './blobtable.js';
import { encodeResourceHeader } from './header-writer.js';

export function encodeBlobTable(entries: readonly BlobEntry[]): Buffer {
  const buf = Buffer.alloc(entries.length * BLOB_ENTRY_SIZE);
  entries.forEach((e, i) => {
    if (!/^[0-9a-f]{40}$/.test(e.sha1)) throw new SevenStickError('E_ARGS', `WIM blob table: "${e.sha1}" is not a SHA-1`);
    const base = i * BLOB_ENTRY_SIZE;
    encodeResourceHeader(e.res, buf, base + BlobEntryFields.offsetOf('reshdr'));
    BlobEntryFields.encode({ partNumber: e.partNumber, refCount: e.refCount, hash: Buffer.from(e.sha1, 'hex') }, buf, base);
  });
  return buf;
}
