/**
 * Issue #14, CLI side: the findings one test each, driven like users drive the CLI — in a pseudo-terminal
 * (tmux, rendered screen) where the terminal matters, piped elsewhere. Oracles: the file system (nothing
 * created), the exit code, the rendered screen, the JSON Lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FIXTURES, fixture, run, tempDir } from '../helpers/tools.js';
import { hasTmux, startTty } from '../helpers/tty.js';
import { ensureUser } from '../helpers/users.js';
import { CLI, isRoot, withLoops } from './helpers.js';

const tmux = { skip: !hasTmux() && 'needs tmux (scripts/ensure-tools.sh installs it)' };
const root = { skip: (!isRoot && 'needs root (loop devices, a test user)') || (!hasTmux() && 'needs tmux') };
const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => run('node', [CLI, ...args], { env: { ...process.env, ...env }, timeoutMs: 60_000 });

test('#14.1 a mistyped device path (/dev/sdz) is refused (exit 4) and nothing is created in /dev', async () => {
  const img = await fixture('dev-raw-image.py', ['2', '1']);
  for (const typo of ['/dev/sdz', '/dev/sevenstick-typo']) {
    if (existsSync(typo)) continue; // a real device of that name: not a typo here
    const r = await cli(['write', img, '--target', typo, '--mode', 'raw', '--yes']);
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`${typo} does not exist: a target under /dev must be an existing whole drive`));
    assert.equal(existsSync(typo), false, `${typo} was not created`);
    const j = await cli(['write', img, '--target', typo, '--mode', 'raw', '--yes', '--size', '4M', '--json']);
    assert.equal(j.code, 4);
    assert.equal((JSON.parse(j.stdout.trim().split('\n').pop() as string) as { code: string }).code, 'E_SAFETY');
    assert.equal(existsSync(typo), false);
  }
  // Something under /dev that is not a block device (a character device) is refused the same way.
  const nul = await cli(['write', img, '--target', '/dev/null', '--mode', 'raw', '--yes']);
  assert.equal(nul.code, 4, nul.stderr);
  assert.match(nul.stderr, /\/dev\/null is not a drive/);
});

test('#14.2 a user without rights is refused before any prompt, with the exact sudo line (exit 3)', root, async () => {
  const img = await fixture('dev-raw-image.py', ['2', '1']);
  const user = await ensureUser('sevenstick-cli');
  await withLoops([{ sizeMiB: 4 }], async ([l]) => {
    const dev = l?.dev as string;
    const before = sha(l?.file as string);
    const tty = await startTty([process.execPath, CLI, 'write', img, '--target', dev, '--mode', 'raw'], {
      prefix: ['setpriv', '--reuid', String(user.uid), '--regid', String(user.gid), '--init-groups', '--'],
    });
    try {
      assert.equal(await tty.exitCode(), 3, await tty.history());
      // The message may wrap at 80 columns: read it as one text.
      const seen = (await tty.history()).replace(/\n/g, '');
      assert.match(seen, new RegExp(`No permission to open ${dev} for writing`));
      assert.match(seen, new RegExp(`sudo sevenstick write ${img} --target ${dev} --mode raw`));
      assert.doesNotMatch(seen, /ERASE|Type "yes"/, 'refused before the prompt');
    } finally {
      await tty.close();
    }
    assert.equal(sha(l?.file as string), before, 'nothing written');
  });
});

test('#14.2 the prompt asks for "yes" and accepts only that; a new file shows its --size; Ctrl-C at the prompt exits 130', tmux, async () => {
  const img = await fixture('dev-raw-image.py', ['2', '1']);
  const t = tempDir();
  try {
    const f = join(t.path, 'new.img');
    for (const [keys, code] of [['y', 4], ['C-c', 130]] as const) {
      const tty = await startTty([process.execPath, CLI, 'write', img, '--target', f, '--size', '4G', '--mode', 'raw']);
      try {
        const prompt = await tty.waitFor(/Type "yes" to continue:$/m);
        assert.match(prompt, new RegExp(`${f}  4\\.00 GiB  New disk image file`));
        assert.doesNotMatch(prompt, /unknown size/);
        await tty.send(keys);
        if (keys === 'y') await tty.send('Enter');
        assert.equal(await tty.exitCode(), code, await tty.history());
        const seen = await tty.history();
        assert.match(seen, code === 130 ? /Cancelled at the prompt: nothing was written/ : /Not confirmed \("y" is not "yes"\)/);
      } finally {
        await tty.close();
      }
      assert.equal(existsSync(f), false, 'no file created');
    }
  } finally {
    t.cleanup();
  }
});

/** Lines of a rendered screen that are progress bars. */
const barLines = (screen: string): string[] => screen.split('\n').filter((l) => /\[[█░]+\]/.test(l));

