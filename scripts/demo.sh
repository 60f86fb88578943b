#!/usr/bin/env bash
# Build the portal (release), create and fill an SQLite database with reference and demo data,
# and serve it on http://127.0.0.1:3000. Installs the build tools it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build-release.sh
export LEPTOS_SITE_ROOT=target/site
export LEPTOS_SITE_ADDR=${LEPTOS_SITE_ADDR:-127.0.0.1:3000}
bin=target/release/uhd-portal
"$bin" migrate
"$bin" seed
"$bin" demo-data --enterprises "${DEMO_ENTERPRISES:-2000}" --applications "${DEMO_APPLICATIONS:-5000}"
# One account per role, with new random passwords, printed here once.
"$bin" demo-accounts
echo "UHD Portal: http://$LEPTOS_SITE_ADDR (Ctrl-C to stop)"
exec "$bin" serve
