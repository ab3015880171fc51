#!/usr/bin/env python3
"""RCPT verdict latency for bench/compare.sh, on warm persistent sessions: the time from
writing "RCPT TO" to reading its whole reply, one command in flight at a time.

Each session: EHLO, MAIL, then up to 40 RCPTs, 9 valid recipients (round-robin over VALID)
for every unknown one (a distinct address each time), then QUIT and a new session. Few
refusals per session on purpose: Postfix sleeps 1 s per error past smtpd_soft_error_limit
(10) and Bulwark closes after Smtp:MaxErrors (10), which would time the error policy, not the
verdict. Sessions go round-robin over PORTS (a farm's listeners). The first WARM RCPTs are
not kept (JIT, caches, entity start). A session the server drops or does not open (one of
postscreen's was dropped after the refusal loads of a 10,000-message warm-up run) counts one
"other" and the next RCPT opens a new session; 20 failures in a row end the run.

Prints "accept_p50_ms accept_p99_ms refuse_p50_ms refuse_p99_ms n_accept n_refuse other".

usage: verdict-latency.py SAMPLES WARM VALID[,VALID...] PORT..."""
import socket
import sys
import time

PER_SESSION = 40


def reply(f) -> int:
    while True:
        line = f.readline()
        if len(line) < 4:
            raise ConnectionError("server closed the connection")
        if line[3:4] != b"-":
            return int(line[:3])


def session(port: int):
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    f = sock.makefile("rb")
    if reply(f) != 220:
        raise RuntimeError(f"port {port}: no 220 greeting")
    for c in (b"EHLO client.test\r\n", b"MAIL FROM:<bench@client.test>\r\n"):
        sock.sendall(c)
        if reply(f) // 100 != 2:
            raise RuntimeError(f"port {port}: {c!r} refused")
    return sock, f


def pct(values: list[int], p: float) -> str:
    if not values:
        return "-"
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return f"{s[k] / 1e6:.3f}"


def main() -> None:
    samples, warm = int(sys.argv[1]), int(sys.argv[2])
    valid = sys.argv[3].split(",")
    ports = [int(p) for p in sys.argv[4:]]
    accept, refuse, other = [], [], 0
    sock = f = None
    sessions = left = failures = 0
    for i in range(samples + warm):
        if left == 0:
            if sock:
                sock.sendall(b"QUIT\r\n")
                sock.close()
            sessions += 1
            try:
                sock, f = session(ports[(sessions - 1) % len(ports)])
                failures = 0
            except (RuntimeError, ConnectionError, OSError):
                sock, failures, other = None, failures + 1, other + 1
                if failures >= 20:
                    raise
                continue
            left = PER_SESSION
        left -= 1
        unknown = i % 10 == 9
        rcpt = f"nobody{i}@example.test" if unknown else valid[i % len(valid)]
        line = f"RCPT TO:<{rcpt}>\r\n".encode()
        t0 = time.perf_counter_ns()
        try:
            sock.sendall(line)
            code = reply(f)
        except (ConnectionError, OSError):
            sock.close()
            sock, left, failures, other = None, 0, failures + 1, other + 1
            if failures >= 20:
                raise
            continue
        t1 = time.perf_counter_ns()
        if i < warm:
            continue
        if unknown and code == 550:
            refuse.append(t1 - t0)
        elif not unknown and code // 100 == 2:
            accept.append(t1 - t0)
        else:
            other += 1
    if sock:
        sock.sendall(b"QUIT\r\n")
        sock.close()
    print(pct(accept, 50), pct(accept, 99), pct(refuse, 50), pct(refuse, 99), len(accept), len(refuse), other)


if __name__ == "__main__":
    main()
