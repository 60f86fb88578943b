//! Reference data read by everyone: industry bases and subsidy programs.
//! Services here take a connection and return shared DTOs; routes wrap them for REST and the
//! Leptos server functions call the same services.

pub mod list_bases;
pub mod list_programs;
pub mod list_segments;

pub use list_bases::list_bases;
pub use list_programs::list_programs;
pub use list_segments::list_segments;

use chrono::{DateTime, NaiveDateTime, Utc};
use shared::dto::BaseSummary;
use shared::registry::SegmentRef;

use crate::error::AppError;
use crate::state::AppState;

pub use crate::caches::ChoicesCache;

/// The segments and bases, from the cache or the database.
pub async fn choices(state: &AppState) -> Result<(Vec<SegmentRef>, Vec<BaseSummary>), AppError> {
    let counts = state.tenant_counts.clone();
    state.choices.get_or_load((), || state.db.run(move |conn| Ok((list_segments(conn)?, list_bases(conn, &counts)?)))).await
}

pub(crate) fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(t, Utc)
}
