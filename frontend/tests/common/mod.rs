//! `TestApp`: the real portal (REST API, pages, middleware) on port 0 with a fresh database.
//! `TEST_DATABASE=sqlite` (default) uses a new SQLite file; `TEST_DATABASE=postgres` creates a
//! new database on `TEST_POSTGRES_URL` (default postgres://postgres@127.0.0.1:5432/postgres)
//! and drops it afterwards.
#![allow(dead_code)]
#![allow(clippy::unwrap_used)]

use backend::diesel::{self, Connection, PgConnection, RunQueryDsl};
use backend::{seeds, AppState, Db, Settings};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub enum TestDb {
    Sqlite(PathBuf),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    /// A fresh, empty database of the kind `TEST_DATABASE` selects.
    pub fn fresh() -> (TestDb, String) {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let tag = format!("{}_{}_{}", std::process::id(), n, chrono::Utc::now().timestamp_micros());
        match std::env::var("TEST_DATABASE").as_deref() {
            Ok("postgres") => {
                let admin_url = std::env::var("TEST_POSTGRES_URL")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
                let name = format!("uhd_test_{tag}");
                let mut admin = PgConnection::establish(&admin_url).expect("connect to PostgreSQL");
                diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).unwrap();
                let (base, _) = admin_url.rsplit_once('/').unwrap();
                let url = format!("{base}/{name}");
                (TestDb::Postgres { admin_url, name }, url)
            }
            Ok("sqlite") | Err(_) => {
                let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("db");
                std::fs::create_dir_all(&dir).unwrap();
                let path = dir.join(format!("test_{tag}.db"));
                let url = format!("sqlite://{}", path.display());
                (TestDb::Sqlite(path), url)
            }
            Ok(other) => panic!("TEST_DATABASE must be sqlite or postgres, not {other}"),
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, TestDb::Postgres { .. })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match self {
            TestDb::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            TestDb::Postgres { admin_url, name } => {
                if let Ok(mut admin) = PgConnection::establish(admin_url) {
                    let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut admin);
                }
            }
        }
    }
}

pub fn settings_for(url: &str) -> Settings {
    Settings { database_url: Some(url.to_string()), db_pool_size: 8, ..Settings::default() }
}

pub struct TestApp {
    pub address: String,
    pub db: Db,
    pub client: reqwest::Client,
    // Dropped last: the database outlives the server's use of it.
    pub test_db: TestDb,
}

impl TestApp {
    /// Start the portal with migrations applied and reference data seeded.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(extra: fn(&mut actix_web::web::ServiceConfig)) -> TestApp {
        backend::telemetry::init(false);
        let (test_db, url) = TestDb::fresh();
        let settings = settings_for(&url);
        let db = backend::open_database(&settings).expect("open and migrate the database");
        seeds::load_all(&mut db.pool().get().unwrap()).expect("seed reference data");
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let conf = leptos::config::get_configuration(None).unwrap();
        let state = AppState::new(settings, db.clone());
        // The server runs in its own thread and actix System, as it does in production, so a
        // test that blocks its own runtime (direct database work) never stalls the server.
        let server = frontend::server::build(state, conf.leptos_options, listener, extra).unwrap();
        std::thread::spawn(move || actix_rt::System::new().block_on(server));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        TestApp { address: format!("http://127.0.0.1:{port}"), db, client, test_db }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let res = self.get(path).await;
        let status = res.status().as_u16();
        (status, res.json().await.expect("JSON body"))
    }

    pub async fn get_html(&self, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
        let mut req = self.client.get(self.url(path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.send().await.expect("request");
        (res.status().as_u16(), res.text().await.expect("body"))
    }
}
