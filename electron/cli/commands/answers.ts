/**
 * `sevenstick answers <image> [--preset p.json] [--edition N|NAME] [--lang ll-CC] [--timezone ID]
 *                    [--computer-name NAME] [--user NAME] [--product-key KEY] -o autounattend.xml`
 * Writes the Windows 7 answer file for the image's media without writing a stick: from a preset (alone:
 * reproduced as is), the options (each overrides its preset field), or both. Or, with --import, checks an
 * existing autounattend.xml against the media and copies it byte for byte. Passwords come from a prompt
 * without echo or from the file the preset names (passwordFile), never from the command line, and are
 * never printed. Files are written to a temporary name beside the output and renamed when complete.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  SevenStickError,
  WIPE_DISK_0_CONFIRMATION,
  checkImportedAnswerFile,
  checkProductKey,
  defaultPreset,
  encodeWsimPassword,
  generateAnswerFile,
  inspectImage,
  loadUnattendData,
  parsePreset,
  serializePreset,
  validatePreset,
  type AnswerSummary,
  type Preset,
  type WindowsInfo,
} from '../../engine/index.js';
import { answerSummaryRows } from '../../shared/i18n/answer-summary.js';
import { cols, padEndCols } from '../columns.js';
import type { Translator } from '../../shared/i18n/translator.js';
import { runCommand, type Output } from '../output.js';
import { CliError } from '../i18n.js';
import { checkOutput } from './extract.js';

interface AnswersOptions {
  output: string;
  preset?: string;
  edition?: string;
  lang?: string;
  locale?: string;
  keyboard?: string;
  timezone?: string;
  computerName?: string;
  user?: string;
  productKey?: string;
  acceptEula?: boolean;
  wipeDisk0?: string;
  iUnderstandDisk0WillBeErased?: boolean;
  import?: string;
  savePreset?: string;
  storePasswordInPreset?: boolean;
  json?: boolean;
}

const SETTING_FLAGS: Array<[keyof AnswersOptions, string]> = [
  ['preset', '--preset'],
  ['edition', '--edition'],
  ['lang', '--lang'],
  ['locale', '--locale'],
  ['keyboard', '--keyboard'],
  ['timezone', '--timezone'],
  ['computerName', '--computer-name'],
  ['user', '--user'],
  ['productKey', '--product-key'],
  ['acceptEula', '--accept-eula'],
  ['wipeDisk0', '--wipe-disk-0'],
  ['savePreset', '--save-preset'],
];

/** Writes `bytes` to the output: a temporary file beside it, flushed, then renamed (a device or pipe is written directly). */
async function writeOutput(image: string, outputPath: string, bytes: Buffer): Promise<void> {
  const { dest, stream } = checkOutput(image, outputPath);
  if (stream) {
    await writeFile(dest, bytes);
    return;
  }
  const tmp = join(dirname(dest), `.${basename(dest)}.sevenstick-${process.pid}-${randomBytes(4).toString('hex')}.part`);
  try {
    const h = await open(tmp, 'wx', 0o600);
    try {
      await h.writeFile(bytes);
      await h.sync();
    } finally {
      await h.close();
    }
    await rename(tmp, dest);
  } catch (e) {
    await rm(tmp, { force: true });
    if (e instanceof SevenStickError) throw e;
    throw new CliError('E_IO', { key: 'cli.output.cannotWriteBecause', values: { output: outputPath, reason: e instanceof Error ? e.message : String(e) } }, { path: outputPath });
  }
}

/** The small files `answers` reads (the messages name them by kind). */
type SmallFile = 'preset' | 'passwordFile' | 'answerFile';

async function readSmallFile(path: string, what: SmallFile, max: number): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_ARGS', code ? { key: 'cli.answers.cannotReadCode', values: { what, path, code } } : { key: 'cli.answers.cannotRead', values: { what, path } }, { path });
  }
  if (bytes.length > max) throw new CliError('E_ARGS', { key: 'cli.answers.tooLarge', values: { what, path, count: bytes.length, bytes: String(bytes.length) } }, { path });
  return bytes;
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolvePromise, reject) => {
    let typed = '';
    const finish = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolvePromise(typed);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          finish();
          reject(new CliError('E_CANCELLED', { key: 'cli.answers.cancelled' }));
          return;
        }
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The account's clear password: from the preset's passwordFile (relative to the preset), or asked twice on the terminal. */
async function accountPassword(tr: Translator, preset: Preset, presetDir: string): Promise<string | undefined> {
  const src = preset.account?.password;
  if (!preset.account || !src || src.from === 'preset') return undefined;
  if (src.from === 'file') {
    const text = (await readSmallFile(resolve(presetDir, src.passwordFile), 'passwordFile', 4096)).toString('utf8');
    return text.replace(/^\uFEFF/, '').replace(/\r?\n$/, '');
  }
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new CliError('E_ARGS', { key: 'cli.answers.passwordNoTerminal', values: { account: preset.account.name } });
  }
  const first = await promptHidden(tr.t('cli.answers.passwordPrompt', { account: preset.account.name }));
  const again = await promptHidden(tr.t('cli.answers.passwordAgain'));
  if (first !== again) throw new CliError('E_ARGS', { key: 'cli.answers.passwordsDiffer' });
  return first;
}

