#!/usr/bin/env bash
# Cost of sender authentication at the end of DATA (DKIM verification, ARC, DMARC): accepted
# mail per second, the node's CPU per message and upstream DNS queries per message, with the
# checks ON against OFF, side by side (alternating runs) on one machine. Every message is the
# same DKIM-signed (rsa-sha256, 2048-bit key) message from bench@client.test, whose domain
# publishes p=reject: ON verifies one signature and evaluates DMARC (pass, aligned) per
# message; OFF runs the same SPF and iprev checks but neither DKIM nor DMARC.
#
# usage: bench/dmarc-throughput.sh [--runs N] [--messages N] [--no-build]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)

RUNS=${RUNS:-5}
MESSAGES=${MESSAGES:-4000}
# Tiered JIT: the checks' code is compiled again, optimised, only after it has run hot for a
# while; after a 300-message warm-up the first ON run was the slowest of every session.
WARMUP=${WARMUP:-2000}
SESSIONS=${SESSIONS:-20}
MSG_BYTES=2048                  # unused with SOURCE_MESSAGE; kept for common.sh
RELAY_TIMEOUT=${RELAY_TIMEOUT:-300}
SENDER=bench@client.test
VALID_RCPT=postmaster@example.test
WARM_TTL=${WARM_TTL:-300}
SINK_PORT=${SINK_PORT:-2620}
ON_PORT=${ON_PORT:-2547}
OFF_PORT=${OFF_PORT:-2548}
CLUSTER_PORT=${CLUSTER_PORT:-4083}
BULWARK_DLL=${BULWARK_DLL:-$REPO/src/Bulwark.Node/bin/Release/net10.0/bulwark.dll}
BASE_ENV=(
  "BULWARK_Smtp__Address=127.0.0.1"
  "BULWARK_Delivery__NextHop__Host=127.0.0.1"
  "BULWARK_Delivery__NextHop__Port=$SINK_PORT"
  "BULWARK_Delivery__MaxConcurrent=20"
  "BULWARK_Reputation__MaxConnectionsPerIp=1000"
  "BULWARK_Admin__Port=0"
  "BULWARK_Dns__Enabled=true" "BULWARK_Dns__TrustedNetworks=" "BULWARK_Dns__Iprev=record"
)

BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --messages) MESSAGES=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) sed -n '9p' "$0" >&2; exit 2 ;;
  esac
done

. "$REPO/bench/lib/common.sh"
. "$REPO/bench/lib/bulwark-node.sh"
. "$REPO/bench/lib/dnsmasq.sh"
. "$REPO/bench/lib/dns-bench.sh"

export PATH="$PATH:/usr/sbin:/sbin"
bash "$REPO/scripts/install-deps.sh"
for p in "$SINK_PORT" "$ON_PORT" "$OFF_PORT" "$CLUSTER_PORT" $((CLUSTER_PORT + 1)); do
  port_free "$p" || { echo "bench: port $p is in use (set the *_PORT variables)" >&2; exit 2; }
done

BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/bulwark-dmarc-bench.XXXXXX")
cleanup() {
  trap '' INT TERM
  for n in on off; do node_stop "$n" || true; done
  bulwark_stop || true
  [ -n "${SINK_PID:-}" ] && kill "$SINK_PID" 2>/dev/null || true
  stop_dump_sink || true
  dnsmasq_stop warm || true
  wait 2>/dev/null || true
  if [ -n "${BENCH_KEEP:-}" ]; then echo "bench: kept $BENCH_TMP" >&2; else rm -rf "$BENCH_TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The signed message, and the key published beside the policy.
(cd "$BENCH_TMP" && dknewkey bench >/dev/null)
KEY_TXT=$(tr -d '\n' <"$BENCH_TMP/bench.dns")
chunks=$(python3 -c 'import sys; t=sys.argv[1]; print(",".join(chr(34)+t[i:i+200]+chr(34) for i in range(0,len(t),200)))' "$KEY_TXT")
DNSMASQ_EXTRA=$(printf '%s\n' "txt-record=sel._domainkey.client.test,$chunks" 'txt-record=_dmarc.client.test,"v=DMARC1; p=reject"')
export DNSMASQ_EXTRA
python3 - "$BENCH_TMP/unsigned.eml" <<'PY'
import sys
lines = ["From: Bench <bench@client.test>", "To: postmaster@example.test", "Subject: dmarc bench",
         "Date: Fri, 04 Dec 2026 04:00:00 +0000", "Message-ID: <bench@client.test>", ""]
lines += [("line %04d " % i) + "x" * 60 for i in range(28)]   # about 2 KB of body
open(sys.argv[1], "wb").write(("\r\n".join(lines) + "\r\n").encode())
PY
dkimsign --hcanon relaxed --bcanon simple sel client.test "$BENCH_TMP/bench.key" <"$BENCH_TMP/unsigned.eml" >"$BENCH_TMP/signed.eml"
# smtp-source -F appends CRLF to each line itself: give it LF lines.
tr -d '\r' <"$BENCH_TMP/signed.eml" >"$BENCH_TMP/signed.lf"
{ printf 'X-Bench-Probe: %s\r\n' PROBE; cat "$BENCH_TMP/signed.eml"; } >"$BENCH_TMP/probe.eml"

declare -A RESULT
record() { RESULT[$1]="${RESULT[$1]:-} $2"; }

echo "bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)" >&2
echo "bench: $RUNS runs x $MESSAGES messages per node (on off), $SESSIONS sessions, one DKIM-signed message per connection" >&2
dnsmasq_start warm "$WARM_TTL"
bulwark_build

start_dump_sink
# ON_EXTRA: more settings for the ON node, space-separated KEY=VALUE (the later one wins),
# to split the cost: ON_EXTRA="BULWARK_Dns__Dmarc=off" measures DKIM alone.
read -r -a ON_EXTRA_ENV <<<"${ON_EXTRA:-}"
node_start on "$ON_PORT" "$CLUSTER_PORT" "BULWARK_Dns__NameServers=127.0.0.1:$DNS_PORT_warm" \
  "BULWARK_Dns__Dmarc=enforce" "BULWARK_Dns__DkimMaxSignatures=5" "${ON_EXTRA_ENV[@]}"
node_start off "$OFF_PORT" $((CLUSTER_PORT + 1)) "BULWARK_Dns__NameServers=127.0.0.1:$DNS_PORT_warm" \
  "BULWARK_Dns__Dmarc=off" "BULWARK_Dns__DkimMaxSignatures=0"

# Proof that ON verified the signature and passed DMARC, and that OFF did neither.
probe_signed() { # name port expect reject
  local name=$1 port=$2 expect=$3 reject=$4 file="" ar
  sed "s/PROBE/$name/" "$BENCH_TMP/probe.eml" >"$BENCH_TMP/probe-$name.eml"
  swaks --server 127.0.0.1 --port "$port" --helo client.test --from "$SENDER" --to "$VALID_RCPT" \
    --data "$BENCH_TMP/probe-$name.eml" --timeout 30 >"$BENCH_TMP/probe-$name.txt" 2>&1 ||
    { cat "$BENCH_TMP/probe-$name.txt" >&2; echo "bench: probe $name not accepted" >&2; return 1; }
  for _ in $(seq 1 120); do
    file=$(grep -l "X-Bench-Probe: $name" "$DUMP_DIR"/* 2>/dev/null | head -1 || true)
    [ -n "$file" ] && break; sleep 0.25
  done
  [ -n "$file" ] || { echo "bench: probe $name never reached the sink" >&2; return 1; }
  ar=$(tr -d '\r' <"$file" | awk '/^Authentication-Results:/ {p=1; print; next} p && /^[ \t]/ {print; next} {p=0}' | tr '\n\t' '  ')
  echo "bench: probe $name: $ar" >&2
  grep -q -- "$expect" <<<"$ar" || { echo "bench: probe $name: no '$expect'" >&2; return 1; }
  if [ -n "$reject" ] && grep -q -- "$reject" <<<"$ar"; then echo "bench: probe $name: '$reject' should not be there" >&2; return 1; fi
}
probe_signed on "$ON_PORT" "dkim=pass" ""
[ -z "${ON_EXTRA:-}" ] && probe_signed on2 "$ON_PORT" "dmarc=pass" ""
probe_signed off "$OFF_PORT" "spf=pass" "dmarc="
stop_dump_sink
start_sink
SOURCE_MESSAGE="$BENCH_TMP/signed.lf"

# measure plus the node's CPU: "accepted relayed queries cpu_ms_per_message".
measure_cpu() {
  local name=$1 port pid c0 c1 out
  port=$(node_port "$name"); pid="NODE_PID_$name"
  c0=$(cpu_ticks "${!pid}")
  out=$(measure "$name" "$port" warm)
  c1=$(cpu_ticks "${!pid}")
  echo "$out $(python3 -c "import sys; print(f'{(int(sys.argv[2])-int(sys.argv[1]))*10/int(sys.argv[3]):.3f}')" "$c0" "$c1" "$MESSAGES")"
}

full=$MESSAGES; MESSAGES=$WARMUP
for n in on off; do
  read -r acc rel q cpu < <(measure_cpu "$n")
  echo "warm-up $n: accepted $acc/s, relayed $rel/s, $q DNS queries/message, $cpu ms CPU/message" >&2
done
MESSAGES=$full
for i in $(seq 1 "$RUNS"); do
  order="on off"; [ $((i % 2)) = 0 ] && order="off on"
  for n in $order; do
    read -r acc rel q cpu < <(measure_cpu "$n")
    record "$n/accept" "$acc"; record "$n/relay" "$rel"; record "$n/q" "$q"; record "$n/cpu" "$cpu"
    echo "run $i $n: accepted $acc/s, relayed $rel/s, $q DNS queries/message, $cpu ms CPU/message (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  done
done
echo "bench: questions dnsmasq got in the whole session: $(grep -o 'query\[[A-Z]*\] [^ ]*' "$DNS_LOG_warm" | sort | uniq -c | tr -s ' \n' ' ')" >&2

row() { # label key
  local f=stats; case "$2" in */q|*/cpu) f=stats3 ;; esac
  read -r med lo hi < <($f ${RESULT[$2]})
  printf '| %s | %s | %s | %s |\n' "$1" "$med" "$lo" "$hi"
}
echo
echo "| figure ($RUNS runs of $MESSAGES, $SESSIONS sessions) | median | min | max |"
echo "|---|---|---|---|"
row "DKIM+DMARC ON: accepted/s" on/accept
row "DKIM+DMARC ON: relayed/s" on/relay
row "DKIM+DMARC OFF: accepted/s" off/accept
row "DKIM+DMARC OFF: relayed/s" off/relay
row "ON: node CPU ms/message" on/cpu
row "OFF: node CPU ms/message" off/cpu
row "ON, warm: DNS queries/message" on/q
row "OFF, warm: DNS queries/message" off/q
echo
ratios "ON/OFF" "${RESULT[on/accept]}" "${RESULT[off/accept]}" "${RESULT[on/relay]}" "${RESULT[off/relay]}"
python3 -c "import sys,statistics as s; a=[float(x) for x in sys.argv[1].split()]; b=[float(x) for x in sys.argv[2].split()]; print(f'CPU per message ON-OFF (the authentication checks): {s.median(a)-s.median(b):.3f} ms; ON/OFF {s.median(a)/s.median(b):.2f}')" "${RESULT[on/cpu]}" "${RESULT[off/cpu]}"
exit 0
