#!/usr/bin/env node
/**
 * `sevenstick` — the command-line face of the engine (contract: README, "Command line").
 * Each command lives in commands/<name>.ts and registers itself on the program. The run's language
 * (`--lang`, else LC_ALL/LC_MESSAGES/LANG) is settled first: the help is written in it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { EXIT_CODES } from '../engine/index.js';
import { LOCALES, PSEUDO_LOCALE } from '../shared/i18n/locales.js';
import { createTranslator } from '../shared/i18n/translator.js';
import { registerDrives } from './commands/drives.js';
import { registerWrite } from './commands/write.js';
import { registerVerify } from './commands/verify.js';
import { registerInspect } from './commands/inspect.js';
import { registerExtract } from './commands/extract.js';
import { registerAnswers } from './commands/answers.js';
import { addHelp, translateHelp } from './help.js';
import { cliLocale, parseLang } from './i18n.js';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };

const tr = createTranslator(cliLocale(process.argv.slice(2), process.env));

const program = new Command();
// Before the commands register: they inherit the help's words and the help option.
translateHelp(program, tr);
program
  .name('sevenstick')
  .description(tr.t('cli.program.description'))
  .version(pkg.version, '-V, --version', tr.t('cli.program.version'))
  // `--lang` names the CLI's language before the command; after it, options are the command's own
  // (`answers --lang` is the language of the Windows being installed).
  .enablePositionalOptions()
  .option('--lang <locale>', tr.t('cli.program.lang'), (v: string) => {
    if (parseLang(v) === null) throw new InvalidArgumentError(tr.t('cli.program.langUnknown', { locales: [...LOCALES, PSEUDO_LOCALE].join(', ') }));
    return v;
  })
  .exitOverride();

// Commands register here (one line each).
registerDrives(program, tr);
registerWrite(program, tr);
registerVerify(program, tr);
registerInspect(program, tr);
registerExtract(program, tr);
registerAnswers(program, tr);
addHelp(program, tr);

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; every other parse failure is bad arguments (2).
      process.exit(e.exitCode === 0 ? 0 : EXIT_CODES.E_ARGS);
    }
    throw e;
  }
}

void main();
