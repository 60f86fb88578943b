//! Configuration, layered: built-in defaults -> optional TOML file -> environment.
//! The file is `portal.toml` in the working directory, or the path in `PORTAL_CONFIG`.
//! Environment: `DATABASE_URL`, `PORTAL_ENV`, `PORTAL_DATA_DIR`, `PORTAL_JWT_SECRET`,
//! `PORTAL_DB_POOL_SIZE`; Leptos reads `LEPTOS_SITE_ADDR` and `LEPTOS_SITE_ROOT` itself.

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

use crate::db::{default_sqlite_path, DbUrl};

/// The secret used when none is configured; refused in production.
pub const DEV_JWT_SECRET: &str = "development-only-secret-do-not-use-in-production";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PortalEnv {
    Development,
    Production,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct Settings {
    pub env: PortalEnv,
    /// `sqlite://<path>` or `postgres://...`; empty means the SQLite file under `data_dir`.
    pub database_url: Option<String>,
    pub data_dir: PathBuf,
    /// Database connections; 0 (the default) means the CPU cores plus one: more only makes the
    /// database's processes and the portal's threads take turns on the same cores (measured on
    /// 2 cores: 3 connections gave PostgreSQL's tenant search p99 32-35 ms, 5 gave 44-54 ms).
    pub db_pool_size: u32,
    /// Threads that run database work, across all HTTP workers. Each holds a pooled connection
    /// while it runs, so more threads than connections only queue; 0 means the pool size.
    pub blocking_threads: usize,
    pub jwt_secret: String,
    /// The portal's address as people reach it, e.g. `https://uhd.example.gov.cn`: links in
    /// emails and the origin unsafe requests must come from. Empty: taken from each request.
    pub public_url: Option<String>,
    /// `smtp://host:port` (plain), `smtp://host:port?tls=required` (STARTTLS) or
    /// `smtps://user:pass@host:465` (TLS). Empty: mail is written as `.eml` under `data/mail/`.
    pub smtp_url: Option<String>,
    /// The sender of every email.
    pub mail_from: String,
    /// Wrong passwords in a row before an email address is locked.
    pub max_failed_logins: i32,
    pub lockout_minutes: i64,
    /// Sign-in attempts allowed per IP address per minute.
    pub login_rate_per_minute: u32,
    /// A browser session ends after this long without a request ...
    pub session_idle_minutes: i64,
    /// ... and in any case this long after sign-in.
    pub session_max_hours: i64,
    /// Where uploaded files go: empty for `data_dir/files`, or `s3://bucket/prefix`.
    pub storage_url: Option<String>,
    /// How often tenants file periodic reports: `quarterly` or `yearly`.
    pub report_cadence: shared::reports::Cadence,
}

impl Settings {
    /// The database pool's size (see `db_pool_size`).
    pub fn pool_size(&self) -> u32 {
        match self.db_pool_size {
            0 => std::thread::available_parallelism().map_or(2, |n| n.get() as u32) + 1,
            n => n,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            env: PortalEnv::Development,
            database_url: None,
            data_dir: PathBuf::from("data"),
            db_pool_size: 0,
            blocking_threads: 0,
            jwt_secret: DEV_JWT_SECRET.to_string(),
            public_url: None,
            smtp_url: None,
            mail_from: "UHD Portal <no-reply@uhd-portal.local>".to_string(),
            max_failed_logins: 5,
            lockout_minutes: 15,
            login_rate_per_minute: 20,
            session_idle_minutes: 30,
            session_max_hours: 12,
            storage_url: None,
            report_cadence: shared::reports::Cadence::Quarterly,
        }
    }
}

// Secrets are never printed, not even in debug output.
impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("env", &self.env)
            .field("database", &self.db_url().map(|u| u.redacted()).unwrap_or_default())
            .field("data_dir", &self.data_dir)
            .field("db_pool_size", &self.db_pool_size)
            .field("blocking_threads", &self.blocking_threads)
            .field("jwt_secret", &"<redacted>")
            .field("public_url", &self.public_url)
            .field("smtp", &self.smtp_url.as_deref().map(redact_userinfo))
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Load(#[from] Box<figment::Error>),
    #[error("configuration: {0}")]
    DatabaseUrl(#[from] crate::db::DbUrlError),
    #[error("configuration: PORTAL_JWT_SECRET must be set to a random value of at least 32 characters in production")]
    WeakSecret,
    #[error("configuration: PORTAL_PUBLIC_URL must start with http:// or https://")]
    PublicUrl,
    #[error("configuration: max_failed_logins, lockout_minutes and login_rate_per_minute must be at least 1")]
    Limits,
}

/// `smtp://user:pass@host` -> `smtp://user:***@host`, for logs.
fn redact_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_string(),
    }
}

