//! Who is making a request. The `authenticate` middleware reads the session cookie (a JWT
//! naming a session row) or an `Authorization: Bearer` API token, loads the person and their
//! roles, enforces the same-origin rule for unsafe cookie requests and renews the cookie; the
//! typed extractors below then let a handler demand a role.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, ResponseError};
use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use shared::accounts::Role;
use std::future::{ready, Ready};

use super::tokens::{Claims, Purpose};
use crate::db::schema::{api_tokens, sessions, user_roles, users};
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;
pub use crate::principal::{Grant, Identity, SecondFactor, SessionCache, Via, SESSION_CACHE_TTL};

/// The session cookie (HttpOnly, SameSite=Lax, Secure over https).
pub const SESSION_COOKIE: &str = "uhd_session";



impl Identity {
    pub fn has(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    pub fn is_admin(&self) -> bool {
        self.has(Role::SystemAdmin)
    }

    pub fn session_id(&self) -> Option<&str> {
        match &self.via {
            Via::Session(id) => Some(id),
            Via::Token { .. } => None,
        }
    }

    /// Companies this person belongs to; `admin_only` keeps those they administer.
    pub fn enterprises(&self, admin_only: bool) -> Vec<i64> {
        self.grants
            .iter()
            .filter(|g| g.role == Role::EnterpriseAdmin || (!admin_only && g.role == Role::EnterpriseMember))
            .filter_map(|g| g.enterprise_id)
            .collect()
    }

    /// Bases this person manages.
    pub fn managed_bases(&self) -> Vec<i64> {
        self.grants.iter().filter(|g| g.role == Role::ParkManager).filter_map(|g| g.base_id).collect()
    }

    /// Agencies this person leads.
    pub fn led_agencies(&self) -> Vec<i64> {
        self.grants.iter().filter(|g| g.role == Role::AgencyLead).filter_map(|g| g.agency_id).collect()
    }


    /// Filing anything (reports, tenancy requests, documents, applications) needs a confirmed
    /// email address: 403 `email_unverified` otherwise.
    pub fn require_email_verified(&self) -> Result<(), AppError> {
        if self.email_verified {
            Ok(())
        } else {
            Err(AppError::Forbidden {
                code: "email_unverified",
                message: "Confirm your email address first (see the link we sent; you can ask for it again).",
            })
        }
    }

    /// Account changes (password, tokens, sessions) need a browser session, not an API token.
    pub fn require_session(&self) -> Result<&str, AppError> {
        self.session_id().ok_or(AppError::Forbidden {
            code: "session_required",
            message: "This needs a signed-in browser session, not an API token.",
        })
    }
}

/// The identity of a complete sign-in; a session still waiting for its second factor counts
/// as not signed in here (it can only give the factor, enrol one, or sign out).
fn from_extensions(req: &HttpRequest) -> Result<Identity, AppError> {
    match req.extensions().get::<Identity>() {
        Some(identity) if identity.second_factor == SecondFactor::Done => Ok(identity.clone()),
        Some(_) => Err(AppError::Unauthenticated {
            code: "second_factor_required",
            message: "Finish signing in with your authenticator app (or enrol one) first.",
        }),
        None => Err(AppError::unauthenticated()),
    }
}

/// Any signed-in browser session, complete or still waiting for its second factor: for giving
/// the factor, enrolling one and signing out.
pub struct PendingIdentity(pub Identity);

impl FromRequest for PendingIdentity {
    type Error = AppError;
    type Future = Ready<Result<PendingIdentity, AppError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(req.extensions().get::<Identity>().cloned().map(PendingIdentity).ok_or_else(AppError::unauthenticated))
    }
}

impl FromRequest for Identity {
    type Error = AppError;
    type Future = Ready<Result<Identity, AppError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(from_extensions(req))
    }
}

/// The person if signed in completely, else `None` (never an error).
pub struct MaybeIdentity(pub Option<Identity>);

