//! The 404 page (also sets the HTTP status when rendered on the server).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::layout::PageTitle;
use crate::i18n::*;

/// `under_title`: the page already shows its own `h1`, so this one's heading is an `h2` (one
/// `h1` per page, for screen readers' heading navigation).
#[component]
pub fn NotFound(#[prop(optional)] under_title: bool) -> impl IntoView {
    set_status(404);
    let i18n = use_i18n();
    view! {
        <section class="notice" aria-labelledby="nf-title">
            <PageTitle text=t_string!(i18n, not_found_title).to_string() />
            {heading("nf-title", under_title, t_string!(i18n, not_found_title))}
            <p>{t!(i18n, not_found_body)}</p>
            <p><A href="/">{t!(i18n, back_home)}</A></p>
        </section>
    }
}

/// A page the person may not see: 403 with a page that says so (`under_title`: as in
/// [`NotFound`]).
#[component]
pub fn Forbidden(#[prop(optional)] under_title: bool) -> impl IntoView {
    set_status(403);
    let i18n = use_i18n();
    view! {
        <section class="notice" role="alert" aria-labelledby="forbidden-title">
            <PageTitle text=t_string!(i18n, err_forbidden).to_string() />
            {heading("forbidden-title", under_title, t_string!(i18n, err_forbidden))}
            <p>{t!(i18n, forbidden_body)}</p>
            <p><A href="/dashboard">{t!(i18n, nav_dashboard)}</A></p>
        </section>
    }
}

/// The page's `h1`, or an `h2` when the page already shows its own `h1`.
fn heading(id: &'static str, under_title: bool, text: &'static str) -> AnyView {
    if under_title {
        view! { <h2 id=id>{text}</h2> }.into_any()
    } else {
        view! { <h1 id=id>{text}</h1> }.into_any()
    }
}

/// The whole page failed with an error code from the server: 404 for what does not exist (or
/// may not be known to exist), 403 for what the person may not see, 500 otherwise.
/// `under_title`: the page's own `h1` is already shown above.
#[component]
pub fn PageFailed(code: String, #[prop(optional)] under_title: bool) -> impl IntoView {
    refusal_page(&code, under_title).unwrap_or_else(|| view! { <ErrorNotice under_title /> }.into_any())
}

/// The 404 page for `not_found`, the 403 page for `forbidden` and `session_required` (each sets
/// its status); `None` for any other code.
pub fn refusal_page(code: &str, under_title: bool) -> Option<AnyView> {
    match code {
        "not_found" => Some(view! { <NotFound under_title /> }.into_any()),
        "forbidden" | "session_required" => Some(view! { <Forbidden under_title /> }.into_any()),
        _ => None,
    }
}

/// A page's main data failed to load, under the page's own `h1`: a person who may not see it,
/// or asks for what does not exist, gets the 403 or 404 page ([`PageFailed`], its heading an
/// `h2`); any other refusal (a filter the server refused, say) is said in place, above what the
/// page still shows. A page that shows no heading of its own before its data uses
/// [`PageFailed`].
#[component]
pub fn LoadFailed(code: String) -> impl IntoView {
    refusal_page(&code, true).unwrap_or_else(|| {
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

/// Shown when a page fails to render (500; `under_title`: as in [`NotFound`]).
#[component]
pub fn ErrorNotice(#[prop(optional)] under_title: bool) -> impl IntoView {
    set_status(500);
    let i18n = use_i18n();
    view! {
        <section class="notice" role="alert" aria-labelledby="error-title">
            <PageTitle text=t_string!(i18n, error_title).to_string() />
            {heading("error-title", under_title, t_string!(i18n, error_title))}
            <p>{t!(i18n, error_body)}</p>
            <p><A href="/">{t!(i18n, back_home)}</A></p>
        </section>
    }
}
