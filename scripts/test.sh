#!/usr/bin/env bash
# The project's test command: installs what the tests need (if missing), builds and
# runs every test project of Actors.sln in Release, then prints one summary line
# "N passed, N failed[, N skipped]". Exits non-zero if the build or any test failed.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Build servers outliving the run would keep a CI job's pipes open.
export MSBUILDDISABLENODEREUSE=1

bash scripts/install-deps.sh

results=$(mktemp -d "${TMPDIR:-/tmp}/bulwark-test-results.XXXXXX")
trap 'rm -rf "$results"' EXIT

# Restore first, with retries: a network blip on NuGet should not fail the whole run.
for attempt in 1 2 3; do
  if dotnet restore Actors.sln -v q >"$results/restore.log" 2>&1; then break; fi
  if [ "$attempt" = 3 ]; then cat "$results/restore.log" >&2; echo "test.sh: restore failed" >&2; exit 1; fi
  echo "test.sh: restore attempt $attempt failed, retrying" >&2; sleep $((attempt * 10))
done

# A hung test fails the run after 5 minutes instead of eating the CI budget.
set +e
dotnet test Actors.sln -c Release \
  --logger "console;verbosity=minimal" --logger trx --results-directory "$results" \
  --blame-hang-timeout 5m --blame-hang-dump-type none
rc=$?
set -e

if [ "${CI:-}" = true ]; then dotnet build-server shutdown >/dev/null 2>&1 || true; fi

# Files the tests keep for people to look at (the dashboard screenshot), in one place.
rm -rf test-artifacts && mkdir -p test-artifacts
for kept in tests/*/bin/Release/net10.0/artifacts; do
  if [ -d "$kept" ]; then cp -r "$kept"/. test-artifacts/; fi
done
find test-artifacts -type f | sort | sed "s|^|test artifact: $PWD/|"

set +e
summary=$(python3 scripts/trx-summary.py "$results")
src=$?
set -e
echo
echo "$summary"
if [ "$rc" -ne 0 ] || [ "$src" -ne 0 ]; then
  echo "test.sh: FAILED (dotnet test exit $rc)" >&2
  exit 1
fi
