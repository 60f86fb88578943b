//! Public notice (公示): the list of notices and a notice's page (public: the awards, the
//! window and its closing day, the PDF, and the objection form while it is open; for the lead
//! agency's staff, the objections with who filed them and the form to record each finding),
//! and the agency lead's page to publish a program's decided approvals.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::awards::{AwardStatus, ObjectionStatus, ObjectionView};

use crate::components::form::{sfn_code, FieldMessage, FormErrors, TextField};
use crate::pages::not_found::PageFailed;
use crate::components::layout::PageTitle;
use crate::components::pager::Pager;
use crate::components::signed_in::SignedIn;
use crate::components::text::{bilingual, Money};
use crate::i18n::*;
use crate::server_fns::{awaiting_notice, public_notice, public_notices};

type I18n = leptos_i18n::I18nContext<Locale>;

fn award_status_text(i18n: I18n, s: AwardStatus) -> String {
    match s {
        AwardStatus::InNotice => t_string!(i18n, award_in_notice),
        AwardStatus::Approved => t_string!(i18n, award_approved),
        AwardStatus::Rejected => t_string!(i18n, award_rejected),
    }
    .to_string()
}

fn objection_status_text(i18n: I18n, s: ObjectionStatus) -> String {
    match s {
        ObjectionStatus::Open => t_string!(i18n, objection_open),
        ObjectionStatus::Upheld => t_string!(i18n, objection_upheld),
        ObjectionStatus::Dismissed => t_string!(i18n, objection_dismissed),
    }
    .to_string()
}

