//! The review workflow's pages: the review section of an application's page (what the caller
//! may do now, one plain form per action; the flags of the latest return; the expert panel and
//! the draw for the agencies), the company's answers to a return for supplement
//! (`/applications/<id>/supplement`), the review queue (`/review`), the notifications and their
//! email settings (`/notifications`), and an expert's assignments (`/expert`,
//! `/expert/assignments/<id>`). Every form posts without JavaScript (`forms/review.rs`).

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::applications::{ApplicationState, ApplicationView};
use shared::experts::{AssignmentStatus, AssignmentView, PanelView};
use shared::notifications::NoticeKind;
use shared::review::{Action, FlagView, Proposal, Role};

use crate::pages::not_found::LoadFailed;
use crate::components::form::{sfn_code, FieldMessage, FormErrors};
use crate::components::layout::PageTitle;
use crate::components::pager::Pager;
use crate::components::signed_in::SignedIn;
use crate::components::text::{beijing, bilingual, Money};
use crate::i18n::*;
use crate::pages::applications::{field_input, field_label, state_text};
use crate::server_fns::{get_application, my_assignments, my_notifications, review_dashboard, review_data, review_queue, QueueData, ReviewInfo};

type I18n = leptos_i18n::I18nContext<Locale>;

fn action_text(i18n: I18n, a: Action) -> String {
    match a {
        Action::Submit => t_string!(i18n, app_submit),
        Action::Recommend => t_string!(i18n, act_recommend),
        Action::ReturnForSupplement => t_string!(i18n, act_return_for_supplement),
        Action::Reject => t_string!(i18n, act_reject),
        Action::Pass => t_string!(i18n, act_pass),
        Action::Resubmit => t_string!(i18n, act_resubmit),
        Action::ProposeApproval => t_string!(i18n, act_propose_approval),
        Action::ProposeRejection => t_string!(i18n, act_propose_rejection),
        Action::Countersign => t_string!(i18n, act_countersign),
        Action::ReturnToStage => t_string!(i18n, act_return_to_stage),
        Action::Withdraw => t_string!(i18n, app_withdraw),
        Action::PublishNotice => t_string!(i18n, act_publish_notice),
        Action::Approve => t_string!(i18n, act_approve),
        Action::Disburse => t_string!(i18n, act_disburse),
        Action::Revoke => t_string!(i18n, act_revoke),
        Action::Close => t_string!(i18n, act_close),
    }
    .to_string()
}

fn part_text(i18n: I18n, r: Role) -> String {
    match r {
        Role::Applicant => t_string!(i18n, part_applicant),
        Role::RecommendingUnit => t_string!(i18n, part_recommending_unit),
        Role::Reviewer => t_string!(i18n, part_reviewer),
        Role::AgencyLead => t_string!(i18n, part_agency_lead),
        Role::CoReviewLead => t_string!(i18n, part_co_review_lead),
        Role::System => t_string!(i18n, part_system),
        Role::Finance => t_string!(i18n, part_finance),
    }
    .to_string()
}

pub fn notice_kind_text(i18n: I18n, k: NoticeKind) -> String {
    match k {
        NoticeKind::WorkArrived => t_string!(i18n, notice_kind_work_arrived),
        NoticeKind::StatusChanged => t_string!(i18n, notice_kind_status_changed),
        NoticeKind::ReturnedForSupplement => t_string!(i18n, notice_kind_returned_for_supplement),
        NoticeKind::SupplementAnswered => t_string!(i18n, notice_kind_supplement_answered),
        NoticeKind::CountersignNeeded => t_string!(i18n, notice_kind_countersign_needed),
        NoticeKind::ExpertDrawn => t_string!(i18n, notice_kind_expert_drawn),
        NoticeKind::Rejected => t_string!(i18n, notice_kind_rejected),
        NoticeKind::Reminder => t_string!(i18n, notice_kind_reminder),
        NoticeKind::Escalation => t_string!(i18n, notice_kind_escalation),
        NoticeKind::Assigned => t_string!(i18n, notice_kind_assigned),
        NoticeKind::ObjectionReceived => t_string!(i18n, notice_kind_objection_received),
        NoticeKind::EvaluationDue => t_string!(i18n, notice_kind_evaluation_due),
        NoticeKind::Revoked => t_string!(i18n, notice_kind_revoked),
    }
    .to_string()
}

fn assignment_status_text(i18n: I18n, s: AssignmentStatus) -> String {
    match s {
        AssignmentStatus::Drawn => t_string!(i18n, expert_status_drawn),
        AssignmentStatus::Confirmed => t_string!(i18n, expert_status_confirmed),
        AssignmentStatus::Recused => t_string!(i18n, expert_status_recused),
    }
    .to_string()
}

/// What a step of an application's history was, in words (`None` for a kind this page does
/// not know: its state is shown instead).
pub fn event_text(i18n: I18n, kind: &str) -> Option<String> {
    if let Some(a) = Action::parse(kind) {
        return Some(action_text(i18n, a));
    }
    Some(
        match kind {
            "created" => t_string!(i18n, ev_created),
            "submitted" => t_string!(i18n, app_submit),
            "withdrawn" => t_string!(i18n, app_withdraw),
            "rejected" => t_string!(i18n, ev_rejected),
            "opinion" => t_string!(i18n, ev_opinion),
            "assigned" => t_string!(i18n, assign_title),
            "escalated" => t_string!(i18n, notice_kind_escalation),
            "experts_drawn" => t_string!(i18n, draw_title),
            "expert_recused" => t_string!(i18n, expert_status_recused),
            "experts_complete" => t_string!(i18n, ev_experts_complete),
            "supplement_answered" => t_string!(i18n, notice_kind_supplement_answered),
            "supplement_extended" => t_string!(i18n, ev_supplement_extended),
            "objection_filed" => t_string!(i18n, audit_kind_objection_filed),
            "objection_upheld" => t_string!(i18n, objection_upheld),
            "objection_dismissed" => t_string!(i18n, objection_dismissed),
            "disbursed" => t_string!(i18n, audit_kind_disbursement_recorded),
            "accepted" => t_string!(i18n, audit_kind_acceptance_recorded),
            "recovered" => t_string!(i18n, audit_kind_recovery_recorded),
            "evaluation_filed" => t_string!(i18n, audit_kind_evaluation_filed),
            "award_files_added" => t_string!(i18n, audit_kind_award_files_added),
            _ => return None,
        }
        .to_string(),
    )
}

fn check_text(i18n: I18n, c: shared::review::CheckKind) -> String {
    use shared::review::CheckKind as C;
    match c {
        C::CreditCode => t_string!(i18n, check_credit_code),
        C::DuplicateFunding => t_string!(i18n, check_duplicate_funding),
        C::Ban => t_string!(i18n, check_ban),
        C::Budget => t_string!(i18n, check_budget),
        C::Verified => t_string!(i18n, check_verified),
        C::OverdueAcceptance => t_string!(i18n, check_overdue_acceptance),
    }
    .to_string()
}

