//! Accounts: roles, the account request bodies and the checks the browser form and the server
//! both run. The server adds what needs data the browser does not have (common passwords,
//! duplicates).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use validator::Validate;

use crate::validation::{self as v, Issue};

/// What a person may do, and over what (the scope column that goes with it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Administers one company's account (scope: enterprise).
    EnterpriseAdmin,
    /// A colleague in one company (scope: enterprise).
    EnterpriseMember,
    /// Runs one industry base (scope: base).
    ParkManager,
    /// Reviews for one agency (scope: agency).
    AgencyReviewer,
    /// Heads one agency's review office (scope: agency).
    AgencyLead,
    /// Member of the expert pool (no scope).
    Expert,
    /// Operates the portal (no scope).
    SystemAdmin,
}

/// Which scope column a role needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Enterprise,
    Base,
    Agency,
    None,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::EnterpriseAdmin,
        Role::EnterpriseMember,
        Role::ParkManager,
        Role::AgencyReviewer,
        Role::AgencyLead,
        Role::Expert,
        Role::SystemAdmin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::EnterpriseAdmin => "enterprise_admin",
            Role::EnterpriseMember => "enterprise_member",
            Role::ParkManager => "park_manager",
            Role::AgencyReviewer => "agency_reviewer",
            Role::AgencyLead => "agency_lead",
            Role::Expert => "expert",
            Role::SystemAdmin => "system_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn scope(self) -> Scope {
        match self {
            Role::EnterpriseAdmin | Role::EnterpriseMember => Scope::Enterprise,
            Role::ParkManager => Scope::Base,
            Role::AgencyReviewer | Role::AgencyLead => Scope::Agency,
            Role::Expert | Role::SystemAdmin => Scope::None,
        }
    }

    /// Staff roles are only ever given by invitation, never self-registered.
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::EnterpriseAdmin | Role::EnterpriseMember)
    }
}

/// One field problem: the field name and a stable code the UI translates.
pub type FieldIssue = (&'static str, &'static str);

/// Trim and lower-case an email address.
pub fn normalize_email(input: &str) -> String {
    input.trim().to_lowercase()
}

/// A plausible email address: one `@`, something before it, a dotted domain after it, no spaces.
pub fn email_is_valid(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && email.len() <= 254
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Keep digits and a leading `+`; full-width digits become half-width.
pub fn normalize_phone(input: &str) -> String {
    let mut out = String::new();
    for c in input.trim().chars() {
        let c = match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFF10 + 0x30).unwrap_or(c),
            '＋' => '+',
            other => other,
        };
        if c.is_ascii_digit() || (c == '+' && out.is_empty()) {
            out.push(c);
        }
    }
    out
}

/// A mainland mobile number (11 digits starting with 1, optional +86) or another
/// international number of 8 to 15 digits with a leading `+`.
pub fn phone_is_valid(normalized: &str) -> bool {
    let digits = normalized.trim_start_matches('+');
    if let Some(rest) = normalized.strip_prefix("+86") {
        return rest.len() == 11 && rest.starts_with('1');
    }
    if normalized.starts_with('+') {
        return (8..=15).contains(&digits.len());
    }
    digits.len() == 11 && digits.starts_with('1')
}

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// The shape rule: at least 8 characters with three of upper case, lower case, digit, symbol.
/// Returns the code of the first rule broken.
pub fn check_password_shape(password: &str) -> Result<(), &'static str> {
    let n = password.chars().count();
    if n < PASSWORD_MIN_CHARS {
        return Err("password_too_short");
    }
    if n > PASSWORD_MAX_CHARS {
        return Err("too_long");
    }
    let classes = [
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if classes.iter().filter(|x| **x).count() < 3 {
        return Err("password_too_simple");
    }
    Ok(())
}


