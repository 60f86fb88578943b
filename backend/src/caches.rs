//! The in-process caches `AppState` holds for the areas (see [`crate::cache`]). Only the types
//! live here, below every area and `AppState`; what fills and reads them is in the areas
//! (`registry::tenants`, `reference`, `accounts::me`).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use shared::accounts::Me;
use shared::dto::BaseSummary;
use shared::registry::SegmentRef;

use crate::cache::{Cached, Generation};

/// Recent tenant-list totals (see [`crate::cache`]), so that paging through a filter does not
/// count every match for every page.
pub type TenantTotals = Cached<String, i64>;

/// How long a total may miss a change made through another server process.
pub const TENANT_TOTALS_TTL: Duration = Duration::from_secs(15);

/// Segment codes by id, for the list's segment column. Segments are reference data (they change
/// only when seeds load), so they are read again at most every few minutes, and at once when a
/// page shows a segment id not known yet.
pub type SegmentCodes = Cached<(), Arc<HashMap<i64, String>>>;

pub const SEGMENT_CODES_TTL: Duration = Duration::from_secs(300);

/// What the tenant list keeps between requests.
pub struct TenantListCaches {
    pub totals: TenantTotals,
    pub segment_codes: SegmentCodes,
}

impl TenantListCaches {
    pub fn new(generation: Arc<Generation>) -> TenantListCaches {
        TenantListCaches {
            totals: TenantTotals::new(generation.clone(), 10_000, TENANT_TOTALS_TTL),
            segment_codes: SegmentCodes::new(generation, 1, SEGMENT_CODES_TTL),
        }
    }
}

/// Admitted tenants per base, kept for a while (see [`crate::cache`]). Counting scans the
/// tenancy index (tens of thousands of rows at the scale we design for), too much for every
/// public page view; a count that lags another server process by seconds is fine there.
pub type TenantCounts = Cached<(), HashMap<i64, i64>>;

/// The chain segments and the bases (with their public tenant counts), which many pages'
/// forms and filters list; kept for the data generation and at most as long as the counts.
pub type ChoicesCache = Cached<(), (Vec<SegmentRef>, Vec<BaseSummary>)>;

/// `Me` by user id, for the data generation it was read in and at most a few seconds (as the
/// session cache): every page's header shows who is signed in.
pub type MeCache = Cached<i64, Me>;

/// What the review queue keeps between requests: each part's count under a set of filters
/// (reviewers of one agency share them; paging or reloading does not count again), the
/// working-day calendar the rows' days left are reckoned on, and which programs an agency's
/// staff work on.
pub struct QueueCaches {
    pub totals: Cached<String, i64>,
    pub calendar: Cached<(), Arc<shared::calendar::WorkCalendar>>,
    /// The programs a set of agencies leads, or countersigns, by a key naming which.
    pub programs: Cached<String, Arc<Vec<i64>>>,
}

/// How long a queue count or the calendar may miss a change made through another server
/// process (this one's writes move the generation on at once).
pub const QUEUE_TTL: Duration = Duration::from_secs(15);

impl QueueCaches {
    pub fn new(generation: Arc<Generation>) -> QueueCaches {
        QueueCaches {
            totals: Cached::new(generation.clone(), 10_000, QUEUE_TTL),
            calendar: Cached::new(generation.clone(), 1, QUEUE_TTL),
            programs: Cached::new(generation, 1_000, QUEUE_TTL),
        }
    }
}

/// What the public pages cost most to make, kept for a short while: a notice's PDF by notice
/// and day (it says whether the window is open), and the targets dashboard's figures by day (a
/// sum over every award and report). Anyone may ask for them as often as they like.
pub struct PublicCaches {
    pub notice_pdf: Cached<(i64, chrono::NaiveDate), bytes::Bytes>,
    pub targets: Cached<chrono::NaiveDate, Arc<shared::targets::Targets>>,
}

/// How long a public document or figure may miss a change made through another server process.
pub const PUBLIC_TTL: Duration = Duration::from_secs(15);

impl PublicCaches {
    pub fn new(generation: Arc<Generation>) -> PublicCaches {
        PublicCaches { notice_pdf: Cached::new(generation.clone(), 256, PUBLIC_TTL), targets: Cached::new(generation, 4, PUBLIC_TTL) }
    }
}

