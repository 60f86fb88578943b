//! Pieces shared by every page.

pub mod chart;
pub mod filing;
pub mod form;
pub mod language_switch;
pub mod layout;
pub mod pager;
pub mod signed_in;
pub mod text;

use leptos::prelude::RenderHtml;
use leptos::tachys::html::InertElement;

/// What a page shows once all its data are in, as finished HTML.
///
/// Pages are rendered once, on the server (none of them is an island), and in `SsrMode::Async`
/// every element goes through the streaming renderer, which builds and copies a string per tag
/// so that any part may still wait for data. After a Suspend's data have been awaited, what it
/// shows waits for nothing: the synchronous renderer writes it into one buffer, escaping as
/// always, at well under the cost. `view` must hold nothing that still loads (no Suspense, no
/// resource): it is rendered as it is now.
pub fn rendered(view: impl RenderHtml) -> InertElement {
    InertElement::new(view.to_html())
}
