//! The pages' form posts, one file per area (`accounts.rs`, `admin.rs`, `applications.rs`,
//! `programs.rs`, `review.rs`, `notices.rs`, `registry.rs`, `calendar.rs`, `jobs.rs`), with the helpers they share here. Each form is a plain HTML form
//! (works without JavaScript, with a keyboard and a screen reader); its handler checks who is
//! asking, calls the same backend service as the REST API, then redirects (303): to the next
//! page on success, or back to the form with the error codes in the query and what was typed
//! (never passwords) in the refill cookie (`refill.rs`), which the page translates and refills.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use backend::accounts::audit::RequestMeta;
use backend::accounts::identity::{session_cookie, MaybeIdentity, PendingIdentity, SecondFactor};
use backend::accounts::{invitations, login, me, members, password_reset, register};
use backend::scope::{BaseScope, CompanyScope};
use backend::{AppError, AppState};
use serde::Deserialize;
use shared::accounts::RegisterRequest;
use std::collections::HashMap;

use crate::server::LOCALE_COOKIE;

pub mod accounts;
pub mod admin;
pub mod applications;
pub mod calendar;
pub mod jobs;
pub mod notices;
pub mod programs;
pub mod refill;
pub mod registry;
pub mod review;

pub use accounts::{recovery_cookie, NEW_TOKEN_COOKIE, RECOVERY_COOKIE};

pub(crate) fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location.to_string())).finish()
}

use crate::components::text::url_encode as enc;

/// `field.code,field.code` for field errors, `_.code` for the form as a whole.
pub(crate) fn error_param(e: &AppError) -> String {
    match e {
        AppError::Validation(fields) => fields
            .iter()
            .flat_map(|(f, problems)| problems.first().map(|p| format!("{f}.{}", p.code)))
            .collect::<Vec<_>>()
            .join(","),
        other => format!("_.{}", other.code()),
    }
}

/// Back to the form (`path` may carry a query of its own) with the errors in the URL and the
/// values to refill in the refill cookie ([`refill`]), never in the URL.
pub(crate) fn back(path: &str, e: &AppError, keep: &[(&str, &str)]) -> HttpResponse {
    // The page shows a general message for what is not the person's input; the cause is logged.
    e.log();
    let (page, fragment) = path.split_once('#').map_or((path, ""), |(p, f)| (p, f));
    let sep = if page.contains('?') { '&' } else { '?' };
    let mut location = format!("{page}{sep}err={}", enc(&error_param(e)));
    if !fragment.is_empty() {
        location.push('#');
        location.push_str(fragment);
    }
    let page_path = page.split('?').next().unwrap_or(page);
    refill::with_values(see_other(&location), page_path, keep, secure_cookies())
}

/// Whether cookies the forms set are `Secure` (the portal is served over HTTPS).
fn secure_cookies() -> bool {
    SECURE.get().copied().unwrap_or(false)
}

/// Set once at start from the public URL's scheme (`server::build`).
pub(crate) static SECURE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// The language the person reads the portal in: the language cookie, else `Accept-Language`.
fn locale_of(req: &HttpRequest) -> Option<String> {
    req.cookie(LOCALE_COOKIE).map(|c| c.value().to_string()).or_else(|| {
        req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(|s| s.to_string())
    })
}

/// Mount every form handler, area by area.
pub fn configure(cfg: &mut web::ServiceConfig) {
    accounts::configure_second_factor(cfg);
    accounts::configure_claims(cfg);
    accounts::configure_tokens(cfg);
    registry::configure_tenancy_invitations(cfg);
    registry::configure_verification(cfg);
    registry::configure_registry(cfg);
    registry::configure_reports(cfg);
    registry::configure_import(cfg);
    registry::configure_documents(cfg);
    admin::configure_admin(cfg);
    jobs::configure(cfg);
    applications::configure(cfg);
    review::configure(cfg);
    notices::configure(cfg);
    programs::configure(cfg);
    // Last: it mounts the scope `/forms`, which answers 404 for any path under it that it does
    // not know, so routes registered after it would never be reached.
    accounts::configure_accounts(cfg);
}