/// Working days left before a stage's deadline, in words.
fn days_left_text(i18n: I18n, left: i64) -> AnyView {
    if left < 0 {
        let days = -left;
        view! { {t!(i18n, review_overdue_by, days = days)} }.into_any()
    } else if left == 0 {
        view! { {t!(i18n, review_due_today)} }.into_any()
    } else {
        view! { {t!(i18n, review_days_left, days = left)} }.into_any()
    }
}

/// A flag's subject: the field's label or the material's name.
fn flag_subject(i18n: I18n, app: &ApplicationView, f: &FlagView) -> String {
    match (&f.field, &f.material_code) {
        (Some(field), _) => field_label(i18n, field),
        (None, Some(code)) => app.materials.iter().find(|m| &m.code == code).map(|m| bilingual(i18n, m.name.clone())()).unwrap_or_else(|| code.clone()),
        _ => String::new(),
    }
}

/// The flags of the latest return and their answers (staff, and the company once answered).
#[component]
fn FlagList(app: ApplicationView, flags: Vec<FlagView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="flags" data-testid="flags">
            {flags.into_iter().map(|f| {
                let subject = flag_subject(i18n, &app, &f);
                view! {
                    <li class="card">
                        <p><strong>{subject}</strong> " — " {f.comment.clone()}</p>
                        <p class="field__hint">{t!(i18n, flag_due)} " " {f.due_on.to_string()}</p>
                        {match f.answered_at {
                            Some(at) => view! {
                                <p class="badge">{t!(i18n, flag_answered)} " " {beijing(at)}</p>
                                {f.answer_value.clone().map(|v| view! { <p>{t!(i18n, flag_answer_value)} ": " <code>{v.to_string()}</code></p> })}
                                {f.answered_file_sha256.clone().map(|_| view! { <p>{t!(i18n, flag_answer_file)}</p> })}
                                {f.answer_reply.clone().map(|r| view! { <p>{t!(i18n, flag_answer_reply)} ": " {r}</p> })}
                            }.into_any(),
                            None => view! { <p class="badge badge--warn">{t!(i18n, flag_unanswered)}</p> }.into_any(),
                        }}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// The review part of an application's page, for whoever has a part in its review.
#[component]
pub fn ReviewSection(app: ApplicationView) -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(move || app.id, review_data);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || {
                let app = app.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <ReviewParts app d /> }.into_any(),
                        Err(_) => ().into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn ReviewParts(app: ApplicationView, d: ReviewInfo) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = query.get_untracked();
    let id = app.id;
    let staff = d.actions.roles.iter().any(|r| *r != Role::Applicant);
    let applicant = d.actions.roles.contains(&Role::Applicant);
    let returned = d.actions.state == ApplicationState::ReturnedForSupplement;
    let done = q.get("done");
    let previewing = q.get("preview");
    let state_str = d.actions.state.as_str();
    // The staff's forms, one per action; the applicant's own are the supplement page and
    // the withdrawal above.
    let staff_actions: Vec<Action> = if staff { d.actions.actions.iter().copied().filter(|a| !matches!(a, Action::Withdraw | Action::Resubmit | Action::Submit)).collect() } else { Vec::new() };
    let refill = q.get("err").is_some();
    let typed = move |k: &str| if refill { q.get(k).unwrap_or_default() } else { String::new() };
    let typed = std::sync::Arc::new(typed);
    view! {
        {done.map(|a| view! { <p role="status" class="form-ok" data-testid="step-done">{t!(i18n, review_done)} " (" {Action::parse(&a).map(|a| action_text(i18n, a)).unwrap_or_default()} ")"</p> })}
        {(applicant && returned).then(|| {
            let all_answered = d.flags.iter().all(|f| f.answered_at.is_some());
            let may_resubmit = d.actions.actions.contains(&Action::Resubmit);
            view! {
                <section class="callout" aria-labelledby="supplement-title" data-testid="supplement-callout">
                    <h2 id="supplement-title">{t!(i18n, supplement_needed)}</h2>
                    <FlagList app=app.clone() flags=d.flags.clone() />
                    <p><a class="button" href=format!("/applications/{id}/supplement")>{t!(i18n, supplement_go)}</a></p>
                    {if may_resubmit && all_answered {
                        view! {
                            <form method="post" action=format!("/forms/applications/{id}/actions") class="form" id="act-resubmit">
                                <input type="hidden" name="action" value="resubmit" />
                                <input type="hidden" name="expected_state" value=state_str />
                                <button type="submit" class="button">{t!(i18n, act_resubmit)}</button>
                            </form>
                        }.into_any()
                    } else {
                        view! { <p class="field__hint">{t!(i18n, supplement_resubmit_hint)}</p> }.into_any()
                    }}
                </section>
            }
        })}
        {staff.then(|| {
            let roles = d.actions.roles.iter().filter(|r| **r != Role::Applicant).map(|r| part_text(i18n, *r)).collect::<Vec<_>>().join(", ");
            view! {
                <section aria-labelledby="review-title" data-testid="review">
                    <h2 id="review-title">{t!(i18n, review_panel_title)}</h2>
                    <dl class="facts">
                        <dt>{t!(i18n, review_your_part)}</dt><dd>{roles}</dd>
                        <dt>{t!(i18n, application_state)}</dt><dd data-testid="review-state">{state_text(i18n, d.actions.state)}</dd>
                        <dt>{t!(i18n, review_round)}</dt><dd>{d.actions.round + 1}</dd>
                        {d.actions.stage_due_on.map(|due| view! { <dt>{t!(i18n, review_stage_due)}</dt><dd>{due.to_string()}</dd> })}
                        {d.actions.proposal.map(|p| view! {
                            <dt>{t!(i18n, review_proposal)}</dt>
                            <dd data-testid="proposal">{match p { Proposal::Approve => t_string!(i18n, proposal_approval).to_string(), Proposal::Reject => t_string!(i18n, proposal_rejection).to_string() }}
                                {d.actions.proposed_amount_fen.map(|f| view! { " · " <Money amount=shared::Fen(f) /> })}</dd>
                        })}
                    </dl>
                    {d.holder.clone().map(|h| {
                        let me_holds = h.reviewer_id.is_some();
                        let assignable = d.assignable.clone();
                        view! {
                            <section class="card" id="assignment" aria-labelledby="assign-title" data-testid="assignment-panel">
                                <h3 id="assign-title">{t!(i18n, assign_title)}</h3>
                                <p>{t!(i18n, assign_holder)} ": " <strong data-testid="holder">{h.reviewer_name.clone().unwrap_or_else(|| t_string!(i18n, assign_nobody).to_string())}</strong></p>
                                <form method="post" action=format!("/forms/applications/{id}/assignment") class="form form--inline">
                                    <button type="submit" name="claim" value="1" class="button button--small">{t!(i18n, assign_claim)}</button>
                                    {me_holds.then(|| view! { <button type="submit" name="release" value="1" class="button button--small button--secondary">{t!(i18n, assign_release)}</button> })}
                                </form>
                                {(!assignable.is_empty()).then(|| view! {
                                    <form method="post" action=format!("/forms/applications/{id}/assignment") class="form form--inline">
                                        <label for="f-reviewer_id">{t!(i18n, assign_to)}</label>
                                        <select id="f-reviewer_id" name="reviewer_id" aria-describedby="f-reviewer_id-error">
                                            {assignable.into_iter().map(|(uid, name)| view! { <option value=uid.to_string() selected=h.reviewer_id == Some(uid)>{name}</option> }).collect_view()}
                                        </select>
                                        <button type="submit" class="button button--small">{t!(i18n, assign_submit)}</button>
                                        <FieldMessage name="reviewer_id" />
                                    </form>
                                })}
                            </section>
                        }
                    })}
                    {(!d.checks.is_empty()).then(|| view! {
                        <h3>{t!(i18n, checks_title)}</h3>
                        <ul class="checks" data-testid="checks">
                            {d.checks.iter().map(|c| {
                                let name = check_text(i18n, c.check);
                                let budget = c.left_fen.map(|left| view! { " · " {t!(i18n, check_budget_left)} " " <Money amount=shared::Fen(left) /> " / " {t!(i18n, check_budget_needed)} " " <Money amount=shared::Fen(c.needed_fen.unwrap_or(0)) /> });
                                view! {
                                    <li class=if c.passed { "check check--ok" } else { "check check--failed" } data-check=serde_json::to_value(c.check).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()>
                                        <strong>{if c.passed { "✓ " } else { "✕ " }} {name}</strong>
                                        <span class="visually-hidden">{if c.passed { t_string!(i18n, check_passed) } else { t_string!(i18n, check_failed) }}</span>
                                        {c.evidence.clone().map(|e| view! { " · " <span>{e}</span> })}
                                        {budget}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })}
                    <h3>{t!(i18n, review_materials)}</h3>
                    // A PDF is shown on request, one at a time: Chromium's PDF viewer takes the
                    // focus (and scrolls to itself) when its document arrives, which would pull
                    // a reviewer away from the form they are typing in; and a dozen viewers at
                    // once is heavy on the browser.
                    <ul class="previews" data-testid="previews">
                        {app.materials.iter().filter_map(|m| m.file.clone().map(|f| (m.clone(), f))).map(|(m, f)| {
                            let src = format!("/api/v1/applications/{id}/materials/{}?inline=true", m.code);
                            let name = bilingual(i18n, m.name.clone())();
                            let image = f.content_type.starts_with("image/");
                            let shown = previewing.as_deref() == Some(m.code.as_str());
                            let anchor = format!("preview-{}", m.code);
                            let open = format!("/applications/{id}?preview={}#{anchor}", m.code);
                            view! {
                                <li class="preview" id=anchor>
                                    <p>
                                        <strong>{name.clone()}</strong> " · " <a href=src.clone() target="_blank" rel="noopener">{f.file_name.clone()}</a>
                                        {(!image && !shown).then(|| view! { " · " <a href=open data-testid="preview-open">{t!(i18n, review_preview_open)}</a> })}
                                    </p>
                                    {if image {
                                        view! { <img src=src alt=name loading="lazy" class="preview__image" /> }.into_any()
                                    } else if shown {
                                        view! { <iframe src=src title=name class="preview__pdf"></iframe> }.into_any()
                                    } else {
                                        ().into_any()
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {(!d.flags.is_empty()).then(|| view! { <h3>{t!(i18n, review_flags_title)}</h3><FlagList app=app.clone() flags=d.flags.clone() /> })}
                    {(returned && d.may_extend).then(|| view! {
                        <form method="post" action=format!("/forms/applications/{id}/supplement-deadline") class="form form--inline" id="extend" data-testid="extend-form">
                            <h3>{t!(i18n, extend_title)}</h3>
                            <label for="f-extend-days">{t!(i18n, extend_days)}</label>
                            <input id="f-extend-days" name="deadline_working_days" type="number" min="1" max="60" required=true aria-describedby="f-deadline_working_days-error" />
                            <FieldMessage name="deadline_working_days" />
                            <button type="submit" class="button button--small">{t!(i18n, extend_submit)}</button>
                        </form>
                    })}
                    {d.panel.clone().filter(|p| !p.members.is_empty() || d.may_draw).map(|p| view! { <Panel panel=p /> })}
                    {d.may_draw.then(|| {
                        let specialties = d.specialties.clone();
                        view! {
                            <form method="post" action=format!("/forms/applications/{id}/expert-draw") class="form" id="draw" data-testid="draw-form">
                                <h3>{t!(i18n, draw_title)}</h3>
                                <DrawFields ids=("f-specialty", "f-count") specialties=specialties chosen=String::new() count=String::new() />
                                <button type="submit" class="button">{t!(i18n, draw_submit)}</button>
                            </form>
                        }
                    })}
                    {(!staff_actions.is_empty()).then(|| view! { <h3>{t!(i18n, review_actions)}</h3> })}
                    {staff_actions.into_iter().map(|a| {
                        let name = a.as_str();
                        let anchor = format!("act-{}", name.replace('_', "-"));
                        let typed = typed.clone();
                        let reason = a.needs_reason();
                        view! {
                            <form method="post" action=format!("/forms/applications/{id}/actions") class="form card" id=anchor.clone() data-action=name>
                                <h4>{action_text(i18n, a)}</h4>
                                <input type="hidden" name="action" value=name />
                                <input type="hidden" name="expected_state" value=state_str />
                                {(a == Action::ReturnForSupplement).then(|| view! { <FlagPicker app=app.clone() fields=d.fields.clone() /> })}
                                {(a == Action::ReturnForSupplement).then(|| view! {
                                    <div class="field">
                                        <label for="f-deadline_working_days">{t!(i18n, review_deadline_days)}</label>
                                        <input id="f-deadline_working_days" name="deadline_working_days" type="number" min="1" max="60" value=typed("deadline_working_days") aria-describedby="f-deadline_working_days-error" />
                                        <FieldMessage name="deadline_working_days" />
                                    </div>
                                })}
                                {(a == Action::ProposeApproval).then(|| view! {
                                    <div class="field">
                                        <label for="f-amount">{t!(i18n, review_amount)}</label>
                                        <p class="field__hint" id="f-amount-hint">{t!(i18n, review_amount_hint)} " " {app.computed_amount_fen.map(|f| view! { <Money amount=shared::Fen(f) /> })}</p>
                                        <input id="f-amount" name="amount" inputmode="decimal" value=typed("amount") aria-describedby="f-amount-error f-amount-hint" />
                                        <FieldMessage name="amount" />
                                    </div>
                                })}
                                {(a == Action::ReturnToStage).then(|| view! {
                                    <div class="field">
                                        <label for="f-to_stage">{t!(i18n, review_to_stage)}</label>
                                        <select id="f-to_stage" name="to_stage" aria-describedby="f-to_stage-error">
                                            {d.actions.return_targets.iter().map(|s| view! { <option value=s.as_str()>{state_text(i18n, *s)}</option> }).collect_view()}
                                        </select>
                                        <FieldMessage name="to_stage" />
                                    </div>
                                })}
                                <div class="field">
                                    <label for=format!("f-comment_{name}")>{if reason { t_string!(i18n, review_reason).to_string() } else { t_string!(i18n, review_opinion).to_string() }}</label>
                                    <textarea id=format!("f-comment_{name}") name="comment" rows="3" maxlength="2000" required=reason aria-describedby=format!("f-comment_{name}-error")>{if typed("action") == name { typed("comment") } else { String::new() }}</textarea>
                                    <FieldMessage name=format!("comment_{name}") />
                                </div>
                                <button type="submit" class=if matches!(a, Action::Reject | Action::ProposeRejection | Action::Revoke) { "button button--secondary" } else { "button" }>{action_text(i18n, a)}</button>
                            </form>
                        }
                    }).collect_view()}
                </section>
            }
        })}
    }
}

/// The boxes of a return for supplement: each project field and each material, ticked with a
/// comment.
#[component]
fn FlagPicker(app: ApplicationView, fields: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = query.get_untracked();
    let refill = q.get("err").is_some();
    let row = move |kind: &'static str, name: String, label: String| {
        let key = format!("flag.{kind}.{name}");
        let comment = format!("comment.{kind}.{name}");
        let ticked = refill && q.get(&key).is_some();
        let typed = if refill { q.get(&comment).unwrap_or_default() } else { String::new() };
        view! {
            <div class="flag-row">
                <label class="choice"><input type="checkbox" name=key.clone() value="on" checked=ticked /> " " {label.clone()}</label>
                <label class="visually-hidden" for=format!("f-{comment}")>{t!(i18n, review_flag_comment)} " " {label}</label>
                <input id=format!("f-{comment}") name=comment.clone() value=typed placeholder=t_string!(i18n, review_flag_comment).to_string() aria-describedby=format!("f-{comment}-error") />
                <FieldMessage name=comment />
            </div>
        }
    };
    let field_rows = fields.into_iter().map(|f| {
        let label = field_label(i18n, &f);
        row("f", f, label)
    }).collect_view();
    let material_rows = app.materials.iter().map(|m| row("m", m.code.clone(), bilingual(i18n, m.name.clone())())).collect_view();
    view! {
        <fieldset class="field" id="f-flags">
            <legend>{t!(i18n, review_flags_legend)}</legend>
            <FieldMessage name="flags" />
            {field_rows}
            {material_rows}
        </fieldset>
    }
}

/// The expert panel as the agencies see it: who was drawn, their declarations and sheets.
#[component]
fn Panel(panel: PanelView) -> impl IntoView {
    let i18n = use_i18n();
    let result = panel.result_milli.map(|m| format!("{:.1} / {}", m as f64 / 1000.0, panel.max_total));
    view! {
        <section id="panel" aria-labelledby="panel-title" data-testid="panel">
            <h3 id="panel-title">{t!(i18n, panel_title)}</h3>
            <p>{t!(i18n, panel_completion)} " " <code>{panel.completion.clone()}</code>
                {result.map(|r| view! { " · " {t!(i18n, panel_result)} " " <strong data-testid="panel-result">{r}</strong> })}</p>
            <div class="table-scroll" role="region" tabindex="0" aria-labelledby="panel-title">
                <table class="table">
                    <thead><tr><th scope="col">{t!(i18n, panel_expert)}</th><th scope="col">{t!(i18n, draw_specialty)}</th><th scope="col">{t!(i18n, application_state)}</th><th scope="col">{t!(i18n, panel_total)}</th></tr></thead>
                    <tbody>
                        {panel.members.into_iter().map(|m| view! {
                            <tr>
                                <td>{m.expert_name.clone()}</td>
                                <td>{m.specialty.clone()}</td>
                                <td>{assignment_status_text(i18n, m.status)} {m.recusal_reason.clone().map(|r| format!(" — {r}"))}</td>
                                <td>{m.total.map(|t| t.to_string()).unwrap_or_else(|| "—".into())}
                                    {(!m.scores.is_empty()).then(|| view! {
                                        <details><summary>{t!(i18n, panel_sheet)}</summary>
                                            <ul>{m.scores.iter().map(|s| view! { <li><code>{s.code.clone()}</code> " " {s.score} " — " {s.comment.clone()}</li> }).collect_view()}</ul>
                                        </details>
                                    })}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// `/applications/<id>/supplement`: each flag beside its field, answered with a corrected
/// value, a new file or a reply.
#[component]
pub fn SupplementPage() -> impl IntoView {
    view! { <SignedIn child=|_| view! { <Supplement /> }.into_any() /> }
}

#[component]
fn Supplement() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let app = Resource::new(move || id.get(), get_application);
    let review = Resource::new(move || id.get(), review_data);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match (app.await, review.await) {
                    (Ok(a), Ok(r)) => view! { <SupplementForm app=a.view d=r /> }.into_any(),
                    _ => view! { <crate::pages::not_found::NotFound /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SupplementForm(app: ApplicationView, d: ReviewInfo) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = query.get_untracked();
    let refill = q.get("err").is_some();
    let id = app.id;
    let open = d.actions.state == ApplicationState::ReturnedForSupplement && d.actions.roles.contains(&Role::Applicant);
    let saved = q.get("saved").is_some();
    let all_answered = d.flags.iter().all(|f| f.answered_at.is_some());
    let may_resubmit = d.actions.actions.contains(&Action::Resubmit);
    let title = t_string!(i18n, supplement_title).to_string();
    view! {
        <section class="form-page" aria-labelledby="supplement-title">
            <PageTitle text=title.clone() />
            <p class="card__meta"><a href=format!("/applications/{id}")>{bilingual(i18n, app.program_title.clone())}</a></p>
            <h1 id="supplement-title">{title}</h1>
            {saved.then(|| view! { <p role="status" class="form-ok">{t!(i18n, supplement_saved)}</p> })}
            <FormErrors />
            {if open {
                view! {
                    <p>{t!(i18n, supplement_intro)}</p>
                    <form method="post" action=format!("/forms/applications/{id}/supplement") class="form" novalidate=true data-testid="supplement-form">
                        {d.flags.iter().map(|f| {
                            let subject = flag_subject(i18n, &app, f);
                            let reply = format!("reply.{}", f.id);
                            let typed_reply = if refill { q.get(&reply).unwrap_or_default() } else { f.answer_reply.clone().unwrap_or_default() };
                            let input = f.field.as_ref().map(|field| field_input(i18n, &app.project, field, refill.then_some(&q)));
                            let material = f.material_code.clone();
                            view! {
                                <fieldset class="field card" data-flag=f.id>
                                    <legend>{subject}</legend>
                                    <p class="callout">{t!(i18n, supplement_reviewer_says)} " " {f.comment.clone()}</p>
                                    <p class="field__hint">{t!(i18n, flag_due)} " " {f.due_on.to_string()}
                                        {f.answered_at.map(|at| view! { " · " {t!(i18n, flag_answered)} " " {beijing(at)} })}</p>
                                    {input}
                                    {material.map(|code| {
                                        let current = app.materials.iter().find(|m| m.code == code).and_then(|m| m.file.clone());
                                        view! {
                                            <p>{current.map(|c| view! { {t!(i18n, material_current)} " " <a href=format!("/api/v1/applications/{id}/materials/{code}")>{c.file_name.clone()}</a> " · " })}
                                                <a href=format!("/applications/{id}/materials#file-{code}")>{t!(i18n, supplement_new_file)}</a></p>
                                        }
                                    })}
                                    <label for=format!("f-{reply}")>{t!(i18n, supplement_reply)}</label>
                                    <textarea id=format!("f-{reply}") name=reply.clone() rows="2" maxlength="2000" aria-describedby=format!("f-{reply}-error")>{typed_reply}</textarea>
                                    <FieldMessage name=reply />
                                </fieldset>
                            }
                        }).collect_view()}
                        <button type="submit" class="button">{t!(i18n, supplement_save)}</button>
                    </form>
                    {if may_resubmit && all_answered {
                        view! {
                            <form method="post" action=format!("/forms/applications/{id}/actions") class="form" id="act-resubmit">
                                <input type="hidden" name="action" value="resubmit" />
                                <input type="hidden" name="expected_state" value=d.actions.state.as_str() />
                                <button type="submit" class="button">{t!(i18n, act_resubmit)}</button>
                            </form>
                        }.into_any()
                    } else {
                        view! { <p class="field__hint">{t!(i18n, supplement_resubmit_hint)}</p> }.into_any()
                    }}
                }.into_any()
            } else {
                view! { <p>{t!(i18n, supplement_closed)} " " <a href=format!("/applications/{id}")>{t!(i18n, app_title)}</a></p> }.into_any()
            }}
        </section>
    }
}

/// `/review`: the caller's work at its stages, with filters, sort and the working days left.
#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    view! { <SignedIn child=|_| view! { <Queue /> }.into_any() /> }
}

#[component]
fn Queue() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let get = move |k: &'static str| Memo::new(move |_| query.read().get(k).unwrap_or_default());
    let (stage, program, flag, sort) = (get("stage"), get("program"), get("flag"), get("sort"));
    let page = Memo::new(move |_| query.read().get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1));
    let data = Resource::new(move || (stage.get(), program.get(), flag.get(), sort.get(), page.get()), |(s, p, f, o, n)| review_queue(s, p, f, o, n));
    let title = t_string!(i18n, review_title).to_string();
    let selected = move |m: Memo<String>, v: &'static str| m.get_untracked() == v;
    view! {
        <section aria-labelledby="queue-title">
            <PageTitle text=title.clone() />
            <h1 id="queue-title">{title}</h1>
            <FormErrors />
            <form method="get" action="/review" class="form form--inline filters" role="search">
                <div class="field">
                    <label for="q-stage">{t!(i18n, review_filter_stage)}</label>
                    <select id="q-stage" name="stage">
                        <option value="">{t!(i18n, review_stage_all)}</option>
                        {shared::review::STAGES.into_iter().map(|s| view! { <option value=s.as_str() selected=stage.get_untracked() == s.as_str()>{state_text(i18n, s)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="q-program">{t!(i18n, review_filter_program)}</label>
                    <input id="q-program" name="program" value=program.get_untracked() size="12" />
                </div>
                <div class="field">
                    <label for="q-flag">{t!(i18n, review_filter_flag)}</label>
                    <select id="q-flag" name="flag">
                        <option value="">{t!(i18n, review_flag_any)}</option>
                        <option value="overdue" selected=selected(flag, "overdue")>{t!(i18n, review_flag_overdue)}</option>
                        <option value="returned" selected=selected(flag, "returned")>{t!(i18n, review_flag_returned)}</option>
                        <option value="unassigned" selected=selected(flag, "unassigned")>{t!(i18n, review_flag_unassigned)}</option>
                        <option value="mine" selected=selected(flag, "mine")>{t!(i18n, review_flag_mine)}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="q-sort">{t!(i18n, review_sort)}</label>
                    <select id="q-sort" name="sort">
                        <option value="due">{t!(i18n, review_sort_due)}</option>
                        <option value="amount" selected=selected(sort, "amount")>{t!(i18n, review_sort_amount)}</option>
                        <option value="submitted" selected=selected(sort, "submitted")>{t!(i18n, review_sort_submitted)}</option>
                    </select>
                </div>
                <button type="submit" class="button button--secondary">{t!(i18n, review_filter_apply)}</button>
            </form>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) if d.list.items.is_empty() => view! { <p data-testid="queue-empty">{t!(i18n, review_empty)}</p> }.into_any(),
                        Ok(QueueData { list, draw_specialties }) => {
                            let batch = !draw_specialties.is_empty();
                            let picked = move |id: i64| query.read_untracked().get(&format!("app.{id}")).is_some_and(|v| v == "on");
                            view! {
                            {(query.read_untracked().get("drawn").is_some()).then(|| view! { <p class="form-ok" role="status" data-testid="batch-drawn">{t!(i18n, batch_drawn)}</p> })}
                            <p>{t!(i18n, review_count, count = list.total)}</p>
                            <div class="table-scroll" role="region" tabindex="0" aria-labelledby="queue-title">
                                <table class="table table--stack" data-testid="queue">
                                    <thead><tr>
                                        {batch.then(|| view! { <th scope="col">{t!(i18n, batch_pick)}</th> })}
                                        <th scope="col">{t!(i18n, apps_project)}</th><th scope="col">{t!(i18n, review_col_company)}</th>
                                        <th scope="col">{t!(i18n, verify_program)}</th><th scope="col">{t!(i18n, application_state)}</th>
                                        <th scope="col">{t!(i18n, computed_amount)}</th><th scope="col">{t!(i18n, review_col_due)}</th><th scope="col">{t!(i18n, review_col_holder)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.items.into_iter().map(|r| view! {
                                            <tr class:overdue=r.overdue data-id=r.id>
                                                {batch.then(|| view! {
                                                    <td data-label=t_string!(i18n, batch_pick).to_string()>
                                                        {(r.state == shared::applications::ApplicationState::ExpertReview).then(|| {
                                                            let name = format!("app.{}", r.id);
                                                            view! {
                                                                <input type="checkbox" form="batch-draw" id=format!("f-{name}") name=name.clone() checked=picked(r.id)
                                                                    aria-describedby=format!("f-{name}-error") aria-label=format!("{} {}", t_string!(i18n, batch_pick), r.title) />
                                                                <FieldMessage name=name />
                                                            }
                                                        })}
                                                    </td>
                                                })}
                                                <td data-label=t_string!(i18n, apps_project).to_string()><a href=format!("/applications/{}", r.id)>{if r.title.is_empty() { t_string!(i18n, apps_untitled).to_string() } else { r.title.clone() }}</a>
                                                    {r.returned_before.then(|| view! { " " <span class="badge">{t!(i18n, review_flag_returned)}</span> })}</td>
                                                <td data-label=t_string!(i18n, review_col_company).to_string()>{r.company_name.clone()} <br /><code>{r.company_credit_code.clone()}</code></td>
                                                <td data-label=t_string!(i18n, verify_program).to_string()>{bilingual(i18n, r.program_title.clone())}</td>
                                                <td data-label=t_string!(i18n, application_state).to_string()>{state_text(i18n, r.state)}</td>
                                                <td data-label=t_string!(i18n, computed_amount).to_string()>{r.computed_amount_fen.map(|f| view! { <Money amount=shared::Fen(f) /> })}</td>
                                                <td data-label=t_string!(i18n, review_col_due).to_string()>{r.stage_due_on.map(|d| d.to_string())}
                                                    {r.working_days_left.map(|l| view! { <br /><span class=if l < 0 { "badge badge--warn" } else { "badge" }>{days_left_text(i18n, l)}</span> })}</td>
                                                <td data-label=t_string!(i18n, review_col_holder).to_string()>{r.assigned_reviewer_name.clone().unwrap_or_else(|| "—".to_string())}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Pager page=list.page total=list.total per_page=list.per_page path="/review".to_string() keep=&["stage", "program", "flag", "sort"] />
                            {batch.then(|| {
                                let keep = ["stage", "program", "flag", "sort", "page"].map(|k| (k, query.read_untracked().get(k).unwrap_or_default()));
                                let chosen = query.read_untracked().get("specialty").unwrap_or_default();
                                view! {
                                    <form method="post" action="/forms/expert-draws" class="form" id="batch-draw" data-testid="batch-draw-form">
                                        <h2>{t!(i18n, batch_title)}</h2>
                                        <p class="field__hint">{t!(i18n, batch_hint)}</p>
                                        {keep.into_iter().map(|(k, v)| view! { <input type="hidden" name=format!("q.{k}") value=v /> }).collect_view()}
                                        <FieldMessage name="application_ids" />
                                        <DrawFields ids=("f-batch-specialty", "f-batch-count") specialties=draw_specialties chosen=chosen count=query.read_untracked().get("count").unwrap_or_default() />
                                        <button type="submit" class="button">{t!(i18n, batch_submit)}</button>
                                    </form>
                                }
                            })}
                        }.into_any()
                        }
                        Err(e) => view! { <LoadFailed code=sfn_code(&e) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A draw's specialty and count, with their errors (the single and the batch draw forms).
#[component]
fn DrawFields(ids: (&'static str, &'static str), specialties: Vec<String>, chosen: String, count: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=ids.0>{t!(i18n, draw_specialty)}</label>
            <select id=ids.0 name="specialty" aria-describedby="f-specialty-error">
                <option value="">{t!(i18n, choose)}</option>
                {specialties.into_iter().map(|x| view! { <option value=x.clone() selected=x == chosen>{x.clone()}</option> }).collect_view()}
            </select>
            <FieldMessage name="specialty" />
        </div>
        <div class="field">
            <label for=ids.1>{t!(i18n, draw_count)}</label>
            <input id=ids.1 name="count" type="number" min="1" max="15" value=count aria-describedby="f-count-error" />
            <FieldMessage name="count" />
        </div>
    }
}

/// `/review/dashboard`: the agency lead's figures for the programs their agency leads.
#[component]
pub fn ReviewDashboardPage() -> impl IntoView {
    view! { <SignedIn child=|_| view! { <DashboardView /> }.into_any() /> }
}

/// Tenths of a working day as "3.5".
fn tenths(v: i64) -> String {
    format!("{}.{}", v / 10, v % 10)
}

#[component]
fn DashboardView() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| review_dashboard());
    let title = t_string!(i18n, dash_title).to_string();
    view! {
        <section aria-labelledby="dash-title">
            <PageTitle text=title.clone() />
            <h1 id="dash-title">{title}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! {
                            <p class="field__hint">{t!(i18n, dash_as_of)} " " <time datetime=d.today.to_string()>{d.today.to_string()}</time></p>
                            <h2 id="dash-programs">{t!(i18n, dash_programs)}</h2>
                            {d.programs.is_empty().then(|| view! { <p>{t!(i18n, dash_no_programs)}</p> })}
                            {d.programs.into_iter().map(|p| {
                                let heading = format!("dash-p-{}", p.program_code);
                                let (article_label, table_label) = (heading.clone(), heading.clone());
                                let testid = format!("dash-program-{}", p.program_code);
                                view! {
                                    <article class="card" aria-labelledby=article_label data-testid=testid>
                                        <h3 id=heading>{bilingual(i18n, p.program_title.clone())}</h3>
                                        <dl class="facts">
                                            <dt>{t!(i18n, dash_budget_total)}</dt><dd><Money amount=shared::Fen(p.budget_total_fen) /></dd>
                                            <dt>{t!(i18n, dash_budget_reserved)}</dt><dd><Money amount=shared::Fen(p.budget_reserved_fen) /></dd>
                                            <dt>{t!(i18n, dash_budget_used)}</dt><dd><Money amount=shared::Fen(p.budget_used_fen) /></dd>
                                            <dt>{t!(i18n, dash_budget_left)}</dt><dd data-testid="budget-left"><Money amount=shared::Fen(p.budget_left_fen) /></dd>
                                        </dl>
                                        <div class="table-scroll" role="region" tabindex="0" aria-labelledby=table_label>
                                            <table class="table table--stack">
                                                <thead><tr>
                                                    <th scope="col">{t!(i18n, application_state)}</th><th scope="col">{t!(i18n, dash_count)}</th>
                                                    <th scope="col">{t!(i18n, dash_overdue)}</th><th scope="col">{t!(i18n, dash_average_days)}</th>
                                                </tr></thead>
                                                <tbody>
                                                    {p.stages.into_iter().map(|st| view! {
                                                        <tr data-state=st.state.as_str()>
                                                            <th scope="row" data-label=t_string!(i18n, application_state).to_string()>{state_text(i18n, st.state)}</th>
                                                            <td data-label=t_string!(i18n, dash_count).to_string()>{st.count}</td>
                                                            <td data-label=t_string!(i18n, dash_overdue).to_string()>{st.overdue}</td>
                                                            <td data-label=t_string!(i18n, dash_average_days).to_string()>
                                                                {st.average_working_days_tenths.map(tenths).unwrap_or_else(|| "—".to_string())}
                                                                {(st.completed_stays > 0).then(|| view! { " " <span class="field__hint">{t!(i18n, dash_stays, count = st.completed_stays)}</span> })}
                                                            </td>
                                                        </tr>
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                    </article>
                                }
                            }).collect_view()}
                            <h2 id="dash-overdue">{t!(i18n, dash_overdue_title)}</h2>
                            <p data-testid="overdue-total">{t!(i18n, dash_overdue_total, count = d.overdue_total)} " " <a href="/review?flag=overdue">{t!(i18n, dash_overdue_queue)}</a></p>
                            {(!d.overdue.is_empty()).then(|| view! {
                                <ul data-testid="overdue-list">
                                    {d.overdue.into_iter().map(|r| view! {
                                        <li>
                                            <a href=format!("/applications/{}", r.id)>{if r.title.is_empty() { t_string!(i18n, apps_untitled).to_string() } else { r.title.clone() }}</a>
                                            " · " {r.company_name.clone()} " · " {state_text(i18n, r.state)}
                                            {r.working_days_left.map(|l| view! { " " <span class="badge badge--warn">{days_left_text(i18n, l)}</span> })}
                                            " · " {r.assigned_reviewer_name.clone().unwrap_or_else(|| t_string!(i18n, dash_unassigned).to_string())}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            })}
                            <h2 id="dash-experts">{t!(i18n, dash_experts)}</h2>
                            {if d.experts.is_empty() {
                                view! { <p>{t!(i18n, dash_no_experts)}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll" role="region" tabindex="0" aria-labelledby="dash-experts">
                                        <table class="table table--stack" data-testid="expert-load">
                                            <thead><tr>
                                                <th scope="col">{t!(i18n, dash_expert)}</th><th scope="col">{t!(i18n, dash_awaiting_declaration)}</th>
                                                <th scope="col">{t!(i18n, dash_awaiting_scores)}</th><th scope="col">{t!(i18n, dash_scored)}</th><th scope="col">{t!(i18n, dash_recused)}</th>
                                            </tr></thead>
                                            <tbody>
                                                {d.experts.into_iter().map(|e| view! {
                                                    <tr>
                                                        <th scope="row" data-label=t_string!(i18n, dash_expert).to_string()>{e.display_name.clone()}</th>
                                                        <td data-label=t_string!(i18n, dash_awaiting_declaration).to_string()>{e.awaiting_declaration}</td>
                                                        <td data-label=t_string!(i18n, dash_awaiting_scores).to_string()>{e.awaiting_scores}</td>
                                                        <td data-label=t_string!(i18n, dash_scored).to_string()>{e.scored}</td>
                                                        <td data-label=t_string!(i18n, dash_recused).to_string()>{e.recused}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                        }.into_any(),
                        Err(e) => view! { <LoadFailed code=sfn_code(&e) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/notifications`: the list (newest first), mark read, and which kinds come by email.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    view! { <SignedIn child=|_| view! { <Notifications /> }.into_any() /> }
}

#[component]
fn Notifications() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Memo::new(move |_| query.read().get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1));
    let data = Resource::new(move || page.get(), my_notifications);
    let title = t_string!(i18n, notif_title).to_string();
    let flash = move |k: &'static str| query.get_untracked().get(k).is_some();
    view! {
        <section aria-labelledby="notif-title">
            <PageTitle text=title.clone() />
            <h1 id="notif-title">{title}</h1>
            <FormErrors />
            {flash("all_read").then(|| view! { <p role="status" class="form-ok">{t!(i18n, notif_all_read_ok)}</p> })}
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((list, settings)) => view! {
                            <p data-testid="unread">{t!(i18n, notif_unread_count, count = list.unread)}</p>
                            {(list.unread > 0).then(|| view! {
                                <form method="post" action="/forms/notifications/read-all"><button type="submit" class="button button--secondary button--small">{t!(i18n, notif_read_all)}</button></form>
                            })}
                            {if list.items.is_empty() {
                                view! { <p>{t!(i18n, notif_empty)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="notifications" data-testid="notifications">
                                        {list.items.into_iter().map(|n| view! {
                                            <li class=if n.read { "card" } else { "card card--unread" } id=format!("n-{}", n.id) data-kind=n.kind.as_str()>
                                                <p class="card__meta">{beijing(n.created_at)} " · " {notice_kind_text(i18n, n.kind)}
                                                    {(!n.read).then(|| view! { " · " <strong>{t!(i18n, notif_new)}</strong> })}</p>
                                                <h2 class="card__title">{n.title.clone()}</h2>
                                                <p class="notification__body">{n.body.clone()}</p>
                                                <form method="post" action=format!("/forms/notifications/{}/read", n.id) class="form form--inline">
                                                    <button type="submit" name="open" value="1" class="button button--small">{t!(i18n, notif_open)}</button>
                                                    {(!n.read).then(|| view! { <button type="submit" class="button button--small button--secondary">{t!(i18n, notif_mark_read)}</button> })}
                                                </form>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                    <Pager page=list.page total=list.total per_page=list.per_page path="/notifications".to_string() keep=&[] />
                                }.into_any()
                            }}
                            <section id="settings" aria-labelledby="settings-title">
                                <h2 id="settings-title">{t!(i18n, notif_settings_title)}</h2>
                                {flash("settings_saved").then(|| view! { <p role="status" class="form-ok">{t!(i18n, notif_settings_saved)}</p> })}
                                <form method="post" action="/forms/notification-settings" class="form" data-testid="notification-settings">
                                    <fieldset class="field">
                                        <legend>{t!(i18n, notif_settings_intro)}</legend>
                                        {NoticeKind::ALL.into_iter().map(|k| {
                                            let on = k.obligatory() || !settings.email_off.contains(&k);
                                            view! {
                                                <label class="choice">
                                                    <input type="checkbox" name=format!("email.{}", k.as_str()) value="on" checked=on disabled=k.obligatory() />
                                                    " " {notice_kind_text(i18n, k)}
                                                    {k.obligatory().then(|| view! { " " <span class="field__hint">{t!(i18n, notif_obligatory)}</span> })}
                                                </label>
                                            }
                                        }).collect_view()}
                                    </fieldset>
                                    <button type="submit" class="button button--secondary">{t!(i18n, notif_settings_save)}</button>
                                </form>
                            </section>
                        }.into_any(),
                        Err(e) => view! { <LoadFailed code=sfn_code(&e) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/expert`: the calling expert's assignments.
#[component]
pub fn ExpertPage() -> impl IntoView {
    view! { <SignedIn child=|_| view! { <Assignments /> }.into_any() /> }
}

#[component]
fn Assignments() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let data = Resource::new(|| (), |_| my_assignments());
    let title = t_string!(i18n, expert_title).to_string();
    let recused = query.get_untracked().get("recused").is_some();
    view! {
        <section aria-labelledby="expert-title">
            <PageTitle text=title.clone() />
            <h1 id="expert-title">{title}</h1>
            {recused.then(|| view! { <p role="status" class="form-ok">{t!(i18n, expert_recused_ok)}</p> })}
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) if list.is_empty() => view! { <p>{t!(i18n, expert_empty)}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="cards" data-testid="assignments">
                                {list.into_iter().map(|a| view! {
                                    <li class="card">
                                        <h2 class="card__title"><a href=format!("/expert/assignments/{}", a.id)>{a.project_title.clone()}</a></h2>
                                        <p class="card__meta">{bilingual(i18n, a.program_title.clone())} " · " {a.company_name.clone()} " · " {a.specialty.clone()}</p>
                                        <p><span class="badge">{assignment_status_text(i18n, a.status)}</span>
                                            {a.scored.then(|| view! { " " <span class="badge">{t!(i18n, expert_scored_badge)}</span> })}
                                            {(!a.open).then(|| view! { " " <span class="badge">{t!(i18n, expert_closed_badge)}</span> })}</p>
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

/// `/expert/assignments/<id>`: declare on conflicts of interest, then read the application
/// and submit the score sheet (the expert sees no other sheet).
#[component]
pub fn ExpertAssignmentPage() -> impl IntoView {
    view! { <SignedIn child=|_| view! { <AssignmentDetail /> }.into_any() /> }
}

#[component]
fn AssignmentDetail() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let data = Resource::new(|| (), |_| my_assignments());
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let wanted = id.get_untracked();
                match data.await.ok().and_then(|list| list.into_iter().find(|a| a.id == wanted)) {
                    Some(a) => view! { <AssignmentForms a /> }.into_any(),
                    None => view! { <crate::pages::not_found::NotFound /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AssignmentForms(a: AssignmentView) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = query.get_untracked();
    let refill = q.get("err").is_some();
    let typed_q = q.clone();
    let typed = move |k: &str| if refill { typed_q.get(k).unwrap_or_default() } else { String::new() };
    let title = a.project_title.clone();
    let id = a.id;
    view! {
        <section class="form-page" aria-labelledby="assignment-title" data-testid="assignment" data-status=a.status.as_str()>
            <PageTitle text=title.clone() />
            <p class="card__meta"><a href="/expert">{t!(i18n, expert_title)}</a></p>
            <h1 id="assignment-title">{title}</h1>
            {q.get("confirmed").map(|_| view! { <p role="status" class="form-ok">{t!(i18n, expert_confirmed_ok)}</p> })}
            {q.get("scored").map(|_| view! { <p role="status" class="form-ok">{t!(i18n, expert_scored_ok)}</p> })}
            <FormErrors />
            <dl class="facts">
                <dt>{t!(i18n, verify_program)}</dt><dd>{bilingual(i18n, a.program_title.clone())}</dd>
                <dt>{t!(i18n, review_col_company)}</dt><dd>{a.company_name.clone()} " " <code>{a.company_credit_code.clone()}</code></dd>
                <dt>{t!(i18n, draw_specialty)}</dt><dd>{a.specialty.clone()}</dd>
                <dt>{t!(i18n, application_state)}</dt><dd>{assignment_status_text(i18n, a.status)}</dd>
            </dl>
            {match (a.status, a.open, a.scored) {
                (_, false, _) => view! { <p>{t!(i18n, expert_closed)}</p> }.into_any(),
                (AssignmentStatus::Drawn, true, _) => view! {
                    <form method="post" action=format!("/forms/expert-assignments/{id}/declaration") class="form" data-testid="declaration-form">
                        <fieldset class="field" id="f-conflict">
                            <legend>{t!(i18n, expert_declare_title)}</legend>
                            <label class="choice"><input type="radio" name="conflict" value="no" /> " " {t!(i18n, expert_declare_no)}</label>
                            <label class="choice"><input type="radio" name="conflict" value="yes" /> " " {t!(i18n, expert_declare_yes)}</label>
                            <FieldMessage name="conflict" />
                        </fieldset>
                        <div class="field">
                            <label for="f-reason">{t!(i18n, expert_declare_reason)}</label>
                            <textarea id="f-reason" name="reason" rows="2" maxlength="2000" aria-describedby="f-reason-error">{typed("reason")}</textarea>
                            <FieldMessage name="reason" />
                        </div>
                        <button type="submit" class="button">{t!(i18n, expert_declare_submit)}</button>
                    </form>
                }.into_any(),
                (AssignmentStatus::Confirmed, true, false) => view! {
                    <p><a href=format!("/applications/{}", a.application_id)>{t!(i18n, expert_read_app)}</a></p>
                    <form method="post" action=format!("/forms/expert-assignments/{id}/scores") class="form" novalidate=true data-testid="score-form">
                        <h2>{t!(i18n, expert_scores_title)}</h2>
                        <p class="field__hint">{t!(i18n, expert_scores_hint)}</p>
                        {a.rubric.iter().map(|r| {
                            let score = format!("score.{}", r.code);
                            let comment = format!("comment.{}", r.code);
                            view! {
                                <fieldset class="field card">
                                    <legend>{bilingual(i18n, r.name.clone())} " · " {t!(i18n, expert_weight)} " " {r.weight}</legend>
                                    <label for=format!("f-{score}")>{t!(i18n, expert_score, max = r.max_score)}</label>
                                    <input id=format!("f-{score}") name=score.clone() type="number" min="0" max=r.max_score value=typed(&score) required=true aria-describedby=format!("f-{score}-error") />
                                    <FieldMessage name=score />
                                    <label for=format!("f-{comment}")>{t!(i18n, expert_comment)}</label>
                                    <textarea id=format!("f-{comment}") name=comment.clone() rows="2" maxlength="2000" required=true aria-describedby=format!("f-{comment}-error")>{typed(&comment)}</textarea>
                                    <FieldMessage name=comment />
                                </fieldset>
                            }
                        }).collect_view()}
                        <button type="submit" class="button">{t!(i18n, expert_scores_submit)}</button>
                    </form>
                }.into_any(),
                (AssignmentStatus::Confirmed, true, true) => view! {
                    <p>{t!(i18n, expert_scored_ok)}</p>
                    <p><a href=format!("/applications/{}", a.application_id)>{t!(i18n, expert_read_app)}</a></p>
                }.into_any(),
                (AssignmentStatus::Recused, true, _) => view! { <p>{t!(i18n, expert_recused_ok)}</p> }.into_any(),
            }}
        </section>
    }
}
