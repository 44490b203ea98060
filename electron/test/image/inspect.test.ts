/**
 * inspectImage on Windows-7-like ISOs (win7-iso.sh: x64/x86, udf-only/bridge), hybrid and raw images,
 * and Windows media variants (multi-edition, non-Professional, install.esd, install.swm).
 * Oracles: wimlib-imagex info (editions), isoinfo/7z (label, El Torito), sfdisk --json (partitions),
 * sha1sum/sha256sum (checksums).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SevenStickError, inspectImage, loadCatalog, editionsFromWimXml } from '../../engine/index.js';
import { REPO, fixture, runOk, tempDir } from '../helpers/tools.js';
import { editionsWim } from '../helpers/wim.js';

const isCode = (code: string) => (e: unknown) => e instanceof SevenStickError && e.code === code;

/** wimlib-imagex's view of a WIM's images: index → {name, edition, arch, build, languages}. */
async function wimlibImages(wim: string): Promise<{ index: number; name: string; editionId: string; arch: string; build: number; languages: string[] }[]> {
  const { stdout } = await runOk('wimlib-imagex', ['info', wim]);
  return stdout
    .split(/^Index:/m)
    .slice(1)
    .map((block) => {
      const f = (k: string): string => new RegExp(`^${k}:\\s*(.*)$`, 'm').exec(block)?.[1]?.trim() ?? '';
      const arch = f('Architecture');
      return {
        index: Number(block.trim().split('\n')[0]),
        name: f('Name'),
        editionId: f('Edition ID'),
        arch: arch === 'x86_64' ? 'x64' : arch === 'x86' ? 'x86' : arch,
        build: Number(f('Build')),
        languages: f('Languages').split(/\s+/).filter(Boolean),
      };
    });
}

for (const arch of ['x64', 'x86'] as const) {
  for (const style of ['udf-only', 'bridge'] as const) {
    test(`win7 ${arch} ${style}: kind, label, build, editions, UEFI, warnings`, async () => {
      const iso = await fixture('win7-iso.sh', ['--arch', arch, '--style', style]);
      const t = tempDir();
      try {
        const r = await inspectImage(iso);
        assert.equal(r.kind, 'windows');
        assert.equal(r.size, statSync(iso).size);
        const label = arch === 'x64' ? 'GRMCPRXFRER_EN_DVD' : 'GRMCPRFRER_EN_DVD';
        assert.equal(r.label, label);
        // isoinfo's volume id agrees
        const pvd = await runOk('isoinfo', ['-d', '-i', iso]);
        assert.match(pvd.stdout, new RegExp(`Volume id: ${label}`));
        assert.equal(r.filesystem.type, 'udf');
        assert.equal(r.filesystem.udf?.revision, style === 'bridge' ? '1.02' : '1.02');
        assert.equal(r.filesystem.joliet, false);
        assert.equal(r.filesystem.elTorito.length, 1);
        const et = r.filesystem.elTorito[0]!;
        assert.match(pvd.stdout, new RegExp(`Bootoff [0-9A-F]+ ${et.loadRba}\\b`));
        assert.equal(et.sectorCount, 8);
        assert.equal(et.loadSegment, 0x07c0);
        const w = r.windows!;
        // editions as wimlib-imagex reads them from the same install.wim
        await runOk('7z', ['x', '-y', '-tUdf', `-o${t.path}`, iso, 'sources/install.wim']);
        const oracle = await wimlibImages(join(t.path, 'sources', 'install.wim'));
        assert.deepEqual(
          w.editions.map((e) => ({ index: e.index, name: e.name, editionId: e.editionId, arch: e.arch, build: e.build, languages: e.languages })),
          oracle,
        );
        assert.equal(w.build, 7601);
        assert.equal(w.sp, 1);
        assert.equal(w.version, '6.1.7601.17514');
        assert.equal(w.product, 'Windows 7');
        assert.equal(w.arch, arch);
        assert.deepEqual(w.languages, ['en-US']);
        assert.equal(w.uefi, arch === 'x64');
        assert.equal(w.needsBootx64FromWim, arch === 'x64');
        assert.deepEqual(w.eiCfg, { editionId: 'Professional', channel: 'Retail', volumeLicense: false });
        assert.equal(w.idwbinfo?.['BuildArch'], arch === 'x64' ? 'amd64' : 'x86');
        assert.equal(w.cversion?.['MinClient'], '7600.16385');
        const codes = w.warnings.map((x) => x.code).sort();
        assert.deepEqual(codes, arch === 'x64' ? ['W_NO_USB3_DRIVERS', 'W_UEFI_NEEDS_CSM'] : ['W_NO_USB3_DRIVERS', 'W_X86_NO_UEFI']);
        assert.equal(r.partitionTable, null);
        assert.equal(r.sha1, undefined);
      } finally {
        t.cleanup();
      }
    });
  }
}

