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
