#!/usr/bin/env bash
# Runs every benchmark under bench/ (bench/*.mjs with node, bench/*.sh with bash) after a build.
# Each writes its figures to bench/results/<name>.json; a name on the command line runs just those.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-tools.sh
npx tsc -b
mkdir -p bench/results
shopt -s nullglob
benches=(bench/*.mjs bench/*.sh)
if (($# > 0)); then benches=("$@"); fi
for b in "${benches[@]}"; do
  echo "== $b"
  case "$b" in
    *.mjs) node "$b" ;;
    *.sh) bash "$b" ;;
  esac
done
