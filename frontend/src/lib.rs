//! UHD Portal UI. Compiled twice by cargo-leptos: with `ssr` into the server binary (which also
//! mounts the backend's REST API, see `server`), and with `hydrate` into the wasm bundle. Pages
//! are rendered on the server only (Leptos islands): the wasm holds just the components marked
//! `#[island]` (the language context, the live credit-code check, API tokens) and hydrates those.
#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod app;
pub mod components;
pub mod pages;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod forms;
#[cfg(feature = "ssr")]
pub mod page_cache;
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // The islands themselves are hydrated by Leptos' island script once this returns; the
    // last one (`app::HydrationMark`) marks the document.
    leptos::mount::hydrate_islands();
}
