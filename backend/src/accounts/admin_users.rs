//! User administration for system admins: find people, disable and enable accounts, grant and
//! revoke roles. Also the first system admin of a fresh install (`uhd-portal create-admin`).

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use shared::accounts::{email_is_valid, normalize_email, Me, Role, Scope, UserSummary};
use shared::dto::Page;
use utoipa::{IntoParams, ToSchema};

use super::audit::{self, Event, RequestMeta};
use super::identity::SystemAdmin;
use super::me::{load_me, revoke_sessions};
use super::{issues_to_error, now, password};
use crate::db::schema::{api_tokens, user_roles, users};
use crate::db::DbConn;
use crate::error::{push_field_error, AppError, FieldErrors};
use crate::pagination::PageQuery;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct UserQuery {
    /// Part of the email address or name.
    pub q: Option<String>,
    /// Only people holding this role.
    pub role: Option<String>,
    /// `active`, `disabled` or `unverified`.
    pub status: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}


type UserListRow = (i64, String, String, Option<NaiveDateTime>, Option<NaiveDateTime>, NaiveDateTime);

pub fn list_users(conn: &mut DbConn, q: &UserQuery, page: i64, per_page: i64) -> Result<Page<UserSummary>, AppError> {
    let role = match q.role.as_deref().filter(|r| !r.is_empty()) {
        Some(r) => Some(Role::parse(r).ok_or_else(|| AppError::field("role", "unknown_role", "Unknown role."))?),
        None => None,
    };
    let status = q.status.as_deref().filter(|s| !s.is_empty());
    if status.is_some_and(|s| !matches!(s, "active" | "disabled" | "unverified")) {
        return Err(AppError::field("status", "not_allowed", "status must be active, disabled or unverified"));
    }
    let needle = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(|s| format!("%{}%", s.to_lowercase()));
    let filtered = || {
        let mut query = users::table.into_boxed();
        if let Some(n) = &needle {
            query = query.filter(users::email.like(n.clone()).or(users::display_name.like(n.clone())));
        }
        if let Some(r) = role {
            query = query.filter(users::id.eq_any(user_roles::table.filter(user_roles::role.eq(r.as_str())).select(user_roles::user_id)));
        }
        match status {
            Some("active") => query = query.filter(users::disabled_at.is_null()),
            Some("disabled") => query = query.filter(users::disabled_at.is_not_null()),
            Some("unverified") => query = query.filter(users::email_verified_at.is_null()),
            _ => {}
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows: Vec<UserListRow> = filtered()
        .select((users::id, users::email, users::display_name, users::email_verified_at, users::disabled_at, users::created_at))
        .order(users::id.desc())
        .limit(per_page)
        .offset((page - 1).saturating_mul(per_page))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let grants: Vec<(i64, String)> = user_roles::table
        .filter(user_roles::user_id.eq_any(&ids))
        .select((user_roles::user_id, user_roles::role))
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(id, email, display_name, verified, disabled, created)| {
            let mut roles: Vec<Role> = grants.iter().filter(|g| g.0 == id).filter_map(|g| Role::parse(&g.1)).collect();
            roles.sort();
            roles.dedup();
            UserSummary { id, email, display_name, email_verified: verified.is_some(), disabled: disabled.is_some(), roles, created_at: created.and_utc() }
        })
        .collect();
    Ok(Page { items, page, per_page, total })
}

/// Find people (system admins).
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", params(UserQuery),
    responses((status = 200, body = Page<UserSummary>), (status = 403), (status = 422)))]
#[get("/admin/users")]
pub async fn get_users(state: web::Data<AppState>, _admin: SystemAdmin, q: web::Query<UserQuery>) -> Result<web::Json<Page<UserSummary>>, AppError> {
    let (page, per_page) = PageQuery { page: q.page, per_page: q.per_page }.validate()?;
    let q = q.into_inner();
    Ok(web::Json(state.db.run(move |conn| list_users(conn, &q, page, per_page)).await?))
}

