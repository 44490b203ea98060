/** Small WIMs for image tests, made by wimlib-imagex (the oracle that writes real WIMs). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOk } from './tools.js';

/**
 * `dir`/multi.wim: one image per edition ID (named "Windows 7 <ID upper-cased>"), over a one-file
 * tree, with the Windows properties each image's XML should carry (ARCH 0 = x86, 9 = x64).
 */
export async function editionsWim(dir: string, editionIds: readonly string[], props: { arch: 0 | 9; build: number; language?: string }): Promise<string> {
  const content = join(dir, 'content');
  mkdirSync(join(content, 'Windows'), { recursive: true });
  writeFileSync(join(content, 'Windows', 'a.txt'), 'a');
  const wim = join(dir, 'multi.wim');
  for (const [i, id] of editionIds.entries()) {
    const name = `Windows 7 ${id.toUpperCase()}`;
    await runOk('wimlib-imagex', i === 0 ? ['capture', content, wim, name, '--compress=XPRESS'] : ['append', content, wim, name]);
    const set = [`WINDOWS/EDITIONID=${id}`, `WINDOWS/ARCH=${props.arch}`, `WINDOWS/VERSION/BUILD=${props.build}`, ...(props.language ? [`WINDOWS/LANGUAGES/LANGUAGE=${props.language}`] : [])];
    await runOk('wimlib-imagex', ['info', wim, String(i + 1), ...set.flatMap((p) => ['--image-property', p])]);
  }
  return wim;
}
