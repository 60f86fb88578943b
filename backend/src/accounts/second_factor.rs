//! The second factor: an authenticator app (TOTP, RFC 6238: HMAC-SHA1, 6 digits, 30 s steps,
//! one step of clock drift either way) and ten one-time recovery codes.
//!
//! Staff (park managers, agency reviewers and leads, experts, system admins) must have one: a
//! staff account signing in without one gets a session that can only enrol. Company users may
//! turn it on. A session opened with the right password is not complete until the second factor
//! is given (`POST /api/v1/auth/second-factor`); the same call on a complete session is a
//! step-up, which sensitive actions require within `step_up_minutes` ([`require_step_up`]).
//!
//! A code is accepted once: the time step of the last accepted code is kept, and only a later
//! step is accepted after it (an update conditional on that, so two requests racing with the
//! same code accept it once). Wrong codes count on the same lockout counter as wrong passwords;
//! after five on one session the session ends.

use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use shared::accounts::Me;
use totp_rs::{Algorithm, Secret, TOTP};
use utoipa::ToSchema;

use super::audit::{self, Event, RequestMeta};
use super::identity::{Identity, PendingIdentity, SecondFactor, SystemAdmin, Via};
use super::{me, now};
use crate::db::schema::{recovery_codes, sessions, users};
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;

/// The name authenticator apps show for the account.
pub const ISSUER: &str = "UHD Portal";
/// Recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;
/// Wrong codes on one session before it is ended.
pub const MAX_FAILURES_PER_SESSION: i32 = 5;
const STEP_SECONDS: u64 = 30;

fn totp_for(secret_base32: &str, account: &str) -> Result<TOTP, AppError> {
    let bytes = Secret::Encoded(secret_base32.to_string())
        .to_bytes()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("stored TOTP secret: {e:?}")))?;
    // Labels may not contain ':'; an email address never does.
    TOTP::new(Algorithm::SHA1, 6, 1, STEP_SECONDS, bytes, Some(ISSUER.to_string()), account.replace(':', ""))
        .map_err(|e| AppError::Internal(anyhow::anyhow!("TOTP: {e:?}")))
}

/// The time step a code matches, among the current one and one either side, if later than
/// `after` (a code is never accepted twice).
fn matching_step(totp: &TOTP, code: &str, after: Option<i64>) -> Option<i64> {
    let code = code.trim().replace(' ', "");
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let now = chrono::Utc::now().timestamp().max(0) as u64;
    let current = (now / STEP_SECONDS) as i64;
    (current - 1..=current + 1).filter(|s| after.is_none_or(|a| *s > a)).find(|s| {
        let expected = totp.generate(*s as u64 * STEP_SECONDS);
        // Compare digests: the time taken does not depend on how many digits matched.
        Sha256::digest(expected.as_bytes()) == Sha256::digest(code.as_bytes())
    })
}

/// A recovery code as stored (SHA-256 of the code without dashes, upper case).
pub fn recovery_digest(code: &str) -> String {
    let normal: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    hex::encode(Sha256::digest(normal.as_bytes()))
}

/// Ten new codes like `7KQ4M-PX2DA` (50 random bits each), replacing any earlier ones.
fn new_recovery_codes(conn: &mut DbConn, user_id: i64) -> QueryResult<Vec<String>> {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id))).execute(conn)?;
    let mut rng = rand::rng();
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let raw: String = (0..10).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
        let code = format!("{}-{}", &raw[..5], &raw[5..]);
        diesel::insert_into(recovery_codes::table)
            .values((recovery_codes::user_id.eq(user_id), recovery_codes::code_hash.eq(recovery_digest(&code)), recovery_codes::created_at.eq(now())))
            .execute(conn)?;
        codes.push(code);
    }
    Ok(codes)
}

