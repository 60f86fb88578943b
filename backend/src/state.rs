//! What every handler can reach: the settings, the database and small shared caches.

use std::sync::Arc;
use std::time::Duration;

use crate::config::Settings;
use crate::db::Db;
use crate::reference::list_bases::TenantCounts;

/// How long the public tenant counts may lag behind the registry.
pub const TENANT_COUNT_TTL: Duration = Duration::from_secs(30);

#[derive(Clone)]
pub struct AppState {
    pub settings: Settings,
    pub db: Db,
    pub tenant_counts: Arc<TenantCounts>,
}

impl AppState {
    pub fn new(settings: Settings, db: Db) -> AppState {
        AppState { settings, db, tenant_counts: Arc::new(TenantCounts::new(TENANT_COUNT_TTL)) }
    }
}
