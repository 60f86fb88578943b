//! The signed-in person: profile, sessions and personal API tokens.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use shared::accounts::{normalize_locale, normalize_phone, phone_is_valid, ApiTokenView, Me, Role, RoleGrantView, SessionView};
use utoipa::ToSchema;

use super::audit::{self, Event, RequestMeta};
use super::identity::{load_grants, session_cookie, token_digest, Identity};
use super::{now, random_secret};
use crate::db::schema::{agencies, api_tokens, bases, enterprises, notifications, sessions, users};
use crate::db::DbConn;
use crate::error::{push_field_error, AppError, FieldErrors};
use crate::state::AppState;

pub fn load_me(conn: &mut DbConn, user_id: i64) -> QueryResult<Me> {
    type MeRow = (String, String, Option<String>, String, Option<NaiveDateTime>, Option<NaiveDateTime>);
    let (email, display_name, phone, locale, verified, totp): MeRow = users::table
        .filter(users::id.eq(user_id))
        .select((users::email, users::display_name, users::phone, users::locale, users::email_verified_at, users::totp_enabled_at))
        .first(conn)?;
    let mut roles = Vec::new();
    for g in load_grants(conn, user_id)? {
        roles.push(RoleGrantView {
            id: g.id,
            role: g.role,
            enterprise_id: g.enterprise_id,
            base_id: g.base_id,
            agency_id: g.agency_id,
            scope_name: scope_name(conn, g.enterprise_id, g.base_id, g.agency_id)?,
        });
    }
    // The header's count (notifications are written inside the write path, so a cached `Me`
    // is dropped when one arrives or is read).
    let unread_notifications: i64 = notifications::table.filter(notifications::user_id.eq(user_id)).filter(notifications::read_at.is_null()).count().get_result(conn)?;
    Ok(Me { id: user_id, email, display_name, phone, locale, email_verified: verified.is_some(), roles, second_factor_enabled: totp.is_some(), unread_notifications })
}

/// The Chinese name of what a role is bound to.
pub fn scope_name(conn: &mut DbConn, enterprise: Option<i64>, base: Option<i64>, agency: Option<i64>) -> QueryResult<Option<String>> {
    if let Some(id) = enterprise {
        return enterprises::table.filter(enterprises::id.eq(id)).select(enterprises::name_zh).first(conn).optional();
    }
    if let Some(id) = base {
        return bases::table.filter(bases::id.eq(id)).select(bases::name_zh).first(conn).optional();
    }
    if let Some(id) = agency {
        return agencies::table.filter(agencies::id.eq(id)).select(agencies::name_zh).first(conn).optional();
    }
    Ok(None)
}

pub use crate::caches::MeCache;

/// Who `user_id` is, from the cache or the database.
pub async fn me_of(state: &AppState, user_id: i64) -> Result<Me, AppError> {
    state.people.get_or_load(user_id, || state.db.run(move |conn| Ok(load_me(conn, user_id)?))).await
}

