//! A company's account: its members, removing them, handing over the administrator role, and
//! reading the company (with each role's data scope applied in the query).

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use shared::accounts::{MemberView, Role};
use utoipa::ToSchema;

use super::audit::{self, Event, RequestMeta};
use super::identity::{EnterpriseUser, Identity};
use super::me::revoke_sessions;

use crate::db::schema::{enterprises, tenancies, user_roles, users};
use crate::db::DbConn;
use crate::error::AppError;
use crate::scope::CompanyScope;
use crate::notify::{enqueue, Mail};
use crate::state::AppState;

/// The active administrators of a company: `(email, display name, locale)`, for mail.
pub fn admin_recipients(conn: &mut DbConn, enterprise_id: i64) -> QueryResult<Vec<(String, String, String)>> {
    Ok(admin_recipients_of(conn, &[enterprise_id])?.into_iter().map(|(_, email, name, locale)| (email, name, locale)).collect())
}

/// The same for many companies in one query: `(enterprise_id, email, name, locale)`.
pub fn admin_recipients_of(conn: &mut DbConn, enterprise_ids: &[i64]) -> QueryResult<Vec<(i64, String, String, String)>> {
    user_roles::table
        .inner_join(users::table)
        .filter(user_roles::enterprise_id.eq_any(enterprise_ids))
        .filter(user_roles::role.eq(Role::EnterpriseAdmin.as_str()))
        .filter(users::disabled_at.is_null())
        .select((user_roles::enterprise_id.assume_not_null(), users::email, users::display_name, users::locale))
        .load(conn)
}

pub fn list_members(conn: &mut DbConn, enterprise_id: i64) -> QueryResult<Vec<MemberView>> {
    let rows: Vec<(i64, String, String, String, Option<NaiveDateTime>)> = user_roles::table
        .inner_join(users::table)
        .filter(user_roles::enterprise_id.eq(enterprise_id))
        .filter(user_roles::role.eq_any([Role::EnterpriseAdmin.as_str(), Role::EnterpriseMember.as_str()]))
        .select((users::id, users::display_name, users::email, user_roles::role, users::email_verified_at))
        .order((user_roles::role, users::display_name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(user_id, display_name, email, role, verified)| {
            Role::parse(&role).map(|role| MemberView { user_id, display_name, email, role, email_verified: verified.is_some() })
        })
        .collect())
}

/// The people in a company's account (its members and system admins).
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/members", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<MemberView>), (status = 403)))]
#[get("/enterprises/{id}/members")]
pub async fn get_members(state: web::Data<AppState>, EnterpriseUser(identity): EnterpriseUser, path: web::Path<i64>) -> Result<web::Json<Vec<MemberView>>, AppError> {
    let enterprise_id = path.into_inner();
    CompanyScope::of(&identity, enterprise_id, false)?;
    Ok(web::Json(state.db.run(move |conn| Ok(list_members(conn, enterprise_id)?)).await?))
}

fn company_name(conn: &mut DbConn, enterprise_id: i64) -> QueryResult<String> {
    enterprises::table.filter(enterprises::id.eq(enterprise_id)).select(enterprises::name_zh).first(conn)
}

fn role_of(conn: &mut DbConn, enterprise_id: i64, user_id: i64) -> QueryResult<Option<(i64, String)>> {
    user_roles::table
        .filter(user_roles::enterprise_id.eq(enterprise_id))
        .filter(user_roles::user_id.eq(user_id))
        .filter(user_roles::role.eq_any([Role::EnterpriseAdmin.as_str(), Role::EnterpriseMember.as_str()]))
        .select((user_roles::id, user_roles::role))
        .first(conn)
        .optional()
}

