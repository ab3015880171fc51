#!/usr/bin/env python3
"""Where a node's CPU time goes, by component: reads `perf script` output (samples with call
stacks) on stdin and charges each sample to the first component its stack belongs to.

A sample is charged to the innermost frame (leaf first) that names one of the project's or
its libraries' namespaces, so time spent in the kernel or the runtime on behalf of, say,
the next-hop client counts as next-hop delivery. Samples without such a frame are charged
by thread name (JIT, GC) or to "runtime/thread pool (other)".
usage: perf script -i node.data | perf-breakdown.py [MESSAGES]
"""
import re, sys
from collections import Counter

# (component, pattern matched against a frame's symbol), innermost match wins.
RULES = [
    ("next-hop client (MailKit/MimeKit)", re.compile(r"\[(MailKit|MimeKit)\]|Bulwark\.Delivery\.Transports")),
    ("spool (segment log)", re.compile(r"Bulwark\.Delivery\.Spool")),
    ("delivery actor", re.compile(r"\[Bulwark\.Delivery\]")),
    ("entities (recipients, reputation, DNS)", re.compile(r"\[Bulwark\.Entities\]")),
    ("session actor", re.compile(r"Bulwark\.Listener\.Sessions")),
    ("SMTP wire and listener", re.compile(r"\[Bulwark\.Listener\]")),
    ("policy rules", re.compile(r"\[Bulwark\.Policy\]")),
    ("metrics", re.compile(r"\[Bulwark\.Telemetry\]")),
    ("Akka (mailboxes, asks, sharding, logging)", re.compile(r"\[Akka[.\]]")),
    ("sockets engine (epoll, send, receive)", re.compile(r"\[System\.Net\.Sockets\]")),
]
THREADS = [
    ("JIT compiler (tiering)", re.compile(r"Tiered Com|clrjit")),
    ("GC", re.compile(r"\.NET BGC|\.NET Server GC|gc_heap|GCHeap")),
    ("spool (segment log)", re.compile(r"spool-segment")),
]

def classify(comm, frames):
    for sym in frames:  # leaf first
        for name, rx in RULES:
            if rx.search(sym):
                return name
    text = comm + " " + " ".join(frames)
    for name, rx in THREADS:
        if rx.search(text):
            return name
    return "runtime/thread pool (other)"

HEADER = re.compile(r"^(.*?)\s+\d+(?:/\d+)?\s+(?:\[\d+\]\s+)?\d+\.\d+:")
counts, kernel, other_sites = Counter(), Counter(), Counter()
total = 0
comm, frames = None, []

def flush():
    global total
    if comm is None:
        return
    name = classify(comm, frames)
    counts[name] += 1
    if name.startswith("runtime"):
        # What the unattributed time is doing: the innermost user-space frame (a syscall
        # wrapper, a runtime function) says whether it is waking threads, waiting or working.
        user = next((f for f in frames if not f.endswith("([kernel.kallsyms])")), "?")
        other_sites[re.sub(r"\+0x[0-9a-f]+", "", re.sub(r"^[0-9a-f]+ ", "", user))[:110]] += 1
    # The leaf frame tells kernel from user time.
    if frames and frames[0].endswith("([kernel.kallsyms])"):
        kernel[name] += 1
    total += 1

for line in sys.stdin:
    if not line.strip():
        flush(); comm, frames = None, []
        continue
    if not line.startswith("\t"):
        # "comm pid[/tid] [cpu] time: period event:"; a thread name may hold spaces.
        m = HEADER.match(line)
        comm, frames = (m.group(1).strip() if m else line.split()[0]), []
        continue
    parts = line.strip().split(" ", 1)
    frames.append(parts[1] if len(parts) > 1 else parts[0])
flush()

messages = float(sys.argv[1]) if len(sys.argv) > 1 else 0
print(f"| component | share of node CPU | of which in the kernel |")
print(f"|---|---|---|")
for name, n in counts.most_common():
    print(f"| {name} | {100 * n / total:.1f}% | {100 * kernel[name] / n:.0f}% |")
print(f"\n{total} samples")
if other_sites:
    print("\nruntime/thread pool (other), by innermost user-space frame:\n")
    print("| frame | share of node CPU |\n|---|---|")
    for site, n in other_sites.most_common(12):
        print(f"| {site.replace('|', '/')} | {100 * n / total:.1f}% |")
