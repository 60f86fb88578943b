//! Scheduled jobs: report reminders scheduled for later run once the portal's clock reaches
//! them; a failing job is retried with back-off, ends failed with its last error, and a system
//! admin retries it; two server processes on one database run a job once; a job held by a
//! process that died runs again once its claim expires, and its effect is applied once.
#![allow(clippy::unwrap_used)]

use crate::common;

use backend::jobs::{self, Kind, Kinds, LEASE};
use chrono::Duration;
use common::{TestApp, PASSWORD};
use serde_json::json;

/// A company admitted to Jinqiao that has not filed the due period, its Jinqiao park manager
/// (signed in) and the period.
async fn tenant_and_manager(app: &TestApp, n: u32) -> (i64, reqwest::Client, String, i64) {
    let company = app.register(n, &format!("tenant{n}@example.com"), true).await;
    let jinqiao = app.id_of("bases", "jinqiao");
    app.exec(&format!(
        "INSERT INTO tenancies (enterprise_id, base_id, status, applied_at, created_at, updated_at) VALUES ({}, {jinqiao}, 1, '2026-01-05 00:00:00', '2026-01-05 00:00:00', '2026-01-05 00:00:00')",
        company.enterprise_id
    ));
    let pm = app.create_user(&format!("pm{n}@example.com"), "park_manager", None, Some(jinqiao), None);
    let client = app.login(&format!("pm{n}@example.com"), PASSWORD).await;
    let period = backend::registry::reports::due_period(&app.state).to_string();
    (jinqiao, client, period, pm)
}

/// The portal's now plus `by`, as Beijing local time the way a datetime field sends it.
fn beijing_in(app: &TestApp, by: Duration) -> String {
    (app.state.clock.now() + by + Duration::hours(8)).format("%Y-%m-%dT%H:%M").to_string()
}

#[actix_rt::test]
async fn scheduled_reminders_go_out_when_the_clock_reaches_them() {
    let app = TestApp::spawn().await;
    let (jinqiao, pm, period, _) = tenant_and_manager(&app, 401).await;
    let url = app.url(&format!("/api/v1/bases/{jinqiao}/reports/reminders/scheduled"));
    let at = beijing_in(&app, Duration::hours(2));
    let (status, job) = app.send(pm.post(&url).json(&json!({ "period": period, "run_at": at }))).await;
    assert_eq!((status, job["status"].as_str(), job["kind"].as_str()), (201, Some("pending"), Some("report_reminders")), "{job}");
    // The same run again, a time that has passed, one that is not a time; another base's manager.
    let (status, body) = app.send(pm.post(&url).json(&json!({ "period": period, "run_at": at }))).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("job_exists")));
    for (run_at, code) in [(beijing_in(&app, Duration::hours(-1)), "in_past"), ("tomorrow".to_string(), "invalid_date"), (String::new(), "required")] {
        let (status, body) = app.send(pm.post(&url).json(&json!({ "period": period, "run_at": run_at }))).await;
        assert_eq!((status, body["fields"]["run_at"][0]["code"].as_str()), (422, Some(code)), "{run_at}");
    }
    app.create_user("pm-shibei@example.com", "park_manager", None, Some(app.id_of("bases", "shibei")), None);
    let other = app.login("pm-shibei@example.com", PASSWORD).await;
    assert_eq!(app.send(other.post(&url).json(&json!({ "period": period, "run_at": beijing_in(&app, Duration::hours(3)) }))).await.0, 403);
    assert_eq!(app.send(other.get(&url)).await.0, 403);

    // Not yet: nothing runs, nobody is emailed.
    assert_eq!(app.run_due_jobs(), 0);
    assert_eq!(app.count("report_reminders", "1=1"), 0);
    // Two hours later (no sleeping: the clock moves), it runs once.
    app.advance(Duration::hours(2) + Duration::minutes(1));
    assert_eq!(app.run_due_jobs(), 1);
    assert_eq!(app.run_due_jobs(), 0);
    assert_eq!(app.count("report_reminders", "1=1"), 1);
    app.mail_about("tenant401@example.com", "请填报").await;
    let (_, runs) = app.send(pm.get(&url)).await;
    assert_eq!((runs[0]["status"].as_str(), runs[0]["attempts"].as_i64()), (Some("done"), Some(1)), "{runs}");
    assert_eq!(app.count("audit_events", "event = 'job_scheduled' AND object_type = 'job'"), 1);
    assert_eq!(app.count("audit_events", &format!("event = 'report_reminders_sent' AND object_type = 'base' AND object_id = {jinqiao}")), 1);
}