#[component]
pub fn NoticesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Memo::new(move |_| query.read().get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1));
    let data = Resource::new(move || page.get(), public_notices);
    let title = t_string!(i18n, notices_title).to_string();
    view! {
        <section aria-labelledby="notices-title">
            <PageTitle text=title.clone() />
            <h1 id="notices-title">{title}</h1>
            <p>{t!(i18n, notices_intro)}</p>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) if p.items.is_empty() => view! { <p data-testid="no-notices">{t!(i18n, notices_none)}</p> }.into_any(),
                        Ok(p) => view! {
                            <ul class="cards" data-testid="notices">
                                {p.items.into_iter().map(|n| view! {
                                    <li class="card">
                                        <h2><a href=format!("/notices/{}", n.id)>{bilingual(i18n, n.program_title.clone())}</a></h2>
                                        <p class="card__meta">
                                            {t!(i18n, notice_window)} " " <time datetime=n.published_on.to_string()>{n.published_on.to_string()}</time>
                                            " – " <time datetime=n.closes_on.to_string()>{n.closes_on.to_string()}</time>
                                            " · " {if n.open { t_string!(i18n, notice_is_open) } else { t_string!(i18n, notice_is_closed) }}
                                        </p>
                                        <p>{t!(i18n, notice_awards, count = n.awards)} " · " <Money amount=shared::Fen(n.total_fen) /></p>
                                    </li>
                                }).collect_view()}
                            </ul>
                            <Pager page=p.page total=p.total per_page=p.per_page path="/notices".to_string() keep=&[] />
                        }.into_any(),
                        Err(e) => view! { <PageFailed code=sfn_code(&e) under_title=true /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn NoticePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|p| p.parse::<i64>().ok()).unwrap_or(0));
    let data = Resource::new(move || id.get(), public_notice);
    let filed = Memo::new(move |_| query.read().get("filed"));
    let decided = Memo::new(move |_| query.read().get("decided").is_some());
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((n, objections)) => {
                        let title = format!("{} · {}", t_string!(i18n, notice_title), bilingual(i18n, n.program_title.clone())());
                        let open = n.open;
                        let awards: Vec<(i64, String)> = n.items.iter().filter(|i| i.status == AwardStatus::InNotice).map(|i| (i.application_id, format!("{} · {}", i.company_name, i.project_title))).collect();
                        let chosen = crate::components::form::query_value("application_id");
                        view! {
                            <section aria-labelledby="notice-title">
                                <PageTitle text=title.clone() />
                                <h1 id="notice-title">{t!(i18n, notice_title)} ": " {bilingual(i18n, n.program_title.clone())}</h1>
                                <p class="card__meta">{bilingual(i18n, n.agency_name.clone())}</p>
                                {move || filed.get().map(|f| view! { <p class="form-ok" role="status" data-testid="objection-filed">{t!(i18n, objection_filed, id = f.clone())}</p> })}
                                {move || decided.get().then(|| view! { <p class="form-ok" role="status">{t!(i18n, objection_decided_ok)}</p> })}
                                <dl class="facts" data-testid="notice-facts">
                                    <dt>{t!(i18n, notice_published_on)}</dt><dd><time datetime=n.published_on.to_string()>{n.published_on.to_string()}</time></dd>
                                    <dt>{t!(i18n, notice_closes_on)}</dt><dd data-testid="closes-on"><time datetime=n.closes_on.to_string()>{n.closes_on.to_string()}</time>
                                        " (" {t!(i18n, notice_working_days, count = n.working_days)} ")"</dd>
                                    <dt>{t!(i18n, notice_state)}</dt><dd>{if open { t_string!(i18n, notice_is_open) } else { t_string!(i18n, notice_is_closed) }}</dd>
                                    <dt>{t!(i18n, notice_total)}</dt><dd><Money amount=shared::Fen(n.total_fen) /></dd>
                                </dl>
                                <p><a class="button button--secondary" href=format!("/api/v1/notices/{}/notice.pdf", n.id)>{t!(i18n, notice_pdf)}</a></p>
                                <h2 id="awards-title">{t!(i18n, notice_awards_title)}</h2>
                                <div class="table-scroll" role="region" tabindex="0" aria-labelledby="awards-title">
                                    <table class="table table--stack" data-testid="notice-awards">
                                        <thead><tr>
                                            <th scope="col">{t!(i18n, field_company_name)}</th><th scope="col">{t!(i18n, field_credit_code)}</th>
                                            <th scope="col">{t!(i18n, notice_project)}</th><th scope="col">{t!(i18n, notice_amount)}</th><th scope="col">{t!(i18n, notice_award_status)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {n.items.iter().map(|i| view! {
                                                <tr data-application=i.application_id>
                                                    <th scope="row" data-label=t_string!(i18n, field_company_name).to_string()>{i.company_name.clone()}</th>
                                                    <td data-label=t_string!(i18n, field_credit_code).to_string()>{i.credit_code.clone()}</td>
                                                    <td data-label=t_string!(i18n, notice_project).to_string()>{i.project_title.clone()}</td>
                                                    <td data-label=t_string!(i18n, notice_amount).to_string()><Money amount=shared::Fen(i.amount_fen) /></td>
                                                    <td data-label=t_string!(i18n, notice_award_status).to_string()>{award_status_text(i18n, i.status)}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                {(open && !awards.is_empty()).then(|| view! {
                                    <section aria-labelledby="object-title" id="object">
                                        <h2 id="object-title">{t!(i18n, objection_form_title)}</h2>
                                        <p>{t!(i18n, objection_form_intro)}</p>
                                        <FormErrors />
                                        <form method="post" action=format!("/forms/notices/{}/objections", n.id) enctype="multipart/form-data" novalidate=true>
                                            <div class="field">
                                                <label for="f-application_id">{t!(i18n, objection_award)}</label>
                                                <span class="field__required" aria-hidden="true">{t!(i18n, field_required_mark)}</span>
                                                <select id="f-application_id" name="application_id" required=true aria-describedby="f-application_id-error">
                                                    <option value="">{t!(i18n, choose)}</option>
                                                    {awards.into_iter().map(|(id, label)| {
                                                        let selected = move || chosen.get() == id.to_string();
                                                        view! { <option value=id.to_string() selected=selected>{label}</option> }
                                                    }).collect_view()}
                                                </select>
                                                <FieldMessage name="application_id" />
                                            </div>
                                            <TextField name="name" label=t_string!(i18n, objection_name).to_string() autocomplete="name" />
                                            <TextField name="email" label=t_string!(i18n, field_email).to_string() kind="email" autocomplete="email" hint=t_string!(i18n, objection_email_hint).to_string() />
                                            <TextField name="phone" label=t_string!(i18n, field_phone).to_string() kind="tel" autocomplete="tel" required=false />
                                            <TextField name="organisation" label=t_string!(i18n, objection_organisation).to_string() autocomplete="organization" required=false hint=t_string!(i18n, objection_identity_hint).to_string() />
                                            <TextField name="id_number" label=t_string!(i18n, objection_id_number).to_string() required=false />
                                            <div class="field">
                                                <label for="f-facts">{t!(i18n, objection_facts)}</label>
                                                <span class="field__required" aria-hidden="true">{t!(i18n, field_required_mark)}</span>
                                                <textarea id="f-facts" name="facts" rows="6" required=true aria-describedby="f-facts-error">{crate::components::form::query_value("facts").get_untracked()}</textarea>
                                                <FieldMessage name="facts" />
                                            </div>
                                            <div class="field">
                                                <label for="f-evidence">{t!(i18n, objection_evidence)}</label>
                                                <span class="field__required" aria-hidden="true">{t!(i18n, field_required_mark)}</span>
                                                <p class="field__hint" id="f-evidence-hint">{t!(i18n, objection_evidence_hint)}</p>
                                                <input id="f-evidence" type="file" name="evidence" multiple=true accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" aria-describedby="f-evidence-hint f-evidence-error" />
                                                <FieldMessage name="evidence" />
                                            </div>
                                            <button type="submit" class="button">{t!(i18n, objection_submit)}</button>
                                        </form>
                                    </section>
                                })}
                                {(!open).then(|| view! { <p data-testid="notice-closed">{t!(i18n, notice_closed_text)}</p> })}
                                {objections.map(|list| view! { <Objections list /> })}
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <PageFailed code=sfn_code(&e) /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The objections with who filed them, for the lead agency's staff, each open one with the
/// form to record the finding.
#[component]
fn Objections(list: Vec<ObjectionView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="objections-title" data-testid="objections">
            <h2 id="objections-title">{t!(i18n, objections_title)} " (" {list.len()} ")"</h2>
            <p class="field__hint">{t!(i18n, objections_confidential)}</p>
            {list.is_empty().then(|| view! { <p>{t!(i18n, objections_none)}</p> })}
            {list.into_iter().map(|o| {
                let heading = format!("objection-{}", o.id);
                let labelled = heading.clone();
                let findings_id = format!("findings-{}", o.id);
                view! {
                    <article class="card" aria-labelledby=labelled id=format!("o-{}", o.id) data-testid="objection">
                        <h3 id=heading>{format!("#{}", o.id)} " · " {o.company_name.clone()} " · " {o.project_title.clone()}</h3>
                        <dl class="facts">
                            <dt>{t!(i18n, objection_name)}</dt><dd>{o.objector.name.clone()}</dd>
                            <dt>{t!(i18n, field_email)}</dt><dd>{o.objector.email.clone()}</dd>
                            {o.objector.phone.clone().map(|p| view! { <dt>{t!(i18n, field_phone)}</dt><dd>{p}</dd> })}
                            {o.objector.organisation.clone().map(|p| view! { <dt>{t!(i18n, objection_organisation)}</dt><dd>{p}</dd> })}
                            {o.objector.id_number.clone().map(|p| view! { <dt>{t!(i18n, objection_id_number)}</dt><dd>{p}</dd> })}
                            <dt>{t!(i18n, objection_facts)}</dt><dd class="prewrap">{o.facts.clone()}</dd>
                            <dt>{t!(i18n, objection_evidence)}</dt>
                            <dd><ul>{o.evidence.iter().map(|f| view! { <li><a href=format!("/api/v1/objections/{}/evidence/{}", o.id, f.id)>{f.file_name.clone()}</a></li> }).collect_view()}</ul></dd>
                            <dt>{t!(i18n, objection_due)}</dt><dd><time datetime=o.due_on.to_string()>{o.due_on.to_string()}</time></dd>
                            <dt>{t!(i18n, notice_state)}</dt><dd data-testid="objection-status">{objection_status_text(i18n, o.status)}</dd>
                            {o.findings.clone().map(|f| view! { <dt>{t!(i18n, objection_findings)}</dt><dd class="prewrap">{f}</dd> })}
                        </dl>
                        {(o.status == ObjectionStatus::Open).then(|| view! {
                            <form method="post" action=format!("/forms/objections/{}/decision", o.id)>
                                <div class="field">
                                    <label for=findings_id.clone()>{t!(i18n, objection_findings)}</label>
                                    <span class="field__required" aria-hidden="true">{t!(i18n, field_required_mark)}</span>
                                    <textarea id=findings_id name="findings" rows="4" required=true></textarea>
                                </div>
                                <button type="submit" class="button" name="upheld" value="false">{t!(i18n, objection_dismiss)}</button>
                                " "
                                <button type="submit" class="button button--warn" name="upheld" value="true">{t!(i18n, objection_uphold)}</button>
                            </form>
                        })}
                    </article>
                }
            }).collect_view()}
        </section>
    }
}

#[component]
pub fn PublishNoticesPage() -> impl IntoView {
    view! { <SignedIn child=|_| view! { <PublishView /> }.into_any() /> }
}

#[component]
fn PublishView() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| awaiting_notice());
    let title = t_string!(i18n, publish_title).to_string();
    view! {
        <section aria-labelledby="publish-title">
            <PageTitle text=title.clone() />
            <h1 id="publish-title">{title}</h1>
            <p>{t!(i18n, publish_intro)} " " <a href="/notices">{t!(i18n, notices_title)}</a></p>
            <FormErrors />
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) if list.is_empty() => view! { <p>{t!(i18n, publish_not_lead)}</p> }.into_any(),
                        Ok(list) => list.into_iter().map(|p| {
                            let heading = format!("publish-{}", p.program_code);
                            let labelled = heading.clone();
                            view! {
                                <section class="card" aria-labelledby=labelled data-testid=format!("publish-{}", p.program_code)>
                                    <h2 id=heading>{bilingual(i18n, p.program_title.clone())}</h2>
                                    {if p.items.is_empty() {
                                        view! { <p>{t!(i18n, publish_none)}</p> }.into_any()
                                    } else {
                                        view! {
                                            <form method="post" action=format!("/forms/programs/{}/notices", p.program_code)>
                                                <fieldset>
                                                    <legend>{t!(i18n, publish_choose, days = p.notice_working_days)}</legend>
                                                    {p.items.into_iter().map(|i| {
                                                        let box_id = format!("pick-{}", i.application_id);
                                                        view! {
                                                            <div class="check">
                                                                <input type="checkbox" id=box_id.clone() name="application_ids" value=i.application_id.to_string() checked=true />
                                                                <label for=box_id>
                                                                    <a href=format!("/applications/{}", i.application_id)>{i.company_name.clone()} " · " {i.project_title.clone()}</a>
                                                                    " · " <Money amount=shared::Fen(i.amount_fen) />
                                                                </label>
                                                            </div>
                                                        }
                                                    }).collect_view()}
                                                </fieldset>
                                                <button type="submit" class="button">{t!(i18n, act_publish_notice)}</button>
                                            </form>
                                        }.into_any()
                                    }}
                                </section>
                            }
                        }).collect_view().into_any(),
                        Err(e) => view! { <PageFailed code=sfn_code(&e) under_title=true /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
