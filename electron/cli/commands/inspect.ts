/**
 * `sevenstick inspect <image> [--hash] [--json]` (README, "Command line"). With --json, stdout carries exactly
 * one JSON object (the result, or {"type":"error",…}); hashing progress always goes to stderr.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { inspectImage, type InspectResult } from '../../engine/index.js';
import { formatBytes } from '../../shared/format.js';
import { Output, runCommand } from '../output.js';

export function formatInspect(r: InspectResult): string {
  const lines: string[] = [];
  const row = (k: string, v: string): void => {
    lines.push(`${(k + ':').padEnd(12)}${v}`);
  };
  row('Image', `${r.path} (${formatBytes(r.size)}, ${r.size} bytes)`);
  row('Kind', r.kind === 'windows' ? 'Windows setup media' : r.kind === 'hybrid' ? 'hybrid image (copied byte for byte)' : 'raw disk image (copied byte for byte)');
  if (r.label) row('Label', r.label);
  const fs = r.filesystem;
  const parts: string[] = [];
  if (fs.udf) parts.push(`UDF ${fs.udf.revision}${fs.udf.partitionMaps.some((m) => m.kind === 'metadata') ? ' (metadata partition)' : ''}`);
  if (fs.iso9660) parts.push(`ISO 9660${fs.joliet ? ' + Joliet' : ''}`);
  if (parts.length) row('Filesystem', `${parts.join(', ')}${fs.type ? ` — files read from ${fs.type === 'udf' ? 'UDF' : fs.joliet ? 'Joliet' : 'ISO 9660'}` : ''}`);
  for (const e of fs.elTorito) {
    row('El Torito', `${e.platform} ${e.mediaType}${e.bootable ? '' : ' (not bootable)'}, ${e.sectorCount} sectors at segment 0x${(e.loadSegment || 0x7c0).toString(16).toUpperCase()} from sector ${e.loadRba}`);
  }
  if (r.partitionTable) {
    const pt = r.partitionTable;
    row('Partitions', `${pt.kind.toUpperCase()}: ${pt.partitions.map((p) => `#${p.index} type 0x${p.type.toString(16)} at ${p.start}+${p.sectors}${p.bootable ? ' (active)' : ''}`).join('; ') || 'protective only'}`);
  }
  const w = r.windows;
  if (w) {
    row('Windows', `${w.product}${w.sp ? ` SP${w.sp}` : ''}${w.version ? ` (${w.version})` : ''}, ${w.arch}`);
    row('UEFI boot', w.uefi ? `possible${w.uefiBoot === 'install.wim' ? ' (efi/boot/bootx64.efi will be taken from install.wim, SHA-1 checked)' : ''}` : 'no (BIOS/CSM only)');
    for (const e of w.editions) row('Edition', `${e.index}: ${e.name} (${e.editionId || '?'}, ${e.arch})`);
    if (w.languages.length) row('Languages', w.languages.join(', '));
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
          else process.stdout.write(formatInspect(r) + '\n');
        } finally {
          progressOut.stopBar();
        }
      });
    });
}
