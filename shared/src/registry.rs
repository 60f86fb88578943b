//! The enterprise registry: the company profile, tenancies in industry bases and the park
//! manager's tenant list. Request bodies validate themselves the same way in the browser and
//! on the server.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use validator::Validate;

use crate::validation::{self as v, Issue};
use crate::dto::Bilingual;
use crate::Fen;

/// Kinds of qualification a company may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QualificationKind {
    /// 高新技术企业
    HighTech,
    /// 专精特新"小巨人"企业
    LittleGiant,
    /// 专精特新中小企业
    Specialized,
    /// 科技型中小企业
    TechSme,
    Other,
}

impl QualificationKind {
    pub const ALL: [QualificationKind; 5] = [
        QualificationKind::HighTech,
        QualificationKind::LittleGiant,
        QualificationKind::Specialized,
        QualificationKind::TechSme,
        QualificationKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QualificationKind::HighTech => "high_tech",
            QualificationKind::LittleGiant => "little_giant",
            QualificationKind::Specialized => "specialized",
            QualificationKind::TechSme => "tech_sme",
            QualificationKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<QualificationKind> {
        QualificationKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Qualification {
    pub kind: QualificationKind,
    #[validate(custom(function = "v::text::<100>"))]
    pub certificate_no: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    #[validate(custom(function = "v::text::<100>"))]
    pub name: String,
    #[serde(default)]
    #[validate(custom(function = "v::optional_text::<100>"))]
    pub title: Option<String>,
    #[serde(default)]
    #[validate(custom(function = "v::optional_phone"))]
    pub phone: Option<String>,
    #[serde(default)]
    #[validate(custom(function = "v::optional_email"))]
    pub email: Option<String>,
}

/// `PUT /api/v1/enterprises/{id}/profile`: the whole editable profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileUpdate {
    #[validate(custom(function = "v::text::<200>"))]
    pub name_zh: String,
    #[serde(default)]
    #[validate(custom(function = "v::optional_text::<200>"))]
    pub name_en: Option<String>,
    #[validate(custom(function = "v::text::<100>"))]
    pub legal_representative: String,
    #[validate(custom(function = "v::text::<300>"))]
    pub address: String,
    /// Registered district, e.g. 浦东新区.
    #[validate(custom(function = "v::text::<50>"))]
    pub district: String,
    #[validate(custom(function = "v::money"))]
    pub registered_capital: Fen,
    pub founded_on: Option<NaiveDate>,
    #[validate(custom(function = "v::count32::<0, 10_000_000>"))]
    pub employees: i32,
    /// Chain segment codes (see `GET /api/v1/segments`), at least one.
    #[validate(custom(function = "v::not_empty"))]
    pub segments: Vec<String>,
    #[serde(default)]
    #[validate(nested)]
    pub qualifications: Vec<Qualification>,
    #[serde(default)]
    #[validate(nested)]
    pub contacts: Vec<Contact>,
}

impl ProfileUpdate {
    /// Field problems, the derived checks first; list fields are reported as
    /// `qualifications.0.certificate_no` etc. A founding date must not be after `today`.
    pub fn issues(&self, today: NaiveDate) -> Vec<Issue> {
        let mut out = v::issues(self);
        match self.founded_on {
            None => out.push(("founded_on".into(), "required")),
            Some(d) if d > today => out.push(("founded_on".into(), "in_future")),
            Some(_) => {}
        }
        for (i, q) in self.qualifications.iter().enumerate() {
            if let (Some(from), Some(until)) = (q.valid_from, q.valid_until) {
                if until < from {
                    out.push((format!("qualifications.{i}.valid_until"), "before_start"));
                }
            }
        }
        out
    }
}

/// A chain segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentRef {
    pub code: String,
    pub name: Bilingual,
}

/// `GET /api/v1/enterprises/{id}/profile`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    pub id: i64,
    pub credit_code: String,
    /// Administrative division from the credit code (positions 3-8).
    pub division_code: String,
    pub name_zh: String,
    pub name_en: Option<String>,
    pub legal_representative: Option<String>,
    pub address: Option<String>,
    pub district: Option<String>,
    pub registered_capital: Option<Fen>,
    pub founded_on: Option<NaiveDate>,
    pub employees: Option<i32>,
    pub segments: Vec<SegmentRef>,
    pub qualifications: Vec<Qualification>,
    pub contacts: Vec<Contact>,
    pub updated_at: DateTime<Utc>,
    /// `pending` (newly registered), `verified` (its business licence was checked against the
    /// credit code and name) or `refused`. Only a verified company may file applications.
    #[serde(default = "pending")]
    pub verification: String,
    /// Why the verification was refused.
    #[serde(default)]
    pub verification_reason: Option<String>,
    /// Bans from applying in force today (after an award was revoked for fraud).
    #[serde(default)]
    pub bans: Vec<BanView>,
}

/// A ban from applying: to one program (`program`) or to every one, through `ends_on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BanView {
    pub program: Option<Bilingual>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub reason: String,
}

fn pending() -> String {
    "pending".to_string()
}

