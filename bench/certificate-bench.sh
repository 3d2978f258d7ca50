#!/usr/bin/env bash
# Builds Opsdeck and runs the certificate-inventory benchmark:
#   ./bench/certificate-bench.sh [--certs=5000] [--checks=1000] [--seconds=60]
# Makes CERTS self-signed PEM certificates with openssl (one key, one certificate per file, lifetimes 60 to
# 800 days so none alerts), then CertificateBench.java measures how long a refresh of that inventory takes and
# the probing schedule lag of CHECKS http checks before and during back-to-back refreshes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bin/find-jdk.sh"
opsdeck_find_jdk
cd "$ROOT"
./opsdeck --version >/dev/null # builds the jar if needed
CERTS=5000
for a in "$@"; do
  case "$a" in --certs=*) CERTS="${a#--certs=}" ;; esac
done
WORK="$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-cert-bench.XXXXXX")"
cleanup() {
  trap - EXIT INT TERM
  if [ -f "$WORK/server.pid" ]; then kill "$(cat "$WORK/server.pid")" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK/certs"
openssl ecparam -name prime256v1 -genkey -noout -out "$WORK/key.pem"
echo "making $CERTS certificates ..."
start=$(date +%s)
seq 1 "$CERTS" | xargs -P 2 -I{} sh -c 'd=$(( 60 + {} % 741 )); mkdir -p "$1/certs/$(( {} / 500 ))";
  openssl req -x509 -new -key "$1/key.pem" -subj "/CN=host{}.bench.test" -days "$d" \
    -out "$1/certs/$(( {} / 500 ))/host{}.pem" 2>/dev/null' _ "$WORK"
echo "made in $(( $(date +%s) - start )) s: $(find "$WORK/certs" -name '*.pem' | wc -l) files, $(du -sh "$WORK/certs" | cut -f1)"

# JDK >= 22 source launcher: CertificateBench.java uses MonitorBench.java's helpers and BenchServer.java's server start
"$JAVA_HOME/bin/java" -cp target/opsdeck.jar bench/CertificateBench.java --work="$WORK" "$@"
