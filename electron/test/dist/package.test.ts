/**
 * Packaging: electron-builder's Linux `--dir` target, built offline from this repository's real build
 * output, with a stub Electron distribution (electronDist) instead of a downloaded one. The outcome is
 * judged by reading what electron-builder wrote: the archive through @electron/asar (electron-builder's
 * own archive reader), the unpacked files on disk, and by running the unpacked helper and the extracted
 * CLI with plain Node from a folder outside the repository (so nothing resolves from the repo's
 * node_modules).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { hasTool, REPO, run, runOk, tempDir } from '../helpers/tools.js';
import type { LinuxTargetsResult } from './linux-targets.js';

interface AsarEntry {
  unpacked?: boolean;
  size?: number;
}
interface AsarModule {
  listPackage(archive: string, options: { isPack: boolean }): string[];
  statFile(archive: string, filename: string, followLinks?: boolean): AsarEntry;
  extractFile(archive: string, filename: string): Buffer;
  extractAll(archive: string, dest: string): void;
}

const tmp = tempDir('sevenstick-dist-');
const OUT = join(tmp.path, 'out');
const APP = join(OUT, 'linux-unpacked');
const RESOURCES = join(APP, 'resources');
const ASAR = join(RESOURCES, 'app.asar');
const UNPACKED = join(RESOURCES, 'app.asar.unpacked');
const CACHE = join(tmp.path, 'cache');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

interface BuilderConfig {
  electronFuses?: Record<string, boolean>;
  nsis?: { perMachine?: boolean; oneClick?: boolean; allowToChangeInstallationDirectory?: boolean };
  win?: { requestedExecutionLevel?: string };
}
function builderConfig(): BuilderConfig {
  return createRequire(__filename)(join(REPO, 'electron-builder.config.cjs')) as BuilderConfig;
}

let asar: AsarModule;
/** Every path in app.asar, without the leading slash. */
let listing: string[] = [];
let builderLog = '';

/** Electron's fuse wire marker (@electron/fuses): the wire follows it as [version 1, length, states…]. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** The wire's fuses in order (FuseV1Options) with Electron's defaults ('1' on, '0' off). */
const FUSES = [
  ['runAsNode', '1'],
  ['enableCookieEncryption', '0'],
  ['enableNodeOptionsEnvironmentVariable', '1'],
  ['enableNodeCliInspectArguments', '1'],
  ['enableEmbeddedAsarIntegrityValidation', '0'],
  ['onlyLoadAppFromAsar', '0'],
  ['loadBrowserProcessSpecificV8Snapshot', '0'],
  ['grantFileProtocolExtraPrivileges', '1'],
] as const;

/** The fuse wire in an executable, by name: true on, false off. */
function readFuses(file: string): Record<string, boolean> {
  const bin = readFileSync(file);
  const at = bin.indexOf(FUSE_SENTINEL);
  assert.ok(at >= 0, `${file} has a fuse wire`);
  assert.equal(bin.lastIndexOf(FUSE_SENTINEL), at, 'one fuse wire');
  const pos = at + FUSE_SENTINEL.length;
  assert.equal(bin[pos], 1, 'fuse wire version 1');
  assert.equal(bin[pos + 1], FUSES.length);
  return Object.fromEntries(FUSES.map(([name], i) => [name, String.fromCharCode(bin[pos + 2 + i] ?? 0) === '1']));
}

/**
 * A stand-in for Electron's Linux zip, unpacked: what electron-builder copies and renames. Its
 * "binary" carries a fuse wire with Electron's default states (after the script's exit), so
 * electron-builder's @electron/fuses really flips it as it would in Electron's executable.
 */
function makeStubElectron(dir: string): void {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  const wire = Buffer.concat([Buffer.from(FUSE_SENTINEL), Buffer.from([1, FUSES.length]), Buffer.from(FUSES.map(([, d]) => d).join(''))]);
  writeFileSync(join(dir, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\necho "stub electron $*"\nexit 0\n# '), wire, Buffer.from('\n')]), { mode: 0o755 });
  writeFileSync(join(dir, 'chrome-sandbox'), '', { mode: 0o755 });
  writeFileSync(join(dir, 'LICENSE'), 'stub\n');
  writeFileSync(join(dir, 'LICENSES.chromium.html'), '<p>stub</p>\n');
}

function walkFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walkFiles(p, out);
    else out.push(p);
  }
  return out;
}