impl Settings {
    /// Load from defaults, the optional file and the process environment.
    pub fn load() -> Result<Settings, ConfigError> {
        let file = std::env::var("PORTAL_CONFIG").unwrap_or_else(|_| "portal.toml".to_string());
        Self::from_figment(
            Figment::from(Serialized::defaults(Settings::default()))
                .merge(Toml::file(file))
                .merge(Env::prefixed("PORTAL_").ignore(&["CONFIG"]))
                .merge(Env::raw().only(&["DATABASE_URL", "SMTP_URL"])),
        )
    }

    pub fn from_figment(figment: Figment) -> Result<Settings, ConfigError> {
        let mut settings: Settings = figment.extract().map_err(Box::new)?;
        for opt in [&mut settings.database_url, &mut settings.public_url, &mut settings.smtp_url, &mut settings.storage_url] {
            if opt.as_deref().is_some_and(|u| u.trim().is_empty()) {
                *opt = None;
            }
        }
        if let Some(url) = &mut settings.public_url {
            *url = url.trim().trim_end_matches('/').to_string();
        }
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        self.db_url()?;
        if let Some(url) = &self.public_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ConfigError::PublicUrl);
            }
        }
        if self.max_failed_logins < 1 || self.lockout_minutes < 1 || self.login_rate_per_minute < 1 {
            return Err(ConfigError::Limits);
        }
        if self.env == PortalEnv::Production
            && (self.jwt_secret == DEV_JWT_SECRET || self.jwt_secret.len() < 32)
        {
            return Err(ConfigError::WeakSecret);
        }
        Ok(())
    }

    pub fn db_url(&self) -> Result<DbUrl, crate::db::DbUrlError> {
        match &self.database_url {
            Some(url) => DbUrl::parse(url),
            None => Ok(DbUrl::Sqlite(default_sqlite_path(&self.data_dir))),
        }
    }

    pub fn is_production(&self) -> bool {
        self.env == PortalEnv::Production
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use figment::providers::Serialized;

    fn with(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let mut fig = Figment::from(Serialized::defaults(Settings::default()));
        for (k, v) in pairs {
            fig = fig.merge((*k, *v));
        }
        Settings::from_figment(fig)
    }

    #[test]
    fn defaults_to_sqlite_under_data() {
        let s = with(&[]).expect("defaults load");
        assert_eq!(s.db_url().ok(), Some(DbUrl::Sqlite(PathBuf::from("data/portal.db"))));
    }

    #[test]
    fn production_refuses_default_or_short_secret() {
        assert!(matches!(with(&[("env", "production")]), Err(ConfigError::WeakSecret)));
        assert!(matches!(
            with(&[("env", "production"), ("jwt_secret", "short")]),
            Err(ConfigError::WeakSecret)
        ));
        let long = "x".repeat(40);
        assert!(with(&[("env", "production"), ("jwt_secret", &long)]).is_ok());
    }

    #[test]
    fn mistyped_database_url_is_an_error() {
        assert!(matches!(with(&[("database_url", "sqlit://x.db")]), Err(ConfigError::DatabaseUrl(_))));
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let s = with(&[("jwt_secret", "super-secret-value-1234567890-abcdef")]).expect("load");
        assert!(!format!("{s:?}").contains("super-secret"));
    }
}