#[actix_rt::test]
async fn a_failing_job_backs_off_ends_failed_with_its_error_and_an_admin_retries_it() {
    let app = TestApp::spawn().await;
    let admin_id = app.create_user("admin@example.com", "system_admin", None, None, None);
    let period = backend::registry::reports::due_period(&app.state).to_string();
    // Reminders for a base that no longer exists: every attempt fails.
    let now = app.state.clock.now_naive();
    let id = app
        .db
        .write_blocking(|conn| jobs::schedule(conn, Kind::ReportReminders, &json!({ "base_id": 999_999, "period": period, "scheduled_by": admin_id }), now, None, Some(admin_id)))
        .unwrap();
    let job = |app: &TestApp| {
        let mut conn = app.db.pool().get().unwrap();
        jobs::view_of(&mut conn, id).unwrap()
    };
    assert_eq!(app.run_due_jobs(), 1);
    let j = job(&app);
    assert_eq!((j.status.as_str(), j.attempts), ("pending", 1));
    assert!(j.last_error.as_deref().unwrap().contains("not_found"), "{:?}", j.last_error);
    // Backing off: not again at once, again after 30 s, then after a minute, two, four.
    assert_eq!(app.run_due_jobs(), 0);
    for attempt in 1..jobs::MAX_ATTEMPTS {
        let wait = jobs::back_off(attempt - 1);
        app.advance(wait - Duration::seconds(5));
        assert_eq!(app.run_due_jobs(), 0, "attempt {} too early", attempt + 1);
        app.advance(Duration::seconds(6));
        assert_eq!(app.run_due_jobs(), 1, "attempt {}", attempt + 1);
    }
    let j = job(&app);
    assert_eq!((j.status.as_str(), j.attempts), ("failed", jobs::MAX_ATTEMPTS));
    app.advance(Duration::days(1));
    assert_eq!(app.run_due_jobs(), 0, "a failed job stays failed");

    // A day later (sessions end on the portal's clock too) the admin signs in again, sees it
    // with its last error, and retries it.
    let admin = app.login("admin@example.com", PASSWORD).await;
    let (status, page) = app.send(admin.get(app.url("/api/v1/admin/jobs?status=failed"))).await;
    assert_eq!((status, page["total"].as_i64()), (200, Some(1)), "{page}");
    assert!(page["items"][0]["last_error"].as_str().unwrap().contains("not_found"));
    let html = admin.get(app.url("/admin/jobs?status=failed")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("报送提醒") && html.contains("not_found") && html.contains(&format!("/forms/admin/jobs/{id}/retry")), "{html}");
    let (status, body) = app.send(admin.get(app.url("/api/v1/admin/jobs?status=stuck"))).await;
    assert_eq!((status, body["fields"]["status"][0]["code"].as_str()), (422, Some("not_allowed")));
    // The page's server function refuses it with the same envelope, field errors included.
    let (_, same) = app.send(admin.get(app.url("/_sfn/admin_jobs?status=stuck&page=1"))).await;
    assert_eq!(same, body, "a server function answers the REST API's envelope");
    let company = app.register(402, "nobody@example.com", true).await;
    let company = app.login(&company.email, PASSWORD).await;
    assert_eq!(app.send(company.get(app.url("/api/v1/admin/jobs"))).await.0, 403);
    assert_eq!(app.send(company.post(app.url(&format!("/api/v1/admin/jobs/{id}/retry")))).await.0, 403);
    // Through the page's form.
    let res = admin.post(app.url(&format!("/forms/admin/jobs/{id}/retry"))).send().await.unwrap();
    assert_eq!(res.headers()["location"], "/admin/jobs?status=pending&saved=1");
    let j = job(&app);
    assert_eq!((j.status.as_str(), j.attempts), ("pending", 0));
    let (status, body) = app.send(admin.post(app.url(&format!("/api/v1/admin/jobs/{id}/retry")))).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("job_not_failed")));
    assert_eq!(app.count("audit_events", &format!("event = 'job_retried' AND object_id = {id}")), 1);
    // It fails again (the base is still gone): run it to the end so nothing is left due.
    while app.run_due_jobs() > 0 || job(&app).status == "pending" {
        app.advance(Duration::hours(1));
    }
    assert_eq!(job(&app).status, "failed");
}

