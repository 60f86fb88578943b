//! Invitations to join a base. A park manager's import that names a company already registered
//! (by somebody else, with its own account) does not make it a tenant: the base would
//! otherwise read a profile, documents and reports it was never given. The row becomes an
//! invitation that the company's administrator accepts (it then becomes an admitted tenant) or
//! declines; until then the base sees nothing of the company.

use actix_web::{get, post, web, HttpRequest};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use shared::dto::Bilingual;
use shared::registry::TenancyStatus;
use utoipa::ToSchema;

use crate::accounts::audit::{self, Event, RequestMeta};
use crate::accounts::identity::Identity;
use crate::accounts::now;
use crate::db::schema::{bases, tenancies, tenancy_events, tenancy_invitations};
use crate::db::DbConn;
use crate::error::AppError;
use crate::scope::CompanyScope;
use crate::state::AppState;

/// An open invitation, as the invited company sees it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TenancyInvitationView {
    pub id: i64,
    pub base_id: i64,
    pub base_name: Bilingual,
    pub invited_at: DateTime<Utc>,
}

/// The company's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvitationDecision {
    Accept,
    Decline,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InvitationResponse {
    pub decision: InvitationDecision,
}

/// Invite a registered company to a base (from an import row) and email its administrators; an
/// open invitation for the same base and company is kept as it is.
pub fn invite(conn: &mut DbConn, state: &AppState, base_id: i64, enterprise_id: i64, segment_id: i64, invited_by: i64) -> QueryResult<bool> {
    let open: i64 = tenancy_invitations::table
        .filter(tenancy_invitations::base_id.eq(base_id))
        .filter(tenancy_invitations::enterprise_id.eq(enterprise_id))
        .filter(tenancy_invitations::response.is_null())
        .count()
        .get_result(conn)?;
    if open > 0 {
        return Ok(false);
    }
    diesel::insert_into(tenancy_invitations::table)
        .values((
            tenancy_invitations::base_id.eq(base_id),
            tenancy_invitations::enterprise_id.eq(enterprise_id),
            tenancy_invitations::segment_id.eq(segment_id),
            tenancy_invitations::invited_by.eq(invited_by),
            tenancy_invitations::invited_at.eq(now()),
        ))
        .execute(conn)?;
    let base: String = bases::table.filter(bases::id.eq(base_id)).select(bases::name_zh).first(conn)?;
    let company: String = crate::db::schema::enterprises::table
        .filter(crate::db::schema::enterprises::id.eq(enterprise_id))
        .select(crate::db::schema::enterprises::name_zh)
        .first(conn)?;
    let link = state.link(&format!("/company/{enterprise_id}/tenancies"));
    for (email, name, locale) in crate::accounts::members::admin_recipients(conn, enterprise_id)? {
        crate::notify::enqueue(conn, &email, &locale, crate::notify::Mail::TenancyInvitation { name: &name, company: &company, base: &base, link: &link })?;
    }
    Ok(true)
}

/// The company's open invitations (its members and system admins).
pub fn list_open(conn: &mut DbConn, identity: &Identity, enterprise_id: i64) -> Result<Vec<TenancyInvitationView>, AppError> {
    CompanyScope::of(identity, enterprise_id, false)?;
    let rows: Vec<(i64, i64, String, String, NaiveDateTime)> = tenancy_invitations::table
        .inner_join(bases::table)
        .filter(tenancy_invitations::enterprise_id.eq(enterprise_id))
        .filter(tenancy_invitations::response.is_null())
        .select((tenancy_invitations::id, bases::id, bases::name_zh, bases::name_en, tenancy_invitations::invited_at))
        .order(tenancy_invitations::id.desc())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, base_id, zh, en, at)| TenancyInvitationView { id, base_id, base_name: Bilingual::new(zh, en), invited_at: at.and_utc() })
        .collect())
}

