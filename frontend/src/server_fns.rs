//! Leptos server functions: the browser's calls into the backend services. They live under
//! `/_sfn` so that `/api` stays the documented REST API. Those that only read are GET
//! (`input = GetUrl`, arguments in the query string), so a hydrated read is a safe method that
//! changes nothing; the four that change something (confirming an email, taking a one-time
//! secret, starting an enrolment) stay POST.

use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, JsonEncoding};
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use shared::errors::{ErrorCode, ErrorEnvelope};

/// What a server function fails with: the REST API's envelope (`{"error", "message",
/// "fields"}`, field errors included), as JSON, so a page, a test or any client reads a server
/// function's refusal exactly as it reads the API's.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct SfnError(pub ErrorEnvelope);

impl SfnError {
    /// The code a form with one message shows: the first field's, or the envelope's own.
    pub fn code(&self) -> &str {
        self.0.first_code()
    }
}

impl std::fmt::Display for SfnError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.0.error, self.0.message)
    }
}

impl FromServerFnError for SfnError {
    type Encoder = JsonEncoding;

    /// What went wrong around the function itself (its arguments, the transport).
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let code = match &value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => ErrorCode::Invalid,
            ServerFnErrorErr::Request(_) => ErrorCode::ServiceUnavailable,
            _ => ErrorCode::InternalError,
        };
        SfnError(ErrorEnvelope::of(code, value.to_string()))
    }
}

impl From<ServerFnErrorErr> for SfnError {
    fn from(value: ServerFnErrorErr) -> Self {
        SfnError::from_server_fn_error(value)
    }
}

#[cfg(feature = "ssr")]
impl From<backend::AppError> for SfnError {
    fn from(e: backend::AppError) -> Self {
        // Logged (with its cause) as the REST API logs it.
        e.log();
        SfnError(e.envelope())
    }
}
use shared::dto::HomeData;

/// Bases and programs for the home page, read from the database.
#[server(prefix = "/_sfn", endpoint = "home_data", input = GetUrl)]
pub async fn get_home_data() -> Result<HomeData, SfnError> {
    use actix_web::web::Data;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let counts = state.tenant_counts.clone();
    state
        .db
        .run(move |conn| {
            let bases = backend::reference::list_bases(conn, &counts)?;
            let programs = backend::reference::list_programs(conn, backend::db::now().and_utc(), 1, 100)?.items;
            Ok(HomeData { bases, programs })
        })
        .await
        .map_err(SfnError::from)
}

/// The service status page: whether the portal can serve (the `/readyz` check), when checked.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct PortalStatus {
    pub ready: bool,
    pub checked_at: chrono::DateTime<chrono::Utc>,
}

#[server(prefix = "/_sfn", endpoint = "service_status", input = GetUrl)]
pub async fn service_status() -> Result<PortalStatus, SfnError> {
    use actix_web::web::Data;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let ready = backend::ops::health::check_ready(&state).await.is_ok();
    Ok(PortalStatus { ready, checked_at: state.clock.now() })
}

/// Confirm an email address from the emailed link; the error is a code.
#[server(prefix = "/_sfn", endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<(), SfnError> {
    use actix_web::web::Data;
    use backend::accounts::audit::RequestMeta;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let req: actix_web::HttpRequest = leptos_actix::extract().await?;
    backend::accounts::register::verify_email(&state, RequestMeta::from_request(&req), &token)
        .await
        .map_err(SfnError::from)
}

/// What an invitation offers: email, role, organization, whether the account exists.
#[server(prefix = "/_sfn", endpoint = "invitation", input = GetUrl)]
pub async fn invitation_info(token: String) -> Result<(String, String, Option<String>, bool), SfnError> {
    use actix_web::web::Data;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let d = backend::accounts::invitations::inspect(&state, token).await.map_err(SfnError::from)?;
    Ok((d.email, d.role.as_str().to_string(), d.organization, d.existing_account))
}

/// The members of a company the signed-in person belongs to.
#[server(prefix = "/_sfn", endpoint = "members", input = GetUrl)]
pub async fn get_members(enterprise_id: i64) -> Result<Vec<shared::accounts::MemberView>, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    backend::scope::CompanyScope::of(&identity, enterprise_id, false)?;
    state
        .db
        .run(move |conn| Ok(backend::accounts::members::list_members(conn, enterprise_id)?))
        .await
        .map_err(SfnError::from)
}

/// The signed-in person's sessions.
#[server(prefix = "/_sfn", endpoint = "sessions", input = GetUrl)]
pub async fn get_sessions() -> Result<Vec<shared::accounts::SessionView>, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    let current = identity.session_id().map(str::to_string);
    state
        .db
        .run(move |conn| Ok(backend::accounts::me::list_sessions(conn, identity.user_id, current.as_deref())?))
        .await
        .map_err(SfnError::from)
}


