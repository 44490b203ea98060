/**
 * The WIM blob table (a.k.a. lookup table): one 50-byte entry per stored blob — its resource
 * header, part number, reference count and SHA-1. Entries flagged METADATA are the images'
 * metadata resources, in image order. [wimlib src/blob_table.c, struct blob_descriptor_disk]
 */
import { defineStruct } from '../../io/struct.js';
import { SevenStickError } from '../../io/errors.js';
import { RESHDR_SIZE, ResourceFlag, decodeResourceHeader, type ResourceHeader } from './header.js';

export const BLOB_ENTRY_SIZE = 50;

export const BlobEntryFields = defineStruct('WIM blob table entry', BLOB_ENTRY_SIZE, {
  reshdr: [0, 'bytes', RESHDR_SIZE],
  partNumber: [24, 'u16le'],
  refCount: [26, 'u32le'],
  hash: [30, 'bytes', 20],
});

export interface BlobEntry {
  res: ResourceHeader;
  partNumber: number;
  refCount: number;
  /** SHA-1 of the uncompressed blob, lowercase hex. */
  sha1: string;
}

export interface BlobTable {
  /** Data blobs by SHA-1 (hex). */
  byHash: Map<string, BlobEntry>;
  /** Metadata resources, index 0 = image 1. */
  metadata: BlobEntry[];
}

export function parseBlobTable(buf: Buffer, label: string): BlobTable {
  if (buf.length % BLOB_ENTRY_SIZE !== 0) {
    throw new SevenStickError('E_FORMAT', `${label}: blob table size ${buf.length} is not a multiple of ${BLOB_ENTRY_SIZE}`);
  }
  const byHash = new Map<string, BlobEntry>();
  const metadata: BlobEntry[] = [];
  for (let at = 0; at < buf.length; at += BLOB_ENTRY_SIZE) {
    const raw = BlobEntryFields.decode(buf, at);
    const entry: BlobEntry = {
      res: decodeResourceHeader(raw.reshdr),
      partNumber: raw.partNumber,
      refCount: raw.refCount,
      sha1: raw.hash.toString('hex'),
    };
    if (entry.res.flags & ResourceFlag.FREE) continue;
    if (entry.res.flags & ResourceFlag.METADATA) metadata.push(entry);
    else if (!byHash.has(entry.sha1)) byHash.set(entry.sha1, entry);
  }
  return { byHash, metadata };
}
