#!/usr/bin/env bash
# Every test: Rust unit and integration tests on SQLite and on PostgreSQL, then the browser
# tests (Playwright + system Chromium) against the real server on both databases, then the
# API fuzzer (schemathesis) against the OpenAPI document on both databases.
# Installs and starts what the tests need when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
phase_started=$started
phase_name=""
# Print how long the previous phase took, then the next phase's name.
phase() {
  local now
  now=$(date +%s)
  [ -n "$phase_name" ] && echo "== $phase_name took $(( now - phase_started )) s"
  phase_name=$1
  phase_started=$now
  echo "== $1"
}

phase "setup"
./scripts/setup.sh --test
./scripts/ensure-postgres.sh

# The mail sink docker-compose names (SMTP 1025, web 1080), started the same way here.
mail_pid=""
if ! (exec 3<>/dev/tcp/127.0.0.1/1025) 2>/dev/null; then
  e2e/node_modules/.bin/maildev --smtp 1025 --web 1080 --ip 127.0.0.1 --silent >/dev/null 2>&1 &
  mail_pid=$!
fi

# An S3-compatible API server (moto, from PyPI) for the storage backend's test, with one bucket.
s3_pid=""
if ! (exec 3<>/dev/tcp/127.0.0.1/9000) 2>/dev/null; then
  python3 -m moto.server -H 127.0.0.1 -p 9000 >/dev/null 2>&1 &
  s3_pid=$!
  for _ in $(seq 1 50); do curl -fsS http://127.0.0.1:9000/ >/dev/null 2>&1 && break; sleep 0.2; done
fi
curl -fsS -X PUT http://127.0.0.1:9000/uhd-test >/dev/null
export AWS_ENDPOINT=http://127.0.0.1:9000 AWS_ALLOW_HTTP=true AWS_REGION=us-east-1 \
  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test TEST_S3_BUCKET=uhd-test
trap 'for p in $mail_pid $s3_pid; do kill "$p" 2>/dev/null || true; done' EXIT

# The browser side is built exactly as users get it: the release bundle (wasm-opt included,
# checked to instantiate) into target/site. The server binary the browser tests start is the
# one `cargo test` builds (target/debug/uhd-portal), so the server is compiled once; every
# browser test runs against the release bundle.
phase "build the release browser bundle"
./scripts/build-release.sh --frontend-only

# The Rust mail test sends through the sink and reads it back over maildev's REST API.
export TEST_SMTP_URL=smtp://127.0.0.1:1025 TEST_MAILDEV_API=http://127.0.0.1:1080

phase "Rust tests on SQLite"
TEST_DATABASE=sqlite cargo test --workspace --features frontend/ssr

phase "Rust tests on PostgreSQL"
# Every integration-test binary, so a new test file cannot skip PostgreSQL. Built with the same
# packages and features as the SQLite run (a dev-dependency of one package unifies features of
# shared crates), so nothing is compiled twice.
TEST_DATABASE=postgres cargo test --workspace --features frontend/ssr --test '*'

phase "browser tests (SQLite and PostgreSQL)"
(cd e2e && npx playwright test)

# The API against its own OpenAPI document (schemathesis), signed in as a company user and as
# a system admin, on each database: no 5xx, documented statuses, content types and bodies.
for kind in sqlite postgres; do
  port=$([ "$kind" = sqlite ] && echo 3201 || echo 3202)
  phase "API fuzzing on $kind"
  RUST_LOG=error bash e2e/start-server.sh "$kind" "$port" >"target/api-fuzz-$kind.log" 2>&1 &
  server=$!
  for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
  status=0
  python3 scripts/api-fuzz.py "http://127.0.0.1:$port" admin@e2e.test Admin-Portal-2026 || status=$?
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  [ "$status" -eq 0 ] || { echo "API fuzzing on $kind failed"; exit 1; }
done

phase "done"
echo "== all tests passed in $(( $(date +%s) - started )) s"