test('--hash: SHA-1/SHA-256 agree with sha1sum/sha256sum; catalog match via a user catalog', async () => {
  const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
  const sha1 = (await runOk('sha1sum', [iso])).stdout.split(' ')[0];
  const sha256 = (await runOk('sha256sum', [iso])).stdout.split(' ')[0];
  const t = tempDir();
  try {
    const progress: number[] = [];
    const none = await inspectImage(iso, { hash: true, onProgress: (p) => progress.push(p.bytes), catalog: loadCatalog({ userPath: null }) });
    assert.equal(none.sha1, sha1);
    assert.equal(none.sha256, sha256);
    assert.equal(none.catalogMatch, null);
    assert.equal(progress.at(-1), statSync(iso).size);
    const user = join(t.path, 'catalog.json');
    writeFileSync(user, JSON.stringify({ entries: [{ file: 'test_windows_7_professional_x64.iso', sha1, source: 'our test' }, { file: 'broken' }] }));
    const cat = loadCatalog({ userPath: user });
    assert.equal(cat.entries.length, loadCatalog({ userPath: null }).entries.length + 1); // the built-in ones + 1 good user entry
    assert.equal(cat.warnings.length, 1);
    const r = await inspectImage(iso, { hash: true, catalog: cat });
    assert.deepEqual(r.catalogMatch, {
      file: 'test_windows_7_professional_x64.iso',
      by: 'sha1',
      source: 'our test',
      origin: user,
      message: 'matches test_windows_7_professional_x64.iso as listed publicly',
    });
    // a listed SHA-256 that disagrees makes it no match
    writeFileSync(user, JSON.stringify([{ file: 'x.iso', sha1, sha256: '0'.repeat(64) }]));
    assert.equal((await inspectImage(iso, { hash: true, catalog: loadCatalog({ userPath: user }) })).catalogMatch, null);
  } finally {
    t.cleanup();
  }
});

test('built-in catalog still holds the publicly listed Win7 Professional SP1 x64 release (the full catalog: catalog.test.ts)', () => {
  const c = loadCatalog({ userPath: null });
  assert.deepEqual(c.warnings, []);
  const x64sp1 = c.entries.find((e) => e.file === 'en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso');
  assert.equal(x64sp1?.sha1, '0bcfc54019ea175b1ee51f6d2b207a3d14dd2b58');
  assert.equal(x64sp1?.sha256, '3dae1a531b90fa72e59b4a86b20216188d398c8c070da4a5c5a44fe08b1b6e55');
});

test('hybrid ISO: kind hybrid, partitions as sfdisk reads them', async () => {
  const iso = await fixture('iso-build.sh', ['hybrid']);
  const r = await inspectImage(iso);
  assert.equal(r.kind, 'hybrid');
  assert.equal(r.windows, null);
  const sf = JSON.parse((await runOk('sfdisk', ['--json', iso])).stdout) as { partitiontable: { partitions: { start: number; size: number; type: string }[] } };
  assert.ok(r.partitionTable);
  assert.deepEqual(
    r.partitionTable.partitions.map((p) => ({ start: p.start, size: p.sectors, type: p.type.toString(16) })),
    sf.partitiontable.partitions.map((p) => ({ start: p.start, size: p.size, type: p.type })),
  );
  assert.equal(r.label, 'TREE_HYBRID');
});

