/**
 * The built-in catalog (assets/catalog/windows7.json) as data — schema, file-name patterns, no
 * duplicate hashes or names, sources on every entry — and the three answers `inspect --hash` gives
 * with it: "matches <file> as listed publicly", "no match", and "modified" (named like a listed
 * release, checksum differs), through the engine and through the CLI on tiny images.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_CATALOG, findByName, loadCatalog, matchCatalog, mismatchCatalog, parseCatalog } from '../../engine/index.js';
import { REPO, run, tempDir } from '../helpers/tools.js';

const CLI = join(REPO, 'build', 'electron', 'cli', 'index.js');

interface RawEntry {
  file: string;
  aliases?: string[];
  sha1?: string;
  sha256?: string;
  size?: number;
  edition?: string;
  arch?: string;
  language?: string;
  release?: string;
  channel?: string;
  source?: string;
  sources?: string[];
  singleSource?: boolean;
}

const raw = JSON.parse(readFileSync(BUILTIN_CATALOG, 'utf8')) as { description: string; entries: RawEntry[] };

/**
 * The names Microsoft's files have in the sources: MSDN/TechNet/VLSC `<lang>_windows_7_<edition>[_k|_n][_with_sp1]_<arch>_dvd_<id>.iso`
 * (id `x15-65805` for RTM, `u_677332` for the SP1 media refresh) and Digital River retail downloads `X17-59183.iso`.
 */
const MSDN_NAME = /^([a-z]{2})_windows_7_(starter|home_basic|home_premium|professional|ultimate|enterprise)(_k|_n)?(_with_sp1)?_(x86|x64)_dvd_(u_\d{6}|x\d{2}-\d{5})\.iso$/;
const RETAIL_NAME = /^X\d{2}-\d{5}\.iso$/i;
const EDITIONS: Record<string, string> = { starter: 'Starter', home_basic: 'Home Basic', home_premium: 'Home Premium', professional: 'Professional', ultimate: 'Ultimate', enterprise: 'Enterprise' };
const LANGS: Record<string, string> = {
  ar: 'ar-SA', bg: 'bg-BG', cs: 'cs-CZ', da: 'da-DK', de: 'de-DE', el: 'el-GR', en: 'en-US', es: 'es-ES', et: 'et-EE', fi: 'fi-FI', fr: 'fr-FR',
  he: 'he-IL', hr: 'hr-HR', hu: 'hu-HU', it: 'it-IT', ja: 'ja-JP', ko: 'ko-KR', lt: 'lt-LT', lv: 'lv-LV', nl: 'nl-NL', no: 'nb-NO', pl: 'pl-PL',
  pt: 'pt-BR', pp: 'pt-PT', ro: 'ro-RO', ru: 'ru-RU', sk: 'sk-SK', sl: 'sl-SI', sr: 'sr-Latn-CS', sv: 'sv-SE', th: 'th-TH', tr: 'tr-TR',
  uk: 'uk-UA', cn: 'zh-CN', hk: 'zh-HK', tw: 'zh-TW',
};

test('catalog schema: every entry has a real file-name pattern, hex hashes, sources, and fields that agree with its name', () => {
  assert.match(raw.description, /as listed publicly|listed one/);
  assert.ok(raw.entries.length >= 100, `${raw.entries.length} entries`);
  const allowed = new Set(['file', 'aliases', 'sha1', 'sha256', 'size', 'edition', 'arch', 'language', 'release', 'channel', 'source', 'sources', 'singleSource']);
  for (const e of raw.entries) {
    const at = e.file;
    for (const k of Object.keys(e)) assert.ok(allowed.has(k), `${at}: unknown key ${k}`);
    assert.ok(MSDN_NAME.test(e.file) || RETAIL_NAME.test(e.file), `${at}: file name pattern`);
    for (const a of e.aliases ?? []) assert.match(a, RETAIL_NAME, `${at}: alias ${a}`);
    assert.match(e.sha1 ?? '', /^[0-9a-f]{40}$/, `${at}: SHA-1 is 40 lowercase hex`);
    if (e.sha256 !== undefined) assert.match(e.sha256, /^[0-9a-f]{64}$/, `${at}: SHA-256 is 64 lowercase hex`);
    if (e.size !== undefined) assert.ok(Number.isSafeInteger(e.size) && e.size > 2 ** 30 && e.size % 2048 === 0, `${at}: size ${e.size} is whole 2 KiB sectors, > 1 GiB`);
    assert.ok(Array.isArray(e.sources) && e.sources.length > 0 && e.sources.every((s) => typeof s === 'string' && s.length > 10), `${at}: sources`);
    assert.equal(e.source, e.sources![0], `${at}: source is the first of sources`);
    assert.equal(typeof e.singleSource, 'boolean', `${at}: singleSource`);
    if (e.sources!.length === 1) assert.equal(e.singleSource, true, `${at}: one source listed, so singleSource`);
    assert.ok(['x86', 'x64'].includes(e.arch ?? ''), `${at}: arch`);
    assert.ok(['RTM', 'SP1', 'SP1 U'].includes(e.release ?? ''), `${at}: release`);
    assert.ok(Object.values(EDITIONS).some((x) => e.edition === x || e.edition === `${x} K` || e.edition === `${x} N`), `${at}: edition ${e.edition}`);
    assert.ok(Object.values(LANGS).includes(e.language ?? ''), `${at}: language ${e.language}`);
    const m = MSDN_NAME.exec(e.file);
    if (m) {
      assert.equal(e.language, LANGS[m[1]!], `${at}: language from the name`);
      assert.equal(e.edition, EDITIONS[m[2]!]! + (m[3] ? ` ${m[3].slice(1).toUpperCase()}` : ''), `${at}: edition from the name`);
      assert.equal(e.arch, m[5], `${at}: arch from the name`);
      assert.equal(e.release, m[4] ? (m[6]!.startsWith('u_') ? 'SP1 U' : 'SP1') : 'RTM', `${at}: release from the name`);
    }
  }
});

