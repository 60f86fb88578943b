#!/usr/bin/env bash
# Start the portal for the browser tests: start-server.sh sqlite|postgres PORT
# A fresh database each time: migrated, seeded, with a little demo data.
set -euo pipefail
kind=$1
port=$2
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${UHD_BIN:-$root/target/debug/uhd-portal}
export LEPTOS_SITE_ROOT=$root/target/site
export LEPTOS_SITE_ADDR=127.0.0.1:$port
export RUST_LOG=${RUST_LOG:-warn}
source "$root/e2e/db-env.sh" "$kind"
case "$kind" in
  sqlite)
    mkdir -p "$(dirname "$E2E_SQLITE_PATH")"
    rm -f "$E2E_SQLITE_PATH" "$E2E_SQLITE_PATH-wal" "$E2E_SQLITE_PATH-shm"
    ;;
  postgres)
    psql "$E2E_PG_ADMIN_URL" -q -c "DROP DATABASE IF EXISTS $E2E_PG_DB WITH (FORCE)" -c "CREATE DATABASE $E2E_PG_DB"
    ;;
esac
"$bin" migrate
"$bin" seed
"$bin" demo-data --enterprises 300 --applications 100
exec "$bin" serve
