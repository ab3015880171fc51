#!/usr/bin/env python3
"""Blocked-IP load for bench/compare.sh: TOTAL connections from SOURCE, INFLIGHT at a time,
round-robin over PORTS. Each connection writes a whole pipelined SMTP dialogue (EHLO, MAIL,
RCPT, DATA, a small message, QUIT) the moment it is connected, without waiting for the
greeting, as a spam engine does; then reads until the server closes.

Per connection it notes the first reply code and how the server ended the connection:
"fin" (orderly close) or "reset". A reset after the client's bytes arrived is the kernel's
answer to a close() with unread data in the receive queue (RFC 2525 2.17, Linux tcp_close):
evidence, from the client side, that the server closed without reading everything.

Prints one line: "refusals_per_s first_codes(code:count,...) fin reset errors sent_bytes_per_conn"
(errors include connections still open after $BLOCKED_WAIT seconds, default 10).

usage: blocked-client.py SOURCE TOTAL INFLIGHT RCPT PORT..."""
import asyncio
import os
import sys
import time
from collections import Counter

WAIT = float(os.environ.get("BLOCKED_WAIT", "10"))  # seconds to wait for the server to close


def dialogue(rcpt: str) -> bytes:
    return (b"EHLO attacker.test\r\nMAIL FROM:<spam@attacker.test>\r\n"
            + f"RCPT TO:<{rcpt}>\r\n".encode()
            + b"DATA\r\nSubject: buy now\r\n\r\nspam spam spam\r\n.\r\nQUIT\r\n")


async def one(port: int, source: str, payload: bytes, counts: Counter, codes: Counter) -> None:
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    except OSError:
        counts["errors"] += 1
        return
    try:
        writer.write(payload)
        first = b""
        while True:
            chunk = await asyncio.wait_for(reader.read(65536), WAIT)
            if not chunk:
                counts["fin"] += 1
                break
            first = first or chunk
    except ConnectionResetError:
        counts["reset"] += 1
    except asyncio.TimeoutError:
        # Still open after WAIT s: the server is waiting for more (Haraka discards what was
        # pipelined past DATA and waits for the client's turn). Counted with the errors.
        counts["errors"] += 1
    except OSError:
        counts["errors"] += 1
    finally:
        codes[first[:3].decode(errors="replace") or "none"] += 1
        writer.close()


async def main() -> None:
    source, total, inflight, rcpt = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    ports = [int(p) for p in sys.argv[5:]]
    payload = dialogue(rcpt)
    counts, codes, nxt = Counter(), Counter(), [0]

    async def worker() -> None:
        while nxt[0] < total:
            i = nxt[0]
            nxt[0] += 1
            await one(ports[i % len(ports)], source, payload, counts, codes)

    t0 = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(inflight)))
    secs = time.monotonic() - t0
    refused = total - counts["errors"]
    code_list = ",".join(f"{c}:{n}" for c, n in sorted(codes.items()))
    print(f"{refused / secs:.1f} {code_list} {counts['fin']} {counts['reset']} {counts['errors']} {len(payload)}")


asyncio.run(main())
