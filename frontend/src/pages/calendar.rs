//! The working-day calendar (system admins): the years held, each year's holidays and make-up
//! working days, and the forms that change them; a preview shows what a deadline comes to
//! ("10 working days from 2026-09-28 is Friday 2026-10-16"). Every form posts without
//! JavaScript (`/forms/admin/calendar/...`) and comes back here with the preview kept.

use chrono::{Datelike, NaiveDate, Weekday};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::accounts::Role;
use shared::calendar::{CalendarYear, DayKind};

use crate::components::form::{error_text, sfn_code, FieldMessage, FormErrors, TextField};
use crate::components::signed_in::{SignedIn};
use crate::components::layout::PageTitle;
use crate::components::text::is_english;
use crate::i18n::*;
use crate::pages::not_found::{Forbidden, LoadFailed};
use crate::server_fns::{calendar_admin, CalendarView};

#[component]
pub fn AdminCalendarPage() -> impl IntoView {
    view! { <SignedIn child=|me| if me.has_role(Role::SystemAdmin) { view! { <Calendar /> }.into_any() } else { view! { <Forbidden /> }.into_any() } /> }
}

/// A weekday's name in the reader's language.
fn weekday_name(i18n: leptos_i18n::I18nContext<Locale>, day: NaiveDate) -> &'static str {
    let i = day.weekday().num_days_from_monday() as usize;
    if is_english(i18n) {
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][i]
    } else {
        ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"][i]
    }
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