/// Schedule reminders for Jinqiao's due period, due now; returns the job's id.
fn reminders_due_now(app: &TestApp, period: &str, pm: i64) -> i64 {
    let now = app.state.clock.now_naive();
    let jinqiao = app.id_of("bases", "jinqiao");
    app.db
        .write_blocking(|conn| jobs::schedule(conn, Kind::ReportReminders, &json!({ "base_id": jinqiao, "period": period, "scheduled_by": pm }), now, None, Some(pm)))
        .unwrap()
}

#[actix_rt::test]
async fn two_server_processes_run_a_job_once() {
    let app = TestApp::spawn().await;
    let (_, _, period, pm) = tenant_and_manager(&app, 403).await;
    // A second process: its own pool and state on the same database.
    let mut settings = common::settings_for(&app.test_db.url());
    settings.run_jobs = false;
    settings.data_dir = common::temp_dir("second");
    let other = backend::AppState::new(settings.clone(), backend::open_database(&settings).unwrap()).unwrap();
    for round in 0..5 {
        reminders_due_now(&app, &period, pm);
        // Past the reminder interval, so each round reminds again.
        app.advance(Duration::hours(settings.reminder_interval_hours + 1));
        other.clock.advance(Duration::hours(settings.reminder_interval_hours + 1));
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let ran: Vec<usize> = [(app.state.clone(), "process-a"), (other.clone(), "process-b")]
            .into_iter()
            .map(|(state, worker)| {
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    jobs::run_due(&state, worker, Kinds::Only(&[Kind::ReportReminders])).unwrap()
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| t.join().unwrap())
            .collect();
        assert_eq!(ran.iter().sum::<usize>(), 1, "round {round}: {ran:?}");
        assert_eq!(app.count("report_reminders", "1=1"), round + 1, "round {round}: the reminder went out once");
        assert_eq!(app.count("jobs", "kind = 'report_reminders' AND status = 'done'"), round + 1);
    }
}

#[actix_rt::test]
async fn a_job_held_by_a_process_that_died_runs_again_once_its_claim_expires() {
    let app = TestApp::spawn().await;
    let (_, _, period, pm) = tenant_and_manager(&app, 404).await;
    let id = reminders_due_now(&app, &period, pm);
    // A process claims it, then dies before finishing (nothing of its work committed).
    let held = jobs::claim(&app.db, "dead-process", Kinds::AllBut(Kind::Mail)).unwrap().unwrap();
    assert_eq!(held.id, id);
    assert_eq!(app.run_due_jobs(), 0, "claimed, and the claim has not expired");
    app.advance(LEASE + Duration::seconds(1));
    assert_eq!(app.run_due_jobs(), 1, "the claim expired: another worker runs it");
    assert_eq!(app.count("report_reminders", "1=1"), 1);
    // Should the first process come back and finish, its effect does not land a second time.
    assert!(!jobs::execute(&app.state, "dead-process", &held).unwrap());
    assert_eq!(app.count("report_reminders", "1=1"), 1);
    let mut conn = app.db.pool().get().unwrap();
    let job = jobs::view_of(&mut conn, id).unwrap();
    assert_eq!((job.status.as_str(), job.attempts), ("done", 2));
}

#[actix_rt::test]
async fn a_mail_job_naming_no_message_is_done_not_retried() {
    let app = TestApp::spawn().await;
    let id = app.db.write_blocking(|conn| Ok(jobs::insert(conn, Kind::Mail, r#"{"outbox_id": 999999}"#, backend::db::now(), None, None)?)).unwrap();
    // The background worker (mail runs there in tests, woken by the commit) finishes it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let status = loop {
        let mut conn = app.db.pool().get().unwrap();
        let job = jobs::view_of(&mut conn, id).unwrap();
        if job.status != "pending" && job.status != "running" || std::time::Instant::now() > deadline {
            break job;
        }
        drop(conn);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!((status.status.as_str(), status.attempts, status.last_error), ("done", 1, None));
}
