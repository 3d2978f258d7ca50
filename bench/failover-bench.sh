#!/usr/bin/env bash
# The cluster's failover under repeated kill -9: ./bench/failover-bench.sh [--kills=20]
# Runs FailoverTest with three `opsdeck serve` processes (-Xmx128m each) on a private PostgreSQL 15 (initdb +
# pg_ctl on a free port, removed at the end), a webhook receiver and an HTTP target that goes down and up: during
# each outage the node that probes the failing check is killed with SIGKILL and started again. Prints the failover
# distribution (kill to the next probe of the check by another node: min, p50, p90, max), the duplicates and
# missing pages and resolutions, and the longest time each check went unprobed. It also runs the two other
# scenarios of FailoverTest: the leader stopped with SIGSTOP for 60 s, and a rolling restart of the three nodes.
# Takes about 25 s per kill plus 3 minutes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bin/find-jdk.sh"
opsdeck_find_jdk
cd "$ROOT"
KILLS=20
for a in "$@"; do
  case "$a" in
    --kills=*) KILLS="${a#--kills=}" ;;
    *) echo "usage: $0 [--kills=20]" >&2; exit 2 ;;
  esac
done
case "$KILLS" in ''|*[!0-9]*) echo "--kills must be a whole number, not '$KILLS'" >&2; exit 2 ;; esac
echo "failover bench: $KILLS kills; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
./mvnw -B -q -ntp test -Dtest=FailoverTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dopsdeck.failover.kills="$KILLS" -Dopsdeck.failover.seconds=0 -Dopsdeck.failover.pause.seconds=60 \
  >/dev/null 2>&1 || status=$?
OUT=target/surefire-reports/dev.opsdeck.server.FailoverTest-output.txt
grep -E '^(kill [0-9]+:|failover over|incident\.(triggered|resolved):|longest gap|evidence kept)' "$OUT" || true
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$status" -ne 0 ]; then
  echo "FailoverTest failed (exit $status); see target/surefire-reports/ and target/failover-evidence/" >&2
fi
exit "$status"
