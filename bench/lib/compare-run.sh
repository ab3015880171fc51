# One system's share of a run of bench/compare.sh (every load, in a fixed order), and the
# report. Results go to RESULT["system/figure"], one value per run.

is_bulwark() { [ "$1" = bulwark ] || [ "$1" = farm3 ]; }
want() { [[ "$LOADS" == *"$1"* ]]; }   # LOADS: the letters of the loads to run (default abcd)

one_system() { # name run
  local s=$1 run=$2 ports acc rel rate r5 r4 b d a line
  echo "bench: run $run, $(sys_label "$s") (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  # Bulwark's first instance has its farm-wide block off: (a), (b) and (d) measure the
  # verdicts themselves, not strikes and blocks of the benchmark's own client.
  CURRENT=$s; sys_start "$s" false
  read -r -a ports <<<"$(sys_ports "$s")"
  warm "${ports[@]}"; warm_refusals "${ports[@]}"
  for SESSIONS in 20 100; do
    want a || break
    read -r acc rel < <(cmp_throughput "${ports[@]}")
    record "$s/acc$SESSIONS" "$acc"; record "$s/rel$SESSIONS" "$rel"
    echo "  (a) $SESSIONS sessions: accepted $acc/s, relayed $rel/s" >&2
  done
  SESSIONS=20
  if want b; then
  read -r rate r5 r4 < <(cmp_refusals_smtp_source "${ports[@]}")
  record "$s/refuse" "$rate"
  echo "  (b) $rate refusals/s with smtp-source (RCPT 5xx $r5, 4xx $r4)" >&2
  read -r rate r5 r4 b d a < <(cmp_refusals "${ports[@]}")
  record "$s/refuse_py" "$rate"
  echo "  (b) $rate refusals/s with refusal-client.py (RCPT 5xx $r5, 4xx $r4, greeting $b, dropped $d, accepted $a)" >&2
  fi
  if want d; then
  read -r line < <(cmp_latency "${ports[@]}")
  read -r ap50 ap99 rp50 rp99 na nr other <<<"$line"
  record "$s/lat_acc_p50" "$ap50"; record "$s/lat_acc_p99" "$ap99"
  record "$s/lat_ref_p50" "$rp50"; record "$s/lat_ref_p99" "$rp99"
  echo "  (d) RCPT latency ms: valid p50 $ap50 p99 $ap99 ($na), unknown p50 $rp50 p99 $rp99 ($nr), other replies $other" >&2
  fi
  if want b && is_bulwark "$s"; then
    sys_stop "$s"; sys_start "$s" true   # fresh node(s): no strikes, the block on
    read -r -a ports <<<"$(sys_ports "$s")"
    warm "${ports[@]}"
    read -r rate r5 r4 b d a < <(cmp_refusals "${ports[@]}")
    record "$s/refuse_on" "$rate"; record "$s/refuse_on_greeting" "$b"
    echo "  (b) block on: $rate refusals/s (RCPT 5xx $r5, 4xx $r4, at greeting $b of $MESSAGES, dropped $d)" >&2
  fi
  if want c; then
  read -r rate codes fin reset err sent < <(cmp_blocked "$BLOCKED_IP" "$BLOCKED_CONNS" "${ports[@]}")
  record "$s/blocked" "$rate"; LAST["$s/blocked_how"]="first reply ${codes}; closed: fin $fin, reset $reset; errors $err"
  echo "  (c) blocked IP: $rate refusals/s (first reply $codes; fin $fin, reset $reset, errors $err)" >&2
  read -r per sent codes < <(cmp_bytes_read "$BLOCKED_IP" "$BYTES_CONNS" "$(sys_pids "$s")" "${ports[@]}")
  record "$s/bytes_blocked" "$per"; LAST["$s/sent"]=$sent
  read -r cper sent ccodes < <(cmp_bytes_read "$CONTROL_IP" "$BYTES_CONNS" "$(sys_pids "$s")" "${ports[@]}")
  record "$s/bytes_control" "$cper"
  echo "  (c') bytes read per connection: blocked $per, control (not blocked) $cper, of $sent sent" >&2
  fi
  sys_stop "$s"; CURRENT=""
}
declare -A LAST

