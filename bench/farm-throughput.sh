#!/usr/bin/env bash
# The farm benchmark: (a) RCPT verdict latency when the domain's RecipientDirectory entity
# lives on the listener's own node versus on another node (2-node farm; 1-node farm for
# reference); (b) accepted mail per second with 1 node and with 3 nodes, alternating.
# Every node shares one private PostgreSQL, as deploy/run-farm.sh does. See docs/benchmarks.md.
#
# usage: bench/farm-throughput.sh [--runs N] [--messages N] [--samples N] [--no-build] [--only latency|throughput]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)

# ---- settings (environment overrides) -------------------------------------------------
RUNS=${RUNS:-3}                 # throughput runs per farm size (alternating 1, 3, 1, 3, ...)
MESSAGES=${MESSAGES:-2000}      # messages per throughput run, over all listeners
WARMUP=${WARMUP:-200}           # unmeasured messages per listener after each farm start
SESSIONS=${SESSIONS:-20}        # parallel SMTP sessions in all, one message per connection
MSG_BYTES=${MSG_BYTES:-2048}
RELAY_TIMEOUT=${RELAY_TIMEOUT:-300}
SETTLE=${SETTLE:-10}            # seconds of rest after a farm starts (its JIT and joins settle)
SAMPLES=${SAMPLES:-1000}        # RCPT samples per domain and listener
DOMAINS=${DOMAINS:-8}           # catch-all domains d1.test .. dN.test, one entity each
SENDER=${SENDER:-bench@client.test}
VALID_RCPT=postmaster@example.test
SINK_PORT=${SINK_PORT:-2700}
PG_PORT=${PG_PORT:-15532}
FARM_SMTP_BASE=${FARM_SMTP_BASE:-2730}
FARM_CLUSTER_BASE=${FARM_CLUSTER_BASE:-4160}
FARM_ADMIN_BASE=${FARM_ADMIN_BASE:-8130}
BULWARK_DLL=${BULWARK_DLL:-$REPO/src/Bulwark.Node/bin/Release/net10.0/bulwark.dll}
# What every node gets (the per-node ports, data folder and database are set in
# bench/lib/farm.sh). Reputation and DNS checks off, and every RCPT asked of the
# RecipientDirectory entity (Smtp:LocalRecipientAnswers=false, as for a call-ahead domain):
# that ask is the only thing on the RCPT path, so the latency is that one verdict.
FARM_ENV=(
  "BULWARK_Smtp__LocalRecipientAnswers=false"
  "BULWARK_Smtp__Address=127.0.0.1"
  "BULWARK_Delivery__NextHop__Host=127.0.0.1"
  "BULWARK_Delivery__NextHop__Port=$SINK_PORT"
  "BULWARK_Delivery__MaxConcurrent=20"
  "BULWARK_Reputation__Enabled=false"
  "BULWARK_Reputation__MaxConnectionsPerIp=1000"
  "BULWARK_Dns__Enabled=false"
)
DOMAIN_NAMES=()
# CALL_AHEAD=1: the domains are call-ahead domains probing the sink (which takes every RCPT)
# instead of catch-all ones, and the listeners keep the entities' answers
# (Smtp:LocalRecipientAnswers=true); with RCPT_USERS=N the recipients repeat, so this shows a
# repeated call-ahead recipient answered on the listener's node.
CALL_AHEAD=${CALL_AHEAD:-0}
[ "$CALL_AHEAD" = 1 ] && FARM_ENV+=("BULWARK_Smtp__LocalRecipientAnswers=true")
for i in $(seq 1 "$DOMAINS"); do
  DOMAIN_NAMES+=("d$i.test")
  if [ "$CALL_AHEAD" = 1 ]; then
    FARM_ENV+=("BULWARK_Domains__${i}__Name=d$i.test" "BULWARK_Domains__${i}__RecipientsFile="
      "BULWARK_Domains__${i}__CallAhead__Enabled=true" "BULWARK_Domains__${i}__CallAhead__Host=127.0.0.1"
      "BULWARK_Domains__${i}__CallAhead__Port=$SINK_PORT")
  else
    FARM_ENV+=("BULWARK_Domains__${i}__Name=d$i.test" "BULWARK_Domains__${i}__CatchAll=true" "BULWARK_Domains__${i}__RecipientsFile=")
  fi