test('raw images, non-Windows ISOs and garbage', async () => {
  const t = tempDir();
  try {
    // .img with an MBR written by sfdisk → hybrid (copied byte for byte)
    const mbr = join(t.path, 'disk.img');
    writeFileSync(mbr, Buffer.alloc(4 * 1024 * 1024));
    await runOk('sh', ['-c', 'printf "start=2048, type=c, bootable\\n" | sfdisk --quiet "$0"', mbr]);
    const rm = await inspectImage(mbr);
    assert.equal(rm.kind, 'hybrid');
    assert.equal(rm.partitionTable?.kind, 'mbr');
    assert.deepEqual(rm.partitionTable?.partitions.map((p) => [p.start, p.type, p.bootable]), [[2048, 0x0c, true]]);
    // GPT written by sfdisk
    const gpt = join(t.path, 'gpt.img');
    writeFileSync(gpt, Buffer.alloc(4 * 1024 * 1024));
    await runOk('sh', ['-c', 'printf "label: gpt\\nstart=2048, type=U\\n" | sfdisk --quiet "$0"', gpt]);
    const rg = await inspectImage(gpt);
    assert.equal(rg.kind, 'hybrid');
    assert.equal(rg.partitionTable?.kind, 'gpt');
    // .img without anything we know → raw
    const raw = join(t.path, 'blank.img');
    writeFileSync(raw, Buffer.alloc(1024 * 1024, 0x5a));
    const rr = await inspectImage(raw);
    assert.equal(rr.kind, 'raw');
    assert.equal(rr.windows, null);
    // the same bytes named .iso, or an odd size → not an image
    const notIso = join(t.path, 'blank.iso');
    copyFileSync(raw, notIso);
    await assert.rejects(inspectImage(notIso), isCode('E_FORMAT'));
    const odd = join(t.path, 'odd.img');
    writeFileSync(odd, Buffer.alloc(1000));
    await assert.rejects(inspectImage(odd), isCode('E_FORMAT'));
    await assert.rejects(inspectImage(join(t.path, 'missing.iso')), isCode('E_NOT_FOUND'));
    writeFileSync(join(t.path, 'empty.iso'), '');
    await assert.rejects(inspectImage(join(t.path, 'empty.iso')), isCode('E_FORMAT'));
    // a readable ISO that is neither Windows media nor hybrid
    await assert.rejects(inspectImage(await fixture('iso-build.sh', ['joliet'])), isCode('E_UNSUPPORTED'));
    // truncated Windows ISO
    const iso = await fixture('win7-iso.sh', ['--arch', 'x64', '--style', 'udf-only']);
    const cut = join(t.path, 'cut.iso');
    copyFileSync(iso, cut);
    await runOk('truncate', ['-s', String(Math.floor(statSync(iso).size / 2)), cut]);
    await assert.rejects(inspectImage(cut), (e: unknown) => e instanceof SevenStickError && e.exitCode === 2 && /truncated/.test(e.message));
  } finally {
    t.cleanup();
  }
});

/** Builds a udf-only Win7-like ISO from `tree` with the repo's pycdlib script. */
async function udfIso(tree: string, out: string): Promise<string> {
  await runOk('/usr/bin/python3', [join(REPO, 'scripts', 'fixtures', 'win7-iso-udf.py'), tree, out, 'VARIANT']);
  return out;
}

test('Windows media variants: multi-edition non-Professional, install.esd, install.swm', async () => {
  const t = tempDir();
  try {
    const wim = await editionsWim(t.path, ['HomeBasic', 'Ultimate'], { arch: 0, build: 7600, language: 'de-DE' });
    const mk = async (name: string, file: string, src: string): Promise<string> => {
      const tree = join(t.path, name);
      mkdirSync(join(tree, 'sources'), { recursive: true });
      copyFileSync(src, join(tree, 'sources', file));
      writeFileSync(join(tree, 'bootmgr'), Buffer.alloc(4096, 1));
      return udfIso(tree, join(t.path, `${name}.iso`));
    };
    const multi = await inspectImage(await mk('multi', 'install.wim', wim));
    assert.equal(multi.kind, 'windows');
    const w = multi.windows!;
    assert.deepEqual(w.editions.map((e) => [e.index, e.name, e.editionId, e.arch]), [
      [1, 'Windows 7 HOMEBASIC', 'HomeBasic', 'x86'],
      [2, 'Windows 7 ULTIMATE', 'Ultimate', 'x86'],
    ]);
    assert.equal(w.build, 7600);
    assert.equal(w.sp, 0);
    assert.deepEqual(w.languages, ['de-DE']);
    assert.equal(w.uefi, false);
    const codes = w.warnings.map((x) => x.code);
    for (const c of ['W_X86_NO_UEFI', 'W_NOT_PROFESSIONAL', 'W_MULTI_EDITION', 'W_NO_USB3_DRIVERS']) assert.ok(codes.includes(c as never), c);
    assert.equal(w.eiCfg, null);

    // install.esd: a solid LZMS WIM made by wimlib
    const esd = join(t.path, 'install.esd');
    await runOk('wimlib-imagex', ['export', wim, 'all', esd, '--solid']);
    const e = (await inspectImage(await mk('esd', 'install.esd', esd))).windows!;
    assert.equal(e.installImage?.format, 'esd');
    assert.ok(e.warnings.some((x) => x.code === 'W_INSTALL_ESD'));
    assert.equal(e.editions.length, 2);

    // install.swm (split)
    const s = (await inspectImage(await mk('swm', 'install.swm', wim))).windows!;
    assert.equal(s.installImage?.format, 'swm');
    assert.ok(s.warnings.some((x) => x.code === 'W_SPLIT_WIM'));
  } finally {
    t.cleanup();
  }
});

