# Private content scanners for bench/scan-throughput.sh: clamd and rspamd on free loopback
# ports, configured as tests/Shared/ClamdServer.cs and RspamdServer.cs do, each started in
# the foreground as a child of the script and stopped by its own pid (never by name).
# Expects $BENCH_TMP and free_port (dnsmasq.sh). Plus the scanners' CPU time, read from /proc.

CLAMD_BIN=${CLAMD_BIN:-/usr/sbin/clamd}
RSPAMD_BIN=${RSPAMD_BIN:-/usr/bin/rspamd}
# The hyperscan / TLD-list cache the tests share (about 17 s to build on a first start).
RSPAMD_HS_CACHE=${RSPAMD_HS_CACHE:-/tmp/bulwark-rspamd-hs}
# Modules that reach the internet (or DNS) or that the tests do not want. spf too: the load's
# clients are loopback, for which Bulwark makes no SPF check, and an rspamd SPF lookup would
# only time out against the closed DNS port below (it is in SERVICES.md's list as well).
RSPAMD_DISABLED="fuzzy_check rbl multimap phishing whitelist mime_types mid asn spf dmarc dkim arc hfilter dkim_signing elastic metadata_exporter"

# clamd with a database holding only EICAR's MD5 (clamd refuses an empty one): it matches
# EICAR as a whole file or as a whole decoded MIME attachment (ScanMail yes). No User line:
# as root clamd stays root and its temporary folder is writable. Sets CLAMD_PORT, CLAMD_PID.
clamd_start() {
  local dir="$BENCH_TMP/clamd" i
  [ -x "$CLAMD_BIN" ] || { echo "bench: $CLAMD_BIN missing (scripts/install-deps.sh installs clamav-daemon)" >&2; return 1; }
  mkdir -p "$dir/db" "$dir/tmp"
  echo "44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature" >"$dir/db/test.hdb"
  CLAMD_PORT=$(free_port)
  cat >"$dir/clamd.conf" <<CONF
TCPSocket $CLAMD_PORT
TCPAddr 127.0.0.1
DatabaseDirectory $dir/db
TemporaryDirectory $dir/tmp
PidFile $dir/clamd.pid
LogFile $dir/clamd.log
Foreground yes
ScanMail yes
ScanArchive yes
StreamMaxLength 25M
SelfCheck 0
CONF
  "$CLAMD_BIN" -c "$dir/clamd.conf" >"$dir/stderr" 2>&1 &
  CLAMD_PID=$!
  for i in $(seq 1 200); do
    kill -0 "$CLAMD_PID" 2>/dev/null || { cat "$dir/stderr" "$dir/clamd.log" >&2 2>/dev/null; echo "bench: clamd exited" >&2; CLAMD_PID=""; return 1; }
    clamd_ping "$CLAMD_PORT" && return 0
    sleep 0.1
  done
  echo "bench: clamd did not answer PING on 127.0.0.1:$CLAMD_PORT" >&2; return 1
}

clamd_ping() {
  python3 - "$1" <<'PY' 2>/dev/null
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
s.sendall(b"zPING\0")
raise SystemExit(0 if s.recv(16).startswith(b"PONG") else 1)
PY
}

