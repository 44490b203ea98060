/** `sevenstick verify <target> --image <image> [--json]` — re-verify a stick against its image. */
import type { Command } from 'commander';
import { EXIT_CODES, verifyStick } from '../../engine/index.js';
import type { Translator } from '../../shared/i18n/translator.js';
import { runCommand } from '../output.js';
import { interruptSignal } from './common.js';
import { verifyReport } from '../verify-report.js';

export function registerVerify(program: Command, tr: Translator): void {
  program
    .command('verify')
    .description(tr.t('cli.verify.description'))
    .argument('<target>', tr.t('cli.verify.argument.target'))
    .requiredOption('--image <image>', tr.t('cli.verify.option.image'))
    .option('--json', tr.t('cli.option.jsonLines'))
    .action(async (target: string, o: { image: string; json?: boolean }) => {
      await runCommand({ json: !!o.json, tr }, async (out) => {
        const signal = interruptSignal();
        out.startJob(['verifying']);
        const r = await verifyStick(target, o.image, { signal, onProgress: (p) => out.progress(p) });
        out.stopBar();
        if (o.json) {
          out.line({ type: 'result', ...r });
        } else {
          for (const l of verifyReport(tr, target, o.image, r)) out.info(l);
        }
        return r.ok ? 0 : EXIT_CODES.E_VERIFY;
      });
    });
}
