//! Configuration, layered: built-in defaults -> optional TOML file -> environment.
//! The file is `portal.toml` in the working directory, or the path in `PORTAL_CONFIG`.
//! Environment: `DATABASE_URL`, `PORTAL_ENV`, `PORTAL_DATA_DIR`, `PORTAL_JWT_SECRET`,
//! `PORTAL_PUBLIC_URL`, `PORTAL_TRUSTED_PROXIES`, `PORTAL_DB_POOL_SIZE`, ...; Leptos reads
//! `LEPTOS_SITE_ADDR` and `LEPTOS_SITE_ROOT` itself.

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

use crate::db::{default_sqlite_path, DbUrl};

/// Where the generated signing secret is kept (under `data_dir`) when none is configured.
pub const JWT_SECRET_FILE: &str = "jwt-secret";

/// The address links point to when no public URL is configured (development only).
pub const DEV_PUBLIC_URL: &str = "http://127.0.0.1:3000";

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
    /// SQLite: how long a write waits for another write to finish before the attempt counts as
    /// busy (`Db::write` tries again, then answers 503 with `Retry-After`).
    pub db_busy_timeout_ms: u32,
    /// Threads that run database work, across all HTTP workers. Each holds a pooled connection
    /// while it runs, so more threads than connections only queue; 0 means the pool size.
    pub blocking_threads: usize,
    /// The key that signs session cookies and emailed links (at least 32 characters). Required
    /// in production; in development an unset secret is generated on first start and kept in
    /// `data_dir/jwt-secret`, readable by its owner only.
    pub jwt_secret: Option<String>,
    /// The portal's address as people reach it, e.g. `https://uhd.example.gov.cn`: every link in
    /// an email and the origin unsafe requests must come from. Never taken from a request's
    /// `Host` or forwarding headers. Required in production; in development the server uses
    /// `http://` + its listening address.
    pub public_url: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` is believed, as addresses or CIDR ranges
    /// (`10.0.0.0/8,::1`). A request from any other peer is known by the peer address alone.
    #[serde(deserialize_with = "list_or_commas")]
    pub trusted_proxies: Vec<String>,
    /// Who may read `/metrics`: client addresses or CIDR ranges (default loopback only) ...
    #[serde(deserialize_with = "list_or_commas")]
    pub metrics_allow: Vec<String>,
    /// ... or anyone presenting this bearer token.
    pub metrics_token: Option<String>,
    /// How long a second-factor check counts for sensitive actions (granting roles, ...).
    pub step_up_minutes: i64,
    /// Set by the server in development when no public URL was configured (it then uses its
    /// own listening address): pages opened as `localhost` or `127.0.0.1` on that port count as
    /// the portal's origin too. Never set in production.
    #[serde(skip)]
    pub loopback_aliases: bool,
    /// `smtp://host:port` (plain), `smtp://host:port?tls=required` (STARTTLS) or
    /// `smtps://user:pass@host:465` (TLS). Empty: mail is written as `.eml` under `data/mail/`.
    pub smtp_url: Option<String>,
    /// The sender of every email.
    pub mail_from: String,
    /// Wrong passwords in a row before an email address is locked.
    pub max_failed_logins: i32,
    pub lockout_minutes: i64,
    /// Sign-in attempts allowed per client address (IPv4, or IPv6 /64) per minute.
    pub login_rate_per_minute: u32,
    /// Registrations, password-reset requests, confirmation emails and invitation acceptances
    /// allowed per client address per hour (each counted on its own).
    pub account_rate_per_hour: u32,
    /// A browser session ends after this long without a request ...
    pub session_idle_minutes: i64,
    /// ... and in any case this long after sign-in.
    pub session_max_hours: i64,
    /// Where uploaded files go: empty for `data_dir/files`, or `s3://bucket/prefix`.
    pub storage_url: Option<String>,
    /// How often tenants file periodic reports: `quarterly` or `yearly`.
    pub report_cadence: shared::reports::Cadence,
    /// The ICP filing number (ICP备案号) the footer shows, linked to the MIIT register, e.g.
    /// `沪ICP备12345678号`. Empty: no filing line (development).
    pub icp_filing: Option<String>,
    /// A company reminded to file a period's report is not reminded again for that period
    /// within this many hours.
    pub reminder_interval_hours: i64,
    /// Whether this process runs the scheduled jobs (`jobs`): true for a serving portal; with
    /// several processes on one PostgreSQL each job is still run by one.
    pub run_jobs: bool,
    /// Where people reach the portal's operators (footer, accessibility statement, privacy
    /// notice).
    pub contact_email: String,
    pub contact_phone: Option<String>,
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
            db_busy_timeout_ms: 5000,
            blocking_threads: 0,
            jwt_secret: None,
            public_url: None,
            trusted_proxies: Vec::new(),
            metrics_allow: vec!["127.0.0.1/32".to_string(), "::1/128".to_string()],
            metrics_token: None,
            step_up_minutes: 15,
            loopback_aliases: false,
            smtp_url: None,
            mail_from: "UHD Portal <no-reply@uhd-portal.local>".to_string(),
            max_failed_logins: 5,
            lockout_minutes: 15,
            login_rate_per_minute: 20,
            account_rate_per_hour: 30,
            session_idle_minutes: 30,
            session_max_hours: 12,
            storage_url: None,
            report_cadence: shared::reports::Cadence::Quarterly,
            icp_filing: None,
            reminder_interval_hours: 72,
            run_jobs: true,
            contact_email: "service@uhd-portal.local".to_string(),
            contact_phone: None,
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
            .field("db_busy_timeout_ms", &self.db_busy_timeout_ms)
            .field("blocking_threads", &self.blocking_threads)
            .field("jwt_secret", &"<redacted>")
            .field("public_url", &self.public_url)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("smtp", &self.smtp_url.as_deref().map(redact_userinfo))
            .finish()
    }
}

