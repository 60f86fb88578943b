//! The page frame: skip link, header with the portal name, navigation and language switch,
//! the main landmark, the footer.

use leptos::prelude::*;
use leptos_router::components::A;

use super::language_switch::LanguageSwitch;
use crate::i18n::*;

#[component]
pub fn Frame(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a>
        <header class="site-header">
            <div class="site-header__inner">
                <A href="/" attr:class="brand">
                    <span class="brand__mark" aria-hidden="true">"8K"</span>
                    <span class="brand__text">
                        <span class="brand__name">{t!(i18n, portal_name)}</span>
                        <span class="brand__tagline">{t!(i18n, portal_tagline)}</span>
                    </span>
                </A>
                <LanguageSwitch />
            </div>
            <nav class="site-nav" aria-label=move || t_string!(i18n, nav_label).to_string()>
                <ul>
                    <li><A href="/">{t!(i18n, nav_home)}</A></li>
                    <li><a href="/#bases">{t!(i18n, nav_bases)}</a></li>
                    <li><a href="/#programs">{t!(i18n, nav_programs)}</a></li>
                    <li><a href="/api/v1/docs/" rel="external">{t!(i18n, nav_api)}</a></li>
                    <li><a href="/dashboard">{t!(i18n, nav_dashboard)}</a></li>
                    <li><a href="/login">{t!(i18n, nav_login)}</a></li>
                    <li><a href="/register">{t!(i18n, nav_register)}</a></li>
                </ul>
            </nav>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>{t!(i18n, footer_operator)}</p>
            <p>
                <a href="/api/v1/docs/" rel="external">{t!(i18n, footer_api_docs)}</a>
                " · "
                <a href="/readyz" rel="external">{t!(i18n, footer_health)}</a>
            </p>
        </footer>
    }
}
