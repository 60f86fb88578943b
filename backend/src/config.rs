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
    pub db_pool_size: u32,
    pub jwt_secret: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            env: PortalEnv::Development,
            database_url: None,
            data_dir: PathBuf::from("data"),
            db_pool_size: 16,
            jwt_secret: DEV_JWT_SECRET.to_string(),
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
            .field("jwt_secret", &"<redacted>")
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
}

impl Settings {
    /// Load from defaults, the optional file and the process environment.
    pub fn load() -> Result<Settings, ConfigError> {
        let file = std::env::var("PORTAL_CONFIG").unwrap_or_else(|_| "portal.toml".to_string());
        Self::from_figment(
            Figment::from(Serialized::defaults(Settings::default()))
                .merge(Toml::file(file))
                .merge(Env::prefixed("PORTAL_").ignore(&["CONFIG"]))
                .merge(Env::raw().only(&["DATABASE_URL"])),
        )
    }

    pub fn from_figment(figment: Figment) -> Result<Settings, ConfigError> {
        let mut settings: Settings = figment.extract().map_err(Box::new)?;
        if settings.database_url.as_deref().is_some_and(|u| u.trim().is_empty()) {
            settings.database_url = None;
        }
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        self.db_url()?;
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