/// `POST /api/v1/auth/register`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRequest {
    /// Unified social credit code (18 characters; full-width and lower case are accepted).
    #[validate(custom(function = "v::credit_code"))]
    pub credit_code: String,
    #[validate(custom(function = "v::text::<200>"))]
    pub company_name: String,
    #[validate(custom(function = "v::text::<100>"))]
    pub contact_name: String,
    #[validate(custom(function = "v::email"))]
    pub email: String,
    /// Mobile number, e.g. 13800138000 or +8613800138000.
    #[validate(custom(function = "v::phone"))]
    pub phone: String,
    #[validate(custom(function = "v::password"))]
    pub password: String,
    /// `zh-CN` (default) or `en`: the language of the emails this account receives.
    #[serde(default)]
    pub locale: Option<String>,
}

impl RegisterRequest {
    /// The checks both the form and the server run (the derived ones). The server also
    /// normalizes the fields.
    pub fn issues(&self) -> Vec<Issue> {
        v::issues(self)
    }
}

/// The language tag the portal stores: `en` or `zh-CN`.
pub fn normalize_locale(input: Option<&str>) -> &'static str {
    match input {
        Some(l) if l.trim().to_ascii_lowercase().starts_with("en") => "en",
        _ => "zh-CN",
    }
}

/// A role with its scope, as shown to the person and to admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleGrantView {
    pub id: i64,
    pub role: Role,
    pub enterprise_id: Option<i64>,
    pub base_id: Option<i64>,
    pub agency_id: Option<i64>,
    /// Name of the company, base or agency the role is bound to (Chinese).
    pub scope_name: Option<String>,
}

/// `GET /api/v1/me`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub locale: String,
    pub email_verified: bool,
    pub roles: Vec<RoleGrantView>,
    /// An authenticator app is enrolled (TOTP).
    #[serde(default)]
    pub second_factor_enabled: bool,
    /// Notifications not read yet (the header's count).
    #[serde(default)]
    pub unread_notifications: i64,
}

impl Me {
    /// Staff roles (everything but a company's own) must sign in with a second factor.
    pub fn is_staff(&self) -> bool {
        self.roles.iter().any(|g| g.role.is_staff())
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.roles.iter().any(|g| g.role == role)
    }

    /// The first company this person belongs to (as admin or member).
    pub fn enterprise(&self) -> Option<&RoleGrantView> {
        self.roles
            .iter()
            .find(|g| matches!(g.role, Role::EnterpriseAdmin | Role::EnterpriseMember))
    }
}

/// One signed-in browser, `GET /api/v1/me/sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The session making this request.
    pub current: bool,
}

/// A personal API token (the secret is shown once, at creation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiTokenView {
    pub id: i64,
    pub name: String,
    /// The first characters of the token, to recognise it.
    pub prefix: String,
    /// `read` (GET only) or `write`.
    pub scope: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked: bool,
}

/// A member of a company's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberView {
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub email_verified: bool,
}

/// A person in the admin's user list, `GET /api/v1/admin/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSummary {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub email_verified: bool,
    pub disabled: bool,
    pub roles: Vec<Role>,
    pub created_at: DateTime<Utc>,
}

/// One audit event as the admin pages show it (`detail` is JSON text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub event: String,
    pub actor_user_id: Option<i64>,
    pub actor_role: Option<String>,
    pub subject_user_id: Option<i64>,
    pub object_type: Option<String>,
    pub object_id: Option<i64>,
    pub email: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub detail: String,
}

/// The filters of the audit log page (each empty for "any").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub event: String,
    pub user_id: String,
    pub actor_id: String,
    pub role: String,
    pub object_type: String,
    pub object_id: String,
    pub from: String,
    pub to: String,
    pub page: i64,
}

/// The kinds of object audit events concern.
pub const AUDIT_OBJECT_TYPES: &[&str] = &["user", "enterprise", "tenancy", "document", "base", "credit_code_claim", "tenancy_invitation", "report", "calendar_year", "job", "program", "application"];

