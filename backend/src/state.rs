//! What every handler can reach: the settings, the database, the signing keys, the sign-in
//! rate limiter, the mail worker's waker and small shared caches.

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use crate::accounts::tokens::Keys;
use crate::config::Settings;
use crate::db::Db;
use crate::notify::{worker, MailWaker, Mailer};
use crate::reference::list_bases::TenantCounts;
use crate::accounts::identity::{SessionCache, SESSION_CACHE_TTL};
use crate::cache::Generation;
use crate::registry::tenants::TenantListCaches;
use crate::storage::Storage;

/// How long the public tenant counts may lag behind the registry.
pub const TENANT_COUNT_TTL: Duration = Duration::from_secs(30);

#[derive(Clone)]
pub struct AppState {
    pub settings: Settings,
    pub db: Db,
    pub keys: Keys,
    /// Sign-in attempts per client IP address.
    pub login_limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    pub mail: MailWaker,
    pub storage: Storage,
    pub tenant_counts: Arc<TenantCounts>,
    /// Moves on after every request that may have changed data (see [`crate::cache`]).
    pub generation: Arc<Generation>,
    /// Who recently checked session cookies belong to.
    pub sessions: Arc<SessionCache>,
    /// Totals of the park managers' tenant-list filters, segment codes.
    pub tenant_list: Arc<TenantListCaches>,
}

impl AppState {
    /// The state of a serving portal: starts the mail worker.
    pub fn new(settings: Settings, db: Db) -> anyhow::Result<AppState> {
        let mailer = Mailer::from_settings(&settings)?;
        let mail = worker::start(db.clone(), mailer);
        Self::with_mail(settings, db, mail)
    }

    /// The state with a given mail waker (`MailWaker::detached()` for tools that send none).
    pub fn with_mail(settings: Settings, db: Db, mail: MailWaker) -> anyhow::Result<AppState> {
        let per_minute = NonZeroU32::new(settings.login_rate_per_minute).unwrap_or(NonZeroU32::MIN);
        let generation = Arc::new(Generation::default());
        Ok(AppState {
            storage: Storage::from_settings(&settings)?,
            keys: Keys::new(&settings.jwt_secret),
            login_limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute))),
            mail,
            tenant_counts: Arc::new(TenantCounts::new(generation.clone(), 1, TENANT_COUNT_TTL)),
            sessions: Arc::new(SessionCache::new(generation.clone(), 100_000, SESSION_CACHE_TTL)),
            tenant_list: Arc::new(TenantListCaches::new(generation.clone())),
            generation,
            settings,
            db,
        })
    }

    /// The portal's base URL for links in emails: the configured public URL, else `fallback`
    /// (the origin of the request that caused the email).
    pub fn link(&self, fallback_origin: &str, path: &str) -> String {
        let base = self.settings.public_url.as_deref().unwrap_or(fallback_origin);
        format!("{}{}", base.trim_end_matches('/'), path)
    }
}
