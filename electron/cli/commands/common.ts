/** Helpers the device commands share: sizes, confirmation, Ctrl-C. */
import { createInterface } from 'node:readline/promises';
import { EXIT_CODES, widenIoThreadPool } from '../../engine/index.js';
import { CliError } from '../i18n.js';

// Before the first asynchronous file operation (this module loads with the CLI, before any command runs).
widenIoThreadPool();

/** Parses N, NK, NM, NG (powers of 1024) into bytes. */
export function parseSize(text: string): number {
  const m = /^(\d+)([KMGT]?)(i?B)?$/i.exec(text.trim());
  if (!m) throw new CliError('E_ARGS', { key: 'cli.size.bad', values: { text } });
  const mult = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[(m[2] ?? '').toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'];
  const n = Number(m[1]) * mult;
  if (n === 0) throw new CliError('E_ARGS', { key: 'cli.size.zero', values: { text } });
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new CliError('E_ARGS', { key: 'cli.size.tooLarge', values: { text, max: `${Math.floor(Number.MAX_SAFE_INTEGER / 1024 ** 4)}T` } });
  }
  return n;
}

/** What the user types to confirm, in every language (scripts and habits rely on it). */
export const CONFIRM_WORD = 'yes';

/**
 * Asks on the terminal for the word "yes" (the prompt says so; nothing else is accepted); refuses
 * (E_SAFETY) when there is no terminal. Ctrl-C at the prompt cancels (E_CANCELLED, exit 130).
 */
export async function confirm(question: string, signal?: AbortSignal): Promise<void> {
  if (!process.stdin.isTTY) {
    throw new CliError('E_SAFETY', { key: 'cli.confirm.noTerminal' });
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const cancelled = (): CliError => new CliError('E_CANCELLED', { key: 'cli.confirm.cancelled' });
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      // In raw mode Ctrl-C reaches readline, not the process: it is a cancel, like Ctrl-C later on.
      rl.once('SIGINT', () => reject(cancelled()));
      rl.once('close', () => reject(new CliError('E_SAFETY', { key: 'cli.confirm.endOfInput' })));
      signal?.addEventListener('abort', () => reject(cancelled()), { once: true });
      rl.question(question).then(resolve, () => reject(cancelled()));
    });
    if (answer.trim().toLowerCase() !== CONFIRM_WORD) throw new CliError('E_SAFETY', { key: 'cli.confirm.notConfirmed', values: { answer: answer.trim(), word: CONFIRM_WORD } });
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

