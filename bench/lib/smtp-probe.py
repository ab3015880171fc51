#!/usr/bin/env python3
"""A legitimate client's view during an attack: sends one small message at a time from SOURCE
(a new connection each, like an MTA) until STOP_FILE exists or SECONDS pass, and prints
"messages ok failed p50_ms p95_ms max_ms". A failure is anything but 250 at the end of DATA.

usage: smtp-probe.py PORT SOURCE RCPT STOP_FILE SECONDS"""
import os
import smtplib
import statistics
import sys
import time

port, source, rcpt, stop, seconds = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
lat, failed = [], 0
end = time.monotonic() + seconds
while time.monotonic() < end and not os.path.exists(stop):
    t0 = time.monotonic()
    try:
        with smtplib.SMTP("127.0.0.1", port, local_hostname="probe.test", timeout=60, source_address=(source, 0)) as s:
            s.sendmail("probe@client.test", [rcpt], f"Subject: probe\r\n\r\nprobe {len(lat)}\r\n")
        lat.append((time.monotonic() - t0) * 1000)
    except (smtplib.SMTPException, OSError):
        failed += 1
        time.sleep(0.1)
lat.sort()
p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] if lat else 0
print(len(lat) + failed, len(lat), failed, f"{p(0.5):.1f}", f"{p(0.95):.1f}", f"{(lat[-1] if lat else 0):.1f}")
