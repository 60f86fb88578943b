//! Page links for every list: previous and next keep the list's filters (the query keys the
//! list names), and a list of one page shows none.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::text::url_encode;
use crate::i18n::*;

/// Page links that keep the list's filters (the query keys in `keep`).
#[component]
pub fn Pager(page: i64, total: i64, per_page: i64, #[prop(into)] path: String, keep: &'static [&'static str]) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let last = ((total + per_page - 1) / per_page.max(1)).max(1);
    let query = use_query_map().get_untracked();
    let link = move |n: i64| {
        let mut parts: Vec<String> =
            keep.iter().filter_map(|k| query.get(k).filter(|v| !v.is_empty()).map(|v| format!("{k}={}", url_encode(&v)))).collect();
        parts.push(format!("page={n}"));
        format!("{path}?{}", parts.join("&"))
    };
    (last > 1).then(|| view! {
        <nav class="pager" aria-label=td_string!(locale, pagination).to_string() data-testid="pager">
            {(page > 1).then(|| view! { <a href=link(page - 1) rel="prev">{td!(locale, page_prev)}</a> })}
            <span>{td!(locale, page_of, page = move || page, last = move || last)}</span>
            {(page < last).then(|| view! { <a href=link(page + 1) rel="next">{td!(locale, page_next)}</a> })}
        </nav>
    })
}
