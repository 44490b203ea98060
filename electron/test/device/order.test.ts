/**
 * Ordered durability, seen from outside: the CLI's write runs under strace, and the trace of
 * pwrite/fdatasync on the loop device must read
 *   data … → fdatasync → backup boot sector, stage 2 → fdatasync → primary boot sector → fdatasync → MBR → fdatasync
 * (raw images: data → fdatasync → the first 64 KiB after sector 0 → fdatasync → sector 0 → fdatasync).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, hasTool, run, runOk, tempDir } from '../helpers/tools.js';
import { assertStickLayout, CLI, isRoot, MiB, withLoops } from './helpers.js';

const skip = !isRoot ? 'needs root (loop devices)' : !hasTool('strace') ? 'needs strace (scripts/ensure-tools.sh)' : false;

interface Call {
  name: 'write' | 'sync';
  offset: number;
  length: number;
  /** Index of the trace line that started / finished the call. */
  start: number;
  end: number;
}

/** The target's writes and flushes from an `strace -f -y -s 0` log, in the order they were issued. */
export function parseTrace(log: string, path: string): Call[] {
  const calls: Call[] = [];
  const pending = new Map<string, Call>();
  const lines = log.split('\n');
  lines.forEach((line, i) => {
    const m = /^(\d+)\s+(pwrite64|pwritev2?|fdatasync|fsync)\((\d+)<([^>]*)>(.*)$/.exec(line);
    if (m) {
      if (m[4] !== path) return;
      const rest = m[5] as string;
      let offset = -1;
      let length = 0;
      if (m[2] !== 'fdatasync' && m[2] !== 'fsync') {
        const a = /, (\d+), (\d+)(?:, \d+)?(?:\) += (-?\d+)| <unfinished \.\.\.>)/.exec(rest);
        assert.ok(a, `unparsed: ${line}`);
        length = Number(a[1]);
        offset = Number(a[2]);
      }
      const c: Call = { name: offset >= 0 ? 'write' : 'sync', offset, length, start: i, end: i };
      if (/<unfinished \.\.\.>$/.test(rest)) pending.set(m[1] as string, c);
      else assert.match(rest, /\) += \d+$/, `the call failed: ${line}`);
      calls.push(c);
      return;
    }
    const r = /^(\d+)\s+<\.\.\. (pwrite64|pwritev2?|fdatasync|fsync) resumed>.*\) += (-?\d+)/.exec(line);
    if (r && pending.has(r[1] as string)) {
      const c = pending.get(r[1] as string) as Call;
      pending.delete(r[1] as string);
      assert.ok(Number(r[3]) >= 0, `the call failed: ${line}`);
      c.end = i;
    }
  });
  return calls;
}

async function tracedWrite(args: string[], dir: string): Promise<string> {
  const log = join(dir, 'trace.log');
  const r = await run('strace', ['-f', '-y', '-s', '0', '-e', 'trace=pwrite64,pwritev,pwritev2,fdatasync,fsync', '-o', log, 'node', CLI, ...args], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return readFileSync(log, 'utf8');
}

/**
 * Asserts the order: after the job's first write (sector 0 zeroed, then flushed), every write that is
 * not one of `stages` comes first, then a flush, then the stages' writes in turn with a flush between
 * two stages and one after the last, and nothing else.
 */
function assertOrder(calls: Call[], stages: number[][]): void {
  const bootOffsets = new Set(stages.flat());
  // The job zeroes sector 0 and flushes before it writes anything else.
  assert.equal(calls[0]?.name, 'write');
  assert.equal(calls[0]?.offset, 0, 'sector 0 is zeroed first');
  assert.equal(calls[1]?.name, 'sync', 'and flushed');
  const rest = calls.slice(2);
  const isBoot = (c: Call): boolean => c.name === 'write' && bootOffsets.has(c.offset);
  const firstBoot = rest.findIndex(isBoot);
  assert.ok(firstBoot > 0, 'boot sectors are written');
  const data = rest.slice(0, firstBoot).filter((c) => c.name === 'write');
  assert.ok(data.length >= 3, 'data written before the boot sectors');
  const lastDataEnd = Math.max(...data.map((c) => c.end));
  const flush1 = rest.slice(0, firstBoot).filter((c) => c.name === 'sync' && c.start > lastDataEnd);
  assert.ok(flush1.length >= 1, 'fdatasync between the last data write and the first boot-sector write');
  const tail = rest.slice(firstBoot);
  assert.ok(!tail.some((c) => c.name === 'write' && !bootOffsets.has(c.offset)), `no data write after the first boot-sector write: ${JSON.stringify(tail)}`);
  // The tail: each stage's writes in the listed order, a flush before every later stage, a flush at the end.
  const w = (o: number): string => `write@${o}`;
  const expected = [...stages.flatMap((s, i) => [...(i > 0 ? ['sync'] : []), ...s.map(w)]), 'sync'];
  assert.deepEqual(
    tail.map((c) => (c.name === 'sync' ? 'sync' : w(c.offset))),
    expected,
  );
  for (const c of tail) if (c.name === 'write') assert.ok(c.end > lastDataEnd);
}

test('windows stick: data → fdatasync → backup VBR, stage 2 → fdatasync → primary VBR → fdatasync → MBR → fdatasync', { skip }, async () => {
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
  const t = tempDir();
  try {
    await withLoops([{ sizeMiB: 64, directIo: true }], async ([l]) => {
      const dev = l?.dev as string;
      const log = await tracedWrite(['write', iso, '--target', dev, '--yes', '--json'], t.path);
      const calls = parseTrace(log, dev);
      const part = MiB;
      assertOrder(calls, [[part + 6 * 512, part + 12 * 512], [part], [0]]);
      await assertStickLayout(dev, l?.file as string);
    });
  } finally {
    t.cleanup();
  }
});

test('raw image: data → fdatasync → first 64 KiB after sector 0 → fdatasync → sector 0 → fdatasync', { skip }, async () => {
  const img = await fixture('dev-raw-image.py', ['40', '2']);
  const t = tempDir();
  try {
    await withLoops([{ sizeMiB: 64, directIo: true }], async ([l]) => {
      const dev = l?.dev as string;
      const log = await tracedWrite(['write', img, '--target', dev, '--mode', 'raw', '--yes', '--json'], t.path);
      assertOrder(parseTrace(log, dev), [[512], [0]]);
      assert.equal((await run('cmp', ['-n', String(40 * MiB), img, dev])).code, 0);
    });
  } finally {
    t.cleanup();
  }
});

test('parseTrace reads unfinished/resumed calls and ignores other files', () => {
  const log = [
    '10 pwrite64(20</dev/loop9>, ""..., 4096, 8192 <unfinished ...>',
    '11 pwrite64(21</tmp/other>, ""..., 512, 0) = 512',
    '10 <... pwrite64 resumed>) = 4096',
    '12 fdatasync(20</dev/loop9>) = 0',
  ].join('\n');
  assert.deepEqual(parseTrace(log, '/dev/loop9'), [
    { name: 'write', offset: 8192, length: 4096, start: 0, end: 2 },
    { name: 'sync', offset: -1, length: 0, start: 3, end: 3 },
  ]);
  void runOk;
});
