//! A company registers itself and confirms its email address.

use actix_web::{post, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use shared::accounts::{normalize_email, normalize_locale, normalize_phone, RegisterRequest, Role};
use shared::CreditCode;
use utoipa::ToSchema;

use super::audit::{self, Event, RequestMeta};
use super::identity::Identity;
use super::tokens::{Claims, Purpose, TokenError};
use super::{fingerprint, issues_to_error, now, password};
use crate::db::schema::{enterprises, user_roles, users};
use crate::db::DbConn;
use crate::error::AppError;
use crate::notify::{enqueue, Mail};
use crate::state::AppState;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Registered {
    pub user_id: i64,
    pub enterprise_id: i64,
    pub email: String,
    /// Always true: a confirmation link was emailed; filing needs it confirmed.
    pub email_verification_required: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenBody {
    pub token: String,
}

/// Queue the confirmation email for a user (inside the caller's transaction).
pub fn queue_verification(
    state: &AppState,
    conn: &mut DbConn,
    user_id: i64,
    email: &str,
    name: &str,
    locale: &str,
) -> QueryResult<()> {
    let mut claims = Claims::new(Purpose::VerifyEmail, user_id, Purpose::VerifyEmail.default_lifetime());
    claims.fp = Some(fingerprint(email));
    let link = state.link(&format!("/verify-email?token={}", state.keys.sign(&claims)));
    enqueue(conn, email, locale, Mail::VerifyEmail { name, link: &link })
}

/// A registration's fields, checked and normalized (registration and credit-code claims).
pub struct CheckedRegistration {
    pub email: String,
    pub company: String,
    pub contact: String,
    pub code: CreditCode,
    pub phone: String,
    pub locale: String,
}

/// Check a registration's fields (the shared rules, the password rule, the credit code).
pub fn check_registration(body: &RegisterRequest) -> Result<CheckedRegistration, AppError> {
    issues_to_error(body.issues())?;
    let email = normalize_email(&body.email);
    let company = body.company_name.trim().to_string();
    let contact = body.contact_name.trim().to_string();
    if let Err(code) = password::check_new(&body.password, &[&email, &contact, &company]) {
        issues_to_error(vec![("password", code)])?;
    }
    let code = CreditCode::parse(&body.credit_code).map_err(|e| AppError::field("credit_code", e.code(), e.to_string()))?;
    let phone = normalize_phone(&body.phone);
    let locale = normalize_locale(body.locale.as_deref()).to_string();
    Ok(CheckedRegistration { email, company, contact, code, phone, locale })
}

/// Insert a new account (no roles, address not yet confirmed); its id.
pub fn insert_user(conn: &mut DbConn, r: &CheckedRegistration, password_hash: &str) -> QueryResult<i64> {
    let t = now();
    diesel::insert_into(users::table)
        .values((
            users::email.eq(&r.email),
            users::password_hash.eq(password_hash),
            users::display_name.eq(&r.contact),
            users::phone.eq(&r.phone),
            users::locale.eq(&r.locale),
            users::password_changed_at.eq(t),
            users::created_at.eq(t),
            users::updated_at.eq(t),
        ))
        .returning(users::id)
        .get_result(conn)
}

pub async fn register(state: &AppState, meta: RequestMeta, body: RegisterRequest) -> Result<Registered, AppError> {
    let checked = check_registration(&body)?;
    state.limits.check(crate::ratelimit::Action::Register, meta.client)?;
    let hash = password::hash_off_worker(&body.password).await?;
    let st = state.clone();
    let out = state
        .db
        .write(move |conn| {
            let CheckedRegistration { email, company, contact, code, locale, .. } = &checked;
            let taken: i64 = enterprises::table.filter(enterprises::credit_code.eq(code.as_str())).count().get_result(conn)?;
            if taken > 0 {
                return Err(AppError::Conflict {
                    code: "credit_code_taken",
                    message: "This credit code is already registered. Ask your company's administrator to invite you.".into(),
                });
            }
            let email_taken: i64 = users::table.filter(users::email.eq(email)).count().get_result(conn)?;
            if email_taken > 0 {
                return Err(AppError::Conflict {
                    code: "email_taken",
                    message: "An account with this email address exists. Sign in, or reset the password.".into(),
                });
            }
            let t = now();
            diesel::insert_into(enterprises::table)
                .values((
                    enterprises::credit_code.eq(code.as_str()),
                    enterprises::name_zh.eq(company),
                    enterprises::division_code.eq(code.division()),
                    enterprises::created_at.eq(t),
                    enterprises::updated_at.eq(t),
                ))
                .execute(conn)?;
            let enterprise_id: i64 = enterprises::table
                .filter(enterprises::credit_code.eq(code.as_str()))
                .select(enterprises::id)
                .first(conn)?;
            let user_id = insert_user(conn, &checked, &hash)?;
            diesel::insert_into(user_roles::table)
                .values((
                    user_roles::user_id.eq(user_id),
                    user_roles::role.eq(Role::EnterpriseAdmin.as_str()),
                    user_roles::enterprise_id.eq(enterprise_id),
                    user_roles::created_at.eq(t),
                ))
                .execute(conn)?;
            audit::record(
                conn,
                &meta,
                Event::new("registered")
                    .actor(user_id)
                    .subject(user_id)
                    .email(email)
                    .detail(serde_json::json!({ "enterprise_id": enterprise_id, "credit_code": code.as_str() })),
            )?;
            queue_verification(&st, conn, user_id, email, contact, locale)?;
            Ok(Registered { user_id, enterprise_id, email: email.clone(), email_verification_required: true })
        })
        .await?;
    Ok(out)
}

/// Register a company and its first administrator; a confirmation link is emailed.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "accounts", request_body = RegisterRequest, responses(
    (status = 201, body = Registered),
    (status = 409, description = "credit_code_taken or email_taken", body = crate::error::ErrorEnvelope),
    (status = 422, description = "Field errors", body = crate::error::ErrorEnvelope),
    (status = 429, description = "rate_limited (see Retry-After)", body = crate::error::ErrorEnvelope)))]
