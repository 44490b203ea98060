/**
 * Slimmed WIMs (one image of a WIM as a WIM of its own, produced on the fly) against the oracle:
 * WIMs made by wimlib-imagex (LZX, XPRESS, uncompressed; 3–4 images, shared blobs, hard links,
 * symlinks, named streams, an integrity table, boot index 2, Win7-like XML). For every image:
 * `wimlib-imagex info`/`verify` accept the slimmed WIM, `apply` of it equals `apply` of that image
 * from the original (every file, byte for byte), `dir --detailed` lists the same entries, streams,
 * hashes and compressed sizes (resources copied verbatim), the blob table's reference counts equal
 * wimlib's own `export` of the image, our reader reads every file back, and any byte range read at
 * random equals the same range of the whole produced file, whose size was known up front.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  BufferReader,
  ExtentReader,
  FileReader,
  SevenStickError,
  ZERO_RESOURCE,
  editionsFromWimXml,
  encodeBlobTable,
  encodeResourceHeader,
  encodeWimHeader,
  openWim,
  parseBlobTable,
  planSlimWim,
  readWimHeader,
  readWimXmlText,
  singleImageXmlText,
  slimmedSize,
  slimmedSizes,
  xmlImageElements,
  decodeResourceHeader,
  type Wim,
} from '../../engine/index.js';
import { fixture, runOk, tempDir } from '../helpers/tools.js';
import { detailedListing, produce } from './slim-oracle.js';

const isCode = (code: string) => (e: unknown) => e instanceof SevenStickError && e.code === code;

/** SHA-1 → [reference count, uncompressed size] of a WIM file's data blobs. */
async function blobRefs(wimPath: string): Promise<Map<string, [number, number]>> {
  const r = await FileReader.open(wimPath);
  try {
    const h = await readWimHeader(r);
    const table = parseBlobTable(await r.read(h.blobTable.offset, h.blobTable.originalSize), wimPath);
    return new Map([...table.byHash].map(([sha1, e]) => [sha1, [e.refCount, e.res.originalSize]]));
  } finally {
    await r.close();
  }
}

/** Every entry of an image through our reader: path, attributes, hashes, streams, and the bytes of each stream. */
async function readImage(wim: Wim, image: number): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const e of wim.walk(image)) {
    const parts = [e.attributes.toString(16), e.sha1 ?? '-', e.size];
    if (!e.isDirectory && !(e.attributes & 0x400)) parts.push((await wim.readFile(image, e.path)).toString('base64').slice(0, 64));
    for (const s of [...e.streams].sort((a, b) => a.name.localeCompare(b.name))) {
      const r = wim.open(e, s.name);
      const bytes = await r.read(0, r.size);
      assert.ok(r.verified, `${e.path}:${s.name} SHA-1 checked`);
      parts.push(`${s.name}=${s.sha1}/${s.size}/${bytes.length}`);
    }
    out.set(e.path, parts.join(' '));
  }
  return out;
}

