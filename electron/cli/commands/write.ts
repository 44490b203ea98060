/**
 * `sevenstick write <image> --target <path> [--target …] [--mode auto|windows|raw] [--size N|NK|NM|NG]
 *  [--no-verify] [--yes] [--json] [--check-capacity] [--require-uefi]
 *  [--preset p.json | --unattend file.xml] [--edition N|NAME [--only-edition]] [--show-all-editions]`
 */
import type { Command } from 'commander';
import { describePath, assertDriveUsable, locateImage, SevenStickError, isSevenStickError, EXIT_CODES, assertDistinctTargets, assertTargetPlace, runWriteJob, type Drive, type WriteJobResult, type WriteMode, checkCustomization, inspectImage, type WindowsCustomization } from '../../engine/index.js';
import { runCommand } from '../output.js';
import { cancelNotes, writeSummary } from '../summary.js';
import { confirm, interruptSignal, parseSize } from './common.js';
import { answerFileFromPreset, readAnswerFileArg } from './answers.js';
import { assertCanWrite, promptLine, sizeIgnoredWarnings } from './write-checks.js';
import { writePasses } from '../../shared/job-progress.js';

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

export function registerWrite(program: Command): void {
  program
    .command('write')
    .description('Write an image to one or more drives (or disk image files) and verify it')
    .argument('<image>', 'Windows 7 ISO, hybrid ISO or disk image')
    // Not a commander "required option": `write` with nothing should first ask for the image.
    .option('--target <path>', 'required: the drive or disk image file to write (repeat for several)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--mode <mode>', 'auto | windows | raw (see below)', 'auto')
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
        // Every check that can refuse runs before the prompt: existence and kind (describePath), safety,
        // rights (assertCanWrite), then in the job the image against the targets (size, UEFI); the
        // prompt comes in onWarnings, before anything is unmounted, opened or written.
        const loc = locateImage(image);
        const drives: Drive[] = [];
        for (const t of o.target) {
          const d = await describePath(t);
          assertDriveUsable(d, { image: loc });
          drives.push(d);
        }
        assertDistinctTargets(drives);
        for (const d of drives) assertTargetPlace(d);
        await assertCanWrite(drives);
        if (!o.yes && !process.stdin.isTTY) await confirm('', signal);
        out.startJob(writePasses(o.verify), '', drives.map((d) => d.device));
        let started = false;
        const targetWarnings = sizeIgnoredWarnings(drives, size);
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
          onProgress: (p) => {
            started ||= p.phase !== 'preparing';
            out.progress(p);
          },
          onWarnings: async (warnings) => {
            for (const w of warnings) for (const c of w.constraints) targetWarnings.push({ target: w.target, code: c.code, message: c.message });
            for (const w of targetWarnings) out.info(`warning: ${w.message}`);
            if (o.yes) return;
            const list = drives.map((d) => promptLine(d, size)).join('\n');
            await confirm(`This will ERASE everything on:\n${list}\nType "yes" to continue: `, signal);
          },
        }).catch((e: unknown) => {
          // A cancel says what state the targets are in and what to do.
          if (isSevenStickError(e) && e.code === 'E_CANCELLED') e.details.notes = [...(Array.isArray(e.details.notes) ? (e.details.notes as string[]) : []), ...cancelNotes(drives, started)];
          throw e;
        });
        out.stopBar();
        // --json: the targets' warnings join the image's in `warnings` (sentences) and, with their
        // target and code, in `targetWarnings`.
        if (o.json) out.line({ type: 'result', ...r, warnings: [...r.warnings, ...targetWarnings.map((w) => w.message)], targetWarnings });
        else for (const l of writeSummary(r, drives)) out.info(l);
        return exitCodeOfResult(r);
      });
    });
}