#[post("/auth/register")]
pub async fn post_register(state: web::Data<AppState>, req: HttpRequest, body: web::Json<RegisterRequest>) -> Result<HttpResponse, AppError> {
    let out = register(&state, RequestMeta::from_request(&req), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(out))
}

pub async fn verify_email(state: &AppState, meta: RequestMeta, token: &str) -> Result<(), AppError> {
    let claims = state
        .keys
        .verify(Purpose::VerifyEmail, token)
        .map_err(|e| AppError::field("token", e.code(), e.to_string()))?;
    let invalid = || AppError::field("token", TokenError::Invalid.code(), TokenError::Invalid.to_string());
    let user_id = claims.user_id().ok_or_else(invalid)?;
    state
        .db
        .write(move |conn| {
            let email: Option<String> =
                users::table.filter(users::id.eq(user_id)).select(users::email).first(conn).optional()?;
            let email = email.ok_or_else(invalid)?;
            // The link confirms the address it was sent to, not a later one.
            if claims.fp.as_deref() != Some(fingerprint(&email).as_str()) {
                return Err(invalid());
            }
            let changed = diesel::update(users::table.filter(users::id.eq(user_id)).filter(users::email_verified_at.is_null()))
                .set(users::email_verified_at.eq(now()))
                .execute(conn)?;
            if changed > 0 {
                audit::record(conn, &meta, Event::new("email_verified").actor(user_id).subject(user_id).email(&email))?;
            }
            Ok(())
        })
        .await
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Verified {
    pub email_verified: bool,
}

/// Confirm an email address with the token from the emailed link.
#[utoipa::path(post, path = "/api/v1/auth/verify-email", tag = "accounts", request_body = TokenBody, responses(
    (status = 200, body = Verified),
    (status = 422, description = "token_invalid or token_expired", body = crate::error::ErrorEnvelope)))]
#[post("/auth/verify-email")]
pub async fn post_verify_email(state: web::Data<AppState>, req: HttpRequest, body: web::Json<TokenBody>) -> Result<web::Json<Verified>, AppError> {
    verify_email(&state, RequestMeta::from_request(&req), &body.token).await?;
    Ok(web::Json(Verified { email_verified: true }))
}

pub async fn resend_verification(state: &AppState, meta: RequestMeta, identity: &Identity) -> Result<(), AppError> {
    if identity.email_verified {
        return Ok(());
    }
    state.limits.check(crate::ratelimit::Action::ResendVerification, meta.client)?;
    let (st, id) = (state.clone(), identity.clone());
    state
        .db
        .write(move |conn| Ok(queue_verification(&st, conn, id.user_id, &id.email, &id.display_name, &id.locale)?))
        .await?;
    Ok(())
}

/// Send the confirmation link again.
#[utoipa::path(post, path = "/api/v1/auth/resend-verification", tag = "accounts", responses((status = 204), (status = 401), (status = 429, description = "rate_limited (see Retry-After)", body = crate::error::ErrorEnvelope)))]
#[post("/auth/resend-verification")]
pub async fn post_resend_verification(state: web::Data<AppState>, req: HttpRequest, identity: Identity) -> Result<HttpResponse, AppError> {
    resend_verification(&state, RequestMeta::from_request(&req), &identity).await?;
    Ok(HttpResponse::NoContent().finish())
}
