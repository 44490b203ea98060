/**
 * An image's metadata resource: security data, then the directory-entry tree.
 * [wimlib src/security.c (wim_security_data_disk), src/dentry.c (wim_dentry_on_disk,
 *  wim_extra_stream_entry_on_disk)]
 *
 * - security data: u32 total length (0 means 8), u32 count, …; the root dentry follows at the
 *   total length rounded up to 8;
 * - a dentry: 102 fixed bytes, then the UTF-16LE name (+ NUL when non-empty), the short name
 *   (+ NUL when non-empty), optional tagged data, up to `length` (rounded up to 8); then
 *   `numExtraStreams` extra stream entries (38 fixed bytes + name), each rounded up to 8;
 * - a directory's children are the sibling list at its `subdirOffset`, ended by a length ≤ 8;
 * - streams: a named extra entry is a named data stream; among the main hash and unnamed extra
 *   entries, the reparse point (if FILE_ATTRIBUTE_REPARSE_POINT) comes first, then the unnamed
 *   data stream; a zero main hash is ignored when an unnamed extra entry exists.
 */
import { defineStruct } from '../../io/struct.js';
import { SevenStickError } from '../../io/errors.js';
import type { ByteReader } from '../../io/reader.js';

export const DENTRY_FIXED_SIZE = 102;
export const EXTRA_STREAM_FIXED_SIZE = 38;

export const DentryFields = defineStruct('WIM dentry', DENTRY_FIXED_SIZE, {
  length: [0, 'u64le'],
  attributes: [8, 'u32le'],
  securityId: [12, 'i32le'],
  subdirOffset: [16, 'u64le'],
  // FILETIMEs exceed 2^53, so each is read as two halves.
  creationTimeLow: [40, 'u32le'],
  creationTimeHigh: [44, 'u32le'],
  lastAccessTimeLow: [48, 'u32le'],
  lastAccessTimeHigh: [52, 'u32le'],
  lastWriteTimeLow: [56, 'u32le'],
  lastWriteTimeHigh: [60, 'u32le'],
  mainHash: [64, 'bytes', 20],
  unknown54: [84, 'u32le'],
  reparseTag: [88, 'u32le'],
  hardLinkGroupLow: [88, 'u32le'],
  hardLinkGroupHigh: [92, 'u32le'],
  numExtraStreams: [96, 'u16le'],
  shortNameBytes: [98, 'u16le'],
  nameBytes: [100, 'u16le'],
});

export const ExtraStreamFields = defineStruct('WIM extra stream entry', EXTRA_STREAM_FIXED_SIZE, {
  length: [0, 'u64le'],
  reserved: [8, 'bytes', 8],
  hash: [16, 'bytes', 20],
  nameBytes: [36, 'u16le'],
});

export const SecurityDataFields = defineStruct('WIM security data', 8, {
  totalLength: [0, 'u32le'],
  numEntries: [4, 'u32le'],
});

export const FILE_ATTRIBUTE_DIRECTORY = 0x10;
export const FILE_ATTRIBUTE_REPARSE_POINT = 0x400;
export const FILE_ATTRIBUTE_ENCRYPTED = 0x4000;

/** A dentry as read from disk (before blob sizes are known). */
export interface RawDentry {
  /** Offset of this dentry in the metadata resource. */
  offset: number;
  name: string;
  shortName: string;
  attributes: number;
  subdirOffset: number;
  lastWriteTime: Date;
  /** SHA-1 (hex) of the unnamed data stream, or null when empty. */
  dataHash: string | null;
  /** Named data streams: name → SHA-1 (hex) or null when empty. */
  namedStreams: Map<string, string | null>;
  /**
   * Every non-zero SHA-1 (hex) the entry lists — the main hash and each extra stream entry's, in
   * that order, repeats kept: the blobs it references (data, named streams, reparse data).
   */
  streamHashes: string[];
}

const ZERO_HASH = '0'.repeat(40);
/** A single dentry (with names and tagged data) larger than this is malformed. */
const MAX_DENTRY_BYTES = 1024 * 1024;

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

function filetimeToDate(low: number, high: number): Date {
  // 100 ns ticks since 1601-01-01 (millisecond precision is plenty here).
  return new Date((high * 2 ** 32 + low) / 10000 - 11644473600000);
}

/** Offset of the root dentry: after the security data. */
export async function rootDentryOffset(meta: ByteReader, label: string): Promise<number> {
  if (meta.size < 8) throw new SevenStickError('E_FORMAT', `${label}: metadata resource too small (${meta.size} bytes)`);
  const sd = SecurityDataFields.decode(await meta.read(0, 8));
  const total = sd.totalLength === 0 ? 8 : align8(sd.totalLength);
  if (total > meta.size) throw new SevenStickError('E_FORMAT', `${label}: security data (${total} bytes) overruns the metadata resource`);
  if (sd.numEntries > (total - 8) / 8) throw new SevenStickError('E_FORMAT', `${label}: security data lists too many entries`);
  return total;
}

