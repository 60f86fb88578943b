//! The public home page: the industry bases and the subsidy programs, from the database.

use leptos::prelude::*;
use shared::dto::{BaseSummary, CallStatus, HomeData, ProgramSummary};

use crate::components::text::{bilingual, is_english, Money};
use crate::i18n::*;
use crate::pages::not_found::ErrorNotice;
use crate::server_fns::get_home_data;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| get_home_data());
    view! {
        <section class="hero" aria-labelledby="home-title">
            <h1 id="home-title">{t!(i18n, home_title)}</h1>
            <p>{t!(i18n, home_intro)}</p>
            <ol class="steps" aria-label=t_string!(i18n, home_steps_label).to_string()>
                <li>
                    <h2 class="steps__title">{t!(i18n, home_step_register_title)}</h2>
                    <p>{t!(i18n, home_step_register_body)}</p>
                    <a class="button" href="/register">{t!(i18n, home_step_register_action)}</a>
                </li>
                <li>
                    <h2 class="steps__title">{t!(i18n, home_step_join_title)}</h2>
                    <p>{t!(i18n, home_step_join_body)}</p>
                    <a class="button button--secondary" href="#bases">{t!(i18n, home_step_join_action)}</a>
                </li>
                <li>
                    <h2 class="steps__title">{t!(i18n, home_step_apply_title)}</h2>
                    <p>{t!(i18n, home_step_apply_body)}</p>
                    <a class="button button--secondary" href="#programs">{t!(i18n, home_step_apply_action)}</a>
                </li>
            </ol>
            <p class="hero__signin">{t!(i18n, home_have_account)} " " <a href="/login">{t!(i18n, nav_login)}</a></p>
        </section>
        <Suspense fallback=move || view! { <p class="loading" aria-busy="true">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(home) => view! { <HomeSections home /> }.into_any(),
                    Err(_) => view! { <ErrorNotice under_title=true /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HomeSections(home: HomeData) -> impl IntoView {
    let i18n = use_i18n();
    let bases_empty = home.bases.is_empty();
    let programs_empty = home.programs.is_empty();
    view! {
        <section id="bases" class="section" aria-labelledby="bases-title">
            <h2 id="bases-title">{t!(i18n, bases_heading)}</h2>
            <Show when=move || bases_empty>
                <p>{t!(i18n, bases_empty)}</p>
            </Show>
            <ul class="cards" data-testid="bases">
                {home.bases.into_iter().map(|base| view! { <BaseCard base /> }).collect_view()}
            </ul>
        </section>
        <section id="programs" class="section" aria-labelledby="programs-title">
            <h2 id="programs-title">{t!(i18n, programs_heading)}</h2>
            <Show when=move || programs_empty>
                <p>{t!(i18n, programs_empty)}</p>
            </Show>
            <ul class="cards cards--programs" data-testid="programs">
                {home.programs.into_iter().map(|program| view! { <ProgramCard program /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn BaseCard(base: BaseSummary) -> impl IntoView {
    let i18n = use_i18n();
    let count = base.tenant_count;
    view! {
        <li class="card" data-base=base.code.clone()>
            <h3 class="card__title"><a href=format!("/bases/{}", base.code)>{bilingual(i18n, base.name.clone())}</a></h3>
            <p class="card__meta">
                {bilingual(i18n, base.city.clone())} " · " {bilingual(i18n, base.district.clone())}
            </p>
            <p>{bilingual(i18n, base.description.clone())}</p>
            <p class="card__meta">{t!(i18n, tenant_count, count = move || count)}</p>
        </li>
    }
}

fn format_date(i18n: leptos_i18n::I18nContext<Locale>, t: chrono::DateTime<chrono::Utc>) -> String {
    // Dates are shown in Beijing time (UTC+8), the portal's legal time zone.
    let beijing = t + chrono::Duration::hours(8);
    if is_english(i18n) {
        beijing.format("%-d %b %Y").to_string()
    } else {
        beijing.format("%Y年%-m月%-d日").to_string()
    }
}

#[component]
fn ProgramCard(program: ProgramSummary) -> impl IntoView {
    let i18n = use_i18n();
    let status = program.call_status;
    let (opens, closes) = (program.call_opens_at, program.call_closes_at);
    let status_text = move || match status {
        CallStatus::Upcoming => t_string!(i18n, status_upcoming),
        CallStatus::Open => t_string!(i18n, status_open),
        CallStatus::Closed => t_string!(i18n, status_closed),
    };
    let status_class = match status {
        CallStatus::Upcoming => "badge badge--upcoming",
        CallStatus::Open => "badge badge--open",
        CallStatus::Closed => "badge badge--closed",
    };
    let budget = program.budget_left;
    view! {
        <li class="card" data-program=program.code.clone()>
            <h3 class="card__title">
                <a href=format!("/programs/{}", program.code)>{bilingual(i18n, program.title.clone())}</a> " "
                <span class=status_class>{status_text}</span>
            </h3>
            <p>{bilingual(i18n, program.summary.clone())}</p>
            <dl class="facts">
                <dt>{t!(i18n, lead_agency)}</dt>
                <dd>{bilingual(i18n, program.lead_agency.clone())}</dd>
                <dt>{t!(i18n, call_window)}</dt>
                <dd>{move || format!("{} – {}", format_date(i18n, opens), format_date(i18n, closes))}</dd>
                <dt>{t!(i18n, budget_left)}</dt>
                <dd><Money amount=budget /></dd>
            </dl>
        </li>
    }
}
