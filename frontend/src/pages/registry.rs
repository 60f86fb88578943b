//! Registry pages: the company profile (edit and history), joining a base and the tenancy
//! history, and the park manager's tenant list (filters in the URL) and tenant page with the
//! admit / reject / suspend / reinstate / move-out decisions.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::accounts::{Me, Role};
use shared::registry::{Profile, ProfileChange, QualificationKind, SegmentRef, TenancyStatus, TenancyView};

use crate::components::form::{error_text, sfn_code, FieldMessage, FormErrors, TextField};
use crate::components::signed_in::{SignedIn};
use crate::components::text::{is_english, url_encode};
use crate::components::layout::PageTitle;
use crate::components::pager::Pager;
use crate::pages::not_found::{Forbidden, LoadFailed, PageFailed};
use crate::i18n::*;
use crate::server_fns::{get_company, get_tenants, registry_choices};

fn q(name: &'static str) -> Memo<String> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get(name).unwrap_or_default())
}

fn id_param() -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|v| v.parse().ok()).unwrap_or(0))
}

pub fn status_text(i18n: leptos_i18n::I18nContext<Locale>, s: TenancyStatus) -> String {
    let locale = i18n.get_locale_untracked();
    match s {
        TenancyStatus::Applied => td_string!(locale, tenancy_applied).to_string(),
        TenancyStatus::Admitted => td_string!(locale, tenancy_admitted).to_string(),
        TenancyStatus::Suspended => td_string!(locale, tenancy_suspended).to_string(),
        TenancyStatus::MovedOut => td_string!(locale, tenancy_moved_out).to_string(),
        TenancyStatus::Rejected => td_string!(locale, tenancy_rejected).to_string(),
    }
}

fn qualification_text(i18n: leptos_i18n::I18nContext<Locale>, k: QualificationKind) -> String {
    let locale = i18n.get_locale_untracked();
    match k {
        QualificationKind::HighTech => td_string!(locale, qual_high_tech).to_string(),
        QualificationKind::LittleGiant => td_string!(locale, qual_little_giant).to_string(),
        QualificationKind::Specialized => td_string!(locale, qual_specialized).to_string(),
        QualificationKind::TechSme => td_string!(locale, qual_tech_sme).to_string(),
        QualificationKind::Other => td_string!(locale, qual_other).to_string(),
    }
}

fn segment_name(i18n: leptos_i18n::I18nContext<Locale>, s: &SegmentRef) -> String {
    if is_english(i18n) { s.name.en.clone() } else { s.name.zh.clone() }
}

#[component]
pub fn CompanyProfilePage() -> impl IntoView {
    view! { <SignedIn child=|me| view! { <CompanyProfile me /> }.into_any() /> }
}

