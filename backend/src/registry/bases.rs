//! Industry bases: the public page of a base (description, tenants by segment, the public
//! tenant list with name and segment only) and the admin's create and edit.

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::Deserialize;
use shared::dto::{Bilingual, Page};
use shared::registry::{BaseInput, PublicBase, PublicTenant, Tally};
use utoipa::IntoParams;

use crate::accounts::audit::{self, Event, RequestMeta};
use crate::accounts::identity::SystemAdmin;
use crate::accounts::{issues_to_error, now};
use crate::db::schema::{bases, enterprises, segments, tenancies};
use crate::db::DbConn;
use crate::error::AppError;
use crate::pagination::PageQuery;
use crate::state::AppState;

const ADMITTED: i32 = 1;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
pub struct PublicQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

pub fn public_base(conn: &mut DbConn, state: &AppState, code: &str, page: i64, per_page: i64) -> Result<PublicBase, AppError> {
    let base = crate::reference::list_bases(conn, &state.tenant_counts)?
        .into_iter()
        .find(|b| b.code == code)
        .ok_or(AppError::NotFound("the base"))?;
    let id = base.id;
    let counts: Vec<(Option<i64>, i64)> = tenancies::table
        .filter(tenancies::base_id.eq(id))
        .filter(tenancies::status.eq(ADMITTED))
        .group_by(tenancies::segment_id)
        .select((tenancies::segment_id, diesel::dsl::count_star()))
        .load(conn)?;
    let segs: Vec<(i64, String, String, String)> =
        segments::table.select((segments::id, segments::code, segments::name_zh, segments::name_en)).order(segments::sort_order).load(conn)?;
    let by_segment = segs
        .iter()
        .map(|(sid, code, zh, en)| Tally { key: code.clone(), label: Bilingual::new(zh.clone(), en.clone()), value: counts.iter().find(|c| c.0 == Some(*sid)).map(|c| c.1).unwrap_or(0) })
        .filter(|t| t.value > 0)
        .collect();
    let total: i64 = tenancies::table.filter(tenancies::base_id.eq(id)).filter(tenancies::status.eq(ADMITTED)).count().get_result(conn)?;
    let rows: Vec<(String, Option<i64>)> = tenancies::table
        .inner_join(enterprises::table)
        .filter(tenancies::base_id.eq(id))
        .filter(tenancies::status.eq(ADMITTED))
        .select((enterprises::name_zh, tenancies::segment_id))
        .order((enterprises::name_zh, tenancies::id))
        .limit(per_page)
        .offset((page - 1).saturating_mul(per_page))
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(name, sid)| PublicTenant {
            name,
            segment: sid.and_then(|sid| segs.iter().find(|s| s.0 == sid)).map(|s| Bilingual::new(s.2.clone(), s.3.clone())),
        })
        .collect();
    Ok(PublicBase { base, by_segment, tenants: Page { items, total, page, per_page } })
}

/// A base's public page: description, admitted tenants by segment, the tenant list (name and
/// segment only).
#[utoipa::path(get, path = "/api/v1/bases/{code}/public", tag = "reference", params(("code" = String, Path), PublicQuery),
    responses((status = 200, body = PublicBase), (status = 404)))]
#[get("/bases/{code}/public")]
pub async fn get_public_base(state: web::Data<AppState>, path: web::Path<String>, q: web::Query<PublicQuery>) -> Result<web::Json<PublicBase>, AppError> {
    let (page, per_page) = PageQuery { page: q.page, per_page: q.per_page }.validate()?;
    let code = path.into_inner();
    let st = state.clone();
    Ok(web::Json(state.db.run(move |conn| public_base(conn, &st, &code, page, per_page)).await?))
}

