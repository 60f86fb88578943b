//! Form widgets every page's forms share: the error summary and field messages translated from
//! the `err` query (codes of `shared::errors`), text fields that refill from the query, the
//! live credit-code check (an island), and the texts of error codes and roles.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::accounts::Role;
use shared::errors::ErrorCode;

use crate::i18n::*;
use crate::server_fns::SfnError;

/// `(field, code)` pairs of an `err` query parameter (`field.code,...`): a field may have dots
/// of its own (`declarations.truthful`), a code never does.
pub fn parse_errors(err: &str) -> Vec<(String, String)> {
    err.split(',').filter_map(|p| p.rsplit_once('.').map(|(f, c)| (f.to_string(), c.to_string()))).collect()
}

/// `(field, code)` pairs from the `err` query parameter.
fn query_errors() -> Memo<Vec<(String, String)>> {
    let q = use_query_map();
    Memo::new(move |_| parse_errors(&q.read().get("err").unwrap_or_default()))
}

pub fn query_value(name: &'static str) -> Memo<String> {
    let q = use_query_map();
    Memo::new(move |_| q.read().get(name).unwrap_or_default())
}

/// The error code a server function failed with: the first field's, or the envelope's own.
pub fn sfn_code(e: &SfnError) -> String {
    e.code().to_string()
}

/// The translated text of an error code.
pub fn error_text(i18n: leptos_i18n::I18nContext<Locale>, code: &str) -> String {
    match ErrorCode::parse(code) {
        Some(code) => code_text(i18n, code),
        // Not a code of the portal (a message from elsewhere): a general sentence.
        None => t_string!(i18n, err_generic).to_string(),
    }
}

