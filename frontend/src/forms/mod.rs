//! The account pages' form posts. Each form is a plain HTML form (works without JavaScript,
//! with a keyboard and a screen reader); its handler calls the same backend service as the
//! REST API, then redirects (303): to the next page on success, or back to the form with the
//! error codes and the typed values (never passwords) in the query, which the page translates.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use backend::accounts::audit::RequestMeta;
use backend::accounts::identity::{session_cookie, MaybeIdentity, PendingIdentity, SecondFactor};
use backend::accounts::{invitations, login, me, members, password_reset, register};
use backend::{AppError, AppState};
use serde::Deserialize;
use shared::accounts::RegisterRequest;
use std::collections::HashMap;

use crate::server::LOCALE_COOKIE;

pub mod calendar;
pub mod jobs;
pub mod refill;

pub(crate) fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location.to_string())).finish()
}

use crate::components::text::url_encode as enc;

/// `field.code,field.code` for field errors, `_.code` for the form as a whole.
pub(crate) fn error_param(e: &AppError) -> String {
    match e {
        AppError::Validation(fields) => fields
            .iter()
            .flat_map(|(f, problems)| problems.first().map(|p| format!("{f}.{}", p.code)))
            .collect::<Vec<_>>()
            .join(","),
        other => format!("_.{}", other.code()),
    }
}

/// Back to the form (`path` may carry a query of its own) with the errors in the URL and the
/// values to refill in the refill cookie ([`refill`]), never in the URL.
pub(crate) fn back(path: &str, e: &AppError, keep: &[(&str, &str)]) -> HttpResponse {
    if matches!(e, AppError::Internal(_) | AppError::Unavailable(_) | AppError::Busy(_)) {
        // Logged by the error's own conversion; the page shows a general message.
        let _ = actix_web::ResponseError::error_response(e);
    }
    let (page, fragment) = path.split_once('#').map_or((path, ""), |(p, f)| (p, f));
    let sep = if page.contains('?') { '&' } else { '?' };
    let mut location = format!("{page}{sep}err={}", enc(&error_param(e)));
    if !fragment.is_empty() {
        location.push('#');
        location.push_str(fragment);
    }
    let page_path = page.split('?').next().unwrap_or(page);
    refill::with_values(see_other(&location), page_path, keep, secure_cookies())
}

/// Whether cookies the forms set are `Secure` (the portal is served over HTTPS).
fn secure_cookies() -> bool {
    SECURE.get().copied().unwrap_or(false)
}

/// Set once at start from the public URL's scheme (`server::build`).
pub(crate) static SECURE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

fn locale_of(req: &HttpRequest) -> Option<String> {
    req.cookie(LOCALE_COOKIE).map(|c| c.value().to_string()).or_else(|| {
        req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(|s| s.to_string())
    })
}

#[derive(Deserialize)]
pub struct RegisterForm {
    credit_code: String,
    company_name: String,
    contact_name: String,
    email: String,
    phone: String,
    password: String,
}

async fn post_register(state: web::Data<AppState>, req: HttpRequest, form: web::Form<RegisterForm>) -> HttpResponse {
    let f = form.into_inner();
    let body = RegisterRequest {
        credit_code: f.credit_code.clone(),
        company_name: f.company_name.clone(),
        contact_name: f.contact_name.clone(),
        email: f.email.clone(),
        phone: f.phone.clone(),
        password: f.password,
        locale: locale_of(&req),
    };
    match register::register(&state, RequestMeta::from_request(&req), body).await {
        // The address is shown on the next page, carried there like refilled values.
        Ok(r) => refill::with_values(see_other("/register/done"), "/register/done", &[("email", &r.email)], secure_cookies()),
        Err(e) => back(
            "/register",
            &e,
            &[("credit_code", &f.credit_code), ("company_name", &f.company_name), ("contact_name", &f.contact_name), ("email", &f.email), ("phone", &f.phone)],
        ),
    }
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    /// The page the person was going to (a link from an email, a bookmarked page).
    #[serde(default)]
    next: String,
}

async fn post_login(state: web::Data<AppState>, req: HttpRequest, form: web::Form<LoginForm>) -> HttpResponse {
    let f = form.into_inner();
    let next = local_path(&f.next).unwrap_or_default().to_string();
    let body = login::LoginRequest { email: f.email.clone(), password: f.password };
    match login::login(&state, RequestMeta::from_request(&req), body).await {
        Ok(signed_in) => HttpResponse::SeeOther()
            .insert_header((header::LOCATION, after_password(signed_in.second_factor, &next)))
            .cookie(session_cookie(&state, &req, Some(signed_in.token)))
            .finish(),
        // Where the person was going is no personal data: it stays in the URL.
        Err(e) => {
            let page = if next.is_empty() { "/login".to_string() } else { format!("/login?next={}", enc(&next)) };
            back(&page, &e, &[("email", &f.email)])
        }
    }
}

/// Where the browser goes once the password was right: the second factor (which passes `next`
/// on), enrolment (staff without an authenticator), or the page the person was going to.
fn after_password(stage: Option<SecondFactor>, next: &str) -> String {
    match stage {
        Some(SecondFactor::Required) if !next.is_empty() => format!("/login/second-factor?next={}", enc(next)),
        Some(SecondFactor::Required) => "/login/second-factor".to_string(),
        Some(SecondFactor::Enrol) => "/account/second-factor".to_string(),
        _ if !next.is_empty() => next.to_string(),
        _ => "/dashboard".to_string(),
    }
}

async fn post_logout(state: web::Data<AppState>, req: HttpRequest, identity: Option<PendingIdentity>) -> HttpResponse {
    let _ = login::logout(&state, RequestMeta::from_request(&req), identity.map(|i| i.0)).await;
    HttpResponse::SeeOther().insert_header((header::LOCATION, "/")).cookie(session_cookie(&state, &req, None)).finish()
}

