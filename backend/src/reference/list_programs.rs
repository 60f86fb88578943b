//! The subsidy programs, paginated in the database.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use shared::dto::{Bilingual, CallStatus, Page, ProgramSummary};
use shared::Fen;

use super::utc;
use crate::db::schema::{agencies, programs};
use crate::db::DbConn;
use crate::error::AppError;
use crate::pagination::PageQuery;
use crate::state::AppState;

type ProgramRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    chrono::NaiveDateTime,
    chrono::NaiveDateTime,
    i64,
    i64,
    String,
    String,
);

pub fn list_programs(
    conn: &mut DbConn,
    now: DateTime<Utc>,
    page: i64,
    per_page: i64,
) -> Result<Page<ProgramSummary>, AppError> {
    let total: i64 = programs::table.count().get_result(conn)?;
    let rows: Vec<ProgramRow> = programs::table
        .inner_join(agencies::table)
        .order((programs::sort_order, programs::id))
        .limit(per_page)
        .offset((page - 1).saturating_mul(per_page))
        .select((
            programs::id,
            programs::code,
            programs::title_zh,
            programs::title_en,
            programs::summary_zh,
            programs::summary_en,
            programs::call_opens_at,
            programs::call_closes_at,
            programs::budget_total_fen,
            programs::budget_used_fen,
            agencies::name_zh,
            agencies::name_en,
        ))
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(id, code, tz, te, sz, se, opens, closes, total_fen, used_fen, az, ae)| {
            let (opens, closes) = (utc(opens), utc(closes));
            ProgramSummary {
                id,
                code,
                title: Bilingual::new(tz, te),
                summary: Bilingual::new(sz, se),
                lead_agency: Bilingual::new(az, ae),
                call_opens_at: opens,
                call_closes_at: closes,
                call_status: CallStatus::at(now, opens, closes),
                budget_total: Fen(total_fen),
                budget_left: Fen(total_fen.saturating_sub(used_fen)),
            }
        })
        .collect();
    Ok(Page { items, total, page, per_page })
}

/// List subsidy programs, newest call first within the configured order.
#[utoipa::path(get, path = "/api/v1/programs", tag = "reference", params(PageQuery), responses(
    (status = 200, description = "One page of programs", body = Page<ProgramSummary>),
    (status = 422, description = "Bad page or per_page", body = crate::error::ErrorEnvelope)))]
#[get("/programs")]
pub async fn get_programs(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let (page, per_page) = query.validate()?;
    let result = state.db.run(move |conn| list_programs(conn, crate::db::now().and_utc(), page, per_page)).await?;
    Ok(HttpResponse::Ok().json(result))
}