/**
 * Reads the dentry at `offset`. Returns null at an end-of-directory marker; otherwise the dentry
 * and the offset just past it and its extra stream entries (where the next sibling starts).
 */
export async function readDentry(meta: ByteReader, offset: number, label: string): Promise<{ dentry: RawDentry; next: number } | null> {
  const bad = (what: string): SevenStickError =>
    new SevenStickError('E_FORMAT', `${label}: bad directory entry at metadata offset ${offset}: ${what}`, { offset });
  if (offset + 8 > meta.size) throw bad('past the end of the metadata');
  const lenBuf = await meta.read(offset, 8);
  const rawLen = Number(lenBuf.readBigUInt64LE(0));
  const length = align8(rawLen);
  if (length <= 8) return null;
  if (length < DENTRY_FIXED_SIZE) throw bad(`length ${rawLen} is shorter than the fixed part`);
  if (length > MAX_DENTRY_BYTES || offset + length > meta.size) throw bad(`length ${rawLen} runs past the metadata`);
  const buf = await meta.read(offset, length);
  const d = DentryFields.decode(buf);
  if ((d.nameBytes | d.shortNameBytes) & 1) throw bad('odd name length');
  let p = DENTRY_FIXED_SIZE;
  const need = p + (d.nameBytes ? d.nameBytes + 2 : 0) + (d.shortNameBytes ? d.shortNameBytes + 2 : 0);
  if (need > length) throw bad('names overrun the entry');
  const name = buf.toString('utf16le', p, p + d.nameBytes);
  if (d.nameBytes) p += d.nameBytes + 2;
  const shortName = buf.toString('utf16le', p, p + d.shortNameBytes);

  // Streams: index 0 is the main hash, then the extra entries.
  const streams: { name: string; hash: string }[] = [{ name: '', hash: d.mainHash.toString('hex') }];
  let at = offset + length;
  for (let i = 0; i < d.numExtraStreams; i++) {
    if (at + EXTRA_STREAM_FIXED_SIZE > meta.size) throw bad('extra stream entry past the end of the metadata');
    const head = ExtraStreamFields.decode(await meta.read(at, EXTRA_STREAM_FIXED_SIZE));
    const slen = align8(head.length);
    if (slen < EXTRA_STREAM_FIXED_SIZE || slen > MAX_DENTRY_BYTES || at + slen > meta.size) throw bad(`extra stream entry length ${head.length}`);
    if (head.nameBytes & 1 || EXTRA_STREAM_FIXED_SIZE + head.nameBytes > slen) throw bad('extra stream name overruns its entry');
    const sname = head.nameBytes ? (await meta.read(at + EXTRA_STREAM_FIXED_SIZE, head.nameBytes)).toString('utf16le') : '';
    streams.push({ name: sname, hash: head.hash.toString('hex') });
    at += slen;
  }

  let dataHash: string | null = null;
  const namedStreams = new Map<string, string | null>();
  const reparse = (d.attributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0;
  let foundReparse = false;
  let foundData = false;
  for (let i = 0; i < streams.length; i++) {
    const s = streams[i]!;
    if (s.name) {
      namedStreams.set(s.name, s.hash === ZERO_HASH ? null : s.hash);
    } else if (i !== 0 || s.hash !== ZERO_HASH) {
      if (reparse && !foundReparse) foundReparse = true;
      else if (!foundData) {
        foundData = true;
        dataHash = s.hash === ZERO_HASH ? null : s.hash;
      }
    }
  }
  const subdirOffset = d.subdirOffset;
  return {
    dentry: {
      offset,
      name,
      shortName,
      attributes: d.attributes,
      subdirOffset,
      lastWriteTime: filetimeToDate(d.lastWriteTimeLow, d.lastWriteTimeHigh),
      dataHash,
      namedStreams,
      streamHashes: streams.map((s) => s.hash).filter((h) => h !== ZERO_HASH),
    },
    next: at,
  };
}

/** Reads the sibling list starting at `offset` (a directory's children). */
export async function readDirectory(meta: ByteReader, offset: number, label: string): Promise<RawDentry[]> {
  const out: RawDentry[] = [];
  if (offset === 0) return out;
  let at = offset;
  // Each entry takes at least 8 bytes and offsets only grow, so this loop ends.
  for (;;) {
    const r = await readDentry(meta, at, label);
    if (!r) return out;
    if (r.next <= at) throw new SevenStickError('E_FORMAT', `${label}: directory entry loop at ${at}`, { offset: at });
    out.push(r.dentry);
    at = r.next;
  }
}
