//! `PUT /api/v1/programs/{code}`: define a program, or edit it (a new version when its call is
//! open or applications were filed under the current version).

use actix_web::{put, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use shared::programs::ProgramDefinition;

use crate::accounts::audit::{record, Event, RequestMeta};
use crate::db::schema::{agencies, programs};
use crate::error::AppError;
use crate::principal::Identity;
use crate::state::AppState;

/// A program's definition, with where it is listed.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveProgram {
    /// `shanghai` or `guangzhou` (kept as it is when the program exists).
    pub city_code: String,
    /// Position in the lists.
    #[serde(default)]
    pub sort_order: i32,
    pub definition: ProgramDefinition,
}

/// What was saved.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SavedProgram {
    pub code: String,
    pub version: i32,
    /// `created`, `new_version`, `replaced` or `unchanged`.
    pub outcome: String,
}

/// Whether `identity` may define program `code` led by `lead` (and, when it exists, currently
/// led by the agency it names): a system admin, or the lead agency's agency lead.
fn may_define(conn: &mut crate::db::DbConn, identity: &Identity, code: &str, lead: &str) -> Result<(), AppError> {
    if identity.is_admin() {
        return Ok(());
    }
    let led = identity.led_agencies();
    let new_lead: Option<i64> = agencies::table.filter(agencies::code.eq(lead)).select(agencies::id).first(conn).optional()?;
    let current_lead: Option<i64> = programs::table.filter(programs::code.eq(code)).select(programs::lead_agency_id).first(conn).optional()?;
    let ok = new_lead.is_some_and(|a| led.contains(&a)) && current_lead.is_none_or(|a| led.contains(&a));
    if ok {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// The cities whose programs the portal lists.
pub const CITIES: [&str; 2] = ["shanghai", "guangzhou"];

/// The program code of a path, trimmed: upper-case letters, digits and hyphens, at most 40
/// (422 `invalid_code` on `code`).
pub fn check_code(code: &str) -> Result<String, AppError> {
    let code = code.trim().to_string();
    if code.is_empty() || code.len() > 40 || !code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-') {
        return Err(AppError::field("code", "invalid_code", "A program code is upper-case letters, digits and hyphens, at most 40."));
    }
    Ok(code)
}

/// Define or edit program `code` inside the caller's write (the REST handler and the editor's
/// form both call it): who may, the definition's checks, the version, the audit record.
pub fn define(conn: &mut crate::db::DbConn, meta: &RequestMeta, identity: &Identity, code: &str, body: &SaveProgram) -> Result<SavedProgram, AppError> {
    may_define(conn, identity, code, &body.definition.lead_agency)?;
    if !CITIES.contains(&body.city_code.as_str()) {
        return Err(AppError::field("city_code", "not_allowed", "The city is shanghai or guangzhou."));
    }
    let saved = super::save(conn, code, body.sort_order, &body.city_code, &body.definition, Some(identity.user_id))?;
    let outcome = match saved {
        super::Saved::Created => "created",
        super::Saved::NewVersion(_) => "new_version",
        super::Saved::Replaced(_) => "replaced",
        super::Saved::Unchanged(_) => "unchanged",
    };
    if !matches!(saved, super::Saved::Unchanged(_)) {
        let id: i64 = programs::table.filter(programs::code.eq(code)).select(programs::id).first(conn)?;
        record(conn, meta, Event::new("program_saved").actor(identity.user_id).object("program", id).detail(serde_json::json!({ "code": code, "version": saved.version(), "outcome": outcome })))?;
    }
    Ok(SavedProgram { code: code.to_string(), version: saved.version(), outcome: outcome.to_string() })
}

/// Define or edit program `code`. System admins, or the agency lead of the program's lead
/// agency (for its own programs), with a recent second-factor check; recorded in the audit log.
#[utoipa::path(put, path = "/api/v1/programs/{code}", tag = "programs", params(("code" = String, Path, example = "SH-2026-FIRST-SET")), request_body = SaveProgram,
    responses((status = 200, body = SavedProgram, description = "Saved: created, a new version, the current version replaced, or unchanged"),
        (status = 401, description = "`unauthenticated`"), (status = 403, description = "`forbidden`, or `step_up_required`"),
        (status = 404, description = "`not_found`: no agency has the lead agency's code"),
        (status = 422, description = "`validation_failed`: field errors of the definition (titles, window, tranches, materials, amount rule, agency codes), `invalid_code` on `code`, or `not_allowed` on `city_code` (`shanghai` or `guangzhou`)"),
        (status = 503, description = "`busy`: try again; nothing changed")))]
#[put("/programs/{code}")]
pub async fn put_program(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<String>, body: web::Json<SaveProgram>) -> Result<HttpResponse, AppError> {
    crate::accounts::second_factor::require_step_up(&state, &identity)?;
    let code = check_code(&path.into_inner())?;
    let (meta, body) = (RequestMeta::from_request(&req), body.into_inner());
    let saved = state.db.write(move |conn| define(conn, &meta, &identity, &code, &body)).await?;
    Ok(HttpResponse::Ok().json(saved))
}
