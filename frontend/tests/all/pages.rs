//! What every page gives a person, checked on the server's HTML (the browser tests check the
//! same in Chromium): its own title, who is signed in, sign-in that returns to the page, 403
//! and 404 that say so, the footer and information pages, and the islands the browser loads.

use crate::common;

use common::{TestApp, PASSWORD};

fn title(html: &str) -> String {
    let start = html.find("<title>").expect("a <title>") + "<title>".len();
    html[start..].split("</title>").next().unwrap_or_default().to_string()
}

#[tokio::test]
async fn each_page_has_its_own_title() {
    let app = TestApp::spawn().await;
    let mut seen = std::collections::HashSet::new();
    for (path, expected) in [
        ("/", "超高清视频产业服务平台"),
        ("/login", "登录 - 超高清视频产业服务平台"),
        ("/register", "企业注册 - 超高清视频产业服务平台"),
        ("/password-reset", "找回密码 - 超高清视频产业服务平台"),
        ("/accessibility", "无障碍声明 - 超高清视频产业服务平台"),
        ("/privacy", "隐私政策 - 超高清视频产业服务平台"),
        ("/status", "服务状态 - 超高清视频产业服务平台"),
        ("/bases/jinqiao", "浦东金桥超高清视频产业基地 - 超高清视频产业服务平台"),
        ("/no-such-page", "页面不存在 - 超高清视频产业服务平台"),
    ] {
        let (_, html) = app.get_html(path, &[]).await;
        assert_eq!(title(&html), expected, "{path}");
        assert_eq!(html.matches("<title>").count(), 1, "{path}: one title");
        assert!(seen.insert(title(&html)), "{path}: a title no other page has");
    }
    let (_, html) = app.get_html("/login", &[("Accept-Language", "en")]).await;
    assert_eq!(title(&html), "Sign in - UHD Industry Portal");
}

