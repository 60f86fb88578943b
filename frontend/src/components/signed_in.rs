//! Who is signed in, and the wrapper of every signed-in page.
//!
//! The person is looked up where the page needs them (the header, the page itself) with
//! `get_me`, not held in a resource: pages are rendered once, on the server, and the lookup is a
//! cached read (`AppState::people`), cheaper than a resource's reactive machinery.

use leptos::prelude::*;
use shared::accounts::Me;

use crate::components::form::role_text;
use crate::components::layout::PageTitle;
use crate::i18n::*;
use crate::server_fns::get_me;

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
    // Signed out, the page sends the person to sign in and then back here.
    let location = leptos_router::hooks::use_location();
    let here = {
        let search = location.search.get_untracked();
        let search = search.trim_start_matches('?');
        let path = location.pathname.get_untracked();
        if search.is_empty() { path } else { format!("{path}?{search}") }
    };
    let login = format!("/login?next={}", crate::components::text::url_encode(&here));
    view! {
        <Suspense fallback=move || view! { <p>{td!(locale, loading)}</p> }>
            // One Suspend, not a closure that makes one: the page is rendered once, on the
            // server, and a closure would be run again for every pass over the view (building
            // the page, and starting its data loads, two or three times).
            {Suspend::new(async move {
                match get_me().await {
                    Ok(Some(me)) => child(me),
                    _ => {
                        // A page request (any client, not only one that asks for HTML) gets
                        // the redirect itself; the prompt below is its body.
                        #[cfg(feature = "ssr")]
                        {
                            leptos_actix::redirect(&login);
                            crate::pages::not_found::set_status(302);
                        }
                        view! {
                            <section class="notice"><PageTitle text=td_string!(locale, sign_in_needed).to_string() /><h1>{td!(locale, sign_in_needed)}</h1><p><a href=login>{td!(locale, nav_login)}</a></p></section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