/// Use one recovery code (once: the update only succeeds on an unused code).
fn use_recovery_code(conn: &mut DbConn, user_id: i64, code: &str) -> QueryResult<bool> {
    let id: Option<i64> = recovery_codes::table
        .filter(recovery_codes::user_id.eq(user_id))
        .filter(recovery_codes::code_hash.eq(recovery_digest(code)))
        .filter(recovery_codes::used_at.is_null())
        .select(recovery_codes::id)
        .first(conn)
        .optional()?;
    let Some(id) = id else { return Ok(false) };
    let used = diesel::update(recovery_codes::table.filter(recovery_codes::id.eq(id)).filter(recovery_codes::used_at.is_null()))
        .set(recovery_codes::used_at.eq(now()))
        .execute(conn)?;
    Ok(used == 1)
}

/// An enrolment in progress: the key as text and as an `otpauth://` link (and a QR code of it).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Enrolment {
    /// The shared key, base32 (RFC 4648), for typing into an authenticator app.
    pub secret: String,
    /// `otpauth://totp/...`, what the QR code holds.
    pub otpauth_uri: String,
    /// The QR code of `otpauth_uri` as an SVG document.
    pub qr_svg: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CodeBody {
    /// The six digits the authenticator app shows.
    pub code: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecoveryCodes {
    /// Each works once in place of a code. Shown only now.
    pub recovery_codes: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct SecondFactorBody {
    /// The six digits the authenticator app shows ...
    #[serde(default)]
    pub code: Option<String>,
    /// ... or one of the recovery codes.
    #[serde(default)]
    pub recovery_code: Option<String>,
}

fn enrolment_view(secret: &str, email: &str) -> Result<Enrolment, AppError> {
    let totp = totp_for(secret, email)?;
    let uri = totp.get_url();
    let qr = qrcode::QrCode::new(uri.as_bytes()).map_err(|e| AppError::Internal(anyhow::anyhow!("QR code: {e}")))?;
    let svg = qr.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build();
    Ok(Enrolment { secret: secret.to_string(), otpauth_uri: uri, qr_svg: svg })
}

/// Start (or show again) an enrolment: a new key is kept as pending until a first code from it
/// confirms it. Replacing an enrolled factor needs a recent second-factor check.
pub async fn start_enrolment(state: &AppState, meta: RequestMeta, identity: &Identity) -> Result<Enrolment, AppError> {
    identity.require_session()?;
    require_may_enrol(identity)?;
    let (user_id, email) = (identity.user_id, identity.email.clone());
    let replacing = identity.second_factor == SecondFactor::Done && identity.totp_enrolled;
    if replacing {
        require_step_up(state, identity)?;
    }
    let secret = state
        .db
        .write(move |conn| {
            let pending: Option<String> = users::table.filter(users::id.eq(user_id)).select(users::totp_pending_secret).first(conn)?;
            if let Some(secret) = pending {
                return Ok(secret);
            }
            let Secret::Encoded(secret) = Secret::generate_secret().to_encoded() else {
                return Err(AppError::Internal(anyhow::anyhow!("TOTP key encoding")));
            };
            diesel::update(users::table.filter(users::id.eq(user_id))).set(users::totp_pending_secret.eq(&secret)).execute(conn)?;
            audit::record(conn, &meta, Event::new("totp_enrolment_started").actor(user_id).subject(user_id))?;
            Ok(secret)
        })
        .await?;
    enrolment_view(&secret, &email)
}

/// Finish an enrolment with a first code: the key becomes the account's factor, ten recovery
/// codes are made (returned once), and this session counts as having passed the factor.
pub async fn confirm_enrolment(state: &AppState, meta: RequestMeta, identity: &Identity, code: &str) -> Result<Vec<String>, AppError> {
    let sid = identity.require_session()?.to_string();
    require_may_enrol(identity)?;
    if identity.second_factor == SecondFactor::Done && identity.totp_enrolled {
        require_step_up(state, identity)?;
    }
    let (user_id, email, code) = (identity.user_id, identity.email.clone(), code.to_string());
    let refused = || AppError::field("code", "code_wrong", "This code is not right; check the time on your phone and try the current one.");
    if code.trim().is_empty() {
        return Err(AppError::field("code", "required", "This field is required."));
    }
    state
        .db
        .write(move |conn| {
            let pending: Option<String> = users::table.filter(users::id.eq(user_id)).select(users::totp_pending_secret).first(conn)?;
            let pending = pending.ok_or_else(|| AppError::Conflict { code: "no_enrolment", message: "Start the enrolment first.".into() })?;
            let step = matching_step(&totp_for(&pending, &email)?, &code, None).ok_or_else(refused)?;
            let t = now();
            diesel::update(users::table.filter(users::id.eq(user_id)).filter(users::totp_pending_secret.eq(&pending)))
                .set((
                    users::totp_secret.eq(&pending),
                    users::totp_pending_secret.eq(None::<String>),
                    users::totp_enabled_at.eq(t),
                    users::totp_last_step.eq(step),
                    users::updated_at.eq(t),
                ))
                .execute(conn)?;
            let codes = new_recovery_codes(conn, user_id)?;
            mark_passed(conn, &sid)?;
            audit::record(conn, &meta, Event::new("totp_enrolled").actor(user_id).subject(user_id).email(&email))?;
            Ok(codes)
        })
        .await
}

/// A session that still owes its enrolled factor (the password alone) may not enrol another:
/// that would replace the owner's authenticator with the caller's.
fn require_may_enrol(identity: &Identity) -> Result<(), AppError> {
    if identity.second_factor == SecondFactor::Required {
        return Err(AppError::Unauthenticated {
            code: "second_factor_required",
            message: "Give the code from your authenticator app (or a recovery code) first.",
        });
    }
    Ok(())
}

fn mark_passed(conn: &mut DbConn, sid: &str) -> QueryResult<usize> {
    diesel::update(sessions::table.filter(sessions::id.eq(sid)))
        .set((sessions::second_factor.eq(SecondFactor::Done.as_str()), sessions::second_factor_at.eq(now()), sessions::second_factor_failures.eq(0)))
        .execute(conn)
}

/// Give the second factor: completes a sign-in, or (on a complete session) a step-up.
pub async fn verify(state: &AppState, meta: RequestMeta, identity: &Identity, body: SecondFactorBody) -> Result<Me, AppError> {
    let sid = identity.require_session()?.to_string();
    if identity.second_factor == SecondFactor::Enrol {
        return Err(AppError::Conflict { code: "enrolment_required", message: "Enrol an authenticator app first.".into() });
    }
    let code = body.code.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
    let recovery = body.recovery_code.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
    if code.is_none() && recovery.is_none() {
        return Err(AppError::field("code", "required", "Enter the code from your authenticator app or a recovery code."));
    }
    let (st, user_id, email) = (state.clone(), identity.user_id, identity.email.clone());
    // One transaction: the code's use, the session's state and the audit records commit
    // together; a wrong code is an `Ok(Err(..))`, so its count is committed too.
    let outcome = state
        .db
        .write(move |conn| {
            let row: (Option<String>, Option<i64>) =
                users::table.filter(users::id.eq(user_id)).select((users::totp_secret, users::totp_last_step)).first(conn)?;
            let (Some(secret), last_step) = row else {
                return Err(AppError::Conflict { code: "enrolment_required", message: "Enrol an authenticator app first.".into() });
            };
            let passed = (|conn: &mut DbConn| -> Result<bool, AppError> {
                if let Some(code) = &code {
                    let Some(step) = matching_step(&totp_for(&secret, &email)?, code, last_step) else { return Ok(false) };
                    // Only if no other request used this step (or a later one) meanwhile.
                    let taken = diesel::update(
                        users::table.filter(users::id.eq(user_id)).filter(users::totp_last_step.is_null().or(users::totp_last_step.lt(step))),
                    )
                    .set(users::totp_last_step.eq(step))
                    .execute(conn)?;
                    return Ok(taken == 1);
                }
                let recovery = recovery.as_deref().unwrap_or_default();
                let used = use_recovery_code(conn, user_id, recovery)?;
                if used {
                    let left: i64 = recovery_codes::table
                        .filter(recovery_codes::user_id.eq(user_id))
                        .filter(recovery_codes::used_at.is_null())
                        .count()
                        .get_result(conn)?;
                    audit::record(conn, &meta, Event::new("recovery_code_used").actor(user_id).subject(user_id).detail(serde_json::json!({ "left": left })))?;
                }
                Ok(used)
            })(conn)?;
            if passed {
                mark_passed(conn, &sid)?;
                audit::record(conn, &meta, Event::new("second_factor_passed").actor(user_id).subject(user_id).email(&email))?;
                return Ok(Ok(me::load_me(conn, user_id)?));
            }
            // Wrong: counted on the session and on the address's lockout counter.
            let failures: i32 = diesel::update(sessions::table.filter(sessions::id.eq(&sid)))
                .set(sessions::second_factor_failures.eq(sessions::second_factor_failures + 1))
                .returning(sessions::second_factor_failures)
                .get_result(conn)?;
            audit::record(conn, &meta, Event::new("second_factor_failed").actor(user_id).subject(user_id).detail(serde_json::json!({ "failures": failures })))?;
            let locked = super::login::count_failure(&st, conn, &meta, &email, Some(user_id))?;
            if failures >= MAX_FAILURES_PER_SESSION || locked.is_some() {
                diesel::update(sessions::table.filter(sessions::id.eq(&sid))).set(sessions::revoked_at.eq(now())).execute(conn)?;
                return Ok(Err(AppError::Unauthenticated { code: "second_factor_failed", message: "Too many wrong codes: sign in again." }));
            }
            Ok(Err(if code.is_some() {
                AppError::field("code", "code_wrong", "This code is not right, or was already used; wait for the next one.")
            } else {
                AppError::field("recovery_code", "code_wrong", "This recovery code is not right or was already used.")
            }))
        })
        .await?;
    outcome
}

/// Sensitive actions (granting roles, inviting staff, disabling users, editing programs, the
/// calendar or bases) need a browser session that passed the second factor within
/// `step_up_minutes`; an API token can never perform them.
pub fn require_step_up(state: &AppState, identity: &Identity) -> Result<(), AppError> {
    if matches!(identity.via, Via::Token { .. }) {
        return Err(AppError::Forbidden { code: "session_required", message: "This needs a signed-in browser session, not an API token." });
    }
    let window = Duration::minutes(state.settings.step_up_minutes);
    let fresh = identity.second_factor_at.is_some_and(|at: NaiveDateTime| state.clock.now_naive() - at <= window);
    if fresh {
        Ok(())
    } else {
        Err(AppError::Forbidden {
            code: "step_up_required",
            message: "Confirm with your authenticator app (POST /api/v1/auth/second-factor) before this action.",
        })
    }
}

/// A system admin removes a person's second factor (a lost phone): their sessions end, and a
/// staff account must enrol again at its next sign-in.
pub async fn reset(state: &AppState, meta: RequestMeta, admin: &Identity, user_id: i64) -> Result<(), AppError> {
    require_step_up(state, admin)?;
    let actor = admin.user_id;
    state
        .db
        .write(move |conn| {
            let t = now();
            let n = diesel::update(users::table.filter(users::id.eq(user_id)))
                .set((
                    users::totp_secret.eq(None::<String>),
                    users::totp_pending_secret.eq(None::<String>),
                    users::totp_enabled_at.eq(None::<NaiveDateTime>),
                    users::totp_last_step.eq(None::<i64>),
                    users::updated_at.eq(t),
                ))
                .execute(conn)?;
            if n == 0 {
                return Err(AppError::NotFound("the user"));
            }
            diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id))).execute(conn)?;
            super::me::revoke_sessions(conn, user_id, None)?;
            audit::record(conn, &meta, Event::new("totp_reset").actor(actor).subject(user_id))?;
            Ok(())
        })
        .await
}

