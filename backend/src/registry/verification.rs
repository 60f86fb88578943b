//! Verifying a company: a system admin, or the park manager of a base that admitted it, checks
//! the uploaded business licence against the credit code and name and marks the company
//! `verified` (or `refused`, with a reason). Until then it is `pending`: it keeps its profile,
//! uploads its licence and applies to join a base, but cannot file subsidy applications
//! ([`require_verified_company`], which the applications area calls before a submission).
//! Every decision is in the audit log and emailed to the company's administrators.

use actix_web::{post, web, HttpRequest};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use shared::registry::TenancyStatus;
use utoipa::ToSchema;

use crate::accounts::audit::{self, Event, RequestMeta};
use crate::accounts::identity::Identity;
use crate::accounts::members::{get_enterprise_scoped, EnterpriseCard};
use crate::accounts::now;
use crate::db::schema::{enterprise_documents, enterprises, tenancies};
use crate::db::DbConn;
use crate::error::AppError;
use crate::notify::{enqueue, Mail};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VerificationDecision {
    /// `verified` or `refused`.
    pub decision: String,
    /// Required when refused: what the company must correct.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A company may file only once verified: `company_unverified` (403) otherwise.
pub fn require_verified_company(conn: &mut DbConn, enterprise_id: i64) -> Result<(), AppError> {
    let status: String = enterprises::table.filter(enterprises::id.eq(enterprise_id)).select(enterprises::verification).first(conn)?;
    if status == "verified" {
        Ok(())
    } else {
        Err(AppError::Forbidden {
            code: "company_unverified",
            message: "The company is not verified yet: upload its business licence and wait for the check.",
        })
    }
}

/// System admins, and park managers of a base where the company is a tenant.
fn may_verify(conn: &mut DbConn, identity: &Identity, enterprise_id: i64) -> QueryResult<bool> {
    if identity.is_admin() {
        return Ok(true);
    }
    let bases = identity.managed_bases();
    if bases.is_empty() {
        return Ok(false);
    }
    let admitted: i64 = tenancies::table
        .filter(tenancies::enterprise_id.eq(enterprise_id))
        .filter(tenancies::base_id.eq_any(bases))
        .filter(tenancies::status.eq_any([TenancyStatus::Admitted.code(), TenancyStatus::Suspended.code()]))
        .count()
        .get_result(conn)?;
    Ok(admitted > 0)
}

pub fn decide(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, enterprise_id: i64, body: &VerificationDecision) -> Result<EnterpriseCard, AppError> {
    // Outside the caller's scope the company does not exist for them.
    get_enterprise_scoped(conn, identity, enterprise_id)?;
    if !may_verify(conn, identity, enterprise_id)? {
        return Err(AppError::Forbidden { code: "forbidden", message: "Only a system admin or the park manager of a base that admitted the company may verify it." });
    }
    let verified = match body.decision.as_str() {
        "verified" => true,
        "refused" => false,
        _ => return Err(AppError::field("decision", "not_allowed", "decision must be verified or refused")),
    };
    let reason = body.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
    if !verified && reason.is_none() {
        return Err(AppError::field("reason", "required", "Tell the company why, so that it can correct it."));
    }
    if reason.as_deref().is_some_and(|r| r.chars().count() > 1000) {
        return Err(AppError::field("reason", "too_long", "At most 1,000 characters."));
    }
    // Inside the caller's write transaction (`Db::write`).
    {
        if verified {
            let licences: i64 = enterprise_documents::table
                .filter(enterprise_documents::enterprise_id.eq(enterprise_id))
                .filter(enterprise_documents::kind.eq("business_licence"))
                .filter(enterprise_documents::deleted_at.is_null())
                .count()
                .get_result(conn)?;
            if licences == 0 {
                return Err(AppError::Conflict { code: "no_licence", message: "The company has not uploaded its business licence yet.".into() });
            }
        }
        let status = if verified { "verified" } else { "refused" };
        let t = now();
        diesel::update(enterprises::table.filter(enterprises::id.eq(enterprise_id)))
            .set((
                enterprises::verification.eq(status),
                enterprises::verification_reason.eq(&reason),
                enterprises::verified_at.eq(t),
                enterprises::verified_by.eq(identity.user_id),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            meta,
            Event::new("enterprise_verification")
                .actor(identity.user_id)
                .detail(serde_json::json!({ "enterprise_id": enterprise_id, "decision": status, "reason": reason })),
        )?;
        let company: String = enterprises::table.filter(enterprises::id.eq(enterprise_id)).select(enterprises::name_zh).first(conn)?;
        for (email, name, locale) in crate::accounts::members::admin_recipients(conn, enterprise_id)? {
            let reason_text = reason.clone().unwrap_or_default();
            enqueue(conn, &email, &locale, Mail::Verification { name: &name, company: &company, verified, reason: &reason_text })?;
        }
        Ok(get_enterprise_scoped(conn, identity, enterprise_id)?)
    }
}

/// Mark a company verified (its licence matches its credit code and name) or refused, with a
/// reason. System admins, and the park manager of a base that admitted it.
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/verification", tag = "registry", params(("id" = i64, Path)), request_body = VerificationDecision,
    responses((status = 200, body = EnterpriseCard), (status = 401, body = crate::error::ErrorEnvelope), (status = 403, body = crate::error::ErrorEnvelope),
        (status = 404, body = crate::error::ErrorEnvelope), (status = 409, description = "no_licence", body = crate::error::ErrorEnvelope),
        (status = 422, body = crate::error::ErrorEnvelope)))]
#[post("/enterprises/{id}/verification")]
pub async fn post_verification(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    path: web::Path<i64>,
    body: web::Json<VerificationDecision>,
) -> Result<web::Json<EnterpriseCard>, AppError> {
    let (id, meta, body) = (path.into_inner(), RequestMeta::from_request(&req), body.into_inner());
    let card = state.db.write(move |conn| decide(conn, &meta, &identity, id, &body)).await?;
    Ok(web::Json(card))
}
