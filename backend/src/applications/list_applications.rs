//! `GET /api/v1/applications`: the applications of the caller's companies.

use actix_web::{get, web, HttpResponse};
use diesel::prelude::*;
use shared::applications::{ApplicationState, ApplicationSummary};
use shared::dto::{Bilingual, Page};

use crate::db::schema::{applications, programs};
use crate::db::DbConn;
use crate::error::AppError;
use crate::pagination::PageQuery;
use crate::principal::Identity;
use crate::state::AppState;

/// The applications of companies `enterprise_ids`, newest first.
pub fn list(conn: &mut DbConn, enterprise_ids: &[i64], page: i64, per_page: i64) -> Result<Page<ApplicationSummary>, AppError> {
    let total: i64 = applications::table.filter(applications::enterprise_id.eq_any(enterprise_ids)).count().get_result(conn)?;
    type Row = (i64, String, String, String, i64, i32, String, Option<i64>, Option<chrono::NaiveDateTime>, chrono::NaiveDateTime);
    let rows: Vec<Row> = applications::table
        .inner_join(programs::table)
        .filter(applications::enterprise_id.eq_any(enterprise_ids))
        .order(applications::id.desc())
        .limit(per_page)
        .offset((page - 1).saturating_mul(per_page))
        .select((
            applications::id,
            programs::code,
            programs::title_zh,
            programs::title_en,
            applications::enterprise_id,
            applications::state,
            applications::title,
            applications::computed_amount_fen,
            applications::submitted_at,
            applications::updated_at,
        ))
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(id, code, zh, en, enterprise_id, state, title, amount, submitted, updated)| ApplicationSummary {
            id,
            program_code: code,
            program_title: Bilingual::new(zh, en),
            enterprise_id,
            state: ApplicationState::from_code(state).unwrap_or(ApplicationState::Draft),
            title,
            computed_amount_fen: amount,
            submitted_at: submitted.map(|t| t.and_utc()),
            updated_at: updated.and_utc(),
        })
        .collect();
    Ok(Page { items, total, page, per_page })
}

/// The applications of the caller's companies (every company they are a person of), newest
/// first, with their state.
#[utoipa::path(get, path = "/api/v1/applications", tag = "applications", params(PageQuery),
    responses((status = 200, body = Page<ApplicationSummary>), (status = 401, description = "`unauthenticated`"),
        (status = 422, description = "bad `page` or `per_page`")))]
#[get("/applications")]
pub async fn get_applications(state: web::Data<AppState>, identity: Identity, q: web::Query<PageQuery>) -> Result<HttpResponse, AppError> {
    let (page, per_page) = q.validate()?;
    let ids = identity.enterprises(false);
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| list(conn, &ids, page, per_page)).await?))
}

/// The company's latest application under a program: its id and state.
pub fn latest(conn: &mut DbConn, enterprise_id: i64, program_id: i64) -> Result<Option<(i64, ApplicationState)>, AppError> {
    let row: Option<(i64, i32)> = applications::table
        .filter(applications::enterprise_id.eq(enterprise_id))
        .filter(applications::program_id.eq(program_id))
        .order(applications::id.desc())
        .select((applications::id, applications::state))
        .first(conn)
        .optional()?;
    Ok(row.map(|(id, s)| (id, ApplicationState::from_code(s).unwrap_or(ApplicationState::Draft))))
}
