#!/usr/bin/env bash
# mutation.sh — breaks one paging rule of the golden model at a time
# (tests/mutation/pg_model.mutants: "original@@broken" per line), rebuilds in
# a scratch copy, and checks that the test suite then fails. A mutant that
# survives names a rule no test pins down. Part of `make regress`.
set -uo pipefail
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r sw tb tests scripts sim Makefile "$work"/
n=0
caught=0
while IFS= read -r line; do
  [ -z "$line" ] && continue
  from=${line%%@@*}
  to=${line#*@@}
  n=$((n + 1))
  cp "$root/sw/model/pg_model.c" "$work/sw/model/pg_model.c"
  if ! python3 - "$work/sw/model/pg_model.c" "$from" "$to" <<'PY'
import sys
p, f, t = sys.argv[1:4]
s = open(p).read()
if s.count(f) != 1:
    sys.exit(f"mutant does not apply (model changed?): {f.strip()}")
open(p, "w").write(s.replace(f, t))
PY
  then
    echo "  STALE     $from"
    continue
  fi
  if (cd "$work" && make -s BUILD=build all >/dev/null 2>&1 &&
      bash scripts/run_tests.sh build >/dev/null 2>&1); then
    echo "  SURVIVED  $from"
  else
    caught=$((caught + 1))
  fi
done < tests/mutation/pg_model.mutants
echo "mutation: $caught of $n mutants caught"
[ "$caught" -eq "$n" ]
