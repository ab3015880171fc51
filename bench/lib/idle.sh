# Helpers for bench/idle-sessions.sh: the open-file limit, the idle client, and the node's
# memory (RSS, and the managed heap through dotnet-gcdump when it is installed).
# Results go into globals (no subshells), since the idle client must stay this shell's child.

# Raises the soft open-file limit to $1 when the hard limit allows, else to the hard limit;
# stops when even that is below $2, the least this run needs.
raise_nofile() {
  local want=$1 need=$2 soft hard
  soft=$(ulimit -Sn); hard=$(ulimit -Hn)
  [ "$hard" = unlimited ] || [ "$hard" -ge "$want" ] || want=$hard
  if [ "$soft" != unlimited ] && [ "$soft" -lt "$want" ]; then
    ulimit -Sn "$want"; echo "bench: raised ulimit -n from $soft to $want (hard limit $hard)" >&2
  fi
  [ "$(ulimit -Sn)" = unlimited ] || [ "$(ulimit -Sn)" -ge "$need" ] && return 0
  echo "bench: ulimit -n is $(ulimit -Sn) (hard $hard); $need needed. Raise the hard limit and retry." >&2
  return 1
}

# Opens $1 idle sessions from the comma-separated addresses $2 and waits until every one is
# open or has failed. Sets IDLE_PID, OPENED and FAILED.
open_idle() {
  local status="$BENCH_TMP/idle.status" deadline=$(( $(date +%s) + 600 ))
  rm -f "$status"
  python3 "$REPO/bench/lib/idle-clients.py" "$BULWARK_PORT" "$1" "$2" "$status" "$CONCURRENT" >"$BENCH_TMP/idle.out" 2>&1 &
  IDLE_PID=$!
  until [ -s "$status" ]; do
    kill -0 "$IDLE_PID" 2>/dev/null || { cat "$BENCH_TMP/idle.out" >&2; echo "bench: idle client died" >&2; return 1; }
    [ "$(date +%s)" -lt "$deadline" ] || { echo "bench: sessions not open after 600 s" >&2; return 1; }
    sleep 0.5
  done
  read -r OPENED FAILED <"$status"
}

# Closes every idle session. Sets CUT (sessions the server had closed while they idled).
stop_idle() {
  CUT=0
  [ -n "$IDLE_PID" ] || return 0
  kill -TERM "$IDLE_PID" 2>/dev/null || true
  wait "$IDLE_PID" 2>/dev/null || true
  IDLE_PID=""
  read -r _ _ CUT <"$BENCH_TMP/idle.out" || CUT=0
}

# Node memory now. With dotnet-gcdump: a heap dump (which forces a full, blocking GC first),
# its per-type report in $1.report, and the live managed bytes in HEAP_B; then RSS_KB.
measure() {
  HEAP_B=-
  if [ -n "$GCDUMP" ]; then
    "$GCDUMP" collect -p "$BW_PID" -o "$1.gcdump" >/dev/null 2>&1 &&
      "$GCDUMP" report "$1.gcdump" >"$1.report" 2>/dev/null &&
      HEAP_B=$(heap_total "$1.report")
    sleep 1
  fi
  RSS_KB=$(awk '/^VmRSS:/ { print $2 }' "/proc/$BW_PID/status")
}

# Live managed bytes in a gcdump report (its "GC Heap bytes" header line).
heap_total() {
  awk '/GC Heap bytes/ { gsub(",", "", $1); print $1; exit }' "$1"
}

# Types whose object count grew by at least $3 between reports $1 and $2, with the bytes
# they added per session ($4 sessions), largest first. A report row is "bytes-per-object
# count type" (the byte column is per object, an average for strings and arrays).
heap_growth() {
  python3 - "$1" "$2" "$3" "$4" <<'PY'
import re, sys
def load(path):
    rows = {}
    for line in open(path):
        m = re.match(r"\s*([\d,]+)\s+([\d,]+)\s+(.*\S)", line)
        if m:
            count, name = int(m[2].replace(",", "")), m[3]
            size = int(m[1].replace(",", "")) * count
            s, c = rows.get(name, (0, 0)); rows[name] = (s + size, c + count)
    return rows
before, after = load(sys.argv[1]), load(sys.argv[2])
least, sessions = int(sys.argv[3]), int(sys.argv[4])
grown = []
for name, (size, count) in after.items():
    s0, c0 = before.get(name, (0, 0))
    if count - c0 >= least:
        grown.append(((size - s0) / sessions, (count - c0) / sessions, name))
print(f"{'bytes/session':>13} {'objects/session':>15}  type")
for per_bytes, per_count, name in sorted(grown, reverse=True):
    print(f"{per_bytes:13.0f} {per_count:15.2f}  {name[:110]}")
print(f"{sum(g[0] for g in grown):13.0f} {'':15}  (sum of the types above)")
PY
}
