//! Who is signed in, and the wrapper of every signed-in page.
//!
//! The person is looked up once per page request, before the page renders (`find_person`, a
//! cached read of `AppState::people`), and kept with the request: the header and the page read
//! it there without waiting (`current_person`), so neither needs a `Suspense` of its own.

use leptos::prelude::*;
use shared::accounts::Me;
use std::sync::Arc;

use crate::components::form::role_text;
use crate::components::layout::PageTitle;
use crate::i18n::*;

/// Who a page request comes from, as `find_person` found them (`None`: a visitor, a session
/// still waiting for its second factor, or a lookup that failed).
#[derive(Clone)]
pub struct PagePerson(pub Option<Arc<Me>>);

/// Whether a request for `path` may be for a page: not the API, server functions, forms or
/// the browser bundle's files.
pub fn may_be_page(path: &str) -> bool {
    !["/api/", "/_sfn/", "/pkg/", "/forms/"].iter().any(|p| path.starts_with(p))
}

/// Middleware (inside `authenticate`): for a page request (GET or HEAD, not the API, server
/// functions, forms or files) from someone signed in, look them up and keep them with the
/// request for the render.
#[cfg(feature = "ssr")]
pub async fn find_person(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    use actix_web::http::Method;
    use actix_web::HttpMessage;
    if matches!(*req.method(), Method::GET | Method::HEAD) && may_be_page(req.path()) {
        use actix_web::FromRequest;
        let backend::accounts::identity::MaybeIdentity(identity) =
            backend::accounts::identity::MaybeIdentity::extract(req.request()).await?;
        let user = identity.map(|i| i.user_id);
        let state = req.app_data::<actix_web::web::Data<backend::AppState>>().cloned();
        let me = match (user, state) {
            (Some(user), Some(state)) => backend::accounts::me::me_of(&state, user).await.ok().map(Arc::new),
            _ => None,
        };
        req.extensions_mut().insert(PagePerson(me));
    }
    next.call(req).await
}

/// The signed-in person this page is rendered for (see `find_person`); always `None` in the
/// browser, where only islands run.
pub fn current_person() -> Option<Arc<Me>> {
    #[cfg(feature = "ssr")]
    {
        use actix_web::HttpMessage;
        let req = use_context::<leptos_actix::Request>()?;
        let found = req.extensions().get::<PagePerson>().and_then(|p| p.0.clone());
        found
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// What the header says about a signed-in person: their company, or their first staff role and
/// where it applies.
pub fn person_context(i18n: leptos_i18n::I18nContext<Locale>, me: &Me) -> String {
    if let Some(company) = me.enterprise().and_then(|g| g.scope_name.clone()) {
        return company;
    }
    match me.roles.first() {
        Some(g) => match &g.scope_name {
            Some(scope) => format!("{} · {scope}", role_text(i18n, g.role)),
            None => role_text(i18n, g.role),
        },
        None => String::new(),
    }
}

/// Signed-in pages: render `child` with the person, or a sign-in prompt.
#[component]
pub fn SignedIn(child: fn(Me) -> AnyView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    match current_person() {
        Some(me) => child(Me::clone(&me)),
        None => {
            // Signed out, the page sends the person to sign in and then back here.
            let location = leptos_router::hooks::use_location();
            let here = {
                let search = location.search.get_untracked();
                let search = search.trim_start_matches('?');
                let path = location.pathname.get_untracked();
                if search.is_empty() { path } else { format!("{path}?{search}") }
            };
            let login = format!("/login?next={}", crate::components::text::url_encode(&here));
            // A page request (any client, not only one that asks for HTML) gets the redirect
            // itself; the prompt below is its body.
            #[cfg(feature = "ssr")]
            {
                leptos_actix::redirect(&login);
                crate::pages::not_found::set_status(302);
            }
            view! {
                <section class="notice"><PageTitle text=td_string!(locale, sign_in_needed).to_string() /><h1>{td_string!(locale, sign_in_needed)}</h1><p><a href=login>{td_string!(locale, nav_login)}</a></p></section>
            }.into_any()
        }
    }
}