#[component]
fn Calendar() -> impl IntoView {
    let i18n = use_i18n();
    // Rendered once on the server (no island): the query is read once, as plain values.
    let query = use_query_map().get_untracked();
    let get = |k: &str| query.get(k).unwrap_or_default();
    let (year, from, days, saved) = (get("year").parse::<i32>().ok(), get("from"), get("days"), get("saved"));
    let data = Resource::new(move || (year, from.clone(), days.clone()), |(y, f, d)| calendar_admin(y, f, d));
    view! {
        <section class="form-page form-page--wide" aria-labelledby="cal-title">
            <PageTitle text=t_string!(i18n, admin_calendar_title).to_string() />
            <h1 id="cal-title">{t_string!(i18n, admin_calendar_title)}</h1>
            <p>{t_string!(i18n, calendar_intro)}</p>
            {(!saved.is_empty()).then(|| view! { <p role="status" class="form-ok">{t_string!(i18n, saved)}</p> })}
            <FormErrors />
            <Suspense fallback=move || view! { <p>{t_string!(i18n, loading)}</p> }>
                {Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <CalendarBody d /> }.into_any(),
                        Err(e) => view! { <LoadFailed code=sfn_code(&e) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn CalendarBody(d: CalendarView) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map().get_untracked();
    let shown_year = d.shown.as_ref().map(|y| y.year);
    // Every form carries the preview's inputs, so the admin comes back to the same preview and
    // sees what the change did to it.
    let (from, days) = d.preview.as_ref().map(|p| (p.from.format("%Y-%m-%d").to_string(), p.days.to_string())).unwrap_or_else(|| (query.get("from").unwrap_or_default(), query.get("days").unwrap_or_default()));
    let keep = move || view! { <input type="hidden" name="preview_from" value=from.clone() /><input type="hidden" name="preview_days" value=days.clone() /> }.into_any();
    let status = move |provisional: bool| if provisional { t_string!(i18n, calendar_provisional).to_string() } else { t_string!(i18n, calendar_final).to_string() };
    view! {
        <nav aria-label=t_string!(i18n, calendar_years).to_string() class="tabs" data-testid="calendar-years">
            <ul class="links">
                {d.years.iter().map(|y| {
                    let current = Some(y.year) == shown_year;
                    view! {
                        <li><a href=format!("/admin/calendar?year={}", y.year) aria-current=current.then_some("page")>{format!("{} ({})", y.year, status(y.provisional))}</a></li>
                    }
                }).collect_view()}
            </ul>
        </nav>
        <Preview d=d.clone() year=shown_year />
        {d.shown.map(|y| view! { <YearDetail y keep=keep.clone() /> })}
        <h2 id="new-year">{t_string!(i18n, calendar_add_year)}</h2>
        <form method="post" action="/forms/admin/calendar/years" class="form" novalidate=true aria-labelledby="new-year">
            {keep()}
            <TextField name="new_year" label=t_string!(i18n, calendar_year).to_string() kind="number" />
            <div class="field field--check">
                <input id="new-provisional" name="new_provisional" type="checkbox" value="on" checked=true />
                <label for="new-provisional">{t_string!(i18n, calendar_provisional_label)}</label>
            </div>
            <TextField name="new_source" label=t_string!(i18n, calendar_source).to_string() required=false hint=t_string!(i18n, calendar_source_hint).to_string() />
            <button type="submit" class="button">{t_string!(i18n, calendar_add_year)}</button>
        </form>
    }
}

/// "N working days from D is ...", as the calendar stands.
#[component]
fn Preview(d: CalendarView, year: Option<i32>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map().get_untracked();
    let typed = |k: &str| query.get(k).unwrap_or_default();
    let (from, days) = match &d.preview {
        Some(p) => (p.from.format("%Y-%m-%d").to_string(), p.days.to_string()),
        None => (typed("from"), typed("days")),
    };
    let error = |field: &str| d.preview_errors.iter().find(|(f, _)| f == field).map(|(_, c)| error_text(i18n, c));
    let (from_error, days_error) = (error("from"), error("days"));
    let result = d.preview.map(|p| {
        let (from, date) = (format!("{} ({})", p.from, weekday_name(i18n, p.from)), format!("{} ({})", p.date, weekday_name(i18n, p.date)));
        view! {
            <p class="callout" role="status" data-testid="calendar-preview"><strong>{t!(i18n, calendar_preview_result, days = p.days, from = from, date = date)}</strong></p>
            {p.provisional.then(|| view! { <p class="field__hint" data-testid="calendar-preview-provisional">{t_string!(i18n, calendar_preview_provisional)}</p> })}
        }
    });
    view! {
        <h2 id="preview-title">{t_string!(i18n, calendar_preview)}</h2>
        <form method="get" action="/admin/calendar" class="filters" aria-labelledby="preview-title">
            {year.map(|y| view! { <input type="hidden" name="year" value=y.to_string() /> })}
            <div class="field">
                <label for="from">{t_string!(i18n, calendar_preview_from)}</label>
                <input id="from" name="from" type="date" value=from aria-describedby="f-from-error" aria-invalid=from_error.is_some().then_some("true") />
                <p class="field__error" id="f-from-error">{from_error}</p>
            </div>
            <div class="field">
                <label for="days">{t_string!(i18n, calendar_preview_days)}</label>
                <input id="days" name="days" type="number" min="0" max="1000" inputmode="numeric" value=days aria-describedby="f-days-error" aria-invalid=days_error.is_some().then_some("true") />
                <p class="field__error" id="f-days-error">{days_error}</p>
            </div>
            <button type="submit" class="button">{t_string!(i18n, calendar_preview_submit)}</button>
        </form>
        {result}
    }
}

#[component]
fn YearDetail(y: CalendarYear, keep: impl Fn() -> AnyView + Clone + Send + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_english(i18n);
    let year = y.year;
    let labels = [
        t_string!(i18n, calendar_date).to_string(),
        t_string!(i18n, calendar_weekday).to_string(),
        t_string!(i18n, calendar_kind).to_string(),
        t_string!(i18n, calendar_name).to_string(),
        t_string!(i18n, calendar_action).to_string(),
    ];
    let head = labels.clone();
    let (k1, k2, k3, k4) = (keep.clone(), keep.clone(), keep.clone(), keep.clone());
    let rows = y.days.into_iter().map(|day| {
        let date = day.date.format("%Y-%m-%d").to_string();
        let name = if en { day.name_en.clone() } else { day.name_zh.clone() };
        let kind = match day.kind {
            DayKind::Holiday => t_string!(i18n, calendar_holiday).to_string(),
            DayKind::Workday => t_string!(i18n, calendar_workday).to_string(),
        };
        let remove_label = format!("{} {date}", t_string!(i18n, calendar_remove));
        let keep = keep.clone();
        view! {
            <tr data-day=date.clone() class=(is_weekend(day.date) && day.kind == DayKind::Workday).then_some("row--workday")>
                <td data-label=labels[0].clone()>{date.clone()}</td>
                <td data-label=labels[1].clone()>{weekday_name(i18n, day.date)}</td>
                <td data-label=labels[2].clone()>{kind}</td>
                <td data-label=labels[3].clone()>{name}</td>
                <td data-label=labels[4].clone()>
                    <form method="post" action=format!("/forms/admin/calendar/days/{date}/remove") class="inline">
                        {keep()}
                        <button type="submit" class="button button--small button--secondary" aria-label=remove_label>{t_string!(i18n, calendar_remove)}</button>
                    </form>
                </td>
            </tr>
        }
    }).collect_view();
    view! {
        <section aria-labelledby="year-title">
            <h2 id="year-title">{t!(i18n, calendar_year_heading, year = year)}</h2>
            <p data-testid="calendar-status">
                {if y.provisional { t_string!(i18n, calendar_status_provisional).to_string() } else { t_string!(i18n, calendar_status_final).to_string() }}
                {(!y.source.is_empty()).then(|| format!(" · {}", y.source))}
                {y.edited_in_portal.then(|| format!(" · {}", t_string!(i18n, calendar_edited_in_portal)))}
            </p>
            <form method="post" action=format!("/forms/admin/calendar/{year}") class="form" novalidate=true aria-label=t_string!(i18n, calendar_save_year).to_string()>
                {k1()}
                <div class="field field--check">
                    <input id="provisional" name="provisional" type="checkbox" value="on" checked=y.provisional />
                    <label for="provisional">{t_string!(i18n, calendar_provisional_label)}</label>
                </div>
                <div class="field">
                    <label for="f-source">{t_string!(i18n, calendar_source)}</label>
                    <input id="f-source" name="source" value=y.source.clone() aria-describedby="f-source-hint f-source-error" />
                    <p class="field__hint" id="f-source-hint">{t_string!(i18n, calendar_source_hint)}</p>
                    <FieldMessage name="source" />
                </div>
                <button type="submit" class="button">{t_string!(i18n, calendar_save_year)}</button>
            </form>
            <table class="table table--stack" data-testid="calendar-days">
                <caption>{t!(i18n, calendar_days_caption, year = year)}</caption>
                <thead><tr>{head.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <h3 id="add-holiday">{t_string!(i18n, calendar_add_holiday)}</h3>
            <form method="post" action=format!("/forms/admin/calendar/{year}/holidays") class="form" novalidate=true aria-labelledby="add-holiday">
                {k2()}
                <TextField name="holiday_from" label=t_string!(i18n, calendar_holiday_from).to_string() kind="date" />
                <TextField name="holiday_to" label=t_string!(i18n, calendar_holiday_to).to_string() kind="date" />
                <TextField name="holiday_name_zh" label=t_string!(i18n, calendar_name_zh).to_string() />
                <TextField name="holiday_name_en" label=t_string!(i18n, calendar_name_en).to_string() />
                <button type="submit" class="button">{t_string!(i18n, calendar_add_holiday)}</button>
            </form>
            <h3 id="add-workday">{t_string!(i18n, calendar_add_workday)}</h3>
            <p class="field__hint">{t_string!(i18n, calendar_workday_hint)}</p>
            <form method="post" action=format!("/forms/admin/calendar/{year}/workdays") class="form" novalidate=true aria-labelledby="add-workday">
                {k3()}
                <TextField name="workday_date" label=t_string!(i18n, calendar_date).to_string() kind="date" />
                <TextField name="workday_name_zh" label=t_string!(i18n, calendar_name_zh).to_string() />
                <TextField name="workday_name_en" label=t_string!(i18n, calendar_name_en).to_string() />
                <button type="submit" class="button">{t_string!(i18n, calendar_add_workday)}</button>
            </form>
            <h3 id="load-file">{t_string!(i18n, calendar_load_file)}</h3>
            <p class="field__hint" id="f-arrangement-hint">{t_string!(i18n, calendar_load_file_hint)}</p>
            <form method="post" action=format!("/forms/admin/calendar/{year}/arrangement") class="form" novalidate=true aria-labelledby="load-file">
                {k4()}
                <div class="field">
                    <label for="f-arrangement">{t_string!(i18n, calendar_file)}</label>
                    <textarea id="f-arrangement" name="arrangement" rows="12" spellcheck="false" aria-describedby="f-arrangement-hint f-arrangement-error"></textarea>
                    <FieldMessage name="arrangement" />
                </div>
                <button type="submit" class="button">{t_string!(i18n, calendar_load_file)}</button>
            </form>
        </section>
    }
}
