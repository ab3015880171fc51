# The loads of bench/compare.sh, each over a list of SMTP ports (one port, or a farm's
# listeners, the load shared between them as evenly as integers allow). Expects $REPO,
# $BENCH_TMP, the sink (bench/lib/common.sh) and SESSIONS, MESSAGES, MSG_BYTES, SENDER,
# VALID_RCPT, UNKNOWN_RCPT, RELAY_TIMEOUT.

share() { echo $(( $1 / $2 + ($3 <= $1 % $2 ? 1 : 0) )); } # total parts index(1-based)

# (a) accepted and relayed messages/s: smtp-source, one message per connection.
# Prints "accepted_per_s relayed_per_s".
cmp_throughput() {
  local n=$# i=0 port base t0 t1 t2 deadline pids=()
  base=$(sink_count); t0=$(now)
  for port in "$@"; do
    i=$((i + 1))
    smtp-source -s "$(share "$SESSIONS" "$n" "$i")" -l "$MSG_BYTES" -m "$(share "$MESSAGES" "$n" "$i")" -M client.test \
      -f "$SENDER" -t "$VALID_RCPT" "127.0.0.1:$port" >"$BENCH_TMP/source-$i.err" 2>&1 &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || { echo "bench: smtp-source failed:" >&2; tail -3 "$BENCH_TMP/source-$((i + 1)).err" >&2; return 1; }
  done
  t1=$(now); deadline=$(( $(date +%s) + RELAY_TIMEOUT ))
  while [ "$(sink_count)" -lt $((base + MESSAGES)) ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "bench: only $(( $(sink_count) - base ))/$MESSAGES reached the sink" >&2; return 1; }
    sleep 0.05
  done
  t2=$(now)
  python3 -c "import sys; n,a,b,c=map(float,sys.argv[1:]); print(f'{n/(b-a):.1f} {n/(c-a):.1f}')" "$MESSAGES" "$t0" "$t1" "$t2"
}

# (b) unknown-recipient refusals/s with bench/lib/refusal-client.py (MAIL, RCPT to an unknown
# user, QUIT; a refused greeting counts as a refusal). One client per port, all at once; the
# rate is all refusals over the wall-clock time of the whole batch.
# Prints "refusals_per_s rcpt_5xx rcpt_4xx banner dropped accepted".
cmp_refusals() {
  local n=$# i=0 port t0 t1 pids=()
  t0=$(now)
  for port in "$@"; do
    i=$((i + 1))
    python3 "$REPO/bench/lib/refusal-client.py" "$port" "$(share "$MESSAGES" "$n" "$i")" "$(share "$SESSIONS" "$n" "$i")" \
      "$SENDER" "$UNKNOWN_RCPT" >"$BENCH_TMP/refusal-$i.out" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  t1=$(now)
  cat "$BENCH_TMP"/refusal-[0-9]*.out | python3 -c '
import sys
rows = [list(map(float, l.split()[1:])) for l in sys.stdin if l.strip()]
tot = [int(sum(c)) for c in zip(*rows)]
secs = float(sys.argv[2]) - float(sys.argv[1])
print(f"{sum(tot[:4]) / secs:.1f}", *tot)' "$t0" "$t1"
  rm -f "$BENCH_TMP"/refusal-[0-9]*.out
}

