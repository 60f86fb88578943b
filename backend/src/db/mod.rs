//! Database access: one connection enum over SQLite and PostgreSQL, the pool, migrations.
//! The backend is chosen from the URL scheme; anything else is a configuration error.
//! Diesel is synchronous, so callers run it through [`Db::run`] on actix's blocking pool.

pub mod schema;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{CustomizeConnection, Pool, PooledConnection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::background::Waker;
use crate::cache::Generation;
use crate::clock::Clock;
use crate::error::AppError;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// A connection to either supported database.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which database a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    /// A file path (created if missing, its directory too).
    Sqlite(PathBuf),
    Postgres(String),
}

#[derive(Debug, thiserror::Error)]
pub enum DbUrlError {
    #[error("DATABASE_URL must start with sqlite:// or postgres:// (got scheme {0:?})")]
    UnknownScheme(String),
    #[error("DATABASE_URL sqlite:// needs a file path, e.g. sqlite://data/portal.db")]
    EmptySqlitePath,
}

impl DbUrl {
    pub fn parse(url: &str) -> Result<DbUrl, DbUrlError> {
        let url = url.trim();
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(DbUrlError::EmptySqlitePath);
            }
            return Ok(DbUrl::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DbUrl::Postgres(url.to_string()));
        }
        let scheme = url.split_once("://").map(|(s, _)| s).unwrap_or(url);
        Err(DbUrlError::UnknownScheme(scheme.to_string()))
    }

    /// The URL with any password masked, for logs.
    pub fn redacted(&self) -> String {
        match self {
            DbUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
            DbUrl::Postgres(url) => redact_password(url),
        }
    }
}

fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let Some((userinfo, host)) = rest.split_once('@') else { return url.to_string() };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

/// A new connection to `url`, without the per-connection settings (see [`ConnectionSetup`]).
fn open(url: &DbUrl) -> Result<DbConn, diesel::r2d2::Error> {
    match url {
        DbUrl::Sqlite(path) => SqliteConnection::establish(&path.to_string_lossy())
            .map(DbConn::Sqlite)
            .map_err(diesel::r2d2::Error::ConnectionError),
        DbUrl::Postgres(url) => PgConnection::establish(url)
            .map(DbConn::Postgres)
            .map_err(diesel::r2d2::Error::ConnectionError),
    }
}

/// Opens connections of the configured kind for r2d2.
#[derive(Debug, Clone)]
pub struct DbConnManager {
    url: DbUrl,
}

impl diesel::r2d2::ManageConnection for DbConnManager {
    type Connection = DbConn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConn, Self::Error> {
        open(&self.url)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1").map_err(diesel::r2d2::Error::QueryError)
    }

    /// Checked when a connection goes back to the pool: one whose transaction is left open
    /// (a panic) or in error is dropped instead of reused. A connection the server closed is
    /// not seen here; [`Db::replace_if_lost`] swaps it for a new one.
    fn has_broken(&self, conn: &mut DbConn) -> bool {
        use diesel::r2d2::R2D2Connection;
        std::thread::panicking() || conn.is_broken()
    }
}

/// Per-connection settings: SQLite in WAL with foreign keys on and how long a writer waits
/// for the lock; UTC sessions on PostgreSQL. Every connection starts read-only (SQLite
/// `query_only`, PostgreSQL `default_transaction_read_only`): only [`Db::write`]'s transaction
/// (and [`Db::maintenance`] for migrations and bulk loads) can change data, so a write that
/// bypasses the write path fails at once instead of escaping its transaction and audit record.
#[derive(Debug, Clone, Copy)]
struct ConnectionSetup {
    busy_timeout_ms: u32,
}

impl CustomizeConnection<DbConn, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), diesel::r2d2::Error> {
        let sql = match conn {
            // WAL is a property of the file, set once in `Db::connect`; switching it here from
            // many connections at once makes them fight for the lock.
            DbConn::Sqlite(_) => {
                // Reads map the file instead of copying pages through read(2); each connection
                // keeps up to 16 MB of pages.
                format!(
                    "PRAGMA busy_timeout = {}; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
                     PRAGMA mmap_size = 268435456; PRAGMA cache_size = -16000; PRAGMA query_only = 1;",
                    self.busy_timeout_ms
                )
            }
            DbConn::Postgres(_) => "SET TIME ZONE 'UTC'; SET default_transaction_read_only = on;".to_string(),
        };
        conn.batch_execute(&sql).map_err(diesel::r2d2::Error::QueryError)
    }
}

