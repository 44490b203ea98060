#!/usr/bin/env node
// `npm start` and `npm run dist` run Electron and electron-builder, which need a newer Node than the
// tests and the CLI do (package.json engines): say so plainly before Electron's first-run download or
// electron-builder fails on an old Node with an obscure error.
'use strict';
const need = require('../package.json').engines.node.replace(/^>=\s*/, '');
const have = process.versions.node;
const parts = (v) => v.split('.').map((n) => Number.parseInt(n, 10) || 0);
const [a, b] = [parts(have), parts(need)];
const older = a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : (a[2] ?? 0) < (b[2] ?? 0);
if (older) {
  console.error(`SevenStick's app needs Node.js ${need} or newer (Electron and electron-builder require it); this is Node.js ${have}.`);
  console.error('The tests and the CLI (node build/electron/cli/index.js) also run on Node.js 20.19.');
  process.exit(1);
}
