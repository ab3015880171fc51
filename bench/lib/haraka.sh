# A private Haraka (npm package "Haraka", $HARAKA_VERSION) configured like Bulwark: accepts
# mail for example.test, refuses unknown recipients (550 5.1.1) and relay (550 5.7.1) through
# bench/peers/haraka/plugins/bench_recipients.js, refuses operator-blocked IPs with its access
# plugin, forwards what it accepts to the sink (queue/smtp_forward), $HARAKA_NODES workers.
# Durability differs: smtp_forward relays while the client waits and writes nothing to disk,
# so its 250 means "the next hop took it", not "it is on our disk" (Bulwark, Postfix: fsync).
# Installed once into $HARAKA_HOME (outside the repo); config under $BENCH_TMP/haraka.

HARAKA_VERSION=${HARAKA_VERSION:-3.3.4}
HARAKA_HOME=${HARAKA_HOME:-$HOME/.cache/bulwark-bench/haraka}
HARAKA_NODES=${HARAKA_NODES:-2}
HARAKA_BIN="$HARAKA_HOME/node_modules/Haraka/bin/haraka"

haraka_install() {
  if [ -x "$HARAKA_BIN" ] && grep -q "\"version\": \"$HARAKA_VERSION\"" "$HARAKA_HOME/node_modules/Haraka/package.json"; then return 0; fi
  command -v npm >/dev/null || { echo "bench: npm is missing (Haraka needs Node.js and npm)" >&2; return 1; }
  echo "bench: npm install Haraka@$HARAKA_VERSION into $HARAKA_HOME" >&2
  mkdir -p "$HARAKA_HOME"
  [ -f "$HARAKA_HOME/package.json" ] || echo '{"name":"bulwark-bench-haraka","private":true}' >"$HARAKA_HOME/package.json"
  (cd "$HARAKA_HOME" && npm install --no-audit --no-fund "Haraka@$HARAKA_VERSION" >npm.log 2>&1) ||
    { tail -20 "$HARAKA_HOME/npm.log" >&2; return 1; }
}

# $1 = IPs the operator blocks (space-separated).
haraka_setup() {
  HK_DIR="$BENCH_TMP/haraka"
  # -i writes Haraka's own defaults (connection.ini and the rest); the files below override them.
  node "$HARAKA_BIN" -i "$HK_DIR" >"$BENCH_TMP/haraka-install.log" 2>&1 || { cat "$BENCH_TMP/haraka-install.log" >&2; return 1; }
  cp "$REPO/bench/peers/haraka/plugins/bench_recipients.js" "$HK_DIR/plugins/"
  local c="$HK_DIR/config"
  printf '[main]\nlisten=127.0.0.1:%s\nnodes=%s\ninactivity_timeout=300\n' "$HARAKA_PORT" "$HARAKA_NODES" >"$c/smtp.ini"
  printf '[main]\nlevel=warn\n' >"$c/log.ini"
  echo example.test >"$c/host_list"
  grep -v '^\s*#' "$REPO/cluster-config/recipients.txt" | grep '@' | sed 's/\s*$//' >"$c/bench_recipients"
  # access first: a blocked IP is refused at connect, before any other plugin runs.
  printf 'access\nbench_recipients\nqueue/smtp_forward\n' >"$c/plugins"
  printf '[check]\nconn=true\nany=false\nmail=false\nrcpt=false\n' >"$c/access.ini"
  printf '%s\n' $1 >"$c/connect.rdns_access.blacklist"
  : >"$c/connect.rdns_access.whitelist"
  printf '[main]\nhost=127.0.0.1\nport=%s\nenable_tls=false\nmax_connections=%s\n' "$SINK_PORT" 100 >"$c/smtp_forward.ini"
}

haraka_start() {
  # Its own session: Haraka signals its process group on shutdown, which must not reach us.
  (cd "$HK_DIR" && exec setsid node "$HARAKA_BIN" -c "$HK_DIR" >"$HK_DIR/haraka.log" 2>&1) &
  HK_PID=$!
  if ! wait_banner "$HARAKA_PORT" 60 || ! kill -0 "$HK_PID" 2>/dev/null; then
    echo "bench: Haraka did not start; its log:" >&2; tail -30 "$HK_DIR/haraka.log" >&2; return 1
  fi
}

# The master and its workers (pids), for strace and for stopping.
haraka_pids() { [ -n "${HK_PID:-}" ] && echo "$HK_PID $(cat "/proc/$HK_PID/task/"*/children 2>/dev/null)"; }

haraka_stop() {
  [ -n "${HK_PID:-}" ] || return 0
  local pids p; pids=$(haraka_pids)
  kill "$HK_PID" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$HK_PID" 2>/dev/null || break; sleep 0.1; done
  for p in $pids; do kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null; done
  wait "$HK_PID" 2>/dev/null || true
  HK_PID=""
}