#[derive(Deserialize)]
pub struct EmailForm {
    email: String,
}

async fn post_reset_request(state: web::Data<AppState>, req: HttpRequest, form: web::Form<EmailForm>) -> HttpResponse {
    let f = form.into_inner();
    let body = password_reset::ResetRequest { email: f.email.clone() };
    match password_reset::request_reset(&state, RequestMeta::from_request(&req), body).await {
        Ok(()) => see_other("/password-reset?sent=1"),
        Err(e) => back("/password-reset", &e, &[("email", &f.email)]),
    }
}

#[derive(Deserialize)]
pub struct ResetForm {
    token: String,
    new_password: String,
}

async fn post_reset_confirm(state: web::Data<AppState>, req: HttpRequest, form: web::Form<ResetForm>) -> HttpResponse {
    let f = form.into_inner();
    let token = f.token.clone();
    match password_reset::confirm_reset(&state, RequestMeta::from_request(&req), password_reset::ResetConfirm { token: f.token, new_password: f.new_password }).await {
        Ok(()) => see_other("/login?reset=1"),
        Err(e) => back("/password-reset/confirm", &e, &[("token", &token)]),
    }
}

#[derive(Deserialize)]
pub struct AcceptForm {
    token: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    phone: String,
    password: String,
}

async fn post_accept(state: web::Data<AppState>, req: HttpRequest, form: web::Form<AcceptForm>) -> HttpResponse {
    let f = form.into_inner();
    let body = invitations::AcceptInvitation {
        token: f.token.clone(),
        display_name: Some(f.display_name.clone()),
        phone: Some(f.phone.clone()),
        password: f.password,
    };
    match invitations::accept(&state, RequestMeta::from_request(&req), body).await {
        Ok((token, _, stage)) => HttpResponse::SeeOther()
            .insert_header((header::LOCATION, after_password(Some(stage), "")))
            .cookie(session_cookie(&state, &req, Some(token)))
            .finish(),
        Err(e) => back("/invitation", &e, &[("token", &f.token), ("display_name", &f.display_name), ("phone", &f.phone)]),
    }
}

async fn post_resend(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    match register::resend_verification(&state, RequestMeta::from_request(&req), &identity).await {
        Ok(()) => see_other("/dashboard?resent=1"),
        Err(e) => back("/dashboard", &e, &[]),
    }
}

async fn post_invite(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<EmailForm>) -> HttpResponse {
    let Some(_) = identity.0 else { return see_other("/login") };
    // The REST handler does the role and scope checks; call it in-process.
    let enterprise_id = path.into_inner();
    let body = invitations::NewInvitation { email: form.email.clone(), locale: locale_of(&req), ..Default::default() };
    let res = invitations::post_enterprise_invitation_service(&state, &req, enterprise_id, body).await;
    match res {
        Ok(_) => see_other("/dashboard?invited=1"),
        Err(e) => back("/dashboard", &e, &[("email", &form.email)]),
    }
}

async fn post_remove_member(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<(i64, i64)>) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    let (enterprise_id, user_id) = path.into_inner();
    match members::remove_member(&state, RequestMeta::from_request(&req), &identity, enterprise_id, user_id).await {
        Ok(()) => see_other("/dashboard?removed=1"),
        Err(e) => back("/dashboard", &e, &[]),
    }
}

async fn post_end_session(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    let Ok(current) = identity.require_session().map(str::to_string) else { return see_other("/login") };
    let which = form.get("session").cloned();
    let meta = RequestMeta::from_request(&req);
    let user_id = identity.user_id;
    let ends_current = which.as_deref().is_none_or(|w| w == current);
    let result = state
        .db
        .write(move |conn| {
            let n = me::revoke_sessions(conn, user_id, which.as_deref())?;
            backend::accounts::audit::record(conn, &meta, backend::accounts::audit::Event::new("sessions_ended").actor(user_id).subject(user_id).detail(serde_json::json!({ "count": n })))?;
            Ok(())
        })
        .await;
    match result {
        Ok(()) if ends_current => HttpResponse::SeeOther().insert_header((header::LOCATION, "/login")).cookie(session_cookie(&state, &req, None)).finish(),
        Ok(()) => see_other("/account?ended=1"),
        Err(e) => back("/account", &e, &[]),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
    /// The checkbox: present (`true`) when ticked.
    #[serde(default)]
    revoke_api_tokens: Option<String>,
}

async fn post_change_password(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, form: web::Form<PasswordForm>) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    let f = form.into_inner();
    let body = password_reset::PasswordChange {
        current_password: f.current_password,
        new_password: f.new_password,
        revoke_api_tokens: f.revoke_api_tokens.is_some(),
    };
    match password_reset::change_password(&state, RequestMeta::from_request(&req), &identity, body).await {
        Ok(()) => see_other("/account?password=1"),
        Err(e) => back("/account", &e, &[]),
    }
}

/// Mount the form handlers.
pub fn configure(cfg: &mut web::ServiceConfig) {
    configure_second_factor(cfg);
    configure_claims(cfg);
    configure_tenancy_invitations(cfg);
    configure_verification(cfg);
    configure_admin(cfg);
    configure_tokens(cfg);
    configure_registry(cfg);
    configure_reports(cfg);
    jobs::configure(cfg);
    configure_import(cfg);
    configure_documents(cfg);
    cfg.service(
        web::scope("/forms")
            .route("/register", web::post().to(post_register))
            .route("/login", web::post().to(post_login))
            .route("/logout", web::post().to(post_logout))
            .route("/password-reset", web::post().to(post_reset_request))
            .route("/password-reset/confirm", web::post().to(post_reset_confirm))
            .route("/invitation", web::post().to(post_accept))
            .route("/resend-verification", web::post().to(post_resend))
            .route("/enterprises/{id}/invitations", web::post().to(post_invite))
            .route("/enterprises/{id}/members/{user_id}/remove", web::post().to(post_remove_member))
            .route("/sessions/end", web::post().to(post_end_session))
            .route("/password", web::post().to(post_change_password)),
    );
}

