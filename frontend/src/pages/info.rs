//! The portal's information pages: the accessibility statement, the privacy notice and the
//! service status (a page for people; `/readyz` is the probe for machines).

use leptos::prelude::*;

use std::sync::{Arc, OnceLock};

use crate::components::layout::{FrameHtml, PageTitle};
use crate::i18n::*;
use crate::server_fns::service_status;

/// What the footer and the information pages say about the operator, from the configuration
/// (`PORTAL_ICP_FILING`, `PORTAL_CONTACT_EMAIL`, `PORTAL_CONTACT_PHONE`). The server provides it
/// to every page render (`server::build`) and never changes while the server runs, so it also
/// keeps the frame written from it (`FrameHtml`), per language and place.
#[derive(Debug, Default)]
pub struct SiteDetails {
    pub icp_filing: Option<String>,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    /// The frame for each language, on the home page and elsewhere, once written.
    frames: [[OnceLock<Arc<FrameHtml>>; 2]; 2],
}

impl SiteDetails {
    pub fn new(icp_filing: Option<String>, contact_email: String, contact_phone: Option<String>) -> SiteDetails {
        SiteDetails { icp_filing, contact_email, contact_phone, frames: Default::default() }
    }

    /// This render's details (the defaults where the server gave none).
    pub fn get() -> Arc<SiteDetails> {
        use_context::<Arc<SiteDetails>>().unwrap_or_default()
    }

    /// The frame for `locale`, on the home page or not: written by the first page that needs it.
    pub fn frame(&self, locale: Locale, home: bool) -> Arc<FrameHtml> {
        let language = match locale {
            Locale::zh_CN => 0,
            Locale::en => 1,
        };
        self.frames[language][usize::from(home)].get_or_init(|| Arc::new(FrameHtml::write(locale, home))).clone()
    }
}

/// The operator's contact.
#[component]
pub fn Contact() -> impl IntoView {
    let i18n = use_i18n();
    let info = SiteDetails::get();
    let mail = format!("mailto:{}", info.contact_email);
    view! {
        <span class="contact">
            {t_string!(i18n, footer_contact)} " "
            <a href=mail>{info.contact_email.clone()}</a>
            {info.contact_phone.clone().map(|p| view! { " · " <a href=format!("tel:{}", p.replace(' ', ""))>{p.clone()}</a> })}
        </span>
    }
}

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="prose" aria-labelledby="a11y-title">
            <PageTitle text=t_string!(i18n, a11y_title).to_string() />
            <h1 id="a11y-title">{t!(i18n, a11y_title)}</h1>
            <p>{t!(i18n, a11y_intro)}</p>
            <h2>{t!(i18n, a11y_what_heading)}</h2>
            <ul>
                <li>{t!(i18n, a11y_what_keyboard)}</li>
                <li>{t!(i18n, a11y_what_screen_reader)}</li>
                <li>{t!(i18n, a11y_what_phone)}</li>
                <li>{t!(i18n, a11y_what_no_js)}</li>
                <li>{t!(i18n, a11y_what_language)}</li>
            </ul>
            <h2>{t!(i18n, a11y_how_heading)}</h2>
            <p>{t!(i18n, a11y_how_body)}</p>
            <h2>{t!(i18n, a11y_feedback_heading)}</h2>
            <p>{t!(i18n, a11y_feedback_body)} " " <Contact /></p>
        </section>
    }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="prose" aria-labelledby="privacy-title">
            <PageTitle text=t_string!(i18n, privacy_title).to_string() />
            <h1 id="privacy-title">{t!(i18n, privacy_title)}</h1>
            <p>{t!(i18n, privacy_intro)}</p>
            <h2>{t!(i18n, privacy_what_heading)}</h2>
            <ul>
                <li>{t!(i18n, privacy_what_account)}</li>
                <li>{t!(i18n, privacy_what_company)}</li>
                <li>{t!(i18n, privacy_what_documents)}</li>
                <li>{t!(i18n, privacy_what_log)}</li>
            </ul>
            <h2>{t!(i18n, privacy_use_heading)}</h2>
            <p>{t!(i18n, privacy_use_body)}</p>
            <h2>{t!(i18n, privacy_who_heading)}</h2>
            <p>{t!(i18n, privacy_who_body)}</p>
            <h2>{t!(i18n, privacy_cookies_heading)}</h2>
            <p>{t!(i18n, privacy_cookies_body)}</p>
            <h2>{t!(i18n, privacy_rights_heading)}</h2>
            <p>{t!(i18n, privacy_rights_body)} " " <Contact /></p>
        </section>
    }
}

#[component]
pub fn StatusPage() -> impl IntoView {
    let i18n = use_i18n();
    let status = Resource::new(|| (), |_| service_status());
    view! {
        <section class="prose" aria-labelledby="status-title">
            <PageTitle text=t_string!(i18n, status_title).to_string() />
            <h1 id="status-title">{t!(i18n, status_title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(s) if s.ready => view! {
                            <p class="form-ok" role="status" data-testid="service-status">{t!(i18n, status_ok)}</p>
                            <p>{t!(i18n, status_checked_at)} " " {(s.checked_at + chrono::Duration::hours(8)).format("%Y-%m-%d %H:%M:%S").to_string()} " (UTC+8)"</p>
                        }.into_any(),
                        _ => {
                            crate::pages::not_found::set_status(503);
                            view! { <p class="form-error" role="alert" data-testid="service-status">{t!(i18n, status_down)}</p> }.into_any()
                        }
                    }
                })}
            </Suspense>
            <p>{t!(i18n, status_help)} " " <Contact /></p>
        </section>
    }
}