# (b) the same with Postfix's smtp-source (-A: go on after a refusal; -N: a new unknown
# recipient each time), a client in C that costs the machine far less than the Python one:
# with the Python client both Bulwark and Postfix measured the client (about 2,100/s each).
# smtp-source gives up at a refused greeting, so this is for the block-off start only.
# Prints "refusals_per_s rcpt_5xx rcpt_4xx".
cmp_refusals_smtp_source() {
  local n=$# i=0 port t0 t1 pids=()
  t0=$(now)
  for port in "$@"; do
    i=$((i + 1))
    smtp-source -A -N -s "$(share "$SESSIONS" "$n" "$i")" -m "$(share "$MESSAGES" "$n" "$i")" -M client.test \
      -f "$SENDER" -t "$UNKNOWN_RCPT" "127.0.0.1:$port" >"$BENCH_TMP/refuse-ss-$i.err" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || true; done
  t1=$(now)
  local r5 r4
  r5=$(cat "$BENCH_TMP"/refuse-ss-[0-9]*.err | grep -c 'recipient rejected: 5' || true)
  r4=$(cat "$BENCH_TMP"/refuse-ss-[0-9]*.err | grep -c 'recipient rejected: 4' || true)
  rm -f "$BENCH_TMP"/refuse-ss-[0-9]*.err
  python3 -c "import sys; n,a,b=map(float,sys.argv[1:]); print(f'{n/(b-a):.1f}', end=' ')" "$((r5 + r4))" "$t0" "$t1"
  echo "$r5 $r4"
}

# (c) refusals/s of an operator-blocked IP ($1) sending a whole pipelined dialogue at once.
# Prints the line of bench/lib/blocked-flood.c (the Python client's format): the C client,
# because the Python one tops out at 6,000-7,000 connections/s here and measured itself.
cmp_blocked() { # source total ports...
  local src=$1 total=$2; shift 2
  "$BLOCKED_FLOOD" "$src" "$total" "$SESSIONS" "$VALID_RCPT" "$@"
}

# (c') bytes the server's processes read from connections of client $1: strace (-f, every
# thread and child) records each successful read-type syscall, -yy names the socket's peer, and
# the bytes returned on sockets whose peer is $1 are summed. $2 sequential connections of the
# blocked-client dialogue. Reads with MSG_PEEK are left out (they consume nothing). Prints "bytes_read_per_conn bytes_sent_per_conn first_codes".
pid_tree() { local p c; for p in "$@"; do echo "$p"; for c in $(cat "/proc/$p/task/"*/children 2>/dev/null); do pid_tree "$c"; done; done; }
cmp_bytes_read() { # source count "pids" ports...
  local src=$1 count=$2 pids=$3 args=() p st out="$BENCH_TMP/strace-$1"; shift 3
  for p in $(pid_tree $pids | sort -u); do args+=(-p "$p"); done
  strace -f -qq -yy -s 0 -e trace=read,readv,recvfrom,recvmsg,recvmmsg -e status=successful \
    -o "$out.log" "${args[@]}" 2>"$out.err" &
  st=$!
  sleep 3   # attaching to every thread of a .NET process takes a moment
  BLOCKED_WAIT=3 python3 "$REPO/bench/lib/blocked-client.py" "$src" "$count" 1 "$VALID_RCPT" "$@" >"$out.client"
  sleep 1
  kill -INT "$st" 2>/dev/null || { echo "bench: strace ended early:" >&2; head -3 "$out.err" >&2; }
  wait "$st" 2>/dev/null || true
  python3 - "$out.log" "$src" "$count" "$out.client" <<'PY'
import re, sys
log, src, count, client = sys.argv[1], sys.argv[2], int(sys.argv[3]), open(sys.argv[4]).read().split()
peer = re.compile(r"->" + re.escape(src) + r":\d+\]>")
total = 0
for line in open(log, errors="replace"):
    # A MSG_PEEK read leaves the bytes in the queue (postscreen peeks, then smtpd reads the
    # same bytes): only reads that consume count.
    if peer.search(line) and "MSG_PEEK" not in line:
        m = re.search(r"= (\d+)\s*$", line)
        if m:
            total += int(m.group(1))
print(f"{total / count:.1f} {client[-1]} {client[1]}")
PY
  rm -f "$out.log"
}

# (d) RCPT verdict latency (bench/lib/verdict-latency.py). Prints its line.
cmp_latency() { python3 "$REPO/bench/lib/verdict-latency.py" "$LAT_SAMPLES" "$LAT_WARM" "$LAT_VALID" "$@"; }
