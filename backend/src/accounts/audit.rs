//! The audit log of account events: append-only, with time, IP address and user agent.

use actix_web::{get, web, HttpRequest};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::identity::SystemAdmin;
use crate::db::schema::audit_events;
use crate::db::DbConn;
use crate::error::AppError;
use crate::reference::list_programs::PageQuery;
use crate::state::AppState;
use shared::dto::Page;

/// Where a request came from, for the audit log and the session list.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    /// The client's address (behind trusted proxies, see [`crate::net::client_ip`]).
    pub client: Option<std::net::IpAddr>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl RequestMeta {
    pub fn from_request(req: &HttpRequest) -> RequestMeta {
        let client = crate::net::client_ip(req);
        RequestMeta {
            client,
            ip: client.map(|ip| ip.to_string()),
            user_agent: req
                .headers()
                .get(actix_web::http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(|s| s.chars().take(400).collect()),
        }
    }
}

/// One event to record.
pub struct Event<'a> {
    pub event: &'a str,
    pub actor: Option<i64>,
    pub subject: Option<i64>,
    pub email: Option<&'a str>,
    pub detail: serde_json::Value,
}

impl<'a> Event<'a> {
    pub fn new(event: &'a str) -> Event<'a> {
        Event { event, actor: None, subject: None, email: None, detail: serde_json::Value::Null }
    }
    pub fn actor(mut self, id: i64) -> Self {
        self.actor = Some(id);
        self
    }
    pub fn subject(mut self, id: i64) -> Self {
        self.subject = Some(id);
        self
    }
    pub fn email(mut self, email: &'a str) -> Self {
        self.email = Some(email);
        self
    }
    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }
}

pub fn record(conn: &mut DbConn, meta: &RequestMeta, e: Event<'_>) -> QueryResult<()> {
    debug_assert!(shared::accounts::AUDIT_EVENT_KINDS.contains(&e.event), "audit event kind {} is not in shared::accounts::AUDIT_EVENT_KINDS", e.event);
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::occurred_at.eq(Utc::now().naive_utc()),
            audit_events::event.eq(e.event),
            audit_events::actor_user_id.eq(e.actor),
            audit_events::subject_user_id.eq(e.subject),
            audit_events::email.eq(e.email),
            audit_events::ip.eq(meta.ip.as_deref()),
            audit_events::user_agent.eq(meta.user_agent.as_deref()),
            audit_events::detail.eq(if e.detail.is_null() { "{}".to_string() } else { e.detail.to_string() }),
        ))
        .execute(conn)
        .map(|_| ())
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditEventView {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    /// e.g. `registered`, `login_succeeded`, `login_failed`, `locked_out`, `role_granted`,
    /// `token_issued`.
    pub event: String,
    pub actor_user_id: Option<i64>,
    pub subject_user_id: Option<i64>,
    pub email: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Only this event kind.
    pub event: Option<String>,
    /// Events about this user (as subject or actor).
    pub user_id: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

type Row = (i64, NaiveDateTime, String, Option<i64>, Option<i64>, Option<String>, Option<String>, Option<String>, String);

pub fn list(conn: &mut DbConn, q: &AuditQuery, page: i64, per_page: i64) -> QueryResult<Page<AuditEventView>> {
    let filtered = || {
        let mut query = audit_events::table.into_boxed();
        if let Some(event) = q.event.as_deref().filter(|e| !e.is_empty()) {
            query = query.filter(audit_events::event.eq(event.to_string()));
        }
        if let Some(uid) = q.user_id {
            query = query.filter(audit_events::subject_user_id.eq(uid).or(audit_events::actor_user_id.eq(uid)));
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows: Vec<Row> = filtered()
        .select((
            audit_events::id,
            audit_events::occurred_at,
            audit_events::event,
            audit_events::actor_user_id,
            audit_events::subject_user_id,
            audit_events::email,
            audit_events::ip,
            audit_events::user_agent,
            audit_events::detail,
        ))
        .order(audit_events::id.desc())
        .limit(per_page)
        .offset((page - 1).saturating_mul(per_page))
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(id, at, event, actor, subject, email, ip, ua, detail)| AuditEventView {
            id,
            occurred_at: at.and_utc(),
            event,
            actor_user_id: actor,
            subject_user_id: subject,
            email,
            ip,
            user_agent: ua,
            detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
        })
        .collect();
    Ok(Page { items, page, per_page, total })
}

/// The audit log, newest first (system admins).
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", params(AuditQuery),
    responses((status = 200, body = Page<AuditEventView>), (status = 401), (status = 403)))]
#[get("/admin/audit")]
pub async fn get_audit(
    state: web::Data<AppState>,
    req: HttpRequest,
    SystemAdmin(admin): SystemAdmin,
    q: web::Query<AuditQuery>,
) -> Result<web::Json<Page<AuditEventView>>, AppError> {
    let (page, per_page) = PageQuery { page: q.page, per_page: q.per_page }.validate()?;
    let q = q.into_inner();
    let meta = RequestMeta::from_request(&req);
    Ok(web::Json(
        state
            .db
            .run(move |conn| {
                // Reading the log is itself on the record.
                let filter = serde_json::json!({ "event": q.event, "user_id": q.user_id, "page": page });
                record(conn, &meta, Event::new("audit_log_read").actor(admin.user_id).detail(filter))?;
                Ok(list(conn, &q, page, per_page)?)
            })
            .await?,
    ))
}

/// Refusals that never reach a handler's own audit record (403 and its kin, cross-origin
/// requests, invalid or expired API tokens, rate-limit hits) are written here, from the error
/// code the response carries. A burst of the same refusal from one client to one route is
/// recorded once a minute, so a flood cannot flood the log.
pub async fn audit_refusals(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    use actix_web::HttpMessage;
    let res = next.call(req).await?.map_into_boxed_body();
    let Some(code) = res.response().extensions().get::<crate::error::ErrorCode>().map(|c| c.0) else { return Ok(res) };
    // Not signed in is the ordinary state of a visitor; wrong passwords and locks are recorded
    // by the password check itself. An emailed link refused as invalid or expired (422) is on
    // the record too.
    let link = matches!(code, "token_invalid" | "token_expired");
    if !(matches!(res.status().as_u16(), 401 | 403 | 429) || link)
        || matches!(code, "unauthenticated" | "invalid_credentials" | "account_locked")
    {
        return Ok(res);
    }
    let http = res.request();
    let Some(state) = http.app_data::<web::Data<AppState>>().cloned() else { return Ok(res) };
    let meta = RequestMeta::from_request(http);
    let actor = http.extensions().get::<super::Identity>().map(|i| i.user_id);
    let (method, path) = (http.method().to_string(), http.path().to_string());
    let key = format!("{code} {} {method} {path}", meta.ip.as_deref().unwrap_or_default());
    if state.refusals_seen.contains_key(&key) {
        return Ok(res);
    }
    state.refusals_seen.insert(key, ());
    let written = state
        .db
        .run(move |conn| {
            let mut event = Event::new("request_refused").detail(serde_json::json!({ "code": code, "method": method, "path": path }));
            if let Some(id) = actor {
                event = event.actor(id);
            }
            Ok(record(conn, &meta, event)?)
        })
        .await;
    if let Err(e) = written {
        tracing::warn!(error = %e, "could not record a refusal in the audit log");
    }
    Ok(res)
}
