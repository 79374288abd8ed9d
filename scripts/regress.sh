#!/usr/bin/env bash
# regress.sh PAGODA [SEEDS] [OPS] — the long random regression: SEEDS seeds
# (default 20) of OPS operations each (default 60000, about 52000 accesses),
# two at a time, RTL against golden. Prints one line per seed and a total.
set -uo pipefail
pagoda=${1:?usage: regress.sh PAGODA [SEEDS] [OPS]}
seeds=${2:-20}
ops=${3:-60000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
start=$(date +%s)
seq 101 $((100 + seeds)) | xargs -P 2 -I{} sh -c "'$pagoda' random --seed {} --ops $ops > '$out/{}.log' 2>&1; echo \$? > '$out/{}.rc'"
fail=0
accesses=0
for s in $(seq 101 $((100 + seeds))); do
  tail -1 "$out/$s.log"
  [ "$(cat "$out/$s.rc")" = 0 ] || { fail=$((fail + 1)); grep -m5 MISMATCH "$out/$s.log"; }
  a=$(sed -n 's/^random seed [0-9]*: \([0-9]*\) accesses.*/\1/p' "$out/$s.log")
  accesses=$((accesses + ${a:-0}))
done
echo "regress: $seeds seeds, $accesses random accesses, $fail failed, $(( $(date +%s) - start )) s"
[ "$fail" -eq 0 ]