/// One person with their roles (system admins).
#[utoipa::path(get, path = "/api/v1/admin/users/{id}", tag = "admin", params(("id" = i64, Path)), responses((status = 200, body = Me), (status = 404)))]
#[get("/admin/users/{id}")]
pub async fn get_user(state: web::Data<AppState>, _admin: SystemAdmin, path: web::Path<i64>) -> Result<web::Json<Me>, AppError> {
    let id = path.into_inner();
    Ok(web::Json(state.db.run(move |conn| Ok(load_me(conn, id)?)).await?))
}

fn count_active_admins(conn: &mut DbConn) -> QueryResult<i64> {
    user_roles::table
        .inner_join(users::table)
        .filter(user_roles::role.eq(Role::SystemAdmin.as_str()))
        .filter(users::disabled_at.is_null())
        .count()
        .get_result(conn)
}

pub async fn set_disabled(state: &AppState, meta: RequestMeta, admin: i64, user_id: i64, disable: bool) -> Result<(), AppError> {
    if disable && admin == user_id {
        return Err(AppError::Conflict { code: "cannot_disable_self", message: "You cannot disable your own account.".into() });
    }
    state
        .db
        .write(move |conn| {
            let exists: i64 = users::table.filter(users::id.eq(user_id)).count().get_result(conn)?;
            if exists == 0 {
                return Err(AppError::NotFound("the user"));
            }
            let t = now();
            diesel::update(users::table.filter(users::id.eq(user_id)))
                .set((users::disabled_at.eq(disable.then_some(t)), users::updated_at.eq(t)))
                .execute(conn)?;
            if disable {
                revoke_sessions(conn, user_id, None)?;
                diesel::update(api_tokens::table.filter(api_tokens::user_id.eq(user_id)).filter(api_tokens::revoked_at.is_null()))
                    .set(api_tokens::revoked_at.eq(t))
                    .execute(conn)?;
            }
            audit::record(conn, &meta, Event::new(if disable { "user_disabled" } else { "user_enabled" }).actor(admin).subject(user_id))?;
            Ok(())
        })
        .await
}

/// Disable an account: its sessions and API tokens end at once.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/disable", tag = "admin", params(("id" = i64, Path)), responses((status = 204), (status = 401, body = crate::error::ErrorEnvelope),
    (status = 403, description = "forbidden, session_required or step_up_required", body = crate::error::ErrorEnvelope), (status = 404, body = crate::error::ErrorEnvelope), (status = 409, body = crate::error::ErrorEnvelope)))]
#[post("/admin/users/{id}/disable")]
pub async fn post_disable(state: web::Data<AppState>, req: HttpRequest, SystemAdmin(admin): SystemAdmin, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    crate::accounts::second_factor::require_step_up(&state, &admin)?;
    set_disabled(&state, RequestMeta::from_request(&req), admin.user_id, path.into_inner(), true).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Enable a disabled account again.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/enable", tag = "admin", params(("id" = i64, Path)), responses((status = 204), (status = 401, body = crate::error::ErrorEnvelope),
    (status = 403, description = "forbidden, session_required or step_up_required", body = crate::error::ErrorEnvelope), (status = 404, body = crate::error::ErrorEnvelope)))]