#[tokio::test]
async fn the_header_says_who_is_signed_in() {
    let app = TestApp::spawn().await;
    let (_, html) = app.get_html("/", &[]).await;
    assert!(html.contains(r#"data-testid="visitor""#));
    assert!(html.contains(r#"href="/login""#) && html.contains(r#"href="/register""#));
    assert!(!html.contains(r#"data-testid="signed-in""#));

    let company = app.register(1, "header@example.com", false).await;
    let client = app.login(&company.email, PASSWORD).await;
    for path in ["/", "/dashboard", "/accessibility"] {
        let html = client.get(app.url(path)).send().await.unwrap().text().await.unwrap();
        assert!(html.contains(r#"data-testid="signed-in""#), "{path}");
        assert!(html.contains("张伟"), "{path}: the person's name");
        assert!(html.contains("测试超高清企业1"), "{path}: their company");
        assert!(html.contains(r#"action="/forms/logout""#), "{path}: a sign-out button");
        assert!(!html.contains(r#"data-testid="visitor""#), "{path}");
    }
    let pm = app.create_user("pm-header@example.gov.cn", "park_manager", None, Some(app.id_of("bases", "jinqiao")), None);
    assert!(pm > 0);
    let staff = app.login("pm-header@example.gov.cn", PASSWORD).await;
    let html = staff.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("园区管理员 · 浦东金桥超高清视频产业基地"), "the role and its base");

    // The person is looked up for each page: a changed name shows on the next one.
    let (status, _) = app.send(client.patch(app.url("/api/v1/me")).json(&serde_json::json!({ "display_name": "李娜" }))).await;
    assert_eq!(status, 200);
    let html = client.get(app.url("/dashboard")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("李娜") && !html.contains("张伟"), "the new name");

    // Staff who gave a password but not yet their second factor are not signed in to pages.
    let half = app.new_client();
    let (status, body) = app.post_json(&half, "/api/v1/auth/login", serde_json::json!({ "email": "pm-header@example.gov.cn", "password": PASSWORD })).await;
    assert_eq!((status, body["second_factor"].as_str()), (200, Some("required")), "{body}");
    let html = half.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(r#"data-testid="visitor""#) && !html.contains(r#"data-testid="signed-in""#));
    let res = half.get(app.url("/park/tenants")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 302);
    assert_eq!(res.headers()["location"], "/login?next=%2Fpark%2Ftenants");
}

#[tokio::test]
async fn a_signed_out_visitor_is_sent_to_sign_in_and_back() {
    let app = TestApp::spawn().await;
    let res = app.get("/company/7/reports?period=2026-Q3").await;
    assert_eq!(res.status().as_u16(), 302);
    assert_eq!(res.headers()["location"], "/login?next=%2Fcompany%2F7%2Freports%3Fperiod%3D2026-Q3");
    // The sign-in page carries the destination in its form ...
    let (_, html) = app.get_html("/login?next=%2Fdashboard%3Ftab%3D1", &[]).await;
    assert!(html.contains(r#"name="next" value="/dashboard?tab=1""#), "{html}");

    // ... and sign-in goes there, or to the second factor that then goes there.
    let company = app.register(2, "deep@example.com", false).await;
    let client = app.new_client();
    let res = client
        .post(app.url("/forms/login"))
        .form(&[("email", company.email.as_str()), ("password", PASSWORD), ("next", "/company/7/reports?period=2026-Q3")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(res.headers()["location"], "/company/7/reports?period=2026-Q3");
    // Never to another site.
    for next in ["//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/evil.example", "/\n/evil.example"] {
        let client = app.new_client();
        let res = client
            .post(app.url("/forms/login"))
            .form(&[("email", company.email.as_str()), ("password", PASSWORD), ("next", next)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["location"], "/dashboard", "{next}");
    }
    // A wrong password keeps the destination for the next try.
    let res = app
        .new_client()
        .post(app.url("/forms/login"))
        .form(&[("email", company.email.as_str()), ("password", "wrong"), ("next", "/dashboard")])
        .send()
        .await
        .unwrap();
    assert!(res.headers()["location"].to_str().unwrap().contains("next=%2Fdashboard"));

    // Staff: the second factor page passes it on.
    app.create_user("pm-deep@example.gov.cn", "park_manager", None, Some(app.id_of("bases", "jinqiao")), None);
    let res = app
        .new_client()
        .post(app.url("/forms/login"))
        .form(&[("email", "pm-deep@example.gov.cn"), ("password", PASSWORD), ("next", "/park/tenants?status=applied")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/login/second-factor?next=%2Fpark%2Ftenants%3Fstatus%3Dapplied");
}

#[tokio::test]
async fn a_head_request_answers_what_get_does_without_the_body() {
    let app = TestApp::spawn().await;
    let visitor = app.new_client();
    // Signed out, a page that needs sign-in sends there, as for GET.
    let res = visitor.head(app.url("/park/tenants?status=applied")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 302);
    assert_eq!(res.headers()["location"], "/login?next=%2Fpark%2Ftenants%3Fstatus%3Dapplied");
    assert_eq!(visitor.head(app.url("/no-such-page")).send().await.unwrap().status().as_u16(), 404);
    // A public page: its status and type, no body.
    let res = visitor.head(app.url("/accessibility")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"), "{:?}", res.headers());
    assert!(res.bytes().await.unwrap().is_empty());
    // Signed in: their own pages are there, another role's are refused.
    let company = app.register(1, "head@example.com", false).await;
    let client = app.login(&company.email, PASSWORD).await;
    assert_eq!(client.head(app.url("/dashboard")).send().await.unwrap().status().as_u16(), 200);
    assert_eq!(client.head(app.url("/admin/users")).send().await.unwrap().status().as_u16(), 403);
}

#[tokio::test]
async fn pages_a_role_may_not_see_answer_403_and_missing_ones_404() {
    let app = TestApp::spawn().await;
    let company = app.register(3, "nosy@example.com", false).await;
    let client = app.login(&company.email, PASSWORD).await;
    let refused = [
        "/park/tenants",
        "/park/reports",
        "/admin/users",
        "/admin/bases",
        "/admin/audit",
        "/admin/jobs",
        "/admin/claims",
        "/admin/calendar",
        "/admin/programs",
        "/review/dashboard",
        "/expert",
    ];
    for path in refused {
        let res = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 403, "{path}");
        let html = res.text().await.unwrap();
        assert!(html.contains("您没有执行此操作的权限。"), "{path}");
        assert_eq!(html.matches("<h1").count(), 1, "one h1 on {path}");
    }
    // A system admin holds no agency or expert role: the agency lead's dashboard and the
    // expert's assignments are not theirs to see either.
    app.create_user("admin-nosy@example.gov.cn", "system_admin", None, None, None);
    let admin = app.login("admin-nosy@example.gov.cn", PASSWORD).await;
    for path in ["/review/dashboard", "/expert"] {
        let res = admin.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 403, "{path}");
        assert!(res.text().await.unwrap().contains("您没有执行此操作的权限。"), "{path}");
    }
    // Another base's tenant list is refused to a park manager of one base.
    app.create_user("pm-nosy@example.gov.cn", "park_manager", None, Some(app.id_of("bases", "jinqiao")), None);
    let pm = app.login("pm-nosy@example.gov.cn", PASSWORD).await;
    let res = pm.get(app.url(&format!("/park/tenants?base={}", app.id_of("bases", "shibei")))).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 403);
    // The page's own heading stays the one h1; the refusal is a section under it.
    let html = res.text().await.unwrap();
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(html.contains(r#"<h2 id="forbidden-title">您没有执行此操作的权限。</h2>"#), "{html}");
    // Another company's profile does not exist for this person.
    let other = app.register(4, "other@example.com", false).await;
    let res = client.get(app.url(&format!("/company/{}/profile", other.enterprise_id))).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 404);
    assert_eq!(res.text().await.unwrap().matches("<h1").count(), 1);
    let res = client.get(app.url(&format!("/company/{}/profile", company.enterprise_id))).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
}

#[tokio::test]
async fn the_tenant_list_page_escapes_what_it_shows() {
    // The page's section is written in one synchronous pass into its element (`to_html`, then
    // `inner_html`): what a company or a filter carries is escaped there as anywhere else.
    let app = TestApp::spawn().await;
    let company = app.register(5, "escape@example.com", true).await;
    let jinqiao = app.id_of("bases", "jinqiao");
    app.exec(&format!(r#"UPDATE enterprises SET name_zh = '<img src=x onerror=alert(1)> A&B "X"' WHERE id = {}"#, company.enterprise_id));
    let admin = app.login(&company.email, PASSWORD).await;
    let apply = format!("/api/v1/enterprises/{}/tenancies", company.enterprise_id);
    let application = serde_json::json!({ "base_id": jinqiao, "segment": "capture-production", "floor_space_m2": 800, "staff_on_site": 40, "plan": "8K 摄像机研发" });
    assert_eq!(app.send(admin.post(app.url(&apply)).json(&application)).await.0, 201);
    app.create_user("pm-escape@example.gov.cn", "park_manager", None, Some(jinqiao), None);
    let pm = app.login("pm-escape@example.gov.cn", PASSWORD).await;

    let html = pm.get(app.url("/park/tenants")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(r#"data-testid="tenants" class="table table--stack"><caption class="visually-hidden">入驻企业</caption>"#), "{html}");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt; A&amp;B \"X\""), "the name as text: {html}");
    assert!(!html.contains("<img src=x"));
    assert!(html.contains(r#"<td data-label="产业链环节">"#), "cells keep their column label");

    let typed = r#""><script>alert(1)</script>"#;
    let html = pm.get(app.url("/park/tenants")).query(&[("q", typed)]).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(html.contains(r#"<input id="q" name="q" type="search" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">"#), "the search keeps what was typed, escaped: {html}");
    assert!(html.contains(r#"data-testid="tenants-empty""#));
}

#[tokio::test]
async fn the_footer_names_the_operator_and_links_the_information_pages() {
    let app = TestApp::spawn_configured(|s| {
        s.icp_filing = Some("沪ICP备20260001号".into());
        s.contact_email = "uhd@sheitc.example.gov.cn".into();
        s.contact_phone = Some("021 2311 1111".into());
    })
    .await;
    let (_, html) = app.get_html("/", &[]).await;
    assert!(html.contains("上海市经济和信息化委员会"));
    assert!(html.contains(r#"href="https://beian.miit.gov.cn/""#) && html.contains("沪ICP备20260001号"));
    assert!(html.contains(r#"href="mailto:uhd@sheitc.example.gov.cn""#));
    assert!(html.contains(r#"href="tel:02123111111""#));
    for link in ["/accessibility", "/privacy", "/status", "/api/v1/docs/"] {
        assert!(html.contains(&format!(r#"href="{link}""#)), "{link}");
    }
    // The status page is for people; /readyz stays the probe.
    let (status, html) = app.get_html("/status", &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("平台运行正常"));
    let (_, html) = app.get_html("/privacy", &[]).await;
    assert!(html.contains("个人信息保护法"));
    // Without a filing number configured, no filing line.
    let plain = TestApp::spawn().await;
    let (_, html) = plain.get_html("/", &[]).await;
    assert!(!html.contains("beian.miit.gov.cn"));
}

#[tokio::test]
async fn the_home_page_says_what_a_company_can_do_next() {
    let app = TestApp::spawn().await;
    let (_, html) = app.get_html("/", &[]).await;
    for text in ["注册企业账户", "申请入驻产业基地", "申报专项资金"] {
        assert!(html.contains(text), "{text}");
    }
    assert!(html.contains(r##"href="#bases""##) && html.contains(r##"href="#programs""##));
    let (_, html) = app.get_html("/bases/shibei", &[]).await;
    assert!(html.contains("如何申请入驻本基地"));
}

#[tokio::test]
async fn the_browser_loads_only_the_islands() {
    let app = TestApp::spawn().await;
    let (_, html) = app.get_html("/register", &[]).await;
    // The page is finished HTML; the interactive part is an island with its own wasm entry.
    assert!(html.contains("<leptos-island"), "islands on the page");
    assert!(html.contains("CreditCodeCheck"));
    assert!(html.contains("HydrationMark"));
    // Nothing of the page's data is serialized for the browser outside the islands.
    let (_, html) = app.get_html("/", &[]).await;
    assert!(!html.contains("__RESOLVED_RESOURCES["), "no resource data streamed into the home page");
    if let Some(i) = html.find("__RESOLVED_RESOURCES=[") {
        assert!(html[i..].starts_with("__RESOLVED_RESOURCES=[];"), "no resource data in the home page");
    }
}

#[tokio::test]
async fn demo_accounts_are_one_per_role_and_keep_production_away() {
    let app = TestApp::spawn().await;
    app.db.maintenance(|conn| backend::demo::generate(conn, 60, 0, 7)).unwrap();
    let mut conn = app.db.pool().get().unwrap();
    let accounts = app.db.write_blocking(backend::demo_accounts::create_or_refresh).unwrap();
    let whos: Vec<&str> = accounts.iter().map(|a| a.who.as_str()).collect();
    assert_eq!(accounts.len(), 9, "{whos:?}");
    assert!(whos.iter().any(|w| w.contains("records payments")), "{whos:?}");
    assert!(whos[0].starts_with("company admin"), "{whos:?}");
    assert_eq!(whos.iter().filter(|w| w.starts_with("park manager")).count(), 3);
    assert_eq!(backend::demo_accounts::count(&mut conn).unwrap(), 9);
    // Every one signs in with the password printed for it; a second run changes them all.
    let company = &accounts[0];
    app.login(&company.email, &company.password).await;
    let again = app.db.write_blocking(backend::demo_accounts::create_or_refresh).unwrap();
    assert_eq!(again.len(), 9);
    assert!(again.iter().zip(&accounts).all(|(a, b)| a.password != b.password && a.email == b.email));
    let (status, _) = app
        .post_json(&app.new_client(), "/api/v1/auth/login", serde_json::json!({ "email": company.email, "password": company.password }))
        .await;
    assert_eq!(status, 401, "the old password no longer works");
    app.login(&again[0].email, &again[0].password).await;
    // The demo company reads as verified.
    let verified = app.count("enterprises", "verification = 'verified'");
    assert_eq!(verified, 1);
    // Removing them leaves none; what they did stays in the audit log.
    assert_eq!(app.db.write_blocking(backend::demo_accounts::remove).unwrap(), 9);
    assert_eq!(backend::demo_accounts::count(&mut conn).unwrap(), 0);
    assert_eq!(app.count("audit_events", "event = 'demo_account_removed'"), 9);
}

#[tokio::test]
async fn a_new_api_token_is_shown_once_without_javascript() {
    let app = TestApp::spawn().await;
    let company = app.register(5, "token@example.com", false).await;
    let client = app.login(&company.email, PASSWORD).await;
    let res = client.post(app.url("/forms/tokens")).form(&[("name", "ERP"), ("scope", "read"), ("days", "30")]).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(res.headers()["location"], "/account#tokens");
    let set = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(set.starts_with("uhd_new_token=uhd_") && set.contains("HttpOnly") && set.contains("Path=/account"), "{set}");
    let secret = set.trim_start_matches("uhd_new_token=").split(';').next().unwrap().to_string();
    // The page shows it once and clears the cookie in the same answer ...
    let res = client.get(app.url("/account")).send().await.unwrap();
    let cleared = res.headers().get_all("set-cookie").iter().any(|v| v.to_str().unwrap().starts_with("uhd_new_token=;"));
    let html = res.text().await.unwrap();
    assert!(html.contains(&secret), "the secret on the page");
    assert!(cleared, "the cookie is cleared");
    // ... so the next view does not show it, and the token works.
    let html = client.get(app.url("/account")).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains(&secret));
    let res = app.new_client().get(app.url("/api/v1/me")).bearer_auth(&secret).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    // A bad number of days is refused next to the field, and nothing is issued.
    let res = client.post(app.url("/forms/tokens")).form(&[("name", "ERP"), ("scope", "read"), ("days", "abc")]).send().await.unwrap();
    assert!(res.headers()["location"].to_str().unwrap().contains("expires_in_days.out_of_range"));
    assert!(!res.headers().get_all("set-cookie").iter().any(|c| c.to_str().unwrap().starts_with("uhd_new_token=")), "no token issued");
}

#[tokio::test]
async fn large_sums_read_in_wan_or_yi_with_the_exact_figure() {
    let app = TestApp::spawn().await;
    // A program's budget left, as the home page shows it.
    app.exec("UPDATE programs SET budget_total_fen = 1234567800 WHERE id = (SELECT MIN(id) FROM programs)");
    app.exec("UPDATE programs SET budget_used_fen = 0 WHERE id = (SELECT MIN(id) FROM programs)");
    let (_, html) = app.get_html("/", &[]).await;
    assert!(html.contains("1234.57 万元"), "in 万元");
    assert!(html.contains("12,345,678.00"), "with the exact figure");
    assert!(html.contains("3 亿元"), "a seeded 300,000,000-yuan budget in 亿元");
    let (_, html) = app.get_html("/", &[("Accept-Language", "en")]).await;
    assert!(html.contains("12.35 million yuan"), "in English, millions");
}

/// The nonce of a page: the one in its policy header, which every inline script must carry.
fn nonce(res: &reqwest::Response) -> String {
    let policy = res.headers()["content-security-policy"].to_str().unwrap();
    policy.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a nonce in the policy").to_string()
}

#[tokio::test]
async fn public_pages_are_served_again_with_a_fresh_nonce_until_data_changes() {
    let app = TestApp::spawn().await;
    let mut nonces = std::collections::HashSet::new();
    let mut bodies = Vec::new();
    for _ in 0..3 {
        let res = app.client.get(app.url("/bases/jinqiao")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let n = nonce(&res);
        assert!(nonces.insert(n.clone()), "every answer has its own nonce");
        let html = res.text().await.unwrap();
        // Every inline script carries this answer's nonce, none an earlier one.
        assert!(html.contains(&format!("nonce=\"{n}\"")), "the scripts carry the header's nonce");
        assert_eq!(html.matches("nonce=\"").count(), html.matches(&format!("nonce=\"{n}\"")).count());
        assert!(!nonces.iter().any(|old| *old != n && html.contains(old.as_str())), "no earlier answer's nonce");
        bodies.push(html.replace(&n, "N"));
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "the same page apart from the nonce");

    // A change through the write path shows at once.
    let admin = app.create_user("cache-admin@example.gov.cn", "system_admin", None, None, None);
    assert!(admin > 0);
    app.exec("UPDATE bases SET description_zh = '缓存测试：新的简介。' WHERE code = 'jinqiao'");
    let (_, html) = app.get_html("/bases/jinqiao", &[]).await;
    assert!(html.contains("缓存测试：新的简介。"), "the page after the change");

    // Each language is its own page; a signed-in person never gets a visitor's page.
    let (_, en) = app.get_html("/", &[("Accept-Language", "en")]).await;
    let (_, zh) = app.get_html("/", &[("Accept-Language", "zh-CN")]).await;
    assert!(en.contains("lang=\"en\"") && zh.contains("lang=\"zh-CN\""));
    let company = app.register(7, "cache@example.com", false).await;
    let client = app.login(&company.email, PASSWORD).await;
    let html = client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(r#"data-testid="signed-in""#) && !html.contains(r#"data-testid="visitor""#));
}