/// Accept or decline (the company's administrator). Accepting makes the company an admitted
/// tenant of the base; answering twice, or at once from two tabs, changes it once (409).
pub fn respond(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, invitation_id: i64, decision: InvitationDecision) -> Result<(), AppError> {
    if decision == InvitationDecision::Accept {
        identity.require_email_verified()?;
    }
    // Inside the caller's write transaction (`Db::write`).
    {
        let row: Option<(i64, i64, Option<i64>)> = tenancy_invitations::table
            .filter(tenancy_invitations::id.eq(invitation_id))
            .select((tenancy_invitations::base_id, tenancy_invitations::enterprise_id, tenancy_invitations::segment_id))
            .first(conn)
            .optional()?;
        // Somebody else's invitation does not exist for the caller.
        let (base_id, enterprise_id, segment_id) = row
            .filter(|(_, e, _)| CompanyScope::of(identity, *e, true).is_ok())
            .ok_or(AppError::NotFound("the invitation"))?;
        let t = now();
        let response = match decision {
            InvitationDecision::Accept => "accepted",
            InvitationDecision::Decline => "declined",
        };
        let claimed = diesel::update(tenancy_invitations::table.filter(tenancy_invitations::id.eq(invitation_id)).filter(tenancy_invitations::response.is_null()))
            .set((tenancy_invitations::response.eq(response), tenancy_invitations::responded_by.eq(identity.user_id), tenancy_invitations::responded_at.eq(t)))
            .execute(conn)?;
        if claimed == 0 {
            return Err(AppError::Conflict { code: "invitation_answered", message: "This invitation has already been answered.".into() });
        }
        if decision == InvitationDecision::Accept {
            let open: i64 = tenancies::table
                .filter(tenancies::enterprise_id.eq(enterprise_id))
                .filter(tenancies::base_id.eq(base_id))
                .filter(tenancies::status.eq_any([TenancyStatus::Applied.code(), TenancyStatus::Admitted.code(), TenancyStatus::Suspended.code()]))
                .count()
                .get_result(conn)?;
            if open > 0 {
                return Err(super::tenancy::tenancy_open());
            }
            let tenancy_id: i64 = diesel::insert_into(tenancies::table)
                .values((
                    tenancies::enterprise_id.eq(enterprise_id),
                    tenancies::base_id.eq(base_id),
                    tenancies::status.eq(TenancyStatus::Admitted.code()),
                    tenancies::applied_at.eq(t),
                    tenancies::admitted_at.eq(t),
                    tenancies::segment_id.eq(segment_id),
                    tenancies::created_at.eq(t),
                    tenancies::updated_at.eq(t),
                ))
                .returning(tenancies::id)
                .get_result(conn)
                .map_err(super::tenancy::open_tenancy_conflict)?;
            diesel::insert_into(tenancy_events::table)
                .values((
                    tenancy_events::tenancy_id.eq(tenancy_id),
                    tenancy_events::occurred_at.eq(t),
                    tenancy_events::user_id.eq(identity.user_id),
                    tenancy_events::to_status.eq(TenancyStatus::Admitted.code()),
                    tenancy_events::reason.eq("接受入驻邀请"),
                ))
                .execute(conn)?;
            diesel::update(tenancy_invitations::table.filter(tenancy_invitations::id.eq(invitation_id)))
                .set(tenancy_invitations::tenancy_id.eq(tenancy_id))
                .execute(conn)?;
        }
        audit::record(
            conn,
            meta,
            Event::new("tenancy_invitation_answered")
                .actor(identity.user_id)
                .detail(serde_json::json!({ "invitation_id": invitation_id, "base_id": base_id, "enterprise_id": enterprise_id, "response": response })),
        )?;
        Ok(())
    }
}

/// A company's open invitations to join bases (its members).
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/tenancy-invitations", tag = "registry", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<TenancyInvitationView>), (status = 401), (status = 403)))]
#[get("/enterprises/{id}/tenancy-invitations")]
pub async fn get_invitations(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<web::Json<Vec<TenancyInvitationView>>, AppError> {
    let id = path.into_inner();
    Ok(web::Json(state.db.run(move |conn| list_open(conn, &identity, id)).await?))
}

/// Accept (become an admitted tenant) or decline an invitation (the company's administrator).
#[utoipa::path(post, path = "/api/v1/tenancy-invitations/{id}/response", tag = "registry", params(("id" = i64, Path)), request_body = InvitationResponse,
    responses((status = 204), (status = 401), (status = 404), (status = 409, description = "invitation_answered or tenancy_open", body = crate::error::ErrorEnvelope),
        (status = 422, body = crate::error::ErrorEnvelope)))]
#[post("/tenancy-invitations/{id}/response")]
pub async fn post_response(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    path: web::Path<i64>,
    body: web::Json<InvitationResponse>,
) -> Result<actix_web::HttpResponse, AppError> {
    let (id, decision, meta) = (path.into_inner(), body.decision, RequestMeta::from_request(&req));
    state.db.write(move |conn| respond(conn, &meta, &identity, id, decision)).await?;
    Ok(actix_web::HttpResponse::NoContent().finish())
}
