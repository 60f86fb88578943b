//! The HTTP server: the backend's REST API and operations endpoints, the Leptos pages and
//! server functions, static files, and the middleware every request passes through.

use actix_files::{Files, NamedFile};
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use backend::ops::{metrics, middleware as ops_mw};
use backend::AppState;
use leptos::prelude::*;
use leptos_actix::{generate_route_list, LeptosRoutes};
use leptos_router::Method;
use serde::Deserialize;
use std::net::TcpListener;

use crate::app::{shell, App as PortalApp};

/// The cookie leptos_i18n reads for the visitor's language.
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

#[derive(Deserialize)]
struct LangForm {
    locale: String,
}

/// A page's `HEAD` is answered as its `GET` would be, without the body (actix-http sends none
/// for a HEAD request): the same status, redirect and headers. leptos_actix answers every page
/// path's `HEAD` with an empty 200 of its own, which told a link checker that a page needing
/// sign-in was there. The innermost middleware, so everything outside it (metrics, the audit
/// of refusals, the page cache) still sees `HEAD`; only the routing sees `GET`.
async fn head_as_get(
    mut req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    if req.method() == actix_web::http::Method::HEAD && crate::components::signed_in::may_be_page(req.path()) {
        req.head_mut().method = actix_web::http::Method::GET;
    }
    next.call(req).await
}

/// The no-JavaScript language switch: remember the choice and go back to the page.
async fn set_language(req: HttpRequest, form: web::Form<LangForm>) -> HttpResponse {
    let locale = if form.locale == "en" { "en" } else { "zh-CN" };
    let back = req
        .headers()
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| {
            // Only ever redirect within the portal (its configured origin, not the Host header).
            let state = req.app_data::<web::Data<AppState>>()?;
            let path = r.strip_prefix(backend::accounts::identity::own_origin(state).as_str())?;
            // A path on this host: "//evil.example" would be a protocol-relative URL.
            let clean = !path.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\');
            let local = clean && path.starts_with('/') && !path.starts_with("//");
            local.then(|| path.to_string())
        })
        .unwrap_or_else(|| "/".to_string());
    let cookie = Cookie::build(LOCALE_COOKIE, locale)
        .path("/")
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::days(365))
        .finish();
    HttpResponse::SeeOther().insert_header((header::LOCATION, back)).cookie(cookie).finish()
}

/// `GET /favicon.svg` from the site root (cargo-leptos copies `frontend/public` there).
async fn favicon(options: web::Data<LeptosOptions>) -> actix_web::Result<NamedFile> {
    Ok(NamedFile::open(format!("{}/favicon.svg", options.site_root))?)
}

/// The page routes, generated once per process. Generating them runs the app with resource
/// loading suppressed through a process-global flag (leptos_server's `SuppressResourceLoad`):
/// a resource first polled meanwhile by a request on another server in the same process (the
/// test suite runs many) would wait forever (leptos-rs/leptos#4773). Once per process, before
/// any server answers, nothing can overlap it.
fn route_list() -> Vec<leptos_actix::ActixRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_actix::ActixRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(PortalApp)).clone()
}

/// Build the server on an already bound listener (port 0 in tests). `extra` mounts additional
/// routes before the pages (the test suite uses it for a route that panics).
pub fn build(
    state: AppState,
    leptos_options: LeptosOptions,
    listener: TcpListener,
    extra: fn(&mut web::ServiceConfig),
) -> anyhow::Result<Server> {
    let routes = route_list();
    let prometheus = metrics::build(&state.db)?;
    // Database work runs on each worker's blocking pool and holds a pooled connection: the
    // pools together get as many threads as there are connections (actix's default, 512,
    // only adds threads that wait for a connection and context switches between them).
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let blocking = match state.settings.blocking_threads {
        0 => state.db.pool().max_size() as usize,
        n => n,
    };
    let blocking_per_worker = blocking.div_ceil(workers).max(2);
    // What pages say about the operator comes from the configuration, given to every render.
    let details = std::sync::Arc::new(crate::pages::info::SiteDetails::new(
        state.settings.icp_filing.clone(),
        state.settings.contact_email.clone(),
        state.settings.contact_phone.clone(),
    ));
    let site = move || provide_context(details.clone());
    // Cookies the forms set are `Secure` when the portal is served over HTTPS.
    let _ = crate::forms::SECURE.set(state.settings.public_origin().starts_with("https://"));
    let state = web::Data::new(state);
    let pages = web::Data::new(crate::page_cache::PageCache::new(state.generation.clone()));
    // Who counts as a client's address behind a proxy (`net::client_ip`).
    let trusted = web::Data::new(backend::net::TrustedProxies(state.trusted_proxies.clone()));
    let server = HttpServer::new(move || {
        let site_root = leptos_options.site_root.to_string();
        let options = leptos_options.clone();
        App::new()
            .app_data(state.clone())
            .app_data(pages.clone())
            .app_data(trusted.clone())
            .app_data(web::Data::new(leptos_options.clone()))
            .wrap(from_fn(head_as_get))
            .wrap(from_fn(ops_mw::catch_panics))
            .wrap(from_fn(crate::components::signed_in::find_person))
            .wrap(from_fn(crate::forms::refill::refill))
            .wrap(from_fn(crate::page_cache::serve_public_pages))
            .wrap(from_fn(backend::accounts::identity::authenticate))
            .wrap(from_fn(backend::accounts::audit::audit_refusals))
            .wrap(from_fn(ops_mw::security_headers))
            .wrap(Compress::default())
            .wrap(prometheus.clone())
            .wrap(from_fn(ops_mw::metrics_guard))
            .wrap(from_fn(ops_mw::request_id_header))
            .wrap(tracing_actix_web::TracingLogger::default())
            .configure(extra)
            .configure(backend::api::configure)
            .service(web::scope("/api").default_service(web::to(backend::api::api_not_found)))
            .route("/lang", web::post().to(set_language))
            .service(Files::new("/pkg", format!("{site_root}/pkg")))
            .route("/favicon.svg", web::get().to(favicon))
            .leptos_routes_with_context(routes.clone(), site.clone(), {
                let options = options.clone();
                move || shell(options.clone())
            })
            // After the pages (none is under `/forms`): a page request is routed past the
            // pages' paths only, not first tried against every form's pattern.
            .configure(crate::forms::configure)
            .default_service(leptos_actix::render_app_async_with_context(
                site.clone(),
                move || shell(options.clone()),
                Method::Get,
            ))
    })
    .workers(workers)
    .worker_max_blocking_threads(blocking_per_worker)
    .listen(listener)?
    .run();
    Ok(server)
}
