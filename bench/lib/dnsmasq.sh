# A private, fixed-answer DNS server for the benchmark: dnsmasq on a free loopback port,
# answering only for client.test (the load's sender, HELO and PTR name) and NXDOMAIN for
# everything else. Every query is logged to a file so that a run's upstream queries can be
# counted ("query[" lines). Same options as tests/Shared/LoopbackDns.cs, minus its failure zones.
# Expects $BENCH_TMP. Stopped by its own pid (dnsmasq_stop), never by name.

DNSMASQ_BIN=${DNSMASQ_BIN:-/usr/sbin/dnsmasq}

# A port free for both TCP and UDP on 127.0.0.1 (dnsmasq binds both).
free_port() {
  python3 - <<'PY'
import socket
for _ in range(50):
    t = socket.socket(); t.bind(("127.0.0.1", 0)); port = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", port)); print(port); break
    except OSError:
        pass
    finally:
        u.close(); t.close()
else:
    raise SystemExit("no free loopback port")
PY
}

# $1 = name (a tag for files and variables), $2 = TTL of every answer (local-ttl).
# Sets DNS_PORT_<name>, DNS_PID_<name>, DNS_LOG_<name>.
dnsmasq_start() {
  local name=$1 ttl=$2 dir port pid
  [ -x "$DNSMASQ_BIN" ] || { echo "bench: $DNSMASQ_BIN missing (scripts/install-deps.sh installs dnsmasq-base)" >&2; return 1; }
  dir="$BENCH_TMP/dns-$name"; mkdir -p "$dir"
  port=$(free_port)
  # Runs as root here when the script does: dnsmasq then drops to "nobody", so its log
  # file must be writable by that user.
  : >"$dir/queries.log"; chmod 666 "$dir/queries.log"; chmod 755 "$BENCH_TMP" "$dir"
  cat >"$dir/dnsmasq.conf" <<CONF
port=$port
listen-address=127.0.0.1
bind-interfaces
no-resolv
no-hosts
no-poll
local=/#/
local-ttl=$ttl
neg-ttl=$ttl
log-queries
log-facility=$dir/queries.log
txt-record=client.test,"v=spf1 ip4:127.0.0.1 -all"
mx-host=client.test,mx.client.test,10
host-record=mx.client.test,127.0.0.2
host-record=client.test,127.0.0.1
CONF
  # Extra records a script needs (dnsmasq lines, one per line), such as a DKIM key.
  [ -n "${DNSMASQ_EXTRA:-}" ] && printf '%s\n' "$DNSMASQ_EXTRA" >>"$dir/dnsmasq.conf"
  "$DNSMASQ_BIN" --keep-in-foreground --conf-file="$dir/dnsmasq.conf" >"$dir/stderr" 2>&1 &
  pid=$!
  printf -v "DNS_PORT_$name" '%s' "$port"
  printf -v "DNS_PID_$name" '%s' "$pid"
  printf -v "DNS_LOG_$name" '%s' "$dir/queries.log"
  local i
  for i in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || { cat "$dir/stderr" >&2; echo "bench: dnsmasq ($name) exited" >&2; return 1; }
    if dig_txt "$port" >/dev/null; then return 0; fi
    sleep 0.25
  done
  echo "bench: dnsmasq ($name) did not answer on 127.0.0.1:$port" >&2; return 1
}

# The TXT record of client.test from 127.0.0.1:$1, by a tiny stdlib client (no dig needed).
dig_txt() {
  python3 - "$1" <<'PY'
import socket, struct, sys
q = struct.pack(">HHHHHH", 0x4242, 0x0100, 1, 0, 0, 0) + b"\x06client\x04test\x00" + struct.pack(">HH", 16, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.5)
s.sendto(q, ("127.0.0.1", int(sys.argv[1])))
r = s.recv(512)
if struct.unpack(">H", r[6:8])[0] < 1 or b"v=spf1" not in r: raise SystemExit(1)
print("ok")
PY
}

# Upstream queries dnsmasq has logged so far (tag $1).
dns_queries() {
  local log="DNS_LOG_$1" n
  n=$(grep -c 'query\[' "${!log}" || true)
  echo "${n:-0}"
}

dnsmasq_stop() {
  local pid="DNS_PID_$1"
  [ -n "${!pid:-}" ] || return 0
  kill "${!pid}" 2>/dev/null || true
  wait "${!pid}" 2>/dev/null || true
  printf -v "DNS_PID_$1" '%s' ""
}
