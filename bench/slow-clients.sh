#!/usr/bin/env bash
# Legitimate throughput with and without 1,000 slowloris connections (issue #7 item 2): Postfix's
# smtp-source sends valid mail from 127.0.0.1 while bench/lib/slow-clients.py holds slow SMTP
# connections from a few other loopback addresses. Runs alternate (normal, attacked) so that
# drift in the machine's load hits both alike. See docs/hostile-load.md for the figures.
#
# usage: bench/slow-clients.sh [--runs N] [--messages N] [--limits "20 1000"] [--no-build]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)

# ---- settings (environment overrides) -------------------------------------------------
RUNS=${RUNS:-3}                 # alternating pairs of runs (normal, attacked) per limit
MESSAGES=${MESSAGES:-2000}      # messages per run
WARMUP=${WARMUP:-200}           # messages per unmeasured warm-up run
SESSIONS=${SESSIONS:-20}        # parallel legitimate SMTP sessions, one message per connection
MSG_BYTES=${MSG_BYTES:-2048}
RELAY_TIMEOUT=${RELAY_TIMEOUT:-300}
SLOW=${SLOW:-1000}              # slow connection slots
SLOW_IPS=${SLOW_IPS:-127.0.0.101,127.0.0.102,127.0.0.103,127.0.0.104,127.0.0.105}
BYTE_EVERY=${BYTE_EVERY:-5}     # seconds between the slow clients' bytes
RETRY=${RETRY:-1}               # seconds a refused or cut slow slot waits before it reconnects
# Reputation:MaxConnectionsPerIp for each scenario: 20 (the default: 100 slow sessions held, the
# other 900 slots refused and reconnecting every second) and 1000 (all 1,000 held).
LIMITS=${LIMITS:-20 1000}
SENDER=${SENDER:-bench@client.test}
VALID_RCPT=postmaster@example.test
SINK_PORT=${SINK_PORT:-2610}
BULWARK_PORT=${BULWARK_PORT:-2537}
CLUSTER_PORT=${CLUSTER_PORT:-4073}
BULWARK_DLL=${BULWARK_DLL:-$REPO/src/Bulwark.Node/bin/Release/net10.0/bulwark.dll}
node_env() { # $1 = per-IP limit
  BULWARK_ENV=(
    "BULWARK_Smtp__Address=127.0.0.1"
    "BULWARK_Smtp__Port=$BULWARK_PORT"
    "BULWARK_Delivery__NextHop__Host=127.0.0.1"
    "BULWARK_Delivery__NextHop__Port=$SINK_PORT"
    "BULWARK_Delivery__MaxConcurrent=20"
    "BULWARK_Reputation__MaxConnectionsPerIp=$1"
    # The legitimate client opens 20 sessions from one address, like a partner's big MTA:
    # allowlisted, as such a partner would be, so the per-IP limit applies to the attackers only.
    "BULWARK_Reputation__Allowlist=127.0.0.1/32"
    "BULWARK_Cluster__Port=$CLUSTER_PORT"
    "BULWARK_Admin__Port=0"
  )
}
# ----------------------------------------------------------------------------------------

BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --messages) MESSAGES=$2; shift 2 ;;
    --limits) LIMITS=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) sed -n '7p' "$0" >&2; exit 2 ;;
  esac
done

. "$REPO/bench/lib/common.sh"
. "$REPO/bench/lib/bulwark-node.sh"
. "$REPO/bench/lib/hostile.sh"
export PATH="$PATH:/usr/sbin:/sbin"
bash "$REPO/scripts/install-deps.sh"
require_nofile $((SLOW * 2 + 2048))   # node and client each hold one end of every slow connection

BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/bulwark-slow.XXXXXX")
SLOW_PID=""
stop_slow() { # leaves the slow client's summary line in $BENCH_TMP/slow.out
  [ -n "$SLOW_PID" ] || return 0
  kill -TERM "$SLOW_PID" 2>/dev/null || true
  wait "$SLOW_PID" 2>/dev/null || true
  SLOW_PID=""
}
cleanup() {
  stop_slow || true
  bulwark_stop || true
  [ -n "${SINK_PID:-}" ] && kill "$SINK_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$BENCH_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

declare -A RESULT
record() { RESULT[$1]="${RESULT[$1]:-} $2"; }

# Starts the slow clients and waits until they hold what the per-IP limit lets them hold.
start_slow() { # $1 = connections expected to be held
  python3 "$REPO/bench/lib/slow-clients.py" "$BULWARK_PORT" "$SLOW" "$SLOW_IPS" "$BENCH_TMP/slow.status" \
    "$BYTE_EVERY" "$RETRY" >"$BENCH_TMP/slow.out" 2>&1 &
  SLOW_PID=$!
  local deadline=$(( $(date +%s) + 60 )) held=0
  while [ "$(date +%s)" -lt "$deadline" ]; do
    held=$(cut -d' ' -f1 "$BENCH_TMP/slow.status" 2>/dev/null || echo 0)
    [ "${held:-0}" -ge "$1" ] && return 0
    sleep 0.5
  done
  echo "bench: the slow clients hold only $held of $1 connections after 60 s" >&2; return 1
}

ips=$(tr ',' '\n' <<<"$SLOW_IPS" | wc -l)
echo "bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)" >&2
echo "bench: $RUNS x (normal, attacked) runs of $MESSAGES messages, $SESSIONS sessions, ${MSG_BYTES}-byte payload; $SLOW slow slots from $ips IPs" >&2
start_sink
bulwark_build
for limit in $LIMITS; do
  node_env "$limit"
  bulwark_start true
  full=$MESSAGES; MESSAGES=$WARMUP; throughput_run "$BULWARK_PORT" >/dev/null; MESSAGES=$full
  expect=$(( limit * ips < SLOW ? limit * ips : SLOW ))
  for i in $(seq 1 "$RUNS"); do
    read -r acc _ < <(throughput_run "$BULWARK_PORT"); record "$limit/normal" "$acc"
    echo "limit $limit run $i normal:   $acc msg/s accepted" >&2
    start_slow "$expect"
    rss=$(rss_mb "$BW_PID"); node0=$(cpu_s "$BW_PID"); slow0=$(cpu_s "$SLOW_PID"); t0=$(now)
    read -r acc _ < <(throughput_run "$BULWARK_PORT"); record "$limit/attacked" "$acc"; record "$limit/rss" "$rss"
    # CPU (% of one core) the node and the slow-client process used during the attacked run:
    # on a 2-core box the attacker's own reconnect churn competes with the node for the CPUs.
    read -r node_pct slow_pct < <(python3 -c "import sys; a,b,c,d,t0,t1=map(float,sys.argv[1:]); print(f'{(b-a)/(t1-t0)*100:.0f} {(d-c)/(t1-t0)*100:.0f}')" \
      "$node0" "$(cpu_s "$BW_PID")" "$slow0" "$(cpu_s "$SLOW_PID")" "$t0" "$(now)")
    record "$limit/nodecpu" "$node_pct"; record "$limit/slowcpu" "$slow_pct"
    stop_slow
    read -r held_end max_held greeted refused cut errors <"$BENCH_TMP/slow.out" ||
      { echo "bench: the slow clients said:" >&2; cat "$BENCH_TMP/slow.out" >&2; exit 1; }
    record "$limit/held" "$held_end"; record "$limit/refused" "$refused"
    echo "limit $limit run $i attacked: $acc msg/s accepted; slow connections held $held_end at the end (max $max_held), refused $refused, cut $cut, client errors $errors; node RSS $rss MB; CPU node $node_pct%, slow clients $slow_pct%" >&2
  done
  bulwark_stop
done
echo "bench: load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

echo
echo "| per-IP limit | slow connections held | slow-slot refusals per attacked run (median) | node RSS while held (MB) | CPU % of a core, node / slow clients (attacked, median) | normal msg/s (median, min-max) | attacked msg/s (median, min-max) | attacked / normal |"
echo "|---|---|---|---|---|---|---|---|"
for limit in $LIMITS; do
  read -r n nlo nhi < <(stats ${RESULT[$limit/normal]})
  read -r a alo ahi < <(stats ${RESULT[$limit/attacked]})
  read -r held _ _ < <(stats ${RESULT[$limit/held]})
  read -r refused _ _ < <(stats ${RESULT[$limit/refused]})
  read -r rss _ _ < <(stats ${RESULT[$limit/rss]})
  read -r ncpu _ _ < <(stats ${RESULT[$limit/nodecpu]})
  read -r scpu _ _ < <(stats ${RESULT[$limit/slowcpu]})
  ratio=$(python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.0%}')" "$a" "$n")
  echo "| $limit | ${held%.0} | ${refused%.0} | ${rss%.0} | ${ncpu%.0} / ${scpu%.0} | $n ($nlo-$nhi) | $a ($alo-$ahi) | $ratio |"
done
echo
echo "issue #7 target: attacked >= 80% of normal"