done
# ----------------------------------------------------------------------------------------

ONLY=both BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --messages) MESSAGES=$2; shift 2 ;;
    --samples) SAMPLES=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --only) ONLY=$2; shift 2 ;;
    *) sed -n '7p' "$0" >&2; exit 2 ;;
  esac
done

. "$REPO/bench/lib/common.sh"
. "$REPO/bench/lib/bulwark-node.sh"   # bulwark_build
. "$REPO/bench/lib/farm.sh"
export PATH="$PATH:/usr/sbin:/sbin"
LAT="python3 $REPO/bench/lib/rcpt-latency.py"

BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/bulwark-farm-bench.XXXXXX")
cleanup() {
  farm_stop || true
  [ -n "${SINK_PID:-}" ] && kill "$SINK_PID" 2>/dev/null || true
  pg_stop || true
  wait 2>/dev/null || true
  rm -rf "$BENCH_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)" >&2
bulwark_build
pg_start
start_sink

# ---- (a) RCPT latency ---------------------------------------------------------------
if [ "$ONLY" != throughput ]; then
  echo "bench: latency, 1-node farm ($DOMAINS domains x $SAMPLES RCPTs)" >&2
  farm_start 1; sleep "$SETTLE"
  $LAT measure $((FARM_SMTP_BASE + 1)) 100 "$BENCH_TMP/warm.json" "${DOMAIN_NAMES[@]}"   # JIT, entities
  $LAT measure $((FARM_SMTP_BASE + 1)) "$SAMPLES" "$BENCH_TMP/lat1.json" "${DOMAIN_NAMES[@]}"
  farm_stop

  echo "bench: latency, 2-node farm" >&2
  farm_start 2; sleep "$SETTLE"
  declare -A HOME_NODE
  for d in "${DOMAIN_NAMES[@]}"; do
    HOME_NODE[$d]=$(farm_entity_node "$d")
    echo "bench:   $d: entity on node ${HOME_NODE[$d]}" >&2
  done
  for n in 1 2; do $LAT measure $((FARM_SMTP_BASE + n)) 100 "$BENCH_TMP/warm.json" "${DOMAIN_NAMES[@]}"; done
  for n in 1 2; do
    $LAT measure $((FARM_SMTP_BASE + n)) "$SAMPLES" "$BENCH_TMP/lat2-$n.json" "${DOMAIN_NAMES[@]}"
  done
  # Placement again after the runs: a shard that moved meanwhile would spoil the classes.
  after=$(curl -s --max-time 15 "http://127.0.0.1:$((FARM_ADMIN_BASE + 1))/admin/shards")
  echo "bench: recipient-directory regions after the runs: $(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["recipient-directory"])' "$after")" >&2
  farm_stop

  LAT_ROWS=("$($LAT summarize "1-node" "$BENCH_TMP/lat1.json" "${DOMAIN_NAMES[@]}")")
  for n in 1 2; do
    local_d=() remote_d=()
    for d in "${DOMAIN_NAMES[@]}"; do
      if [ "${HOME_NODE[$d]}" = "$n" ]; then local_d+=("$d"); else remote_d+=("$d"); fi
    done
    [ ${#local_d[@]} -gt 0 ] && LAT_ROWS+=("$($LAT summarize "2-node,listener-$n,local(${#local_d[@]}-domains)" "$BENCH_TMP/lat2-$n.json" "${local_d[@]}")")
    [ ${#remote_d[@]} -gt 0 ] && LAT_ROWS+=("$($LAT summarize "2-node,listener-$n,remote(${#remote_d[@]}-domains)" "$BENCH_TMP/lat2-$n.json" "${remote_d[@]}")")
  done
fi

# ---- (b) accepted mail per second, 1 node against 3 nodes ----------------------------
# The load is split over the listeners: SESSIONS and MESSAGES in all, shared as evenly as
# integers allow; the run ends when every smtp-source has finished.
# CPU seconds (user + system) used so far by the farm's node processes, all together.
farm_cpu() {
  local pid total=0
  for pid in "${FARM_PIDS[@]}"; do
    total=$(( total + $(cpu_ticks "$pid") ))
  done
  python3 -c "import os,sys; print(int(sys.argv[1]) / os.sysconf('SC_CLK_TCK'))" "$total"
}

farm_run() { # nodes -> "accepted_per_s relayed_per_s node_cpu_ms_per_message"
  local nodes=$1 base t0 t1 t2 deadline n s m pids=() c0 c1
  base=$(sink_count)
  c0=$(farm_cpu)
  t0=$(now)
  for n in $(seq 1 "$nodes"); do
    s=$(( SESSIONS / nodes + (n <= SESSIONS % nodes ? 1 : 0) ))
    m=$(( MESSAGES / nodes + (n <= MESSAGES % nodes ? 1 : 0) ))
    smtp-source -s "$s" -l "$MSG_BYTES" -m "$m" -M client.test -f "$SENDER" -t "$VALID_RCPT" \
      "127.0.0.1:$((FARM_SMTP_BASE + n))" >"$BENCH_TMP/source-$n.err" 2>&1 &
    pids+=($!)
  done
  for n in $(seq 1 "$nodes"); do
    wait "${pids[$((n - 1))]}" || { echo "bench: smtp-source failed against node $n:" >&2; tail -5 "$BENCH_TMP/source-$n.err" >&2; return 1; }
  done
  t1=$(now)
  deadline=$(( $(date +%s) + RELAY_TIMEOUT ))
  while [ "$(sink_count)" -lt $((base + MESSAGES)) ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "bench: only $(( $(sink_count) - base ))/$MESSAGES reached the sink" >&2; return 1; }
    sleep 0.05
  done
  t2=$(now)
  c1=$(farm_cpu)
  python3 -c "import sys; n,a,b,c,u,v=map(float,sys.argv[1:]); print(f'{n/(b-a):.1f} {n/(c-a):.1f} {(v-u)*1000/n:.2f}')" "$MESSAGES" "$t0" "$t1" "$t2" "$c0" "$c1"
}

declare -A RESULT
record() { RESULT[$1]="${RESULT[$1]:-} $2"; }
if [ "$ONLY" != latency ]; then
  for i in $(seq 1 "$RUNS"); do
    for nodes in 1 3; do
      farm_start "$nodes"; sleep "$SETTLE"
      full=$MESSAGES; MESSAGES=$((WARMUP * nodes)); farm_run "$nodes" >/dev/null; MESSAGES=$full
      read -r acc rel cpu < <(farm_run "$nodes")
      record "$nodes/accept" "$acc"; record "$nodes/relay" "$rel"; record "$nodes/cpu" "$cpu"
      echo "run $i, $nodes node(s): accepted $acc/s, relayed $rel/s, node CPU $cpu ms/message (load $(cut -d' ' -f1 /proc/loadavg))" >&2
      farm_stop
    done
  done
fi

echo "bench: load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo
if [ "$ONLY" != throughput ]; then
  echo "| RCPT verdict latency ($SAMPLES RCPTs per domain) | samples | p50 ms | p99 ms | mean ms |"
  echo "|---|---|---|---|---|"
  for r in "${LAT_ROWS[@]}"; do read -r l n p50 p99 mean <<<"$r"; echo "| $l | $n | $p50 | $p99 | $mean |"; done
  echo
fi
if [ "$ONLY" != latency ]; then
  echo "| per second ($RUNS runs of $MESSAGES, $SESSIONS sessions in all) | median | min | max | runs |"
  echo "|---|---|---|---|---|"
  for k in 1/accept 3/accept 1/relay 3/relay; do
    read -r med lo hi < <(stats ${RESULT[$k]})
    echo "| ${k%/*} node(s): ${k#*/}ed |$med | $lo | $hi |${RESULT[$k]} |"
  done
  # CPU per message needs two decimals; stats() rounds to one.
  for k in 1/cpu 3/cpu; do
    read -r med lo hi < <(python3 -c "import sys,statistics as s; v=[float(x) for x in sys.argv[1:]]; print(f'{s.median(v):.2f} {min(v):.2f} {max(v):.2f}')" ${RESULT[$k]})
    echo "| ${k%/*} node(s): node CPU ms per message, all nodes together | $med | $lo | $hi |${RESULT[$k]} |"
  done
  python3 - "${RESULT[1/accept]}" "${RESULT[3/accept]}" <<'PY'
import sys, statistics as s
one, three = (s.median(float(x) for x in a.split()) for a in sys.argv[1:])
print(f"\nratio 3 nodes / 1 node, accepted/s (medians): {three / one:.2f}")
PY
fi