/// Start enrolling an authenticator app: returns the key (base32), the `otpauth://` link and
/// its QR code. Replacing an enrolled one needs a recent second-factor check.
#[utoipa::path(post, path = "/api/v1/me/totp", tag = "accounts", responses(
    (status = 200, body = Enrolment),
    (status = 401, body = crate::error::ErrorEnvelope),
    (status = 403, description = "session_required (an API token) or step_up_required", body = crate::error::ErrorEnvelope)))]
#[post("/me/totp")]
pub async fn post_totp(state: web::Data<AppState>, req: HttpRequest, PendingIdentity(identity): PendingIdentity) -> Result<web::Json<Enrolment>, AppError> {
    Ok(web::Json(start_enrolment(&state, RequestMeta::from_request(&req), &identity).await?))
}

/// Finish the enrolment with the first code; returns the ten recovery codes (shown once).
#[utoipa::path(post, path = "/api/v1/me/totp/confirm", tag = "accounts", request_body = CodeBody, responses(
    (status = 200, body = RecoveryCodes),
    (status = 401, body = crate::error::ErrorEnvelope),
    (status = 403, description = "session_required (an API token)", body = crate::error::ErrorEnvelope),
    (status = 409, description = "no_enrolment: start it first", body = crate::error::ErrorEnvelope),
    (status = 422, description = "code_wrong or required", body = crate::error::ErrorEnvelope)))]
