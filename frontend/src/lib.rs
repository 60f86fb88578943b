//! UHD Portal UI. Compiled twice by cargo-leptos: with `ssr` into the server binary (which also
//! mounts the backend's REST API, see `server`), and with `hydrate` into the wasm bundle that
//! makes the server-rendered pages interactive.
#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod app;
pub mod components;
pub mod pages;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod forms;
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Reached only when hydration succeeded; the browser tests wait for this mark.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
