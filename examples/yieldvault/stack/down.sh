#!/bin/sh
# down.sh APP_DIR: stops the backend and the stand-in users that up.sh and the runbook started.
set -u
APP=${1:?usage: down.sh APP_DIR}
for f in backend traffic; do
  pidfile=$APP/run/$f.pid
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null && echo "stopped $f (pid $pid)"
  rm -f "$pidfile"
done
