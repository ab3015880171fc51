#!/usr/bin/env python3
"""RCPT verdict latency: the time from writing "RCPT TO" to reading its whole reply, over
one persistent SMTP session, one command in flight at a time (so each sample is one verdict,
not queueing behind other clients).

  rcpt-latency.py measure PORT SAMPLES OUT.json DOMAIN...
      EHLO and MAIL once; then SAMPLES rounds, each one RCPT to every DOMAIN in turn
      (round-robin, so a slow spell of the machine hits every domain alike); RSET + MAIL
      every 50 RCPTs to stay under the per-transaction recipient limit (not timed).
      Writes {"domain": [nanoseconds, ...]} to OUT.json; prints per-domain p50/p99 (ms).
  rcpt-latency.py touch PORT DOMAIN
      One session, one RCPT to DOMAIN: starts that domain's RecipientDirectory entity.
  rcpt-latency.py summarize LABEL OUT.json DOMAIN...
      Pools the samples of the DOMAINs given; prints "LABEL n p50_ms p99_ms" (samples that
      were not a 2xx reply are counted separately and left out: prints them on stderr).
"""
import os
import json
import socket
import statistics
import sys
import time

BATCH = 50  # RCPTs per transaction; Smtp:MaxRecipients is 100 by default
# RCPT_USERS=N: the local parts cycle through user0..user(N-1), as real recipients repeat;
# unset, every round has a local part of its own (user0, user1, ...).
USERS = int(os.environ.get("RCPT_USERS", "0"))


def reply(f) -> tuple[int, str]:
    """Reads one (possibly multi-line) reply; returns (code, last line)."""
    while True:
        line = f.readline()
        if len(line) < 4:
            raise ConnectionError("server closed the connection")
        if line[3:4] != b"-":
            return int(line[:3]), line.decode(errors="replace").strip()


def command(sock, f, text: str) -> int:
    sock.sendall(text.encode() + b"\r\n")
    return reply(f)[0]


def session(port: int):
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    # Nagle off: a one-line command must leave at once, or we would time the kernel's delay.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    f = sock.makefile("rb")
    code, text = reply(f)
    if code != 220:
        raise RuntimeError(f"greeting: {text}")
    for c in ("EHLO client.test", "MAIL FROM:<bench@client.test>"):
        code = command(sock, f, c)
        if code // 100 != 2:
            raise RuntimeError(f"{c}: {code}")
    return sock, f


def pct(values: list[int], p: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k] / 1e6


def measure(port: int, samples: int, out: str, domains: list[str]) -> None:
    sock, f = session(port)
    result: dict[str, list[int]] = {d: [] for d in domains}
    refused: dict[str, int] = {d: 0 for d in domains}
    in_txn = 0
    for i in range(samples):
        for d in domains:
            if in_txn == BATCH:
                for c in ("RSET", "MAIL FROM:<bench@client.test>"):
                    if command(sock, f, c) // 100 != 2:
                        raise RuntimeError(f"{c} refused")
                in_txn = 0
            line = f"RCPT TO:<user{i % USERS if USERS else i}@{d}>\r\n".encode()
            t0 = time.perf_counter_ns()
            sock.sendall(line)
            code, _ = reply(f)
            t1 = time.perf_counter_ns()
            in_txn += 1
            if code // 100 == 2:
                result[d].append(t1 - t0)
            else:
                refused[d] += 1
    command(sock, f, "QUIT")
    sock.close()
    with open(out, "w") as fh:
        json.dump({"samples": result, "refused": refused}, fh)
    for d in domains:
        v = result[d]
        print(f"  port {port} {d}: n={len(v)} p50={pct(v, 50):.3f} ms p99={pct(v, 99):.3f} ms"
              f"{f' NOT 2xx: {refused[d]}' if refused[d] else ''}", file=sys.stderr)


def touch(port: int, domain: str) -> None:
    sock, f = session(port)
    code = command(sock, f, f"RCPT TO:<touch@{domain}>")
    command(sock, f, "QUIT")
    sock.close()
    if code // 100 != 2:
        raise RuntimeError(f"RCPT to {domain}: {code}")


def summarize(label: str, out: str, domains: list[str]) -> None:
    with open(out) as fh:
        data = json.load(fh)
    pooled = [x for d in domains for x in data["samples"][d]]
    bad = sum(data["refused"][d] for d in domains)
    if bad:
        print(f"  {label}: {bad} RCPTs were not answered 2xx (left out)", file=sys.stderr)
    if not pooled:
        print(f"{label} 0 - -")
        return
    print(f"{label} {len(pooled)} {pct(pooled, 50):.3f} {pct(pooled, 99):.3f} "
          f"{statistics.fmean(pooled) / 1e6:.3f}")


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "measure":
        measure(int(args[0]), int(args[1]), args[2], args[3:])
    elif mode == "touch":
        touch(int(args[0]), args[1])
    elif mode == "summarize":
        summarize(args[0], args[1], args[2:])
    else:
        sys.exit(__doc__)
