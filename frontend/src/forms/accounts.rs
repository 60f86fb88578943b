//! Account forms: registration, sign-in and out, password reset and change, invitations,
//! members and the company administrator's hand-over, sessions, API tokens, the second factor
//! and credit-code claims.

use super::*;

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
    let removed = match CompanyScope::of(&identity, enterprise_id, true) {
        Ok(scope) => members::remove_member(&state, RequestMeta::from_request(&req), &scope, user_id).await,
        Err(e) => Err(e),
    };
    match removed {
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

#[derive(Deserialize)]
pub struct TransferForm {
    user_id: i64,
}

async fn post_transfer(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<TransferForm>) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    let transferred = match CompanyScope::of(&identity, path.into_inner(), true) {
        Ok(scope) => members::transfer_admin(&state, RequestMeta::from_request(&req), &scope, form.user_id).await,
        Err(e) => Err(e),
    };
    match transferred {
        Ok(()) => see_other("/dashboard?transferred=1"),
        Err(e) => back("/dashboard", &e, &[]),
    }
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

/// The account forms (registration, sign-in, password, members, sessions).
pub fn configure_accounts(cfg: &mut web::ServiceConfig) {
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
            .route("/password", web::post().to(post_change_password))
            .route("/enterprises/{id}/transfer-admin", web::post().to(post_transfer)),
    );
}
