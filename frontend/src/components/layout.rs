//! The page frame: skip link, header with the portal name, navigation and language switch,
//! the main landmark, the footer.

use leptos::prelude::*;
use leptos_meta::Title;

use super::language_switch::LanguageSwitch;
use crate::i18n::*;
use crate::components::signed_in::{current_person, person_context};
use crate::pages::info::{Contact, SiteDetails};

#[component]
pub fn Frame(children: Children) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let home = leptos_router::hooks::use_location().pathname.with_untracked(|path| path == "/");
    let parts = SiteDetails::get().frame(locale, home);
    // Only who is signed in differs between requests; the rest was written once (`FrameHtml`).
    let header = format!("{}{}{}", parts.header_before_person, person(locale), parts.header_after_person);
    view! {
        <a class="skip-link" href="#main">{td_string!(locale, skip_to_content)}</a>
        <header class="site-header" inner_html=header></header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer" inner_html=parts.footer.clone()></footer>
    }
}

/// The frame around every page but who is signed in, for one language, on the home page or
/// not (which the navigation marks as current). It depends on nothing else (no island, no data,
/// no request: the operator's details are the server's configuration), so it is written once
/// per server and language (`SiteDetails::frame`) and copied into every page: one synchronous
/// pass (`RenderHtml::to_html`, the usual escaping) into the elements' `inner_html`, not
/// element by element through the streaming renderer every page pays for (see
/// `pages::registry::ParkTenants`).
#[derive(Debug)]
pub struct FrameHtml {
    /// The header's markup up to who is signed in.
    pub header_before_person: String,
    /// The language switch, the end of the header's tools and the navigation.
    pub header_after_person: String,
    pub footer: std::sync::Arc<str>,
}

impl FrameHtml {
    pub fn write(locale: Locale, home: bool) -> FrameHtml {
        // The frame is rendered once, on the server (it is no island): plain strings and links,
        // not reactive closures and router links, which cost a signal read or a memo each.
        let brand = view! {
            <span class="brand__mark" aria-hidden="true">"8K"</span>
            <span class="brand__text">
                <span class="brand__name">{td_string!(locale, portal_name)}</span>
                <span class="brand__tagline">{td_string!(locale, portal_tagline)}</span>
            </span>
        }
        .to_html();
        let current = home.then_some("page");
        let nav = view! {
            <nav class="site-nav" aria-label=td_string!(locale, nav_label)>
                <ul>
                    <li><a href="/" aria-current=current>{td_string!(locale, nav_home)}</a></li>
                    <li><a href="/#bases">{td_string!(locale, nav_bases)}</a></li>
                    <li><a href="/#programs">{td_string!(locale, nav_programs)}</a></li>
                    <li><a href="/api/v1/docs/" rel="external">{td_string!(locale, nav_api)}</a></li>
                </ul>
            </nav>
        }
        .to_html();
        let switch = view! { <LanguageSwitch locale /> }.to_html();
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
        FrameHtml {
            header_before_person: format!(r#"<div class="site-header__inner"><a href="/" class="brand">{brand}</a><div class="site-header__tools">"#),
            header_after_person: format!("{switch}</div></div>{nav}"),
            footer: footer.into(),
        }
    }
}

/// Who is signed in (name, company or role) with the way to their workspace and a sign-out
/// button; sign-in and registration for visitors. Rendered on the server: the same with or
/// without JavaScript. The person was looked up before the page (`current_person`).
fn person(locale: Locale) -> String {
    match current_person() {
        Some(me) => {
            let context = person_context(use_i18n(), &me);
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
            .to_html()
        }
        None => view! {
            <p class="person person--visitor" data-testid="visitor">
                <a href="/login">{td_string!(locale, nav_login)}</a>
                " / "
                <a href="/register">{td_string!(locale, nav_register)}</a>
            </p>
        }
        .to_html(),
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
    SiteDetails::get().icp_filing.clone().map(|icp| view! {
        <p class="icp"><a href="https://beian.miit.gov.cn/" rel="external noopener" target="_blank">{icp}</a></p>
    })
}
