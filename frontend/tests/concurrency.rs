//! Concurrent requests against one server: page views, and writes released 50 at the same
//! instant (the write path: one change is made, the others are refused with a clear answer,
//! nothing is half-written, never a 500). Its own test binary, so that, as in production, the
//! process serves one portal: with several test servers in one process, a few concurrent SSR
//! requests were seen to stall (see the note on the skeleton issue).
#![allow(clippy::unwrap_used)]

#[path = "all/common/mod.rs"]
mod common;

use backend::diesel::{self, RunQueryDsl};
use common::{all_at_once, profile, TestApp, PASSWORD};
use serde_json::json;

#[tokio::test]
async fn applications_to_one_base_released_at_once_make_one_open_tenancy() {
    let app = TestApp::spawn().await;
    let company = app.register(311, "race@example.com", true).await;
    let jinqiao = app.id_of("bases", "jinqiao");
    let url = app.url(&format!("/api/v1/enterprises/{}/tenancies", company.enterprise_id));
    let application = json!({ "base_id": jinqiao, "segment": "capture-production", "floor_space_m2": 300, "staff_on_site": 12, "plan": "8K 转播车" });
    // Two tabs of one person and a second sign-in of the same person.
    let (tab, other) = (app.login("race@example.com", PASSWORD).await, app.login("race@example.com", PASSWORD).await);
    let requests = (0..AT_ONCE).map(|i| if i % 2 == 0 { &tab } else { &other }.post(&url).json(&application)).collect();
    let answers = all_at_once(requests).await;
    let created = answers.iter().filter(|(s, _)| *s == 201).count();
    assert_eq!(created, 1, "one application is made: {answers:?}");
    for (status, body) in answers.iter().filter(|(s, _)| *s != 201) {
        assert_eq!((*status, body["error"].as_str()), (409, Some("tenancy_open")), "{body}");
    }
    let open = format!("enterprise_id = {} AND base_id = {jinqiao} AND status IN (0, 1, 2)", company.enterprise_id);
    assert_eq!(app.count("tenancies", &open), 1);
    assert_eq!(app.count("tenancy_events", &format!("tenancy_id IN (SELECT id FROM tenancies WHERE {open})")), 1, "one history entry, for the one tenancy");
    assert_eq!(app.count("audit_events", "event = 'tenancy_applied'"), 1);
    chain_intact(&app);
}

/// Company `n` (`email`) applies to Jinqiao; two of Jinqiao's park managers sign in. The
/// tenancy as answered, and the managers' clients.
async fn applied_with_two_managers(app: &TestApp, n: u32, email: &str) -> (serde_json::Value, reqwest::Client, reqwest::Client) {
    let company = app.register(n, email, true).await;
    let applicant = app.login(email, PASSWORD).await;
    let jinqiao = app.id_of("bases", "jinqiao");
    let (status, t) = app
        .send(applicant.post(app.url(&format!("/api/v1/enterprises/{}/tenancies", company.enterprise_id))).json(&json!({ "base_id": jinqiao, "segment": "capture-production", "floor_space_m2": 100, "staff_on_site": 5, "plan": "8K 制作" })))
        .await;
    assert_eq!(status, 201, "{t}");
    app.create_user("pm-a@example.com", "park_manager", None, Some(jinqiao), None);
    app.create_user("pm-b@example.com", "park_manager", None, Some(jinqiao), None);
    (t, app.login("pm-a@example.com", PASSWORD).await, app.login("pm-b@example.com", PASSWORD).await)
}

/// How many requests each test releases at the same instant.
const AT_ONCE: usize = 50;

/// The audit log's hash chain verifies: no fork, no gap, however the writes interleaved.
fn chain_intact(app: &TestApp) {
    let mut conn = app.db.pool().get().unwrap();
    let v = backend::accounts::audit::verify(&mut conn).unwrap();
    assert!(matches!(v, backend::accounts::audit::Verification::Intact { .. }), "{v:?}");
}

