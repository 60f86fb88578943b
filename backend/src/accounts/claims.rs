//! Claims to a credit code. A company whose credit code somebody else registered (by mistake or
//! to squat it) cannot register; it files a claim instead: the registration's fields plus its
//! business licence. The claim makes an account for the claimant (no company yet; the address
//! is confirmed by email as usual). A system admin reads the licence and resolves the claim
//! with a recent second-factor check: granted, the rightful company takes the code over (the
//! previous members lose it, the claimant becomes its administrator, the licence is filed with
//! the company and the company is verified); refused, with a reason. Both are audited and
//! emailed.

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use shared::accounts::{RegisterRequest, Role};
use utoipa::ToSchema;

use super::audit::{self, Event, RequestMeta};
use super::identity::{Identity, SystemAdmin};
use super::register::{check_registration, insert_user, queue_verification, CheckedRegistration};
use super::{now, password};
use crate::db::schema::{credit_code_claims, enterprise_documents, enterprises, sessions, user_roles, users};
use crate::db::DbConn;
use crate::error::AppError;
use crate::notify::{enqueue, Mail};
use crate::storage::{sniff, MAX_DOCUMENT_BYTES};
use crate::state::AppState;

/// The multipart form of a claim (for the API description).
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct ClaimForm {
    pub credit_code: String,
    /// The company's name as on its licence.
    pub company_name: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub password: String,
    /// `zh-CN` or `en` (emails).
    pub locale: Option<String>,
    /// The business licence: PDF, JPEG or PNG, at most 20 MB.
    #[schema(value_type = String, format = Binary)]
    pub licence: Vec<u8>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClaimFiled {
    pub claim_id: i64,
    pub user_id: i64,
    /// A confirmation link was emailed; the claim is decided after that.
    pub email_verification_required: bool,
}

/// An open claim, as a system admin reviews it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClaimView {
    pub id: i64,
    pub credit_code: String,
    pub enterprise_id: i64,
    /// The name the code is registered under now.
    pub registered_name: String,
    /// The name the claimant gives (as on the licence).
    pub claimed_name: String,
    pub claimant_user_id: i64,
    pub claimant_email: String,
    pub claimant_name: String,
    pub claimant_email_verified: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClaimDecision {
    /// `granted` or `refused`.
    pub decision: String,
    /// Required when refused.
    #[serde(default)]
    pub reason: Option<String>,
}

/// File a claim: checks as registration does, plus the licence (its type from its bytes).
pub async fn file(state: &AppState, meta: RequestMeta, body: RegisterRequest, licence: Vec<u8>) -> Result<ClaimFiled, AppError> {
    let checked = check_registration(&body)?;
    if licence.is_empty() {
        return Err(AppError::field("licence", "required", "Attach the business licence."));
    }
    if licence.len() > MAX_DOCUMENT_BYTES {
        return Err(AppError::field("licence", "too_large", "At most 20 MB."));
    }
    let content_type = sniff(&licence)
        .ok_or_else(|| AppError::field("licence", "unsupported_type", "The licence must be a PDF, JPEG or PNG (checked from its content)."))?;
    let size = licence.len() as i64;
    state.limits.check(crate::ratelimit::Action::Register, meta.client)?;
    let hash = password::hash_off_worker(&body.password).await?;
    let sha = state.storage.put(licence).await?;
    let st = state.clone();
    let filed = state
        .db
        .write(move |conn| {
            let CheckedRegistration { email, company, contact, code, locale, .. } = &checked;
            let enterprise_id: Option<i64> =
                enterprises::table.filter(enterprises::credit_code.eq(code.as_str())).select(enterprises::id).first(conn).optional()?;
            let enterprise_id = enterprise_id.ok_or_else(|| {
                AppError::field("credit_code", "not_registered", "Nobody has registered this credit code: register the company instead.")
            })?;
            let email_taken: i64 = users::table.filter(users::email.eq(email)).count().get_result(conn)?;
            if email_taken > 0 {
                return Err(AppError::Conflict {
                    code: "email_taken",
                    message: "An account with this email address exists. Use another address for the claim.".into(),
                });
            }
            let t = now();
            let user_id = insert_user(conn, &checked, &hash)?;
            let claim_id: i64 = diesel::insert_into(credit_code_claims::table)
                .values((
                    credit_code_claims::enterprise_id.eq(enterprise_id),
                    credit_code_claims::claimant_user_id.eq(user_id),
                    credit_code_claims::company_name.eq(company),
                    credit_code_claims::licence_sha256.eq(&sha),
                    credit_code_claims::licence_content_type.eq(content_type),
                    credit_code_claims::licence_size_bytes.eq(size),
                    credit_code_claims::created_at.eq(t),
                ))
                .returning(credit_code_claims::id)
                .get_result(conn)?;
            audit::record(
                conn,
                &meta,
                Event::new("credit_code_claimed").actor(user_id).subject(user_id).email(email).detail(serde_json::json!({
                    "claim_id": claim_id, "enterprise_id": enterprise_id, "credit_code": code.as_str(), "company_name": company,
                })),
            )?;
            queue_verification(&st, conn, user_id, email, contact, locale)?;
            Ok(ClaimFiled { claim_id, user_id, email_verification_required: true })
        })
        .await?;
    Ok(filed)
}

type ClaimRow = (i64, String, i64, String, String, i64, String, String, Option<NaiveDateTime>, NaiveDateTime);

/// Open claims, oldest first.
pub fn list_open(conn: &mut DbConn) -> QueryResult<Vec<ClaimView>> {
    let rows: Vec<ClaimRow> = credit_code_claims::table
        .inner_join(enterprises::table)
        .inner_join(users::table.on(users::id.eq(credit_code_claims::claimant_user_id)))
        .filter(credit_code_claims::status.eq("open"))
        .select((
            credit_code_claims::id,
            enterprises::credit_code,
            enterprises::id,
            enterprises::name_zh,
            credit_code_claims::company_name,
            users::id,
            users::email,
            users::display_name,
            users::email_verified_at,
            credit_code_claims::created_at,
        ))
        .order(credit_code_claims::id)
        .limit(500)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, credit_code, enterprise_id, registered_name, claimed_name, uid, email, name, verified, at)| ClaimView {
            id,
            credit_code,
            enterprise_id,
            registered_name,
            claimed_name,
            claimant_user_id: uid,
            claimant_email: email,
            claimant_name: name,
            claimant_email_verified: verified.is_some(),
            created_at: at.and_utc(),
        })
        .collect())
}

