/** `sevenstick drives [--all] [--json]` */
import type { Command } from 'commander';
import { checkDrive, listDrives } from '../../engine/index.js';
import { runCommand } from '../output.js';
import { formatBytes } from '../../shared/format.js';

export function registerDrives(program: Command): void {
  program
    .command('drives')
    .description('List drives that can be written (--all: every drive, with why it is refused)')
    .option('--all', 'also list system drives, fixed disks and drives of unknown size')
    .option('--json', 'print JSON')
    .action(async (o: { all?: boolean; json?: boolean }) => {
      await runCommand({ json: !!o.json }, async (out) => {
        const drives = await listDrives({ all: !!o.all });
        const rows = drives.map((d) => ({ ...d, constraints: checkDrive(d) }));
        if (o.json) {
          out.line({ type: 'result', drives: rows });
          return 0;
        }
        if (rows.length === 0) out.info(o.all ? 'No drives found.' : 'No usable drives found (try --all).');
        for (const d of rows) {
          const flags = d.constraints.map((c) => `${c.severity === 'error' ? '✗' : '!'} ${c.code}`).join(', ');
          out.info(`${d.device.padEnd(16)} ${formatBytes(d.size).padStart(10)}  ${d.bus.padEnd(7)} ${d.description}${d.serial ? ` [${d.serial}]` : ''}${flags ? `  (${flags})` : ''}`);
        }
        return 0;
      });
    });
}
