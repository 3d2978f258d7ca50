#!/usr/bin/env python3
"""A stand-in for the PRISM MEV API, so the runbooks of this example have something real to act on.

Usage: prism-app.py PORT STACK_DIR

It serves
  GET /api/v1/providers/health   public; {"status": "ok", "version": ..., "providers": [...]}
  GET /api/v1/opportunities      needs "Authorization: Bearer KEY" with a key of STACK_DIR/secrets/api_keys
The version is the name of the release directory this file runs from (releases/v1.2.0/prism-app.py).
The keys file holds one "NAME SECRET" per line and is read once at start, as the real service reads its
secrets from its environment: a rotated key takes effect at the next (re)deploy.
Every request is logged to STACK_DIR/logs/access.log with the key's name and a fingerprint (the first 12 hex
digits of the SHA-256 of the presented token), never the token itself, so that an audit can follow one key.
"""
import hashlib
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
STACK = sys.argv[2]
VERSION = os.path.basename(os.path.dirname(os.path.abspath(__file__)))
KEYS = {}
with open(os.path.join(STACK, "secrets", "api_keys"), encoding="utf-8") as f:
    for line in f:
        parts = line.split()
        if len(parts) == 2:
            KEYS[parts[1]] = parts[0]
ACCESS_LOG = open(os.path.join(STACK, "logs", "access.log"), "a", encoding="utf-8", buffering=1)


def fingerprint(token):
    return hashlib.sha256(token.encode()).hexdigest()[:12] if token else "-"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        token = ""
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            token = auth[len("Bearer "):].strip()
        name = KEYS.get(token, "-") if token else "-"
        if self.path == "/api/v1/providers/health":
            status, body = 200, {"status": "ok", "version": VERSION,
                                 "providers": [{"name": "rpc-primary", "status": "up"},
                                               {"name": "rpc-fallback", "status": "up"}]}
        elif self.path == "/api/v1/opportunities":
            if name == "-":
                status, body = 401, {"error": "unknown or revoked API key"}
            else:
                status, body = 200, {"opportunities": [], "version": VERSION}
        else:
            status, body = 404, {"error": "not found"}
        data = (json.dumps(body) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        ACCESS_LOG.write("%s client=%s %s %s %d key=%s fp=%s\n" % (
            time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), self.client_address[0], self.command,
            self.path, status, name, fingerprint(token)))

    def log_message(self, *args):
        pass  # the access log above replaces the default stderr line


print("prism-api %s listening on 127.0.0.1:%d" % (VERSION, PORT), flush=True)
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
