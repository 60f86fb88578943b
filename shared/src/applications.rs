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

    /// The state's name as the API spells it (`formal_review`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ApplicationState::Draft => "draft",
            ApplicationState::RecommendingReview => "recommending_review",
            ApplicationState::FormalReview => "formal_review",
            ApplicationState::ExpertReview => "expert_review",
            ApplicationState::AgencyDecision => "agency_decision",
            ApplicationState::PublicNotice => "public_notice",
            ApplicationState::Approved => "approved",
            ApplicationState::Disbursement => "disbursement",
            ApplicationState::Closed => "closed",
            ApplicationState::Withdrawn => "withdrawn",
            ApplicationState::Rejected => "rejected",
            ApplicationState::Revoked => "revoked",
            ApplicationState::ReturnedForSupplement => "returned_for_supplement",
        }
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

impl ApplicationState {
    /// Whether the applicant may still withdraw: not decided yet.
    pub fn withdrawable(self) -> bool {
        matches!(
            self,
            ApplicationState::Draft
                | ApplicationState::RecommendingReview
                | ApplicationState::FormalReview
                | ApplicationState::ExpertReview
                | ApplicationState::AgencyDecision
                | ApplicationState::ReturnedForSupplement
        )
    }

    /// Whether the application counts against "one per company per call" and its
    /// duplicate-funding keys are in force: submitted, and not withdrawn or rejected.
    pub fn live(self) -> bool {
        !matches!(self, ApplicationState::Draft | ApplicationState::Withdrawn | ApplicationState::Rejected)
    }
}

/// An application as its company sees it (`GET /api/v1/applications/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationView {
    pub id: i64,
    pub program_code: String,
    pub program_title: crate::dto::Bilingual,
    /// The program version the application is filed under.
    pub program_version: i32,
    pub program_kind: crate::programs::ProgramKind,
    pub enterprise_id: i64,
    pub state: ApplicationState,
    /// Printed on the application form; anyone checks a form at `/verify/<code>`.
    pub verification_code: String,
    /// What the program's amount rule gives for the project, in fen; `null` while an input is
    /// missing.
    pub computed_amount_fen: Option<i64>,
    pub amount_working: Option<crate::filing::AmountWorking>,
    pub project: crate::filing::Project,
    pub materials: Vec<MaterialView>,
    /// What still stops a submission: field path (`project.model`, `materials.test-report`) and
    /// error code.
    pub problems: Vec<Problem>,
    pub call_opens_at: DateTime<Utc>,
    pub call_closes_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdraw_reason: Option<String>,
    /// The declarations the submitter made (codes of [`DECLARATIONS`]); empty for a draft.
    #[serde(default)]
    pub declarations: Vec<String>,
    /// The organisations (credit codes) the applicant asked to keep off its expert panel.
    #[serde(default)]
    pub excluded_orgs: Vec<String>,
}

/// One problem of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    pub field: String,
    pub code: String,
}

/// One material of the checklist, with the file uploaded for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MaterialView {
    pub code: String,
    pub name: crate::dto::Bilingual,
    pub required: bool,
    pub types: Vec<String>,
    pub max_bytes: u64,
    pub file: Option<UploadedFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadedFile {
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
}

/// An application in the company's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationSummary {
    pub id: i64,
    pub program_code: String,
    pub program_title: crate::dto::Bilingual,
    pub enterprise_id: i64,
    pub state: ApplicationState,
    pub title: String,
    pub computed_amount_fen: Option<i64>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// One step of an application's history as its applicant sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    /// `created`, `submitted`, `withdrawn`, ...
    pub kind: String,
    pub from_state: Option<ApplicationState>,
    pub to_state: Option<ApplicationState>,
    /// What the applicant wrote (a withdrawal's reason) or was told; for staff, also an
    /// internal opinion.
    pub note: Option<String>,
    /// Staff only: whether only staff see this step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal: Option<bool>,
    /// Staff only: the part the actor played (`recommending_unit`, `reviewer`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_role: Option<String>,
    /// Staff only: who acted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_name: Option<String>,
}

/// `POST /api/v1/applications`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateApplication {
    pub program_code: String,
    /// Needed only by someone who acts for more than one company.
    #[serde(default)]
    pub enterprise_id: Option<i64>,
}

/// `PUT /api/v1/applications/{id}`: the draft's project fields (see the program kind).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SaveDraft {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub project: serde_json::Value,
    /// Credit codes of up to three organisations (competitors) whose people the applicant asks
    /// to keep off its expert panel; left out, they stay as they are.
    #[serde(default)]
    pub excluded_orgs: Option<Vec<String>>,
}

/// At most this many organisations an applicant may ask to keep off its expert panel.
pub const MAX_EXCLUDED_ORGS: usize = 3;

/// What the submitter declares on the company's behalf, each by its code: the information and
/// materials are true, accurate and complete (and the company accepts credit sanctions if
/// not); the same project has no other public funding and is not filed twice; the company,
/// project and amount may be published during the public notice. All are needed to submit.
pub const DECLARATIONS: [&str; 3] = ["truthful", "no_double_funding", "public_notice"];

/// `POST /api/v1/applications/{id}/submit`: the declarations made (every code of
/// [`DECLARATIONS`]; one missing is 422 `required` on `declarations.<code>`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmitApplication {
    #[serde(default)]
    pub declarations: Vec<String>,
}

impl SubmitApplication {
    /// Every declaration made.
    pub fn declaring_all() -> SubmitApplication {
        SubmitApplication { declarations: DECLARATIONS.iter().map(|d| d.to_string()).collect() }
    }

    /// The declarations not made, as `declarations.<code>` fields.
    pub fn missing(&self) -> Vec<String> {
        DECLARATIONS.iter().filter(|d| !self.declarations.iter().any(|x| x == *d)).map(|d| format!("declarations.{d}")).collect()
    }
}

/// `POST /api/v1/applications/{id}/withdraw`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WithdrawApplication {
    pub reason: String,
}

/// What a verification code shows anyone holding the printed form (`GET /api/v1/verify/{code}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Verification {
    pub verification_code: String,
    pub company_name: String,
    pub program_code: String,
    pub program_title: crate::dto::Bilingual,
    pub state: ApplicationState,
    pub submitted_at: Option<DateTime<Utc>>,
    pub computed_amount_fen: Option<i64>,
    /// Once approved after its public notice: the amount awarded, and the day.
    #[serde(default)]
    pub approved_amount_fen: Option<i64>,
    #[serde(default)]
    pub approved_on: Option<chrono::NaiveDate>,
    /// Every document issued for the application (the application form, the approval
    /// notice), newest first.
    pub forms: Vec<IssuedForm>,
}

/// One application form the portal issued, by its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedForm {
    /// `application_form` (申报书) or `approval_notice` (立项通知).
    #[serde(default = "application_form")]
    pub kind: String,
    pub sha256: String,
    pub issued_at: DateTime<Utc>,
}

fn application_form() -> String {
    "application_form".into()
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
        for s in ApplicationState::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::Value::String(s.as_str().into()));
        }
    }
}
