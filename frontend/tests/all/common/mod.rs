//! `TestApp`: the real portal (REST API, pages, middleware) on port 0 with a fresh database.
//! `TEST_DATABASE=sqlite` (default) uses a new SQLite file; `TEST_DATABASE=postgres` creates a
//! new database on `TEST_POSTGRES_URL` (default postgres://postgres@127.0.0.1:5432/postgres)
//! and drops it afterwards.
#![allow(dead_code)]
#![allow(clippy::unwrap_used)]

pub mod filing;

use backend::diesel::{self, Connection, PgConnection, RunQueryDsl};
use backend::jobs::{Kind, Kinds};
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

    /// The `DATABASE_URL` of this database (for the command line).
    pub fn url(&self) -> String {
        match self {
            TestDb::Sqlite(path) => format!("sqlite://{}", path.display()),
            TestDb::Postgres { admin_url, name } => format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0),
        }
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

/// A fresh directory for one test's files (mail written as .eml, uploads).
pub fn temp_dir(tag: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{tag}_{}_{}_{}", std::process::id(), n, chrono::Utc::now().timestamp_micros()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// One email as the portal sent it.
#[derive(Debug, Clone)]
pub struct SentMail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl SentMail {
    /// The first link in the body that contains `path`.
    pub fn link(&self, path: &str) -> String {
        self.body
            .split_whitespace()
            .find(|w| w.contains(path) && w.starts_with("http"))
            .unwrap_or_else(|| panic!("no link with {path} in {}", self.body))
            .to_string()
    }

    /// The `token` query parameter of the first link containing `path`.
    pub fn token(&self, path: &str) -> String {
        let link = self.link(path);
        link.split("token=").nth(1).unwrap().to_string()
    }
}

pub struct TestApp {
    pub address: String,
    pub data_dir: PathBuf,
    server: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
    pub db: Db,
    pub client: reqwest::Client,
    /// The server's state: its clock and what the job worker would use.
    pub state: AppState,
    // Dropped last: the database outlives the server's use of it.
    pub test_db: TestDb,
}

impl TestApp {
    /// Start the portal with migrations applied and reference data seeded.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(extra: fn(&mut actix_web::web::ServiceConfig)) -> TestApp {
        Self::spawn_custom(extra, |_| {}).await
    }

    /// Start with adjusted settings (limits, SMTP).
    pub async fn spawn_configured(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        Self::spawn_custom(|_| {}, adjust).await
    }

    pub async fn spawn_custom(extra: fn(&mut actix_web::web::ServiceConfig), adjust: impl FnOnce(&mut Settings)) -> TestApp {
        backend::telemetry::init(false);
        let (test_db, url) = TestDb::fresh();
        let mut settings = settings_for(&url);
        let data_dir = temp_dir("data");
        settings.data_dir = data_dir.clone();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        // As the server binary does in development: links point where it listens.
        settings.public_url = Some(format!("http://127.0.0.1:{port}"));
        // Tests register many companies from one address; the limit's own test sets it back.
        settings.account_rate_per_hour = 10_000;
        // Tests run due jobs themselves (`run_due_jobs`), after moving the clock if they must;
        // only mail is sent in the background, as a server would (started below).
        settings.run_jobs = false;
        adjust(&mut settings);
        let db = backend::open_database(&settings).expect("open and migrate the database");
        db.write_blocking(|conn| Ok(seeds::load_all(conn)?)).expect("seed reference data");
        let conf = leptos::config::get_configuration(None).unwrap();
        let state = AppState::new(settings, db.clone()).unwrap();
        backend::jobs::worker::start(state.clone(), Kinds::Only(&[Kind::Mail]));
        // The server runs in its own thread and actix System, as it does in production, so a
        // test that blocks its own runtime (direct database work) never stalls the server.
        let app_state = state.clone();
        let server = frontend::server::build(state, conf.leptos_options, listener, extra).unwrap();
        let handle = server.handle();
        let thread = std::thread::spawn(move || {
            let _ = actix_rt::System::new().block_on(server);
        });
        let address = format!("http://127.0.0.1:{port}");
        let client = client_for(&address);
        TestApp { address, data_dir, server: handle, thread: Some(thread), db, client, state: app_state, test_db }
    }

    /// A new browser-like client (own cookie jar) for another person.
    pub fn new_client(&self) -> reqwest::Client {
        client_for(&self.address)
    }

    /// Every email sent so far to `to` (oldest first), waiting up to 10 s for at least `min`.
    pub async fn mails_to(&self, to: &str, min: usize) -> Vec<SentMail> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let mails = self.read_mails(to);
            if mails.len() >= min || std::time::Instant::now() > deadline {
                return mails;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    /// Run every job due at the clock's now, as the job worker would; returns how many ran.
    /// Mail is not among them: the background worker sends it, as in a server.
    pub fn run_due_jobs(&self) -> usize {
        backend::jobs::run_due(&self.state, "test-worker", Kinds::AllBut(Kind::Mail)).expect("run due jobs")
    }

    /// Set the portal's clock to `at` (a test living on a given day), before anything runs.
    pub fn start_at(&self, at: chrono::DateTime<chrono::Utc>) {
        self.state.clock.start_at(at);
    }

    /// Move the portal's clock forward (to reach a deadline or a scheduled job).
    pub fn advance(&self, by: chrono::Duration) {
        self.state.clock.advance(by);
    }

    /// The first email to `to` whose subject contains `needle`, waiting up to ten seconds for it
    /// (the mail worker sends one message at a time, so a count of mails says nothing of which).
    pub async fn mail_about(&self, to: &str, needle: &str) -> SentMail {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let mails = self.read_mails(to);
            if let Some(mail) = mails.iter().find(|m| m.subject.contains(needle)) {
                return mail.clone();
            }
            assert!(std::time::Instant::now() < deadline, "no mail to {to} about {needle:?}; got {:?}", mails.iter().map(|m| &m.subject).collect::<Vec<_>>());
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    /// The newest email to `to`, waiting for the `n`th (1-based).
    pub async fn nth_mail(&self, to: &str, n: usize) -> SentMail {
        let mails = self.mails_to(to, n).await;
        assert!(mails.len() >= n, "expected {n} mails to {to}, got {}", mails.len());
        mails[n - 1].clone()
    }

    fn read_mails(&self, to: &str) -> Vec<SentMail> {
        let dir = self.data_dir.join("mail");
        let mut found: Vec<(i64, SentMail)> = Vec::new();
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("eml") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let parsed = mailparse::parse_mail(&bytes).unwrap();
            let header = |name: &str| {
                parsed.headers.iter().find(|h| h.get_key().eq_ignore_ascii_case(name)).map(|h| h.get_value()).unwrap_or_default()
            };
            let mail = SentMail { to: header("To"), subject: header("Subject"), body: parsed.get_body().unwrap() };
            if mail.to.contains(to) {
                // The portal names the outbox row in the Message-ID: the order it queued them
                // (file times can tie: the kernel stamps them at a few milliseconds' grain).
                let row: i64 = header("Message-ID")
                    .trim_start_matches("<outbox-")
                    .split('.')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(i64::MAX);
                found.push((row, mail));
            }
        }
        found.sort_by_key(|(row, _)| *row);
        found.into_iter().map(|(_, m)| m).collect()
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

/// A client like a browser on the portal's own pages: a cookie jar and the portal's Origin.
/// A request that gets no answer within a minute fails its test with the URL in the message
/// (instead of the suite hanging).
pub fn client_for(address: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, address.parse().unwrap());
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .user_agent("uhd-portal-tests")
        .timeout(std::time::Duration::from_secs(60))
        .default_headers(headers)
        .build()
        .unwrap()
}

/// A valid credit code for a Pudong company numbered `n`.
pub fn credit_code(n: u32) -> String {
    let body = format!("{:08}", n);
    let org = shared::credit_code::organization_check(&body).unwrap();
    let first17 = format!("91310115{body}{org}");
    let check = shared::credit_code::check_character(&first17).unwrap();
    format!("{first17}{check}")
}

pub const PASSWORD: &str = "Uhd-Portal-2026";

/// The authenticator key `create_user` enrols for staff accounts (base32, 160 bits).
pub const TEST_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// The TOTP code of `secret` for the time step `step` (30 s steps since the epoch).
pub fn totp_code(secret: &str, step: u64) -> String {
    let bytes = totp_rs::Secret::Encoded(secret.to_string()).to_bytes().unwrap();
    let totp = totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes, Some("UHD Portal".into()), "test".into()).unwrap();
    totp.generate(step * 30)
}

/// The current time step.
pub fn current_step() -> u64 {
    chrono::Utc::now().timestamp() as u64 / 30
}

/// A complete company profile named `name` (the body of `PUT /api/v1/enterprises/{id}/profile`).
pub fn profile(name: &str) -> serde_json::Value {
    serde_json::json!({
        "name_zh": name,
        "name_en": "Jinqiao UHD Technology Co., Ltd.",
        "legal_representative": "张伟",
        "address": "上海市浦东新区金桥路 1 号",
        "district": "浦东新区",
        "registered_capital": 1_000_000_000i64,
        "founded_on": "2015-03-01",
        "employees": 120,
        "segments": ["capture-production", "content-production"],
        "qualifications": [{ "kind": "high_tech", "certificate_no": "GR202331001234", "valid_from": "2023-12-01", "valid_until": "2026-11-30" }],
        "contacts": [{ "name": "李娜", "title": "总经理助理", "phone": "13800138000", "email": "lina@example.com" }]
    })
}

/// What `register` created.
pub struct Company {
    pub user_id: i64,
    pub enterprise_id: i64,
    pub email: String,
}

impl TestApp {
    pub async fn post_json(&self, client: &reqwest::Client, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        let res = client.post(self.url(path)).json(&body).send().await.expect("request");
        let status = res.status().as_u16();
        let text = res.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
    }

    /// `GET path` with `client`, as status and JSON.
    pub async fn get_json_with(&self, client: &reqwest::Client, path: &str) -> (u16, serde_json::Value) {
        self.send(client.get(self.url(path))).await
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> (u16, serde_json::Value) {
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        let text = res.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
    }

    /// Register company `n` with `email`; the email is confirmed when `verify`.
    pub async fn register(&self, n: u32, email: &str, verify: bool) -> Company {
        let client = self.new_client();
        let (status, body) = self
            .post_json(&client, "/api/v1/auth/register", serde_json::json!({
                "credit_code": credit_code(n),
                "company_name": format!("测试超高清企业{n}"),
                "contact_name": "张伟",
                "email": email,
                "phone": "13800138000",
                "password": PASSWORD,
            }))
            .await;
        assert_eq!(status, 201, "{body}");
        if verify {
            let mail = self.nth_mail(email, 1).await;
            let (status, body) = self.post_json(&client, "/api/v1/auth/verify-email", serde_json::json!({ "token": mail.token("/verify-email") })).await;
            assert_eq!(status, 200, "{body}");
        }
        Company { user_id: body["user_id"].as_i64().unwrap(), enterprise_id: body["enterprise_id"].as_i64().unwrap(), email: email.to_string() }
    }

    /// A signed-in client. A staff account made by `create_user` gives its second factor
    /// with a recovery code made for the purpose (the TOTP tests in `security.rs` use real
    /// codes; a code is accepted once, so repeated sign-ins within 30 s could not all use one).
    pub async fn login(&self, email: &str, password: &str) -> reqwest::Client {
        let client = self.new_client();
        let (status, body) = self.post_json(&client, "/api/v1/auth/login", serde_json::json!({ "email": email, "password": password })).await;
        assert_eq!(status, 200, "login {email}: {body}");
        match body["second_factor"].as_str() {
            None => {}
            Some("required") => {
                let code = self.recovery_code_for(body["id"].as_i64().unwrap());
                let (status, body) = self.post_json(&client, "/api/v1/auth/second-factor", serde_json::json!({ "recovery_code": code })).await;
                assert_eq!(status, 200, "second factor {email}: {body}");
            }
            Some("enrol") => {
                self.enrol(&client).await;
            }
            Some(other) => panic!("login {email}: second factor {other}"),
        }
        client
    }

    /// Enrol an authenticator on a signed-in (or enrol-pending) client, as the API describes:
    /// the key from `POST /api/v1/me/totp`, confirmed with its current code. Returns the key.
    pub async fn enrol(&self, client: &reqwest::Client) -> String {
        let (status, body) = self.post_json(client, "/api/v1/me/totp", serde_json::json!({})).await;
        assert_eq!(status, 200, "enrolment: {body}");
        let secret = body["secret"].as_str().unwrap().to_string();
        let (status, body) = self.post_json(client, "/api/v1/me/totp/confirm", serde_json::json!({ "code": totp_code(&secret, current_step()) })).await;
        assert_eq!(status, 200, "enrolment confirmed: {body}");
        secret
    }

    /// A fresh recovery code for a user (test setup; the real ones are shown once at enrolment).
    pub fn recovery_code_for(&self, user_id: i64) -> String {
        use backend::db::schema::recovery_codes;
        use backend::diesel::prelude::*;
        let code = format!("TEST{:06}", COUNTER.fetch_add(1, Ordering::SeqCst));
        self.db
            .write_blocking(|conn| {
                Ok(diesel::insert_into(recovery_codes::table)
                    .values((
                        recovery_codes::user_id.eq(user_id),
                        recovery_codes::code_hash.eq(backend::accounts::second_factor::recovery_digest(&code)),
                        recovery_codes::created_at.eq(chrono::Utc::now().naive_utc()),
                    ))
                    .execute(conn)?)
            })
            .unwrap();
        code
    }

    /// Create a person with one role directly (staff accounts for tests), return their id.
    pub fn create_user(&self, email: &str, role: &str, enterprise: Option<i64>, base: Option<i64>, agency: Option<i64>) -> i64 {
        use backend::accounts::admin_users::{grant, GrantRole};
        use backend::accounts::audit::RequestMeta;
        use backend::db::schema::users;
        use backend::diesel::prelude::*;
        let now = chrono::Utc::now().naive_utc();
        let hash = backend::accounts::password::hash(PASSWORD).unwrap();
        self.db
            .write_blocking(|conn| {
                let id: i64 = diesel::insert_into(users::table)
                    .values((
                        users::email.eq(email),
                        users::password_hash.eq(&hash),
                        users::display_name.eq(email),
                        users::locale.eq("zh-CN"),
                        users::email_verified_at.eq(now),
                        users::password_changed_at.eq(now),
                        users::created_at.eq(now),
                        users::updated_at.eq(now),
                    ))
                    .returning(users::id)
                    .get_result(conn)?;
                let body = GrantRole { role: role.into(), enterprise_id: enterprise, base_id: base, agency_id: agency };
                grant(conn, &RequestMeta::default(), None, id, &body)?;
                if shared::accounts::Role::parse(role).is_some_and(|r| r.is_staff()) {
                    // Staff sign in with two factors: enrolled with the known test key.
                    diesel::update(users::table.filter(users::id.eq(id)))
                        .set((users::totp_secret.eq(TEST_TOTP_SECRET), users::totp_enabled_at.eq(now)))
                        .execute(conn)?;
                }
                Ok(id)
            })
            .unwrap()
    }

    /// The id of a seeded row by code (`bases` or `agencies`).
    pub fn id_of(&self, table: &str, code: &str) -> i64 {
        use backend::diesel::prelude::*;
        use backend::diesel::sql_types::{BigInt, Text};
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = BigInt)]
            id: i64,
        }
        let mut conn = self.db.pool().get().unwrap();
        let sql = format!("SELECT id FROM {table} WHERE code = $1");
        let row: Row = diesel::sql_query(sql).bind::<Text, _>(code).get_result(&mut conn).unwrap();
        row.id
    }

    /// One integer from SQL (`SELECT ... AS n`).
    pub fn scalar(&self, sql: &str) -> i64 {
        use backend::diesel::prelude::*;
        use backend::diesel::sql_types::BigInt;
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let mut conn = self.db.pool().get().unwrap();
        let row: Row = diesel::sql_query(sql).get_result(&mut conn).unwrap();
        row.n
    }

    /// One text from SQL (`SELECT ... AS t`).
    pub fn text(&self, sql: &str) -> String {
        use backend::diesel::prelude::*;
        use backend::diesel::sql_types::Text;
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = Text)]
            t: String,
        }
        let mut conn = self.db.pool().get().unwrap();
        let row: Row = diesel::sql_query(sql).get_result(&mut conn).unwrap();
        row.t
    }

    /// Run SQL directly (test setup), through the write path, so what the portal keeps of
    /// earlier reads (the public page cache) sees the change as it would a user's.
    pub fn exec(&self, sql: &str) {
        use backend::diesel::prelude::*;
        self.db.write_blocking(|conn| Ok(diesel::sql_query(sql).execute(conn)?)).unwrap();
    }

    /// Count rows matching a WHERE clause.
    pub fn count(&self, table: &str, filter: &str) -> i64 {
        use backend::diesel::prelude::*;
        use backend::diesel::sql_types::BigInt;
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let mut conn = self.db.pool().get().unwrap();
        let row: Row = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table} WHERE {filter}")).get_result(&mut conn).unwrap();
        row.n
    }
}