#[post("/me/totp/confirm")]
pub async fn post_totp_confirm(
    state: web::Data<AppState>,
    req: HttpRequest,
    PendingIdentity(identity): PendingIdentity,
    body: web::Json<CodeBody>,
) -> Result<web::Json<RecoveryCodes>, AppError> {
    let codes = confirm_enrolment(&state, RequestMeta::from_request(&req), &identity, &body.code).await?;
    Ok(web::Json(RecoveryCodes { recovery_codes: codes }))
}

/// Give the second factor (`code` or `recovery_code`): completes a sign-in whose password was
/// right, or on a complete session confirms a sensitive action (step-up).
#[utoipa::path(post, path = "/api/v1/auth/second-factor", tag = "accounts", request_body = SecondFactorBody, responses(
    (status = 200, body = Me),
    (status = 401, description = "unauthenticated, or second_factor_failed: too many wrong codes, sign in again", body = crate::error::ErrorEnvelope),
    (status = 403, description = "session_required (an API token)", body = crate::error::ErrorEnvelope),
    (status = 409, description = "enrolment_required", body = crate::error::ErrorEnvelope),
    (status = 422, description = "code_wrong or required", body = crate::error::ErrorEnvelope),
    (status = 429, description = "account_locked (see Retry-After)", body = crate::error::ErrorEnvelope)))]
