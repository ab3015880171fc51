#!/usr/bin/env python3
"""Connection flood for bench/flood.sh: TOTAL connections, INFLIGHT at a time, round-robin over
the source addresses 127.0.1.1 .. 127.0.1.N. Three of four read the first reply line and close;
every fourth closes at once without reading. Prints one line:
"seconds offered_per_s handled_per_s greeted refused_ip refused_node other_4xx 5xx closed_unread silent errors"
(handled = connections that got a reply line; silent = closed without one).

usage: flood-client.py PORT TOTAL INFLIGHT ADDRESSES"""
import asyncio
import sys
import time
from collections import Counter


async def worker(port, total, sources, nxt, counts):
    while True:
        i = nxt[0]
        if i >= total:
            return
        nxt[0] += 1
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(sources[i % len(sources)], 0))
        except OSError:
            counts["errors"] += 1
            continue
        try:
            if i % 4 == 3:
                counts["closed_unread"] += 1
                continue
            line = await asyncio.wait_for(reader.readline(), 60)
            if line.startswith(b"220"):
                counts["greeted"] += 1
            elif line.startswith(b"421 4.7.0"):
                counts["refused_ip"] += 1
            elif line.startswith(b"421 4.3.2"):
                counts["refused_node"] += 1
            elif line.startswith(b"4"):
                counts["other_4xx"] += 1
            elif line.startswith(b"5"):
                counts["5xx"] += 1
            else:
                counts["silent"] += 1
        except (OSError, asyncio.TimeoutError):
            counts["errors"] += 1
        finally:
            writer.close()


async def main():
    port, total, inflight, n = map(int, sys.argv[1:5])
    sources = [f"127.0.1.{k}" for k in range(1, n + 1)]
    counts, nxt = Counter(), [0]
    t0 = time.monotonic()
    await asyncio.gather(*(worker(port, total, sources, nxt, counts) for _ in range(inflight)))
    secs = time.monotonic() - t0
    handled = total - counts["closed_unread"] - counts["silent"] - counts["errors"]
    print(f"{secs:.2f} {total / secs:.0f} {handled / secs:.0f}", *(counts[k] for k in
          ("greeted", "refused_ip", "refused_node", "other_4xx", "5xx", "closed_unread", "silent", "errors")))


asyncio.run(main())
