#!/usr/bin/env bash
# Sustained refusal rate of an operator-blocked IP at one node's gate, and the node's CPU per
# refusal: compare.sh's (c) load (bench/lib/blocked-flood.c, the whole pipelined dialogue
# written at connect, 20 in flight) over many more connections than compare.sh uses, so the
# rate is not a fraction of a second's worth. See docs/benchmarks.md.
#
# usage: bench/blocked-rate.sh [CONNECTIONS] [RUNS]   (defaults 50000 and 3; --no-build: skip the build)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD=1; ARGS=()
for a in "$@"; do [ "$a" = --no-build ] && BUILD=0 || ARGS+=("$a"); done
CONNECTIONS=${ARGS[0]:-50000}
RUNS=${ARGS[1]:-3}
INFLIGHT=${INFLIGHT:-20}
BLOCKED_IP=127.0.0.66
BULWARK_PORT=${BULWARK_PORT:-2927}
ADMIN_PORT=${ADMIN_PORT:-8327}
CLUSTER_PORT=${CLUSTER_PORT:-4363}
BULWARK_DLL=${BULWARK_DLL:-$REPO/src/Bulwark.Node/bin/Release/net10.0/bulwark.dll}
BULWARK_ENV=(
  "BULWARK_Smtp__Address=127.0.0.1" "BULWARK_Smtp__Port=$BULWARK_PORT"
  "BULWARK_Cluster__Port=$CLUSTER_PORT" "BULWARK_Admin__Port=$ADMIN_PORT" "BULWARK_Dns__Enabled=false"
)

. "$REPO/bench/lib/common.sh"
. "$REPO/bench/lib/bulwark-node.sh"
BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/bulwark-blocked.XXXXXX")
trap 'bulwark_stop || true; rm -rf "$BENCH_TMP"' EXIT
trap 'exit 130' INT TERM

bulwark_build
cc -O2 -o "$BENCH_TMP/blocked-flood" "$REPO/bench/lib/blocked-flood.c"
echo "bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)" >&2
bulwark_start true
dotnet "$BULWARK_DLL" block "$BLOCKED_IP" --minutes 600 --reason bench --admin "http://127.0.0.1:$ADMIN_PORT" >/dev/null
"$BENCH_TMP/blocked-flood" "$BLOCKED_IP" 5000 "$INFLIGHT" postmaster@example.test "$BULWARK_PORT" >/dev/null   # warm-up

echo "| run | connections | refusals/s | node CPU ms per refusal | first replies | fin | reset | errors |"
echo "|---|---|---|---|---|---|---|---|"
for run in $(seq 1 "$RUNS"); do
  a=$(cpu_ticks "$BW_PID")
  read -r rate codes fin reset errors _ < <("$BENCH_TMP/blocked-flood" "$BLOCKED_IP" "$CONNECTIONS" "$INFLIGHT" postmaster@example.test "$BULWARK_PORT")
  b=$(cpu_ticks "$BW_PID")
  echo "| $run | $CONNECTIONS | $rate | $(python3 -c "import sys; print(f'{(int(sys.argv[2])-int(sys.argv[1]))*10/int(sys.argv[3]):.4f}')" "$a" "$b" "$CONNECTIONS") | $codes | $fin | $reset | $errors |"
done
echo "bench: load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