/// Admin forms: only system admins get past this.
/// The admin, or where to send someone who is not one.
pub(crate) fn admin_of(identity: MaybeIdentity) -> Result<backend::accounts::Identity, &'static str> {
    match identity.0 {
        Some(id) if id.is_admin() => Ok(id),
        Some(_) => Err("/dashboard?err=_.forbidden"),
        None => Err("/login"),
    }
}

/// A system admin about to do something sensitive: signed in, an admin, and with a recent
/// second-factor check (see [`step_up`]); otherwise where to send them.
pub(crate) fn sensitive_admin(state: &AppState, identity: MaybeIdentity, back_to: &str) -> Result<backend::accounts::Identity, HttpResponse> {
    let admin = admin_of(identity).map_err(see_other)?;
    step_up(state, &admin, back_to)?;
    Ok(admin)
}

/// A sensitive action needs a recent second-factor check: without one, the person confirms
/// with their authenticator app and comes back to `back_to` to do it again.
fn step_up(state: &AppState, identity: &backend::accounts::Identity, back_to: &str) -> Result<(), HttpResponse> {
    backend::accounts::second_factor::require_step_up(state, identity)
        .map_err(|e| match &e {
            AppError::Forbidden { code: "step_up_required", .. } => see_other(&format!("/login/second-factor?next={}", enc(back_to))),
            _ => back(back_to, &e, &[]),
        })
}

async fn post_admin_disable(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<(i64, String)>) -> HttpResponse {
    let (user_id, action) = path.into_inner();
    let back_to = format!("/admin/users/{user_id}");
    let admin = match sensitive_admin(&state, identity, &back_to) {
        Ok(a) => a,
        Err(to) => return to,
    };
    let disable = action == "disable";
    match backend::accounts::admin_users::set_disabled(&state, RequestMeta::from_request(&req), admin.user_id, user_id, disable).await {
        Ok(()) => see_other(&format!("{back_to}?saved=1")),
        Err(e) => back(&back_to, &e, &[]),
    }
}

#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
    #[serde(default)]
    base_id: String,
    #[serde(default)]
    agency_id: String,
    #[serde(default)]
    enterprise_id: String,
}

async fn post_admin_grant(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<RoleForm>) -> HttpResponse {
    let user_id = path.into_inner();
    let back_to = format!("/admin/users/{user_id}");
    let admin = match sensitive_admin(&state, identity, &back_to) {
        Ok(a) => a,
        Err(to) => return to,
    };
    let f = form.into_inner();
    let body = backend::accounts::admin_users::GrantRole {
        role: f.role,
        base_id: f.base_id.parse().ok(),
        agency_id: f.agency_id.parse().ok(),
        enterprise_id: f.enterprise_id.parse().ok(),
    };
    let meta = RequestMeta::from_request(&req);
    let result = state.db.write(move |conn| backend::accounts::admin_users::grant(conn, &meta, Some(admin.user_id), user_id, &body)).await;
    match result {
        Ok(()) => see_other(&format!("{back_to}?saved=1")),
        Err(e) => back(&back_to, &e, &[]),
    }
}

async fn post_admin_revoke(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<(i64, i64)>) -> HttpResponse {
    let (user_id, grant_id) = path.into_inner();
    let back_to = format!("/admin/users/{user_id}");
    let admin = match sensitive_admin(&state, identity, &back_to) {
        Ok(a) => a,
        Err(to) => return to,
    };
    match backend::accounts::admin_users::revoke_role(&state, RequestMeta::from_request(&req), admin.user_id, user_id, grant_id).await {
        Ok(()) => see_other(&format!("{back_to}?saved=1")),
        Err(e) => back(&back_to, &e, &[]),
    }
}

#[derive(Deserialize)]
pub struct StaffInviteForm {
    email: String,
    role: String,
    #[serde(default)]
    base_id: String,
    #[serde(default)]
    agency_id: String,
    #[serde(default)]
    specialties: String,
    #[serde(default)]
    employer_credit_code: String,
    #[serde(default)]
    locale: String,
}

async fn post_staff_invite(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, form: web::Form<StaffInviteForm>) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    if let Err(to) = step_up(&state, &identity, "/admin/invitations") {
        return to;
    }
    let f = form.into_inner();
    let body = invitations::NewInvitation {
        email: f.email.clone(),
        role: Some(f.role.clone()),
        base_id: f.base_id.parse().ok(),
        agency_id: f.agency_id.parse().ok(),
        specialties: Some(f.specialties.clone()).filter(|s| !s.is_empty()),
        employer_credit_code: Some(f.employer_credit_code.clone()).filter(|s| !s.is_empty()),
        locale: Some(f.locale.clone()),
    };
    match invitations::post_staff_invitation_service(&state, &req, identity, body).await {
        Ok(_) => see_other("/admin/invitations?sent=1"),
        Err(e) => back(
            "/admin/invitations",
            &e,
            &[("email", &f.email), ("role", &f.role), ("specialties", &f.specialties), ("employer_credit_code", &f.employer_credit_code)],
        ),
    }
}

#[derive(Deserialize)]
pub struct TransferForm {
    user_id: i64,
}

async fn post_transfer(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<TransferForm>) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    match members::transfer_admin(&state, RequestMeta::from_request(&req), &identity, path.into_inner(), form.user_id).await {
        Ok(()) => see_other("/dashboard?transferred=1"),
        Err(e) => back("/dashboard", &e, &[]),
    }
}

