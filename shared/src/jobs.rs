//! Scheduled jobs as the admin's job list and a base's scheduled reminders show them.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// The states a job can be in, in the order the admin's filter offers them.
pub const JOB_STATUSES: &[&str] = &["pending", "running", "failed", "done"];

/// One scheduled job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobView {
    pub id: i64,
    /// What it does, e.g. `report_reminders`.
    pub kind: String,
    /// `pending`, `running`, `done` or `failed`.
    pub status: String,
    /// When it is due.
    pub run_at: DateTime<Utc>,
    pub attempts: i32,
    pub max_attempts: i32,
    /// Why the last attempt failed, if it did.
    pub last_error: Option<String>,
    /// What it works on (for report reminders: `base_id`, `period`, `scheduled_by`).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub payload: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// `POST /api/v1/bases/{id}/reports/reminders/scheduled`: remind the tenants that have not
/// filed `period` at `run_at`, Beijing time (`YYYY-MM-DDTHH:MM`, as a datetime field sends it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduleReminders {
    #[cfg_attr(feature = "openapi", schema(example = "2026-Q4"))]
    pub period: String,
    #[cfg_attr(feature = "openapi", schema(example = "2027-01-10T09:00"))]
    pub run_at: String,
}

/// Beijing local time `YYYY-MM-DDTHH:MM` (seconds allowed) as UTC.
pub fn parse_beijing(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
        .map(|local| local - chrono::Duration::hours(8))
}

#[cfg(test)]
mod tests {
    #[test]
    fn beijing_time_is_eight_hours_ahead() {
        let utc = super::parse_beijing("2027-01-10T09:00").unwrap();
        assert_eq!(utc.to_string(), "2027-01-10 01:00:00");
        assert!(super::parse_beijing("10 January").is_none());
    }
}