test('#14.3 on a TTY: one line per target redrawn in place, within 80 columns, the job’s ETA, nothing left behind', tmux, async () => {
  const img = await fixture('dev-raw-image.py', ['160', '160']);
  const t = tempDir();
  try {
    const [a, b] = [join(t.path, 'a.img'), join(t.path, 'b-with-a-rather-long-name-for-its-column.img')];
    const tty = await startTty([process.execPath, CLI, 'write', img, '--target', a, '--target', b, '--size', '170M', '--mode', 'raw', '--yes']);
    try {
      const screens: string[] = [];
      for (;;) {
        const s = await tty.screen();
        screens.push(s);
        if (/\[sevenstick-tty-exit \d+\]/.test(s)) break;
        await new Promise((r) => setTimeout(r, 30));
      }
      assert.equal(await tty.exitCode(), 0, await tty.history());
      const withBars = screens.filter((s) => barLines(s).length > 0);
      assert.ok(withBars.length > 0, 'a bar was seen');
      for (const s of withBars) {
        const bars = barLines(s);
        assert.equal(bars.length, 2, `one line per target:\n${s}`);
        assert.match(bars[0] ?? '', /a\.img \[/, `the targets in the order given:\n${s}`);
        assert.match(bars[1] ?? '', /^….*column\.img \[/, 'a long name is cut from the left');
        for (const l of s.split('\n')) assert.ok(l.length < 80, `fits 80 columns: ${l}`);
        // The phase as the app names it (cut short, never the ETA, when the line has no room for it).
        for (const l of bars) assert.match(l, /\d+% (Preparing|Writing|Flushing|Verifying|Finished)[^[\]]*ETA (—|\d+ (sec|min|hr)( \d+ (sec|min))?)$/, 'the ETA is not cut off');
      }
      const end = await tty.history();
      assert.deepEqual(barLines(end), [], `no bar left behind:\n${end}`);
      assert.doesNotMatch(end, /ETA NF|ETA LL|0\.0 MB\/s/);
    } finally {
      await tty.close();
    }
  } finally {
    t.cleanup();
  }
});

test('#14.3/#14.5 piped: plain lines, no escape codes; --json: the same fields, the job’s ETA and overall progress', async () => {
  const img = await fixture('dev-raw-image.py', ['40', '40']);
  const t = tempDir();
  try {
    const f = join(t.path, 'vm.img');
    const plain = await cli(['write', img, '--target', f, '--size', '48M', '--mode', 'raw', '--yes']);
    assert.equal(plain.code, 0, plain.stderr);
    const both = plain.stderr + plain.stdout;
    assert.ok(!both.includes('\u001b') && !both.includes('\r'), `no escape codes, no carriage returns: ${JSON.stringify(both)}`);
    assert.match(plain.stderr, /Writing \d+% of the job/);
    const j = await cli(['write', img, '--target', f, '--mode', 'raw', '--yes', '--json']);
    assert.equal(j.code, 0, j.stderr);
    const lines = j.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const prog = lines.filter((l) => l.type === 'progress');
    let prev = 0;
    for (const p of prog) {
      for (const k of ['phase', 'bytes', 'total', 'bytesPerSecond', 'etaSeconds', 'overall']) assert.ok(k in p, `${k} in ${JSON.stringify(p)}`);
      const overall = p.overall as number;
      assert.ok(overall >= prev && overall <= 1, `overall never goes back: ${JSON.stringify(p)}`);
      prev = overall;
    }
    assert.equal(prog.find((p) => (p.bytes as number) > 0)?.etaSeconds, null, 'the first sample gives no ETA');
    assert.equal(prog.at(-1)?.overall, 1);
    assert.equal(lines.at(-1)?.type, 'result');
  } finally {
    t.cleanup();
  }
});

test('#14.4 the finish: per target and job summary (size, time, speed, verified) and the next steps for Windows media', root, async () => {
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
  await withLoops([{ sizeMiB: 96 }], async ([l]) => {
    const dev = l?.dev as string;
    const tty = await startTty([process.execPath, CLI, 'write', iso, '--target', dev, '--yes']);
    try {
      assert.equal(await tty.exitCode(), 0, await tty.history());
      const seen = (await tty.history()).replace(/\n(?! |[✓✗]|\d+ of|Next|It is|\[)/g, '');
      assert.match(seen, new RegExp(`✓ ${dev}: written and verified — \\d+(\\.\\d+)? MiB \\(\\d+ bytes\\)`));
      assert.match(seen, /1 of 1 target done in \d+ (sec|min)[^:]*: [\d.]+ MiB written at [\d.,]+ MiB\/s on average, read back at [\d.,]+ MiB\/s/);
      assert.match(seen, /Next steps:/);
      assert.match(seen, /USB 2 port/);
      assert.match(seen, /Secure Boot off|Legacy\/CSM/);
      assert.match(seen, new RegExp(`It is safe to remove ${dev} now`));
      assert.deepEqual(barLines(await tty.history()), []);
    } finally {
      await tty.close();
    }
  });
});

test('#14.4 Ctrl-C mid-write says the stick was left unbootable on purpose and what to do (exit 130)', root, async () => {
  const img = await fixture('dev-raw-image.py', ['400', '1']);
  await withLoops([{ sizeMiB: 420 }], async ([l]) => {
    const dev = l?.dev as string;
    const tty = await startTty([process.execPath, CLI, 'write', img, '--target', dev, '--yes', '--mode', 'raw']);
    try {
      await tty.waitFor(/\d+% Writing/);
      await tty.send('C-c');
      assert.equal(await tty.exitCode(), 130, await tty.history());
      const seen = (await tty.history()).replace(/\n/g, ' ');
      assert.match(seen, new RegExp(`note: ${dev} was left unbootable on purpose: its first sector is zeroed`));
      assert.match(seen, /Write it again, or format it/);
      assert.deepEqual(barLines(await tty.history()), [], 'no bar left behind on cancel');
    } finally {
      await tty.close();
    }
  });
});

test('#14.5 --json: the target warnings are in the result, imageSize is the image’s size (diskSize the disk written)', root, async () => {
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
  await withLoops([{ sizeMiB: 96 }], async ([l]) => {
    const dev = l?.dev as string;
    const r = await cli(['write', iso, '--target', dev, '--yes', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const res = JSON.parse(r.stdout.trim().split('\n').pop() as string) as {
      type: string;
      warnings: string[];
      targetWarnings: { target: string; code: string; message: string }[];
      imageSize: number;
      diskSize: number;
    };
    assert.equal(res.type, 'result');
    assert.ok(res.warnings.some((w) => w.includes(`${dev} is not a removable drive`)), JSON.stringify(res.warnings));
    assert.deepEqual(
      res.targetWarnings.map((w) => [w.target, w.code]),
      [[dev, 'not-removable']],
    );
    assert.equal(res.imageSize, statSync(iso).size);
    assert.equal(res.diskSize, 96 * 1024 * 1024);
  });
});

test('#14.6 help has examples and exit codes; a usage error is one line and the usage; a missing image is said once', async () => {
  for (const cmd of ['write', 'verify', 'drives', 'inspect']) {
    const h = await cli([cmd, '--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /Examples:\n {2}(sudo )?sevenstick /, cmd);
    assert.match(h.stdout, /Exit codes:[\s\S]*130 +cancelled/, cmd);
    for (const l of h.stdout.split('\n')) assert.ok(l.length <= 80, `${cmd} --help fits 80 columns: ${l}`);
  }
  const w = (await cli(['write', '--help'])).stdout;
  assert.match(w, /Usage: sevenstick write <image> --target <path>/);
  assert.match(w, /--target <path> +required/);
  assert.match(w, /raw +copy the image byte for byte/);
  assert.match(w, /\.vhd becomes a fixed VHD/);
  for (const args of [['write'], ['write', 'x.iso', '--bogus'], ['verify', '/dev/sdb']]) {
    const r = await cli(args);
    assert.equal(r.code, 2, args.join(' '));
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 3, `one line, the usage, where to read more:\n${r.stderr}`);
    assert.match(lines[0] ?? '', /^error: /);
    assert.match(lines[1] ?? '', new RegExp(`^Usage: sevenstick ${args[0]} `));
    assert.doesNotMatch(r.stderr, /Options:/);
  }
  const missing = await cli(['inspect', 'nonexist.iso']);
  assert.equal(missing.code, 2);
  // Once: the headline in the user's language, then the engine's detail.
  assert.equal(missing.stderr.trim(), 'sevenstick: The file was not found\n  Cannot open nonexist.iso: no such file or directory (ENOENT)');
});

test('#14.7 drives: a table with headers, loop devices shown and marked, reasons in words, image-dependent reasons with --image', root, async () => {
  const img = await fixture('dev-raw-image.py', ['40', '2']);
  await withLoops([{ sizeMiB: 16 }, { sizeMiB: 64 }], async ([small, big]) => {
    const all = await cli(['drives', '--all']);
    assert.equal(all.code, 0, all.stderr);
    const lines = all.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^DEVICE +SIZE +BUS +DESCRIPTION +STATUS$/);
    const row = (out: string, dev: string): string => out.split('\n').find((l) => l.startsWith(`${dev} `)) ?? '';
    assert.match(row(all.stdout, small?.dev as string), new RegExp(`16\\.0 MiB +loop +loop over \\S*${basename(small?.file as string)} `));
    assert.match(row(all.stdout, '/dev/vda'), /refused: system drive/);
    assert.doesNotMatch(all.stdout, /✗|! |0x1af4|not-removable/, 'words, not codes');
    for (const l of lines) assert.ok(l.length < 80 || /refused|check/.test(l.slice(60)), `fits unless the status needs room: ${l}`);

    const withImage = await cli(['drives', '--all', '--image', img]);
    assert.equal(withImage.code, 0, withImage.stderr);
    assert.match(row(withImage.stdout, small?.dev as string), /refused: too small for the image/);
    assert.doesNotMatch(row(withImage.stdout, big?.dev as string), /refused/);
    const held = (await run('losetup', ['-f', '--show', img])).stdout.trim();
    try {
      const h = await cli(['drives', '--all', '--image', img, '--json']);
      const d = (JSON.parse(h.stdout) as { drives: { device: string; bus: string; constraints: { code: string; message: string }[] }[] }).drives.find((x) => x.device === held);
      assert.equal(d?.bus, 'loop');
      assert.ok(d?.constraints.some((c) => c.code === 'source' && /holds the source image/.test(c.message)), JSON.stringify(d));
      assert.match(row((await cli(['drives', '--all', '--image', img])).stdout, held), /refused: holds the image/);
    } finally {
      await run('losetup', ['-d', held]);
    }
  });
});

test('#14.8 verify against the wrong image: a headline and a few lines per kind; an unfinished stick is called that', async () => {
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
  // Another image: the same media plus 40 files the stick does not have.
  const extra = join(FIXTURES, 'cli-polish-extra');
  mkdirSync(join(extra, 'extra'), { recursive: true });
  for (let i = 0; i < 40; i++) writeFileSync(join(extra, 'extra', `file${i}.txt`), `file ${i}\n`);
  const other = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only', '--extra', extra]);
  const t = tempDir();
  try {
    const f = join(t.path, 'stick.img');
    const w = await cli(['write', iso, '--target', f, '--size', '96M', '--yes']);
    assert.equal(w.code, 0, w.stderr);
    const v = await cli(['verify', f, '--image', other]);
    assert.equal(v.code, 1, v.stderr);
    const lines = v.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', new RegExp(`^${f}: does NOT hold ${other} — \\d+ of \\d+ files of the image are missing on it\\.$`));
    assert.match(lines[1] ?? '', /written from another image/);
    assert.ok(lines.filter((l) => l.startsWith('  missing:')).length <= 8, v.stdout);
    assert.match(v.stdout, /… and \d+ more missing \(--json lists them all\)/);
    const j = await cli(['verify', f, '--image', other, '--json']);
    assert.ok((JSON.parse(j.stdout.trim().split('\n').pop() as string) as { failures: unknown[] }).failures.length > 40, 'JSON keeps every failure');

    // What an interrupted write leaves: sector 0 zeroed (the write job zeroes it first and writes it last).
    const fd = openSync(f, 'r+');
    writeSync(fd, Buffer.alloc(512), 0, 512, 0);
    closeSync(fd);
    const cut = await cli(['verify', f, '--image', iso]);
    assert.equal(cut.code, 2, cut.stdout + cut.stderr);
    assert.match(cut.stderr, /no partition table: sector 0 is empty, which is what an interrupted or cancelled write leaves .*write the stick again/);
  } finally {
    t.cleanup();
  }
});

test('#14.10 a hybrid image in auto mode makes a new file its own size; --size on an existing file of another size is said, not ignored', async () => {
  const img = await fixture('dev-raw-image.py', ['40', '2']);
  const t = tempDir();
  try {
    const f = join(t.path, 'new.img');
    const auto = await cli(['write', img, '--target', f, '--yes']);
    assert.equal(auto.code, 0, auto.stderr);
    assert.equal(statSync(f).size, statSync(img).size);
    const sized = join(t.path, 'sized.img');
    assert.equal((await cli(['write', img, '--target', sized, '--size', '48M', '--yes'])).code, 0);
    assert.equal(statSync(sized).size, 48 * 1024 * 1024);

    // An existing 48 MiB file and --size 128M: it keeps its size, and the output says so.
    const again = await cli(['write', img, '--target', sized, '--size', '128M', '--yes']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /warning: --size 128 MiB does not apply to .*sized\.img: it exists and keeps its size \(48\.0 MiB\)/);
    assert.equal(statSync(sized).size, 48 * 1024 * 1024);
    const j = await cli(['write', img, '--target', sized, '--size', '128M', '--yes', '--json']);
    const res = JSON.parse(j.stdout.trim().split('\n').pop() as string) as { warnings: string[]; targetWarnings: { code: string }[] };
    assert.ok(res.warnings.some((w) => /does not apply/.test(w)));
    assert.deepEqual(res.targetWarnings.map((w) => w.code), ['size-ignored']);
  } finally {
    t.cleanup();
  }
});
