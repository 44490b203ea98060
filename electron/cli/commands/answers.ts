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
  summaryLines,
  type AnswerSummary,
  type Preset,
  type WindowsInfo,
} from '../../engine/index.js';
import { runCommand, type Output } from '../output.js';
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
    throw e instanceof SevenStickError ? e : new SevenStickError('E_IO', `Cannot write ${outputPath}: ${e instanceof Error ? e.message : String(e)}`, { path: outputPath });
  }
}

async function readSmallFile(path: string, what: string, max: number): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SevenStickError(code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_ARGS', `Cannot read the ${what} ${path}${code ? ` (${code})` : ''}`, { path });
  }
  if (bytes.length > max) throw new SevenStickError('E_ARGS', `The ${what} ${path} is too large (${bytes.length} bytes)`, { path });
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
          reject(new SevenStickError('E_CANCELLED', 'Cancelled: nothing was written'));
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
async function accountPassword(preset: Preset, presetDir: string): Promise<string | undefined> {
  const src = preset.account?.password;
  if (!preset.account || !src || src.from === 'preset') return undefined;
  if (src.from === 'file') {
    const text = (await readSmallFile(resolve(presetDir, src.passwordFile), 'password file', 4096)).toString('utf8');
    return text.replace(/^\uFEFF/, '').replace(/\r?\n$/, '');
  }
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new SevenStickError(
      'E_ARGS',
      `The password of the account "${preset.account.name}" is asked on a terminal, and there is none: name a password file in the preset ("password": {"from": "file", "passwordFile": "…"}). Passwords are never taken from the command line.`,
    );
  }
  const first = await promptHidden(`Password for the Windows account "${preset.account.name}" (not shown): `);
  const again = await promptHidden('The same password again: ');
  if (first !== again) throw new SevenStickError('E_ARGS', 'The two passwords differ: nothing was written');
  return first;
}

/** The second, plainly worded confirmation before an answer file that erases disk 0. */
async function confirmWipe(o: AnswersOptions): Promise<string> {
  if (o.iUnderstandDisk0WillBeErased) return WIPE_DISK_0_CONFIRMATION;
  if (!process.stdin.isTTY) {
    throw new SevenStickError('E_SAFETY', 'Refusing to make an answer file that erases disk 0 without a second confirmation: there is no terminal to ask (add --i-understand-disk-0-will-be-erased)');
  }
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(
      `The answer file will make Windows setup ERASE EVERYTHING on the PC's first disk (disk 0) without asking.\nType "${WIPE_DISK_0_CONFIRMATION}" to go on: `,
    );
    if (answer.trim() !== WIPE_DISK_0_CONFIRMATION) throw new SevenStickError('E_SAFETY', 'Not confirmed: nothing was written');
  } finally {
    rl.close();
  }
  return WIPE_DISK_0_CONFIRMATION;
}

/** The preset the options describe: the --preset file's, with each given option overriding its field. */
async function buildPreset(o: AnswersOptions, windows: WindowsInfo): Promise<{ preset: Preset; presetDir: string }> {
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
    if (o.wipeDisk0 !== 'bios' && o.wipeDisk0 !== 'uefi') throw new SevenStickError('E_ARGS', '--wipe-disk-0 takes bios (MBR) or uefi (GPT)');
    preset.partitioning = { mode: 'wipe-disk-0', firmware: o.wipeDisk0, confirmed: await confirmWipe(o) };
  }
  // The preset file was checked as it was read; what fails now came from an option.
  return { preset: validatePreset(preset, 'settings'), presetDir };
}

/** `write --preset p.json`: the answer file the preset gives for the media (the edition overridden by --edition). */
export async function answerFileFromPreset(presetPath: string, windows: WindowsInfo, edition: number | undefined, onlyEdition: boolean): Promise<{ bytes: Buffer; showEveryEdition: boolean; summary: AnswerSummary }> {
  const preset = parsePreset((await readSmallFile(presetPath, 'preset', 64 * 1024)).toString('utf8'));
  if (edition !== undefined) preset.edition = { index: edition };
  // A stick that keeps one edition has it as image 1: the answer file names it, which stays true.
  const pick = preset.edition;
  if (onlyEdition && typeof pick === 'object' && 'index' in pick) {
    const e = windows.editions.find((x) => x.index === pick.index);
    if (e) preset.edition = { name: e.name };
  }
  const password = await accountPassword(preset, dirname(resolve(presetPath)));
  const answer = generateAnswerFile(preset, windows, loadUnattendData(), password === undefined ? {} : { password });
  return { bytes: Buffer.from(answer.xml, 'utf8'), showEveryEdition: preset.showEveryEdition, summary: answer.summary };
}