impl FromRequest for MaybeIdentity {
    type Error = AppError;
    type Future = Ready<Result<MaybeIdentity, AppError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(MaybeIdentity(from_extensions(req).ok())))
    }
}

macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $check:expr) => {
        $(#[$doc])*
        pub struct $name(pub Identity);

        impl FromRequest for $name {
            type Error = AppError;
            type Future = Ready<Result<$name, AppError>>;
            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                let check: fn(&Identity) -> bool = $check;
                ready(from_extensions(req).and_then(|id| if check(&id) { Ok($name(id)) } else { Err(AppError::forbidden()) }))
            }
        }
    };
}

role_extractor!(
    /// A system admin.
    SystemAdmin, |id| id.is_admin());
role_extractor!(
    /// A system admin or the lead of an agency (who may invite reviewers of that agency).
    StaffInviter, |id| id.is_admin() || id.has(Role::AgencyLead));
role_extractor!(
    /// A member or admin of at least one company (the path says which: a service takes a
    /// [`crate::scope::CompanyScope`] made from it).
    EnterpriseUser, |id| id.is_admin() || !id.enterprises(false).is_empty());
role_extractor!(
    /// The park manager of at least one base, or a system admin (the path says which base: a
    /// service takes a [`crate::scope::BaseScope`] made from it).
    ParkManager, |id| id.is_admin() || id.has(Role::ParkManager));
role_extractor!(
    /// A reviewer or the lead of an agency (the review workflow's queues).
    AgencyStaff, |id| id.has(Role::AgencyReviewer) || id.has(Role::AgencyLead));
role_extractor!(
    /// The lead of an agency (assigning work, drawing experts, the agency's decision).
    AgencyLead, |id| id.has(Role::AgencyLead));
role_extractor!(
    /// An expert of the pool (conflict declarations and scores).
    Expert, |id| id.has(Role::Expert));

impl ParkManager {
    /// The bases this person manages (all of them for a system admin is decided per base by
    /// [`crate::scope::BaseScope::of`]).
    pub fn bases(&self) -> Vec<i64> {
        self.0.managed_bases()
    }
}

impl AgencyStaff {
    /// The agencies this person reviews or leads for.
    pub fn agencies(&self) -> Vec<i64> {
        self.0.grants.iter().filter(|g| matches!(g.role, Role::AgencyReviewer | Role::AgencyLead)).filter_map(|g| g.agency_id).collect()
    }
}

/// Hex SHA-256, how API token secrets are stored.
pub fn token_digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn load_identity(conn: &mut DbConn, user_id: i64, via: Via, second_factor: SecondFactor, second_factor_at: Option<NaiveDateTime>) -> QueryResult<Option<Identity>> {
    type UserRow = (String, String, String, Option<NaiveDateTime>, Option<NaiveDateTime>);
    let user: Option<UserRow> = users::table
        .filter(users::id.eq(user_id))
        .filter(users::disabled_at.is_null())
        .select((users::email, users::display_name, users::locale, users::email_verified_at, users::totp_enabled_at))
        .first(conn)
        .optional()?;
    let Some((email, display_name, locale, verified, totp)) = user else { return Ok(None) };
    let grants = load_grants(conn, user_id)?;
    Ok(Some(Identity {
        user_id,
        email,
        display_name,
        locale,
        email_verified: verified.is_some(),
        grants,
        via,
        second_factor,
        second_factor_at,
        totp_enrolled: totp.is_some(),
    }))
}

type GrantRow = (i64, String, Option<i64>, Option<i64>, Option<i64>);

pub fn load_grants(conn: &mut DbConn, user_id: i64) -> QueryResult<Vec<Grant>> {
    let rows: Vec<GrantRow> = user_roles::table
        .filter(user_roles::user_id.eq(user_id))
        .select((user_roles::id, user_roles::role, user_roles::enterprise_id, user_roles::base_id, user_roles::agency_id))
        .order(user_roles::id)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, role, enterprise_id, base_id, agency_id)| {
            Role::parse(&role).map(|role| Grant { id, role, enterprise_id, base_id, agency_id })
        })
        .collect())
}

