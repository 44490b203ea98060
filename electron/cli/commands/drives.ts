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
import { formatBytes } from '../../shared/format.js';

/** Each reason in a few words, for the table (the JSON keeps the full sentences). */
const REASON: Record<ConstraintCode, string> = {
  partition: 'a partition, not a whole drive',
  system: 'system drive',
  source: 'holds the image',
  'read-only': 'read-only',
  'too-small': 'too small for the image',
  'unknown-size': 'unknown size',
  large: 'over 64 GB',
  'not-removable': 'not removable',
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

/** drivelist names some disks only by a PCI vendor code: say what it is. */
function describe(description: string): string {
  if (/^0x1af4$/i.test(description)) return 'virtual disk (virtio)';
  return /^0x[0-9a-f]{4}$/i.test(description) ? `disk without a model name (vendor ${description})` : description;
}

/** The table: headers, one row per drive, the reasons in words. */
export function drivesTable(rows: readonly (Drive & { constraints: Constraint[] })[]): string[] {
  const cells = rows.map((d) => {
    const errors = d.constraints.filter((c) => c.severity === 'error').map((c) => REASON[c.code]);
    const warnings = d.constraints.filter((c) => c.severity === 'warning').map((c) => REASON[c.code]);
    const status = [errors.length ? `refused: ${errors.join(', ')}` : 'ok', ...(warnings.length ? [`check: ${warnings.join(', ')}`] : [])].join('; ');
    const what = d.bus === 'loop' && d.backingFile ? `loop over ${d.backingFile}` : `${describe(d.description)}${d.serial ? ` [${d.serial}]` : ''}`;
    return [d.device, formatBytes(d.size), d.bus === 'unknown' ? '—' : d.bus, what, status];
  });
  const head = ['DEVICE', 'SIZE', 'BUS', 'DESCRIPTION', 'STATUS'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  // The description gives way when the line would be long; the status is never cut.
  const descMax = Math.max(24, 79 - widths.filter((_, i) => i !== 3 && i !== 4).reduce((a, b) => a + b + 2, 0) - Math.min(widths[4] ?? 0, 30) - 2);
  widths[3] = Math.min(widths[3] ?? 0, descMax);
  const fmt = (c: string[]): string =>
    c
      .map((x, i) => {
        const w = widths[i] ?? 0;
        // A loop device's file keeps its name: its path is cut from the left.
        const cut = i !== 3 || x.length <= w ? x : x.startsWith('loop over ') ? `loop over …${x.slice(x.length - (w - 11))}` : `${x.slice(0, w - 1)}…`;
        return i === 4 ? cut : i === 1 ? cut.padStart(w) : cut.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  return [fmt(head), ...cells.map(fmt)];
}

export function registerDrives(program: Command): void {
  program
    .command('drives')
    .description('List drives that can be written (--all: every drive, with why it is refused)')
    .option('--all', 'also list system drives, fixed disks, loop devices and drives of unknown size')
    .option('--image <image>', 'also check each drive against this image (holds the image, too small)')
    .option('--json', 'print JSON')
    .action(async (o: { all?: boolean; image?: string; json?: boolean }) => {
      await runCommand({ json: !!o.json }, async (out) => {
        // Loop devices with a file attached are targets `write` accepts: listed too (bus "loop").
        const drives = await listDrives({ all: !!o.all, sources: [drivelistDrives, envTestDrives, linuxLoopDrives] });
        const loc = o.image !== undefined ? locateImage(o.image) : undefined;
        const rows: (Drive & { constraints: Constraint[] })[] = [];
        for (const d of drives) rows.push({ ...d, constraints: o.image !== undefined && loc ? await imageConstraints(d, o.image, loc) : checkDrive(d) });
        if (o.json) {
          out.line({ type: 'result', drives: rows });
          return 0;
        }
        if (rows.length === 0) out.info(o.all ? 'No drives found.' : 'No usable drives found (try --all).');
        else for (const l of drivesTable(rows)) out.info(l);
        return 0;
      });
    });
}