fn clean(b: &BaseInput) -> BaseInput {
    let t = |s: &String| s.trim().to_string();
    BaseInput {
        code: b.code.trim().to_lowercase(),
        name_zh: t(&b.name_zh),
        name_en: t(&b.name_en),
        city_zh: t(&b.city_zh),
        city_en: t(&b.city_en),
        district_zh: t(&b.district_zh),
        district_en: t(&b.district_en),
        division_code: t(&b.division_code),
        description_zh: t(&b.description_zh),
        description_en: t(&b.description_en),
    }
}

/// Create (`id` None) or update a base; returns its id. Inside the caller's write transaction
/// (`Db::write`).
pub fn save_base(conn: &mut DbConn, meta: &RequestMeta, admin: i64, id: Option<i64>, input: &BaseInput) -> Result<i64, AppError> {
    let b = clean(input);
    issues_to_error(b.issues())?;
    let taken: Option<i64> = bases::table.filter(bases::code.eq(&b.code)).select(bases::id).first(conn).optional()?;
    if taken.is_some_and(|t| Some(t) != id) {
        return Err(AppError::Conflict { code: "code_taken", message: "Another base has this code.".into() });
    }
    let t = now();
    let values = (
        bases::code.eq(&b.code),
        bases::name_zh.eq(&b.name_zh),
        bases::name_en.eq(&b.name_en),
        bases::city_zh.eq(&b.city_zh),
        bases::city_en.eq(&b.city_en),
        bases::district_zh.eq(&b.district_zh),
        bases::district_en.eq(&b.district_en),
        bases::division_code.eq(&b.division_code),
        bases::description_zh.eq(&b.description_zh),
        bases::description_en.eq(&b.description_en),
        bases::updated_at.eq(t),
    );
    let id = match id {
        Some(id) => {
            if diesel::update(bases::table.filter(bases::id.eq(id))).set(values).execute(conn)? == 0 {
                return Err(AppError::NotFound("the base"));
            }
            id
        }
        None => {
            let order: Option<i32> = bases::table.select(diesel::dsl::max(bases::sort_order)).first(conn)?;
            diesel::insert_into(bases::table)
                .values((values, bases::sort_order.eq(order.unwrap_or(0) + 1), bases::created_at.eq(t)))
                .execute(conn)?;
            bases::table.filter(bases::code.eq(&b.code)).select(bases::id).first(conn)?
        }
    };
    audit::record(conn, meta, Event::new("base_saved").actor(admin).detail(serde_json::json!({ "base_id": id, "code": b.code })))?;
    Ok(id)
}

/// Add an industry base (system admins).
#[utoipa::path(post, path = "/api/v1/bases", tag = "admin", request_body = BaseInput,
    responses((status = 201, description = "Created; the body is the base's id"), (status = 403), (status = 409), (status = 422)))]
#[post("/bases")]
pub async fn post_base(state: web::Data<AppState>, req: HttpRequest, SystemAdmin(admin): SystemAdmin, body: web::Json<BaseInput>) -> Result<HttpResponse, AppError> {
    crate::accounts::second_factor::require_step_up(&state, &admin)?;
    let meta = RequestMeta::from_request(&req);
    let id = state.db.write(move |conn| save_base(conn, &meta, admin.user_id, None, &body)).await?;
    Ok(HttpResponse::Created().json(serde_json::json!({ "id": id })))
}

/// Edit an industry base (system admins).
#[utoipa::path(put, path = "/api/v1/bases/{id}", tag = "admin", params(("id" = i64, Path)), request_body = BaseInput,
    responses((status = 200), (status = 403), (status = 404), (status = 409), (status = 422)))]
#[put("/bases/{id}")]
pub async fn put_base(state: web::Data<AppState>, req: HttpRequest, SystemAdmin(admin): SystemAdmin, path: web::Path<i64>, body: web::Json<BaseInput>) -> Result<HttpResponse, AppError> {
    crate::accounts::second_factor::require_step_up(&state, &admin)?;
    let (meta, id) = (RequestMeta::from_request(&req), path.into_inner());
    let id = state.db.write(move |conn| save_base(conn, &meta, admin.user_id, Some(id), &body)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "id": id })))
}
