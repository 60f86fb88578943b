//! `GET /api/v1/review/dashboard`: the agency lead's view of the programs their agency leads:
//! applications by program and state with those past their deadline, the mean working days
//! each stage has taken (from `stage_spans`, written by the step that ends a stay), each
//! program's budget reserved, used and left, the most overdue applications, and each expert's
//! work for these programs. Grouped counts only: nothing here reads an application one by one.

use actix_web::{get, web, HttpResponse};
use diesel::dsl::{count_star, sum};
use diesel::prelude::*;
use shared::accounts::Role as AccountRole;
use shared::applications::ApplicationState;
use shared::dto::Bilingual;
use shared::review::{Dashboard, ExpertLoad, ProgramFigures, StageFigures};

use crate::db::schema::{applications, expert_assignments, programs, stage_spans, users};
use crate::caches::QueueCaches;
use crate::db::DbConn;
use crate::error::AppError;
use crate::principal::Identity;
use crate::state::AppState;

/// How many overdue applications the dashboard lists.
const OVERDUE_SHOWN: i64 = 20;

/// The states whose deadline can pass: the review's stages and a supplement's answer.
fn with_deadline() -> Vec<i32> {
    shared::review::STAGES.iter().chain(&[ApplicationState::ReturnedForSupplement]).map(|s| s.code()).collect()
}

/// The dashboard for `identity`, an agency lead (403 for anyone else), as of `today`.
pub fn dashboard(conn: &mut DbConn, identity: &Identity, today: chrono::NaiveDate, caches: &QueueCaches) -> Result<Dashboard, AppError> {
    let agencies: Vec<i64> = identity.grants.iter().filter(|g| g.role == AccountRole::AgencyLead).filter_map(|g| g.agency_id).collect();
    if agencies.is_empty() {
        return Err(AppError::forbidden());
    }
    type ProgramRow = (i64, String, String, String, i64, i64, i64, i32);
    let rows: Vec<ProgramRow> = programs::table
        .filter(programs::lead_agency_id.eq_any(&agencies))
        .order((programs::sort_order, programs::code))
        .select((
            programs::id,
            programs::code,
            programs::title_zh,
            programs::title_en,
            programs::budget_total_fen,
            programs::budget_reserved_fen,
            programs::budget_used_fen,
            programs::current_version,
        ))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let draft = ApplicationState::Draft.code();
    let counts: Vec<(i64, i32, i64)> = applications::table
        .filter(applications::program_id.eq_any(&ids))
        .filter(applications::state.ne(draft))
        .group_by((applications::program_id, applications::state))
        .select((applications::program_id, applications::state, count_star()))
        .load(conn)?;
    let late = || applications::program_id.eq_any(ids.clone()).and(applications::state.eq_any(with_deadline())).and(applications::stage_due_on.assume_not_null().lt(today));
    let overdue: Vec<(i64, i32, i64)> = applications::table
        .filter(late())
        .group_by((applications::program_id, applications::state))
        .select((applications::program_id, applications::state, count_star()))
        .load(conn)?;
    let spans: Vec<(i64, i32, i64, Option<i64>)> = stage_spans::table
        .filter(stage_spans::program_id.eq_any(&ids))
        .group_by((stage_spans::program_id, stage_spans::state))
        .select((stage_spans::program_id, stage_spans::state, count_star(), sum(stage_spans::working_days)))
        .load(conn)?;
    let mut figures = Vec::new();
    for (id, code, title_zh, title_en, total, reserved, used, version) in rows {
        let cap = crate::programs::load_version(conn, id, version)?.experts.workload_cap;
        let mut stages = Vec::new();
        for state in ApplicationState::ALL.into_iter().filter(|s| *s != ApplicationState::Draft) {
            let of = |list: &[(i64, i32, i64)]| list.iter().find(|r| r.0 == id && r.1 == state.code()).map_or(0, |r| r.2);
            let (count, late_count) = (of(&counts), of(&overdue));
            let stays = spans.iter().find(|r| r.0 == id && r.1 == state.code());
            let completed_stays = stays.map_or(0, |r| r.2);
            if count == 0 && completed_stays == 0 {
                continue;
            }
            // The mean in tenths, rounded half up.
            let average = stays.and_then(|r| r.3.filter(|_| r.2 > 0).map(|days| (days * 10 * 2 + r.2) / (r.2 * 2)));
            stages.push(StageFigures { state, count, overdue: late_count, completed_stays, average_working_days_tenths: average });
        }
        figures.push(ProgramFigures {
            program_code: code,
            program_title: Bilingual { zh: title_zh, en: title_en },
            stages,
            budget_total_fen: total,
            budget_reserved_fen: reserved,
            budget_used_fen: used,
            budget_left_fen: total - reserved - used,
            expert_workload_cap: cap,
        });
    }
    let overdue_total: i64 = applications::table.filter(late()).count().get_result(conn)?;
    let shown: Vec<i64> =
        applications::table.filter(late()).order((applications::stage_due_on.asc(), applications::id)).limit(OVERDUE_SHOWN).select(applications::id).load(conn)?;
    let calendar = super::queue::calendar(conn, caches)?;
    let overdue_rows = super::queue::rows_of(conn, &shown, today, &calendar)?;
    Ok(Dashboard { today, programs: figures, overdue: overdue_rows, overdue_total, experts: workload(conn, &ids)? })
}

