//! Forgotten passwords (by email link) and password changes.

use actix_web::{post, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use shared::accounts::normalize_email;
use utoipa::ToSchema;

use super::audit::{self, Event, RequestMeta};
use super::identity::Identity;
use super::me::revoke_sessions;
use super::tokens::{Claims, Purpose, TokenError};
use super::{fingerprint, issues_to_error, now, password};
use crate::db::schema::{login_failures, users};
use crate::db::DbConn;
use crate::error::AppError;
use crate::notify::{enqueue, Mail};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResetRequest {
    pub email: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResetConfirm {
    pub token: String,
    pub new_password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
    /// Also revoke every API token of the account (a reset always does).
    #[serde(default)]
    pub revoke_api_tokens: bool,
}

/// Revoke every live API token of a person (password reset, "sign out everywhere", or a
/// password change that asks for it).
pub fn revoke_api_tokens(conn: &mut DbConn, meta: &RequestMeta, user_id: i64) -> QueryResult<usize> {
    use crate::db::schema::api_tokens;
    let n = diesel::update(api_tokens::table.filter(api_tokens::user_id.eq(user_id)).filter(api_tokens::revoked_at.is_null()))
        .set(api_tokens::revoked_at.eq(now()))
        .execute(conn)?;
    if n > 0 {
        audit::record(conn, meta, Event::new("api_tokens_revoked").actor(user_id).subject(user_id).detail(serde_json::json!({ "count": n })))?;
    }
    Ok(n)
}

/// Email a reset link if the address has an account; the answer is the same either way.
pub async fn request_reset(state: &AppState, meta: RequestMeta, body: ResetRequest) -> Result<(), AppError> {
    let email = normalize_email(&body.email);
    if email.is_empty() {
        issues_to_error(vec![("email", "required")])?;
    }
    state.limits.check(crate::ratelimit::Action::PasswordReset, meta.client)?;
    let st = state.clone();
    state
        .db
        .write(move |conn| {
            let user: Option<(i64, String, String, String)> = users::table
                .filter(users::email.eq(&email))
                .filter(users::disabled_at.is_null())
                .select((users::id, users::password_hash, users::display_name, users::locale))
                .first(conn)
                .optional()?;
            let Some((user_id, hash, name, locale)) = user else { return Ok(false) };
            let mut claims = Claims::new(Purpose::PasswordReset, user_id, Purpose::PasswordReset.default_lifetime());
            claims.fp = Some(fingerprint(&hash));
            let link = st.link(&format!("/password-reset/confirm?token={}", st.keys.sign(&claims)));
            enqueue(conn, &email, &locale, Mail::PasswordReset { name: &name, link: &link })?;
            audit::record(conn, &meta, Event::new("password_reset_requested").subject(user_id).email(&email))?;
            Ok(true)
        })
        .await?;
    Ok(())
}

/// Ask for a password-reset link. Always 202: the answer does not tell whether the address has
/// an account.
#[utoipa::path(post, path = "/api/v1/auth/password-reset/request", tag = "accounts", request_body = ResetRequest, responses((status = 202), (status = 422, body = crate::error::ErrorEnvelope), (status = 429, description = "rate_limited (see Retry-After)", body = crate::error::ErrorEnvelope)))]
#[post("/auth/password-reset/request")]
pub async fn post_reset_request(state: web::Data<AppState>, req: HttpRequest, body: web::Json<ResetRequest>) -> Result<HttpResponse, AppError> {
    request_reset(&state, RequestMeta::from_request(&req), body.into_inner()).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Set a new password: revoke every session, clear the lockout, tell the person by email.
fn set_password(conn: &mut DbConn, meta: &RequestMeta, user_id: i64, hash: &str, event: &str, keep_session: Option<&str>) -> Result<(), AppError> {
    let (email, name, locale): (String, String, String) =
        users::table.filter(users::id.eq(user_id)).select((users::email, users::display_name, users::locale)).first(conn)?;
    let t = now();
    diesel::update(users::table.filter(users::id.eq(user_id)))
        .set((users::password_hash.eq(hash), users::password_changed_at.eq(t), users::updated_at.eq(t)))
        .execute(conn)?;
    match keep_session {
        Some(keep) => {
            use crate::db::schema::sessions;
            diesel::update(sessions::table.filter(sessions::user_id.eq(user_id)).filter(sessions::id.ne(keep)).filter(sessions::revoked_at.is_null()))
                .set(sessions::revoked_at.eq(t))
                .execute(conn)?;
        }
        None => {
            revoke_sessions(conn, user_id, None)?;
        }
    }
    diesel::delete(login_failures::table.filter(login_failures::email.eq(&email))).execute(conn)?;
    audit::record(conn, meta, Event::new(event).actor(user_id).subject(user_id).email(&email))?;
    enqueue(conn, &email, &locale, Mail::PasswordChanged { name: &name })?;
    Ok(())
}

pub async fn confirm_reset(state: &AppState, meta: RequestMeta, body: ResetConfirm) -> Result<(), AppError> {
    let claims = state
        .keys
        .verify(Purpose::PasswordReset, &body.token)
        .map_err(|e| AppError::field("token", e.code(), e.to_string()))?;
    let invalid = || AppError::field("token", TokenError::Invalid.code(), TokenError::Invalid.to_string());
    let user_id = claims.user_id().ok_or_else(invalid)?;
    let (email, old_hash, name): (String, String, String) = {
        let found = state
            .db
            .run(move |conn| {
                Ok(users::table
                    .filter(users::id.eq(user_id))
                    .filter(users::disabled_at.is_null())
                    .select((users::email, users::password_hash, users::display_name))
                    .first::<(String, String, String)>(conn)
                    .optional()?)
            })
            .await?;
        found.ok_or_else(invalid)?
    };
    // Single use: the link names the password it replaces.
    if claims.fp.as_deref() != Some(fingerprint(&old_hash).as_str()) {
        return Err(invalid());
    }
    if let Err(code) = password::check_new(&body.new_password, &[&email, &name]) {
        issues_to_error(vec![("new_password", code)])?;
    }
    let hash = password::hash_off_worker(&body.new_password).await?;
    state
        .db
        .write(move |conn| {
            // Re-check under the transaction: two uses of one link change it once.
            let current: String = users::table.filter(users::id.eq(user_id)).select(users::password_hash).first(conn)?;
            if current != old_hash {
                return Err(invalid());
            }
            set_password(conn, &meta, user_id, &hash, "password_reset", None)?;
            revoke_api_tokens(conn, &meta, user_id)?;
            Ok(())
        })
        .await?;
    Ok(())
}

/// Choose a new password with the token from the reset email. Signs out every session.
#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", tag = "accounts", request_body = ResetConfirm, responses(
    (status = 204), (status = 422, description = "token_invalid, token_expired or a password rule", body = crate::error::ErrorEnvelope)))]
