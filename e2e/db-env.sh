# Sourced with sqlite|postgres: where the browser tests' databases live (shared by the
# server starter and the tests, which change data directly to prove pages read the database).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export E2E_SQLITE_PATH=$root/target/e2e/portal.db
export E2E_PG_ADMIN_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
export E2E_PG_DB=uhd_e2e
case "$1" in
  sqlite) export DATABASE_URL=sqlite://$E2E_SQLITE_PATH ;;
  postgres) export DATABASE_URL=${E2E_PG_ADMIN_URL%/*}/$E2E_PG_DB ;;
  *) echo "db-env.sh: sqlite or postgres, not '$1'" >&2; return 2 ;;
esac
