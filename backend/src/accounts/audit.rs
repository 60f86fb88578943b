//! The one audit log of the portal: every event, append-only, with time, actor and role, the
//! object it concerns, IP address and user agent. Tamper-evident: each record is a link of a
//! hash chain (`seq`, `prev_hash`, `hash`; see [`link_hash`]) whose last link is kept in
//! `audit_chain_head`, so [`verify`] (`uhd-portal verify-audit`) names the first record that
//! was altered, removed or reordered.

use actix_web::{get, web, HttpRequest};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::identity::SystemAdmin;
use crate::db::schema::{audit_chain_head, audit_events, user_roles};
use crate::db::DbConn;
use crate::error::AppError;
use crate::pagination::PageQuery;
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

    /// Work the portal does by itself (a scheduled job): no client; `agent` names the work.
    pub fn background(agent: &str) -> RequestMeta {
        RequestMeta { client: None, ip: None, user_agent: Some(format!("uhd-portal {agent}")) }
    }
}

/// One event to record.
pub struct Event<'a> {
    pub event: &'a str,
    pub actor: Option<i64>,
    pub subject: Option<i64>,
    /// What the event concerns (`tenancy`, `enterprise`, `document`, `base`, ...) and its id;
    /// an event about a person (its subject) concerns `user` with the subject's id.
    pub object: Option<(&'a str, i64)>,
    pub email: Option<&'a str>,
    pub detail: serde_json::Value,
}

