/**
 * `sevenstick inspect <image> [--hash] [--json]` (README, "Command line"). With --json, stdout carries exactly
 * one JSON object (the result, or {"type":"error",…}); hashing progress always goes to stderr.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { closeSync, openSync, readSync } from 'node:fs';
import { inspectImage, mbrBootCode, type InspectResult } from '../../engine/index.js';
import type { MessageKey } from '../../shared/i18n/catalog.js';
import { noticeText } from '../../shared/i18n/phrases.js';
import type { Translator } from '../../shared/i18n/translator.js';
import { Output, runCommand } from '../output.js';
import { cols, padEndCols, wrapCols } from '../columns.js';

/** Words for the partition types a hybrid image or a stick uses. */
const PARTITION_KINDS: Readonly<Record<number, MessageKey>> = {
  0x00: 'cli.inspect.partition.empty',
  0x01: 'cli.inspect.partition.fat12',
  0x06: 'cli.inspect.partition.fat16',
  0x07: 'cli.inspect.partition.ntfs',
  0x0b: 'cli.inspect.partition.fat32',
  0x0c: 'cli.inspect.partition.fat32',
  0x0e: 'cli.inspect.partition.fat16',
  0x17: 'cli.inspect.partition.hiddenNtfs',
  0x83: 'cli.inspect.partition.linux',
  0xee: 'cli.inspect.partition.gptProtective',
  0xef: 'cli.inspect.partition.efiSystem',
};

