/**
 * A command in a real pseudo-terminal (tmux, on a private server socket) and what a person sees: the
 * rendered screen and its scrollback (`capture-pane`), keys typed into it, and its exit code. tmux is
 * the terminal emulator, so \r, cursor moves and line clears are judged the way a terminal renders them.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './tools.js';

const EXIT = /\[sevenstick-tty-exit (\d+)\]/;
let counter = 0;

const quote = (w: string): string => `'${w.replace(/'/g, `'\\''`)}'`;

export interface Tty {
  /** The visible screen, trailing blanks trimmed. */
  screen(): Promise<string>;
  /** The scrollback and the screen: everything that stayed on the terminal. */
  history(): Promise<string>;
  /** Types keys (tmux key names: 'y', 'Enter', 'C-c'; literal text with literal=true). */
  send(keys: string, literal?: boolean): Promise<void>;
  /** Resolves with the history once `re` matches it (rejects after timeoutMs). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  /** The exit code, once the command has ended. */
  exitCode(timeoutMs?: number): Promise<number>;
  close(): Promise<void>;
}

export function hasTmux(): boolean {
  return spawnSync('sh', ['-c', 'command -v tmux']).status === 0;
}

/** Starts argv in a cols×rows terminal; `prefix` (e.g. setpriv …) runs it as someone else. */
export async function startTty(argv: readonly string[], opts: { cols?: number; rows?: number; env?: Record<string, string>; prefix?: readonly string[] } = {}): Promise<Tty> {
  const sock = `sevenstick-test-${process.pid}-${++counter}`;
  const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${quote(v)} `).join('');
  const cmd = `${env}${[...(opts.prefix ?? []), ...argv].map(quote).join(' ')}; echo "[sevenstick-tty-exit $?]"; sleep 3600`;
  const tmux = (...args: string[]) => run('tmux', ['-L', sock, ...args]);
  // Our own server and settings: a long history, and a cleared screen is not pushed into the history
  // (tmux's scroll-on-clear; a terminal such as xterm does not keep cleared lines either).
  const conf = join(tmpdir(), `${sock}.conf`);
  writeFileSync(conf, 'set -g history-limit 10000\nset -g scroll-on-clear off\n');
  const started = await tmux('-f', conf, 'new-session', '-d', '-x', String(opts.cols ?? 80), '-y', String(opts.rows ?? 24), '-s', 't', cmd);
  if (started.code !== 0) throw new Error(`tmux: ${started.stderr}`);
  const capture = async (all: boolean): Promise<string> =>
    (await tmux('capture-pane', '-p', '-t', 't', ...(all ? ['-S', '-'] : []))).stdout
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .replace(/\n+$/, '');
  const waitFor = async (re: RegExp, timeoutMs = 60_000): Promise<string> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const h = await capture(true);
      if (re.test(h)) return h;
      if (Date.now() > until) throw new Error(`timed out waiting for ${re} on the terminal:\n${h}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    screen: () => capture(false),
    history: () => capture(true),
    send: async (keys, literal = false) => {
      await tmux('send-keys', '-t', 't', ...(literal ? ['-l'] : []), keys);
    },
    waitFor,
    exitCode: async (timeoutMs = 60_000) => Number(EXIT.exec(await waitFor(EXIT, timeoutMs))?.[1]),
    close: async () => {
      await tmux('kill-server');
      rmSync(conf, { force: true });
    },
  };
}

/** The history without the exit marker line the harness adds. */
export function withoutMarker(text: string): string {
  return text
    .split('\n')
    .filter((l) => !EXIT.test(l))
    .join('\n');
}
