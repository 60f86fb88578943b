//! The action plans' targets and what the registry and the awards show against them
//! (`GET /api/v1/targets`, the public `/targets` page).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dto::Bilingual;

/// Shanghai's 2026 reserve of UHD content: over 10,000 hours of 4K and over 500 hours of 8K.
pub const SHANGHAI_4K_HOURS: i64 = 10_000;
pub const SHANGHAI_8K_HOURS: i64 = 500;
/// Guangzhou's: over 30,000 hours in all.
pub const GUANGZHOU_HOURS: i64 = 30_000;
/// Shanghai's industry scale by 2030, in fen a year: 600 billion yuan, of which hardware 150,
/// content 150 and applications 300 billion.
pub const SHANGHAI_SCALE_FEN: [(&str, i64); 3] = [("hardware", 15_000_000_000_000), ("content", 15_000_000_000_000), ("applications", 30_000_000_000_000)];

/// Which part of the chain a segment's revenue counts for.
pub fn segment_group(code: &str) -> &'static str {
    match code {
        "content-production" | "distribution-platforms" => "content",
        c if c == "industry-applications" || c.starts_with("app-") => "applications",
        _ => "hardware",
    }
}

/// UHD content hours of one city against its targets (minutes, as reported and approved).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContentFigures {
    /// `shanghai` or `guangzhou`.
    pub city_code: String,
    pub city: Bilingual,
    /// Minutes of content awards approved (not revoked), by format.
    pub approved_4k_minutes: i64,
    pub approved_8k_minutes: i64,
    /// Minutes the city's companies reported producing in their periodic reports.
    pub delivered_4k_minutes: i64,
    pub delivered_8k_minutes: i64,
    /// The targets in hours (none where the plan sets none).
    pub target_4k_hours: Option<i64>,
    pub target_8k_hours: Option<i64>,
    pub target_total_hours: Option<i64>,
}

/// Industry revenue reported by Shanghai's tenants in one part of the chain, against the 2030
/// scale target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevenueFigures {
    /// `hardware`, `content` or `applications`.
    pub group: String,
    pub revenue_fen: i64,
    pub target_fen: i64,
}

/// Subsidy committed (approved, not revoked) and paid (less what was recovered) for one
/// program, base or district.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubsidyFigures {
    pub code: String,
    pub name: Bilingual,
    pub awards: i64,
    pub committed_fen: i64,
    pub paid_fen: i64,
}

/// Everything the targets dashboard shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Targets {
    pub as_of: NaiveDate,
    pub content: Vec<ContentFigures>,
    /// The year whose periodic reports the revenue figures add up.
    pub revenue_year: Option<i32>,
    pub revenue: Vec<RevenueFigures>,
    pub by_program: Vec<SubsidyFigures>,
    pub by_base: Vec<SubsidyFigures>,
    pub by_district: Vec<SubsidyFigures>,
}
