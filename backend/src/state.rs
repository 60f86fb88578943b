//! What every handler can reach: the settings, the database, the signing keys, the sign-in
//! rate limiter, the mail worker's waker and small shared caches.

use ipnet::IpNet;
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
    pub mail: MailWaker,
    pub storage: Storage,
    pub tenant_counts: Arc<TenantCounts>,
    /// Moves on after every request that may have changed data (see [`crate::cache`]).
    pub generation: Arc<Generation>,
    /// Who recently checked session cookies belong to.
    pub sessions: Arc<SessionCache>,
    /// Totals of the park managers' tenant-list filters, segment codes.
    pub tenant_list: Arc<TenantListCaches>,
    /// Who a signed-in person is (`Me`, with their roles' names), for the header of every page.
    pub people: Arc<crate::accounts::me::MeCache>,
    /// The chain segments and the bases, which the forms and filters of many pages list.
    pub choices: Arc<crate::reference::ChoicesCache>,
    /// The one clock every deadline and schedule reads (tests move it forward).
    pub clock: crate::clock::Clock,
    /// Wakes the job worker after a job is scheduled.
    pub jobs: crate::jobs::worker::JobWaker,
}

impl AppState {
    /// The state of a serving portal: starts the mail worker.
    pub fn new(settings: Settings, db: Db) -> anyhow::Result<AppState> {
        let mailer = Mailer::from_settings(&settings)?;
        let mail = worker::start(db.clone(), mailer);
        let run_jobs = settings.run_jobs;
        let state = Self::with_mail(settings, db, mail)?;
        if run_jobs {
            crate::jobs::worker::start(state.clone());
        }
        Ok(state)
    }

    /// The state with a given mail waker (`MailWaker::detached()` for tools that send none).
    pub fn with_mail(settings: Settings, db: Db, mail: MailWaker) -> anyhow::Result<AppState> {
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
            mail,
            tenant_counts: Arc::new(TenantCounts::new(generation.clone(), 1, TENANT_COUNT_TTL)),
            sessions: Arc::new(SessionCache::new(generation.clone(), 100_000, SESSION_CACHE_TTL)),
            tenant_list: Arc::new(TenantListCaches::new(generation.clone())),
            people: Arc::new(crate::accounts::me::MeCache::new(generation.clone(), 100_000, SESSION_CACHE_TTL)),
            choices: Arc::new(crate::reference::ChoicesCache::new(generation.clone(), 1, TENANT_COUNT_TTL)),
            clock: crate::clock::Clock::system(),
            jobs: crate::jobs::worker::JobWaker::detached(),
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
