//! `DELETE /api/v1/calendar/days/{date}`: take a holiday or make-up working day out.

use actix_web::{delete, web, HttpRequest, HttpResponse};
use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use super::{record_edit, touch_year};
use crate::accounts::audit::RequestMeta;
use crate::accounts::identity::SystemAdmin;
use crate::db::schema::calendar_days;
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;

/// Take `day` out of the calendar (it becomes an ordinary weekday or weekend); inside the
/// caller's write. 404 when it is not entered.
pub fn remove_day(conn: &mut DbConn, meta: &RequestMeta, admin: i64, day: NaiveDate) -> Result<(), AppError> {
    let year = super::path_year(day.year())?;
    touch_year(conn, year, admin)?;
    let removed: Option<(String, String)> = diesel::delete(calendar_days::table.find(day))
        .returning((calendar_days::kind, calendar_days::name_zh))
        .get_result(conn)
        .optional()?;
    let Some((kind, name_zh)) = removed else { return Err(AppError::NotFound("the calendar day")) };
    record_edit(conn, meta, admin, year, serde_json::json!({ "action": "day_removed", "date": day, "kind": kind, "name_zh": name_zh }))?;
    Ok(())
}

/// Take a holiday or make-up working day out of the calendar. System admins, with a recent
/// second-factor check; recorded in the audit log.
#[utoipa::path(delete, path = "/api/v1/calendar/days/{date}", tag = "calendar", params(("date" = String, Path, format = Date, example = "2026-10-10")),
    responses((status = 204, description = "Removed"), (status = 403, description = "Not a system admin, or no recent second-factor check (`step_up_required`)"),
        (status = 404, description = "The day is not entered, or not a date")))]
#[delete("/calendar/days/{date}")]
pub async fn delete_calendar_day(state: web::Data<AppState>, req: HttpRequest, SystemAdmin(admin): SystemAdmin, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    crate::accounts::second_factor::require_step_up(&state, &admin)?;
    let day = shared::calendar::parse_day(&path).ok_or(AppError::NotFound("the calendar day"))?;
    let meta = RequestMeta::from_request(&req);
    state.db.write(move |conn| remove_day(conn, &meta, admin.user_id, day)).await?;
    Ok(HttpResponse::NoContent().finish())
}
