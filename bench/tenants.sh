#!/usr/bin/env bash
# Tenant-search benchmark: 100,000 demo enterprises, on SQLite and on PostgreSQL.
#   bench/tenants.sh            (builds the release first; SKIP_BUILD=1 reuses it)
# For each database: loads the demo data, signs in as a system admin, then runs wrk with 64
# connections for 10 s against the park manager's tenant search (name search + status filter,
# sorted, one page) and the plain first page, and prints p50 and p99. The target is p99 under
# 50 ms on this machine; nothing here passes or fails, it prints figures. For scale, the first
# row per database is the cheapest signed-in request (`/api/v1/me`) under the same load.
# `scripts/build-release.sh` rewrites target/site: run this from its own clone when browser
# tests run in the same checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --bench
[ "${SKIP_BUILD:-0}" = 1 ] || ./scripts/build-release.sh
./scripts/ensure-postgres.sh >/dev/null

bin=target/release/uhd-portal
port=${BENCH_PORT:-3901}
base=http://127.0.0.1:$port
export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=127.0.0.1:$port RUST_LOG=warn
export PORTAL_LOGIN_RATE_PER_MINUTE=1000
work=$(mktemp -d)
server=""
pg_admin=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
# Nothing of the run is left behind, on either database.
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"; psql "$pg_admin" -q -c "DROP DATABASE IF EXISTS uhd_bench WITH (FORCE)" 2>/dev/null' EXIT

run_wrk() { # url -> "p50 p99 rps non2xx"
  local out
  out=$(wrk -t2 -c64 -d10s --latency -H "Cookie: uhd_session=$cookie" "$1")
  echo "$(awk '$1 == "50%" { print $2 }' <<<"$out") $(awk '$1 == "99%" { print $2 }' <<<"$out") $(awk '/^Requests\/sec:/ { print $2 }' <<<"$out") $(awk '/Non-2xx or 3xx responses:/ { print $5 }' <<<"$out")"
}

printf '%-10s %-44s %9s %9s %10s %8s\n' database query p50 p99 requests/s non-2xx
for db in sqlite postgres; do
  case $db in
    sqlite) export DATABASE_URL=sqlite://$work/bench.db ;;
    postgres)
      psql "$pg_admin" -q -c "DROP DATABASE IF EXISTS uhd_bench WITH (FORCE)" -c "CREATE DATABASE uhd_bench"
      export DATABASE_URL=${pg_admin%/*}/uhd_bench ;;
  esac
  "$bin" migrate >/dev/null
  "$bin" seed >/dev/null
  "$bin" demo-data --enterprises "${BENCH_ENTERPRISES:-100000}" --applications 0 >&2
  # What autovacuum does shortly after a bulk load (visibility map, planner statistics);
  # measured straight after the load, PostgreSQL would still visit the heap for every row.
  [ "$db" = postgres ] && psql -q "$DATABASE_URL" -c "VACUUM (ANALYZE)"
  printf '%s\n' "Bench-Admin-2026!" | "$bin" create-admin --email bench@example.gov.cn --name bench >/dev/null
  "$bin" serve & server=$!
  for _ in $(seq 1 100); do curl -fsS "$base/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
  # Staff sign in with two factors: the helper enrols an authenticator for the bench admin.
  cookie=$(python3 scripts/staff_session.py "$base" bench@example.gov.cn 'Bench-Admin-2026!')
  jinqiao=$(curl -fsS "$base/api/v1/bases" | python3 -c 'import json,sys; print([b["id"] for b in json.load(sys.stdin) if b["code"]=="jinqiao"][0])')
  total=$(curl -fsS -H "Cookie: uhd_session=$cookie" "$base/api/v1/bases/$jinqiao/tenants?per_page=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
  echo "$db: $total tenancies in Jinqiao" >&2
  search="/api/v1/bases/$jinqiao/tenants?q=%E7%A7%91%E6%8A%80&status=admitted&sort=name&page=3"
  first="/api/v1/bases/$jinqiao/tenants?sort=-applied"
  for url in /api/v1/me "$search" "$first"; do
    read -r p50 p99 rps errs < <(run_wrk "$base$url")
    case $url in
      "$search") label='search q=科技&status=admitted&sort=name p3' ;;
      "$first") label='first page sort=-applied' ;;
      *) label='(baseline: GET /api/v1/me)' ;;
    esac
    printf '%-10s %-44s %9s %9s %10s %8s\n' "$db" "$label" "$p50" "$p99" "$rps" "${errs:-0}"
  done
  kill $server; wait $server 2>/dev/null || true; server=""
done
