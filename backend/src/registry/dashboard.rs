//! The park dashboard: admitted tenants by segment and by qualification, and the reported
//! revenue, employees and content hours over the last periods — counted in SQL.

use actix_web::{get, web};
use diesel::dsl::count_star;
use diesel::prelude::*;
use shared::dto::Bilingual;
use shared::registry::{ParkDashboard, PeriodFigures, QualificationKind, Tally};

use super::reports::due_period;
use crate::accounts::identity::Identity;
use crate::scope::BaseScope;
use crate::db::schema::{enterprise_qualifications, periodic_reports, segments, tenancies};
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;

const ADMITTED: i32 = 1;

fn qualification_label(k: QualificationKind) -> Bilingual {
    match k {
        QualificationKind::HighTech => Bilingual::new("高新技术企业", "High-tech"),
        QualificationKind::LittleGiant => Bilingual::new("专精特新“小巨人”", "Little giant"),
        QualificationKind::Specialized => Bilingual::new("专精特新中小企业", "Specialized SME"),
        QualificationKind::TechSme => Bilingual::new("科技型中小企业", "Technology SME"),
        QualificationKind::Other => Bilingual::new("其他", "Other"),
    }
}

pub fn dashboard(conn: &mut DbConn, scope: &BaseScope, periods: &[String]) -> Result<ParkDashboard, AppError> {
    let base_id = scope.base_id();
    let admitted_ids = || tenancies::table.filter(tenancies::base_id.eq(base_id)).filter(tenancies::status.eq(ADMITTED)).select(tenancies::enterprise_id);
    let admitted: i64 = tenancies::table.filter(tenancies::base_id.eq(base_id)).filter(tenancies::status.eq(ADMITTED)).count().get_result(conn)?;

    let seg_counts: Vec<(Option<i64>, i64)> = tenancies::table
        .filter(tenancies::base_id.eq(base_id))
        .filter(tenancies::status.eq(ADMITTED))
        .group_by(tenancies::segment_id)
        .select((tenancies::segment_id, count_star()))
        .load(conn)?;
    let segs: Vec<(i64, String, String, String)> =
        segments::table.select((segments::id, segments::code, segments::name_zh, segments::name_en)).order(segments::sort_order).load(conn)?;
    let mut by_segment: Vec<Tally> = segs
        .into_iter()
        .map(|(id, code, zh, en)| Tally {
            key: code,
            label: Bilingual::new(zh, en),
            value: seg_counts.iter().find(|c| c.0 == Some(id)).map(|c| c.1).unwrap_or(0),
        })
        .collect();
    let unassigned = seg_counts.iter().find(|c| c.0.is_none()).map(|c| c.1).unwrap_or(0);
    if unassigned > 0 {
        by_segment.push(Tally { key: "none".into(), label: Bilingual::new("未填环节", "No segment"), value: unassigned });
    }

    // One row per (kind, company), however many certificates of a kind a company holds.
    let held: Vec<(String, i64)> = enterprise_qualifications::table
        .filter(enterprise_qualifications::enterprise_id.eq_any(admitted_ids()))
        .select((enterprise_qualifications::kind, enterprise_qualifications::enterprise_id))
        .distinct()
        .load(conn)?;
    let qual_counts: Vec<(String, i64)> =
        QualificationKind::ALL.iter().map(|k| (k.as_str().to_string(), held.iter().filter(|h| h.0 == k.as_str()).count() as i64)).collect();
    let by_qualification = QualificationKind::ALL
        .into_iter()
        .map(|k| Tally {
            key: k.as_str().into(),
            label: qualification_label(k),
            value: qual_counts.iter().find(|c| c.0 == k.as_str()).map(|c| c.1).unwrap_or(0),
        })
        .collect();

    Ok(ParkDashboard { base_id, admitted, by_segment, by_qualification, periods: period_figures(conn, base_id, periods)? })
}

/// Per-period totals, added up here: SUM over BIGINT is NUMERIC on PostgreSQL and INTEGER on
/// SQLite, and a base has at most a few thousand reports per period.
fn period_figures(conn: &mut DbConn, base_id: i64, periods: &[String]) -> QueryResult<Vec<PeriodFigures>> {
    let admitted_ids = tenancies::table.filter(tenancies::base_id.eq(base_id)).filter(tenancies::status.eq(ADMITTED)).select(tenancies::enterprise_id);
    let rows: Vec<(String, i64, i32, i64, i64)> = periodic_reports::table
        .filter(periodic_reports::enterprise_id.eq_any(admitted_ids))
        .filter(periodic_reports::period.eq_any(periods))
        .select((
            periodic_reports::period,
            periodic_reports::revenue_total_fen,
            periodic_reports::employees,
            periodic_reports::content_4k_minutes,
            periodic_reports::content_8k_minutes,
        ))
        .load(conn)?;
    Ok(periods
        .iter()
        .map(|p| {
            let of: Vec<_> = rows.iter().filter(|r| &r.0 == p).collect();
            PeriodFigures {
                period: p.clone(),
                reports: of.len() as i64,
                revenue: shared::Fen(of.iter().map(|r| r.1).sum()),
                employees: of.iter().map(|r| i64::from(r.2)).sum(),
                content_4k_minutes: of.iter().map(|r| r.3).sum(),
                content_8k_minutes: of.iter().map(|r| r.4).sum(),
            }
        })
        .collect())
}

/// The last `n` periods up to the due one, oldest first.
pub fn recent_periods(state: &AppState, n: usize) -> Vec<String> {
    let mut v: Vec<String> = std::iter::successors(Some(due_period(state)), |p| Some(p.previous())).take(n).map(|p| p.to_string()).collect();
    v.reverse();
    v
}

/// The park dashboard (park managers of the base, admins).
#[utoipa::path(get, path = "/api/v1/bases/{id}/dashboard", tag = "registry", params(("id" = i64, Path)),
    responses((status = 200, body = ParkDashboard), (status = 403)))]
#[get("/bases/{id}/dashboard")]
pub async fn get_dashboard(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<web::Json<ParkDashboard>, AppError> {
    let scope = BaseScope::of(&identity, path.into_inner())?;
    let periods = recent_periods(&state, 4);
    Ok(web::Json(state.db.run(move |conn| dashboard(conn, &scope, &periods)).await?))
}
