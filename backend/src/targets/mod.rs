//! What the registry and the awards show against the action plans' targets (public): UHD
//! content approved (the content awards' minutes by format) and delivered (the minutes
//! companies report producing), by city; the industry revenue Shanghai's companies reported,
//! by part of the chain, against the 2030 scale; subsidy committed and paid by program, base
//! and district. Every figure is a sum of rows read here; nothing is stored.

pub mod open_data;

use actix_web::{get, web, HttpResponse};
use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use shared::applications::ApplicationState;
use shared::dto::Bilingual;
use shared::filing::Project;
use shared::programs::{ContentFormat, ProgramKind};
use shared::reports::Period;
use shared::targets::{segment_group, ContentFigures, RevenueFigures, SubsidyFigures, Targets, GUANGZHOU_HOURS, SHANGHAI_4K_HOURS, SHANGHAI_8K_HOURS, SHANGHAI_SCALE_FEN};

use crate::db::schema::{applications, awards, bases, enterprises, periodic_reports, programs, report_segment_revenue, segments};
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;

/// The city a company is registered in, by its division code.
fn city_of(division_code: &str) -> Option<&'static str> {
    if division_code.starts_with("31") {
        Some("shanghai")
    } else if division_code.starts_with("4401") {
        Some("guangzhou")
    } else {
        None
    }
}

/// Add `value` to the entry of `rows` keyed `code`, made with `name` if new.
fn add(rows: &mut Vec<SubsidyFigures>, code: &str, name: impl FnOnce() -> Bilingual, committed: i64, paid: i64) {
    match rows.iter_mut().find(|r| r.code == code) {
        Some(r) => {
            r.awards += 1;
            r.committed_fen += committed;
            r.paid_fen += paid;
        }
        None => rows.push(SubsidyFigures { code: code.to_string(), name: name(), awards: 1, committed_fen: committed, paid_fen: paid }),
    }
}

/// The dashboard's figures as of `today`.
pub fn targets(conn: &mut DbConn, today: NaiveDate) -> Result<Targets, AppError> {
    let live = [ApplicationState::Approved.code(), ApplicationState::Disbursement.code(), ApplicationState::Closed.code(), ApplicationState::Revoked.code()];
    type AwardRow = ((i64, i64, i64, i32, String, Option<i64>), (String, String, String, String, String), (Option<String>, String));
    let rows: Vec<AwardRow> = awards::table
        .inner_join(applications::table.inner_join(programs::table).inner_join(enterprises::table))
        .filter(applications::state.eq_any(live))
        .select((
            (awards::amount_fen, awards::paid_fen, awards::recovered_fen, applications::state, applications::project, applications::recommending_base_id),
            (programs::kind, programs::code, programs::title_zh, programs::title_en, programs::city_code),
            (enterprises::district, enterprises::division_code),
        ))
        .load(conn)?;
    let base_names: Vec<(i64, String, String, String)> = bases::table.select((bases::id, bases::code, bases::name_zh, bases::name_en)).load(conn)?;
    let mut content = vec![
        ContentFigures {
            city_code: "shanghai".into(),
            city: Bilingual::new("上海".to_string(), "Shanghai".to_string()),
            approved_4k_minutes: 0,
            approved_8k_minutes: 0,
            delivered_4k_minutes: 0,
            delivered_8k_minutes: 0,
            target_4k_hours: Some(SHANGHAI_4K_HOURS),
            target_8k_hours: Some(SHANGHAI_8K_HOURS),
            target_total_hours: None,
        },
        ContentFigures {
            city_code: "guangzhou".into(),
            city: Bilingual::new("广州".to_string(), "Guangzhou".to_string()),
            approved_4k_minutes: 0,
            approved_8k_minutes: 0,
            delivered_4k_minutes: 0,
            delivered_8k_minutes: 0,
            target_4k_hours: None,
            target_8k_hours: None,
            target_total_hours: Some(GUANGZHOU_HOURS),
        },
    ];
    let mut by_program = Vec::new();
    let mut by_base = Vec::new();
    let mut by_district = Vec::new();
    for ((amount, paid, recovered, state, project, base), (kind, code, zh, en, city), (district, division)) in rows {
        let revoked = state == ApplicationState::Revoked.code();
        let committed = if revoked { paid - recovered } else { amount };
        let paid_net = paid - recovered;
        add(&mut by_program, &code, || Bilingual::new(zh.clone(), en.clone()), committed, paid_net);
        if let Some((_, bcode, bzh, ben)) = base.and_then(|b| base_names.iter().find(|n| n.0 == b)) {
            add(&mut by_base, bcode, || Bilingual::new(bzh.clone(), ben.clone()), committed, paid_net);
        }
        let district_name = district.unwrap_or_else(|| division.clone());
        add(&mut by_district, &division, || Bilingual::new(district_name.clone(), district_name.clone()), committed, paid_net);
        if kind == ProgramKind::UhdContent.as_str() && !revoked {
            let parsed = serde_json::from_str::<serde_json::Value>(&project).ok().and_then(|v| Project::from_json(ProgramKind::UhdContent, v).ok());
            if let (Some(Project::Content(p)), Some(c)) = (parsed, content.iter_mut().find(|c| c.city_code == city)) {
                let minutes = i64::from(p.minutes.unwrap_or(0));
                match p.format {
                    Some(ContentFormat::K8) => c.approved_8k_minutes += minutes,
                    Some(ContentFormat::K4) => c.approved_4k_minutes += minutes,
                    _ => {}
                }
            }
        }
    }
    // Delivered: what companies reported producing, by the city they are registered in. A
    // company that filed a year's report as well as its quarters counts once for that year.
    let reported: Vec<(i64, String, String, i64, i64)> = periodic_reports::table
        .inner_join(enterprises::table)
        .select((periodic_reports::enterprise_id, periodic_reports::period, enterprises::division_code, periodic_reports::content_4k_minutes, periodic_reports::content_8k_minutes))
        .load(conn)?;
    let yearly = yearly_filers(reported.iter().map(|r| (r.0, r.1.as_str())));
    for (enterprise, period, division, k4, k8) in &reported {
        if !counts(&yearly, *enterprise, period) {
            continue;
        }
        if let Some(c) = city_of(division).and_then(|city| content.iter_mut().find(|c| c.city_code == city)) {
            c.delivered_4k_minutes += k4;
            c.delivered_8k_minutes += k8;
        }
    }
    // Revenue: the latest year Shanghai's companies reported for, by part of the chain.
    let revenue_rows: Vec<(i64, String, String, i64)> = report_segment_revenue::table
        .inner_join(periodic_reports::table.inner_join(enterprises::table))
        .inner_join(segments::table)
        .filter(enterprises::division_code.like("31%"))
        .select((periodic_reports::enterprise_id, periodic_reports::period, segments::code, report_segment_revenue::revenue_fen))
        .load(conn)?;
    let yearly = yearly_filers(revenue_rows.iter().map(|r| (r.0, r.1.as_str())));
    let revenue_rows: Vec<(String, String, i64)> = revenue_rows.into_iter().filter(|r| counts(&yearly, r.0, &r.1)).map(|(_, period, code, fen)| (period, code, fen)).collect();
    let revenue_year = revenue_rows.iter().filter_map(|r| year_of(&r.0)).filter(|y| *y <= today.year()).max();
    let revenue = SHANGHAI_SCALE_FEN
        .iter()
        .map(|(group, target)| RevenueFigures {
            group: group.to_string(),
            revenue_fen: revenue_rows.iter().filter(|r| year_of(&r.0) == revenue_year && segment_group(&r.1) == *group).map(|r| r.2).sum(),
            target_fen: *target,
        })
        .collect();
    by_program.sort_by(|a, b| a.code.cmp(&b.code));
    by_base.sort_by(|a, b| a.code.cmp(&b.code));
    by_district.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(Targets { as_of: today, content, revenue_year, revenue, by_program, by_base, by_district })
}

