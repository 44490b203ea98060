/**
 * `sevenstick extract <image> <path> -o <file> [--json]`
 *   <image> an ISO (or other disc image) or a plain .wim file;
 *   <path>  in an ISO: `sources/boot.wim`, or a file inside a WIM inside it:
 *           `sources/install.wim:1/Windows/Boot/EFI/bootmgfw.efi`;
 *           in a .wim: `1/Windows/System32/foo.dll` (image index, then the path).
 * Files from a WIM are SHA-1 checked; a damaged one leaves no output file (exit 2). The bytes go to a
 * temporary file in the output's folder, renamed over the output only once complete and checked: a
 * failed extract leaves an existing output as it was. An output that is the image itself (same path,
 * hard link, symlink: compared by identity) is refused (exit 4).
 */
import { createWriteStream, realpathSync, statSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { toSevenStickError, FileReader, readChunks, sameFile, openFileSystem, PWM_MAGIC, WIM_MAGIC, openWim, findWimFile, openWimInFileSystem, parseImagePath, splitWimSpec, ProgressMeter, type ByteReader, type Wim } from '../../engine/index.js';
import type { Translator } from '../../shared/i18n/translator.js';
import { runCommand, type Output } from '../output.js';
import { CliError, englishTranslator, say, type Said } from '../i18n.js';

interface Source {
  /** What is extracted: in English for `--json` (`source`), said in the user's language otherwise. */
  what: string;
  said: Said;
  size: number;
  /** SHA-1 the bytes are checked against (WIM files only). */
  sha1: string | null;
  chunks(): AsyncGenerator<Buffer>;
}

async function isWim(reader: ByteReader): Promise<boolean> {
  if (reader.size < WIM_MAGIC.length) return false;
  const magic = await reader.read(0, WIM_MAGIC.length);
  return magic.equals(WIM_MAGIC) || magic.equals(PWM_MAGIC);
}

async function wimSource(wim: Wim, inner: string): Promise<Source> {
  const { imageIndex, path } = parseImagePath(inner);
  const entry = await findWimFile(wim, imageIndex, path);
  const said: Said = { key: 'cli.extract.fromWim', values: { path: entry.path, index: imageIndex, wim: wim.label } };
  return { what: say(englishTranslator(), said), said, size: entry.size, sha1: entry.sha1, chunks: () => wim.chunks(entry) };
}

async function resolveSource(reader: ByteReader, spec: string): Promise<Source> {
  if (await isWim(reader)) return wimSource(await openWim(reader), spec);
  const fs = await openFileSystem(reader);
  const split = splitWimSpec(spec);
  if (split) return wimSource(await openWimInFileSystem(fs, split.wimPath), split.inner);
  const node = await fs.lookup(spec);
  if (!node) throw new CliError('E_NOT_FOUND', { key: 'cli.extract.notInImage', values: { path: spec, image: reader.label } }, { path: spec });
  if (node.isDirectory) throw new CliError('E_ARGS', { key: 'cli.extract.isFolder', values: { path: spec, image: reader.label } }, { path: spec });
  const file = fs.open(node);
  const said: Said = { key: 'cli.extract.fromImage', values: { path: node.path, image: reader.label } };
  return { what: say(englishTranslator(), said), said, size: node.size, sha1: null, chunks: () => readChunks(file, 1024 * 1024) };
}

/**
 * Where the bytes finally go (an existing symlink's target, so the link is kept), after the checks
 * that need no image: not a folder, a folder that exists, not the image itself. `stream`: a character
 * device or a pipe (/dev/null, /dev/stdout), written directly — never renamed over.
 */
export function checkOutput(image: string, outputPath: string): { dest: string; stream: boolean } {
  let dest = resolve(outputPath);
  let st;
  try {
    st = statSync(dest);
  } catch {
    st = undefined;
  }
  if (st?.isDirectory()) {
    throw new CliError('E_ARGS', { key: 'cli.output.isFolder', values: { output: outputPath, example: join(outputPath, 'file') } }, { path: outputPath });
  }
  if (st) {
    if (sameFile(dest, image)) {
      throw new CliError('E_SAFETY', { key: 'cli.output.isImage', values: { output: outputPath } }, { path: outputPath });
    }
    if (st.isCharacterDevice() || st.isFIFO()) return { dest, stream: true };
    if (!st.isFile()) throw new CliError('E_ARGS', { key: 'cli.output.notRegular', values: { output: outputPath } }, { path: outputPath });
    dest = realpathSync(dest);
  }
  const dir = dirname(dest);
  let dirOk = false;
  try {
    dirOk = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!dirOk) throw new CliError('E_ARGS', { key: 'cli.output.noFolder', values: { output: outputPath, folder: dir } }, { path: outputPath });
  return { dest, stream: false };
}

async function extract(out: Output, image: string, spec: string, outputPath: string): Promise<void> {
  const { dest, stream } = checkOutput(image, outputPath);
  const reader = await FileReader.open(image);
  try {
    const src = await resolveSource(reader, spec);
    out.startJob(['writing'], basename(outputPath));
    const meter = new ProgressMeter('writing', src.size, (p) => out.progress(p));
    // A temporary name in the destination's folder (same filesystem: the rename is atomic), never an existing file.
    const tmp = stream ? dest : join(dirname(dest), `.${basename(dest)}.sevenstick-${process.pid}-${randomBytes(4).toString('hex')}.part`);
    const file = createWriteStream(tmp, { flags: stream ? 'w' : 'wx' });
    const failed = new Promise<never>((_, reject) => file.once('error', (e) => reject(toSevenStickError(e, 'E_IO', say(englishTranslator(), { key: 'cli.output.cannotWrite', values: { output: outputPath } }), { path: outputPath }))));
    failed.catch(() => undefined);
    let bytes = 0;
    try {
      for await (const c of src.chunks()) {
        bytes += c.length;
        if (!file.write(c)) await Promise.race([once(file, 'drain'), failed]);
        meter.add(c.length);
      }
      file.end();
      await Promise.race([once(file, 'close'), failed]);
      if (bytes !== src.size) {
        throw new CliError('E_IO', { key: 'cli.extract.endedEarly', values: (tr) => ({ what: say(tr, src.said), bytes: String(bytes), count: src.size, size: String(src.size) }) }, { path: outputPath });
      }
      if (!stream) {
        // The source may not have been replaced meanwhile by something that is now the destination.
        if (sameFile(dest, image)) throw new CliError('E_SAFETY', { key: 'cli.output.becameImage', values: { output: outputPath } }, { path: outputPath });
        // On the disk before it takes the output's name: a crash leaves the old output or the new one, whole.
        const h = await open(tmp, 'r+');
        try {
          await h.sync();
        } finally {
          await h.close();
        }
        await rename(tmp, dest);
      }
    } catch (e) {
      file.destroy();
      // Only ever our own temporary file (never a device or pipe given as -o).
      if (!stream) await rm(tmp, { force: true });
      throw e;
    }
    if (bytes === 0) meter.finish();
    out.stopBar();
    if (out.opts.json) out.line({ type: 'result', source: src.what, output: outputPath, bytes, sha1: src.sha1, verified: src.sha1 !== null });
    else {
      const values = { what: say(out.tr, src.said), output: outputPath, count: bytes, bytes: String(bytes) };
      out.info(src.sha1 ? out.tr.t('cli.extract.doneVerified', values) : out.tr.t('cli.extract.done', values));
    }
  } finally {
    await reader.close();
  }
}

export function registerExtract(program: Command, tr: Translator): void {
  program
    .command('extract')
    .description(tr.t('cli.extract.description'))
    .argument('<image>', tr.t('cli.extract.argument.image'))
    .argument('<path>', tr.t('cli.extract.argument.path'))
    .requiredOption('-o, --output <file>', tr.t('cli.extract.option.output'))
    .option('--json', tr.t('cli.extract.option.json'))
    .action(async (image: string, spec: string, o: { output: string; json?: boolean }) => {
      await runCommand({ json: o.json === true, tr }, (out) => extract(out, image, spec, o.output));
    });
}