#[component]
fn CompanyProfile(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let id = id_param();
    let data = Resource::new(move || id.get(), get_company);
    let choices = Resource::new(|| (), |_| registry_choices());
    let administers = administered(&me);
    let saved = q("saved");
    view! {
        <Suspense fallback=move || view! { <p>{td!(locale, loading)}</p> }>
            {move || {
            let administers = administers.clone();
            Suspend::new(async move {
                let segments = choices.await.map(|c| c.0).unwrap_or_default();
                match data.await {
                    Ok((profile, history, _)) => {
                        let editable = administers.is_none_or(|ids| ids.contains(&profile.id));
                        let history_segments = segments.clone();
                        view! {
                            <section class="form-page form-page--wide" aria-labelledby="profile-title">
                                <PageTitle text=profile.name_zh.clone() /><h1 id="profile-title">{profile.name_zh.clone()}</h1>
                                <p>{td!(locale, field_credit_code)} ": " <code>{profile.credit_code.clone()}</code></p>
                                <p data-testid="verification-status">{td!(locale, verification_heading)} ": " {match profile.verification.as_str() {
                                    "verified" => td_string!(locale, verification_verified).to_string(),
                                    "refused" => format!("{} {}", td_string!(locale, verification_refused), profile.verification_reason.clone().unwrap_or_default()),
                                    _ => td_string!(locale, verification_pending).to_string(),
                                }}</p>
                                <Bans bans=profile.bans.clone() />
                                <Show when=move || !saved.get().is_empty()><p role="status" class="form-ok">{td!(locale, saved)}</p></Show>
                                <FormErrors />
                                {if editable {
                                    view! { <ProfileForm profile=profile.clone() segments /> }.into_any()
                                } else {
                                    view! { <ProfileView profile=profile.clone() /> }.into_any()
                                }}
                                <Documents enterprise_id=profile.id editable />
                                <p><a href=format!("/company/{}/tenancies", profile.id)>{td!(locale, tenancies_title)}</a></p>
                                <History history segments=history_segments.clone() />
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <PageFailed code=sfn_code(&e) /> }.into_any(),
                }
            })}}
        </Suspense>
    }
}

/// The bans from applying in force (after an award was revoked for fraud): from which
/// programs, through which day, and why.
#[component]
fn Bans(bans: Vec<shared::registry::BanView>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    (!bans.is_empty()).then(|| view! {
        <dl class="facts" data-testid="profile-ban">
            {bans.into_iter().map(|b| {
                let program = b.program.map_or_else(|| td_string!(locale, profile_ban_all_programs).to_string(), |p| crate::components::text::bilingual(i18n, p)());
                view! {
                    <dt>{td!(locale, profile_ban_program)}</dt><dd>{program}</dd>
                    <dt>{td!(locale, award_banned_until)}</dt><dd>{b.ends_on.to_string()}</dd>
                    <dt>{td!(locale, award_revoke_reason)}</dt><dd class="prewrap">{b.reason}</dd>
                }
            }).collect_view()}
        </dl>
    })
}

/// The companies this person administers; `None` for a system admin (any company).
fn administered(me: &Me) -> Option<Vec<i64>> {
    if me.has_role(Role::SystemAdmin) {
        return None;
    }
    Some(me.roles.iter().filter(|g| g.role == Role::EnterpriseAdmin).filter_map(|g| g.enterprise_id).collect())
}

/// A text input prefilled with the current value (the error query overrides nothing here).
#[component]
fn Prefilled(
    #[prop(into)] name: String,
    label: String,
    value: String,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = true)] required: bool,
) -> impl IntoView {
    let id = format!("f-{name}");
    // After a refused submission the form comes back with what was typed (in the query).
    let query = use_query_map();
    let key = name.clone();
    let shown = move || {
        let q = query.read();
        match (q.get("err"), q.get(&key)) {
            (Some(_), Some(typed)) => typed,
            // A field emptied before a refused submission stays empty.
            (Some(_), None) if q.get("refill").is_some() => String::new(),
            _ => value.clone(),
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id name=name.clone() type=kind value=shown required=required aria-describedby=format!("f-{name}-error") />
            <FieldMessage name=name />
        </div>
    }
}

/// One qualification row of the form: type (if chosen), certificate number, validity.
type QualRow = (Option<QualificationKind>, String, Option<chrono::NaiveDate>, Option<chrono::NaiveDate>);

/// The ticked segments and the qualification and contact rows a refused submission sent back
/// (see `forms::post_profile`); rows left empty are dropped.
fn refilled_rows(q: &leptos_router::params::ParamsMap) -> (Vec<String>, Vec<QualRow>, Vec<shared::registry::Contact>) {
    let get = |k: String| q.get(&k).unwrap_or_default();
    let date = |k: String| chrono::NaiveDate::parse_from_str(&get(k), "%Y-%m-%d").ok();
    let mut quals = Vec::new();
    let mut contacts = Vec::new();
    for i in 0..20 {
        let (kind, no) = (get(format!("q{i}_kind")), get(format!("q{i}_no")));
        if !kind.is_empty() || !no.is_empty() {
            quals.push((QualificationKind::parse(&kind), no, date(format!("q{i}_from")), date(format!("q{i}_until"))));
        }
        let c = shared::registry::Contact {
            name: get(format!("c{i}_name")),
            title: Some(get(format!("c{i}_title"))),
            phone: Some(get(format!("c{i}_phone"))),
            email: Some(get(format!("c{i}_email"))),
        };
        if [Some(&c.name), c.title.as_ref(), c.phone.as_ref(), c.email.as_ref()].into_iter().flatten().any(|v| !v.is_empty()) {
            contacts.push(c);
        }
    }
    (q.get_all("segment").unwrap_or_default(), quals, contacts)
}

#[component]
fn ProfileForm(profile: Profile, segments: Vec<SegmentRef>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    // After a refused submission the form shows what was sent, rows and checkboxes included.
    let refill = {
        let q = use_query_map().get_untracked();
        (q.get("err").is_some() && q.get("refill").is_some()).then(|| refilled_rows(&q))
    };
    let (have, mut quals, mut contacts) = match refill {
        Some(sent) => sent,
        None => (
            profile.segments.iter().map(|s| s.code.clone()).collect(),
            profile.qualifications.iter().map(|q| (Some(q.kind), q.certificate_no.clone(), q.valid_from, q.valid_until)).collect::<Vec<_>>(),
            profile.contacts.clone(),
        ),
    };
    quals.resize(quals.len() + 2, (None, String::new(), None, None));
    contacts.resize(contacts.len() + 2, shared::registry::Contact::default());
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    view! {
        <form method="post" action=format!("/forms/enterprises/{}/profile", profile.id) class="form">
            <Prefilled name="name_zh" label=td_string!(locale, field_company_name).to_string() value=profile.name_zh.clone() />
            <Prefilled name="name_en" label=td_string!(locale, field_name_en).to_string() value=opt(&profile.name_en) required=false />
            <Prefilled name="legal_representative" label=td_string!(locale, field_legal_representative).to_string() value=opt(&profile.legal_representative) />
            <Prefilled name="address" label=td_string!(locale, field_address).to_string() value=opt(&profile.address) />
            <Prefilled name="district" label=td_string!(locale, field_district).to_string() value=opt(&profile.district) />
            <Prefilled name="registered_capital" label=td_string!(locale, field_registered_capital).to_string()
                value=profile.registered_capital.map(|f| format!("{}.{:02}", f.0 / 100, f.0 % 100)).unwrap_or_default() />
            <Prefilled name="founded_on" label=td_string!(locale, field_founded_on).to_string() value=date(profile.founded_on) kind="date" />
            <Prefilled name="employees" label=td_string!(locale, field_employees).to_string() value=profile.employees.map(|e| e.to_string()).unwrap_or_default() kind="number" />
            <fieldset class="checks" aria-describedby="f-segments-error">
                <legend>{td!(locale, field_segments)}</legend>
                {segments.into_iter().map(|s| {
                    let checked = have.contains(&s.code);
                    let id = format!("seg-{}", s.code);
                    let name = segment_name(i18n, &s);
                    view! { <div class="check"><input type="checkbox" id=id.clone() name="segment" value=s.code.clone() checked=checked /><label for=id>{name}</label></div> }
                }).collect_view()}
                <FieldMessage name="segments" />
            </fieldset>
            <fieldset>
                <legend>{td!(locale, field_qualifications)}</legend>
                {quals.into_iter().enumerate().map(|(i, (kind, certificate_no, valid_from, valid_until))| {
                    // A row with no type chosen shows none (never a default that changes meaning).
                    let blank = kind.is_none();
                    view! {
                    <div class="row-group">
                        <div class="field">
                            <label for=format!("q{i}_kind")>{td!(locale, field_qualification_kind)}</label>
                            <select id=format!("q{i}_kind") name=format!("q{i}_kind") aria-describedby=format!("f-q{i}_kind-error")>
                                <option value="" selected=blank>{td!(locale, choose_one)}</option>
                                {QualificationKind::ALL.into_iter().map(|k| view! { <option value=k.as_str() selected=kind == Some(k)>{qualification_text(i18n, k)}</option> }).collect_view()}
                            </select>
                            <FieldMessage name=format!("q{i}_kind") />
                        </div>
                        <div class="field"><label for=format!("q{i}_no")>{td!(locale, field_certificate_no)}</label><input id=format!("q{i}_no") name=format!("q{i}_no") value=certificate_no.clone() /></div>
                        <div class="field"><label for=format!("q{i}_from")>{td!(locale, field_valid_from)}</label><input type="date" id=format!("q{i}_from") name=format!("q{i}_from") value=date(valid_from) /></div>
                        <div class="field"><label for=format!("q{i}_until")>{td!(locale, field_valid_until)}</label><input type="date" id=format!("q{i}_until") name=format!("q{i}_until") value=date(valid_until) /></div>
                        <FieldMessage name="qualifications" />
                    </div>
                }}).collect_view()}
            </fieldset>
            <fieldset>
                <legend>{td!(locale, field_contacts)}</legend>
                {contacts.into_iter().enumerate().map(|(i, c)| view! {
                    <div class="row-group">
                        <div class="field"><label for=format!("c{i}_name")>{td!(locale, field_contact_name)}</label><input id=format!("c{i}_name") name=format!("c{i}_name") value=c.name.clone() /></div>
                        <div class="field"><label for=format!("c{i}_title")>{td!(locale, field_title)}</label><input id=format!("c{i}_title") name=format!("c{i}_title") value=opt(&c.title) /></div>
                        <div class="field"><label for=format!("c{i}_phone")>{td!(locale, field_phone)}</label><input type="tel" id=format!("c{i}_phone") name=format!("c{i}_phone") value=opt(&c.phone) /></div>
                        <div class="field"><label for=format!("c{i}_email")>{td!(locale, field_email)}</label><input type="email" id=format!("c{i}_email") name=format!("c{i}_email") value=opt(&c.email) /></div>
                    </div>
                }).collect_view()}
            </fieldset>
            <button type="submit" class="button">{td!(locale, save)}</button>
        </form>
    }
}

#[component]
fn ProfileView(profile: Profile) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let verification = match profile.verification.as_str() {
        "verified" => td_string!(locale, verification_verified).to_string(),
        "refused" => format!("{} {}", td_string!(locale, verification_refused), opt(&profile.verification_reason)),
        _ => td_string!(locale, verification_pending).to_string(),
    };
    view! {
        <dl class="facts">
            <dt>{td!(locale, verification_heading)}</dt><dd data-testid="verification">{verification}</dd>
            <dt>{td!(locale, field_name_en)}</dt><dd>{opt(&profile.name_en)}</dd>
            <dt>{td!(locale, field_legal_representative)}</dt><dd>{opt(&profile.legal_representative)}</dd>
            <dt>{td!(locale, field_address)}</dt><dd>{opt(&profile.address)} " " {opt(&profile.district)}</dd>
            <dt>{td!(locale, field_registered_capital)}</dt><dd>{profile.registered_capital.map(|f| f.format_yuan()).unwrap_or_default()}</dd>
            <dt>{td!(locale, field_founded_on)}</dt><dd>{profile.founded_on.map(|d| d.to_string()).unwrap_or_default()}</dd>
            <dt>{td!(locale, field_employees)}</dt><dd>{profile.employees.map(|e| e.to_string()).unwrap_or_default()}</dd>
            <dt>{td!(locale, field_segments)}</dt><dd>{profile.segments.iter().map(|s| segment_name(i18n, s)).collect::<Vec<_>>().join("、")}</dd>
            <dt>{td!(locale, field_qualifications)}</dt>
            <dd>{profile.qualifications.iter().map(|q| format!("{} {}", qualification_text(i18n, q.kind), q.certificate_no)).collect::<Vec<_>>().join("；")}</dd>
            <dt>{td!(locale, field_contacts)}</dt>
            <dd>{profile.contacts.iter().map(|c| format!("{} {}", c.name, c.phone.clone().unwrap_or_default())).collect::<Vec<_>>().join("；")}</dd>
        </dl>
    }
}