test('catalog: no duplicate SHA-1, SHA-256 or file names (aliases included, case ignored)', () => {
  const seen = (values: string[], what: string): void => {
    const dup = values.filter((v, i) => values.indexOf(v) !== i);
    assert.deepEqual(dup, [], `duplicate ${what}`);
  };
  seen(raw.entries.map((e) => e.sha1!), 'SHA-1');
  seen(raw.entries.flatMap((e) => (e.sha256 ? [e.sha256] : [])), 'SHA-256');
  seen(raw.entries.flatMap((e) => [e.file, ...(e.aliases ?? [])].map((n) => n.toLowerCase())), 'file names');
});

test('catalog coverage: Ultimate and Enterprise SP1 U in every listed language and both architectures; the original four entries kept', () => {
  const c = loadCatalog({ userPath: null });
  assert.deepEqual(c.warnings, []);
  assert.equal(c.entries.length, raw.entries.length, 'the loader keeps every built-in entry');
  for (const ed of ['Ultimate', 'Enterprise']) {
    for (const arch of ['x86', 'x64']) {
      const langs = new Set(c.entries.filter((e) => e.release === 'SP1 U' && e.edition?.startsWith(ed) && e.arch === arch).map((e) => e.language));
      assert.ok(langs.size >= 30, `${ed} ${arch}: ${langs.size} languages`);
    }
  }
  const original: [string, string][] = [
    ['en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso', '0bcfc54019ea175b1ee51f6d2b207a3d14dd2b58'],
    ['en_windows_7_professional_with_sp1_x86_dvd_u_677056.iso', 'd89937df3a9bc2ec1a1486195fd308cd3dade928'],
    ['en_windows_7_professional_x64_dvd_x15-65805.iso', '50127304441a793ee51b3f501289f6599a559e9f'],
    ['fr_windows_7_professional_with_sp1_x64_dvd_u_678724.iso', 'f9f0512f7ca5e2cd1502a41f6e88d80f4655bbcd'],
  ];
  for (const [file, sha1] of original) assert.equal(c.entries.find((e) => e.file === file)?.sha1, sha1, file);
  const x64sp1 = c.entries.find((e) => e.file === original[0]![0]);
  assert.equal(x64sp1?.sha256, '3dae1a531b90fa72e59b4a86b20216188d398c8c070da4a5c5a44fe08b1b6e55');
  assert.equal(x64sp1?.singleSource, false);
  assert.deepEqual(x64sp1?.aliases, ['X17-59186.iso']);
  // a Digital River name finds the same entry, whatever its case
  assert.equal(findByName('x17-59186.ISO', c)?.file, original[0]![0]);
});

test('parseCatalog: the extended fields are optional and a user catalog in the old shape still loads', () => {
  const old = parseCatalog([{ file: 'a.iso', sha1: 'A'.repeat(40), source: 'me' }], 'user.json');
  assert.deepEqual(old, { entries: [{ file: 'a.iso', sha1: 'a'.repeat(40), source: 'me', origin: 'user.json' }], warnings: [] });
  const ext = parseCatalog(
    { entries: [{ file: 'b.iso', sha256: 'b'.repeat(64), aliases: ['B2.iso', 7], sources: ['one', 'two'], singleSource: 'no', release: 'RTM' }] },
    'user.json',
  );
  // a malformed optional field is dropped, never fatal
  assert.deepEqual(ext.entries[0], { file: 'b.iso', sha256: 'b'.repeat(64), release: 'RTM', sources: ['one', 'two'], source: 'one', origin: 'user.json' });
});