/// System admins: one page of people matching the filter.
#[server(prefix = "/_sfn", endpoint = "admin_users", input = GetUrl)]
pub async fn admin_users(
    q: String,
    role: String,
    status: String,
    page: i64,
) -> Result<shared::dto::Page<shared::accounts::UserSummary>, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::admin_users::{list_users, UserQuery};
    use backend::accounts::SystemAdmin;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let _admin: SystemAdmin = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::forbidden()))?;
    let query = UserQuery { q: Some(q), role: Some(role), status: Some(status), page: None, per_page: None };
    state
        .db
        .run(move |conn| list_users(conn, &query, page.max(1), 20))
        .await
        .map_err(SfnError::from)
}

/// System admins: one person with roles.
#[server(prefix = "/_sfn", endpoint = "admin_user", input = GetUrl)]
pub async fn admin_user(id: i64) -> Result<shared::accounts::Me, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::SystemAdmin;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let _admin: SystemAdmin = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::forbidden()))?;
    state
        .db
        .run(move |conn| Ok(backend::accounts::me::load_me(conn, id)?))
        .await
        .map_err(SfnError::from)
}

/// Bases and agencies to choose from in the invitation and role forms (staff only).
#[server(prefix = "/_sfn", endpoint = "scope_choices", input = GetUrl)]
pub async fn scope_choices() -> Result<(Vec<shared::accounts::Choice>, Vec<shared::accounts::Choice>), SfnError> {
    use actix_web::web::Data;
    use backend::accounts::identity::StaffInviter;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let _staff: StaffInviter = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::forbidden()))?;
    state
        .db
        .run(|conn| Ok(backend::accounts::admin_users::scope_choices(conn)?))
        .await
        .map_err(SfnError::from)
}

/// System admins: one page of the audit log (reading it is itself on the record).
#[server(prefix = "/_sfn", endpoint = "audit_log", input = GetUrl)]
pub async fn audit_log(filter: shared::accounts::AuditFilter) -> Result<shared::dto::Page<shared::accounts::AuditEntry>, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::audit::{list, record, AuditQuery, Event, RequestMeta};
    use backend::accounts::SystemAdmin;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let SystemAdmin(admin) = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::forbidden()))?;
    let req: actix_web::HttpRequest = leptos_actix::extract().await?;
    let meta = RequestMeta::from_request(&req);
    let text = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    let number = |v: &str| v.trim().parse::<i64>().ok();
    let q = AuditQuery {
        event: text(&filter.event),
        user_id: number(&filter.user_id),
        actor_id: number(&filter.actor_id),
        role: text(&filter.role),
        object_type: text(&filter.object_type),
        object_id: number(&filter.object_id),
        from: text(&filter.from),
        to: text(&filter.to),
        page: None,
        per_page: None,
    };
    let page = filter.page.max(1);
    let result = state
        .db
        .write_bookkeeping(move |conn| {
            let detail = serde_json::to_value(&q).unwrap_or_default();
            record(conn, &meta, Event::new("audit_log_read").actor(admin.user_id).detail(detail))?;
            list(conn, &q, page, 50)
        })
        .await
        .map_err(SfnError::from)?;
    Ok(shared::dto::Page {
        items: result
            .items
            .into_iter()
            .map(|e| shared::accounts::AuditEntry {
                id: e.id,
                occurred_at: e.occurred_at,
                event: e.event,
                actor_user_id: e.actor_user_id,
                actor_role: e.actor_role,
                subject_user_id: e.subject_user_id,
                object_type: e.object_type,
                object_id: e.object_id,
                email: e.email,
                ip: e.ip,
                user_agent: e.user_agent,
                detail: e.detail.to_string(),
            })
            .collect(),
        total: result.total,
        page: result.page,
        per_page: result.per_page,
    })
}

/// The signed-in person's API tokens.
#[server(prefix = "/_sfn", endpoint = "api_tokens", input = GetUrl)]
pub async fn list_api_tokens() -> Result<Vec<shared::accounts::ApiTokenView>, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    state
        .db
        .run(move |conn| Ok(backend::accounts::me::list_tokens(conn, identity.user_id)?))
        .await
        .map_err(SfnError::from)
}

/// The secret of the API token just issued (the form left it in a short-lived cookie), once:
/// the cookie is cleared in the same response.
#[server(prefix = "/_sfn", endpoint = "take_new_token")]
pub async fn take_new_token() -> Result<Option<String>, SfnError> {
    use actix_web::cookie::{time::Duration, Cookie};
    use actix_web::http::header::{HeaderValue, SET_COOKIE};

    let req: actix_web::HttpRequest = leptos_actix::extract().await?;
    let Some(secret) = req.cookie(crate::forms::NEW_TOKEN_COOKIE).map(|c| c.value().to_string()) else {
        return Ok(None);
    };
    let mut gone = Cookie::build(crate::forms::NEW_TOKEN_COOKIE, "").path("/account").http_only(true).finish();
    gone.set_max_age(Duration::ZERO);
    if let (Some(res), Ok(value)) = (use_context::<leptos_actix::ResponseOptions>(), HeaderValue::from_str(&gone.to_string())) {
        res.append_header(SET_COOKIE, value);
    }
    Ok(Some(secret).filter(|s| s.starts_with("uhd_")))
}

