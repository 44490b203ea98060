/**
 * `sevenstick inspect <image> [--hash] [--json]` (README, "Command line"). With --json, stdout carries exactly
 * one JSON object (the result, or {"type":"error",…}); hashing progress always goes to stderr.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { closeSync, openSync, readSync } from 'node:fs';
import { inspectImage, mbrBootCode, type InspectResult } from '../../engine/index.js';
import { formatBytes } from '../../shared/format.js';
import { Output, runCommand } from '../output.js';

/** Words for the partition types a hybrid image or a stick uses. */
function partitionKind(type: number): string {
  const names: Record<number, string> = { 0x00: 'empty', 0x01: 'FAT12', 0x06: 'FAT16', 0x07: 'NTFS or exFAT', 0x0b: 'FAT32', 0x0c: 'FAT32', 0x0e: 'FAT16', 0x17: 'hidden NTFS (ISO data)', 0x83: 'Linux', 0xee: 'GPT protective', 0xef: 'EFI system' };
  return names[type] ?? `type 0x${type.toString(16)}`;
}

/** Words into lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line && line.length + 1 + w.length > width) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  out.push(line);
  return out;
}

/** Whether sector 0 holds SevenStick's own MBR boot code (a stick or disk image it wrote). */
export function isOwnStick(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(440);
      readSync(fd, head, 0, 440, 0);
      return head.equals(mbrBootCode());
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

export function formatInspect(r: InspectResult, ownStick = false): string {
  const lines: string[] = [];
  // A long value wraps at 80 columns under its own column, so a wrapped warning keeps its indent.
  const row = (k: string, v: string): void => {
    const wrapped = wrap(v, 80 - 12);
    wrapped.forEach((l, i) => lines.push(`${(i === 0 ? k + ':' : '').padEnd(12)}${l}`));
  };
  row('Image', `${r.path} (${formatBytes(r.size)}, ${r.size} bytes)`);
  row('Kind', r.kind === 'windows' ? 'Windows setup media' : ownStick ? 'a stick (or disk image) SevenStick wrote: MBR, FAT32 and SevenStick’s boot code — write the ISO instead, or check it with "sevenstick verify <it> --image <the ISO>"' : r.kind === 'hybrid' ? 'hybrid image: it has its own partition table and boot code, so it is copied byte for byte' : 'raw disk image (copied byte for byte)');
  if (r.label) row('Label', r.label);
  const fs = r.filesystem;
  const parts: string[] = [];
  if (fs.udf) parts.push(`UDF ${fs.udf.revision}${fs.udf.partitionMaps.some((m) => m.kind === 'metadata') ? ' (metadata partition)' : ''}`);
  if (fs.iso9660) parts.push(`ISO 9660${fs.joliet ? ' + Joliet' : ''}`);
  if (parts.length) row('Filesystem', `${parts.join(', ')}${fs.type ? ` — files read from ${fs.type === 'udf' ? 'UDF' : fs.joliet ? 'Joliet' : 'ISO 9660'}` : ''}`);
  for (const e of fs.elTorito) {
    const segment = e.loadSegment || 0x7c0;
    row('Boot entry', `for ${e.platform === 'efi' ? 'UEFI' : e.platform === 'x86' ? 'BIOS' : e.platform} from a CD/DVD (El Torito, ${e.mediaType === 'no-emulation' ? 'no emulation' : e.mediaType})${e.bootable ? '' : ', marked not bootable'}, ${formatBytes(e.sectorCount * 512)} of boot code${segment === 0x7c0 ? '' : ', loaded at an unusual address'}`);
  }
  if (r.partitionTable) {
    const pt = r.partitionTable;
    row('Partitions', `${pt.kind.toUpperCase()} table: ${pt.partitions.map((p) => `partition ${p.index}: ${partitionKind(p.type)}, ${formatBytes(p.sectors * 512)} from ${formatBytes(p.start * 512)}${p.bootable ? ', active' : ''}`).join('; ') || 'only a protective entry'}`);
  }
  const w = r.windows;
  if (w) {
    row('Windows', `${w.product}${w.sp ? ` SP${w.sp}` : ''}${w.version ? ` (${w.version})` : ''}, ${w.arch}`);
    row('UEFI boot', w.uefi ? `possible${w.uefiBoot === 'install.wim' ? ' (efi/boot/bootx64.efi will be taken from install.wim, SHA-1 checked)' : ''}` : 'no (BIOS/CSM only)');
    for (const e of w.editions) row('Edition', `${e.index}: ${e.name} (${e.editionId || '?'}, ${e.arch})`);
    if (w.languages.length) row('Languages', w.languages.join(', '));
    if (w.fitsIfOnlyEdition) {
      row('FAT32', w.fitsIfOnlyEdition.length
        ? `install.wim is too large for FAT32; it fits if only edition ${w.fitsIfOnlyEdition.join(' or ')} is kept (write --edition N --only-edition)`
        : 'install.wim is too large for FAT32, even with only one edition kept');
    }
    for (const x of w.warnings) row('Warning', x.message);
  }
  if (r.sha1) row('SHA-1', r.sha1);
  if (r.sha256) row('SHA-256', r.sha256);
  if (r.catalogMatch !== undefined) {
    const m = r.catalogMatch;
    row('Catalog', m ? `${m.message}${m.source ? ` (source: ${m.source}${m.singleSource ? '; listed by one source only' : ''})` : ''}` : 'no match among known official releases');
  }
  if (r.catalogMismatch) {
    const x = r.catalogMismatch;
    row('Warning', x.message);
    if (x.expectedSha1) row('Listed', `SHA-1 ${x.expectedSha1} (${x.file})`);
    if (x.expectedSha256) row('Listed', `SHA-256 ${x.expectedSha256} (${x.file})`);
  }
  for (const c of r.catalogWarnings ?? []) row('Catalog', c);
  return lines.join('\n');
}

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('Show what an image is: filesystem, label, boot entries, Windows version and editions (and checksums with --hash)')
    .argument('<image>', 'ISO or disk image file')
    .option('--hash', 'also compute SHA-1 and SHA-256 and match them against known official releases')
    .option('--json', 'print one JSON object')
    .action(async (image: string, o: { hash?: boolean; json?: boolean }) => {
      const json = o.json === true;
      await runCommand({ json }, async (out) => {
        // Progress never goes to stdout here: stderr, as a bar on a TTY or plain lines.
        const progressOut = new Output({ json: false });
        progressOut.startJob(['hashing'], basename(image));
        try {
          const r = await inspectImage(image, { hash: o.hash === true, onProgress: (p) => progressOut.progress(p) });
          progressOut.stopBar();
          if (json) out.line(r);
          else process.stdout.write(formatInspect(r, r.kind === 'hybrid' && isOwnStick(image)) + '\n');
        } finally {
          progressOut.stopBar();
        }
      });
    });
}
