#!/usr/bin/env bash
# Builds Opsdeck and runs the monitoring benchmark:
#   ./bench/monitor-bench.sh [N ...] [--seconds=60] [--interval=10s] [--idle-starts=5] [--targets=distinct|shared]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bin/find-jdk.sh"
opsdeck_find_jdk
cd "$ROOT"
./opsdeck --version >/dev/null # builds the jar and the start-up cache if needed
exec "$JAVA_HOME/bin/java" bench/MonitorBench.java "$@"
