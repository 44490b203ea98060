/**
 * The help's examples and the exit codes (issue #14), added to the commands after they register, and
 * usage errors as one line plus the command's usage (not the whole help).
 */
import type { Command } from 'commander';

export const EXIT_CODE_HELP = `
Exit codes:
  0    ok
  1    verification found differences
  2    bad input: unreadable or unsupported image, a file of 4 GiB or more,
       target too small, bad arguments
  3    device or I/O error; no permission to open a target (with the sudo line)
  4    refused for safety: a system drive, the image's own drive, a name under
       /dev that is no drive, not confirmed
  130  cancelled (Ctrl-C)`;

/** Usage lines that say what is required (commander's default puts every option under [options]). */
const USAGE: Record<string, string> = {
  write: '<image> --target <path> [--target <path> ...] [options]',
  verify: '<target> --image <image> [options]',
};

const EXAMPLES: Record<string, string> = {
  write: `
Modes (--mode):
  auto     Windows setup media become a bootable stick (MBR, FAT32, our boot
           code, the UEFI loader from install.wim); anything else is copied
           byte for byte (the default)
  windows  insist on Windows setup media (exit 2 otherwise)
  raw      copy the image byte for byte (hybrid ISOs, .img files)

Targets (--target, required; repeat it to write several at once):
  a whole drive (/dev/sdX, /dev/loopN, /dev/diskN, \\\\.\\PhysicalDriveN; see
  "sevenstick drives"), or a disk image file for virtual machines: an existing
  file keeps its size, a new one takes --size (raw images: the image's size by
  default); a name ending in .vhd becomes a fixed VHD that VirtualBox, Hyper-V
  and QEMU boot.

Examples:
  sudo sevenstick write win7.iso --target /dev/sdb
  sudo sevenstick write win7.iso --target /dev/sdb --target /dev/sdc
  sevenstick write win7.iso --target win7.vhd --size 8G --yes
  sevenstick write ubuntu.iso --target /dev/sdb --mode raw --json`,
  verify: `
Examples:
  sudo sevenstick verify /dev/sdb --image win7.iso
  sevenstick verify win7.vhd --image win7.iso --json`,
  drives: `
Examples:
  sudo sevenstick drives
  sudo sevenstick drives --all --image win7.iso`,
  inspect: `
Examples:
  sevenstick inspect win7.iso
  sevenstick inspect win7.iso --hash --json`,
  extract: `
Examples:
  sevenstick extract win7.iso sources/install.wim:1/Windows/Boot/EFI/bootmgfw.efi -o bootx64.efi`,
  answers: `
Examples:
  sevenstick answers win7.iso --edition Professional --lang en-US -o autounattend.xml`,
};

/** The examples and exit codes in every command's help, and one-line usage errors. */
export function addHelp(program: Command): void {
  program.addHelpText('after', `${EXIT_CODE_HELP}\n\nRun "sevenstick <command> --help" for a command's options and examples.`);
  program.showHelpAfterError(false);
  for (const cmd of program.commands) {
    cmd.showHelpAfterError(false);
    const usage = USAGE[cmd.name()];
    if (usage) cmd.usage(usage);
    cmd.addHelpText('after', `${EXAMPLES[cmd.name()] ?? ''}\n${EXIT_CODE_HELP}`);
    // A usage error: commander's one line ("error: …"), then this command's usage and where to read more.
    cmd.configureOutput({
      outputError: (str, write) => write(`${str.trimEnd()}\nUsage: sevenstick ${cmd.name()} ${cmd.usage()}\nRun "sevenstick ${cmd.name()} --help" for the options, examples and exit codes.\n`),
    });
  }
}
