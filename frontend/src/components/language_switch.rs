//! The language switch. Without JavaScript it is a form that POSTs to `/lang` (the server sets
//! the preference cookie and sends the visitor back); after hydration it switches in place and
//! leptos_i18n stores the same cookie.

use leptos::prelude::*;

use crate::i18n::*;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let target = move || if i18n.get_locale() == Locale::en { Locale::zh_CN } else { Locale::en };
    let target_tag = move || target().as_str();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        i18n.set_locale(target());
    };
    view! {
        <form class="lang-switch" method="post" action="/lang" on:submit=on_submit>
            <input type="hidden" name="locale" value=target_tag />
            <button
                type="submit"
                lang=target_tag
                title=move || t_string!(i18n, switch_to_other_hint).to_string()
                data-testid="language-switch"
            >
                {move || t_string!(i18n, switch_to_other).to_string()}
            </button>
        </form>
    }
}
