/**
 * `sevenstick answers` against the Win7-like fixture ISOs: the edition names come from the fixture's
 * install.wim (as inspect reads them), both architectures, presets reproduce byte for byte, an imported
 * file is copied byte for byte, the password never appears in stdout, stderr, presets or messages, and
 * the exit codes of the README's contract.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWsimPassword, readAnswerFile } from '../../engine/index.js';
import { REPO, fixture, hasTool, run, tempDir, type RunResult } from '../helpers/tools.js';
import { HAS_XMLLINT, count, str } from './xpath.js';

const CLI = join(REPO, 'build', 'electron', 'cli', 'index.js');
const PASSWORD = 'Secret-Horse-Battery-42!';

const iso = (arch: 'x64' | 'x86'): Promise<string> => fixture('win7-iso.sh', ['--arch', arch, '--style', 'udf-only']);
const answers = (args: string[], opts: Parameters<typeof run>[2] = {}): Promise<RunResult> => run('node', [CLI, 'answers', ...args], opts);

/** Runs `body` with a fresh temporary folder, removed afterwards. */
async function inTemp(body: (t: { path: string }) => Promise<void>): Promise<void> {
  const t = tempDir();
  try {
    await body(t);
  } finally {
    t.cleanup();
  }
}

function oneJson(stdout: string): Record<string, unknown> {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, `exactly one line on stdout, got:\n${stdout}`);
  return JSON.parse(lines[0] as string) as Record<string, unknown>;
}

