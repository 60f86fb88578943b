//! `GET /api/v1/calendar/{year}`: one year's holidays and make-up working days.

use actix_web::{get, web};
use shared::calendar::CalendarYear;

use crate::error::AppError;
use crate::state::AppState;

/// One year of the working-day calendar: whether it is final, its source, and every holiday
/// and make-up working day in date order. Public.
#[utoipa::path(get, path = "/api/v1/calendar/{year}", tag = "calendar", params(("year" = i32, Path, example = 2026)),
    responses((status = 200, body = CalendarYear), (status = 404, description = "The calendar does not hold this year")))]
#[get("/calendar/{year}")]
pub async fn get_calendar_year(state: web::Data<AppState>, path: web::Path<i32>) -> Result<web::Json<CalendarYear>, AppError> {
    let year = super::path_year(path.into_inner())?;
    Ok(web::Json(state.db.run(move |conn| super::read_year(conn, year)).await?))
}
