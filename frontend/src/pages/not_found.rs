//! The 404 page (also sets the HTTP status when rendered on the server).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(resp) = use_context::<leptos_actix::ResponseOptions>() {
            resp.set_status(actix_web::http::StatusCode::NOT_FOUND);
        }
    }
    let i18n = use_i18n();
    view! {
        <section class="notice" aria-labelledby="nf-title">
            <h1 id="nf-title">{t!(i18n, not_found_title)}</h1>
            <p>{t!(i18n, not_found_body)}</p>
            <p><A href="/">{t!(i18n, back_home)}</A></p>
        </section>
    }
}

/// Shown when a page fails to render.
#[component]
pub fn ErrorNotice() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="notice" role="alert">
            <h1>{t!(i18n, error_title)}</h1>
            <p>{t!(i18n, error_body)}</p>
            <p><A href="/">{t!(i18n, back_home)}</A></p>
        </section>
    }
}
