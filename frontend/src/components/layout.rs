//! The page frame: skip link, header with the portal name, navigation and language switch,
//! the main landmark, the footer.

use leptos::prelude::*;
use leptos_meta::Title;

use super::language_switch::LanguageSwitch;
use crate::i18n::*;
use crate::components::signed_in::person_context;
use crate::pages::info::{Contact, SiteDetails};

#[component]
pub fn Frame(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    // The frame is rendered once, on the server (it is no island): plain strings and links,
    // not reactive closures and router links, which cost a signal read or a memo each.
    let home = (leptos_router::hooks::use_location().pathname.get_untracked() == "/").then_some("page");
    // The parts with nothing to wait for (and no island) are written in one synchronous pass
    // into their element (`RenderHtml::to_html`, escaping as always), not element by element
    // through the streaming renderer the page's data need (see `pages::registry::ParkTenants`).
    // The markup is the same but for the order of some attributes.
    let brand = view! {
        <span class="brand__mark" aria-hidden="true">"8K"</span>
        <span class="brand__text">
            <span class="brand__name">{td_string!(locale, portal_name)}</span>
            <span class="brand__tagline">{td_string!(locale, portal_tagline)}</span>
        </span>
    }
    .to_html();
    let nav = view! {
        <ul>
            <li><a href="/" aria-current=home>{td_string!(locale, nav_home)}</a></li>
            <li><a href="/#bases">{td_string!(locale, nav_bases)}</a></li>
            <li><a href="/#programs">{td_string!(locale, nav_programs)}</a></li>
            <li><a href="/api/v1/docs/" rel="external">{td_string!(locale, nav_api)}</a></li>
        </ul>
    }
    .to_html();
    let footer = view! {
        <p>{td_string!(locale, footer_operator)}</p>
        <p>{td_string!(locale, footer_agencies)}</p>
        <p><Contact /></p>
        <nav aria-label=td_string!(locale, footer_nav_label)>
            <ul class="footer-links">
                <li><a href="/notices">{td_string!(locale, nav_notices)}</a></li>
                <li><a href="/targets">{td_string!(locale, nav_targets)}</a></li>
                <li><a href="/accessibility">{td_string!(locale, footer_accessibility)}</a></li>
                <li><a href="/privacy">{td_string!(locale, footer_privacy)}</a></li>
                <li><a href="/status">{td_string!(locale, footer_health)}</a></li>
                <li><a href="/api/v1/docs/" rel="external">{td_string!(locale, footer_api_docs)}</a></li>
            </ul>
        </nav>
        <Icp />
    }
    .to_html();
    view! {
        <a class="skip-link" href="#main">{td_string!(locale, skip_to_content)}</a>
        <header class="site-header">
            <div class="site-header__inner">
                <a href="/" class="brand" inner_html=brand></a>
                <div class="site-header__tools">
                    <Person />
                    <LanguageSwitch />
                </div>
            </div>
            <nav class="site-nav" aria-label=td_string!(locale, nav_label) inner_html=nav></nav>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer" inner_html=footer></footer>
    }
}

/// Who is signed in (name, company or role) with the way to their workspace and a sign-out
/// button; sign-in and registration for visitors. Rendered on the server: the same with or
/// without JavaScript.
#[component]
fn Person() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <Suspense fallback=|| ()>
            // One Suspend, not a closure that makes one (see `SignedIn`).
            {Suspend::new(async move {
                match crate::server_fns::get_me().await {
                    Ok(Some(me)) => {
                        let context = person_context(i18n, &me);
                        view! {
                            <div class="person" data-testid="signed-in">
                                <p class="person__who">
                                    <span class="visually-hidden">{td_string!(locale, signed_in_as)}</span>
                                    <a href="/dashboard" class="person__name">{me.display_name.clone()}</a>
                                    {(!context.is_empty()).then(|| view! { <span class="person__context">{context}</span> })}
                                </p>
                                <a href="/notifications" class="person__inbox" data-testid="inbox">
                                    {td_string!(locale, nav_notifications)}
                                    {(me.unread_notifications > 0).then(|| view! { " " <span class="badge badge--count" data-testid="unread-count">{me.unread_notifications}</span><span class="visually-hidden">{td_string!(locale, notif_unread_suffix)}</span> })}
                                </a>
                                <form method="post" action="/forms/logout" class="person__out">
                                    <button type="submit" class="button button--small button--secondary">{td_string!(locale, nav_logout)}</button>
                                </form>
                            </div>
                        }
                        .into_any()
                    }
                    _ => view! {
                        <p class="person person--visitor" data-testid="visitor">
                            <a href="/login">{td_string!(locale, nav_login)}</a>
                            " / "
                            <a href="/register">{td_string!(locale, nav_register)}</a>
                        </p>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// The document title for a page: the page's own name, then the portal's, so tabs, history and
/// screen readers tell pages apart. A plain string (see `app::DocumentTitle`).
#[component]
pub fn PageTitle(text: String) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let full = format!("{text} - {}", td_string!(locale, portal_name));
    view! { <Title text=full /> }
}

/// The ICP filing number, linked to the MIIT register, when one is configured.
#[component]
fn Icp() -> impl IntoView {
    SiteDetails::get().icp_filing.map(|icp| view! {
        <p class="icp"><a href="https://beian.miit.gov.cn/" rel="external noopener" target="_blank">{icp}</a></p>
    })
}
