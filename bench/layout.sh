#!/usr/bin/env bash
# Layout benchmark: the stick image of a ~3 GiB Win7-like ISO written into a file on tmpfs,
# against `cp` of the same ISO to the same tmpfs, same (warm) cache state, median of RUNS (default 5) runs each, alternating cp, fresh chunk
# buffers (the default) and chunks({ reuseBuffers: true }).
# Goal: ≤ 1.25 × cp's time, peak RSS ≤ 150 MiB. Results: bench/results/layout.json.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MIB=${SIZE_MIB:-3000}
ISO=${ISO:-build/bench/layout-win7-${SIZE_MIB}.iso}
SHM=${SHM:-/dev/shm}
mkdir -p build/bench bench/results
if [[ ! -f "$ISO" ]]; then
  echo "building $ISO (${SIZE_MIB} MiB install.wim)…" >&2
  bash scripts/fixtures/layout-bench-iso.sh "$ISO.tmp" "$SIZE_MIB"
  mv "$ISO.tmp" "$ISO"
fi
npx tsc -b
OUT="$SHM/sevenstick-layout-bench.img"
CP="$SHM/sevenstick-layout-bench.iso"
trap 'rm -f "$OUT" "$CP"' EXIT
cat "$ISO" > /dev/null   # warm the page cache for both contenders
cp_times=() ; fresh_times=() ; reuse_times=() ; rss=() ; lines=()
field() { node -e 'console.log(JSON.parse(process.argv[1])[process.argv[2]])' "$1" "$2"; }
RUNS=${RUNS:-5}
for i in $(seq 1 "$RUNS"); do
  rm -f "$CP"; sync
  s=$(date +%s.%N); cp "$ISO" "$CP"; e=$(date +%s.%N)
  cp_times+=("$(echo "$e - $s" | bc)")
  rm -f "$CP"
  for mode in fresh reuse; do
    rm -f "$OUT"; sync
    line=$(node bench/layout.mjs "$ISO" "$OUT" 8 "$mode")
    lines+=("$line")
    if [[ $mode == fresh ]]; then fresh_times+=("$(field "$line" seconds)"); else reuse_times+=("$(field "$line" seconds)"); fi
    rss+=("$(field "$line" peakRssMiB)")
    rm -f "$OUT"
  done
  echo "run $i: cp ${cp_times[-1]} s, sevenstick ${fresh_times[-1]} s (fresh buffers), ${reuse_times[-1]} s (reuseBuffers), peak RSS ${rss[-2]}/${rss[-1]} MiB" >&2
done
median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }
cpm=$(median "${cp_times[@]}"); fm=$(median "${fresh_times[@]}"); rm_=$(median "${reuse_times[@]}")
rssmax=$(printf '%s\n' "${rss[@]}" | sort -g | tail -1)
isoBytes=$(stat -c %s "$ISO")
cat > bench/results/layout.json <<JSON
{
  "benchmark": "layout: stick image of a Win7-like ISO to tmpfs vs cp (same warm cache), medians of $RUNS runs",
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "loadAverageAfter": "$(cut -d' ' -f1-3 /proc/loadavg)",
  "isoBytes": $isoBytes,
  "cpSecondsMedian": $cpm,
  "freshBuffersSecondsMedian": $fm,
  "reuseBuffersSecondsMedian": $rm_,
  "ratioFresh": $(awk -v a="$fm" -v b="$cpm" 'BEGIN { printf "%.3f", a / b }'),
  "ratioReuse": $(awk -v a="$rm_" -v b="$cpm" 'BEGIN { printf "%.3f", a / b }'),
  "ratioGoal": 1.25,
  "peakRssMiBMax": $rssmax,
  "peakRssGoalMiB": 150,
  "cpSeconds": [$(IFS=,; echo "${cp_times[*]}")],
  "freshBuffersSeconds": [$(IFS=,; echo "${fresh_times[*]}")],
  "reuseBuffersSeconds": [$(IFS=,; echo "${reuse_times[*]}")],
  "lastRun": ${lines[-1]}
}
JSON
cat bench/results/layout.json
