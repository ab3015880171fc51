#!/usr/bin/env bash
# Memory per idle SMTP session (issue #8): a real node holds SESSIONS connections that are
# greeted, said EHLO and then keep quiet, from many loopback source addresses. The figure is
# (RSS_after - RSS_before) / sessions, and the same for the managed heap when dotnet-gcdump is
# installed (it also forces a full GC before each reading, and its per-type report shows what
# one session holds). See docs/memory.md for the figures and what each part costs.
#
# usage: bench/idle-sessions.sh [--sessions N] [--runs N] [--no-build]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)

# ---- settings (environment overrides) -------------------------------------------------
SESSIONS=${SESSIONS:-10000}     # idle sessions held at once
RUNS=${RUNS:-1}                 # measured runs, each on a fresh node
WARMUP=${WARMUP:-500}           # sessions opened and closed first (JIT, pools, shard start)
SETTLE=${SETTLE:-5}             # seconds to wait once every session is idle
REPORT_DIR=${REPORT_DIR:-}      # keep the gcdump per-type reports (before-N, after-N) here
IP_COUNT=${IP_COUNT:-250}       # source addresses 127.0.2.1 .. 127.0.2.N (N <= 250)
CONCURRENT=${CONCURRENT:-200}   # handshakes in flight at once
BULWARK_PORT=${BULWARK_PORT:-2547}
CLUSTER_PORT=${CLUSTER_PORT:-4083}
BULWARK_DLL=${BULWARK_DLL:-$REPO/src/Bulwark.Node/bin/Release/net10.0/bulwark.dll}
BULWARK_ENV=(
  "BULWARK_Smtp__Address=127.0.0.1"
  "BULWARK_Smtp__Port=$BULWARK_PORT"
  "BULWARK_Smtp__MaxConnections=20000"
  # 10,000 sessions over 250 addresses is 40 per address: above the default cap of 20.
  "BULWARK_Reputation__MaxConnectionsPerIp=1000"
  "BULWARK_Delivery__NextHop__Host=127.0.0.1"
  "BULWARK_Delivery__NextHop__Port=9"
  "BULWARK_Cluster__Port=$CLUSTER_PORT"
  "BULWARK_Admin__Port=0"
)
# ----------------------------------------------------------------------------------------

BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --sessions) SESSIONS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) sed -n '8p' "$0" >&2; exit 2 ;;
  esac
done

. "$REPO/bench/lib/common.sh"
. "$REPO/bench/lib/bulwark-node.sh"
. "$REPO/bench/lib/hostile.sh"
. "$REPO/bench/lib/idle.sh"

# The node and the client each hold one end of every session: 65536 if the hard limit allows.
raise_nofile 65536 $((SESSIONS + 2048))
export PATH="$PATH:$HOME/.dotnet/tools"
GCDUMP=$(command -v dotnet-gcdump || true)
[ -n "$GCDUMP" ] || echo "bench: dotnet-gcdump not installed (dotnet tool install -g dotnet-gcdump): RSS only" >&2

BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/bulwark-idle.XXXXXX")
IDLE_PID=""
cleanup() {
  stop_idle || true
  bulwark_stop || true
  wait 2>/dev/null || true
  rm -rf "$BENCH_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

IPS=$(seq -s, -f "127.0.2.%g" 1 "$IP_COUNT")
echo "bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)" >&2
bulwark_build
declare -a RSS_PER HEAP_PER
for run in $(seq 1 "$RUNS"); do
  bulwark_start true
  open_idle "$WARMUP" "$IPS"; stop_idle; sleep 2
  measure "$BENCH_TMP/before-$run"; rss0=$RSS_KB heap0=$HEAP_B
  open_idle "$SESSIONS" "$IPS"; opened=$OPENED
  sleep "$SETTLE"
  measure "$BENCH_TMP/after-$run"; rss1=$RSS_KB heap1=$HEAP_B
  stop_idle
  [ "$opened" -gt 0 ] || { echo "bench: no session opened ($FAILED failed)" >&2; exit 1; }
  per_rss=$(( (rss1 - rss0) * 1024 / opened ))
  per_heap=-
  [ "$heap0" = - ] || [ "$heap1" = - ] || per_heap=$(( (heap1 - heap0) / opened ))
  RSS_PER+=("$per_rss"); HEAP_PER+=("$per_heap")
  echo "run $run: $opened sessions idle ($FAILED failed, $CUT cut while idle); RSS ${rss0} -> ${rss1} KiB," \
       "managed heap ${heap0} -> ${heap1} bytes; per session: RSS $per_rss bytes, heap $per_heap bytes" >&2
  if [ -n "$GCDUMP" ] && [ "$run" = "$RUNS" ]; then
    echo "bench: types that grew by >= $((opened / 2)) objects (one per idle session or more):" >&2
    heap_growth "$BENCH_TMP/before-$run.report" "$BENCH_TMP/after-$run.report" $((opened / 2)) "$opened" >&2
  fi
  [ -z "${REPORT_DIR:-}" ] || { mkdir -p "$REPORT_DIR"; cp "$BENCH_TMP"/*-"$run".report "$REPORT_DIR"/ 2>/dev/null || true; }
  bulwark_stop
done
echo "bench: load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

echo
echo "| figure (bytes per idle session, $RUNS run(s) of $SESSIONS) | median | min | max |"
echo "|---|---|---|---|"
read -r med lo hi < <(stats "${RSS_PER[@]}"); echo "| node RSS growth / sessions | $med | $lo | $hi |"
if [ "${HEAP_PER[0]}" != - ]; then
  read -r med lo hi < <(stats "${HEAP_PER[@]}"); echo "| managed heap growth / sessions (after full GC) | $med | $lo | $hi |"
fi
