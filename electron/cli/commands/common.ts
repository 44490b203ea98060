/** Helpers the device commands share: sizes, confirmation, Ctrl-C. */
import { createInterface } from 'node:readline/promises';
import { EXIT_CODES, SevenStickError, widenIoThreadPool } from '../../engine/index.js';

// Before the first asynchronous file operation (this module loads with the CLI, before any command runs).
widenIoThreadPool();

/** Parses N, NK, NM, NG (powers of 1024) into bytes. */
export function parseSize(text: string): number {
  const m = /^(\d+)([KMGT]?)(i?B)?$/i.exec(text.trim());
  if (!m) throw new SevenStickError('E_ARGS', `Bad size "${text}": use a number of bytes, or N followed by K, M or G`);
  const mult = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[(m[2] ?? '').toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'];
  const n = Number(m[1]) * mult;
  if (n === 0) throw new SevenStickError('E_ARGS', `Bad size "${text}": a disk image must be more than 0 bytes`);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new SevenStickError('E_ARGS', `Bad size "${text}": too large (at most ${Math.floor(Number.MAX_SAFE_INTEGER / 1024 ** 4)}T, about 8 PiB)`);
  }
  return n;
}

/**
 * Asks on the terminal for the word "yes" (the prompt says so; nothing else is accepted); refuses
 * (E_SAFETY) when there is no terminal. Ctrl-C at the prompt cancels (E_CANCELLED, exit 130).
 */
export async function confirm(question: string, signal?: AbortSignal): Promise<void> {
  if (!process.stdin.isTTY) {
    throw new SevenStickError('E_SAFETY', 'Refusing to erase drives without confirmation: stdin is not a terminal (use --yes to confirm)');
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const cancelled = (): SevenStickError => new SevenStickError('E_CANCELLED', 'Cancelled at the prompt: nothing was written');
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      // In raw mode Ctrl-C reaches readline, not the process: it is a cancel, like Ctrl-C later on.
      rl.once('SIGINT', () => reject(cancelled()));
      rl.once('close', () => reject(new SevenStickError('E_SAFETY', 'Not confirmed (end of input): nothing was written')));
      signal?.addEventListener('abort', () => reject(cancelled()), { once: true });
      rl.question(question).then(resolve, () => reject(cancelled()));
    });
    if (answer.trim().toLowerCase() !== 'yes') throw new SevenStickError('E_SAFETY', `Not confirmed ("${answer.trim()}" is not "yes"): nothing was written`);
  } finally {
    rl.close();
  }
}

/** An AbortSignal fired by Ctrl-C (SIGINT/SIGTERM); a second Ctrl-C exits at once with 130. */
export function interruptSignal(): AbortSignal {
  const ac = new AbortController();
  const onSig = (): void => {
    if (ac.signal.aborted) process.exit(EXIT_CODES.E_CANCELLED);
    ac.abort();
  };
  process.on('SIGINT', onSig);
  process.on('SIGTERM', onSig);
  return ac.signal;
}