/// Mount the admin form handlers.
pub fn configure_admin(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/forms/admin")
            .route("/users/{id}/roles", web::post().to(post_admin_grant))
            .route("/users/{id}/roles/{grant}/revoke", web::post().to(post_admin_revoke))
            .route("/users/{id}/{action:disable|enable}", web::post().to(post_admin_disable))
            .route("/invitations", web::post().to(post_staff_invite))
            .route("/bases", web::post().to(post_admin_base))
            .configure(calendar::configure)
            .configure(jobs::configure_admin),
    )
    .route("/forms/enterprises/{id}/transfer-admin", web::post().to(post_transfer));
}

/// The cookie that carries a new API token's secret to the one view of the account page that
/// shows it (HttpOnly, only sent to `/account`, two minutes; that view clears it). The secret
/// never goes into a URL, where history and logs would keep it.
pub const NEW_TOKEN_COOKIE: &str = "uhd_new_token";

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    days: String,
}

async fn post_create_token(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, form: web::Form<TokenForm>) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login?next=%2Faccount") };
    let f = form.into_inner();
    let body = me::NewToken {
        name: f.name.clone(),
        scope: f.scope.clone(),
        // Not a whole number: the range check refuses it with the field's message.
        expires_in_days: f.days.trim().parse().unwrap_or(0),
    };
    match me::create_token(&state, RequestMeta::from_request(&req), &identity, body).await {
        Ok(created) => {
            let cookie = Cookie::build(NEW_TOKEN_COOKIE, created.token)
                .path("/account")
                .http_only(true)
                .same_site(SameSite::Strict)
                .secure(state.settings.public_origin().starts_with("https://"))
                .max_age(actix_web::cookie::time::Duration::minutes(2))
                .finish();
            HttpResponse::SeeOther().insert_header((header::LOCATION, "/account#tokens")).cookie(cookie).finish()
        }
        Err(e) => back("/account", &e, &[("token_name", &f.name), ("token_scope", &f.scope), ("token_days", &f.days)]),
    }
}

async fn post_revoke_token(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    match me::revoke_token(&state, RequestMeta::from_request(&req), &identity, path.into_inner()).await {
        Ok(()) => see_other("/account?revoked=1"),
        Err(e) => back("/account", &e, &[]),
    }
}

#[derive(Deserialize)]
pub struct LocaleForm {
    locale: String,
}

/// The language of the emails this person receives.
async fn post_mail_locale(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, form: web::Form<LocaleForm>) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    let locale = shared::accounts::normalize_locale(Some(&form.locale)).to_string();
    let meta = RequestMeta::from_request(&req);
    let result = state.db.write(move |conn| Ok(backend::accounts::me::set_locale(conn, &meta, identity.user_id, &locale)?)).await;
    match result {
        Ok(()) => see_other("/account?locale=1"),
        Err(e) => back("/account", &e, &[]),
    }
}

/// Mount the token form handler.
pub fn configure_tokens(cfg: &mut web::ServiceConfig) {
    cfg.route("/forms/tokens", web::post().to(post_create_token))
        .route("/forms/tokens/{id}/revoke", web::post().to(post_revoke_token))
        .route("/forms/locale", web::post().to(post_mail_locale));
}

/// The profile form: repeated `segment` checkboxes and numbered rows for qualifications
/// (`q0_kind`, `q0_no`, `q0_from`, `q0_until`) and contacts (`c0_name`, `c0_title`, `c0_phone`,
/// `c0_email`); empty rows are skipped.
fn profile_from_form(pairs: &[(String, String)]) -> Result<shared::registry::ProfileUpdate, AppError> {
    use shared::registry::{Contact, ProfileUpdate, Qualification, QualificationKind};
    let get = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let date = |k: &str| -> Result<Option<chrono::NaiveDate>, AppError> {
        let v = get(k);
        if v.is_empty() {
            return Ok(None);
        }
        chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d").map(Some).map_err(|_| AppError::field(k, "invalid_date", "Use a date like 2015-03-01."))
    };
    let capital = get("registered_capital");
    let registered_capital = shared::Fen::parse_yuan(&capital)
        .ok_or_else(|| AppError::field("registered_capital", if capital.is_empty() { "required" } else { "invalid_amount" }, "Enter an amount in yuan."))?;
    let employees_text = get("employees");
    let employees = employees_text
        .parse::<i32>()
        .map_err(|_| AppError::field("employees", if employees_text.is_empty() { "required" } else { "out_of_range" }, "Enter a whole number."))?;
    let mut qualifications = Vec::new();
    let mut contacts = Vec::new();
    for i in 0..20 {
        let no = get(&format!("q{i}_no"));
        if !no.is_empty() {
            // A certificate needs its type chosen: no type is never taken to mean one.
            let kind_field = format!("q{i}_kind");
            let kind_text = get(&kind_field);
            let kind = QualificationKind::parse(&kind_text).ok_or_else(|| {
                AppError::field(&kind_field, if kind_text.is_empty() { "required" } else { "not_allowed" }, "Choose the qualification's type.")
            })?;
            qualifications.push(Qualification {
                kind,
                certificate_no: no,
                valid_from: date(&format!("q{i}_from"))?,
                valid_until: date(&format!("q{i}_until"))?,
            });
        }
        let name = get(&format!("c{i}_name"));
        let phone = get(&format!("c{i}_phone"));
        let email = get(&format!("c{i}_email"));
        if !name.is_empty() || !phone.is_empty() || !email.is_empty() {
            contacts.push(Contact {
                name,
                title: Some(get(&format!("c{i}_title"))),
                phone: Some(phone),
                email: Some(email),
            });
        }
    }
    Ok(ProfileUpdate {
        name_zh: get("name_zh"),
        name_en: Some(get("name_en")),
        legal_representative: get("legal_representative"),
        address: get("address"),
        district: get("district"),
        registered_capital,
        founded_on: date("founded_on")?,
        employees,
        segments: pairs.iter().filter(|(k, _)| k == "segment").map(|(_, v)| v.clone()).collect(),
        qualifications,
        contacts,
    })
}

