//! Periodic reports tenants file: the reporting period, the report body and its checks.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::validation::{self as v, Issue};

use crate::Fen;

/// How often companies report (a portal setting; quarterly by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cadence {
    Quarterly,
    Yearly,
}

/// A reporting period: `2026-Q3` or `2026`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: i32,
    /// 1-4, or `None` for a whole year.
    pub quarter: Option<u8>,
}

impl Period {
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        if let Some((y, q)) = s.split_once("-Q") {
            let year = y.parse().ok().filter(|y| (2000..=2100).contains(y))?;
            let quarter = q.parse::<u8>().ok().filter(|q| (1..=4).contains(q))?;
            return Some(Period { year, quarter: Some(quarter) });
        }
        let year = s.parse().ok().filter(|y| (2000..=2100).contains(y))?;
        Some(Period { year, quarter: None })
    }

    pub fn cadence(self) -> Cadence {
        if self.quarter.is_some() {
            Cadence::Quarterly
        } else {
            Cadence::Yearly
        }
    }

    /// The last day of the period.
    pub fn last_day(self) -> NaiveDate {
        let (y, m) = match self.quarter {
            Some(q) => (self.year, u32::from(q) * 3),
            None => (self.year, 12),
        };
        let first_of_next = if m == 12 {
            NaiveDate::from_ymd_opt(y + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(y, m + 1, 1)
        };
        first_of_next.and_then(|d| d.pred_opt()).unwrap_or_default()
    }

    /// The latest period that has ended by `today`: the one reports are due for.
    pub fn due(today: NaiveDate, cadence: Cadence) -> Period {
        match cadence {
            Cadence::Yearly => Period { year: today.year() - 1, quarter: None },
            Cadence::Quarterly => {
                let q = ((today.month() - 1) / 3) as u8; // the current quarter minus one
                if q == 0 {
                    Period { year: today.year() - 1, quarter: Some(4) }
                } else {
                    Period { year: today.year(), quarter: Some(q) }
                }
            }
        }
    }

    /// The period before this one.
    pub fn previous(self) -> Period {
        match self.quarter {
            Some(1) => Period { year: self.year - 1, quarter: Some(4) },
            Some(q) => Period { year: self.year, quarter: Some(q - 1) },
            None => Period { year: self.year - 1, quarter: None },
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.quarter {
            Some(q) => write!(f, "{}-Q{q}", self.year),
            None => write!(f, "{}", self.year),
        }
    }
}

/// Revenue in one chain segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentRevenue {
    #[validate(custom(function = "v::text::<100>"))]
    pub segment: String,
    #[validate(custom(function = "v::money"))]
    pub revenue: Fen,
}

/// `PUT /api/v1/enterprises/{id}/reports/{period}`: a report for one period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportInput {
    /// Revenue per chain segment; the amounts must add up to `revenue_total`.
    #[validate(nested)]
    pub revenue_by_segment: Vec<SegmentRevenue>,
    #[validate(custom(function = "v::money"))]
    pub revenue_total: Fen,
    #[validate(custom(function = "v::money"))]
    pub rd_spend: Fen,
    #[validate(custom(function = "v::count32::<0, 10_000_000>"))]
    pub employees: i32,
    /// UHD content produced in the period, minutes of 4K and of 8K.
    #[validate(custom(function = "v::count::<0, 1_000_000_000>"))]
    pub content_4k_minutes: i64,
    #[validate(custom(function = "v::count::<0, 1_000_000_000>"))]
    pub content_8k_minutes: i64,
    #[validate(custom(function = "v::count32::<0, 1_000_000>"))]
    pub patents_granted: i32,
}

impl ReportInput {
    /// The derived checks, then: no segment twice, and the segments add up to the total.
    pub fn issues(&self) -> Vec<Issue> {
        let mut out = v::issues(self);
        let mut seen: Vec<&str> = Vec::new();
        for (i, r) in self.revenue_by_segment.iter().enumerate() {
            let segment = r.segment.trim();
            if !segment.is_empty() && seen.contains(&segment) {
                out.push((format!("revenue_by_segment.{i}.segment"), "duplicate"));
            }
            seen.push(segment);
        }
        let sum = self.revenue_by_segment.iter().fold(0i64, |sum, r| sum.saturating_add(r.revenue.0));
        if self.revenue_total.0 >= 0 && !self.revenue_by_segment.is_empty() && sum != self.revenue_total.0 {
            out.push(("revenue_total".into(), "total_mismatch"));
        }
        out
    }
}

/// A filed report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportView {
    pub enterprise_id: i64,
    pub period: String,
    #[serde(flatten)]
    pub input: ReportInput,
    pub submitted_at: chrono::DateTime<chrono::Utc>,
}

/// Whether a tenant has filed for a period (the park manager's list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FilingStatus {
    pub enterprise_id: i64,
    pub name_zh: String,
    pub filed: bool,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_reminded_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn periods_parse_print_and_end() {
        let p = Period::parse("2026-Q3").unwrap_or(Period { year: 0, quarter: None });
        assert_eq!(p.to_string(), "2026-Q3");
        assert_eq!(p.last_day(), d(2026, 9, 30));
        assert_eq!(Period::parse("2026").map(|p| p.last_day()), Some(d(2026, 12, 31)));
        assert_eq!(Period::parse("2026-Q5"), None);
        assert_eq!(Period::parse("Q3"), None);
        assert_eq!(Period::parse("2026-Q1").map(|p| p.previous().to_string()), Some("2025-Q4".into()));
    }

    #[test]
    fn the_due_period_is_the_last_one_ended() {
        assert_eq!(Period::due(d(2026, 11, 21), Cadence::Quarterly).to_string(), "2026-Q3");
        assert_eq!(Period::due(d(2026, 2, 1), Cadence::Quarterly).to_string(), "2025-Q4");
        assert_eq!(Period::due(d(2026, 11, 21), Cadence::Yearly).to_string(), "2025");
    }

    #[test]
    fn segment_revenue_must_add_up() {
        let mut r = ReportInput {
            revenue_by_segment: vec![
                SegmentRevenue { segment: "core-chips".into(), revenue: Fen(100) },
                SegmentRevenue { segment: "terminals".into(), revenue: Fen(50) },
            ],
            revenue_total: Fen(150),
            ..ReportInput::default()
        };
        assert_eq!(r.issues(), vec![]);
        r.revenue_total = Fen(151);
        assert_eq!(r.issues(), vec![("revenue_total".to_string(), "total_mismatch")]);
        r.revenue_total = Fen(150);
        r.employees = -1;
        r.revenue_by_segment[1].segment = "core-chips".into();
        let mut fields: Vec<String> = r.issues().into_iter().map(|(f, _)| f).collect();
        fields.sort();
        assert_eq!(fields, ["employees", "revenue_by_segment.1.segment"]);
    }
}

/// What a report reminder run did (or, before it runs, would do).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reminded {
    /// Companies reminded (their administrators get an email).
    pub companies: usize,
    /// Emails queued (one per administrator of each company reminded).
    #[serde(default)]
    pub emails: usize,
    /// Companies not reminded again: they were reminded for this period within the last
    /// `PORTAL_REMINDER_INTERVAL_HOURS` (72).
    #[serde(default)]
    pub skipped_recent: Vec<String>,
    /// Companies that could not be reminded: nobody has an account for them (an imported
    /// tenant that has not registered).
    #[serde(default)]
    pub without_account: Vec<String>,
}
