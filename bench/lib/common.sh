# Helpers shared by the benchmark scripts: next-hop sink, readiness, load runs, statistics.
# Sourced by bench/relay-throughput.sh; expects $BENCH_TMP and the variables of its header.

now() { date +%s.%N; }

# CPU time (user + system) process $1 has used so far, in clock ticks (1/100 s).
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }

# Waits until something on 127.0.0.1:$1 answers with a 220 greeting (timeout $2 s).
wait_banner() {
  local port=$1 deadline=$(( $(date +%s) + ${2:-60} )) line
  while [ "$(date +%s)" -lt "$deadline" ]; do
    # The braces matter: "exec ... 2>/dev/null" alone would silence the whole script.
    if { exec 9<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
      line=""; IFS= read -r -t 5 line <&9 || true
      printf 'QUIT\r\n' >&9 2>/dev/null || true
      exec 9<&- 9>&-
      case "$line" in 220*) return 0 ;; esac
    fi
    sleep 0.25
  done
  echo "bench: nothing answered 220 on 127.0.0.1:$port within ${2:-60} s" >&2
  return 1
}

# The next hop: Postfix's smtp-sink, counting the messages it receives.
start_sink() {
  local user=()
  [ "$(id -u)" -eq 0 ] && user=(-u nobody)   # smtp-sink refuses to keep root privileges
  SINK_OUT="$BENCH_TMP/sink.out"
  smtp-sink -c "${user[@]}" "127.0.0.1:$SINK_PORT" 1000 >"$SINK_OUT" 2>&1 &
  SINK_PID=$!
  sleep 0.3
  kill -0 "$SINK_PID" 2>/dev/null || { cat "$SINK_OUT" >&2; echo "bench: smtp-sink did not start" >&2; return 1; }
}

# Messages received by the sink so far (its -c counter line is "sess=N quit=N mesg=N").
sink_count() {
  local n
  n=$(tr '\r' '\n' <"$SINK_OUT" | grep -o 'mesg=[0-9]*' | tail -1 | cut -d= -f2)
  echo "${n:-0}"
}

# One throughput run against port $1: N valid messages from S parallel sessions, one
# message per connection. Prints "accepted_per_s relayed_per_s" (relayed = seen at the sink).
throughput_run() {
  local port=$1 base t0 t1 t2 deadline
  base=$(sink_count)
  t0=$(now)
  # SOURCE_MESSAGE: a prepared message file to send (smtp-source -F) instead of a generated one.
  local body=(-l "$MSG_BYTES"); [ -n "${SOURCE_MESSAGE:-}" ] && body=(-F "$SOURCE_MESSAGE")
  if ! smtp-source -s "$SESSIONS" "${body[@]}" -m "$MESSAGES" -M client.test \
       -f "$SENDER" -t "$VALID_RCPT" "127.0.0.1:$port" >"$BENCH_TMP/source.err" 2>&1; then
    echo "bench: smtp-source failed against port $port:" >&2; tail -5 "$BENCH_TMP/source.err" >&2; return 1
  fi
  t1=$(now)
  deadline=$(( $(date +%s) + RELAY_TIMEOUT ))
  while [ "$(sink_count)" -lt $((base + MESSAGES)) ]; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "bench: only $(( $(sink_count) - base ))/$MESSAGES messages reached the sink in ${RELAY_TIMEOUT} s" >&2; return 1
    fi
    sleep 0.05
  done
  t2=$(now)
  python3 -c "import sys; n,a,b,c=map(float,sys.argv[1:]); print(f'{n/(b-a):.1f} {n/(c-a):.1f}')" "$MESSAGES" "$t0" "$t1" "$t2"
}

# One refusal run against port $1: N messages, each to a distinct unknown recipient
# (-N prepends a sequence number). -A keeps smtp-source going after each refusal.
# Prints "refusals_per_s rcpt_5xx rcpt_4xx banner_refusals".
refusal_run() {
  local port=$1 t0 t1 rcpt rcpt4 banner
  t0=$(now)
  smtp-source -A -N -s "$SESSIONS" -l "$MSG_BYTES" -m "$MESSAGES" -M client.test \
    -f "$SENDER" -t "$UNKNOWN_RCPT" "127.0.0.1:$port" >"$BENCH_TMP/refuse.err" 2>&1 || true
  t1=$(now)
  rcpt=$(grep -c 'recipient rejected: 5' "$BENCH_TMP/refuse.err" || true)
  rcpt4=$(grep -c 'recipient rejected: 4' "$BENCH_TMP/refuse.err" || true)
  banner=$(grep -c 'rejected at server banner' "$BENCH_TMP/refuse.err" || true)
  if grep -q 'fatal' "$BENCH_TMP/refuse.err"; then
    echo "bench: smtp-source stopped early:" >&2; grep fatal "$BENCH_TMP/refuse.err" | head -3 >&2
  fi
  python3 -c "import sys; n,a,b=map(float,sys.argv[1:]); print(f'{n/(b-a):.1f}', end=' ')" "$((rcpt + rcpt4 + banner))" "$t0" "$t1"
  echo "$rcpt $rcpt4 $banner"
}

# "median min max" of the numbers given as arguments.
stats() {
  python3 -c "import sys,statistics as s; v=[float(x) for x in sys.argv[1:]]; print(f'{s.median(v):.1f} {min(v):.1f} {max(v):.1f}')" "$@"
}

# The same refusal run with bench/lib/refusal-client.py, which survives a refused
# greeting. Prints "refusals_per_s rcpt_5xx rcpt_4xx banner dropped accepted".
refusal_run_py() {
  python3 "$REPO/bench/lib/refusal-client.py" "$1" "$MESSAGES" "$SESSIONS" "$SENDER" "$UNKNOWN_RCPT"
}
