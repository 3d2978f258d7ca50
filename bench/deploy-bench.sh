#!/usr/bin/env bash
# Builds Opsdeck and runs the deploy-record benchmark: ./bench/deploy-bench.sh [--deploys=10000] [--samples=500]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bin/find-jdk.sh"
opsdeck_find_jdk
cd "$ROOT"
./opsdeck --version >/dev/null # builds the jar if needed
# JDK >= 22 source launcher: DeployBench.java uses MonitorBench.java's helpers from the same directory
exec "$JAVA_HOME/bin/java" -cp target/opsdeck.jar bench/DeployBench.java "$@"
