/**
 * Test users for attack tests: unprivileged accounts made with useradd, and node scripts run as them
 * with setpriv (real uid, gid and groups of that user). The scripts are plain JavaScript written to a
 * world-readable temp folder, so they run whatever folder the repository sits in.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, runOk } from './tools.js';

export interface TestUser {
  name: string;
  uid: number;
  gid: number;
}

/** The account `name`, created (no home, no login shell) when missing. Needs root. */
export async function ensureUser(name: string): Promise<TestUser> {
  let r = await run('id', ['-u', name]);
  if (r.code !== 0) {
    await runOk('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', '--user-group', name]);
    r = await runOk('id', ['-u', name]);
  }
  const gid = Number((await runOk('id', ['-g', name])).stdout.trim());
  return { name, uid: Number(r.stdout.trim()), gid };
}

let scriptDir: string | undefined;

/** Writes a script everyone can read and run; returns its path. */
export function userScript(name: string, source: string): string {
  if (!scriptDir) {
    scriptDir = mkdtempSync(join(tmpdir(), 'sevenstick-user-scripts-'));
    chmodSync(scriptDir, 0o755);
  }
  const path = join(scriptDir, name);
  writeFileSync(path, source, { mode: 0o644 });
  chmodSync(path, 0o644);
  return path;
}

export interface UserProcess {
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  kill(): void;
}

/** Runs `node script args…` as the user, with a cleared environment. */
export function runAsUser(user: TestUser, script: string, args: readonly string[] = [], opts: { cwd?: string } = {}): UserProcess {
  const child = spawn('setpriv', ['--reuid', String(user.uid), '--regid', String(user.gid), '--init-groups', '--', process.execPath, script, ...args], {
    cwd: opts.cwd ?? '/',
    env: { PATH: '/usr/bin:/bin' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { done, kill: () => child.kill('SIGKILL') };
}
