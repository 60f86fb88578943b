//! The program editor, for system admins and agency leads (their own agency's programs):
//! the programs (`/admin/programs`), a new program started from an existing one, and one
//! program's definition as TOML (`/admin/programs/<code>`), saved as a new version when its
//! call is open or applications were filed under it. What could not be saved is kept for its
//! author and shown again with why.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::accounts::Role;
use shared::programs::ProgramKind;

use crate::components::form::{error_text, parse_errors, sfn_code, FieldMessage, FormErrors, TextField};
use crate::components::layout::PageTitle;
use crate::components::signed_in::SignedIn;
use crate::components::text::{beijing, bilingual};
use crate::i18n::*;
use crate::pages::not_found::{refusal_page, Forbidden, LoadFailed};
use crate::server_fns::{admin_programs, program_editor};

fn kind_text(i18n: leptos_i18n::I18nContext<Locale>, kind: ProgramKind) -> String {
    match kind {
        ProgramKind::FirstSetEquipment => t_string!(i18n, program_kind_first_set).to_string(),
        ProgramKind::UhdContent => t_string!(i18n, program_kind_content).to_string(),
        ProgramKind::General => t_string!(i18n, program_kind_general).to_string(),
    }
}

fn editors_only(me: &shared::accounts::Me) -> bool {
    me.has_role(Role::SystemAdmin) || me.has_role(Role::AgencyLead)
}

#[component]
pub fn AdminProgramsPage() -> impl IntoView {
    view! { <SignedIn child=|me| if editors_only(&me) { view! { <Programs /> }.into_any() } else { view! { <Forbidden /> }.into_any() } /> }
}

