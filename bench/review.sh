#!/usr/bin/env bash
# The review at scale (issue 14): fills a database with BENCH_ENTERPRISES companies and
# BENCH_APPLICATIONS applications (demo data: every state up to the decision, review stages with their deadlines),
# then runs backend/examples/review_bench.rs, which prints the reviewer's queue (first page,
# overdue first) from 64 threads at once for the lead agency and for a park manager (p50, p99,
# per second; target p99 under 50 ms), and recommendations per second from 64 threads (each a
# whole transition: the state check, history, audit record, notices and deadline jobs).
# SQLite, or BENCH_DB=postgres. Figures only: nothing here passes or fails.
#   bench/review.sh            (builds the release first; set SKIP_BUILD=1 to reuse it)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./scripts/build-release.sh
  cargo build --release -p backend --example review_bench
fi
enterprises=${BENCH_ENTERPRISES:-100000}
applications=${BENCH_APPLICATIONS:-1000000}
work=$(mktemp -d)
admin=postgres://postgres@127.0.0.1:5432/postgres
# A million applications take gigabytes: nothing of the run is left behind, on either database.
trap 'rm -rf "$work"; [ "${BENCH_DB:-sqlite}" = postgres ] && psql "$admin" -q -c "DROP DATABASE IF EXISTS uhd_bench_review WITH (FORCE)"' EXIT
case ${BENCH_DB:-sqlite} in
  sqlite) export DATABASE_URL=sqlite://$work/review.db ;;
  postgres)
    psql "$admin" -q -c "DROP DATABASE IF EXISTS uhd_bench_review WITH (FORCE)" -c "CREATE DATABASE uhd_bench_review"
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/uhd_bench_review
    ;;
  *) echo "BENCH_DB is sqlite or postgres" >&2; exit 2 ;;
esac
export RUST_LOG=warn PORTAL_DATA_DIR=$work/data
bin=target/release/uhd-portal
"$bin" migrate >/dev/null
"$bin" demo-data --enterprises "$enterprises" --applications "$applications"
if [ "${BENCH_DB:-sqlite}" = postgres ]; then
  # What autovacuum does shortly after a bulk load (planner statistics, visibility map).
  psql "$DATABASE_URL" -q -c "VACUUM ANALYZE"
fi
# As many connections as threads, so the figures are the database's, not the pool's queue.
PORTAL_DB_POOL_SIZE=${BENCH_POOL:-64} target/release/examples/review_bench
