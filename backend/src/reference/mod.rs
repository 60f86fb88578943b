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

pub(crate) fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(t, Utc)
}
