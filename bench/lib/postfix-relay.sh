# A private, throwaway Postfix relay configured like Bulwark: accepts mail for
# example.test only, refuses unknown recipients at RCPT TO, and relays what it accepts
# to the sink. Its config, queue and data folders live in $BENCH_TMP/postfix; the
# system Postfix (if any) is not touched. Needs root (postfix start does).

postfix_setup() {
  PF_DIR="$BENCH_TMP/postfix"
  mkdir -p "$PF_DIR/conf" "$PF_DIR/queue" "$PF_DIR/data"
  chmod 755 "$BENCH_TMP" "$PF_DIR" "$PF_DIR/conf"
  chown postfix "$PF_DIR/data"
  # The same recipients Bulwark knows: postmaster plus cluster-config/recipients.txt.
  {
    echo "postmaster@example.test OK"
    grep -v '^\s*#' "$REPO/cluster-config/recipients.txt" 2>/dev/null | grep '@' | sed 's/\s*$/ OK/' || true
  } >"$PF_DIR/conf/relay_recipients"
  printf 'example.test relay:[127.0.0.1]:%s\n' "$SINK_PORT" >"$PF_DIR/conf/transport"
  cat >"$PF_DIR/conf/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $PF_DIR/queue
data_directory = $PF_DIR/data
mail_owner = postfix
setgid_group = postdrop
myhostname = postfix-bench.example.test
mydomain = example.test
myorigin = \$myhostname
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.1/32
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
relay_domains = example.test
relay_recipient_maps = hash:$PF_DIR/conf/relay_recipients
transport_maps = hash:$PF_DIR/conf/transport
smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions = reject_unauth_destination
smtpd_banner = \$myhostname ESMTP
biff = no
append_dot_mydomain = no
default_process_limit = 100
maillog_file_prefixes = $PF_DIR
maillog_file = $PF_DIR/maillog
CF
  # Only the services this relay uses, none chrooted (a chroot would need copies of /etc files).
  cat >"$PF_DIR/conf/master.cf" <<CF
127.0.0.1:$POSTFIX_PORT inet n - n - - smtpd
pickup    unix  n - n 60   1 pickup
cleanup   unix  n - n -    0 cleanup
qmgr      unix  n - n 300  1 qmgr
rewrite   unix  - - n -    - trivial-rewrite
bounce    unix  - - n -    0 bounce
defer     unix  - - n -    0 bounce
trace     unix  - - n -    0 bounce
verify    unix  - - n -    1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -    - proxymap
smtp      unix  - - n -    - smtp
relay     unix  - - n -    - smtp
showq     unix  n - n -    - showq
error     unix  - - n -    - error
retry     unix  - - n -    - error
discard   unix  - - n -    - discard
anvil     unix  - - n -    1 anvil
scache    unix  - - n -    1 scache
postlog   unix-dgram n - n - 1 postlogd
CF
  postmap -c "$PF_DIR/conf" "hash:$PF_DIR/conf/relay_recipients"
  postmap -c "$PF_DIR/conf" "hash:$PF_DIR/conf/transport"
  # "check" creates the queue's subfolders with the right owners and modes.
  postfix -c "$PF_DIR/conf" check >"$PF_DIR/check.log" 2>&1 || { cat "$PF_DIR/check.log" >&2; return 1; }
}

postfix_start() {
  postfix -c "$PF_DIR/conf" start >"$PF_DIR/start.log" 2>&1 || { cat "$PF_DIR/start.log" "$PF_DIR/maillog" >&2 2>/dev/null; return 1; }
  wait_banner "$POSTFIX_PORT" 30
  PF_MASTER_PID=$(tr -dc '0-9' <"$PF_DIR/queue/pid/master.pid")
}

postfix_stop() {
  [ -n "${PF_DIR:-}" ] && [ -d "$PF_DIR/conf" ] || return 0
  postfix -c "$PF_DIR/conf" stop >/dev/null 2>&1 || true
  # If "stop" did not work, end our own master by its pid (never by name).
  if [ -n "${PF_MASTER_PID:-}" ] && kill -0 "$PF_MASTER_PID" 2>/dev/null; then
    sleep 1; kill "$PF_MASTER_PID" 2>/dev/null || true
  fi
}
