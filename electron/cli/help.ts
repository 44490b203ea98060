/**
 * The help's examples and the exit codes (issue #14), added to the commands after they register, and
 * usage errors as one line plus the command's usage (not the whole help). All of it in the run's
 * language (issue #15): our texts from the cli catalog, commander's headings ("Usage:", "Options:")
 * and option defaults through its Help hooks. Commander's own error lines ("error: unknown option …")
 * stay as commander writes them.
 */
import type { Command } from 'commander';
import type { MessageKey } from '../shared/i18n/catalog.js';
import type { Translator } from '../shared/i18n/translator.js';
import { cols, wrapCols } from './columns.js';

/** Usage lines that say what is required (commander's default puts every option under [options]). */
const USAGE: Record<string, string> = {
  write: '<image> --target <path> [--target <path> ...] [options]',
  verify: '<target> --image <image> [options]',
};

/** The example command lines (commands: not translated). */
const EXAMPLES: Record<string, readonly string[]> = {
  write: [
    'sudo sevenstick write win7.iso --target /dev/sdb',
    'sudo sevenstick write win7.iso --target /dev/sdb --target /dev/sdc',
    'sevenstick write win7.iso --target win7.vhd --size 8G --yes',
    'sevenstick write ubuntu.iso --target /dev/sdb --mode raw --json',
  ],
  verify: ['sudo sevenstick verify /dev/sdb --image win7.iso', 'sevenstick verify win7.vhd --image win7.iso --json'],
  drives: ['sudo sevenstick drives', 'sudo sevenstick drives --all --image win7.iso'],
  inspect: ['sevenstick inspect win7.iso', 'sevenstick inspect win7.iso --hash --json'],
  extract: ['sevenstick extract win7.iso sources/install.wim:1/Windows/Boot/EFI/bootmgfw.efi -o bootx64.efi'],
  answers: ['sevenstick answers win7.iso --edition Professional --lang en-US -o autounattend.xml'],
};

/** What a command's help explains before its examples (blocks of text, wrapped by their translators). */
const SECTIONS: Record<string, readonly MessageKey[]> = {
  write: ['cli.help.write.modes', 'cli.help.write.targets'],
};

/** Commander's headings, in the run's language. */
const TITLES: Record<string, MessageKey> = {
  'Usage:': 'cli.help.title.usage',
  'Arguments:': 'cli.help.title.arguments',
  'Options:': 'cli.help.title.options',
  'Commands:': 'cli.help.title.commands',
  'Global Options:': 'cli.help.title.globalOptions',
};

/**
 * Commander's words in the run's language: the headings, an option's default, the help option and
 * the help command. Called on the program before the commands register (they inherit it).
 */
export function translateHelp(program: Command, tr: Translator): void {
  program.configureHelp({
    // Terminal columns, not characters: Chinese descriptions line up and wrap between characters.
    displayWidth: (text) => cols(text),
    boxWrap: (text, width) => (width < 40 ? text : text.split('\n').flatMap((line) => wrapCols(line, width)).join('\n')),
    styleTitle: (title) => {
      const key = TITLES[title];
      return key ? tr.t(key) : title;
    },
    optionDescription: (option) => {
      const showDefault = option.defaultValue !== undefined && (option.required || option.optional);
      if (!showDefault) return option.description;
      const value = option.defaultValueDescription ?? JSON.stringify(option.defaultValue);
      return tr.t('cli.help.withDefault', { description: option.description, value });
    },
  });
  program.helpOption('-h, --help', tr.t('cli.help.helpOption'));
  program.helpCommand('help [command]', tr.t('cli.help.helpCommand'));
}

/** The exit-code table every help ends with. */
function exitCodes(tr: Translator): string {
  return `\n${tr.t('cli.help.exitCodes')}`;
}

function examples(tr: Translator, name: string): string {
  const sections = (SECTIONS[name] ?? []).map((k) => `\n${tr.t(k)}\n`).join('');
  const lines = EXAMPLES[name] ?? [];
  return `${sections}${lines.length ? `\n${tr.t('cli.help.examples')}\n${lines.map((l) => `  ${l}`).join('\n')}` : ''}`;
}

/** The examples and exit codes in every command's help, and one-line usage errors. */
export function addHelp(program: Command, tr: Translator): void {
  program.addHelpText('after', `${exitCodes(tr)}\n\n${tr.t('cli.help.more')}`);
  program.showHelpAfterError(false);
  for (const cmd of program.commands) {
    cmd.showHelpAfterError(false);
    const usage = USAGE[cmd.name()];
    if (usage) cmd.usage(usage);
    cmd.addHelpText('after', `${examples(tr, cmd.name())}\n${exitCodes(tr)}`);
    // A usage error: commander's one line ("error: …"), then this command's usage and where to read more.
    cmd.configureOutput({
      outputError: (str, write) =>
        write(`${str.trimEnd()}\n${tr.t('cli.usage.line', { usage: `sevenstick ${cmd.name()} ${cmd.usage()}` })}\n${tr.t('cli.usage.more', { command: `sevenstick ${cmd.name()} --help` })}\n`),
    });
  }
}