/// One change of the profile: who, when, and each field's old and new value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileChange {
    pub changed_at: DateTime<Utc>,
    pub changed_by: Option<String>,
    pub fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// Where a tenancy stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TenancyStatus {
    Applied,
    Admitted,
    Suspended,
    MovedOut,
    Rejected,
}

impl TenancyStatus {
    pub const ALL: [TenancyStatus; 5] =
        [TenancyStatus::Applied, TenancyStatus::Admitted, TenancyStatus::Suspended, TenancyStatus::MovedOut, TenancyStatus::Rejected];

    /// The integer stored in `tenancies.status`.
    pub const fn code(self) -> i32 {
        match self {
            TenancyStatus::Applied => 0,
            TenancyStatus::Admitted => 1,
            TenancyStatus::Suspended => 2,
            TenancyStatus::MovedOut => 3,
            TenancyStatus::Rejected => 4,
        }
    }

    pub fn from_code(code: i32) -> Option<TenancyStatus> {
        TenancyStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TenancyStatus::Applied => "applied",
            TenancyStatus::Admitted => "admitted",
            TenancyStatus::Suspended => "suspended",
            TenancyStatus::MovedOut => "moved_out",
            TenancyStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<TenancyStatus> {
        TenancyStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Still holds (or asks for) a place in the base.
    pub fn is_open(self) -> bool {
        matches!(self, TenancyStatus::Applied | TenancyStatus::Admitted | TenancyStatus::Suspended)
    }
}

/// What a park manager does with a tenancy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TenancyAction {
    Admit,
    Reject,
    Suspend,
    Reinstate,
    MoveOut,
}

impl TenancyAction {
    /// The status the action needs and the status it leads to.
    pub fn transition(self) -> (&'static [TenancyStatus], TenancyStatus) {
        use TenancyStatus::*;
        match self {
            TenancyAction::Admit => (&[Applied], Admitted),
            TenancyAction::Reject => (&[Applied], Rejected),
            TenancyAction::Suspend => (&[Admitted], Suspended),
            TenancyAction::Reinstate => (&[Suspended], Admitted),
            TenancyAction::MoveOut => (&[Admitted, Suspended], MovedOut),
        }
    }

    /// Rejections, suspensions and move-outs need a reason the company can read.
    pub fn needs_reason(self) -> bool {
        matches!(self, TenancyAction::Reject | TenancyAction::Suspend | TenancyAction::MoveOut)
    }
}

/// `POST /api/v1/enterprises/{id}/tenancies`: apply to join a base.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenancyApplication {
    pub base_id: i64,
    /// The chain segment the company works in at the base.
    #[validate(custom(function = "v::text::<100>"))]
    pub segment: String,
    /// Planned floor space in square metres.
    #[validate(custom(function = "v::count32::<1, 1_000_000>"))]
    pub floor_space_m2: i32,
    /// Staff who will work on site.
    #[validate(custom(function = "v::count32::<0, 100_000>"))]
    pub staff_on_site: i32,
    /// A short plan (up to 2,000 characters).
    #[validate(custom(function = "v::text::<2000>"))]
    pub plan: String,
}

impl TenancyApplication {
    pub fn issues(&self) -> Vec<Issue> {
        v::issues(self)
    }
}

/// `POST /api/v1/tenancies/{id}/decision`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenancyDecision {
    pub action: TenancyAction,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenancyEvent {
    pub occurred_at: DateTime<Utc>,
    pub from_status: Option<TenancyStatus>,
    pub to_status: TenancyStatus,
    pub reason: Option<String>,
}

/// A tenancy with its history, as the company and the park manager see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenancyView {
    pub id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub base_id: i64,
    pub base_name: Bilingual,
    pub status: TenancyStatus,
    pub segment: Option<SegmentRef>,
    pub floor_space_m2: Option<i32>,
    pub staff_on_site: Option<i32>,
    pub plan: Option<String>,
    pub reason: Option<String>,
    pub applied_at: DateTime<Utc>,
    pub admitted_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub events: Vec<TenancyEvent>,
}

/// The tenant-list filter as the page holds it (each field as in the URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantFilter {
    pub base_id: i64,
    pub q: String,
    pub segment: String,
    pub qualification: String,
    pub status: String,
    pub report: String,
    pub sort: String,
    pub page: i64,
}

