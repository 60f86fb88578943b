//! Periodic reports: tenants file revenue by segment, R&D spend, employees, UHD content
//! produced (4K and 8K minutes) and patents for each period (quarterly by default); park
//! managers see who has and has not filed and remind those missing by email.

use actix_web::{get, post, put, web};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use shared::dto::Page;
use shared::reports::{FilingStatus, Period, Reminded, ReportInput, ReportView, SegmentRevenue};
use shared::Fen;
use utoipa::{IntoParams, ToSchema};

use crate::accounts::audit::{self, Event, RequestMeta};
use crate::accounts::identity::Identity;
use crate::scope::{BaseScope, CompanyScope};
use crate::accounts::members::get_enterprise_scoped;
use crate::accounts::now;
use crate::db::schema::{bases, enterprises, periodic_reports, report_reminders, report_segment_revenue, segments, tenancies};
use crate::db::DbConn;
use crate::error::AppError;
use crate::notify::{enqueue, Mail};
use crate::pagination::PageQuery;
use crate::state::AppState;

const ADMITTED: i32 = 1;

/// A period the company may file for: right cadence, already ended.
pub fn check_period(state: &AppState, text: &str) -> Result<Period, AppError> {
    let period = Period::parse(text).ok_or_else(|| AppError::field("period", "invalid_period", "Use 2026-Q3 (quarterly) or 2026 (yearly)."))?;
    if period.cadence() != state.settings.report_cadence {
        return Err(AppError::field("period", "invalid_period", "The portal collects reports at another cadence."));
    }
    if period.last_day() >= state.clock.today() {
        return Err(AppError::field("period", "period_not_ended", "Reports are filed after the period ends."));
    }
    Ok(period)
}

/// The period reports are due for now.
pub fn due_period(state: &AppState) -> Period {
    Period::due(state.clock.today(), state.settings.report_cadence)
}

/// File (or correct) the report of `period` for the company `scope` names: any of its people
/// with a confirmed email address (`CompanyScope::filing(.., false)`).
pub async fn file(state: &AppState, meta: &RequestMeta, scope: &CompanyScope, period: &str, body: ReportInput) -> Result<ReportView, AppError> {
    let enterprise_id = scope.enterprise_id();
    let period = check_period(state, period)?.to_string();
    let period_text = period.clone();
    crate::accounts::issues_to_error(body.issues())?;
    let (user_id, meta) = (scope.user_id(), meta.clone());
    state
        .db
        .write(move |conn| {
            let mut segment_ids = Vec::new();
            for (i, r) in body.revenue_by_segment.iter().enumerate() {
                let (sid, _) = super::segment_by_code(conn, r.segment.trim())?
                    .ok_or_else(|| AppError::field(&format!("revenue_by_segment.{i}.segment"), "unknown_segment", "Unknown segment."))?;
                segment_ids.push((sid, r.revenue.0));
            }
            let t = now();
            let existing: Option<i64> = periodic_reports::table
                .filter(periodic_reports::enterprise_id.eq(enterprise_id))
                .filter(periodic_reports::period.eq(&period))
                .select(periodic_reports::id)
                .first(conn)
                .optional()?;
            let values = (
                periodic_reports::revenue_total_fen.eq(body.revenue_total.0),
                periodic_reports::rd_spend_fen.eq(body.rd_spend.0),
                periodic_reports::employees.eq(body.employees),
                periodic_reports::content_4k_minutes.eq(body.content_4k_minutes),
                periodic_reports::content_8k_minutes.eq(body.content_8k_minutes),
                periodic_reports::patents_granted.eq(body.patents_granted),
                periodic_reports::submitted_by.eq(user_id),
                periodic_reports::updated_at.eq(t),
            );
            let report_id = match existing {
                Some(id) => {
                    diesel::update(periodic_reports::table.filter(periodic_reports::id.eq(id))).set(values).execute(conn)?;
                    diesel::delete(report_segment_revenue::table.filter(report_segment_revenue::report_id.eq(id))).execute(conn)?;
                    id
                }
                None => {
                    diesel::insert_into(periodic_reports::table)
                        .values((
                            periodic_reports::enterprise_id.eq(enterprise_id),
                            periodic_reports::period.eq(&period),
                            periodic_reports::submitted_at.eq(t),
                            values,
                        ))
                        .returning(periodic_reports::id)
                        .get_result(conn)
                        .map_err(|e| match e {
                            // Filed from two tabs at once (PostgreSQL; SQLite's write lock
                            // orders them): the other one's insert came first, so this one is
                            // run again and updates it.
                            diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
                                AppError::Busy("the report was filed at the same moment".into())
                            }
                            other => other.into(),
                        })?
                }
            };
            let detail = serde_json::json!({ "enterprise_id": enterprise_id, "period": period, "resubmitted": existing.is_some() });
            audit::record(conn, &meta, Event::new("report_filed").actor(user_id).object("report", report_id).detail(detail))?;
            for (sid, fen) in segment_ids {
                diesel::insert_into(report_segment_revenue::table)
                    .values((
                        report_segment_revenue::report_id.eq(report_id),
                        report_segment_revenue::segment_id.eq(sid),
                        report_segment_revenue::revenue_fen.eq(fen),
                    ))
                    .execute(conn)?;
            }
            Ok(())
        })
        .await?;
    state
        .db
        .run(move |conn| {
            reports_of(conn, enterprise_id)?
                .into_iter()
                .find(|r| r.period == period_text)
                .ok_or(AppError::NotFound("the report"))
        })
        .await
}

