//! The document shell, the page frame (header, navigation, footer) and the routes.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::components::layout::Frame;
use crate::i18n::*;
use crate::pages::account::{AccountPage, DashboardPage, InvitationPage, LoginPage, RegisterDonePage, RegisterPage, ResetConfirmPage, ResetRequestPage, VerifyEmailPage};
use crate::pages::admin::{AdminAuditPage, AdminInvitationsPage, AdminUserPage, AdminUsersPage};
use crate::pages::bases::{AdminBasesPage, PublicBasePage};
use crate::pages::calendar::AdminCalendarPage;
use crate::pages::jobs::AdminJobsPage;
use crate::pages::notices::{NoticePage, NoticesPage, PublishNoticesPage};
use crate::pages::targets::TargetsPage;
use crate::pages::program_admin::{AdminProgramPage, AdminProgramsPage};
use crate::pages::applications::{ApplicationAmountPage, ApplicationDeclarationsPage, ApplicationMaterialsPage, ApplicationPage, ApplicationProjectPage, ApplicationsPage};
use crate::pages::programs::{ProgramGuidePage, VerifyPage};
use crate::pages::review::{ExpertAssignmentPage, ExpertPage, NotificationsPage, ReviewDashboardPage, ReviewQueuePage, SupplementPage};
use crate::pages::registry::{
    CompanyProfilePage, CompanyReportsPage, CompanyTenanciesPage, ParkCompanyPage, ParkDashboardPage, ParkReportsPage, ParkTenantsPage,
};
use crate::pages::claims::{AdminClaimsPage, ClaimPage};
use crate::pages::second_factor::{EnrolPage, RecoveryCodesPage, SecondFactorPage};
use crate::pages::info::{AccessibilityPage, PrivacyPage, StatusPage};
use crate::pages::{home::HomePage, not_found::NotFound};

