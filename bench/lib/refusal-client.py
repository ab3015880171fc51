#!/usr/bin/env python3
"""Refusal-rate load client: N SMTP connections from S parallel sessions, each trying
one message to a distinct unknown recipient, and counting how the server refused it.

Why not smtp-source here: after a "421" greeting (Bulwark's farm-wide block) the server
closes the connection, and smtp-source -A then dies on the HELO it still sends, ending
the whole run. This client treats a refused greeting or a dropped connection as the
refusal it is. Prints: "refusals_per_s rcpt_5xx rcpt_4xx banner dropped accepted".

usage: refusal-client.py PORT MESSAGES SESSIONS SENDER RCPT_LOCAL@DOMAIN"""
import asyncio
import sys
import time
from collections import Counter


async def reply(reader: asyncio.StreamReader) -> int:
    """Reads one (possibly multi-line) reply; returns its code, 0 if the peer closed."""
    while True:
        line = await reader.readline()
        if len(line) < 4:
            return 0
        if line[3:4] != b"-":
            return int(line[:3])


async def one(port: int, n: int, sender: str, rcpt: str, counts: Counter) -> None:
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        counts["dropped"] += 1
        return
    try:
        code = await reply(reader)
        if code != 220:
            counts["banner" if code else "dropped"] += 1
            return
        for command in (b"EHLO client.test", f"MAIL FROM:<{sender}>".encode()):
            writer.write(command + b"\r\n")
            if await reply(reader) // 100 != 2:
                counts["other"] += 1
                return
        writer.write(f"RCPT TO:<{n}{rcpt}>\r\n".encode())
        code = await reply(reader)
        key = {5: "rcpt5", 4: "rcpt4", 2: "accepted"}.get(code // 100, "dropped")
        counts[key] += 1
        writer.write(b"QUIT\r\n")
        await reply(reader)
    except (OSError, asyncio.IncompleteReadError, ValueError):
        counts["dropped"] += 1
    finally:
        writer.close()


async def main(port: int, messages: int, sessions: int, sender: str, rcpt: str) -> None:
    counts: Counter = Counter()
    queue = iter(range(1, messages + 1))

    async def worker() -> None:
        for n in queue:
            await one(port, n, sender, rcpt, counts)

    start = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(sessions)))
    elapsed = time.monotonic() - start
    refused = counts["rcpt5"] + counts["rcpt4"] + counts["banner"] + counts["dropped"]
    print(f"{refused / elapsed:.1f} {counts['rcpt5']} {counts['rcpt4']} {counts['banner']} "
          f"{counts['dropped']} {counts['accepted']}")


if __name__ == "__main__":
    p, m, s, sender, rcpt = sys.argv[1:6]
    asyncio.run(main(int(p), int(m), int(s), sender, rcpt))