/// A company's profile, history and tenancies (as the caller may see them).
#[server(prefix = "/_sfn", endpoint = "company", input = GetUrl)]
pub async fn get_company(
    enterprise_id: i64,
) -> Result<(shared::registry::Profile, Vec<shared::registry::ProfileChange>, Vec<shared::registry::TenancyView>), SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    state
        .db
        .run(move |conn| {
            let profile = backend::registry::profile::read_profile(conn, &identity, enterprise_id)?;
            let history = backend::registry::profile::history(conn, &identity, enterprise_id)?;
            let tenancies = backend::registry::tenancy::list_for_enterprise(conn, &identity, enterprise_id)?;
            Ok((profile, history, tenancies))
        })
        .await
        .map_err(SfnError::from)
}

/// A company's applications recommended by a base (see `registry::recommended`).
#[server(prefix = "/_sfn", endpoint = "recommended_applications", input = GetUrl)]
pub async fn recommended_applications(enterprise_id: i64) -> Result<Vec<shared::applications::RecommendedApplication>, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    state
        .db
        .run(move |conn| backend::registry::recommended::recommended_applications(conn, &identity, enterprise_id))
        .await
        .map_err(SfnError::from)
}

/// Chain segments and bases, for the registry forms.
#[server(prefix = "/_sfn", endpoint = "registry_choices", input = GetUrl)]
pub async fn registry_choices() -> Result<(Vec<shared::registry::SegmentRef>, Vec<shared::dto::BaseSummary>), SfnError> {
    use actix_web::web::Data;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    backend::reference::choices(&state).await.map_err(SfnError::from)
}

/// One page of a base's tenant list (park managers of that base, admins).
#[server(prefix = "/_sfn", endpoint = "tenants", input = GetUrl)]
pub async fn get_tenants(filter: shared::registry::TenantFilter) -> Result<shared::dto::Page<shared::registry::TenantRow>, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::registry::tenants::{list_tenants, TenantQuery};
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    let scope = backend::scope::BaseScope::of(&identity, filter.base_id)?;
    let query = TenantQuery {
        q: Some(filter.q),
        segment: Some(filter.segment),
        qualification: Some(filter.qualification),
        status: Some(filter.status),
        sort: Some(filter.sort).filter(|s| !s.is_empty()),
        report: Some(filter.report),
        period: None,
        page: Some(filter.page.max(1)),
        per_page: Some(20),
    };
    let due = backend::registry::reports::due_period(&state).to_string();
    state
        .db
        .run({
            let state = state.clone();
            move |conn| list_tenants(conn, &state.tenant_list, &scope, &query, &due)
        })
        .await
        .map_err(SfnError::from)
}

/// A company's reports, the periods it may file for (newest first, the due one first) and the
/// segments to report revenue in.
#[server(prefix = "/_sfn", endpoint = "company_reports", input = GetUrl)]
pub async fn company_reports(
    enterprise_id: i64,
) -> Result<(Vec<shared::reports::ReportView>, Vec<String>, Vec<shared::registry::SegmentRef>), SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    let due = backend::registry::reports::due_period(&state);
    let periods: Vec<String> = std::iter::successors(Some(due), |p| Some(p.previous())).take(4).map(|p| p.to_string()).collect();
    state
        .db
        .run(move |conn| {
            let reports = backend::registry::reports::list_for_enterprise(conn, &identity, enterprise_id)?;
            let profile = backend::registry::profile::load_profile(conn, enterprise_id)?;
            let segments = if profile.segments.is_empty() { backend::reference::list_segments(conn)? } else { profile.segments };
            Ok((reports, periods, segments))
        })
        .await
        .map_err(SfnError::from)
}

/// What sending report reminders now would do: the confirmation before sending.
#[server(prefix = "/_sfn", endpoint = "reminder_preview", input = GetUrl)]
pub async fn reminder_preview(base_id: i64, period: String) -> Result<shared::reports::Reminded, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    let scope = backend::scope::BaseScope::of(&identity, base_id)?;
    backend::registry::reports::preview_reminders(&state, &scope, &period).await.map_err(SfnError::from)
}

/// Filing status of a base's admitted tenants for a period (default: the due one).
#[server(prefix = "/_sfn", endpoint = "filing", input = GetUrl)]
pub async fn filing(base_id: i64, period: String, filed: String, page: i64) -> Result<(String, shared::dto::Page<shared::reports::FilingStatus>), SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::registry::reports::{due_period, filing_status, FilingQuery};
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    let scope = backend::scope::BaseScope::of(&identity, base_id)?;
    let period = shared::reports::Period::parse(&period).unwrap_or_else(|| due_period(&state)).to_string();
    let q = FilingQuery { period: None, filed: match filed.as_str() { "true" => Some(true), "false" => Some(false), _ => None }, page: Some(page.max(1)), per_page: Some(50) };
    let p = period.clone();
    let page = state
        .db
        .run(move |conn| filing_status(conn, &scope, &p, &q))
        .await
        .map_err(SfnError::from)?;
    Ok((period, page))
}

