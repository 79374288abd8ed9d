#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# setup.sh — installs the Debian packages pagoda needs, and only those missing.
#
# Idempotent: when everything is present it prints one line (or nothing with
# --quiet) and exits 0. Works as root, or through sudo when not root. Nothing
# is downloaded from anywhere but Debian's archive.
set -euo pipefail

quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1

# package : a file or command that proves it is installed
needs=(
  "gcc:/usr/bin/gcc"
  "make:/usr/bin/make"
  "verilator:/usr/bin/verilator"
  "libcmocka-dev:/usr/include/cmocka.h"
  "yosys:/usr/bin/yosys"
  "gtkwave:/usr/bin/gtkwave"
  "lcov:/usr/bin/lcov"
  "gnuplot-nox:/usr/bin/gnuplot"
  "graphviz:/usr/bin/dot"
  "afl++:/usr/bin/afl-fuzz"
  "libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.asan-x86_64.a"
  "xvfb:/usr/bin/xvfb-run"
  "xauth:/usr/bin/xauth"
  "x11-utils:/usr/bin/xwininfo"
  "imagemagick:/usr/bin/import"
  "python3:/usr/bin/python3"
  "ccache:/usr/bin/ccache"
  "valgrind:/usr/bin/valgrind"
  "clang-format:/usr/bin/clang-format"
  "libc6-dev:/usr/lib/x86_64-linux-gnu/libc.a"
)

missing=()
for n in "${needs[@]}"; do
  pkg=${n%%:*}
  proof=${n#*:}
  [ -e "$proof" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  [ $quiet -eq 1 ] || echo "setup: every tool pagoda needs is installed"
  exit 0
fi

echo "setup: installing from Debian: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "setup: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"

for n in "${needs[@]}"; do
  pkg=${n%%:*}
  proof=${n#*:}
  if [ ! -e "$proof" ]; then
    echo "setup: $pkg installed but $proof is still missing" >&2
    exit 1
  fi
done
echo "setup: done"
