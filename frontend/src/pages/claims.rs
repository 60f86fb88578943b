//! Claims to a credit code somebody else registered: the claim form (the registration's fields
//! and the business licence, a multipart form that works without JavaScript) and the system
//! admin's list of open claims with the licence and a decision form.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::pages::not_found::LoadFailed;
use crate::components::layout::PageTitle;
use crate::i18n::*;
use crate::components::form::{sfn_code, CreditCodeCheck, FieldMessage, FormErrors, TextField};

/// `/claim`: claim a credit code.
#[component]
pub fn ClaimPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let sent = Memo::new(move |_| q.read().get("sent").is_some());
    view! {
        <section class="form-page" aria-labelledby="claim-title">
            <PageTitle text=t_string!(i18n, claim_title).to_string() />
            <h1 id="claim-title">{t!(i18n, claim_title)}</h1>
            <Show when=move || sent.get() fallback=move || view! {
                <p>{t!(i18n, claim_intro)}</p>
                <FormErrors />
                <form method="post" action="/forms/claim" enctype="multipart/form-data" class="form" novalidate=true>
                    <CreditCodeCheck>
                        <TextField name="credit_code" label=t_string!(i18n, field_credit_code).to_string() hint=t_string!(i18n, hint_credit_code).to_string() autocomplete="off" />
                    </CreditCodeCheck>
                    <TextField name="company_name" label=t_string!(i18n, field_company_name).to_string() autocomplete="organization" />
                    <TextField name="contact_name" label=t_string!(i18n, field_contact_name).to_string() autocomplete="name" />
                    <TextField name="email" label=t_string!(i18n, field_email).to_string() kind="email" autocomplete="email" />
                    <TextField name="phone" label=t_string!(i18n, field_phone).to_string() kind="tel" autocomplete="tel" />
                    <TextField name="password" label=t_string!(i18n, field_password).to_string() kind="password" autocomplete="new-password" hint=t_string!(i18n, hint_password).to_string() refill=false />
                    <div class="field">
                        <label for="f-licence">{t!(i18n, field_licence)}</label>
                        <input id="f-licence" name="licence" type="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" required=true aria-describedby="f-licence-error" />
                        <FieldMessage name="licence" />
                    </div>
                    <button type="submit" class="button">{t!(i18n, claim_submit)}</button>
                </form>
            }>
                <p role="status" class="form-ok">{t!(i18n, claim_sent)}</p>
            </Show>
        </section>
    }
}

/// `/admin/claims`: open claims, each with its licence and a decision.
#[component]
pub fn AdminClaimsPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let saved = Memo::new(move |_| q.read().get("saved").is_some());
    let claims = Resource::new(|| (), |_| crate::server_fns::open_claims());
    view! {
        <section class="form-page form-page--wide" aria-labelledby="claims-title">
            <PageTitle text=t_string!(i18n, admin_claims_title).to_string() />
            <h1 id="claims-title">{t!(i18n, admin_claims_title)}</h1>
            <Show when=move || saved.get()><p role="status" class="form-ok">{t!(i18n, saved)}</p></Show>
            <FormErrors />
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match claims.await {
                        Ok(list) if list.is_empty() => view! { <p>{t!(i18n, claims_none)}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="tenancies" data-testid="claims">
                                {list.into_iter().map(|c| view! {
                                    <li>
                                        <h2>{c.claimed_name.clone()} " · " <code>{c.credit_code.clone()}</code></h2>
                                        <p>{t!(i18n, claim_registered_as)} " " {c.registered_name.clone()}</p>
                                        <p>{c.claimant_name.clone()} " <" {c.claimant_email.clone()} "> · "
                                            {if c.claimant_email_verified { t_string!(i18n, status_active) } else { t_string!(i18n, status_unverified) }}
                                            " · " {c.created_at.format("%Y-%m-%d").to_string()}</p>
                                        <p><a href=format!("/api/v1/admin/credit-code-claims/{}/licence", c.id)>{t!(i18n, claim_licence)}</a></p>
                                        <form method="post" action=format!("/forms/admin/claims/{}", c.id) class="form decision">
                                            <TextField name="reason" label=t_string!(i18n, field_verification_reason).to_string() required=false />
                                            <div>
                                                <button type="submit" name="decision" value="granted" class="button inline-button">{t!(i18n, claim_grant)}</button>
                                                <button type="submit" name="decision" value="refused" class="button button--secondary inline-button">{t!(i18n, verification_refuse)}</button>
                                            </div>
                                        </form>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <LoadFailed code=sfn_code(&e) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