/// The park dashboard for a base.
#[server(prefix = "/_sfn", endpoint = "park_dashboard", input = GetUrl)]
pub async fn park_dashboard(base_id: i64) -> Result<shared::registry::ParkDashboard, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    let scope = backend::scope::BaseScope::of(&identity, base_id)?;
    let periods = backend::registry::dashboard::recent_periods(&state, 4);
    state
        .db
        .run(move |conn| backend::registry::dashboard::dashboard(conn, &scope, &periods))
        .await
        .map_err(SfnError::from)
}

/// A base's public page.
#[server(prefix = "/_sfn", endpoint = "public_base", input = GetUrl)]
pub async fn public_base(code: String, page: i64) -> Result<shared::registry::PublicBase, SfnError> {
    use actix_web::web::Data;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let st = state.clone();
    state
        .db
        .run(move |conn| backend::registry::bases::public_base(conn, &st, &code, page.max(1), 50))
        .await
        .map_err(SfnError::from)
}

/// The rows of a refused import's report: (row, column, code).
#[server(prefix = "/_sfn", endpoint = "import_report", input = GetUrl)]
pub async fn import_report(id: i64) -> Result<Vec<(usize, String, String)>, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    let rows = state
        .db
        .run(move |conn| backend::registry::import::report_rows(conn, &identity, id))
        .await
        .map_err(SfnError::from)?;
    Ok(rows.into_iter().map(|r| (r.row, r.column, r.code)).collect())
}

/// A company's documents.
#[server(prefix = "/_sfn", endpoint = "documents", input = GetUrl)]
pub async fn get_documents(enterprise_id: i64) -> Result<Vec<shared::registry::DocumentView>, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    state
        .db
        .run(move |conn| backend::registry::documents::list(conn, &identity, enterprise_id))
        .await
        .map_err(SfnError::from)
}

/// Where the current session stands with its second factor: `required`, `enrol`, `done`, or
/// `None` when nobody is signed in.
#[server(prefix = "/_sfn", endpoint = "second_factor_stage", input = GetUrl)]
pub async fn second_factor_stage() -> Result<Option<String>, SfnError> {
    use backend::accounts::identity::PendingIdentity;
    let identity: Option<PendingIdentity> = leptos_actix::extract().await.ok();
    Ok(identity.map(|PendingIdentity(i)| i.second_factor.as_str().to_string()))
}

/// Start (or show again) enrolling an authenticator app: key, `otpauth://` link, QR code (SVG).
#[server(prefix = "/_sfn", endpoint = "totp_enrolment")]
pub async fn totp_enrolment() -> Result<(String, String, String), SfnError> {
    use actix_web::web::Data;
    use backend::accounts::audit::RequestMeta;
    use backend::accounts::identity::PendingIdentity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let req: actix_web::HttpRequest = leptos_actix::extract().await?;
    let PendingIdentity(identity) = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    let e = backend::accounts::second_factor::start_enrolment(&state, RequestMeta::from_request(&req), &identity)
        .await
        .map_err(SfnError::from)?;
    Ok((e.secret, e.otpauth_uri, e.qr_svg))
}

/// The recovery codes the enrolment just made, once: they travel in a short-lived signed cookie
/// bound to this session, which this call clears.
#[server(prefix = "/_sfn", endpoint = "take_recovery_codes")]
pub async fn take_recovery_codes() -> Result<Vec<String>, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::identity::PendingIdentity;
    use backend::accounts::tokens::Purpose;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let req: actix_web::HttpRequest = leptos_actix::extract().await?;
    let PendingIdentity(identity) = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    let Some(cookie) = req.cookie(crate::forms::RECOVERY_COOKIE) else { return Ok(Vec::new()) };
    if let Some(res) = use_context::<leptos_actix::ResponseOptions>() {
        if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&crate::forms::recovery_cookie(&state, None).to_string()) {
            res.append_header(actix_web::http::header::SET_COOKIE, value);
        }
    }
    let Ok(claims) = state.keys.verify(Purpose::RecoveryCodes, cookie.value()) else { return Ok(Vec::new()) };
    if claims.sid.as_deref() != identity.session_id() || claims.user_id() != Some(identity.user_id) {
        return Ok(Vec::new());
    }
    Ok(claims.jti.unwrap_or_default().split(',').filter(|c| !c.is_empty()).map(str::to_string).collect())
}

/// A company's open invitations to join bases: `(id, base name zh, base name en, invited on)`.
#[server(prefix = "/_sfn", endpoint = "tenancy_invitations", input = GetUrl)]
pub async fn tenancy_invitations(enterprise_id: i64) -> Result<Vec<(i64, String, String, String)>, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    let list = state
        .db
        .run(move |conn| backend::registry::invitations::list_open(conn, &identity, enterprise_id))
        .await
        .map_err(SfnError::from)?;
    Ok(list.into_iter().map(|i| (i.id, i.base_name.zh, i.base_name.en, i.invited_at.format("%Y-%m-%d").to_string())).collect())
}