type ReportRow = (i64, String, i64, i64, i32, i64, i64, i32, NaiveDateTime);

/// A company's reports, newest period first.
pub fn list_for_enterprise(conn: &mut DbConn, identity: &Identity, enterprise_id: i64) -> Result<Vec<ReportView>, AppError> {
    get_enterprise_scoped(conn, identity, enterprise_id)?;
    reports_of(conn, enterprise_id)
}

/// The company's reports, for a caller that has already proved its scope.
fn reports_of(conn: &mut DbConn, enterprise_id: i64) -> Result<Vec<ReportView>, AppError> {
    let rows: Vec<ReportRow> = periodic_reports::table
        .filter(periodic_reports::enterprise_id.eq(enterprise_id))
        .select((
            periodic_reports::id,
            periodic_reports::period,
            periodic_reports::revenue_total_fen,
            periodic_reports::rd_spend_fen,
            periodic_reports::employees,
            periodic_reports::content_4k_minutes,
            periodic_reports::content_8k_minutes,
            periodic_reports::patents_granted,
            periodic_reports::submitted_at,
        ))
        .order(periodic_reports::period.desc())
        .limit(100)
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let seg: Vec<(i64, String, i64)> = report_segment_revenue::table
        .inner_join(segments::table)
        .filter(report_segment_revenue::report_id.eq_any(&ids))
        .select((report_segment_revenue::report_id, segments::code, report_segment_revenue::revenue_fen))
        .order(segments::sort_order)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, period, total, rd, employees, c4k, c8k, patents, submitted)| ReportView {
            enterprise_id,
            period,
            input: ReportInput {
                revenue_by_segment: seg
                    .iter()
                    .filter(|s| s.0 == id)
                    .map(|(_, code, fen)| SegmentRevenue { segment: code.clone(), revenue: Fen(*fen) })
                    .collect(),
                revenue_total: Fen(total),
                rd_spend: Fen(rd),
                employees,
                content_4k_minutes: c4k,
                content_8k_minutes: c8k,
                patents_granted: patents,
            },
            submitted_at: submitted.and_utc(),
        })
        .collect())
}

/// File (or correct) the report for one period.
#[utoipa::path(put, path = "/api/v1/enterprises/{id}/reports/{period}", tag = "registry", params(("id" = i64, Path), ("period" = String, Path)),
    request_body = ReportInput, responses((status = 200, body = ReportView), (status = 403), (status = 422)))]
#[put("/enterprises/{id}/reports/{period}")]
pub async fn put_report(state: web::Data<AppState>, req: actix_web::HttpRequest, identity: Identity, path: web::Path<(i64, String)>, body: web::Json<ReportInput>) -> Result<web::Json<ReportView>, AppError> {
    let (id, period) = path.into_inner();
    let scope = CompanyScope::filing(&identity, id, false)?;
    Ok(web::Json(file(&state, &RequestMeta::from_request(&req), &scope, &period, body.into_inner()).await?))
}