for (const comp of ['LZX', 'XPRESS', 'none'] as const) {
  test(`${comp}: every image slimmed alone passes wimlib info/verify/apply/dir/export and our reader`, async () => {
    const fx = await fixture('wim-slim.sh', [comp]);
    const images = Number(readFileSync(join(fx, 'images'), 'utf8'));
    assert.ok(images >= 3);
    const src = join(fx, 'test.wim');
    const r = await FileReader.open(src);
    const tmp = tempDir();
    try {
      const wim = await openWim(r);
      assert.equal(wim.header.bootIndex, 2);
      assert.ok(wim.header.integrityTable.storedSize > 0, 'the source has an integrity table');
      const srcGuid = wim.header.raw.guid;
      const seenGuids = new Set<string>();
      for (let i = 1; i <= images; i++) {
        const slim = await planSlimWim(wim, i);
        const out = join(tmp.path, `slim${i}.wim`);
        const n = await produce(slim, out, 65_521); // an odd size: reads straddle the pieces
        assert.equal(n, slim.size, 'bytes produced = size planned');
        assert.equal(statSync(out).size, slim.size);
        assert.equal(await slimmedSize(wim, i), slim.size, 'slimmedSize agrees with the plan');
        assert.ok(slim.size < statSync(src).size, `image ${i}: slimmer than the source`);

        // wimlib accepts it: one image, its name, boot index 1 only for the source's boot image.
        const info = (await runOk('wimlib-imagex', ['info', out])).stdout;
        const name = ['Home', 'Pro', 'Ult', 'ADS'][i - 1]!;
        assert.match(info, /Image Count:\s+1\n/);
        assert.match(info, new RegExp(`Name:\\s+${name}\\n`));
        assert.match(info, new RegExp(`Boot Index:\\s+${i === 2 ? 1 : 0}\\n`));
        assert.match(info, /Part Number:\s+1\/1/);
        assert.doesNotMatch(info, /Integrity info/);
        await runOk('wimlib-imagex', ['verify', out]);

        // apply of the slimmed WIM = apply of that image from the original, every file byte for byte.
        const a = join(tmp.path, `a${i}`);
        const b = join(tmp.path, `b${i}`);
        await runOk('wimlib-imagex', ['apply', src, String(i), a]);
        await runOk('wimlib-imagex', ['apply', out, '1', b]);
        await runOk('diff', ['-r', '--no-dereference', a, b]);

        // Same entries, attributes, times, streams, hashes, sizes and compressed sizes (verbatim copies).
        assert.equal(await detailedListing(out, 1), await detailedListing(src, i));

        // Reference counts as wimlib's own export of that image counts them.
        const exported = join(tmp.path, `export${i}.wim`);
        await runOk('wimlib-imagex', ['export', src, String(i), exported]);
        assert.deepEqual([...(await blobRefs(out))].sort(), [...(await blobRefs(exported))].sort(), `image ${i}: blob table = wimlib export's`);

        // Our reader, straight from the SlimWim reader (no file): every file and stream equal to the source image's.
        const back = await openWim(slim);
        assert.equal(back.imageCount, 1);
        assert.deepEqual(await readImage(back, 1), await readImage(wim, i));

        // Header and XML decisions.
        const h = await readWimHeader(slim);
        assert.equal(h.imageCount, 1);
        assert.equal(h.bootIndex, i === 2 ? 1 : 0);
        assert.deepEqual(h.integrityTable, ZERO_RESOURCE);
        assert.equal(h.compression, wim.header.compression);
        assert.equal(h.raw.chunkSize, wim.header.raw.chunkSize, 'chunk size as stored (0 when uncompressed)');
        const metaRes = back.blobTable.metadata[0]!.res;
        assert.deepEqual(h.bootMetadata, i === 2 ? metaRes : ZERO_RESOURCE);
        assert.ok(!h.raw.guid.equals(srcGuid), 'a GUID of its own');
        seenGuids.add(h.raw.guid.toString('hex'));
        assert.ok((await planSlimWim(wim, i)).size === slim.size);
        assert.ok((await (await planSlimWim(wim, i)).read(0, 208)).equals(await slim.read(0, 208)), 'the same header every time');
        const xml = await readWimXmlText(slim);
        assert.match(xml, new RegExp(`<TOTALBYTES>${h.xmlData.offset}</TOTALBYTES></WIM>`), 'TOTALBYTES = where the XML starts');
        assert.equal(h.xmlData.offset + h.xmlData.storedSize, slim.size, 'the XML is last');
        assert.equal(h.blobTable.offset + h.blobTable.storedSize, h.xmlData.offset);
        const srcElement = xmlImageElements(wim.xmlText).find((e) => e.index === i)!;
        const element = wim.xmlText.slice(srcElement.start, srcElement.end).replace(`INDEX="${i}"`, 'INDEX="1"');
        assert.equal(xml, `<WIM>${element}<TOTALBYTES>${h.xmlData.offset}</TOTALBYTES></WIM>\n`, 'the image element copied as it is');
        const [edition, ...more] = editionsFromWimXml(xml);
        assert.equal(more.length, 0);
        assert.equal(edition!.index, 1);
        if (i === 1) assert.equal(edition!.editionId, 'HomePremium');
        if (i === 2) assert.equal(edition!.editionId, 'Professional');
        assert.equal(slim.blobCount, back.blobTable.byHash.size);
      }
      assert.equal(seenGuids.size, images, 'each image gets its own GUID');
    } finally {
      await r.close();
      tmp.cleanup();
    }
  });
}

test('random access: any range read through the reader equals that range of the whole produced file', async () => {
  const fx = await fixture('wim-slim.sh', ['LZX']);
  const wim = await openWim(new BufferReader(readFileSync(join(fx, 'test.wim')), 'test.wim'));
  for (const i of [1, 2, 3]) {
    const slim = await planSlimWim(wim, i);
    const whole = await slim.read(0, slim.size);
    // Boundaries between the pieces: header, every copied resource, blob table, XML.
    const h = await readWimHeader(slim);
    const back = await openWim(slim);
    const edges = [208, h.blobTable.offset, h.xmlData.offset, ...[...back.blobTable.byHash.values(), ...back.blobTable.metadata].map((e) => e.res.offset)];
    let seed = 99 + i;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const ranges: [number, number][] = edges.flatMap((e) => [
      [Math.max(0, e - 7), Math.min(15, slim.size - Math.max(0, e - 7))],
      [e, Math.min(1, slim.size - e)],
    ]);
    for (let k = 0; k < 300; k++) {
      const off = rand(slim.size);
      ranges.push([off, rand(Math.min(200_000, slim.size - off) + 1)]);
    }
    ranges.push([0, slim.size], [slim.size, 0], [slim.size - 1, 1]);
    for (const [off, len] of ranges) {
      assert.ok((await slim.read(off, len)).equals(whole.subarray(off, off + len)), `image ${i}: ${len} bytes at ${off}`);
      const into = Buffer.alloc(len + 10, 0xaa);
      await slim.readInto(off, len, into, 5);
      assert.ok(into.subarray(5, 5 + len).equals(whole.subarray(off, off + len)));
      assert.ok(into.subarray(0, 5).equals(Buffer.alloc(5, 0xaa)) && into.subarray(5 + len).equals(Buffer.alloc(5, 0xaa)), 'readInto writes only its range');
    }
    await assert.rejects(slim.read(slim.size, 1), isCode('E_RANGE'));
    await assert.rejects(slim.read(-1, 1), isCode('E_RANGE'));
  }
});

