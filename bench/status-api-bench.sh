#!/usr/bin/env bash
# Builds Opsdeck and runs the status API and dashboard benchmark (needs wrk and curl):
#   ./bench/status-api-bench.sh [--checks=10000] [--interval=10s] [--seconds=30] [--connections=20] [--rate=2000]
#                               [--no-wrk] [--curl-rounds=10]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bin/find-jdk.sh"
opsdeck_find_jdk
cd "$ROOT"
command -v wrk >/dev/null || { echo "status-api-bench: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
./opsdeck --version >/dev/null # builds the jar and the start-up cache if needed
# JDK >= 22 source launcher: StatusApiBench.java uses MonitorBench.java's helpers from the same directory
exec "$JAVA_HOME/bin/java" bench/StatusApiBench.java "$@"