#[tokio::test]
async fn two_park_managers_deciding_one_tenancy_at_once_make_one_decision() {
    let app = TestApp::spawn().await;
    let (t, a, b) = applied_with_two_managers(&app, 315, "decide@example.com").await;
    let url = app.url(&format!("/api/v1/tenancies/{}/decision", t["id"]));
    // Half admit, half reject: whichever comes first is the decision.
    let requests = (0..AT_ONCE)
        .map(|i| {
            let action = if i % 2 == 0 { "admit" } else { "reject" };
            if i % 2 == 0 { &a } else { &b }.post(&url).json(&json!({ "action": action, "note": "审核意见", "reason": "材料不全" }))
        })
        .collect();
    let answers = all_at_once(requests).await;
    assert_eq!(answers.iter().filter(|(s, _)| *s == 200).count(), 1, "one decision: {answers:?}");
    for (status, body) in answers.iter().filter(|(s, _)| *s != 200) {
        assert_eq!((*status, body["error"].as_str()), (409, Some("status_changed")), "{body}");
    }
    assert_eq!(app.count("tenancy_events", &format!("tenancy_id = {}", t["id"])), 2, "applied, then the one decision");
    assert_eq!(app.count("audit_events", "event = 'tenancy_decided'"), 1);
    chain_intact(&app);
}

