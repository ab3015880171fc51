#!/usr/bin/env bash
# Two variants of one Bulwark node side by side: a setting, a runtime knob or another build,
# run by run alternating (A B, then B A, ...), on the relay load (smtp-source, 20 sessions,
# 2 KB, one message per connection, relayed to smtp-sink) and the unknown-recipient load
# (smtp-source -A -N, block off). Reports, per variant, the median and spread of msg/s and of
# the node's CPU per message, and B's ratio to A. For deciding a change on this machine before
# it goes into bench/compare.sh's figures.
#
# usage: bench/ab.sh [--runs N] [--messages N] [--no-build]
#   AB_ENV_A / AB_ENV_B   extra environment for each variant, space-separated KEY=VALUE
#   AB_DLL_A / AB_DLL_B   the node's bulwark.dll for each variant (default: this tree's build)
# example: AB_ENV_B="DOTNET_TieredCompilation=0" bench/ab.sh --runs 5
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)

RUNS=${RUNS:-3}
MESSAGES=${MESSAGES:-6000}
WARMUP=${WARMUP:-2000}
SESSIONS=20
MSG_BYTES=2048
RELAY_TIMEOUT=${RELAY_TIMEOUT:-300}
SENDER=bench@client.test
VALID_RCPT=postmaster@example.test
UNKNOWN_RCPT=nobody@example.test
SINK_PORT=${SINK_PORT:-2700}
BULWARK_PORT=${BULWARK_PORT:-2727}
CLUSTER_PORT=${CLUSTER_PORT:-4163}
DEFAULT_DLL=$REPO/src/Bulwark.Node/bin/Release/net10.0/bulwark.dll
AB_DLL_A=${AB_DLL_A:-$DEFAULT_DLL}
AB_DLL_B=${AB_DLL_B:-$DEFAULT_DLL}
read -r -a ENV_A <<<"${AB_ENV_A:-}"
read -r -a ENV_B <<<"${AB_ENV_B:-}"

BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --messages) MESSAGES=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) sed -n '9,13p' "$0" >&2; exit 2 ;;
  esac
done

. "$REPO/bench/lib/common.sh"
. "$REPO/bench/lib/bulwark-node.sh"
mapfile -t BASE_ENV < <(one_node_env)
BASE_ENV+=("BULWARK_Dns__Enabled=false")   # as in compare.sh: the peers run no DNS checks
export PATH="$PATH:/usr/sbin:/sbin"
command -v smtp-source >/dev/null || bash "$REPO/scripts/install-deps.sh"

BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/bulwark-ab.XXXXXX")
chmod 755 "$BENCH_TMP"
cleanup() {
  bulwark_stop || true
  [ -n "${SINK_PID:-}" ] && kill "$SINK_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$BENCH_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$AB_DLL_A" = "$DEFAULT_DLL" ] || [ "$AB_DLL_B" = "$DEFAULT_DLL" ] && bulwark_build
start_sink

# One start of variant $1 (A or B): warm-up, then one relay run and one refusal run, each with
# the node's CPU ticks around it. Appends "variant load per_s cpu_ms_per_msg" to $RESULTS.
RESULTS=$BENCH_TMP/results
one_variant() {
  local v=$1 dll env_name c0 c1 line
  if [ "$v" = A ]; then dll=$AB_DLL_A; env_name=ENV_A; else dll=$AB_DLL_B; env_name=ENV_B; fi
  local -n extra=$env_name
  BULWARK_DLL=$dll
  BULWARK_ENV=("${BASE_ENV[@]}" "${extra[@]}")
  bulwark_start false
  local m=$MESSAGES; MESSAGES=$WARMUP
  throughput_run "$BULWARK_PORT" >/dev/null; refusal_run "$BULWARK_PORT" >/dev/null
  MESSAGES=$m
  c0=$(cpu_ticks "$BW_PID"); line=$(throughput_run "$BULWARK_PORT"); c1=$(cpu_ticks "$BW_PID")
  echo "$v relay ${line%% *} $(python3 -c "import sys; print(f'{(int(sys.argv[2])-int(sys.argv[1]))*10/int(sys.argv[3]):.3f}')" "$c0" "$c1" "$MESSAGES")" >>"$RESULTS"
  c0=$(cpu_ticks "$BW_PID"); line=$(refusal_run "$BULWARK_PORT"); c1=$(cpu_ticks "$BW_PID")
  echo "$v refusal ${line%% *} $(python3 -c "import sys; print(f'{(int(sys.argv[2])-int(sys.argv[1]))*10/int(sys.argv[3]):.3f}')" "$c0" "$c1" "$MESSAGES")" >>"$RESULTS"
  bulwark_stop
  tail -2 "$RESULTS" >&2
}

echo "ab: A: ${AB_ENV_A:-(no extra env)} $AB_DLL_A" >&2
echo "ab: B: ${AB_ENV_B:-(no extra env)} $AB_DLL_B" >&2
for run in $(seq 1 "$RUNS"); do
  if [ $((run % 2)) = 1 ]; then one_variant A; one_variant B; else one_variant B; one_variant A; fi
done

python3 - "$RESULTS" <<'EOF'
import statistics as s, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
def col(v, load, i): return [float(r[i]) for r in rows if r[0] == v and r[1] == load]
print("| load | A msg/s | B msg/s | B/A | A CPU ms/msg | B CPU ms/msg |")
print("|---|---|---|---|---|---|")
for load in ("relay", "refusal"):
    a, b, ac, bc = col("A", load, 2), col("B", load, 2), col("A", load, 3), col("B", load, 3)
    f = lambda v: f"{s.median(v):.0f} ({min(v):.0f}-{max(v):.0f})"
    g = lambda v: f"{s.median(v):.3f} ({min(v):.3f}-{max(v):.3f})"
    print(f"| {load} | {f(a)} | {f(b)} | {s.median(b) / s.median(a):.2f} | {g(ac)} | {g(bc)} |")
EOF
