/**
 * electron-builder configuration: Linux AppImage + deb, Windows NSIS, macOS dmg.
 * `npm run dist` builds (tsc -b + vite) and packages for the platform it runs on.
 *
 * What goes into the app (resources/app.asar): package.json, the compiled Node side
 * (build/electron minus its tests), the renderer bundle (build/renderer), the boot code binaries and
 * the checksum catalog (assets/boot/*.bin, assets/catalog/) — nothing else: no tests, source maps,
 * TypeScript sources or declarations, bench/ or scripts/.
 *
 * Unpacked next to the archive (resources/app.asar.unpacked/): the privileged helper and everything it
 * loads — helper/, engine/, shared/, the assets the engine reads, and the npm packages the helper's code
 * imports (computed below from the compiled code, so a new engine dependency is unpacked too). So the
 * root helper runs plain files that need no archive support (the .deb's pkexec launcher starts
 * app.asar.unpacked/build/electron/helper/index.js), and the native modules (drivelist,
 * @ronomon/direct-io) are real files for dlopen. Code inside app.asar that requires an unpacked file
 * still finds it: Electron redirects reads of unpacked entries.
 *
 * Electron's fuses (electronFuses, flipped in the packaged binary before signing) are below.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = __dirname;
const PRODUCT = 'SevenStick';
const EXECUTABLE = 'sevenstick';
/** Where the .deb installs the app (electron-builder: /opt/<sanitized product name>). */
const DEB_APPDIR = `/opt/${PRODUCT}`;
/** Generated per build by the beforePack hook (the packaged launcher + CLI wrapper for the .deb). */
const LINUX_GEN = path.join(ROOT, 'build', 'dist-linux');
/** The helper's compiled code: the folders the helper's entry point reaches (helper → engine, shared). */
const HELPER_DIRS = ['build/electron/helper', 'build/electron/engine', 'build/electron/shared'];

/** Bare package names a compiled .js file imports (require("x"), import("x"), from "x"). */
function importedPackages(file) {
  const src = fs.readFileSync(file, 'utf8');
  const names = new Set();
  const re = /(?:require\(|import\(|from\s+)["']([^"'./][^"']*)["']/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const spec = m[1];
    if (spec.startsWith('node:')) continue;
    const parts = spec.split('/');
    names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
  }
  return names;
}

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.js')) out.push(p);
  }
  return out;
}

/**
 * Packages a dependency needs only to be installed or built (drivelist's prebuilt-binary downloader and
 * N-API headers): never loaded at run time, so neither they nor what only they pull in are shipped.
 */
const INSTALL_ONLY = new Set(['prebuild-install', 'node-addon-api', 'node-gyp-build', 'node-gyp']);

/** The dependency closure (top-level node_modules) of `roots`, not walking into INSTALL_ONLY packages when `prune`. */
function closure(roots, prune) {
  const queue = [...roots];
  const seen = new Set();
  while (queue.length > 0 && seen.size < 2000) {
    const name = queue.shift();
    if (seen.has(name) || (prune && INSTALL_ONLY.has(name))) continue;
    const pj = path.join(ROOT, 'node_modules', name, 'package.json');
    if (!fs.existsSync(pj)) continue; // optional, or nested (electron-builder copies what npm installed)
    seen.add(name);
    const meta = JSON.parse(fs.readFileSync(pj, 'utf8'));
    for (const dep of Object.keys({ ...meta.dependencies, ...meta.optionalDependencies })) queue.push(dep);
  }
  return seen;
}

const APP_DEPENDENCIES = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).dependencies ?? {});

/** Packages electron-builder would ship only because an install-time tool depends on them. */
function installOnlyPackages() {
  const runtime = closure(APP_DEPENDENCIES, true);
  return [...closure(APP_DEPENDENCIES, false)].filter((n) => !runtime.has(n)).sort();
}

/** The run-time closure of the packages the helper's compiled code imports: unpacked with it. */
function helperPackages() {
  if (!fs.existsSync(path.join(ROOT, 'build', 'electron', 'helper', 'index.js'))) {
    throw new Error('electron-builder.config.cjs: build/electron/helper/index.js is missing: run `npm run build` first (npm run dist does).');
  }
  const builtins = new Set(require('node:module').builtinModules);
  const roots = new Set();
  for (const dir of HELPER_DIRS) for (const f of walk(path.join(ROOT, dir))) for (const n of importedPackages(f)) if (!builtins.has(n)) roots.add(n);
  return [...closure(roots, true)].sort();
}