#[post("/auth/password-reset/confirm")]
pub async fn post_reset_confirm(state: web::Data<AppState>, req: HttpRequest, body: web::Json<ResetConfirm>) -> Result<HttpResponse, AppError> {
    confirm_reset(&state, RequestMeta::from_request(&req), body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn change_password(state: &AppState, meta: RequestMeta, identity: &Identity, body: PasswordChange) -> Result<(), AppError> {
    let current_session = identity.require_session()?.to_string();
    let user_id = identity.user_id;
    super::login::check_password(state, &meta, &identity.email, &body.current_password, super::login::PasswordUse::ChangePassword).await?;
    if let Err(code) = password::check_new(&body.new_password, &[&identity.email, &identity.display_name]) {
        issues_to_error(vec![("new_password", code)])?;
    }
    let hash = password::hash_off_worker(&body.new_password).await?;
    let revoke_tokens = body.revoke_api_tokens;
    state
        .db
        .write(move |conn| {
            set_password(conn, &meta, user_id, &hash, "password_changed", Some(&current_session))?;
            if revoke_tokens {
                revoke_api_tokens(conn, &meta, user_id)?;
            }
            Ok(())
        })
        .await?;
    Ok(())
}

/// Change one's password; other sessions are signed out, this one stays.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "accounts", request_body = PasswordChange, responses((status = 204), (status = 401),
    (status = 403, description = "session_required: an API token cannot do this", body = crate::error::ErrorEnvelope),
    (status = 422, description = "wrong_password or a password rule", body = crate::error::ErrorEnvelope),
    (status = 429, description = "account_locked (see Retry-After)", body = crate::error::ErrorEnvelope)))]
#[post("/me/password")]
pub async fn post_change_password(state: web::Data<AppState>, req: HttpRequest, identity: Identity, body: web::Json<PasswordChange>) -> Result<HttpResponse, AppError> {
    change_password(&state, RequestMeta::from_request(&req), &identity, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