#[component]
fn Programs() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| admin_programs());
    view! {
        <section class="form-page form-page--wide" aria-labelledby="ap-title">
            <PageTitle text=t_string!(i18n, admin_programs_title).to_string() />
            <h1 id="ap-title">{t!(i18n, admin_programs_title)}</h1>
            <FormErrors />
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(rows) => {
                            let templates = rows.clone();
                            view! {
                                <table class="table" data-testid="admin-programs">
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, admin_program_code)}</th><th scope="col">{t!(i18n, verify_program)}</th>
                                        <th scope="col">{t!(i18n, admin_program_kind)}</th><th scope="col">{t!(i18n, admin_program_version)}</th>
                                        <th scope="col">{t!(i18n, call_window)}</th><th scope="col"><span class="visually-hidden">{t!(i18n, edit)}</span></th>
                                    </tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|p| view! {
                                            <tr>
                                                <td><code>{p.code.clone()}</code></td>
                                                <td><a href=format!("/programs/{}", p.code)>{bilingual(i18n, p.title.clone())}</a></td>
                                                <td>{kind_text(i18n, p.kind)}</td>
                                                <td>{p.version}</td>
                                                <td>{format!("{} – {}", beijing(p.call_opens_at), beijing(p.call_closes_at))}</td>
                                                <td>{p.may_edit.then(|| view! { <a href=format!("/admin/programs/{}", p.code)>{t!(i18n, edit)} <span class="visually-hidden">" " {p.code.clone()}</span></a> })}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <h2 id="new-title">{t!(i18n, admin_program_new)}</h2>
                                <form method="post" action="/forms/programs/new" class="form" aria-labelledby="new-title" novalidate=true>
                                    <TextField name="code" label=t_string!(i18n, admin_program_code).to_string() hint=t_string!(i18n, admin_program_code_hint).to_string() />
                                    <div class="field">
                                        <label for="f-from">{t!(i18n, admin_program_from)}</label>
                                        <select id="f-from" name="from" aria-describedby="f-from-error">
                                            {templates.into_iter().map(|p| view! { <option value=p.code.clone()>{format!("{} · ", p.code)} {bilingual(i18n, p.title.clone())}</option> }).collect_view()}
                                        </select>
                                        <FieldMessage name="from" />
                                    </div>
                                    <button type="submit" class="button">{t!(i18n, admin_program_start)}</button>
                                </form>
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
pub fn AdminProgramPage() -> impl IntoView {
    view! { <SignedIn child=|me| if editors_only(&me) { view! { <ProgramEdit /> }.into_any() } else { view! { <Forbidden /> }.into_any() } /> }
}

#[component]
fn ProgramEdit() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    let from = Memo::new(move |_| query.read().get("from"));
    let data = Resource::new(move || (code.get(), from.get()), |(code, from)| program_editor(code, from));
    let q = query.get_untracked();
    let saved = q.get("saved").map(|outcome| (outcome, q.get("version").unwrap_or_default()));
    // Every error of the definition by its path in the text (`materials.2.types`).
    let errors: Vec<(String, String)> = parse_errors(&q.get("err").unwrap_or_default()).into_iter().filter(|(f, _)| f != "_").collect();
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || {
                let (saved, errors) = (saved.clone(), errors.clone());
                Suspend::new(async move {
                    match data.await {
                        Ok(ed) => {
                            let title = if ed.exists { t_string!(i18n, admin_program_edit_title).to_string() } else { t_string!(i18n, admin_program_new_title).to_string() };
                            let page = format!("/admin/programs/{}", ed.code);
                            let action = format!("/forms/programs/{}", ed.code);
                            view! {
                                <section class="form-page form-page--wide" aria-labelledby="pe-title">
                                    <PageTitle text=format!("{title} {}", ed.code) />
                                    <p class="card__meta"><a href="/admin/programs">{t!(i18n, admin_programs_title)}</a>
                                        {ed.exists.then(|| view! { " › " <a href=format!("/programs/{}", ed.code)>{t!(i18n, admin_program_guide)}</a> })}</p>
                                    <h1 id="pe-title">{title} " " <code>{ed.code.clone()}</code></h1>
                                    {saved.map(|(outcome, version)| view! {
                                        <p role="status" class="form-ok" data-testid="program-saved">{match outcome.as_str() {
                                            "created" => t_string!(i18n, admin_program_created).to_string(),
                                            "new_version" => t_string!(i18n, admin_program_new_version).to_string(),
                                            "replaced" => t_string!(i18n, admin_program_replaced).to_string(),
                                            _ => t_string!(i18n, admin_program_unchanged).to_string(),
                                        }} " " {format!("v{version}")}</p>
                                    })}
                                    <FormErrors />
                                    {(!errors.is_empty()).then(|| view! {
                                        <ul class="form-error" data-testid="definition-errors">
                                            {errors.into_iter().map(|(path, code)| view! { <li><code>{path}</code> ": " {error_text(i18n, &code)}</li> }).collect_view()}
                                        </ul>
                                    })}
                                    {ed.step_up_needed.then(|| view! {
                                        <p class="callout">{t!(i18n, admin_program_step_up)} " " <a href=format!("/login/second-factor?next={}", crate::components::text::url_encode(&page))>{t!(i18n, admin_program_step_up_link)}</a></p>
                                    })}
                                    {ed.kept.clone().map(|(at, problem)| view! {
                                        <div class="callout" data-testid="kept-edit">
                                            <p>{t!(i18n, admin_program_kept)} " (" {beijing(at)} ")"</p>
                                            {(!problem.is_empty()).then(|| view! { <pre class="code">{problem}</pre> })}
                                            <form method="post" action=action.clone()>
                                                <input type="hidden" name="action" value="discard" />
                                                <button type="submit" class="button button--secondary">{t!(i18n, admin_program_discard)}</button>
                                            </form>
                                        </div>
                                    })}
                                    <form method="post" action=action class="form" novalidate=true>
                                        <div class="field">
                                            <label for="f-city_code">{t!(i18n, admin_program_city)}</label>
                                            <select id="f-city_code" name="city_code">
                                                <option value="shanghai" selected=ed.city_code == "shanghai">{t!(i18n, city_shanghai)}</option>
                                                <option value="guangzhou" selected=ed.city_code == "guangzhou">{t!(i18n, city_guangzhou)}</option>
                                            </select>
                                        </div>
                                        <div class="field">
                                            <label for="f-sort_order">{t!(i18n, admin_program_sort)}</label>
                                            <input id="f-sort_order" name="sort_order" type="number" inputmode="numeric" value=ed.sort_order.to_string() />
                                        </div>
                                        <div class="field">
                                            <label for="f-definition">{t!(i18n, admin_program_definition)}</label>
                                            <p class="field__hint" id="f-definition-hint">{t!(i18n, admin_program_definition_hint)} " " <a href="/api/v1/docs/">{t!(i18n, admin_program_docs)}</a></p>
                                            <textarea id="f-definition" name="definition" class="code" rows="30" spellcheck="false" autocapitalize="off" aria-describedby="f-definition-hint f-definition-error">{ed.text.clone()}</textarea>
                                            <FieldMessage name="definition" />
                                        </div>
                                        <button type="submit" class="button">{t!(i18n, save)}</button>
                                    </form>
                                </section>
                            }.into_any()
                        }
                        Err(e) => {
                            let code = sfn_code(&e);
                            refusal_page(&code, false).unwrap_or_else(|| view! { <section class="form-page"><p role="alert">{error_text(i18n, &code)}</p><p><a href="/admin/programs">{t!(i18n, admin_programs_title)}</a></p></section> }.into_any())
                        }
                    }
                })
            }}
        </Suspense>
    }
}
