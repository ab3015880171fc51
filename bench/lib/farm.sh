# A farm of N Bulwark nodes on loopback for the farm benchmark, sharing one private
# PostgreSQL, as deploy/run-farm.sh runs one (same ports scheme, other bases, so a dev
# farm on the default ports keeps running). Expects $REPO, $BENCH_TMP, $BULWARK_DLL,
# the FARM_* ports and the FARM_ENV array of bench/farm-throughput.sh.
#
# Node n: SMTP 127.0.0.1:(FARM_SMTP_BASE+n), remoting (FARM_CLUSTER_BASE+n),
# admin (FARM_ADMIN_BASE+n); node 1 is the seed.

PGBIN=/usr/lib/postgresql/15/bin
FARM_PIDS=()
PG_DIR=""

# A private PostgreSQL 15; initdb refuses root, so as root it runs as the postgres user
# in a folder that user owns (not under $BENCH_TMP, which is mode 700).
pg_start() {
  [ -x "$PGBIN/initdb" ] || { echo "bench: PostgreSQL 15 is missing (scripts/install-deps.sh)" >&2; return 1; }
  local as=()
  PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/bulwark-bench-pg.XXXXXX")
  if [ "$(id -u)" = 0 ]; then chown postgres: "$PG_DIR"; as=(runuser -u postgres --); fi
  (cd "$PG_DIR" && "${as[@]}" "$PGBIN/initdb" -D "$PG_DIR/data" --auth=trust --username=postgres \
      --encoding=UTF8 --locale=C >"$PG_DIR/initdb.log" 2>&1) || { tail -5 "$PG_DIR/initdb.log" >&2; return 1; }
  (cd "$PG_DIR" && "${as[@]}" "$PGBIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
      -o "-k $PG_DIR -p $PG_PORT -c listen_addresses=127.0.0.1" start >/dev/null) ||
    { echo "bench: PostgreSQL did not start on port $PG_PORT" >&2; tail -5 "$PG_DIR/postgres.log" >&2; return 1; }
  PG_PID=$(head -n 1 "$PG_DIR/data/postmaster.pid")
  "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE bulwark"
  PG_CONN="Host=127.0.0.1;Port=$PG_PORT;Database=bulwark;Username=postgres"
  echo "bench: PostgreSQL pid $PG_PID on 127.0.0.1:$PG_PORT" >&2
}

pg_stop() {
  [ -n "${PG_PID:-}" ] || return 0
  kill -INT "$PG_PID" 2>/dev/null || true # fast shutdown
  for _ in $(seq 1 150); do kill -0 "$PG_PID" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$PG_PID" 2>/dev/null && kill -KILL "$PG_PID" 2>/dev/null || true
  PG_PID=""
  [ -n "$PG_DIR" ] && rm -rf "$PG_DIR"
}

farm_node_start() { # n
  local n=$1 dir
  dir=$(mktemp -d "$BENCH_TMP/node$n.XXXXXX")
  (cd "$REPO" && exec env "${FARM_ENV[@]}" \
      "BULWARK_Node__DataDirectory=$dir" "BULWARK_Node__Hostname=mx$n.example.test" \
      "BULWARK_Smtp__Port=$((FARM_SMTP_BASE + n))" "BULWARK_Cluster__Port=$((FARM_CLUSTER_BASE + n))" \
      "BULWARK_Admin__Port=$((FARM_ADMIN_BASE + n))" \
      "BULWARK_Cluster__SeedNodes=akka.tcp://bulwark@127.0.0.1:$((FARM_CLUSTER_BASE + 1))" \
      "BULWARK_Persistence__Provider=postgresql" "BULWARK_Persistence__ConnectionString=$PG_CONN" \
      dotnet "$BULWARK_DLL" >"$dir.log" 2>&1) &
  FARM_PIDS+=($!)
  FARM_LOGS[$n]="$dir.log"
}

# Members with status Up, as node 1's admin API sees them.
farm_members_up() {
  curl -s --max-time 5 "http://127.0.0.1:$((FARM_ADMIN_BASE + 1))/admin/cluster" |
    python3 -c 'import json,sys; print(sum(m["status"]=="Up" for m in json.load(sys.stdin)["members"]))' 2>/dev/null || echo 0
}

# Starts an N-node farm: the seed first, then the others together; returns once every
# listener greets and node 1 sees N members Up.
farm_start() { # N
  local count=$1 n deadline
  # An empty journal per farm: a block persisted by an earlier run (the attacker, or the
  # load generator's own address) must not greet the next run's probes with 421.
  "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -q -c "DROP DATABASE IF EXISTS bulwark" -c "CREATE DATABASE bulwark"
  declare -gA FARM_LOGS=()
  FARM_PIDS=()
  farm_node_start 1
  wait_banner $((FARM_SMTP_BASE + 1)) 120 || { tail -30 "${FARM_LOGS[1]}" >&2; return 1; }
  for n in $(seq 2 "$count"); do farm_node_start "$n"; done
  for n in $(seq 2 "$count"); do
    wait_banner $((FARM_SMTP_BASE + n)) 120 || { tail -30 "${FARM_LOGS[$n]}" >&2; return 1; }
  done
  deadline=$(( $(date +%s) + 60 ))
  while [ "$(farm_members_up)" -lt "$count" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "bench: the farm did not reach $count members Up" >&2; return 1; }
    sleep 0.5
  done
  echo "bench: $count-node farm up (pids ${FARM_PIDS[*]})" >&2
}

# SIGTERM one node at a time, the seed last (each leaves the cluster and hands its shards
# off; all at once would leave no one to confirm the leaves), -9 after 35 s.
farm_stop() {
  local i pid
  for ((i = ${#FARM_PIDS[@]} - 1; i >= 0; i--)); do
    pid=${FARM_PIDS[$i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 350); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { echo "bench: node pid $pid still running, killing it" >&2; kill -KILL "$pid" 2>/dev/null || true; }
    wait "$pid" 2>/dev/null || true
  done
  FARM_PIDS=()
}

# Node number (1..N) whose region holds the RecipientDirectory entity of domain $1:
# touches the domain through listener 1, then finds the region whose entity count grew
# in GET /admin/shards (farm-wide stats). Domains must be touched one at a time.
farm_entity_node() { # domain
  local before after
  before=$(curl -s --max-time 15 "http://127.0.0.1:$((FARM_ADMIN_BASE + 1))/admin/shards")
  python3 "$REPO/bench/lib/rcpt-latency.py" touch $((FARM_SMTP_BASE + 1)) "$1"
  after=$(curl -s --max-time 15 "http://127.0.0.1:$((FARM_ADMIN_BASE + 1))/admin/shards")
  python3 - "$before" "$after" "$FARM_CLUSTER_BASE" <<'PY'
import json, sys
before, after = (json.loads(a)["recipient-directory"] for a in sys.argv[1:3])
base = int(sys.argv[3])
grew = [addr for addr, s in after.items() if s["entities"] > before.get(addr, {}).get("entities", 0)]
if len(grew) != 1:
    sys.exit(f"bench: cannot tell the node: regions that grew {grew}; before {before}; after {after}")
addr = grew[0]
# akka.tcp://bulwark@127.0.0.1:PORT -> node PORT-base
print(int(addr.rsplit(":", 1)[1]) - base)
PY
}