#[tokio::test]
async fn documents_uploaded_at_once_are_all_kept() {
    let app = TestApp::spawn().await;
    let company = app.register(316, "uploads@example.com", true).await;
    let client = app.login("uploads@example.com", PASSWORD).await;
    let requests = (0..AT_ONCE)
        .map(|i| {
            let pdf = format!("%PDF-1.4\n% upload {i}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").into_bytes();
            client.post(app.url(&format!("/api/v1/enterprises/{}/documents?kind=other&file_name=doc{i}.pdf", company.enterprise_id))).body(pdf)
        })
        .collect();
    let answers = all_at_once(requests).await;
    for (status, body) in &answers {
        assert_eq!(*status, 201, "{body}");
    }
    let ids: std::collections::HashSet<i64> = answers.iter().map(|(_, b)| b["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), AT_ONCE, "each upload answers with its own document");
    assert_eq!(app.count("enterprise_documents", &format!("enterprise_id = {}", company.enterprise_id)), AT_ONCE as i64);
    assert_eq!(app.count("audit_events", "event = 'document_uploaded'"), AT_ONCE as i64);
    chain_intact(&app);
}

#[tokio::test]
async fn the_database_itself_refuses_a_second_open_tenancy_and_keeps_closed_ones() {
    let app = TestApp::spawn().await;
    let company = app.register(312, "index@example.com", true).await;
    let jinqiao = app.id_of("bases", "jinqiao");
    let insert = |status: i32| {
        format!(
            "INSERT INTO tenancies (enterprise_id, base_id, status, applied_at, created_at, updated_at) \
             VALUES ({}, {jinqiao}, {status}, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            company.enterprise_id
        )
    };
    // Written around the code's check, as a race between two requests would: the partial
    // unique index refuses the second open one (applied, admitted or suspended)...
    app.exec(&insert(1));
    for status in [0, 1, 2] {
        let sql = insert(status);
        let refused = app.db.write_blocking(|conn| Ok(diesel::sql_query(&sql).execute(conn)?));
        assert!(matches!(refused, Err(backend::AppError::Conflict { .. })), "status {status}: {refused:?}");
    }
    // ... while any number of rejected and moved-out ones stay as history.
    for status in [3, 4, 3, 4] {
        app.exec(&insert(status));
    }
    assert_eq!(app.count("tenancies", &format!("enterprise_id = {}", company.enterprise_id)), 5);
}

#[tokio::test]
async fn profile_saves_from_several_tabs_at_once_are_all_answered_and_one_wins() {
    let app = TestApp::spawn().await;
    let company = app.register(313, "tabs@example.com", true).await;
    let client = app.login("tabs@example.com", PASSWORD).await;
    let url = app.url(&format!("/api/v1/enterprises/{}/profile", company.enterprise_id));
    let names: Vec<String> = (0..AT_ONCE).map(|i| format!("上海并发超高清科技有限公司{i}")).collect();
    let answers = all_at_once(names.iter().map(|n| client.put(&url).json(&profile(n))).collect()).await;
    for (status, body) in &answers {
        assert_eq!(*status, 200, "every save is made in turn, none fails: {body}");
    }
    let (_, saved) = app.send(client.get(&url)).await;
    assert!(names.iter().any(|n| saved["name_zh"] == n.as_str()), "{saved}");
    let changes = app.count("enterprise_changes", &format!("enterprise_id = {}", company.enterprise_id));
    assert!((1..=AT_ONCE as i64).contains(&changes), "one history entry per save that changed something: {changes}");
    assert_eq!(app.count("audit_events", "event = 'profile_saved'"), AT_ONCE as i64);
    chain_intact(&app);
}

#[tokio::test]
async fn a_write_that_stays_busy_is_answered_503_with_retry_after_and_changes_nothing() {
    let app = TestApp::spawn_configured(|s| s.db_busy_timeout_ms = 50).await;
    let common::TestDb::Sqlite(path) = &app.test_db else {
        // PostgreSQL writers wait for row locks, not for the database; its busy answers
        // (serialization failures, deadlocks) are mapped the same way (see error.rs's tests).
        return;
    };
    let company = app.register(314, "busy@example.com", true).await;
    let client = app.login("busy@example.com", PASSWORD).await;
    let url = app.url(&format!("/api/v1/enterprises/{}/profile", company.enterprise_id));
    // Another process holds SQLite's write lock for longer than every attempt waits.
    use backend::diesel::{Connection, SqliteConnection};
    use backend::diesel::connection::SimpleConnection;
    let mut holder = SqliteConnection::establish(&path.to_string_lossy()).unwrap();
    holder.batch_execute("BEGIN IMMEDIATE").unwrap();
    let res = client.put(&url).json(&profile("被锁住的名称有限公司")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 503);
    assert_eq!(res.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("1"));
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"], "busy", "{body}");
    holder.batch_execute("ROLLBACK").unwrap();
    let (_, saved) = app.send(client.get(&url)).await;
    assert_ne!(saved["name_zh"], "被锁住的名称有限公司", "nothing was written");
    // Once the lock is free, the same request goes through.
    let (status, saved) = app.send(client.put(&url).json(&profile("被锁住的名称有限公司"))).await;
    assert_eq!((status, saved["name_zh"].as_str()), (200, Some("被锁住的名称有限公司")), "{saved}");
}

#[tokio::test]
async fn the_home_page_survives_concurrent_requests() {
    let app = TestApp::spawn().await;
    let mut tasks = Vec::new();
    for i in 0..200 {
        let client = app.client.clone();
        let url = app.url("/");
        let lang = if i % 2 == 0 { "en" } else { "zh-CN" };
        tasks.push(tokio::spawn(async move {
            let res = client.get(url).header("Accept-Language", lang).send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }));
    }
    for task in tasks {
        let (status, html) = task.await.unwrap();
        assert_eq!(status, 200);
        assert!(html.contains("<title>"), "a title on every page");
    }
}

#[tokio::test]
async fn a_report_filed_from_several_tabs_at_once_is_saved_once_with_no_error() {
    let app = TestApp::spawn().await;
    let company = app.register(315, "report-tabs@example.com", true).await;
    let client = app.login("report-tabs@example.com", PASSWORD).await;
    let due = shared::reports::Period::due(chrono::Utc::now().date_naive(), shared::reports::Cadence::Quarterly).to_string();
    let url = app.url(&format!("/api/v1/enterprises/{}/reports/{due}", company.enterprise_id));
    let report = |employees: i64| {
        json!({
            "revenue_by_segment": [{ "segment": "content-production", "revenue": 80_000_000 }],
            "revenue_total": 80_000_000, "rd_spend": 5_000_000, "employees": employees,
            "content_4k_minutes": 600, "content_8k_minutes": 30, "patents_granted": 1
        })
    };
    // The first filing of a period, from four tabs at once: on PostgreSQL all four find no
    // report and insert; the unique key lets one in and the others run again as updates.
    let answers = all_at_once((0..4).map(|i| client.put(&url).json(&report(50 + i))).collect()).await;
    for (status, body) in &answers {
        assert_eq!(*status, 200, "{body}");
    }
    assert_eq!(app.count("periodic_reports", &format!("enterprise_id = {} AND period = '{due}'", company.enterprise_id)), 1);
    assert_eq!(app.count("report_segment_revenue", &format!("report_id IN (SELECT id FROM periodic_reports WHERE enterprise_id = {})", company.enterprise_id)), 1);
    assert_eq!(app.count("audit_events", "event = 'report_filed'"), 4, "each save is on the record");
}

#[tokio::test]
async fn imports_and_a_manual_admission_at_once_each_happen_once() {
    let app = TestApp::spawn().await;
    let jinqiao = app.id_of("bases", "jinqiao");
    // A company that applied by itself, which the managers admit by hand, while the same
    // managers import a sheet listing two companies new to the portal.
    let (t, a, b) = applied_with_two_managers(&app, 331, "manual@example.com").await;
    let (c1, c2) = (common::credit_code(332), common::credit_code(333));
    let sheet = common::workbook(&[
        [&c1, "导入一号超高清公司", "王五", "上海市浦东新区", "浦东新区", "5000000", "2019-05-01", "40", "核心芯片", "已入驻", "2024-03-01"],
        [&c2, "导入二号超高清公司", "赵六", "上海市浦东新区", "浦东新区", "3000000", "2020-06-01", "25", "content-production", "已申请", ""],
    ]);
    let (decision, import) = (app.url(&format!("/api/v1/tenancies/{}/decision", t["id"])), app.url(&format!("/api/v1/bases/{jinqiao}/tenants/import")));
    let requests = (0..AT_ONCE)
        .map(|i| {
            let who = if i % 4 < 2 { &a } else { &b };
            if i % 2 == 0 { who.post(&decision).json(&json!({ "action": "admit", "note": "同意入驻" })) } else { who.post(&import).body(sheet.clone()) }
        })
        .collect();
    let answers = all_at_once(requests).await;
    let (decisions, imports): (Vec<_>, Vec<_>) = answers.into_iter().enumerate().partition(|(i, _)| i % 2 == 0);
    assert_eq!(decisions.iter().filter(|(_, (s, _))| *s == 200).count(), 1, "one admission: {decisions:?}");
    for (_, (status, body)) in decisions.iter().filter(|(_, (s, _))| *s != 200) {
        assert_eq!((*status, body["error"].as_str()), (409, Some("status_changed")), "{body}");
    }
    assert_eq!(imports.iter().filter(|(_, (s, _))| *s == 200).count(), 1, "one import: {imports:?}");
    for (_, (status, body)) in imports.iter().filter(|(_, (s, _))| *s != 200) {
        // The later imports waited for the first, then found both companies already tenants.
        assert_eq!((*status, body["error"].as_str()), (422, Some("import_rejected")), "{body}");
        let codes: Vec<&str> = body["rows"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["tenancy_open", "tenancy_open"], "{body}");
    }
    for code in [&c1, &c2] {
        assert_eq!(app.count("enterprises", &format!("credit_code = '{code}'")), 1);
        assert_eq!(app.count("tenancies", &format!("enterprise_credit_code = '{code}' AND status IN (0, 1, 2)")), 1);
    }
    assert_eq!(app.count("tenancy_events", &format!("tenancy_id = {}", t["id"])), 2, "applied, then the one admission");
    assert_eq!(app.count("audit_events", "event = 'tenancy_decided'"), 1);
    assert_eq!(app.count("audit_events", "event = 'tenants_imported'"), 1);
    chain_intact(&app);
}