/// What the cookie resolved to.
enum CookieOutcome {
    /// The person, when the session ends at the latest, and whether its token is due for
    /// renewal.
    Valid(Identity, NaiveDateTime, bool),
    /// A cookie that no longer names a live session: clear it.
    Stale,
}

fn resolve_session(state: &AppState, conn: &mut DbConn, claims: &Claims) -> QueryResult<CookieOutcome> {
    let (Some(user_id), Some(sid)) = (claims.user_id(), claims.sid.clone()) else { return Ok(CookieOutcome::Stale) };
    let now = crate::db::now();
    let live: Option<(NaiveDateTime, String, Option<NaiveDateTime>)> = sessions::table
        .filter(sessions::id.eq(&sid))
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(now))
        .select((sessions::expires_at, sessions::second_factor, sessions::second_factor_at))
        .first(conn)
        .optional()?;
    let Some((expires_at, stage, passed_at)) = live else {
        return Ok(CookieOutcome::Stale);
    };
    let Some(identity) = load_identity(conn, user_id, Via::Session(sid.clone()), SecondFactor::parse(&stage), passed_at)? else {
        return Ok(CookieOutcome::Stale);
    };
    Ok(CookieOutcome::Valid(identity, expires_at, renewal_due(state, claims)))
}

/// A renewed token for a live session, its last use written through the write path.
async fn renew_session(state: &AppState, user_id: i64, sid: &str) -> Result<String, AppError> {
    let id = sid.to_string();
    state
        .db
        .write_bookkeeping(move |conn| {
            diesel::update(sessions::table.filter(sessions::id.eq(&id))).set(sessions::last_seen_at.eq(crate::db::now())).execute(conn)?;
            Ok(())
        })
        .await?;
    Ok(session_token(state, user_id, sid))
}

/// Renew the access token once a third of its life has passed (sliding idle timeout).
fn renewal_due(state: &AppState, claims: &Claims) -> bool {
    let idle = Duration::minutes(state.settings.session_idle_minutes);
    Utc::now().timestamp() - claims.iat > idle.num_seconds() / 3
}



/// The person a recently checked session belongs to, without asking the database.
fn cached_session(state: &AppState, claims: &Claims) -> Option<Identity> {
    let (user_id, sid) = (claims.user_id()?, claims.sid.clone()?);
    if renewal_due(state, claims) {
        return None;
    }
    let (identity, expires_at) = state.sessions.get(state.sessions.generation(), sid)?;
    (identity.user_id == user_id && expires_at > state.clock.now_naive()).then_some(identity)
}

/// A fresh access token for a session.
pub fn session_token(state: &AppState, user_id: i64, session_id: &str) -> String {
    let mut claims = Claims::new(Purpose::Session, user_id, Duration::minutes(state.settings.session_idle_minutes));
    claims.sid = Some(session_id.to_string());
    state.keys.sign(&claims)
}

/// The person an API token names, and whether its last use is due to be written (at most once
/// a minute, through the write path: [`touch_api_token`]).
fn resolve_api_token(conn: &mut DbConn, secret: &str) -> QueryResult<Option<(Identity, bool)>> {
    let now = crate::db::now();
    let row: Option<(i64, i64, String, Option<NaiveDateTime>)> = api_tokens::table
        .filter(api_tokens::token_hash.eq(token_digest(secret)))
        .filter(api_tokens::revoked_at.is_null())
        .filter(api_tokens::expires_at.gt(now))
        .select((api_tokens::id, api_tokens::user_id, api_tokens::scope, api_tokens::last_used_at))
        .first(conn)
        .optional()?;
    let Some((id, user_id, scope, last_used)) = row else { return Ok(None) };
    // Record use at most once a minute, not on every request.
    let touch = last_used.is_none_or(|t| now - t > Duration::minutes(1));
    Ok(load_identity(conn, user_id, Via::Token { id, write: scope == "write" }, SecondFactor::Done, None)?.map(|i| (i, touch)))
}

