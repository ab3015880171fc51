#!/usr/bin/env bash
# Cost of content scanning: accepted mail per second with both scanners ON (clamd and
# rspamd, private instances on loopback) against OFF, side by side (alternating runs), plus
# nodes with clamd only and rspamd only, and the scanners' own CPU time per message.
# See docs/benchmarks.md for what the figures mean and what limits them.
#
# usage: bench/scan-throughput.sh [--runs N] [--messages N] [--no-build] [--no-single]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)

# ---- settings (environment overrides); load as in bench/relay-throughput.sh ------------
RUNS=${RUNS:-3}                 # measured runs per node
MESSAGES=${MESSAGES:-2000}      # messages per run
WARMUP=${WARMUP:-200}           # messages per unmeasured warm-up run (JIT, scanner caches)
SESSIONS=${SESSIONS:-20}        # parallel SMTP sessions, one message per connection
MSG_BYTES=${MSG_BYTES:-2048}    # payload bytes per message (smtp-source -l)
RELAY_TIMEOUT=${RELAY_TIMEOUT:-300}
SENDER=${SENDER:-bench@client.test}
VALID_RCPT=postmaster@example.test
SINK_PORT=${SINK_PORT:-2620}    # ports differ from the other benches: all may run at once
ON_PORT=${ON_PORT:-2547}        # both scanners; OFF +1, clamd only +2, rspamd only +3
CLUSTER_PORT=${CLUSTER_PORT:-4083}   # ON node; the others +1, +2, +3
BULWARK_DLL=${BULWARK_DLL:-$REPO/src/Bulwark.Node/bin/Release/net10.0/bulwark.dll}
# DNS checks as in bulwark.json (on, but 127.0.0.0/8 is trusted: no lookup for this load).
BASE_ENV=(
  "BULWARK_Smtp__Address=127.0.0.1"
  "BULWARK_Delivery__NextHop__Host=127.0.0.1"
  "BULWARK_Delivery__NextHop__Port=$SINK_PORT"
  "BULWARK_Delivery__MaxConcurrent=20"
  "BULWARK_Reputation__MaxConnectionsPerIp=1000"
  "BULWARK_Admin__Port=0"
)
# ----------------------------------------------------------------------------------------

BUILD=1 SINGLE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --messages) MESSAGES=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --no-single) SINGLE=0; shift ;;
    *) sed -n '7p' "$0" >&2; exit 2 ;;
  esac
done
NODES="on off"; [ "$SINGLE" = 1 ] && NODES="on off clamd rspamd"

. "$REPO/bench/lib/common.sh"
. "$REPO/bench/lib/bulwark-node.sh"
. "$REPO/bench/lib/dnsmasq.sh"      # free_port
. "$REPO/bench/lib/dns-bench.sh"    # port_free, node_start/stop, dump sink, ratios
. "$REPO/bench/lib/scanners.sh"

export PATH="$PATH:/usr/sbin:/sbin"
bash "$REPO/scripts/install-deps.sh"
for p in "$SINK_PORT" $(seq "$ON_PORT" $((ON_PORT + 3))) $(seq "$CLUSTER_PORT" $((CLUSTER_PORT + 3))); do
  port_free "$p" || { echo "bench: port $p is in use (set the *_PORT variables)" >&2; exit 2; }
done

BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/bulwark-scan-bench.XXXXXX")
cleanup() {
  trap '' INT TERM   # a second Ctrl-C must not leave processes behind
  for n in on off clamd rspamd; do node_stop "$n" || true; done
  bulwark_stop || true   # a node whose start failed half-way
  [ -n "${SINK_PID:-}" ] && kill "$SINK_PID" 2>/dev/null || true
  stop_dump_sink || true
  clamd_stop || true; rspamd_stop || true
  wait 2>/dev/null || true
  if [ -n "${BENCH_KEEP:-}" ]; then echo "bench: kept $BENCH_TMP" >&2; else rm -rf "$BENCH_TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

declare -A RESULT   # key "node/figure" -> space-separated per-run figures
record() { RESULT[$1]="${RESULT[$1]:-} $2"; }

echo "bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)" >&2
echo "bench: $RUNS runs x $MESSAGES messages per node ($NODES), $SESSIONS sessions, ${MSG_BYTES}-byte payload, one message per connection" >&2
echo "bench: $("$CLAMD_BIN" --version); $("$RSPAMD_BIN" --version | head -1)" >&2
bulwark_build
t=$(now); clamd_start
echo "bench: clamd on 127.0.0.1:$CLAMD_PORT (pid $CLAMD_PID), ready in $(python3 -c "import sys; print(f'{float(sys.argv[2])-float(sys.argv[1]):.1f}')" "$t" "$(now)") s" >&2
t=$(now); rspamd_start
echo "bench: rspamd on 127.0.0.1:$RSPAMD_PORT (pid $RSPAMD_PID), ready in $(python3 -c "import sys; print(f'{float(sys.argv[2])-float(sys.argv[1]):.1f}')" "$t" "$(now)") s" >&2

CLAMD_URL="127.0.0.1:$CLAMD_PORT" RSPAMD_URL="http://127.0.0.1:$RSPAMD_PORT"
start_dump_sink   # the probes' next hop; the counting sink replaces it before the runs
node_start on "$ON_PORT" "$CLUSTER_PORT" "BULWARK_Content__Clamd=$CLAMD_URL" "BULWARK_Content__Rspamd=$RSPAMD_URL"
node_start off $((ON_PORT + 1)) $((CLUSTER_PORT + 1)) "BULWARK_Content__Clamd=" "BULWARK_Content__Rspamd="
if [ "$SINGLE" = 1 ]; then
  node_start clamd $((ON_PORT + 2)) $((CLUSTER_PORT + 2)) "BULWARK_Content__Clamd=$CLAMD_URL" "BULWARK_Content__Rspamd="
  node_start rspamd $((ON_PORT + 3)) $((CLUSTER_PORT + 3)) "BULWARK_Content__Clamd=" "BULWARK_Content__Rspamd=$RSPAMD_URL"
fi

# Proof that ON means scanned-and-accepted mail: the load's own message gets both scanners'
# headers (and OFF's neither), and EICAR is refused where clamd is configured.
scan_probe on "$ON_PORT" yes yes; ON_HEADERS=$PROBE_HEADERS
scan_probe off "$(node_port off)" no no
eicar_probe on "$ON_PORT"
if [ "$SINGLE" = 1 ]; then
  scan_probe clamd "$(node_port clamd)" yes no; eicar_probe clamd "$(node_port clamd)"
  scan_probe rspamd "$(node_port rspamd)" no yes
fi
stop_dump_sink
start_sink

# One run against node $1: throughput, and CPU ms per message of the node, clamd and rspamd.
measure_scan() {
  local n=$1 pid c0 r0 b0 c1 r1 b1 acc rel
  pid=$(eval echo "\$NODE_PID_$n")
  c0=$(cpu_seconds "$CLAMD_PID"); r0=$(cpu_seconds "$RSPAMD_PID"); b0=$(cpu_seconds "$pid")
  read -r acc rel < <(throughput_run "$(node_port "$n")") || { echo "bench: run against the $n node failed" >&2; return 1; }
  c1=$(cpu_seconds "$CLAMD_PID"); r1=$(cpu_seconds "$RSPAMD_PID"); b1=$(cpu_seconds "$pid")
  echo "$acc $rel $(cpu_ms_per_msg "$b0" "$b1" "$MESSAGES") $(cpu_ms_per_msg "$c0" "$c1" "$MESSAGES") $(cpu_ms_per_msg "$r0" "$r1" "$MESSAGES")"
}

full=$MESSAGES; MESSAGES=$WARMUP
for n in $NODES; do
  read -r acc rel _ _ _ < <(measure_scan "$n")
  echo "warm-up $n: accepted $acc/s, relayed $rel/s" >&2
done
MESSAGES=$full

for i in $(seq 1 "$RUNS"); do
  order=$NODES; [ $((i % 2)) = 0 ] && order=$(echo "$NODES" | tr ' ' '\n' | tac | tr '\n' ' ')
  for n in $order; do
    read -r acc rel bw cl rs < <(measure_scan "$n")
    record "$n/accept" "$acc"; record "$n/relay" "$rel"; record "$n/node-cpu" "$bw"
    record "$n/clamd-cpu" "$cl"; record "$n/rspamd-cpu" "$rs"
    echo "run $i $n: accepted $acc/s, relayed $rel/s; CPU ms/message: node $bw, clamd $cl, rspamd $rs (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  done
done
echo "bench: load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
alive "$CLAMD_PID" && alive "$RSPAMD_PID" || echo "bench: WARNING: a scanner died during the runs" >&2

row() { # label key
  local v=${RESULT[$2]:-}
  if [ -z "$v" ]; then printf '| %s | not run | | |\n' "$1"; return; fi
  local f=stats; case "$2" in *-cpu) f=stats3 ;; esac
  read -r med lo hi < <($f $v)
  printf '| %s | %s | %s | %s |\n' "$1" "$med" "$lo" "$hi"
}
label() { case "$1" in on) echo "clamd + rspamd" ;; off) echo "no scanner" ;; clamd) echo "clamd only" ;; rspamd) echo "rspamd only" ;; esac; }
echo
echo "| figure ($RUNS runs of $MESSAGES, $SESSIONS sessions) | median | min | max |"
echo "|---|---|---|---|"
for n in $NODES; do row "$(label "$n"): accepted/s" "$n/accept"; row "$(label "$n"): relayed/s" "$n/relay"; done
for n in $NODES; do row "$(label "$n"): node CPU ms/message" "$n/node-cpu"; done
for n in $NODES; do
  case "$n" in on|clamd) row "$(label "$n"): clamd CPU ms/message" "$n/clamd-cpu" ;; esac
  case "$n" in on|rspamd) row "$(label "$n"): rspamd CPU ms/message" "$n/rspamd-cpu" ;; esac
done
echo
echo "Headers the ON node added to the load's message: $(echo "$ON_HEADERS" | tr '\n\t' '  ')"
ratios "ON/OFF" "${RESULT[on/accept]}" "${RESULT[off/accept]}" "${RESULT[on/relay]}" "${RESULT[off/relay]}"
if [ "$SINGLE" = 1 ]; then
  ratios "clamd-only/OFF" "${RESULT[clamd/accept]}" "${RESULT[off/accept]}" "${RESULT[clamd/relay]}" "${RESULT[off/relay]}"
  ratios "rspamd-only/OFF" "${RESULT[rspamd/accept]}" "${RESULT[off/accept]}" "${RESULT[rspamd/relay]}" "${RESULT[off/relay]}"
fi
exit 0
