//! The second factor in the browser: giving the code after the password (or to confirm a
//! sensitive action), enrolling an authenticator app (a QR code and the key as text, confirmed
//! with a first code) and the recovery codes, shown once. Plain forms: they work without
//! JavaScript, with a keyboard and a screen reader.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::layout::PageTitle;
use crate::i18n::*;
use crate::components::form::{error_text, sfn_code, FormErrors, TextField};
use crate::server_fns::{second_factor_stage, take_recovery_codes, totp_enrolment};

/// `/login/second-factor`: the code from the authenticator app, or a recovery code.
#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let next = Memo::new(move |_| q.read().get("next").unwrap_or_default());
    let stage = Resource::new(|| (), |_| second_factor_stage());
    view! {
        <section class="form-page" aria-labelledby="tf-title">
            <PageTitle text=t_string!(i18n, second_factor_title).to_string() />
            <h1 id="tf-title">{t!(i18n, second_factor_title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match stage.await.ok().flatten().as_deref() {
                        None => view! { <p><a href="/login">{t!(i18n, login_title)}</a></p> }.into_any(),
                        Some("enrol") => view! { <p><a href="/account/second-factor">{t!(i18n, second_factor_enrol_first)}</a></p> }.into_any(),
                        Some(stage) => {
                            let step_up = stage == "done";
                            view! {
                                <p>{if step_up { t_string!(i18n, second_factor_step_up_intro) } else { t_string!(i18n, second_factor_intro) }}</p>
                                <FormErrors />
                                <form method="post" action="/forms/second-factor" class="form">
                                    <input type="hidden" name="next" value=move || next.get() />
                                    <TextField name="code" label=t_string!(i18n, field_totp_code).to_string() kind="text" autocomplete="one-time-code" hint=t_string!(i18n, hint_totp_code).to_string() refill=false required=false />
                                    <details>
                                        <summary>{t!(i18n, second_factor_use_recovery)}</summary>
                                        <TextField name="recovery_code" label=t_string!(i18n, field_recovery_code).to_string() kind="text" autocomplete="off" refill=false required=false />
                                    </details>
                                    <button type="submit" class="button">{t!(i18n, second_factor_submit)}</button>
                                </form>
                                <form method="post" action="/forms/logout"><button type="submit" class="button button--secondary">{t!(i18n, nav_logout)}</button></form>
                            }
                            .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/account/second-factor`: enrol an authenticator app.
#[component]
pub fn EnrolPage() -> impl IntoView {
    let i18n = use_i18n();
    let enrolment = Resource::new(|| (), |_| totp_enrolment());
    view! {
        <section class="form-page" aria-labelledby="enrol-title">
            <PageTitle text=t_string!(i18n, enrol_title).to_string() />
            <h1 id="enrol-title">{t!(i18n, enrol_title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match enrolment.await {
                        Ok((secret, _uri, svg)) => {
                            // The key in groups of four, as authenticator apps show it.
                            let grouped = secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).to_string()).collect::<Vec<_>>().join(" ");
                            view! {
                                <p>{t!(i18n, enrol_intro)}</p>
                                <ol class="steps">
                                    <li>{t!(i18n, enrol_step_scan)}</li>
                                    <li>{t!(i18n, enrol_step_key)}</li>
                                    <li>{t!(i18n, enrol_step_code)}</li>
                                </ol>
                                <div class="qr" role="img" aria-label=t_string!(i18n, enrol_qr_label).to_string() inner_html=svg></div>
                                <p>{t!(i18n, enrol_key_label)} " " <code data-testid="totp-secret" class="secret">{grouped}</code></p>
                                <FormErrors />
                                <form method="post" action="/forms/totp/confirm" class="form">
                                    <TextField name="code" label=t_string!(i18n, field_totp_code).to_string() kind="text" autocomplete="one-time-code" hint=t_string!(i18n, hint_totp_code).to_string() refill=false />
                                    <button type="submit" class="button">{t!(i18n, enrol_submit)}</button>
                                </form>
                            }
                            .into_any()
                        }
                        Err(e) => {
                            let code = sfn_code(&e);
                            if code == "unauthenticated" {
                                view! { <p><a href="/login">{t!(i18n, login_title)}</a></p> }.into_any()
                            } else if code == "step_up_required" {
                                view! { <p role="alert"><a href="/login/second-factor?next=/account/second-factor">{t!(i18n, second_factor_step_up_intro)}</a></p> }.into_any()
                            } else {
                                view! { <p role="alert">{error_text(i18n, &code)}</p> }.into_any()
                            }
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/account/recovery-codes`: the ten codes just made, shown this once.
#[component]
pub fn RecoveryCodesPage() -> impl IntoView {
    let i18n = use_i18n();
    let codes = Resource::new(|| (), |_| take_recovery_codes());
    view! {
        <section class="form-page" aria-labelledby="rc-title">
            <PageTitle text=t_string!(i18n, recovery_title).to_string() />
            <h1 id="rc-title">{t!(i18n, recovery_title)}</h1>
            <p role="status" class="form-ok">{t!(i18n, enrol_done)}</p>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let list = codes.await.unwrap_or_default();
                    if list.is_empty() {
                        view! { <p>{t!(i18n, recovery_gone)}</p> }.into_any()
                    } else {
                        view! {
                            <p>{t!(i18n, recovery_intro)}</p>
                            <ul class="recovery-codes" data-testid="recovery-codes">
                                {list.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                            </ul>
                        }
                        .into_any()
                    }
                })}
            </Suspense>
            <p><a class="button" href="/dashboard">{t!(i18n, recovery_continue)}</a></p>
        </section>
    }
}
