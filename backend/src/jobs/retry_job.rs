//! `POST /api/v1/admin/jobs/{id}/retry`: run a failed job again (system admins).

use actix_web::{post, web, HttpRequest};
use diesel::prelude::*;
use shared::jobs::JobView;

use super::{view_of, Status};
use crate::accounts::audit::{self, Event, RequestMeta};
use crate::accounts::identity::SystemAdmin;
use crate::db::schema::jobs;
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;

/// Put a failed job back to pending, due now, with a fresh set of attempts (its last error
/// stays until it runs); inside the caller's write, which wakes the worker once it commits.
/// 409 `job_not_failed` for any other job.
pub fn retry(conn: &mut DbConn, meta: &RequestMeta, admin: i64, id: i64) -> Result<JobView, AppError> {
    let now = crate::db::now();
    let changed = diesel::update(jobs::table.find(id).filter(jobs::status.eq(Status::Failed.as_str())))
        .set((
            jobs::status.eq(Status::Pending.as_str()),
            jobs::run_at.eq(now),
            jobs::attempts.eq(0),
            jobs::finished_at.eq(None::<chrono::NaiveDateTime>),
            jobs::updated_at.eq(now),
        ))
        .execute(conn)?;
    if changed == 0 {
        let view = view_of(conn, id)?;
        return Err(AppError::Conflict { code: "job_not_failed", message: format!("The job is {}, not failed.", view.status) });
    }
    crate::db::scheduled_job();
    audit::record(conn, meta, Event::new("job_retried").actor(admin).object("job", id))?;
    view_of(conn, id)
}

/// Run a failed job again (system admins): it is due at once, with a fresh set of attempts.
#[utoipa::path(post, path = "/api/v1/admin/jobs/{id}/retry", tag = "admin", params(("id" = i64, Path)),
    responses((status = 200, body = JobView), (status = 403, description = "Not a system admin"), (status = 404, description = "No such job"),
        (status = 409, description = "`job_not_failed`: only a failed job is retried")))]
#[post("/admin/jobs/{id}/retry")]
pub async fn post_retry_job(state: web::Data<AppState>, req: HttpRequest, SystemAdmin(admin): SystemAdmin, path: web::Path<i64>) -> Result<web::Json<JobView>, AppError> {
    let (meta, id) = (RequestMeta::from_request(&req), path.into_inner());
    let view = state.db.write(move |conn| retry(conn, &meta, admin.user_id, id)).await?;
    Ok(web::Json(view))
}
