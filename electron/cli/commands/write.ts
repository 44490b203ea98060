/**
 * `sevenstick write <image> --target <path> [--target …] [--mode auto|windows|raw] [--size N|NK|NM|NG]
 *  [--no-verify] [--yes] [--json] [--check-capacity] [--require-uefi]
 *  [--preset p.json | --unattend file.xml] [--edition N|NAME [--only-edition]] [--show-all-editions]`
 */
import type { Command } from 'commander';
import { describePath, assertDriveUsable, locateImage, SevenStickError, EXIT_CODES, assertDistinctTargets, assertTargetPlace, runWriteJob, type Drive, type WriteJobResult, type WriteMode, checkCustomization, inspectImage, type WindowsCustomization } from '../../engine/index.js';
import { runCommand, type Output } from '../output.js';
import { formatBytes } from '../../shared/format.js';
import { confirm, interruptSignal, parseSize } from './common.js';
import { answerFileFromPreset, readAnswerFileArg } from './answers.js';

interface WriteOpts {
  target?: string[];
  mode: string;
  size?: string;
  verify: boolean;
  yes?: boolean;
  json?: boolean;
  checkCapacity?: boolean;
  requireUefi?: boolean;
  preset?: string;
  unattend?: string;
  edition?: string;
  onlyEdition?: boolean;
  showAllEditions?: boolean;
}

/** The Windows customization the options ask for (undefined: none, the plain stick as before). */
async function customization(image: string, o: WriteOpts): Promise<WindowsCustomization | undefined> {
  if (o.preset === undefined && o.unattend === undefined && o.edition === undefined && !o.onlyEdition && !o.showAllEditions) return undefined;
  if (o.preset !== undefined && o.unattend !== undefined) throw new SevenStickError('E_ARGS', '--preset and --unattend both give the answer file: use one');
  if (o.onlyEdition && o.edition === undefined) throw new SevenStickError('E_ARGS', '--only-edition needs --edition N|NAME');
  if (o.mode === 'raw') throw new SevenStickError('E_ARGS', '--preset, --unattend, --edition and --show-all-editions are for Windows sticks, not raw mode');
  const info = await inspectImage(image);
  if (info.kind !== 'windows') throw new SevenStickError('E_ARGS', `${image} is not Windows setup media: --preset, --unattend, --edition and --show-all-editions are for Windows sticks`);
  const w: WindowsCustomization = {};
  if (o.edition !== undefined) {
    const want = o.edition.trim();
    const e = /^\d+$/.test(want)
      ? info.windows.editions.find((x) => x.index === Number(want))
      : info.windows.editions.find((x) => x.name.toLowerCase() === want.toLowerCase() || x.editionId.toLowerCase() === want.toLowerCase());
    if (!e) throw new SevenStickError('E_ARGS', `install.wim has no edition "${want}" (it has ${info.windows.editions.map((x) => `${x.index}: ${x.name}`).join(', ') || 'none listed'})`);
    w.edition = e.index;
  }
  if (o.onlyEdition) w.onlyEdition = true;
  if (o.showAllEditions) w.showAllEditions = true;
  if (o.unattend !== undefined) w.unattend = await readAnswerFileArg(o.unattend);
  if (o.preset !== undefined) {
    const a = await answerFileFromPreset(o.preset, info.windows, w.edition, !!o.onlyEdition);
    w.unattend = a.bytes;
    if (a.showEveryEdition) w.showAllEditions = true;
  }
  checkCustomization(w, info.windows); // before asking: a bad answer file is bad input
  return w;
}

/** Exit code for a finished job: 0, 1 when only verification failed, else the first target error's code. */
export function exitCodeOfResult(r: WriteJobResult): number {
  if (r.ok) return 0;
  const failed = r.targets.filter((t) => t.error);
  const io = failed.find((t) => t.error && t.error.code !== 'E_VERIFY');
  return io?.error ? EXIT_CODES[io.error.code] : EXIT_CODES.E_VERIFY;
}

