#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fusesoc.sh [--synth] — `make fusesoc`: pagoda.core checked with FuseSoC.
#
# FuseSoC is not in Debian: it is installed from PyPI into
# build/fusesoc-venv (once). Runs the core's lint target (Verilator -Wall on
# pg_system), builds its sim target (the Verilated model of pg_system) and
# sets up its synth target (Yosys; --synth runs it too, tens of minutes on
# two cores: it is the whole hierarchy).
set -euo pipefail
venv=build/fusesoc-venv
if [ ! -x "$venv/bin/fusesoc" ]; then
  echo "fusesoc: installing FuseSoC from PyPI into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q fusesoc
fi
fs=("$venv/bin/fusesoc" --cores-root . run --build-root build/fusesoc)
core=pagoda:pagoda:system
echo "fusesoc: $("$venv/bin/fusesoc" --version), core $core"
"${fs[@]}" --target lint "$core" >build/fusesoc-lint.log 2>&1 ||
  { tail -20 build/fusesoc-lint.log; echo "fusesoc: lint failed"; exit 1; }
echo "fusesoc: lint target clean (Verilator -Wall, pg_system)"
"${fs[@]}" --target sim --build "$core" >build/fusesoc-sim.log 2>&1 ||
  { tail -20 build/fusesoc-sim.log; echo "fusesoc: sim build failed"; exit 1; }
lib=$(find build/fusesoc -name 'Vpg_system__ALL.a' | head -1)
[ -n "$lib" ] || { echo "fusesoc: the sim target built no Vpg_system__ALL.a"; exit 1; }
echo "fusesoc: sim target built $lib"
if [ "${1:-}" = "--synth" ]; then
  "${fs[@]}" --target synth "$core" >build/fusesoc-synth.log 2>&1 ||
    { tail -20 build/fusesoc-synth.log; echo "fusesoc: synth failed"; exit 1; }
  echo "fusesoc: synth target ran (build/fusesoc-synth.log)"
else
  "${fs[@]}" --target synth --setup "$core" >build/fusesoc-synth.log 2>&1 ||
    { tail -20 build/fusesoc-synth.log; echo "fusesoc: synth setup failed"; exit 1; }
  echo "fusesoc: synth target set up (build/fusesoc/*/synth-yosys; run it with --synth)"
fi
