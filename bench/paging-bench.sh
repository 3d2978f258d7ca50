#!/usr/bin/env bash
# Builds Opsdeck and runs the paging benchmarks:
#   ./bench/paging-bench.sh latency [--services=100] [--rounds=5] [--max-in-flight=4]
#   ./bench/paging-bench.sh outbox [--messages=20000] [--max-in-flight=4]
#   ./bench/paging-bench.sh storm [--dependents=9999] [--dependent-threshold=2] [--seconds=40] [--max-in-flight=4]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bin/find-jdk.sh"
opsdeck_find_jdk
cd "$ROOT"
./opsdeck --version >/dev/null # builds the jar if needed
MODE="${1:-latency}"
[ $# -gt 0 ] && shift
CP="target/opsdeck.jar"
if [ "$MODE" = outbox ]; then
  # JDK >= 22 source launcher: PagingBenchOutbox.java uses PagingBench.java's /proc helpers from the same directory
  exec "$JAVA_HOME/bin/java" -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -cp "$CP" \
    bench/PagingBenchOutbox.java "$@"
fi
# the server's own entry point, compiled: the start-up cache refuses a JVM that compiles a source file at start
CLASSES="target/bench-classes"
mkdir -p "$CLASSES"
"$JAVA_HOME/bin/javac" -cp "$CP" -d "$CLASSES" bench/PagingServer.java
exec "$JAVA_HOME/bin/java" -Dpaging.server.classes="$ROOT/$CLASSES" -cp "$CP" bench/PagingBench.java "$MODE" "$@"