/// Each code's own text: a code added to `shared::errors` does not compile here until it has
/// one (and `shared`'s test checks both catalogs hold it).
fn code_text(i18n: leptos_i18n::I18nContext<Locale>, code: ErrorCode) -> String {
    use ErrorCode as E;
    match code {
        E::ValidationFailed => t_string!(i18n, err_validation_failed).to_string(),
        E::NotFound => t_string!(i18n, err_not_found).to_string(),
        E::RouteNotFound => t_string!(i18n, err_route_not_found).to_string(),
        E::Conflict => t_string!(i18n, err_conflict).to_string(),
        E::ServiceUnavailable => t_string!(i18n, err_service_unavailable).to_string(),
        E::Busy => t_string!(i18n, err_busy).to_string(),
        E::NotReady => t_string!(i18n, err_not_ready).to_string(),
        E::InternalError => t_string!(i18n, err_internal_error).to_string(),
        E::Unauthenticated => t_string!(i18n, err_unauthenticated).to_string(),
        E::InvalidCredentials => t_string!(i18n, err_invalid_credentials).to_string(),
        E::InvalidToken => t_string!(i18n, err_invalid_token).to_string(),
        E::Forbidden => t_string!(i18n, err_forbidden).to_string(),
        E::CrossOriginRequest => t_string!(i18n, err_cross_origin_request).to_string(),
        E::InsufficientScope => t_string!(i18n, err_insufficient_scope).to_string(),
        E::SessionRequired => t_string!(i18n, err_session_required).to_string(),
        E::AccountLocked => t_string!(i18n, err_account_locked).to_string(),
        E::AccountDisabled => t_string!(i18n, err_account_disabled).to_string(),
        E::RateLimited => t_string!(i18n, err_rate_limited).to_string(),
        E::StepUpRequired => t_string!(i18n, err_step_up_required).to_string(),
        E::SecondFactorRequired => t_string!(i18n, err_second_factor_required).to_string(),
        E::SecondFactorFailed => t_string!(i18n, err_second_factor_failed).to_string(),
        E::EnrolmentRequired => t_string!(i18n, err_enrolment_required).to_string(),
        E::NoEnrolment => t_string!(i18n, err_no_enrolment).to_string(),
        E::CodeWrong => t_string!(i18n, err_code_wrong).to_string(),
        E::EmailUnverified => t_string!(i18n, err_email_unverified).to_string(),
        E::EmailTaken => t_string!(i18n, err_email_taken).to_string(),
        E::CreditCodeTaken => t_string!(i18n, err_credit_code_taken).to_string(),
        E::WrongPassword => t_string!(i18n, err_wrong_password).to_string(),
        E::PasswordTooShort => t_string!(i18n, err_password_too_short).to_string(),
        E::PasswordTooSimple => t_string!(i18n, err_password_too_simple).to_string(),
        E::PasswordCommon => t_string!(i18n, err_password_common).to_string(),
        E::TokenInvalid => t_string!(i18n, err_token_invalid).to_string(),
        E::TokenExpired => t_string!(i18n, err_token_expired).to_string(),
        E::AlreadyHasRole => t_string!(i18n, err_already_has_role).to_string(),
        E::UnknownRole => t_string!(i18n, err_unknown_role).to_string(),
        E::CannotRemoveSelf => t_string!(i18n, err_cannot_remove_self).to_string(),
        E::CannotDisableSelf => t_string!(i18n, err_cannot_disable_self).to_string(),
        E::LastAdmin => t_string!(i18n, err_last_admin).to_string(),
        E::NotRegistered => t_string!(i18n, err_not_registered).to_string(),
        E::NoLicence => t_string!(i18n, err_no_licence).to_string(),
        E::ClaimResolved => t_string!(i18n, err_claim_resolved).to_string(),
        E::ClaimantUnconfirmed => t_string!(i18n, err_claimant_unconfirmed).to_string(),
        E::Required => t_string!(i18n, err_required).to_string(),
        E::TooLong => t_string!(i18n, err_too_long).to_string(),
        E::Invalid => t_string!(i18n, err_invalid).to_string(),
        E::InvalidEmail => t_string!(i18n, err_invalid_email).to_string(),
        E::InvalidPhone => t_string!(i18n, err_invalid_phone).to_string(),
        E::InvalidDate => t_string!(i18n, err_invalid_date).to_string(),
        E::InvalidAmount => t_string!(i18n, err_invalid_amount).to_string(),
        E::InvalidCode => t_string!(i18n, err_invalid_code).to_string(),
        E::InvalidDivision => t_string!(i18n, err_invalid_division).to_string(),
        E::InvalidPeriod => t_string!(i18n, err_invalid_period).to_string(),
        E::OutOfRange => t_string!(i18n, err_out_of_range).to_string(),
        E::NotAllowed => t_string!(i18n, err_not_allowed).to_string(),
        E::Duplicate => t_string!(i18n, err_duplicate).to_string(),
        E::UnexpectedField => t_string!(i18n, err_unexpected_field).to_string(),
        E::InFuture => t_string!(i18n, err_in_future).to_string(),
        E::InPast => t_string!(i18n, err_in_past).to_string(),
        E::BeforeStart => t_string!(i18n, err_before_start).to_string(),
        E::CreditCodeEmpty => t_string!(i18n, err_credit_code_empty).to_string(),
        E::CreditCodeLength => t_string!(i18n, err_credit_code_length).to_string(),
        E::CreditCodeCharacter => t_string!(i18n, err_credit_code_character).to_string(),
        E::CreditCodeOrgCheck => t_string!(i18n, err_credit_code_org_check).to_string(),
        E::CreditCodeCheck => t_string!(i18n, err_credit_code_check).to_string(),
        E::UnknownSegment => t_string!(i18n, err_unknown_segment).to_string(),
        E::CodeTaken => t_string!(i18n, err_code_taken).to_string(),
        E::TenancyOpen => t_string!(i18n, err_tenancy_open).to_string(),
        E::StatusChanged => t_string!(i18n, err_status_changed).to_string(),
        E::InvitationOpen => t_string!(i18n, err_invitation_open).to_string(),
        E::InvitationAnswered => t_string!(i18n, err_invitation_answered).to_string(),
        E::CompanyUnverified => t_string!(i18n, err_company_unverified).to_string(),
        E::TotalMismatch => t_string!(i18n, err_total_mismatch).to_string(),
        E::PeriodNotEnded => t_string!(i18n, err_period_not_ended).to_string(),
        E::ImportRejected => t_string!(i18n, err_import_rejected).to_string(),
        E::UnreadableFile => t_string!(i18n, err_unreadable_file).to_string(),
        E::WrongTemplate => t_string!(i18n, err_wrong_template).to_string(),
        E::EmptyFile => t_string!(i18n, err_empty_file).to_string(),
        E::TooManyRows => t_string!(i18n, err_too_many_rows).to_string(),
        E::TooLarge => t_string!(i18n, err_too_large).to_string(),
        E::UnsupportedType => t_string!(i18n, err_unsupported_type).to_string(),
        E::FileTooComplex => t_string!(i18n, err_file_too_complex).to_string(),
        E::OutsideYear => t_string!(i18n, err_outside_year).to_string(),
        E::NotAWeekend => t_string!(i18n, err_not_a_weekend).to_string(),
        E::DayTaken => t_string!(i18n, err_day_taken).to_string(),
        E::InvalidArrangement => t_string!(i18n, err_invalid_arrangement).to_string(),
        E::JobExists => t_string!(i18n, err_job_exists).to_string(),
        E::JobNotFailed => t_string!(i18n, err_job_not_failed).to_string(),
        E::ClaimLost => t_string!(i18n, err_claim_lost).to_string(),
        E::CallClosed => t_string!(i18n, err_call_closed).to_string(),
        E::AlreadyApplied => t_string!(i18n, err_already_applied).to_string(),
        E::DuplicateFunding => t_string!(i18n, err_duplicate_funding).to_string(),
        E::CompanyNotVerified => t_string!(i18n, err_company_not_verified).to_string(),
        E::NotEligible => t_string!(i18n, err_not_eligible).to_string(),
        E::ContractsSpan => t_string!(i18n, err_contracts_span).to_string(),
        E::NotWithdrawable => t_string!(i18n, err_not_withdrawable).to_string(),
        E::NotADraft => t_string!(i18n, err_not_a_draft).to_string(),
        E::UnknownMaterial => t_string!(i18n, err_unknown_material).to_string(),
        E::UnknownProgram => t_string!(i18n, err_unknown_program).to_string(),
        E::StateChanged => t_string!(i18n, err_state_changed).to_string(),
        E::ApplicationClosed => t_string!(i18n, err_application_closed).to_string(),
        E::ActionNotAllowed => t_string!(i18n, err_action_not_allowed).to_string(),
        E::FlagsUnanswered => t_string!(i18n, err_flags_unanswered).to_string(),
        E::ExpertsPending => t_string!(i18n, err_experts_pending).to_string(),
        E::ProposalExists => t_string!(i18n, err_proposal_exists).to_string(),
        E::NoProposal => t_string!(i18n, err_no_proposal).to_string(),
        E::AlreadySigned => t_string!(i18n, err_already_signed).to_string(),
        E::LeadNotSigned => t_string!(i18n, err_lead_not_signed).to_string(),
        E::StageNotEarlier => t_string!(i18n, err_stage_not_earlier).to_string(),
        E::AlreadyDecided => t_string!(i18n, err_already_decided).to_string(),
        E::BudgetExceeded => t_string!(i18n, err_budget_exceeded).to_string(),
        E::AboveComputed => t_string!(i18n, err_above_computed).to_string(),
        E::NotFlagged => t_string!(i18n, err_not_flagged).to_string(),
        E::NotEnoughExperts => t_string!(i18n, err_not_enough_experts).to_string(),
        E::AlreadyDeclared => t_string!(i18n, err_already_declared).to_string(),
        E::NotConfirmed => t_string!(i18n, err_not_confirmed).to_string(),
        E::AlreadyScored => t_string!(i18n, err_already_scored).to_string(),
        E::NoticeOpen => t_string!(i18n, err_notice_open).to_string(),
        E::ObjectionOpen => t_string!(i18n, err_objection_open).to_string(),
        E::NoticeClosed => t_string!(i18n, err_notice_closed).to_string(),
        E::ObjectionDecided => t_string!(i18n, err_objection_decided).to_string(),
        E::NotDecided => t_string!(i18n, err_not_decided).to_string(),
        E::NotPaidInFull => t_string!(i18n, err_not_paid_in_full).to_string(),
        E::NotAccepted => t_string!(i18n, err_not_accepted).to_string(),
        E::AlreadyAccepted => t_string!(i18n, err_already_accepted).to_string(),
        E::AboveApproved => t_string!(i18n, err_above_approved).to_string(),
        E::BalanceBeforeAcceptance => t_string!(i18n, err_balance_before_acceptance).to_string(),
        E::AboveRecoverable => t_string!(i18n, err_above_recoverable).to_string(),
        E::EvaluationFiled => t_string!(i18n, err_evaluation_filed).to_string(),
    }
}

