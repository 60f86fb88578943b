//! UHD Portal backend: configuration, database, REST API, operations endpoints, seeds and demo
//! data. The `frontend` crate's server binary mounts [`api::configure`] beside the Leptos
//! routes and wraps everything in [`server::wrap`]-style middleware from [`ops`].

pub mod accounts;
pub mod api;
pub mod background;
pub mod cache;
pub mod caches;
pub mod calendar;
pub mod clock;
pub mod jobs;
pub mod config;
pub mod db;
pub mod demo;
pub mod demo_accounts;
pub mod documents;
pub mod error;
pub mod funding;
pub mod keys;
pub mod notify;
pub mod pagination;
pub mod principal;
pub mod programs;
pub mod applications;
pub mod queue;
pub mod net;
pub mod ops;
pub mod ratelimit;
pub mod reference;
pub mod review;
pub mod scope;
pub mod registry;
pub mod seeds;
pub mod state;
pub mod storage;
pub mod targets;
pub mod telemetry;
pub mod uploads;

// Email texts in Chinese and English (`backend/locales/`).
rust_i18n::i18n!("locales", fallback = "zh-CN");

pub use config::Settings;
/// Re-exported so tests and tools use the same Diesel as the backend.
pub use diesel;
pub use db::Db;
pub use error::AppError;
pub use state::AppState;

/// The state of a serving portal: `AppState::new`, and the job worker (which sends the mail)
/// unless `run_jobs` is off.
pub fn serving_state(settings: Settings, db: Db) -> anyhow::Result<AppState> {
    let run_jobs = settings.run_jobs;
    let state = AppState::new(settings, db)?;
    if run_jobs {
        jobs::worker::start(state.clone(), jobs::Kinds::All);
    }
    Ok(state)
}

/// Open the database named by the settings and apply pending migrations.
pub fn open_database(settings: &Settings) -> anyhow::Result<Db> {
    let url = settings.db_url()?;
    let db = Db::connect(&url, settings.pool_size(), settings.db_busy_timeout_ms)?;
    let applied = db.maintenance(db::run_migrations)?;
    if !applied.is_empty() {
        tracing::info!(migrations = ?applied, database = %url.redacted(), "applied migrations");
    }
    let linked = db
        .write_blocking(|conn| Ok(accounts::audit::link_unlinked(conn)?))
        .map_err(|e| anyhow::anyhow!("linking the audit log: {e:?}"))?;
    if linked > 0 {
        tracing::info!(records = linked, "linked earlier audit records into the hash chain");
    }
    Ok(db)
}
