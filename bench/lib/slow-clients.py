#!/usr/bin/env python3
"""Slowloris load for bench/slow-clients.sh: N connection slots spread over the given source
addresses. A greeted slot sends "EHLO slow.example" one byte every BYTE_EVERY seconds and never
ends the line; when the server cuts it (command timeout) or refuses it (421), the slot waits
RETRY seconds and connects again, as a real attacker would. Runs until SIGTERM or SIGINT, then
prints one line: "held_at_end max_held greeted refused cut errors".
While running it writes the number of connections currently held to STATUS_FILE once a second.

usage: slow-clients.py PORT SLOTS IP[,IP...] STATUS_FILE [BYTE_EVERY=5] [RETRY=1]"""
import asyncio
import signal
import sys
from collections import Counter

TRICKLE = b"EHLO slow.example"


async def slot(port, source, byte_every, retry, counts, held):
    while True:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
        except OSError:
            counts["errors"] += 1
            await asyncio.sleep(retry)
            continue
        try:
            first = await reader.readline()
            if not first.startswith(b"220 "):
                counts["refused"] += 1
            else:
                counts["greeted"] += 1
                held[0] += 1
                held[1] = max(held[1], held[0])
                try:
                    cut = asyncio.ensure_future(reader.readline())
                    for i in range(len(TRICKLE)):
                        writer.write(TRICKLE[i:i + 1])
                        done, _ = await asyncio.wait([cut], timeout=byte_every)
                        if done:
                            break
                    await cut
                    counts["cut"] += 1
                finally:
                    held[0] -= 1
        except (OSError, asyncio.IncompleteReadError):
            counts["errors"] += 1
        finally:
            writer.close()
        await asyncio.sleep(retry)


async def main():
    port, slots, sources, status = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].split(","), sys.argv[4]
    byte_every = float(sys.argv[5]) if len(sys.argv) > 5 else 5.0
    retry = float(sys.argv[6]) if len(sys.argv) > 6 else 1.0
    counts, held = Counter(), [0, 0]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    tasks = [asyncio.create_task(slot(port, sources[i % len(sources)], byte_every, retry, counts, held))
             for i in range(slots)]
    while not stop.is_set():
        with open(status, "w") as f:
            f.write(f"{held[0]} {counts['refused']}\n")
        try:
            await asyncio.wait_for(stop.wait(), 1)
        except asyncio.TimeoutError:
            pass
    at_end = held[0]
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    print(at_end, held[1], counts["greeted"], counts["refused"], counts["cut"], counts["errors"])


asyncio.run(main())