test('a WIM read in place through extents (as inside an ISO) slims to the same bytes', async () => {
  const fx = await fixture('wim-slim.sh', ['XPRESS']);
  const file = readFileSync(join(fx, 'test.wim'));
  // The WIM in three out-of-order fragments between junk, like a fragmented file in a UDF image.
  const cut1 = 100_003;
  const cut2 = 400_009;
  const junk = Buffer.alloc(4096, 0x5a);
  const base = Buffer.concat([junk, file.subarray(cut2), junk, file.subarray(0, cut1), junk, file.subarray(cut1, cut2)]);
  const start2 = junk.length;
  const start0 = start2 + (file.length - cut2) + junk.length;
  const start1 = start0 + cut1 + junk.length;
  const inIso = new ExtentReader(
    new BufferReader(base, 'x.iso'),
    [
      { offset: start0, length: cut1 },
      { offset: start1, length: cut2 - cut1 },
      { offset: start2, length: file.length - cut2 },
    ],
    'sources/install.wim in x.iso',
  );
  const viaIso = await openWim(inIso);
  const plain = await openWim(new BufferReader(file, 'test.wim'));
  for (const i of [1, 2, 3]) {
    const a = await planSlimWim(viaIso, i);
    const b = await planSlimWim(plain, i);
    assert.equal(a.size, b.size);
    assert.ok((await a.read(0, a.size)).equals(await b.read(0, b.size)), `image ${i}`);
    assert.match(a.label, /install\.wim in x\.iso/);
  }
});

test('"too big unless slimmed": with the FAT32 limit as a parameter, slimmedSizes says which editions fit alone', async () => {
  const fx = await fixture('wim-slim.sh', ['LZX']);
  const src = join(fx, 'test.wim');
  const r = await FileReader.open(src);
  try {
    const wim = await openWim(r);
    const sizes = await slimmedSizes(wim, Number.MAX_SAFE_INTEGER);
    assert.deepEqual(
      sizes.map((s) => s.imageIndex),
      Array.from({ length: wim.imageCount }, (_, k) => k + 1),
    );
    // A limit the whole WIM exceeds but image 2 alone (and the smaller ones) meets.
    const limit = sizes[1]!.size;
    assert.ok(statSync(src).size > limit, 'the whole WIM is too big');
    const fit = await slimmedSizes(wim, limit);
    for (const s of fit) assert.equal(s.fits, s.size <= limit);
    assert.ok(fit[1]!.fits, 'image 2 fits alone');
    assert.ok(fit.some((s) => !s.fits), 'image 1 alone does not (it is larger)');
    for (const s of fit) assert.equal(s.size, (await planSlimWim(wim, s.imageIndex)).size);
  } finally {
    await r.close();
  }
});

test('image indexes outside the WIM are refused', async () => {
  const fx = await fixture('wim-slim.sh', ['LZX']);
  const wim = await openWim(new BufferReader(readFileSync(join(fx, 'test.wim')), 'test.wim'));
  for (const bad of [0, -1, 1.5, wim.imageCount + 1]) await assert.rejects(planSlimWim(wim, bad), isCode('E_NOT_FOUND'));
});

