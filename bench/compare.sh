#!/usr/bin/env bash
# Bulwark (1 node, and a 3-node farm on loopback) against Postfix, Postfix + postscreen and
# Haraka, configured alike (example.test, cluster-config/recipients.txt, unknown 550 5.1.1,
# relay refused, next hop smtp-sink), on the same loads, the systems alternating run by run:
#  (a) accepted + relayed messages/s, one message per connection, with 20 and 100 sessions
#  (b) unknown-recipient refusals/s; for Bulwark with its farm-wide block off and on
#  (c) refusals/s of an operator-blocked IP, and the bytes each server reads from it
#  (d) RCPT verdict latency p50/p99, warm persistent sessions
# Prints the table and writes it (markdown) to OUT. See bench/compare.md for the method.
#
# usage: bench/compare.sh [OUT.md] [--runs N] [--messages N] [--only sys,sys] [--no-build] [--smoke]
# Needs root (Postfix). Installs Haraka with npm into ~/.cache/bulwark-bench/haraka if missing.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)

# ---- settings (environment overrides) -------------------------------------------------
RUNS=${RUNS:-3}
MESSAGES=${MESSAGES:-2000}       # messages (or refusal connections) per load and run
WARMUP=${WARMUP:-10000}          # unmeasured messages (and refusals) before the first load of each start (compare.md)
MSG_BYTES=${MSG_BYTES:-2048}
BLOCKED_CONNS=${BLOCKED_CONNS:-2000}  # (c) connections from the blocked IP per run
BYTES_CONNS=${BYTES_CONNS:-20}   # (c') connections traced for bytes read
LAT_SAMPLES=${LAT_SAMPLES:-2000} # (d) RCPTs timed per run
LAT_WARM=${LAT_WARM:-200}
LAT_VALID=alice@example.test,bob@example.test,carol@example.test,postmaster@example.test
SYSTEMS=${SYSTEMS:-bulwark,farm3,postfix,postscreen,haraka}
LOADS=${LOADS:-abcd}             # which loads to run: a (throughput), b (refusals), c (blocked IP), d (latency)
RELAY_TIMEOUT=${RELAY_TIMEOUT:-300}
SESSIONS=20                      # (b), (c): parallel sessions; (a) sets 20 and 100
SETTLE=${SETTLE:-10}
SENDER=bench@client.test
VALID_RCPT=postmaster@example.test
UNKNOWN_RCPT=nobody@example.test
BLOCKED_IP=127.0.0.66            # blocked by the operator on every system
CONTROL_IP=127.0.0.67            # not blocked: the bytes-read method's positive control
SINK_PORT=${SINK_PORT:-2800}
POSTFIX_PORT=${POSTFIX_PORT:-2826}
BULWARK_PORT=${BULWARK_PORT:-2827}
HARAKA_PORT=${HARAKA_PORT:-2828}
CLUSTER_PORT=${CLUSTER_PORT:-4263}
ADMIN_PORT=${ADMIN_PORT:-8227}
FARM_SMTP_BASE=${FARM_SMTP_BASE:-2830}
FARM_CLUSTER_BASE=${FARM_CLUSTER_BASE:-4270}
FARM_ADMIN_BASE=${FARM_ADMIN_BASE:-8230}
PG_PORT=${PG_PORT:-15632}
BULWARK_DLL=${BULWARK_DLL:-$REPO/src/Bulwark.Node/bin/Release/net10.0/bulwark.dll}
# DNS checks off for Bulwark: neither Postfix nor Haraka is configured with any (SPF, etc.).
COMMON_ENV=(
  "BULWARK_Smtp__Address=127.0.0.1"
  "BULWARK_Delivery__NextHop__Host=127.0.0.1"
  "BULWARK_Delivery__NextHop__Port=$SINK_PORT"
  "BULWARK_Delivery__MaxConcurrent=20"           # Postfix's default destination concurrency
  "BULWARK_Reputation__MaxConnectionsPerIp=1000"  # 100 sessions from one client IP
  "BULWARK_Dns__Enabled=false"
)
BULWARK_ENV=("${COMMON_ENV[@]}" "BULWARK_Smtp__Port=$BULWARK_PORT" "BULWARK_Cluster__Port=$CLUSTER_PORT" "BULWARK_Admin__Port=$ADMIN_PORT")
FARM_BASE_ENV=("${COMMON_ENV[@]}")
# ----------------------------------------------------------------------------------------