async fn touch_api_token(state: &AppState, id: i64) -> Result<(), AppError> {
    state
        .db
        .write_bookkeeping(move |conn| {
            diesel::update(api_tokens::table.filter(api_tokens::id.eq(id))).set(api_tokens::last_used_at.eq(crate::db::now())).execute(conn)?;
            Ok(())
        })
        .await
}

/// The cookie carrying an access token (or clearing it, with `None`).
pub fn session_cookie(state: &AppState, req: &HttpRequest, token: Option<String>) -> Cookie<'static> {
    build_cookie(cookie_secure(state, req), token)
}

/// Secure cookies when the portal is served over https (its configured address says so; a
/// request's forwarding headers do not).
fn cookie_secure(state: &AppState, _req: &HttpRequest) -> bool {
    state.settings.public_origin().starts_with("https://")
}

fn build_cookie(secure: bool, token: Option<String>) -> Cookie<'static> {
    let mut cookie = Cookie::build(SESSION_COOKIE, token.clone().unwrap_or_default())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish();
    if token.is_none() {
        cookie.set_max_age(CookieDuration::ZERO);
    }
    cookie
}

/// The origin the portal is served from: scheme, host and port of its configured address
/// (never the request's `Host` or forwarding headers).
pub fn own_origin(state: &AppState) -> String {
    let url = state.settings.public_origin();
    let after = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after..].find('/') {
        Some(slash) => url[..after + slash].to_string(),
        None => url.to_string(),
    }
}

/// Whether `origin` is the portal's own. In development without a configured address,
/// `localhost`, `127.0.0.1` and `[::1]` on the same port are the same machine and count too.
fn same_origin(loopback_aliases: bool, origin: &str, own: &str) -> bool {
    if origin == own {
        return true;
    }
    if !loopback_aliases {
        return false;
    }
    let loopback_port = |o: &str| {
        let rest = o.strip_prefix("http://")?;
        let (host, port) = rest.rsplit_once(':')?;
        matches!(host, "localhost" | "127.0.0.1" | "[::1]").then(|| port.to_string())
    };
    matches!((loopback_port(origin), loopback_port(own)), (Some(a), Some(b)) if a == b)
}

/// `None` when the request is same-origin or carries no origin information.
fn request_origin(req: &HttpRequest) -> Option<String> {
    if let Some(origin) = req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        return Some(origin.to_string());
    }
    let referer = req.headers().get(header::REFERER).and_then(|v| v.to_str().ok())?;
    let after = referer.find("://")? + 3;
    Some(match referer[after..].find('/') {
        Some(slash) => referer[..after + slash].to_string(),
        None => referer.to_string(),
    })
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE)
}

fn cross_origin() -> AppError {
    AppError::Forbidden {
        code: "cross_origin_request",
        message: "This request must come from the portal's own pages.",
    }
}