/// Open claims to credit codes (system admins).
#[server(prefix = "/_sfn", endpoint = "open_claims", input = GetUrl)]
pub async fn open_claims() -> Result<Vec<backend_types::ClaimRow>, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::SystemAdmin;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let _admin: SystemAdmin = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::forbidden()))?;
    let list = state
        .db
        .run(|conn| Ok(backend::accounts::claims::list_open(conn)?))
        .await
        .map_err(SfnError::from)?;
    Ok(list
        .into_iter()
        .map(|c| backend_types::ClaimRow {
            id: c.id,
            credit_code: c.credit_code,
            registered_name: c.registered_name,
            claimed_name: c.claimed_name,
            claimant_name: c.claimant_name,
            claimant_email: c.claimant_email,
            claimant_email_verified: c.claimant_email_verified,
            created_at: c.created_at,
        })
        .collect())
}

/// What the browser side needs of server-only types.
pub mod backend_types {
    use serde::{Deserialize, Serialize};

    /// An open claim, as the admin page shows it.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    pub struct ClaimRow {
        pub id: i64,
        pub credit_code: String,
        pub registered_name: String,
        pub claimed_name: String,
        pub claimant_name: String,
        pub claimant_email: String,
        pub claimant_email_verified: bool,
        pub created_at: chrono::DateTime<chrono::Utc>,
    }
}

/// What the calendar admin page shows: the years held, the year chosen (its days), and the
/// preview "`days` working days from `from`" as the calendar stands.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct CalendarView {
    pub years: Vec<shared::calendar::CalendarYear>,
    pub shown: Option<shared::calendar::CalendarYear>,
    pub preview: Option<shared::calendar::WorkingDaysAfter>,
    /// The preview's field errors: (field, code).
    pub preview_errors: Vec<(String, String)>,
}

/// System admins: the working-day calendar and a preview of a deadline (`from` and `days` as
/// typed; empty `from` is today in Beijing, empty `days` 10).
#[server(prefix = "/_sfn", endpoint = "calendar_admin", input = GetUrl)]
pub async fn calendar_admin(year: Option<i32>, from: String, days: String) -> Result<CalendarView, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::SystemAdmin;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let SystemAdmin(_) = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::forbidden()))?;
    let today = state.clock.today();
    let from = if from.trim().is_empty() { today.format("%Y-%m-%d").to_string() } else { from };
    let days = if days.trim().is_empty() { "10".to_string() } else { days };
    let (preview, preview_errors) = match backend::calendar::working_days::after_input(Some(&from), Some(&days)) {
        Ok((from, days)) => match backend::calendar::working_days::after(&state, from, days).await {
            Ok(p) => (Some(p), Vec::new()),
            Err(e) => (None, field_codes(&e)),
        },
        Err(e) => (None, field_codes(&e)),
    };
    let (years, shown) = state
        .db
        .run(move |conn| {
            let years = backend::calendar::list(conn)?;
            use chrono::Datelike;
            let chosen = year
                .filter(|y| years.iter().any(|h| h.year == *y))
                .or_else(|| years.iter().map(|h| h.year).find(|y| *y == today.year()))
                .or_else(|| years.last().map(|h| h.year));
            let shown = chosen.map(|y| backend::calendar::read_year(conn, y)).transpose()?;
            Ok((years, shown))
        })
        .await
        .map_err(SfnError::from)?;
    Ok(CalendarView { years, shown, preview, preview_errors })
}

/// `(field, code)` of each field error (`("_", code)` for an error of the whole request).
#[cfg(feature = "ssr")]
fn field_codes(e: &backend::AppError) -> Vec<(String, String)> {
    match e {
        backend::AppError::Validation(fields) => fields.iter().flat_map(|(f, p)| p.first().map(|p| (f.clone(), p.code.clone()))).collect(),
        other => vec![("_".to_string(), other.code().to_string())],
    }
}

/// The reminder runs scheduled for a base (its park manager or a system admin).
#[server(prefix = "/_sfn", endpoint = "scheduled_reminders", input = GetUrl)]
pub async fn scheduled_reminders(base_id: i64) -> Result<Vec<shared::jobs::JobView>, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    let scope = backend::scope::BaseScope::of(&identity, base_id)?;
    state
        .db
        .run(move |conn| backend::jobs::report_reminders::scheduled_for_base(conn, &scope))
        .await
        .map_err(SfnError::from)
}

/// System admins: one page of the scheduled jobs in a state (any when empty).
#[server(prefix = "/_sfn", endpoint = "admin_jobs", input = GetUrl)]
pub async fn admin_jobs(status: String, page: i64) -> Result<shared::dto::Page<shared::jobs::JobView>, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::SystemAdmin;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let SystemAdmin(_) = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::forbidden()))?;
    state
        .db
        .run(move |conn| backend::jobs::list_jobs::list(conn, Some(&status), page, 50))
        .await
        .map_err(SfnError::from)
}

