//! A base's public page, and the admin's list of bases with the add/edit form.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::accounts::Role;
use shared::dto::BaseSummary;

use crate::pages::not_found::LoadFailed;
use crate::components::form::{sfn_code, FormErrors};
use crate::components::signed_in::{SignedIn};
use crate::components::chart::{Bar, BarChart};
use crate::components::text::{bilingual, is_english};
use crate::components::layout::PageTitle;
use crate::components::pager::Pager;
use crate::i18n::*;
use crate::server_fns::{public_base, registry_choices};

#[component]
pub fn PublicBasePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    let page = Memo::new(move |_| query.read().get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1));
    let data = Resource::new(move || (code.get(), page.get()), |(c, p)| public_base(c, p));
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => {
                        let en = is_english(i18n);
                        let bars: Vec<Bar> = p.by_segment.iter().map(|t| Bar { label: if en { t.label.en.clone() } else { t.label.zh.clone() }, value: t.value, shown: t.value.to_string() }).collect();
                        let base_path = format!("/bases/{}", p.base.code);
                        view! {
                            <section aria-labelledby="base-title">
                                <PageTitle text=bilingual(i18n, p.base.name.clone())() /><h1 id="base-title">{bilingual(i18n, p.base.name.clone())}</h1>
                                <p class="card__meta">{bilingual(i18n, p.base.city.clone())} " · " {bilingual(i18n, p.base.district.clone())}</p>
                                <p>{bilingual(i18n, p.base.description.clone())}</p>
                                <section class="callout" aria-labelledby="join-title">
                                    <h2 id="join-title">{t!(i18n, base_join_title)}</h2>
                                    <ol>
                                        <li>{t!(i18n, base_join_step_register)} " " <a href="/register">{t!(i18n, nav_register)}</a></li>
                                        <li>{t!(i18n, base_join_step_profile)}</li>
                                        <li>{t!(i18n, base_join_step_apply)}</li>
                                        <li>{t!(i18n, base_join_step_decision)}</li>
                                    </ol>
                                    <p>{t!(i18n, base_join_signed_in)} " " <a href="/dashboard">{t!(i18n, nav_dashboard)}</a></p>
                                </section>
                                <BarChart id="public-segments" title=t_string!(i18n, chart_by_segment).to_string() value_heading=t_string!(i18n, chart_companies).to_string() bars />
                                <h2>{t!(i18n, public_tenants)} " (" {p.tenants.total} ")"</h2>
                                <table class="table" data-testid="public-tenants">
                                    <thead><tr><th scope="col">{t!(i18n, field_company_name)}</th><th scope="col">{t!(i18n, field_segment)}</th></tr></thead>
                                    <tbody>
                                        {p.tenants.items.into_iter().map(|t| view! {
                                            <tr><td>{t.name}</td><td>{t.segment.map(|s| if en { s.en } else { s.zh }).unwrap_or_default()}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <Pager page=p.tenants.page total=p.tenants.total per_page=p.tenants.per_page path=base_path keep=&[] />
                            </section>
                        }.into_any()
                    }
                    Err(_) => view! { <crate::pages::not_found::NotFound /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn AdminBasesPage() -> impl IntoView {
    view! { <SignedIn child=|me| if me.has_role(Role::SystemAdmin) { view! { <AdminBases /> }.into_any() } else { view! { <crate::pages::not_found::Forbidden /> }.into_any() } /> }
}

#[component]
fn AdminBases() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let choices = Resource::new(|| (), |_| registry_choices());
    let saved = Memo::new(move |_| query.read().get("saved").is_some());
    let edit = Memo::new(move |_| query.read().get("edit").and_then(|v| v.parse::<i64>().ok()).or_else(|| query.read().get("id").and_then(|v| v.parse().ok())));
    view! {
        <section class="form-page form-page--wide" aria-labelledby="ab-title">
            <PageTitle text=t_string!(i18n, admin_bases_title).to_string() />
            <h1 id="ab-title">{t!(i18n, admin_bases_title)}</h1>
            <Show when=move || saved.get()><p role="status" class="form-ok">{t!(i18n, saved)}</p></Show>
            <FormErrors />
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match choices.await {
                        Ok((_, bases)) => {
                            let editing = edit.get_untracked().and_then(|id| bases.iter().find(|b| b.id == id).cloned());
                            view! {
                                <ul class="links" data-testid="admin-bases">
                                    {bases.into_iter().map(|b| view! {
                                        <li><a href=format!("/bases/{}", b.code)>{b.name.zh.clone()}</a> " (" <code>{b.code.clone()}</code> ") · " <a href=format!("/admin/bases?edit={}", b.id)>{t!(i18n, edit)}</a></li>
                                    }).collect_view()}
                                </ul>
                                <h2>{if editing.is_some() { t_string!(i18n, base_edit).to_string() } else { t_string!(i18n, base_new).to_string() }}</h2>
                                <BaseForm base=editing />
                            }.into_any()
                        }
                        Err(e) => view! { <LoadFailed code=sfn_code(&e) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn BaseForm(base: Option<BaseSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let id = base.as_ref().map(|b| b.id);
    // Typed values come back after a refused save; otherwise the base's current values.
    let val = move |k: &'static str, current: String| {
        let q = query.get_untracked();
        if q.get("err").is_some() { q.get(k).unwrap_or_default() } else { current }
    };
    let b = base.clone();
    let cur = move |f: fn(&BaseSummary) -> String| b.as_ref().map(f).unwrap_or_default();
    let fields: Vec<(&'static str, String, String)> = vec![
        ("code", t_string!(i18n, base_code).to_string(), cur(|b| b.code.clone())),
        ("name_zh", t_string!(i18n, base_name_zh).to_string(), cur(|b| b.name.zh.clone())),
        ("name_en", t_string!(i18n, base_name_en).to_string(), cur(|b| b.name.en.clone())),
        ("city_zh", t_string!(i18n, base_city_zh).to_string(), cur(|b| b.city.zh.clone())),
        ("city_en", t_string!(i18n, base_city_en).to_string(), cur(|b| b.city.en.clone())),
        ("district_zh", t_string!(i18n, base_district_zh).to_string(), cur(|b| b.district.zh.clone())),
        ("district_en", t_string!(i18n, base_district_en).to_string(), cur(|b| b.district.en.clone())),
        ("division_code", t_string!(i18n, base_division).to_string(), cur(|b| b.division_code.clone())),
        ("description_zh", t_string!(i18n, base_description_zh).to_string(), cur(|b| b.description.zh.clone())),
        ("description_en", t_string!(i18n, base_description_en).to_string(), cur(|b| b.description.en.clone())),
    ];
    view! {
        <form method="post" action="/forms/admin/bases" class="form" novalidate=true>
            {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string() /> })}
            {fields.into_iter().map(|(name, label, current)| {
                let fid = format!("f-{name}");
                let value = val(name, current);
                view! {
                    <div class="field">
                        <label for=fid.clone()>{label}</label>
                        <input id=fid name=name value=value required=true aria-describedby=format!("f-{name}-error") />
                        <crate::components::form::FieldMessage name=name />
                    </div>
                }
            }).collect_view()}
            <button type="submit" class="button">{t!(i18n, save)}</button>
        </form>
    }
}
