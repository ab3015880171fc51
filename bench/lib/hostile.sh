# Helpers for the hostile-load benchmarks (bench/slow-clients.sh, bench/flood.sh): the open-file
# limit both sides need, and a process's memory and CPU time from /proc.

# Makes sure this shell (and so the node and the load clients it starts, which inherit it) may
# open $1 files; raises the soft limit when the hard one allows, else stops with the fix.
require_nofile() {
  local need=$1 soft hard
  soft=$(ulimit -Sn); hard=$(ulimit -Hn)
  [ "$soft" = unlimited ] || [ "$soft" -ge "$need" ] && return 0
  if [ "$hard" = unlimited ] || [ "$hard" -ge "$need" ]; then
    ulimit -Sn "$need"; echo "bench: raised ulimit -n from $soft to $need" >&2; return 0
  fi
  echo "bench: ulimit -n is $soft (hard $hard); this benchmark needs $need open files. Raise the hard limit (e.g. LimitNOFILE, /etc/security/limits.conf) and retry." >&2
  return 1
}

# Resident memory of pid $1 in MB.
rss_mb() { awk '/^VmRSS:/ { printf "%.0f\n", $2 / 1024 }' "/proc/$1/status"; }

# User + system CPU seconds used so far by pid $1 (fields 14 and 15 of /proc/pid/stat, after
# the parenthesised command name, which may contain spaces).
cpu_s() {
  local tck; tck=$(getconf CLK_TCK)
  sed 's/^.*) //' "/proc/$1/stat" | awk -v t="$tck" '{ printf "%.2f\n", ($12 + $13) / t }'
}
