//! Report reminders scheduled for later: a park manager (or a system admin) picks a period and
//! a time; when it comes, the tenants that have not filed are reminded exactly as by the
//! "send reminders" button (`registry::reports::send_reminders`), in the job's transaction.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use shared::jobs::{parse_beijing, JobView, ScheduleReminders};

use super::{schedule, Kind};
use crate::accounts::audit::{self, Event, RequestMeta};
use crate::accounts::identity::Identity;
use crate::db::schema::{bases, jobs};
use crate::db::DbConn;
use crate::error::AppError;
use crate::registry::reports::{check_period, send_reminders};
use crate::scope::BaseScope;
use crate::state::AppState;

/// What a scheduled reminder run works on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Payload {
    pub base_id: i64,
    pub period: String,
    /// The manager who scheduled it: the reminders go out in their name.
    pub scheduled_by: i64,
}

/// The job's effect, inside its transaction.
pub fn run(conn: &mut DbConn, state: &AppState, meta: &RequestMeta, payload: &str, job: i64) -> Result<(), AppError> {
    let p: Payload = serde_json::from_str(payload).map_err(|e| AppError::Internal(anyhow::anyhow!("payload: {e}")))?;
    send_reminders(conn, state, meta, p.scheduled_by, p.base_id, &p.period, Some(job))?;
    Ok(())
}

/// The `dedup_key` prefix of a base's reminder jobs (how they are found by base).
fn key_prefix(base_id: i64) -> String {
    format!("report_reminders:{base_id}:")
}

/// How far ahead a reminder may be scheduled.
const MAX_AHEAD_DAYS: i64 = 366;

/// Schedule reminders for `base_id`; inside the caller's write. Returns the job's id.
pub fn schedule_reminders(conn: &mut DbConn, state: &AppState, meta: &RequestMeta, scope: &BaseScope, input: &ScheduleReminders) -> Result<i64, AppError> {
    let (base_id, user_id) = (scope.base_id(), scope.user_id());
    let base: Option<i64> = bases::table.find(base_id).select(bases::id).first(conn).optional()?;
    if base.is_none() {
        return Err(AppError::NotFound("the base"));
    }
    let period = check_period(state, &input.period)?.to_string();
    let now = crate::db::now();
    let run_at = match parse_beijing(&input.run_at) {
        None if input.run_at.trim().is_empty() => return Err(AppError::field("run_at", "required", "When to send them.")),
        None => return Err(AppError::field("run_at", "invalid_date", "A time such as 2027-01-10T09:00 (Beijing).")),
        Some(t) if t <= now => return Err(AppError::field("run_at", "in_past", "The time has passed.")),
        Some(t) if t > now + chrono::Duration::days(MAX_AHEAD_DAYS) => return Err(AppError::field("run_at", "out_of_range", "At most a year ahead.")),
        Some(t) => t,
    };
    let key = format!("{}{period}:{}", key_prefix(base_id), run_at.format("%Y-%m-%dT%H:%M"));
    let payload = Payload { base_id, period: period.clone(), scheduled_by: user_id };
    let id = schedule(conn, Kind::ReportReminders, &payload, run_at, Some(&key), Some(user_id))?;
    audit::record(
        conn,
        meta,
        Event::new("job_scheduled").actor(user_id).object("job", id).detail(serde_json::json!({
            "kind": Kind::ReportReminders.as_str(), "base_id": base_id, "period": period, "run_at": run_at,
        })),
    )?;
    Ok(id)
}

/// The reminder runs scheduled for a base, the latest first (at most 50).
pub fn scheduled_for_base(conn: &mut DbConn, scope: &BaseScope) -> Result<Vec<JobView>, AppError> {
    let base_id = scope.base_id();
    let rows: Vec<super::Row> = jobs::table
        .filter(jobs::kind.eq(Kind::ReportReminders.as_str()))
        .filter(jobs::dedup_key.like(format!("{}%", key_prefix(base_id))))
        .order((jobs::run_at.desc(), jobs::id.desc()))
        .limit(50)
        .select(super::Row::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(super::Row::view).collect())
}

/// Remind the tenants that have not filed `period` at a later time (`run_at`, Beijing time).
/// The base's park manager or a system admin; the same run again is 409 `job_exists`.
#[utoipa::path(post, path = "/api/v1/bases/{id}/reports/reminders/scheduled", tag = "registry", params(("id" = i64, Path)), request_body = ScheduleReminders,
    responses((status = 201, body = JobView, description = "Scheduled"), (status = 403, description = "Not this base's manager"), (status = 404, description = "No such base"),
        (status = 409, description = "`job_exists`: this period is already scheduled at this time"),
        (status = 422, description = "The period is not one that can be filed, or the time is missing, passed or more than a year ahead")))]
#[post("/bases/{id}/reports/reminders/scheduled")]
pub async fn post_scheduled_reminders(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<i64>, body: web::Json<ScheduleReminders>) -> Result<HttpResponse, AppError> {
    let scope = BaseScope::of(&identity, path.into_inner())?;
    let (meta, input, st) = (RequestMeta::from_request(&req), body.into_inner(), state.clone());
    let view = state
        .db
        .write(move |conn| {
            let id = schedule_reminders(conn, &st, &meta, &scope, &input)?;
            super::view_of(conn, id)
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// The reminder runs scheduled for a base (latest first, at most 50), with their state and,
/// for one that failed, why.
#[utoipa::path(get, path = "/api/v1/bases/{id}/reports/reminders/scheduled", tag = "registry", params(("id" = i64, Path)),
    responses((status = 200, body = [JobView]), (status = 403, description = "Not this base's manager")))]
#[get("/bases/{id}/reports/reminders/scheduled")]
pub async fn get_scheduled_reminders(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<web::Json<Vec<JobView>>, AppError> {
    let scope = BaseScope::of(&identity, path.into_inner())?;
    Ok(web::Json(state.db.run(move |conn| scheduled_for_base(conn, &scope)).await?))
}