/// A field of the profile form: the single fields, the segment checkboxes and the numbered
/// qualification and contact rows.
fn is_profile_field(key: &str) -> bool {
    const SINGLE: [&str; 9] = ["name_zh", "name_en", "legal_representative", "address", "district", "registered_capital", "founded_on", "employees", "segment"];
    let row = |prefix: char, parts: &[&str]| {
        key.strip_prefix(prefix)
            .and_then(|rest| rest.split_once('_'))
            .is_some_and(|(n, part)| n.parse::<u8>().is_ok_and(|n| n < 20) && parts.contains(&part))
    };
    SINGLE.contains(&key) || row('q', &["kind", "no", "from", "until"]) || row('c', &["name", "title", "phone", "email"])
}

async fn post_profile(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<Vec<(String, String)>>) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    let id = path.into_inner();
    let back_to = format!("/company/{id}/profile");
    let result = match profile_from_form(&form) {
        Ok(body) => backend::registry::profile::update_profile(&state, &RequestMeta::from_request(&req), &identity, id, body).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => see_other(&format!("{back_to}?saved=1")),
        Err(e) => {
            // Everything that was typed or ticked comes back, rows and checkboxes included;
            // `refill` tells the page to show it (an emptied field stays empty).
            let mut keep: Vec<(&str, &str)> = vec![("refill", "1")];
            keep.extend(form.iter().filter(|(k, _)| is_profile_field(k)).map(|(k, v)| (k.as_str(), v.as_str())));
            back(&back_to, &e, &keep)
        }
    }
}

async fn post_apply(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    let id = path.into_inner();
    let back_to = format!("/company/{id}/tenancies");
    let get = |k: &str| form.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let body = shared::registry::TenancyApplication {
        base_id: get("base_id").parse().unwrap_or(0),
        segment: get("segment"),
        floor_space_m2: get("floor_space_m2").parse().unwrap_or(0),
        staff_on_site: get("staff_on_site").parse().unwrap_or(-1),
        plan: get("plan"),
    };
    match backend::registry::tenancy::apply(&state, &RequestMeta::from_request(&req), &identity, id, body).await {
        Ok(_) => see_other(&format!("{back_to}?applied=1")),
        Err(e) => back(&back_to, &e, &[("floor_space_m2", &get("floor_space_m2")), ("staff_on_site", &get("staff_on_site")), ("plan", &get("plan"))]),
    }
}

async fn post_tenancy_decision(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    let tenancy_id = path.into_inner();
    let back_to = form.get("back").filter(|b| b.starts_with("/park/") && !b.starts_with("//")).cloned().unwrap_or_else(|| "/park/tenants".into());
    let action = match form.get("action").map(String::as_str) {
        Some("admit") => shared::registry::TenancyAction::Admit,
        Some("reject") => shared::registry::TenancyAction::Reject,
        Some("suspend") => shared::registry::TenancyAction::Suspend,
        Some("reinstate") => shared::registry::TenancyAction::Reinstate,
        Some("move_out") => shared::registry::TenancyAction::MoveOut,
        _ => return back(&back_to, &AppError::field("action", "not_allowed", "Unknown action."), &[]),
    };
    let body = shared::registry::TenancyDecision { action, reason: form.get("reason").cloned() };
    let sep = if back_to.contains('?') { '&' } else { '?' };
    match backend::registry::tenancy::decide(&state, &RequestMeta::from_request(&req), &identity, tenancy_id, body).await {
        // The page says what happened to whom (the new status of this company's tenancy).
        Ok(view) => see_other(&format!("{back_to}{sep}decided={}", view.status.as_str())),
        Err(e) => {
            let mut to = format!("{back_to}{sep}err={}", enc(&error_param(&e)));
            if let Some(r) = form.get("reason").filter(|r| !r.is_empty()) {
                to.push_str(&format!("&reason={}", enc(r)));
            }
            see_other(&to)
        }
    }
}

/// Mount the registry form handlers.
pub fn configure_registry(cfg: &mut web::ServiceConfig) {
    cfg.route("/forms/enterprises/{id}/profile", web::post().to(post_profile))
        .route("/forms/enterprises/{id}/tenancies", web::post().to(post_apply))
        .route("/forms/tenancies/{id}/decision", web::post().to(post_tenancy_decision));
}

/// Hours as typed (`12.5`) to whole minutes.
fn hours_to_minutes(text: &str) -> Option<i64> {
    shared::Fen::parse_yuan(text).map(|hundredths| (hundredths.0 * 60 + 50) / 100)
}

