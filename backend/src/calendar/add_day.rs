//! `POST /api/v1/calendar/{year}/holidays` and `.../workdays`: enter a holiday range or a
//! make-up working day.

use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use diesel::prelude::*;
use shared::calendar::{DayKind, HolidayInput, WorkdayInput};

use super::{record_edit, touch_year};
use crate::accounts::audit::RequestMeta;
use crate::accounts::identity::SystemAdmin;
use crate::db::schema::calendar_days;
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;

/// Enter `kind` on every day from `from` to `to` of `year`; refused whole (409 `day_taken`)
/// when one of them is entered already. Inside the caller's write; returns how many days.
#[allow(clippy::too_many_arguments)]
pub fn add_days(conn: &mut DbConn, meta: &RequestMeta, admin: i64, year: i32, kind: DayKind, (from, to): (NaiveDate, NaiveDate), name_zh: &str, name_en: &str) -> Result<usize, AppError> {
    touch_year(conn, year, admin)?;
    let taken: Option<NaiveDate> = calendar_days::table
        .filter(calendar_days::day.between(from, to))
        .order(calendar_days::day)
        .select(calendar_days::day)
        .first(conn)
        .optional()?;
    if let Some(day) = taken {
        return Err(AppError::Conflict { code: "day_taken", message: format!("{day} is already in the calendar; remove it first.") });
    }
    let (name_zh, name_en) = (name_zh.trim(), name_en.trim());
    let mut count = 0;
    for day in from.iter_days().take_while(|d| *d <= to) {
        diesel::insert_into(calendar_days::table)
            .values((calendar_days::day.eq(day), calendar_days::kind.eq(kind.as_str()), calendar_days::name_zh.eq(name_zh), calendar_days::name_en.eq(name_en)))
            .execute(conn)?;
        count += 1;
    }
    let action = match kind {
        DayKind::Holiday => "holiday_added",
        DayKind::Workday => "workday_added",
    };
    record_edit(conn, meta, admin, year, serde_json::json!({ "action": action, "from": from, "to": to, "name_zh": name_zh, "name_en": name_en }))?;
    Ok(count)
}

/// A holiday range, checked, entered; inside the caller's write.
pub fn add_holiday(conn: &mut DbConn, meta: &RequestMeta, admin: i64, year: i32, input: &HolidayInput) -> Result<usize, AppError> {
    let year = super::path_year(year)?;
    let range = input.check(year).map_err(crate::accounts::issues_error)?;
    add_days(conn, meta, admin, year, DayKind::Holiday, range, &input.name_zh, &input.name_en)
}

/// A make-up working day, checked, entered; inside the caller's write.
pub fn add_workday(conn: &mut DbConn, meta: &RequestMeta, admin: i64, year: i32, input: &WorkdayInput) -> Result<usize, AppError> {
    let year = super::path_year(year)?;
    let day = input.check(year).map_err(crate::accounts::issues_error)?;
    add_days(conn, meta, admin, year, DayKind::Workday, (day, day), &input.name_zh, &input.name_en)
}

/// Enter a statutory holiday: every day from `from` to `to` (at most 31) is a day off.
/// System admins, with a recent second-factor check; recorded in the audit log.
#[utoipa::path(post, path = "/api/v1/calendar/{year}/holidays", tag = "calendar", params(("year" = i32, Path, example = 2026)), request_body = HolidayInput,
    responses((status = 201, description = "Entered; the body counts the days"), (status = 403, description = "Not a system admin, or no recent second-factor check (`step_up_required`)"),
        (status = 404, description = "The calendar does not hold this year"), (status = 409, description = "`day_taken`: a day of the range is already entered"),
        (status = 422, description = "A day is missing, not a date, outside the year, or the range is backwards or too long; a name is missing")))]
#[post("/calendar/{year}/holidays")]
pub async fn post_holiday(state: web::Data<AppState>, req: HttpRequest, SystemAdmin(admin): SystemAdmin, path: web::Path<i32>, body: web::Json<HolidayInput>) -> Result<HttpResponse, AppError> {
    crate::accounts::second_factor::require_step_up(&state, &admin)?;
    let (meta, year, input) = (RequestMeta::from_request(&req), path.into_inner(), body.into_inner());
    let days = state.db.write(move |conn| add_holiday(conn, &meta, admin.user_id, year, &input)).await?;
    Ok(HttpResponse::Created().json(serde_json::json!({ "days": days })))
}

/// Enter a make-up working day (调休): a Saturday or Sunday people work.
/// System admins, with a recent second-factor check; recorded in the audit log.
#[utoipa::path(post, path = "/api/v1/calendar/{year}/workdays", tag = "calendar", params(("year" = i32, Path, example = 2026)), request_body = WorkdayInput,
    responses((status = 201, description = "Entered"), (status = 403, description = "Not a system admin, or no recent second-factor check (`step_up_required`)"),
        (status = 404, description = "The calendar does not hold this year"), (status = 409, description = "`day_taken`: the day is already entered"),
        (status = 422, description = "The day is missing, not a date, outside the year or not a weekend; a name is missing")))]
#[post("/calendar/{year}/workdays")]
pub async fn post_workday(state: web::Data<AppState>, req: HttpRequest, SystemAdmin(admin): SystemAdmin, path: web::Path<i32>, body: web::Json<WorkdayInput>) -> Result<HttpResponse, AppError> {
    crate::accounts::second_factor::require_step_up(&state, &admin)?;
    let (meta, year, input) = (RequestMeta::from_request(&req), path.into_inner(), body.into_inner());
    let days = state.db.write(move |conn| add_workday(conn, &meta, admin.user_id, year, &input)).await?;
    Ok(HttpResponse::Created().json(serde_json::json!({ "days": days })))
}