impl<'a> Event<'a> {
    pub fn new(event: &'a str) -> Event<'a> {
        Event { event, actor: None, subject: None, object: None, email: None, detail: serde_json::Value::Null }
    }
    pub fn actor(mut self, id: i64) -> Self {
        self.actor = Some(id);
        self
    }
    pub fn subject(mut self, id: i64) -> Self {
        self.subject = Some(id);
        self
    }
    pub fn object(mut self, kind: &'a str, id: i64) -> Self {
        self.object = Some((kind, id));
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

/// A record as the chain reads it; its hash covers every column but `id` and `hash` itself
/// (see [`link_hash`]).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct Link {
    pub id: i64,
    pub seq: Option<i64>,
    pub occurred_at: NaiveDateTime,
    pub event: String,
    pub actor_user_id: Option<i64>,
    pub actor_role: Option<String>,
    pub subject_user_id: Option<i64>,
    pub object_type: Option<String>,
    pub object_id: Option<i64>,
    pub email: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub detail: String,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

/// The SHA-256 (hex) of a record at position `seq` after the record whose hash is `prev`:
/// a JSON array of its columns in a fixed order, times to the microsecond.
pub fn link_hash(seq: i64, prev: &str, r: &Link) -> String {
    use sha2::{Digest, Sha256};
    let content = serde_json::json!([
        seq,
        r.occurred_at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
        r.event,
        r.actor_user_id,
        r.actor_role,
        r.subject_user_id,
        r.object_type,
        r.object_id,
        r.email,
        r.ip,
        r.user_agent,
        r.detail,
        prev,
    ]);
    hex::encode(Sha256::digest(content.to_string().as_bytes()))
}

/// The chain's last link, locked until the transaction ends (PostgreSQL: `FOR UPDATE`; SQLite:
/// the write path's `BEGIN IMMEDIATE` already holds the database's one write lock).
fn chain_head(conn: &mut DbConn) -> QueryResult<(i64, String)> {
    let head = audit_chain_head::table.find(1).select((audit_chain_head::seq, audit_chain_head::hash));
    match conn {
        DbConn::Postgres(c) => head.for_update().first(c),
        DbConn::Sqlite(c) => head.first(c),
    }
}

/// Join `link`, a record written before the chain existed, to the chain; nothing if another
/// server process linked it first (the head's lock orders them).
fn join_chain(conn: &mut DbConn, link: &Link) -> QueryResult<()> {
    let (seq, prev) = chain_head(conn)?;
    let seq = seq + 1;
    let hash = link_hash(seq, &prev, link);
    let linked = diesel::update(audit_events::table.find(link.id).filter(audit_events::seq.is_null()))
        .set((
            audit_events::occurred_at.eq(link.occurred_at),
            audit_events::seq.eq(seq),
            audit_events::prev_hash.eq(&prev),
            audit_events::hash.eq(&hash),
        ))
        .execute(conn)?;
    if linked == 1 {
        advance_head(conn, seq, &hash)?;
    }
    Ok(())
}

/// The record at `seq` with `hash` is the chain's last link now.
fn advance_head(conn: &mut DbConn, seq: i64, hash: &str) -> QueryResult<()> {
    diesel::update(audit_chain_head::table.find(1)).set((audit_chain_head::seq.eq(seq), audit_chain_head::hash.eq(hash))).execute(conn)?;
    Ok(())
}

/// The roles a person holds now, for the record of what they did ("park_manager",
/// "agency_lead,expert"); `None` for a person with none.
fn roles_of(conn: &mut DbConn, user_id: i64) -> QueryResult<Option<String>> {
    let mut roles: Vec<String> = user_roles::table.filter(user_roles::user_id.eq(user_id)).select(user_roles::role).load(conn)?;
    roles.sort();
    roles.dedup();
    Ok((!roles.is_empty()).then(|| roles.join(",")))
}

/// Record one event, inside the caller's write (`Db::write`): it commits or rolls back with
/// the change it records.
pub fn record(conn: &mut DbConn, meta: &RequestMeta, e: Event<'_>) -> QueryResult<()> {
    debug_assert!(shared::accounts::AUDIT_EVENT_KINDS.contains(&e.event), "audit event kind {} is not in shared::accounts::AUDIT_EVENT_KINDS", e.event);
    debug_assert!(in_transaction(conn), "audit::record outside the write path (Db::write): {}", e.event);
    // The actor's roles when it happened.
    let role = match e.actor {
        Some(actor) => roles_of(conn, actor)?,
        None => None,
    };
    let object = e.object.or(e.subject.map(|s| ("user", s)));
    let mut link = Link {
        id: 0,
        seq: None,
        occurred_at: crate::db::now(),
        event: e.event.to_string(),
        actor_user_id: e.actor,
        actor_role: role,
        subject_user_id: e.subject,
        object_type: object.map(|o| o.0.to_string()),
        object_id: object.map(|o| o.1),
        email: e.email.map(str::to_string),
        ip: meta.ip.clone(),
        user_agent: meta.user_agent.clone(),
        detail: if e.detail.is_null() { "{}".to_string() } else { e.detail.to_string() },
        prev_hash: None,
        hash: None,
    };
    // The head is locked before the insert, so positions follow ids.
    let (seq, prev) = chain_head(conn)?;
    let seq = seq + 1;
    let hash = link_hash(seq, &prev, &link);
    link.seq = Some(seq);
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::occurred_at.eq(link.occurred_at),
            audit_events::event.eq(&link.event),
            audit_events::actor_user_id.eq(link.actor_user_id),
            audit_events::actor_role.eq(&link.actor_role),
            audit_events::subject_user_id.eq(link.subject_user_id),
            audit_events::object_type.eq(&link.object_type),
            audit_events::object_id.eq(link.object_id),
            audit_events::email.eq(&link.email),
            audit_events::ip.eq(&link.ip),
            audit_events::user_agent.eq(&link.user_agent),
            audit_events::detail.eq(&link.detail),
            audit_events::seq.eq(seq),
            audit_events::prev_hash.eq(&prev),
            audit_events::hash.eq(&hash),
        ))
        .execute(conn)?;
    advance_head(conn, seq, &hash)
}

fn in_transaction(conn: &mut DbConn) -> bool {
    use diesel::connection::{Connection, TransactionManager};
    <DbConn as Connection>::TransactionManager::transaction_manager_status_mut(conn)
        .transaction_depth()
        .is_ok_and(|depth| depth.is_some())
}

/// Link the records written before the chain existed (the migration that added it leaves
/// them unlinked and notes the last one's id), oldest first. Run at start-up, inside the write
/// path; returns how many. A record written around the portal later is never linked here.
pub fn link_unlinked(conn: &mut DbConn) -> QueryResult<usize> {
    let legacy_until: i64 = audit_chain_head::table.find(1).select(audit_chain_head::legacy_until).first(conn)?;
    if legacy_until == 0 {
        return Ok(0);
    }
    let mut linked = 0;
    loop {
        let batch: Vec<Link> = audit_events::table
            .filter(audit_events::seq.is_null())
            .filter(audit_events::id.le(legacy_until))
            .select(Link::as_select())
            .order(audit_events::id)
            .limit(1000)
            .load(conn)?;
        if batch.is_empty() {
            // All linked: later starts need not look again.
            diesel::update(audit_chain_head::table.find(1)).set(audit_chain_head::legacy_until.eq(0)).execute(conn)?;
            return Ok(linked);
        }
        for mut link in batch {
            // Written before times were kept to the microsecond: truncated as records are now.
            link.occurred_at = chrono::SubsecRound::trunc_subsecs(link.occurred_at, 6);
            join_chain(conn, &link)?;
            linked += 1;
        }
    }
}

/// What `verify-audit` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Every record links to the one before it, and the last one is the chain's head.
    Intact { records: i64 },
    /// The first record (by position) that does not verify, and why.
    Broken { records_checked: i64, problem: String },
}