impl TestApp {
    /// `send` without a `TestApp` borrow (for closures).
    pub async fn send_static(req: reqwest::RequestBuilder) -> (u16, serde_json::Value) {
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        let text = res.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
    }
}

/// Stop the server and the mail worker before the database goes away: nothing may still be
/// talking to a dropped database (or to the C libraries) while the test process exits.
impl Drop for TestApp {
    fn drop(&mut self) {
        // The stop command is sent when `stop` is called; the server's thread then finishes.
        drop(self.server.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.state.jobs.shutdown();
        // A job that came due and was never run is a test that forgot something (mail is the
        // background worker's, which may be in the middle of a message).
        if !std::thread::panicking() {
            let now = self.state.clock.now_naive();
            let due = self.db.pool().get().ok().and_then(|mut conn| backend::jobs::due_count(&mut conn, now, Kinds::AllBut(Kind::Mail)).ok()).unwrap_or(0);
            assert_eq!(due, 0, "the test ended with {due} due jobs nobody ran (TestApp::run_due_jobs)");
        }
    }
}

/// An .xlsx file like the template, with these data rows.
pub fn workbook(rows: &[[&str; 11]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in backend::registry::import::COLUMNS.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

/// Send every request at the same instant (each waits at one barrier), and collect the answers.
pub async fn all_at_once(requests: Vec<reqwest::RequestBuilder>) -> Vec<(u16, serde_json::Value)> {
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(requests.len()));
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|req| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                TestApp::send_static(req).await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}
