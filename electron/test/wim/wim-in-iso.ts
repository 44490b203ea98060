/**
 * Damaging the install.wim inside a Win7-like ISO, for the loader-rule fuzz test and the larger
 * campaign (scripts/fuzz-wim-loader.mjs imports the built copy of this file). The WIM's structures
 * are located in the ISO once (header, blob table, bootmgfw.efi's blob-table entry and its SHA-1,
 * its chunk table and compressed data, image 1's metadata, the XML); mutations are deterministic
 * for a seed. The judge asks outside oracles (mtools) what the stick holds.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BufferReader, decodeResourceHeader, openFileSystem, parseBlobTable, WimHeaderFields, type ResourceHeader } from '../../engine/index.js';

export interface Region {
  name: string;
  /** Absolute offsets in the ISO. */
  start: number;
  end: number;
}

export interface WimInIso {
  iso: Buffer;
  /** bootmgfw.efi of image 1 (from wimlib-imagex, the oracle), and its SHA-1. */
  loader: Buffer;
  loaderSha1: string;
  regions: Region[];
}

const RESOURCE_COMPRESSED = 0x04;

/** The WIM structures of `iso` (install.wim must be one contiguous extent, as in the fixtures). */
export async function mapWimInIso(iso: Buffer, loader: Buffer): Promise<WimInIso> {
  const fs = await openFileSystem(new BufferReader(iso, 'fuzz.iso'));
  const node = await fs.lookup('sources/install.wim');
  if (!node || node.extents.length !== 1 || node.extents[0]?.offset == null) throw new Error('install.wim is not one contiguous extent');
  const base = node.extents[0].offset;
  const wim = iso.subarray(base, base + node.size);
  const h = WimHeaderFields.decode(wim);
  const chunkSize = h.chunkSize || 32768;
  const bt = decodeResourceHeader(h.blobTable);
  const xml = decodeResourceHeader(h.xmlData);
  if (bt.flags & RESOURCE_COMPRESSED) throw new Error('compressed blob table');
  const table = parseBlobTable(wim.subarray(bt.offset, bt.offset + bt.originalSize), 'fuzz');
  const loaderSha1 = createHash('sha1').update(loader).digest('hex');
  const blob = table.byHash.get(loaderSha1);
  if (!blob) throw new Error('bootmgfw.efi is not in the blob table');
  let entryAt = -1;
  for (let at = 0; at < bt.originalSize; at += 50) {
    if (wim.subarray(bt.offset + at + 30, bt.offset + at + 50).toString('hex') === loaderSha1) entryAt = bt.offset + at;
  }
  const meta = table.metadata[0] as { res: ResourceHeader };
  const r = (name: string, start: number, end: number): Region => ({ name, start: base + start, end: base + end });
  const res = blob.res;
  const chunks = Math.ceil(res.originalSize / chunkSize);
  const chunkTable = res.flags & RESOURCE_COMPRESSED ? (chunks - 1) * (res.originalSize > 0xffffffff ? 8 : 4) : 0;
  const regions = [
    r('header', 0, 208),
    r('blob table', bt.offset, bt.offset + bt.originalSize),
    r('loader blob-table entry', entryAt, entryAt + 50),
    r('loader SHA-1', entryAt + 30, entryAt + 50),
    r('loader resource header', entryAt, entryAt + 24),
    r('loader chunk table', res.offset, res.offset + Math.max(chunkTable, 1)),
    r('loader data', res.offset + chunkTable, res.offset + res.storedSize),
    r('image 1 metadata', meta.res.offset, meta.res.offset + meta.res.storedSize),
    r('XML', xml.offset, xml.offset + xml.storedSize),
    r('whole WIM', 0, node.size),
  ];
  return { iso, loader, loaderSha1, regions };
}

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Mutant {
  iso: Buffer;
  region: string;
  what: string;
}

/** A copy of the ISO with 1–4 mutations (bit flip, random byte, zeroed or 0xFF run) inside one region. */
export function mutate(m: WimInIso, seed: number): Mutant {
  const rand = rng(seed);
  const region = m.regions[seed % m.regions.length] as Region;
  const iso = Buffer.from(m.iso);
  const n = 1 + Math.floor(rand() * 4);
  const what: string[] = [];
  const span = region.end - region.start;
  for (let i = 0; i < n; i++) {
    const at = region.start + Math.floor(rand() * span);
    const kind = Math.floor(rand() * 4);
    if (kind === 0) {
      const bit = Math.floor(rand() * 8);
      iso[at] = (iso[at] as number) ^ (1 << bit);
      what.push(`bit ${bit} of byte ${at}`);
    } else if (kind === 1) {
      iso[at] = Math.floor(rand() * 256);
      what.push(`byte ${at}`);
    } else {
      const len = Math.min(1 + Math.floor(rand() * 16), region.end - at);
      iso.fill(kind === 2 ? 0 : 0xff, at, at + len);
      what.push(`${len} bytes of ${kind === 2 ? '00' : 'FF'} at ${at}`);
    }
  }
  return { iso, region: region.name, what: what.join(', ') };
}

export type LoaderOutcome = 'exact loader' | 'BIOS only, warned' | 'VIOLATION';

const MTOOLS_ENV = { ...process.env, MTOOLS_SKIP_CHECK: '1', LC_ALL: 'C.UTF-8' };

/**
 * The rule, judged by mtools on a written stick image (partition at 1 MiB): efi/boot/bootx64.efi is
 * exactly the loader and no BIOS-only warning was given, or it is absent and a warning says BIOS only.
 */
export function judgeStick(img: string, warnings: readonly string[], loader: Buffer, scratch: string): { outcome: LoaderOutcome; why: string } {
  const out = join(scratch, 'bootx64.efi');
  rmSync(out, { force: true });
  const cp = spawnSync('mcopy', ['-n', '-i', `${img}@@1M`, '::/efi/boot/bootx64.efi', out], { env: MTOOLS_ENV, encoding: 'utf8' });
  const present = cp.status === 0;
  if (!present && !/not found/i.test(cp.stderr)) return { outcome: 'VIOLATION', why: `mcopy failed: ${cp.stderr}` };
  const biosOnly = warnings.some((w) => /BIOS \(Legacy\/CSM\) mode only/.test(w));
  if (present) {
    const got = readFileSync(out);
    if (!got.equals(loader)) return { outcome: 'VIOLATION', why: `bootx64.efi on the stick is ${got.length} bytes and differs from bootmgfw.efi (${loader.length} bytes)` };
    if (biosOnly) return { outcome: 'VIOLATION', why: 'the loader is there but a warning says BIOS only' };
    return { outcome: 'exact loader', why: '' };
  }
  if (!biosOnly) return { outcome: 'VIOLATION', why: `no bootx64.efi and no BIOS-only warning (warnings: ${JSON.stringify(warnings)})` };
  return { outcome: 'BIOS only, warned', why: '' };
}
