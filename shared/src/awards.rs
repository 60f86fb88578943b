//! Public notice (公示), objections and approved awards (DOMAIN.md, steps 6 and 7): what the
//! API takes and answers. The rules of the steps are `crate::review::next`; the checks of an
//! objection's own fields are here, so a page can show the server's own messages.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::dto::Bilingual;

/// Longest objector name, organisation and contact fields, in characters.
pub const MAX_NAME: usize = 100;
/// Longest statement of facts, and longest findings, in characters.
pub const MAX_FACTS: usize = 5000;
/// Most evidence files to one objection.
pub const MAX_EVIDENCE: usize = 5;
/// Largest evidence file.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;
/// Most awards in one notice.
pub const MAX_NOTICE_ITEMS: usize = 500;

/// `POST /api/v1/programs/{code}/notices`: the applications proposed for award, each a fully
/// signed approval of the program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishNoticeRequest {
    pub application_ids: Vec<i64>,
}

/// Where an award listed on a notice stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AwardStatus {
    /// On notice: objections may be filed while the window is open.
    InNotice,
    /// Approved after the notice.
    Approved,
    /// An objection was upheld (or the award otherwise ended): not awarded.
    Rejected,
}

/// One award a notice lists, as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeItem {
    pub application_id: i64,
    pub company_name: String,
    pub credit_code: String,
    pub project_title: String,
    /// The amount proposed for award, in fen.
    pub amount_fen: i64,
    pub status: AwardStatus,
}

/// A public notice (`GET /api/v1/notices/{id}`): public, with its closing day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeView {
    pub id: i64,
    pub program_code: String,
    pub program_title: Bilingual,
    /// The lead agency's name, which publishes it.
    pub agency_name: Bilingual,
    pub published_on: NaiveDate,
    /// The last day objections are accepted (Beijing time, inclusive).
    pub closes_on: NaiveDate,
    /// The window's length in working days.
    pub working_days: u32,
    /// Objections are accepted today.
    pub open: bool,
    pub total_fen: i64,
    pub items: Vec<NoticeItem>,
}

/// One line of the list of notices (`GET /api/v1/notices`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeSummary {
    pub id: i64,
    pub program_code: String,
    pub program_title: Bilingual,
    pub published_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub open: bool,
    pub awards: i64,
    pub total_fen: i64,
}

/// The text fields of an objection, as filed (`POST /api/v1/notices/{id}/objections`,
/// multipart, with `evidence` files). Anonymous objections are refused: a name, an email address
/// to be told the outcome, and an organisation or an ID number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObjectionForm {
    /// The award the objection concerns.
    pub application_id: Option<i64>,
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub phone: String,
    /// The organisation the objector files for (stamped), or
    #[serde(default)]
    pub organisation: String,
    /// the objector's resident ID number (signed as a person).
    #[serde(default)]
    pub id_number: String,
    pub facts: String,
}

impl ObjectionForm {
    /// Field problems as (field, code, message): everything but the evidence files and the
    /// award, which the server checks against the notice.
    pub fn problems(&self) -> Vec<(&'static str, &'static str, String)> {
        let mut out = Vec::new();
        let len = |s: &str| s.trim().chars().count();
        if self.application_id.is_none() {
            out.push(("application_id", "required", "Choose the award the objection concerns.".to_string()));
        }
        if len(&self.name) == 0 {
            out.push(("name", "required", "Give your name: anonymous objections are not accepted.".to_string()));
        } else if len(&self.name) > MAX_NAME {
            out.push(("name", "too_long", format!("At most {MAX_NAME} characters.")));
        }
        if len(&self.email) == 0 {
            out.push(("email", "required", "Give an email address to be told the outcome.".to_string()));
        } else if crate::validation::email(self.email.trim()).is_err() {
            out.push(("email", "invalid_email", "Not an email address.".to_string()));
        }
        if len(&self.phone) > 0 && crate::validation::phone(self.phone.trim()).is_err() {
            out.push(("phone", "invalid_phone", "Not a telephone number.".to_string()));
        }
        if len(&self.organisation) == 0 && len(&self.id_number) == 0 {
            out.push(("organisation", "required", "Give your organisation, or your ID number below.".to_string()));
        }
        if len(&self.organisation) > MAX_NAME {
            out.push(("organisation", "too_long", format!("At most {MAX_NAME} characters.")));
        }
        if len(&self.id_number) > 0 && !is_id_number(self.id_number.trim()) {
            out.push(("id_number", "invalid", "A resident ID number has 18 characters: 17 digits, then a digit or X.".to_string()));
        }
        if len(&self.facts) == 0 {
            out.push(("facts", "required", "State the facts of the objection.".to_string()));
        } else if len(&self.facts) > MAX_FACTS {
            out.push(("facts", "too_long", format!("At most {MAX_FACTS} characters.")));
        }
        out
    }
}

