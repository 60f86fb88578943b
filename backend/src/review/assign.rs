//! `POST /api/v1/applications/{id}/assignment`: who of the lead agency holds an application in
//! its stages (formal review, expert review, decision). A reviewer claims it; the agency lead
//! assigns it to one of the agency's reviewers or leads, or releases it. The queue filters on
//! it (`flag=mine`, `flag=unassigned`); reminders go to the holder when there is one.

use actix_web::{post, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use shared::accounts::Role as AccountRole;
use shared::applications::ApplicationState;
use shared::notifications::NoticeKind;
use shared::review::{AssignRequest, Holder, Role};

use super::notices::{self, Notice};
use crate::accounts::audit::{record, Event, RequestMeta};
use crate::db::schema::{applications, user_roles, users};
use crate::db::DbConn;
use crate::error::AppError;
use crate::principal::Identity;
use crate::state::AppState;

/// The lead agency's stages, in which someone of the agency holds the work.
const LEAD_STAGES: [ApplicationState; 3] = [ApplicationState::FormalReview, ApplicationState::ExpertReview, ApplicationState::AgencyDecision];

/// Who holds application `id` now.
pub fn holder(conn: &mut DbConn, id: i64) -> QueryResult<Holder> {
    let reviewer: Option<i64> = applications::table.find(id).select(applications::assigned_reviewer_id).first(conn)?;
    let name = match reviewer {
        Some(r) => users::table.find(r).select(users::display_name).first(conn).optional()?,
        None => None,
    };
    Ok(Holder { reviewer_id: reviewer, reviewer_name: name })
}

/// The people of `agency` who may hold its applications (its reviewers and leads, enabled).
pub fn agency_staff(conn: &mut DbConn, agency: i64) -> QueryResult<Vec<(i64, String)>> {
    user_roles::table
        .inner_join(users::table.on(users::id.eq(user_roles::user_id)))
        .filter(user_roles::agency_id.eq(agency))
        .filter(user_roles::role.eq_any([AccountRole::AgencyReviewer.as_str(), AccountRole::AgencyLead.as_str()]))
        .filter(users::disabled_at.is_null())
        .select((users::id, users::display_name))
        .distinct()
        .order(users::id)
        .load(conn)
}

/// Claim, assign or release application `id` as `identity`, inside the caller's write. The row
/// is locked first; only in the lead agency's stages; a reviewer may only claim (an
/// application nobody else holds) or release their own; the agency lead may assign to anyone of
/// the agency or release. The new holder is told, unless they assigned it to themselves.
pub fn assign(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, id: i64, req: &AssignRequest, origin: &str) -> Result<Holder, AppError> {
    let locked = diesel::update(applications::table.find(id)).set(applications::id.eq(id)).execute(conn)?;
    if locked == 0 {
        return Err(AppError::NotFound("the application"));
    }
    let case = super::load_readable(conn, identity, id)?;
    let parts = super::parts(identity, &case);
    let is_lead = parts.iter().any(|p| p.role == Role::AgencyLead);
    let is_reviewer = parts.iter().any(|p| p.role == Role::Reviewer);
    if !is_lead && !is_reviewer {
        return Err(AppError::Forbidden { code: "action_not_allowed", message: "Only the lead agency's staff hold its applications." });
    }
    let state = case.state();
    if !LEAD_STAGES.contains(&state) {
        return Err(AppError::StateChanged(state));
    }
    let current = case.row.assigned_reviewer_id;
    let target = if req.release { None } else { Some(req.reviewer_id.unwrap_or(identity.user_id)) };
    if req.release && req.reviewer_id.is_some() {
        return Err(AppError::field("reviewer_id", "unexpected_field", "Either release or name a reviewer, not both."));
    }
    if !is_lead {
        // A reviewer claims what nobody else holds, or lets go of their own.
        let own = target == Some(identity.user_id) && current.is_none_or(|c| c == identity.user_id);
        let letting_go = target.is_none() && current == Some(identity.user_id);
        if !own && !letting_go {
            return Err(AppError::Forbidden { code: "action_not_allowed", message: "A reviewer claims an application nobody holds, or releases their own; the agency lead assigns." });
        }
    }
    if let Some(t) = target {
        if !agency_staff(conn, case.lead_agency_id)?.iter().any(|(u, _)| *u == t) {
            return Err(AppError::field("reviewer_id", "invalid", "Not a reviewer or lead of the lead agency."));
        }
    }
    if target == current {
        return holder(conn, id).map_err(AppError::from);
    }
    diesel::update(applications::table.find(id).filter(applications::state.eq(state.code()))).set(applications::assigned_reviewer_id.eq(target)).execute(conn)?;
    let part = parts.iter().find(|p| p.role == if is_lead { Role::AgencyLead } else { Role::Reviewer }).copied();
    let now_held = holder(conn, id)?;
    let note = now_held.reviewer_name.clone();
    super::history(conn, id, "assigned", (Some(state), Some(state)), part.as_ref(), Some(identity.user_id), case.round(), note.as_deref(), true)?;
    record(conn, meta, Event::new("application_assigned").actor(identity.user_id).object("application", id).detail(serde_json::json!({ "from": current, "to": target, "state": state.as_str() })))?;
    if let Some(t) = target.filter(|t| *t != identity.user_id) {
        notices::send(conn, origin, &[t], &Notice { kind: NoticeKind::Assigned, application_id: id, stage: state, note: None, due: case.row.stage_due_on })?;
    }
    Ok(now_held)
}

/// Claim an application (a reviewer of the lead agency), assign it to one of the agency's
/// reviewers or leads (the agency lead), or release it. Answers who holds it now.
#[utoipa::path(post, path = "/api/v1/applications/{id}/assignment", tag = "review", params(("id" = i64, Path)), request_body = AssignRequest,
    responses((status = 200, body = Holder), (status = 401, description = "`unauthenticated`"),
        (status = 403, description = "`action_not_allowed`: not the lead agency's staff, or a reviewer assigning someone else or taking what another holds"),
        (status = 404, description = "`not_found`: no such application, or not one the caller may read"),
        (status = 409, description = "`state_changed` (with `current_state`): not in a stage of the lead agency"),
        (status = 422, description = "`reviewer_id` not of the lead agency, or given with `release`")))]
#[post("/applications/{id}/assignment")]
pub async fn post_assignment(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<i64>, body: web::Json<AssignRequest>) -> Result<HttpResponse, AppError> {
    let (id, meta, body) = (path.into_inner(), RequestMeta::from_request(&req), body.into_inner());
    let origin = state.settings.public_origin().to_string();
    Ok(HttpResponse::Ok().json(state.db.write(move |conn| assign(conn, &meta, &identity, id, &body, &origin)).await?))
}