async fn post_report(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<Vec<(String, String)>>) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    let id = path.into_inner();
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let period = get("period");
    let back_to = format!("/company/{id}/reports?period={}", enc(&period));
    let money = |k: &str| shared::Fen::parse_yuan(&get(k)).ok_or_else(|| AppError::field(k, "invalid_amount", "Enter an amount in yuan."));
    let count = |k: &str| get(k).parse::<i32>().map_err(|_| AppError::field(k, "out_of_range", "Enter a whole number."));
    let minutes = |k: &str| hours_to_minutes(&get(k)).ok_or_else(|| AppError::field(k, "out_of_range", "Enter hours, e.g. 12.5."));
    let body = (|| -> Result<shared::reports::ReportInput, AppError> {
        let mut revenue_by_segment = Vec::new();
        for (k, v) in form.iter() {
            if let Some(code) = k.strip_prefix("rev_") {
                if !v.trim().is_empty() {
                    let revenue = shared::Fen::parse_yuan(v).ok_or_else(|| AppError::field(k, "invalid_amount", "Enter an amount in yuan."))?;
                    revenue_by_segment.push(shared::reports::SegmentRevenue { segment: code.to_string(), revenue });
                }
            }
        }
        Ok(shared::reports::ReportInput {
            revenue_by_segment,
            revenue_total: money("revenue_total")?,
            rd_spend: money("rd_spend")?,
            employees: count("employees")?,
            content_4k_minutes: minutes("content_4k_hours")?,
            content_8k_minutes: minutes("content_8k_hours")?,
            patents_granted: count("patents_granted")?,
        })
    })();
    let result = match body {
        Ok(body) => backend::registry::reports::file(&state, &RequestMeta::from_request(&req), &identity, id, &period, body).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => see_other(&format!("{back_to}&filed=1")),
        Err(e) => {
            let keep: Vec<(String, String)> = form.iter().filter(|(k, _)| k != "period").cloned().collect();
            let keep_refs: Vec<(&str, &str)> = keep.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let mut resp = back(&format!("/company/{id}/reports"), &e, &keep_refs);
            if let Some(loc) = resp.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).map(|s| format!("{s}&period={}", enc(&period))) {
                if let Ok(v) = header::HeaderValue::from_str(&loc) {
                    resp.headers_mut().insert(header::LOCATION, v);
                }
            }
            resp
        }
    }
}

async fn post_reminders(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: MaybeIdentity,
    path: web::Path<i64>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    let base_id = path.into_inner();
    let period = form.get("period").cloned().unwrap_or_default();
    let back_to = format!("/park/reports?base={base_id}&period={}", enc(&period));
    match backend::registry::reports::remind(&state, RequestMeta::from_request(&req), &identity, base_id, &period).await {
        // What happened, in numbers; the page says it in words.
        Ok(r) => see_other(&format!(
            "{back_to}&reminded={}&emails={}&recent={}&no_account={}",
            r.companies,
            r.emails,
            r.skipped_recent.len(),
            r.without_account.len()
        )),
        Err(e) => see_other(&format!("{back_to}&err={}", enc(&error_param(&e)))),
    }
}

/// Mount the report form handlers.
pub fn configure_reports(cfg: &mut web::ServiceConfig) {
    cfg.route("/forms/enterprises/{id}/reports", web::post().to(post_report))
        .route("/forms/bases/{id}/reminders", web::post().to(post_reminders));
}

async fn post_admin_base(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let admin = match sensitive_admin(&state, identity, "/admin/bases") {
        Ok(a) => a,
        Err(to) => return to,
    };
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let id: Option<i64> = get("id").parse().ok();
    let input = shared::registry::BaseInput {
        code: get("code"),
        name_zh: get("name_zh"),
        name_en: get("name_en"),
        city_zh: get("city_zh"),
        city_en: get("city_en"),
        district_zh: get("district_zh"),
        district_en: get("district_en"),
        division_code: get("division_code"),
        description_zh: get("description_zh"),
        description_en: get("description_en"),
    };
    let meta = RequestMeta::from_request(&req);
    let result = state.db.write(move |conn| backend::registry::bases::save_base(conn, &meta, admin.user_id, id, &input)).await;
    match result {
        Ok(_) => see_other("/admin/bases?saved=1"),
        Err(e) => {
            let keep: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            back("/admin/bases", &e, &keep)
        }
    }
}

/// The first file field of a multipart form, up to `limit` bytes.
pub async fn read_upload(mut form: actix_multipart::Multipart, limit: usize) -> Result<(Option<String>, Vec<u8>), AppError> {
    use futures_util::StreamExt;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| AppError::field("file", "unreadable_file", e.to_string()))?;
        let name = field.content_disposition().and_then(|cd| cd.get_filename().map(str::to_string));
        if name.is_none() {
            // Not a file input: skip its value.
            while field.next().await.is_some() {}
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| AppError::field("file", "unreadable_file", e.to_string()))?;
            if bytes.len() + chunk.len() > limit {
                return Err(AppError::field("file", "too_large", "The file is too large."));
            }
            bytes.extend_from_slice(&chunk);
        }
        if bytes.is_empty() {
            return Err(AppError::field("file", "required", "Choose a file."));
        }
        return Ok((name, bytes));
    }
    Err(AppError::field("file", "required", "Choose a file."))
}

async fn post_import(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: actix_multipart::Multipart) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    let base_id = path.into_inner();
    let back_to = format!("/park/tenants?base={base_id}");
    let bytes = match read_upload(form, backend::registry::import::MAX_IMPORT_BYTES).await {
        Ok((_, bytes)) => bytes,
        Err(e) => return see_other(&format!("{back_to}&err={}", enc(&error_param(&e)))),
    };
    match backend::registry::import::run(&state, &req, &identity, base_id, bytes).await {
        Ok(backend::registry::import::Outcome::Imported(i)) => see_other(&format!("{back_to}&imported={}&invited={}", i.imported, i.invited)),
        Ok(backend::registry::import::Outcome::Rejected { report_id, .. }) => see_other(&format!("{back_to}&import_report={report_id}")),
        Err(e) => see_other(&format!("{back_to}&err={}", enc(&error_param(&e)))),
    }
}

/// Mount the import form handler.
pub fn configure_import(cfg: &mut web::ServiceConfig) {
    cfg.route("/forms/bases/{id}/import", web::post().to(post_import));
}

