//! `GET /api/v1/applications/{id}/timeline`: what happened to an application, for its company.

use actix_web::{get, web, HttpResponse};
use diesel::prelude::*;
use shared::applications::{ApplicationState, TimelineEntry};

use crate::db::schema::application_events;
use crate::db::DbConn;
use crate::error::AppError;
use crate::principal::Identity;
use crate::state::AppState;

/// The steps of application `id`, oldest first (the caller's company's only).
pub fn timeline(conn: &mut DbConn, identity: &Identity, id: i64) -> Result<Vec<TimelineEntry>, AppError> {
    super::load_scoped(conn, identity, id, false)?;
    let rows: Vec<(chrono::NaiveDateTime, String, Option<i32>, Option<i32>, Option<String>)> = application_events::table
        .filter(application_events::application_id.eq(id))
        .order(application_events::id)
        .select((application_events::at, application_events::kind, application_events::from_state, application_events::to_state, application_events::note))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(at, kind, from, to, note)| TimelineEntry {
            at: at.and_utc(),
            kind,
            from_state: from.and_then(ApplicationState::from_code),
            to_state: to.and_then(ApplicationState::from_code),
            note,
        })
        .collect())
}

/// What happened to an application, oldest first, as its applicant sees it.
#[utoipa::path(get, path = "/api/v1/applications/{id}/timeline", tag = "applications", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<TimelineEntry>), (status = 401, description = "`unauthenticated`"), (status = 404, description = "`not_found`")))]
#[get("/applications/{id}/timeline")]
pub async fn get_timeline(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| timeline(conn, &identity, id)).await?))
}
