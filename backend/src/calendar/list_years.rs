//! `GET /api/v1/calendar`: the years the working-day calendar holds.

use actix_web::{get, web};
use shared::calendar::CalendarYear;

use crate::error::AppError;
use crate::state::AppState;

/// The years the working-day calendar holds, oldest first, each final or provisional, without
/// their days. Public: deadlines are counted with it.
#[utoipa::path(get, path = "/api/v1/calendar", tag = "calendar",
    responses((status = 200, body = [CalendarYear])))]
#[get("/calendar")]
pub async fn get_calendar(state: web::Data<AppState>) -> Result<web::Json<Vec<CalendarYear>>, AppError> {
    Ok(web::Json(state.db.run(|conn| Ok(super::list(conn)?)).await?))
}
