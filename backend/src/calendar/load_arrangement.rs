//! `PUT /api/v1/calendar/{year}/arrangement`: load a year's whole arrangement from its file.

use actix_web::{put, web, HttpRequest};
use shared::calendar::CalendarYear;

use super::{read_year, record_edit, replace_year, Arrangement};
use crate::accounts::audit::RequestMeta;
use crate::accounts::identity::SystemAdmin;
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;

/// The most a year's file may hold.
pub const MAX_ARRANGEMENT_BYTES: usize = 64 * 1024;

/// Replace `year` with the arrangement in `text` (the format of `seeds/calendar/*.toml`);
/// `field` names the input in errors. Inside the caller's write.
pub fn load_arrangement(conn: &mut DbConn, meta: &RequestMeta, admin: i64, year: i32, text: &str, field: &str) -> Result<CalendarYear, AppError> {
    let year = super::path_year(year)?;
    let arrangement = Arrangement::parse(text, field)?;
    if arrangement.year != year {
        return Err(AppError::field(field, "outside_year", format!("The file is for {}, not {year}.", arrangement.year)));
    }
    replace_year(conn, &arrangement, Some(admin))?;
    let detail = serde_json::json!({
        "action": "arrangement_loaded",
        "provisional": arrangement.provisional,
        "source": arrangement.source,
        "holidays": arrangement.days.iter().filter(|d| d.kind == shared::calendar::DayKind::Holiday).count(),
        "workdays": arrangement.days.iter().filter(|d| d.kind == shared::calendar::DayKind::Workday).count(),
    });
    record_edit(conn, meta, admin, year, detail)?;
    read_year(conn, year)
}

/// Replace a year's whole arrangement with a calendar file (TOML, the format of the shipped
/// `seeds/calendar/2026.toml`: `year`, `provisional`, `source`, `[[holiday]]` ranges and
/// `[[workday]]` days): how the State Council's notice for a new year is loaded. System admins,
/// with a recent second-factor check; recorded in the audit log.
#[utoipa::path(put, path = "/api/v1/calendar/{year}/arrangement", tag = "calendar", params(("year" = i32, Path, example = 2027)),
    request_body(content = String, content_type = "text/plain", description = "The year's calendar file (TOML, UTF-8), at most 64 KB"),
    responses((status = 200, body = CalendarYear), (status = 403, description = "Not a system admin, or no recent second-factor check (`step_up_required`)"),
        (status = 404, description = "A year outside 2000 to 2100"),
        (status = 422, description = "Field `arrangement`: the file cannot be read (`invalid_arrangement`), is for another year, or an entry is outside the year, on a weekday for a make-up day, listed twice or unnamed")))]
#[put("/calendar/{year}/arrangement")]
pub async fn put_arrangement(state: web::Data<AppState>, req: HttpRequest, SystemAdmin(admin): SystemAdmin, path: web::Path<i32>, body: web::Bytes) -> Result<web::Json<CalendarYear>, AppError> {
    crate::accounts::second_factor::require_step_up(&state, &admin)?;
    if body.len() > MAX_ARRANGEMENT_BYTES {
        return Err(AppError::field("arrangement", "too_large", "A calendar file is at most 64 KB."));
    }
    let text = String::from_utf8(body.to_vec()).map_err(|_| AppError::field("arrangement", "invalid_arrangement", "The file is not UTF-8 text."))?;
    let (meta, year) = (RequestMeta::from_request(&req), path.into_inner());
    Ok(web::Json(state.db.write(move |conn| load_arrangement(conn, &meta, admin.user_id, year, &text, "arrangement")).await?))
}
