//! What every handler can reach: the settings, the database, the signing keys, the sign-in
//! rate limiter, the mail transport, the clock, the job worker's waker and small shared caches.

use ipnet::IpNet;
use std::sync::Arc;
use std::time::Duration;

use crate::cache::Generation;
use crate::caches::{ChoicesCache, MeCache, PublicCaches, QueueCaches, TenantCounts, TenantListCaches};
use crate::config::Settings;
use crate::db::Db;
use crate::keys::Keys;
use crate::notify::Mailer;
use crate::principal::{SessionCache, SESSION_CACHE_TTL};
use crate::ratelimit::RateLimits;
use crate::storage::Storage;

/// How long the public tenant counts may lag behind the registry.
pub const TENANT_COUNT_TTL: Duration = Duration::from_secs(30);

#[derive(Clone)]
pub struct AppState {
    pub settings: Settings,
    pub db: Db,
    pub keys: Keys,
    /// Attempts per client address at sign-in, registration, password reset, ...
    pub limits: Arc<RateLimits>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (see [`crate::net::client_ip`]).
    pub trusted_proxies: Arc<Vec<IpNet>>,
    /// Addresses that may read `/metrics` without the metrics token.
    pub metrics_allow: Arc<Vec<IpNet>>,
    /// Refusals already written to the audit log this minute, so a flood of them is recorded
    /// once per client and route, not once per request.
    pub refusals_seen: Arc<moka::sync::Cache<String, ()>>,
    /// The transport the `mail` job sends through.
    pub mailer: Arc<Mailer>,
    pub storage: Storage,
    pub tenant_counts: Arc<TenantCounts>,
    /// Moves on after every request that may have changed data (see [`crate::cache`]).
    pub generation: Arc<Generation>,
    /// Who recently checked session cookies belong to.
    pub sessions: Arc<SessionCache>,
    /// Totals of the park managers' tenant-list filters, segment codes.
    pub tenant_list: Arc<TenantListCaches>,
    /// The review queue's counts and calendar.
    pub queue: Arc<QueueCaches>,
    /// Who a signed-in person is (`Me`, with their roles' names), for the header of every page.
    pub people: Arc<MeCache>,
    /// The chain segments and the bases, which the forms and filters of many pages list.
    pub choices: Arc<ChoicesCache>,
    /// Notice PDFs and the targets dashboard's figures, which anyone may ask for.
    pub public: Arc<PublicCaches>,
    /// The one clock every deadline and schedule reads (tests move it forward); the same as
    /// the database's (`Db::clock`, what `db::now()` reads inside database work).
    pub clock: crate::clock::Clock,
    /// Wakes the job worker; the write path wakes it after a commit that scheduled a job.
    pub jobs: crate::background::Waker,
}

impl AppState {
    /// The state, with no job worker: a serving portal starts one with `backend::serving_state`
    /// (tools and tests start their own, or none).
    pub fn new(settings: Settings, db: Db) -> anyhow::Result<AppState> {
        // One generation for the process: the write path and the middleware move it on.
        let generation = db.generation().clone();
        Ok(AppState {
            storage: Storage::from_settings(&settings)?,
            keys: Keys::new(&settings.signing_secret()?),
            limits: Arc::new(RateLimits::new(&settings)),
            trusted_proxies: Arc::new(crate::net::parse_nets(&settings.trusted_proxies)),
            metrics_allow: Arc::new(crate::net::parse_nets(&settings.metrics_allow)),
            refusals_seen: Arc::new(
                moka::sync::Cache::builder().max_capacity(100_000).time_to_live(Duration::from_secs(60)).build(),
            ),
            mailer: Arc::new(Mailer::from_settings(&settings)?),
            tenant_counts: Arc::new(TenantCounts::new(generation.clone(), 1, TENANT_COUNT_TTL)),
            sessions: Arc::new(SessionCache::new(generation.clone(), 100_000, SESSION_CACHE_TTL)),
            tenant_list: Arc::new(TenantListCaches::new(generation.clone())),
            queue: Arc::new(QueueCaches::new(generation.clone())),
            people: Arc::new(MeCache::new(generation.clone(), 100_000, SESSION_CACHE_TTL)),
            choices: Arc::new(ChoicesCache::new(generation.clone(), 1, TENANT_COUNT_TTL)),
            public: Arc::new(PublicCaches::new(generation.clone())),
            clock: db.clock().clone(),
            jobs: db.job_waker().clone(),
            generation,
            settings,
            db,
        })
    }

    /// A link to `path` for an email: always on the configured public address, never on
    /// whatever host a request named.
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.settings.public_origin().trim_end_matches('/'), path)
    }
}