/// Who am I: profile, email confirmation and roles with their scope.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", responses((status = 200, body = Me), (status = 401)))]
#[get("/me")]
pub async fn get_me(state: web::Data<AppState>, identity: Identity) -> Result<web::Json<Me>, AppError> {
    Ok(web::Json(state.db.run(move |conn| Ok(load_me(conn, identity.user_id)?)).await?))
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct UpdateMe {
    pub display_name: Option<String>,
    pub phone: Option<String>,
    /// `zh-CN` or `en`: the language of emails to this person.
    pub locale: Option<String>,
}

/// Change one's name, mobile number or email language.
#[utoipa::path(patch, path = "/api/v1/me", tag = "accounts", request_body = UpdateMe, responses((status = 200, body = Me), (status = 422)))]
#[patch("/me")]
pub async fn patch_me(state: web::Data<AppState>, req: HttpRequest, identity: Identity, body: web::Json<UpdateMe>) -> Result<web::Json<Me>, AppError> {
    let body = body.into_inner();
    let mut fields = FieldErrors::new();
    let name = body.display_name.as_deref().map(str::trim).map(str::to_string);
    if name.as_deref().is_some_and(|n| n.is_empty() || n.chars().count() > 100) {
        push_field_error(&mut fields, "display_name", "required", "A name of 1 to 100 characters is required.");
    }
    let phone = body.phone.as_deref().map(normalize_phone);
    if phone.as_deref().is_some_and(|p| !phone_is_valid(p)) {
        push_field_error(&mut fields, "phone", "invalid_phone", super::issue_message("invalid_phone"));
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let locale = body.locale.as_deref().map(|l| normalize_locale(Some(l)).to_string());
    let meta = RequestMeta::from_request(&req);
    let me = state
        .db
        .write(move |conn| {
            let target = users::table.filter(users::id.eq(identity.user_id));
            if let Some(n) = &name {
                diesel::update(target).set(users::display_name.eq(n)).execute(conn)?;
            }
            if let Some(p) = &phone {
                diesel::update(target).set(users::phone.eq(p)).execute(conn)?;
            }
            if let Some(l) = &locale {
                diesel::update(target).set(users::locale.eq(l)).execute(conn)?;
            }
            diesel::update(target).set(users::updated_at.eq(now())).execute(conn)?;
            let changed: Vec<&str> = [("display_name", name.is_some()), ("phone", phone.is_some()), ("locale", locale.is_some())]
                .into_iter()
                .filter_map(|(field, given)| given.then_some(field))
                .collect();
            audit::record(conn, &meta, Event::new("account_updated").actor(identity.user_id).subject(identity.user_id).detail(serde_json::json!({ "changed": changed })))?;
            Ok(load_me(conn, identity.user_id)?)
        })
        .await?;
    Ok(web::Json(me))
}

type SessionRow = (String, NaiveDateTime, NaiveDateTime, Option<String>, Option<String>);

pub fn list_sessions(conn: &mut DbConn, user_id: i64, current: Option<&str>) -> QueryResult<Vec<SessionView>> {
    let rows: Vec<SessionRow> = sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(now()))
        .select((sessions::id, sessions::created_at, sessions::last_seen_at, sessions::ip, sessions::user_agent))
        .order(sessions::last_seen_at.desc())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, created, seen, ip, ua)| SessionView {
            current: current == Some(id.as_str()),
            id,
            created_at: created.and_utc(),
            last_seen_at: seen.and_utc(),
            ip,
            user_agent: ua,
        })
        .collect())
}

/// The person's signed-in browsers.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "accounts", responses((status = 200, body = Vec<SessionView>), (status = 401)))]
#[get("/me/sessions")]
pub async fn get_sessions(state: web::Data<AppState>, identity: Identity) -> Result<web::Json<Vec<SessionView>>, AppError> {
    let current = identity.session_id().map(str::to_string);
    Ok(web::Json(state.db.run(move |conn| Ok(list_sessions(conn, identity.user_id, current.as_deref())?)).await?))
}

/// End sessions of `user_id`: one (`Some(id)`) or all.
pub fn revoke_sessions(conn: &mut DbConn, user_id: i64, only: Option<&str>) -> QueryResult<usize> {
    let mut q = diesel::update(sessions::table)
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .into_boxed();
    if let Some(id) = only {
        q = q.filter(sessions::id.eq(id.to_string()));
    }
    q.set(sessions::revoked_at.eq(now())).execute(conn)
}

/// End one session (sign that browser out).
#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", tag = "accounts", params(("id" = String, Path)), responses((status = 204), (status = 404)))]
#[delete("/me/sessions/{id}")]
pub async fn delete_session(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let current = identity.require_session()?.to_string();
    let sid = path.into_inner();
    let meta = RequestMeta::from_request(&req);
    let ended_current = sid == current;
    state
        .db
        .write(move |conn| {
            if revoke_sessions(conn, identity.user_id, Some(&sid))? == 0 {
                return Err(AppError::NotFound("the session"));
            }
            audit::record(conn, &meta, Event::new("session_ended").actor(identity.user_id).subject(identity.user_id))?;
            Ok(())
        })
        .await?;
    let mut res = HttpResponse::NoContent();
    if ended_current {
        res.cookie(session_cookie(&state, &req, None));
    }
    Ok(res.finish())
}