/// The change history; segment codes in it become names (also of segments no longer chosen),
/// from the segments the page already loaded.
#[component]
fn History(history: Vec<ProfileChange>, segments: Vec<SegmentRef>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <h2>{td!(locale, history_title)}</h2>
        {if history.is_empty() {
            view! { <p>{td!(locale, history_empty)}</p> }.into_any()
        } else {
            view! {
                <table class="table table--stack" data-testid="history">
                    <thead><tr><th scope="col">{td!(locale, audit_time)}</th><th scope="col">{td!(locale, history_by)}</th><th scope="col">{td!(locale, history_field)}</th><th scope="col">{td!(locale, history_old)}</th><th scope="col">{td!(locale, history_new)}</th></tr></thead>
                    <tbody>
                        {history.into_iter().flat_map(|h| {
                            let at = crate::components::text::beijing(h.changed_at);
                            let by = h.changed_by.clone().unwrap_or_default();
                            let segments = segments.clone();
                            h.fields.into_iter().map(move |f| {
                                let label = history_field_label(i18n, &f.field);
                                let old = history_value(i18n, &f.field, &f.old, &segments);
                                let new = history_value(i18n, &f.field, &f.new, &segments);
                                view! {
                                    <tr>
                                        <td data-label=td_string!(locale, audit_time).to_string()>{at.clone()}</td>
                                        <td data-label=td_string!(locale, history_by).to_string()>{by.clone()}</td>
                                        <td data-label=td_string!(locale, history_field).to_string()>{label}</td>
                                        <td class="wrap" data-label=td_string!(locale, history_old).to_string()>{old}</td>
                                        <td class="wrap" data-label=td_string!(locale, history_new).to_string()>{new}</td>
                                    </tr>
                                }
                            })
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

/// The name of a changed profile field, in the page's language.
fn history_field_label(i18n: leptos_i18n::I18nContext<Locale>, field: &str) -> String {
    let locale = i18n.get_locale_untracked();
    match field {
        "name_zh" => td_string!(locale, field_company_name).to_string(),
        "name_en" => td_string!(locale, field_name_en).to_string(),
        "legal_representative" => td_string!(locale, field_legal_representative).to_string(),
        "address" => td_string!(locale, field_address).to_string(),
        "district" => td_string!(locale, field_district).to_string(),
        "registered_capital" => td_string!(locale, field_registered_capital).to_string(),
        "founded_on" => td_string!(locale, field_founded_on).to_string(),
        "employees" => td_string!(locale, field_employees).to_string(),
        "segments" => td_string!(locale, field_segments).to_string(),
        "qualifications" => td_string!(locale, field_qualifications).to_string(),
        "contacts" => td_string!(locale, field_contacts).to_string(),
        other => other.to_string(),
    }
}

/// A stored history value as people read it: segment codes and qualification types by name.
fn history_value(i18n: leptos_i18n::I18nContext<Locale>, field: &str, value: &str, segments: &[SegmentRef]) -> String {
    match field {
        "segments" => value
            .split(", ")
            .filter(|c| !c.is_empty())
            .map(|code| segments.iter().find(|s| s.code == code).map(|s| segment_name(i18n, s)).unwrap_or_else(|| code.to_string()))
            .collect::<Vec<_>>()
            .join("、"),
        "qualifications" => value
            .split("; ")
            .filter(|q| !q.is_empty())
            .map(|q| match q.split_once(' ') {
                Some((kind, rest)) => match QualificationKind::parse(kind) {
                    Some(k) => format!("{} {}", qualification_text(i18n, k), rest.replace("..", " – ").trim_end_matches(" – ")),
                    None => q.to_string(),
                },
                None => q.to_string(),
            })
            .collect::<Vec<_>>()
            .join("；"),
        _ => value.to_string(),
    }
}

#[component]
pub fn CompanyTenanciesPage() -> impl IntoView {
    view! { <SignedIn child=|me| view! { <CompanyTenancies me /> }.into_any() /> }
}

#[component]
fn CompanyTenancies(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let id = id_param();
    let data = Resource::new(move || id.get(), get_company);
    let choices = Resource::new(|| (), |_| registry_choices());
    let invitations = Resource::new(move || id.get(), crate::server_fns::tenancy_invitations);
    let applied = q("applied");
    let answered = q("answered");
    let administers = administered(&me);
    view! {
        <section class="form-page form-page--wide" aria-labelledby="ten-title">
            <PageTitle text=td_string!(locale, tenancies_title).to_string() />
            <h1 id="ten-title">{td!(locale, tenancies_title)}</h1>
            <Show when=move || !applied.get().is_empty()><p role="status" class="form-ok">{td!(locale, tenancy_applied_ok)}</p></Show>
            <Show when=move || !answered.get().is_empty()><p role="status" class="form-ok">{td!(locale, saved)}</p></Show>
            <FormErrors />
            <Suspense fallback=move || view! { <p>{td!(locale, loading)}</p> }>
                {move || Suspend::new(async move {
                    let list = invitations.await.unwrap_or_default();
                    (!list.is_empty()).then(|| view! {
                        <h2>{td!(locale, tenancy_invitations_title)}</h2>
                        <ul class="tenancies" data-testid="tenancy-invitations">
                            {list.into_iter().map(|(inv, zh, en, on)| {
                                let base = if is_english(i18n) { en } else { zh };
                                view! {
                                    <li>
                                        <p>{base} " " {td!(locale, tenancy_invitation_text)} " (" {on} ")"</p>
                                        <form method="post" action=format!("/forms/tenancy-invitations/{inv}") class="form form--inline">
                                            <input type="hidden" name="back" value=move || format!("/company/{}/tenancies", id.get()) />
                                            <button type="submit" name="decision" value="accept" class="button inline-button">{td!(locale, tenancy_invitation_accept)}</button>
                                            <button type="submit" name="decision" value="decline" class="button button--secondary inline-button">{td!(locale, invitation_decline)}</button>
                                        </form>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })
                })}
            </Suspense>
            <Suspense fallback=move || view! { <p>{td!(locale, loading)}</p> }>
                {move || {
                    let administers = administers.clone();
                    Suspend::new(async move {
                    let (segments, bases) = choices.await.unwrap_or_default();
                    match data.await {
                        Ok((profile, _, tenancies)) => {
                            let pid = profile.id;
                            view! {
                                <p>{profile.name_zh.clone()}</p>
                                <TenancyList tenancies />
                                {administers.is_none_or(|ids| ids.contains(&pid)).then(|| view! {
                                    <h2>{td!(locale, apply_title)}</h2>
                                    <form method="post" action=format!("/forms/enterprises/{pid}/tenancies") class="form">
                                        <div class="field">
                                            <label for="apply-base">{td!(locale, field_base_name)}</label>
                                            <select id="apply-base" name="base_id" aria-describedby="f-base_id-error">
                                                {bases.into_iter().map(|b| view! { <option value=b.id.to_string()>{if is_english(i18n) { b.name.en.clone() } else { b.name.zh.clone() }}</option> }).collect_view()}
                                            </select>
                                            <FieldMessage name="base_id" />
                                        </div>
                                        <div class="field">
                                            <label for="apply-segment">{td!(locale, field_segment)}</label>
                                            <select id="apply-segment" name="segment" aria-describedby="f-segment-error">
                                                {segments.into_iter().map(|s| { let n = segment_name(i18n, &s); view! { <option value=s.code.clone()>{n}</option> } }).collect_view()}
                                            </select>
                                            <FieldMessage name="segment" />
                                        </div>
                                        <TextField name="floor_space_m2" label=td_string!(locale, field_floor_space).to_string() kind="number" />
                                        <TextField name="staff_on_site" label=td_string!(locale, field_staff_on_site).to_string() kind="number" />
                                        <TextField name="plan" label=td_string!(locale, field_plan).to_string() />
                                        <button type="submit" class="button">{td!(locale, apply_submit)}</button>
                                    </form>
                                })}
                            }.into_any()
                        }
                        Err(e) => view! { <LoadFailed code=sfn_code(&e) /> }.into_any(),
                    }
                })}}
            </Suspense>
        </section>
    }
}

#[component]
fn TenancyList(tenancies: Vec<TenancyView>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    // One element either way: an optional paragraph beside an empty list did not hydrate.
    if tenancies.is_empty() {
        return view! { <p>{td!(locale, tenancies_empty)}</p> }.into_any();
    }
    view! {
        <ul class="tenancies" data-testid="tenancies">
            {tenancies.into_iter().map(|t| view! {
                <li>
                    <h3>{if is_english(i18n) { t.base_name.en.clone() } else { t.base_name.zh.clone() }} " · " <span data-testid="tenancy-status">{status_text(i18n, t.status)}</span></h3>
                    {t.reason.clone().map(|r| view! { <p>{td!(locale, tenancy_reason)} ": " {r}</p> })}
                    <ol class="events">
                        {t.events.into_iter().map(|e| view! {
                            <li>{e.occurred_at.format("%Y-%m-%d %H:%M").to_string()} " " {status_text(i18n, e.to_status)} {e.reason.map(|r| format!(" — {r}"))}</li>
                        }).collect_view()}
                    </ol>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
pub fn ParkTenantsPage() -> impl IntoView {
    view! {
        <SignedIn child=|me| match managed_bases(&me) {
            bases if bases.is_empty() => view! { <NotAParkManager /> }.into_any(),
            bases => view! { <ParkTenants bases /> }.into_any(),
        } />
    }
}

#[component]
fn ParkTenants(bases: Vec<(i64, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    // The page is rendered once on the server (no island here): plain values, read once,
    // instead of reactive closures per option and cell.
    let query = use_query_map().get_untracked();
    let get = |k: &str| query.get(k).unwrap_or_default();
    let (text, segment, qualification, status, report, sort) = (get("q"), get("segment"), get("qualification"), get("status"), get("report"), get("sort"));
    let first = bases[0].0;
    let base = get("base").parse::<i64>().unwrap_or(first);
    let filter = shared::registry::TenantFilter {
        base_id: base,
        q: text.clone(),
        segment: segment.clone(),
        qualification: qualification.clone(),
        status: status.clone(),
        report: report.clone(),
        sort: sort.clone(),
        page: get("page").parse::<i64>().unwrap_or(1),
    };
    // Plain futures, awaited by the one Suspend below, not resources: nothing here changes in
    // the browser, and a resource's reactive machinery cost more than the cached reads.
    let list = get_tenants(filter);
    let choices = registry_choices();
    // The export links carry the filter shown.
    let export = {
        let parts: Vec<String> = ["q", "segment", "qualification", "status", "report", "sort"]
            .iter()
            .filter_map(|k| query.get(k).filter(|v| !v.is_empty()).map(|v| format!("{k}={}", url_encode(&v))))
            .collect();
        move |format: &str| {
            let mut parts = parts.clone();
            parts.push(format!("format={format}"));
            format!("/api/v1/bases/{base}/tenants/export?{}", parts.join("&"))
        }
    };
    // A refused import's rows, when the address names the report (after an import).
    let report_id = get("import_report").parse::<i64>().ok();
    // One Suspend, not a closure that makes one (a closure is run again for every pass over the
    // view), and no Suspense around it: pages are rendered whole before they are sent
    // (`SsrMode::Async`), so a fallback is never shown, and nothing here is hydrated.
    view! {
        {Suspend::new(async move {
            let segments = choices.await.map(|c| c.0).unwrap_or_default();
            let list = list.await;
            let refused = match report_id {
                Some(id) => crate::server_fns::import_report(id).await.ok().map(|rows| (id, rows)),
                None => None,
            };
            let segment_names: Vec<(String, String)> = segments.iter().map(|s| (s.code.clone(), segment_name(i18n, s))).collect();
            let option = |value: String, label: String, chosen: bool| view! { <option value=value selected=chosen>{label}</option> };
            let filters = view! {
                <form method="get" action="/park/tenants" class="filters" role="search">
                    <div class="field"><label for="base">{td_string!(locale, field_base_name)}</label>
                        <select id="base" name="base">{bases.into_iter().map(|(id, name)| option(id.to_string(), name, base == id)).collect_view()}</select></div>
                    <div class="field"><label for="q">{td_string!(locale, tenants_search)}</label><input id="q" name="q" type="search" value=text /></div>
                    <div class="field"><label for="segment">{td_string!(locale, field_segment)}</label>
                        <select id="segment" name="segment"><option value="">{td_string!(locale, filter_any)}</option>
                            {segment_names.iter().map(|(code, name)| option(code.clone(), name.clone(), segment == *code)).collect_view()}</select></div>
                    <div class="field"><label for="qualification">{td_string!(locale, field_qualification_kind)}</label>
                        <select id="qualification" name="qualification"><option value="">{td_string!(locale, filter_any)}</option>
                            {QualificationKind::ALL.into_iter().map(|k| option(k.as_str().to_string(), qualification_text(i18n, k), qualification == k.as_str())).collect_view()}</select></div>
                    <div class="field"><label for="status">{td_string!(locale, filter_status)}</label>
                        <select id="status" name="status"><option value="">{td_string!(locale, filter_any)}</option>
                            {TenancyStatus::ALL.into_iter().map(|s| option(s.as_str().to_string(), status_text(i18n, s), status == s.as_str())).collect_view()}</select></div>
                    <div class="field"><label for="report">{td_string!(locale, filter_report)}</label>
                        <select id="report" name="report"><option value="">{td_string!(locale, filter_any)}</option>
                            {option("filed".into(), td_string!(locale, report_filed).to_string(), report == "filed")}
                            {option("missing".into(), td_string!(locale, report_missing).to_string(), report == "missing")}
                        </select></div>
                    <div class="field"><label for="sort">{td_string!(locale, sort_by)}</label>
                        <select id="sort" name="sort">
                            {option("name".into(), td_string!(locale, sort_name).to_string(), sort == "name")}
                            {option("-applied".into(), td_string!(locale, sort_newest).to_string(), sort == "-applied")}
                            {option("applied".into(), td_string!(locale, sort_oldest).to_string(), sort == "applied")}
                        </select></div>
                    <button type="submit" class="button">{td_string!(locale, filter_submit)}</button>
                </form>
            };
            let results = match list {
                Ok(p) => {
                    let table = if p.items.is_empty() {
                        view! {
                            <div class="empty" data-testid="tenants-empty">
                                <p>{td_string!(locale, tenants_empty)}</p>
                                <p><a href=format!("/park/tenants?base={base}")>{td_string!(locale, filters_clear)}</a></p>
                            </div>
                        }.into_any()
                    } else {
                        // Each cell is labelled with its column (the cards a phone shows).
                        let labels = [
                            td_string!(locale, field_company_name),
                            td_string!(locale, field_credit_code),
                            td_string!(locale, field_segment),
                            td_string!(locale, filter_status),
                            td_string!(locale, tenancy_applied_at),
                        ];
                        view! {
                            <table class="table table--stack" data-testid="tenants">
                                <caption class="visually-hidden">{td_string!(locale, tenants_title)}</caption>
                                <thead><tr>{labels.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                                <tbody>
                                    {p.items.into_iter().map(|r| {
                                        let segment = r.segment.map(|code| segment_names.iter().find(|(c, _)| *c == code).map(|(_, n)| n.clone()).unwrap_or(code)).unwrap_or_default();
                                        view! {
                                            <tr>
                                                <td data-label=labels[0]><a href=format!("/park/companies/{}?base={base}", r.enterprise_id)>{r.name_zh}</a></td>
                                                <td data-label=labels[1]><code>{r.credit_code}</code></td>
                                                <td data-label=labels[2]>{segment}</td>
                                                <td data-label=labels[3]>{status_text(i18n, r.status)}</td>
                                                <td data-label=labels[4]>{r.applied_at.date_naive().to_string()}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    };
                    view! {
                        <p role="status">{td!(locale, results_total, count = p.total)}</p>
                        <p class="exports">
                            <a href=export("xlsx") download="" data-testid="export-xlsx">{td_string!(locale, export_xlsx)}</a>
                            " · "
                            <a href=export("csv") download="" data-testid="export-csv">{td_string!(locale, export_csv)}</a>
                        </p>
                        <ImportBox base_id=base refused />
                        {table}
                        <Pager page=p.page total=p.total per_page=p.per_page path="/park/tenants" keep=&["base", "q", "segment", "qualification", "status", "report", "sort"] />
                    }.into_any()
                }
                Err(e) => view! { <LoadFailed code=sfn_code(&e) /> }.into_any(),
            };
            // Everything here is plain markup with no island and nothing left to wait for
            // (no Suspense: written this way, one would show its fallback): it is written in
            // one synchronous pass into the section (`RenderHtml::to_html`, escaping as
            // always), not element by element through the streaming renderer, which makes
            // two strings for every element and was a fifth of this page's rendering.
            let body = view! {
                <PageTitle text=td_string!(locale, tenants_title).to_string() />
                <h1 id="tenants-title">{td_string!(locale, tenants_title)}</h1>
                {filters}
                {results}
            }
            .to_html();
            view! { <section aria-labelledby="tenants-title" inner_html=body></section> }
        })}
    }
}

#[component]
pub fn ParkCompanyPage() -> impl IntoView {
    view! { <SignedIn child=|_me| view! { <ParkCompany /> }.into_any() /> }
}

#[component]
fn ParkCompany() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let id = id_param();
    let data = Resource::new(move || id.get(), get_company);
    let choices = Resource::new(|| (), |_| registry_choices());
    let decided = q("decided");
    view! {
        <Suspense fallback=move || view! { <p>{td!(locale, loading)}</p> }>
            {move || Suspend::new(async move {
                let segments = choices.await.map(|c| c.0).unwrap_or_default();
                match data.await {
                    Ok((profile, history, tenancies)) => {
                        let here = format!("/park/companies/{}", profile.id);
                        view! {
                            <section class="form-page form-page--wide" aria-labelledby="pc-title">
                                <PageTitle text=profile.name_zh.clone() /><h1 id="pc-title">{profile.name_zh.clone()}</h1>
                                <p><code>{profile.credit_code.clone()}</code></p>
                                {
                                    let company = profile.name_zh.clone();
                                    move || match TenancyStatus::parse(&decided.get()) {
                                        // A tenancy decision: what happened to whom.
                                        Some(status) => {
                                            let (company, status) = (company.clone(), status_text(i18n, status));
                                            Some(view! {
                                                <p role="status" class="form-ok" data-testid="decision-result">
                                                    {td!(locale, tenancy_decided_msg, company = move || company.clone(), status = move || status.clone())}
                                                </p>
                                            }.into_any())
                                        }
                                        // Another decision on this page (the company's verification).
                                        None if !decided.get().is_empty() => Some(view! { <p role="status" class="form-ok">{td!(locale, saved)}</p> }.into_any()),
                                        None => None,
                                    }
                                }
                                <FormErrors />
                                <ProfileView profile=profile.clone() />
                                <h2>{td!(locale, verification_decide)}</h2>
                                <form method="post" action=format!("/forms/enterprises/{}/verification", profile.id) class="form decision">
                                    <input type="hidden" name="back" value=here.clone() />
                                    <TextField name="verification_reason" label=td_string!(locale, field_verification_reason).to_string() required=false />
                                    <div>
                                        <button type="submit" name="decision" value="verified" class="button inline-button">{td!(locale, verification_verify)}</button>
                                        <button type="submit" name="decision" value="refused" class="button button--secondary inline-button">{td!(locale, verification_refuse)}</button>
                                    </div>
                                </form>
                                <h2>{td!(locale, tenancies_title)}</h2>
                                // In their own element: an empty list between siblings did not hydrate.
                                <div class="decisions">{tenancies.iter().filter(|t| t.status.is_open()).map(|t| {
                                    let action = format!("/forms/tenancies/{}/decision", t.id);
                                    let here = here.clone();
                                    let buttons: Vec<(&str, String)> = match t.status {
                                        TenancyStatus::Applied => vec![("admit", td_string!(locale, action_admit).to_string()), ("reject", td_string!(locale, action_reject).to_string())],
                                        TenancyStatus::Admitted => vec![("suspend", td_string!(locale, action_suspend).to_string()), ("move_out", td_string!(locale, action_move_out).to_string())],
                                        TenancyStatus::Suspended => vec![("reinstate", td_string!(locale, action_reinstate).to_string()), ("move_out", td_string!(locale, action_move_out).to_string())],
                                        _ => vec![],
                                    };
                                    view! {
                                        <form method="post" action=action class="form decision">
                                            <input type="hidden" name="back" value=here />
                                            <p>{t.plan.clone().unwrap_or_default()} " · " {t.floor_space_m2.map(|f| format!("{f} m²")).unwrap_or_default()} " · " {t.staff_on_site.map(|s| s.to_string()).unwrap_or_default()}</p>
                                            <TextField name="reason" label=td_string!(locale, tenancy_reason).to_string() required=false />
                                            <div>
                                                {buttons.into_iter().map(|(value, label)| view! { <button type="submit" name="action" value=value class="button inline-button">{label}</button> }).collect_view()}
                                            </div>
                                        </form>
                                    }
                                }).collect_view()}</div>
                                <TenancyList tenancies />
                                <History history segments />
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <PageFailed code=sfn_code(&e) /> }.into_any(),
                }
            })}
        </Suspense>
        // Made with the page, not once the company has loaded: resources created inside the
        // Suspend above (after an await) did not always get the same numbers on the server and
        // in the browser, and the page then failed to hydrate.
        <section class="form-page form-page--wide" aria-label=move || td_string!(locale, documents_title).to_string()>
            {move || {
                let enterprise_id = id.get();
                view! {
                    <ReportsTable enterprise_id />
                    <RecommendedApplications enterprise_id />
                    <Documents enterprise_id editable=false />
                }
            }}
        </section>
    }
}

/// Links for the dashboard.
#[component]
pub fn RegistryLinks(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let company = me.enterprise().and_then(|g| g.enterprise_id);
    let park = me.has_role(Role::ParkManager);
    view! {
        {company.map(|id| view! {
            <ul class="links">
                <li><a href=format!("/company/{id}/profile")>{td!(locale, profile_title)}</a></li>
                <li><a href=format!("/company/{id}/tenancies")>{td!(locale, tenancies_title)}</a></li>
                <li><a href=format!("/company/{id}/reports")>{td!(locale, reports_title)}</a></li>
            </ul>
        })}
        {park.then(|| view! { <ul class="links"><li><a href="/park/tenants">{td!(locale, tenants_title)}</a></li><li><a href="/park/reports">{td!(locale, park_reports_title)}</a></li><li><a href="/park/dashboard">{td!(locale, park_dashboard_title)}</a></li></ul> })}
    }
}

#[component]
pub fn CompanyReportsPage() -> impl IntoView {
    view! { <SignedIn child=|_me| view! { <CompanyReports /> }.into_any() /> }
}

/// Minutes as hours with up to two decimals.
fn hours(minutes: i64) -> String {
    let hundredths = (minutes * 100 + 30) / 60;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

fn yuan_input(f: shared::Fen) -> String {
    format!("{}.{:02}", f.0 / 100, f.0 % 100)
}

#[component]
fn CompanyReports() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let id = id_param();
    let chosen = q("period");
    let filed = q("filed");
    let data = Resource::new(move || id.get(), crate::server_fns::company_reports);
    view! {
        <section class="form-page form-page--wide" aria-labelledby="rep-title">
            <PageTitle text=td_string!(locale, reports_title).to_string() />
            <h1 id="rep-title">{td!(locale, reports_title)}</h1>
            <Show when=move || !filed.get().is_empty()><p role="status" class="form-ok">{td!(locale, report_saved)}</p></Show>
            <FormErrors />
            <Suspense fallback=move || view! { <p>{td!(locale, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((reports, periods, segments)) => {
                            let period = Some(chosen.get_untracked()).filter(|p| periods.contains(p)).unwrap_or_else(|| periods.first().cloned().unwrap_or_default());
                            let current = reports.iter().find(|r| r.period == period).cloned();
                            let input = current.as_ref().map(|r| r.input.clone());
                            let pid = id.get_untracked();
                            view! {
                                <form method="get" class="filters">
                                    <div class="field"><label for="period-pick">{td!(locale, report_period)}</label>
                                        <select id="period-pick" name="period">
                                            {periods.iter().map(|p| { let sel = *p == period; view! { <option value=p.clone() selected=sel>{p.clone()}</option> } }).collect_view()}
                                        </select></div>
                                    <button type="submit" class="button button--secondary">{td!(locale, report_choose)}</button>
                                </form>
                                <form method="post" action=format!("/forms/enterprises/{pid}/reports") class="form">
                                    <input type="hidden" name="period" value=period.clone() />
                                    <p>{td!(locale, report_period)} ": " <strong data-testid="report-period">{period.clone()}</strong>
                                        {current.as_ref().map(|r| view! { " · " {td!(locale, report_filed)} " " {r.submitted_at.format("%Y-%m-%d").to_string()} })}</p>
                                    <fieldset>
                                        <legend>{td!(locale, report_revenue_by_segment)}</legend>
                                        {segments.into_iter().map(|s| {
                                            let name = segment_name(i18n, &s);
                                            let key = format!("rev_{}", s.code);
                                            let value = input.as_ref().and_then(|i| i.revenue_by_segment.iter().find(|r| r.segment == s.code)).map(|r| yuan_input(r.revenue)).unwrap_or_default();
                                            view! { <Prefilled name=key label=name value required=false /> }
                                        }).collect_view()}
                                    </fieldset>
                                    <Prefilled name="revenue_total" label=td_string!(locale, report_revenue_total).to_string() value=input.as_ref().map(|i| yuan_input(i.revenue_total)).unwrap_or_default() />
                                    <Prefilled name="rd_spend" label=td_string!(locale, report_rd_spend).to_string() value=input.as_ref().map(|i| yuan_input(i.rd_spend)).unwrap_or_default() />
                                    <Prefilled name="employees" label=td_string!(locale, field_employees).to_string() kind="number" value=input.as_ref().map(|i| i.employees.to_string()).unwrap_or_default() />
                                    <Prefilled name="content_4k_hours" label=td_string!(locale, report_content_4k).to_string() value=input.as_ref().map(|i| hours(i.content_4k_minutes)).unwrap_or_default() />
                                    <Prefilled name="content_8k_hours" label=td_string!(locale, report_content_8k).to_string() value=input.as_ref().map(|i| hours(i.content_8k_minutes)).unwrap_or_default() />
                                    <Prefilled name="patents_granted" label=td_string!(locale, report_patents).to_string() kind="number" value=input.as_ref().map(|i| i.patents_granted.to_string()).unwrap_or_default() />
                                    <button type="submit" class="button">{td!(locale, report_submit)}</button>
                                </form>
                                <h2>{td!(locale, reports_filed_heading)}</h2>
                                <table class="table" data-testid="reports">
                                    <thead><tr><th scope="col">{td!(locale, report_period)}</th><th scope="col">{td!(locale, report_revenue_total)}</th><th scope="col">{td!(locale, report_rd_spend)}</th><th scope="col">{td!(locale, field_employees)}</th><th scope="col">"4K h"</th><th scope="col">"8K h"</th><th scope="col">{td!(locale, report_patents)}</th></tr></thead>
                                    <tbody>
                                        {reports.into_iter().map(|r| view! {
                                            <tr><td>{r.period.clone()}</td><td>{r.input.revenue_total.format_yuan()}</td><td>{r.input.rd_spend.format_yuan()}</td><td>{r.input.employees}</td>
                                                <td>{hours(r.input.content_4k_minutes)}</td><td>{hours(r.input.content_8k_minutes)}</td><td>{r.input.patents_granted}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
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
pub fn ParkReportsPage() -> impl IntoView {
    view! {
        <SignedIn child=|me| match managed_bases(&me) {
            bases if bases.is_empty() => view! { <NotAParkManager /> }.into_any(),
            bases => view! { <ParkReports bases /> }.into_any(),
        } />
    }
}

#[component]
fn ParkReports(bases: Vec<(i64, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let (base_q, period, filed, reminded, page) = (q("base"), q("period"), q("filed"), q("reminded"), q("page"));
    let (emails, recent, no_account, confirm) = (q("emails"), q("recent"), q("no_account"), q("confirm"));
    let first = bases[0].0;
    let base = Memo::new(move |_| base_q.get().parse::<i64>().unwrap_or(first));
    let data = Resource::new(
        move || (base.get(), period.get(), filed.get(), page.get().parse::<i64>().unwrap_or(1)),
        |(b, p, f, n)| crate::server_fns::filing(b, p, f, n),
    );
    view! {
        <section aria-labelledby="pr-title">
            <PageTitle text=td_string!(locale, park_reports_title).to_string() />
            <h1 id="pr-title">{td!(locale, park_reports_title)}</h1>
            <Show when=move || !reminded.get().is_empty()>
                <div role="status" class="form-ok" data-testid="reminders-result">
                    <p>{td!(locale, reminders_result, companies = move || reminded.get(), emails = move || emails.get())}</p>
                    <Show when=move || nonzero(&recent.get())>
                        <p>{td!(locale, reminders_result_recent, count = move || recent.get())}</p>
                    </Show>
                    <Show when=move || nonzero(&no_account.get())>
                        <p>{td!(locale, reminders_result_no_account, count = move || no_account.get())}</p>
                    </Show>
                </div>
            </Show>
            <FormErrors />
            <Suspense fallback=move || view! { <p>{td!(locale, loading)}</p> }>
                {move || {
                    let bases = bases.clone();
                    Suspend::new(async move {
                    match data.await {
                        Ok((period_text, p)) => {
                            let b = base.get_untracked();
                            view! {
                                <form method="get" action="/park/reports" class="filters" role="search">
                                    <div class="field"><label for="base">{td!(locale, field_base_name)}</label>
                                        <select id="base" name="base">{bases.into_iter().map(|(id, name)| view! { <option value=id.to_string() selected=id == b>{name}</option> }).collect_view()}</select></div>
                                    <div class="field"><label for="period">{td!(locale, report_period)}</label><input id="period" name="period" value=period_text.clone() /></div>
                                    <div class="field"><label for="filed">{td!(locale, filter_report)}</label>
                                        <select id="filed" name="filed"><option value="">{td!(locale, filter_any)}</option>
                                            <option value="true" selected=move || filed.get() == "true">{td!(locale, report_filed)}</option>
                                            <option value="false" selected=move || filed.get() == "false">{td!(locale, report_missing)}</option></select></div>
                                    <button type="submit" class="button">{td!(locale, filter_submit)}</button>
                                </form>
                                <p role="status">{td!(locale, results_total, count = p.total)}</p>
                                {if p.items.is_empty() {
                                    view! { <p class="empty" data-testid="filing-empty">{td!(locale, filing_empty)}</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="table table--stack" data-testid="filing">
                                            <caption class="visually-hidden">{td!(locale, park_reports_title)}</caption>
                                            <thead><tr><th scope="col">{td!(locale, field_company_name)}</th><th scope="col">{td!(locale, filter_report)}</th><th scope="col">{td!(locale, reminder_last)}</th></tr></thead>
                                            <tbody>
                                                {p.items.into_iter().map(|f| view! {
                                                    <tr>
                                                        <td data-label=td_string!(locale, field_company_name).to_string()><a href=format!("/park/companies/{}", f.enterprise_id)>{f.name_zh.clone()}</a></td>
                                                        <td data-label=td_string!(locale, filter_report).to_string()>{if f.filed { format!("{} {}", td_string!(locale, report_filed), f.submitted_at.map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_default()) } else { td_string!(locale, report_missing).to_string() }}</td>
                                                        <td data-label=td_string!(locale, reminder_last).to_string()>{f.last_reminded_at.map(crate::components::text::beijing).unwrap_or_else(|| "—".to_string())}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    }.into_any()
                                }}
                                <Pager page=p.page total=p.total per_page=p.per_page path="/park/reports" keep=&["base", "period", "filed"] />
                                {if confirm.get_untracked() == "1" {
                                    view! { <ReminderConfirm base=b period=period_text.clone() /> }.into_any()
                                } else {
                                    view! {
                                        <form method="get" action="/park/reports" class="form">
                                            <input type="hidden" name="base" value=b.to_string() />
                                            <input type="hidden" name="period" value=period_text.clone() />
                                            <input type="hidden" name="confirm" value="1" />
                                            <button type="submit" class="button">{td!(locale, send_reminders)}</button>
                                        </form>
                                        <crate::pages::jobs::ScheduledReminders base=b period=period_text.clone() />
                                    }.into_any()
                                }}
                            }.into_any()
                        }
                        Err(e) => view! { <LoadFailed code=sfn_code(&e) /> }.into_any(),
                    }
                })}}
            </Suspense>
        </section>
    }
}

/// A count from the query string that is more than zero.
fn nonzero(count: &str) -> bool {
    count.parse::<usize>().is_ok_and(|n| n != 0)
}

/// The confirmation before report reminders go out: who gets an email, who was reminded too
/// recently to be reminded again, who has no account; then send or cancel.
#[component]
fn ReminderConfirm(base: i64, period: String) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let plan = Resource::new({
        let period = period.clone();
        move || period.clone()
    }, move |p| crate::server_fns::reminder_preview(base, p));
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let period = period.clone();
                Suspend::new(async move {
                    match plan.await {
                        Ok(r) => view! {
                            <section class="callout" aria-labelledby="confirm-title" data-testid="reminders-confirm">
                                <h2 id="confirm-title" tabindex="-1" autofocus=true>{td!(locale, reminders_confirm_title)}</h2>
                                <p>{
                                    let (companies, mails, shown) = (r.companies, r.emails, period.clone());
                                    td!(locale, reminders_confirm_body, companies = move || companies, emails = move || mails, period = move || shown.clone())
                                }</p>
                                {(!r.skipped_recent.is_empty()).then(|| view! {
                                    <p>{td!(locale, reminders_confirm_recent)}</p>
                                    <ul>{r.skipped_recent.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>
                                })}
                                {(!r.without_account.is_empty()).then(|| view! {
                                    <p>{td!(locale, reminders_confirm_no_account)}</p>
                                    <ul>{r.without_account.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>
                                })}
                                {if r.companies > 0 {
                                    view! {
                                        <form method="post" action=format!("/forms/bases/{base}/reminders") class="form form--inline-actions">
                                            <input type="hidden" name="period" value=period.clone() />
                                            <button type="submit" class="button">{td!(locale, reminders_confirm_send)}</button>
                                            <a href=format!("/park/reports?base={base}&period={}", url_encode(&period))>{td!(locale, cancel)}</a>
                                        </form>
                                    }.into_any()
                                } else {
                                    view! { <p><strong>{td!(locale, reminders_confirm_nobody)}</strong> " " <a href=format!("/park/reports?base={base}&period={}", url_encode(&period))>{td!(locale, back)}</a></p> }.into_any()
                                }}
                            </section>
                        }.into_any(),
                        Err(e) => view! { <LoadFailed code=sfn_code(&e) /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn ParkDashboardPage() -> impl IntoView {
    view! {
        <SignedIn child=|me| match managed_bases(&me) {
            bases if bases.is_empty() => view! { <NotAParkManager /> }.into_any(),
            bases => view! { <ParkDashboardView bases /> }.into_any(),
        } />
    }
}

#[component]
fn ParkDashboardView(bases: Vec<(i64, String)>) -> impl IntoView {
    use crate::components::chart::{Bar, BarChart};
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let base_q = q("base");
    let first = bases[0].0;
    let base = Memo::new(move |_| base_q.get().parse::<i64>().unwrap_or(first));
    let data = Resource::new(move || base.get(), crate::server_fns::park_dashboard);
    let name = move || bases.iter().find(|b| b.0 == base.get()).map(|b| b.1.clone()).unwrap_or_default();
    view! {
        <section aria-labelledby="dash-park-title" class="park-dashboard">
            <PageTitle text=format!("{} · {}", td_string!(locale, park_dashboard_title), name()) /><h1 id="dash-park-title">{td!(locale, park_dashboard_title)} " · " {name.clone()}</h1>
            <Suspense fallback=move || view! { <p>{td!(locale, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => {
                            let en = is_english(i18n);
                            let label = |l: &shared::dto::Bilingual| if en { l.en.clone() } else { l.zh.clone() };
                            let count = |v: i64| Bar { label: String::new(), value: v, shown: v.to_string() };
                            let segs: Vec<Bar> = d.by_segment.iter().map(|t| Bar { label: label(&t.label), ..count(t.value) }).collect();
                            let quals: Vec<Bar> = d.by_qualification.iter().map(|t| Bar { label: label(&t.label), ..count(t.value) }).collect();
                            let revenue: Vec<Bar> = d.periods.iter().map(|p| Bar { label: p.period.clone(), value: p.revenue.0, shown: p.revenue.format_yuan() }).collect();
                            let employees: Vec<Bar> = d.periods.iter().map(|p| Bar { label: p.period.clone(), ..count(p.employees) }).collect();
                            let c4k: Vec<Bar> = d.periods.iter().map(|p| Bar { label: p.period.clone(), value: p.content_4k_minutes, shown: hours(p.content_4k_minutes) }).collect();
                            let c8k: Vec<Bar> = d.periods.iter().map(|p| Bar { label: p.period.clone(), value: p.content_8k_minutes, shown: hours(p.content_8k_minutes) }).collect();
                            let n = td_string!(locale, chart_companies).to_string();
                            view! {
                                <p role="status" data-testid="admitted-count">{td!(locale, park_admitted, count = d.admitted)}</p>
                                <BarChart id="by-segment" title=td_string!(locale, chart_by_segment).to_string() value_heading=n.clone() bars=segs />
                                <BarChart id="by-qualification" title=td_string!(locale, chart_by_qualification).to_string() value_heading=n bars=quals />
                                <BarChart id="revenue" title=td_string!(locale, chart_revenue).to_string() value_heading=td_string!(locale, chart_yuan).to_string() bars=revenue />
                                <BarChart id="employees" title=td_string!(locale, chart_employees).to_string() value_heading=td_string!(locale, chart_people).to_string() bars=employees />
                                <BarChart id="content-4k" title=td_string!(locale, chart_content_4k).to_string() value_heading=td_string!(locale, chart_hours).to_string() bars=c4k />
                                <BarChart id="content-8k" title=td_string!(locale, chart_content_8k).to_string() value_heading=td_string!(locale, chart_hours).to_string() bars=c8k />
                            }.into_any()
                        }
                        Err(e) => view! { <LoadFailed code=sfn_code(&e) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Bulk import: the template, the upload form, and the result or the refused rows.
#[component]
fn ImportBox(base_id: i64, refused: Option<(i64, Vec<(usize, String, String)>)>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    // Rendered once on the server (no island): the outcome of an import is read from the
    // address once; the refused rows (of the report the address names) come with the page's data.
    let query = use_query_map().get_untracked();
    let get = |k: &str| query.get(k).unwrap_or_default();
    let (imported, invited) = (get("imported"), get("invited"));
    let open = refused.is_some();
    let refused = refused.map(|(id, rows)| view! {
        <div class="form-error" role="alert" data-testid="import-errors">
            <p>{td!(locale, import_rejected, count = rows.len())} " " <a href=format!("/api/v1/imports/{id}/report.csv") download="">{td_string!(locale, import_report)}</a></p>
            <table class="table">
                <thead><tr><th scope="col">{td_string!(locale, import_row)}</th><th scope="col">{td_string!(locale, import_column)}</th><th scope="col">{td_string!(locale, import_problem)}</th></tr></thead>
                <tbody>{rows.into_iter().take(200).map(|(row, column, code)| view! { <tr><td>{row}</td><td>{column}</td><td>{error_text(i18n, &code)}</td></tr> }).collect_view()}</tbody>
            </table>
        </div>
    });
    view! {
        <details class="import" open=open>
            <summary>{td_string!(locale, import_title)}</summary>
            <p><a href="/api/v1/tenant-import-template.xlsx" download="">{td_string!(locale, import_template)}</a></p>
            <form method="post" action=format!("/forms/bases/{base_id}/import") enctype="multipart/form-data" class="form form--inline">
                <div class="field">
                    <label for="import-file">{td_string!(locale, import_file)}</label>
                    <input id="import-file" name="file" type="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required=true aria-describedby="f-file-error" />
                    <FieldMessage name="file" />
                </div>
                <button type="submit" class="button">{td_string!(locale, import_submit)}</button>
            </form>
        </details>
        {(!imported.is_empty()).then(|| view! { <p role="status" class="form-ok">{td_string!(locale, import_done)} " " {imported.clone()}</p> })}
        {(!invited.is_empty() && invited != "0").then(|| view! { <p role="status" class="form-ok">{td_string!(locale, import_invited)} " " {invited.clone()}</p> })}
        {refused}
    }
}

/// A company's documents: download links for everyone who may see them, an upload form for the
/// company's administrator.
#[component]
fn Documents(enterprise_id: i64, editable: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let docs = Resource::new(move || enterprise_id, crate::server_fns::get_documents);
    let uploaded = q("uploaded");
    let kind_text = move |k: &str| match k {
        "business_licence" => td_string!(locale, doc_business_licence).to_string(),
        "certificate" => td_string!(locale, doc_certificate).to_string(),
        _ => td_string!(locale, doc_other).to_string(),
    };
    view! {
        <h2>{td!(locale, documents_title)}</h2>
        <Show when=move || !uploaded.get().is_empty()><p role="status" class="form-ok">{td!(locale, doc_uploaded)}</p></Show>
        <Suspense fallback=move || view! { <p>{td!(locale, loading)}</p> }>
            {move || Suspend::new(async move {
                let list = docs.await.unwrap_or_default();
                view! {
                    <ul class="links" data-testid="documents">
                        {list.into_iter().map(|d| view! {
                            <li>{kind_text(&d.kind)} ": " <a href=format!("/api/v1/documents/{}/file", d.id) download="">{d.file_name.clone()}</a>
                                " (" {format!("{:.1} KB", d.size_bytes as f64 / 1024.0)} ", " {d.uploaded_at.format("%Y-%m-%d").to_string()} ")"</li>
                        }).collect_view()}
                    </ul>
                }
            })}
        </Suspense>
        {editable.then(|| view! {
            <form method="post" action=format!("/forms/enterprises/{enterprise_id}/documents") enctype="multipart/form-data" class="form form--inline">
                <div class="field">
                    <label for="doc-kind">{td!(locale, doc_kind)}</label>
                    <select id="doc-kind" name="kind">
                        {shared::registry::DOCUMENT_KINDS.iter().map(|k| view! { <option value=*k>{kind_text(k)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="doc-file">{td!(locale, doc_file)}</label>
                    <input id="doc-file" name="file" type="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" required=true aria-describedby="f-file-error" />
                    <FieldMessage name="file" />
                </div>
                <button type="submit" class="button">{td!(locale, doc_upload)}</button>
            </form>
        })}
    }
}

/// A company's filed reports (for the park manager's tenant page).
#[component]
fn ReportsTable(enterprise_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let data = Resource::new(move || enterprise_id, crate::server_fns::company_reports);
    view! {
        <h2>{td!(locale, reports_filed_heading)}</h2>
        <Suspense fallback=move || view! { <p>{td!(locale, loading)}</p> }>
            {move || Suspend::new(async move {
                let reports = data.await.map(|d| d.0).unwrap_or_default();
                view! {
                    <table class="table" data-testid="tenant-reports">
                        <thead><tr><th scope="col">{td!(locale, report_period)}</th><th scope="col">{td!(locale, report_revenue_total)}</th><th scope="col">{td!(locale, report_rd_spend)}</th><th scope="col">{td!(locale, field_employees)}</th><th scope="col">"4K h"</th><th scope="col">"8K h"</th><th scope="col">{td!(locale, report_patents)}</th></tr></thead>
                        <tbody>
                            {reports.into_iter().map(|r| view! {
                                <tr><td>{r.period.clone()}</td><td class="num">{r.input.revenue_total.format_yuan()}</td><td class="num">{r.input.rd_spend.format_yuan()}</td><td class="num">{r.input.employees}</td>
                                    <td class="num">{hours(r.input.content_4k_minutes)}</td><td class="num">{hours(r.input.content_8k_minutes)}</td><td class="num">{r.input.patents_granted}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            })}
        </Suspense>
    }
}

/// The company's applications the park manager's base recommended (tenant page).
#[component]
fn RecommendedApplications(enterprise_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let data = Resource::new(move || enterprise_id, crate::server_fns::recommended_applications);
    view! {
        <h2 id="recommended-title">{td!(locale, recommended_heading)}</h2>
        <Suspense fallback=move || view! { <p>{td!(locale, loading)}</p> }>
            {move || Suspend::new(async move {
                let apps = data.await.unwrap_or_default();
                if apps.is_empty() {
                    return view! { <p>{td!(locale, recommended_none)}</p> }.into_any();
                }
                let en = is_english(i18n);
                view! {
                    <table class="table" data-testid="recommended-applications" aria-labelledby="recommended-title">
                        <thead><tr>
                            <th scope="col">{td!(locale, recommended_project)}</th><th scope="col">{td!(locale, recommended_program)}</th>
                            <th scope="col">{td!(locale, recommended_state)}</th><th scope="col">{td!(locale, recommended_requested)}</th>
                            <th scope="col">{td!(locale, recommended_approved)}</th><th scope="col">{td!(locale, recommended_on)}</th>
                        </tr></thead>
                        <tbody>
                            {apps.into_iter().map(|a| view! {
                                <tr>
                                    <td>{a.title.clone()}</td>
                                    <td>{if en { a.program_title_en.clone() } else { a.program_title_zh.clone() }}</td>
                                    <td>{crate::pages::applications::state_text(i18n, a.state)}</td>
                                    <td class="num"><crate::components::text::Money amount=a.amount_requested /></td>
                                    <td class="num">{a.amount_approved.map(|f| view! { <crate::components::text::Money amount=f /> })}</td>
                                    <td>{a.recommended_at.format("%Y-%m-%d").to_string()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            })}
        </Suspense>
    }
}

/// The bases this person manages, with their names.
fn managed_bases(me: &Me) -> Vec<(i64, String)> {
    me.roles.iter().filter(|g| g.role == Role::ParkManager).filter_map(|g| g.base_id.map(|b| (b, g.scope_name.clone().unwrap_or_default()))).collect()
}

#[component]
fn NotAParkManager() -> impl IntoView {
    view! { <Forbidden /> }
}