/// A program's guide page: the guide, and for a signed-in company its eligibility (reasons in
/// `lang`) and its latest application under the program.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GuidePage {
    pub guide: shared::programs::ProgramGuide,
    pub eligibility: Option<shared::programs::EligibilityAnswer>,
    /// The company's latest application under the program: id and state.
    pub own: Option<(i64, shared::applications::ApplicationState)>,
}

#[server(prefix = "/_sfn", endpoint = "program_guide", input = GetUrl)]
pub async fn program_guide(code: String, lang: String) -> Result<GuidePage, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::identity::MaybeIdentity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let MaybeIdentity(identity) = leptos_actix::extract().await?;
    // Only a person of exactly one company sees "you": someone acting for several chooses on the API.
    let scope = identity.as_ref().and_then(|i| {
        let own = i.enterprises(false);
        (own.len() == 1).then(|| backend::scope::CompanyScope::of(i, own[0], false).ok()).flatten()
    });
    state
        .db
        .run(move |conn| {
            let guide = backend::programs::get_program::guide(conn, &code, backend::db::now().and_utc())?;
            let (eligibility, own) = match &scope {
                Some(scope) => {
                    let program = backend::programs::load(conn, &code)?;
                    let today = backend::clock::beijing_date(backend::db::now());
                    let answer = backend::programs::eligibility::answer(conn, scope, program.id, &program.code, &program.definition, today, &lang)?;
                    (Some(answer), backend::applications::list_applications::latest(conn, scope.enterprise_id(), program.id)?)
                }
                None => (None, None),
            };
            Ok(GuidePage { guide, eligibility, own })
        })
        .await
        .map_err(SfnError::from)
}

/// The signed-in person's companies' applications.
#[server(prefix = "/_sfn", endpoint = "my_applications", input = GetUrl)]
pub async fn my_applications(page: i64) -> Result<shared::dto::Page<shared::applications::ApplicationSummary>, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    let ids = identity.enterprises(false);
    state.db.run(move |conn| backend::applications::list_applications::list(conn, &ids, page.clamp(1, 100_000), 20)).await.map_err(SfnError::from)
}

/// An application's page: the application, its timeline, the program version it is filed
/// under and the server's day (Beijing), which the project step's checks in the browser use.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ApplicationData {
    pub view: shared::applications::ApplicationView,
    pub timeline: Vec<shared::applications::TimelineEntry>,
    pub program: shared::programs::ProgramDefinition,
    pub today: chrono::NaiveDate,
    /// The caller is one of the company's people (not staff reading it for review).
    pub own: bool,
}

/// One application of the caller's company, with its timeline.
#[server(prefix = "/_sfn", endpoint = "application", input = GetUrl)]
pub async fn get_application(id: i64) -> Result<ApplicationData, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    let today = state.clock.today();
    state
        .db
        .run(move |conn| {
            let scoped = backend::applications::load_scoped(conn, &identity, id, false)?;
            let view = backend::applications::view(conn, &scoped)?;
            let timeline = backend::applications::timeline::timeline(conn, &identity, id)?;
            let own = scoped.scope.is_some();
            Ok(ApplicationData { view, timeline, program: scoped.definition, today, own })
        })
        .await
        .map_err(SfnError::from)
}

/// What a printed form's verification code names (public).
#[server(prefix = "/_sfn", endpoint = "verify_form", input = GetUrl)]
pub async fn verify_form(code: String) -> Result<shared::applications::Verification, SfnError> {
    use actix_web::web::Data;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    state.db.run(move |conn| backend::applications::form::verify(conn, &code)).await.map_err(SfnError::from)
}

/// The programs open or upcoming, best fit first, for the signed-in person's company (empty
/// for anyone who is not a person of exactly one company).
#[server(prefix = "/_sfn", endpoint = "programs_for_you", input = GetUrl)]
pub async fn programs_for_you(lang: String) -> Result<Vec<shared::programs::ProgramFit>, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    let own = identity.enterprises(false);
    if own.len() != 1 {
        return Ok(Vec::new());
    }
    let scope = backend::scope::CompanyScope::of(&identity, own[0], false)?;
    state.db.run(move |conn| backend::programs::eligibility::fits(conn, &scope, backend::db::now().and_utc(), &lang)).await.map_err(SfnError::from)
}


/// The programs, for a system admin or an agency lead (403 for anyone else).
#[server(prefix = "/_sfn", endpoint = "admin_programs", input = GetUrl)]
pub async fn admin_programs() -> Result<Vec<shared::programs::EditorRow>, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    state.db.run(move |conn| backend::programs::edits::listing(conn, &identity)).await.map_err(SfnError::from)
}

