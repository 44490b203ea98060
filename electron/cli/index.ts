#!/usr/bin/env node
/**
 * `sevenstick` — the command-line face of the engine (contract: README, "Command line").
 * Each command lives in commands/<name>.ts and registers itself on the program.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { EXIT_CODES } from '../engine/index.js';
import { registerDrives } from './commands/drives.js';
import { registerWrite } from './commands/write.js';
import { registerVerify } from './commands/verify.js';
import { registerInspect } from './commands/inspect.js';
import { registerExtract } from './commands/extract.js';
import { registerAnswers } from './commands/answers.js';
import { addHelp } from './help.js';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };

const program = new Command();
program
  .name('sevenstick')
  .description('Turn a Windows 7 ISO into a USB stick that boots (BIOS and UEFI), and verify it.')
  .version(pkg.version)
  .exitOverride();

// Commands register here (one line each).
registerDrives(program);
registerWrite(program);
registerVerify(program);
registerInspect(program);
registerExtract(program);
registerAnswers(program);
addHelp(program);

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
