#!/usr/bin/env bash
# Assembles our boot code: every assets/boot/*.asm -> assets/boot/*.bin (nasm -f bin; *.inc are
# shared pieces they %include).
#   bash assets/boot/build.sh           rebuild the checked-in .bin files
#   bash assets/boot/build.sh --check   assemble into a temp dir and compare with the
#                                       checked-in .bin files (exit 1 on any difference)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mode="${1:-build}"
case "$mode" in build|--check) ;; *) echo "usage: $0 [--check]" >&2; exit 2 ;; esac
command -v nasm >/dev/null || { echo "build.sh: nasm is not installed" >&2; exit 2; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
status=0
shopt -s nullglob
for src in "$here"/*.asm; do
  name="$(basename "$src" .asm)"
  nasm -f bin -w+all -I "$here/" -o "$tmp/$name.bin" "$src"
  if [ "$mode" = --check ]; then
    if [ ! -f "$here/$name.bin" ]; then
      echo "build.sh --check: $name.bin is missing (run: bash assets/boot/build.sh)" >&2; status=1
    elif ! cmp -s "$tmp/$name.bin" "$here/$name.bin"; then
      echo "build.sh --check: $name.bin differs from $name.asm (run: bash assets/boot/build.sh and commit)" >&2; status=1
    fi
  else
    cp "$tmp/$name.bin" "$here/$name.bin"
    echo "$name.bin: $(stat -c %s "$here/$name.bin") bytes"
  fi
done
[ "$mode" = --check ] && [ $status -eq 0 ] && echo "boot code: .bin files match their sources"
exit $status
