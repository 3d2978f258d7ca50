#!/bin/sh
# up.sh APP_DIR [PORT]: lays out the YieldVault backend on this machine the way the redeploy runbook expects it,
# without Docker: three releases side by side, the shared configuration and database, and stand-in users.
# Default port 3000, as in opsdeck.yaml. It starts v1.2.3, the version running before Opsdeck deploys one.
#
#   APP_DIR/releases/v1.2.3/   a good release: start, migrate, backend.py, migrations/001_vault.sql
#   APP_DIR/releases/v1.3.0/   a good release with a second migration (002_fees.sql)
#   APP_DIR/releases/v1.3.1/   a faulty build: healthy at start, then one API request in four fails with 503,
#                              FAULT_AFTER seconds after it started (default 60)
#   APP_DIR/shared/.env        STELLAR_RPC_URL, VAULT_CONTRACT_ID, DATABASE_URL (mode 600)
#   APP_DIR/shared/vault.db    the database (SQLite), migrated by each release's `migrate`
#   APP_DIR/run/               pid files and logs; APP_DIR/current links to the running release
#
# down.sh APP_DIR stops the backend and the stand-in users.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
APP=${1:?usage: up.sh APP_DIR [PORT]}
PORT=${2:-3000}
FAULT_AFTER=${FAULT_AFTER:-60}
case $FAULT_AFTER in *[!0-9]*|'') echo "FAULT_AFTER: expected whole seconds, got '$FAULT_AFTER'" >&2; exit 2 ;; esac
[ ! -e "$APP/releases" ] || { echo "$APP already holds releases" >&2; exit 1; }
mkdir -p "$APP"
APP=$(cd "$APP" && pwd)
cd "$APP"
mkdir -p releases run backups shared

for v in v1.2.3 v1.3.0 v1.3.1; do
  r=releases/$v
  mkdir -p "$r/migrations"
  cp "$HERE/backend.py" "$r/backend.py"
  cat > "$r/start" <<'SH'
#!/bin/sh
# start PORT: serves this release in the foreground; the app directory is two levels up (APP/releases/VERSION)
here=$(cd "$(dirname "$0")" && pwd -P)
exec python3 "$here/backend.py" serve "${1:?usage: start PORT}" "$(dirname "$(dirname "$here")")"
SH
  cat > "$r/migrate" <<'SH'
#!/bin/sh
# migrate: applies this release's pending migrations (what `npx prisma migrate deploy` does for the real one)
here=$(cd "$(dirname "$0")" && pwd -P)
exec python3 "$here/backend.py" migrate "$(dirname "$(dirname "$here")")"
SH
  chmod 755 "$r/start" "$r/migrate"
  cat > "$r/migrations/001_vault.sql" <<'SQL'
CREATE TABLE vault (id INTEGER PRIMARY KEY, total_assets TEXT NOT NULL);
INSERT INTO vault (id, total_assets) VALUES (1, '1250000.00');
SQL
done
for v in v1.3.0 v1.3.1; do
  # expand only: the column has a default, so v1.2.3 still runs on the migrated database (a rollback needs that)
  echo "ALTER TABLE vault ADD COLUMN fee_bps INTEGER NOT NULL DEFAULT 25;" > "releases/$v/migrations/002_fees.sql"
done
echo "$FAULT_AFTER" > releases/v1.3.1/fault

(umask 077
 cat > shared/.env <<ENV
STELLAR_RPC_URL=https://soroban-testnet.stellar.org
VAULT_CONTRACT_ID=CDVAULTSTANDIN000000000000000000000000000000000000000000
DATABASE_URL=sqlite:shared/vault.db
ENV
)

# the release running before Opsdeck deploys anything, started the way the runbook starts one
ln -sfn releases/v1.2.3 current
releases/v1.2.3/migrate > run/migrate.log
(cd current && nohup ./start "$PORT" > "$APP/run/backend.log" 2>&1 & echo $! > "$APP/run/backend.pid")

# stand-in users, so the error rate the bake watches has requests behind it
nohup python3 "$HERE/backend.py" traffic "$PORT" > run/traffic.log 2>&1 &
echo $! > run/traffic.pid
echo "releases: $(ls releases | tr '\n' ' '); running v1.2.3 (pid $(cat run/backend.pid)) on port $PORT"
echo "users: pid $(cat run/traffic.pid), GET /api/v1/vault/summary every 200 ms on port $PORT"
