#!/usr/bin/env bash
# Filing at scale (issue 13): fills a database with BENCH_ENTERPRISES companies and
# BENCH_APPLICATIONS applications (demo data: projects, keys, materials), then runs
# backend/examples/filing_bench.rs, which prints the eligibility check and the submission (with
# the duplicate-funding check) from 64 threads at once (p50, p99, per second), each twice: flat
# out (every thread again as soon as it is answered: the throughput, where the time is mostly
# the queue) and as a steady stream (BENCH_CHECK_RATE and BENCH_RATE per second over the 64
# threads: the time a person waits at that load), and the application form's PDF generation
# (p50, p99, size). SQLite, or BENCH_DB=postgres. Figures only: nothing here passes or fails.
#   bench/filing.sh            (builds the release first; set SKIP_BUILD=1 to reuse it)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./scripts/build-release.sh
  cargo build --release -p backend --example filing_bench
fi
enterprises=${BENCH_ENTERPRISES:-100000}
applications=${BENCH_APPLICATIONS:-1000000}
work=$(mktemp -d)
admin=postgres://postgres@127.0.0.1:5432/postgres
# A million applications take gigabytes: nothing of the run is left behind, on either database.
trap 'rm -rf "$work"; [ "${BENCH_DB:-sqlite}" = postgres ] && psql "$admin" -q -c "DROP DATABASE IF EXISTS uhd_bench_filing WITH (FORCE)"' EXIT
case ${BENCH_DB:-sqlite} in
  sqlite) export DATABASE_URL=sqlite://$work/filing.db ;;
  postgres)
    psql "$admin" -q -c "DROP DATABASE IF EXISTS uhd_bench_filing WITH (FORCE)" -c "CREATE DATABASE uhd_bench_filing"
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/uhd_bench_filing
    ;;
  *) echo "BENCH_DB is sqlite or postgres" >&2; exit 2 ;;
esac
export RUST_LOG=warn PORTAL_DATA_DIR=$work/data
bin=target/release/uhd-portal
"$bin" migrate >/dev/null
"$bin" demo-data --enterprises "$enterprises" --applications "$applications"
# As many connections as threads, so the figures are the database's, not the pool's queue.
PORTAL_DB_POOL_SIZE=${BENCH_POOL:-64} target/release/examples/filing_bench