before(async () => {
  asar = (await import('@electron/asar')) as unknown as AsarModule;
  assert.ok(existsSync(join(REPO, pkg.main)), `${pkg.main} is built (npx tsc -b runs before the tests)`);
  if (!existsSync(join(REPO, 'build', 'renderer', 'index.html'))) {
    await runOk('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts'], { cwd: REPO, timeoutMs: 120_000 });
  }
  const stub = join(tmp.path, 'electron-dist');
  makeStubElectron(stub);
  const r = await run(
    'npx',
    [
      'electron-builder',
      '--linux',
      'dir',
      '--config',
      'electron-builder.config.cjs',
      '--publish',
      'never',
      `--config.electronDist=${stub}`,
      '--config.npmRebuild=false',
      `--config.directories.output=${OUT}`,
    ],
    {
      cwd: REPO,
      timeoutMs: 150_000,
      env: {
        ...process.env,
        ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
        // Nothing may be downloaded: any attempt goes to a closed port and fails, and the caches stay empty.
        HTTP_PROXY: 'http://127.0.0.1:9',
        HTTPS_PROXY: 'http://127.0.0.1:9',
        http_proxy: 'http://127.0.0.1:9',
        https_proxy: 'http://127.0.0.1:9',
        ELECTRON_BUILDER_CACHE: join(CACHE, 'electron-builder'),
        ELECTRON_CACHE: join(CACHE, 'electron'),
        CSC_IDENTITY_AUTO_DISCOVERY: 'false',
      },
    },
  );
  builderLog = r.stdout + r.stderr;
  assert.equal(r.code, 0, `electron-builder failed:\n${builderLog}`);
  listing = asar.listPackage(ASAR, { isPack: false }).map((p) => p.replace(/^[/\\]/, ''));
});

after(() => tmp.cleanup());

test('electron-builder packaged offline: the stub Electron became the app, nothing was downloaded', () => {
  const exe = join(APP, 'sevenstick');
  assert.ok(statSync(exe).isFile());
  accessSync(exe, constants.X_OK);
  assert.ok(!existsSync(join(APP, 'electron')), 'the Electron binary is renamed to the executable name');
  assert.ok(!existsSync(CACHE) || walkFiles(CACHE).length === 0, 'no download cache was filled');
  assert.doesNotMatch(builderLog, /downloading|downloaded/i);
});

test('the packaged executable\'s Electron fuses are flipped as configured (RunAsNode stays on for the CLI and the helper)', () => {
  const expected = {
    runAsNode: true,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  };
  assert.deepEqual(builderConfig().electronFuses, expected, 'electron-builder.config.cjs electronFuses');
  // The stub went in with Electron's defaults; the packaged executable carries the configured states.
  assert.notDeepEqual(readFuses(join(tmp.path, 'electron-dist', 'electron')), expected);
  assert.deepEqual(readFuses(join(APP, 'sevenstick')), expected);
  assert.match(builderLog, /executing @electron\/fuses/);
});

test('the Windows installer is per-machine (Program Files) and its folder cannot be changed', () => {
  const c = builderConfig();
  assert.equal(c.nsis?.perMachine, true);
  assert.equal(c.nsis?.oneClick, false, 'assisted installer: with perMachine it shows no per-user choice');
  assert.equal(c.nsis?.allowToChangeInstallationDirectory, false);
  assert.equal(c.win?.requestedExecutionLevel, 'asInvoker', 'the app itself runs unelevated');
});

test('app.asar holds package.json, the built main, preload and renderer', () => {
  const shipped = JSON.parse(asar.extractFile(ASAR, 'package.json').toString('utf8')) as { main: string; name: string; version: string };
  assert.equal(shipped.main, pkg.main);
  for (const f of [shipped.main, 'build/electron/preload/index.js', 'build/renderer/index.html', 'build/electron/cli/index.js', 'build/electron/shared/contract.js']) {
    assert.ok(listing.includes(f), `${f} is in app.asar`);
  }
  // The renderer's bundle: every asset index.html names is shipped.
  const html = asar.extractFile(ASAR, 'build/renderer/index.html').toString('utf8');
  const assets = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)].map((m) => `build/renderer/${m[1]}`);
  assert.ok(assets.length >= 1, 'index.html references its bundle');
  for (const a of assets) assert.ok(listing.includes(a), `${a} is in app.asar`);
  // Byte-for-byte the build output.
  assert.deepEqual(asar.extractFile(ASAR, pkg.main), readFileSync(join(REPO, pkg.main)));
  // Every compiled Node-side file except the tests is shipped.
  const built = walkFiles(join(REPO, 'build', 'electron'))
    .map((f) => relative(REPO, f).split('\\').join('/'))
    .filter((f) => f.endsWith('.js') && !f.startsWith('build/electron/test/'));
  const missing = built.filter((f) => !listing.includes(f));
  assert.deepEqual(missing, []);
});

