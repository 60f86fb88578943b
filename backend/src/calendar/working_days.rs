//! `GET /api/v1/calendar/working-days` and `.../between`: deadlines in working days.

use actix_web::{get, web};
use serde::Deserialize;
use shared::calendar::{parse_day, WorkingDaysAfter, WorkingDaysBetween, MAX_WORKING_DAYS};
use utoipa::IntoParams;

use crate::error::{push_field_error, AppError, FieldErrors};
use crate::state::AppState;

/// The longest span counted (ten years): a count walks the days.
const MAX_SPAN_DAYS: i64 = 3660;

#[derive(Debug, Deserialize, IntoParams)]
pub struct AfterQuery {
    /// The day to count from (not itself counted), `YYYY-MM-DD`.
    #[param(example = "2026-09-29")]
    pub from: Option<String>,
    /// How many working days, 0 to 1000.
    #[param(example = 5)]
    pub days: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct BetweenQuery {
    #[param(example = "2026-09-29")]
    pub from: Option<String>,
    #[param(example = "2026-10-12")]
    pub to: Option<String>,
}

fn day(fields: &mut FieldErrors, name: &str, value: Option<&str>) -> Option<chrono::NaiveDate> {
    let value = value.unwrap_or("").trim();
    let parsed = parse_day(value);
    if parsed.is_none() {
        let code = if value.is_empty() { "required" } else { "invalid_date" };
        push_field_error(fields, name, code, crate::accounts::issue_message(code));
    }
    parsed
}

/// The checked inputs of "`days` working days from `from`", or their field errors.
pub fn after_input(from: Option<&str>, days: Option<&str>) -> Result<(chrono::NaiveDate, u32), AppError> {
    let mut fields = FieldErrors::new();
    let from = day(&mut fields, "from", from);
    let days = match days.unwrap_or("").trim() {
        "" => {
            push_field_error(&mut fields, "days", "required", "How many working days.");
            None
        }
        d => match d.parse::<u32>() {
            Ok(n) if n <= MAX_WORKING_DAYS => Some(n),
            _ => {
                push_field_error(&mut fields, "days", "out_of_range", format!("A whole number from 0 to {MAX_WORKING_DAYS}."));
                None
            }
        },
    };
    match (from, days) {
        (Some(from), Some(days)) if fields.is_empty() => Ok((from, days)),
        _ => Err(AppError::Validation(fields)),
    }
}

/// The day `days` working days after `from`, as the calendar stands.
pub async fn after(state: &AppState, from: chrono::NaiveDate, days: u32) -> Result<WorkingDaysAfter, AppError> {
    let calendar = state.db.run(|conn| Ok(super::load(conn)?)).await?;
    let r = calendar.add_working_days(from, days).ok_or_else(|| AppError::field("days", "out_of_range", "Past the calendar's end."))?;
    Ok(WorkingDaysAfter { from, days, date: r.value, provisional: r.provisional })
}

/// The day that is `days` working days after `from` (`from` itself is not counted): weekends
/// and statutory holidays are skipped, make-up working weekends count. `provisional` says the
/// answer rests on a year whose arrangement is not final (or not loaded: weekends only).
#[utoipa::path(get, path = "/api/v1/calendar/working-days", tag = "calendar", params(AfterQuery),
    responses((status = 200, body = WorkingDaysAfter), (status = 422, description = "`from` is not a day, or `days` is not 0 to 1000")))]
#[get("/calendar/working-days")]
pub async fn get_working_days(state: web::Data<AppState>, q: web::Query<AfterQuery>) -> Result<web::Json<WorkingDaysAfter>, AppError> {
    let (from, days) = after_input(q.from.as_deref(), q.days.as_deref())?;
    Ok(web::Json(after(&state, from, days).await?))
}

/// How many working days lie after `from` up to and including `to` (0 when `to` is not after
/// `from`).
#[utoipa::path(get, path = "/api/v1/calendar/working-days/between", tag = "calendar", params(BetweenQuery),
    responses((status = 200, body = WorkingDaysBetween), (status = 422, description = "`from` or `to` is not a day, or they are more than ten years apart")))]
#[get("/calendar/working-days/between")]
pub async fn get_working_days_between(state: web::Data<AppState>, q: web::Query<BetweenQuery>) -> Result<web::Json<WorkingDaysBetween>, AppError> {
    let mut fields = FieldErrors::new();
    let (from, to) = (day(&mut fields, "from", q.from.as_deref()), day(&mut fields, "to", q.to.as_deref()));
    let (Some(from), Some(to)) = (from, to) else { return Err(AppError::Validation(fields)) };
    if (to - from).num_days().abs() > MAX_SPAN_DAYS {
        return Err(AppError::field("to", "out_of_range", "At most ten years after `from`."));
    }
    let calendar = state.db.run(|conn| Ok(super::load(conn)?)).await?;
    let r = calendar.working_days_between(from, to);
    Ok(web::Json(WorkingDaysBetween { from, to, working_days: r.value, provisional: r.provisional }))
}
