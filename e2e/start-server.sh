#!/usr/bin/env bash
# Start the portal for the browser tests: start-server.sh sqlite|postgres PORT
# A fresh database each time: migrated, seeded, with some demo data.
set -euo pipefail
kind=$1
port=$2
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${UHD_BIN:-$root/target/debug/uhd-portal}
export LEPTOS_SITE_ROOT=$root/target/site
export LEPTOS_SITE_ADDR=127.0.0.1:$port
export RUST_LOG=${RUST_LOG:-warn}
# Mail goes to the sink test-all.sh starts (maildev: SMTP 1025, REST 1080); tests read it back.
export SMTP_URL=${SMTP_URL:-smtp://127.0.0.1:1025}
# All browser tests sign in from 127.0.0.1: keep the per-IP limit out of their way (the
# limit itself is tested in frontend/tests/all/accounts.rs).
export PORTAL_LOGIN_RATE_PER_MINUTE=600
# Many companies register from 127.0.0.1 (the limit itself: frontend/tests/all/security.rs).
export PORTAL_ACCOUNT_RATE_PER_HOUR=100000
export PORTAL_DATA_DIR=$root/target/e2e-data-$kind
# A fresh database: the authenticator keys the tests enrolled against the last one are void.
rm -f "$root/target/e2e-totp-$port.json"
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
# 1,000 companies: Jinqiao has more admitted tenants than one page of the filing list shows.
"$bin" demo-data --enterprises 1000 --applications 100
# The first system admin, made the way README says (the CLI, password on standard input).
printf '%s\n' "${E2E_ADMIN_PASSWORD:-Admin-Portal-2026}" | "$bin" create-admin --email admin@e2e.test --name 测试管理员
exec "$bin" serve
