#!/usr/bin/env bash
# The full protocol fuzz (docs/fuzzing.md): the same tests as the normal run, with bigger counts.
# Usage: bench/fuzz.sh [lines] [bodies] [seed]     (defaults: 1000000 20000 20261127)
# Environment: BULWARK_FUZZ_WORKERS (parallel connections, default 8).
# Replay one connection from a failure line: BULWARK_FUZZ_REPLAY=<seed>:<True|False> bench/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export BULWARK_FUZZ_LINES="${1:-${BULWARK_FUZZ_LINES:-1000000}}"
export BULWARK_FUZZ_BODIES="${2:-${BULWARK_FUZZ_BODIES:-20000}}"
export BULWARK_FUZZ_SEED="${3:-${BULWARK_FUZZ_SEED:-20261127}}"
filter="FullyQualifiedName~Bulwark.Actors.Tests.Fuzz.FuzzTests"
if [[ -n "${BULWARK_FUZZ_REPLAY:-}" ]]; then filter="FullyQualifiedName~One_connection_replays_alone"; fi
echo "fuzz: lines=$BULWARK_FUZZ_LINES bodies=$BULWARK_FUZZ_BODIES seed=$BULWARK_FUZZ_SEED ${BULWARK_FUZZ_REPLAY:+replay=$BULWARK_FUZZ_REPLAY}"
exec dotnet test tests/Bulwark.Actors.Tests -c Release --filter "$filter" --logger "console;verbosity=detailed"
