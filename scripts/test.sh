#!/usr/bin/env bash
# The whole test suite, with its own set-up: `npm ci && npm test` on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-tools.sh
echo "== type check (tsc -b)"
npx tsc -b
echo "== lint"
npx eslint .
echo "== electron security lint (electronegativity; findings fixed or explained in SECURITY.md)"
node scripts/electronegativity.cjs
if [[ -x assets/boot/build.sh ]]; then
  echo "== boot code is built from its sources"
  bash assets/boot/build.sh --check
fi
echo "== unit and integration tests (node --test)"
# One test file at a time: several files attach, detach and re-attach loop devices, and two files
# doing that at once could take each other's /dev/loopN.
mapfile -t files < <(find build/electron/test -name '*.test.js' | sort)
node --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
if [[ -f e2e/run.sh ]]; then
  echo "== end-to-end tests"
  bash e2e/run.sh
fi