# rspamd: Debian's /etc/rspamd/rspamd.conf unchanged, local config, database, run and log
# folders redirected to $BENCH_TMP/rspamd with --var; normal worker on a free loopback port
# (count = 1), controller on another, proxy off, DNS to the closed port 9 (nothing leaves the
# machine). As root it runs as _rspamd, so its folders are chowned. Sets RSPAMD_PORT, RSPAMD_PID.
rspamd_start() {
  local dir="$BENCH_TMP/rspamd" m i user=()
  [ -x "$RSPAMD_BIN" ] || { echo "bench: $RSPAMD_BIN missing (scripts/install-deps.sh installs rspamd)" >&2; return 1; }
  mkdir -p "$dir/local/local.d" "$dir/local/override.d" "$dir/db" "$dir/run" "$dir/log" "$RSPAMD_HS_CACHE"
  RSPAMD_PORT=$(free_port)
  printf 'dns { nameserver = ["127.0.0.1:9"]; timeout = 1s; retransmits = 1; }\nhs_cache_dir = "%s/";\n' \
    "$RSPAMD_HS_CACHE" >"$dir/local/local.d/options.inc"
  printf 'bind_socket = "127.0.0.1:%s";\ncount = 1;\n' "$RSPAMD_PORT" >"$dir/local/override.d/worker-normal.inc"
  printf 'bind_socket = "127.0.0.1:%s";\ncount = 1;\nsecure_ip = "127.0.0.1";\n' "$(free_port)" >"$dir/local/override.d/worker-controller.inc"
  printf 'bind_socket = "127.0.0.1:%s";\ncount = 0;\n' "$(free_port)" >"$dir/local/override.d/worker-proxy.inc"
  for m in $RSPAMD_DISABLED; do echo "enabled = false;" >"$dir/local/local.d/$m.conf"; done
  if [ "$(id -u)" -eq 0 ]; then
    chmod 755 "$BENCH_TMP"; chown -R _rspamd:_rspamd "$dir" "$RSPAMD_HS_CACHE"; user=(-u _rspamd -g _rspamd)
  fi
  "$RSPAMD_BIN" -f "${user[@]}" -c /etc/rspamd/rspamd.conf --var="LOCAL_CONFDIR=$dir/local" \
    --var="DBDIR=$dir/db" --var="RUNDIR=$dir/run" --var="LOGDIR=$dir/log" >"$dir/stdout" 2>&1 &
  RSPAMD_PID=$!
  echo "$RSPAMD_PID" >"$BENCH_TMP/rspamd.pid"
  for i in $(seq 1 900); do   # a first start on a machine compiles the TLD list: allow 90 s
    kill -0 "$RSPAMD_PID" 2>/dev/null || { tail -20 "$dir/stdout" "$dir/log/rspamd.log" >&2 2>/dev/null; echo "bench: rspamd exited" >&2; RSPAMD_PID=""; return 1; }
    python3 -c "import sys,urllib.request as u; sys.exit(0 if u.urlopen(sys.argv[1], timeout=1).read().startswith(b'pong') else 1)" \
      "http://127.0.0.1:$RSPAMD_PORT/ping" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench: rspamd did not answer /ping on 127.0.0.1:$RSPAMD_PORT" >&2; return 1
}

# The pids of $1's children (rspamd's workers), from /proc.
children_of() { cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | grep . || true; }

# SIGTERM to rspamd's main pid; then its workers (children recorded first) by their pids.
rspamd_stop() {
  [ -n "${RSPAMD_PID:-}" ] || return 0
  local kids c i
  kids=$(children_of "$RSPAMD_PID")
  kill "$RSPAMD_PID" 2>/dev/null || true
  for i in $(seq 1 100); do alive "$RSPAMD_PID" || break; sleep 0.1; done
  alive "$RSPAMD_PID" && kill -9 "$RSPAMD_PID" 2>/dev/null
  wait "$RSPAMD_PID" 2>/dev/null || true
  for c in $kids; do alive "$c" && kill -9 "$c" 2>/dev/null; done
  RSPAMD_PID=""
}

clamd_stop() {
  [ -n "${CLAMD_PID:-}" ] || return 0
  kill "$CLAMD_PID" 2>/dev/null || true
  wait "$CLAMD_PID" 2>/dev/null || true
  CLAMD_PID=""
}