/** An answer file named on the command line (`write --unattend`), read with the size limit (the engine checks it). */
export function readAnswerFileArg(path: string): Promise<Buffer> {
  return readSmallFile(path, 'answer file', 1024 * 1024);
}


async function answers(out: Output, image: string, o: AnswersOptions): Promise<void> {
  // Bad output paths are bad arguments before anything is read.
  checkOutput(image, o.output);
  if (o.savePreset) checkOutput(image, o.savePreset);
  if (o.import) {
    const extra = SETTING_FLAGS.filter(([k]) => o[k] !== undefined).map(([, f]) => f);
    if (extra.length) throw new SevenStickError('E_ARGS', `--import copies a file as it is: it takes no ${extra.join(', ')}`);
  }
  if (o.storePasswordInPreset && !o.savePreset) throw new SevenStickError('E_ARGS', '--store-password-in-preset needs --save-preset');
  const r = await inspectImage(image);
  const windows = r.windows;
  if (!windows) throw new SevenStickError('E_UNSUPPORTED', `${image} is not Windows setup media: an answer file is for Windows 7 setup`, { path: image });

  if (o.import) {
    const imported = checkImportedAnswerFile(await readSmallFile(o.import, 'answer file', 1024 * 1024), windows);
    await writeOutput(image, o.output, imported.bytes);
    if (out.opts.json) out.line({ type: 'result', output: o.output, imported: o.import, bytes: imported.bytes.length, arch: imported.arch, passes: imported.passes });
    else out.info(`Checked ${o.import} (${imported.arch}, passes ${imported.passes.join(', ')}) and copied it as is → ${o.output}`);
    return;
  }

  const { preset, presetDir } = await buildPreset(o, windows);
  const password = await accountPassword(preset, presetDir);
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
  out.info(`Wrote ${o.output}${o.savePreset ? ` and the preset ${o.savePreset}` : ''}`);
  for (const line of summaryLines(answer.summary)) out.info(line);
  if (answer.summary.wipeDisk0) out.info('warning: setup will erase disk 0 of the PC it runs on, without asking');
}

export function registerAnswers(program: Command): void {
  program
    .command('answers')
    .description('Write a Windows 7 answer file (autounattend.xml) for the image, from a preset and/or options, or check and copy an existing one')
    .argument('<image>', 'Windows 7 ISO')
    .requiredOption('-o, --output <file>', 'where to write autounattend.xml')
    .option('--preset <file>', 'a preset (JSON); alone, the answer file is reproduced from it')
    .option('--edition <N|NAME>', 'the edition to install: its index or its name in install.wim (default: setup asks)')
    .option('--lang <ll-CC>', "setup's and Windows' language (default: the media's)")
    .option('--locale <ll-CC>', 'formats and system locale (default: the language)')
    .option('--keyboard <KLID>', "keyboard layout, e.g. 00000407 (default: the locale's usual one)")
    .option('--timezone <ID>', 'a Windows 7 time zone ID, e.g. "W. Europe Standard Time" (default: setup asks)')
    .option('--computer-name <NAME>', 'up to 15 letters, digits, hyphens; * for a made-up one (default: setup asks)')
    .option('--user <NAME>', 'create this local administrator account (its password is asked, or read from the preset\'s passwordFile)')
    .option('--product-key <KEY>', 'XXXXX-XXXXX-XXXXX-XXXXX-XXXXX (default: setup asks; it may be skipped)')
    .option('--accept-eula', 'accept the Windows licence terms on the user\'s behalf')
    .option('--wipe-disk-0 <bios|uefi>', 'let setup ERASE the PC\'s disk 0 and install there (asks a second confirmation)')
    .option('--i-understand-disk-0-will-be-erased', 'the second confirmation for --wipe-disk-0, without a terminal')
    .option('--save-preset <file>', 'also save the settings as a preset (without the password)')
    .option('--store-password-in-preset', 'store the password (as the answer file encodes it) in the saved preset')
    .option('--import <file>', 'check an existing autounattend.xml against the image and copy it as is')
    .option('--json', 'print one JSON object')
    .action(async (image: string, o: AnswersOptions) => {
      await runCommand({ json: o.json === true }, (out) => answers(out, image, o));
    });
}
