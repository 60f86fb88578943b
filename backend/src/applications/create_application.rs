//! `POST /api/v1/applications`: start a draft for a program.

use actix_web::{post, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use shared::applications::{ApplicationState, CreateApplication};
use shared::dto::CallStatus;
use shared::filing::Project;

use crate::accounts::audit::{record, Event, RequestMeta};
use crate::db::schema::applications;
use crate::db::{now, DbConn};
use crate::error::AppError;
use crate::principal::Identity;
use crate::programs::eligibility::company_of;
use crate::scope::CompanyScope;
use crate::state::AppState;

/// Start a draft of program `code` for the company `scope` names, inside the caller's write.
/// Refused when the call has closed (409 `call_closed`) or the company already has a submitted
/// application under it (409 `already_applied`).
pub fn create(conn: &mut DbConn, meta: &RequestMeta, scope: &CompanyScope, code: &str) -> Result<i64, AppError> {
    let program = crate::programs::load(conn, code.trim()).map_err(|e| match e {
        AppError::NotFound(_) => AppError::field("program_code", "unknown_program", "There is no such program."),
        other => other,
    })?;
    let t = now();
    if CallStatus::at(t.and_utc(), program.definition.call_opens_at, program.definition.call_closes_at) == CallStatus::Closed {
        return Err(AppError::Conflict { code: "call_closed", message: "The call for this program has closed.".into() });
    }
    super::submit::refuse_if_applied(conn, program.id, scope.enterprise_id(), None)?;
    let project = Project::empty(program.definition.kind);
    let id: i64 = diesel::insert_into(applications::table)
        .values((
            applications::program_id.eq(program.id),
            applications::enterprise_id.eq(scope.enterprise_id()),
            applications::state.eq(ApplicationState::Draft.code()),
            applications::title.eq(""),
            applications::amount_requested_fen.eq(0),
            applications::program_version.eq(program.version),
            applications::project.eq(serde_json::to_string(&project).unwrap_or_else(|_| "{}".into())),
            applications::verification_code.eq(super::new_verification_code()),
            applications::created_by.eq(scope.user_id()),
            applications::created_at.eq(t),
            applications::updated_at.eq(t),
        ))
        .returning(applications::id)
        .get_result(conn)?;
    super::event(conn, id, "created", None, Some(ApplicationState::Draft), scope.user_id(), None)?;
    let detail = serde_json::json!({ "program_code": program.code, "program_version": program.version, "enterprise_id": scope.enterprise_id() });
    record(conn, meta, Event::new("application_created").actor(scope.user_id()).object("application", id).detail(detail))?;
    Ok(id)
}

/// Start an application (a draft) for a program. A person of the company who has confirmed
/// their email address; the call must not have closed.
#[utoipa::path(post, path = "/api/v1/applications", tag = "applications", request_body = CreateApplication,
    responses((status = 201, body = shared::applications::ApplicationView, description = "The new draft"),
        (status = 401, description = "`unauthenticated`"), (status = 403, description = "`forbidden`: not a person of the company; `email_unverified`"),
        (status = 409, description = "`call_closed`; `already_applied`: the company has a submitted application under this call"),
        (status = 422, description = "`unknown_program` on `program_code`; `enterprise_id` needed")))]
#[post("/applications")]
pub async fn post_application(state: web::Data<AppState>, req: HttpRequest, identity: Identity, body: web::Json<CreateApplication>) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    let scope = CompanyScope::filing(&identity, company_of(&identity, body.enterprise_id)?, false)?;
    let meta = RequestMeta::from_request(&req);
    let id = state.db.write(move |conn| create(conn, &meta, &scope, &body.program_code)).await?;
    let view = super::view_after(&state, identity, id).await?;
    Ok(HttpResponse::Created().insert_header((actix_web::http::header::LOCATION, format!("/api/v1/applications/{id}"))).json(view))
}