pub async fn remove_member(state: &AppState, meta: RequestMeta, scope: &CompanyScope, user_id: i64) -> Result<(), AppError> {
    let enterprise_id = scope.enterprise_id();
    if user_id == scope.user_id() {
        return Err(AppError::Conflict {
            code: "cannot_remove_self",
            message: "Hand the administrator role to a colleague before leaving the company's account.".into(),
        });
    }
    let actor = scope.user_id();
    state
        .db
        .write(move |conn| {
            let (grant_id, role) = role_of(conn, enterprise_id, user_id)?.ok_or(AppError::NotFound("the member"))?;
            diesel::delete(user_roles::table.filter(user_roles::id.eq(grant_id))).execute(conn)?;
            // Nothing of the company stays reachable from open sessions.
            revoke_sessions(conn, user_id, None)?;
            let (email, name, locale): (String, String, String) =
                users::table.filter(users::id.eq(user_id)).select((users::email, users::display_name, users::locale)).first(conn)?;
            let company = company_name(conn, enterprise_id)?;
            enqueue(conn, &email, &locale, Mail::RemovedFromCompany { name: &name, company: &company })?;
            audit::record(
                conn,
                &meta,
                Event::new("role_revoked").actor(actor).subject(user_id).email(&email).detail(serde_json::json!({ "role": role, "enterprise_id": enterprise_id })),
            )?;
            Ok(())
        })
        .await?;
    Ok(())
}

/// Remove a colleague from the company's account (company administrators).
#[utoipa::path(delete, path = "/api/v1/enterprises/{id}/members/{user_id}", tag = "accounts", params(("id" = i64, Path), ("user_id" = i64, Path)),
    responses((status = 204), (status = 403), (status = 404), (status = 409)))]
#[delete("/enterprises/{id}/members/{user_id}")]
pub async fn delete_member(state: web::Data<AppState>, req: HttpRequest, EnterpriseUser(identity): EnterpriseUser, path: web::Path<(i64, i64)>) -> Result<HttpResponse, AppError> {
    let (enterprise_id, user_id) = path.into_inner();
    let scope = CompanyScope::of(&identity, enterprise_id, true)?;
    remove_member(&state, RequestMeta::from_request(&req), &scope, user_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TransferAdmin {
    /// The member who becomes administrator; the current administrator becomes a member.
    pub user_id: i64,
}

pub async fn transfer_admin(state: &AppState, meta: RequestMeta, scope: &CompanyScope, to: i64) -> Result<(), AppError> {
    let (enterprise_id, actor) = (scope.enterprise_id(), scope.user_id());
    state
        .db
        .write(move |conn| {
            let (grant_id, role) = role_of(conn, enterprise_id, to)?
                .ok_or_else(|| AppError::field("user_id", "not_found", "This person is not a member of the company."))?;
            if role == Role::EnterpriseAdmin.as_str() {
                return Err(AppError::field("user_id", "not_allowed", "This person is already the administrator."));
            }
            diesel::update(user_roles::table.filter(user_roles::id.eq(grant_id)))
                .set(user_roles::role.eq(Role::EnterpriseAdmin.as_str()))
                .execute(conn)?;
            // The acting administrator steps down (a system admin acting keeps no company role).
            diesel::update(
                user_roles::table
                    .filter(user_roles::enterprise_id.eq(enterprise_id))
                    .filter(user_roles::user_id.eq(actor))
                    .filter(user_roles::role.eq(Role::EnterpriseAdmin.as_str())),
            )
            .set(user_roles::role.eq(Role::EnterpriseMember.as_str()))
            .execute(conn)?;
            let (email, name, locale): (String, String, String) =
                users::table.filter(users::id.eq(to)).select((users::email, users::display_name, users::locale)).first(conn)?;
            let company = company_name(conn, enterprise_id)?;
            enqueue(conn, &email, &locale, Mail::AdminRoleReceived { name: &name, company: &company })?;
            audit::record(
                conn,
                &meta,
                Event::new("role_changed").actor(actor).subject(to).email(&email).detail(serde_json::json!({ "enterprise_id": enterprise_id, "role": "enterprise_admin", "previous_admin": actor })),
            )?;
            Ok(())
        })
        .await?;
    Ok(())
}

/// Hand the company administrator role to another member.
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/transfer-admin", tag = "accounts", params(("id" = i64, Path)), request_body = TransferAdmin,
    responses((status = 204), (status = 403), (status = 422)))]
