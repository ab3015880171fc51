# Allocation profile of a running .NET process: what it allocates, by type and by the first
# frame outside the .NET runtime libraries, as OUTDIR/NAME-alloc.md (bench/AllocReport).
# Sourceable; needs dotnet-trace (dotnet tool install -g dotnet-trace).
#
#   alloc_profile_start NAME PID SECONDS OUTDIR    # trace in the background, return once recording
#   ...run the load, finishing within SECONDS...
#   alloc_profile_finish [MESSAGES] [TOP]          # wait for the trace, write the report
#
#   alloc_profile NAME PID SECONDS OUTDIR [MESSAGES] [TOP]   # both, for a load already running
#
# MESSAGES (messages handled while tracing) adds KB per message. The trace is a fixed window
# (--duration): a background job of a non-interactive script ignores SIGINT, so dotnet-trace
# could not be stopped cleanly otherwise. What the process allocates while idle in the window
# counts too, so keep SECONDS close to the load's length. The .nettrace file (tens of MB) is
# deleted unless ALLOC_KEEP_TRACE=1, e.g. to open it in PerfView.

ALLOC_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DOTNET_TRACE=${DOTNET_TRACE:-$HOME/.dotnet/tools/dotnet-trace}

alloc_report_build() {
  [ -n "${ALLOC_REPORT_BUILT:-}" ] && return 0
  dotnet build "$ALLOC_REPO/bench/AllocReport/AllocReport.csproj" -c Release -nologo -v q >/dev/null ||
    { echo "alloc-profile: bench/AllocReport does not build" >&2; return 1; }
  ALLOC_REPORT_BUILT=1
}

alloc_profile_start() {
  local name=$1 pid=$2 seconds=$3 outdir=$4 deadline
  alloc_report_build || return 1
  mkdir -p "$outdir"
  ALLOC_NAME=$name ALLOC_OUTDIR=$outdir ALLOC_TRACE="$outdir/$name.nettrace"
  rm -f "$ALLOC_TRACE"
  # gc-verbose: GC events at verbose level, including AllocationTick with its stack.
  "$DOTNET_TRACE" collect -p "$pid" --profile gc-verbose -o "$ALLOC_TRACE" \
    --duration "$(printf '00:%02d:%02d:%02d' $((seconds / 3600)) $((seconds / 60 % 60)) $((seconds % 60)))" \
    >"$outdir/$name.trace.log" 2>&1 </dev/null &
  ALLOC_TRACE_PID=$!
  # dotnet-trace creates the file once the session runs; the load should not start earlier.
  deadline=$(( $(date +%s) + 30 ))
  until [ -s "$ALLOC_TRACE" ]; do
    if ! kill -0 "$ALLOC_TRACE_PID" 2>/dev/null || [ "$(date +%s)" -ge "$deadline" ]; then
      echo "alloc-profile: dotnet-trace did not start:" >&2; tail -5 "$outdir/$name.trace.log" >&2; return 1
    fi
    sleep 0.1
  done
}

alloc_profile_finish() {
  local messages=${1:-0} top=${2:-25} report="$ALLOC_OUTDIR/$ALLOC_NAME-alloc.md"
  wait "$ALLOC_TRACE_PID" ||
    { echo "alloc-profile: dotnet-trace failed:" >&2; tail -5 "$ALLOC_OUTDIR/$ALLOC_NAME.trace.log" >&2; return 1; }
  dotnet "$ALLOC_REPO/bench/AllocReport/bin/Release/net10.0/AllocReport.dll" "$ALLOC_TRACE" "$messages" "$top" >"$report" ||
    { echo "alloc-profile: no allocation events in $ALLOC_TRACE" >&2; return 1; }
  [ "${ALLOC_KEEP_TRACE:-0}" = 1 ] || rm -f "$ALLOC_TRACE"
  rm -f "$ALLOC_OUTDIR/$ALLOC_NAME.trace.log"
  echo "$report"
}

alloc_profile() {
  alloc_profile_start "$1" "$2" "$3" "$4" && alloc_profile_finish "${5:-0}" "${6:-25}"
}
