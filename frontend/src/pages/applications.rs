//! A company's applications: the list (`/applications`), one application with its answers to
//! check, its problems, the form PDF, submission, withdrawal and timeline
//! (`/applications/<id>`), and the filing steps: the project (`/applications/<id>/project`)
//! and the materials (`/applications/<id>/materials`). Every step is a plain form the server
//! saves when it is posted.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::applications::{ApplicationState, ApplicationView};
use shared::filing::{ContentCategory, Project};
use shared::programs::{ContentFormat, FirstSetLevel};
use shared::project_form::Step;

use crate::pages::not_found::LoadFailed;
use crate::components::filing::{ProjectForm, UploadForm};
use crate::components::form::{error_text, parse_errors, sfn_code, FieldMessage, FormErrors};
use crate::components::layout::PageTitle;
use crate::components::pager::Pager;
use crate::components::signed_in::SignedIn;
use crate::components::text::{beijing, bilingual, is_english, Money};
use crate::i18n::*;
use crate::pages::programs::{format_text, level_text};
use crate::server_fns::{get_application, my_applications, ApplicationData};

/// An application's state in words meant for its applicant.
pub fn state_text(i18n: leptos_i18n::I18nContext<Locale>, state: ApplicationState) -> String {
    match state {
        ApplicationState::Draft => t_string!(i18n, app_state_draft),
        ApplicationState::RecommendingReview => t_string!(i18n, app_state_recommending_review),
        ApplicationState::FormalReview => t_string!(i18n, app_state_formal_review),
        ApplicationState::ExpertReview => t_string!(i18n, app_state_expert_review),
        ApplicationState::AgencyDecision => t_string!(i18n, app_state_agency_decision),
        ApplicationState::PublicNotice => t_string!(i18n, app_state_public_notice),
        ApplicationState::Approved => t_string!(i18n, app_state_approved),
        ApplicationState::Disbursement => t_string!(i18n, app_state_disbursement),
        ApplicationState::Closed => t_string!(i18n, app_state_closed),
        ApplicationState::Withdrawn => t_string!(i18n, app_state_withdrawn),
        ApplicationState::Rejected => t_string!(i18n, app_state_rejected),
        ApplicationState::Revoked => t_string!(i18n, app_state_revoked),
        ApplicationState::ReturnedForSupplement => t_string!(i18n, app_state_returned_for_supplement),
    }
    .to_string()
}

fn category_text(i18n: leptos_i18n::I18nContext<Locale>, c: ContentCategory) -> String {
    match c {
        ContentCategory::TvDrama => t_string!(i18n, category_tv_drama),
        ContentCategory::WebDrama => t_string!(i18n, category_web_drama),
        ContentCategory::Documentary => t_string!(i18n, category_documentary),
        ContentCategory::Animation => t_string!(i18n, category_animation),
        ContentCategory::Sports => t_string!(i18n, category_sports),
        ContentCategory::Variety => t_string!(i18n, category_variety),
        ContentCategory::Restoration => t_string!(i18n, category_restoration),
        ContentCategory::Audio3d => t_string!(i18n, category_audio_3d),
    }
    .to_string()
}

/// The label of a project field (`project.<name>` in problems, `<name>` in forms).
pub fn field_label(i18n: leptos_i18n::I18nContext<Locale>, field: &str) -> String {
    let base = field.trim_start_matches("project.").split('.').next().unwrap_or(field);
    match base {
        "equipment_name" => t_string!(i18n, pf_equipment_name).to_string(),
        "model" => t_string!(i18n, pf_model).to_string(),
        "serial_numbers" => t_string!(i18n, pf_serial_numbers).to_string(),
        "first_set_level" => t_string!(i18n, pf_first_set_level).to_string(),
        "buyer_name" => t_string!(i18n, pf_buyer_name).to_string(),
        "buyer_credit_code" => t_string!(i18n, pf_buyer_credit_code).to_string(),
        "contracts" => t_string!(i18n, pf_contracts).to_string(),
        "first_use_on" => t_string!(i18n, pf_first_use_on).to_string(),
        "patents" => t_string!(i18n, pf_patents).to_string(),
        "work_title" => t_string!(i18n, pf_work_title).to_string(),
        "category" => t_string!(i18n, pf_category).to_string(),
        "format" => t_string!(i18n, pf_format).to_string(),
        "minutes" => t_string!(i18n, pf_minutes).to_string(),
        "audio_3d" => t_string!(i18n, pf_audio_3d).to_string(),
        "licence_numbers" => t_string!(i18n, pf_licence_numbers).to_string(),
        "first_producer" => t_string!(i18n, pf_first_producer).to_string(),
        "project_title" => t_string!(i18n, pf_project_title).to_string(),
        "summary" => t_string!(i18n, pf_summary).to_string(),
        "investment_fen" => t_string!(i18n, pf_investment).to_string(),
        "requested_fen" => t_string!(i18n, pf_requested).to_string(),
        "eligibility" => t_string!(i18n, guide_who).to_string(),
        "declarations" => t_string!(i18n, step_declarations).to_string(),
        other => other.to_string(),
    }
}