/// Today's figures, summed at most once per [`crate::caches::PUBLIC_TTL`] (and again after any
/// write of this process).
pub async fn cached(state: &AppState) -> Result<std::sync::Arc<Targets>, AppError> {
    let today = state.clock.today();
    let db = state.db.clone();
    state.public.targets.get_or_load(today, || async move { db.run(move |conn| targets(conn, today)).await.map(std::sync::Arc::new) }).await
}

/// The year a report's period falls in (`2026` or `2026-Q3`).
fn year_of(period: &str) -> Option<i32> {
    Period::parse(period).map(|p| p.year)
}

/// The (company, year) pairs with a report for the whole year.
fn yearly_filers<'a>(periods: impl Iterator<Item = (i64, &'a str)>) -> std::collections::HashSet<(i64, i32)> {
    periods.filter_map(|(e, p)| Period::parse(p).filter(|p| p.quarter.is_none()).map(|p| (e, p.year))).collect()
}

/// Whether company `enterprise`'s report for `period` counts: a yearly report always; a
/// quarter only when there is no report for its whole year.
fn counts(yearly: &std::collections::HashSet<(i64, i32)>, enterprise: i64, period: &str) -> bool {
    match Period::parse(period) {
        Some(Period { year, quarter: Some(_) }) => !yearly.contains(&(enterprise, year)),
        _ => true,
    }
}

/// What the registry and the awards show against the action plans' targets: content hours
/// approved and delivered (4K and 8K) by city, industry revenue by part of the chain against
/// Shanghai's 2030 scale, subsidy committed and paid by program, base and district. Public.
#[utoipa::path(get, path = "/api/v1/targets", tag = "open data", responses((status = 200, body = Targets)))]
#[get("/targets")]
pub async fn get_targets(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(&*cached(&state).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_reported_whole_and_by_quarter_counts_once() {
        let periods = [(1, "2026"), (1, "2026-Q1"), (1, "2026-Q2"), (1, "2025-Q4"), (2, "2026-Q1")];
        let yearly = yearly_filers(periods.iter().copied());
        let counted: Vec<(i64, &str)> = periods.iter().copied().filter(|(e, p)| counts(&yearly, *e, p)).collect();
        assert_eq!(counted, vec![(1, "2026"), (1, "2025-Q4"), (2, "2026-Q1")]);
    }
}
