#!/usr/bin/env bash
# Cost of Bulwark's DNS checks (SPF, sender domain, iprev): accepted mail per second with
# the checks ON and a warm cache against the checks OFF, and upstream DNS queries per
# message, measured side by side (alternating runs) against a private dnsmasq on loopback.
# Optional COLD node: the same checks with every answer's TTL 0, so nothing can be cached.
# See docs/benchmarks.md for what the figures mean and what limits them.
#
# usage: bench/spf-throughput.sh [--runs N] [--messages N] [--no-build] [--no-cold]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)

# ---- settings (environment overrides); load as in bench/relay-throughput.sh ------------
RUNS=${RUNS:-3}                 # measured runs per node
MESSAGES=${MESSAGES:-2000}      # messages per run
WARMUP=${WARMUP:-200}           # messages per unmeasured warm-up run (JIT; fills the ON cache)
SESSIONS=${SESSIONS:-20}        # parallel SMTP sessions, one message per connection
MSG_BYTES=${MSG_BYTES:-2048}    # payload bytes per message (smtp-source -l)
RELAY_TIMEOUT=${RELAY_TIMEOUT:-300}
SENDER=${SENDER:-bench@client.test}  # client.test: SPF "v=spf1 ip4:127.0.0.1 -all", an MX
VALID_RCPT=postmaster@example.test
WARM_TTL=${WARM_TTL:-300}       # TTL of the answers the ON node may cache
SINK_PORT=${SINK_PORT:-2610}    # ports differ from relay-throughput.sh: both may run at once
ON_PORT=${ON_PORT:-2537}
OFF_PORT=${OFF_PORT:-2538}
COLD_PORT=${COLD_PORT:-2539}
CLUSTER_PORT=${CLUSTER_PORT:-4073}   # ON node; OFF +1, COLD +2
BULWARK_DLL=${BULWARK_DLL:-$REPO/src/Bulwark.Node/bin/Release/net10.0/bulwark.dll}
BASE_ENV=(
  "BULWARK_Smtp__Address=127.0.0.1"
  "BULWARK_Delivery__NextHop__Host=127.0.0.1"
  "BULWARK_Delivery__NextHop__Port=$SINK_PORT"
  "BULWARK_Delivery__MaxConcurrent=20"
  "BULWARK_Reputation__MaxConnectionsPerIp=1000"
  "BULWARK_Admin__Port=0"
)
# ----------------------------------------------------------------------------------------

BUILD=1 COLD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --messages) MESSAGES=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --no-cold) COLD=0; shift ;;
    *) sed -n '8p' "$0" >&2; exit 2 ;;
  esac
done
NODES="on off"; [ "$COLD" = 1 ] && NODES="on off cold"

. "$REPO/bench/lib/common.sh"
. "$REPO/bench/lib/bulwark-node.sh"
. "$REPO/bench/lib/dnsmasq.sh"
. "$REPO/bench/lib/dns-bench.sh"

export PATH="$PATH:/usr/sbin:/sbin"
bash "$REPO/scripts/install-deps.sh"
for p in "$SINK_PORT" "$ON_PORT" "$OFF_PORT" "$COLD_PORT" "$CLUSTER_PORT" $((CLUSTER_PORT + 1)) $((CLUSTER_PORT + 2)); do
  port_free "$p" || { echo "bench: port $p is in use (set the *_PORT variables)" >&2; exit 2; }
done

BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/bulwark-spf-bench.XXXXXX")
cleanup() {
  trap '' INT TERM   # a second Ctrl-C must not leave processes behind
  for n in on off cold; do node_stop "$n" || true; done
  bulwark_stop || true   # a node whose start failed half-way
  [ -n "${SINK_PID:-}" ] && kill "$SINK_PID" 2>/dev/null || true
  stop_dump_sink || true
  dnsmasq_stop warm || true; dnsmasq_stop cold || true
  wait 2>/dev/null || true
  if [ -n "${BENCH_KEEP:-}" ]; then echo "bench: kept $BENCH_TMP" >&2; else rm -rf "$BENCH_TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

declare -A RESULT   # key "node/figure" -> space-separated per-run figures
record() { RESULT[$1]="${RESULT[$1]:-} $2"; }

echo "bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)" >&2
echo "bench: $RUNS runs x $MESSAGES messages per node ($NODES), $SESSIONS sessions, ${MSG_BYTES}-byte payload, one message per connection" >&2
dnsmasq_start warm "$WARM_TTL"
[ "$COLD" = 1 ] && dnsmasq_start cold 0
echo "bench: dnsmasq TTL $WARM_TTL on 127.0.0.1:$DNS_PORT_warm$([ "$COLD" = 1 ] && echo ", TTL 0 on 127.0.0.1:$DNS_PORT_cold")" >&2
bulwark_build

# DNS checks for 127.0.0.1 too (it is in the default Dns:TrustedNetworks, which skips them).
ON_ENV=("BULWARK_Dns__Enabled=true" "BULWARK_Dns__TrustedNetworks=" "BULWARK_Dns__Iprev=record")
start_dump_sink   # the probes' next hop; the counting sink replaces it before the runs
q0=$(dns_queries warm)
node_start on "$ON_PORT" "$CLUSTER_PORT" "${ON_ENV[@]}" "BULWARK_Dns__NameServers=127.0.0.1:$DNS_PORT_warm"
# OFF points at the same dnsmasq: its runs must log no query at all.
node_start off "$OFF_PORT" $((CLUSTER_PORT + 1)) "BULWARK_Dns__Enabled=false" "BULWARK_Dns__NameServers=127.0.0.1:$DNS_PORT_warm"
[ "$COLD" = 1 ] && node_start cold "$COLD_PORT" $((CLUSTER_PORT + 2)) "${ON_ENV[@]}" "BULWARK_Dns__NameServers=127.0.0.1:$DNS_PORT_cold"

# Proof that ON means checked-and-accepted mail, not refusals or skipped checks.
# The ON node's first connections (wait_banner's, which already gets iprev, then the probe's):
# what an empty cache costs.
probe on "$ON_PORT" spf=pass; sleep 0.5; FIRST_Q=$(( $(dns_queries warm) - q0 ))
echo "bench: the ON node's readiness check and probe (empty cache) cost $FIRST_Q DNS queries" >&2
probe off "$OFF_PORT" ""
[ "$COLD" = 1 ] && probe cold "$COLD_PORT" spf=pass
stop_dump_sink
start_sink

dns_of() { [ "$1" = cold ] && echo cold || echo warm; }
# Unmeasured warm-up: JIT everywhere; fills the ON node's cache.
full=$MESSAGES; MESSAGES=$WARMUP
for n in $NODES; do
  read -r acc rel q < <(measure "$n" "$(node_port "$n")" "$(dns_of "$n")")
  echo "warm-up $n: accepted $acc/s, relayed $rel/s, $q DNS queries/message" >&2
done
MESSAGES=$full

for i in $(seq 1 "$RUNS"); do
  order=$NODES; [ $((i % 2)) = 0 ] && order=$(echo "$NODES" | tr ' ' '\n' | tac | tr '\n' ' ')
  for n in $order; do
    read -r acc rel q < <(measure "$n" "$(node_port "$n")" "$(dns_of "$n")")
    record "$n/accept" "$acc"; record "$n/relay" "$rel"; record "$n/q" "$q"
    echo "run $i $n: accepted $acc/s, relayed $rel/s, $q DNS queries/message (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  done
done
lost=$(cat "$DNS_LOG_warm" ${DNS_LOG_cold:-} | grep -c 'lost' || true)
[ "$lost" = 0 ] || echo "bench: WARNING: dnsmasq lost log lines ($lost notices): query counts are low" >&2
for t in warm $([ "$COLD" = 1 ] && echo cold); do
  log="DNS_LOG_$t"
  echo "bench: questions dnsmasq ($t) got in the whole session: $(grep -o 'query\[[A-Z]*\] [^ ]*' "${!log}" | sort | uniq -c | tr -s ' \n' ' ')" >&2
done
echo "bench: load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

row() { # label key
  local v=${RESULT[$2]:-}
  if [ -z "$v" ]; then printf '| %s | not run | | |\n' "$1"; return; fi
  local f=stats; case "$2" in */q|*-q) f=stats3 ;; esac
  read -r med lo hi < <($f $v)
  printf '| %s | %s | %s | %s |\n' "$1" "$med" "$lo" "$hi"
}
echo
echo "| figure ($RUNS runs of $MESSAGES, $SESSIONS sessions) | median | min | max |"
echo "|---|---|---|---|"
row "DNS ON, warm cache: accepted/s" on/accept
row "DNS ON, warm cache: relayed/s" on/relay
row "DNS OFF: accepted/s" off/accept
row "DNS OFF: relayed/s" off/relay
[ "$COLD" = 1 ] && row "DNS ON, TTL 0 (no cache): accepted/s" cold/accept
[ "$COLD" = 1 ] && row "DNS ON, TTL 0 (no cache): relayed/s" cold/relay
row "DNS ON, warm cache: DNS queries/message" on/q
row "DNS OFF: DNS queries/message" off/q
[ "$COLD" = 1 ] && row "DNS ON, TTL 0: DNS queries/message" cold/q
echo
echo "DNS queries for the ON node's first connection and message (empty cache): $FIRST_Q"
ratios "ON/OFF" "${RESULT[on/accept]}" "${RESULT[off/accept]}" "${RESULT[on/relay]}" "${RESULT[off/relay]}"
[ "$COLD" = 1 ] && ratios "COLD/OFF" "${RESULT[cold/accept]}" "${RESULT[off/accept]}" "${RESULT[cold/relay]}" "${RESULT[off/relay]}"
exit 0