/// A list from TOML (`["10.0.0.0/8", "::1"]`) or one comma-separated environment value.
fn list_or_commas<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        List(Vec<String>),
        One(String),
    }
    Ok(match Either::deserialize(d)? {
        Either::List(list) => list,
        Either::One(text) => text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect(),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Load(#[from] Box<figment::Error>),
    #[error("configuration: {0}")]
    DatabaseUrl(#[from] crate::db::DbUrlError),
    #[error("configuration: PORTAL_JWT_SECRET must be set to a random value of at least 32 characters in production (and be at least 32 characters wherever it is set)")]
    WeakSecret,
    #[error("configuration: PORTAL_PUBLIC_URL must start with http:// or https://")]
    PublicUrl,
    #[error("configuration: PORTAL_PUBLIC_URL must be set in production (the address people reach the portal at; every emailed link points there)")]
    PublicUrlRequired,
    #[error("configuration: {0} is not an IP address or CIDR range (PORTAL_TRUSTED_PROXIES, PORTAL_METRICS_ALLOW)")]
    Network(String),
    #[error("configuration: the signing secret file: {0}")]
    SecretFile(String),
    #[error("configuration: max_failed_logins, lockout_minutes, login_rate_per_minute, account_rate_per_hour and step_up_minutes must be at least 1")]
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
        for opt in [
            &mut settings.database_url,
            &mut settings.public_url,
            &mut settings.smtp_url,
            &mut settings.storage_url,
            &mut settings.jwt_secret,
            &mut settings.metrics_token,
            &mut settings.icp_filing,
            &mut settings.contact_phone,
        ] {
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
        if self.max_failed_logins < 1 || self.lockout_minutes < 1 || self.login_rate_per_minute < 1 || self.account_rate_per_hour < 1 {
            return Err(ConfigError::Limits);
        }
        match &self.jwt_secret {
            Some(secret) if secret.len() < 32 => return Err(ConfigError::WeakSecret),
            None if self.is_production() => return Err(ConfigError::WeakSecret),
            _ => {}
        }
        if self.is_production() && self.public_url.is_none() {
            return Err(ConfigError::PublicUrlRequired);
        }
        for net in self.trusted_proxies.iter().chain(&self.metrics_allow) {
            crate::net::parse_net(net).ok_or_else(|| ConfigError::Network(net.clone()))?;
        }
        if self.step_up_minutes < 1 {
            return Err(ConfigError::Limits);
        }
        Ok(())
    }

    /// The portal's origin as people reach it (scheme, host and port, no trailing slash).
    pub fn public_origin(&self) -> &str {
        self.public_url.as_deref().unwrap_or(DEV_PUBLIC_URL)
    }

    /// The signing secret: the configured one, else the one generated on a first start and kept
    /// in `data_dir/jwt-secret` (created readable by its owner only).
    pub fn signing_secret(&self) -> Result<String, ConfigError> {
        if let Some(secret) = &self.jwt_secret {
            return Ok(secret.clone());
        }
        let path = self.data_dir.join(JWT_SECRET_FILE);
        let fail = |e: std::io::Error| ConfigError::SecretFile(format!("{}: {e}", path.display()));
        match std::fs::read_to_string(&path) {
            Ok(text) if text.trim().len() >= 32 => return Ok(text.trim().to_string()),
            Ok(_) => return Err(ConfigError::SecretFile(format!("{} holds fewer than 32 characters", path.display()))),
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(fail(e)),
            Err(_) => {}
        }
        std::fs::create_dir_all(&self.data_dir).map_err(fail)?;
        let secret = crate::keys::random_secret() + &crate::keys::random_secret();
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(mut file) => {
                std::io::Write::write_all(&mut file, secret.as_bytes()).map_err(fail)?;
                Ok(secret)
            }
            // Another process started at the same moment and wrote it first.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                std::fs::read_to_string(&path).map(|t| t.trim().to_string()).map_err(fail)
            }
            Err(e) => Err(fail(e)),
        }
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
    fn production_refuses_a_missing_or_short_secret_and_a_missing_public_url() {
        let url = ("public_url", "https://uhd.example.gov.cn");
        assert!(matches!(with(&[("env", "production"), url]), Err(ConfigError::WeakSecret)));
        assert!(matches!(with(&[("env", "production"), url, ("jwt_secret", "short")]), Err(ConfigError::WeakSecret)));
        let long = "x".repeat(40);
        assert!(matches!(with(&[("env", "production"), ("jwt_secret", &long)]), Err(ConfigError::PublicUrlRequired)));
        assert!(with(&[("env", "production"), ("jwt_secret", &long), url]).is_ok());
        assert!(matches!(with(&[("jwt_secret", "short")]), Err(ConfigError::WeakSecret)));
    }

    #[test]
    fn without_a_secret_one_is_generated_once_and_kept_private() {
        let dir = std::env::temp_dir().join(format!("uhd-secret-{}-{}", std::process::id(), chrono::Utc::now().timestamp_micros()));
        let s = Settings { data_dir: dir.clone(), ..Settings::default() };
        let first = s.signing_secret().expect("generated");
        assert!(first.len() >= 32);
        assert_eq!(s.signing_secret().expect("read back"), first, "kept across starts");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(JWT_SECRET_FILE)).expect("file").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let other = Settings { data_dir: dir.join("other"), ..Settings::default() };
        assert_ne!(other.signing_secret().expect("generated"), first, "random per install");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn proxies_and_metrics_addresses_must_parse() {
        assert!(matches!(with(&[("trusted_proxies", "10.0.0.0/8, nonsense")]), Err(ConfigError::Network(_))));
        let s = with(&[("trusted_proxies", "10.0.0.0/8, ::1")]).expect("parses");
        assert_eq!(s.trusted_proxies, vec!["10.0.0.0/8".to_string(), "::1".to_string()]);
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
