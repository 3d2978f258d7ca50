#!/usr/bin/env bash
# Builds Opsdeck and runs the monitoring benchmark: ./bench/monitor-bench.sh [N ...] [--seconds=60]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bin/find-jdk.sh"
opsdeck_find_jdk
cd "$ROOT"
./mvnw -q -B -DskipTests package
exec "$JAVA_HOME/bin/java" bench/MonitorBench.java "$@"
