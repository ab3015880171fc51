# Helpers of bench/spf-throughput.sh: several Bulwark nodes at once (one per DNS setting,
# each on its own SMTP and cluster port), a dumping sink for the acceptance probes, and a
# run that also counts upstream DNS queries. Builds on common.sh, bulwark-node.sh, dnsmasq.sh.

# True when nothing listens on TCP 127.0.0.1:$1 (a node answering 220 there would be
# mistaken for ours by wait_banner). SO_REUSEADDR: connections of an earlier run still in
# TIME_WAIT do not count, a listener does.
port_free() {
  python3 -c "import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', int(sys.argv[1]))); s.close()" "$1" 2>/dev/null
}

# $1 = name, $2 = SMTP port, $3 = cluster port, then extra BULWARK_* settings. Reputation
# off (bulwark_start false), as in relay-throughput.sh's throughput runs.
node_start() {
  local name=$1 port=$2 cport=$3; shift 3
  local BULWARK_PORT=$port
  local -a BULWARK_ENV=("${BASE_ENV[@]}" "BULWARK_Smtp__Port=$port" "BULWARK_Cluster__Port=$cport" "$@")
  bulwark_start false
  printf -v "NODE_PID_$name" '%s' "$BW_PID"
  printf -v "NODE_PORT_$name" '%s' "$port"
  BW_PID=""
}

node_port() { local v="NODE_PORT_$1"; echo "${!v}"; }

node_stop() {
  local v="NODE_PID_$1"
  [ -n "${!v:-}" ] || return 0
  BW_PID=${!v}; bulwark_stop
  printf -v "NODE_PID_$1" '%s' ""
}

# smtp-sink -d: one file per received message, so a probe can read what the node relayed
# (the Authentication-Results header it added). Not used during the measured runs: writing
# every message would load the disk the nodes' spools fsync to.
start_dump_sink() {
  local user=()
  [ "$(id -u)" -eq 0 ] && user=(-u nobody)
  DUMP_DIR="$BENCH_TMP/dump"; mkdir -p "$DUMP_DIR"; chmod 777 "$DUMP_DIR"
  smtp-sink "${user[@]}" -d "$DUMP_DIR/%H%M%S." "127.0.0.1:$SINK_PORT" 100 >"$BENCH_TMP/dump-sink.out" 2>&1 &
  DUMP_SINK_PID=$!
  sleep 0.3
  kill -0 "$DUMP_SINK_PID" 2>/dev/null || { cat "$BENCH_TMP/dump-sink.out" >&2; echo "bench: smtp-sink -d did not start" >&2; return 1; }
}

stop_dump_sink() {
  [ -n "${DUMP_SINK_PID:-}" ] || return 0
  kill "$DUMP_SINK_PID" 2>/dev/null || true
  wait "$DUMP_SINK_PID" 2>/dev/null || true
  DUMP_SINK_PID=""
}

# One message through node $1 on port $2 with swaks; it must get 250 after DATA and reach
# the dumping sink. $3 = text its Authentication-Results header must contain ("" = there
# must be no spf= result at all: DNS checks off). Prints the header to stderr.
probe() {
  local name=$1 port=$2 expect=$3 out file="" ar
  out="$BENCH_TMP/probe-$name.txt"
  if ! swaks --server 127.0.0.1 --port "$port" --helo client.test --from "$SENDER" --to "$VALID_RCPT" \
       --add-header "X-Bench-Probe: $name" --body "probe" --timeout 30 >"$out" 2>&1 ||
     ! grep -A1 '^ -> \.$' "$out" | grep -q '^<-  250'; then
    cat "$out" >&2; echo "bench: probe of the $name node: the message was not accepted with 250" >&2; return 1
  fi
  for _ in $(seq 1 120); do
    file=$(grep -l "X-Bench-Probe: $name" "$DUMP_DIR"/* 2>/dev/null | head -1 || true)
    [ -n "$file" ] && break
    sleep 0.25
  done
  [ -n "$file" ] || { echo "bench: probe of the $name node: accepted but never reached the sink" >&2; return 1; }
  ar=$(tr -d '\r' <"$file" | awk '/^Authentication-Results:/ {p=1; print; next} p && /^[ \t]/ {print; next} {p=0}')
  echo "bench: probe $name: 250 after DATA; at the sink: ${ar:-(no Authentication-Results header)}" | tr '\n\t' '  ' >&2; echo >&2
  if [ -n "$expect" ]; then
    grep -q -- "$expect" <<<"$ar" || { echo "bench: probe of the $name node: no '$expect' in Authentication-Results" >&2; return 1; }
  elif grep -q 'spf=' <<<"$ar"; then
    echo "bench: probe of the $name node: DNS checks should be off but an spf= result was added" >&2; return 1
  fi
}

# throughput_run (common.sh) against node $1 on port $2, counting the queries the dnsmasq
# tagged $3 logged meanwhile. Prints "accepted_per_s relayed_per_s queries_per_message".
measure() {
  local name=$1 port=$2 dns=$3 q0 q1 acc rel
  q0=$(dns_queries "$dns")
  read -r acc rel < <(throughput_run "$port") || { echo "bench: run against the $name node failed" >&2; return 1; }
  sleep 0.5   # lets dnsmasq finish writing its log
  q1=$(dns_queries "$dns")
  python3 -c "import sys; print(f'{sys.argv[1]} {sys.argv[2]} {(int(sys.argv[4])-int(sys.argv[3]))/int(sys.argv[5]):.3f}')" \
    "$acc" "$rel" "$q0" "$q1" "$MESSAGES"
}

# "median min max" with 3 decimals (queries per message are small).
stats3() {
  python3 -c "import sys,statistics as s; v=[float(x) for x in sys.argv[1:]]; print(f'{s.median(v):.3f} {min(v):.3f} {max(v):.3f}')" "$@"
}

# $1 = label, then accepted A, accepted B, relayed A, relayed B (space-separated per-run
# figures). Prints the ratio of the medians and the spread of the per-run ratios (run i of
# A over run i of B: neighbours in time, so they share the machine's load of the moment).
ratios() {
  python3 - "$@" <<'PY'
import sys, statistics as s
label, *lists = sys.argv[1:]
acc_a, acc_b, rel_a, rel_b = ([float(x) for x in l.split()] for l in lists)
for what, a, b in (("accepted", acc_a, acc_b), ("relayed", rel_a, rel_b)):
    pairs = [x / y for x, y in zip(a, b)]
    print(f"ratio {label} {what}/s: medians {s.median(a) / s.median(b):.2f}; "
          f"per run median {s.median(pairs):.2f}, min {min(pairs):.2f}, max {max(pairs):.2f}")
PY
}
