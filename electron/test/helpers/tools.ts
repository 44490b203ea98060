/**
 * Test helpers: running outside tools (the oracles), temp dirs, and cached fixtures.
 * Fixtures are built by scripts in scripts/fixtures/ into build/fixtures/, once per
 * script version (the cache key is a hash of the script and its arguments).
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

/** Repository root (tests run from build/electron/test/...). */
export const REPO = resolve(__dirname, '..', '..', '..', '..');
export const FIXTURES = join(REPO, 'build', 'fixtures');

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a command; never throws for a non-zero exit (the caller asserts on `code`). */
export async function run(cmd: string, args: readonly string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  try {
    const { stdout, stderr } = await execFileP(cmd, args as string[], {
      cwd: opts.cwd,
      env: opts.env,
      maxBuffer: 256 * 1024 * 1024,
      timeout: opts.timeoutMs ?? 120_000,
      encoding: 'utf8',
    });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number | string };
    return { stdout: err.stdout ?? '', stderr: err.stderr ?? String(e), code: typeof err.code === 'number' ? err.code : -1 };
  }
}

/** Runs a command and throws with its stderr if it fails. */
export async function runOk(cmd: string, args: readonly string[], opts: Parameters<typeof run>[2] = {}): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}: ${r.stderr || r.stdout}`);
  return r;
}

export function hasTool(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export function tempDir(prefix = 'sevenstick-test-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Returns the path of a fixture built by `scripts/fixtures/<script> <out> ...args`, building it
 * on first use. The script must write its output to the path given as its first argument.
 */
export async function fixture(script: string, args: readonly string[] = [], outName?: string): Promise<string> {
  const scriptPath = join(REPO, 'scripts', 'fixtures', script);
  const key = createHash('sha256').update(readFileSync(scriptPath)).update(JSON.stringify(args)).digest('hex').slice(0, 12);
  const name = outName ?? `${script.replace(/\.[a-z]+$/, '')}${args.length ? '-' + args.join('-').replace(/[^A-Za-z0-9_.-]/g, '_') : ''}`;
  mkdirSync(FIXTURES, { recursive: true });
  const out = join(FIXTURES, `${name}.${key}`);
  if (existsSync(out)) return out;
  const tmp = `${out}.tmp${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const interp = script.endsWith('.py') ? '/usr/bin/python3' : 'bash';
  await runOk(interp, [scriptPath, tmp, ...args], { timeoutMs: 600_000 });
  renameSync(tmp, out);
  return out;
}
