//! The 404 page (also sets the HTTP status when rendered on the server).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::layout::PageTitle;
use crate::i18n::*;

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    let i18n = use_i18n();
    view! {
        <section class="notice" aria-labelledby="nf-title">
            <PageTitle text=t_string!(i18n, not_found_title).to_string() />
            <h1 id="nf-title">{t!(i18n, not_found_title)}</h1>
            <p>{t!(i18n, not_found_body)}</p>
            <p><A href="/">{t!(i18n, back_home)}</A></p>
        </section>
    }
}

/// A page the person may not see: 403 with a page that says so.
#[component]
pub fn Forbidden() -> impl IntoView {
    set_status(403);
    let i18n = use_i18n();
    view! {
        <section class="notice" role="alert" aria-labelledby="forbidden-title">
            <PageTitle text=t_string!(i18n, err_forbidden).to_string() />
            <h1 id="forbidden-title">{t!(i18n, err_forbidden)}</h1>
            <p>{t!(i18n, forbidden_body)}</p>
            <p><A href="/dashboard">{t!(i18n, nav_dashboard)}</A></p>
        </section>
    }
}

/// The whole page failed with an error code from the server: 404 for what does not exist (or
/// may not be known to exist), 403 for what the person may not see, 500 otherwise.
#[component]
pub fn PageFailed(code: String) -> impl IntoView {
    refusal_page(&code).unwrap_or_else(|| view! { <ErrorNotice /> }.into_any())
}

/// The 404 page for `not_found`, the 403 page for `forbidden` and `session_required` (each sets
/// its status); `None` for any other code.
pub fn refusal_page(code: &str) -> Option<AnyView> {
    match code {
        "not_found" => Some(view! { <NotFound /> }.into_any()),
        "forbidden" | "session_required" => Some(view! { <Forbidden /> }.into_any()),
        _ => None,
    }
}

/// A page's main data failed to load: a person who may not see it, or asks for what does not
/// exist, gets the 403 or 404 page ([`PageFailed`]); any other refusal (a filter the server
/// refused, say) is said in place, above what the page still shows.
#[component]
pub fn LoadFailed(code: String) -> impl IntoView {
    refusal_page(&code).unwrap_or_else(|| {
        let i18n = use_i18n();
        view! { <p role="alert" class="form-error">{crate::components::form::error_text(i18n, &code)}</p> }.into_any()
    })
}

/// Set the HTTP status of the page being rendered on the server.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(resp), Ok(status)) =
        (use_context::<leptos_actix::ResponseOptions>(), actix_web::http::StatusCode::from_u16(code))
    {
        resp.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// Shown when a page fails to render (500).
#[component]
pub fn ErrorNotice() -> impl IntoView {
    set_status(500);
    let i18n = use_i18n();
    view! {
        <section class="notice" role="alert">
            <PageTitle text=t_string!(i18n, error_title).to_string() />
            <h1>{t!(i18n, error_title)}</h1>
            <p>{t!(i18n, error_body)}</p>
            <p><A href="/">{t!(i18n, back_home)}</A></p>
        </section>
    }
}