/// The project's answers as (form field, label, value) rows.
fn answers(i18n: leptos_i18n::I18nContext<Locale>, project: &Project) -> Vec<(&'static str, String, String)> {
    let lines = |v: &[String]| v.join(if is_english(i18n) { ", " } else { "、" });
    let yuan = |f: Option<i64>| f.map(|f| format!("{} {}", shared::Fen(f).format_yuan(), t_string!(i18n, yuan_unit))).unwrap_or_default();
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let yes = |b: bool| if b { t_string!(i18n, yes).to_string() } else { t_string!(i18n, no).to_string() };
    match project {
        Project::FirstSet(p) => {
            let contracts = p
                .contracts
                .iter()
                .map(|c| format!("{} · {} · {}", c.number, yuan(c.value_fen), day(c.signed_on)))
                .collect::<Vec<_>>()
                .join("; ");
            vec![
                ("equipment_name", field_label(i18n, "equipment_name"), p.equipment_name.clone()),
                ("model", field_label(i18n, "model"), p.model.clone()),
                ("serial_numbers", field_label(i18n, "serial_numbers"), lines(&p.serial_numbers)),
                ("first_set_level", field_label(i18n, "first_set_level"), p.first_set_level.map(|l| level_text(i18n, l)).unwrap_or_default()),
                ("buyer_name", field_label(i18n, "buyer_name"), p.buyer_name.clone()),
                ("buyer_credit_code", field_label(i18n, "buyer_credit_code"), p.buyer_credit_code.clone()),
                ("contracts", field_label(i18n, "contracts"), contracts),
                ("first_use_on", field_label(i18n, "first_use_on"), day(p.first_use_on)),
                ("patents", field_label(i18n, "patents"), lines(&p.patents)),
            ]
        }
        Project::Content(p) => vec![
            ("work_title", field_label(i18n, "work_title"), p.work_title.clone()),
            ("category", field_label(i18n, "category"), p.category.map(|c| category_text(i18n, c)).unwrap_or_default()),
            ("format", field_label(i18n, "format"), p.format.map(|f| format_text(i18n, f)).unwrap_or_default()),
            ("minutes", field_label(i18n, "minutes"), p.minutes.map(|m| m.to_string()).unwrap_or_default()),
            ("audio_3d", field_label(i18n, "audio_3d"), yes(p.audio_3d)),
            ("licence_numbers", field_label(i18n, "licence_numbers"), lines(&p.licence_numbers)),
            ("first_producer", field_label(i18n, "first_producer"), yes(p.first_producer)),
        ],
        Project::General(p) => vec![
            ("project_title", field_label(i18n, "project_title"), p.project_title.clone()),
            ("summary", field_label(i18n, "summary"), p.summary.clone()),
            ("investment_fen", field_label(i18n, "investment_fen"), yuan(p.investment_fen)),
            ("requested_fen", field_label(i18n, "requested_fen"), yuan(p.requested_fen)),
        ],
    }
}

#[component]
pub fn ApplicationsPage() -> impl IntoView {
    view! { <SignedIn child=|_| view! { <Applications /> }.into_any() /> }
}