OUT="" BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --messages) MESSAGES=$2; shift 2 ;;
    --only) SYSTEMS=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --smoke) RUNS=1 MESSAGES=200 WARMUP=50 BLOCKED_CONNS=200 BYTES_CONNS=5 LAT_SAMPLES=300 LAT_WARM=50 SETTLE=5; shift ;;
    -*) sed -n '10p' "$0" >&2; exit 2 ;;
    *) OUT=$1; shift ;;
  esac
done
OUT=${OUT:-$REPO/bench/results/compare-$(date +%Y-%m-%d).md}
IFS=, read -r -a SYSTEM_LIST <<<"$SYSTEMS"

. "$REPO/bench/lib/common.sh"
. "$REPO/bench/lib/postfix-relay.sh"
. "$REPO/bench/lib/postscreen.sh"
. "$REPO/bench/lib/bulwark-node.sh"
. "$REPO/bench/lib/farm.sh"
. "$REPO/bench/lib/haraka.sh"
. "$REPO/bench/lib/compare-loads.sh"
. "$REPO/bench/lib/compare-systems.sh"
export PATH="$PATH:/usr/sbin:/sbin"
bash "$REPO/scripts/install-deps.sh"
[ "$(id -u)" -eq 0 ] || { echo "bench: needs root (Postfix, strace of the servers)" >&2; exit 2; }
command -v strace >/dev/null || apt-get install -y -qq strace >/dev/null

BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/bulwark-compare.XXXXXX")
chmod 755 "$BENCH_TMP"
CURRENT=""
cleanup() {
  [ -n "$CURRENT" ] && sys_stop "$CURRENT" || true
  [ -n "${SINK_PID:-}" ] && kill "$SINK_PID" 2>/dev/null || true
  pg_stop || true
  wait 2>/dev/null || true
  rm -rf "$BENCH_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

declare -A RESULT
record() { RESULT[$1]="${RESULT[$1]:-} $2"; }
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench: load average before: $LOAD_BEFORE ($(nproc) CPUs); $RUNS run(s), systems: ${SYSTEM_LIST[*]}" >&2
[[ ",$SYSTEMS," == *,bulwark,* || ",$SYSTEMS," == *,farm3,* ]] && bulwark_build
[[ ",$SYSTEMS," == *,farm3,* ]] && pg_start
[[ ",$SYSTEMS," == *,haraka,* ]] && haraka_install
start_sink

# The blocked-IP client in C (bench/lib/blocked-flood.c), built for this run.
build_blocked_flood() {
  BLOCKED_FLOOD="$BENCH_TMP/blocked-flood"
  cc -O2 -o "$BLOCKED_FLOOD" "$REPO/bench/lib/blocked-flood.c" || { echo "bench: cannot build blocked-flood (cc)" >&2; return 1; }
}
warm() { local m=$MESSAGES s=$SESSIONS; MESSAGES=$WARMUP SESSIONS=20; cmp_throughput "$@" >/dev/null; MESSAGES=$m SESSIONS=$s; }
# The refusal path warmed too, where no block can follow from it (the block-off start).
warm_refusals() { local m=$MESSAGES; MESSAGES=$WARMUP; cmp_refusals "$@" >/dev/null; MESSAGES=$m; }
. "$REPO/bench/lib/compare-run.sh"
build_blocked_flood

for run in $(seq 1 "$RUNS"); do
  # Rotate the order each run, so that no system always runs first (or right after another).
  n=${#SYSTEM_LIST[@]}
  for k in $(seq 0 $((n - 1))); do
    one_system "${SYSTEM_LIST[$(( (k + run - 1) % n ))]}" "$run"
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench: load average after: $LOAD_AFTER" >&2

mkdir -p "$(dirname "$OUT")"
write_report | tee "$OUT"
echo "bench: table written to $OUT" >&2
