#!/usr/bin/env bash
# Relay throughput and unknown-recipient refusal rate: Bulwark against a private Postfix
# relay configured the same way, both driven by Postfix's smtp-source and relaying into
# smtp-sink. See docs/benchmarks.md for what the figures mean and what limits them.
#
# usage: bench/relay-throughput.sh [--only postfix|bulwark] [--runs N] [--messages N] [--no-build]
# Needs root for the Postfix half (postfix start). Installs swaks/postfix if missing.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)

# ---- settings (environment overrides) -------------------------------------------------
RUNS=${RUNS:-3}                 # measured runs per server and scenario
MESSAGES=${MESSAGES:-2000}      # messages per run
WARMUP=${WARMUP:-200}           # messages per unmeasured warm-up run (JIT, caches)
SESSIONS=${SESSIONS:-20}        # parallel SMTP sessions, one message per connection
MSG_BYTES=${MSG_BYTES:-2048}    # payload bytes per message (smtp-source -l)
RELAY_TIMEOUT=${RELAY_TIMEOUT:-300}
SENDER=${SENDER:-bench@client.test}
VALID_RCPT=postmaster@example.test   # always valid in Bulwark; listed for Postfix
UNKNOWN_RCPT=nobody@example.test     # -N makes it 1nobody@, 2nobody@, ...: all unknown
SINK_PORT=${SINK_PORT:-2600}
POSTFIX_PORT=${POSTFIX_PORT:-2526}
BULWARK_PORT=${BULWARK_PORT:-2527}
CLUSTER_PORT=${CLUSTER_PORT:-4063}
BULWARK_DLL=${BULWARK_DLL:-$REPO/src/Bulwark.Node/bin/Release/net10.0/bulwark.dll}
# The node's configuration keys (cluster-config/bulwark.json, overridden by BULWARK_*
# variables with "__" between levels). Node:DataDirectory and Reputation:Enabled are set
# per start in bench/lib/bulwark-node.sh.
BULWARK_ENV=(
  "BULWARK_Smtp__Address=127.0.0.1"
  "BULWARK_Smtp__Port=$BULWARK_PORT"
  "BULWARK_Delivery__NextHop__Host=127.0.0.1"
  "BULWARK_Delivery__NextHop__Port=$SINK_PORT"
  "BULWARK_Delivery__MaxConcurrent=20"          # Postfix's default destination concurrency
  "BULWARK_Reputation__MaxConnectionsPerIp=1000" # Postfix exempts 127.0.0.1 ($mynetworks) too
  "BULWARK_Cluster__Port=$CLUSTER_PORT"
  "BULWARK_Admin__Port=0"                       # admin API off: no port clash with a dev node
)
# ----------------------------------------------------------------------------------------

ONLY=both BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --only) ONLY=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --messages) MESSAGES=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) sed -n '6,7p' "$0" >&2; exit 2 ;;
  esac
done
case "$ONLY" in both|postfix|bulwark) ;; *) echo "--only postfix|bulwark" >&2; exit 2 ;; esac
do_postfix() { [ "$ONLY" != bulwark ]; }
do_bulwark() { [ "$ONLY" != postfix ]; }

. "$REPO/bench/lib/common.sh"
. "$REPO/bench/lib/postfix-relay.sh"
. "$REPO/bench/lib/bulwark-node.sh"

export PATH="$PATH:/usr/sbin:/sbin"
bash "$REPO/scripts/install-deps.sh"
if do_postfix && [ "$(id -u)" -ne 0 ]; then echo "bench: the Postfix half needs root (or use --only bulwark)" >&2; exit 2; fi

BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/bulwark-bench.XXXXXX")
cleanup() {
  bulwark_stop || true
  postfix_stop || true
  [ -n "${SINK_PID:-}" ] && kill "$SINK_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$BENCH_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

declare -A RESULT   # key "server/scenario" -> space-separated per-run figures
record() { RESULT[$1]="${RESULT[$1]:-} $2"; }

echo "bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)" >&2
echo "bench: $RUNS runs x $MESSAGES messages, $SESSIONS sessions, ${MSG_BYTES}-byte payload, one message per connection" >&2
start_sink
if do_postfix; then postfix_setup; postfix_start; fi
if do_bulwark; then bulwark_build; bulwark_start false; fi

# Unmeasured warm-up: JIT, connection caches, page cache.
full=$MESSAGES; MESSAGES=$WARMUP
if do_bulwark; then throughput_run "$BULWARK_PORT" >/dev/null; fi
if do_postfix; then throughput_run "$POSTFIX_PORT" >/dev/null; fi
MESSAGES=$full

for i in $(seq 1 "$RUNS"); do
  if do_bulwark; then read -r acc rel < <(throughput_run "$BULWARK_PORT"); record bulwark/accept "$acc"; record bulwark/relay "$rel"
    echo "run $i bulwark: accepted $acc/s, relayed $rel/s" >&2; fi
  if do_postfix; then read -r acc rel < <(throughput_run "$POSTFIX_PORT"); record postfix/accept "$acc"; record postfix/relay "$rel"
    echo "run $i postfix: accepted $acc/s, relayed $rel/s" >&2; fi
done

for i in $(seq 1 "$RUNS"); do
  if do_bulwark; then read -r rate r5 r4 b < <(refusal_run "$BULWARK_PORT"); record bulwark/refuse-off "$rate"
    echo "run $i bulwark (reputation off): $rate refusals/s (RCPT 5xx $r5, RCPT 4xx $r4, banner $b)" >&2; fi
  if do_postfix; then read -r rate r5 r4 b < <(refusal_run "$POSTFIX_PORT"); record postfix/refuse "$rate"
    echo "run $i postfix: $rate refusals/s (RCPT 5xx $r5, RCPT 4xx $r4, banner $b)" >&2; fi
done

# The same with refusal-client.py (it survives a refused greeting), then Bulwark with
# reputation on: a fresh node per run, so every run starts with no strikes and no block;
# past the strike threshold the farm-wide block refuses 127.0.0.1 at the greeting.
for i in $(seq 1 "$RUNS"); do
  if do_bulwark; then read -r rate r5 r4 b d a < <(refusal_run_py "$BULWARK_PORT"); record bulwark/refuse-off-py "$rate"
    echo "run $i bulwark (reputation off, python client): $rate refusals/s (RCPT 5xx $r5, 4xx $r4, banner $b, dropped $d, accepted $a)" >&2; fi
  if do_postfix; then read -r rate r5 r4 b d a < <(refusal_run_py "$POSTFIX_PORT"); record postfix/refuse-py "$rate"
    echo "run $i postfix (python client): $rate refusals/s (RCPT 5xx $r5, 4xx $r4, banner $b, dropped $d, accepted $a)" >&2; fi
done
if do_bulwark; then
  for i in $(seq 1 "$RUNS"); do
    bulwark_stop; bulwark_start true
    # Warm the fresh node with valid mail (no strikes), as the other scenarios were.
    full=$MESSAGES; MESSAGES=$WARMUP; throughput_run "$BULWARK_PORT" >/dev/null; MESSAGES=$full
    read -r rate r5 r4 b d a < <(refusal_run_py "$BULWARK_PORT"); record bulwark/refuse-on-py "$rate"
    echo "run $i bulwark (reputation on, python client): $rate refusals/s (RCPT 5xx $r5, 4xx $r4, banner $b, dropped $d, accepted $a)" >&2
  done
fi

echo "bench: load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

row() { # label key
  local v; v=${RESULT[$2]:-}
  if [ -z "$v" ]; then printf '| %s | not run | | |\n' "$1"; return; fi
  read -r med lo hi < <(stats $v)
  printf '| %s | %s | %s | %s |\n' "$1" "$med" "$lo" "$hi"
}
echo
echo "| figure (per second, $RUNS runs of $MESSAGES) | median | min | max |"
echo "|---|---|---|---|"
row "Bulwark: messages accepted" bulwark/accept
row "Bulwark: messages relayed to the sink" bulwark/relay
row "Postfix: messages accepted" postfix/accept
row "Postfix: messages relayed to the sink" postfix/relay
row "Bulwark: unknown-recipient refusals, reputation off (smtp-source)" bulwark/refuse-off
row "Postfix: unknown-recipient refusals (smtp-source)" postfix/refuse
row "Bulwark: refusals, reputation off (refusal-client.py)" bulwark/refuse-off-py
row "Postfix: refusals (refusal-client.py)" postfix/refuse-py
row "Bulwark: refusals, reputation on (refusal-client.py)" bulwark/refuse-on-py
if [ -n "${RESULT[bulwark/relay]:-}" ] && [ -n "${RESULT[postfix/relay]:-}" ]; then
  python3 - "${RESULT[bulwark/relay]}" "${RESULT[postfix/relay]}" "${RESULT[bulwark/refuse-off]}" "${RESULT[postfix/refuse]}" <<'PY'
import sys, statistics as s
m = [s.median(float(x) for x in a.split()) for a in sys.argv[1:]]
print(f"\nratio Bulwark/Postfix: relay {m[0]/m[1]:.2f}, refusals (reputation off) {m[2]/m[3]:.2f}")
PY
fi