function partitionKind(tr: Translator, type: number): string {
  const key = PARTITION_KINDS[type];
  return key ? tr.t(key) : tr.t('cli.inspect.partition.type', { type: `0x${type.toString(16)}` });
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

/** The row labels' column (in terminal columns): 12 wide in English, wider when a language's labels need it. */
function labelWidth(labels: readonly string[]): number {
  return Math.max(12, ...labels.map((l) => cols(l) + 1));
}

export function formatInspect(tr: Translator, r: InspectResult, ownStick = false): string {
  const rows: [string, string][] = [];
  const row = (k: MessageKey, v: string): void => {
    rows.push([tr.t(k), v]);
  };
  const bytes = (n: number): string => tr.bytes(n);
  row('cli.inspect.label.image', tr.t('cli.inspect.image', { path: r.path, size: tr.bytes(r.size), count: r.size, exact: String(r.size) }));
  row(
    'cli.inspect.label.kind',
    r.kind === 'windows'
      ? tr.t('cli.inspect.kind.windows')
      : ownStick
        ? tr.t('cli.inspect.kind.ownStick')
        : r.kind === 'hybrid'
          ? tr.t('cli.inspect.kind.hybrid')
          : tr.t('cli.inspect.kind.raw'),
  );
  if (r.label) row('cli.inspect.label.label', r.label);
  const fs = r.filesystem;
  const parts: string[] = [];
  if (fs.udf) parts.push(fs.udf.partitionMaps.some((m) => m.kind === 'metadata') ? tr.t('cli.inspect.fs.udfMetadata', { revision: fs.udf.revision }) : tr.t('cli.inspect.fs.udf', { revision: fs.udf.revision }));
  if (fs.iso9660) parts.push(fs.joliet ? tr.t('cli.inspect.fs.isoJoliet') : tr.t('cli.inspect.fs.iso'));
  if (parts.length) {
    const list = parts.join(', ');
    row('cli.inspect.label.filesystem', fs.type ? tr.t('cli.inspect.fs.readFrom', { list, from: fs.type === 'udf' ? 'UDF' : fs.joliet ? 'Joliet' : 'ISO 9660' }) : list);
  }
  for (const e of fs.elTorito) {
    const segment = e.loadSegment || 0x7c0;
    const platform = e.platform === 'efi' ? 'UEFI' : e.platform === 'x86' ? 'BIOS' : e.platform;
    const media = e.mediaType === 'no-emulation' ? tr.t('cli.inspect.boot.noEmulation') : e.mediaType;
    row(
      'cli.inspect.label.bootEntry',
      tr.t('cli.inspect.boot.entry', {
        platform,
        media,
        bootable: e.bootable ? 'yes' : 'no',
        size: bytes(e.sectorCount * 512),
        usualAddress: segment === 0x7c0 ? 'yes' : 'no',
      }),
    );
  }
  if (r.partitionTable) {
    const pt = r.partitionTable;
    const list = pt.partitions.map((p) =>
      tr.t('cli.inspect.partition', { index: p.index, kind: partitionKind(tr, p.type), size: bytes(p.sectors * 512), start: bytes(p.start * 512), active: p.bootable ? 'yes' : 'no' }),
    );
    row('cli.inspect.label.partitions', tr.t('cli.inspect.partitions', { table: pt.kind.toUpperCase(), list: list.length ? list.join('; ') : tr.t('cli.inspect.partitions.protectiveOnly') }));
  }
  const w = r.windows;
  if (w) {
    row('cli.inspect.label.windows', `${w.product}${w.sp ? ` SP${w.sp}` : ''}${w.version ? ` (${w.version})` : ''}, ${w.arch}`);
    row('cli.inspect.label.uefiBoot', w.uefi ? (w.uefiBoot === 'install.wim' ? tr.t('cli.inspect.uefi.fromInstallWim') : tr.t('cli.inspect.uefi.possible')) : tr.t('cli.inspect.uefi.no'));
    for (const e of w.editions) row('cli.inspect.label.edition', `${e.index}: ${e.name} (${e.editionId || '?'}, ${e.arch})`);
    if (w.languages.length) row('cli.inspect.label.languages', w.languages.join(', '));
    if (w.fitsIfOnlyEdition) {
      row(
        'cli.inspect.label.fat32',
        w.fitsIfOnlyEdition.length
          ? tr.t('cli.inspect.fat32.fitsIfOnly', { editions: String(tr.intl.formatList(w.fitsIfOnlyEdition.map(String), { type: 'disjunction' })) })
          : tr.t('cli.inspect.fat32.tooLarge'),
      );
    }
    for (const x of w.warnings) row('cli.inspect.label.warning', noticeText(tr, x));
  }
  if (r.sha1) row('cli.inspect.label.sha1', r.sha1);
  if (r.sha256) row('cli.inspect.label.sha256', r.sha256);
  if (r.catalogMatch !== undefined) {
    const m = r.catalogMatch;
    let text = tr.t('cli.inspect.catalog.noMatch');
    if (m) {
      const match = tr.t('cli.inspect.catalog.match', { file: m.file });
      text = m.source ? tr.t(m.singleSource ? 'cli.inspect.catalog.matchOneSource' : 'cli.inspect.catalog.matchSource', { match, source: m.source }) : match;
    }
    row('cli.inspect.label.catalog', text);
  }
  if (r.catalogMismatch) {
    const x = r.catalogMismatch;
    const listed = x.expectedSha1 ? `SHA-1 ${x.expectedSha1}` : `SHA-256 ${x.expectedSha256 ?? ''}`;
    const actual = x.expectedSha1 ? `SHA-1 ${x.sha1}` : `SHA-256 ${x.sha256}`;
    row('cli.inspect.label.warning', tr.t('cli.inspect.catalog.modified', { file: x.file, listed, actual }));
    if (x.expectedSha1) row('cli.inspect.label.listed', `SHA-1 ${x.expectedSha1} (${x.file})`);
    if (x.expectedSha256) row('cli.inspect.label.listed', `SHA-256 ${x.expectedSha256} (${x.file})`);
  }
  for (const c of r.catalogWarnings ?? []) row('cli.inspect.label.catalog', c);
  // A long value wraps at 80 columns under its own column, so a wrapped warning keeps its indent.
  const width = labelWidth(rows.map(([k]) => k));
  const lines: string[] = [];
  for (const [k, v] of rows) wrapCols(v, 80 - width).forEach((l, i) => lines.push(`${padEndCols(i === 0 ? k : '', width)}${l}`));
  return lines.join('\n');
}

export function registerInspect(program: Command, tr: Translator): void {
  program
    .command('inspect')
    .description(tr.t('cli.inspect.description'))
    .argument('<image>', tr.t('cli.inspect.argument.image'))
    .option('--hash', tr.t('cli.inspect.option.hash'))
    .option('--json', tr.t('cli.inspect.option.json'))
    .action(async (image: string, o: { hash?: boolean; json?: boolean }) => {
      const json = o.json === true;
      await runCommand({ json, tr }, async (out) => {
        // Progress never goes to stdout here: stderr, as a bar on a TTY or plain lines.
        const progressOut = new Output({ json: false, tr });
        progressOut.startJob(['hashing'], basename(image));
        try {
          const r = await inspectImage(image, { hash: o.hash === true, onProgress: (p) => progressOut.progress(p) });
          progressOut.stopBar();
          if (json) out.line(r);
          else process.stdout.write(formatInspect(tr, r, r.kind === 'hybrid' && isOwnStick(image)) + '\n');
        } finally {
          progressOut.stopBar();
        }
      });
    });
}
