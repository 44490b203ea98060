/**
 * `sevenstick write <image> --target <path> [--target …] [--mode auto|windows|raw] [--size N|NK|NM|NG]
 *  [--no-verify] [--yes] [--json] [--check-capacity] [--require-uefi]
 *  [--preset p.json | --unattend file.xml] [--edition N|NAME [--only-edition]] [--show-all-editions]`
 */
import type { Command } from 'commander';
import { describePath, assertDriveUsable, locateImage, isSevenStickError, EXIT_CODES, assertDistinctTargets, assertTargetPlace, runWriteJob, type Drive, type WriteJobResult, type WriteMode, checkCustomization, inspectImage, type WindowsCustomization } from '../../engine/index.js';
import { runCommand } from '../output.js';
import { cancelNotes, writeSummary } from '../summary.js';
import { CONFIRM_WORD, confirm, interruptSignal, parseSize } from './common.js';
import { answerFileFromPreset, readAnswerFileArg } from './answers.js';
import { assertCanWrite, constraintWarning, promptLine, sizeIgnoredWarnings, warningJson } from './write-checks.js';
import { writePasses } from '../../shared/job-progress.js';
import type { Translator } from '../../shared/i18n/translator.js';
import { CliError } from '../i18n.js';

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
async function customization(tr: Translator, image: string, o: WriteOpts): Promise<WindowsCustomization | undefined> {
  if (o.preset === undefined && o.unattend === undefined && o.edition === undefined && !o.onlyEdition && !o.showAllEditions) return undefined;
  if (o.preset !== undefined && o.unattend !== undefined) throw new CliError('E_ARGS', { key: 'cli.write.presetAndUnattend' });
  if (o.onlyEdition && o.edition === undefined) throw new CliError('E_ARGS', { key: 'cli.write.onlyEditionNeedsEdition' });
  if (o.mode === 'raw') throw new CliError('E_ARGS', { key: 'cli.write.customizeRaw' });
  const info = await inspectImage(image);
  if (info.kind !== 'windows') throw new CliError('E_ARGS', { key: 'cli.write.customizeNotWindows', values: { image } });
  const w: WindowsCustomization = {};
  if (o.edition !== undefined) {
    const want = o.edition.trim();
    const e = /^\d+$/.test(want)
      ? info.windows.editions.find((x) => x.index === Number(want))
      : info.windows.editions.find((x) => x.name.toLowerCase() === want.toLowerCase() || x.editionId.toLowerCase() === want.toLowerCase());
    if (!e) {
      const editions = info.windows.editions.map((x) => `${x.index}: ${x.name}`).join(', ');
      throw new CliError('E_ARGS', editions ? { key: 'cli.write.noSuchEdition', values: { edition: want, editions } } : { key: 'cli.write.noSuchEditionNoneListed', values: { edition: want } });
    }
    w.edition = e.index;
  }
  if (o.onlyEdition) w.onlyEdition = true;
  if (o.showAllEditions) w.showAllEditions = true;
  if (o.unattend !== undefined) w.unattend = await readAnswerFileArg(o.unattend);
  if (o.preset !== undefined) {
    const a = await answerFileFromPreset(tr, o.preset, info.windows, w.edition, !!o.onlyEdition);
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

export function registerWrite(program: Command, tr: Translator): void {
  program
    .command('write')
    .description(tr.t('cli.write.description'))
    .argument('<image>', tr.t('cli.write.argument.image'))
    // Not a commander "required option": `write` with nothing should first ask for the image.
    .option('--target <path>', tr.t('cli.write.option.target'), (v: string, prev: string[] = []) => [...prev, v])
    .option('--mode <mode>', tr.t('cli.write.option.mode'), 'auto')
    .option('--size <size>', tr.t('cli.write.option.size'))
    .option('--no-verify', tr.t('cli.write.option.noVerify'))
    .option('--yes', tr.t('cli.write.option.yes'))
    .option('--json', tr.t('cli.option.jsonLines'))
    .option('--check-capacity', tr.t('cli.write.option.checkCapacity'))
    .option('--preset <p.json>', tr.t('cli.write.option.preset'))
    .option('--unattend <file.xml>', tr.t('cli.write.option.unattend'))
    .option('--edition <N|NAME>', tr.t('cli.write.option.edition'))
    .option('--only-edition', tr.t('cli.write.option.onlyEdition'))
    .option('--show-all-editions', tr.t('cli.write.option.showAllEditions'))
    .option('--require-uefi', tr.t('cli.write.option.requireUefi'))
    .action(async (image: string, o: WriteOpts) => {
      await runCommand({ json: !!o.json, tr }, async (out) => {
        if (!o.target?.length) throw new CliError('E_ARGS', { key: 'cli.write.noTarget' });
        if (!['auto', 'windows', 'raw'].includes(o.mode)) throw new CliError('E_ARGS', { key: 'cli.write.unknownMode', values: { mode: o.mode } });
        const size = o.size !== undefined ? parseSize(o.size) : undefined;
        const windows = await customization(tr, image, o);
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
            for (const w of warnings) for (const c of w.constraints) targetWarnings.push(constraintWarning(w.target, c));
            for (const w of targetWarnings) out.warning(w.text(tr));
            if (o.yes) return;
            const list = drives.map((d) => promptLine(tr, d, size)).join('\n');
            await confirm(tr.t('cli.write.confirm', { list, word: CONFIRM_WORD }), signal);
          },
        }).catch((e: unknown) => {
          // A cancel says what state the targets are in and what to do.
          if (isSevenStickError(e) && e.code === 'E_CANCELLED') out.noteOnError(cancelNotes(drives, started));
          throw e;
        });
        out.stopBar();
        // --json: the targets' warnings join the image's in `warnings` (sentences) and, with their
        // target and code, in `targetWarnings`.
        if (o.json) out.line({ type: 'result', ...r, warnings: [...r.warnings, ...targetWarnings.map((w) => w.message)], targetWarnings: targetWarnings.map(warningJson) });
        else for (const l of writeSummary(tr, r, drives)) out.info(l);
        return exitCodeOfResult(r);
      });
    });
}
