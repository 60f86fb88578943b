//! Showing bilingual data in the visitor's language.

use shared::dto::Bilingual;

use crate::i18n::*;

/// Whether the page is in English right now.
pub fn is_english(i18n: leptos_i18n::I18nContext<Locale>) -> bool {
    i18n.get_locale() == Locale::en
}

/// A reactive string picking the visitor's language from bilingual data.
pub fn bilingual(i18n: leptos_i18n::I18nContext<Locale>, text: Bilingual) -> impl Fn() -> String + Send + Sync + Clone + 'static {
    move || if is_english(i18n) { text.en.clone() } else { text.zh.clone() }
}