/// The program editor for `code` (a new program when there is none, starting from `from`'s
/// definition). A system admin, or the agency lead of the program's lead agency; 403 otherwise.
#[server(prefix = "/_sfn", endpoint = "program_editor", input = GetUrl)]
pub async fn program_editor(code: String, from: Option<String>) -> Result<shared::programs::Editor, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    let step_up_needed = backend::accounts::second_factor::require_step_up(&state, &identity).is_err();
    state.db.run(move |conn| backend::programs::edits::editor(conn, &identity, &code, from.as_deref(), step_up_needed)).await.map_err(SfnError::from)
}

/// What the review parts of an application's page need: what the caller may do now, the latest
/// return's flags with their answers, the expert panel (the agencies only) and whether the
/// caller may draw experts.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ReviewInfo {
    pub actions: shared::review::ActionsView,
    pub flags: Vec<shared::review::FlagView>,
    pub panel: Option<shared::experts::PanelView>,
    /// The lead agency's agency lead, in the expert stage: may draw experts.
    pub may_draw: bool,
    /// The specialties the pool has (for the draw form).
    pub specialties: Vec<String>,
    /// The project fields a return may flag.
    pub fields: Vec<String>,
    /// In the lead agency's stages, for its staff: who holds it, and (for the agency lead) to
    /// whom it may be assigned.
    pub holder: Option<shared::review::Holder>,
    pub assignable: Vec<(i64, String)>,
    /// The automatic checks, for staff.
    pub checks: Vec<shared::review::AutoCheck>,
    /// While returned for supplement: the caller is of the party that returned it.
    pub may_extend: bool,
}

#[server(prefix = "/_sfn", endpoint = "review_data", input = GetUrl)]
pub async fn review_data(id: i64) -> Result<ReviewInfo, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;
    use shared::review::Role;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    let today = state.clock.today();
    state
        .db
        .run(move |conn| {
            // Read (and its scope checked) once; each part below works from it.
            let case = backend::review::load_readable(conn, &identity, id)?;
            let actions = backend::review::actions::actions_for(&identity, &case);
            let flags = backend::review::supplement::flags_for(conn, &case)?;
            let staff = actions.roles.iter().any(|r| matches!(r, Role::Reviewer | Role::AgencyLead | Role::CoReviewLead)) || identity.is_admin();
            let panel = if staff { backend::review::experts::panel_for(conn, &identity, &case).ok() } else { None };
            let may_draw = actions.roles.contains(&Role::AgencyLead) && actions.state == shared::applications::ApplicationState::ExpertReview;
            let specialties = if may_draw { backend::review::experts::specialties(conn)? } else { Vec::new() };
            let fields = backend::review::actions::project_fields(&case);
            let lead_stage = matches!(actions.state, shared::applications::ApplicationState::FormalReview | shared::applications::ApplicationState::ExpertReview | shared::applications::ApplicationState::AgencyDecision);
            let lead_staff = actions.roles.iter().any(|r| matches!(r, Role::Reviewer | Role::AgencyLead));
            let holder = if lead_stage && lead_staff { Some(backend::review::assign::holder(conn, id)?) } else { None };
            let assignable = if holder.is_some() && actions.roles.contains(&Role::AgencyLead) { backend::review::assign::agency_staff(conn, case.lead_agency_id)? } else { Vec::new() };
            let checks = if actions.roles.iter().any(|r| *r != Role::Applicant) { backend::review::checks::checks_for(conn, &identity, &case, today)? } else { Vec::new() };
            let may_extend = actions.state == shared::applications::ApplicationState::ReturnedForSupplement
                && match case.situation().returned_from {
                    Some(shared::applications::ApplicationState::RecommendingReview) => actions.roles.contains(&Role::RecommendingUnit),
                    _ => actions.roles.iter().any(|r| matches!(r, Role::Reviewer | Role::AgencyLead)),
                };
            Ok(ReviewInfo { actions, flags, panel, may_draw, specialties, fields, holder, assignable, checks, may_extend })
        })
        .await
        .map_err(SfnError::from)
}

/// The caller's review queue, and what the batch draw form offers.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct QueueData {
    pub list: shared::dto::Page<shared::review::QueueRow>,
    /// For an agency lead: the pool's specialties (the rows in the expert stage may be drawn
    /// for together); empty for anyone else.
    pub draw_specialties: Vec<String>,
}

/// The caller's review queue (the query string's filters, as `GET /api/v1/review/queue` takes
/// them).
#[server(prefix = "/_sfn", endpoint = "review_queue", input = GetUrl)]
pub async fn review_queue(stage: String, program: String, flag: String, sort: String, page: i64) -> Result<QueueData, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    let today = state.clock.today();
    let some = |s: String| Some(s).filter(|s| !s.trim().is_empty());
    let q = backend::review::queue::QueueQuery { stage: some(stage), program: some(program), flag: some(flag), sort: some(sort), page: Some(page.max(1)), per_page: Some(20), ..Default::default() };
    let caches = state.queue.clone();
    state
        .db
        .run(move |conn| {
            let list = backend::review::queue::queue(conn, &identity, &q, today, &caches)?;
            let lead = identity.has(shared::accounts::Role::AgencyLead);
            let draw_specialties = if lead && list.items.iter().any(|r| r.state == shared::applications::ApplicationState::ExpertReview) {
                backend::review::experts::specialties(conn)?
            } else {
                Vec::new()
            };
            Ok::<_, backend::AppError>(QueueData { list, draw_specialties })
        })
        .await
        .map_err(SfnError::from)
}

