//! `GET /api/v1/applications/{id}/checks`: the automatic checks the reviewers see beside an
//! application, run afresh on each read (so they reflect the registry and the budget now, not
//! at submission): the credit code, duplicate funding, a ban, the budget left, verification,
//! awards overdue for acceptance. Staff who review it only; the company is not shown them.

use actix_web::{get, web, HttpResponse};
use diesel::prelude::*;
use shared::review::{AutoCheck, CheckKind, Role};

use super::Case;
use crate::db::schema::{enterprises, programs};
use crate::db::DbConn;
use crate::error::AppError;
use crate::principal::Identity;
use crate::state::AppState;

/// The checks of application `id` for `identity` (403 for the company's own people).
pub fn checks(conn: &mut DbConn, identity: &Identity, id: i64, today: chrono::NaiveDate) -> Result<Vec<AutoCheck>, AppError> {
    let case = super::load_readable(conn, identity, id)?;
    checks_for(conn, identity, &case, today)
}

/// [`checks`] of a case already read (and found readable by the caller).
pub fn checks_for(conn: &mut DbConn, identity: &Identity, case: &Case, today: chrono::NaiveDate) -> Result<Vec<AutoCheck>, AppError> {
    let id = case.row.id;
    let staff = identity.is_admin() || super::parts(identity, &case).iter().any(|p| p.role != Role::Applicant);
    if !staff {
        return Err(AppError::forbidden());
    }
    let row = &case.row;
    let (credit_code, verification): (String, String) = enterprises::table.find(row.enterprise_id).select((enterprises::credit_code, enterprises::verification)).first(conn)?;
    let facts = crate::programs::eligibility::facts(conn, row.enterprise_id, row.program_id, &case.definition, today)?;
    let project = serde_json::from_str::<serde_json::Value>(&row.project)
        .ok()
        .and_then(|v| shared::filing::Project::from_json(case.definition.kind, v).ok())
        .unwrap_or_else(|| shared::filing::Project::empty(case.definition.kind));
    let matched = crate::funding::duplicate_funding(conn, id, &project.funding_keys())?;
    let matched: Vec<String> = matched.values().flatten().map(|p| p.message.clone()).collect();
    let (total, used, reserved): (i64, i64, i64) = programs::table.find(row.program_id).select((programs::budget_total_fen, programs::budget_used_fen, programs::budget_reserved_fen)).first(conn)?;
    // What this application already holds of the reservation counts as covered.
    let own = row.proposed_amount_fen.unwrap_or(0);
    let left = total - used - reserved;
    let needed = row.computed_amount_fen.unwrap_or(0);
    Ok(vec![
        AutoCheck { check: CheckKind::CreditCode, passed: shared::credit_code::CreditCode::parse(&credit_code).is_ok(), evidence: Some(credit_code), left_fen: None, needed_fen: None },
        AutoCheck { check: CheckKind::DuplicateFunding, passed: matched.is_empty(), evidence: (!matched.is_empty()).then(|| matched.join(" ")), left_fen: None, needed_fen: None },
        AutoCheck { check: CheckKind::Ban, passed: facts.banned_until.is_none(), evidence: facts.banned_until.map(|d| d.to_string()), left_fen: None, needed_fen: None },
        AutoCheck { check: CheckKind::Budget, passed: left + own >= needed, evidence: None, left_fen: Some(left), needed_fen: Some(needed - own.min(needed)) },
        AutoCheck { check: CheckKind::Verified, passed: facts.verified, evidence: Some(verification), left_fen: None, needed_fen: None },
        AutoCheck { check: CheckKind::OverdueAcceptance, passed: !facts.overdue_acceptance, evidence: None, left_fen: None, needed_fen: None },
    ])
}

/// The automatic checks of an application as they stand now (the staff who review it).
#[utoipa::path(get, path = "/api/v1/applications/{id}/checks", tag = "review", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<AutoCheck>), (status = 401, description = "`unauthenticated`"), (status = 403, description = "`forbidden`: the company's own people"),
        (status = 404, description = "`not_found`: no such application, or not one the caller may read")))]
#[get("/applications/{id}/checks")]
pub async fn get_checks(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let today = state.clock.today();
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| checks(conn, &identity, id, today)).await?))
}
