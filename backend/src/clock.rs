//! The portal's one clock. Services that schedule or compare against deadlines read "now" from
//! the clock the application state holds, so a test can move time forward to reach a deadline
//! without sleeping. It is the system clock plus an offset that is zero outside tests; moving
//! it never goes back.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// Milliseconds added to the system clock.
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.offset_ms.load(Ordering::SeqCst))
    }

    /// Now as stored (UTC, microseconds: what the databases keep).
    pub fn now_naive(&self) -> NaiveDateTime {
        chrono::SubsecRound::trunc_subsecs(self.now().naive_utc(), 6)
    }

    /// Today in Beijing (UTC+8, no daylight saving): the date people in the portal live in.
    pub fn today(&self) -> chrono::NaiveDate {
        beijing_date(self.now_naive())
    }

    /// Set this clock (and every clone of it) to read `at` now, earlier or later (tests that
    /// live on a given day, such as the days around a holiday; call it before anything runs).
    /// From then on it only moves forward.
    pub fn start_at(&self, at: DateTime<Utc>) {
        self.offset_ms.store((at - Utc::now()).num_milliseconds(), Ordering::SeqCst);
    }

    /// Move this clock (and every clone of it) forward by `by` (tests).
    pub fn advance(&self, by: Duration) {
        self.offset_ms.fetch_add(by.num_milliseconds().max(0), Ordering::SeqCst);
    }
}

/// The Beijing date of a stored (UTC) time.
pub fn beijing_date(utc: NaiveDateTime) -> chrono::NaiveDate {
    (utc + Duration::hours(8)).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_move_together_and_only_forward() {
        let clock = Clock::system();
        let other = clock.clone();
        let before = other.now();
        clock.advance(Duration::days(3));
        assert!(other.now() - before >= Duration::days(3));
        clock.advance(Duration::days(-10));
        assert!(other.now() - before >= Duration::days(3));
    }
}
