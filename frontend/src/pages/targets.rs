//! The public targets dashboard: UHD content hours approved and delivered against the action
//! plans' reserve targets, industry revenue against Shanghai's 2030 scale, and subsidy
//! committed and paid by program, base and district. Each chart is server-rendered SVG with
//! its figures in a table beside it.

use leptos::prelude::*;
use shared::targets::{SubsidyFigures, Targets};

use crate::components::chart::{Bar, BarChart};
use crate::components::form::sfn_code;
use crate::components::layout::PageTitle;
use crate::components::text::{bilingual, is_english};
use crate::i18n::*;
use crate::pages::not_found::PageFailed;
use crate::server_fns::targets_data;

type I18n = leptos_i18n::I18nContext<Locale>;

/// Hours (one decimal) from minutes.
fn hours(minutes: i64) -> String {
    format!("{}.{}", minutes / 60, (minutes % 60) * 10 / 60)
}

/// An amount of yuan as people read it: 亿元 / 万元 in Chinese, millions in English.
fn big_money(i18n: I18n, fen: i64) -> String {
    let yuan = fen / 100;
    if is_english(i18n) {
        format!("{:.1} million yuan", yuan as f64 / 1_000_000.0)
    } else if yuan >= 100_000_000 {
        format!("{:.2} 亿元", yuan as f64 / 100_000_000.0)
    } else {
        format!("{:.1} 万元", yuan as f64 / 10_000.0)
    }
}

fn group_text(i18n: I18n, group: &str) -> String {
    match group {
        "hardware" => t_string!(i18n, targets_group_hardware),
        "content" => t_string!(i18n, targets_group_content),
        _ => t_string!(i18n, targets_group_applications),
    }
    .to_string()
}

#[component]
pub fn TargetsPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| targets_data());
    let title = t_string!(i18n, targets_title).to_string();
    view! {
        <section aria-labelledby="targets-title">
            <PageTitle text=title.clone() />
            <h1 id="targets-title">{title}</h1>
            <p>{t!(i18n, targets_intro)}</p>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(t) => view! { <Figures t /> }.into_any(),
                        Err(e) => view! { <PageFailed code=sfn_code(&e) under_title=true /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Figures(t: Targets) -> impl IntoView {
    let i18n = use_i18n();
    let hours_heading = t_string!(i18n, targets_hours).to_string();
    let content = t.content.iter().map(|c| {
        let city = bilingual(i18n, c.city.clone())();
        let mut bars = vec![
            Bar { label: t_string!(i18n, targets_approved_4k).to_string(), value: c.approved_4k_minutes, shown: hours(c.approved_4k_minutes) },
            Bar { label: t_string!(i18n, targets_delivered_4k).to_string(), value: c.delivered_4k_minutes, shown: hours(c.delivered_4k_minutes) },
            Bar { label: t_string!(i18n, targets_approved_8k).to_string(), value: c.approved_8k_minutes, shown: hours(c.approved_8k_minutes) },
            Bar { label: t_string!(i18n, targets_delivered_8k).to_string(), value: c.delivered_8k_minutes, shown: hours(c.delivered_8k_minutes) },
        ];
        for (label, target) in [(t_string!(i18n, targets_target_4k), c.target_4k_hours), (t_string!(i18n, targets_target_8k), c.target_8k_hours), (t_string!(i18n, targets_target_total), c.target_total_hours)] {
            if let Some(h) = target {
                bars.push(Bar { label: label.to_string(), value: h * 60, shown: h.to_string() });
            }
        }
        let id: &'static str = if c.city_code == "guangzhou" { "targets-content-gz" } else { "targets-content-sh" };
        view! { <BarChart id title=format!("{} · {city}", t_string!(i18n, targets_content_title)) value_heading=hours_heading.clone() bars /> }
    }).collect_view();
    let money_heading = t_string!(i18n, targets_amount).to_string();
    let revenue_bars: Vec<Bar> = t.revenue.iter().flat_map(|r| {
        let name = group_text(i18n, &r.group);
        [
            Bar { label: format!("{name} · {}", t_string!(i18n, targets_reported)), value: r.revenue_fen / 100, shown: big_money(i18n, r.revenue_fen) },
            Bar { label: format!("{name} · {}", t_string!(i18n, targets_target_2030)), value: r.target_fen / 100, shown: big_money(i18n, r.target_fen) },
        ]
    }).collect();
    let subsidy = |rows: &[SubsidyFigures]| -> Vec<Bar> {
        rows.iter().flat_map(|r| {
            let name = bilingual(i18n, r.name.clone())();
            [
                Bar { label: format!("{name} · {}", t_string!(i18n, targets_committed)), value: r.committed_fen / 100, shown: big_money(i18n, r.committed_fen) },
                Bar { label: format!("{name} · {}", t_string!(i18n, targets_paid)), value: r.paid_fen / 100, shown: big_money(i18n, r.paid_fen) },
            ]
        }).collect()
    };
    let (by_program, by_base, by_district) = (subsidy(&t.by_program), subsidy(&t.by_base), subsidy(&t.by_district));
    let empty = t.by_program.is_empty();
    view! {
        <p class="field__hint">{t!(i18n, dash_as_of)} " " <time datetime=t.as_of.to_string()>{t.as_of.to_string()}</time></p>
        <h2>{t!(i18n, targets_content_title)}</h2>
        <p>{t!(i18n, targets_content_intro)}</p>
        {content}
        <h2>{t!(i18n, targets_revenue_title)}</h2>
        <p>{match t.revenue_year { Some(y) => t_string!(i18n, targets_revenue_intro).replace("{year}", &y.to_string()), None => t_string!(i18n, targets_revenue_none).to_string() }}</p>
        <BarChart id="targets-revenue" title=t_string!(i18n, targets_revenue_title).to_string() value_heading=money_heading.clone() bars=revenue_bars />
        <h2>{t!(i18n, targets_subsidy_title)}</h2>
        {if empty {
            view! { <p>{t!(i18n, targets_no_awards)}</p> }.into_any()
        } else {
            view! {
                <BarChart id="targets-programs" title=t_string!(i18n, targets_by_program).to_string() value_heading=money_heading.clone() bars=by_program />
                <BarChart id="targets-bases" title=t_string!(i18n, targets_by_base).to_string() value_heading=money_heading.clone() bars=by_base />
                <BarChart id="targets-districts" title=t_string!(i18n, targets_by_district).to_string() value_heading=money_heading.clone() bars=by_district />
            }.into_any()
        }}
        <p><a href="/api/v1/open-data/awards.csv">{t!(i18n, targets_open_csv)}</a> " · " <a href="/api/v1/open-data/awards.json">{t!(i18n, targets_open_json)}</a></p>
    }
}