test('WIM XML parsing: UTF-16 text as wimlib writes it, hex numbers, missing fields', () => {
  const eds = editionsFromWimXml('<WIM><IMAGE INDEX="3"><NAME>N &amp; M</NAME><WINDOWS><ARCH>9</ARCH><EDITIONID>Professional</EDITIONID><LANGUAGES><LANGUAGE>en-US</LANGUAGE><LANGUAGE>fr-FR</LANGUAGE></LANGUAGES><VERSION><BUILD>0x1DB1</BUILD></VERSION></WINDOWS></IMAGE><IMAGE INDEX="4"></IMAGE></WIM>');
  assert.deepEqual(eds[0], { index: 3, name: 'N & M', editionId: 'Professional', arch: 'x64', languages: ['en-US', 'fr-FR'], build: 7601 });
  assert.deepEqual(eds[1], { index: 4, name: '', editionId: '', arch: 'unknown', languages: [] });
  assert.throws(() => editionsFromWimXml('<WIM><IMAGE'), isCode('E_FORMAT'));
});

test('pasted checksums and catalog validation', async () => {
  const { matchChecksum, parseCatalog } = await import('../../engine/index.js');
  const d = { sha1: 'a'.repeat(40), sha256: 'b'.repeat(64) };
  assert.deepEqual(matchChecksum(d, ' AAAA' + 'a'.repeat(36) + '\n'), { algorithm: 'sha1', matches: true });
  assert.deepEqual(matchChecksum(d, 'c'.repeat(64)), { algorithm: 'sha256', matches: false });
  assert.equal(matchChecksum(d, 'not a checksum'), null);
  const c = parseCatalog({ entries: [{ file: 'a.iso', sha1: 'A'.repeat(40) }, { file: 'b.iso', sha1: 'xyz' }, { sha256: 'b'.repeat(64) }, 7] }, 'user.json');
  assert.deepEqual(c.entries, [{ file: 'a.iso', sha1: 'a'.repeat(40), origin: 'user.json' }]);
  assert.equal(c.warnings.length, 3);
  assert.equal(parseCatalog('nonsense', 'x').entries.length, 0);
});

test('hashing can be cancelled (E_CANCELLED) and reports progress in order', async () => {
  const { hashReader, BufferReader } = await import('../../engine/index.js');
  const data = Buffer.alloc(32 * 1024 * 1024, 7);
  const ac = new AbortController();
  const seen: number[] = [];
  await assert.rejects(
    hashReader(new BufferReader(data), {
      chunkSize: 1024 * 1024,
      signal: ac.signal,
      onProgress: (p) => {
        seen.push(p.bytes);
        ac.abort(); // the first event comes before any chunk is read
      },
    }),
    isCode('E_CANCELLED'),
  );
  assert.deepEqual([...seen].sort((a, b) => a - b), seen);
  // and the same data hashed fully matches node:crypto
  const { createHash } = await import('node:crypto');
  const d = await hashReader(new BufferReader(data), { chunkSize: 3 * 1024 * 1024 + 5 });
  assert.equal(d.sha1, createHash('sha1').update(data).digest('hex'));
  assert.equal(d.sha256, createHash('sha256').update(data).digest('hex'));
});