/// Check the whole log: positions 1..N without a gap, each record's `prev_hash` the hash of
/// the record before it, each hash recomputed from the record's content, the last one equal to
/// the chain's head, no record outside the chain. Reads in pages; changes nothing.
pub fn verify(conn: &mut DbConn) -> QueryResult<Verification> {
    let broken = |records_checked: i64, problem: String| Ok(Verification::Broken { records_checked, problem });
    let (head_seq, head_hash) = audit_chain_head::table.find(1).select((audit_chain_head::seq, audit_chain_head::hash)).first::<(i64, String)>(conn)?;
    let outside: Option<i64> = audit_events::table.filter(audit_events::seq.is_null()).select(audit_events::id).order(audit_events::id).first(conn).optional()?;
    let (mut expected, mut prev, mut last_id) = (1i64, String::new(), 0i64);
    loop {
        let page: Vec<Link> = audit_events::table
            .filter(audit_events::seq.ge(expected))
            .select(Link::as_select())
            .order(audit_events::seq)
            .limit(5000)
            .load(conn)?;
        if page.is_empty() {
            break;
        }
        for link in page {
            let seq = link.seq.unwrap_or_default();
            if seq != expected {
                return broken(expected - 1, format!("record {expected} is missing: removed (the next one is record {seq}, id {})", link.id));
            }
            if link.prev_hash.as_deref() != Some(prev.as_str()) {
                return broken(expected - 1, format!("record {seq} (id {}) does not follow record {}: records were removed or reordered", link.id, seq - 1));
            }
            if link.hash.as_deref() != Some(link_hash(seq, &prev, &link).as_str()) {
                return broken(expected - 1, format!("record {seq} (id {}) was altered: its content does not match its hash", link.id));
            }
            if link.id <= last_id {
                return broken(expected - 1, format!("record {seq} (id {}) is out of order: its id is before the previous record's ({last_id})", link.id));
            }
            last_id = link.id;
            prev = link.hash.unwrap_or_default();
            expected += 1;
        }
    }
    let records = expected - 1;
    if records != head_seq || prev != head_hash {
        return broken(records, format!("the log ends at record {records} but the chain's head is record {head_seq}: records were removed from the end"));
    }
    if let Some(id) = outside {
        return broken(records, format!("the record with id {id} is outside the chain: written around the portal"));
    }
    Ok(Verification::Intact { records })
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditEventView {
    pub id: i64,
    /// Position in the hash chain (1, 2, ...).
    pub seq: Option<i64>,
    pub occurred_at: DateTime<Utc>,
    /// One of `shared::accounts::AUDIT_EVENT_KINDS`, e.g. `registered`, `login_succeeded`,
    /// `login_failed`, `role_granted`, `tenancy_decided`, `document_uploaded`.
    pub event: String,
    pub actor_user_id: Option<i64>,
    /// The actor's roles when it happened, comma-separated (`park_manager`).
    pub actor_role: Option<String>,
    pub subject_user_id: Option<i64>,
    /// What the event concerns: `user`, `enterprise`, `tenancy`, `document`, `base`, ...
    pub object_type: Option<String>,
    pub object_id: Option<i64>,
    pub email: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

#[derive(Debug, Default, Deserialize, Serialize, IntoParams)]
pub struct AuditQuery {
    /// Only this event kind.
    pub event: Option<String>,
    /// Events about this user (as subject or actor).
    pub user_id: Option<i64>,
    /// Only events this user did.
    pub actor_id: Option<i64>,
    /// Only events done in this role (`park_manager`, `system_admin`, ...).
    pub role: Option<String>,
    /// Only events concerning this kind of object (`user`, `enterprise`, `tenancy`, ...).
    pub object_type: Option<String>,
    /// With `object_type`: only this object.
    pub object_id: Option<i64>,
    /// From this day (Beijing time, `YYYY-MM-DD`), inclusive.
    pub from: Option<String>,
    /// Up to this day (Beijing time, `YYYY-MM-DD`), inclusive.
    pub to: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl AuditQuery {
    /// The time range as UTC bounds `[from, to)`; a day that does not parse is a field error.
    pub fn range(&self) -> Result<(Option<NaiveDateTime>, Option<NaiveDateTime>), AppError> {
        // Days are Beijing days (UTC+8): a day starts at 16:00 UTC the day before.
        let day = |field: &str, v: &Option<String>, next: bool| -> Result<Option<NaiveDateTime>, AppError> {
            match v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(text) => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map(|d| {
                        let d = if next { d + chrono::Duration::days(1) } else { d };
                        Some(d.and_hms_opt(0, 0, 0).unwrap_or_default() - chrono::Duration::hours(8))
                    })
                    .map_err(|_| AppError::field(field, "invalid_date", "A day as YYYY-MM-DD.")),
            }
        };
        let range = (day("from", &self.from, false)?, day("to", &self.to, true)?);
        if let (Some(from), Some(to)) = range {
            if to <= from {
                return Err(AppError::field("to", "before_start", "The last day is before the first."));
            }
        }
        Ok(range)
    }
}

pub fn list(conn: &mut DbConn, q: &AuditQuery, page: i64, per_page: i64) -> Result<Page<AuditEventView>, AppError> {
    let (from, to) = q.range()?;
    let role = match q.role.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        None => None,
        Some(r) => Some(shared::accounts::Role::parse(r).ok_or_else(|| AppError::field("role", "not_allowed", "Not a role."))?),
    };
    let filtered = || {
        let mut query = audit_events::table.into_boxed();
        if let Some(event) = q.event.as_deref().filter(|e| !e.is_empty()) {
            query = query.filter(audit_events::event.eq(event.to_string()));
        }
        if let Some(uid) = q.user_id {
            query = query.filter(audit_events::subject_user_id.eq(uid).or(audit_events::actor_user_id.eq(uid)));
        }
        if let Some(actor) = q.actor_id {
            query = query.filter(audit_events::actor_user_id.eq(actor));
        }
        if let Some(role) = role {
            // Roles are stored comma-separated; no role's name is part of another's.
            query = query.filter(audit_events::actor_role.like(format!("%{}%", role.as_str())));
        }
        if let Some(kind) = q.object_type.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            query = query.filter(audit_events::object_type.eq(kind.to_string()));
            if let Some(id) = q.object_id {
                query = query.filter(audit_events::object_id.eq(id));
            }
        }
        if let Some(from) = from {
            query = query.filter(audit_events::occurred_at.ge(from));
        }
        if let Some(to) = to {
            query = query.filter(audit_events::occurred_at.lt(to));
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows: Vec<Link> = filtered()
        .select(Link::as_select())
        .order(audit_events::id.desc())
        .limit(per_page)
        .offset((page - 1).saturating_mul(per_page))
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|r| AuditEventView {
            id: r.id,
            seq: r.seq,
            occurred_at: r.occurred_at.and_utc(),
            event: r.event,
            actor_user_id: r.actor_user_id,
            actor_role: r.actor_role,
            subject_user_id: r.subject_user_id,
            object_type: r.object_type,
            object_id: r.object_id,
            email: r.email,
            ip: r.ip,
            user_agent: r.user_agent,
            detail: serde_json::from_str(&r.detail).unwrap_or(serde_json::Value::Null),
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
            .write_bookkeeping(move |conn| {
                // Reading the log is itself on the record.
                let filter = serde_json::to_value(&q).unwrap_or_default();
                record(conn, &meta, Event::new("audit_log_read").actor(admin.user_id).detail(filter))?;
                list(conn, &q, page, per_page)
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
        .write_bookkeeping(move |conn| {
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
