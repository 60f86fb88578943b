//! Scheduled work's form posts: a park manager schedules report reminders; a system admin
//! retries a failed job. Each calls the same service as the REST API, then 303 back.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use backend::accounts::audit::RequestMeta;
use backend::accounts::identity::MaybeIdentity;
use backend::AppState;
use shared::jobs::ScheduleReminders;

use super::{admin_of, error_param, see_other};
use crate::components::text::url_encode as enc;

/// Mounted beside the other report forms (before the `/forms` scope).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/forms/bases/{id}/reminders/scheduled", web::post().to(post_schedule));
}

/// Mounted inside `/forms/admin`.
pub fn configure_admin(cfg: &mut web::ServiceConfig) {
    cfg.route("/jobs/{id}/retry", web::post().to(post_retry));
}

async fn post_schedule(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    let base_id = path.into_inner();
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let input = ScheduleReminders { period: get("period"), run_at: get("run_at") };
    let back_to = format!("/park/reports?base={base_id}&period={}", enc(&input.period));
    let (meta, st, typed) = (RequestMeta::from_request(&req), state.clone(), input.run_at.clone());
    let result = match backend::scope::BaseScope::of(&identity, base_id) {
        Ok(scope) => state.db.write(move |conn| backend::jobs::report_reminders::schedule_reminders(conn, &st, &meta, &scope, &input)).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            see_other(&format!("{back_to}&scheduled=1#schedule-title"))
        }
        // The typed time comes back (a time of day, nothing personal).
        Err(e) => see_other(&format!("{back_to}&err={}&run_at={}#schedule-title", enc(&error_param(&e)), enc(&typed))),
    }
}

async fn post_retry(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>) -> HttpResponse {
    let admin = match admin_of(identity) {
        Ok(a) => a,
        Err(to) => return see_other(to),
    };
    let (meta, id) = (RequestMeta::from_request(&req), path.into_inner());
    match state.db.write(move |conn| backend::jobs::retry_job::retry(conn, &meta, admin.user_id, id)).await {
        Ok(_) => {
            see_other("/admin/jobs?status=pending&saved=1")
        }
        Err(e) => see_other(&format!("/admin/jobs?status=failed&err={}", enc(&error_param(&e)))),
    }
}
