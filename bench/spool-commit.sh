#!/usr/bin/env bash
# Spool commit throughput: FileSpool (about 3 fsyncs per message) against SegmentSpool (group
# commit: one fsync per batch), 20 concurrent writers, 2 KB messages, 10 s per run, alternating,
# 3 runs; prints commits/s per run, the medians and their ratio. See docs/spool.md.
#
# usage: bench/spool-commit.sh [--writers N] [--bytes N] [--seconds N] [--runs N] [--dir DIR]
# DIR (default: the system temp dir) must be on the disk under test, not a tmpfs.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
dotnet build "$REPO/bench/SpoolBench/SpoolBench.csproj" -c Release -v quiet -nologo >/dev/null
exec dotnet "$REPO/bench/SpoolBench/bin/Release/net10.0/SpoolBench.dll" "$@"
