/** `sevenstick verify <target> --image <image> [--json]` — re-verify a stick against its image. */
import type { Command } from 'commander';
import { EXIT_CODES, verifyStick } from '../../engine/index.js';
import { runCommand } from '../output.js';
import { interruptSignal } from './common.js';
import { verifyReport } from '../verify-report.js';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('Check a written stick (or disk image file) against the image, file by file')
    .argument('<target>', 'the stick (or disk image file)')
    .requiredOption('--image <image>', 'the ISO or image it was written from')
    .option('--json', 'JSON Lines on stdout')
    .action(async (target: string, o: { image: string; json?: boolean }) => {
      await runCommand({ json: !!o.json }, async (out) => {
        const signal = interruptSignal();
        out.startJob(['verifying']);
        const r = await verifyStick(target, o.image, { signal, onProgress: (p) => out.progress(p) });
        out.stopBar();
        if (o.json) {
          out.line({ type: 'result', ...r });
        } else {
          for (const l of verifyReport(target, o.image, r)) out.info(l);
        }
        return r.ok ? 0 : EXIT_CODES.E_VERIFY;
      });
    });
}