pub fn role_text(i18n: leptos_i18n::I18nContext<Locale>, role: Role) -> String {
    let locale = i18n.get_locale_untracked();
    match role {
        Role::EnterpriseAdmin => td_string!(locale, role_enterprise_admin).to_string(),
        Role::EnterpriseMember => td_string!(locale, role_enterprise_member).to_string(),
        Role::ParkManager => td_string!(locale, role_park_manager).to_string(),
        Role::AgencyReviewer => td_string!(locale, role_agency_reviewer).to_string(),
        Role::AgencyLead => td_string!(locale, role_agency_lead).to_string(),
        Role::Expert => td_string!(locale, role_expert).to_string(),
        Role::SystemAdmin => td_string!(locale, role_system_admin).to_string(),
    }
}

/// After a refused submission: a summary that takes the focus (the page loads with it focused,
/// with or without JavaScript, so a screen reader reads it first and a keyboard user starts
/// there), with the form-level errors; each field's own error stands under the field.
#[component]
pub fn FormErrors() -> impl IntoView {
    let i18n = use_i18n();
    let errors = query_errors();
    let count = Memo::new(move |_| errors.read().iter().filter(|(f, _)| f != "_" && f != "token").count());
    view! {
        <Show when=move || !errors.read().is_empty()>
            <div class="form-error" role="alert" id="form-error" tabindex="-1" autofocus=true data-testid="error-summary">
                <Show when=move || { count.get() != 0 }>
                    <p><strong>{t!(i18n, form_errors_fields, count = move || count.get())}</strong></p>
                </Show>
                {move || errors.get().into_iter().filter(|(f, _)| f == "_" || f == "token").map(|(_, c)| view! { <p>{error_text(i18n, &c)}</p> }).collect_view()}
            </div>
        </Show>
    }
}

