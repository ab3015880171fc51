#!/usr/bin/env bash
# Runs a local N-node Bulwark farm on loopback from a Release build, in the foreground.
#
#   deploy/run-farm.sh [N]        (default 3; Ctrl-C stops every node, then the database)
#
# Node n listens for SMTP on 127.0.0.1:(2525+n), Akka remoting on (4053+n), admin API on
# (8025+n), keeps its data in ./farm-data/node-n and its log in ./farm-data/node-n/node.log.
# Node 1 is the seed every node lists: start it first (this script does); a farm whose only
# seed is down can still run, but a restarted node 1 would then form a cluster of its own.
#
# Blocks are shared through one PostgreSQL (SQLite per node would give each node its own):
# PG_CONN (an Npgsql connection string) selects an existing one; without it a private
# PostgreSQL 15 is initialised in ./farm-data/pg (kept between runs) on PG_PORT (default 15432).
# Other environment: FARM_DIR (default ./farm-data), SKIP_BUILD=1 (use the existing build),
# and any BULWARK_* variable, which every node inherits (e.g. BULWARK_Reputation__StrikeThreshold=3).
set -euo pipefail

count=${1:-3}
case "$count" in ''|*[!0-9]*) echo "usage: $0 [N]   (N nodes, 1..20)" >&2; exit 2 ;; esac
if [ "$count" -lt 1 ] || [ "$count" -gt 20 ]; then echo "usage: $0 [N]   (N nodes, 1..20)" >&2; exit 2; fi

root=$(cd "$(dirname "$0")/.." && pwd)
farm=$(mkdir -p "${FARM_DIR:-$PWD/farm-data}" && cd "${FARM_DIR:-$PWD/farm-data}" && pwd)
dll="$root/src/Bulwark.Node/bin/Release/net10.0/bulwark.dll"
pgbin=/usr/lib/postgresql/15/bin
pg_port=${PG_PORT:-15432}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "run-farm: building the node (Release)"
  dotnet build -c Release -v q -nologo "$root/src/Bulwark.Node/Bulwark.Node.csproj" >/dev/null
fi
[ -f "$dll" ] || { echo "run-farm: $dll is missing: dotnet build -c Release src/Bulwark.Node" >&2; exit 1; }

