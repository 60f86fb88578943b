//! The portal end to end over HTTP, on SQLite or PostgreSQL (`TEST_DATABASE`).
#![allow(clippy::unwrap_used)]

use crate::common;

use backend::diesel::{self, ExpressionMethods, QueryDsl, RunQueryDsl};
use backend::db::schema::bases;
use common::TestApp;

#[tokio::test]
async fn healthz_answers_while_the_process_runs() {
    let app = TestApp::spawn().await;
    let (status, body) = app.get_json("/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn readyz_checks_the_database_and_migrations() {
    let app = TestApp::spawn().await;
    let (status, body) = app.get_json("/readyz").await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ready");
    let expected = if app.test_db.is_postgres() { "postgres" } else { "sqlite" };
    assert_eq!(body["database"], expected);

    // With the migrations reverted the portal is alive but not ready.
    app.db.maintenance(backend::db::revert_all_migrations).unwrap();
    let (status, body) = app.get_json("/readyz").await;
    assert_eq!(status, 503);
    assert_eq!(body["error"], "not_ready");
    let (status, _) = app.get_json("/healthz").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = TestApp::spawn().await;
    let res = app.get("/healthz").await;
    let id = res.headers().get("x-request-id").expect("x-request-id header");
    assert!(!id.to_str().unwrap().is_empty());
}

#[tokio::test]
async fn bases_api_lists_the_seeded_bases() {
    let app = TestApp::spawn().await;
    let (status, body) = app.get_json("/api/v1/bases").await;
    assert_eq!(status, 200);
    let codes: Vec<&str> = body.as_array().unwrap().iter().map(|b| b["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["jinqiao", "shibei", "huaguoshan"]);
    assert_eq!(body[0]["name"]["zh"], "浦东金桥超高清视频产业基地");
    assert_eq!(body[2]["city"]["en"], "Guangzhou");
}

#[tokio::test]
async fn programs_api_paginates_in_the_database() {
    let app = TestApp::spawn().await;
    let (status, body) = app.get_json("/api/v1/programs?per_page=2").await;
    assert_eq!(status, 200);
    assert_eq!(body["total"], 5);
    assert_eq!(body["items"].as_array().unwrap().len(), 2);
    assert_eq!(body["items"][0]["code"], "SH-2026-FIRST-SET");
    assert_eq!(body["items"][0]["budget_total"], 20_000_000_000i64);
    let (_, page3) = app.get_json("/api/v1/programs?per_page=2&page=3").await;
    assert_eq!(page3["items"].as_array().unwrap().len(), 1);
    assert_eq!(page3["items"][0]["code"], "GZ-2026-UHD-CONTENT");
}

#[tokio::test]
async fn bad_pagination_gets_field_errors_in_the_envelope() {
    let app = TestApp::spawn().await;
    let (status, body) = app.get_json("/api/v1/programs?per_page=0&page=-1").await;
    assert_eq!(status, 422);
    assert_eq!(body["error"], "validation_failed");
    assert_eq!(body["fields"]["per_page"][0]["code"], "out_of_range");
    assert_eq!(body["fields"]["page"][0]["code"], "out_of_range");

    let (status, body) = app.get_json("/api/v1/programs?page=abc").await;
    assert_eq!(status, 422);
    assert_eq!(body["error"], "validation_failed");
    assert!(body["fields"]["query"].is_array());
}

#[tokio::test]
async fn unknown_api_routes_get_the_error_envelope() {
    let app = TestApp::spawn().await;
    for path in ["/api/v1/nothing-here", "/api/v2/bases", "/api"] {
        let (status, body) = app.get_json(path).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(body["error"], "route_not_found", "{path}");
        assert!(body["message"].is_string());
        assert!(body["fields"].is_object());
    }
}

#[tokio::test]
async fn unknown_pages_get_the_404_page() {
    let app = TestApp::spawn().await;
    let (status, html) = app.get_html("/no/such/page", &[]).await;
    assert_eq!(status, 404);
    assert!(html.contains("页面不存在"), "{html}");
    let (status, html) = app.get_html("/no/such/page", &[("Accept-Language", "en-GB,en;q=0.9")]).await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"));
}

fn panicking_route(cfg: &mut actix_web::web::ServiceConfig) {
    async fn boom() -> actix_web::HttpResponse {
        panic!("secret detail that must not reach the client")
    }
    cfg.route("/api/v1/test-panic", actix_web::web::get().to(boom));
}

#[tokio::test]
async fn a_panic_is_answered_with_an_opaque_500() {
    let app = TestApp::spawn_with(panicking_route).await;
    let res = app.get("/api/v1/test-panic").await;
    assert_eq!(res.status().as_u16(), 500);
    assert!(res.headers().get("x-request-id").is_some());
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"], "internal_error");
    assert!(!body.to_string().contains("secret detail"));
    // The server keeps serving.
    let (status, _) = app.get_json("/healthz").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn openapi_document_describes_the_api() {
    let app = TestApp::spawn().await;
    let (status, doc) = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/api/v1/bases", "/api/v1/programs", "/healthz", "/readyz"] {
        assert!(doc["paths"][path]["get"].is_object(), "{path} missing");
    }
    assert!(doc["components"]["schemas"]["ErrorEnvelope"].is_object());
    let (status, html) = app.get_html("/api/v1/docs/", &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("swagger"), "docs page");
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_show_the_pool() {
    let app = TestApp::spawn().await;
    app.get("/api/v1/bases").await;
    app.get("/api/v1/programs?per_page=1").await;
    let (status, text) = app.get_html("/metrics", &[]).await;
    assert_eq!(status, 200);
    assert!(text.contains("uhd_http_requests_total{endpoint=\"/api/v1/bases\",method=\"GET\",status=\"200\"} 1"), "{text}");
    assert!(text.contains("uhd_http_requests_duration_seconds_bucket"));
    assert!(text.contains("uhd_db_pool_connections_in_use"));
}

#[tokio::test]
async fn home_page_is_server_rendered_in_chinese_by_default() {
    let app = TestApp::spawn().await;
    let (status, html) = app.get_html("/", &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("lang=\"zh-CN\""), "html lang");
    assert!(html.contains("浦东金桥超高清视频产业基地"));
    assert!(html.contains("静安市北超高清视频产业基地"));
    assert!(html.contains("花果山超高清视频产业特色小镇"));
    assert!(html.contains("超高清首台套装备专项"));
    assert!(html.contains("跳到主要内容"), "skip link");
}

#[tokio::test]
async fn english_comes_from_accept_language_or_the_cookie() {
    let app = TestApp::spawn().await;
    let (_, html) = app.get_html("/", &[("Accept-Language", "en-US,en;q=0.9,zh;q=0.5")]).await;
    assert!(html.contains("lang=\"en\""));
    assert!(html.contains("Jinqiao UHD Industry Base, Pudong"));
    assert!(html.contains("First-set UHD Equipment Subsidy"));
    // The cookie wins over the header.
    let (_, html) = app
        .get_html("/", &[("Accept-Language", "en-US"), ("Cookie", "i18n_pref_locale=zh-CN")])
        .await;
    assert!(html.contains("浦东金桥超高清视频产业基地"));
}

#[tokio::test]
async fn the_language_form_sets_the_cookie_without_javascript() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .post(app.url("/lang"))
        .header("Referer", format!("{}/", app.address))
        .form(&[("locale", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(res.headers()["location"], "/");
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("i18n_pref_locale=en"), "{cookie}");
    // A foreign referer never becomes the redirect target.
    let host = app.address.trim_start_matches("http://").to_string();
    for referer in [
        "https://evil.example/phish".to_string(),
        format!("http://{host}//evil.example/phish"),
        format!("http://{host}@evil.example/"),
    ] {
        let res = app
            .client
            .post(app.url("/lang"))
            .header("Referer", referer.as_str())
            .form(&[("locale", "zh-CN")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["location"], "/", "{referer}");
    }
}

#[tokio::test]
async fn home_page_data_comes_from_the_database() {
    let app = TestApp::spawn().await;
    app.db
        .write_blocking(|conn| Ok(diesel::update(bases::table.filter(bases::code.eq("shibei"))).set(bases::name_zh.eq("市北高新超高清基地（改名测试）")).execute(conn)?))
        .unwrap();
    let (_, html) = app.get_html("/", &[]).await;
    assert!(html.contains("市北高新超高清基地（改名测试）"));
    assert!(!html.contains("静安市北超高清视频产业基地"));
}

#[tokio::test]
async fn bases_show_their_admitted_tenant_counts() {
    use backend::db::schema::tenancies;
    let app = TestApp::spawn().await;
    app.db.maintenance(|conn| backend::demo::generate(conn, 400, 0, 3)).unwrap();
    let mut conn = app.db.pool().get().unwrap();
    let admitted: i64 = tenancies::table.filter(tenancies::status.eq(1)).count().get_result(&mut *conn).unwrap();
    let (status, body) = app.get_json("/api/v1/bases").await;
    assert_eq!(status, 200);
    let shown: i64 = body.as_array().unwrap().iter().map(|b| b["tenant_count"].as_i64().unwrap()).sum();
    assert!(admitted > 0);
    assert_eq!(shown, admitted);
}

/// PostgreSQL restarted or a DBA ended the portal's sessions: each dropped connection fails at
/// most the one request that finds it (503, "try again", never a 500), is thrown away, and the
/// portal carries on with new connections: no restart of the portal needed.
#[tokio::test]
async fn the_portal_carries_on_after_the_database_drops_its_connections() {
    let app = TestApp::spawn().await;
    let common::TestDb::Postgres { admin_url, name } = &app.test_db else {
        println!("SQLite has no server connections to drop: nothing to check");
        return;
    };
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/programs?per_page=1").await.status().as_u16(), 200);
    }
    let mut admin = <diesel::PgConnection as diesel::Connection>::establish(admin_url).unwrap();
    let ended = diesel::sql_query(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    ))
    .execute(&mut admin)
    .unwrap();
    assert!(ended >= 1, "the portal had open connections");
    let pool_size = app.db.pool().max_size() as usize;
    let mut statuses = Vec::new();
    for _ in 0..pool_size + 5 {
        let res = app.get("/api/v1/programs?per_page=1").await;
        let status = res.status().as_u16();
        let body: serde_json::Value = res.json().await.unwrap();
        if status != 200 {
            assert_eq!((status, body["error"].as_str()), (503, Some("service_unavailable")), "{body}");
        }
        statuses.push(status);
    }
    let failed = statuses.iter().filter(|s| **s != 200).count();
    assert!(failed <= pool_size, "{statuses:?}");
    assert!(statuses[pool_size..].iter().all(|s| *s == 200), "{statuses:?}");
}
