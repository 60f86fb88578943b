//! Cross-cutting middleware: the request id header and panic containment.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, ResponseError};
use futures_util::FutureExt;
use std::panic::AssertUnwindSafe;
use tracing_actix_web::RequestId;

use crate::error::AppError;

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// Echo the request id (the one in every log line of the request) in `X-Request-Id`.
pub async fn request_id_header(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let id = req.extensions().get::<RequestId>().map(|id| id.to_string());
    let mut res = next.call(req).await?.map_into_boxed_body();
    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        res.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    Ok(res)
}

/// A panic in a handler is logged (with the request id, from the span) and answered with the
/// opaque 500 envelope instead of a dropped connection.
///
/// The router needs sole ownership of the request while it matches, so no clone can be kept
/// across the call; after a panic the response is attached to a stand-in request with the same
/// method and path (what the outer logging and metrics middleware read).
pub async fn catch_panics(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let method = req.method().clone();
    let uri = req.uri().clone();
    match AssertUnwindSafe(next.call(req)).catch_unwind().await {
        Ok(res) => res.map(ServiceResponse::map_into_boxed_body),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            let err = AppError::Internal(anyhow::anyhow!("panic: {what}"));
            let stand_in = actix_web::test::TestRequest::default()
                .method(method)
                .uri(&uri.to_string())
                .to_http_request();
            Ok(ServiceResponse::new(stand_in, err.error_response()))
        }
    }
}

/// The policy of pages that did not set their own (Leptos pages set one with a nonce).
pub const PAGE_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";
/// JSON and everything else that is not a page: nothing may load, nothing may frame it.
pub const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
/// The API docs page (Swagger UI) needs inline styles.
pub const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

/// The Content-Security-Policy of a Leptos page whose inline hydration scripts carry `nonce`.
pub fn page_csp_with_nonce(nonce: &str) -> String {
    format!("default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'")
}

/// Security headers on every response: CSP (unless the handler set its own), no MIME
/// sniffing, no framing, no referrer outside the portal (links carry tokens), HSTS over https.
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    use actix_web::http::header;
    let docs = req.path().starts_with("/api/v1/docs");
    // Over https when the portal's configured address says so (not a forwarded header).
    let https = req
        .app_data::<actix_web::web::Data<crate::state::AppState>>()
        .is_some_and(|s| s.settings.public_origin().starts_with("https://"));
    let mut res = next.call(req).await?.map_into_boxed_body();
    let headers = res.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        let is_html = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        let csp = if docs {
            DOCS_CSP
        } else if is_html {
            PAGE_CSP
        } else {
            API_CSP
        };
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp));
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // A handler may allow its own pages to frame it (a material shown inline to a reviewer).
    if !headers.contains_key(header::X_FRAME_OPTIONS) {
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if https {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    Ok(res)
}

/// `/metrics` only for the configured addresses (`PORTAL_METRICS_ALLOW`, default loopback) or
/// a request bearing `PORTAL_METRICS_TOKEN`; anyone else gets 404, as if there were none.
pub async fn metrics_guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if req.path() != "/metrics" {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let allowed = req.app_data::<actix_web::web::Data<crate::state::AppState>>().is_some_and(|state| {
        let by_token = state.settings.metrics_token.as_deref().is_some_and(|token| {
            let presented = req
                .headers()
                .get(actix_web::http::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or_default();
            use sha2::{Digest, Sha256};
            // Compare digests, so the time taken does not reveal how much of the token matched.
            Sha256::digest(presented.as_bytes()) == Sha256::digest(token.as_bytes())
        });
        let by_address = req
            .peer_addr()
            .map(|a| crate::net::resolve_client(a.ip(), &[], &[]))
            .is_some_and(|ip| state.metrics_allow.iter().any(|n| n.contains(&ip)));
        by_token || by_address
    });
    if allowed {
        Ok(next.call(req).await?.map_into_boxed_body())
    } else {
        let (http, _) = req.into_parts();
        Ok(ServiceResponse::new(http, crate::error::AppError::RouteNotFound.error_response()))
    }
}
