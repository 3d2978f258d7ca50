#!/usr/bin/env bash
# Builds Opsdeck and runs the checklist benchmark:
#   ./bench/checklist-bench.sh [--items=500] [--checks=200] [--rounds=20]
# ChecklistBench.java starts Opsdeck with one checklist of ITEMS items (file checks on files it writes, configured
# http checks' results, Opsdeck facts) and times runs of it through the API.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bin/find-jdk.sh"
opsdeck_find_jdk
cd "$ROOT"
./opsdeck --version >/dev/null # builds the jar if needed
WORK="$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-checklist-bench.XXXXXX")"
cleanup() {
  trap - EXIT INT TERM
  if [ -f "$WORK/server.pid" ]; then kill "$(cat "$WORK/server.pid")" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# JDK >= 22 source launcher: ChecklistBench.java uses BenchServer.java's server start and MonitorBench.java's helpers
"$JAVA_HOME/bin/java" -cp target/opsdeck.jar bench/ChecklistBench.java --work="$WORK" "$@"