/// A PRC resident ID number (GB 11643): 17 digits and a check character (ISO 7064 MOD 11-2).
pub fn is_id_number(text: &str) -> bool {
    let chars: Vec<char> = text.chars().map(|c| c.to_ascii_uppercase()).collect();
    if chars.len() != 18 || !chars[..17].iter().all(char::is_ascii_digit) {
        return false;
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = chars[..17].iter().zip(WEIGHTS).map(|(c, w)| c.to_digit(10).unwrap_or(0) * w).sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    chars[17] == check
}

/// A program's fully signed approvals not on notice yet: what its agency lead may publish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwaitingNotice {
    pub program_code: String,
    pub program_title: Bilingual,
    /// The window the program's notices open for, in working days.
    pub notice_working_days: u32,
    pub items: Vec<AwaitingItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwaitingItem {
    pub application_id: i64,
    pub company_name: String,
    pub project_title: String,
    pub amount_fen: i64,
}

/// What the objector is given back: no identity is echoed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObjectionReceipt {
    pub id: i64,
    pub notice_id: i64,
    pub application_id: i64,
    pub filed_at: DateTime<Utc>,
    /// The day the agency is to have investigated it by.
    pub due_on: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ObjectionStatus {
    Open,
    Upheld,
    Dismissed,
}

impl ObjectionStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            ObjectionStatus::Open => "open",
            ObjectionStatus::Upheld => "upheld",
            ObjectionStatus::Dismissed => "dismissed",
        }
    }

    pub fn parse(text: &str) -> Option<ObjectionStatus> {
        [ObjectionStatus::Open, ObjectionStatus::Upheld, ObjectionStatus::Dismissed].into_iter().find(|s| s.as_str() == text)
    }
}

/// One evidence file of an objection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceFile {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

/// Who filed an objection: the lead agency's staff only ever see this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Objector {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub organisation: Option<String>,
    pub id_number: Option<String>,
}

/// An objection as the lead agency reads it (`GET /api/v1/notices/{id}/objections`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObjectionView {
    pub id: i64,
    pub notice_id: i64,
    pub application_id: i64,
    pub company_name: String,
    pub project_title: String,
    pub objector: Objector,
    pub facts: String,
    pub evidence: Vec<EvidenceFile>,
    pub status: ObjectionStatus,
    pub filed_at: DateTime<Utc>,
    pub due_on: NaiveDate,
    pub decided_at: Option<DateTime<Utc>>,
    pub findings: Option<String>,
}

/// `POST /api/v1/objections/{id}/decision`: the investigation's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObjectionDecision {
    /// Upheld rejects the award and releases its reserved budget; not upheld dismisses the
    /// objection.
    pub upheld: bool,
    /// What the investigation found; told to the objector.
    pub findings: String,
}

/// `POST /api/v1/applications/{id}/disbursements`: one payment of an approved award, as the
/// finance agency made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisbursementRequest {
    pub amount_fen: i64,
    pub paid_on: NaiveDate,
    /// The payment voucher's number (记账凭证号); each is recorded once.
    pub voucher_number: String,
}

/// `POST /api/v1/applications/{id}/acceptance`: the lead agency's acceptance (验收).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptanceRequest {
    pub accepted_on: NaiveDate,
    /// The acceptance report's conclusions.
    pub report: String,
}

/// `POST /api/v1/applications/{id}/recoveries`: money recovered after a revocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryRequest {
    pub amount_fen: i64,
    pub recovered_on: NaiveDate,
    pub voucher_number: String,
}

/// One disbursement of an award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisbursementView {
    pub amount_fen: i64,
    pub paid_on: NaiveDate,
    pub voucher_number: String,
}

/// One tranche of the plan: its share, its amount, and whether it waits for the acceptance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrancheView {
    pub percent: u32,
    pub amount_fen: i64,
    pub after_acceptance: bool,
}

