//! Invitations by email: a company administrator invites colleagues; a system admin invites
//! staff (park managers, agency reviewers and leads, experts, other admins); an agency lead
//! invites reviewers of its own agency. Accepting creates the account (or adds the role to an
//! existing one) and signs the person in.

use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use shared::accounts::{email_is_valid, normalize_email, normalize_locale, normalize_phone, phone_is_valid, Me, Role, Scope};
use shared::CreditCode;
use utoipa::ToSchema;

use super::audit::{self, Event, RequestMeta};
use super::identity::{session_cookie, EnterpriseUser, Identity, StaffInviter};
use super::identity::SecondFactor;
use crate::scope::CompanyScope;
use super::login::{open_session_at, LoginResponse};
use super::tokens::{Claims, Purpose, TokenError};
use super::{issues_to_error, me, now, password, random_secret};
use crate::db::schema::{agencies, bases, enterprises, expert_profiles, invitations, user_roles, users};
use crate::db::DbConn;
use crate::error::{push_field_error, AppError, FieldErrors};
use crate::notify::{enqueue, Mail};
use crate::state::AppState;

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct NewInvitation {
    pub email: String,
    /// `enterprise_member` (default) or `enterprise_admin` for company invitations; for staff
    /// invitations `park_manager`, `agency_reviewer`, `agency_lead`, `expert` or `system_admin`.
    #[serde(default)]
    pub role: Option<String>,
    /// Park managers: the base they run.
    #[serde(default)]
    pub base_id: Option<i64>,
    /// Agency reviewers and leads: their agency.
    #[serde(default)]
    pub agency_id: Option<i64>,
    /// Experts: specialties, e.g. "8K capture; AVS3 codecs".
    #[serde(default)]
    pub specialties: Option<String>,
    /// Experts: the credit code of their employer (for conflict-of-interest checks).
    #[serde(default)]
    pub employer_credit_code: Option<String>,
    /// Language of the invitation email: `zh-CN` (default) or `en`.
    #[serde(default)]
    pub locale: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InvitationView {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub organization: Option<String>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// A validated invitation, ready to store.
#[derive(Clone)]
struct Draft {
    email: String,
    role: Role,
    enterprise_id: Option<i64>,
    base_id: Option<i64>,
    agency_id: Option<i64>,
    specialties: Option<String>,
    employer_credit_code: Option<String>,
    locale: String,
}

fn validate(body: &NewInvitation, enterprise_id: Option<i64>) -> Result<Draft, AppError> {
    let mut fields = FieldErrors::new();
    let email = normalize_email(&body.email);
    if email.is_empty() {
        push_field_error(&mut fields, "email", "required", "This field is required.");
    } else if !email_is_valid(&email) {
        push_field_error(&mut fields, "email", "invalid_email", "This is not a valid email address.");
    }
    let default_role = if enterprise_id.is_some() { "enterprise_member" } else { "" };
    let role = Role::parse(body.role.as_deref().unwrap_or(default_role));
    let role = match role {
        Some(r) if enterprise_id.is_some() != r.is_staff() => Some(r),
        Some(_) => {
            push_field_error(&mut fields, "role", "not_allowed", "This role cannot be given by this invitation.");
            None
        }
        None => {
            push_field_error(&mut fields, "role", "unknown_role", "Unknown role.");
            None
        }
    };
    let (mut specialties, mut employer) = (None, None);
    if let Some(role) = role {
        match role.scope() {
            Scope::Base if body.base_id.is_none() => push_field_error(&mut fields, "base_id", "required", "A park manager needs a base."),
            Scope::Agency if body.agency_id.is_none() => push_field_error(&mut fields, "agency_id", "required", "Agency staff need an agency."),
            _ => {}
        }
        if role == Role::Expert {
            let s = body.specialties.as_deref().unwrap_or_default().trim().to_string();
            if s.is_empty() {
                push_field_error(&mut fields, "specialties", "required", "An expert needs at least one specialty.");
            }
            specialties = Some(s);
            match CreditCode::parse(body.employer_credit_code.as_deref().unwrap_or_default()) {
                Ok(code) => employer = Some(code.as_str().to_string()),
                Err(e) => push_field_error(&mut fields, "employer_credit_code", e.code(), e.to_string()),
            }
        }
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let role = role.ok_or_else(|| AppError::field("role", "unknown_role", "Unknown role."))?;
    Ok(Draft {
        email,
        role,
        enterprise_id,
        base_id: (role.scope() == Scope::Base).then_some(body.base_id).flatten(),
        agency_id: (role.scope() == Scope::Agency).then_some(body.agency_id).flatten(),
        specialties,
        employer_credit_code: employer,
        locale: normalize_locale(body.locale.as_deref()).to_string(),
    })
}

/// The name of the company, base or agency, or a field error if it does not exist.
fn organization(conn: &mut DbConn, d: &Draft) -> Result<Option<String>, AppError> {
    let missing = |field: &str| AppError::field(field, "not_found", "No such record.");
    if let Some(id) = d.base_id {
        let name: Option<String> = bases::table.filter(bases::id.eq(id)).select(bases::name_zh).first(conn).optional()?;
        return name.map(Some).ok_or_else(|| missing("base_id"));
    }
    if let Some(id) = d.agency_id {
        let name: Option<String> = agencies::table.filter(agencies::id.eq(id)).select(agencies::name_zh).first(conn).optional()?;
        return name.map(Some).ok_or_else(|| missing("agency_id"));
    }
    if let Some(id) = d.enterprise_id {
        let name: Option<String> = enterprises::table.filter(enterprises::id.eq(id)).select(enterprises::name_zh).first(conn).optional()?;
        return name.map(Some).ok_or(AppError::NotFound("the company"));
    }
    Ok(None)
}

/// Inside the caller's write transaction (`Db::write`).
fn create(state: &AppState, conn: &mut DbConn, meta: &RequestMeta, inviter: &Identity, d: Draft) -> Result<InvitationView, AppError> {
    let org = organization(conn, &d)?;
    // Already holds exactly this role?
    let existing: Option<i64> = users::table.filter(users::email.eq(&d.email)).select(users::id).first(conn).optional()?;
    if let Some(uid) = existing {
        let mut q = user_roles::table.filter(user_roles::user_id.eq(uid)).filter(user_roles::role.eq(d.role.as_str())).into_boxed();
        if let Some(e) = d.enterprise_id {
            q = q.filter(user_roles::enterprise_id.eq(e));
        }
        if let Some(b) = d.base_id {
            q = q.filter(user_roles::base_id.eq(b));
        }
        if let Some(a) = d.agency_id {
            q = q.filter(user_roles::agency_id.eq(a));
        }
        if q.count().get_result::<i64>(conn)? > 0 {
            return Err(AppError::Conflict { code: "already_has_role", message: "This person already has this role.".into() });
        }
    }
    let nonce = random_secret();
    let t = now();
    let lifetime = Purpose::Invitation.default_lifetime();
    let id: i64 = diesel::insert_into(invitations::table)
        .values((
            invitations::email.eq(&d.email),
            invitations::role.eq(d.role.as_str()),
            invitations::enterprise_id.eq(d.enterprise_id),
            invitations::base_id.eq(d.base_id),
            invitations::agency_id.eq(d.agency_id),
            invitations::specialties.eq(&d.specialties),
            invitations::employer_credit_code.eq(&d.employer_credit_code),
            invitations::locale.eq(&d.locale),
            invitations::nonce.eq(&nonce),
            invitations::invited_by.eq(inviter.user_id),
            invitations::created_at.eq(t),
            invitations::expires_at.eq(t + lifetime),
        ))
        .returning(invitations::id)
        .get_result(conn)?;
    let mut claims = Claims::new(Purpose::Invitation, id, lifetime);
    claims.jti = Some(nonce);
    let link = state.link(&format!("/invitation?token={}", state.keys.sign(&claims)));
    let org_name = org.clone().unwrap_or_else(|| "UHD Portal".to_string());
    enqueue(conn, &d.email, &d.locale, Mail::Invitation { inviter: &inviter.display_name, role: d.role.as_str(), organization: &org_name, link: &link })?;
    audit::record(
        conn,
        meta,
        Event::new("invitation_sent")
            .actor(inviter.user_id)
            .email(&d.email)
            .detail(serde_json::json!({ "invitation_id": id, "role": d.role.as_str(), "enterprise_id": d.enterprise_id, "base_id": d.base_id, "agency_id": d.agency_id })),
    )?;
    Ok(InvitationView { id, email: d.email, role: d.role, organization: org, expires_at: (t + lifetime).and_utc() })
}

/// Invite a colleague to the company's account (company administrators).
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/invitations", tag = "accounts", params(("id" = i64, Path)), request_body = NewInvitation,
    responses((status = 201, body = InvitationView), (status = 403), (status = 409), (status = 422)))]
#[post("/enterprises/{id}/invitations")]
pub async fn post_enterprise_invitation(
    state: web::Data<AppState>,
    req: HttpRequest,
    EnterpriseUser(identity): EnterpriseUser,
    path: web::Path<i64>,
    body: web::Json<NewInvitation>,
) -> Result<HttpResponse, AppError> {
    let _ = identity;
    let view = post_enterprise_invitation_service(&state, &req, path.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(view))
}

/// Invite a colleague on behalf of the signed-in person in `req` (company administrators).
pub async fn post_enterprise_invitation_service(state: &AppState, req: &HttpRequest, enterprise_id: i64, body: NewInvitation) -> Result<InvitationView, AppError> {
    let identity = actix_web::HttpMessage::extensions(req).get::<Identity>().cloned().ok_or_else(AppError::unauthenticated)?;
    CompanyScope::of(&identity, enterprise_id, true)?;
    let draft = validate(&body, Some(enterprise_id))?;
    invite(state, req, identity, draft).await
}

async fn invite(state: &AppState, req: &HttpRequest, identity: Identity, draft: Draft) -> Result<InvitationView, AppError> {
    let (st, meta) = (state.clone(), RequestMeta::from_request(req));
    let view = state.db.write(move |conn| create(&st, conn, &meta, &identity, draft.clone())).await?;
    Ok(view)
}

/// Invite staff: system admins any staff role; an agency lead reviewers of its own agency.
#[utoipa::path(post, path = "/api/v1/invitations", tag = "admin", request_body = NewInvitation,
    responses((status = 201, body = InvitationView), (status = 403), (status = 409), (status = 422)))]
