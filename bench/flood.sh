#!/usr/bin/env bash
# Connection flood (issue #7 item 3): bench/lib/flood-client.py opens TOTAL connections from 250
# loopback addresses as fast as it can (INFLIGHT at a time; most read the greeting and close,
# one in four closes without reading) while bench/lib/smtp-probe.py sends legitimate mail from
# 127.0.0.1 one message at a time. Reports connections/s offered and answered, greeted vs
# refused, the node's CPU and RSS, and the legitimate client's latency with and without the
# flood. See docs/hostile-load.md for the figures.
#
# usage: bench/flood.sh [--runs N] [--total N] [--inflight N] [--no-build]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)

# ---- settings (environment overrides) -------------------------------------------------
RUNS=${RUNS:-3}                 # floods, one after the other, on the same node
TOTAL=${TOTAL:-20000}           # connections per flood
INFLIGHT=${INFLIGHT:-500}       # connections the flood client keeps open at once
ADDRESSES=${ADDRESSES:-250}     # source addresses 127.0.1.1 .. 127.0.1.N
BASELINE_SECONDS=${BASELINE_SECONDS:-10} # legitimate-client latency measured without a flood
WARMUP=${WARMUP:-200}
SESSIONS=${SESSIONS:-5}    # warm-up sessions: below the per-IP limit of 20 (127.0.0.1 is not allowlisted here)
MESSAGES=$WARMUP
MSG_BYTES=${MSG_BYTES:-2048}
RELAY_TIMEOUT=${RELAY_TIMEOUT:-300}
SENDER=${SENDER:-bench@client.test}
VALID_RCPT=postmaster@example.test
SINK_PORT=${SINK_PORT:-2620}
BULWARK_PORT=${BULWARK_PORT:-2547}
CLUSTER_PORT=${CLUSTER_PORT:-4083}
ADMIN_PORT=${ADMIN_PORT:-8147}
BULWARK_DLL=${BULWARK_DLL:-$REPO/src/Bulwark.Node/bin/Release/net10.0/bulwark.dll}
# The shipped limits (Smtp:MaxConnections 5000, Reputation:MaxConnectionsPerIp 20) stay as they are.
BULWARK_ENV=(
  "BULWARK_Smtp__Address=127.0.0.1"
  "BULWARK_Smtp__Port=$BULWARK_PORT"
  "BULWARK_Delivery__NextHop__Host=127.0.0.1"
  "BULWARK_Delivery__NextHop__Port=$SINK_PORT"
  "BULWARK_Cluster__Port=$CLUSTER_PORT"
  "BULWARK_Admin__Port=$ADMIN_PORT"
)
# ----------------------------------------------------------------------------------------

BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --total) TOTAL=$2; shift 2 ;;
    --inflight) INFLIGHT=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) sed -n '9p' "$0" >&2; exit 2 ;;
  esac
done

. "$REPO/bench/lib/common.sh"
. "$REPO/bench/lib/bulwark-node.sh"
. "$REPO/bench/lib/hostile.sh"
export PATH="$PATH:/usr/sbin:/sbin"
bash "$REPO/scripts/install-deps.sh"
require_nofile $((INFLIGHT * 2 + 2048))

BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/bulwark-flood.XXXXXX")
PROBE_PID=""
cleanup() {
  [ -n "$PROBE_PID" ] && kill "$PROBE_PID" 2>/dev/null || true
  bulwark_stop || true
  [ -n "${SINK_PID:-}" ] && kill "$SINK_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$BENCH_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The exporter writes an unlabelled series as "name{} value".
metric() { curl -fsS "http://127.0.0.1:$ADMIN_PORT/metrics" | awk -v m="$1" '{ n = $1; sub(/\{\}$/, "", n) } n == m { print $2; f=1 } END { if (!f) print 0 }'; }
start_probe() { rm -f "$BENCH_TMP/stop"; python3 "$REPO/bench/lib/smtp-probe.py" "$BULWARK_PORT" 127.0.0.1 alice@example.test \
  "$BENCH_TMP/stop" "$1" >"$BENCH_TMP/probe.out" & PROBE_PID=$!; }
stop_probe() { touch "$BENCH_TMP/stop"; wait "$PROBE_PID"; PROBE_PID=""; }   # its line is in probe.out

echo "bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)" >&2
echo "bench: $RUNS floods of $TOTAL connections, $INFLIGHT in flight, from $ADDRESSES addresses" >&2
start_sink
bulwark_build
bulwark_start true
throughput_run "$BULWARK_PORT" >/dev/null   # warm-up: JIT, spool, delivery

start_probe "$BASELINE_SECONDS"; wait "$PROBE_PID"; PROBE_PID=""
read -r bn bok bfail bp50 bp95 bmax <"$BENCH_TMP/probe.out"
rss0=$(rss_mb "$BW_PID")
echo "baseline: legitimate client $bok/$bn messages, p50 $bp50 ms, p95 $bp95 ms, max $bmax ms; node RSS $rss0 MB" >&2

ROWS=()
for i in $(seq 1 "$RUNS"); do
  rss_before=$(rss_mb "$BW_PID"); cpu_before=$(cpu_s "$BW_PID")
  start_probe 600
  python3 "$REPO/bench/lib/flood-client.py" "$BULWARK_PORT" "$TOTAL" "$INFLIGHT" "$ADDRESSES" >"$BENCH_TMP/flood.out"
  stop_probe; read -r n ok fail p50 p95 pmax <"$BENCH_TMP/probe.out"
  read -r secs offered handled greeted ref_ip ref_node other4 fivexx unread silent errors <"$BENCH_TMP/flood.out"
  cpu_after=$(cpu_s "$BW_PID"); rss_after=$(rss_mb "$BW_PID")
  kill -0 "$BW_PID" 2>/dev/null || { echo "bench: the node died during flood $i" >&2; tail -30 "$BW_LOG" >&2; exit 1; }
  # Sessions still open right after the flood, then after they have been given 30 s to close.
  deadline=$(( $(date +%s) + 30 ))
  while [ "$(metric bulwark_smtp_sessions_active)" != 0 ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.5; done
  left=$(metric bulwark_smtp_sessions_active)
  ready=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$ADMIN_PORT/health/ready")
  cpu_pct=$(python3 -c "import sys; a,b,s=map(float,sys.argv[1:]); print(f'{(b-a)/s*100:.0f}')" "$cpu_before" "$cpu_after" "$secs")
  echo "flood $i: $TOTAL in $secs s, offered $offered/s, answered $handled/s; greeted $greeted, 421 per-IP $ref_ip, 421 node cap $ref_node, other 4xx $other4, 5xx $fivexx, closed unread $unread, silent $silent, client errors $errors; node CPU $cpu_pct% of one core, RSS $rss_before -> $rss_after MB; legitimate $ok/$n ok, p50 $p50 ms, p95 $p95 ms, max $pmax ms; sessions left $left; ready $ready" >&2
  ROWS+=("| $i | $offered | $handled | $greeted | $ref_ip | $ref_node | $((other4 + fivexx + silent + errors)) | $cpu_pct% | $rss_before -> $rss_after | $ok/$n | $p50 / $p95 / $pmax | $left | $ready |")
done
# A legitimate message after all the floods: the node still takes mail.
python3 - "$BULWARK_PORT" <<'PY' >&2
import smtplib, sys
with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), local_hostname="after.test", timeout=60) as s:
    s.sendmail("after@client.test", ["alice@example.test"], "Subject: after\r\n\r\nafter the floods\r\n")
print("bench: a legitimate message after the floods was accepted")
PY
echo "bench: load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

echo
echo "legitimate client without a flood: p50 / p95 / max $bp50 / $bp95 / $bmax ms over $bok messages ($bfail failed)"
echo
echo "| flood | conn/s offered | conn/s answered | greeted (220) | 421 4.7.0 per-IP | 421 4.3.2 node cap | other (4xx/5xx/silent/error) | node CPU (% of a core) | node RSS MB before -> after | legit ok/sent | legit latency p50 / p95 / max ms | sessions 30 s after | /health/ready |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
