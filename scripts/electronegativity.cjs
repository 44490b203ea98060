#!/usr/bin/env node
// Runs @doyensec/electronegativity over the Electron code (electron/) through its API (its CLI
// entry breaks on a newer hoisted commander). Every finding must be fixed, or its check id must be
// explained in SECURITY.md's "Electronegativity findings" section; anything else fails the run.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const run = require('@doyensec/electronegativity');

const root = join(__dirname, '..');
const electronVersion = require(join(root, 'node_modules', 'electron', 'package.json')).version;

function explainedIds() {
  const text = readFileSync(join(root, 'SECURITY.md'), 'utf8');
  const at = text.indexOf('## Electronegativity findings');
  if (at < 0) return new Set();
  const section = text.slice(at).split(/\n## /)[0];
  return new Set([...section.matchAll(/`([A-Z0-9_]+_CHECK)`/g)].map((m) => m[1]));
}

(async () => {
  const res = await run({ input: join(root, 'electron'), isRelative: true, electronVersionOverride: electronVersion }, false);
  const explained = explainedIds();
  let unexplained = 0;
  for (const i of res.issues) {
    const ok = explained.has(i.id);
    if (!ok) unexplained++;
    console.log(`${ok ? 'explained  ' : 'UNEXPLAINED'} ${i.id} ${i.severity.name}/${i.confidence.name} ${i.file}:${i.location.line}`);
  }
  if (res.errors && res.errors.length) {
    for (const e of res.errors) console.log(`parse error: ${e.file}: ${e.message ?? e.error ?? ''}`);
  }
  console.log(`electronegativity: ${res.issues.length} findings, ${unexplained} unexplained`);
  process.exit(unexplained === 0 && !(res.errors && res.errors.length) ? 0 : 1);
})().catch((e) => {
  console.error('electronegativity failed:', e);
  process.exit(1);
});
