#!/usr/bin/env bash
# End-to-end tests: build the renderer, compile e2e/, run the specs (node:test + playwright-core +
# Debian's Chromium), then the Electron-launcher specs (which skip where no Electron binary exists).
# Screenshots of every step land in test-results/<test>/.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== e2e: build renderer"
npx vite build --config renderer/vite.config.ts --logLevel warn
echo "== e2e: compile"
npx tsc -b electron
rm -f build/tsbuildinfo/e2e.tsbuildinfo  # always emit (build/e2e may have been cleaned)
npx tsc -p e2e
echo "== e2e: run"
node --test --test-concurrency=1 --test-timeout=180000 --test-reporter=spec build/e2e/*.e2e.js
