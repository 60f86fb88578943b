//! Rendered public pages for visitors who are not signed in.
//!
//! The home page, the bases' public pages and the information pages read the same for every
//! visitor in one language, yet rendering one costs far more than serving it. A visitor's
//! page is kept after it is rendered and served again until data changes: an entry holds the
//! data generation it was rendered in (`backend::cache::Generation`, moved on by every
//! committed `Db::write` and after every POST/PUT/PATCH/DELETE), so the first change in this
//! process makes every entry stale; writes by other server processes on the same
//! PostgreSQL are picked up within [`MAX_AGE`].
//!
//! What differs per response still differs: every answer gets a fresh CSP nonce (the cached
//! page's nonce is replaced in the attributes that carry it and in the policy header), and the
//! outer middleware add the request id, security headers and compression as for any page.
//! Anyone signed in (a session cookie or an `Authorization` header) bypasses the cache, as do
//! responses that set a cookie or are not a 200 HTML page.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};
use std::sync::Arc;
use std::time::Duration;

/// How long a page may be served without a look at the database's generation of other
/// processes (see the module documentation).
pub const MAX_AGE: Duration = Duration::from_secs(10);
/// Entries kept at most (each about the size of one page, 10–60 KB).
const CAPACITY: u64 = 512;

/// The cache; one per process, shared by every worker: pages by key, for the data generation
/// they were rendered in and at most [`MAX_AGE`] (`backend::cache::Cached`).
#[derive(Clone)]
pub struct PageCache {
    entries: Arc<backend::cache::Cached<Key, Arc<Entry>>>,
}

/// A page is the same for everyone who asks for the same path and query in the same language.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    path_and_query: String,
    /// The language cookie, then `Accept-Language`: what the renderer picks the language from.
    locale_cookie: Option<String>,
    accept_language: Option<String>,
}

struct Entry {
    /// The nonce the page was rendered with, replaced in every answer.
    nonce: String,
    headers: HeaderMap,
    body: web::Bytes,
}

impl PageCache {
    /// A cache that forgets every page when `generation` (the process's data generation)
    /// moves on.
    pub fn new(generation: Arc<backend::cache::Generation>) -> Self {
        PageCache { entries: Arc::new(backend::cache::Cached::new(generation, CAPACITY, MAX_AGE)) }
    }
}

/// The pages worth keeping: public, the same for every visitor, read far more than changed.
fn cacheable_path(path: &str) -> bool {
    matches!(path, "/" | "/accessibility" | "/privacy") || path.strip_prefix("/bases/").is_some_and(|code| !code.is_empty() && !code.contains('/'))
}

/// A signed-in person's request, which must never be answered from (or stored in) the cache.
/// (Also a visitor bringing back what a refused form had: that page is theirs alone.)
fn signed_in(req: &ServiceRequest) -> bool {
    req.headers().contains_key(header::AUTHORIZATION)
        || req.cookie(backend::accounts::identity::SESSION_COOKIE).is_some()
        || req.cookie(crate::forms::refill::REFILL_COOKIE).is_some()
}

fn key_of(req: &ServiceRequest) -> Key {
    let header_text = |name| req.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(|v| v.chars().take(100).collect());
    Key {
        path_and_query: req.uri().path_and_query().map_or_else(|| req.path().to_string(), |pq| pq.as_str().to_string()),
        locale_cookie: req.cookie(crate::server::LOCALE_COOKIE).map(|c| c.value().chars().take(16).collect()),
        accept_language: header_text(header::ACCEPT_LANGUAGE),
    }
}

/// The nonce in a page's policy header (`'nonce-...'`).
fn nonce_of(headers: &HeaderMap) -> Option<String> {
    let policy = headers.get(header::CONTENT_SECURITY_POLICY)?.to_str().ok()?;
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let len = policy[start..].find('\'')?;
    Some(policy[start..start + len].to_string())
}

/// The stored page with `nonce` in place of the one it was rendered with.
fn answer(entry: &Entry, nonce: &str) -> HttpResponse {
    let mut res = HttpResponse::Ok();
    for (name, value) in &entry.headers {
        if name == header::CONTENT_LENGTH {
            continue;
        } else if name == header::CONTENT_SECURITY_POLICY {
            let policy = value.to_str().unwrap_or_default().replace(&format!("'nonce-{}'", entry.nonce), &format!("'nonce-{nonce}'"));
            if let Ok(v) = HeaderValue::from_str(&policy) {
                res.insert_header((name.clone(), v));
            }
        } else {
            res.append_header((name.clone(), value.clone()));
        }
    }
    // Leptos writes the nonce as the value of `nonce` and of the preload links' `crossorigin`.
    let (old, new) = (format!("=\"{}\"", entry.nonce), format!("=\"{nonce}\""));
    let body = replace_bytes(&entry.body, old.as_bytes(), new.as_bytes());
    res.body(body)
}

/// `haystack` with every `from` replaced by `to`.
fn replace_bytes(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len() + 64);
    let mut rest = haystack;
    while let Some(at) = rest.windows(from.len()).position(|w| w == from) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(to);
        rest = &rest[at + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// The middleware: answer a visitor's public page from the cache, or render it and keep it.
pub async fn serve_public_pages(req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let wanted = req.method() == Method::GET && cacheable_path(req.path()) && !signed_in(&req);
    let (Some(cache), true) = (req.app_data::<web::Data<PageCache>>().cloned(), wanted) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let key = key_of(&req);
    // Taken before rendering: a page rendered while data changed is stored under the old one.
    let generation = cache.entries.generation();
    if let Some(entry) = cache.entries.get(generation, key.clone()) {
        let nonce = leptos::nonce::Nonce::new().to_string();
        return Ok(req.into_response(answer(&entry, &nonce)));
    }
    let res = next.call(req).await?;
    let html = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if res.status() != StatusCode::OK || !html || res.headers().contains_key(header::SET_COOKIE) {
        return Ok(res.map_into_boxed_body());
    }
    let Some(nonce) = nonce_of(res.headers()) else {
        return Ok(res.map_into_boxed_body());
    };
    let (req, res) = res.into_parts();
    let (head, body) = res.into_parts();
    let body = actix_web::body::to_bytes(body).await.map_err(|_| actix_web::error::ErrorInternalServerError("the page could not be read"))?;
    let entry = Entry { nonce, headers: head.headers().clone(), body: body.clone() };
    cache.entries.insert(generation, key, Arc::new(entry));
    let res = head.set_body(BoxBody::new(body));
    Ok(ServiceResponse::new(req, res))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_every_occurrence_and_nothing_else() {
        let page = br#"<script nonce="abc">1</script><p>nonce="abd"</p><script nonce="abc">2</script>"#;
        let out = replace_bytes(page, br#"nonce="abc""#, br#"nonce="XYZ1""#);
        assert_eq!(out, br#"<script nonce="XYZ1">1</script><p>nonce="abd"</p><script nonce="XYZ1">2</script>"#.to_vec());
    }

    #[test]
    fn only_public_pages_are_kept() {
        for path in ["/", "/bases/jinqiao", "/privacy", "/accessibility"] {
            assert!(cacheable_path(path), "{path}");
        }
        for path in ["/login", "/dashboard", "/bases/", "/bases/a/b", "/status", "/api/v1/bases", "/register"] {
            assert!(!cacheable_path(path), "{path}");
        }
    }
}
