#!/usr/bin/env bash
# CPU and allocation profile of one Bulwark node under the issue-8 loads: where the time of
# an accepted+relayed message and of an unknown-recipient refusal goes.
#
# usage: bench/profile.sh [--messages N] [--no-build] [--out DIR]
#
# For each load it records, while smtp-source runs:
#   - the CPU split between the node, smtp-source, smtp-sink and the kernel (perf, all CPUs);
#   - the node's own call stacks (perf with the runtime's perf map, so JIT-compiled methods
#     have names), reported as self and inclusive time per method;
#   - the node's CPU time per message (from /proc).
# Then, in separate runs of the same loads (tracing slows the node), what it allocates per
# message, by type and by the first frame outside the runtime (dotnet-trace gc-verbose and
# bench/AllocReport). Reports go to bench/results/profile-<time>/.
# perf's cpu-clock event is used because this kind of machine has no hardware counters.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)

MESSAGES=${MESSAGES:-6000}
SESSIONS=${SESSIONS:-20}
MSG_BYTES=${MSG_BYTES:-2048}
WARMUP=${WARMUP:-1000}
RELAY_TIMEOUT=${RELAY_TIMEOUT:-300}
SENDER=bench@client.test
VALID_RCPT=postmaster@example.test
UNKNOWN_RCPT=nobody@example.test
SINK_PORT=${SINK_PORT:-2610}
BULWARK_PORT=${BULWARK_PORT:-2537}
CLUSTER_PORT=${CLUSTER_PORT:-4073}
BULWARK_DLL=${BULWARK_DLL:-$REPO/src/Bulwark.Node/bin/Release/net10.0/bulwark.dll}
OUT=$REPO/bench/results/profile-$(date -u +%Y%m%d-%H%M)
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --messages) MESSAGES=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --out) OUT=$2; shift 2 ;;
    *) sed -n '5p' "$0" >&2; exit 2 ;;
  esac
done

. "$REPO/bench/lib/common.sh"
. "$REPO/bench/lib/bulwark-node.sh"
. "$REPO/bench/lib/alloc-profile.sh"
mapfile -t BULWARK_ENV < <(one_node_env)
BULWARK_ENV+=(
  "DOTNET_PerfMapEnabled=1"            # /tmp/perf-PID.map: names for JIT-compiled frames
  "DOTNET_EnableWriteXorExecute=0"     # else JIT code lives in a memfd mapping perf cannot name
)
export PATH="$PATH:/usr/sbin:/sbin:$HOME/.dotnet/tools"
command -v perf >/dev/null || apt-get install -y -qq linux-perf >/dev/null
command -v dotnet-trace >/dev/null || dotnet tool install -g dotnet-trace >/dev/null
command -v smtp-source >/dev/null || bash "$REPO/scripts/install-deps.sh"

BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/bulwark-profile.XXXXXX")
mkdir -p "$OUT"
cleanup() {
  bulwark_stop || true
  [ -n "${SINK_PID:-}" ] && kill "$SINK_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$BENCH_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The first $1 lines of a perf report (remaining arguments), without comments and blank lines.
perf_top() {
  local n=$1 data=$2; shift 2
  perf report -i "$data" --stdio "$@" >"$BENCH_TMP/report.txt" 2>/dev/null || true
  grep -v -e '^#' -e '^$' "$BENCH_TMP/report.txt" | head -"$n" || true
}

# $1 = name, $2 = command running the load. Profiles the node while the load runs.
profile_load() {
  local name=$1; shift
  local a b t0 t1
  sleep 2
  perf record -q -e cpu-clock -F 999 -a -o "$BENCH_TMP/$name.all.data" >/dev/null 2>&1 &
  local perf_all=$!
  perf record -q -e cpu-clock -F 999 -g -p "$BW_PID" -o "$BENCH_TMP/$name.node.data" >/dev/null 2>&1 &
  local perf_node=$!
  sleep 1
  a=$(cpu_ticks "$BW_PID"); t0=$(now)
  "$@" >"$BENCH_TMP/$name.load" 2>&1 || true
  t1=$(now); b=$(cpu_ticks "$BW_PID")
  kill -INT "$perf_all" "$perf_node"; wait "$perf_all" "$perf_node" 2>/dev/null || true
  {
    echo "## $name"
    python3 -c "import sys; n,a,b,t0,t1=map(float,sys.argv[1:]); print(f'{n:.0f} messages in {t1-t0:.2f} s = {n/(t1-t0):.0f}/s; node CPU {(b-a)*10/n:.3f} ms per message ({(b-a)/100/(t1-t0)*100:.0f}% of one CPU)')" \
      "$MESSAGES" "$a" "$b" "$t0" "$t1"
    echo; echo "### CPU by process, all CPUs (perf cpu-clock samples)"
    perf_top 12 "$BENCH_TMP/$name.all.data" --stdio --sort comm --percentage relative
    echo; echo "### node: CPU by component (bench/lib/perf-breakdown.py)"
    perf script -i "$BENCH_TMP/$name.node.data" 2>/dev/null | python3 "$REPO/bench/lib/perf-breakdown.py" || true
    cp "$BENCH_TMP/$name.node.data" "$OUT/" 2>/dev/null || true   # for perf report by hand
    echo; echo "### node: CPU by module"
    perf_top 15 "$BENCH_TMP/$name.node.data" --stdio --no-children --sort dso -g none
    echo; echo "### node: self time by function (top 40)"
    perf_top 40 "$BENCH_TMP/$name.node.data" --stdio --no-children --sort dso,sym -g none
    echo; echo "### node: inclusive time by function (top 60)"
    perf_top 60 "$BENCH_TMP/$name.node.data" --stdio --children --sort sym -g none
  } >"$OUT/$name.txt"
  head -30 "$OUT/$name.txt" >&2 || true
}

relay_load() {
  smtp-source -s "$SESSIONS" -l "$MSG_BYTES" -m "$MESSAGES" -M client.test -f "$SENDER" -t "$VALID_RCPT" "127.0.0.1:$BULWARK_PORT"
  local deadline=$(( $(date +%s) + RELAY_TIMEOUT ))
  while [ "$(sink_count)" -lt "$SINK_TARGET" ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.05; done
}
refusal_load() {
  smtp-source -A -N -s "$SESSIONS" -l "$MSG_BYTES" -m "$MESSAGES" -M client.test -f "$SENDER" -t "$UNKNOWN_RCPT" "127.0.0.1:$BULWARK_PORT"
}

BUILD=$BUILD bulwark_build
echo "bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs); output in $OUT" >&2
start_sink
bulwark_start false
smtp-source -s "$SESSIONS" -l "$MSG_BYTES" -m "$WARMUP" -M client.test -f "$SENDER" -t "$VALID_RCPT" "127.0.0.1:$BULWARK_PORT"
smtp-source -A -N -s "$SESSIONS" -m "$WARMUP" -M client.test -f "$SENDER" -t "$UNKNOWN_RCPT" "127.0.0.1:$BULWARK_PORT" >/dev/null 2>&1 || true
sleep 2
SINK_TARGET=$(( $(sink_count) + MESSAGES ))
profile_load relay relay_load
[ "$(sink_count)" -ge "$SINK_TARGET" ] || echo "bench: WARNING only $(sink_count)/$SINK_TARGET at the sink" >&2
profile_load refusal refusal_load
grep -c 'recipient rejected: 5' "$BENCH_TMP/refusal.load" | sed 's/^/refusals with 5xx: /' >>"$OUT/refusal.txt"

# Allocations in separate runs of the same loads: gc-verbose tracing slows the node, so it
# must not share a run with the CPU profile. The trace window is the CPU run's length + 3 s.
alloc_load() {
  local name=$1 seconds; shift
  seconds=$(python3 -c "import sys; print(int(float(sys.argv[1])) + 4)" "$(grep -o 'in [0-9.]* s' "$OUT/$name.txt" | head -1 | cut -d' ' -f2)")
  alloc_profile_start "$name" "$BW_PID" "$seconds" "$OUT" || return 0
  "$@" >/dev/null 2>&1 || true
  alloc_profile_finish "$MESSAGES" 20 >/dev/null || true
}
SINK_TARGET=$(( $(sink_count) + MESSAGES ))
alloc_load relay relay_load
alloc_load refusal refusal_load
echo "bench: profiles written to $OUT" >&2