#[post("/invitations")]
pub async fn post_staff_invitation(
    state: web::Data<AppState>,
    req: HttpRequest,
    StaffInviter(identity): StaffInviter,
    body: web::Json<NewInvitation>,
) -> Result<HttpResponse, AppError> {
    let view = post_staff_invitation_service(&state, &req, identity, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(view))
}

/// Invite staff on behalf of `identity` (a system admin, or a lead for its own reviewers).
pub async fn post_staff_invitation_service(state: &AppState, req: &HttpRequest, identity: Identity, body: NewInvitation) -> Result<InvitationView, AppError> {
    // Who may invite staff at all is decided before the invitation is looked at, so somebody
    // who may not learns nothing from its checks (the form post reaches here without the REST
    // route's `StaffInviter` extractor).
    if !identity.is_admin() && identity.led_agencies().is_empty() {
        return Err(AppError::forbidden());
    }
    super::second_factor::require_step_up(state, &identity)?;
    let draft = validate(&body, None)?;
    if !identity.is_admin() {
        let own_agency = draft.agency_id.is_some_and(|a| identity.led_agencies().contains(&a));
        if draft.role != Role::AgencyReviewer || !own_agency {
            return Err(AppError::Forbidden { code: "forbidden", message: "An agency lead may invite reviewers of its own agency only." });
        }
    }
    invite(state, req, identity, draft).await
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InvitationDetails {
    pub email: String,
    pub role: Role,
    pub organization: Option<String>,
    /// The address already has an account: accepting needs its password.
    pub existing_account: bool,
}

type InvitationRow = (i64, String, String, Option<i64>, Option<i64>, Option<i64>, Option<String>, Option<String>, String, NaiveDateTime, Option<NaiveDateTime>, Option<NaiveDateTime>);

fn open_invitation(state: &AppState, conn: &mut DbConn, token: &str) -> Result<InvitationRow, AppError> {
    let claims = state.keys.verify(Purpose::Invitation, token).map_err(|e| AppError::field("token", e.code(), e.to_string()))?;
    let invalid = || AppError::field("token", TokenError::Invalid.code(), "This invitation is not valid or was already used.");
    let id: i64 = claims.sub.parse().map_err(|_| invalid())?;
    let row: Option<InvitationRow> = invitations::table
        .filter(invitations::id.eq(id))
        .select((
            invitations::id,
            invitations::email,
            invitations::role,
            invitations::enterprise_id,
            invitations::base_id,
            invitations::agency_id,
            invitations::specialties,
            invitations::employer_credit_code,
            invitations::nonce,
            invitations::expires_at,
            invitations::accepted_at,
            invitations::revoked_at,
        ))
        .first(conn)
        .optional()?;
    let row = row.ok_or_else(invalid)?;
    if Some(&row.8) != claims.jti.as_ref() || row.10.is_some() || row.11.is_some() {
        return Err(invalid());
    }
    if row.9 < now() {
        return Err(AppError::field("token", TokenError::Expired.code(), TokenError::Expired.to_string()));
    }
    Ok(row)
}

fn details(conn: &mut DbConn, row: &InvitationRow) -> Result<InvitationDetails, AppError> {
    let role = Role::parse(&row.2).ok_or_else(|| AppError::field("token", "token_invalid", "Unknown role."))?;
    let organization = me::scope_name(conn, row.3, row.4, row.5)?;
    let existing: i64 = users::table.filter(users::email.eq(&row.1)).count().get_result(conn)?;
    Ok(InvitationDetails { email: row.1.clone(), role, organization, existing_account: existing > 0 })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct InvitationToken {
    pub token: String,
}

/// What an invitation link offers (before accepting it).
#[utoipa::path(post, path = "/api/v1/auth/invitations/inspect", tag = "accounts", request_body = InvitationToken,
    responses((status = 200, body = InvitationDetails), (status = 422)))]
