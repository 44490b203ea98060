#!/usr/bin/env node
/**
 * Entry point of the privileged helper: `helper/index.js --dir <private dir> [--hello-timeout-ms N]`.
 * Started elevated by the GUI (pkexec / UAC / macOS admin prompt) or directly when the GUI already
 * runs as root. The token is read from <dir>/token (never argv); under pkexec, PKEXEC_UID names the
 * user who asked. Exit codes as the CLI's (README).
 */
import { widenIoThreadPool } from '../engine/index.js';
import { defaultEngine } from './engine.js';
import { exitFor, runHelper } from './server.js';

/** The tools the engine runs (umount, blockdev, partx, lsblk, id) come from the system's folders only. */
export const HELPER_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  if (process.platform !== 'win32') process.env.PATH = HELPER_PATH;
  widenIoThreadPool();
  const dir = arg('--dir');
  if (!dir || (!dir.startsWith('/') && !/^[A-Za-z]:\\/.test(dir))) {
    process.stderr.write('sevenstick-helper: --dir <absolute path> is required\n');
    return 2;
  }
  const timeout = Number(arg('--hello-timeout-ms') ?? 20_000);
  const pkexecUid = process.env.PKEXEC_UID !== undefined && /^\d+$/.test(process.env.PKEXEC_UID) ? Number(process.env.PKEXEC_UID) : undefined;
  const outcome = await runHelper({
    dir,
    engine: defaultEngine(),
    helloTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? Math.min(timeout, 600_000) : 20_000,
    expectedUid: pkexecUid !== undefined && Number.isSafeInteger(pkexecUid) ? pkexecUid : undefined,
    log: (l) => process.stderr.write(l + '\n'),
  });
  return outcome.code;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    const err = e as { error?: { code?: string }; message?: string };
    process.stderr.write(`sevenstick-helper: ${err?.message ?? String(e)}\n`);
    process.exit(exitFor(err?.error?.code === 'E_SAFETY' ? 'E_SAFETY' : 'E_IO'));
  },
);