function report(out: Output, r: WriteJobResult): void {
  for (const w of r.warnings) out.info(`warning: ${w}`);
  for (const t of r.targets) {
    if (t.ok) out.info(`${t.target}: written${t.verified ? ' and verified' : ' (not verified)'} — ${t.bytesWritten} bytes`);
    else out.info(`${t.target}: FAILED — ${t.error?.message ?? 'unknown error'}`);
    for (const d of t.differences.slice(0, 20)) out.info(`  differs at byte ${d.offset} (${d.length} bytes): ${d.what}`);
    for (const n of t.notes) out.info(`  note: ${n}`);
  }
}

export function registerWrite(program: Command): void {
  program
    .command('write')
    .description('Write an image to one or more drives (or disk image files) and verify it')
    .argument('<image>', 'Windows 7 ISO, hybrid ISO or disk image')
    // Not a commander "required option": `write` with nothing should first ask for the image.
    .option('--target <path>', 'target drive or file (repeat for several; at least one)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--mode <mode>', 'auto | windows | raw', 'auto')
    .option('--size <size>', 'size of a new target file: N, NK, NM or NG')
    .option('--no-verify', 'skip reading everything back')
    .option('--yes', 'do not ask before erasing the targets')
    .option('--json', 'JSON Lines on stdout')
    .option('--check-capacity', 'test for a fake-capacity stick before writing')
    .option('--preset <p.json>', 'Windows: put autounattend.xml made from this preset (sevenstick answers) at the stick\'s root')
    .option('--unattend <file.xml>', 'Windows: put this answer file (checked, copied as is) at the stick\'s root as autounattend.xml')
    .option('--edition <N|NAME>', 'Windows: the edition (index or name in install.wim) the answer file and --only-edition use')
    .option('--only-edition', 'Windows: the stick\'s install.wim holds only --edition (also makes a too-large install.wim fit FAT32)')
    .option('--show-all-editions', 'Windows: leave sources/ei.cfg off the stick, so setup offers every edition')
    .option('--require-uefi', 'refuse (exit 2) instead of writing a Windows stick that boots in BIOS mode only')
    .action(async (image: string, o: WriteOpts) => {
      await runCommand({ json: !!o.json }, async (out) => {
        if (!o.target?.length) throw new SevenStickError('E_ARGS', 'No target given: name the drive or disk image file to write with --target <path>');
        if (!['auto', 'windows', 'raw'].includes(o.mode)) throw new SevenStickError('E_ARGS', `Unknown mode "${o.mode}" (auto, windows or raw)`);
        const size = o.size !== undefined ? parseSize(o.size) : undefined;
        const windows = await customization(image, o);
        const signal = interruptSignal();
        // Describe and check every target before asking (the system disk is refused even with --yes).
        const loc = locateImage(image);
        const drives: Drive[] = [];
        for (const t of o.target) {
          const d = await describePath(t);
          for (const w of assertDriveUsable(d, { image: loc })) out.info(`warning: ${w.message}`);
          drives.push(d);
        }
        assertDistinctTargets(drives);
        for (const d of drives) assertTargetPlace(d);
        if (!o.yes) {
          const list = drives.map((d) => `  ${d.device}  ${formatBytes(d.size)}  ${d.description}`).join('\n');
          await confirm(`This will ERASE everything on:\n${list}\nType "yes" to continue: `);
        }
        const r = await runWriteJob({
          image,
          targets: drives,
          mode: o.mode as WriteMode,
          size,
          verify: o.verify,
          checkCapacity: !!o.checkCapacity,
          requireUefi: !!o.requireUefi,
          ...(windows ? { windows } : {}),
          signal,
          onProgress: (p) => out.progress(p),
        });
        out.stopBar();
        if (o.json) out.line({ type: 'result', ...r });
        else report(out, r);
        return exitCodeOfResult(r);
      });
    });
}