test('matchCatalog / mismatchCatalog: match, no match, modified (by name or alias), the message texts', () => {
  const c = loadCatalog({ userPath: null });
  const listed = c.entries.find((e) => e.file === 'de_windows_7_ultimate_with_sp1_x64_dvd_u_677306.iso')!;
  const right = { sha1: listed.sha1!, sha256: '1'.repeat(64) };
  const m = matchCatalog(right, c);
  assert.equal(m?.message, 'matches de_windows_7_ultimate_with_sp1_x64_dvd_u_677306.iso as listed publicly');
  assert.equal(m?.by, 'sha1');
  assert.equal(m?.singleSource, true);
  // a matching file is never "modified", whatever it is called
  assert.equal(mismatchCatalog('en_windows_7_ultimate_with_sp1_x64_dvd_u_677332.iso', right, c), null);
  const wrong = { sha1: 'f'.repeat(40), sha256: 'e'.repeat(64) };
  assert.equal(matchCatalog(wrong, c), null);
  assert.equal(mismatchCatalog('my-windows.iso', wrong, c), null, 'an unlisted name with an unlisted hash: no match, nothing more');
  const x = mismatchCatalog('DE_Windows_7_Ultimate_with_SP1_x64_dvd_u_677306.iso', wrong, c);
  assert.deepEqual(x, {
    file: 'de_windows_7_ultimate_with_sp1_x64_dvd_u_677306.iso',
    expectedSha1: listed.sha1,
    expectedSha256: null,
    sha1: wrong.sha1,
    sha256: wrong.sha256,
    origin: 'builtin',
    source: listed.source,
    message: `modified: named like de_windows_7_ultimate_with_sp1_x64_dvd_u_677306.iso, but its checksum differs from the one listed publicly (listed SHA-1 ${listed.sha1}, this file SHA-1 ${wrong.sha1})`,
  });
  // by a Digital River alias, with both listed hashes
  const alias = mismatchCatalog('X17-59186.iso', wrong, c);
  assert.equal(alias?.file, 'en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso');
  assert.equal(alias?.expectedSha1, '0bcfc54019ea175b1ee51f6d2b207a3d14dd2b58');
  assert.equal(alias?.expectedSha256, '3dae1a531b90fa72e59b4a86b20216188d398c8c070da4a5c5a44fe08b1b6e55');
  // the right SHA-1 with a wrong listed SHA-256 is no match, and under its own name that is "modified"
  const halfRight = { sha1: '0bcfc54019ea175b1ee51f6d2b207a3d14dd2b58', sha256: 'e'.repeat(64) };
  assert.equal(matchCatalog(halfRight, c), null);
  assert.equal(mismatchCatalog('en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso', halfRight, c)?.expectedSha1, halfRight.sha1);
});

/** A tiny image the CLI accepts under any name: 1 MiB with an MBR (kind "hybrid"), content varied by `seed`. */
function tinyImage(path: string, seed: number): { sha1: string; sha256: string } {
  const b = Buffer.alloc(1 << 20);
  for (let i = 512; i < b.length; i++) b[i] = (i * 7 + seed) & 0xff;
  b[446] = 0x80;
  b[446 + 4] = 0x0c;
  b.writeUInt32LE(1, 446 + 8);
  b.writeUInt32LE(2047, 446 + 12);
  b[510] = 0x55;
  b[511] = 0xaa;
  writeFileSync(path, b);
  return { sha1: createHash('sha1').update(b).digest('hex'), sha256: createHash('sha256').update(b).digest('hex') };
}

/** inspect's text wraps long rows under their column: join a row's lines back into one. */
function unwrapRows(text: string): string {
  return text.replace(/\n {4,}(?=\S)/g, ' ');
}

function oneJson(stdout: string): Record<string, unknown> {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, `exactly one line on stdout, got:\n${stdout}`);
  return JSON.parse(lines[0] as string) as Record<string, unknown>;
}