/** Writes the .deb's launcher (pkexec's exec.path) and CLI wrapper with the install directory filled in. */
function writeLinuxFiles() {
  fs.mkdirSync(LINUX_GEN, { recursive: true });
  for (const name of ['sevenstick-helper', 'sevenstick-cli']) {
    const template = fs.readFileSync(path.join(ROOT, 'assets', 'linux', name), 'utf8');
    const line = "APPDIR='@APPDIR@'";
    if (template.split('\n').filter((l) => l === line).length !== 1) throw new Error(`assets/linux/${name}: expected one line ${line}`);
    const text = template.replace(line, `APPDIR='${DEB_APPDIR}'`);
    fs.writeFileSync(path.join(LINUX_GEN, name), text, { mode: 0o755 });
    fs.chmodSync(path.join(LINUX_GEN, name), 0o755);
  }
}

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'org.sevenstick.app',
  productName: PRODUCT,
  copyright: 'Copyright © 2026 SevenStick contributors',
  directories: { output: 'dist', buildResources: 'assets/icons' },
  // package.json has no homepage/author yet; the .deb needs both (Homepage, Maintainer).
  extraMetadata: {
    homepage: 'https://github.com/sevenstick/sevenstick',
    author: { name: 'SevenStick contributors', email: 'sevenstick@users.noreply.github.com' },
    desktopName: 'sevenstick.desktop',
  },
  files: [
    'package.json',
    'build/electron/**/*.js',
    // The message catalogs (build/electron/shared/i18n/locales/<language>/<area>.json).
    'build/electron/**/*.json',
    '!build/electron/test{,/**/*}',
    'build/renderer/**/*',
    'assets/boot/*.bin',
    'assets/catalog/*.json',
    'assets/unattend/*.json',
    '!**/*.{map,ts,tsx,mts,cts,tsbuildinfo}',
    '!**/node_modules/**/{test,tests,__tests__,example,examples,docs,.github}/**',
    '!**/node_modules/**/*.{md,markdown,map,ts,cc,cpp,h,hpp,c,gyp,gypi,mk,o,a}',
    '!**/node_modules/**/{Makefile,binding.gyp,CHANGELOG*,.npmignore,.eslintrc*}',
    '!**/node_modules/**/{test,benchmark,test-browser,test-node}.js',
    '!**/node_modules/drivelist/build/Release/{obj.target,.deps,nothing.a,node-addon-api}{,/**/*}',
    '!**/node_modules/drivelist/{src,scripts,node-addon-api,shell.nix}{,/**/*}',
    '!**/node_modules/**/tsconfig.json',
    ...installOnlyPackages().map((p) => `!node_modules/${p}{,/**/*}`),
  ],
  asar: true,
  asarUnpack: [
    ...HELPER_DIRS.map((d) => `${d}/**/*`),
    'assets/boot/*.bin',
    'assets/catalog/*.json',
    ...helperPackages().map((p) => `node_modules/${p}/**/*`),
    '**/*.node',
  ],
  npmRebuild: true,
  beforePack: async () => writeLinuxFiles(),
  // Electron's fuses, written into the packaged executable (electron/test/dist/package.test.ts reads them back).
  electronFuses: {
    // ON, deliberately: the packaged app has no separate Node.js. The CLI wrapper (/usr/bin/sevenstick)
    // and the pkexec launcher (/usr/lib/sevenstick/sevenstick-helper), as well as main itself when it
    // starts the helper (helper-client.ts: directly as root, through the launcher, UAC or osascript), run
    // this binary with ELECTRON_RUN_AS_NODE=1 as plain Node. Whoever can set that variable for our
    // binary already runs code as that user; the root launcher clears the environment itself.
    runAsNode: true,
    // NODE_OPTIONS / NODE_EXTRA_CA_CERTS and --inspect / SIGUSR1 would let another local program inject
    // code into, or attach a debugger to, the app (and the elevated helper it starts): off.
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    // Windows and macOS check app.asar against the hash electron-builder embeds (a no-op on Linux, where
    // the install folder is root-owned); together with onlyLoadAppFromAsar no unchecked app folder
    // (resources/app) is ever loaded instead of the archive.
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    enableCookieEncryption: true,
    // The renderer is served from app:// (electron/main/app-protocol.ts): file:// pages need no extras.
    grantFileProtocolExtraPrivileges: false,
    loadBrowserProcessSpecificV8Snapshot: false,
  },
  // "Open with SevenStick" for .iso/.img, never the default handler: macOS via fileAssociations (rank
  // Alternate), Linux via the desktop entry's MimeType (linux.mimeTypes), Windows via nsis.include.

  linux: {
    target: ['AppImage', 'deb'],
    executableName: EXECUTABLE,
    icon: 'assets/icons/png',
    category: 'Utility',
    synopsis: 'Turn a Windows 7 ISO into a bootable USB stick',
    description: 'Writes a Windows 7 ISO to a USB stick that boots on BIOS and UEFI PCs, and verifies every sector.',
    // The desktop entry offers "Open with SevenStick" for ISO and raw disk images (types shared-mime-info knows).
    mimeTypes: ['application/x-cd-image', 'application/vnd.efi.iso', 'application/x-raw-disk-image', 'application/vnd.efi.img'],
    desktop: { entry: { Keywords: 'USB;ISO;Windows;boot;flash;' } },
    // Electron takes the Wayland app_id / WM_CLASS from package.json's desktopName (extraMetadata above).
    syncDesktopName: true,
    // AppImage users (and the --dir build) get the polkit action and launcher here, to install by hand.
    extraResources: [{ from: 'assets/linux', to: 'linux', filter: ['org.sevenstick.helper.policy', 'sevenstick-helper', 'sevenstick-cli'] }],
    maintainer: 'SevenStick contributors <sevenstick@users.noreply.github.com>',
    vendor: 'SevenStick',
  },
  deb: {
    packageName: 'sevenstick',
    priority: 'optional',
    // electron-builder's defaults, plus: util-linux (lsblk for the drive list; umount, blockdev, partx
    // before and after a write) and pkexec (runs the helper; called policykit-1 before Debian 12).
    depends: ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0', 'util-linux', 'pkexec | policykit-1'],
    afterInstall: 'assets/linux/after-install.sh',
    afterRemove: 'assets/linux/after-remove.sh',
    // Extra files dpkg owns (fpm "source=destination"): the polkit action, the launcher it names, the CLI.
    fpm: [
      `${path.join(ROOT, 'assets', 'linux', 'org.sevenstick.helper.policy')}=/usr/share/polkit-1/actions/org.sevenstick.helper.policy`,
      `${path.join(LINUX_GEN, 'sevenstick-helper')}=/usr/lib/sevenstick/sevenstick-helper`,
      `${path.join(LINUX_GEN, 'sevenstick-cli')}=/usr/bin/sevenstick`,
    ],
  },
  appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },

  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
    icon: 'assets/icons/icon.ico',
    // Writing needs admin; the GUI itself does not (the helper is elevated with UAC when needed).
    requestedExecutionLevel: 'asInvoker',
  },
  nsis: {
    oneClick: false,
    // Program Files, not the user's AppData: the helper runs elevated (UAC) from the install folder, so
    // that folder must not be writable without admin rights (the .deb's /opt is root-owned likewise).
    perMachine: true,
    // ...and always that folder: an assisted installer (oneClick false) that shows no folder page, since a
    // folder chosen by the user (C:\Tools, another drive) may be writable by non-admins.
    allowToChangeInstallationDirectory: false,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    shortcutName: PRODUCT,
    artifactName: '${productName}-Setup-${version}.${ext}',
    include: 'assets/windows/installer.nsh',
    installerIcon: 'assets/icons/icon.ico',
    uninstallerIcon: 'assets/icons/icon.ico',
  },

  mac: {
    target: [{ target: 'dmg', arch: ['x64', 'arm64'] }],
    icon: 'assets/icons/icon.icns',
    category: 'public.app-category.utilities',
    hardenedRuntime: true,
    gatekeeperAssess: false,
    // Signing and notarisation happen when CSC_LINK / APPLE_ID (or APPLE_API_KEY) are set; unsigned otherwise.
    notarize: !!(process.env.APPLE_ID || process.env.APPLE_API_KEY),
    fileAssociations: [
      { ext: 'iso', name: 'Disk image (ISO)', description: 'Disk image', role: 'Viewer', rank: 'Alternate' },
      { ext: 'img', name: 'Disk image (IMG)', description: 'Disk image', role: 'Viewer', rank: 'Alternate' },
    ],
  },
  dmg: {
    artifactName: '${productName}-${version}-${arch}.${ext}',
    contents: [
      { x: 130, y: 220 },
      { x: 410, y: 220, type: 'link', path: '/Applications' },
    ],
  },
};

module.exports = config;