/// Each expert drawn for programs `ids`: what they still owe and what they have done.
fn workload(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<ExpertLoad>> {
    let by_status: Vec<(i64, String, i64)> = expert_assignments::table
        .filter(expert_assignments::program_id.eq_any(ids))
        .group_by((expert_assignments::expert_user_id, expert_assignments::status))
        .select((expert_assignments::expert_user_id, expert_assignments::status, count_star()))
        .load(conn)?;
    let scored: Vec<(i64, i64)> = expert_assignments::table
        .filter(expert_assignments::program_id.eq_any(ids))
        .filter(expert_assignments::scored_at.is_not_null())
        .group_by(expert_assignments::expert_user_id)
        .select((expert_assignments::expert_user_id, count_star()))
        .load(conn)?;
    let mut experts: Vec<i64> = by_status.iter().map(|r| r.0).collect();
    experts.sort_unstable();
    experts.dedup();
    let names: Vec<(i64, String)> = users::table.filter(users::id.eq_any(&experts)).select((users::id, users::display_name)).load(conn)?;
    let mut out: Vec<ExpertLoad> = experts
        .into_iter()
        .map(|user_id| {
            let of = |status: &str| by_status.iter().find(|r| r.0 == user_id && r.1 == status).map_or(0, |r| r.2);
            let done = scored.iter().find(|r| r.0 == user_id).map_or(0, |r| r.1);
            ExpertLoad {
                user_id,
                display_name: names.iter().find(|n| n.0 == user_id).map(|n| n.1.clone()).unwrap_or_default(),
                awaiting_declaration: of("drawn"),
                awaiting_scores: of("confirmed") - done,
                scored: done,
                recused: of("recused"),
            }
        })
        .collect();
    out.sort_by(|a, b| (b.awaiting_declaration + b.awaiting_scores).cmp(&(a.awaiting_declaration + a.awaiting_scores)).then_with(|| a.display_name.cmp(&b.display_name)));
    Ok(out)
}

/// The agency lead's dashboard: the programs their agency leads, by state with those overdue,
/// the mean working days per stage, the budget reserved, used and left, the most overdue
/// applications, and the experts' workload.
#[utoipa::path(get, path = "/api/v1/review/dashboard", tag = "review",
    responses((status = 200, body = Dashboard), (status = 401, description = "`unauthenticated`"), (status = 403, description = "`forbidden`: not an agency lead")))]
#[get("/review/dashboard")]
pub async fn get_review_dashboard(state: web::Data<AppState>, identity: Identity) -> Result<HttpResponse, AppError> {
    let today = state.clock.today();
    let caches = state.queue.clone();
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| dashboard(conn, &identity, today, &caches)).await?))
}