/// The error message of a field that is not a [`TextField`] (a select), with id `f-<name>-error`.
#[component]
pub fn FieldMessage(#[prop(into)] name: String) -> impl IntoView {
    let i18n = use_i18n();
    let errors = query_errors();
    let key = name.clone();
    let error = Memo::new(move |_| errors.get().into_iter().find(|(f, _)| *f == key).map(|(_, c)| c));
    view! {
        <p class="field__error" id=format!("f-{name}-error") aria-live="polite">{move || error.get().map(|c| error_text(i18n, &c))}</p>
    }
}

/// A labelled input with its error message linked by `aria-describedby`.
#[component]
pub fn TextField(
    name: &'static str,
    label: String,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] hint: Option<String>,
    #[prop(default = true)] required: bool,
    #[prop(default = true)] refill: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let errors = query_errors();
    let value = query_value(name);
    let error = Memo::new(move |_| errors.get().into_iter().find(|(f, _)| f == name).map(|(_, c)| c));
    let id = format!("f-{name}");
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = {
        let (err_id, hint_id) = (err_id.clone(), hint_id.clone());
        let has_hint = hint.is_some();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(err_id.clone());
            }
            ids.join(" ")
        }
    };
    view! {
        <div class="field" class:field--error=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            // Seen, not read twice: the input's `required` already tells a screen reader.
            {required.then(|| view! { <span class="field__required" aria-hidden="true">{t!(i18n, field_required_mark)}</span> })}
            {hint.map(|h| view! { <p class="field__hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described
                value=move || if refill { value.get() } else { String::new() }
            />
            <p class="field__error" id=err_id.clone() aria-live="polite">
                {move || error.get().map(|c| error_text(i18n, &c))}
            </p>
        </div>
    }
}

/// The credit code checked as it is typed (an island: the only part of the registration page
/// that runs in the browser). The message is announced politely; an invalid code also marks
/// the input `aria-invalid` and shows as an error. The server checks again on submission.
#[island]
pub fn CreditCodeCheck(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let (message, set_message) = signal(None::<(bool, String)>);
    let check = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        let normalized = shared::credit_code::normalize(&v);
        let verdict = if normalized.is_empty() || normalized.chars().count() < 18 {
            None
        } else {
            match shared::CreditCode::parse(&v) {
                Ok(_) => Some((true, t_string!(i18n, credit_code_ok).to_string())),
                Err(e) => Some((false, error_text(i18n, e.code()))),
            }
        };
        if let Some(input) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::Element>(t).ok()) {
            let invalid = matches!(verdict, Some((false, _)));
            let _ = input.set_attribute("aria-invalid", if invalid { "true" } else { "false" });
        }
        set_message.set(verdict);
    };
    view! {
        <div on:input=check>
            {children()}
            <p
                class="field__live"
                class:field__live--error=move || matches!(message.get(), Some((false, _)))
                class:field__live--ok=move || matches!(message.get(), Some((true, _)))
                aria-live="polite"
                data-testid="credit-code-live"
            >
                {move || message.get().map(|(_, text)| text)}
            </p>
        </div>
    }
}
