//! Tenancies: a company applies to join a base; the base's park manager admits or rejects it
//! (with a reason), later suspends, reinstates or records the move-out. Every status change is
//! kept in `tenancy_events`; a company may be a tenant of several bases over the years.

use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::accounts::Role;
use shared::dto::Bilingual;
use shared::registry::{TenancyApplication, TenancyDecision, TenancyEvent, TenancyStatus, TenancyView};

use crate::accounts::audit::{record, Event, RequestMeta};
use crate::accounts::identity::Identity;
use crate::scope::CompanyScope;
use crate::accounts::members::get_enterprise_scoped;
use crate::accounts::{issues_to_error, now};
use crate::db::schema::{bases, enterprises, tenancies, tenancy_events};
use crate::db::DbConn;
use crate::error::AppError;
use crate::notify::{enqueue, Mail};
use crate::state::AppState;

type Row = (
    i64,
    i64,
    String,
    i64,
    String,
    String,
    i32,
    Option<i64>,
    Option<i32>,
    Option<i32>,
    Option<String>,
    Option<String>,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

type EventRow = (i64, NaiveDateTime, Option<i32>, i32, Option<String>);

/// The tenancies with these ids, newest first, with their history.
fn load(conn: &mut DbConn, ids: Vec<i64>) -> QueryResult<Vec<TenancyView>> {
    let rows: Vec<Row> = tenancies::table
        .inner_join(enterprises::table)
        .inner_join(bases::table)
        .filter(tenancies::id.eq_any(&ids))
        .select((
            tenancies::id,
            tenancies::enterprise_id,
            enterprises::name_zh,
            tenancies::base_id,
            bases::name_zh,
            bases::name_en,
            tenancies::status,
            tenancies::segment_id,
            tenancies::floor_space_m2,
            tenancies::staff_on_site,
            tenancies::plan,
            tenancies::reason,
            tenancies::applied_at,
            tenancies::admitted_at,
            tenancies::ended_at,
        ))
        .order(tenancies::id.desc())
        .load(conn)?;
    let events: Vec<EventRow> = tenancy_events::table
        .filter(tenancy_events::tenancy_id.eq_any(&ids))
        .select((tenancy_events::tenancy_id, tenancy_events::occurred_at, tenancy_events::from_status, tenancy_events::to_status, tenancy_events::reason))
        .order(tenancy_events::id)
        .load(conn)?;
    let mut out = Vec::new();
    for (id, enterprise_id, enterprise_name, base_id, base_zh, base_en, status, segment_id, floor, staff, plan, reason, applied, admitted, ended) in rows {
        let segment = match segment_id {
            Some(sid) => super::segment_by_id(conn, sid)?,
            None => None,
        };
        out.push(TenancyView {
            id,
            enterprise_id,
            enterprise_name,
            base_id,
            base_name: Bilingual::new(base_zh, base_en),
            status: TenancyStatus::from_code(status).unwrap_or(TenancyStatus::Applied),
            segment,
            floor_space_m2: floor,
            staff_on_site: staff,
            plan,
            reason,
            applied_at: applied.and_utc(),
            admitted_at: admitted.map(|t| t.and_utc()),
            ended_at: ended.map(|t| t.and_utc()),
            events: events
                .iter()
                .filter(|e| e.0 == id)
                .map(|(_, at, from, to, reason)| TenancyEvent {
                    occurred_at: at.and_utc(),
                    from_status: from.and_then(TenancyStatus::from_code),
                    to_status: TenancyStatus::from_code(*to).unwrap_or(TenancyStatus::Applied),
                    reason: reason.clone(),
                })
                .collect(),
        });
    }
    Ok(out)
}

/// A company's tenancies, newest first: all of them for the company and admins; a park
/// manager sees those in the bases they manage, former tenancies too (the base's own
/// decisions), though no longer the company's profile once it has left.
pub fn list_for_enterprise(conn: &mut DbConn, identity: &Identity, enterprise_id: i64) -> Result<Vec<TenancyView>, AppError> {
    let own = identity.is_admin() || identity.enterprises(false).contains(&enterprise_id);
    let mut q = tenancies::table.filter(tenancies::enterprise_id.eq(enterprise_id)).into_boxed();
    if own {
        get_enterprise_scoped(conn, identity, enterprise_id)?;
    } else {
        q = q.filter(tenancies::base_id.eq_any(identity.managed_bases()));
    }
    let ids: Vec<i64> = q.select(tenancies::id).order(tenancies::id.desc()).limit(100).load(conn)?;
    if ids.is_empty() && !own {
        return Err(AppError::NotFound("the company"));
    }
    Ok(load(conn, ids)?)
}

/// A company's tenancies with their history.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/tenancies", tag = "registry", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<TenancyView>), (status = 404)))]
#[get("/enterprises/{id}/tenancies")]
pub async fn get_tenancies(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<web::Json<Vec<TenancyView>>, AppError> {
    let id = path.into_inner();
    Ok(web::Json(state.db.run(move |conn| list_for_enterprise(conn, &identity, id)).await?))
}

fn record_event(conn: &mut DbConn, tenancy_id: i64, user_id: i64, from: Option<TenancyStatus>, to: TenancyStatus, reason: Option<&str>) -> QueryResult<()> {
    diesel::insert_into(tenancy_events::table)
        .values((
            tenancy_events::tenancy_id.eq(tenancy_id),
            tenancy_events::occurred_at.eq(now()),
            tenancy_events::user_id.eq(user_id),
            tenancy_events::from_status.eq(from.map(|s| s.code())),
            tenancy_events::to_status.eq(to.code()),
            tenancy_events::reason.eq(reason),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A new tenancy refused by the partial unique index `tenancies_one_open_idx` (one open
/// application or tenancy per company and base; two requests at once both passed the check in
/// code) is the same conflict the check answers.
pub fn open_tenancy_conflict(e: diesel::result::Error) -> AppError {
    match e {
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => tenancy_open(),
        other => other.into(),
    }
}

pub fn tenancy_open() -> AppError {
    AppError::Conflict { code: "tenancy_open", message: "The company already has an application or a tenancy in this base.".into() }
}

/// Apply to join a base for the company `scope` names (an administrator who may file).
pub async fn apply(state: &AppState, meta: &RequestMeta, scope: &CompanyScope, body: TenancyApplication) -> Result<TenancyView, AppError> {
    let enterprise_id = scope.enterprise_id();
    issues_to_error(body.issues())?;
    let (user_id, meta) = (scope.user_id(), meta.clone());
    let id = state
        .db
        .write(move |conn| {
            let base: i64 = bases::table.filter(bases::id.eq(body.base_id)).count().get_result(conn)?;
            if base == 0 {
                return Err(AppError::field("base_id", "not_found", "No such base."));
            }
            let (segment_id, _) = super::segment_by_code(conn, body.segment.trim())?
                .ok_or_else(|| AppError::field("segment", "unknown_segment", "Unknown segment."))?;
            let open: i64 = tenancies::table
                .filter(tenancies::enterprise_id.eq(enterprise_id))
                .filter(tenancies::base_id.eq(body.base_id))
                .filter(tenancies::status.eq_any([TenancyStatus::Applied.code(), TenancyStatus::Admitted.code(), TenancyStatus::Suspended.code()]))
                .count()
                .get_result(conn)?;
            if open > 0 {
                return Err(tenancy_open());
            }
            let t = now();
            let id: i64 = diesel::insert_into(tenancies::table)
                .values((
                    tenancies::enterprise_id.eq(enterprise_id),
                    tenancies::base_id.eq(body.base_id),
                    tenancies::status.eq(TenancyStatus::Applied.code()),
                    tenancies::applied_at.eq(t),
                    tenancies::created_at.eq(t),
                    tenancies::updated_at.eq(t),
                    tenancies::segment_id.eq(segment_id),
                    tenancies::floor_space_m2.eq(body.floor_space_m2),
                    tenancies::staff_on_site.eq(body.staff_on_site),
                    tenancies::plan.eq(body.plan.trim()),
                ))
                .returning(tenancies::id)
                .get_result(conn)
                .map_err(open_tenancy_conflict)?;
            record_event(conn, id, user_id, None, TenancyStatus::Applied, None)?;
            let detail = serde_json::json!({ "enterprise_id": enterprise_id, "base_id": body.base_id });
            record(conn, &meta, Event::new("tenancy_applied").actor(user_id).object("tenancy", id).detail(detail))?;
            Ok(id)
        })
        .await?;
    get_one(state, id).await
}

/// Tenancy `id` as it now is, for a caller that has just proved its scope and changed it.
async fn get_one(state: &AppState, id: i64) -> Result<TenancyView, AppError> {
    state.db.run(move |conn| load(conn, vec![id])?.into_iter().next().ok_or(AppError::NotFound("the tenancy"))).await
}

/// Apply to join an industry base (the company's administrator).
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/tenancies", tag = "registry", params(("id" = i64, Path)), request_body = TenancyApplication,
    responses((status = 201, body = TenancyView), (status = 403), (status = 409, description = "tenancy_open"), (status = 422)))]
#[post("/enterprises/{id}/tenancies")]
pub async fn post_tenancy(state: web::Data<AppState>, req: actix_web::HttpRequest, identity: Identity, path: web::Path<i64>, body: web::Json<TenancyApplication>) -> Result<HttpResponse, AppError> {
    let scope = CompanyScope::filing(&identity, path.into_inner(), true)?;
    let view = apply(&state, &RequestMeta::from_request(&req), &scope, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(view))
}

pub async fn decide(state: &AppState, meta: &RequestMeta, identity: &Identity, tenancy_id: i64, body: TenancyDecision) -> Result<TenancyView, AppError> {
    if !identity.is_admin() && !identity.has(Role::ParkManager) {
        return Err(AppError::forbidden());
    }
    let reason = body.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
    let needs_reason = body.action.needs_reason();
    let (expected, next) = body.action.transition();
    let (user_id, admin, bases, meta) = (identity.user_id, identity.is_admin(), identity.managed_bases(), meta.clone());
    let st = state.clone();
    state
        .db
        .write(move |conn| {
            let row: Option<(i64, i32)> = tenancies::table
                .filter(tenancies::id.eq(tenancy_id))
                .select((tenancies::base_id, tenancies::status))
                .first(conn)
                .optional()?;
            // Outside the manager's bases the tenancy does not exist for them.
            let (base_id, status) = row.filter(|(b, _)| admin || bases.contains(b)).ok_or(AppError::NotFound("the tenancy"))?;
            // Checked after the scope, so outsiders learn nothing from the answer.
            if needs_reason && reason.is_none() {
                return Err(AppError::field("reason", "required", "Give the company a reason."));
            }
            if reason.as_deref().is_some_and(|r| r.chars().count() > 1000) {
                return Err(AppError::field("reason", "too_long", "At most 1,000 characters."));
            }
            let current = TenancyStatus::from_code(status);
            let t = now();
            // Only from the status the action expects: two managers acting at once change it once.
            let mut update = diesel::update(tenancies::table)
                .filter(tenancies::id.eq(tenancy_id))
                .filter(tenancies::status.eq_any(expected.iter().map(|s| s.code()).collect::<Vec<_>>()))
                .into_boxed();
            if !admin {
                update = update.filter(tenancies::base_id.eq(base_id));
            }
            let changed = match next {
                TenancyStatus::Admitted => update
                    .set((tenancies::status.eq(next.code()), tenancies::admitted_at.eq(t), tenancies::reason.eq(&reason), tenancies::updated_at.eq(t)))
                    .execute(conn)?,
                TenancyStatus::MovedOut | TenancyStatus::Rejected => update
                    .set((tenancies::status.eq(next.code()), tenancies::ended_at.eq(t), tenancies::reason.eq(&reason), tenancies::updated_at.eq(t)))
                    .execute(conn)?,
                _ => update.set((tenancies::status.eq(next.code()), tenancies::reason.eq(&reason), tenancies::updated_at.eq(t))).execute(conn)?,
            };
            if changed == 0 {
                return Err(AppError::Conflict {
                    code: "status_changed",
                    message: format!("This tenancy is {}; the action needs another status.", current.map(|s| s.as_str()).unwrap_or("unknown")),
                });
            }
            record_event(conn, tenancy_id, user_id, current, next, reason.as_deref())?;
            let detail = serde_json::json!({ "from": current.map(|s| s.as_str()), "to": next.as_str(), "reason": reason });
            record(conn, &meta, Event::new("tenancy_decided").actor(user_id).object("tenancy", tenancy_id).detail(detail))?;
            // The company hears what happened, in its administrators' language.
            let (enterprise_id, company, base): (i64, String, String) = tenancies::table
                .inner_join(bases::table)
                .filter(tenancies::id.eq(tenancy_id))
                .select((tenancies::enterprise_id, tenancies::enterprise_name, bases::name_zh))
                .first(conn)?;
            let link = st.link(&format!("/company/{enterprise_id}/tenancies"));
            for (email, name, locale) in crate::accounts::members::admin_recipients(conn, enterprise_id)? {
                let mail = Mail::TenancyDecided {
                    name: &name,
                    company: &company,
                    base: &base,
                    status: next.as_str(),
                    reason: reason.as_deref().unwrap_or_default(),
                    link: &link,
                };
                enqueue(conn, &email, &locale, mail)?;
            }
            Ok(())
        })
        .await?;
    get_one(state, tenancy_id).await
}

/// Admit, reject, suspend, reinstate or move out (the base's park manager).
#[utoipa::path(post, path = "/api/v1/tenancies/{id}/decision", tag = "registry", params(("id" = i64, Path)), request_body = TenancyDecision,
    responses((status = 200, body = TenancyView), (status = 403), (status = 404), (status = 409, description = "status_changed"), (status = 422)))]
#[post("/tenancies/{id}/decision")]
pub async fn post_decision(state: web::Data<AppState>, req: actix_web::HttpRequest, identity: Identity, path: web::Path<i64>, body: web::Json<TenancyDecision>) -> Result<web::Json<TenancyView>, AppError> {
    Ok(web::Json(decide(&state, &RequestMeta::from_request(&req), &identity, path.into_inner(), body.into_inner()).await?))
}

