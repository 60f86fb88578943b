//! Migrations, seeds and demo data on the database `TEST_DATABASE` selects.
#![allow(clippy::unwrap_used)]

use crate::common;

use backend::db::schema::{applications, bases, calendar_days, enterprises, programs, tenancies};
use backend::diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use backend::{db, demo, seeds, Db};
use common::{settings_for, TestDb};
use shared::CreditCode;

fn fresh() -> (TestDb, Db) {
    let (test_db, url) = TestDb::fresh();
    let db = backend::open_database(&settings_for(&url)).unwrap();
    (test_db, db)
}

/// Migrations, seeds and bulk loads run as the command line runs them: on a connection that
/// may write (`Db::maintenance`); the server's own connections are read-only outside the
/// write path.
fn with_writable<T>(db: &Db, f: impl FnOnce(&mut db::DbConn) -> T) -> T {
    db.maintenance(|conn| Ok(f(conn))).unwrap()
}

#[test]
fn connections_are_read_only_outside_the_write_path() {
    let (_guard, db) = fresh();
    let mut conn = db.pool().get().unwrap();
    let bypass = backend::diesel::sql_query("UPDATE bases SET name_zh = 'x'").execute(&mut *conn);
    assert!(bypass.is_err(), "a write outside Db::write is refused");
    drop(conn);
    let through = db.write_blocking(|conn| Ok(backend::diesel::sql_query("UPDATE bases SET name_zh = name_zh").execute(conn)?));
    assert!(through.is_ok(), "{through:?}");
    // And the connection the write used is read-only again.
    let mut conn = db.pool().get().unwrap();
    assert!(backend::diesel::sql_query("UPDATE bases SET name_zh = 'x'").execute(&mut *conn).is_err());
}

#[test]
fn migrations_go_up_down_and_up_again() {
    let (_guard, db) = fresh();
    with_writable(&db, |conn| migrations_round_trip(conn));
}

fn migrations_round_trip(conn: &mut db::DbConn) {
    let mut conn = conn;
    assert!(!db::has_pending_migrations(&mut conn).unwrap());
    seeds::load_all(&mut conn).unwrap();
    let reverted = db::revert_all_migrations(&mut conn).unwrap();
    assert!(reverted >= 2);
    assert!(db::has_pending_migrations(&mut conn).unwrap());
    let applied = db::run_migrations(&mut conn).unwrap();
    assert_eq!(applied.len(), reverted);
    assert!(!db::has_pending_migrations(&mut conn).unwrap());
    // The schema is usable again.
    seeds::load_all(&mut conn).unwrap();
    let n: i64 = bases::table.count().get_result(conn).unwrap();
    assert_eq!(n, 3);
}

#[test]
fn seeding_is_idempotent() {
    let (_guard, db) = fresh();
    with_writable(&db, |conn| seeding_twice(conn));
}

fn seeding_twice(mut conn: &mut db::DbConn) {
    let first = seeds::load_all(&mut conn).unwrap();
    assert_eq!(first.loaded.len(), seeds::SEED_FILES.len());
    let counts = |conn: &mut db::DbConn| -> (i64, i64, i64) {
        (
            bases::table.count().get_result(conn).unwrap(),
            programs::table.count().get_result(conn).unwrap(),
            calendar_days::table.count().get_result(conn).unwrap(),
        )
    };
    let before = counts(&mut conn);
    let second = seeds::load_all(&mut conn).unwrap();
    assert!(second.loaded.is_empty());
    assert_eq!(second.unchanged.len(), seeds::SEED_FILES.len());
    assert_eq!(counts(&mut conn), before);
    assert_eq!(before.0, 3);
    assert_eq!(before.1, 5);
}