/// The system admin asking, or where to send someone who is not one.
pub(crate) fn admin_of(identity: MaybeIdentity) -> Result<backend::accounts::Identity, &'static str> {
    match identity.0 {
        Some(id) if id.is_admin() => Ok(id),
        Some(_) => Err("/dashboard?err=_.forbidden"),
        None => Err("/login"),
    }
}

/// A system admin about to do something sensitive: signed in, an admin, and with a recent
/// second-factor check (see [`step_up`]); otherwise where to send them.
pub(crate) fn sensitive_admin(state: &AppState, identity: MaybeIdentity, back_to: &str) -> Result<backend::accounts::Identity, HttpResponse> {
    let admin = admin_of(identity).map_err(see_other)?;
    step_up(state, &admin, back_to)?;
    Ok(admin)
}

/// A sensitive action needs a recent second-factor check: without one, the person confirms
/// with their authenticator app and comes back to `back_to` to do it again.
fn step_up(state: &AppState, identity: &backend::accounts::Identity, back_to: &str) -> Result<(), HttpResponse> {
    backend::accounts::second_factor::require_step_up(state, identity)
        .map_err(|e| match &e {
            AppError::Forbidden { code: "step_up_required", .. } => see_other(&format!("/login/second-factor?next={}", enc(back_to))),
            _ => back(back_to, &e, &[]),
        })
}

/// The first file field of a multipart form, up to `limit` bytes.
pub async fn read_upload(mut form: actix_multipart::Multipart, limit: usize) -> Result<(Option<String>, Vec<u8>), AppError> {
    use futures_util::StreamExt;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| AppError::field("file", "unreadable_file", e.to_string()))?;
        let name = field.content_disposition().and_then(|cd| cd.get_filename().map(str::to_string));
        if name.is_none() {
            // Not a file input: skip its value.
            while field.next().await.is_some() {}
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| AppError::field("file", "unreadable_file", e.to_string()))?;
            if bytes.len() + chunk.len() > limit {
                return Err(AppError::field("file", "too_large", "The file is too large."));
            }
            bytes.extend_from_slice(&chunk);
        }
        if bytes.is_empty() {
            return Err(AppError::field("file", "required", "Choose a file."));
        }
        return Ok((name, bytes));
    }
    Err(AppError::field("file", "required", "Choose a file."))
}

/// The same error with a field renamed (a service's field name that the page calls otherwise).
fn rename_field(e: AppError, from: &str, to: &str) -> AppError {
    rename_fields(e, |name| if name == from { to.to_string() } else { name.to_string() })
}

/// The API's field names of a refusal as the form's (`rename` maps each; fields mapped to the
/// same name keep every problem).
pub(crate) fn rename_fields(e: AppError, rename: impl Fn(&str) -> String) -> AppError {
    match e {
        AppError::Validation(fields) => {
            let mut out = shared::errors::FieldErrors::new();
            for (name, problems) in fields {
                out.entry(rename(&name)).or_default().extend(problems);
            }
            AppError::Validation(out)
        }
        other => other,
    }
}

/// Only a path on this portal: never `//host` or a full URL (no open redirect). Browsers drop
/// tabs and line breaks from a URL and read a backslash as `/`, so `/\t/evil.example` would become
/// `//evil.example`: any whitespace, control character or backslash is refused outright.
fn local_path(next: &str) -> Option<&str> {
    let clean = !next.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\');
    (clean && next.starts_with('/') && !next.starts_with("//")).then_some(next)
}

/// The amount in yuan a form gives in `name`, as fen: `None` when the field is empty, and when
/// it is not an amount (then an `invalid_amount` error on `name`).
pub(crate) fn yuan_field(form: &HashMap<String, String>, name: &str, fields: &mut shared::errors::FieldErrors) -> Option<i64> {
    let text = form.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())?;
    let fen = shared::Fen::parse_yuan(text).map(|f| f.0);
    if fen.is_none() {
        backend::error::push_field_error(fields, name, "invalid_amount", "");
    }
    fen
}