/// One row of a park manager's tenant list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantRow {
    pub tenancy_id: i64,
    pub enterprise_id: i64,
    pub name_zh: String,
    pub credit_code: String,
    pub status: TenancyStatus,
    pub segment: Option<String>,
    pub applied_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap_or_default()
    }

    fn complete() -> ProfileUpdate {
        ProfileUpdate {
            name_zh: "金桥超高清科技有限公司".into(),
            name_en: Some("Jinqiao UHD Technology Co., Ltd.".into()),
            legal_representative: "张伟".into(),
            address: "上海市浦东新区金桥路 1 号".into(),
            district: "浦东新区".into(),
            registered_capital: Fen::from_yuan(10_000_000),
            founded_on: NaiveDate::from_ymd_opt(2015, 3, 1),
            employees: 120,
            segments: vec!["capture-production".into()],
            qualifications: vec![Qualification {
                kind: QualificationKind::HighTech,
                certificate_no: "GR202331001234".into(),
                valid_from: NaiveDate::from_ymd_opt(2023, 12, 1),
                valid_until: NaiveDate::from_ymd_opt(2026, 11, 30),
            }],
            contacts: vec![Contact { name: "李娜".into(), phone: Some("13800138000".into()), ..Contact::default() }],
        }
    }

    #[test]
    fn a_complete_profile_passes() {
        assert_eq!(complete().issues(today()), vec![]);
    }

    #[test]
    fn problems_name_their_field_including_list_items() {
        let mut p = complete();
        p.founded_on = NaiveDate::from_ymd_opt(2030, 1, 1);
        p.segments.clear();
        p.qualifications[0].valid_until = NaiveDate::from_ymd_opt(2020, 1, 1);
        p.contacts[0].email = Some("nope".into());
        let mut fields: Vec<String> = p.issues(today()).into_iter().map(|(f, _)| f).collect();
        fields.sort();
        assert_eq!(fields, ["contacts.0.email", "founded_on", "qualifications.0.valid_until", "segments"]);
    }

    #[test]
    fn tenancy_actions_follow_the_status_rules() {
        assert_eq!(TenancyAction::Admit.transition(), (&[TenancyStatus::Applied][..], TenancyStatus::Admitted));
        assert!(TenancyAction::MoveOut.transition().0.contains(&TenancyStatus::Suspended));
        assert!(TenancyAction::Reject.needs_reason());
        assert!(!TenancyAction::Admit.needs_reason());
        for s in TenancyStatus::ALL {
            assert_eq!(TenancyStatus::from_code(s.code()), Some(s));
            assert_eq!(TenancyStatus::parse(s.as_str()), Some(s));
        }
    }
}

/// One bar: a label in both languages and a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tally {
    pub key: String,
    pub label: Bilingual,
    pub value: i64,
}

/// Totals of the filed reports of a base's admitted tenants for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodFigures {
    pub period: String,
    pub reports: i64,
    pub revenue: crate::Fen,
    pub employees: i64,
    pub content_4k_minutes: i64,
    pub content_8k_minutes: i64,
}

/// `GET /api/v1/bases/{id}/dashboard`: the park dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParkDashboard {
    pub base_id: i64,
    pub admitted: i64,
    pub by_segment: Vec<Tally>,
    pub by_qualification: Vec<Tally>,
    /// Oldest period first.
    pub periods: Vec<PeriodFigures>,
}

/// `POST /api/v1/bases`, `PUT /api/v1/bases/{id}`: a base as an admin edits it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BaseInput {
    /// Short stable code for URLs, e.g. `jinqiao` (lower-case letters, digits, hyphens).
    #[validate(custom(function = "base_code"))]
    pub code: String,
    #[validate(custom(function = "v::text::<100>"))]
    pub name_zh: String,
    #[validate(custom(function = "v::text::<200>"))]
    pub name_en: String,
    #[validate(custom(function = "v::text::<50>"))]
    pub city_zh: String,
    #[validate(custom(function = "v::text::<50>"))]
    pub city_en: String,
    #[validate(custom(function = "v::text::<50>"))]
    pub district_zh: String,
    #[validate(custom(function = "v::text::<50>"))]
    pub district_en: String,
    /// Six-digit administrative division code of the district, e.g. 310115.
    #[validate(custom(function = "division_code"))]
    pub division_code: String,
    #[validate(custom(function = "v::text::<2000>"))]
    pub description_zh: String,
    #[validate(custom(function = "v::text::<4000>"))]
    pub description_en: String,
}

impl BaseInput {
    pub fn issues(&self) -> Vec<Issue> {
        v::issues(self)
    }
}

/// A base's short code: 2 to 40 lower-case letters, digits and hyphens, not starting with one.
fn base_code(code: &str) -> Result<(), validator::ValidationError> {
    let ok = (2..=40).contains(&code.len()) && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') && !code.starts_with('-');
    if code.trim().is_empty() {
        Err(validator::ValidationError::new("required"))
    } else if !ok {
        Err(validator::ValidationError::new("invalid_code"))
    } else {
        Ok(())
    }
}

/// A six-digit administrative division code.
fn division_code(code: &str) -> Result<(), validator::ValidationError> {
    if code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(validator::ValidationError::new("invalid_division"))
    }
}

/// A tenant on a base's public page: name and segment only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicTenant {
    pub name: String,
    pub segment: Option<Bilingual>,
}

/// `GET /api/v1/bases/{code}/public`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicBase {
    pub base: crate::dto::BaseSummary,
    pub by_segment: Vec<Tally>,
    pub tenants: crate::dto::Page<PublicTenant>,
}

/// A company document (the file itself is downloaded from `/api/v1/documents/{id}/file`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentView {
    pub id: i64,
    /// `business_licence`, `certificate` or `other`.
    pub kind: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
}

/// Document kinds a company uploads.
pub const DOCUMENT_KINDS: [&str; 3] = ["business_licence", "certificate", "other"];
