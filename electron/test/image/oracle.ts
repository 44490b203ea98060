/** 7-Zip as the outside oracle for image listings and file bytes. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileReader, openFileSystem, walk, readChunks, type FsNode, type ImageFileSystem } from '../../engine/index.js';
import { runOk } from '../helpers/tools.js';

export interface Listed {
  dir: boolean;
  size: number;
}

/** `7z l -slt -t<type>`: path → {dir, size}; El Torito pseudo-files ([BOOT]/…) left out. */
export async function sevenZipList(image: string, type: 'Udf' | 'Iso'): Promise<Map<string, Listed>> {
  const { stdout } = await runOk('7z', ['l', '-slt', `-t${type}`, image]);
  const out = new Map<string, Listed>();
  const body = stdout.split(/^----------$/m)[1] ?? '';
  for (const block of body.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const m = /^([A-Za-z ]+?) = (.*)$/.exec(line);
      if (m) fields.set(m[1] as string, m[2] as string);
    }
    const path = fields.get('Path');
    if (!path || path.startsWith('[BOOT]')) continue;
    out.set(path, { dir: fields.get('Folder') === '+', size: Number(fields.get('Size') || 0) });
  }
  return out;
}

export async function ourList(fs: ImageFileSystem): Promise<{ map: Map<string, Listed>; nodes: FsNode[] }> {
  const map = new Map<string, Listed>();
  const nodes: FsNode[] = [];
  for await (const n of walk(fs)) {
    map.set(n.path, { dir: n.isDirectory, size: n.size });
    nodes.push(n);
  }
  return { map, nodes };
}

export async function sha256Of(fs: ImageFileSystem, node: FsNode): Promise<string> {
  const h = createHash('sha256');
  for await (const c of readChunks(fs.open(node), 1024 * 1024)) h.update(c);
  return h.digest('hex');
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Opens an image file's filesystem (caller closes the reader). */
export async function openImage(path: string): Promise<{ reader: FileReader; fs: ImageFileSystem }> {
  const reader = await FileReader.open(path);
  return { reader, fs: await openFileSystem(reader) };
}

export async function sevenZipExtract(image: string, type: 'Udf' | 'Iso', dir: string): Promise<void> {
  await runOk('7z', ['x', '-y', `-t${type}`, `-o${dir}`, image]);
}

export { join };
