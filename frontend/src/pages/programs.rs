//! A program's public guide (`/programs/<code>`): purpose, who may apply, the materials, how
//! the amount is computed with a worked example, the timeline in working days, the agencies and
//! the version history; for a signed-in company, whether it may apply and why not. And the
//! public check of a printed application form (`/verify/<code>`).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::dto::CallStatus;
use shared::filing::{ContentProject, Contract, FirstSetProject, GeneralProject, Project};
use shared::programs::{AmountRule, ContentFormat, FirstSetLevel, ProgramDefinition, ProgramGuide, RecommendingUnit};

use crate::components::layout::PageTitle;
use crate::components::text::{beijing, bilingual, is_english, Money};
use crate::i18n::*;
use crate::server_fns::{program_guide, verify_form};


/// A share in basis points as a percentage (`3000` is `30%`).
pub fn percent(bp: u32) -> String {
    if bp % 100 == 0 { format!("{}%", bp / 100) } else { format!("{}.{:02}%", bp / 100, bp % 100) }
}

pub fn level_text(i18n: leptos_i18n::I18nContext<Locale>, level: FirstSetLevel) -> String {
    match level {
        FirstSetLevel::International => t_string!(i18n, level_international).to_string(),
        FirstSetLevel::Domestic => t_string!(i18n, level_domestic).to_string(),
    }
}

pub fn format_text(i18n: leptos_i18n::I18nContext<Locale>, format: ContentFormat) -> String {
    match format {
        ContentFormat::K8 => "8K".to_string(),
        ContentFormat::K4 => "4K".to_string(),
        ContentFormat::Restoration => t_string!(i18n, format_restoration).to_string(),
    }
}

pub fn status_badge(i18n: leptos_i18n::I18nContext<Locale>, status: CallStatus) -> impl IntoView {
    let (class, text) = match status {
        CallStatus::Upcoming => ("badge badge--upcoming", t_string!(i18n, status_upcoming)),
        CallStatus::Open => ("badge badge--open", t_string!(i18n, status_open)),
        CallStatus::Closed => ("badge badge--closed", t_string!(i18n, status_closed)),
    };
    view! { <span class=class>{text}</span> }
}

/// The worked example the guide shows: a typical project and what it comes to.
fn worked_example(def: &ProgramDefinition) -> Option<(Project, String)> {
    let project = match &def.amount {
        AmountRule::ShareOfCost { tiers } => Project::FirstSet(FirstSetProject {
            first_set_level: tiers.first().map(|t| t.level),
            contracts: vec![Contract { number: "1".into(), value_fen: Some(2_000_000_000), signed_on: None }],
            ..FirstSetProject::default()
        }),
        AmountRule::PerMinute { rates, .. } => Project::Content(ContentProject {
            format: rates.first().map(|r| r.format),
            minutes: Some(90),
            audio_3d: true,
            ..ContentProject::default()
        }),
        AmountRule::Requested { .. } => Project::General(GeneralProject { investment_fen: Some(1_000_000_000), requested_fen: Some(1_000_000_000), ..GeneralProject::default() }),
    };
    let working = project.amount(&def.amount)?;
    Some((project, format!("{}", working.amount_fen)))
}

