//! Subsidy applications as the registry shows them. The review workflow's states follow
//! DOMAIN.md ("The review workflow"); the integers are what `applications.state` stores.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Fen;

/// Where an application stands in the review workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApplicationState {
    Draft,
    /// Submitted; with the recommending unit (park or district).
    RecommendingReview,
    FormalReview,
    ExpertReview,
    AgencyDecision,
    PublicNotice,
    Approved,
    Disbursement,
    Closed,
    Withdrawn,
    Rejected,
    Revoked,
    ReturnedForSupplement,
}

impl ApplicationState {
    pub const ALL: [ApplicationState; 13] = [
        ApplicationState::Draft,
        ApplicationState::RecommendingReview,
        ApplicationState::FormalReview,
        ApplicationState::ExpertReview,
        ApplicationState::AgencyDecision,
        ApplicationState::PublicNotice,
        ApplicationState::Approved,
        ApplicationState::Disbursement,
        ApplicationState::Closed,
        ApplicationState::Withdrawn,
        ApplicationState::Rejected,
        ApplicationState::Revoked,
        ApplicationState::ReturnedForSupplement,
    ];

    /// The integer stored in `applications.state`. Each state's number is written out and
    /// never changes: a new state takes a new number, wherever it sits in the workflow.
    pub const fn code(self) -> i32 {
        match self {
            ApplicationState::Draft => 0,
            ApplicationState::RecommendingReview => 1,
            ApplicationState::FormalReview => 2,
            ApplicationState::ExpertReview => 3,
            ApplicationState::AgencyDecision => 4,
            ApplicationState::PublicNotice => 5,
            ApplicationState::Approved => 6,
            ApplicationState::Disbursement => 7,
            ApplicationState::Closed => 8,
            ApplicationState::Withdrawn => 9,
            ApplicationState::Rejected => 10,
            ApplicationState::Revoked => 11,
            ApplicationState::ReturnedForSupplement => 12,
        }
    }

    pub fn from_code(code: i32) -> Option<ApplicationState> {
        ApplicationState::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// An application a base recommended (推荐), as its park manager sees it on the tenant page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecommendedApplication {
    pub id: i64,
    pub program_code: String,
    pub program_title_zh: String,
    pub program_title_en: String,
    pub title: String,
    pub state: ApplicationState,
    pub amount_requested: Fen,
    pub amount_approved: Option<Fen>,
    pub recommended_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_codes_round_trip_and_are_stable() {
        for s in ApplicationState::ALL {
            assert_eq!(ApplicationState::from_code(s.code()), Some(s));
        }
        assert_eq!(ApplicationState::Draft.code(), 0);
        assert_eq!(ApplicationState::Approved.code(), 6);
        assert_eq!(ApplicationState::ReturnedForSupplement.code(), 12);
        let mut codes: Vec<i32> = ApplicationState::ALL.iter().map(|s| s.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ApplicationState::ALL.len(), "no two states share a number");
        assert_eq!(ApplicationState::from_code(13), None);
        assert_eq!(ApplicationState::from_code(-1), None);
    }
}