test('no tests, source maps, TypeScript, declarations, bench/, scripts/ or dev packages are shipped', () => {
  const junk = listing.filter(
    (p) =>
      p.startsWith('build/electron/test') ||
      /\.(map|ts|tsx|mts|cts|tsbuildinfo)$/.test(p) ||
      /^(bench|scripts|renderer|electron|e2e|\.ci|build\/types|build\/fixtures|build\/dist-linux|dist|test-results)(\/|$)/.test(p) ||
      /^assets\/(linux|icons)(\/|$)|\.(asm|sh)$/.test(p) ||
      /^(README|ARCHITECTURE|CHANGELOG|SECURITY)\.md$|^tsconfig|^eslint\.config|^electron-builder\.config/.test(p),
  );
  assert.deepEqual(junk, []);
  const shippedPackages = new Set(listing.filter((p) => p.startsWith('node_modules/')).map((p) => p.split('/').slice(1, p.split('/')[1]?.startsWith('@') ? 3 : 2).join('/')));
  const devShipped = Object.keys(pkg.devDependencies).filter((d) => shippedPackages.has(d));
  assert.deepEqual(devShipped, [], 'no devDependency (electron, typescript, vite, react, …) is in the app');
  for (const dep of Object.keys(pkg.dependencies)) assert.ok(shippedPackages.has(dep), `dependency ${dep} is shipped`);
  assert.ok(!shippedPackages.has('prebuild-install'), 'install-time tools are not shipped');
});

test('the helper and everything it loads are unpacked; every native module is unpacked', () => {
  const helperFiles = listing.filter((p) => /^build\/electron\/(helper|engine|shared)\/.+\.js$/.test(p));
  assert.ok(helperFiles.includes('build/electron/helper/index.js'));
  for (const f of helperFiles) {
    assert.equal(asar.statFile(ASAR, f).unpacked, true, `${f} is marked unpacked`);
    assert.ok(statSync(join(UNPACKED, f)).isFile(), `${f} is a file in app.asar.unpacked`);
  }
  for (const f of ['assets/boot/mbr.bin', 'assets/boot/fat32.bin', 'assets/catalog/windows7.json']) {
    assert.deepEqual(readFileSync(join(UNPACKED, f)), readFileSync(join(REPO, f)), `${f} unpacked as in the repo`);
  }
  const natives = listing.filter((p) => p.endsWith('.node'));
  assert.ok(natives.some((p) => p.startsWith('node_modules/drivelist/')), 'drivelist.node is shipped');
  assert.ok(natives.some((p) => p.startsWith('node_modules/@ronomon/direct-io/')), 'direct-io binding is shipped');
  for (const n of natives) {
    assert.equal(asar.statFile(ASAR, n).unpacked, true, `${n} is unpacked`);
    assert.ok(statSync(join(UNPACKED, n)).size > 0);
  }
});

test('the unpacked helper runs from plain files: its imports and native modules resolve there', async () => {
  // The helper loads engine, shared and its npm packages at start-up, then refuses the missing --dir (exit 2).
  const entry = join(UNPACKED, 'build', 'electron', 'helper', 'index.js');
  const r = await run(process.execPath, [entry], { cwd: tmp.path, env: { PATH: process.env.PATH ?? '' } });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--dir <absolute path> is required/);
  // The lazily loaded native modules resolve from the unpacked engine's folder and load (N-API / built for this ABI).
  const probe = `
    const { createRequire } = require('node:module');
    const req = createRequire(${JSON.stringify(join(UNPACKED, 'build', 'electron', 'engine', 'device', 'drives.js'))});
    const a = req.resolve('drivelist'), b = req.resolve('@ronomon/direct-io');
    if (!a.startsWith(${JSON.stringify(UNPACKED)}) || !b.startsWith(${JSON.stringify(UNPACKED)})) throw new Error('resolved outside: ' + a + ' ' + b);
    console.log(typeof req('drivelist').list, typeof req('@ronomon/direct-io').setF_NOCACHE);`;
  const p = await run(process.execPath, ['-e', probe], { cwd: tmp.path, env: { PATH: process.env.PATH ?? '' } });
  assert.equal(p.code, 0, p.stderr);
  assert.equal(p.stdout.trim(), 'function function');
});

