/**
 * Resource layout details: raw-stored chunks inside compressed resources (as wimlib writes them)
 * and chunk tables with 8-byte entries (resources over 4 GiB), read through a virtual WIM so no
 * 4 GiB file is needed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import {
  FileReader,
  ResourceFlag,
  ResourceReader,
  SevenStickError,
  WimHeaderFields,
  checkRange,
  decodeResourceHeader,
  openWim,
  parseBlobTable,
  type ByteReader,
} from '../../engine/index.js';
import { fixture } from '../helpers/tools.js';
import { lzxEncodeChunk } from './lzx-encoder.js';

test('wimlib stores an incompressible chunk raw inside a compressed resource, and we read it', async () => {
  const fx = await fixture('wim-tree.sh', ['LZX', '', 'resource']);
  const bytes = readFileSync(join(fx, 'test.wim'));
  const want = readFileSync(join(fx, 'out1', 'mixed.bin'));
  const h = WimHeaderFields.decode(bytes);
  const bt = decodeResourceHeader(h.blobTable);
  const table = parseBlobTable(bytes.subarray(bt.offset, bt.offset + bt.originalSize), 'test.wim');
  const blob = table.byHash.get(createHash('sha1').update(want).digest('hex'));
  assert.ok(blob);
  assert.ok(blob.res.flags & ResourceFlag.COMPRESSED, 'the resource is compressed');
  const c1 = bytes.readUInt32LE(blob.res.offset);
  const c2 = bytes.readUInt32LE(blob.res.offset + 4);
  assert.equal(c2 - c1, 32768, 'chunk 1 is stored raw (stored size = 32768)');
  assert.ok(c1 < 32768, 'chunk 0 is compressed');
  const r = await FileReader.open(join(fx, 'test.wim'));
  try {
    const wim = await openWim(r);
    assert.ok((await wim.readFile(1, 'mixed.bin')).equals(want));
  } finally {
    await r.close();
  }
});

/** A read-only "file" made of a real prefix followed by one block repeated forever. */
class VirtualWim implements ByteReader {
  readonly label = 'virtual.wim';
  constructor(
    private readonly prefix: Buffer,
    private readonly block: Buffer,
    readonly size: number,
  ) {}
  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, offset, length);
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; ) {
      const pos = offset + i;
      if (pos < this.prefix.length) {
        const n = this.prefix.copy(out, i, pos, Math.min(this.prefix.length, pos + length - i));
        i += n;
      } else {
        const k = (pos - this.prefix.length) % this.block.length;
        i += this.block.copy(out, i, k, Math.min(this.block.length, k + length - i));
      }
    }
    return out;
  }
}

test('a resource over 4 GiB uses 8-byte chunk table entries; any range of it reads', async () => {
  const chunk = Buffer.from(Array.from({ length: 32768 }, (_, i) => ((i * 31) ^ (i >> 7)) & 0xff));
  const c = lzxEncodeChunk(chunk, [{ type: 'verbatim', size: 32768 }]).stream;
  const usize = 2 ** 32 + 2 * 32768 + 1000;
  const n = Math.ceil(usize / 32768);
  const last = Buffer.from(chunk.subarray(0, 1000));
  const lastC = last; // stored raw: stored size = uncompressed size
  // Chunk table: n-1 entries of 8 bytes: offsets of chunks 1..n-1 after the table.
  const tableBytes = 8 * (n - 1);
  const prefix = Buffer.alloc(tableBytes);
  for (let i = 1; i < n; i++) prefix.writeBigUInt64LE(BigInt(i * c.length), 8 * (i - 1));
  // The virtual file: table, then c repeated; the last chunk's bytes come from a second reader below.
  const stored = tableBytes + (n - 1) * c.length + lastC.length;
  const base = new VirtualWim(prefix, c, tableBytes + (n - 1) * c.length);
  const withTail: ByteReader = {
    label: 'virtual.wim',
    size: stored,
    read: async (offset, length) => {
      checkRange(withTail, offset, length);
      const split = base.size;
      if (offset + length <= split) return base.read(offset, length);
      const head = offset < split ? await base.read(offset, split - offset) : Buffer.alloc(0);
      const from = Math.max(offset, split) - split;
      return Buffer.concat([head, lastC.subarray(from, from + length - head.length)]);
    },
  };
  const res = new ResourceReader(withTail, { storedSize: stored, flags: ResourceFlag.COMPRESSED, offset: 0, originalSize: usize }, 'lzx', 32768, 'big blob');
  assert.equal(res.size, usize);
  const expect = (off: number, len: number): Buffer => Buffer.from(Array.from({ length: len }, (_, i) => chunk[(off + i) % 32768]!));
  for (const off of [0, 32760, 2 ** 32 - 5, 2 ** 32 + 100, 2 ** 32 + 32768 * 2 - 3]) {
    assert.ok((await res.read(off, 10)).equals(expect(off, 10)), `bytes at ${off}`);
  }
  assert.ok((await res.read(usize - 1000, 1000)).equals(last), 'the short last chunk');
  await assert.rejects(res.read(usize - 1, 2), (e: unknown) => e instanceof SevenStickError && e.code === 'E_RANGE');
  // Read as 4-byte entries, the same table is nonsense: refused, not misread.
  const small = new ResourceReader(withTail, { storedSize: stored, flags: ResourceFlag.COMPRESSED, offset: 0, originalSize: 2 ** 32 - 1 }, 'lzx', 32768, 'misread');
  await assert.rejects(small.read(0, 10), (e: unknown) => e instanceof SevenStickError && e.code === 'E_FORMAT');
});
