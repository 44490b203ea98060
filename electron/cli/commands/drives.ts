/** `sevenstick drives [--all] [--image <image>] [--json]` */
import type { Command } from 'commander';
import {
  checkDrive,
  drivelistDrives,
  envTestDrives,
  isSevenStickError,
  linuxLoopDrives,
  listDrives,
  locateImage,
  openImageStream,
  type Constraint,
  type ConstraintCode,
  type Drive,
  type ImageLocation,
} from '../../engine/index.js';
import { runCommand } from '../output.js';
import type { MessageKey } from '../../shared/i18n/catalog.js';
import { driveName } from '../../shared/i18n/phrases.js';
import type { Translator } from '../../shared/i18n/translator.js';
import { cols, padEndCols, padStartCols, cutEndCols, cutStartCols } from '../columns.js';

/** Each reason in a few words, for the table (the JSON keeps the full sentences). */
const REASON: Record<ConstraintCode, MessageKey> = {
  partition: 'cli.drives.reason.partition',
  system: 'cli.drives.reason.system',
  source: 'cli.drives.reason.source',
  'read-only': 'cli.drives.reason.readOnly',
  'too-small': 'cli.drives.reason.tooSmall',
  'unknown-size': 'cli.drives.reason.unknownSize',
  large: 'cli.drives.reason.large',
  'not-removable': 'cli.drives.reason.notRemovable',
};

/** What the image asks of a drive: it must not hold the image, and it must be large enough for it. */
async function imageConstraints(d: Drive, image: string, loc: ImageLocation): Promise<Constraint[]> {
  const list = checkDrive(d, { image: loc });
  if (d.size === null || d.size <= 0 || list.some((c) => c.code === 'source')) return list;
  try {
    // The stream for this drive's size: a Windows layout that does not fit, or a raw image larger than the drive, is too small.
    const s = await openImageStream({ image, mode: 'auto', targetSize: d.size, vhd: false });
    const size = s.stream.size;
    await s.close();
    return checkDrive(d, { image: loc, requiredBytes: size });
  } catch (e) {
    if (isSevenStickError(e) && e.code === 'E_TARGET_TOO_SMALL') {
      const needed = e.details['needed'];
      const params = { device: d.device, sizeBytes: d.size, ...(typeof needed === 'number' ? { requiredBytes: needed } : {}) };
      return checkDrive(d, { image: loc }).concat({ severity: 'error', code: 'too-small', message: e.message, params });
    }
    throw e;
  }
}

/** The table: headers, one row per drive, the reasons in words. */
export function drivesTable(tr: Translator, rows: readonly (Drive & { constraints: Constraint[] })[]): string[] {
  const reasons = (d: Drive & { constraints: Constraint[] }, severity: Constraint['severity']): string =>
    tr.list(d.constraints.filter((c) => c.severity === severity).map((c) => tr.t(REASON[c.code])));
  // The table's short form; elsewhere a loop device reads "Loop device over <file>" (driveName).
  const loopOver = (file: string): string => tr.t('cli.drives.loopOver', { file });
  const cells = rows.map((d) => {
    const errors = d.constraints.some((c) => c.severity === 'error');
    const warnings = d.constraints.some((c) => c.severity === 'warning');
    const status = [errors ? tr.t('cli.drives.refused', { reasons: reasons(d, 'error') }) : tr.t('cli.drives.ok'), ...(warnings ? [tr.t('cli.drives.check', { reasons: reasons(d, 'warning') })] : [])].join('; ');
    const what = d.bus === 'loop' && d.backingFile ? loopOver(d.backingFile) : `${driveName(tr, d)}${d.serial ? ` [${d.serial}]` : ''}`;
    return { cells: [d.device, tr.bytes(d.size), d.bus === 'unknown' ? '—' : d.bus, what, status], loopFile: d.bus === 'loop' && d.backingFile ? d.backingFile : undefined };
  });
  const head = [tr.t('cli.drives.head.device'), tr.t('cli.drives.head.size'), tr.t('cli.drives.head.bus'), tr.t('cli.drives.head.description'), tr.t('cli.drives.head.status')];
  const widths = head.map((h, i) => Math.max(cols(h), ...cells.map((c) => cols(c.cells[i] ?? ''))));
  // The description gives way when the line would be long; the status is never cut.
  const descMax = Math.max(24, 79 - widths.filter((_, i) => i !== 3 && i !== 4).reduce((a, b) => a + b + 2, 0) - Math.min(widths[4] ?? 0, 30) - 2);
  widths[3] = Math.min(widths[3] ?? 0, descMax);
  const fmt = (c: readonly string[], loopFile?: string): string =>
    c
      .map((x, i) => {
        const w = widths[i] ?? 0;
        // A loop device's file keeps its name: its path is cut from the left.
        const cut = i !== 3 || cols(x) <= w ? x : loopFile ? loopOver(cutStartCols(loopFile, w - cols(loopOver('')))) : cutEndCols(x, w);
        return i === 4 ? cut : i === 1 ? padStartCols(cut, w) : padEndCols(cut, w);
      })
      .join('  ')
      .trimEnd();
  return [fmt(head), ...cells.map((c) => fmt(c.cells, c.loopFile))];
}

export function registerDrives(program: Command, tr: Translator): void {
  program
    .command('drives')
    .description(tr.t('cli.drives.description'))
    .option('--all', tr.t('cli.drives.option.all'))
    .option('--image <image>', tr.t('cli.drives.option.image'))
    .option('--json', tr.t('cli.drives.option.json'))
    .action(async (o: { all?: boolean; image?: string; json?: boolean }) => {
      await runCommand({ json: !!o.json, tr }, async (out) => {
        // Loop devices with a file attached are targets `write` accepts: listed too (bus "loop").
        const drives = await listDrives({ all: !!o.all, sources: [drivelistDrives, envTestDrives, linuxLoopDrives] });
        const loc = o.image !== undefined ? locateImage(o.image) : undefined;
        const rows: (Drive & { constraints: Constraint[] })[] = [];
        for (const d of drives) rows.push({ ...d, constraints: o.image !== undefined && loc ? await imageConstraints(d, o.image, loc) : checkDrive(d) });
        if (o.json) {
          out.line({ type: 'result', drives: rows });
          return 0;
        }
        if (rows.length === 0) out.info(o.all ? tr.t('cli.drives.none') : tr.t('cli.drives.noneUsable'));
        else for (const l of drivesTable(tr, rows)) out.info(l);
        return 0;
      });
    });
}
