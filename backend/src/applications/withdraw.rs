//! `POST /api/v1/applications/{id}/withdraw`: withdraw an application not decided yet.

use actix_web::{post, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use shared::applications::{ApplicationState, WithdrawApplication};

use crate::accounts::audit::{record, Event, RequestMeta};
use crate::db::schema::{application_keys, applications};
use crate::db::{now, DbConn};
use crate::error::AppError;
use crate::principal::Identity;
use crate::state::AppState;

/// Withdraw application `id` with `reason`, inside the caller's write: from any state before
/// the decision (409 `not_withdrawable` after it), conditional on the state it was read in, so
/// a reviewer's decision at the same moment and the withdrawal make one change. Its
/// duplicate-funding keys stop counting.
pub fn withdraw(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, id: i64, reason: &str) -> Result<(), AppError> {
    // Who may is checked first: to anyone else the application does not exist.
    let s = super::load_scoped(conn, identity, id, true)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field("reason", "required", "Say why the application is withdrawn."));
    }
    if reason.chars().count() > 1000 {
        return Err(AppError::field("reason", "too_long", "At most 1,000 characters."));
    }
    let from = s.row.state();
    // Before the decision: once the agencies have signed it, no longer.
    let decided = from == ApplicationState::AgencyDecision && crate::review::load_case(conn, id)?.is_some_and(|c| c.situation().decided());
    if !from.withdrawable() || decided {
        return Err(AppError::Conflict { code: "not_withdrawable", message: "This application has been decided or closed; it can no longer be withdrawn.".into() });
    }
    let t = now();
    let to = ApplicationState::Withdrawn;
    // A proposed approval gives its reservation back.
    crate::review::release_reservation(conn, s.row.program_id, id)?;
    let changed = diesel::update(applications::table.find(id).filter(applications::state.eq(from.code())))
        .set((applications::state.eq(to.code()), applications::withdrawn_at.eq(t), applications::withdraw_reason.eq(reason), applications::updated_at.eq(t)))
        .execute(conn)?;
    if changed == 0 {
        return Err(AppError::Conflict { code: "status_changed", message: "The application changed meanwhile; reload and try again.".into() });
    }
    diesel::update(application_keys::table.filter(application_keys::application_id.eq(id))).set(application_keys::active.eq(false)).execute(conn)?;
    super::event(conn, id, "withdrawn", Some(from), Some(to), s.user_id, Some(reason))?;
    let detail = serde_json::json!({ "from_state": from, "reason": reason });
    record(conn, meta, Event::new("application_withdrawn").actor(s.user_id).object("application", id).detail(detail))?;
    Ok(())
}

/// Withdraw an application that has not been decided yet, with a reason.
#[utoipa::path(post, path = "/api/v1/applications/{id}/withdraw", tag = "applications", params(("id" = i64, Path)), request_body = WithdrawApplication,
    responses((status = 200, body = shared::applications::ApplicationView), (status = 401, description = "`unauthenticated`"),
        (status = 403, description = "`email_unverified`"), (status = 404, description = "`not_found`"),
        (status = 409, description = "`not_withdrawable`: decided or closed; `status_changed`: it moved on meanwhile"),
        (status = 422, description = "`reason` missing or too long")))]
#[post("/applications/{id}/withdraw")]
pub async fn post_withdraw(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<i64>, body: web::Json<WithdrawApplication>) -> Result<HttpResponse, AppError> {
    let (id, meta, who, reason) = (path.into_inner(), RequestMeta::from_request(&req), identity.clone(), body.into_inner().reason);
    state.db.write(move |conn| withdraw(conn, &meta, &who, id, &reason)).await?;
    Ok(HttpResponse::Ok().json(super::view_after(&state, identity, id).await?))
}