/// End every session of this person, this one included, and revoke their API tokens (sign out
/// everywhere).
#[utoipa::path(delete, path = "/api/v1/me/sessions", tag = "accounts", responses((status = 204), (status = 401), (status = 403, description = "session_required: an API token cannot do this")))]
#[delete("/me/sessions")]
pub async fn delete_all_sessions(state: web::Data<AppState>, req: HttpRequest, identity: Identity) -> Result<HttpResponse, AppError> {
    identity.require_session()?;
    let meta = RequestMeta::from_request(&req);
    state
        .db
        .write(move |conn| {
            let n = revoke_sessions(conn, identity.user_id, None)?;
            audit::record(conn, &meta, Event::new("sessions_ended").actor(identity.user_id).subject(identity.user_id).detail(serde_json::json!({ "count": n })))?;
            super::password_reset::revoke_api_tokens(conn, &meta, identity.user_id)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().cookie(session_cookie(&state, &req, None)).finish())
}

type TokenRow = (i64, String, String, String, NaiveDateTime, NaiveDateTime, Option<NaiveDateTime>, Option<NaiveDateTime>);

/// The columns of [`TokenRow`].
const TOKEN_COLUMNS: (
    api_tokens::id,
    api_tokens::name,
    api_tokens::prefix,
    api_tokens::scope,
    api_tokens::created_at,
    api_tokens::expires_at,
    api_tokens::last_used_at,
    api_tokens::revoked_at,
) = (
    api_tokens::id,
    api_tokens::name,
    api_tokens::prefix,
    api_tokens::scope,
    api_tokens::created_at,
    api_tokens::expires_at,
    api_tokens::last_used_at,
    api_tokens::revoked_at,
);

fn token_view((id, name, prefix, scope, created, expires, used, revoked): TokenRow) -> ApiTokenView {
    ApiTokenView {
        id,
        name,
        prefix,
        scope,
        created_at: created.and_utc(),
        expires_at: expires.and_utc(),
        last_used_at: used.map(|t| t.and_utc()),
        revoked: revoked.is_some(),
    }
}

pub fn list_tokens(conn: &mut DbConn, user_id: i64) -> QueryResult<Vec<ApiTokenView>> {
    let rows: Vec<TokenRow> = api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .select(TOKEN_COLUMNS)
        .order(api_tokens::id.desc())
        .load(conn)?;
    Ok(rows.into_iter().map(token_view).collect())
}

/// The person's API tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "accounts", responses((status = 200, body = Vec<ApiTokenView>), (status = 401)))]
#[get("/me/tokens")]
pub async fn get_tokens(state: web::Data<AppState>, identity: Identity) -> Result<web::Json<Vec<ApiTokenView>>, AppError> {
    Ok(web::Json(state.db.run(move |conn| Ok(list_tokens(conn, identity.user_id)?)).await?))
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewToken {
    pub name: String,
    /// `read` (GET requests only) or `write`.
    pub scope: String,
    /// 1 to 365 days.
    pub expires_in_days: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreatedToken {
    /// The secret, shown only now: send it as `Authorization: Bearer <token>`.
    pub token: String,
    pub info: ApiTokenView,
}

pub async fn create_token(state: &AppState, meta: RequestMeta, identity: &Identity, body: NewToken) -> Result<CreatedToken, AppError> {
    identity.require_session()?;
    let mut fields = FieldErrors::new();
    let name = body.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        push_field_error(&mut fields, "name", "required", "A name of 1 to 100 characters is required.");
    }
    if body.scope != "read" && body.scope != "write" {
        push_field_error(&mut fields, "scope", "not_allowed", "scope must be read or write");
    }
    if !(1..=365).contains(&body.expires_in_days) {
        push_field_error(&mut fields, "expires_in_days", "out_of_range", "between 1 and 365 days");
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let secret = format!("uhd_{}", random_secret());
    let prefix = secret[..12].to_string();
    let user_id = identity.user_id;
    let digest = token_digest(&secret);
    let info = state
        .db
        .write(move |conn| {
            let t = now();
            diesel::insert_into(api_tokens::table)
                .values((
                    api_tokens::user_id.eq(user_id),
                    api_tokens::name.eq(&name),
                    api_tokens::token_hash.eq(&digest),
                    api_tokens::prefix.eq(&prefix),
                    api_tokens::scope.eq(&body.scope),
                    api_tokens::created_at.eq(t),
                    api_tokens::expires_at.eq(t + Duration::days(body.expires_in_days)),
                ))
                .execute(conn)?;
            let row: TokenRow = api_tokens::table
                .filter(api_tokens::token_hash.eq(&digest))
                .select(TOKEN_COLUMNS)
                .first(conn)?;
            audit::record(
                conn,
                &meta,
                Event::new("token_issued")
                    .actor(user_id)
                    .subject(user_id)
                    .detail(serde_json::json!({ "token_id": row.0, "scope": body.scope, "expires_in_days": body.expires_in_days })),
            )?;
            Ok(token_view(row))
        })
        .await?;
    Ok(CreatedToken { token: secret, info })
}

/// Issue a personal API token (needs a browser session).
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "accounts", request_body = NewToken, responses((status = 201, body = CreatedToken), (status = 422)))]
#[post("/me/tokens")]
pub async fn post_token(state: web::Data<AppState>, req: HttpRequest, identity: Identity, body: web::Json<NewToken>) -> Result<HttpResponse, AppError> {
    let created = create_token(&state, RequestMeta::from_request(&req), &identity, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(created))
}

pub async fn revoke_token(state: &AppState, meta: RequestMeta, identity: &Identity, token_id: i64) -> Result<(), AppError> {
    identity.require_session()?;
    let user_id = identity.user_id;
    state
        .db
        .write(move |conn| {
            let n = diesel::update(
                api_tokens::table
                    .filter(api_tokens::id.eq(token_id))
                    .filter(api_tokens::user_id.eq(user_id))
                    .filter(api_tokens::revoked_at.is_null()),
            )
            .set(api_tokens::revoked_at.eq(now()))
            .execute(conn)?;
            if n == 0 {
                return Err(AppError::NotFound("the token"));
            }
            audit::record(conn, &meta, Event::new("token_revoked").actor(user_id).subject(user_id).detail(serde_json::json!({ "token_id": token_id })))?;
            Ok(())
        })
        .await
}

/// Revoke one of one's API tokens.
#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "accounts", params(("id" = i64, Path)), responses((status = 204), (status = 404)))]
#[delete("/me/tokens/{id}")]
pub async fn delete_token(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    revoke_token(&state, RequestMeta::from_request(&req), &identity, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Set the language of a person's emails (`zh-CN` or `en`).
pub fn set_locale(conn: &mut DbConn, meta: &RequestMeta, user_id: i64, locale: &str) -> QueryResult<()> {
    diesel::update(users::table.filter(users::id.eq(user_id)))
        .set((users::locale.eq(locale), users::updated_at.eq(now())))
        .execute(conn)?;
    audit::record(conn, meta, Event::new("account_updated").actor(user_id).subject(user_id).detail(serde_json::json!({ "changed": ["locale"] })))
}

/// Whether a user holds a role (any scope).
pub fn holds(conn: &mut DbConn, user_id: i64, role: Role) -> QueryResult<bool> {
    use crate::db::schema::user_roles;
    let n: i64 = user_roles::table
        .filter(user_roles::user_id.eq(user_id))
        .filter(user_roles::role.eq(role.as_str()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
