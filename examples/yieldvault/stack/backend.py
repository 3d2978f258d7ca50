#!/usr/bin/env python3
"""A stand-in for the YieldVault backend API, so the redeploy runbook and the deploy gate have something real to
act on. The version is the name of the release directory this file runs from (releases/v1.3.0/backend.py).

Usage:
  backend.py serve PORT APP_DIR     serve the API until stopped
  backend.py migrate APP_DIR        apply this release's pending migrations (migrations/*.sql) to the database
  backend.py traffic PORT           stand-in users: one GET /api/v1/vault/summary every 200 ms, for ever

It serves
  GET /health                 {"status": "healthy", "version": ..., "uptime": ..., "checks": {...}}
  GET /ready                  {"ready": true, "dependencies": {"database": true}}
  GET /api/v1/version         {"version": ...}
  GET /api/v1/vault/summary   the vault row of the database
  GET /api/v1/vault/metrics   {"requests", "errors", "error_rate"}: the API requests of the last 60 seconds
                              (every /api/v1/ path but this one) and the share that failed

Configuration comes from APP_DIR/shared/.env (NAME=VALUE lines); DATABASE_URL is sqlite:PATH.
A release directory holding a file `fault` is a faulty build: it starts and reports healthy, but from that many
seconds after its start one in four API requests fails with 503, as a release with a connection leak would.
"""
import collections
import json
import os
import re
import sqlite3
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
VERSION = os.path.basename(HERE)
WINDOW = 60.0


def settings(app):
    values = {}
    with open(os.path.join(app, "shared", ".env"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                name, value = line.split("=", 1)
                values[name.strip()] = value.strip()
    return values


def database(app):
    url = settings(app).get("DATABASE_URL", "")
    if not url.startswith("sqlite:"):
        raise SystemExit("DATABASE_URL: expected sqlite:PATH")
    path = url[len("sqlite:"):]
    return sqlite3.connect(path if os.path.isabs(path) else os.path.join(app, path))


def migrate(app):
    folder = os.path.join(HERE, "migrations")
    names = sorted(n for n in os.listdir(folder) if n.endswith(".sql")) if os.path.isdir(folder) else []
    for name in names:  # the name goes into the script below: only NNN_words.sql
        if not re.fullmatch(r"[0-9]{3}_[a-z0-9_]+\.sql", name):
            raise SystemExit("migration %r: expected NNN_name.sql" % name)
    db = database(app)
    db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {row[0] for row in db.execute("SELECT name FROM schema_migrations")}
    pending = [n for n in names if n not in done]
    for name in pending:
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            db.executescript("BEGIN;" + f.read() + ";INSERT INTO schema_migrations VALUES ('" + name
                             + "', datetime('now'));COMMIT;")
        print("applied " + name)
    total = db.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
    print("database schema is up to date: %d migrations, %d applied now" % (total, len(pending)))


def serve(port, app):
    started = time.time()
    fault_after = None
    if os.path.exists(os.path.join(HERE, "fault")):
        with open(os.path.join(HERE, "fault"), encoding="utf-8") as f:
            fault_after = float(f.read().strip() or "60")
    recent = collections.deque()  # (time, failed) of API requests
    lock = threading.Lock()
    counter = [0]

    def record(failed):
        now = time.time()
        with lock:
            recent.append((now, failed))
            while recent and recent[0][0] < now - WINDOW:
                recent.popleft()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            path = self.path.split("?")[0]
            status, body = 200, None
            if path == "/health":
                body = {"status": "healthy", "version": VERSION, "uptime": round(time.time() - started, 1),
                        "checks": {"api": "up", "database": "up"}}
            elif path == "/ready":
                body = {"ready": True, "dependencies": {"database": True}}
            elif path == "/api/v1/vault/metrics":
                now = time.time()
                with lock:
                    window = [failed for t, failed in recent if t >= now - WINDOW]
                errors = sum(1 for failed in window if failed)
                body = {"version": VERSION, "window_seconds": WINDOW, "requests": len(window), "errors": errors,
                        "error_rate": round(errors / len(window), 4) if window else 0.0}
            elif path.startswith("/api/v1/"):
                with lock:
                    counter[0] += 1
                    n = counter[0]
                if fault_after is not None and time.time() - started >= fault_after and n % 4 == 0:
                    status, body = 503, {"error": "no database connection available"}
                elif path == "/api/v1/version":
                    body = {"version": VERSION}
                elif path == "/api/v1/vault/summary":
                    db = database(app)
                    row = db.execute("SELECT total_assets, fee_bps FROM vault").fetchone() if has_fee(db) \
                        else db.execute("SELECT total_assets, 0 FROM vault").fetchone()
                    db.close()
                    body = {"total_assets": row[0], "fee_bps": row[1], "version": VERSION}
                else:
                    status, body = 404, {"error": "not found"}
                record(status >= 500)
            else:
                status, body = 404, {"error": "not found"}
            data = (json.dumps(body) + "\n").encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, fmt, *args):
            sys.stderr.write("%s %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), fmt % args))

    database(app).execute("SELECT count(*) FROM vault").fetchone()  # no database, no start
    print("Server started on port %d (version %s)" % (port, VERSION), flush=True)
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def has_fee(db):
    return any(col[1] == "fee_bps" for col in db.execute("PRAGMA table_info(vault)"))


def traffic(port):
    url = "http://127.0.0.1:%d/api/v1/vault/summary" % port
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
        except Exception:  # a 503 or a backend that is restarting: users keep coming
            pass
        time.sleep(0.2)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "serve" and len(sys.argv) == 4:
        serve(int(sys.argv[2]), sys.argv[3])
    elif command == "migrate" and len(sys.argv) == 3:
        migrate(sys.argv[2])
    elif command == "traffic" and len(sys.argv) == 3:
        traffic(int(sys.argv[2]))
    else:
        raise SystemExit("usage: backend.py serve PORT APP_DIR | migrate APP_DIR | traffic PORT")
