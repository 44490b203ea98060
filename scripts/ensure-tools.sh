#!/usr/bin/env bash
# Makes sure the outside tools the tests use as oracles and fixture makers are installed.
# As root with apt-get it installs whatever is missing; otherwise it names the packages to install.
set -euo pipefail

# "check|debian-package" — check is a command name, or a path that must exist.
NEEDED=(
  "qemu-system-x86_64|qemu-system-x86"
  "qemu-img|qemu-utils"
  "/usr/share/ovmf/OVMF.fd|ovmf"
  "nasm|nasm"
  "fsck.fat|dosfstools"
  "mdir|mtools"
  "genisoimage|genisoimage"
  "wimlib-imagex|wimtools"
  "7z|p7zip-full"
  "sfdisk|fdisk"
  "losetup|mount"
  "chromium|chromium"
  "/usr/lib/python3/dist-packages/pycdlib/__init__.py|python3-pycdlib"
  "/usr/include/efi/efi.h|gnu-efi"
  "gcc|gcc"
  "ld|binutils"
  "make|make"
  "cmp|diffutils"
  "xorriso|xorriso"
  "mkntfs|ntfs-3g"
  "desktop-file-validate|desktop-file-utils"
  "file|file"
  "makensis|nsis"
  "findmnt|util-linux"
  "mkfs.ext4|e2fsprogs"
  "/usr/bin/time|time"
  "strace|strace"
  "xmllint|libxml2-utils"
  "tmux|tmux"
)

missing=()
for entry in "${NEEDED[@]}"; do
  check=${entry%%|*}
  pkg=${entry##*|}
  if [[ $check == /* ]]; then
    [[ -e $check ]] || missing+=("$pkg")
  else
    command -v "$check" >/dev/null 2>&1 || missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "ensure-tools: all test tools present"
  exit 0
fi

echo "ensure-tools: missing Debian packages: ${missing[*]}"
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "ensure-tools: installed ${missing[*]}"
else
  echo "ensure-tools: please install them, e.g.: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