async fn post_document(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, mut form: actix_multipart::Multipart) -> HttpResponse {
    use futures_util::StreamExt;
    let Some(identity) = identity.0 else { return see_other("/login") };
    let id = path.into_inner();
    let back_to = format!("/company/{id}/profile");
    let limit = backend::registry::documents::MAX_DOCUMENT_BYTES;
    let (mut kind, mut file_name, mut bytes) = (String::new(), String::new(), Vec::new());
    // Only the two expected fields are read, each within its own limit: `kind` (a short code)
    // and one `file`. Anything else ends the read with an error before it is buffered.
    let mut refused: Option<AppError> = None;
    let mut seen_file = false;
    while let Some(Ok(mut field)) = form.next().await {
        let name = field.name().unwrap_or_default().to_string();
        let field_limit = match name.as_str() {
            "kind" => 64,
            "file" if !seen_file => limit,
            _ => {
                refused = Some(AppError::field("file", "unexpected_field", "The form carries fields it should not."));
                break;
            }
        };
        let filename = field.content_disposition().and_then(|cd| cd.get_filename().map(str::to_string));
        let mut data = Vec::new();
        while let Some(Ok(chunk)) = field.next().await {
            if data.len() + chunk.len() > field_limit {
                refused = Some(if name == "file" {
                    AppError::field("file", "too_large", "At most 20 MB.")
                } else {
                    AppError::field(&name, "too_long", "This is too long.")
                });
                break;
            }
            data.extend_from_slice(&chunk);
        }
        if refused.is_some() {
            break;
        }
        if name == "kind" {
            kind = String::from_utf8_lossy(&data).to_string();
        } else {
            seen_file = true;
            file_name = filename.unwrap_or_default();
            bytes = data;
        }
    }
    let result = if let Some(e) = refused {
        Err(e)
    } else {
        backend::registry::documents::upload(&state, &RequestMeta::from_request(&req), &identity, id, &kind, &file_name, bytes).await.map(|_| ())
    };
    match result {
        Ok(()) => see_other(&format!("{back_to}?uploaded=1")),
        Err(e) => back(&back_to, &e, &[]),
    }
}

/// Mount the document upload handler.
pub fn configure_documents(cfg: &mut web::ServiceConfig) {
    cfg.route("/forms/enterprises/{id}/documents", web::post().to(post_document));
}

/// The cookie that carries freshly made recovery codes to the page that shows them once.
pub const RECOVERY_COOKIE: &str = "uhd_recovery_codes";

/// That cookie (HttpOnly, only sent to the recovery-codes page, five minutes), or its removal.
pub fn recovery_cookie(state: &AppState, value: Option<String>) -> actix_web::cookie::Cookie<'static> {
    use actix_web::cookie::{time::Duration, Cookie, SameSite};
    let clear = value.is_none();
    let mut cookie = Cookie::build(RECOVERY_COOKIE, value.unwrap_or_default())
        .path("/account/recovery-codes")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.settings.public_origin().starts_with("https://"))
        .max_age(if clear { Duration::ZERO } else { Duration::minutes(5) })
        .finish();
    if clear {
        cookie.make_removal();
    }
    cookie
}

/// Only a path on this portal: never `//host` or a full URL (no open redirect). Browsers drop
/// tabs and line breaks from a URL and read a backslash as `/`, so `/\t/evil.example` would become
/// `//evil.example`: any whitespace, control character or backslash is refused outright.
fn local_path(next: &str) -> Option<&str> {
    let clean = !next.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\');
    (clean && next.starts_with('/') && !next.starts_with("//")).then_some(next)
}

#[derive(Deserialize)]
pub struct SecondFactorForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    recovery_code: String,
    #[serde(default)]
    next: String,
}

