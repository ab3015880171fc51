#!/usr/bin/env python3
"""Idle SMTP sessions for bench/idle-sessions.sh: opens N connections to 127.0.0.1:PORT from
the given loopback source addresses (round robin), each reading the 220 greeting, sending
"EHLO idle.example" and reading the whole 250 reply, then keeping quiet. At most CONCURRENT
handshakes run at once so the listen backlog never overflows. When all are open (or failed) it
writes "open failed" to STATUS_FILE, then holds every connection until SIGTERM or SIGINT, and
finally prints "open failed cut" (cut = connections the server closed while they idled).

usage: idle-clients.py PORT COUNT IP[,IP...] STATUS_FILE [CONCURRENT=200]"""
import asyncio
import signal
import sys

EHLO = b"EHLO idle.example\r\n"


async def read_reply(reader):
    """Reads one (possibly multi-line) reply; returns its code or None if the server hung up."""
    while True:
        line = await reader.readline()
        if not line:
            return None
        if len(line) < 4 or line[3:4] != b"-":
            return line[:3]


async def open_one(port, source, gate, held, counts):
    async with gate:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
        except OSError:
            counts["failed"] += 1
            return
        try:
            if await read_reply(reader) != b"220":
                raise ConnectionError("no 220")
            writer.write(EHLO)
            await writer.drain()
            if await read_reply(reader) != b"250":
                raise ConnectionError("no 250")
        except (OSError, ConnectionError, asyncio.IncompleteReadError):
            counts["failed"] += 1
            writer.close()
            return
    counts["open"] += 1
    held.append((reader, writer))


async def main():
    port, count, sources, status = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].split(","), sys.argv[4]
    concurrent = int(sys.argv[5]) if len(sys.argv) > 5 else 200
    counts = {"open": 0, "failed": 0}
    held = []
    gate = asyncio.Semaphore(concurrent)
    await asyncio.gather(*(open_one(port, sources[i % len(sources)], gate, held, counts) for i in range(count)))
    with open(status, "w") as f:
        f.write(f"{counts['open']} {counts['failed']}\n")

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    # A connection the server closed while idle has its end of stream already buffered.
    cut = sum(1 for reader, _ in held if reader.at_eof() or reader._buffer)
    for _, writer in held:
        writer.close()
    print(f"{counts['open']} {counts['failed']} {cut}")


if __name__ == "__main__":
    asyncio.run(main())
