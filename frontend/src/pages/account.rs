//! Account pages: register, confirm email, sign in, forgotten password, invitation, the
//! dashboard (company members) and the account page (sessions, password). Forms post to
//! `/forms/...` (see `forms.rs`) and work without JavaScript; errors come back as codes in the
//! query and are shown next to their field, translated.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::accounts::{Me, Role};
use shared::errors::ErrorCode;

use crate::components::layout::PageTitle;
use crate::i18n::*;
use crate::server_fns::{SfnError, get_me, get_members, get_sessions, invitation_info, list_api_tokens, verify_email};

/// `(field, code)` pairs from the `err` query parameter.
fn query_errors() -> Memo<Vec<(String, String)>> {
    let q = use_query_map();
    Memo::new(move |_| {
        q.read()
            .get("err")
            .unwrap_or_default()
            .split(',')
            .filter_map(|p| p.split_once('.').map(|(f, c)| (f.to_string(), c.to_string())))
            .collect()
    })
}

fn query_value(name: &'static str) -> Memo<String> {
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
    }
}

pub fn role_text(i18n: leptos_i18n::I18nContext<Locale>, role: Role) -> String {
    match role {
        Role::EnterpriseAdmin => t_string!(i18n, role_enterprise_admin).to_string(),
        Role::EnterpriseMember => t_string!(i18n, role_enterprise_member).to_string(),
        Role::ParkManager => t_string!(i18n, role_park_manager).to_string(),
        Role::AgencyReviewer => t_string!(i18n, role_agency_reviewer).to_string(),
        Role::AgencyLead => t_string!(i18n, role_agency_lead).to_string(),
        Role::Expert => t_string!(i18n, role_expert).to_string(),
        Role::SystemAdmin => t_string!(i18n, role_system_admin).to_string(),
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

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="form-page" aria-labelledby="reg-title">
            <PageTitle text=t_string!(i18n, register_title).to_string() />
            <h1 id="reg-title">{t!(i18n, register_title)}</h1>
            <p>{t!(i18n, register_intro)}</p>
            <FormErrors />
            <form method="post" action="/forms/register" class="form" novalidate=true>
                <CreditCodeCheck>
                    <TextField name="credit_code" label=t_string!(i18n, field_credit_code).to_string() hint=t_string!(i18n, hint_credit_code).to_string() autocomplete="off" />
                </CreditCodeCheck>
                <TextField name="company_name" label=t_string!(i18n, field_company_name).to_string() autocomplete="organization" />
                <TextField name="contact_name" label=t_string!(i18n, field_contact_name).to_string() autocomplete="name" />
                <TextField name="email" label=t_string!(i18n, field_email).to_string() kind="email" autocomplete="email" />
                <TextField name="phone" label=t_string!(i18n, field_phone).to_string() kind="tel" autocomplete="tel" />
                <TextField name="password" label=t_string!(i18n, field_password).to_string() kind="password" autocomplete="new-password" hint=t_string!(i18n, hint_password).to_string() refill=false />
                <button type="submit" class="button">{t!(i18n, register_submit)}</button>
            </form>
            <p><a href="/login">{t!(i18n, have_account)}</a></p>
            <p><a href="/claim">{t!(i18n, claim_link)}</a></p>
        </section>
    }
}