async fn post_second_factor(state: web::Data<AppState>, req: HttpRequest, identity: Option<PendingIdentity>, form: web::Form<SecondFactorForm>) -> HttpResponse {
    let Some(PendingIdentity(identity)) = identity else { return see_other("/login") };
    let f = form.into_inner();
    let next = local_path(&f.next).unwrap_or("/dashboard").to_string();
    let body = backend::accounts::second_factor::SecondFactorBody {
        code: Some(f.code).filter(|c| !c.trim().is_empty()),
        recovery_code: Some(f.recovery_code).filter(|c| !c.trim().is_empty()),
    };
    match backend::accounts::second_factor::verify(&state, RequestMeta::from_request(&req), &identity, body).await {
        Ok(_) => see_other(&next),
        Err(e @ AppError::Unauthenticated { .. }) => {
            HttpResponse::SeeOther()
                .insert_header((header::LOCATION, format!("/login?err={}", enc(&error_param(&e)))))
                .cookie(session_cookie(&state, &req, None))
                .finish()
        }
        Err(e) => back("/login/second-factor", &e, &[("next", &next)]),
    }
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

async fn post_totp_confirm(state: web::Data<AppState>, req: HttpRequest, identity: Option<PendingIdentity>, form: web::Form<CodeForm>) -> HttpResponse {
    use backend::accounts::tokens::{Claims, Purpose};
    let Some(PendingIdentity(identity)) = identity else { return see_other("/login") };
    match backend::accounts::second_factor::confirm_enrolment(&state, RequestMeta::from_request(&req), &identity, &form.code).await {
        Ok(codes) => {
            let mut claims = Claims::new(Purpose::RecoveryCodes, identity.user_id, Purpose::RecoveryCodes.default_lifetime());
            claims.sid = identity.session_id().map(str::to_string);
            claims.jti = Some(codes.join(","));
            HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/account/recovery-codes"))
                .cookie(recovery_cookie(&state, Some(state.keys.sign(&claims))))
                .finish()
        }
        Err(e) => back("/account/second-factor", &e, &[]),
    }
}

async fn post_admin_totp_reset(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>) -> HttpResponse {
    let user_id = path.into_inner();
    let back_to = format!("/admin/users/{user_id}");
    let admin = match sensitive_admin(&state, identity, &back_to) {
        Ok(a) => a,
        Err(to) => return to,
    };
    match backend::accounts::second_factor::reset(&state, RequestMeta::from_request(&req), &admin, user_id).await {
        Ok(()) => see_other(&format!("{back_to}?saved=1")),
        Err(e) => back(&back_to, &e, &[]),
    }
}

/// Mount the second-factor form handlers.
pub fn configure_second_factor(cfg: &mut web::ServiceConfig) {
    cfg.route("/forms/second-factor", web::post().to(post_second_factor))
        .route("/forms/totp/confirm", web::post().to(post_totp_confirm))
        .route("/forms/admin/users/{id}/totp-reset", web::post().to(post_admin_totp_reset));
}

#[derive(Deserialize)]
pub struct InvitationAnswerForm {
    decision: String,
    #[serde(default)]
    back: String,
}

async fn post_tenancy_invitation(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<InvitationAnswerForm>) -> HttpResponse {
    use backend::registry::invitations::{respond, InvitationDecision};
    let Some(identity) = identity.0 else { return see_other("/login") };
    let back_to = local_path(&form.back).unwrap_or("/dashboard").to_string();
    let decision = match form.decision.as_str() {
        "accept" => InvitationDecision::Accept,
        "decline" => InvitationDecision::Decline,
        _ => return back(&back_to, &AppError::field("decision", "not_allowed", "accept or decline"), &[]),
    };
    let (id, meta) = (path.into_inner(), RequestMeta::from_request(&req));
    match state.db.write(move |conn| respond(conn, &meta, &identity, id, decision)).await {
        Ok(()) => see_other(&format!("{back_to}?answered=1")),
        Err(e) => back(&back_to, &e, &[]),
    }
}

/// Mount the tenancy-invitation form handler.
pub fn configure_tenancy_invitations(cfg: &mut web::ServiceConfig) {
    cfg.route("/forms/tenancy-invitations/{id}", web::post().to(post_tenancy_invitation));
}

#[derive(Deserialize)]
pub struct VerificationForm {
    decision: String,
    #[serde(default)]
    verification_reason: String,
    #[serde(default)]
    back: String,
}

async fn post_verification(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<VerificationForm>) -> HttpResponse {
    use backend::registry::verification::{decide, VerificationDecision};
    let Some(identity) = identity.0 else { return see_other("/login") };
    let f = form.into_inner();
    let back_to = local_path(&f.back).unwrap_or("/dashboard").to_string();
    let body = VerificationDecision { decision: f.decision, reason: Some(f.verification_reason.clone()) };
    let (id, meta) = (path.into_inner(), RequestMeta::from_request(&req));
    match state.db.write(move |conn| decide(conn, &meta, &identity, id, &body)).await {
        Ok(_) => {
            let sep = if back_to.contains('?') { '&' } else { '?' };
            see_other(&format!("{back_to}{sep}decided=1"))
        }
        // The field is `verification_reason` on the page (the tenancy forms have a `reason`).
        Err(e) => back(back_to.split('?').next().unwrap_or("/dashboard"), &rename_field(e, "reason", "verification_reason"), &[("verification_reason", &f.verification_reason)]),
    }
}

/// Mount the company-verification form handler.
pub fn configure_verification(cfg: &mut web::ServiceConfig) {
    cfg.route("/forms/enterprises/{id}/verification", web::post().to(post_verification));
}

async fn post_claim(state: web::Data<AppState>, req: HttpRequest, form: actix_multipart::Multipart) -> HttpResponse {
    use backend::accounts::claims;
    let (body, licence) = match claims::read_claim_form(form).await {
        Ok(v) => v,
        Err(e) => return back("/claim", &e, &[]),
    };
    let keep = [
        ("credit_code", body.credit_code.clone()),
        ("company_name", body.company_name.clone()),
        ("contact_name", body.contact_name.clone()),
        ("email", body.email.clone()),
        ("phone", body.phone.clone()),
    ];
    let mut body = body;
    body.locale = locale_of(&req);
    match claims::file(&state, RequestMeta::from_request(&req), body, licence).await {
        Ok(_) => see_other("/claim?sent=1"),
        Err(e) => {
            let keep: Vec<(&str, &str)> = keep.iter().map(|(k, v)| (*k, v.as_str())).collect();
            back("/claim", &e, &keep)
        }
    }
}

#[derive(Deserialize)]
pub struct ClaimDecisionForm {
    decision: String,
    #[serde(default)]
    reason: String,
}

async fn post_claim_decision(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<ClaimDecisionForm>) -> HttpResponse {
    let admin = match sensitive_admin(&state, identity, "/admin/claims") {
        Ok(a) => a,
        Err(to) => return to,
    };
    let f = form.into_inner();
    let body = backend::accounts::claims::ClaimDecision { decision: f.decision, reason: Some(f.reason.clone()) };
    match backend::accounts::claims::resolve(&state, RequestMeta::from_request(&req), &admin, path.into_inner(), body).await {
        Ok(()) => see_other("/admin/claims?saved=1"),
        Err(e) => back("/admin/claims", &e, &[("reason", &f.reason)]),
    }
}

/// Mount the credit-code claim form handlers.
pub fn configure_claims(cfg: &mut web::ServiceConfig) {
    cfg.route("/forms/claim", web::post().to(post_claim)).route("/forms/admin/claims/{id}", web::post().to(post_claim_decision));
}

/// The same error with a field renamed (a service's field name that the page calls otherwise).
fn rename_field(e: AppError, from: &str, to: &str) -> AppError {
    match e {
        AppError::Validation(mut fields) => {
            if let Some(problems) = fields.remove(from) {
                fields.insert(to.to_string(), problems);
            }
            AppError::Validation(fields)
        }
        other => other,
    }
}
