/**
 * Named data streams (extra stream entries). The WIM comes from an NTFS volume image built with
 * mkntfs + ntfscp (ntfs-3g) and captured by wimlib-imagex; `wimlib-imagex dir --detailed` is the
 * oracle for names, sizes and SHA-1s, the files given to ntfscp for the bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileReader, SevenStickError, openWim } from '../../engine/index.js';
import { fixture, hasTool } from '../helpers/tools.js';

interface OracleStream {
  name: string;
  sha1: string;
  size: number;
}

function parseDir(text: string): OracleStream[] {
  const out: OracleStream[] = [];
  const re = /(Unnamed data stream|Named data stream "([^"]*)"):\s*\nHash\s*=\s*0x([0-9a-f]{40})\s*\nUncompressed size\s*=\s*(\d+)/g;
  for (const m of text.matchAll(re)) out.push({ name: m[2] ?? '', sha1: m[3]!, size: Number(m[4]) });
  return out;
}

test('named data streams: listed with wimlib’s names, sizes and SHA-1s, and read byte-exact', { skip: !hasTool('ntfscp') && 'ntfs-3g (mkntfs, ntfscp) is not installed' }, async () => {
  const fx = await fixture('wim-ads.sh');
  const oracle = parseDir(readFileSync(join(fx, 'dir.txt'), 'utf8'));
  assert.equal(oracle.length, 3, 'wimlib lists one unnamed and two named streams');
  const r = await FileReader.open(join(fx, 'ads.wim'));
  try {
    const wim = await openWim(r);
    const e = await wim.lookup(1, 'FILE.TXT');
    assert.ok(e);
    const unnamed = oracle.find((s) => s.name === '')!;
    assert.equal(e.sha1, unnamed.sha1);
    assert.equal(e.size, unnamed.size);
    assert.deepEqual(
      e.streams.map((s) => ({ name: s.name, sha1: s.sha1, size: s.size })).sort((a, b) => a.name.localeCompare(b.name)),
      oracle.filter((s) => s.name !== '').sort((a, b) => a.name.localeCompare(b.name)),
    );
    assert.ok((await wim.readFile(1, 'file.txt')).equals(readFileSync(join(fx, 'main.txt'))));
    const read = async (name: string): Promise<Buffer> => {
      const parts: Buffer[] = [];
      for await (const c of wim.chunks(e, name)) parts.push(c);
      return Buffer.concat(parts);
    };
    assert.ok((await read('Zone.Identifier')).equals(readFileSync(join(fx, 's1'))));
    assert.ok((await read('ÜNÏ')).equals(readFileSync(join(fx, 's2'))), 'stream names match case-insensitively');
    const rr = wim.open(e, 'ünï');
    assert.ok((await rr.read(39990, 10)).equals(readFileSync(join(fx, 's2')).subarray(39990)));
    assert.throws(() => wim.open(e, 'missing'), (x: unknown) => x instanceof SevenStickError && x.code === 'E_NOT_FOUND');
  } finally {
    await r.close();
  }
});