#[post("/auth/second-factor")]
pub async fn post_second_factor(
    state: web::Data<AppState>,
    req: HttpRequest,
    PendingIdentity(identity): PendingIdentity,
    body: web::Json<SecondFactorBody>,
) -> Result<HttpResponse, AppError> {
    let me = verify(&state, RequestMeta::from_request(&req), &identity, body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(me))
}

/// Remove a person's second factor (a system admin, with a recent second-factor check).
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/totp/reset", tag = "admin", params(("id" = i64, Path)), responses(
    (status = 204), (status = 401, body = crate::error::ErrorEnvelope),
    (status = 403, description = "forbidden, session_required or step_up_required", body = crate::error::ErrorEnvelope),
    (status = 404, body = crate::error::ErrorEnvelope)))]
#[post("/admin/users/{id}/totp/reset")]
pub async fn post_totp_reset(state: web::Data<AppState>, req: HttpRequest, SystemAdmin(admin): SystemAdmin, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    reset(&state, RequestMeta::from_request(&req), &admin, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_matches_its_step_once() {
        let Secret::Encoded(secret) = Secret::generate_secret().to_encoded() else { panic!("encoded") };
        let totp = totp_for(&secret, "pm@example.com").expect("totp");
        let code = totp.generate_current().expect("clock");
        let step = matching_step(&totp, &code, None).expect("matches");
        assert_eq!(matching_step(&totp, &code, Some(step)), None, "not twice");
        assert_eq!(matching_step(&totp, "12345", None), None);
        assert_eq!(matching_step(&totp, "abcdef", None), None);
        assert!(totp.get_url().starts_with("otpauth://totp/UHD%20Portal:pm%40example.com?secret="));
    }

    #[test]
    fn recovery_codes_compare_without_dashes_or_case() {
        assert_eq!(recovery_digest("7kq4m-px2da"), recovery_digest("7KQ4MPX2DA"));
        assert_ne!(recovery_digest("7KQ4M-PX2DA"), recovery_digest("7KQ4M-PX2DB"));
    }
}
