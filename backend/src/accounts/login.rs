//! Sign-in and sign-out. Wrong passwords are counted per email address, registered or not, so
//! neither the error nor the lockout tells whether an address has an account; sign-in attempts
//! are also rate limited per client IP.

use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use governor::clock::{Clock, DefaultClock};
use serde::{Deserialize, Serialize};
use shared::accounts::{normalize_email, Me};
use std::net::IpAddr;
use utoipa::ToSchema;

use super::audit::{self, Event, RequestMeta};
use super::identity::{session_cookie, session_token, MaybeIdentity};
use super::{me, now, password, random_secret};
use crate::db::schema::{login_failures, sessions, users};
use crate::db::DbConn;
use crate::error::{push_field_error, AppError, FieldErrors};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// A successful sign-in: the access token is also set as the session cookie.
pub struct SignedIn {
    pub token: String,
    pub me: Me,
}

fn invalid_credentials() -> AppError {
    AppError::Unauthenticated { code: "invalid_credentials", message: "The email address or password is wrong." }
}

fn locked(retry_after_secs: u64) -> AppError {
    AppError::TooManyRequests {
        code: "account_locked",
        message: "Too many wrong passwords: sign-in is paused for this account. Try again later or reset the password.",
        retry_after_secs,
    }
}

/// Check the per-IP limit.
pub fn check_rate(state: &AppState, ip: Option<IpAddr>) -> Result<(), AppError> {
    let Some(ip) = ip else { return Ok(()) };
    let limiter = &state.login_limiter;
    if limiter.len() > 100_000 {
        limiter.retain_recent();
    }
    limiter.check_key(&ip).map_err(|not_until| AppError::TooManyRequests {
        code: "rate_limited",
        message: "Too many sign-in attempts from this address. Wait a minute and try again.",
        retry_after_secs: not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1),
    })
}

fn record_failure(state: &AppState, conn: &mut DbConn, email: &str) -> QueryResult<Option<NaiveDateTime>> {
    let t = now();
    let current: Option<i32> = login_failures::table
        .filter(login_failures::email.eq(email))
        .select(login_failures::failures)
        .first(conn)
        .optional()?;
    let failures = current.unwrap_or(0) + 1;
    let locked_until = (failures >= state.settings.max_failed_logins)
        .then(|| t + Duration::minutes(state.settings.lockout_minutes));
    if current.is_some() {
        diesel::update(login_failures::table.filter(login_failures::email.eq(email)))
            .set((login_failures::failures.eq(failures), login_failures::locked_until.eq(locked_until), login_failures::updated_at.eq(t)))
            .execute(conn)?;
    } else {
        diesel::insert_into(login_failures::table)
            .values((
                login_failures::email.eq(email),
                login_failures::failures.eq(failures),
                login_failures::locked_until.eq(locked_until),
                login_failures::updated_at.eq(t),
            ))
            .execute(conn)?;
    }
    Ok(locked_until)
}

/// Open a session row for a user and return its access token.
pub fn open_session(state: &AppState, conn: &mut DbConn, meta: &RequestMeta, user_id: i64) -> QueryResult<String> {
    let id = random_secret();
    let t = now();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(&id),
            sessions::user_id.eq(user_id),
            sessions::ip.eq(meta.ip.as_deref()),
            sessions::user_agent.eq(meta.user_agent.as_deref()),
            sessions::created_at.eq(t),
            sessions::last_seen_at.eq(t),
            sessions::expires_at.eq(t + Duration::hours(state.settings.session_max_hours)),
        ))
        .execute(conn)?;
    Ok(session_token(state, user_id, &id))
}