node_pids=()
pg_pid=""
stopping=0
stop_all() {
  [ "$stopping" = 1 ] && return
  stopping=1
  trap '' INT TERM
  # One at a time, the seed last: a node leaving alone hands its shards off and is removed in
  # seconds; all leaving at once leaves no one to confirm the leave (10 s timeouts each).
  echo; echo "run-farm: stopping the nodes one by one (SIGTERM: each leaves the cluster)"
  local i pid
  for ((i = ${#node_pids[@]} - 1; i >= 0; i--)); do
    pid=${node_pids[$i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 350); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then echo "run-farm: node pid $pid still running, killing it" >&2; kill -KILL "$pid" 2>/dev/null || true; fi
  done
  if [ -n "$pg_pid" ]; then
    echo "run-farm: stopping PostgreSQL (pid $pg_pid)"
    kill -INT "$pg_pid" 2>/dev/null || true # fast shutdown
    for _ in $(seq 1 150); do kill -0 "$pg_pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pg_pid" 2>/dev/null && kill -KILL "$pg_pid" 2>/dev/null || true
  fi
  echo "run-farm: stopped"
}
trap 'stop_all; exit 130' INT TERM
trap stop_all EXIT

# A private PostgreSQL, as tests/Shared/PostgresServer.cs starts one: initdb and the server refuse
# to run as root, so as root they run as the postgres user in a folder it owns.
start_postgres() {
  [ -x "$pgbin/initdb" ] || { echo "run-farm: PostgreSQL 15 is missing: scripts/install-deps.sh (package postgresql), or set PG_CONN" >&2; exit 1; }
  local pg="$farm/pg" as=()
  mkdir -p "$pg"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$pg"; as=(runuser -u postgres --); fi
  if [ ! -f "$pg/data/PG_VERSION" ]; then
    echo "run-farm: initialising PostgreSQL in $pg/data"
    (cd "$pg" && "${as[@]}" "$pgbin/initdb" -D "$pg/data" --auth=trust --username=postgres --encoding=UTF8 --locale=C >"$pg/initdb.log")
  fi
  (cd "$pg" && "${as[@]}" "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/postgres.log" -w -t 60 \
      -o "-k $pg -p $pg_port -c listen_addresses=127.0.0.1" start >/dev/null) ||
    { echo "run-farm: PostgreSQL did not start (port $pg_port busy? set PG_PORT); see $pg/postgres.log" >&2; tail -5 "$pg/postgres.log" >&2; exit 1; }
  pg_pid=$(head -n 1 "$pg/data/postmaster.pid")
  if [ -z "$("$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -Atc "SELECT 1 FROM pg_database WHERE datname='bulwark'")" ]; then
    "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE bulwark"
  fi
  PG_CONN="Host=127.0.0.1;Port=$pg_port;Database=bulwark;Username=postgres"
  echo "run-farm: PostgreSQL pid $pg_pid on 127.0.0.1:$pg_port"
}
[ -n "${PG_CONN:-}" ] || start_postgres

seed="akka.tcp://bulwark@127.0.0.1:$((4053 + 1))"
start_node() { # n
  local n=$1 dir="$farm/node-$1"
  mkdir -p "$dir"
  (
    cd "$dir"
    export BULWARK_Node__DataDirectory="$dir/data" BULWARK_Node__Hostname="mx$n.example.test" \
      BULWARK_Smtp__Port=$((2525 + n)) BULWARK_Cluster__Port=$((4053 + n)) BULWARK_Admin__Port=$((8025 + n)) \
      BULWARK_Cluster__SeedNodes="$seed" BULWARK_Persistence__Provider=postgresql \
      BULWARK_Persistence__ConnectionString="$PG_CONN" \
      BULWARK_Domains__0__RecipientsFile="${BULWARK_Domains__0__RecipientsFile:-$root/cluster-config/recipients.txt}"
    exec dotnet "$dll" --config "$root/cluster-config/bulwark.json" >>"$dir/node.log" 2>&1
  ) &
  node_pids+=($!)
}
wait_ready() { # n pid
  local log="$farm/node-$1/node.log" lines
  for _ in $(seq 1 600); do
    if tail -n "+$2" "$log" 2>/dev/null | grep -q "bulwark: SMTP ready"; then return 0; fi
    if ! kill -0 "${node_pids[$(($1 - 1))]}" 2>/dev/null; then echo "run-farm: node $1 exited; see $log" >&2; tail -20 "$log" >&2; exit 1; fi
    sleep 0.1
  done
  echo "run-farm: node $1 did not open SMTP within 60 s; see $log" >&2; exit 1
}

declare -A log_start
for n in $(seq 1 "$count"); do
  log_start[$n]=1
  [ -f "$farm/node-$n/node.log" ] && log_start[$n]=$(( $(wc -l <"$farm/node-$n/node.log") + 1 ))
  start_node "$n"
  # The seed first: it forms the cluster; the others then join it together.
  [ "$n" = 1 ] && wait_ready 1 "${log_start[1]}"
done
for n in $(seq 2 "$count"); do wait_ready "$n" "${log_start[$n]}"; done

echo
echo "run-farm: $count node(s) running (PostgreSQL: ${PG_CONN})"
for n in $(seq 1 "$count"); do
  printf '  node %d  pid %-7s SMTP 127.0.0.1:%d  cluster akka.tcp://bulwark@127.0.0.1:%d  admin http://127.0.0.1:%d  log %s\n' \
    "$n" "${node_pids[$((n - 1))]}" $((2525 + n)) $((4053 + n)) $((8025 + n)) "$farm/node-$n/node.log"
done
echo "  try:  swaks --server 127.0.0.1:2526 --to alice@example.test"
echo "        dotnet $dll cluster --admin http://127.0.0.1:8026     (or: shards, blocks)"
echo "  Ctrl-C stops every node (graceful leave) and the private PostgreSQL."
# Returns when any node exits (a downed node exits by itself); Ctrl-C interrupts it.
wait -n "${node_pids[@]}" || true
echo "run-farm: a node exited; stopping the farm" >&2