/// The agency lead's dashboard (`GET /api/v1/review/dashboard`).
#[server(prefix = "/_sfn", endpoint = "review_dashboard", input = GetUrl)]
pub async fn review_dashboard() -> Result<shared::review::Dashboard, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    let today = state.clock.today();
    let caches = state.queue.clone();
    state.db.run(move |conn| backend::review::dashboard::dashboard(conn, &identity, today, &caches)).await.map_err(SfnError::from)
}

/// The caller's notifications (newest first) and which kinds they receive by email.
#[server(prefix = "/_sfn", endpoint = "my_notifications", input = GetUrl)]
pub async fn my_notifications(page: i64) -> Result<(shared::notifications::NotificationList, shared::notifications::NotificationSettings), SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    let q = backend::review::inbox::InboxQuery { unread: None, page: Some(page.max(1)), per_page: Some(20) };
    state
        .db
        .run(move |conn| {
            let list = backend::review::inbox::list(conn, &identity, &q)?;
            let settings = backend::review::inbox::settings(conn, identity.user_id)?;
            Ok((list, settings))
        })
        .await
        .map_err(SfnError::from)
}

/// The calling expert's assignments.
#[server(prefix = "/_sfn", endpoint = "my_assignments", input = GetUrl)]
pub async fn my_assignments() -> Result<Vec<shared::experts::AssignmentView>, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    if !identity.has(shared::accounts::Role::Expert) {
        return Err(SfnError::from(backend::AppError::forbidden()));
    }
    state.db.run(move |conn| backend::review::experts::assignments(conn, &identity)).await.map_err(SfnError::from)
}

/// A public notice (public), and, for the lead agency's staff, its objections with who filed
/// them (`None` for anyone else).
#[server(prefix = "/_sfn", endpoint = "public_notice", input = GetUrl)]
pub async fn public_notice(id: i64) -> Result<(shared::awards::NoticeView, Option<Vec<shared::awards::ObjectionView>>), SfnError> {
    use actix_web::web::Data;
    use backend::accounts::identity::MaybeIdentity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let MaybeIdentity(identity) = leptos_actix::extract().await?;
    let today = state.clock.today();
    state
        .db
        .run(move |conn| {
            let notice = backend::review::public_notice::view(conn, id, today)?;
            let objections = match identity {
                Some(who) => backend::review::objections::list(conn, &who, id).ok(),
                None => None,
            };
            Ok::<_, backend::AppError>((notice, objections))
        })
        .await
        .map_err(SfnError::from)
}

/// Every public notice, newest first (public).
#[server(prefix = "/_sfn", endpoint = "public_notices", input = GetUrl)]
pub async fn public_notices(page: i64) -> Result<shared::dto::Page<shared::awards::NoticeSummary>, SfnError> {
    use actix_web::web::Data;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let today = state.clock.today();
    let q = backend::pagination::PageQuery { page: Some(page), per_page: Some(20) };
    state.db.run(move |conn| backend::review::public_notice::list(conn, &q, today)).await.map_err(SfnError::from)
}

/// The approvals waiting for a notice in the programs the caller leads.
#[server(prefix = "/_sfn", endpoint = "awaiting_notice", input = GetUrl)]
pub async fn awaiting_notice() -> Result<Vec<shared::awards::AwaitingNotice>, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    state.db.run(move |conn| backend::review::public_notice::awaiting(conn, &identity)).await.map_err(SfnError::from)
}

/// An application's award (money and milestones) and the parts the caller plays in it (what
/// forms the page offers); `None` when it has no award.
#[server(prefix = "/_sfn", endpoint = "award_data", input = GetUrl)]
pub async fn award_data(id: i64) -> Result<Option<(shared::awards::AwardView, Vec<shared::review::Role>)>, SfnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| SfnError::from(backend::AppError::unauthenticated()))?;
    state
        .db
        .run(move |conn| {
            let case = backend::review::load_readable(conn, &identity, id)?;
            let roles: Vec<shared::review::Role> = backend::review::parts(&identity, &case).into_iter().map(|p| p.role).collect();
            match backend::review::payments::view_for(conn, &identity, &case) {
                Ok(award) => Ok(Some((award, roles))),
                Err(backend::AppError::NotFound(_)) => Ok(None),
                Err(e) => Err(e),
            }
        })
        .await
        .map_err(SfnError::from)
}

/// The targets dashboard's figures (public).
#[server(prefix = "/_sfn", endpoint = "targets_data", input = GetUrl)]
pub async fn targets_data() -> Result<shared::targets::Targets, SfnError> {
    use actix_web::web::Data;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    backend::targets::cached(&state).await.map(|t| (*t).clone()).map_err(SfnError::from)
}
