//! `GET /api/v1/admin/jobs`: the scheduled jobs, by state (system admins).

use actix_web::{get, web};
use diesel::prelude::*;
use serde::Deserialize;
use shared::dto::Page;
use shared::jobs::JobView;
use utoipa::IntoParams;

use super::{Row, Status};
use crate::accounts::identity::SystemAdmin;
use crate::db::schema::jobs;
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct JobsQuery {
    /// `pending`, `running`, `failed` or `done`; any when absent.
    pub status: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// One page of jobs in `status` (any when `None`), those due soonest (pending, running) or
/// latest (failed, done) first.
pub fn list(conn: &mut DbConn, status: Option<&str>, page: i64, per_page: i64) -> Result<Page<JobView>, AppError> {
    let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(Status::parse(s).ok_or_else(|| AppError::field("status", "not_allowed", "pending, running, failed or done"))?),
    };
    let (page, per_page) = (page.max(1), per_page.clamp(1, 100));
    let filtered = || {
        let mut q = jobs::table.into_boxed();
        if let Some(s) = status {
            q = q.filter(jobs::status.eq(s.as_str()));
        }
        q
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let mut q = filtered().select(Row::as_select()).offset((page - 1) * per_page).limit(per_page);
    q = match status {
        Some(Status::Pending | Status::Running) => q.order((jobs::run_at.asc(), jobs::id.asc())),
        _ => q.order((jobs::updated_at.desc(), jobs::id.desc())),
    };
    let items = q.load::<Row>(conn)?.into_iter().map(Row::view).collect();
    Ok(Page { items, total, page, per_page })
}

/// The scheduled jobs (system admins): what is pending, running, failed (with the last error)
/// or done.
#[utoipa::path(get, path = "/api/v1/admin/jobs", tag = "admin", params(JobsQuery),
    responses((status = 200, body = Page<JobView>), (status = 403, description = "Not a system admin"), (status = 422, description = "An unknown status")))]
#[get("/admin/jobs")]
pub async fn get_jobs(state: web::Data<AppState>, _admin: SystemAdmin, q: web::Query<JobsQuery>) -> Result<web::Json<Page<JobView>>, AppError> {
    let q = q.into_inner();
    Ok(web::Json(state.db.run(move |conn| list(conn, q.status.as_deref(), q.page.unwrap_or(1), q.per_page.unwrap_or(50))).await?))
}
