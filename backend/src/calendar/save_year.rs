//! `PUT /api/v1/calendar/{year}`: hold a year, or mark it final or provisional.

use actix_web::{put, web, HttpRequest};
use shared::calendar::{CalendarYear, YearInput};

use super::{read_year, record_edit};
use crate::accounts::audit::RequestMeta;
use crate::accounts::identity::SystemAdmin;
use crate::accounts::{issues_to_error, now};
use crate::db::schema::calendar_years;
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;
use diesel::prelude::*;

/// Create the year (with no days yet) or change whether it is final and its source; inside the
/// caller's write (`Db::write`).
pub fn save_year(conn: &mut DbConn, meta: &RequestMeta, admin: i64, year: i32, input: &YearInput) -> Result<CalendarYear, AppError> {
    let year = super::path_year(year)?;
    issues_to_error(input.check())?;
    let source = input.source.trim();
    let values = (
        calendar_years::provisional.eq(input.provisional),
        calendar_years::source.eq(source),
        calendar_years::edited_in_portal.eq(true),
        calendar_years::updated_at.eq(now()),
        calendar_years::updated_by.eq(admin),
    );
    let created = diesel::update(calendar_years::table.find(year)).set(values).execute(conn)? == 0;
    if created {
        diesel::insert_into(calendar_years::table).values((calendar_years::year.eq(year), values)).execute(conn)?;
    }
    let action = if created { "year_added" } else { "year_saved" };
    record_edit(conn, meta, admin, year, serde_json::json!({ "action": action, "provisional": input.provisional, "source": source }))?;
    read_year(conn, year)
}

/// Hold a year in the calendar or change it: `provisional` until the State Council's
/// arrangement is loaded, and the notice it comes from (required once final). System admins,
/// with a recent second-factor check; recorded in the audit log.
#[utoipa::path(put, path = "/api/v1/calendar/{year}", tag = "calendar", params(("year" = i32, Path, example = 2027)), request_body = YearInput,
    responses((status = 200, body = CalendarYear), (status = 403, description = "Not a system admin, or no recent second-factor check (`step_up_required`)"),
        (status = 404, description = "A year outside 2000 to 2100"), (status = 422, description = "A final year without its source")))]
#[put("/calendar/{year}")]
pub async fn put_calendar_year(state: web::Data<AppState>, req: HttpRequest, SystemAdmin(admin): SystemAdmin, path: web::Path<i32>, body: web::Json<YearInput>) -> Result<web::Json<CalendarYear>, AppError> {
    crate::accounts::second_factor::require_step_up(&state, &admin)?;
    let (meta, year, input) = (RequestMeta::from_request(&req), path.into_inner(), body.into_inner());
    Ok(web::Json(state.db.write(move |conn| save_year(conn, &meta, admin.user_id, year, &input)).await?))
}