#[post("/auth/invitations/inspect")]
pub async fn post_inspect(state: web::Data<AppState>, body: web::Json<InvitationToken>) -> Result<web::Json<InvitationDetails>, AppError> {
    Ok(web::Json(inspect(&state, body.into_inner().token).await?))
}

pub async fn inspect(state: &AppState, token: String) -> Result<InvitationDetails, AppError> {
    let st = state.clone();
    state.db.run(move |conn| {
        let row = open_invitation(&st, conn, &token)?;
        details(conn, &row)
    }).await
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct AcceptInvitation {
    pub token: String,
    /// For a new account: the person's name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// For a new account: mobile number (optional).
    #[serde(default)]
    pub phone: Option<String>,
    /// A new account's password, or the existing account's password.
    pub password: String,
}

pub async fn accept(state: &AppState, meta: RequestMeta, body: AcceptInvitation) -> Result<(String, Me, SecondFactor), AppError> {
    let st = state.clone();
    let token = body.token.clone();
    let (row, info) = state.db.run(move |conn| {
        let row = open_invitation(&st, conn, &token)?;
        let info = details(conn, &row)?;
        Ok((row, info))
    }).await?;
    // Check the password before the transaction (hashing is slow).
    let mut new_account = None;
    if info.existing_account {
        state.limits.check(crate::ratelimit::Action::AcceptInvitation, meta.client)?;
        super::login::check_password(state, &meta, &info.email, &body.password, super::login::PasswordUse::AcceptInvitation).await?;
    } else {
        let name = body.display_name.as_deref().unwrap_or_default().trim().to_string();
        let phone = body.phone.as_deref().map(normalize_phone).filter(|p| !p.is_empty());
        let mut issues = Vec::new();
        if name.is_empty() {
            issues.push(("display_name", "required"));
        }
        if phone.as_deref().is_some_and(|p| !phone_is_valid(p)) {
            issues.push(("phone", "invalid_phone"));
        }
        if let Err(code) = password::check_new(&body.password, &[&info.email, &name]) {
            issues.push(("password", code));
        }
        issues_to_error(issues)?;
        state.limits.check(crate::ratelimit::Action::AcceptInvitation, meta.client)?;
        new_account = Some((name, phone, password::hash_off_worker(&body.password).await?));
    }
    let st = state.clone();
    let out = state
        .db
        .write(move |conn| {
            let (id, email, role, enterprise_id, base_id, agency_id, specialties, employer, _nonce, _, _, _) = row.clone();
            // Single use, even when two people click at once.
            let claimed = diesel::update(invitations::table.filter(invitations::id.eq(id)).filter(invitations::accepted_at.is_null()))
                .set(invitations::accepted_at.eq(now()))
                .execute(conn)?;
            if claimed == 0 {
                return Err(AppError::field("token", "token_invalid", "This invitation was already used."));
            }
            let t = now();
            let locale: String = invitations::table.filter(invitations::id.eq(id)).select(invitations::locale).first(conn)?;
            if let Some((name, phone, hash)) = &new_account {
                diesel::insert_into(users::table)
                    .values((
                        users::email.eq(&email),
                        users::password_hash.eq(hash),
                        users::display_name.eq(name),
                        users::phone.eq(phone),
                        users::locale.eq(&locale),
                        users::email_verified_at.eq(t),
                        users::password_changed_at.eq(t),
                        users::created_at.eq(t),
                        users::updated_at.eq(t),
                    ))
                    .execute(conn)?;
            }
            let user_id: i64 = users::table.filter(users::email.eq(&email)).select(users::id).first(conn)?;
            // Following the emailed link proves the address.
            diesel::update(users::table.filter(users::id.eq(user_id)).filter(users::email_verified_at.is_null()))
                .set(users::email_verified_at.eq(t))
                .execute(conn)?;
            diesel::insert_into(user_roles::table)
                .values((
                    user_roles::user_id.eq(user_id),
                    user_roles::role.eq(&role),
                    user_roles::enterprise_id.eq(enterprise_id),
                    user_roles::base_id.eq(base_id),
                    user_roles::agency_id.eq(agency_id),
                    user_roles::created_at.eq(t),
                ))
                .execute(conn)?;
            if role == Role::Expert.as_str() {
                diesel::delete(expert_profiles::table.filter(expert_profiles::user_id.eq(user_id))).execute(conn)?;
                diesel::insert_into(expert_profiles::table)
                    .values((
                        expert_profiles::user_id.eq(user_id),
                        expert_profiles::specialties.eq(specialties.unwrap_or_default()),
                        expert_profiles::employer_credit_code.eq(employer.unwrap_or_default()),
                    ))
                    .execute(conn)?;
            }
            if new_account.is_some() {
                audit::record(conn, &meta, Event::new("registered").actor(user_id).subject(user_id).email(&email).detail(serde_json::json!({ "invitation_id": id })))?;
            }
            audit::record(
                conn,
                &meta,
                Event::new("role_granted")
                    .actor(user_id)
                    .subject(user_id)
                    .email(&email)
                    .detail(serde_json::json!({ "role": role, "enterprise_id": enterprise_id, "base_id": base_id, "agency_id": agency_id, "invitation_id": id })),
            )?;
            // A staff role means a second factor: enrol now, or give it if already enrolled.
            let stage = super::login::second_factor_stage(conn, user_id)?;
            let token = open_session_at(&st, conn, &meta, user_id, stage)?;
            let event = if stage == SecondFactor::Done { "login_succeeded" } else { "password_accepted" };
            audit::record(conn, &meta, Event::new(event).actor(user_id).subject(user_id).email(&email))?;
            Ok((token, me::load_me(conn, user_id)?, stage))
        })
        .await?;
    Ok(out)
}

/// Accept an invitation: creates the account (or adds the role to the existing one) and
/// signs in.
#[utoipa::path(post, path = "/api/v1/auth/invitations/accept", tag = "accounts", request_body = AcceptInvitation,
    responses((status = 200, body = LoginResponse, description = "Signed in; with `second_factor` (a staff role) the sign-in is not complete yet"), (status = 422, body = crate::error::ErrorEnvelope),
        (status = 429, description = "rate_limited or account_locked (see Retry-After)", body = crate::error::ErrorEnvelope)))]
#[post("/auth/invitations/accept")]
pub async fn post_accept(state: web::Data<AppState>, req: HttpRequest, body: web::Json<AcceptInvitation>) -> Result<HttpResponse, AppError> {
    let (token, me, stage) = accept(&state, RequestMeta::from_request(&req), body.into_inner()).await?;
    let body = LoginResponse { me, second_factor: (stage != SecondFactor::Done).then(|| stage.as_str().to_string()) };
    Ok(HttpResponse::Ok().cookie(session_cookie(&state, &req, Some(token))).json(body))
}
