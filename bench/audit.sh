#!/usr/bin/env bash
# The audit log's verification at scale (issue 12): appends 1,000,000 records to the hash
# chain through the write path (release build; SQLite, or BENCH_DB=postgres), then times
# `uhd-portal verify-audit` over the whole chain and prints records per second and the
# verifier's peak memory. Figures only: nothing here passes or fails on speed.
#   bench/audit.sh            (builds the release first; set SKIP_BUILD=1 to reuse it)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${SKIP_BUILD:-0}" = 1 ] || ./scripts/build-release.sh
n=${BENCH_AUDIT_RECORDS:-1000000}
work=$(mktemp -d)
admin=postgres://postgres@127.0.0.1:5432/postgres
# Nothing of the run is left behind, on either database.
trap 'rm -rf "$work"; [ "${BENCH_DB:-sqlite}" = postgres ] && psql "$admin" -q -c "DROP DATABASE IF EXISTS uhd_bench_audit WITH (FORCE)"' EXIT
case ${BENCH_DB:-sqlite} in
  sqlite) export DATABASE_URL=sqlite://$work/audit.db ;;
  postgres)
    psql "$admin" -q -c "DROP DATABASE IF EXISTS uhd_bench_audit WITH (FORCE)" -c "CREATE DATABASE uhd_bench_audit"
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/uhd_bench_audit
    ;;
  *) echo "BENCH_DB is sqlite or postgres" >&2; exit 2 ;;
esac
export RUST_LOG=warn
bin=target/release/uhd-portal
"$bin" migrate >/dev/null
"$bin" demo-data --enterprises 0 --audit-records "$n"
start=$(date +%s.%N)
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "verify-audit: peak memory %M KB" "$bin" verify-audit
else
  "$bin" verify-audit
fi
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v n="$n" 'BEGIN { printf "verify-audit: %d records in %.1f s (%.0f records/s)\n", n, e - s, n / (e - s) }'