/// Resolve the caller, enforce the origin rule and API token scope, renew the cookie.
pub async fn authenticate(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let path = req.path();
    if path.starts_with("/pkg/") || path == "/favicon.svg" || path == "/healthz" || path == "/metrics" {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    // Read what is needed from the request up front: the router needs the request to itself.
    let (bearer, cookie, origin, own, secure, method) = {
        let http = req.request();
        let bearer = http
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(|s| s.trim().to_string());
        let cookie = http.cookie(SESSION_COOKIE).map(|c| c.value().to_string()).filter(|v| !v.is_empty());
        (bearer, cookie, request_origin(http), own_origin(&state), cookie_secure(&state, http), http.method().clone())
    };
    let fail = |req: ServiceRequest, e: AppError| Ok(req.into_response(e.error_response()));
    let unsafe_method = is_unsafe(&method);

    // A request naming another origin is refused whatever it carries.
    if unsafe_method && bearer.is_none() && origin.as_ref().is_some_and(|o| !same_origin(state.settings.loopback_aliases, o, &own)) {
        return fail(req, cross_origin());
    }

    let mut set_cookie = None;
    if let Some(secret) = bearer {
        let found = state.db.run(move |conn| Ok(resolve_api_token(conn, &secret)?)).await;
        match found {
            Ok(Some((identity, touch))) => {
                if let (true, Via::Token { id, .. }) = (touch, &identity.via) {
                    if let Err(e) = touch_api_token(&state, *id).await {
                        return fail(req, e);
                    }
                }
                if unsafe_method && !matches!(identity.via, Via::Token { write: true, .. }) {
                    return fail(req, AppError::Forbidden {
                        code: "insufficient_scope",
                        message: "This API token may only read.",
                    });
                }
                req.extensions_mut().insert(identity);
            }
            Ok(None) => {
                return fail(req, AppError::Unauthenticated {
                    code: "invalid_token",
                    message: "The API token is unknown, expired or revoked.",
                })
            }
            Err(e) => return fail(req, e),
        }
    } else if let Some(cookie) = cookie {
        // Cookies ride along on cross-site requests: unsafe ones must prove their origin.
        if unsafe_method && origin.is_none() {
            return fail(req, cross_origin());
        }
        match state.keys.verify(Purpose::Session, &cookie) {
            Ok(claims) => match cached_session(&state, &claims) {
                Some(identity) => {
                    req.extensions_mut().insert(identity);
                }
                None => {
                    let st = state.clone();
                    let generation = state.sessions.generation();
                    match state.db.run(move |conn| Ok(resolve_session(&st, conn, &claims)?)).await {
                        Ok(CookieOutcome::Valid(identity, expires_at, renew)) => {
                            if let Via::Session(sid) = &identity.via {
                                if renew {
                                    match renew_session(&state, identity.user_id, sid).await {
                                        Ok(token) => set_cookie = Some(build_cookie(secure, Some(token))),
                                        Err(e) => return fail(req, e),
                                    }
                                } else {
                                    state.sessions.insert(generation, sid.clone(), (identity.clone(), expires_at));
                                }
                            }
                            req.extensions_mut().insert(identity);
                        }
                        Ok(CookieOutcome::Stale) => set_cookie = Some(build_cookie(secure, None)),
                        Err(e) => return fail(req, e),
                    }
                }
            },
            Err(_) => set_cookie = Some(build_cookie(secure, None)),
        }
    }

    // Cached answers follow commits: `Db::write` moves the data generation on once a change
    // has committed, so a request that changed nothing (a refused form, a read posted as a
    // server function) leaves the caches alone.
    let res = next.call(req).await;
    let mut res = res?.map_into_boxed_body();
    if let Some(cookie) = set_cookie {
        // A handler that set the cookie itself (sign-in, sign-out) has the last word.
        let handler_set = res.response().cookies().any(|c| c.name() == SESSION_COOKIE);
        if !handler_set {
            res.response_mut().add_cookie(&cookie).map_err(actix_web::error::ErrorInternalServerError)?;
        }
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::same_origin;

    #[test]
    fn loopback_names_are_one_origin_only_in_development() {
        let own = "http://127.0.0.1:3000";
        assert!(same_origin(false, own, own));
        assert!(!same_origin(false, "http://localhost:3000", own));
        assert!(same_origin(true, "http://localhost:3000", own));
        assert!(same_origin(true, "http://[::1]:3000", own));
        assert!(!same_origin(true, "http://localhost:3001", own), "another port is another origin");
        assert!(!same_origin(true, "http://evil.example:3000", own));
        assert!(!same_origin(true, "https://localhost:3000", own));
    }
}