/// Grant or refuse a claim (a system admin with a recent second-factor check).
pub async fn resolve(state: &AppState, meta: RequestMeta, admin: &Identity, claim_id: i64, body: ClaimDecision) -> Result<(), AppError> {
    super::second_factor::require_step_up(state, admin)?;
    let granted = match body.decision.as_str() {
        "granted" => true,
        "refused" => false,
        _ => return Err(AppError::field("decision", "not_allowed", "decision must be granted or refused")),
    };
    let reason = body.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
    if !granted && reason.is_none() {
        return Err(AppError::field("reason", "required", "Tell the claimant why."));
    }
    if reason.as_deref().is_some_and(|r| r.chars().count() > 1000) {
        return Err(AppError::field("reason", "too_long", "At most 1,000 characters."));
    }
    let actor = admin.user_id;
    state
        .db
        .write(move |conn| {
            type Claim = (i64, i64, String, String, String, i64);
            let claim: Option<Claim> = credit_code_claims::table
                .filter(credit_code_claims::id.eq(claim_id))
                .select((
                    credit_code_claims::enterprise_id,
                    credit_code_claims::claimant_user_id,
                    credit_code_claims::company_name,
                    credit_code_claims::licence_sha256,
                    credit_code_claims::licence_content_type,
                    credit_code_claims::licence_size_bytes,
                ))
                .first(conn)
                .optional()?;
            let (enterprise_id, claimant, company, sha, content_type, size) = claim.ok_or(AppError::NotFound("the claim"))?;
            let (email, name, locale, verified): (String, String, String, Option<NaiveDateTime>) = users::table
                .filter(users::id.eq(claimant))
                .select((users::email, users::display_name, users::locale, users::email_verified_at))
                .first(conn)?;
            if granted && verified.is_none() {
                return Err(AppError::Conflict {
                    code: "claimant_unconfirmed",
                    message: "The claimant has not confirmed the email address yet.".into(),
                });
            }
            let t = now();
            let status = if granted { "granted" } else { "refused" };
            // Decided once, even when two admins act at once.
            let claimed = diesel::update(credit_code_claims::table.filter(credit_code_claims::id.eq(claim_id)).filter(credit_code_claims::status.eq("open")))
                .set((
                    credit_code_claims::status.eq(status),
                    credit_code_claims::reason.eq(&reason),
                    credit_code_claims::resolved_at.eq(t),
                    credit_code_claims::resolved_by.eq(actor),
                ))
                .execute(conn)?;
            if claimed == 0 {
                return Err(AppError::Conflict { code: "claim_resolved", message: "This claim has already been decided.".into() });
            }
            let registered: String = enterprises::table.filter(enterprises::id.eq(enterprise_id)).select(enterprises::name_zh).first(conn)?;
            if granted {
                // The previous holders lose the company, at once.
                let holders: Vec<(i64, String, String, String)> = user_roles::table
                    .inner_join(users::table)
                    .filter(user_roles::enterprise_id.eq(enterprise_id))
                    .filter(user_roles::role.eq_any([Role::EnterpriseAdmin.as_str(), Role::EnterpriseMember.as_str()]))
                    .select((users::id, users::email, users::display_name, users::locale))
                    .load(conn)?;
                diesel::delete(
                    user_roles::table
                        .filter(user_roles::enterprise_id.eq(enterprise_id))
                        .filter(user_roles::role.eq_any([Role::EnterpriseAdmin.as_str(), Role::EnterpriseMember.as_str()])),
                )
                .execute(conn)?;
                for (uid, h_email, h_name, h_locale) in &holders {
                    diesel::update(sessions::table.filter(sessions::user_id.eq(uid)).filter(sessions::revoked_at.is_null()))
                        .set(sessions::revoked_at.eq(t))
                        .execute(conn)?;
                    enqueue(conn, h_email, h_locale, Mail::RemovedFromCompany { name: h_name, company: &registered })?;
                }
                diesel::insert_into(user_roles::table)
                    .values((
                        user_roles::user_id.eq(claimant),
                        user_roles::role.eq(Role::EnterpriseAdmin.as_str()),
                        user_roles::enterprise_id.eq(enterprise_id),
                        user_roles::created_at.eq(t),
                    ))
                    .execute(conn)?;
                diesel::update(enterprises::table.filter(enterprises::id.eq(enterprise_id)))
                    .set((
                        enterprises::name_zh.eq(&company),
                        enterprises::verification.eq("verified"),
                        enterprises::verification_reason.eq(None::<String>),
                        enterprises::verified_at.eq(t),
                        enterprises::verified_by.eq(actor),
                        enterprises::updated_at.eq(t),
                    ))
                    .execute(conn)?;
                let ext = content_type.rsplit('/').next().unwrap_or("pdf");
                diesel::insert_into(enterprise_documents::table)
                    .values((
                        enterprise_documents::enterprise_id.eq(enterprise_id),
                        enterprise_documents::kind.eq("business_licence"),
                        enterprise_documents::file_name.eq(format!("licence.{ext}")),
                        enterprise_documents::content_type.eq(&content_type),
                        enterprise_documents::size_bytes.eq(size),
                        enterprise_documents::sha256.eq(&sha),
                        enterprise_documents::uploaded_by.eq(claimant),
                        enterprise_documents::uploaded_at.eq(t),
                    ))
                    .execute(conn)?;
                audit::record(
                    conn,
                    &meta,
                    Event::new("credit_code_claim_granted").actor(actor).subject(claimant).detail(serde_json::json!({
                        "claim_id": claim_id, "enterprise_id": enterprise_id, "previous_name": registered, "name": company,
                        "removed_users": holders.iter().map(|h| h.0).collect::<Vec<_>>(),
                    })),
                )?;
            } else {
                audit::record(
                    conn,
                    &meta,
                    Event::new("credit_code_claim_refused")
                        .actor(actor)
                        .subject(claimant)
                        .detail(serde_json::json!({ "claim_id": claim_id, "enterprise_id": enterprise_id, "reason": reason })),
                )?;
            }
            let reason_text = reason.clone().unwrap_or_default();
            enqueue(conn, &email, &locale, Mail::ClaimDecided { name: &name, company: &company, granted, reason: &reason_text })?;
            Ok(())
        })
        .await?;
    Ok(())
}

