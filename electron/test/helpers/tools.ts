/**
 * Test helpers: running outside tools (the oracles), temp dirs, and cached fixtures.
 * Fixtures are built by scripts in scripts/fixtures/ into build/fixtures/, once per
 * version of the fixture scripts (the cache key hashes every file in scripts/fixtures/,
 * since builders call each other, plus the arguments).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Repository root (tests run from build/electron/test/...). */
export const REPO = resolve(__dirname, '..', '..', '..', '..');
export const FIXTURES = join(REPO, 'build', 'fixtures');

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a command; never throws for a non-zero exit (the caller asserts on `code`). `input` is written to its stdin. */
export function run(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; input?: string | Buffer; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args as string[], { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
    child.on('error', (e) => {
      clearTimeout(timer);
      resolvePromise({ stdout: '', stderr: String(e), code: -1 });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? -1 });
    });
  });
}

/** Runs a command and throws with its stderr if it fails. */
export async function runOk(cmd: string, args: readonly string[], opts: Parameters<typeof run>[2] = {}): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}: ${r.stderr || r.stdout}`);
  return r;
}

/** Runs a command synchronously and throws with its output if it fails. */
export function runOkSync(cmd: string, args: readonly string[]): void {
  const r = spawnSync(cmd, args as string[], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? 'by a signal'}: ${r.stderr || r.stdout}`);
}

export function hasTool(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export function tempDir(prefix = 'sevenstick-test-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

let scriptsDigest: string | undefined;
/** Hash over every file in scripts/fixtures/ (names and contents). */
function fixtureScriptsDigest(): string {
  if (scriptsDigest === undefined) {
    const dir = join(REPO, 'scripts', 'fixtures');
    const h = createHash('sha256');
    for (const f of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name).sort()) {
      h.update(f).update(readFileSync(join(dir, f)));
    }
    scriptsDigest = h.digest('hex');
  }
  return scriptsDigest;
}

/**
 * Returns the path of a fixture built by `scripts/fixtures/<script> <out> ...args`, building it
 * on first use. The script must write its output to the path given as its first argument.
 */
export async function fixture(script: string, args: readonly string[] = [], outName?: string): Promise<string> {
  const scriptPath = join(REPO, 'scripts', 'fixtures', script);
  const key = createHash('sha256').update(fixtureScriptsDigest()).update(script).update(JSON.stringify(args)).digest('hex').slice(0, 12);
  const name = outName ?? `${script.replace(/\.[a-z]+$/, '')}${args.length ? '-' + args.join('-').replace(/[^A-Za-z0-9_.-]/g, '_') : ''}`;
  mkdirSync(FIXTURES, { recursive: true });
  const out = join(FIXTURES, `${name}.${key}`);
  if (existsSync(out)) return out;
  const tmp = `${out}.tmp${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const interp = script.endsWith('.py') ? '/usr/bin/python3' : 'bash';
  await runOk(interp, [scriptPath, tmp, ...args], { timeoutMs: 600_000 });
  try {
    renameSync(tmp, out);
  } catch (e) {
    // Another test process built the same fixture at the same time: keep theirs.
    if (!existsSync(out)) throw e;
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}