#[post("/enterprises/{id}/transfer-admin")]
pub async fn post_transfer_admin(state: web::Data<AppState>, req: HttpRequest, EnterpriseUser(identity): EnterpriseUser, path: web::Path<i64>, body: web::Json<TransferAdmin>) -> Result<HttpResponse, AppError> {
    let scope = CompanyScope::of(&identity, path.into_inner(), true)?;
    transfer_admin(&state, RequestMeta::from_request(&req), &scope, body.user_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EnterpriseCard {
    pub id: i64,
    pub credit_code: String,
    pub name_zh: String,
    pub name_en: Option<String>,
    pub division_code: String,
    /// `pending`, `verified` or `refused` (see `POST /api/v1/enterprises/{id}/verification`).
    pub verification: String,
}

/// Tenancy statuses during which the base reads the company's own data (profile, documents,
/// reports): while it asks to join and while it is a tenant. After a rejection or a move-out
/// the base keeps its list entry and its decisions, nothing more.
pub const IN_BASE_SCOPE: [i32; 3] =
    [shared::registry::TenancyStatus::Applied.code(), shared::registry::TenancyStatus::Admitted.code(), shared::registry::TenancyStatus::Suspended.code()];

/// One company, if the caller's role may see it: system admins all; company users their own;
/// park managers the companies applying to or tenants of their base (see [`IN_BASE_SCOPE`]).
/// Anything else is "not found", so the answer does not reveal that the company exists.
pub fn get_enterprise_scoped(conn: &mut DbConn, identity: &Identity, enterprise_id: i64) -> Result<EnterpriseCard, AppError> {
    let mut q = enterprises::table.filter(enterprises::id.eq(enterprise_id)).into_boxed();
    if !identity.is_admin() {
        let own = user_roles::table
            .filter(user_roles::user_id.eq(identity.user_id))
            .filter(user_roles::role.eq_any([Role::EnterpriseAdmin.as_str(), Role::EnterpriseMember.as_str()]))
            .select(user_roles::enterprise_id.assume_not_null());
        let tenants = tenancies::table
            .filter(tenancies::base_id.eq_any(
                user_roles::table
                    .filter(user_roles::user_id.eq(identity.user_id))
                    .filter(user_roles::role.eq(Role::ParkManager.as_str()))
                    .select(user_roles::base_id.assume_not_null()),
            ))
            .filter(tenancies::status.eq_any(IN_BASE_SCOPE))
            .select(tenancies::enterprise_id);
        q = q.filter(enterprises::id.eq_any(own).or(enterprises::id.eq_any(tenants)));
    }
    let row: Option<(i64, String, String, Option<String>, String, String)> = q
        .select((enterprises::id, enterprises::credit_code, enterprises::name_zh, enterprises::name_en, enterprises::division_code, enterprises::verification))
        .first(conn)
        .optional()?;
    let (id, credit_code, name_zh, name_en, division_code, verification) = row.ok_or(AppError::NotFound("the company"))?;
    Ok(EnterpriseCard { id, credit_code, name_zh, name_en, division_code, verification })
}

/// A company's identity card (scoped to the caller's role; see above).
#[utoipa::path(get, path = "/api/v1/enterprises/{id}", tag = "registry", params(("id" = i64, Path)),
    responses((status = 200, body = EnterpriseCard), (status = 401), (status = 404)))]
#[get("/enterprises/{id}")]
pub async fn get_enterprise(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<web::Json<EnterpriseCard>, AppError> {
    let id = path.into_inner();
    Ok(web::Json(state.db.run(move |conn| get_enterprise_scoped(conn, &identity, id)).await?))
}

