# The systems bench/compare.sh compares, behind one interface:
#   sys_start NAME REPUTATION   start it (REPUTATION true|false: Bulwark's farm-wide block;
#                               the others have none and ignore it); the blocked IP is set up
#   sys_stop NAME
#   sys_ports NAME              its SMTP ports (a farm: one per listener)
#   sys_pids NAME               its processes (for strace)
# NAME: bulwark | farm3 | postfix | postscreen | haraka. Every one: domain example.test, the
# recipients of cluster-config/recipients.txt (+ postmaster), unknown 550 5.1.1, relay refused,
# next hop the sink, $BLOCKED_IP refused by operator decision.

bulwark_cli() { dotnet "$BULWARK_DLL" "$@" >>"$BENCH_TMP/cli.log" 2>&1; }

# Waits until a connection from $1 to each port is refused at once (the block reached every
# listener's cache: it is replicated, not asked for on accept).
wait_refused() { # source ports...
  local src=$1 port deadline; shift
  deadline=$(( $(date +%s) + 30 ))
  for port in "$@"; do
    until python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=5, source_address=(sys.argv[1], 0))
sys.exit(0 if s.recv(512)[:1] in (b"4", b"5") else 1)' "$src" "$port" 2>/dev/null; do
      [ "$(date +%s)" -lt "$deadline" ] || { echo "bench: $src is not refused on port $port" >&2; return 1; }
      sleep 0.2
    done
  done
}

sys_start() {
  local name=$1 rep=$2
  case "$name" in
    bulwark)
      bulwark_start "$rep"
      bulwark_cli block "$BLOCKED_IP" --minutes 600 --reason bench --admin "http://127.0.0.1:$ADMIN_PORT"
      wait_refused "$BLOCKED_IP" "$BULWARK_PORT" ;;
    farm3)
      FARM_ENV=("${FARM_BASE_ENV[@]}" "BULWARK_Reputation__Enabled=$rep")
      farm_start 3; sleep "$SETTLE"
      bulwark_cli block "$BLOCKED_IP" --minutes 600 --reason bench --admin "http://127.0.0.1:$((FARM_ADMIN_BASE + 1))"
      wait_refused "$BLOCKED_IP" $(sys_ports farm3) ;;
    postfix|postscreen)
      rm -rf "$BENCH_TMP/postfix"
      postfix_setup
      postfix_block_ips "$BLOCKED_IP"
      [ "$name" = postscreen ] && postscreen_enable "$BLOCKED_IP"
      postfix_start ;;
    haraka)
      rm -rf "$BENCH_TMP/haraka"
      haraka_setup "$BLOCKED_IP"; haraka_start ;;
  esac
}

sys_stop() {
  case "$1" in
    bulwark) bulwark_stop ;;
    farm3) farm_stop ;;
    postfix|postscreen) postfix_stop; PF_DIR="" ;;
    haraka) haraka_stop ;;
  esac
}

sys_ports() {
  case "$1" in
    bulwark) echo "$BULWARK_PORT" ;;
    farm3) echo $((FARM_SMTP_BASE + 1)) $((FARM_SMTP_BASE + 2)) $((FARM_SMTP_BASE + 3)) ;;
    postfix|postscreen) echo "$POSTFIX_PORT" ;;
    haraka) echo "$HARAKA_PORT" ;;
  esac
}

sys_pids() {
  case "$1" in
    bulwark) echo "$BW_PID" ;;
    farm3) echo "${FARM_PIDS[*]}" ;;
    postfix|postscreen) echo "$PF_MASTER_PID" ;;
    haraka) haraka_pids ;;
  esac
}

sys_label() {
  case "$1" in
    bulwark) echo "Bulwark, 1 node" ;;
    farm3) echo "Bulwark, 3-node farm" ;;
    postfix) echo "Postfix (smtpd)" ;;
    postscreen) echo "Postfix + postscreen" ;;
    haraka) echo "Haraka $HARAKA_VERSION ($HARAKA_NODES workers)" ;;
  esac
}
