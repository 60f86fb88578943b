//! `GET /api/v1/applications/{id}/timeline`: what happened to an application, for its company.

use actix_web::{get, web, HttpResponse};
use diesel::prelude::*;
use shared::applications::{ApplicationState, TimelineEntry};

use crate::db::schema::{application_events, users};
use crate::db::DbConn;
use crate::error::AppError;
use crate::principal::Identity;
use crate::state::AppState;

/// The steps of application `id`, oldest first. Its company sees what is meant for applicants
/// (no internal step or opinion, nobody's name); the staff who review it (and system admins) see
/// every step with who took it, in which part, and internal opinions.
pub fn timeline(conn: &mut DbConn, identity: &Identity, id: i64) -> Result<Vec<TimelineEntry>, AppError> {
    let s = super::load_scoped(conn, identity, id, false)?;
    let staff = s.as_reviewer() || (identity.is_admin() && !identity.enterprises(false).contains(&s.row.enterprise_id));
    let mut q = application_events::table
        .left_join(users::table.on(users::id.nullable().eq(application_events::actor_user_id)))
        .filter(application_events::application_id.eq(id))
        .order(application_events::id)
        .select((
            application_events::at,
            application_events::kind,
            application_events::from_state,
            application_events::to_state,
            application_events::note,
            application_events::internal,
            application_events::actor_role,
            users::display_name.nullable(),
        ))
        .into_boxed();
    if !staff {
        q = q.filter(application_events::internal.eq(false));
    }
    type EventRow = (chrono::NaiveDateTime, String, Option<i32>, Option<i32>, Option<String>, bool, Option<String>, Option<String>);
    let rows: Vec<EventRow> = q.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(at, kind, from, to, note, internal, role, name)| TimelineEntry {
            at: at.and_utc(),
            kind,
            from_state: from.and_then(ApplicationState::from_code),
            to_state: to.and_then(ApplicationState::from_code),
            note,
            internal: staff.then_some(internal),
            actor_role: if staff { role } else { None },
            actor_name: if staff { name } else { None },
        })
        .collect())
}

/// What happened to an application, oldest first: as its applicant sees it, or, for the staff
/// who review it, every step with who took it and internal opinions.
#[utoipa::path(get, path = "/api/v1/applications/{id}/timeline", tag = "applications", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<TimelineEntry>), (status = 401, description = "`unauthenticated`"), (status = 404, description = "`not_found`")))]
#[get("/applications/{id}/timeline")]
pub async fn get_timeline(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| timeline(conn, &identity, id)).await?))
}
