//! The enterprise registry: company profiles with their change history, tenancies in
//! industry bases (apply, admit, reject, suspend, reinstate, move out, with history) and the
//! park manager's tenant list. Each query applies the caller's data scope.

pub mod bases;
pub mod dashboard;
pub mod documents;
pub mod export;
pub mod import;
pub mod invitations;
pub mod profile;
pub mod recommended;
pub mod reports;
pub mod tenancy;
pub mod tenants;
pub mod verification;

use diesel::prelude::*;
use shared::dto::Bilingual;
use shared::registry::SegmentRef;

use crate::db::schema::segments;
use crate::db::DbConn;

/// A segment by code, or `None`.
pub(crate) fn segment_by_code(conn: &mut DbConn, code: &str) -> QueryResult<Option<(i64, SegmentRef)>> {
    let row: Option<(i64, String, String, String)> = segments::table
        .filter(segments::code.eq(code))
        .select((segments::id, segments::code, segments::name_zh, segments::name_en))
        .first(conn)
        .optional()?;
    Ok(row.map(|(id, code, zh, en)| (id, SegmentRef { code, name: Bilingual::new(zh, en) })))
}

/// A segment by id.
pub(crate) fn segment_by_id(conn: &mut DbConn, id: i64) -> QueryResult<Option<SegmentRef>> {
    let row: Option<(String, String, String)> = segments::table
        .filter(segments::id.eq(id))
        .select((segments::code, segments::name_zh, segments::name_en))
        .first(conn)
        .optional()?;
    Ok(row.map(|(code, zh, en)| SegmentRef { code, name: Bilingual::new(zh, en) }))
}

/// Take base `base_id`'s row lock for the rest of the write transaction (a no-op update: the
/// row's lock on PostgreSQL; SQLite's one write lock is already held by `BEGIN IMMEDIATE`), so
/// work that reads a base's tenants and then writes (a reminder run, an import) happens once at
/// a time per base. 404 when there is no such base.
pub fn lock_base(conn: &mut DbConn, base_id: i64) -> Result<(), crate::error::AppError> {
    use crate::db::schema::bases;
    let locked = diesel::update(bases::table.filter(bases::id.eq(base_id))).set(bases::id.eq(base_id)).execute(conn)?;
    if locked == 0 {
        return Err(crate::error::AppError::NotFound("the base"));
    }
    Ok(())
}