/// File a claim to a credit code somebody else registered: the registration's fields and the
/// business licence, as `multipart/form-data`. Makes the claimant's account (a confirmation
/// link is emailed); a system admin decides.
#[utoipa::path(post, path = "/api/v1/credit-code-claims", tag = "accounts",
    request_body(content = ClaimForm, content_type = "multipart/form-data"),
    responses((status = 201, body = ClaimFiled),
        (status = 409, description = "email_taken", body = crate::error::ErrorEnvelope),
        (status = 422, description = "Field errors (credit_code not_registered, licence unsupported_type, ...)", body = crate::error::ErrorEnvelope),
        (status = 429, description = "rate_limited (see Retry-After)", body = crate::error::ErrorEnvelope)))]
#[post("/credit-code-claims")]
pub async fn post_claim(state: web::Data<AppState>, req: HttpRequest, form: actix_multipart::Multipart) -> Result<HttpResponse, AppError> {
    let (body, licence) = read_claim_form(form).await?;
    let filed = file(&state, RequestMeta::from_request(&req), body, licence).await?;
    Ok(HttpResponse::Created().json(filed))
}

/// The claim's fields and licence from a multipart form: only the expected fields, each within
/// its own limit (the licence 20 MB, the others 1,000 bytes).
pub async fn read_claim_form(mut form: actix_multipart::Multipart) -> Result<(RegisterRequest, Vec<u8>), AppError> {
    use futures_util::StreamExt;
    let mut text = std::collections::HashMap::new();
    let mut licence = Vec::new();
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| AppError::field("licence", "unreadable_file", e.to_string()))?;
        let name = field.name().unwrap_or_default().to_string();
        let limit = match name.as_str() {
            "licence" => MAX_DOCUMENT_BYTES,
            "credit_code" | "company_name" | "contact_name" | "email" | "phone" | "password" | "locale" => 1000,
            _ => return Err(AppError::field(&name, "unexpected_field", "The form carries fields it should not.")),
        };
        let mut data = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| AppError::field(&name, "unreadable_file", e.to_string()))?;
            if data.len() + chunk.len() > limit {
                return Err(AppError::field(&name, if name == "licence" { "too_large" } else { "too_long" }, "This is too large."));
            }
            data.extend_from_slice(&chunk);
        }
        if name == "licence" {
            licence = data;
        } else {
            text.insert(name, String::from_utf8_lossy(&data).to_string());
        }
    }
    let get = |k: &str| text.get(k).cloned().unwrap_or_default();
    let body = RegisterRequest {
        credit_code: get("credit_code"),
        company_name: get("company_name"),
        contact_name: get("contact_name"),
        email: get("email"),
        phone: get("phone"),
        password: get("password"),
        locale: text.get("locale").cloned(),
    };
    Ok((body, licence))
}