#[component]
pub fn ProgramGuidePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    let lang = if is_english(i18n) { "en" } else { "zh-CN" };
    let data = Resource::new(move || code.get(), move |c| program_guide(c, lang.to_string()));
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <Guide page /> }.into_any(),
                    Err(_) => view! { <crate::pages::not_found::NotFound /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Guide(page: crate::server_fns::GuidePage) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_english(i18n);
    let ProgramGuide { code, version, definition: def, lead_agency_name, co_review_names, call_status, budget_left_fen, versions, names } = page.guide;
    let name = move |c: &str| names.get(c).map_or_else(|| c.to_string(), |b| if en { b.en.clone() } else { b.zh.clone() });
    let title = if en { def.title.en.clone() } else { def.title.zh.clone() };
    let paragraphs: Vec<String> = (if en { &def.guide.en } else { &def.guide.zh }).split("\n\n").map(str::to_string).collect();
    let join = |items: Vec<String>| items.join(if en { ", " } else { "、" });
    let e = &def.eligibility;
    let mut rules: Vec<String> = Vec::new();
    if !e.regions.is_empty() {
        rules.push(format!("{} {}", t_string!(i18n, rule_region), e.regions.join(", ")));
    }
    if !e.bases.is_empty() {
        rules.push(format!("{} {}", t_string!(i18n, rule_base), join(e.bases.iter().map(|b| name(b)).collect())));
    }
    if !e.segments.is_empty() {
        rules.push(format!("{} {}", t_string!(i18n, rule_segment), join(e.segments.iter().map(|s| name(s)).collect())));
    }
    for q in &e.qualifications {
        rules.push(format!("{} {}", t_string!(i18n, rule_qualification), name(q)));
    }
    if let Some(y) = e.min_years_founded {
        rules.push(format!("{} {y}", t_string!(i18n, rule_years)));
    }
    if e.verified_company {
        rules.push(t_string!(i18n, rule_verified).to_string());
    }
    rules.push(t_string!(i18n, rule_no_ban).to_string());
    if let Some(c) = &e.contracts {
        rules.push(format!("{} {} / {} / {}", t_string!(i18n, rule_contracts), c.max_contracts, c.within_months, c.signed_on_or_after));
    }
    let amount_lines: Vec<String> = match &def.amount {
        AmountRule::ShareOfCost { tiers } => tiers
            .iter()
            .map(|t| format!("{}: {} × {}, {} {}", level_text(i18n, t.level), t_string!(i18n, amount_contract_value), percent(t.share_bp), t_string!(i18n, amount_at_most), shared::Fen(t.cap_fen).format_yuan()))
            .collect(),
        AmountRule::PerMinute { rates, audio_3d_bonus_bp, cap_fen } => {
            let mut lines: Vec<String> =
                rates.iter().map(|r| format!("{}: {} / {}", format_text(i18n, r.format), shared::Fen(r.fen_per_minute).format_yuan(), t_string!(i18n, amount_per_minute))).collect();
            lines.push(format!("{} +{}", t_string!(i18n, amount_audio_bonus), percent(*audio_3d_bonus_bp)));
            lines.push(format!("{} {}", t_string!(i18n, amount_cap_per_work), shared::Fen(*cap_fen).format_yuan()));
            lines
        }
        AmountRule::Requested { max_share_bp, cap_fen } => {
            vec![format!("{} {}, {} {}", t_string!(i18n, amount_share_of_investment), percent(*max_share_bp), t_string!(i18n, amount_at_most), shared::Fen(*cap_fen).format_yuan())]
        }
    };
    let example = worked_example(&def).and_then(|(p, _)| p.amount(&def.amount).map(|w| (p, w)));
    let example_text = example.map(|(p, w)| {
        let input = match &p {
            Project::FirstSet(f) => format!("{} · {} {}", f.first_set_level.map(|l| level_text(i18n, l)).unwrap_or_default(), t_string!(i18n, amount_contract_value), shared::Fen(w.basis_fen).format_yuan()),
            Project::Content(c) => format!("{} · {} {} · {}", c.format.map(|f| format_text(i18n, f)).unwrap_or_default(), c.minutes.unwrap_or(0), t_string!(i18n, amount_minutes), t_string!(i18n, amount_audio_bonus)),
            Project::General(g) => format!("{} {}", t_string!(i18n, amount_investment), shared::Fen(g.investment_fen.unwrap_or(0)).format_yuan()),
        };
        (input, w)
    });
    let unit = if def.recommending_unit == RecommendingUnit::Base { t_string!(i18n, recommending_base) } else { t_string!(i18n, recommending_district) };
    let limits = def.stage_limits;
    let eligibility = page.eligibility;
    let own = page.own;
    let open = call_status == CallStatus::Open || call_status == CallStatus::Upcoming;
    let program_code = code.clone();
    view! {
        <article class="guide" aria-labelledby="guide-title" data-program=code.clone()>
            <PageTitle text=title.clone() />
            <h1 id="guide-title">{title.clone()} " " {status_badge(i18n, call_status)}</h1>
            <p class="lead">{if en { def.summary.en.clone() } else { def.summary.zh.clone() }}</p>
            <dl class="facts">
                <dt>{t!(i18n, call_window)}</dt>
                <dd>{format!("{} – {} ", beijing(def.call_opens_at), beijing(def.call_closes_at))} {t!(i18n, beijing_time)}</dd>
                <dt>{t!(i18n, budget_left)}</dt>
                <dd><Money amount=shared::Fen(budget_left_fen) /></dd>
                <dt>{t!(i18n, lead_agency)}</dt>
                <dd>{if en { lead_agency_name.en.clone() } else { lead_agency_name.zh.clone() }}</dd>
            </dl>

            {match (eligibility, own) {
                (Some(answer), own) => view! {
                    <section class="callout" aria-labelledby="fit-title" data-testid="eligibility">
                        <h2 id="fit-title">{t!(i18n, guide_your_company)}</h2>
                        {if answer.eligible {
                            view! { <p class="form-ok">{t!(i18n, guide_eligible)}</p> }.into_any()
                        } else {
                            view! {
                                <p>{t!(i18n, guide_not_eligible)}</p>
                                <ul>{answer.failed.into_iter().map(|f| view! { <li data-rule=f.code.clone()>{f.message}</li> }).collect_view()}</ul>
                            }.into_any()
                        }}
                        {match own {
                            Some((id, state)) if !matches!(state, shared::applications::ApplicationState::Withdrawn | shared::applications::ApplicationState::Rejected) => view! {
                                <p><a class="button" href=format!("/applications/{id}")>{t!(i18n, guide_your_application)}</a></p>
                            }.into_any(),
                            _ if open => view! {
                                <crate::components::form::FormErrors />
                                <form method="post" action="/forms/applications" class="form form--inline">
                                    <input type="hidden" name="program_code" value=program_code.clone() />
                                    <button type="submit" class="button">{t!(i18n, guide_start)}</button>
                                </form>
                            }.into_any(),
                            _ => ().into_any(),
                        }}
                    </section>
                }.into_any(),
                (None, _) => view! {
                    <section class="callout" aria-labelledby="fit-title">
                        <h2 id="fit-title">{t!(i18n, guide_apply_title)}</h2>
                        <p>{t!(i18n, guide_sign_in)} " " <a href=format!("/login?next=/programs/{code}")>{t!(i18n, nav_login)}</a> " · " <a href="/register">{t!(i18n, nav_register)}</a></p>
                    </section>
                }.into_any(),
            }}

            <section aria-labelledby="purpose-title">
                <h2 id="purpose-title">{t!(i18n, guide_purpose)}</h2>
                {paragraphs.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
            </section>
            <section aria-labelledby="who-title">
                <h2 id="who-title">{t!(i18n, guide_who)}</h2>
                <ul data-testid="rules">{rules.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
            </section>
            <section aria-labelledby="amount-title">
                <h2 id="amount-title">{t!(i18n, guide_amount)}</h2>
                <ul>{amount_lines.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                {example_text.map(|(input, w)| view! {
                    <p data-testid="worked-example"><strong>{t!(i18n, guide_example)}</strong> " " {input} " → " <Money amount=shared::Fen(w.uncapped_fen) /> {(w.uncapped_fen > w.cap_fen).then(|| view! { " → " {t!(i18n, amount_capped)} " " <Money amount=shared::Fen(w.cap_fen) /> })} " = " <strong><Money amount=shared::Fen(w.amount_fen) /></strong></p>
                })}
            </section>
            <section aria-labelledby="materials-title">
                <h2 id="materials-title">{t!(i18n, guide_materials)}</h2>
                <table class="table">
                    <thead><tr><th scope="col">{t!(i18n, material_name)}</th><th scope="col">{t!(i18n, material_required)}</th><th scope="col">{t!(i18n, material_types)}</th></tr></thead>
                    <tbody>
                        {def.materials.iter().map(|m| view! {
                            <tr>
                                <td>{if en { m.name.en.clone() } else { m.name.zh.clone() }}</td>
                                <td>{if m.required { t_string!(i18n, yes) } else { t_string!(i18n, optional) }}</td>
                                <td>{format!("{} · ≤ {} MB", m.types.join(", ").to_uppercase(), m.max_bytes / (1024 * 1024))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section aria-labelledby="timeline-title">
                <h2 id="timeline-title">{t!(i18n, guide_timeline)}</h2>
                <ol>
                    <li>{t!(i18n, stage_filing)} ": " {format!("{} – {}", beijing(def.call_opens_at), beijing(def.call_closes_at))}</li>
                    <li>{unit} ": " {limits.recommending} " " {t!(i18n, working_days)}</li>
                    <li>{t!(i18n, stage_formal)} ": " {limits.formal} " " {t!(i18n, working_days)}</li>
                    <li>{t!(i18n, stage_expert)} ": " {limits.expert} " " {t!(i18n, working_days)}</li>
                    <li>{t!(i18n, stage_decision)} ": " {limits.decision} " " {t!(i18n, working_days)}</li>
                    <li>{t!(i18n, stage_notice)} ": " {def.notice_working_days} " " {t!(i18n, working_days)}</li>
                </ol>
                <p>{t!(i18n, guide_supplement)} " " {def.supplement_working_days} " " {t!(i18n, working_days)}</p>
            </section>
            <section aria-labelledby="agencies-title">
                <h2 id="agencies-title">{t!(i18n, guide_agencies)}</h2>
                <dl class="facts">
                    <dt>{t!(i18n, lead_agency)}</dt><dd>{if en { lead_agency_name.en.clone() } else { lead_agency_name.zh.clone() }}</dd>
                    <dt>{t!(i18n, co_review_agencies)}</dt><dd>{co_review_names.iter().map(|n| if en { n.en.clone() } else { n.zh.clone() }).collect::<Vec<_>>().join(if en { "; " } else { "；" })}</dd>
                    <dt>{t!(i18n, recommending_unit)}</dt><dd>{unit}</dd>
                    <dt>{t!(i18n, guide_contact)}</dt><dd>{bilingual(i18n, def.contact.clone())}</dd>
                </dl>
            </section>
            <section aria-labelledby="versions-title">
                <h2 id="versions-title">{t!(i18n, guide_versions)}</h2>
                <p>{t!(i18n, guide_version_current)} " " {version}</p>
                <ul data-testid="versions">
                    {versions.into_iter().map(|v| view! {
                        <li>{format!("v{} · {} · ", v.version, beijing(v.created_at))}{if v.changes.is_empty() { t_string!(i18n, guide_first_version).to_string() } else { v.changes.join(", ") }}</li>
                    }).collect_view()}
                </ul>
            </section>
        </article>
    }
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    let data = Resource::new(move || code.get(), verify_form);
    view! {
        <section class="form-page" aria-labelledby="verify-title">
            <PageTitle text=t_string!(i18n, verify_form_title).to_string() />
            <h1 id="verify-title">{t!(i18n, verify_form_title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(v) => view! {
                            <p class="form-ok" role="status">{t!(i18n, verify_found)}</p>
                            <dl class="facts" data-testid="verification">
                                <dt>{t!(i18n, verify_code)}</dt><dd><code>{v.verification_code.clone()}</code></dd>
                                <dt>{t!(i18n, field_company_name)}</dt><dd>{v.company_name.clone()}</dd>
                                <dt>{t!(i18n, verify_program)}</dt><dd>{bilingual(i18n, v.program_title.clone())} " (" {v.program_code.clone()} ")"</dd>
                                <dt>{t!(i18n, application_state)}</dt><dd>{crate::pages::applications::state_text(i18n, v.state)}</dd>
                                <dt>{t!(i18n, submitted_at)}</dt><dd>{v.submitted_at.map(|t| format!("{} ", beijing(t))).unwrap_or_else(|| t_string!(i18n, not_submitted).to_string())}</dd>
                                <dt>{t!(i18n, computed_amount)}</dt><dd>{v.computed_amount_fen.map(|f| view! { <Money amount=shared::Fen(f) /> })}</dd>
                                {v.approved_amount_fen.map(|f| view! { <dt>{t!(i18n, verify_approved_amount)}</dt><dd data-testid="approved-amount"><Money amount=shared::Fen(f) /></dd> })}
                                {v.approved_on.map(|d| view! { <dt>{t!(i18n, verify_approved_on)}</dt><dd><time datetime=d.to_string()>{d.to_string()}</time></dd> })}
                            </dl>
                            <h2>{t!(i18n, verify_fingerprints)}</h2>
                            <p>{t!(i18n, verify_fingerprints_hint)}</p>
                            <ul data-testid="fingerprints">
                                {v.forms.into_iter().map(|f| {
                                    let kind = if f.kind == "approval_notice" { t_string!(i18n, verify_kind_approval_notice) } else { t_string!(i18n, verify_kind_application_form) };
                                    view! { <li>{kind} " · " <code class="fingerprint">{f.sha256}</code> " · " {beijing(f.issued_at)}</li> }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(_) => view! { <p role="alert">{t!(i18n, verify_not_found)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