pub async fn login(state: &AppState, meta: RequestMeta, ip: Option<IpAddr>, body: LoginRequest) -> Result<SignedIn, AppError> {
    let email = normalize_email(&body.email);
    let mut fields = FieldErrors::new();
    if email.is_empty() {
        push_field_error(&mut fields, "email", "required", "This field is required.");
    }
    if body.password.is_empty() {
        push_field_error(&mut fields, "password", "required", "This field is required.");
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    check_rate(state, ip)?;
    let st = state.clone();
    let outcome = state
        .db
        .run(move |conn| {
            let t = now();
            let locked_until: Option<NaiveDateTime> = login_failures::table
                .filter(login_failures::email.eq(&email))
                .select(login_failures::locked_until)
                .first::<Option<NaiveDateTime>>(conn)
                .optional()?
                .flatten();
            if let Some(until) = locked_until.filter(|u| *u > t) {
                audit::record(conn, &meta, Event::new("login_failed").email(&email).detail(serde_json::json!({ "reason": "locked" })))?;
                return Err(locked((until - t).num_seconds().max(1) as u64));
            }
            let user: Option<(i64, String, Option<NaiveDateTime>)> = users::table
                .filter(users::email.eq(&email))
                .select((users::id, users::password_hash, users::disabled_at))
                .first(conn)
                .optional()?;
            let ok = match &user {
                Some((_, hash, _)) => password::verify(&body.password, hash),
                None => {
                    password::verify_nothing(&body.password);
                    false
                }
            };
            let Some((user_id, _, disabled)) = user.filter(|_| ok) else {
                let subject = users::table.filter(users::email.eq(&email)).select(users::id).first::<i64>(conn).optional()?;
                let mut event = Event::new("login_failed").email(&email).detail(serde_json::json!({ "reason": "wrong_password" }));
                if let Some(id) = subject {
                    event = event.subject(id);
                }
                audit::record(conn, &meta, event)?;
                if let Some(until) = record_failure(&st, conn, &email)? {
                    let mut event = Event::new("locked_out").email(&email).detail(serde_json::json!({ "until": until.to_string() }));
                    if let Some(id) = subject {
                        event = event.subject(id);
                    }
                    audit::record(conn, &meta, event)?;
                    return Err(locked((until - t).num_seconds().max(1) as u64));
                }
                return Err(invalid_credentials());
            };
            diesel::delete(login_failures::table.filter(login_failures::email.eq(&email))).execute(conn)?;
            if disabled.is_some() {
                audit::record(conn, &meta, Event::new("login_failed").subject(user_id).email(&email).detail(serde_json::json!({ "reason": "disabled" })))?;
                return Err(AppError::Forbidden { code: "account_disabled", message: "This account is disabled. Contact the portal's administrators." });
            }
            let token = open_session(&st, conn, &meta, user_id)?;
            audit::record(conn, &meta, Event::new("login_succeeded").actor(user_id).subject(user_id).email(&email))?;
            let me = me::load_me(conn, user_id)?;
            Ok(SignedIn { token, me })
        })
        .await?;
    Ok(outcome)
}

/// Sign in. The access token comes back as the `uhd_session` cookie (HttpOnly).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "accounts", request_body = LoginRequest, responses(
    (status = 200, body = Me, description = "Signed in; the session cookie is set"),
    (status = 401, description = "invalid_credentials", body = crate::error::ErrorEnvelope),
    (status = 403, description = "account_disabled", body = crate::error::ErrorEnvelope),
    (status = 429, description = "account_locked or rate_limited (see Retry-After)", body = crate::error::ErrorEnvelope)))]
#[post("/auth/login")]
pub async fn post_login(state: web::Data<AppState>, req: HttpRequest, body: web::Json<LoginRequest>) -> Result<HttpResponse, AppError> {
    let ip = req.peer_addr().map(|a| a.ip());
    let signed_in = login(&state, RequestMeta::from_request(&req), ip, body.into_inner()).await?;
    Ok(HttpResponse::Ok().cookie(session_cookie(&state, &req, Some(signed_in.token))).json(signed_in.me))
}

/// End the current session (if any).
pub async fn logout(state: &AppState, meta: RequestMeta, identity: Option<super::Identity>) -> Result<(), AppError> {
    let Some(identity) = identity else { return Ok(()) };
    let Some(sid) = identity.session_id().map(str::to_string) else { return Ok(()) };
    state
        .db
        .run(move |conn| {
            diesel::update(sessions::table.filter(sessions::id.eq(&sid)))
                .set(sessions::revoked_at.eq(now()))
                .execute(conn)?;
            audit::record(conn, &meta, Event::new("logout").actor(identity.user_id).subject(identity.user_id))?;
            Ok(())
        })
        .await
}

/// Sign out: ends the session and clears the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts", responses((status = 204)))]
#[post("/auth/logout")]
pub async fn post_logout(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity) -> Result<HttpResponse, AppError> {
    logout(&state, RequestMeta::from_request(&req), identity.0).await?;
    Ok(HttpResponse::NoContent().cookie(session_cookie(&state, &req, None)).finish())
}