/// Open claims to credit codes (system admins).
#[utoipa::path(get, path = "/api/v1/admin/credit-code-claims", tag = "admin", responses((status = 200, body = Vec<ClaimView>)))]
#[get("/admin/credit-code-claims")]
pub async fn get_claims(state: web::Data<AppState>, _admin: SystemAdmin) -> Result<web::Json<Vec<ClaimView>>, AppError> {
    Ok(web::Json(state.db.run(|conn| Ok(list_open(conn)?)).await?))
}

/// The licence filed with a claim (system admins; the download is audited).
#[utoipa::path(get, path = "/api/v1/admin/credit-code-claims/{id}/licence", tag = "admin", params(("id" = i64, Path)),
    responses((status = 200, description = "The licence", content((Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png")))))]
#[get("/admin/credit-code-claims/{id}/licence")]
pub async fn get_claim_licence(state: web::Data<AppState>, req: HttpRequest, SystemAdmin(admin): SystemAdmin, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let (id, meta) = (path.into_inner(), RequestMeta::from_request(&req));
    let (sha, content_type) = state
        .db
        .write_bookkeeping(move |conn| {
            let row: Option<(String, String)> = credit_code_claims::table
                .filter(credit_code_claims::id.eq(id))
                .select((credit_code_claims::licence_sha256, credit_code_claims::licence_content_type))
                .first(conn)
                .optional()?;
            let row = row.ok_or(AppError::NotFound("the claim"))?;
            audit::record(conn, &meta, Event::new("document_downloaded").actor(admin.user_id).detail(serde_json::json!({ "claim_id": id })))?;
            Ok(row)
        })
        .await?;
    let bytes = state.storage.get(&sha).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CONTENT_DISPOSITION, format!("inline; filename=\"claim-{id}-licence\"")))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

/// Grant (the claimant's company takes the credit code over) or refuse a claim, with a reason
/// when refused (system admins, with a recent second-factor check).
#[utoipa::path(post, path = "/api/v1/admin/credit-code-claims/{id}", tag = "admin", params(("id" = i64, Path)), request_body = ClaimDecision,
    responses((status = 204),
        (status = 403, description = "forbidden, session_required or step_up_required", body = crate::error::ErrorEnvelope),
        (status = 409, description = "claim_resolved or claimant_unconfirmed", body = crate::error::ErrorEnvelope)))]
#[post("/admin/credit-code-claims/{id}")]
pub async fn post_claim_decision(
    state: web::Data<AppState>,
    req: HttpRequest,
    SystemAdmin(admin): SystemAdmin,
    path: web::Path<i64>,
    body: web::Json<ClaimDecision>,
) -> Result<HttpResponse, AppError> {
    resolve(&state, RequestMeta::from_request(&req), &admin, path.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
