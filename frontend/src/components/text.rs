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

/// Percent-encode a query-string value.
pub fn url_encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
