#!/usr/bin/env bash
# Installs the Debian packages the tests and the benchmark need, only if missing.
# swaks: scripted SMTP client used by end-to-end tests.
# postfix: brings smtp-source / smtp-sink (load generator and next-hop sink) and
#          the reference MTA the benchmark compares against.
# dnsmasq-base: the dnsmasq binary without its system service; tests start private
#          fixed-answer DNS servers on loopback (tests/Shared/LoopbackDns.cs).
# unbound: a second loopback DNS server for the tests, the only one that answers SERVFAIL.
#          Its package would start a resolver on port 53: policy-rc.d below prevents that,
#          and a check after the install stops it by pid if it started anyway.
# clamav-daemon, rspamd: the virus and spam scanners; tests start private instances on free
#          loopback ports (tests/Shared/ClamdServer.cs, RspamdServer.cs). Their packages would
#          start clamd, freshclam (which tries the internet) and rspamd (ports 11333/11334): the
#          same guard and check apply.
# postgresql: PostgreSQL 15 for the farm tests and deploy/run-farm.sh, which initdb a private
#          cluster on a free loopback port (tests/Shared/PostgresServer.cs). The package creates
#          and would start a "main" cluster on port 5432: the same guard and check apply.
# chromium: headless browser for the dashboard's end-to-end tests, driven from C# through the
#          PuppeteerSharp package, which is pointed at this binary (tests/Shared/HeadlessChromium.cs);
#          no npm, and no browser download at test time.
# python3-dkim, openssl: a DKIM signer and verifier nobody here wrote (dkimsign, dknewkey and
#          the dkim library for the cross-check), and a too-short RSA key for the DKIM tests
#          (tests/Shared/DkimTools.cs).
# python3-authres: what python3-dkim's ARC signer needs to read and write
#          Authentication-Results; it seals the ARC chains of the ARC tests.
# publicsuffix: the Public Suffix List (/usr/share/publicsuffix) that DMARC's organisational
#          domain is found with.
# Idempotent and quiet: does nothing (not even apt-get update) when all is present.
set -euo pipefail

need=()
have() { PATH="$PATH:/usr/sbin:/sbin" command -v "$1" >/dev/null 2>&1; }
have swaks || need+=(swaks)
if ! have postfix || ! have smtp-source || ! have smtp-sink; then need+=(postfix); fi
have dnsmasq || need+=(dnsmasq-base)
have unbound || need+=(unbound)
[ -x /usr/sbin/clamd ] || need+=(clamav-daemon)
[ -x /usr/bin/rspamd ] || need+=(rspamd)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/dkimsign ] || need+=(python3-dkim)
[ -x /usr/bin/openssl ] || need+=(openssl)
[ -r /usr/lib/python3/dist-packages/authres/__init__.py ] || need+=(python3-authres)
[ -r /usr/share/publicsuffix/public_suffix_list.dat ] || need+=(publicsuffix)
[ ${#need[@]} -eq 0 ] && exit 0

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO=(sudo -n)
  else echo "install-deps: missing ${need[*]}; run as root or install them: apt-get install ${need[*]}" >&2; exit 1; fi
fi

echo "install-deps: installing ${need[*]}"
# Without systemd, apt-get would start postfix unless policy-rc.d says no (exit 101).
# Only remove the guard if we are the ones who created it.
guard=/usr/sbin/policy-rc.d
created_guard=0
if [ ! -e "$guard" ]; then
  "${SUDO[@]}" sh -c "printf '#!/bin/sh\nexit 101\n' > $guard && chmod 755 $guard"
  created_guard=1
fi
cleanup() { if [ "$created_guard" = 1 ]; then "${SUDO[@]}" rm -f "$guard"; fi; }
trap cleanup EXIT

# Postfix asks which kind of mail system this is; "No configuration" leaves the
# system instance unconfigured (no main.cf), which is what a test machine wants.
echo "postfix postfix/main_mailer_type select No configuration" | "${SUDO[@]}" debconf-set-selections

log=$(mktemp)
ok=0
for attempt in 1 2 3; do
  if "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1 &&
     "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${need[@]}" >>"$log" 2>&1; then
    ok=1; break
  fi
  echo "install-deps: attempt $attempt failed, retrying" >&2; sleep $((attempt * 5))
done
if [ "$ok" != 1 ]; then cat "$log" >&2; rm -f "$log"; exit 1; fi
rm -f "$log"

# Belt and braces: if the packaged (system) postfix master started anyway, stop it by
# the pid in its own pid file, so private instances started by tests are left alone.
pidfile=/var/spool/postfix/pid/master.pid
if [ -r "$pidfile" ]; then
  pid=$(tr -dc '0-9' <"$pidfile")
  if [ -n "$pid" ] && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = master ]; then
    echo "install-deps: stopping the system postfix master started by the package (pid $pid)" >&2
    "${SUDO[@]}" kill "$pid" 2>/dev/null || true
  fi
fi

# The same for a packaged unbound: the tests start their own on a free port; a system one
# would hold port 53. `pgrep -x` matches the process name exactly (kernel threads are
# called "...events_unbound"). Stop only the one running the packaged config.
# The packaged one runs with the default config (no -c) or one under /etc/unbound.
for pid in $(pgrep -x unbound 2>/dev/null || true); do
  args=" $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  case "$args" in *" -c "*) case "$args" in *" -c /etc/unbound/"*) ;; *) continue ;; esac ;; esac
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ] && continue
  echo "install-deps: stopping the system unbound started by the package (pid $pid)" >&2
  "${SUDO[@]}" kill "$pid" 2>/dev/null || true
done
# The same for clamd, freshclam and rspamd. Tests run clamd with their own -c config outside
# /etc/clamav and never run freshclam; rspamd rewrites its command line, so the packaged one
# is found by its pid file under /run/rspamd (tests give theirs a private RUNDIR).
stop_packaged() { # name pid
  [ "$(awk '{print $3}' "/proc/$2/stat" 2>/dev/null)" = Z ] && return 0
  echo "install-deps: stopping the system $1 started by the package (pid $2)" >&2
  "${SUDO[@]}" kill "$2" 2>/dev/null || true
}
for pid in $(pgrep -x clamd 2>/dev/null || true); do
  args=" $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  case "$args" in *" -c "*|*" --config-file"*) case "$args" in *" -c /etc/clamav/"*|*"--config-file=/etc/clamav/"*) ;; *) continue ;; esac ;; esac
  stop_packaged clamd "$pid"
done
for pid in $(pgrep -x freshclam 2>/dev/null || true); do stop_packaged freshclam "$pid"; done
pidfile=/run/rspamd/rspamd.pid
if [ -r "$pidfile" ]; then
  pid=$(tr -dc '0-9' <"$pidfile")
  if [ -n "$pid" ] && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = rspamd ]; then stop_packaged rspamd "$pid"; fi
fi
# PostgreSQL: the packaged "main" cluster's postmaster writes its pid in its data folder;
# private test servers keep theirs in temporary folders and are left alone.
for pidfile in /var/lib/postgresql/*/main/postmaster.pid; do
  [ -r "$pidfile" ] || continue
  pid=$(head -n 1 "$pidfile" | tr -dc '0-9')
  if [ -n "$pid" ] && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = postgres ]; then stop_packaged postgresql "$pid"; fi
done
echo "install-deps: done"