pub type DbPool = Pool<DbConnManager>;
pub type PooledConn = PooledConnection<DbConnManager>;

/// The pool plus what kind of database it talks to.
#[derive(Clone)]
pub struct Db {
    pool: DbPool,
    url: DbUrl,
    setup: ConnectionSetup,
    /// The data generation: moves on after every committed write (see [`Db::generation`]).
    generation: Arc<Generation>,
    /// The portal's one clock (see [`now`]).
    clock: Clock,
    /// The job worker of this process, woken once a transaction that scheduled a job commits.
    jobs: Waker,
    /// SQLite only: this process's writers take turns here, first come first served, before
    /// `BEGIN IMMEDIATE`. SQLite's own wait for its write lock (`busy_timeout`) polls with
    /// growing sleeps and serves no order, so under many writers at once some waited seconds
    /// while others went straight through; in line, each waits for those ahead of it only.
    /// Another process writing the same file is still waited for by `busy_timeout`.
    writers: Option<Arc<WriterQueue>>,
}

/// The queue of this process's SQLite writers (see `Db::writers`).
#[derive(Debug, Default)]
struct WriterQueue {
    turn: parking_lot::Mutex<()>,
}

thread_local! {
    /// The time of the database work running on this thread (see [`now`]).
    static NOW: std::cell::Cell<Option<chrono::NaiveDateTime>> = const { std::cell::Cell::new(None) };
    /// Whether the transaction running on this thread scheduled a job (see [`scheduled_job`]).
    static SCHEDULED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// "Now" for the database work in progress on this thread: the portal's clock
/// ([`Db::clock`]) read once when the work began ([`Db::run`], each attempt of a write,
/// [`Db::maintenance`]), as SQL's `CURRENT_TIMESTAMP` is one time per transaction. Every time a
/// service stores or compares inside a database closure comes from here, so a test that moves
/// the clock (`TestApp::advance`) moves sessions, tokens, lockouts and deadlines with it. Code
/// outside database work reads `AppState::clock`; a debug build stops if it calls this.
pub fn now() -> chrono::NaiveDateTime {
    NOW.with(|n| n.get()).unwrap_or_else(|| {
        debug_assert!(false, "db::now() outside database work: read AppState::clock instead");
        Clock::system().now_naive()
    })
}

/// Sets [`now`] for the work in scope, and puts back what was there before.
struct At(Option<chrono::NaiveDateTime>);

impl At {
    fn clock(clock: &Clock) -> At {
        At(NOW.with(|n| n.replace(Some(clock.now_naive()))))
    }
}

impl Drop for At {
    fn drop(&mut self) {
        NOW.with(|n| n.set(self.0));
    }
}

/// Called by `queue::insert` inside a write: once this transaction commits, the job worker is
/// woken (a rolled-back or retried attempt wakes nobody).
pub fn scheduled_job() {
    SCHEDULED.with(|s| s.set(true));
}

impl Db {
    /// Open a pool. For SQLite the file's directory is created; the file itself is created by
    /// SQLite. A URL of an unknown scheme never reaches here (see [`DbUrl::parse`]).
    /// `busy_timeout_ms`: SQLite's wait for another writer (see `Settings::db_busy_timeout_ms`).
    pub fn connect(url: &DbUrl, max_size: u32, busy_timeout_ms: u32) -> anyhow::Result<Db> {
        if let DbUrl::Sqlite(path) = url {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
            conn.batch_execute("PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL;")?;
        }
        let setup = ConnectionSetup { busy_timeout_ms };
        let pool = Pool::builder()
            .max_size(max_size)
            .connection_timeout(Duration::from_secs(10))
            // No `SELECT 1` before every use: on PostgreSQL that was a second round trip per
            // request. A connection the server closed fails the one request that finds it and
            // is then replaced (`replace_if_lost`); idle ones are recycled before servers or
            // firewalls usually drop them.
            .test_on_check_out(false)
            .idle_timeout(Some(Duration::from_secs(300)))
            .connection_customizer(Box::new(setup))
            .build(DbConnManager { url: url.clone() })?;
        let writers = matches!(url, DbUrl::Sqlite(_)).then(|| Arc::new(WriterQueue::default()));
        Ok(Db { pool, url: url.clone(), setup, generation: Arc::new(Generation::default()), clock: Clock::system(), jobs: Waker::detached(), writers })
    }

    /// The portal's one clock: [`now`] inside database work, `AppState::clock` outside it.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The job worker's waker, which the write path wakes after a commit that scheduled a job.
    pub fn job_waker(&self) -> &Waker {
        &self.jobs
    }

    pub fn url(&self) -> &DbUrl {
        &self.url
    }

    pub fn pool(&self) -> &DbPool {
        &self.pool
    }

    /// The data generation of this process (`cache::Generation`, shared with `AppState`): it
    /// moves on once a write through [`Db::write`] has committed, so what was read before it
    /// is not served from a cache again. Writes by other processes are not seen here.
    pub fn generation(&self) -> &Arc<Generation> {
        &self.generation
    }

    /// Run blocking Diesel work on actix's blocking thread pool, keeping the tracing span.
    pub async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let (db, span) = (self.clone(), tracing::Span::current());
        actix_web::web::block(move || {
            let _entered = span.enter();
            db.read_blocking(f)
        })
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("blocking task failed: {e}")))?
    }

    /// The write path, the one way to change data: `f` runs in one transaction on the blocking
    /// pool (see [`Db::run`]), so a change and the audit record it writes
    /// (`accounts::audit::record`, inside `f`) commit together or not at all.
    ///
    /// On SQLite the transaction is `BEGIN IMMEDIATE`: it takes the write lock before `f` reads
    /// anything, so a read-then-write never fails half-way with "database is locked" when
    /// another write commits in between (writers queue for the lock, up to `busy_timeout`). On
    /// PostgreSQL the invariants are guarded by unique indexes and row locks (`FOR UPDATE`)
    /// inside `f`. A busy database, a serialization failure or a deadlock ([`AppError::Busy`])
    /// runs `f` again in a new transaction, at most [`WRITE_ATTEMPTS`] times, then answers 503
    /// with `Retry-After`; so `f` must do nothing outside the database that cannot be repeated.
    /// What must follow the commit (moving the data generation on) runs only once it has.
    pub async fn write<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnMut(&mut DbConn) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        // After the commit, never before: a reader that sees the new generation sees the change.
        self.write_bookkeeping(f).await.inspect(|_| self.generation.bump())
    }

    /// [`Db::write`] for bookkeeping that no cached read depends on: a session's or an API
    /// token's last use, the audit record of a read (an export, a download, the audit log
    /// itself, a refusal), the mail queue's claims. The same transaction, retries and audit,
    /// but the data generation stays: otherwise every such write would empty every cache.
    pub async fn write_bookkeeping<T, F>(&self, mut f: F) -> Result<T, AppError>
    where
        F: FnMut(&mut DbConn) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let (clock, jobs, queue) = (self.clock.clone(), self.jobs.clone(), self.queue());
        self.run(move |conn| write_with_retries(conn, &clock, &jobs, queue.as_ref(), &mut f)).await
    }

    /// The write path for the command line (no async runtime there): the same transaction and
    /// retries as [`Db::write`], on a pooled connection in the calling thread.
    pub fn write_blocking<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnMut(&mut DbConn) -> Result<T, AppError>,
    {
        self.write_bookkeeping_blocking(f).inspect(|_| self.generation.bump())
    }

    /// [`Db::write_bookkeeping`] in the calling thread (the mail worker).
    pub fn write_bookkeeping_blocking<T, F>(&self, mut f: F) -> Result<T, AppError>
    where
        F: FnMut(&mut DbConn) -> Result<T, AppError>,
    {
        let mut conn = self.pool.get().map_err(|e| AppError::Unavailable(e.to_string()))?;
        write_with_retries(&mut conn, &self.clock, &self.jobs, self.queue().as_ref(), &mut f)
    }

    /// The writers' queue and how long a writer waits in it (SQLite only).
    fn queue(&self) -> Option<(Arc<WriterQueue>, Duration)> {
        self.writers.clone().map(|w| (w, Duration::from_millis(u64::from(self.setup.busy_timeout_ms))))
    }

    /// [`Db::run`] in the calling thread (a background thread, the command line): `f` on a
    /// pooled connection, with [`now`] set; a connection the server closed is replaced.
    pub fn read_blocking<T>(&self, f: impl FnOnce(&mut DbConn) -> Result<T, AppError>) -> Result<T, AppError> {
        let _at = At::clock(&self.clock);
        let mut conn = self.pool.get().map_err(|e| AppError::Unavailable(e.to_string()))?;
        let result = f(&mut conn);
        if matches!(result, Err(AppError::Unavailable(_) | AppError::Internal(_))) {
            self.replace_if_lost(&mut conn);
        }
        result
    }

    /// Schema and bulk work outside the request path (migrations, demo data, test set-up): `f`
    /// runs on a connection that may write, which is read-only again afterwards. Not for
    /// anything a user does: that goes through [`Db::write`].
    pub fn maintenance<T>(&self, f: impl FnOnce(&mut DbConn) -> anyhow::Result<T>) -> anyhow::Result<T> {
        let _at = At::clock(&self.clock);
        let mut conn = self.pool.get()?;
        set_writable(&mut conn, true)?;
        let result = f(&mut conn);
        set_writable(&mut conn, false)?;
        if result.is_ok() {
            self.generation.bump();
        }
        result
    }

    /// After a failure: if the server has closed `conn` (restart, failover, a terminated
    /// session), put a new connection in its place, so the pool keeps a working one and only
    /// the request that found it closed failed.
    pub fn replace_if_lost(&self, conn: &mut PooledConn) {
        replace_if_lost(&self.url, self.setup, conn);
    }

    /// Connections checked out right now, for the metrics.
    pub fn in_use(&self) -> u32 {
        let state = self.pool.state();
        state.connections - state.idle_connections
    }
}

