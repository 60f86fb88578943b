//! Sign-in and sign-out. Wrong passwords are counted per email address, registered or not, on
//! one counter that every password check shares, so neither the error nor the lockout tells
//! whether an address has an account (or is disabled); sign-in attempts are also rate limited
//! per client address.

use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use shared::accounts::{normalize_email, Me};
use utoipa::ToSchema;

use super::audit::{self, Event, RequestMeta};
use super::identity::{session_cookie, session_token, PendingIdentity, SecondFactor};
use super::{me, now, password, random_secret};
use crate::db::schema::{login_failures, sessions, users};
use crate::db::DbConn;
use crate::error::{push_field_error, AppError, FieldErrors};
use crate::ratelimit::Action;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// A right password: the access token is also set as the session cookie. When
/// `second_factor` is set, the session can do nothing until the factor is given (`required`)
/// or an authenticator app is enrolled (`enrol`).
pub struct SignedIn {
    pub token: String,
    pub me: Me,
    pub second_factor: Option<SecondFactor>,
}

/// The answer to a sign-in: the person, and whether a second factor is still to come.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LoginResponse {
    #[serde(flatten)]
    pub me: Me,
    /// `required`: send the code to `POST /api/v1/auth/second-factor`; `enrol`: enrol an
    /// authenticator app (`POST /api/v1/me/totp`, then `/me/totp/confirm`). Absent when the
    /// sign-in is complete.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub second_factor: Option<String>,
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

#[derive(QueryableByName)]
struct FailureCount {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    failures: i32,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamp>)]
    locked_until: Option<NaiveDateTime>,
}

/// Count one wrong password for `email` in one statement, so concurrent attempts each count
/// (an update of the row, or the first insert; two first inserts at once retry as an update).
/// A lock that has expired starts the count again at one. Returns the lock's end once the
/// count reaches the limit.
fn record_failure(state: &AppState, conn: &mut DbConn, email: &str) -> QueryResult<Option<NaiveDateTime>> {
    let t = now();
    let until = t + Duration::minutes(state.settings.lockout_minutes);
    let max = state.settings.max_failed_logins;
    use diesel::sql_types::{Integer, Text, Timestamp};
    for _ in 0..3 {
        // Parameters appear in order and once each: SQLite numbers `$n` by first appearance.
        let updated: Option<FailureCount> = diesel::sql_query(
            "UPDATE login_failures SET \
               failures = CASE WHEN locked_until IS NOT NULL AND locked_until <= $1 THEN 1 ELSE failures + 1 END, \
               locked_until = CASE \
                 WHEN locked_until IS NOT NULL AND locked_until > $2 THEN locked_until \
                 WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= $3 THEN 1 ELSE failures + 1 END) >= $4 THEN $5 \
                 ELSE NULL END, \
               updated_at = $6 \
             WHERE email = $7 RETURNING failures, locked_until",
        )
        .bind::<Timestamp, _>(t)
        .bind::<Timestamp, _>(t)
        .bind::<Timestamp, _>(t)
        .bind::<Integer, _>(max)
        .bind::<Timestamp, _>(until)
        .bind::<Timestamp, _>(t)
        .bind::<Text, _>(email)
        .get_result(conn)
        .optional()?;
        if let Some(row) = updated {
            return Ok(if row.failures >= max { row.locked_until } else { None });
        }
        let first_lock = (1 >= max).then_some(until);
        // `ON CONFLICT DO NOTHING` (both databases): a row another attempt inserted meanwhile
        // is no error, which on PostgreSQL would abort the whole transaction; the loop then
        // counts this attempt with the update above.
        let inserted = diesel::sql_query(
            "INSERT INTO login_failures (email, failures, locked_until, updated_at) VALUES ($1, 1, $2, $3) \
             ON CONFLICT (email) DO NOTHING",
        )
        .bind::<Text, _>(email)
        .bind::<diesel::sql_types::Nullable<Timestamp>, _>(first_lock)
        .bind::<Timestamp, _>(t)
        .execute(conn)?;
        if inserted == 1 {
            return Ok(first_lock);
        }
    }
    Ok(None)
}

