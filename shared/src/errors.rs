//! The portal's one vocabulary of error codes: every code the REST API, the server functions
//! and the form posts answer with, top-level (`error`) or per field (`fields.*.code`), and the
//! codes of an import's refused rows. The browser translates a code into the reader's language
//! (each has its own `err_<code>` text in both catalogs; a test reads them); API clients read
//! the English `message` beside it. A code not listed here is a bug: the backend's debug builds
//! stop on one, so the test suite finds it.

/// Declares the codes: each variant with its stored spelling.
macro_rules! error_codes {
    ($($variant:ident => $code:literal,)*) => {
        /// One error code (see the module).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($variant,)*
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code as it travels (`snake_case`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                }
            }

            /// The code of `text`, if it is one of the vocabulary.
            pub fn parse(text: &str) -> Option<ErrorCode> {
                match text {
                    $($code => Some(ErrorCode::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

error_codes! {
    // The request as a whole.
    ValidationFailed => "validation_failed",
    NotFound => "not_found",
    RouteNotFound => "route_not_found",
    Conflict => "conflict",
    ServiceUnavailable => "service_unavailable",
    Busy => "busy",
    NotReady => "not_ready",
    InternalError => "internal_error",
    // Who is calling.
    Unauthenticated => "unauthenticated",
    InvalidCredentials => "invalid_credentials",
    InvalidToken => "invalid_token",
    Forbidden => "forbidden",
    CrossOriginRequest => "cross_origin_request",
    InsufficientScope => "insufficient_scope",
    SessionRequired => "session_required",
    AccountLocked => "account_locked",
    AccountDisabled => "account_disabled",
    RateLimited => "rate_limited",
    StepUpRequired => "step_up_required",
    SecondFactorRequired => "second_factor_required",
    SecondFactorFailed => "second_factor_failed",
    EnrolmentRequired => "enrolment_required",
    NoEnrolment => "no_enrolment",
    CodeWrong => "code_wrong",
    EmailUnverified => "email_unverified",
    // Accounts.
    EmailTaken => "email_taken",
    CreditCodeTaken => "credit_code_taken",
    WrongPassword => "wrong_password",
    PasswordTooShort => "password_too_short",
    PasswordTooSimple => "password_too_simple",
    PasswordCommon => "password_common",
    TokenInvalid => "token_invalid",
    TokenExpired => "token_expired",
    AlreadyHasRole => "already_has_role",
    UnknownRole => "unknown_role",
    CannotRemoveSelf => "cannot_remove_self",
    CannotDisableSelf => "cannot_disable_self",
    LastAdmin => "last_admin",
    NotRegistered => "not_registered",
    NoLicence => "no_licence",
    ClaimResolved => "claim_resolved",
    ClaimantUnconfirmed => "claimant_unconfirmed",
    // Field values.
    Required => "required",
    TooLong => "too_long",
    Invalid => "invalid",
    InvalidEmail => "invalid_email",
    InvalidPhone => "invalid_phone",
    InvalidDate => "invalid_date",
    InvalidAmount => "invalid_amount",
    InvalidCode => "invalid_code",
    InvalidDivision => "invalid_division",
    InvalidPeriod => "invalid_period",
    OutOfRange => "out_of_range",
    NotAllowed => "not_allowed",
    Duplicate => "duplicate",
    UnexpectedField => "unexpected_field",
    InFuture => "in_future",
    InPast => "in_past",
    BeforeStart => "before_start",
    CreditCodeEmpty => "credit_code_empty",
    CreditCodeLength => "credit_code_length",
    CreditCodeCharacter => "credit_code_character",
    CreditCodeOrgCheck => "credit_code_org_check",
    CreditCodeCheck => "credit_code_check",
    // The registry.
    UnknownSegment => "unknown_segment",
    CodeTaken => "code_taken",
    TenancyOpen => "tenancy_open",
    StatusChanged => "status_changed",
    InvitationOpen => "invitation_open",
    InvitationAnswered => "invitation_answered",
    CompanyUnverified => "company_unverified",
    TotalMismatch => "total_mismatch",
    PeriodNotEnded => "period_not_ended",
    ImportRejected => "import_rejected",
    // Files.
    UnreadableFile => "unreadable_file",
    WrongTemplate => "wrong_template",
    EmptyFile => "empty_file",
    TooManyRows => "too_many_rows",
    TooLarge => "too_large",
    UnsupportedType => "unsupported_type",
    FileTooComplex => "file_too_complex",
    // The calendar and jobs.
    OutsideYear => "outside_year",
    NotAWeekend => "not_a_weekend",
    DayTaken => "day_taken",
    InvalidArrangement => "invalid_arrangement",
    JobExists => "job_exists",
    JobNotFailed => "job_not_failed",
    ClaimLost => "claim_lost",
    // Programs and applications.
    CallClosed => "call_closed",
    AlreadyApplied => "already_applied",
    DuplicateFunding => "duplicate_funding",
    CompanyNotVerified => "company_not_verified",
    NotEligible => "not_eligible",
    ContractsSpan => "contracts_span",
    NotWithdrawable => "not_withdrawable",
    NotADraft => "not_a_draft",
    UnknownMaterial => "unknown_material",
    UnknownProgram => "unknown_program",
    // The review workflow (shared::review).
    StateChanged => "state_changed",
    ApplicationClosed => "application_closed",
    ActionNotAllowed => "action_not_allowed",
    FlagsUnanswered => "flags_unanswered",
    ExpertsPending => "experts_pending",
    ProposalExists => "proposal_exists",
    NoProposal => "no_proposal",
    AlreadySigned => "already_signed",
    LeadNotSigned => "lead_not_signed",
    StageNotEarlier => "stage_not_earlier",
    AlreadyDecided => "already_decided",
    BudgetExceeded => "budget_exceeded",
    AboveComputed => "above_computed",
    NotFlagged => "not_flagged",
    NotEnoughExperts => "not_enough_experts",
    AlreadyDeclared => "already_declared",
    NotConfirmed => "not_confirmed",
    AlreadyScored => "already_scored",
    // Public notice, objections and awards.
    NoticeOpen => "notice_open",
    ObjectionOpen => "objection_open",
    NoticeClosed => "notice_closed",
    ObjectionDecided => "objection_decided",
    NotDecided => "not_decided",
    NotPaidInFull => "not_paid_in_full",
    NotAccepted => "not_accepted",
    AlreadyAccepted => "already_accepted",
    AboveApproved => "above_approved",
    BalanceBeforeAcceptance => "balance_before_acceptance",
    AboveRecoverable => "above_recoverable",
    EvaluationFiled => "evaluation_filed",
}

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// Stable code, e.g. `out_of_range`.
    pub code: String,
    /// English explanation for API clients.
    pub message: String,
}

/// Field name -> problems with that field.
pub type FieldErrors = std::collections::BTreeMap<String, Vec<FieldError>>;

/// The body of every error the portal answers: REST (`/api/v1`) and server functions (`/_sfn`)
/// alike.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorEnvelope {
    /// Stable snake_case error code (see [`ErrorCode`]).
    pub error: String,
    /// English explanation for API clients.
    pub message: String,
    /// Field-level problems (empty unless `error` is `validation_failed`).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    #[serde(default)]
    pub fields: FieldErrors,
    /// With `state_changed`: where the application stands now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_state: Option<crate::applications::ApplicationState>,
}

impl ErrorEnvelope {
    /// An envelope with code `code` and no field errors.
    pub fn of(code: ErrorCode, message: impl Into<String>) -> ErrorEnvelope {
        ErrorEnvelope { error: code.as_str().to_string(), message: message.into(), fields: FieldErrors::new(), current_state: None }
    }

    /// The first field's first code, or the envelope's own code: what a form with one message
    /// shows.
    pub fn first_code(&self) -> &str {
        self.fields.values().flat_map(|p| p.first()).map(|p| p.code.as_str()).next().unwrap_or(&self.error)
    }
}

/// Whether `code` is in the vocabulary.
pub fn is_known(code: &str) -> bool {
    ErrorCode::parse(code).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_parse_back() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "{} twice", code.as_str());
            assert_eq!(ErrorCode::parse(code.as_str()), Some(*code));
        }
        assert_eq!(ErrorCode::parse("no_such_code"), None);
    }

    /// Every code has its own text in both catalogs (no catch-all: a code without a text is
    /// a failing test, not a generic message shown to the person).
    #[test]
    fn every_code_is_translated_in_both_catalogs() {
        for (name, catalog) in [("zh-CN", include_str!("../../frontend/locales/zh-CN.json")), ("en", include_str!("../../frontend/locales/en.json"))] {
            let missing: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).filter(|c| !catalog.contains(&format!("\"err_{c}\":"))).collect();
            assert!(missing.is_empty(), "{name} has no err_ text for {missing:?}");
        }
    }
}