test('the packaged CLI runs: `sevenstick --version` from the extracted archive prints the package version', async () => {
  const dest = join(tmp.path, 'extracted');
  asar.extractAll(ASAR, dest);
  const r = await run(process.execPath, [join(dest, 'build', 'electron', 'cli', 'index.js'), '--version'], { cwd: tmp.path, env: { PATH: process.env.PATH ?? '' } });
  assert.equal(r.code, 0, r.stderr);
  const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
  assert.equal(r.stdout.trim(), version);
});

test('the polkit action, launcher and CLI wrapper ship in resources/linux', () => {
  for (const f of ['org.sevenstick.helper.policy', 'sevenstick-helper', 'sevenstick-cli']) {
    assert.deepEqual(readFileSync(join(RESOURCES, 'linux', f)), readFileSync(join(REPO, 'assets', 'linux', f)), `resources/linux/${f}`);
  }
});

test('the .deb (electron-builder\'s computed fpm file list) installs the app, polkit action, launcher, CLI, icons and desktop entry', async () => {
  for (const [tool, pkgName] of [['desktop-file-validate', 'desktop-file-utils'], ['file', 'file']]) {
    assert.ok(hasTool(tool), `${tool} (Debian package ${pkgName}) is an oracle here: scripts/ensure-tools.sh installs it`);
  }
  const stub = join(tmp.path, 'electron-dist');
  const r = await run(process.execPath, [join(__dirname, 'linux-targets.js'), REPO, stub, join(tmp.path, 'targets')], {
    cwd: REPO,
    timeoutMs: 150_000,
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', ELECTRON_BUILDER_CACHE: join(CACHE, 'electron-builder') },
  });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  assert.ok(line, r.stdout);
  const targets = JSON.parse(line.slice('RESULT '.length)) as LinuxTargetsResult;
  const deb = targets.deb;
  assert.ok(deb && targets.appImage, 'both the deb and the AppImage target ran');
  assert.ok(!existsSync(CACHE) || walkFiles(CACHE).length === 0, 'no download cache was filled');

  // fpm's positional "source=destination" arguments are the package's file list.
  const mapping = new Map(deb.args.filter((a) => /^\/.*=\//.test(a)).map((a) => a.split('=') as [string, string]).map(([src, dst]) => [dst, src]));
  const flag = (name: string): string | undefined => deb.args[deb.args.indexOf(name) + 1];
  assert.equal(flag('--name'), 'sevenstick');
  assert.ok(flag('--url')?.startsWith('https://'), 'Homepage');
  assert.match(flag('--maintainer') ?? '', /<.+@.+>/, 'Maintainer with an e-mail');
  const appdirEntry = [...mapping].find(([, src]) => src.endsWith('linux-unpacked/'));
  assert.ok(appdirEntry, 'the app folder is packaged');
  const appdir = appdirEntry[0];
  assert.equal(appdir, '/opt/SevenStick');

  const policy = join(REPO, 'assets', 'linux', 'org.sevenstick.helper.policy');
  assert.equal(mapping.get('/usr/share/polkit-1/actions/org.sevenstick.helper.policy'), policy);
  const xml = readFileSync(policy, 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  const execPath = /key="org\.freedesktop\.policykit\.exec\.path">([^<]+)</.exec(xml)?.[1];
  assert.ok(execPath, 'the action names the program pkexec may run');
  const onDisk = (installed: string): string => join(APP, relative(appdir, installed));

  // The launcher polkit names and the CLI wrapper: generated with the install folder filled in, and the
  // scripts they run exist in the package (in app.asar for the CLI, unpacked for the helper).
  for (const [installed, scriptPath] of [
    [execPath, /"\$APPDIR\/([^"]+helper\/index\.js)"/],
    ['/usr/bin/sevenstick', /"\$APPDIR\/([^"]+cli\/index\.js)"/],
  ] as const) {
    const src = mapping.get(installed);
    assert.ok(src && existsSync(src), `the .deb installs ${installed} from an existing file`);
    accessSync(src, constants.X_OK);
    const text = readFileSync(src, 'utf8');
    assert.doesNotMatch(text, /^APPDIR='@APPDIR@'$/m);
    assert.match(text, new RegExp(`^APPDIR='${appdir}'$`, 'm'));
    assert.match(text, /ELECTRON_RUN_AS_NODE=1/);
    if (installed === execPath) assert.match(text, /^exec \/usr\/bin\/env -i PATH=\/usr\/sbin:\/usr\/bin:\/sbin:\/bin PKEXEC_UID="\$\{PKEXEC_UID:-\}" /m, 'the launcher clears the environment, fixes PATH, passes PKEXEC_UID');
    assert.match(text, /^exec [^#]*"\$APPDIR\/sevenstick" "\$APPDIR\//m, 'it runs the packaged executable');
    const target = scriptPath.exec(text)?.[1];
    assert.ok(target, `${installed} names a script`);
    const inAsar = /^resources\/app\.asar\/(.+)$/.exec(target);
    if (inAsar?.[1]) assert.ok(listing.includes(inAsar[1]), `${target} exists in the package`);
    else assert.ok(statSync(onDisk(`${appdir}/${target}`)).isFile(), `${target} exists in the package`);
    const sh = await run('sh', ['-n', src]);
    assert.equal(sh.code, 0, sh.stderr);
  }

  // Icons: hicolor sizes from the generated PNG set, each really that size (file(1) reads the header).
  const icons = [...mapping].filter(([dst]) => dst.startsWith('/usr/share/icons/hicolor/'));
  for (const size of [16, 32, 48, 128, 256, 512]) {
    const entry = icons.find(([dst]) => dst === `/usr/share/icons/hicolor/${size}x${size}/apps/sevenstick.png`);
    assert.ok(entry, `${size}px icon installed`);
    const f = await runOk('file', ['-b', entry[1]]);
    assert.match(f.stdout, new RegExp(`^PNG image data, ${size} x ${size}, `));
  }

  // Desktop entries (deb and AppImage): valid per desktop-file-validate, "Open with" for ISO/IMG.
  const desktopSrc = mapping.get('/usr/share/applications/sevenstick.desktop');
  assert.ok(desktopSrc, 'the desktop entry is sevenstick.desktop (matches desktopName, the Wayland app id)');
  for (const [name, text] of [['deb', deb.desktop], ['AppImage', targets.appImage.desktop]] as const) {
    const file = join(tmp.path, `${name}.desktop`);
    writeFileSync(file, text);
    const v = await run('desktop-file-validate', [file]);
    assert.equal(v.code, 0, `${name}: ${v.stdout}${v.stderr}`);
    assert.match(text, /^MimeType=.*application\/x-cd-image;.*application\/x-raw-disk-image;/m);
    assert.match(text, /^Categories=.*Utility;/m);
    assert.match(text, /^Icon=sevenstick$/m);
    assert.match(text, /^Exec=\S+ .*%U$/m);
  }
  assert.match(deb.desktop, /^Exec=\/opt\/SevenStick\/sevenstick %U$/m);

  // Maintainer scripts: ours, with every electron-builder macro filled in, valid bash.
  for (const [name, text] of [['after-install', deb.afterInstall], ['after-remove', deb.afterRemove]] as const) {
    assert.doesNotMatch(text, /\$\{[a-zA-Z]+\}/, `${name}: no unfilled macro`);
    assert.match(text, /SevenStick|sevenstick/);
    const file = join(tmp.path, `${name}.sh`);
    writeFileSync(file, text);
    const bash = await run('bash', ['-n', file]);
    assert.equal(bash.code, 0, bash.stderr);
  }
  assert.match(deb.afterInstall, /APPDIR='\/opt\/SevenStick'/);
  assert.doesNotMatch(deb.afterInstall, /ln -sf? .*\/usr\/bin\/sevenstick/, 'the GUI binary does not take /usr/bin/sevenstick from the CLI');
});

test('the Windows installer include compiles (makensis)', { skip: !hasTool('makensis') && 'makensis not installed' }, async () => {
  const dir = join(tmp.path, 'nsis');
  mkdirSync(dir, { recursive: true });
  const nsi = join(dir, 'probe.nsi');
  writeFileSync(
    nsi,
    [
      'Unicode true',
      '!define APP_EXECUTABLE_FILENAME "SevenStick.exe"',
      `!include "${join(REPO, 'assets', 'windows', 'installer.nsh')}"`,
      `OutFile "${join(dir, 'probe.exe')}"`,
      'RequestExecutionLevel user',
      'Section "Install"',
      '  SetShellVarContext current',
      '  !insertmacro customInstall',
      '  WriteUninstaller "$INSTDIR\\uninstall.exe"',
      'SectionEnd',
      'Section "Uninstall"',
      '  !insertmacro customUnInstall',
      'SectionEnd',
      '',
    ].join('\n'),
  );
  const r = await run('makensis', ['-V2', '-WX', nsi]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.ok(statSync(join(dir, 'probe.exe')).size > 0);
});