/** The second, plainly worded confirmation before an answer file that erases disk 0. */
async function confirmWipe(tr: Translator, o: AnswersOptions): Promise<string> {
  if (o.iUnderstandDisk0WillBeErased) return WIPE_DISK_0_CONFIRMATION;
  if (!process.stdin.isTTY) throw new CliError('E_SAFETY', { key: 'cli.answers.wipeNoTerminal' });
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(tr.t('cli.answers.wipeConfirm', { phrase: WIPE_DISK_0_CONFIRMATION }));
    if (answer.trim() !== WIPE_DISK_0_CONFIRMATION) throw new CliError('E_SAFETY', { key: 'cli.answers.notConfirmed' });
  } finally {
    rl.close();
  }
  return WIPE_DISK_0_CONFIRMATION;
}

/** The preset the options describe: the --preset file's, with each given option overriding its field. */
async function buildPreset(tr: Translator, o: AnswersOptions, windows: WindowsInfo): Promise<{ preset: Preset; presetDir: string }> {
  const data = loadUnattendData();
  let preset: Preset;
  let presetDir = process.cwd();
  if (o.preset) {
    preset = parsePreset((await readSmallFile(o.preset, 'preset', 64 * 1024)).toString('utf8'));
    presetDir = dirname(resolve(o.preset));
  } else {
    const language = o.lang ?? windows.languages[0] ?? 'en-US';
    const locale = o.locale ?? language;
    const proposed = data.locales.find((l) => l.tag.toLowerCase() === locale.toLowerCase())?.keyboard ?? '00000409';
    preset = defaultPreset(language, proposed);
    preset.locale = locale;
  }
  if (o.edition !== undefined) preset.edition = /^\d+$/.test(o.edition) ? { index: Number(o.edition) } : { name: o.edition };
  if (o.lang !== undefined) preset.language = o.lang;
  if (o.locale !== undefined) preset.locale = o.locale;
  if (o.keyboard !== undefined) preset.keyboard = o.keyboard;
  if (o.timezone !== undefined) preset.timeZone = o.timezone;
  if (o.computerName !== undefined) preset.computerName = o.computerName;
  if (o.user !== undefined) preset.account = { name: o.user, displayName: null, password: preset.account?.password ?? { from: 'prompt' } };
  if (o.productKey !== undefined) preset.productKey = checkProductKey(o.productKey);
  if (o.acceptEula) preset.acceptEula = true;
  if (o.wipeDisk0 !== undefined) {
    if (o.wipeDisk0 !== 'bios' && o.wipeDisk0 !== 'uefi') throw new CliError('E_ARGS', { key: 'cli.answers.wipeFirmware' });
    preset.partitioning = { mode: 'wipe-disk-0', firmware: o.wipeDisk0, confirmed: await confirmWipe(tr, o) };
  }
  // The preset file was checked as it was read; what fails now came from an option.
  return { preset: validatePreset(preset, 'settings'), presetDir };
}

/** `write --preset p.json`: the answer file the preset gives for the media (the edition overridden by --edition). */
export async function answerFileFromPreset(tr: Translator, presetPath: string, windows: WindowsInfo, edition: number | undefined, onlyEdition: boolean): Promise<{ bytes: Buffer; showEveryEdition: boolean; summary: AnswerSummary }> {
  const preset = parsePreset((await readSmallFile(presetPath, 'preset', 64 * 1024)).toString('utf8'));
  if (edition !== undefined) preset.edition = { index: edition };
  // A stick that keeps one edition has it as image 1: the answer file names it, which stays true.
  const pick = preset.edition;
  if (onlyEdition && typeof pick === 'object' && 'index' in pick) {
    const e = windows.editions.find((x) => x.index === pick.index);
    if (e) preset.edition = { name: e.name };
  }
  const password = await accountPassword(tr, preset, dirname(resolve(presetPath)));
  const answer = generateAnswerFile(preset, windows, loadUnattendData(), password === undefined ? {} : { password });
  return { bytes: Buffer.from(answer.xml, 'utf8'), showEveryEdition: preset.showEveryEdition, summary: answer.summary };
}

/** An answer file named on the command line (`write --unattend`), read with the size limit (the engine checks it). */
export function readAnswerFileArg(path: string): Promise<Buffer> {
  return readSmallFile(path, 'answerFile', 1024 * 1024);
}