test('CLI inspect --hash: "matches <file>", "no match", and a modified file flagged with both hashes (text and --json)', async () => {
  const t = tempDir();
  try {
    const userCat = join(t.path, 'catalog.json');
    const env = { ...process.env, SEVENSTICK_CATALOG: userCat };
    const mine = join(t.path, 'tiny_windows_7_test.iso');
    const d = tinyImage(mine, 1);
    const renamed = join(t.path, 'renamed.iso');
    tinyImage(renamed, 1);
    const other = join(t.path, 'other_windows_7_test.iso');
    const od = tinyImage(other, 2);
    // the user catalog lists "mine" with its real hash, and "other" under its name with a different hash
    writeFileSync(
      userCat,
      JSON.stringify({ entries: [{ file: 'tiny_windows_7_test.iso', sha1: d.sha1, sha256: d.sha256, source: 'test listing' }, { file: 'other_windows_7_test.iso', sha1: '0'.repeat(40), sources: ['test listing'] }] }),
    );

    // match: under its own name, and under any other name (the checksum decides)
    for (const path of [mine, renamed]) {
      const r = await run('node', [CLI, 'inspect', path, '--hash', '--json'], { env });
      assert.equal(r.code, 0, r.stderr);
      const o = oneJson(r.stdout);
      assert.equal((o['catalogMatch'] as { message: string }).message, 'matches tiny_windows_7_test.iso as listed publicly');
      assert.equal(o['catalogMismatch'], null);
    }
    const txt = await run('node', [CLI, 'inspect', mine, '--hash'], { env });
    assert.equal(txt.code, 0, txt.stderr);
    assert.match(unwrapRows(txt.stdout), /^Catalog:\s+matches tiny_windows_7_test\.iso as listed publicly \(source: test listing\)$/m);
    assert.doesNotMatch(unwrapRows(txt.stdout), /modified/);

    // modified: named like a listed release, checksum differs — exit 0, a warning with both hashes
    const mod = await run('node', [CLI, 'inspect', other, '--hash', '--json'], { env });
    assert.equal(mod.code, 0, mod.stderr);
    const o = oneJson(mod.stdout);
    assert.equal(o['catalogMatch'], null);
    assert.deepEqual(o['catalogMismatch'], {
      file: 'other_windows_7_test.iso',
      expectedSha1: '0'.repeat(40),
      expectedSha256: null,
      sha1: od.sha1,
      sha256: od.sha256,
      origin: userCat,
      source: 'test listing',
      message: `modified: named like other_windows_7_test.iso, but its checksum differs from the one listed publicly (listed SHA-1 ${'0'.repeat(40)}, this file SHA-1 ${od.sha1})`,
    });
    const modTxt = await run('node', [CLI, 'inspect', other, '--hash'], { env });
    assert.match(unwrapRows(modTxt.stdout), /^Catalog:\s+no match among known official releases$/m);
    assert.match(unwrapRows(modTxt.stdout), new RegExp(`^Warning:\\s+modified: named like other_windows_7_test\\.iso, .*listed SHA-1 0{40}, this file SHA-1 ${od.sha1}\\)$`, 'm'));
    assert.match(unwrapRows(modTxt.stdout), /^Listed:\s+SHA-1 0{40} \(other_windows_7_test\.iso\)$/m);

    // the built-in catalog: a file carrying a listed MSDN name with other content is modified
    const fake = join(t.path, 'en_windows_7_ultimate_with_sp1_x64_dvd_u_677332.iso');
    const fd = tinyImage(fake, 3);
    const b = oneJson((await run('node', [CLI, 'inspect', fake, '--hash', '--json'], { env: { ...process.env, SEVENSTICK_CATALOG: join(t.path, 'none.json') } })).stdout);
    const bx = b['catalogMismatch'] as Record<string, unknown>;
    assert.equal(bx['file'], 'en_windows_7_ultimate_with_sp1_x64_dvd_u_677332.iso');
    assert.equal(bx['expectedSha1'], '36ae90defbad9d9539e649b193ae573b77a71c83');
    assert.equal(bx['expectedSha256'], '36f4fa2416d0982697ab106e3a72d2e120dbcdb6cc54fd3906d06120d0653808');
    assert.equal(bx['sha1'], fd.sha1);
    assert.equal(bx['origin'], 'builtin');

    // no match: an unlisted name and an unlisted hash
    const plain = join(t.path, 'plain.iso');
    tinyImage(plain, 4);
    const none = oneJson((await run('node', [CLI, 'inspect', plain, '--hash', '--json'], { env })).stdout);
    assert.equal(none['catalogMatch'], null);
    assert.equal(none['catalogMismatch'], null);
    // without --hash there is no catalog answer at all
    const noHash = oneJson((await run('node', [CLI, 'inspect', other, '--json'], { env })).stdout);
    assert.equal(noHash['catalogMatch'], undefined);
    assert.equal(noHash['catalogMismatch'], undefined);
  } finally {
    t.cleanup();
  }
});
