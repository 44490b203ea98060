#!/usr/bin/env bash
# Installs the etcher-sdk peer (NOT a project dependency) into bench/tmp/peers/etcher-sdk/ on first use and
# prints that folder's path on stdout. Idempotent: a second call only checks that the install loads.
#   bash bench/peers/etcher-sdk.sh
# - etcher-sdk@10.2.15 pins unbzip2-stream to a GitHub tarball that cannot be fetched here: an `overrides`
#   entry replaces it by the registry's 1.4.3.
# - npm 11 skips dependencies' install scripts unless approved. Only the native modules etcher-sdk loads on
#   the write + verify path are approved (they compile from source against /usr's Node headers where no
#   prebuilt binary fits): @ronomon/direct-io (aligned buffers), drivelist (loaded by the scanner on
#   require), mountutils (unmount before writing), xxhash-addon (verify checksums), lzma-native (loaded by
#   the xz source on require). `usb` is only used by the Raspberry Pi usbboot scanner: denied.
# Progress goes to stderr; exit status 0 only when `require('etcher-sdk')` and the approved addons load.
set -euo pipefail

VERSION=10.2.15
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
DIR="$REPO/bench/tmp/peers/etcher-sdk"
APPROVE=(@ronomon/direct-io drivelist mountutils xxhash-addon lzma-native)
DENY=(usb)
log() { echo "[etcher-sdk peer] $*" >&2; }

check() {
  (cd "$DIR" && node -e '
    const mods = process.argv.slice(1);
    for (const m of mods) require(m);
    const sdk = require("etcher-sdk");
    if (typeof sdk.multiWrite.pipeSourceToDestinations !== "function") throw new Error("no pipeSourceToDestinations");
    const v = require("etcher-sdk/package.json").version;
    if (v !== process.env.WANT) throw new Error(`etcher-sdk ${v}, want ${process.env.WANT}`);
  ' "${APPROVE[@]}") >&2
}

if [[ -f "$DIR/.installed" ]] && WANT=$VERSION check; then
  echo "$DIR"
  exit 0
fi

log "installing etcher-sdk@$VERSION into $DIR"
rm -rf "$DIR"
mkdir -p "$DIR"
cat >"$DIR/package.json" <<'EOF'
{
  "name": "sevenstick-bench-peer-etcher-sdk",
  "version": "0.0.0",
  "private": true,
  "description": "etcher-sdk for bench/device.mjs only (not a SevenStick dependency)",
  "overrides": { "unbzip2-stream": "1.4.3" }
}
EOF
cd "$DIR"
# First pass: fetch the tree (dependencies' install scripts are skipped until approved).
npm install --save-exact --no-audit --no-fund "etcher-sdk@$VERSION" >&2
npm install-scripts approve "${APPROVE[@]}" >&2
npm install-scripts deny "${DENY[@]}" >&2
npm install-scripts ls >&2 || true
# Second pass: run the approved install scripts (native builds).
npm rebuild "${APPROVE[@]}" >&2
WANT=$VERSION check
touch "$DIR/.installed"
log "ok"
echo "$DIR"