# Running and not a zombie (killed daemons can linger as zombies here).
alive() {
  local s
  s=$(sed 's/.*) //' /proc/"$1"/stat 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$s" ] && [ "$s" != Z ] && [ "$s" != X ]
}

# CPU seconds (user + system) used so far by pid $1 and its children (rspamd's workers,
# which do the scanning). Children that already exited are not counted: none do in a run.
cpu_seconds() {
  local p total=0 pids
  pids="$1 $(children_of "$1")"
  for p in $pids; do
    total=$(( total + $(sed 's/.*) //' /proc/"$p"/stat 2>/dev/null | awk '{print $12 + $13}' || echo 0) ))
  done
  python3 -c "import os,sys; print(f'{int(sys.argv[1]) / os.sysconf(\"SC_CLK_TCK\"):.2f}')" "$total"
}

# CPU milliseconds per message between two cpu_seconds readings $1 $2, for $3 messages.
cpu_ms_per_msg() {
  python3 -c "import sys; a,b,n=map(float,sys.argv[1:]); print(f'{(b-a)*1000/n:.2f}')" "$1" "$2" "$3"
}

# One message of the load itself (smtp-source -m 1) through node $1 on port $2 into the
# dumping sink (dns-bench.sh's start_dump_sink); it must reach the sink, and its copy must
# carry X-Virus-Scanned when $3 = yes (and must not when no), X-Spam-Status likewise for $4.
scan_probe() {
  local name=$1 port=$2 want_virus=$3 want_spam=$4 before file="" hdr h want
  before=$(ls "$DUMP_DIR" | wc -l)
  smtp-source -l "$MSG_BYTES" -m 1 -M client.test -f "$SENDER" -t "$VALID_RCPT" "127.0.0.1:$port" \
    >"$BENCH_TMP/probe-$name.err" 2>&1 || { cat "$BENCH_TMP/probe-$name.err" >&2; echo "bench: probe of the $name node: refused" >&2; return 1; }
  for _ in $(seq 1 120); do
    [ "$(ls "$DUMP_DIR" | wc -l)" -gt "$before" ] && { file=$(ls -t "$DUMP_DIR"/* | head -1); break; }
    sleep 0.25
  done
  [ -n "$file" ] || { echo "bench: probe of the $name node: accepted but never reached the sink" >&2; return 1; }
  hdr=$(tr -d '\r' <"$file" | awk '/^$/ {exit} /^X-(Virus|Spam)-/ {p=1; print; next} p && /^[ \t]/ {print; next} {p=0}')
  echo "bench: probe $name: accepted, at the sink: ${hdr:-(no X-Virus-*/X-Spam-* header)}" | tr '\n\t' '  ' >&2; echo >&2
  for h in X-Virus-Scanned X-Spam-Status; do
    want=$want_virus; [ "$h" = X-Spam-Status ] && want=$want_spam
    if [ "$want" = yes ] && ! grep -q "^$h:" <<<"$hdr"; then echo "bench: probe of the $name node: no $h header" >&2; return 1; fi
    if [ "$want" = no ] && grep -q "^$h:" <<<"$hdr"; then echo "bench: probe of the $name node: unexpected $h header" >&2; return 1; fi
  done
  PROBE_HEADERS=$hdr
}

# EICAR as a base64 attachment through node $1 on port $2: clamd must be consulted and the
# node must answer 550 after DATA.
eicar_probe() {
  local name=$1 port=$2 out="$BENCH_TMP/eicar-$1.txt" eicar="$BENCH_TMP/eicar.com" reply
  printf '%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' >"$eicar"
  swaks --server 127.0.0.1 --port "$port" --helo client.test --from "$SENDER" --to "$VALID_RCPT" \
    --attach-type application/octet-stream --attach "@$eicar" --timeout 30 >"$out" 2>&1 || true
  reply=$(grep -A1 '^ -> \.$' "$out" | tail -1)
  echo "bench: EICAR probe $name: ${reply:-(no reply after DATA)}" >&2
  grep -q '^<\*\* *550' <<<"$reply" || { cat "$out" >&2; echo "bench: EICAR probe of the $name node: not refused with 550" >&2; return 1; }
}