/// Count one failed check (a wrong password or second-factor code) on the address's counter;
/// returns the lock's end when this one locked it (and records that in the audit log).
pub fn count_failure(state: &AppState, conn: &mut DbConn, meta: &RequestMeta, email: &str, subject: Option<i64>) -> QueryResult<Option<NaiveDateTime>> {
    let until = record_failure(state, conn, email)?;
    if let Some(until) = until {
        let mut event = Event::new("locked_out").email(email).detail(serde_json::json!({ "until": until.to_string() }));
        if let Some(id) = subject {
            event = event.subject(id);
        }
        audit::record(conn, meta, event)?;
    }
    Ok(until)
}

/// When the lock on `email` ends, if it is locked now.
fn locked_until(conn: &mut DbConn, email: &str) -> QueryResult<Option<NaiveDateTime>> {
    let t = now();
    Ok(login_failures::table
        .filter(login_failures::email.eq(email))
        .select(login_failures::locked_until)
        .first::<Option<NaiveDateTime>>(conn)
        .optional()?
        .flatten()
        .filter(|u| *u > t))
}

/// What a password check is for, as the audit log names it.
#[derive(Debug, Clone, Copy)]
pub enum PasswordUse {
    SignIn,
    AcceptInvitation,
    ChangePassword,
}

impl PasswordUse {
    fn as_str(self) -> &'static str {
        match self {
            PasswordUse::SignIn => "sign_in",
            PasswordUse::AcceptInvitation => "accept_invitation",
            PasswordUse::ChangePassword => "change_password",
        }
    }
}

/// The one password check (sign-in, accepting an invitation with an existing account,
/// changing the password): refuses while the address is locked, verifies the password on the
/// blocking pool without holding a database connection, counts a wrong one on the shared
/// counter and clears the counter on success. A disabled account answers exactly like a wrong
/// password. Returns the user's id.
pub async fn check_password(state: &AppState, meta: &RequestMeta, email: &str, password_text: &str, purpose: PasswordUse) -> Result<i64, AppError> {
    let mail = email.to_string();
    let (locked_until_at, user): (Option<NaiveDateTime>, Option<(i64, String, bool)>) = state
        .db
        .run(move |conn| {
            let found: Option<(i64, String, Option<NaiveDateTime>)> = users::table
                .filter(users::email.eq(&mail))
                .select((users::id, users::password_hash, users::disabled_at))
                .first(conn)
                .optional()?;
            Ok((locked_until(conn, &mail)?, found.map(|(id, hash, disabled)| (id, hash, disabled.is_some()))))
        })
        .await?;
    if let Some(until) = locked_until_at {
        let (mail, m) = (email.to_string(), meta.clone());
        // The record of a refusal: nothing cached depends on it.
        state
            .db
            .write_bookkeeping(move |conn| {
                let event = Event::new("login_failed").email(&mail).detail(serde_json::json!({ "reason": "locked", "use": purpose.as_str() }));
                Ok(audit::record(conn, &m, event)?)
            })
            .await?;
        return Err(locked((until - state.clock.now_naive()).num_seconds().max(1) as u64));
    }
    let candidate = password_text.to_string();
    let stored = user.as_ref().map(|u| u.1.clone());
    let matches = web::block(move || match stored {
        Some(hash) => password::verify(&candidate, &hash),
        None => {
            password::verify_nothing(&candidate);
            false
        }
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("password check: {e}")))?;
    let (st, mail, m) = (state.clone(), email.to_string(), meta.clone());
    // A refusal is an `Ok(Err(..))`: the count and its audit records commit with the answer.
    state
        .db
        .write(move |conn| {
            let subject = user.as_ref().map(|u| u.0);
            let disabled = user.as_ref().is_some_and(|u| u.2);
            if matches && !disabled {
                diesel::delete(login_failures::table.filter(login_failures::email.eq(&mail))).execute(conn)?;
                return Ok(Ok(subject.unwrap_or_default()));
            }
            let reason = if matches { "disabled" } else { "wrong_password" };
            let mut event = Event::new("login_failed").email(&mail).detail(serde_json::json!({ "reason": reason, "use": purpose.as_str() }));
            if let Some(id) = subject {
                event = event.subject(id);
            }
            audit::record(conn, &m, event)?;
            if let Some(until) = count_failure(&st, conn, &m, &mail, subject)? {
                return Ok(Err(locked((until - now()).num_seconds().max(1) as u64)));
            }
            Ok(Err(match purpose {
                PasswordUse::ChangePassword => AppError::field("current_password", "wrong_password", "The current password is wrong."),
                PasswordUse::AcceptInvitation => AppError::field("password", "wrong_password", "The password is wrong."),
                PasswordUse::SignIn => invalid_credentials(),
            }))
        })
        .await?
}

