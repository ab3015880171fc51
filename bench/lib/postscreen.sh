# Variants of the private Postfix of bench/lib/postfix-relay.sh for bench/compare.sh (call
# after postfix_setup, before postfix_start):
#  postfix_block_ips IP...   smtpd refuses those clients (check_client_access REJECT; with
#                            Postfix's default smtpd_delay_reject=yes the refusal comes at RCPT).
#  postscreen_enable IP...   postscreen in front of smtpd: those clients are dropped at connect
#                            (521) by its access list; every other test that could delay or
#                            refuse a benchmark client is off or "ignore", so the figures show
#                            postscreen's cost per connection, not its tests' verdicts.

postfix_block_ips() {
  printf '%s REJECT blocked by operator\n' "$@" >"$PF_DIR/conf/blocked.cidr"
  postconf -c "$PF_DIR/conf" -e "smtpd_client_restrictions = check_client_access cidr:$PF_DIR/conf/blocked.cidr"
}

postscreen_enable() {
  printf '%s reject\n' "$@" >"$PF_DIR/conf/postscreen_access.cidr"
  # The smtpd line becomes "pass" (postscreen hands it the connection); postscreen takes the port.
  sed -i "s|^127.0.0.1:$POSTFIX_PORT inet .*|127.0.0.1:$POSTFIX_PORT inet n - n - 1 postscreen\nsmtpd     pass  - - n -    - smtpd\ndnsblog   unix  - - n -    0 dnsblog\ntlsproxy  unix  - - n -    0 tlsproxy|" \
    "$PF_DIR/conf/master.cf"
  # No permit_mynetworks: the benchmark's own client (127.0.0.1) must take the postscreen
  # path like any internet client; it passes the greet test once (1 s) and is then cached.
  # The per-client connection limit (50) would refuse 100 sessions from one IP; Bulwark runs with
  # MaxConnectionsPerIp 1000 and smtpd exempts $mynetworks, so lift it here too.
  postconf -c "$PF_DIR/conf" -e \
    "postscreen_access_list = cidr:$PF_DIR/conf/postscreen_access.cidr" \
    "postscreen_denylist_action = drop" \
    "postscreen_greet_action = ignore" \
    "postscreen_greet_wait = 1s" \
    "postscreen_client_connection_count_limit = 1000" \
    "postscreen_dnsbl_action = ignore" \
    "postscreen_dnsbl_sites =" \
    "postscreen_pipelining_enable = no" \
    "postscreen_non_smtp_command_enable = no" \
    "postscreen_bare_newline_enable = no" \
    "postscreen_cache_map = btree:$PF_DIR/data/postscreen_cache"
}