/** The answer file's summary as terminal lines, labels in a column (12 wide in English, wider when a language needs it). */
function answerSummaryLines(tr: Translator, s: Parameters<typeof answerSummaryRows>[1]): string[] {
  const rows = answerSummaryRows(tr, s);
  const width = Math.max(12, ...rows.map(([k]) => cols(k) + 1));
  return rows.map(([k, v]) => `${padEndCols(k, width)}${v}`);
}

async function answers(out: Output, image: string, o: AnswersOptions): Promise<void> {
  // Bad output paths are bad arguments before anything is read.
  checkOutput(image, o.output);
  if (o.savePreset) checkOutput(image, o.savePreset);
  if (o.import) {
    const extra = SETTING_FLAGS.filter(([k]) => o[k] !== undefined).map(([, f]) => f);
    if (extra.length) throw new CliError('E_ARGS', { key: 'cli.answers.importTakesNo', values: { options: extra.join(', ') } });
  }
  if (o.storePasswordInPreset && !o.savePreset) throw new CliError('E_ARGS', { key: 'cli.answers.storeNeedsSave' });
  const r = await inspectImage(image);
  const windows = r.windows;
  if (!windows) throw new CliError('E_UNSUPPORTED', { key: 'cli.answers.notWindows', values: { image } }, { path: image });

  if (o.import) {
    const imported = checkImportedAnswerFile(await readSmallFile(o.import, 'answerFile', 1024 * 1024), windows);
    await writeOutput(image, o.output, imported.bytes);
    if (out.opts.json) out.line({ type: 'result', output: o.output, imported: o.import, bytes: imported.bytes.length, arch: imported.arch, passes: imported.passes });
    else out.info(out.tr.t('cli.answers.imported', { file: o.import, arch: imported.arch, passes: imported.passes.join(', '), output: o.output }));
    return;
  }

  const tr = out.tr;
  const { preset, presetDir } = await buildPreset(tr, o, windows);
  const password = await accountPassword(tr, preset, presetDir);
  const answer = generateAnswerFile(preset, windows, loadUnattendData(), password === undefined ? {} : { password });
  await writeOutput(image, o.output, Buffer.from(answer.xml, 'utf8'));
  if (o.savePreset) {
    const saved: Preset =
      o.storePasswordInPreset && preset.account && password !== undefined
        ? { ...preset, account: { ...preset.account, password: { from: 'preset', wsimEncoded: encodeWsimPassword(password) } } }
        : preset;
    await writeOutput(image, o.savePreset, Buffer.from(serializePreset(saved), 'utf8'));
  }
  if (out.opts.json) {
    out.line({ type: 'result', output: o.output, preset: o.savePreset ?? null, ...answer.summary });
    return;
  }
  out.info(o.savePreset ? tr.t('cli.answers.wroteWithPreset', { output: o.output, preset: o.savePreset }) : tr.t('cli.answers.wrote', { output: o.output }));
  for (const line of answerSummaryLines(tr, answer.summary)) out.info(line);
  if (answer.summary.wipeDisk0) out.warning(tr.t('cli.answers.wipeWarning'));
}

export function registerAnswers(program: Command, tr: Translator): void {
  program
    .command('answers')
    .description(tr.t('cli.answers.description'))
    .argument('<image>', tr.t('cli.answers.argument.image'))
    .requiredOption('-o, --output <file>', tr.t('cli.answers.option.output'))
    .option('--preset <file>', tr.t('cli.answers.option.preset'))
    .option('--edition <N|NAME>', tr.t('cli.answers.option.edition'))
    .option('--lang <ll-CC>', tr.t('cli.answers.option.lang'))
    .option('--locale <ll-CC>', tr.t('cli.answers.option.locale'))
    .option('--keyboard <KLID>', tr.t('cli.answers.option.keyboard'))
    .option('--timezone <ID>', tr.t('cli.answers.option.timezone'))
    .option('--computer-name <NAME>', tr.t('cli.answers.option.computerName'))
    .option('--user <NAME>', tr.t('cli.answers.option.user'))
    .option('--product-key <KEY>', tr.t('cli.answers.option.productKey'))
    .option('--accept-eula', tr.t('cli.answers.option.acceptEula'))
    .option('--wipe-disk-0 <bios|uefi>', tr.t('cli.answers.option.wipeDisk0'))
    .option('--i-understand-disk-0-will-be-erased', tr.t('cli.answers.option.iUnderstand'))
    .option('--save-preset <file>', tr.t('cli.answers.option.savePreset'))
    .option('--store-password-in-preset', tr.t('cli.answers.option.storePassword'))
    .option('--import <file>', tr.t('cli.answers.option.import'))
    .option('--json', tr.t('cli.inspect.option.json'))
    .action(async (image: string, o: AnswersOptions) => {
      await runCommand({ json: o.json === true, tr }, (out) => answers(out, image, o));
    });
}
