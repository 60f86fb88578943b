//! Scheduled work: a base's scheduled report reminders (on the park manager's reports page)
//! and the system admin's list of jobs with the failed ones' last error and a retry.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::accounts::Role;
use shared::jobs::{JobView, JOB_STATUSES};

use crate::components::form::{sfn_code, FormErrors, TextField};
use crate::components::signed_in::{SignedIn};
use crate::components::layout::PageTitle;
use crate::components::pager::Pager;
use crate::i18n::*;
use crate::pages::not_found::{Forbidden, LoadFailed};
use crate::server_fns::{admin_jobs, scheduled_reminders};

/// A time stored in UTC as Beijing time.
use crate::components::text::beijing;

fn status_text(i18n: leptos_i18n::I18nContext<Locale>, status: &str) -> String {
    match status {
        "pending" => t_string!(i18n, job_status_pending).to_string(),
        "running" => t_string!(i18n, job_status_running).to_string(),
        "done" => t_string!(i18n, job_status_done).to_string(),
        "failed" => t_string!(i18n, job_status_failed).to_string(),
        other => other.to_string(),
    }
}

fn kind_text(i18n: leptos_i18n::I18nContext<Locale>, kind: &str) -> String {
    match kind {
        "mail" => t_string!(i18n, job_kind_mail).to_string(),
        "report_reminders" => t_string!(i18n, job_kind_report_reminders).to_string(),
        "stage_reminder" => t_string!(i18n, job_kind_stage_reminder).to_string(),
        "stage_escalation" => t_string!(i18n, job_kind_stage_escalation).to_string(),
        "notice_close" => t_string!(i18n, job_kind_notice_close).to_string(),
        "objection_reminder" => t_string!(i18n, job_kind_objection_reminder).to_string(),
        "objection_escalation" => t_string!(i18n, job_kind_objection_escalation).to_string(),
        "evaluation_reminder" => t_string!(i18n, job_kind_evaluation_reminder).to_string(),
        "evaluation_overdue" => t_string!(i18n, job_kind_evaluation_overdue).to_string(),
        other => other.to_string(),
    }
}