#[post("/admin/users/{id}/enable")]
pub async fn post_enable(state: web::Data<AppState>, req: HttpRequest, SystemAdmin(admin): SystemAdmin, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    crate::accounts::second_factor::require_step_up(&state, &admin)?;
    set_disabled(&state, RequestMeta::from_request(&req), admin.user_id, path.into_inner(), false).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct GrantRole {
    pub role: String,
    pub enterprise_id: Option<i64>,
    pub base_id: Option<i64>,
    pub agency_id: Option<i64>,
}

pub fn grant(conn: &mut DbConn, meta: &RequestMeta, actor: Option<i64>, user_id: i64, body: &GrantRole) -> Result<(), AppError> {
    let role = Role::parse(&body.role).ok_or_else(|| AppError::field("role", "unknown_role", "Unknown role."))?;
    let mut fields = FieldErrors::new();
    let (e, b, a) = match role.scope() {
        Scope::Enterprise => (body.enterprise_id, None, None),
        Scope::Base => (None, body.base_id, None),
        Scope::Agency => (None, None, body.agency_id),
        Scope::None => (None, None, None),
    };
    match role.scope() {
        Scope::Enterprise if e.is_none() => push_field_error(&mut fields, "enterprise_id", "required", "This role needs a company."),
        Scope::Base if b.is_none() => push_field_error(&mut fields, "base_id", "required", "This role needs a base."),
        Scope::Agency if a.is_none() => push_field_error(&mut fields, "agency_id", "required", "This role needs an agency."),
        _ => {}
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    conn.transaction(|conn| {
        let exists: i64 = users::table.filter(users::id.eq(user_id)).count().get_result(conn)?;
        if exists == 0 {
            return Err(AppError::NotFound("the user"));
        }
        let mut same = user_roles::table
            .filter(user_roles::user_id.eq(user_id))
            .filter(user_roles::role.eq(role.as_str()))
            .into_boxed();
        same = match e {
            Some(v) => same.filter(user_roles::enterprise_id.eq(v)),
            None => same.filter(user_roles::enterprise_id.is_null()),
        };
        same = match b {
            Some(v) => same.filter(user_roles::base_id.eq(v)),
            None => same.filter(user_roles::base_id.is_null()),
        };
        same = match a {
            Some(v) => same.filter(user_roles::agency_id.eq(v)),
            None => same.filter(user_roles::agency_id.is_null()),
        };
        let dup: i64 = same.count().get_result(conn)?;
        if dup > 0 {
            return Err(AppError::Conflict { code: "already_has_role", message: "This person already has this role.".into() });
        }
        diesel::insert_into(user_roles::table)
            .values((
                user_roles::user_id.eq(user_id),
                user_roles::role.eq(role.as_str()),
                user_roles::enterprise_id.eq(e),
                user_roles::base_id.eq(b),
                user_roles::agency_id.eq(a),
                user_roles::created_at.eq(now()),
            ))
            .execute(conn)
            .map_err(|err| match err {
                diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::ForeignKeyViolation, _) => {
                    AppError::field("scope", "not_found", "The company, base or agency does not exist.")
                }
                other => other.into(),
            })?;
        let mut event = Event::new("role_granted").subject(user_id).detail(serde_json::json!({ "role": role.as_str(), "enterprise_id": e, "base_id": b, "agency_id": a }));
        if let Some(actor) = actor {
            event = event.actor(actor);
        }
        audit::record(conn, meta, event)?;
        Ok(())
    })
}

/// Give a person a role (with its company, base or agency).
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/roles", tag = "admin", params(("id" = i64, Path)), request_body = GrantRole,
    responses((status = 200, body = Me), (status = 401, body = crate::error::ErrorEnvelope),
        (status = 403, description = "forbidden, session_required or step_up_required", body = crate::error::ErrorEnvelope),
        (status = 404, body = crate::error::ErrorEnvelope), (status = 409, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
#[post("/admin/users/{id}/roles")]
pub async fn post_role(state: web::Data<AppState>, req: HttpRequest, SystemAdmin(admin): SystemAdmin, path: web::Path<i64>, body: web::Json<GrantRole>) -> Result<web::Json<Me>, AppError> {
    crate::accounts::second_factor::require_step_up(&state, &admin)?;
    let (user_id, meta, body) = (path.into_inner(), RequestMeta::from_request(&req), body.into_inner());
    let me = state
        .db
        .write(move |conn| {
            grant(conn, &meta, Some(admin.user_id), user_id, &body)?;
            Ok(load_me(conn, user_id)?)
        })
        .await?;
    Ok(web::Json(me))
}

/// Take a role away. The last active system admin keeps theirs.
#[utoipa::path(delete, path = "/api/v1/admin/users/{id}/roles/{grant_id}", tag = "admin", params(("id" = i64, Path), ("grant_id" = i64, Path)),
    responses((status = 204), (status = 401, body = crate::error::ErrorEnvelope),
        (status = 403, description = "forbidden, session_required or step_up_required", body = crate::error::ErrorEnvelope),
        (status = 404, body = crate::error::ErrorEnvelope), (status = 409, body = crate::error::ErrorEnvelope)))]
#[delete("/admin/users/{id}/roles/{grant_id}")]
pub async fn delete_role(state: web::Data<AppState>, req: HttpRequest, SystemAdmin(admin): SystemAdmin, path: web::Path<(i64, i64)>) -> Result<HttpResponse, AppError> {
    crate::accounts::second_factor::require_step_up(&state, &admin)?;
    let ((user_id, grant_id), meta) = (path.into_inner(), RequestMeta::from_request(&req));
    revoke_role(&state, meta, admin.user_id, user_id, grant_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Take a role away (system admins); the last active system admin keeps theirs.
pub async fn revoke_role(state: &AppState, meta: RequestMeta, admin_id: i64, user_id: i64, grant_id: i64) -> Result<(), AppError> {
    state
        .db
        .write(move |conn| {
            let role: Option<String> = user_roles::table
                .filter(user_roles::id.eq(grant_id))
                .filter(user_roles::user_id.eq(user_id))
                .select(user_roles::role)
                .first(conn)
                .optional()?;
            let role = role.ok_or(AppError::NotFound("the role"))?;
            if role == Role::SystemAdmin.as_str() && count_active_admins(conn)? <= 1 {
                return Err(AppError::Conflict { code: "last_admin", message: "The portal needs at least one system admin.".into() });
            }
            diesel::delete(user_roles::table.filter(user_roles::id.eq(grant_id))).execute(conn)?;
            audit::record(conn, &meta, Event::new("role_revoked").actor(admin_id).subject(user_id).detail(serde_json::json!({ "role": role, "grant_id": grant_id })))?;
            // Sessions carry no roles (they are read per request): nothing else to end.
            Ok(())
        })
        .await
}

/// Create a system admin from the command line (first install). The password is chosen by
/// the operator and checked against the password rule; there is no default password.
pub fn create_admin(conn: &mut DbConn, email: &str, name: &str, password_text: &str) -> Result<i64, AppError> {
    let email = normalize_email(email);
    let mut issues = Vec::new();
    if !email_is_valid(&email) {
        issues.push(("email", "invalid_email"));
    }
    if name.trim().is_empty() {
        issues.push(("name", "required"));
    }
    if let Err(code) = password::check_new(password_text, &[&email, name]) {
        issues.push(("password", code));
    }
    issues_to_error(issues)?;
    let hash = password::hash(password_text)?;
    let meta = RequestMeta { client: None, ip: None, user_agent: Some("uhd-portal create-admin".into()) };
    conn.transaction(|conn| {
        let t = now();
        let existing: Option<i64> = users::table.filter(users::email.eq(&email)).select(users::id).first(conn).optional()?;
        let user_id = match existing {
            Some(id) => id,
            None => {
                diesel::insert_into(users::table)
                    .values((
                        users::email.eq(&email),
                        users::password_hash.eq(&hash),
                        users::display_name.eq(name.trim()),
                        users::locale.eq("zh-CN"),
                        users::email_verified_at.eq(t),
                        users::password_changed_at.eq(t),
                        users::created_at.eq(t),
                        users::updated_at.eq(t),
                    ))
                    .execute(conn)?;
                let id = users::table.filter(users::email.eq(&email)).select(users::id).first(conn)?;
                audit::record(conn, &meta, Event::new("registered").subject(id).email(&email).detail(serde_json::json!({ "via": "create-admin" })))?;
                id
            }
        };
        grant(conn, &meta, None, user_id, &GrantRole { role: Role::SystemAdmin.as_str().into(), ..GrantRole::default() })?;
        Ok(user_id)
    })
}

/// Bases and agencies by Chinese name, for the admin forms.
pub fn scope_choices(conn: &mut DbConn) -> QueryResult<(Vec<shared::accounts::Choice>, Vec<shared::accounts::Choice>)> {
    use crate::db::schema::{agencies, bases};
    let b: Vec<(i64, String)> = bases::table.select((bases::id, bases::name_zh)).order(bases::id).load(conn)?;
    let a: Vec<(i64, String)> = agencies::table.select((agencies::id, agencies::name_zh)).order(agencies::id).load(conn)?;
    let to = |v: Vec<(i64, String)>| v.into_iter().map(|(id, name)| shared::accounts::Choice { id, name }).collect();
    Ok((to(b), to(a)))
}