#[component]
fn Applications() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Memo::new(move |_| query.read().get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1));
    let data = Resource::new(move || page.get(), my_applications);
    view! {
        <section aria-labelledby="apps-title">
            <PageTitle text=t_string!(i18n, apps_title).to_string() />
            <h1 id="apps-title">{t!(i18n, apps_title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) if list.items.is_empty() => view! { <p>{t!(i18n, apps_empty)} " " <a href="/#programs">{t!(i18n, apps_find_programs)}</a></p> }.into_any(),
                        Ok(list) => view! {
                            <table class="table" data-testid="applications">
                                <thead><tr>
                                    <th scope="col">{t!(i18n, apps_project)}</th><th scope="col">{t!(i18n, verify_program)}</th>
                                    <th scope="col">{t!(i18n, application_state)}</th><th scope="col">{t!(i18n, computed_amount)}</th><th scope="col">{t!(i18n, submitted_at)}</th>
                                </tr></thead>
                                <tbody>
                                    {list.items.into_iter().map(|a| view! {
                                        <tr>
                                            <td><a href=format!("/applications/{}", a.id)>{if a.title.is_empty() { t_string!(i18n, apps_untitled).to_string() } else { a.title.clone() }}</a></td>
                                            <td>{bilingual(i18n, a.program_title.clone())}</td>
                                            <td>{state_text(i18n, a.state)}</td>
                                            <td>{a.computed_amount_fen.map(|f| view! { <Money amount=shared::Fen(f) /> })}</td>
                                            <td>{a.submitted_at.map(beijing).unwrap_or_default()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <Pager page=list.page total=list.total per_page=list.per_page path="/applications".to_string() keep=&[] />
                        }.into_any(),
                        Err(e) => view! { <LoadFailed code=sfn_code(&e) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Loads application `:id` and renders `body` with it (or the not-found page).
#[component]
fn WithApplication(body: fn(ApplicationData) -> AnyView) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let data = Resource::new(move || id.get(), get_application);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => body(data),
                    Err(_) => view! { <crate::pages::not_found::NotFound /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ApplicationPage() -> impl IntoView {
    view! { <SignedIn child=|_| view! { <WithApplication body=|d| view! { <Overview app=d.view timeline=d.timeline own=d.own /> }.into_any() /> }.into_any() /> }
}

#[component]
fn Overview(app: ApplicationView, timeline: Vec<shared::applications::TimelineEntry>, own: bool) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let id = app.id;
    let draft = app.state == ApplicationState::Draft;
    let title = bilingual(i18n, app.program_title.clone())();
    let rows = answers(i18n, &app.project);
    let problems = app.problems.clone();
    let submitted = Memo::new(move |_| query.read().get("submitted").is_some());
    let kind = app.program_kind;
    let review_app = app.clone();
    view! {
        <section aria-labelledby="app-title" data-testid="application" data-state=format!("{:?}", app.state)>
            <PageTitle text=title.clone() />
            <p class="card__meta">
                {if own { view! { <a href="/applications">{t!(i18n, apps_title)}</a> }.into_any() } else { view! { <a href="/review">{t!(i18n, review_title)}</a> }.into_any() }}
                " › " <a href=format!("/programs/{}", app.program_code)>{title.clone()}</a>
            </p>
            <h1 id="app-title">{if draft { t_string!(i18n, app_check_title).to_string() } else { t_string!(i18n, app_title).to_string() }}</h1>
            <Show when=move || submitted.get()><p role="status" class="form-ok">{t!(i18n, app_submitted_ok)}</p></Show>
            <FormErrors />
            <SubmitRefusals materials=app.materials.clone() />
            <dl class="facts">
                <dt>{t!(i18n, application_state)}</dt><dd data-testid="state">{state_text(i18n, app.state)}</dd>
                <dt>{t!(i18n, verify_code)}</dt><dd><code>{app.verification_code.clone()}</code></dd>
                <dt>{t!(i18n, call_window)}</dt><dd>{format!("{} – {} ", beijing(app.call_opens_at), beijing(app.call_closes_at))} {t!(i18n, beijing_time)}</dd>
                {app.submitted_at.map(|t| view! { <dt>{t!(i18n, submitted_at)}</dt><dd>{beijing(t)}</dd> })}
                {app.withdraw_reason.clone().map(|r| view! { <dt>{t!(i18n, app_withdraw_reason)}</dt><dd>{r}</dd> })}
                {(!app.declarations.is_empty()).then(|| view! {
                    <dt>{t!(i18n, declarations_made)}</dt>
                    <dd><ul data-testid="declarations">{app.declarations.iter().map(|d| view! { <li>{declaration_text(i18n, d)}</li> }).collect_view()}</ul></dd>
                })}
            </dl>

            <h2>{t!(i18n, app_project)}</h2>
            <dl class="answers" data-testid="answers">
                {rows.into_iter().map(|(key, label, value)| view! {
                    <div class="answers__row">
                        <dt>{label.clone()}</dt>
                        <dd>{if value.is_empty() { "—".to_string() } else { value }}</dd>
                        {draft.then(|| view! { <dd><a href=change_link(id, kind, key)>{t!(i18n, change)} <span class="visually-hidden">" " {label.clone()}</span></a></dd> })}
                    </div>
                }).collect_view()}
            </dl>

            <h2>{t!(i18n, computed_amount)}</h2>
            {match app.amount_working {
                Some(w) => view! {
                    <p data-testid="amount"><strong><Money amount=shared::Fen(w.amount_fen) /></strong></p>
                    <p class="field__hint">{t!(i18n, amount_basis)} " " <Money amount=shared::Fen(w.basis_fen) /> " · " {t!(i18n, amount_capped)} " " <Money amount=shared::Fen(w.cap_fen) /></p>
                }.into_any(),
                None => view! { <p>{t!(i18n, amount_incomplete)}</p> }.into_any(),
            }}

            <h2>{t!(i18n, guide_materials)}</h2>
            <ul data-testid="materials">
                {app.materials.iter().map(|m| view! {
                    <li>
                        {bilingual(i18n, m.name.clone())} " · "
                        {match &m.file { Some(f) => view! { <a href=format!("/api/v1/applications/{id}/materials/{}", m.code)>{f.file_name.clone()}</a> }.into_any(), None => view! { <span>{if m.required { t_string!(i18n, material_missing) } else { t_string!(i18n, optional) }}</span> }.into_any() }}
                    </li>
                }).collect_view()}
            </ul>
            {draft.then(|| view! { <p><a href=format!("/applications/{id}/materials")>{t!(i18n, app_upload_materials)}</a></p> })}
            // Only the company prints the form (each download is recorded for /verify).
            {own.then(|| view! {
                <p><a class="button button--secondary" href=format!("/api/v1/applications/{id}/form.pdf")>{t!(i18n, app_download_form)}</a></p>
                <p class="field__hint">{t!(i18n, app_form_hint)}</p>
            })}
            {(own && matches!(app.state, ApplicationState::Approved | ApplicationState::Disbursement | ApplicationState::Closed)).then(|| view! {
                <p><a class="button" href=format!("/api/v1/applications/{id}/approval.pdf") data-testid="approval-notice">{t!(i18n, app_download_approval)}</a></p>
                <p class="field__hint">{t!(i18n, app_approval_hint)}</p>
            })}

            {draft.then(|| {
                let has_problems = !problems.is_empty();
                view! {
                    <section aria-labelledby="submit-title">
                        <h2 id="submit-title">{t!(i18n, app_submit_title)}</h2>
                        {has_problems.then(|| view! {
                            <div class="callout" data-testid="problems">
                                <p>{t!(i18n, app_problems)}</p>
                                <ul>
                                    {problems.into_iter().map(|p| {
                                        let href = if p.field.starts_with("materials.") { format!("/applications/{id}/materials") } else { change_link(id, kind, &p.field) };
                                        let label = if let Some(code) = p.field.strip_prefix("materials.") {
                                            app.materials.iter().find(|m| m.code == code).map(|m| bilingual(i18n, m.name.clone())()).unwrap_or_else(|| code.to_string())
                                        } else {
                                            field_label(i18n, &p.field)
                                        };
                                        view! { <li><a href=href>{label}</a> ": " {error_text(i18n, &p.code)}</li> }
                                    }).collect_view()}
                                </ul>
                            </div>
                        })}
                        <p><a class="button" href=format!("/applications/{id}/declarations")>{t!(i18n, app_continue_declarations)}</a></p>
                    </section>
                }
            })}

            {(own && app.state.withdrawable()).then(|| view! {
                <section aria-labelledby="withdraw-title">
                    <h2 id="withdraw-title">{t!(i18n, app_withdraw_title)}</h2>
                    <form method="post" action=format!("/forms/applications/{id}/withdraw") class="form">
                        <div class="field">
                            <label for="f-reason">{t!(i18n, app_withdraw_reason)}</label>
                            <textarea id="f-reason" name="reason" required=true maxlength="1000" aria-describedby="f-reason-error"></textarea>
                            <FieldMessage name="reason" />
                        </div>
                        <button type="submit" class="button button--secondary">{t!(i18n, app_withdraw)}</button>
                    </form>
                </section>
            })}

            {(!draft).then(|| view! { <crate::pages::review::ReviewSection app=review_app.clone() /> })}
            {matches!(app.state, ApplicationState::Approved | ApplicationState::Disbursement | ApplicationState::Closed | ApplicationState::Revoked).then(|| view! { <crate::pages::awards::AwardSection id=id /> })}

            <h2>{t!(i18n, app_timeline)}</h2>
            <ol data-testid="timeline">
                {timeline.into_iter().map(|e| {
                    // The step in words, and where it left the application when it moved it.
                    let what = crate::pages::review::event_text(i18n, &e.kind);
                    let moved = e.to_state.filter(|to| Some(*to) != e.from_state).map(|s| state_text(i18n, s));
                    let text = match (what, moved) {
                        (Some(w), Some(m)) => format!("{w} → {m}"),
                        (Some(w), None) => w,
                        (None, Some(m)) => m,
                        (None, None) => e.kind.clone(),
                    };
                    let who = e.actor_name.clone().map(|n| format!(" · {n}"));
                    view! { <li class=if e.internal == Some(true) { "timeline__internal" } else { "" }>{beijing(e.at)} " · " {text} {who} {e.note.map(|n| format!(" — {n}"))}</li> }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// What a refused submission named, field by field: the numbers another application holds,
/// the eligibility rules failed, what is missing.
#[component]
fn SubmitRefusals(materials: Vec<shared::applications::MaterialView>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let errors: Vec<(String, String)> =
        parse_errors(&query.get_untracked().get("err").unwrap_or_default()).into_iter().filter(|(f, _)| f != "_" && f != "reason").collect();
    (!errors.is_empty()).then(|| view! {
        <ul class="form-error" data-testid="submit-errors">
            {errors.into_iter().map(|(field, code)| {
                let label = match field.strip_prefix("materials.") {
                    Some(m) => materials.iter().find(|x| x.code == m).map(|x| bilingual(i18n, x.name.clone())()).unwrap_or_else(|| m.to_string()),
                    None => field_label(i18n, &field),
                };
                view! { <li>{label} ": " {error_text(i18n, &code)}</li> }
            }).collect_view()}
        </ul>
    })
}

#[component]
pub fn ApplicationProjectPage() -> impl IntoView {
    view! { <SignedIn child=|_| view! { <WithApplication body=|d| view! { <ProjectStep app=d.view program=d.program today=d.today step=Step::Details /> }.into_any() /> }.into_any() /> }
}

#[component]
pub fn ApplicationAmountPage() -> impl IntoView {
    view! { <SignedIn child=|_| view! { <WithApplication body=|d| view! { <ProjectStep app=d.view program=d.program today=d.today step=Step::Amount /> }.into_any() /> }.into_any() /> }
}

/// A labelled field of the project step: the value typed before (refilled after an error) or
/// saved, and its error.
#[component]
fn Field(name: String, label: String, value: String, #[prop(default = "text")] kind: &'static str, #[prop(optional)] hint: Option<String>, #[prop(default = false)] area: bool) -> impl IntoView {
    let id = format!("f-{name}");
    let described = format!("{id}-error{}", if hint.is_some() { format!(" {id}-hint") } else { String::new() });
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="field__hint" id=format!("{id}-hint")>{h}</p> })}
            {if area {
                view! { <textarea id=id.clone() name=name.clone() aria-describedby=described.clone() rows="3">{value}</textarea> }.into_any()
            } else {
                view! { <input id=id.clone() name=name.clone() type=kind value=value aria-describedby=described.clone() /> }.into_any()
            }}
            <FieldMessage name=name />
        </div>
    }
}

/// The project fields of each step of `kind`, in the order the step's page shows them.
pub fn step_fields(kind: shared::programs::ProgramKind, step: Step) -> &'static [&'static str] {
    use shared::programs::ProgramKind as K;
    match (kind, step) {
        (K::FirstSetEquipment, Step::Details) => &["equipment_name", "model", "serial_numbers", "buyer_name", "buyer_credit_code", "first_use_on", "patents"],
        (K::FirstSetEquipment, Step::Amount) => &["first_set_level", "contracts"],
        (K::UhdContent, Step::Details) => &["work_title", "category", "licence_numbers", "first_producer"],
        (K::UhdContent, Step::Amount) => &["format", "minutes", "audio_3d"],
        (K::General, Step::Details) => &["project_title", "summary"],
        (K::General, Step::Amount) => &["investment_fen", "requested_fen"],
    }
}

/// The inputs of one project field (its name in the project, `contracts`), named as the
/// project step's form names them: what was typed before a refused post (`typed` holds the
/// query), or what is saved.
pub fn field_input(i18n: leptos_i18n::I18nContext<Locale>, project: &Project, field: &str, typed: Option<&leptos_router::params::ParamsMap>) -> AnyView {
    let pick = |k: &str, saved: String| match typed {
        Some(q) => q.get(k).unwrap_or_default(),
        None => saved,
    };
    let tick = |k: &str, saved: bool| match typed {
        Some(q) => q.get(k).is_some(),
        None => saved,
    };
    let yuan = |f: Option<i64>| f.map(|f| shared::Fen(f).format_yuan().replace(',', "")).unwrap_or_default();
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let text = |name: &str, value: String| view! { <Field name=name.to_string() label=field_label(i18n, name) value=pick(name, value) /> }.into_any();
    let lines = |name: &str, value: &[String]| view! { <Field name=name.to_string() label=field_label(i18n, name) value=pick(name, value.join("\n")) hint=t_string!(i18n, hint_one_per_line).to_string() area=true /> }.into_any();
    match (project, field) {
        (Project::FirstSet(p), "equipment_name") => text(field, p.equipment_name.clone()),
        (Project::FirstSet(p), "model") => text(field, p.model.clone()),
        (Project::FirstSet(p), "buyer_name") => text(field, p.buyer_name.clone()),
        (Project::FirstSet(p), "buyer_credit_code") => text(field, p.buyer_credit_code.clone()),
        (Project::FirstSet(p), "serial_numbers") => lines(field, &p.serial_numbers),
        (Project::FirstSet(p), "patents") => lines(field, &p.patents),
        (Project::FirstSet(p), "first_use_on") => view! { <Field name=field.to_string() label=field_label(i18n, field) value=pick(field, day(p.first_use_on)) kind="date" /> }.into_any(),
        (Project::FirstSet(p), "first_set_level") => {
            let chosen = pick("first_set_level", p.first_set_level.map(|l| l.as_str().to_string()).unwrap_or_default());
            view! {
                <fieldset class="field" id="f-first_set_level">
                    <legend>{field_label(i18n, "first_set_level")}</legend>
                    {[FirstSetLevel::International, FirstSetLevel::Domestic].into_iter().map(|l| {
                        let v = l.as_str();
                        view! { <label class="choice"><input type="radio" name="first_set_level" value=v checked=chosen == v /> " " {level_text(i18n, l)}</label> }
                    }).collect_view()}
                    <FieldMessage name="first_set_level" />
                </fieldset>
            }.into_any()
        }
        (Project::FirstSet(p), "contracts") => {
            let rows = 3usize.max(p.contracts.len());
            view! {
                <fieldset class="field">
                    <legend>{field_label(i18n, "contracts")}</legend>
                    <p class="field__hint">{t!(i18n, hint_contracts)}</p>
                    {(0..rows).map(|i| {
                        let c = p.contracts.get(i).cloned().unwrap_or_default();
                        view! {
                            <div class="row">
                                <Field name=format!("c{i}_number") label=format!("{} {}", t_string!(i18n, contract_number), i + 1) value=pick(&format!("c{i}_number"), c.number.clone()) />
                                <Field name=format!("c{i}_value") label=t_string!(i18n, contract_value).to_string() value=pick(&format!("c{i}_value"), yuan(c.value_fen)) />
                                <Field name=format!("c{i}_signed_on") label=t_string!(i18n, contract_signed_on).to_string() value=pick(&format!("c{i}_signed_on"), day(c.signed_on)) kind="date" />
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
            }.into_any()
        }
        (Project::Content(p), "work_title") => text(field, p.work_title.clone()),
        (Project::Content(p), "licence_numbers") => lines(field, &p.licence_numbers),
        (Project::Content(p), "category") => {
            let category = pick("category", p.category.map(|c| c.as_str().to_string()).unwrap_or_default());
            view! {
                <div class="field">
                    <label for="f-category">{field_label(i18n, "category")}</label>
                    <select id="f-category" name="category" aria-describedby="f-category-error">
                        <option value="">{t!(i18n, choose)}</option>
                        {ContentCategory::ALL.into_iter().map(|c| view! { <option value=c.as_str() selected=category == c.as_str()>{category_text(i18n, c)}</option> }).collect_view()}
                    </select>
                    <FieldMessage name="category" />
                </div>
            }.into_any()
        }
        (Project::Content(p), "first_producer") => {
            let first = tick("first_producer", p.first_producer);
            view! { <div class="field"><label class="choice"><input type="checkbox" id="f-first_producer" name="first_producer" value="on" checked=first aria-describedby="f-first_producer-error" /> " " {t!(i18n, pf_first_producer_statement)}</label><FieldMessage name="first_producer" /></div> }.into_any()
        }
        (Project::Content(p), "format") => {
            let format = pick("format", p.format.map(|f| f.as_str().to_string()).unwrap_or_default());
            view! {
                <fieldset class="field" id="f-format">
                    <legend>{field_label(i18n, "format")}</legend>
                    {ContentFormat::ALL.into_iter().map(|f| view! { <label class="choice"><input type="radio" name="format" value=f.as_str() checked=format == f.as_str() /> " " {format_text(i18n, f)}</label> }).collect_view()}
                    <FieldMessage name="format" />
                </fieldset>
            }.into_any()
        }
        (Project::Content(p), "minutes") => view! { <Field name="minutes".into() label=field_label(i18n, "minutes") value=pick("minutes", p.minutes.map(|m| m.to_string()).unwrap_or_default()) kind="number" /> }.into_any(),
        (Project::Content(p), "audio_3d") => {
            let audio = tick("audio_3d", p.audio_3d);
            view! { <div class="field"><label class="choice"><input type="checkbox" id="f-audio_3d" name="audio_3d" value="on" checked=audio /> " " {field_label(i18n, "audio_3d")}</label></div> }.into_any()
        }
        (Project::General(p), "project_title") => text(field, p.project_title.clone()),
        (Project::General(p), "summary") => view! { <Field name="summary".into() label=field_label(i18n, "summary") value=pick("summary", p.summary.clone()) area=true /> }.into_any(),
        (Project::General(p), "investment_fen") => view! { <Field name="investment".into() label=field_label(i18n, "investment_fen") value=pick("investment", yuan(p.investment_fen)) hint=t_string!(i18n, hint_yuan).to_string() /> }.into_any(),
        (Project::General(p), "requested_fen") => view! { <Field name="requested".into() label=field_label(i18n, "requested_fen") value=pick("requested", yuan(p.requested_fen)) hint=t_string!(i18n, hint_yuan).to_string() /> }.into_any(),
        _ => ().into_any(),
    }
}

#[component]
fn ProjectStep(app: ApplicationView, program: shared::programs::ProgramDefinition, today: chrono::NaiveDate, step: Step) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let id = app.id;
    let q = query.get_untracked();
    let refill = q.get("err").is_some();
    let title = bilingual(i18n, app.program_title.clone())();
    let saved = q.get("saved").is_some();
    let live_amount = app.amount_working.map(|w| w.amount_fen);
    let fields = step_fields(program.kind, step).iter().map(|f| field_input(i18n, &app.project, f, refill.then_some(&q))).collect_view();
    let heading = if step == Step::Details { t_string!(i18n, step_project).to_string() } else { t_string!(i18n, step_amount).to_string() };
    let saved_project = serde_json::to_value(&app.project).unwrap_or_default();
    view! {
        <section class="form-page" aria-labelledby="step-title">
            <PageTitle text=heading.clone() />
            <p class="card__meta"><a href=format!("/applications/{id}")>{title}</a></p>
            <h1 id="step-title">{heading}</h1>
            {saved.then(|| view! { <p role="status" class="form-ok">{t!(i18n, saved)}</p> })}
            <FormErrors />
            <ProjectForm id=id rules=shared::filing::ProjectRules::of(&program) today=today amount=live_amount step=step saved=saved_project>{fields}</ProjectForm>
        </section>
    }
}

#[component]
pub fn ApplicationMaterialsPage() -> impl IntoView {
    view! { <SignedIn child=|_| view! { <WithApplication body=|d| view! { <MaterialsStep app=d.view /> }.into_any() /> }.into_any() /> }
}

#[component]
fn MaterialsStep(app: ApplicationView) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let id = app.id;
    let title = bilingual(i18n, app.program_title.clone())();
    let uploaded = query.get_untracked().get("uploaded");
    view! {
        <section class="form-page" aria-labelledby="step-title">
            <PageTitle text=t_string!(i18n, step_materials).to_string() />
            <p class="card__meta"><a href=format!("/applications/{id}")>{title}</a></p>
            <h1 id="step-title">{t!(i18n, step_materials)}</h1>
            {uploaded.map(|_| view! { <p role="status" class="form-ok">{t!(i18n, material_uploaded)}</p> })}
            <FormErrors />
            <p>{t!(i18n, step_materials_hint)} " " <a href=format!("/api/v1/applications/{id}/form.pdf")>{t!(i18n, app_download_form)}</a></p>
            <ul class="materials" data-testid="material-forms">
                {app.materials.into_iter().map(|m| {
                    let fid = format!("file-{}", m.code);
                    let code = m.code.clone();
                    let accept: String = m.types.iter().map(|t| format!(".{t}")).collect::<Vec<String>>().join(",");
                    view! {
                        <li class="card" data-material=m.code.clone()>
                            <h2 class="card__title">{bilingual(i18n, m.name.clone())} " " <span class="badge">{if m.required { t_string!(i18n, material_required) } else { t_string!(i18n, optional) }}</span></h2>
                            <p class="field__hint">{format!("{} · ≤ {} MB", m.types.join(", ").to_uppercase(), m.max_bytes / (1024 * 1024))}</p>
                            {m.file.as_ref().map(|f| view! { <p>{t!(i18n, material_current)} " " <a href=format!("/api/v1/applications/{id}/materials/{}", m.code)>{f.file_name.clone()}</a></p> })}
                            <UploadForm id=id code=m.code.clone()>
                                <input type="hidden" name="material_code" value=code.clone() />
                                <label for=fid.clone()>{t!(i18n, material_choose)}</label>
                                <input id=fid type="file" name="file" accept=accept />
                                <button type="submit" class="button button--secondary">{t!(i18n, material_upload)}</button>
                            </UploadForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p><a class="button" href=format!("/applications/{id}")>{t!(i18n, step_check)}</a></p>
        </section>
    }
}

/// Where a project field is changed: its step's page, at the field.
fn change_link(id: i64, kind: shared::programs::ProgramKind, path: &str) -> String {
    let path = path.trim_start_matches("project.");
    format!("/applications/{id}/{}#f-{}", Step::of(kind, path).path(), shared::project_form::form_field(path))
}

/// A declaration's text, by its code (`shared::applications::DECLARATIONS`).
fn declaration_text(i18n: leptos_i18n::I18nContext<Locale>, code: &str) -> String {
    match code {
        "truthful" => t_string!(i18n, declare_truthful).to_string(),
        "no_double_funding" => t_string!(i18n, declare_no_double_funding).to_string(),
        "public_notice" => t_string!(i18n, declare_public_notice).to_string(),
        other => other.to_string(),
    }
}

#[component]
pub fn ApplicationDeclarationsPage() -> impl IntoView {
    view! { <SignedIn child=|_| view! { <WithApplication body=|d| view! { <DeclarationsStep app=d.view /> }.into_any() /> }.into_any() /> }
}

/// The last step: the declarations, each a box to tick, and the submission. A refused
/// submission of the application itself goes back to the check page, which lists why.
#[component]
fn DeclarationsStep(app: ApplicationView) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let id = app.id;
    let q = query.get_untracked();
    let refill = q.get("err").is_some();
    let title = bilingual(i18n, app.program_title.clone())();
    let draft = app.state == ApplicationState::Draft;
    view! {
        <section class="form-page" aria-labelledby="step-title">
            <PageTitle text=t_string!(i18n, step_declarations).to_string() />
            <p class="card__meta"><a href=format!("/applications/{id}")>{title}</a></p>
            <h1 id="step-title">{t!(i18n, step_declarations)}</h1>
            <FormErrors />
            {if draft {
                view! {
                    <p>{t!(i18n, declarations_intro)}</p>
                    <dl class="facts">
                        <dt>{t!(i18n, apps_project)}</dt><dd>{app.project.title().to_string()}</dd>
                        <dt>{t!(i18n, computed_amount)}</dt><dd>{app.computed_amount_fen.map(|f| view! { <Money amount=shared::Fen(f) /> })}</dd>
                    </dl>
                    <form method="post" action=format!("/forms/applications/{id}/submit") class="form" novalidate=true>
                        <fieldset class="field">
                            <legend>{t!(i18n, declarations_legend)}</legend>
                            {shared::applications::DECLARATIONS.iter().map(|d| {
                                let name = format!("declaration_{d}");
                                let field = format!("declarations.{d}");
                                let checked = refill && q.get(&name).is_some();
                                view! {
                                    <div class="field">
                                        <label class="choice">
                                            <input type="checkbox" id=format!("f-{field}") name=name value="on" required=true checked=checked aria-describedby=format!("f-{field}-error") />
                                            " " {declaration_text(i18n, d)}
                                        </label>
                                        <FieldMessage name=field />
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                        <button type="submit" class="button">{t!(i18n, app_submit)}</button>
                    </form>
                }.into_any()
            } else {
                view! { <p>{state_text(i18n, app.state)}</p> }.into_any()
            }}
        </section>
    }
}
