#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mutation.sh — breaks one rule of the golden model at a time
# (tests/mutation/FILE.mutants: "original@@broken" per line, applied to
# sw/model/FILE), rebuilds in a scratch copy, and checks that the golden
# model's own tests then fail: the unit tests and every example trace run
# on the golden model alone (the RTL is not asked; a rule must be pinned
# down without it). A mutant that survives names a rule no test pins down;
# one that does not build is an error. Part of `make regress`.
set -uo pipefail
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r sw tb tests scripts sim rtl Makefile "$work"/
(cd "$work" && make -s BUILD=build all >/dev/null 2>&1) || { echo "mutation: the unmutated copy does not build" >&2; exit 1; }

# The golden model's own tests, in the scratch copy: 0 when all pass.
golden_tests() {
  for t in build/tests/test_*; do
    "$t" >/dev/null 2>&1 || return 1
  done
  for t in sim/traces/*.trace sim/dma/*.trace; do
    build/pagoda golden "$t" >/dev/null 2>&1 || return 1
  done
}

n=0
broken=0
caught=0
for mutants in tests/mutation/*.[ch].mutants; do
src=sw/model/$(basename "$mutants" .mutants)
while IFS= read -r line; do
  [ -z "$line" ] && continue
  from=${line%%@@*}
  to=${line#*@@}
  n=$((n + 1))
  cp "$root/$src" "$work/$src"
  if ! python3 - "$work/$src" "$from" "$to" <<'PY'
import sys
p, f, t = sys.argv[1:4]
s = open(p).read()
if s.count(f) != 1:
    sys.exit(f"mutant does not apply (model changed?): {f.strip()}")
open(p, "w").write(s.replace(f, t))
PY
  then
    echo "  STALE     $src: $from"
    broken=$((broken + 1))
    continue
  fi
  if ! (cd "$work" && make -s BUILD=build all >/dev/null 2>&1); then
    echo "  BROKEN    $src: $from (does not build)"
    broken=$((broken + 1))
  elif (cd "$work" && golden_tests); then
    echo "  SURVIVED  $src: $from"
  else
    caught=$((caught + 1))
  fi
done < "$mutants"
cp "$root/$src" "$work/$src"
done
echo "mutation: $caught of $n mutants caught ($broken did not apply or build)"
[ "$caught" -eq "$n" ]