/// A company, base or agency to choose in an admin form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> RegisterRequest {
        RegisterRequest {
            credit_code: "91110108551385082Q".into(),
            company_name: "金桥超高清科技有限公司".into(),
            contact_name: "张伟".into(),
            email: " Zhang.Wei@Example.COM ".into(),
            phone: "138 0013 8000".into(),
            password: "Uhd-Portal-2026".into(),
            locale: None,
        }
    }

    #[test]
    fn a_complete_registration_passes() {
        assert_eq!(valid().issues(), vec![]);
        assert_eq!(normalize_email(&valid().email), "zhang.wei@example.com");
    }

    #[test]
    fn each_field_reports_its_own_problem() {
        let r = RegisterRequest {
            credit_code: "91110108551385082A".into(),
            company_name: " ".into(),
            contact_name: String::new(),
            email: "not-an-email".into(),
            phone: "12345".into(),
            password: "short".into(),
            locale: None,
        };
        let mut fields: Vec<_> = r.issues().into_iter().map(|(f, _)| f).collect();
        fields.sort();
        assert_eq!(fields, ["company_name", "contact_name", "credit_code", "email", "password", "phone"]);
    }

    #[test]
    fn password_needs_three_classes() {
        assert_eq!(check_password_shape("abcdefgh"), Err("password_too_simple"));
        assert_eq!(check_password_shape("abcdefg1"), Err("password_too_simple"));
        assert_eq!(check_password_shape("Abcdefg1"), Ok(()));
        assert_eq!(check_password_shape("abcdef1!"), Ok(()));
        assert_eq!(check_password_shape("Ab1!"), Err("password_too_short"));
    }

    #[test]
    fn phones_are_normalized() {
        assert_eq!(normalize_phone("＋８６ 138-0013-8000"), "+8613800138000");
        assert!(phone_is_valid("+8613800138000"));
        assert!(phone_is_valid("13800138000"));
        assert!(!phone_is_valid("23800138000"));
        assert!(phone_is_valid("+85291234567"));
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert!(!Role::EnterpriseAdmin.is_staff());
        assert!(Role::ParkManager.is_staff());
    }
}

/// Every kind of event the audit log records, in the order the audit page offers them as a
/// filter. The pages name each in the reader's language; the backend refuses (in debug builds)
/// to record a kind missing here.
pub const AUDIT_EVENT_KINDS: &[&str] = &[
    "registered",
    "email_verified",
    "login_succeeded",
    "password_accepted",
    "login_failed",
    "locked_out",
    "second_factor_passed",
    "second_factor_failed",
    "recovery_code_used",
    "totp_enrolment_started",
    "totp_enrolled",
    "totp_reset",
    "logout",
    "session_ended",
    "sessions_ended",
    "password_reset_requested",
    "password_reset",
    "password_changed",
    "token_issued",
    "token_revoked",
    "api_tokens_revoked",
    "invitation_sent",
    "role_granted",
    "role_revoked",
    "role_changed",
    "user_disabled",
    "user_enabled",
    "demo_account_removed",
    "request_refused",
    "audit_log_read",
    "credit_code_claimed",
    "credit_code_claim_granted",
    "credit_code_claim_refused",
    "enterprise_verification",
    "document_downloaded",
    "base_saved",
    "tenancy_invitation_answered",
    "tenants_exported",
    "tenants_imported",
    "report_reminders_sent",
    "profile_saved",
    "tenancy_applied",
    "tenancy_decided",
    "document_uploaded",
    "document_deleted",
    "report_filed",
    "account_updated",
    "calendar_edited",
    "job_scheduled",
    "job_retried",
    "program_saved",
    "program_edit_kept",
    "program_edit_discarded",
    "application_created",
    "application_saved",
    "material_uploaded",
    "application_submitted",
    "application_withdrawn",
    "application_form_downloaded",
    "application_review_step",
    "application_assigned",
    "supplement_extended",
    "supplement_answered",
    "expert_profile_saved",
    "experts_drawn",
    "expert_declared",
    "expert_scored",
    "expert_stage_completed",
    "stage_reminded",
    "stage_escalated",
    "notice_published",
    "objection_filed",
    "objection_decided",
    "objection_reminded",
    "objection_escalated",
    "objection_evidence_downloaded",
    "approval_notice_downloaded",
    "disbursement_recorded",
    "acceptance_recorded",
    "recovery_recorded",
    "evaluation_filed",
    "award_files_added",
    "award_file_downloaded",
];