async function editionsOf(image: string): Promise<Array<{ index: number; name: string }>> {
  const r = await run('node', [CLI, 'inspect', image, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return (oneJson(r.stdout)['windows'] as { editions: Array<{ index: number; name: string }> }).editions;
}

test('answers takes the edition from the fixture\'s install.wim, by name or index, for amd64 and x86', async () => {
  await inTemp(async (t) => {
    for (const arch of ['x64', 'x86'] as const) {
      const image = await iso(arch);
      const [first] = await editionsOf(image);
      assert.ok(first, 'the fixture has an edition');
      const byName = join(t.path, `${arch}-name.xml`);
      const r = await answers([image, '--edition', first.name, '--timezone', 'Tokyo Standard Time', '--computer-name', 'FLEET-01', '-o', byName, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const o = oneJson(r.stdout);
      assert.equal(o['type'], 'result');
      assert.equal(o['arch'], arch === 'x64' ? 'amd64' : 'x86');
      assert.deepEqual(o['edition'], { index: first.index, name: first.name, by: 'name' });
      const xml = readFileSync(byName, 'utf8');
      const facts = readAnswerFile(Buffer.from(xml));
      assert.deepEqual(facts.edition, { key: '/IMAGE/NAME', value: first.name });
      assert.equal(facts.arch, arch === 'x64' ? 'amd64' : 'x86');
      if (HAS_XMLLINT) {
        const meta = "//settings[@pass='windowsPE']/component[@name='Microsoft-Windows-Setup']/ImageInstall/OSImage/InstallFrom/MetaData";
        assert.equal(str(xml, `${meta}/Value`), first.name);
        assert.equal(count(xml, `//component[@processorArchitecture='${arch === 'x64' ? 'amd64' : 'x86'}']`), count(xml, '//component'));
        assert.equal(str(xml, "//settings[@pass='specialize']/component/ComputerName"), 'FLEET-01');
      }
      const byIndex = join(t.path, `${arch}-index.xml`);
      assert.equal((await answers([image, '--edition', String(first.index), '-o', byIndex])).code, 0);
      assert.deepEqual(readAnswerFile(readFileSync(byIndex)).edition, { key: '/IMAGE/INDEX', value: String(first.index) });
      // An edition that is not in install.wim is bad input, and nothing is written.
      const missing = join(t.path, `${arch}-missing.xml`);
      const bad = await answers([image, '--edition', 'Windows 7 ULTIMATE', '-o', missing, '--json']);
      assert.equal(bad.code, 2);
      assert.match(String(oneJson(bad.stdout)['message']), new RegExp(`no edition named "Windows 7 ULTIMATE" \\(its editions: ${first.index}: ${first.name}\\)`));
      assert.equal(existsSync(missing), false);
    }
  });
});

test('a saved preset alone reproduces the answer file byte for byte; the password comes from its passwordFile and is never shown or saved', async () => {
  const image = await iso('x64');
  await inTemp(async (t) => {
    writeFileSync(join(t.path, 'admin.pw'), `${PASSWORD}\n`);
    const preset = {
      version: 1,
      edition: { index: 1 },
      showEveryEdition: false,
      language: 'en-US',
      locale: 'en-GB',
      keyboard: '00000809',
      timeZone: 'GMT Standard Time',
      computerName: 'LAB-01',
      account: { name: 'labadmin', displayName: null, password: { from: 'file', passwordFile: 'admin.pw' } },
      productKey: null,
      acceptEula: true,
      oobe: { networkLocation: 'work', updates: 'recommended' },
      partitioning: { mode: 'ask' },
    };
    writeFileSync(join(t.path, 'fleet.json'), JSON.stringify(preset));
    const out1 = join(t.path, 'one.xml');
    const saved = join(t.path, 'saved.json');
    const a = await answers([image, '--preset', join(t.path, 'fleet.json'), '-o', out1, '--save-preset', saved]);
    const b = await answers([image, '--preset', saved, '-o', join(t.path, 'two.xml'), '--json']);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.match(a.stdout, /Wrote .*one\.xml and the preset .*saved\.json/);
    assert.match(a.stdout, /Account: +labadmin \(administrator\)/);
    const xml = readFileSync(out1);
    assert.deepEqual(readFileSync(join(t.path, 'two.xml')), xml, 'the saved preset reproduces the same bytes');
    assert.deepEqual(JSON.parse(readFileSync(saved, 'utf8')), preset, 'the saved preset is the one given (password still from its file)');
    // The clear password: nowhere but in the password file; the XML holds only WSIM's encoding.
    const text = xml.toString('utf8');
    for (const [what, s] of [
      ['stdout', a.stdout + b.stdout],
      ['stderr', a.stderr + b.stderr],
      ['saved preset', readFileSync(saved, 'utf8')],
      ['answer file', text],
    ] as const) {
      assert.ok(!s.includes(PASSWORD) && !s.includes('Horse'), `the password is not in the ${what}`);
    }
    assert.equal(readAnswerFile(xml).accounts[0]?.password, encodeWsimPassword(PASSWORD));
    assert.equal(readAnswerFile(xml).accounts[0]?.plainText, 'false');

    // Stored in the preset only when asked to, and then only as the answer file's encoding.
    const stored = join(t.path, 'stored.json');
    const s = await answers([image, '--preset', join(t.path, 'fleet.json'), '-o', join(t.path, 'three.xml'), '--save-preset', stored, '--store-password-in-preset']);
    assert.equal(s.code, 0, s.stderr);
    const storedText = readFileSync(stored, 'utf8');
    assert.ok(!storedText.includes(PASSWORD));
    assert.deepEqual((JSON.parse(storedText) as typeof preset).account.password, { from: 'preset', wsimEncoded: encodeWsimPassword(PASSWORD) });
    assert.deepEqual(readFileSync(join(t.path, 'three.xml')), xml);

    // A password that Windows refuses is reported without being echoed.
    writeFileSync(join(t.path, 'admin.pw'), `${PASSWORD}\t${PASSWORD}`);
    const bad = await answers([image, '--preset', join(t.path, 'fleet.json'), '-o', join(t.path, 'four.xml')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /control character/);
    assert.ok(!(bad.stdout + bad.stderr).includes(PASSWORD));
  });
});

test('without a terminal and without a passwordFile the password is refused, never taken from the command line', async () => {
  const image = await iso('x64');
  await inTemp(async (t) => {
    const out = join(t.path, 'a.xml');
    const r = await answers([image, '--user', 'admin', '-o', out, '--json'], { input: `${PASSWORD}\n` });
    assert.equal(r.code, 2);
    assert.match(String(oneJson(r.stdout)['message']), /asked on a terminal, and there is none: name a password file in the preset/);
    assert.equal(existsSync(out), false);
    const flag = await answers([image, '--user', 'admin', '--password', PASSWORD, '-o', out]);
    assert.equal(flag.code, 2, 'there is no --password option');
    assert.match(flag.stderr, /unknown option '--password'/);
  });
});

test('on a terminal the password is asked twice without echo', { skip: !hasTool('script') && 'script (util-linux) is not installed' }, async () => {
  const image = await iso('x86');
  await inTemp(async (t) => {
    const out = join(t.path, 'a.xml');
    const cmd = `node '${CLI}' answers '${image}' --user admin -o '${out}'`;
    const feed = `sleep 1; printf '%s\\r' '${PASSWORD}'; sleep 0.5; printf '%s\\r' '${PASSWORD}'; sleep 2`;
    const r = await run('sh', ['-c', `(${feed}) | script -qec "${cmd.replace(/"/g, '\\"')}" /dev/null`]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Password for the Windows account "admin" \(not shown\)/);
    assert.ok(!r.stdout.includes(PASSWORD), 'the password is not echoed');
    assert.equal(readAnswerFile(readFileSync(out)).accounts[0]?.password, encodeWsimPassword(PASSWORD));
  });
});

test('wipe disk 0 needs a second, plainly worded confirmation', async () => {
  const image = await iso('x64');
  await inTemp(async (t) => {
    const out = join(t.path, 'a.xml');
    const refused = await answers([image, '--wipe-disk-0', 'bios', '-o', out]);
    assert.equal(refused.code, 4);
    assert.match(refused.stderr, /erases disk 0 without a second confirmation/);
    assert.equal(existsSync(out), false);
    const ok = await answers([image, '--wipe-disk-0', 'uefi', '--i-understand-disk-0-will-be-erased', '-o', out]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /DISK 0 IS ERASED \(GPT, UEFI\)/);
    assert.deepEqual(readAnswerFile(readFileSync(out)).wipeDisk, { disk: 0, partitionTypes: ['EFI', 'MSR', 'Primary'] });
    assert.equal((await answers([image, '--wipe-disk-0', 'both', '--i-understand-disk-0-will-be-erased', '-o', out])).code, 2);
  });
});

test('--import checks an answer file against the image and copies it byte for byte', async () => {
  const x64 = await iso('x64');
  const x86 = await iso('x86');
  await inTemp(async (t) => {
    const src = join(t.path, 'mine.xml');
    assert.equal((await answers([x64, '--lang', 'en-US', '-o', src])).code, 0);
    const edited = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(src), Buffer.from('<!-- kept as written -->\r\n')]);
    writeFileSync(src, edited);
    const copy = join(t.path, 'autounattend.xml');
    const r = await answers([x64, '--import', src, '-o', copy, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readFileSync(copy), edited);
    assert.equal(oneJson(r.stdout)['arch'], 'amd64');
    const wrongArch = await answers([x86, '--import', src, '-o', join(t.path, 'x86.xml')]);
    assert.equal(wrongArch.code, 2);
    assert.match(wrongArch.stderr, /is for amd64, but the media is x86/);
    writeFileSync(join(t.path, 'broken.xml'), '<unattend xmlns="urn:schemas-microsoft-com:unattend"><settings>');
    assert.equal((await answers([x64, '--import', join(t.path, 'broken.xml'), '-o', join(t.path, 'b.xml')])).code, 2);
    const mixed = await answers([x64, '--import', src, '--timezone', 'UTC', '-o', join(t.path, 'c.xml')]);
    assert.equal(mixed.code, 2);
    assert.match(mixed.stderr, /copies a file as it is: it takes no --timezone/);
  });
});

test('answers: bad input exits 2 (folder as output, unknown time zone, bad product key, not Windows media)', async () => {
  const image = await iso('x64');
  await inTemp(async (t) => {
    assert.equal((await answers([image, '-o', t.path])).code, 2);
    const tz = await answers([image, '--timezone', 'Europe/Paris', '-o', join(t.path, 'a.xml')]);
    assert.equal(tz.code, 2);
    assert.match(tz.stderr, /not a Windows 7 time zone ID/);
    assert.equal((await answers([image, '--product-key', 'AAAAA-BBBBB-CCCCC-DDDDD-EEEEE', '-o', join(t.path, 'a.xml')])).code, 2);
    assert.equal((await answers([image, '--computer-name', 'this-name-is-far-too-long', '-o', join(t.path, 'a.xml')])).code, 2);
    const notWindows = join(t.path, 'blank.img');
    writeFileSync(notWindows, Buffer.alloc(1024 * 1024));
    assert.equal((await answers([notWindows, '-o', join(t.path, 'a.xml')])).code, 2);
    assert.equal(existsSync(join(t.path, 'a.xml')), false);
    // -o naming the image itself is refused for safety.
    assert.equal((await answers([notWindows, '-o', notWindows])).code, 4);
  });
});