/// Schedule reminders for `period` of `base` at a later time, and the runs already scheduled.
#[component]
pub fn ScheduledReminders(base: i64, period: String) -> impl IntoView {
    let i18n = use_i18n();
    let runs = Resource::new(move || base, scheduled_reminders);
    let done = use_query_map().get_untracked().get("scheduled").is_some();
    view! {
        <section aria-labelledby="schedule-title" data-testid="scheduled-reminders">
            <h2 id="schedule-title">{t_string!(i18n, schedule_reminders_title)}</h2>
            {done.then(|| view! { <p role="status" class="form-ok">{t_string!(i18n, schedule_reminders_done)}</p> })}
            <p class="field__hint">{t_string!(i18n, schedule_reminders_hint)}</p>
            <form method="post" action=format!("/forms/bases/{base}/reminders/scheduled") class="form" novalidate=true aria-labelledby="schedule-title">
                <input type="hidden" name="period" value=period.clone() />
                <TextField name="run_at" label=t_string!(i18n, schedule_reminders_at).to_string() kind="datetime-local" />
                <button type="submit" class="button">{t_string!(i18n, schedule_reminders_submit)}</button>
            </form>
            <Suspense fallback=move || view! { <p>{t_string!(i18n, loading)}</p> }>
                {Suspend::new(async move {
                    match runs.await {
                        Ok(runs) if runs.is_empty() => view! { <p class="empty">{t_string!(i18n, schedule_reminders_none)}</p> }.into_any(),
                        Ok(runs) => view! { <JobTable jobs=runs retry=false /> }.into_any(),
                        Err(e) => view! { <LoadFailed code=sfn_code(&e) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Jobs as a table (cards on a phone); `retry` offers a retry button on failed ones.
#[component]
fn JobTable(jobs: Vec<JobView>, retry: bool) -> impl IntoView {
    let i18n = use_i18n();
    let labels = [
        t_string!(i18n, job_kind).to_string(),
        t_string!(i18n, job_run_at).to_string(),
        t_string!(i18n, report_period).to_string(),
        t_string!(i18n, filter_status).to_string(),
        t_string!(i18n, job_attempts).to_string(),
        t_string!(i18n, job_last_error).to_string(),
    ];
    let head = labels.clone();
    view! {
        <table class="table table--stack" data-testid="jobs">
            <thead><tr>
                {head.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
                {retry.then(|| view! { <th scope="col">{t_string!(i18n, calendar_action)}</th> })}
            </tr></thead>
            <tbody>
                {jobs.into_iter().map(|j| {
                    let period = j.payload.get("period").and_then(|p| p.as_str()).unwrap_or("").to_string();
                    let failed = j.status == "failed";
                    let label = format!("{} {}", t_string!(i18n, job_retry), j.id);
                    view! {
                        <tr data-status=j.status.clone()>
                            <td data-label=labels[0].clone()>{kind_text(i18n, &j.kind)}</td>
                            <td data-label=labels[1].clone()>{beijing(j.run_at)}</td>
                            <td data-label=labels[2].clone()>{period}</td>
                            <td data-label=labels[3].clone()>{status_text(i18n, &j.status)}</td>
                            <td data-label=labels[4].clone()>{format!("{} / {}", j.attempts, j.max_attempts)}</td>
                            <td data-label=labels[5].clone() class="wrap">{j.last_error.clone().unwrap_or_default()}</td>
                            {retry.then(|| view! {
                                <td data-label=t_string!(i18n, calendar_action).to_string()>
                                    {failed.then(|| view! {
                                        <form method="post" action=format!("/forms/admin/jobs/{}/retry", j.id) class="inline">
                                            <button type="submit" class="button button--small" aria-label=label>{t_string!(i18n, job_retry)}</button>
                                        </form>
                                    })}
                                </td>
                            })}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn AdminJobsPage() -> impl IntoView {
    view! { <SignedIn child=|me| if me.has_role(Role::SystemAdmin) { view! { <AdminJobs /> }.into_any() } else { view! { <Forbidden /> }.into_any() } /> }
}

#[component]
fn AdminJobs() -> impl IntoView {
    let i18n = use_i18n();
    // Rendered once on the server (no island): the query is read once, as plain values.
    let query = use_query_map().get_untracked();
    let status = query.get("status").unwrap_or_default();
    let page = query.get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1);
    let saved = query.get("saved").is_some();
    let s = status.clone();
    let jobs = Resource::new(move || (s.clone(), page), |(s, p)| admin_jobs(s, p));
    view! {
        <section aria-labelledby="jobs-title">
            <PageTitle text=t_string!(i18n, admin_jobs_title).to_string() />
            <h1 id="jobs-title">{t_string!(i18n, admin_jobs_title)}</h1>
            <p>{t_string!(i18n, admin_jobs_intro)}</p>
            {saved.then(|| view! { <p role="status" class="form-ok">{t_string!(i18n, job_retried)}</p> })}
            <FormErrors />
            <form method="get" action="/admin/jobs" class="filters" role="search">
                <div class="field"><label for="status">{t_string!(i18n, filter_status)}</label>
                    <select id="status" name="status"><option value="">{t_string!(i18n, filter_any)}</option>
                        {JOB_STATUSES.iter().map(|k| view! { <option value=*k selected=status == *k>{status_text(i18n, k)}</option> }).collect_view()}
                    </select></div>
                <button type="submit" class="button">{t_string!(i18n, filter_submit)}</button>
            </form>
            <Suspense fallback=move || view! { <p>{t_string!(i18n, loading)}</p> }>
                {Suspend::new(async move {
                    match jobs.await {
                        Ok(p) if p.items.is_empty() => view! { <p class="empty" data-testid="jobs-empty">{t_string!(i18n, admin_jobs_empty)}</p> }.into_any(),
                        Ok(p) => view! {
                            <p role="status">{t!(i18n, results_total, count = p.total)}</p>
                            <JobTable jobs=p.items retry=true />
                            <Pager page=p.page total=p.total per_page=p.per_page path="/admin/jobs" keep=&["status"] />
                        }.into_any(),
                        Err(e) => view! { <LoadFailed code=sfn_code(&e) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