test('a blob missing from the blob table, or stored in a solid resource, is refused with a typed error', async () => {
  const fx = await fixture('wim-slim.sh', ['LZX']);
  const file = readFileSync(join(fx, 'test.wim'));
  const h = await readWimHeader(new BufferReader(file));
  assert.equal(h.blobTable.flags & 0x04, 0, 'the fixture stores its blob table uncompressed');
  const wim = await openWim(new BufferReader(file));
  const sha1 = (await wim.lookup(2, 'only2/c.txt'))!.sha1!;
  // Find that blob's entry and set one resource flag on it: FREE (the entry no longer counts) or SOLID.
  let at = -1;
  for (let p = h.blobTable.offset; p < h.blobTable.offset + h.blobTable.originalSize; p += 50) {
    if (file.subarray(p + 30, p + 50).toString('hex') === sha1) at = p;
  }
  assert.ok(at > 0);
  for (const [flag, code] of [[0x01, 'E_FORMAT'], [0x10, 'E_UNSUPPORTED']] as const) {
    const bad = Buffer.from(file);
    bad[at + 7] = bad[at + 7]! | flag;
    const w = await openWim(new BufferReader(bad, 'bad.wim'));
    await assert.rejects(planSlimWim(w, 2), isCode(code));
    await assert.rejects(planSlimWim(w, 3), isCode(code), 'image 3 shares that blob');
    assert.ok((await planSlimWim(w, 1)).size > 0, 'image 1 does not need it');
  }
});

test('XML: Microsoft layout (TOTALBYTES first), no TOTALBYTES, no INDEX attributes, and a missing image', () => {
  const ms = '<WIM><TOTALBYTES>3019826446</TOTALBYTES><IMAGE INDEX="1"><NAME>A</NAME><TOTALBYTES>5</TOTALBYTES></IMAGE>\n<IMAGE INDEX="2"><NAME>B</NAME></IMAGE></WIM>';
  assert.equal(singleImageXmlText(ms, 2, 77), '<WIM><TOTALBYTES>77</TOTALBYTES>\n<IMAGE INDEX="1"><NAME>B</NAME></IMAGE></WIM>');
  assert.equal(singleImageXmlText(ms, 1, 77), '<WIM><TOTALBYTES>77</TOTALBYTES><IMAGE INDEX="1"><NAME>A</NAME><TOTALBYTES>5</TOTALBYTES></IMAGE>\n</WIM>');
  assert.equal(singleImageXmlText('<WIM><IMAGE><NAME>x</NAME></IMAGE><IMAGE><NAME>y</NAME></IMAGE></WIM>', 2, 9), '<WIM><TOTALBYTES>9</TOTALBYTES><IMAGE INDEX="1"><NAME>y</NAME></IMAGE></WIM>');
  assert.equal(singleImageXmlText("<WIM><IMAGE INDEX='3' X=\"1\"><NAME>z</NAME></IMAGE></WIM>", 3, 1), '<WIM><TOTALBYTES>1</TOTALBYTES><IMAGE INDEX="1" X="1"><NAME>z</NAME></IMAGE></WIM>');
  assert.throws(() => singleImageXmlText(ms, 3, 1), isCode('E_FORMAT'));
  assert.throws(() => singleImageXmlText('<IMAGE INDEX="1"></IMAGE>', 1, 1), isCode('E_FORMAT'));
});

test('header and blob table writers round-trip through the readers', async () => {
  const res = { storedSize: 2 ** 50 + 12345, flags: 0x04, offset: 2 ** 40 + 7, originalSize: 2 ** 51 + 1 };
  assert.deepEqual(decodeResourceHeader(encodeResourceHeader(res)), res);
  assert.throws(() => encodeResourceHeader({ ...res, storedSize: 2 ** 56 }), isCode('E_RANGE'));
  const hdr = encodeWimHeader({
    version: 0x10d00,
    flags: 0x40002,
    chunkSize: 32768,
    guid: Buffer.alloc(16, 7),
    partNumber: 1,
    totalParts: 1,
    imageCount: 1,
    blobTable: { storedSize: 50, flags: 2, offset: 5_000_000_000, originalSize: 50 },
    xmlData: { storedSize: 100, flags: 2, offset: 5_000_000_050, originalSize: 100 },
    bootMetadata: res,
    bootIndex: 1,
    integrityTable: ZERO_RESOURCE,
  });
  const h = await readWimHeader(new BufferReader(Buffer.concat([hdr, Buffer.alloc(100)])));
  assert.equal(h.compression, 'lzx');
  assert.equal(h.blobTable.offset, 5_000_000_000);
  assert.deepEqual(h.bootMetadata, res);
  assert.equal(h.bootIndex, 1);
  assert.ok(h.raw.guid.equals(Buffer.alloc(16, 7)));
  assert.ok(hdr.subarray(0x94).equals(Buffer.alloc(208 - 0x94)), 'unused tail zeroed');
  const entries = [
    { res: { ...res, flags: 0x02 }, partNumber: 1, refCount: 1, sha1: 'ab'.repeat(20) },
    { res, partNumber: 1, refCount: 3, sha1: '01'.repeat(20) },
  ];
  const t = parseBlobTable(encodeBlobTable(entries), 't');
  assert.deepEqual(t.metadata, [entries[0]]);
  assert.deepEqual([...t.byHash.values()], [entries[1]]);
  assert.throws(() => encodeBlobTable([{ ...entries[1]!, sha1: 'xyz' }]), isCode('E_ARGS'));
});