/// How many times [`Db::write`] runs a transaction that the database refused as busy.
pub const WRITE_ATTEMPTS: u32 = 4;

fn write_with_retries<T>(
    conn: &mut DbConn,
    clock: &Clock,
    jobs: &Waker,
    queue: Option<&(Arc<WriterQueue>, Duration)>,
    f: &mut impl FnMut(&mut DbConn) -> Result<T, AppError>,
) -> Result<T, AppError> {
    let mut attempt = 1;
    loop {
        // In line first (SQLite): the turn is handed to the writer that waited longest.
        let turn = match queue {
            Some((q, wait)) => match q.turn.try_lock_for(*wait) {
                Some(turn) => Some(turn),
                None => return Err(AppError::Busy("writers waited in line longer than the busy timeout".into())),
            },
            None => None,
        };
        // Each attempt is its own transaction, with its own time and its own jobs.
        let _at = At::clock(clock);
        let outer = SCHEDULED.with(|s| s.replace(false));
        let result = in_transaction(conn, f);
        if let Some(turn) = turn {
            parking_lot::MutexGuard::unlock_fair(turn);
        }
        let scheduled = SCHEDULED.with(|s| s.replace(outer));
        if scheduled && result.is_ok() {
            jobs.wake();
        }
        match result {
            Err(AppError::Busy(why)) if attempt < WRITE_ATTEMPTS => {
                tracing::info!(attempt, reason = %why, "database busy; trying the write again");
                // 10, 40, 90 ms: short enough to stay within a request, spread so that the
                // writers that collided do not collide again.
                std::thread::sleep(Duration::from_millis(10 * u64::from(attempt * attempt)));
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// One transaction around `f`: `BEGIN IMMEDIATE` on SQLite (the connection may write until it
/// ends), `BEGIN READ WRITE` on PostgreSQL; committed when `f` succeeds, rolled back when it
/// fails. Transactions `f` opens itself nest as savepoints.
fn in_transaction<T>(conn: &mut DbConn, f: &mut impl FnMut(&mut DbConn) -> Result<T, AppError>) -> Result<T, AppError> {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Manager = <DbConn as Connection>::TransactionManager;
    match conn {
        DbConn::Sqlite(c) => {
            c.batch_execute("PRAGMA query_only = 0")?;
            if let Err(e) = AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE") {
                c.batch_execute("PRAGMA query_only = 1")?;
                return Err(e.into());
            }
        }
        DbConn::Postgres(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN READ WRITE")?,
    }
    let result = match f(conn) {
        Ok(value) => Manager::commit_transaction(conn).map(|()| value).map_err(AppError::from),
        Err(error) => match Manager::rollback_transaction(conn) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(error),
            Err(rollback) => Err(rollback.into()),
        },
    };
    if let DbConn::Sqlite(c) = conn {
        c.batch_execute("PRAGMA query_only = 1")?;
    }
    result
}

/// Let a connection write outside a transaction of the write path, or make it read-only again.
fn set_writable(conn: &mut DbConn, writable: bool) -> diesel::QueryResult<()> {
    match conn {
        DbConn::Sqlite(c) => c.batch_execute(if writable { "PRAGMA query_only = 0" } else { "PRAGMA query_only = 1" }),
        DbConn::Postgres(c) => c.batch_execute(if writable { "SET default_transaction_read_only = off" } else { "SET default_transaction_read_only = on" }),
    }
}

fn replace_if_lost(url: &DbUrl, setup: ConnectionSetup, conn: &mut PooledConn) {
    if conn.batch_execute("SELECT 1").is_ok() {
        return;
    }
    let fresh = open(url).and_then(|mut c| setup.on_acquire(&mut c).map(|()| c));
    match fresh {
        Ok(c) => {
            tracing::warn!("the database closed a connection; replaced it");
            **conn = c;
        }
        Err(e) => tracing::warn!(error = %e, "the database closed a connection and a new one could not be opened"),
    }
}

/// Apply every pending migration.
pub fn run_migrations(conn: &mut DbConn) -> anyhow::Result<Vec<String>> {
    let applied = match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
        DbConn::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
    }
    .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
    Ok(applied.iter().map(|v| v.to_string()).collect())
}

/// Revert every applied migration (used by the migration test).
pub fn revert_all_migrations(conn: &mut DbConn) -> anyhow::Result<usize> {
    let reverted = match conn {
        DbConn::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS),
        DbConn::Postgres(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS),
    }
    .map_err(|e| anyhow::anyhow!("revert failed: {e}"))?;
    Ok(reverted.len())
}

/// Whether migrations are waiting to be applied. Reads the versions applied (Diesel's
/// `__diesel_schema_migrations`) and compares them with the embedded ones, without Diesel's
/// harness, which would first try to create its table: the server's connections are read-only.
pub fn has_pending_migrations(conn: &mut DbConn) -> anyhow::Result<bool> {
    use diesel::migration::MigrationSource;
    use diesel::sql_types::Text;
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Applied {
        #[diesel(sql_type = Text)]
        version: String,
    }
    let embedded: Vec<String> = match conn {
        DbConn::Sqlite(_) => MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .iter()
            .map(|m| m.name().version().to_string())
            .collect(),
        DbConn::Postgres(_) => MigrationSource::<diesel::pg::Pg>::migrations(&POSTGRES_MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .iter()
            .map(|m| m.name().version().to_string())
            .collect(),
    };
    // No table yet: nothing applied.
    let applied: Vec<Applied> = diesel::sql_query("SELECT version FROM __diesel_schema_migrations").load(conn).unwrap_or_default();
    let applied: std::collections::HashSet<String> = applied.into_iter().map(|a| a.version).collect();
    Ok(embedded.iter().any(|v| !applied.contains(v)))
}

/// The default SQLite file when no DATABASE_URL is given.
pub fn default_sqlite_path(data_dir: &Path) -> PathBuf {
    data_dir.join("portal.db")
}

/// Multi-row INSERT. Diesel's multi-backend connection cannot build batch inserts, so this
/// expands the same statement once per backend.
#[macro_export]
macro_rules! insert_batch {
    ($conn:expr, $table:expr, $values:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite(c) => diesel::insert_into($table).values($values).execute(c),
            $crate::db::DbConn::Postgres(c) => diesel::insert_into($table).values($values).execute(c),
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls_by_scheme() {
        assert_eq!(
            DbUrl::parse("sqlite://data/portal.db").ok(),
            Some(DbUrl::Sqlite(PathBuf::from("data/portal.db")))
        );
        assert!(matches!(DbUrl::parse("postgres://u@localhost/db"), Ok(DbUrl::Postgres(_))));
        assert!(matches!(DbUrl::parse("postgresql://u@localhost/db"), Ok(DbUrl::Postgres(_))));
        assert!(matches!(DbUrl::parse("sqlite:/data/x.db"), Err(DbUrlError::UnknownScheme(_))));
        assert!(matches!(DbUrl::parse("postgress://x"), Err(DbUrlError::UnknownScheme(_))));
        assert!(matches!(DbUrl::parse("data/portal.db"), Err(DbUrlError::UnknownScheme(_))));
        assert!(matches!(DbUrl::parse("sqlite://"), Err(DbUrlError::EmptySqlitePath)));
    }

    #[test]
    fn redacts_passwords() {
        let url = DbUrl::Postgres("postgres://app:s3cret@db:5432/portal".into());
        assert_eq!(url.redacted(), "postgres://app:***@db:5432/portal");
    }
}