/// The HTML document around the app (server only renders this).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_page_csp();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy allows exactly the inline scripts Leptos marked with this
/// response's nonce (hydration and resource data), plus our own files and wasm.
#[cfg(feature = "ssr")]
fn set_page_csp() {
    use actix_web::http::header::{HeaderValue, CONTENT_SECURITY_POLICY};
    let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_actix::ResponseOptions>()) else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&backend::ops::middleware::page_csp_with_nonce(&nonce.to_string())) {
        res.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

/// Pages render with `SsrMode::Async`: the server waits for their data and sends complete HTML,
/// so every page reads without JavaScript.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/uhd-portal.css" />
        <I18nContextProvider>
            <DocumentTitle />
            <Router>
                <Frame>
                    <Routes fallback=|| view! { <NotFound /> }>
                        <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                        <Route path=path!("/accessibility") view=AccessibilityPage ssr=SsrMode::Async />
                        <Route path=path!("/privacy") view=PrivacyPage ssr=SsrMode::Async />
                        <Route path=path!("/status") view=StatusPage ssr=SsrMode::Async />
                        <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async />
                        <Route path=path!("/register/done") view=RegisterDonePage ssr=SsrMode::Async />
                        <Route path=path!("/claim") view=ClaimPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/claims") view=AdminClaimsPage ssr=SsrMode::Async />
                        <Route path=path!("/verify-email") view=VerifyEmailPage ssr=SsrMode::Async />
                        <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                        <Route path=path!("/login/second-factor") view=SecondFactorPage ssr=SsrMode::Async />
                        <Route path=path!("/account/second-factor") view=EnrolPage ssr=SsrMode::Async />
                        <Route path=path!("/account/recovery-codes") view=RecoveryCodesPage ssr=SsrMode::Async />
                        <Route path=path!("/password-reset") view=ResetRequestPage ssr=SsrMode::Async />
                        <Route path=path!("/password-reset/confirm") view=ResetConfirmPage ssr=SsrMode::Async />
                        <Route path=path!("/invitation") view=InvitationPage ssr=SsrMode::Async />
                        <Route path=path!("/dashboard") view=DashboardPage ssr=SsrMode::Async />
                        <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/users") view=AdminUsersPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/users/:id") view=AdminUserPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/invitations") view=AdminInvitationsPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/audit") view=AdminAuditPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/bases") view=AdminBasesPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/calendar") view=AdminCalendarPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/jobs") view=AdminJobsPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/programs") view=AdminProgramsPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/programs/:code") view=AdminProgramPage ssr=SsrMode::Async />
                        <Route path=path!("/bases/:code") view=PublicBasePage ssr=SsrMode::Async />
                        <Route path=path!("/programs/:code") view=ProgramGuidePage ssr=SsrMode::Async />
                        <Route path=path!("/verify/:code") view=VerifyPage ssr=SsrMode::Async />
                        <Route path=path!("/applications") view=ApplicationsPage ssr=SsrMode::Async />
                        <Route path=path!("/applications/:id") view=ApplicationPage ssr=SsrMode::Async />
                        <Route path=path!("/applications/:id/project") view=ApplicationProjectPage ssr=SsrMode::Async />
                        <Route path=path!("/applications/:id/amount") view=ApplicationAmountPage ssr=SsrMode::Async />
                        <Route path=path!("/applications/:id/materials") view=ApplicationMaterialsPage ssr=SsrMode::Async />
                        <Route path=path!("/applications/:id/declarations") view=ApplicationDeclarationsPage ssr=SsrMode::Async />
                        <Route path=path!("/applications/:id/supplement") view=SupplementPage ssr=SsrMode::Async />
                        <Route path=path!("/review") view=ReviewQueuePage ssr=SsrMode::Async />
                        <Route path=path!("/review/dashboard") view=ReviewDashboardPage ssr=SsrMode::Async />
                        <Route path=path!("/review/notices") view=PublishNoticesPage ssr=SsrMode::Async />
                        <Route path=path!("/notices") view=NoticesPage ssr=SsrMode::Async />
                        <Route path=path!("/targets") view=TargetsPage ssr=SsrMode::Async />
                        <Route path=path!("/notices/:id") view=NoticePage ssr=SsrMode::Async />
                        <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::Async />
                        <Route path=path!("/expert") view=ExpertPage ssr=SsrMode::Async />
                        <Route path=path!("/expert/assignments/:id") view=ExpertAssignmentPage ssr=SsrMode::Async />
                        <Route path=path!("/company/:id/profile") view=CompanyProfilePage ssr=SsrMode::Async />
                        <Route path=path!("/company/:id/tenancies") view=CompanyTenanciesPage ssr=SsrMode::Async />
                        <Route path=path!("/company/:id/reports") view=CompanyReportsPage ssr=SsrMode::Async />
                        <Route path=path!("/park/tenants") view=ParkTenantsPage ssr=SsrMode::Async />
                        <Route path=path!("/park/reports") view=ParkReportsPage ssr=SsrMode::Async />
                        <Route path=path!("/park/dashboard") view=ParkDashboardPage ssr=SsrMode::Async />
                        <Route path=path!("/park/companies/:id") view=ParkCompanyPage ssr=SsrMode::Async />
                    </Routes>
                </Frame>
            </Router>
            <HydrationMark />
        </I18nContextProvider>
    }
}

/// The title is a plain string: leptos_meta reads it after the page's reactive owner may
/// already be disposed (a reactive closure there panics under load).
#[component]
fn DocumentTitle() -> impl IntoView {
    let text = td_string!(use_i18n().get_locale_untracked(), portal_name).to_string();
    view! { <Title text /> }
}

/// The last island on every page. The browser hydrates islands one after another in document
/// order, so when this one runs every island before it is live: it marks `<html
/// data-hydrated="true">`, which the browser tests wait for.
#[island]
fn HydrationMark() -> impl IntoView {
    Effect::new(|_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}