#[test]
fn the_calendar_holds_holidays_and_make_up_workdays() {
    let (_guard, db) = fresh();
    db.write_blocking(|conn| Ok(seeds::load_all(conn)?)).unwrap();
    let mut conn = db.pool().get().unwrap();
    let kind_of = |conn: &mut db::DbConn, y, m, d| -> String {
        calendar_days::table
            .find(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap())
            .select(calendar_days::kind)
            .first(conn)
            .unwrap()
    };
    assert_eq!(kind_of(&mut conn, 2026, 10, 1), "holiday");
    assert_eq!(kind_of(&mut conn, 2026, 2, 16), "holiday");
    assert_eq!(kind_of(&mut conn, 2026, 9, 20), "workday");
    assert_eq!(kind_of(&mut conn, 2027, 2, 6), "holiday");
}

#[test]
fn demo_data_is_valid_deterministic_and_not_duplicated() {
    let (_g1, db1) = fresh();
    let (_g2, db2) = fresh();
    db1.write_blocking(|conn| Ok(seeds::load_all(conn)?)).unwrap();
    db2.write_blocking(|conn| Ok(seeds::load_all(conn)?)).unwrap();
    let r1 = db1.maintenance(|conn| demo::generate(conn, 2500, 800, 7)).unwrap();
    let r2 = db2.maintenance(|conn| demo::generate(conn, 2500, 800, 7)).unwrap();
    let mut c1 = db1.pool().get().unwrap();
    let mut c2 = db2.pool().get().unwrap();
    assert_eq!((r1.enterprises, r1.applications), (2500, 800));
    assert_eq!(r1, r2);
    let codes = |c: &mut db::DbConn| -> Vec<(String, String)> {
        enterprises::table
            .order(enterprises::id)
            .select((enterprises::credit_code, enterprises::name_zh))
            .load(c)
            .unwrap()
    };
    let (a, b) = (codes(&mut c1), codes(&mut c2));
    assert_eq!(a, b, "same seed, same data");
    assert_eq!(a.len(), 2500);
    assert!(a.iter().all(|(code, _)| CreditCode::parse(code).is_ok()));
    // No two companies share a name, and a name fits the company's city.
    let names: std::collections::HashSet<&str> = a.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(names.len(), a.len(), "unique names");
    for (code, name) in &a {
        let guangzhou = code[2..8].starts_with("44");
        let foreign = if guangzhou { ["上海", "浦东", "申城", "静安"] } else { ["广州", "羊城", "越秀", "天河"] };
        assert!(!foreign.iter().any(|w| name.contains(w)), "{name} is registered in {}", &code[2..8]);
    }
    let admitted: i64 = tenancies::table.filter(tenancies::status.eq(1)).count().get_result(&mut *c1).unwrap();
    assert!(admitted > 500, "a realistic share of tenants: {admitted}");
    let apps: i64 = applications::table.count().get_result(&mut *c1).unwrap();
    assert_eq!(apps, 800);
    // Each application has its project, amount and verification code, filed under the
    // program's current version; submitted ones hold their duplicate-funding keys.
    let without_code: i64 = applications::table.filter(applications::verification_code.is_null()).count().get_result(&mut *c1).unwrap();
    assert_eq!(without_code, 0);
    let keys: i64 = backend::db::schema::application_keys::table.filter(backend::db::schema::application_keys::active.eq(true)).count().get_result(&mut *c1).unwrap();
    assert!(keys > 300, "live applications hold their keys: {keys}");
    let files: i64 = backend::db::schema::application_materials::table.count().get_result(&mut *c1).unwrap();
    assert!(files > 500, "submitted applications have material records: {files}");

    // A second run with the same seed finds the data and adds nothing.
    let again = db1.maintenance(|conn| demo::generate(conn, 2500, 800, 7)).unwrap();
    assert!(again.already_present);
    let n: i64 = enterprises::table.count().get_result(&mut *c1).unwrap();
    assert_eq!(n, 2500);
    // New rows after explicit ids still get fresh ids (PostgreSQL's sequence was moved).
    let other = db1.maintenance(|conn| demo::generate(conn, 10, 0, 8)).unwrap();
    assert_eq!(other.enterprises, 10);
}
