//! Showing bilingual data in the visitor's language.

use shared::dto::Bilingual;

use crate::i18n::*;

/// Whether the page is in English. Untracked: the language changes only by loading the page
/// again (the language switch is a form), so nothing needs to follow it.
pub fn is_english(i18n: leptos_i18n::I18nContext<Locale>) -> bool {
    i18n.get_locale_untracked() == Locale::en
}

/// A reactive string picking the visitor's language from bilingual data.
pub fn bilingual(i18n: leptos_i18n::I18nContext<Locale>, text: Bilingual) -> impl Fn() -> String + Send + Sync + Clone + 'static {
    move || if is_english(i18n) { text.en.clone() } else { text.zh.clone() }
}

/// A time in Beijing (UTC+8), as the portal shows times: `2026-12-04 18:30`.
pub fn beijing(t: chrono::DateTime<chrono::Utc>) -> String {
    (t + chrono::Duration::hours(8)).format("%Y-%m-%d %H:%M").to_string()
}

/// Percent-encode a query-string value.
pub fn url_encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A sum of money as people read it: large amounts in 万元 / 亿元 (English: million / billion
/// yuan), with the exact figure beside it; small amounts exactly.
#[leptos::component]
pub fn Money(amount: shared::Fen) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let i18n = use_i18n();
    let yuan = amount.0.abs() / 100;
    let exact = amount.format_yuan();
    let short = if is_english(i18n) {
        match yuan {
            y if y >= 1_000_000_000 => Some(format!("{} billion yuan", amount.in_units(1_000_000_000))),
            y if y >= 1_000_000 => Some(format!("{} million yuan", amount.in_units(1_000_000))),
            _ => None,
        }
    } else {
        match yuan {
            y if y >= 100_000_000 => Some(format!("{} 亿元", amount.in_units(100_000_000))),
            y if y >= 10_000 => Some(format!("{} 万元", amount.in_units(10_000))),
            _ => None,
        }
    };
    let unit = if is_english(i18n) { " yuan" } else { " 元" };
    match short {
        Some(short) => view! {
            <span class="money"><span class="money__short">{short}</span> <span class="money__exact">"(" {exact} {unit} ")"</span></span>
        }
        .into_any(),
        None => view! { <span class="money">{exact} {unit}</span> }.into_any(),
    }
}
