//! Logging: `tracing` with an env filter (`RUST_LOG`), JSON lines in production.

use tracing_subscriber::{fmt, EnvFilter};

pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,actix_server=warn,diesel_migrations=warn"));
    let builder = fmt().with_env_filter(filter).with_target(true);
    // A second init (tests start several apps in one process) is harmless.
    let _ = if json {
        builder.json().flatten_event(true).with_current_span(true).try_init()
    } else {
        builder.compact().try_init()
    };
}