/// An award's money and milestones (`GET /api/v1/applications/{id}/award`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwardView {
    pub application_id: i64,
    pub amount_fen: i64,
    pub approved_on: NaiveDate,
    pub tranches: Vec<TrancheView>,
    pub paid_fen: i64,
    /// What may be paid now: the rest before the balance, or the rest once accepted.
    pub payable_fen: i64,
    pub disbursements: Vec<DisbursementView>,
    pub acceptance_due_on: Option<NaiveDate>,
    pub acceptance_overdue: bool,
    pub accepted_on: Option<NaiveDate>,
    pub acceptance_report: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub revoked_on: Option<NaiveDate>,
    pub revoke_reason: Option<String>,
    pub recover_fen: i64,
    pub recovered_fen: i64,
    /// After a revocation: the last day of the ban from applying.
    pub banned_until: Option<NaiveDate>,
    /// After closing: the day the performance self-evaluation is due, when it was filed, and
    /// what it says.
    pub evaluation_due_on: Option<NaiveDate>,
    pub evaluation_filed_at: Option<DateTime<Utc>>,
    pub evaluation: Option<String>,
    /// The files kept with the award: the acceptance report, and the evidence of a revocation
    /// (shown to the agencies' staff only, never to the company).
    #[serde(default)]
    pub files: Vec<AwardFileView>,
}

/// What an award file is kept as.
pub const AWARD_FILE_KINDS: [&str; 2] = ["acceptance_report", "revocation_evidence"];

/// How many files of one kind an award keeps, and how many one upload carries.
pub const MAX_AWARD_FILES: usize = 10;
pub const MAX_FILES_PER_UPLOAD: usize = 5;

/// A file kept with an award (`POST /api/v1/applications/{id}/award-files`), downloaded at
/// `GET /api/v1/applications/{id}/award-files/{file_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwardFileView {
    pub id: i64,
    /// `acceptance_report` or `revocation_evidence`.
    pub kind: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_at: DateTime<Utc>,
}

/// `PUT /api/v1/applications/{id}/self-evaluation`: the company's performance self-evaluation
/// (绩效自评) of a closed award: what the project achieved against its goals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SelfEvaluation {
    pub evaluation: String,
}

/// The tranche plan of an award of `amount_fen` by `percents`: each tranche's amount (the last
/// takes what rounding leaves), the last waiting for the acceptance when there are several.
pub fn tranche_plan(amount_fen: i64, percents: &[u32]) -> Vec<TrancheView> {
    let mut out = Vec::new();
    let mut given = 0i64;
    for (i, p) in percents.iter().enumerate() {
        let last = i + 1 == percents.len();
        let amount = if last { amount_fen - given } else { amount_fen * i64::from(*p) / 100 };
        given += amount;
        out.push(TrancheView { percent: *p, amount_fen: amount, after_acceptance: last && percents.len() > 1 });
    }
    out
}

/// What may be paid of an award now: the amount less what is paid, and before the acceptance
/// less the balance that waits for it too.
pub fn payable(amount_fen: i64, paid_fen: i64, percents: &[u32], accepted: bool) -> i64 {
    let waiting: i64 = if accepted { 0 } else { tranche_plan(amount_fen, percents).iter().filter(|t| t.after_acceptance).map(|t| t.amount_fen).sum() };
    (amount_fen - waiting - paid_fen).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_balance_waits_for_the_acceptance() {
        let plan = tranche_plan(100_001, &[60, 40]);
        assert_eq!(plan.iter().map(|t| t.amount_fen).collect::<Vec<_>>(), vec![60_000, 40_001]);
        assert!(plan[1].after_acceptance && !plan[0].after_acceptance);
        assert_eq!(payable(100_001, 0, &[60, 40], false), 60_000);
        assert_eq!(payable(100_001, 60_000, &[60, 40], false), 0);
        assert_eq!(payable(100_001, 60_000, &[60, 40], true), 40_001);
        assert_eq!(payable(100_000, 0, &[100], false), 100_000, "one tranche is paid after approval");
    }

    #[test]
    fn id_numbers_carry_their_check_character() {
        assert!(is_id_number("11010519491231002X"));
        assert!(is_id_number("11010519491231002x"));
        assert!(!is_id_number("110105194912310021"));
        assert!(!is_id_number("1101051949123100"));
    }

    #[test]
    fn an_anonymous_objection_is_refused_field_by_field() {
        let codes: Vec<(&str, &str)> = ObjectionForm { application_id: Some(1), facts: "x".into(), ..ObjectionForm::default() }
            .problems()
            .into_iter()
            .map(|(f, c, _)| (f, c))
            .collect();
        assert_eq!(codes, vec![("name", "required"), ("email", "required"), ("organisation", "required")]);
        let named = ObjectionForm {
            application_id: Some(1),
            name: "王敏".into(),
            email: "wm@example.com".into(),
            id_number: "11010519491231002X".into(),
            facts: "合同金额与发票不符。".into(),
            ..ObjectionForm::default()
        };
        assert!(named.problems().is_empty(), "{:?}", named.problems());
    }
}
