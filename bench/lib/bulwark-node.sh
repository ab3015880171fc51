# Starts and stops one Bulwark node (listener + policy roles in one process) for the
# benchmark, from the repo root so that cluster-config/bulwark.json is its base config;
# the BULWARK_ENV block of relay-throughput.sh overrides what the benchmark needs.

# What every one-node load script sets, one per line (read it with mapfile): loopback SMTP
# on $BULWARK_PORT, the sink on $SINK_PORT as next hop, Postfix's default destination
# concurrency (20), room for 100 sessions from one client IP, $CLUSTER_PORT, no admin port.
one_node_env() {
  printf '%s\n' "BULWARK_Smtp__Address=127.0.0.1" "BULWARK_Smtp__Port=$BULWARK_PORT" \
    "BULWARK_Delivery__NextHop__Host=127.0.0.1" "BULWARK_Delivery__NextHop__Port=$SINK_PORT" \
    "BULWARK_Delivery__MaxConcurrent=20" "BULWARK_Reputation__MaxConnectionsPerIp=1000" \
    "BULWARK_Cluster__Port=$CLUSTER_PORT" "BULWARK_Admin__Port=0"
}

bulwark_build() {
  [ "$BUILD" = 1 ] || return 0
  echo "bench: dotnet build -c Release src/Bulwark.Node" >&2
  (cd "$REPO" && dotnet build -c Release src/Bulwark.Node/Bulwark.Node.csproj -nologo -v q >"$BENCH_TMP/build.log" 2>&1) ||
    { tail -20 "$BENCH_TMP/build.log" >&2; echo "bench: the node does not build" >&2; return 1; }
}

# $1 = true|false: the farm-wide reputation block. Each start gets a fresh data folder,
# so no strike or block survives from an earlier run.
bulwark_start() {
  local reputation=$1
  [ -f "$BULWARK_DLL" ] || { echo "bench: $BULWARK_DLL not found" >&2; return 1; }
  BW_DATA=$(mktemp -d "$BENCH_TMP/bulwark-data.XXXXXX")
  BW_LOG="$BW_DATA.log"
  (cd "$REPO" && exec env "${BULWARK_ENV[@]}" \
      "BULWARK_Node__DataDirectory=$BW_DATA" "BULWARK_Reputation__Enabled=$reputation" \
      dotnet "$BULWARK_DLL" >"$BW_LOG" 2>&1) &
  BW_PID=$!
  if ! wait_banner "$BULWARK_PORT" 90 || ! kill -0 "$BW_PID" 2>/dev/null; then
    echo "bench: Bulwark did not start; its log:" >&2; tail -30 "$BW_LOG" >&2; return 1
  fi
}

bulwark_stop() {
  [ -n "${BW_PID:-}" ] || return 0
  if kill -0 "$BW_PID" 2>/dev/null; then
    kill "$BW_PID" 2>/dev/null || true
    for _ in $(seq 1 70); do kill -0 "$BW_PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$BW_PID" 2>/dev/null && kill -9 "$BW_PID" 2>/dev/null
  fi
  wait "$BW_PID" 2>/dev/null || true
  BW_PID=""
}