/// Open a session row for a user and return its access token.
pub fn open_session(state: &AppState, conn: &mut DbConn, meta: &RequestMeta, user_id: i64) -> QueryResult<String> {
    open_session_at(state, conn, meta, user_id, SecondFactor::Done)
}

/// Where a new session of this person starts: an enrolled factor must be given; a staff
/// account without one must enrol.
pub fn second_factor_stage(conn: &mut DbConn, user_id: i64) -> QueryResult<SecondFactor> {
    let enrolled: Option<NaiveDateTime> = users::table.filter(users::id.eq(user_id)).select(users::totp_enabled_at).first(conn)?;
    if enrolled.is_some() {
        return Ok(SecondFactor::Required);
    }
    let staff = super::identity::load_grants(conn, user_id)?.iter().any(|g| g.role.is_staff());
    Ok(if staff { SecondFactor::Enrol } else { SecondFactor::Done })
}

/// Open a session at a given second-factor stage.
pub fn open_session_at(state: &AppState, conn: &mut DbConn, meta: &RequestMeta, user_id: i64, stage: SecondFactor) -> QueryResult<String> {
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
            sessions::second_factor.eq(stage.as_str()),
        ))
        .execute(conn)?;
    Ok(session_token(state, user_id, &id))
}

pub async fn login(state: &AppState, meta: RequestMeta, body: LoginRequest) -> Result<SignedIn, AppError> {
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
    state.limits.check(Action::SignIn, meta.client)?;
    let user_id = check_password(state, &meta, &email, &body.password, PasswordUse::SignIn).await?;
    let st = state.clone();
    state
        .db
        .write(move |conn| {
            let stage = second_factor_stage(conn, user_id)?;
            let token = open_session_at(&st, conn, &meta, user_id, stage)?;
            let event = if stage == SecondFactor::Done { "login_succeeded" } else { "password_accepted" };
            audit::record(conn, &meta, Event::new(event).actor(user_id).subject(user_id).email(&email))?;
            let me = me::load_me(conn, user_id)?;
            Ok(SignedIn { token, me, second_factor: (stage != SecondFactor::Done).then_some(stage) })
        })
        .await
}

/// Sign in. The access token comes back as the `uhd_session` cookie (HttpOnly).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "accounts", request_body = LoginRequest, responses(
    (status = 200, body = LoginResponse, description = "The password was right; the session cookie is set. With `second_factor` the sign-in is not complete yet"),
    (status = 422, description = "required fields missing", body = crate::error::ErrorEnvelope),
    (status = 401, description = "invalid_credentials", body = crate::error::ErrorEnvelope),
    (status = 429, description = "account_locked or rate_limited (see Retry-After)", body = crate::error::ErrorEnvelope)))]
#[post("/auth/login")]
pub async fn post_login(state: web::Data<AppState>, req: HttpRequest, body: web::Json<LoginRequest>) -> Result<HttpResponse, AppError> {
    let signed_in = login(&state, RequestMeta::from_request(&req), body.into_inner()).await?;
    let body = LoginResponse { me: signed_in.me, second_factor: signed_in.second_factor.map(|s| s.as_str().to_string()) };
    Ok(HttpResponse::Ok().cookie(session_cookie(&state, &req, Some(signed_in.token))).json(body))
}

/// End the current session (if any).
pub async fn logout(state: &AppState, meta: RequestMeta, identity: Option<super::Identity>) -> Result<(), AppError> {
    let Some(identity) = identity else { return Ok(()) };
    let Some(sid) = identity.session_id().map(str::to_string) else { return Ok(()) };
    state
        .db
        .write(move |conn| {
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
pub async fn post_logout(state: web::Data<AppState>, req: HttpRequest, identity: Option<PendingIdentity>) -> Result<HttpResponse, AppError> {
    logout(&state, RequestMeta::from_request(&req), identity.map(|i| i.0)).await?;
    Ok(HttpResponse::NoContent().cookie(session_cookie(&state, &req, None)).finish())
}
