#!/usr/bin/env bash
# Every test: Rust unit and integration tests on SQLite and on PostgreSQL, then the browser
# tests (Playwright + system Chromium) against the real server on both databases.
# Installs and starts what the tests need when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

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

# cargo-leptos builds the browser side (wasm, JS, CSS into target/site); the server binary the
# browser tests start is the one `cargo test` builds (target/debug/uhd-portal), so the server is
# compiled once.
echo "== build the browser bundle"
cargo leptos build --frontend-only

# The Rust mail test sends through the sink and reads it back over maildev's REST API.
export TEST_SMTP_URL=smtp://127.0.0.1:1025 TEST_MAILDEV_API=http://127.0.0.1:1080

echo "== Rust tests on SQLite"
TEST_DATABASE=sqlite cargo test --workspace --features frontend/ssr

echo "== Rust tests on PostgreSQL"
TEST_DATABASE=postgres cargo test -p frontend --features ssr --test portal --test database --test concurrency --test accounts --test authz --test registry

echo "== browser tests (SQLite and PostgreSQL)"
(cd e2e && npx playwright test)

echo "== all tests passed in $(( $(date +%s) - started )) s"
