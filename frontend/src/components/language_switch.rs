//! The language switch: a form that POSTs to `/lang`; the server sets the preference cookie and
//! sends the visitor back to the same page, now rendered in the other language. It needs no
//! JavaScript, and the whole page (not only its interactive islands) changes language.

use leptos::prelude::*;

use crate::i18n::*;

#[component]
pub fn LanguageSwitch(locale: Locale) -> impl IntoView {
    let target = if locale == Locale::en { Locale::zh_CN } else { Locale::en };
    let target_tag = target.as_str();
    view! {
        <form class="lang-switch" method="post" action="/lang">
            <input type="hidden" name="locale" value=target_tag />
            <button
                type="submit"
                lang=target_tag
                title=td_string!(locale, switch_to_other_hint).to_string()
                data-testid="language-switch"
            >
                {td_string!(locale, switch_to_other).to_string()}
            </button>
        </form>
    }
}
