//! Request and response bodies of the public API, shared by the REST handlers,
//! the Leptos server functions and the browser.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Fen;

/// Text kept in both portal languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

impl Bilingual {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Bilingual {
        Bilingual { zh: zh.into(), en: en.into() }
    }

    /// The text for a language tag (`en...` gives English, anything else Chinese).
    pub fn get(&self, lang: &str) -> &str {
        if lang.starts_with("en") {
            &self.en
        } else {
            &self.zh
        }
    }
}

/// An industry base (产业基地) as the public sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BaseSummary {
    pub id: i64,
    /// Stable short code, e.g. `jinqiao`.
    pub code: String,
    pub name: Bilingual,
    pub city: Bilingual,
    pub district: Bilingual,
    /// Six-digit administrative division code of the district.
    pub division_code: String,
    pub description: Bilingual,
    /// Enterprises currently admitted as tenants.
    pub tenant_count: i64,
}

/// Where a program's call window stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CallStatus {
    Upcoming,
    Open,
    Closed,
}

impl CallStatus {
    pub fn at(now: DateTime<Utc>, opens: DateTime<Utc>, closes: DateTime<Utc>) -> CallStatus {
        if now < opens {
            CallStatus::Upcoming
        } else if now < closes {
            CallStatus::Open
        } else {
            CallStatus::Closed
        }
    }
}

/// A subsidy program (专项) as the public sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramSummary {
    pub id: i64,
    pub code: String,
    pub title: Bilingual,
    pub summary: Bilingual,
    pub lead_agency: Bilingual,
    pub call_opens_at: DateTime<Utc>,
    pub call_closes_at: DateTime<Utc>,
    pub call_status: CallStatus,
    pub budget_total: Fen,
    pub budget_left: Fen,
}

/// One page of a list, with the total count for pagination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// What the home page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeData {
    pub bases: Vec<BaseSummary>,
    pub programs: Vec<ProgramSummary>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn call_status_follows_the_window() {
        let opens = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).single().expect("date");
        let closes = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).single().expect("date");
        let before = Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).single().expect("date");
        assert_eq!(CallStatus::at(before, opens, closes), CallStatus::Upcoming);
        assert_eq!(CallStatus::at(opens, opens, closes), CallStatus::Open);
        assert_eq!(CallStatus::at(closes, opens, closes), CallStatus::Closed);
    }

    #[test]
    fn bilingual_picks_by_language_tag() {
        let b = Bilingual::new("金桥", "Jinqiao");
        assert_eq!(b.get("en-US"), "Jinqiao");
        assert_eq!(b.get("zh-CN"), "金桥");
    }
}