cell() { # key -> "median (min–max)" or "median" for one run
  local v=${RESULT[$1]:-}
  [ -n "$v" ] || { echo "n/a"; return; }
  python3 -c '
import sys, statistics as s
v = [float(x) for x in sys.argv[1:] if x not in ("-", "")]
if not v: print("-"); sys.exit()
f = lambda x: f"{x:.0f}" if all(y == int(y) for y in v) else f"{x:.3f}" if max(v) < 10 else f"{x:.1f}"
print(f(s.median(v)) if len(v) == 1 else f"{f(s.median(v))} ({f(min(v))}–{f(max(v))})")' $v
}

write_report() {
  local s k
  echo "# Bulwark against Postfix, Postfix + postscreen and Haraka"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')."
  echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM, Linux $(uname -r)."
  echo "Load average before: $LOAD_BEFORE; after: $LOAD_AFTER. Postfix $(postconf -d -h mail_version), Haraka $HARAKA_VERSION on Node.js $(node --version), .NET $(dotnet --version 2>/dev/null)."
  echo "$RUNS run(s), systems alternating; per run: $MESSAGES messages/refusals per load, ${MSG_BYTES}-byte messages, $BLOCKED_CONNS blocked connections, $LAT_SAMPLES RCPT samples. Cells: median (min–max over runs)."
  echo
  printf '| figure |'; for s in "${SYSTEM_LIST[@]}"; do printf ' %s |' "$(sys_label "$s")"; done; echo
  printf '|---|'; for s in "${SYSTEM_LIST[@]}"; do printf -- '---|'; done; echo
  for k in "acc20:(a) accepted msg/s, 20 sessions" "rel20:(a) relayed msg/s, 20 sessions" \
           "acc100:(a) accepted msg/s, 100 sessions" "rel100:(a) relayed msg/s, 100 sessions" \
           "refuse:(b) unknown-recipient refusals/s, smtp-source (Bulwark: block off)" \
           "refuse_py:(b) the same with refusal-client.py (Python)" \
           "refuse_on:(b) same attacker, Bulwark block on: refusals/s (refusal-client.py)" \
           "refuse_on_greeting:(b) of those, refused at greeting (connections)" \
           "blocked:(c) blocked-IP refusals/s" \
           "bytes_blocked:(c) bytes read per blocked connection" \
           "bytes_control:(c) control: bytes read per unblocked connection" \
           "lat_acc_p50:(d) RCPT latency ms, valid recipient, p50" "lat_acc_p99:(d) … valid, p99" \
           "lat_ref_p50:(d) RCPT latency ms, unknown recipient, p50" "lat_ref_p99:(d) … unknown, p99"; do
    printf '| %s |' "${k#*:}"
    for s in "${SYSTEM_LIST[@]}"; do printf ' %s |' "$(cell "$s/${k%%:*}")"; done; echo
  done
  printf '| (c) how the blocked IP was refused (last run) |'
  for s in "${SYSTEM_LIST[@]}"; do printf ' %s |' "${LAST[$s/blocked_how]:-n/a}"; done; echo
  echo
  echo "Bytes sent per blocked connection: ${LAST[${SYSTEM_LIST[0]}/sent]:-?} (the whole pipelined dialogue, written at connect)."
  echo "Durability: Bulwark and Postfix write each message to disk (fsync) before their 250; Haraka's"
  echo "queue/smtp_forward relays during the client's DATA and writes nothing to disk: its 250 means the"
  echo "next hop took the message, and a crash loses nothing it acknowledged only because the sink already has it."
  echo "Blocked IP: Bulwark \`bulwark block\` (421 4.7.0 at connect); Postfix check_client_access REJECT"
  echo "(smtpd_delay_reject=yes, its default: refused at RCPT); postscreen access list, denylist action drop"
  echo "(521 at connect); Haraka access plugin, connect.rdns_access.blacklist (554 at connect, then disconnect)."
  echo "Method: bench/compare.md."
}
