#!/usr/bin/env bash
# Builds Opsdeck and runs the backup benchmark: ./bench/backup-bench.sh [--scale=30] [--rounds=3] [--restores=3]
# It starts a private PostgreSQL 15 (initdb + pg_ctl on a free port, in a temporary directory), loads realistic
# data into it and removes everything at the end, also on Ctrl-C: `pgbench -i -s 30` plus a table `notes` of
# random hex text (20,000 rows of 128 characters per scale unit), about 570 MB in all, whose plain SQL compresses
# about 7:1 like application data (pgbench's tables alone compress 50:1, which makes compression look free).
# BACKUP_BENCH_SCALE=5 (or --scale=5) loads a sixth of it, for a quick run; the ratios are what to compare.
# Never pointed at a shared server: the dumps and restores would load it with gigabytes.
# PGBIN overrides where initdb, pg_ctl, pgbench, pg_dump, psql and pg_restore are taken from.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bin/find-jdk.sh"
opsdeck_find_jdk
cd "$ROOT"
./opsdeck --version >/dev/null # builds the jar if needed
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
SCALE="${BACKUP_BENCH_SCALE:-30}"
for a in "$@"; do
  case "$a" in --scale=*) SCALE="${a#--scale=}" ;; esac
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-backup-bench.XXXXXX")"
PGDATA="$WORK/pg"
# initdb refuses to run as root: then the cluster belongs to the postgres user
AS_PG=()
if [ "$(id -u)" = 0 ]; then AS_PG=(runuser -u postgres --); fi
chmod 755 "$WORK"
mkdir -m 700 "$PGDATA"
[ ${#AS_PG[@]} -eq 0 ] || chown postgres "$PGDATA"
cleanup() {
  trap - EXIT INT TERM
  if [ -f "$WORK/server.pid" ]; then kill "$(cat "$WORK/server.pid")" 2>/dev/null || true; fi
  if [ -f "$PGDATA/postmaster.pid" ]; then "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local p
  for p in $(shuf -i 20000-60000 -n 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "no free port found" >&2; return 1
}
PGPORT="$(free_port)"

"${AS_PG[@]}" "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
# max_wal_size: a 1 GB load and restore without a checkpoint every few seconds (as a server sized for it would run)
"${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/postgres.log" -w -o "-p $PGPORT -k $PGDATA -c listen_addresses=127.0.0.1 \
  -c shared_buffers=256MB -c max_wal_size=4GB" start >/dev/null
export PGHOST=127.0.0.1 PGPORT PGUSER=postgres
"$PGBIN/createdb" bench
echo "loading pgbench -i -s $SCALE and $((SCALE * 20000)) rows of hex text into a private PostgreSQL on port $PGPORT ..."
start=$(date +%s)
"$PGBIN/pgbench" -i -s "$SCALE" -q bench 2>&1 | tail -n 1
# text that compresses like application data: 128 random hex characters a row (about 2:1 alone)
"$PGBIN/psql" -X -q -d bench -v ON_ERROR_STOP=1 -c "CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL)" \
  -c "INSERT INTO notes SELECT g, md5(random()::text) || md5(random()::text) || md5(random()::text)
      || md5(random()::text) FROM generate_series(1, $((SCALE * 20000))) g"
"$PGBIN/psql" -X -q -d bench -c "VACUUM ANALYZE" >/dev/null
echo "loaded in $(( $(date +%s) - start )) s; database size $("$PGBIN/psql" -X -At -d bench \
  -c "SELECT pg_size_pretty(pg_database_size('bench'))")"

# JDK >= 22 source launcher: BackupBench.java uses MonitorBench.java's /proc helpers and BenchServer.java's server start
"$JAVA_HOME/bin/java" -cp target/opsdeck.jar bench/BackupBench.java --work="$WORK" --pgbin="$PGBIN" "$@"