/// A company's reports.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/reports", tag = "registry", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ReportView>), (status = 404)))]
#[get("/enterprises/{id}/reports")]
pub async fn get_reports(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<web::Json<Vec<ReportView>>, AppError> {
    let id = path.into_inner();
    Ok(web::Json(state.db.run(move |conn| list_for_enterprise(conn, &identity, id)).await?))
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
pub struct FilingQuery {
    /// The period (default: the one due now).
    pub period: Option<String>,
    /// `true`: only those who filed; `false`: only those missing.
    pub filed: Option<bool>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Admitted tenants of a base and whether each filed for the period.
pub fn filing_status(conn: &mut DbConn, scope: &BaseScope, period: &str, q: &FilingQuery) -> Result<Page<FilingStatus>, AppError> {
    let base_id = scope.base_id();
    let (page, per_page) = PageQuery { page: q.page, per_page: q.per_page }.validate()?;
    let period = period.to_string();
    let filtered = || {
        let filed_ids = periodic_reports::table.filter(periodic_reports::period.eq(period.clone())).select(periodic_reports::enterprise_id);
        let mut query = tenancies::table
            .inner_join(enterprises::table)
            .filter(tenancies::base_id.eq(base_id))
            .filter(tenancies::status.eq(ADMITTED))
            .into_boxed();
        match q.filed {
            Some(true) => query = query.filter(tenancies::enterprise_id.eq_any(filed_ids)),
            Some(false) => query = query.filter(diesel::dsl::not(tenancies::enterprise_id.eq_any(filed_ids))),
            None => {}
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows: Vec<(i64, String)> = filtered()
        .select((tenancies::enterprise_id, enterprises::name_zh))
        .order((enterprises::name_zh, tenancies::enterprise_id))
        .limit(per_page)
        .offset((page - 1).saturating_mul(per_page))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let submitted: Vec<(i64, NaiveDateTime)> = periodic_reports::table
        .filter(periodic_reports::period.eq(&period))
        .filter(periodic_reports::enterprise_id.eq_any(&ids))
        .select((periodic_reports::enterprise_id, periodic_reports::submitted_at))
        .load(conn)?;
    let reminded: Vec<(i64, NaiveDateTime)> = report_reminders::table
        .filter(report_reminders::base_id.eq(base_id))
        .filter(report_reminders::period.eq(&period))
        .filter(report_reminders::enterprise_id.eq_any(&ids))
        .select((report_reminders::enterprise_id, report_reminders::sent_at))
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(enterprise_id, name_zh)| {
            let at = submitted.iter().find(|s| s.0 == enterprise_id).map(|s| s.1.and_utc());
            FilingStatus {
                enterprise_id,
                name_zh,
                filed: at.is_some(),
                submitted_at: at,
                last_reminded_at: reminded.iter().filter(|r| r.0 == enterprise_id).map(|r| r.1).max().map(|t| t.and_utc()),
            }
        })
        .collect();
    Ok(Page { items, total, page, per_page })
}

/// Who has and has not filed for a period (park managers of the base, admins).
#[utoipa::path(get, path = "/api/v1/bases/{id}/reports", tag = "registry", params(("id" = i64, Path), FilingQuery),
    responses((status = 200, body = Page<FilingStatus>), (status = 403), (status = 422)))]
#[get("/bases/{id}/reports")]
pub async fn get_filing(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>, q: web::Query<FilingQuery>) -> Result<web::Json<Page<FilingStatus>>, AppError> {
    let scope = BaseScope::of(&identity, path.into_inner())?;
    let q = q.into_inner();
    let period = match q.period.as_deref().filter(|p| !p.is_empty()) {
        Some(p) => Period::parse(p).ok_or_else(|| AppError::field("period", "invalid_period", "Use 2026-Q3 or 2026."))?,
        None => due_period(&state),
    }
    .to_string();
    Ok(web::Json(state.db.run(move |conn| filing_status(conn, &scope, &period, &q)).await?))
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RemindRequest {
    pub period: String,
}

/// Who a reminder run would email, and who not and why: what the confirmation shows and what
/// the run does (planned again inside its transaction).
fn plan_reminders(conn: &mut DbConn, base_id: i64, period: &str, interval_hours: i64, now: NaiveDateTime) -> Result<(Vec<(i64, String, Vec<(String, String, String)>)>, Reminded), AppError> {
    let filed = periodic_reports::table.filter(periodic_reports::period.eq(period.to_string())).select(periodic_reports::enterprise_id);
    let missing: Vec<(i64, String)> = tenancies::table
        .inner_join(enterprises::table)
        .filter(tenancies::base_id.eq(base_id))
        .filter(tenancies::status.eq(ADMITTED))
        .filter(diesel::dsl::not(tenancies::enterprise_id.eq_any(filed)))
        .order(enterprises::name_zh)
        .select((tenancies::enterprise_id, enterprises::name_zh))
        .load(conn)?;
    let since = now - chrono::Duration::hours(interval_hours);
    let recent: Vec<i64> = report_reminders::table
        .filter(report_reminders::base_id.eq(base_id))
        .filter(report_reminders::period.eq(period))
        .filter(report_reminders::sent_at.gt(since))
        .select(report_reminders::enterprise_id)
        .load(conn)?;
    let ids: Vec<i64> = missing.iter().map(|(id, _)| *id).filter(|id| !recent.contains(id)).collect();
    let recipients = crate::accounts::members::admin_recipients_of(conn, &ids)?;
    let mut targets = Vec::new();
    let mut summary = Reminded::default();
    for (enterprise_id, company) in missing {
        if recent.contains(&enterprise_id) {
            summary.skipped_recent.push(company);
            continue;
        }
        let admins: Vec<(String, String, String)> = recipients
            .iter()
            .filter(|(id, ..)| *id == enterprise_id)
            .map(|(_, email, name, locale)| (email.clone(), name.clone(), locale.clone()))
            .collect();
        if admins.is_empty() {
            summary.without_account.push(company);
            continue;
        }
        summary.companies += 1;
        summary.emails += admins.len();
        targets.push((enterprise_id, company, admins));
    }
    Ok((targets, summary))
}

/// What sending reminders now would do (the confirmation page).
pub async fn preview_reminders(state: &AppState, scope: &BaseScope, period: &str) -> Result<Reminded, AppError> {
    let base_id = scope.base_id();
    let period = check_period(state, period)?.to_string();
    let (interval, now) = (state.settings.reminder_interval_hours, state.clock.now_naive());
    state.db.run(move |conn| Ok(plan_reminders(conn, base_id, &period, interval, now)?.1)).await
}

pub async fn remind(state: &AppState, meta: RequestMeta, scope: &BaseScope, period: &str) -> Result<Reminded, AppError> {
    let period = check_period(state, period)?.to_string();
    let (st, user_id, base_id) = (state.clone(), scope.user_id(), scope.base_id());
    let summary = state.db.write(move |conn| send_reminders(conn, &st, &meta, user_id, base_id, &period, None)).await?;
    Ok(summary)
}

/// Email the administrators of every admitted tenant of `base_id` that has not filed for
/// `period` (except those reminded within the interval), inside the caller's write: now at a
/// manager's press (`actor`), or when a reminder they scheduled comes due (`job`).
pub fn send_reminders(conn: &mut DbConn, state: &AppState, meta: &RequestMeta, actor: i64, base_id: i64, period: &str, job: Option<i64>) -> Result<Reminded, AppError> {
    // One reminder run per base at a time, so two managers pressing the button at once send
    // one set of emails.
    super::lock_base(conn, base_id)?;
    let base_name: String = bases::table.filter(bases::id.eq(base_id)).select(bases::name_zh).first(conn)?;
    let t = crate::db::now();
    let (targets, summary) = plan_reminders(conn, base_id, period, state.settings.reminder_interval_hours, t)?;
    for (enterprise_id, company, admins) in &targets {
        let link = state.link(&format!("/company/{enterprise_id}/reports?period={period}"));
        for (email, name, locale) in admins {
            enqueue(conn, email, locale, Mail::ReportReminder { name, company, base: &base_name, period, link: &link })?;
        }
        diesel::insert_into(report_reminders::table)
            .values((
                report_reminders::base_id.eq(base_id),
                report_reminders::period.eq(period),
                report_reminders::enterprise_id.eq(enterprise_id),
                report_reminders::sent_by.eq(actor),
                report_reminders::sent_at.eq(t),
            ))
            .execute(conn)?;
    }
    audit::record(
        conn,
        meta,
        Event::new("report_reminders_sent").actor(actor).object("base", base_id).detail(serde_json::json!({
            "base_id": base_id,
            "period": period,
            "job": job,
            "companies": summary.companies,
            "emails": summary.emails,
            "skipped_recent": summary.skipped_recent.len(),
            "without_account": summary.without_account.len(),
        })),
    )?;
    Ok(summary)
}

/// Email the administrators of every admitted tenant that has not filed for the period.
#[utoipa::path(post, path = "/api/v1/bases/{id}/reports/reminders", tag = "registry", params(("id" = i64, Path)), request_body = RemindRequest,
    responses((status = 200, body = Reminded), (status = 403), (status = 422)))]
#[post("/bases/{id}/reports/reminders")]
pub async fn post_reminders(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    identity: Identity,
    path: web::Path<i64>,
    body: web::Json<RemindRequest>,
) -> Result<web::Json<Reminded>, AppError> {
    let scope = BaseScope::of(&identity, path.into_inner())?;
    Ok(web::Json(remind(&state, RequestMeta::from_request(&req), &scope, &body.period).await?))
}