#[component]
pub fn RegisterDonePage() -> impl IntoView {
    let i18n = use_i18n();
    let email = query_value("email");
    view! {
        <section class="notice" aria-labelledby="done-title">
            <PageTitle text=t_string!(i18n, register_done_title).to_string() />
            <h1 id="done-title">{t!(i18n, register_done_title)}</h1>
            <p>{t!(i18n, register_done_body)} " " <strong>{move || email.get()}</strong></p>
            <p><a href="/login">{t!(i18n, nav_login)}</a></p>
        </section>
    }
}

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    let token = query_value("token");
    let result = Resource::new(move || token.get(), verify_email);
    view! {
        <section class="notice" aria-labelledby="verify-title">
            <PageTitle text=t_string!(i18n, verify_title).to_string() />
            <h1 id="verify-title">{t!(i18n, verify_title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match result.await {
                        Ok(()) => view! { <p role="status">{t!(i18n, verify_ok)}</p><p><a href="/login">{t!(i18n, nav_login)}</a></p> }.into_any(),
                        Err(e) => {
                            view! { <p role="alert">{error_text(i18n, &sfn_code(&e))}</p> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let reset = query_value("reset");
    let next = query_value("next");
    view! {
        <section class="form-page" aria-labelledby="login-title">
            <PageTitle text=t_string!(i18n, login_title).to_string() />
            <h1 id="login-title">{t!(i18n, login_title)}</h1>
            <Show when=move || !reset.get().is_empty()>
                <p role="status" class="form-ok">{t!(i18n, reset_done)}</p>
            </Show>
            <FormErrors />
            <form method="post" action="/forms/login" class="form">
                <input type="hidden" name="next" value=move || next.get() />
                <TextField name="email" label=t_string!(i18n, field_email).to_string() kind="email" autocomplete="username" />
                <TextField name="password" label=t_string!(i18n, field_password).to_string() kind="password" autocomplete="current-password" refill=false />
                <button type="submit" class="button">{t!(i18n, login_submit)}</button>
            </form>
            <p><a href="/password-reset">{t!(i18n, forgot_password)}</a></p>
            <p><a href="/register">{t!(i18n, nav_register)}</a></p>
        </section>
    }
}

#[component]
pub fn ResetRequestPage() -> impl IntoView {
    let i18n = use_i18n();
    let sent = query_value("sent");
    view! {
        <section class="form-page" aria-labelledby="reset-title">
            <PageTitle text=t_string!(i18n, reset_title).to_string() />
            <h1 id="reset-title">{t!(i18n, reset_title)}</h1>
            <Show when=move || !sent.get().is_empty()>
                <p role="status" class="form-ok">{t!(i18n, reset_sent)}</p>
            </Show>
            <FormErrors />
            <form method="post" action="/forms/password-reset" class="form">
                <TextField name="email" label=t_string!(i18n, field_email).to_string() kind="email" autocomplete="email" />
                <button type="submit" class="button">{t!(i18n, reset_submit)}</button>
            </form>
        </section>
    }
}

#[component]
pub fn ResetConfirmPage() -> impl IntoView {
    let i18n = use_i18n();
    let token = query_value("token");
    view! {
        <section class="form-page" aria-labelledby="newpw-title">
            <PageTitle text=t_string!(i18n, new_password_title).to_string() />
            <h1 id="newpw-title">{t!(i18n, new_password_title)}</h1>
            <FormErrors />
            <form method="post" action="/forms/password-reset/confirm" class="form">
                <input type="hidden" name="token" value=move || token.get() />
                <TextField name="new_password" label=t_string!(i18n, field_new_password).to_string() kind="password" autocomplete="new-password" hint=t_string!(i18n, hint_password).to_string() refill=false />
                <button type="submit" class="button">{t!(i18n, new_password_submit)}</button>
            </form>
        </section>
    }
}

#[component]
pub fn InvitationPage() -> impl IntoView {
    let i18n = use_i18n();
    let token = query_value("token");
    let info = Resource::new(move || token.get(), invitation_info);
    view! {
        <section class="form-page" aria-labelledby="inv-title">
            <PageTitle text=t_string!(i18n, invitation_title).to_string() />
            <h1 id="inv-title">{t!(i18n, invitation_title)}</h1>
            <FormErrors />
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok((email, role, org, existing)) => {
                            let role = Role::parse(&role).map(|r| role_text(i18n, r)).unwrap_or(role);
                            view! {
                                <p>{t!(i18n, invitation_for)} " " <strong>{email}</strong> " · " {role} " · " {org.unwrap_or_default()}</p>
                                <form method="post" action="/forms/invitation" class="form">
                                    <input type="hidden" name="token" value=move || token.get() />
                                    {(!existing).then(|| view! {
                                        <TextField name="display_name" label=t_string!(i18n, field_contact_name).to_string() autocomplete="name" />
                                        <TextField name="phone" label=t_string!(i18n, field_phone).to_string() kind="tel" autocomplete="tel" required=false />
                                    })}
                                    <TextField name="password" kind="password" refill=false autocomplete=if existing { "current-password" } else { "new-password" }
                                        label=if existing { t_string!(i18n, field_existing_password).to_string() } else { t_string!(i18n, field_password).to_string() } />
                                    <button type="submit" class="button">{t!(i18n, invitation_accept)}</button>
                                </form>
                            }.into_any()
                        }
                        Err(e) => {
                            view! { <p role="alert">{error_text(i18n, &sfn_code(&e))}</p> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Who is calling, looked up once per page (`App` provides it): the header and the signed-in
/// pages read the same resource.
#[derive(Clone, Copy)]
pub struct CurrentPerson(pub Resource<Result<Option<Me>, SfnError>>);

impl CurrentPerson {
    pub fn provide() {
        provide_context(CurrentPerson(Resource::new(|| (), |_| get_me())));
    }

    pub fn get() -> Resource<Result<Option<Me>, SfnError>> {
        expect_context::<CurrentPerson>().0
    }
}

/// What the header says about a signed-in person: their company, or their first staff role and
/// where it applies.
pub fn person_context(i18n: leptos_i18n::I18nContext<Locale>, me: &Me) -> String {
    if let Some(company) = me.enterprise().and_then(|g| g.scope_name.clone()) {
        return company;
    }
    match me.roles.first() {
        Some(g) => match &g.scope_name {
            Some(scope) => format!("{} · {scope}", role_text(i18n, g.role)),
            None => role_text(i18n, g.role),
        },
        None => String::new(),
    }
}

/// Signed-in pages: render `child` with the person, or a sign-in prompt.
#[component]
pub fn SignedIn(child: fn(Me) -> AnyView) -> impl IntoView {
    let i18n = use_i18n();
    let me = CurrentPerson::get();
    // Signed out, the page sends the person to sign in and then back here.
    let location = leptos_router::hooks::use_location();
    let here = {
        let search = location.search.get_untracked();
        let search = search.trim_start_matches('?');
        let path = location.pathname.get_untracked();
        if search.is_empty() { path } else { format!("{path}?{search}") }
    };
    let login = format!("/login?next={}", crate::components::text::url_encode(&here));
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            // One Suspend, not a closure that makes one: the page is rendered once, on the
            // server, and a closure would be run again for every pass over the view (building
            // the page, and starting its data loads, two or three times).
            {Suspend::new(async move {
                match me.await {
                    Ok(Some(me)) => child(me),
                    _ => {
                        // A page request (any client, not only one that asks for HTML) gets
                        // the redirect itself; the prompt below is its body.
                        #[cfg(feature = "ssr")]
                        {
                            leptos_actix::redirect(&login);
                            crate::pages::not_found::set_status(302);
                        }
                        view! {
                            <section class="notice"><PageTitle text=t_string!(i18n, sign_in_needed).to_string() /><h1>{t!(i18n, sign_in_needed)}</h1><p><a href=login>{t!(i18n, nav_login)}</a></p></section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! { <SignedIn child=|me| view! { <Dashboard me /> }.into_any() /> }
}

#[component]
fn Dashboard(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let flash = move |k: &'static str| q.read().get(k).is_some();
    let company = me.enterprise().cloned();
    let is_admin = me.has_role(Role::EnterpriseAdmin);
    let roles = me.roles.clone();
    view! {
        <section class="dashboard" aria-labelledby="dash-title">
            <PageTitle text=t_string!(i18n, dashboard_title).to_string() />
            <h1 id="dash-title">{t!(i18n, dashboard_title)}</h1>
            <p>{t!(i18n, signed_in_as)} " " <strong>{me.display_name.clone()}</strong> " (" {me.email.clone()} ")"</p>
            <FormErrors />
            {(!me.email_verified).then(|| view! {
                <div class="banner" role="status">
                    <p>{t!(i18n, verify_banner)}</p>
                    <form method="post" action="/forms/resend-verification"><button type="submit" class="button button--small">{t!(i18n, resend_verification)}</button></form>
                </div>
            })}
            <Show when=move || flash("resent")><p role="status" class="form-ok">{t!(i18n, resent)}</p></Show>
            <Show when=move || flash("invited")><p role="status" class="form-ok">{t!(i18n, invited)}</p></Show>
            <Show when=move || flash("removed")><p role="status" class="form-ok">{t!(i18n, removed)}</p></Show>
            <crate::pages::registry::RegistryLinks me=me.clone() />
            <h2>{t!(i18n, your_roles)}</h2>
            <ul class="roles">
                {roles.into_iter().map(|g| view! { <li>{role_text(i18n, g.role)} {g.scope_name.map(|s| format!(" · {s}"))}</li> }).collect_view()}
            </ul>
            {company.and_then(|c| c.enterprise_id.map(|id| (id, c.scope_name.unwrap_or_default()))).map(|(id, name)| view! {
                <CompanyMembers enterprise_id=id name is_admin me_id=me.id />
            })}
            {(me.has_role(Role::SystemAdmin) || me.has_role(Role::AgencyLead)).then(|| {
                let admin = me.has_role(Role::SystemAdmin);
                view! {
                    <h2>{t!(i18n, admin_heading)}</h2>
                    <ul>
                        {admin.then(|| view! { <li><a href="/admin/users">{t!(i18n, admin_users_title)}</a></li> })}
                        <li><a href="/admin/invitations">{t!(i18n, admin_invite_title)}</a></li>
                        {admin.then(|| view! { <li><a href="/admin/audit">{t!(i18n, admin_audit_title)}</a></li> })}
                        {admin.then(|| view! { <li><a href="/admin/bases">{t!(i18n, admin_bases_title)}</a></li> })}
                        {admin.then(|| view! { <li><a href="/admin/calendar">{t!(i18n, admin_calendar_title)}</a></li> })}
                        {admin.then(|| view! { <li><a href="/admin/jobs">{t!(i18n, admin_jobs_title)}</a></li> })}
                        {admin.then(|| view! { <li><a href="/admin/claims">{t!(i18n, admin_claims_title)}</a></li> })}
                    </ul>
                }
            })}
            <Show when=move || flash("transferred")><p role="status" class="form-ok">{t!(i18n, transferred)}</p></Show>
            <p><a href="/account">{t!(i18n, nav_account)}</a></p>
        </section>
    }
}

#[component]
fn CompanyMembers(enterprise_id: i64, name: String, is_admin: bool, me_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let members = Resource::new(move || enterprise_id, get_members);
    view! {
        <h2 data-testid="company-name">{name}</h2>
        <h3>{t!(i18n, members_heading)}</h3>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let list = members.await.unwrap_or_default();
                view! {
                    <table class="table">
                        <caption class="visually-hidden">{t!(i18n, members_heading)}</caption>
                        <thead><tr><th scope="col">{t!(i18n, field_contact_name)}</th><th scope="col">{t!(i18n, field_email)}</th><th scope="col">{t!(i18n, role_heading)}</th><th scope="col"><span class="visually-hidden">{t!(i18n, actions)}</span></th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|m| {
                                let action = format!("/forms/enterprises/{enterprise_id}/members/{}/remove", m.user_id);
                                let can_remove = is_admin && m.user_id != me_id;
                                let label = format!("{} {}", t_string!(i18n, remove_member), m.display_name);
                                view! {
                                    <tr>
                                        <td>{m.display_name.clone()}</td>
                                        <td>{m.email.clone()}</td>
                                        <td>{role_text(i18n, m.role)}</td>
                                        <td>{can_remove.then(|| {
                                            let transfer = format!("/forms/enterprises/{enterprise_id}/transfer-admin");
                                            let transfer_label = format!("{} {}", t_string!(i18n, transfer_admin), m.display_name);
                                            let member = m.role == Role::EnterpriseMember;
                                            view! {
                                                <form method="post" action=action.clone() class="inline"><button type="submit" class="button button--small" aria-label=label.clone()>{t!(i18n, remove_member)}</button></form>
                                                {member.then(|| view! {
                                                    <form method="post" action=transfer class="inline">
                                                        <input type="hidden" name="user_id" value=m.user_id.to_string() />
                                                        <button type="submit" class="button button--small button--secondary" aria-label=transfer_label>{t!(i18n, transfer_admin)}</button>
                                                    </form>
                                                })}
                                            }
                                        })}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            })}
        </Suspense>
        {is_admin.then(|| view! {
            <form method="post" action=format!("/forms/enterprises/{enterprise_id}/invitations") class="form form--inline">
                <TextField name="email" label=t_string!(i18n, invite_colleague).to_string() kind="email" autocomplete="off" />
                <button type="submit" class="button">{t!(i18n, invite_submit)}</button>
            </form>
        })}
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    view! { <SignedIn child=|me| view! { <Account me /> }.into_any() /> }
}

#[component]
fn Account(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let sessions = Resource::new(|| (), |_| get_sessions());
    view! {
        <section class="form-page" aria-labelledby="acct-title">
            <PageTitle text=t_string!(i18n, account_title).to_string() />
            <h1 id="acct-title">{t!(i18n, account_title)}</h1>
            <p>{me.email.clone()}</p>
            <FormErrors />
            <Show when=move || q.read().get("password").is_some()><p role="status" class="form-ok">{t!(i18n, password_changed)}</p></Show>
            <h2>{t!(i18n, sessions_heading)}</h2>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let list = sessions.await.unwrap_or_default();
                    view! {
                        <ul class="sessions">
                            {list.into_iter().map(|s| view! {
                                <li>
                                    <span>{s.user_agent.clone().unwrap_or_default()} " · " {s.ip.clone().unwrap_or_default()} " · " {s.last_seen_at.format("%Y-%m-%d %H:%M UTC").to_string()}</span>
                                    {s.current.then(|| view! { <strong>" (" {t!(i18n, this_session)} ")"</strong> })}
                                    <form method="post" action="/forms/sessions/end">
                                        <input type="hidden" name="session" value=s.id.clone() />
                                        <button type="submit" class="button button--small">{t!(i18n, end_session)}</button>
                                    </form>
                                </li>
                            }).collect_view()}
                        </ul>
                    }
                })}
            </Suspense>
            <form method="post" action="/forms/sessions/end"><button type="submit" class="button">{t!(i18n, end_all_sessions)}</button></form>
            <h2>{t!(i18n, second_factor_heading)}</h2>
            <p>{if me.second_factor_enabled { t_string!(i18n, second_factor_on) } else { t_string!(i18n, second_factor_off) }}</p>
            <p><a class="button button--secondary" href="/account/second-factor">{if me.second_factor_enabled { t_string!(i18n, second_factor_replace) } else { t_string!(i18n, second_factor_enable) }}</a></p>
            <h2>{t!(i18n, field_mail_language)}</h2>
            <Show when=move || q.read().get("locale").is_some()><p role="status" class="form-ok">{t!(i18n, saved)}</p></Show>
            <form method="post" action="/forms/locale" class="form form--inline">
                <div class="field">
                    <label for="mail-locale">{t!(i18n, field_mail_language)}</label>
                    <select id="mail-locale" name="locale">
                        <option value="zh-CN" selected=me.locale != "en">"中文"</option>
                        <option value="en" selected=me.locale == "en">"English"</option>
                    </select>
                </div>
                <button type="submit" class="button">{t!(i18n, save)}</button>
            </form>
            <ApiTokens />
            <h2>{t!(i18n, change_password)}</h2>
            <form method="post" action="/forms/password" class="form">
                <TextField name="current_password" label=t_string!(i18n, field_current_password).to_string() kind="password" autocomplete="current-password" refill=false />
                <TextField name="new_password" label=t_string!(i18n, field_new_password).to_string() kind="password" autocomplete="new-password" hint=t_string!(i18n, hint_password).to_string() refill=false />
                <div class="check"><input type="checkbox" id="revoke_api_tokens" name="revoke_api_tokens" value="true" /><label for="revoke_api_tokens">{t!(i18n, field_revoke_api_tokens)}</label></div>
                <button type="submit" class="button">{t!(i18n, change_password)}</button>
            </form>
        </section>
    }
}

/// Personal API tokens: issue (the secret is shown once, on the page the form returns to),
/// list, revoke. Plain forms: the same with or without JavaScript.
#[component]
fn ApiTokens() -> impl IntoView {
    let i18n = use_i18n();
    let tokens = Resource::new(|| (), |_| list_api_tokens());
    let created = Resource::new(|| (), |_| crate::server_fns::take_new_token());
    let name = query_value("token_name");
    let days = query_value("token_days");
    let scope = query_value("token_scope");
    view! {
        <h2 id="tokens">{t!(i18n, tokens_heading)}</h2>
        <p>{t!(i18n, tokens_intro)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                created.await.ok().flatten().map(|secret| view! {
                    <p class="form-ok" role="status">{t!(i18n, token_created)} " " <code data-testid="new-token">{secret}</code></p>
                })
            })}
        </Suspense>
        <form method="post" action="/forms/tokens" class="form" novalidate=true>
            <div class="field">
                <label for="f-name">{t!(i18n, token_name)}</label>
                <input id="f-name" name="name" required=true maxlength="100" value=move || name.get() aria-describedby="f-name-error" />
                <FieldMessage name="name" />
            </div>
            <div class="field">
                <label for="f-scope">{t!(i18n, token_scope)}</label>
                <select id="f-scope" name="scope" aria-describedby="f-scope-error">
                    <option value="read" selected=move || scope.get() != "write">{t!(i18n, token_read)}</option>
                    <option value="write" selected=move || scope.get() == "write">{t!(i18n, token_write)}</option>
                </select>
                <FieldMessage name="scope" />
            </div>
            <div class="field">
                <label for="f-expires_in_days">{t!(i18n, token_days)}</label>
                <input id="f-expires_in_days" name="days" type="number" min="1" max="365" required=true
                    value=move || { let d = days.get(); if d.is_empty() { "90".to_string() } else { d } }
                    aria-describedby="f-expires_in_days-error" />
                <FieldMessage name="expires_in_days" />
            </div>
            <button type="submit" class="button">{t!(i18n, token_create)}</button>
        </form>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let list = tokens.await.unwrap_or_default();
                view! {
                    <ul class="sessions">
                        {list.into_iter().map(|t| {
                            let action = format!("/forms/tokens/{}/revoke", t.id);
                            view! {
                                <li>
                                    <strong>{t.name.clone()}</strong> " · " <code>{t.prefix.clone()} "…"</code> " · " {t.scope.clone()} " · "
                                    {t.expires_at.format("%Y-%m-%d").to_string()}
                                    {if t.revoked { view! { " · " {t!(i18n, token_revoked)} }.into_any() } else {
                                        view! { <form method="post" action=action class="inline"><button type="submit" class="button button--small">{t!(i18n, token_revoke)}</button></form> }.into_any()
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
            })}
        </Suspense>
    }
}
