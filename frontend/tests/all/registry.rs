//! The enterprise registry over HTTP on the real server and database: the company profile and
//! its history, joining a base and the park manager's decisions, the tenant list, data scope.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{profile, TestApp, PASSWORD};
use serde_json::json;

#[actix_rt::test]
async fn the_company_keeps_its_profile_and_every_change_is_in_the_history() {
    let app = TestApp::spawn().await;
    let company = app.register(201, "profile@example.com", true).await;
    let admin = app.login("profile@example.com", PASSWORD).await;
    let path = format!("/api/v1/enterprises/{}/profile", company.enterprise_id);

    let (status, p) = app.send(admin.get(app.url(&path))).await;
    assert_eq!(status, 200, "{p}");
    assert_eq!((p["legal_representative"].is_null(), p["division_code"].as_str()), (true, Some("310115")));

    // Bad input: field errors (list items by index), nothing saved.
    let mut bad = profile("");
    bad["founded_on"] = json!("2099-01-01");
    bad["segments"] = json!([]);
    bad["contacts"][0]["email"] = json!("nope");
    let (status, body) = app.send(admin.put(app.url(&path)).json(&bad)).await;
    assert_eq!(status, 422);
    for field in ["name_zh", "founded_on", "segments", "contacts.0.email"] {
        assert!(body["fields"][field].is_array(), "{field}: {body}");
    }
    let mut unknown = profile("甲");
    unknown["segments"] = json!(["no-such-segment"]);
    let (status, body) = app.send(admin.put(app.url(&path)).json(&unknown)).await;
    assert_eq!((status, body["fields"]["segments"][0]["code"].as_str()), (422, Some("unknown_segment")));
    assert_eq!(app.count("enterprise_changes", "1=1"), 0);

    let (status, p) = app.send(admin.put(app.url(&path)).json(&profile("金桥超高清科技有限公司"))).await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["registered_capital"], 1_000_000_000i64);
    assert_eq!(p["segments"].as_array().unwrap().len(), 2);
    assert_eq!(p["qualifications"][0]["kind"], "high_tech");
    let mut changed = profile("金桥超高清科技有限公司");
    changed["employees"] = json!(150);
    app.send(admin.put(app.url(&path)).json(&changed)).await;
    // Saving the same again records nothing.
    app.send(admin.put(app.url(&path)).json(&changed)).await;

    let (status, history) = app.send(admin.get(app.url(&format!("{path}/history")))).await;
    assert_eq!(status, 200);
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[0]["fields"], json!([{ "field": "employees", "old": "120", "new": "150" }]));
    assert_eq!(history[0]["changed_by"], "张伟");

    // A member reads but does not edit.
    let member = app.create_user("member@example.com", "enterprise_member", Some(company.enterprise_id), None, None);
    let _ = member;
    let m = app.login("member@example.com", PASSWORD).await;
    assert_eq!(app.send(m.get(app.url(&path))).await.0, 200);
    assert_eq!(app.send(m.put(app.url(&path)).json(&changed)).await.0, 403);
}

#[actix_rt::test]
async fn a_company_joins_a_base_and_the_park_manager_decides_with_history() {
    let app = TestApp::spawn().await;
    let company = app.register(202, "join@example.com", true).await;
    let jinqiao = app.id_of("bases", "jinqiao");
    let shibei = app.id_of("bases", "shibei");
    app.create_user("pm-j@example.com", "park_manager", None, Some(jinqiao), None);
    app.create_user("pm-s@example.com", "park_manager", None, Some(shibei), None);
    let admin = app.login("join@example.com", PASSWORD).await;
    let pm_j = app.login("pm-j@example.com", PASSWORD).await;
    let pm_s = app.login("pm-s@example.com", PASSWORD).await;
    let apply = format!("/api/v1/enterprises/{}/tenancies", company.enterprise_id);

    let (status, body) = app.send(admin.post(app.url(&apply)).json(&json!({ "base_id": jinqiao, "segment": "", "floor_space_m2": 0, "staff_on_site": -1, "plan": "" }))).await;
    assert_eq!(status, 422);
    for field in ["segment", "floor_space_m2", "staff_on_site", "plan"] {
        assert!(body["fields"][field].is_array(), "{field}: {body}");
    }
    let application = json!({ "base_id": jinqiao, "segment": "capture-production", "floor_space_m2": 800, "staff_on_site": 40, "plan": "8K 摄像机研发与小批量生产" });
    let (status, t) = app.send(admin.post(app.url(&apply)).json(&application)).await;
    assert_eq!(status, 201, "{t}");
    assert_eq!((t["status"].as_str(), t["segment"]["code"].as_str()), (Some("applied"), Some("capture-production")));
    let tid = t["id"].as_i64().unwrap();
    // One open application per base.
    let (status, body) = app.send(admin.post(app.url(&apply)).json(&application)).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("tenancy_open")));

    // The Jinqiao manager sees the applicant; the Shibei manager neither the list nor the company.
    let (status, list) = app.send(pm_j.get(app.url(&format!("/api/v1/bases/{jinqiao}/tenants?status=applied")))).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["items"][0]["enterprise_id"].as_i64(), Some(company.enterprise_id));
    assert_eq!(list["items"][0]["segment"].as_str(), Some("capture-production"), "the segment applied under");
    assert_eq!(app.send(pm_s.get(app.url(&format!("/api/v1/bases/{jinqiao}/tenants")))).await.0, 403);
    assert_eq!(app.send(pm_s.get(app.url(&format!("/api/v1/enterprises/{}/profile", company.enterprise_id)))).await.0, 404);
    assert_eq!(app.send(pm_s.post(app.url(&format!("/api/v1/tenancies/{tid}/decision"))).json(&json!({ "action": "admit" }))).await.0, 404);
    // The Jinqiao manager reads the applicant's profile.
    assert_eq!(app.send(pm_j.get(app.url(&format!("/api/v1/enterprises/{}/profile", company.enterprise_id)))).await.0, 200);

    let decide = |client: &reqwest::Client, body: serde_json::Value| client.post(app.url(&format!("/api/v1/tenancies/{tid}/decision"))).json(&body);
    // A company cannot decide its own tenancy.
    assert_eq!(app.send(decide(&admin, json!({ "action": "admit" }))).await.0, 403);
    let (status, body) = app.send(decide(&pm_j, json!({ "action": "suspend", "reason": "x" }))).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("status_changed")));
    let (status, t) = app.send(decide(&pm_j, json!({ "action": "admit" }))).await;
    assert_eq!((status, t["status"].as_str()), (200, Some("admitted")));
    assert!(t["admitted_at"].is_string());
    // The company's administrator hears of it, with a link to the tenancies page.
    let mail = app.nth_mail("join@example.com", 2).await;
    assert!(mail.subject.contains("已入驻"), "{}", mail.subject);
    assert!(mail.body.contains("浦东金桥超高清视频产业基地"), "{}", mail.body);
    assert!(mail.link("/tenancies").ends_with(&format!("/company/{}/tenancies", company.enterprise_id)));
    // Two managers admitting at once: exactly one transition; the second is a conflict.
    assert_eq!(app.send(decide(&pm_j, json!({ "action": "admit" }))).await.0, 409);
    let (status, body) = app.send(decide(&pm_j, json!({ "action": "suspend" }))).await;
    assert_eq!((status, body["fields"]["reason"][0]["code"].as_str()), (422, Some("required")));
    assert_eq!(app.send(decide(&pm_j, json!({ "action": "suspend", "reason": "季度报表逾期未报" }))).await.0, 200);
    assert_eq!(app.send(decide(&pm_j, json!({ "action": "reinstate" }))).await.0, 200);
    let (_, t) = app.send(decide(&pm_j, json!({ "action": "move_out", "reason": "迁往市北基地" }))).await;
    assert_eq!(t["status"], "moved_out");

    // The company sees the whole history; it may join another base afterwards.
    let (_, tenancies) = app.send(admin.get(app.url(&apply))).await;
    let events: Vec<&str> = tenancies[0]["events"].as_array().unwrap().iter().map(|e| e["to_status"].as_str().unwrap()).collect();
    assert_eq!(events, ["applied", "admitted", "suspended", "admitted", "moved_out"]);
    assert_eq!(tenancies[0]["events"][2]["reason"], "季度报表逾期未报");
    let mut to_shibei = application.clone();
    to_shibei["base_id"] = json!(shibei);
    assert_eq!(app.send(admin.post(app.url(&apply)).json(&to_shibei)).await.0, 201);
    let (_, tenancies) = app.send(admin.get(app.url(&apply))).await;
    assert_eq!(tenancies.as_array().unwrap().len(), 2);
    // The Shibei manager now sees the company, but only the Shibei tenancy.
    let (status, seen) = app.send(pm_s.get(app.url(&apply))).await;
    assert_eq!(status, 200);
    assert_eq!(seen.as_array().unwrap().len(), 1);
    assert_eq!(seen[0]["base_id"].as_i64(), Some(shibei));
}

#[actix_rt::test]
async fn the_tenant_list_filters_sorts_and_paginates_in_the_database() {
    let app = TestApp::spawn().await;
    let jinqiao = app.id_of("bases", "jinqiao");
    app.create_user("pm@example.com", "park_manager", None, Some(jinqiao), None);
    let pm = app.login("pm@example.com", PASSWORD).await;
    let names = ["甲光电", "乙芯片", "丙影视", "丁终端"];
    let mut companies = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let email = format!("t{i}@example.com");
        let c = app.register(210 + i as u32, &email, true).await;
        let client = app.login(&email, PASSWORD).await;
        let mut p = profile(name);
        if i % 2 == 1 {
            p["qualifications"] = json!([]);
            p["segments"] = json!(["core-chips"]);
        }
        assert_eq!(app.send(client.put(app.url(&format!("/api/v1/enterprises/{}/profile", c.enterprise_id))).json(&p)).await.0, 200);
        let seg = if i % 2 == 1 { "core-chips" } else { "capture-production" };
        let (status, t) = app
            .send(client.post(app.url(&format!("/api/v1/enterprises/{}/tenancies", c.enterprise_id))).json(&json!({ "base_id": jinqiao, "segment": seg, "floor_space_m2": 100, "staff_on_site": 5, "plan": "计划" })))
            .await;
        assert_eq!(status, 201);
        if i < 3 {
            let tid = t["id"].as_i64().unwrap();
            assert_eq!(app.send(pm.post(app.url(&format!("/api/v1/tenancies/{tid}/decision"))).json(&json!({ "action": "admit" }))).await.0, 200);
        }
        companies.push((c, client, t["id"].as_i64().unwrap()));
    }
    let list = |query: &str| {
        let url = app.url(&format!("/api/v1/bases/{jinqiao}/tenants?{query}"));
        let (pm, query) = (pm.clone(), query.to_string());
        async move {
            let (status, body) = TestApp::send_static(pm.get(url)).await;
            assert_eq!(status, 200, "{query}: {body}");
            body
        }
    };
    let names_of = |body: &serde_json::Value| body["items"].as_array().unwrap().iter().map(|r| r["name_zh"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!(list("").await["total"], 4);
    assert_eq!(list("status=admitted").await["total"], 3);
    assert_eq!(names_of(&list("q=芯片").await), ["乙芯片"]);
    assert_eq!(list("segment=core-chips").await["total"], 2);
    assert_eq!(list("qualification=high_tech").await["total"], 2);
    assert_eq!(list("qualification=high_tech&status=admitted&segment=capture-production").await["total"], 2);
    let page1 = list("sort=-applied&per_page=3&page=1").await;
    let page2 = list("sort=-applied&per_page=3&page=2").await;
    assert_eq!((page1["items"].as_array().unwrap().len(), page2["items"].as_array().unwrap().len()), (3, 1));
    assert_eq!(names_of(&page1)[0], "丁终端");
    let code_prefix = common::credit_code(211)[..16].to_lowercase();
    assert_eq!(names_of(&list(&format!("q={code_prefix}")).await), ["乙芯片"]);
    // The list keeps its copy of the name in step when a tenant renames itself.
    let (c, client, tenancy) = &companies[3];
    assert_eq!(app.send(client.put(app.url(&format!("/api/v1/enterprises/{}/profile", c.enterprise_id))).json(&profile("戊终端"))).await.0, 200);
    assert_eq!(names_of(&list("q=终端").await), ["戊终端"]);
    assert_eq!(list("q=丁终端").await["total"], 0);
    assert_eq!(names_of(&list("sort=-applied&per_page=1").await), ["戊终端"]);
    // Totals follow a decision at once (they are cached between changes).
    assert_eq!(list("status=admitted").await["total"], 3);
    assert_eq!(app.send(pm.post(app.url(&format!("/api/v1/tenancies/{tenancy}/decision"))).json(&json!({ "action": "admit" }))).await.0, 200);
    assert_eq!(list("status=admitted").await["total"], 4);
    assert_eq!(list("status=applied").await["total"], 0);
    let (status, body) = app.send(pm.get(app.url(&format!("/api/v1/bases/{jinqiao}/tenants?sort=size&status=gone")))).await;
    assert_eq!(status, 422);
    assert!(body["fields"]["status"].is_array() || body["fields"]["sort"].is_array());
}

#[actix_rt::test]
async fn tenants_file_periodic_reports_and_the_park_manager_reminds_those_missing() {
    let app = TestApp::spawn().await;
    let jinqiao = app.id_of("bases", "jinqiao");
    app.create_user("pm@example.com", "park_manager", None, Some(jinqiao), None);
    let pm = app.login("pm@example.com", PASSWORD).await;
    let mut companies = Vec::new();
    for i in 0..2u32 {
        let email = format!("r{i}@example.com");
        let c = app.register(220 + i, &email, true).await;
        let client = app.login(&email, PASSWORD).await;
        let (_, t) = app
            .send(client.post(app.url(&format!("/api/v1/enterprises/{}/tenancies", c.enterprise_id))).json(&json!({ "base_id": jinqiao, "segment": "content-production", "floor_space_m2": 100, "staff_on_site": 5, "plan": "计划" })))
            .await;
        let tid = t["id"].as_i64().unwrap();
        assert_eq!(app.send(pm.post(app.url(&format!("/api/v1/tenancies/{tid}/decision"))).json(&json!({ "action": "admit" }))).await.0, 200);
        companies.push((c, client));
    }
    let due = shared::reports::Period::due(chrono::Utc::now().date_naive(), shared::reports::Cadence::Quarterly).to_string();
    let (c0, client0) = &companies[0];
    let path = format!("/api/v1/enterprises/{}/reports/{due}", c0.enterprise_id);
    let report = json!({
        "revenue_by_segment": [{ "segment": "content-production", "revenue": 80_000_000 }, { "segment": "capture-production", "revenue": 20_000_000 }],
        "revenue_total": 100_000_000, "rd_spend": 15_000_000, "employees": 60,
        "content_4k_minutes": 1200, "content_8k_minutes": 90, "patents_granted": 2
    });
    // Totals must add up; values are non-negative; the period must have ended.
    let mut wrong = report.clone();
    wrong["revenue_total"] = json!(99_999_999);
    wrong["patents_granted"] = json!(-1);
    let (status, body) = app.send(client0.put(app.url(&path)).json(&wrong)).await;
    assert_eq!(status, 422);
    assert_eq!(body["fields"]["revenue_total"][0]["code"], "total_mismatch");
    assert_eq!(body["fields"]["patents_granted"][0]["code"], "out_of_range");
    let future = shared::reports::Period::due(chrono::Utc::now().date_naive() + chrono::Duration::days(200), shared::reports::Cadence::Quarterly).to_string();
    let (status, body) = app.send(client0.put(app.url(&format!("/api/v1/enterprises/{}/reports/{future}", c0.enterprise_id))).json(&report)).await;
    assert_eq!((status, body["fields"]["period"][0]["code"].as_str()), (422, Some("period_not_ended")));
    assert_eq!(app.count("periodic_reports", "1=1"), 0);
    let (status, saved) = app.send(client0.put(app.url(&path)).json(&report)).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!((saved["period"].as_str(), saved["content_8k_minutes"].as_i64()), (Some(due.as_str()), Some(90)));
    // Another company's report cannot be filed.
    let (_, client1) = &companies[1];
    assert_eq!(app.send(client1.put(app.url(&path)).json(&report)).await.0, 403);

    // The manager sees who filed and who did not, and reminds the one missing.
    let (status, filing) = app.send(pm.get(app.url(&format!("/api/v1/bases/{jinqiao}/reports?period={due}&filed=false")))).await;
    assert_eq!(status, 200, "{filing}");
    assert_eq!(filing["total"], 1);
    assert_eq!(filing["items"][0]["enterprise_id"].as_i64(), Some(companies[1].0.enterprise_id));
    let (_, tenants) = app.send(pm.get(app.url(&format!("/api/v1/bases/{jinqiao}/tenants?report=filed")))).await;
    assert_eq!(tenants["total"], 1);
    // Two managers' presses released at the same instant send one set of emails.
    let url = app.url(&format!("/api/v1/bases/{jinqiao}/reports/reminders"));
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(2));
    let press = |client: reqwest::Client| {
        let (url, barrier, due) = (url.clone(), barrier.clone(), due.clone());
        async move {
            barrier.wait().await;
            let res = client.post(url).json(&json!({ "period": due })).send().await.unwrap();
            (res.status().as_u16(), res.json::<serde_json::Value>().await.unwrap())
        }
    };
    let ((s1, a), (s2, b)) = tokio::join!(press(pm.clone()), press(pm.clone()));
    assert_eq!((s1, s2), (200, 200), "{a} {b}");
    let mut counts = [a["companies"].as_i64().unwrap(), b["companies"].as_i64().unwrap()];
    counts.sort();
    assert_eq!(counts, [0, 1], "one run reminds the company, the other finds it reminded: {a} {b}");
    let sent = if a["companies"] == 1 { a } else { b };
    assert_eq!(sent["emails"], 1, "{sent}");
    // Pressed again within the interval: nobody is emailed twice, and the answer says so.
    let (status, again) = app.send(pm.post(app.url(&format!("/api/v1/bases/{jinqiao}/reports/reminders"))).json(&json!({ "period": due }))).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!((again["companies"].as_i64(), again["emails"].as_i64()), (Some(0), Some(0)));
    assert_eq!(again["skipped_recent"].as_array().unwrap().len(), 1, "{again}");
    assert_eq!(app.count("audit_events", "event = 'report_reminders_sent'"), 3);
    // Confirmation, admission, then the reminder.
    let mail = app.nth_mail("r1@example.com", 3).await;
    // The period in words ("2026年第三季度"), not its code.
    let due_words = match due.split_once("-Q") {
        Some((year, q)) => format!("{year}年第{}季度", ["一", "二", "三", "四"][q.parse::<usize>().unwrap() - 1]),
        None => format!("{due}年度"),
    };
    assert!(mail.subject.contains(&due_words), "{}", mail.subject);
    assert!(!mail.subject.contains(&due), "{}", mail.subject);
    assert!(mail.link("/company/").contains("/reports"));
    let r0 = app.mails_to("r0@example.com", 2).await;
    assert!(!r0.iter().any(|m| m.subject.contains(&due_words)), "the company that filed gets no reminder");
    // Another base's manager cannot see or remind.
    let shibei = app.id_of("bases", "shibei");
    app.create_user("pm-s@example.com", "park_manager", None, Some(shibei), None);
    let pm_s = app.login("pm-s@example.com", PASSWORD).await;
    assert_eq!(app.send(pm_s.get(app.url(&format!("/api/v1/bases/{jinqiao}/reports")))).await.0, 403);
    assert_eq!(app.send(pm_s.post(app.url(&format!("/api/v1/bases/{jinqiao}/reports/reminders"))).json(&json!({ "period": due }))).await.0, 403);
    // The dashboard counts the admitted tenants and adds up the filed reports per period.
    let (status, dash) = app.send(pm.get(app.url(&format!("/api/v1/bases/{jinqiao}/dashboard")))).await;
    assert_eq!(status, 200, "{dash}");
    assert_eq!(dash["admitted"], 2);
    let content = dash["by_segment"].as_array().unwrap().iter().find(|t| t["key"] == "content-production").unwrap();
    assert_eq!(content["value"], 2);
    let last = dash["periods"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["period"].as_str(), last["reports"].as_i64(), last["revenue"].as_i64()), (Some(due.as_str()), Some(1), Some(100_000_000)));
    assert_eq!((last["employees"].as_i64(), last["content_4k_minutes"].as_i64()), (Some(60), Some(1200)));
    assert_eq!(app.send(pm_s.get(app.url(&format!("/api/v1/bases/{jinqiao}/dashboard")))).await.0, 403);
    // The manager reads the tenant's reports.
    let (status, reports) = app.send(pm.get(app.url(&format!("/api/v1/enterprises/{}/reports", c0.enterprise_id)))).await;
    assert_eq!((status, reports.as_array().map(|a| a.len())), (200, Some(1)));
}

#[actix_rt::test]
async fn the_filtered_tenant_list_exports_to_excel_and_csv() {
    use calamine::{Reader, Xlsx};
    let app = TestApp::spawn().await;
    let jinqiao = app.id_of("bases", "jinqiao");
    app.create_user("pm@example.com", "park_manager", None, Some(jinqiao), None);
    let pm = app.login("pm@example.com", PASSWORD).await;
    for (i, name) in ["导出甲公司", "导出乙公司"].iter().enumerate() {
        let email = format!("x{i}@example.com");
        let c = app.register(230 + i as u32, &email, true).await;
        let client = app.login(&email, PASSWORD).await;
        assert_eq!(app.send(client.put(app.url(&format!("/api/v1/enterprises/{}/profile", c.enterprise_id))).json(&profile(name))).await.0, 200);
        let (_, t) = app
            .send(client.post(app.url(&format!("/api/v1/enterprises/{}/tenancies", c.enterprise_id))).json(&json!({ "base_id": jinqiao, "segment": "core-chips", "floor_space_m2": 100, "staff_on_site": 5, "plan": "计划" })))
            .await;
        if i == 0 {
            let tid = t["id"].as_i64().unwrap();
            app.send(pm.post(app.url(&format!("/api/v1/tenancies/{tid}/decision"))).json(&json!({ "action": "admit" }))).await;
        }
    }
    let res = pm.get(app.url(&format!("/api/v1/bases/{jinqiao}/tenants/export?format=xlsx&status=admitted"))).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains(".xlsx"));
    let bytes = res.bytes().await.unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range("入驻企业").unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows[0][0], "企业名称");
    assert_eq!(rows[0][1], "统一社会信用代码");
    assert_eq!(rows.len(), 2, "header + the one admitted tenant: {rows:?}");
    assert_eq!((rows[1][0].as_str(), rows[1][2].as_str(), rows[1][6].as_str()), ("导出甲公司", "已入驻", "张伟"));
    assert_eq!(rows[1][3], "核心芯片", "the segment by name, not its code");
    assert!(rows[1][10].contains("高新技术企业"));
    // Dates are dates and amounts numbers, so Excel sorts and sums them.
    assert!(matches!(sheet.get((1, 4)), Some(calamine::Data::DateTime(_))), "applied on: {:?}", sheet.get((1, 4)));
    assert!(matches!(sheet.get((1, 5)), Some(calamine::Data::DateTime(_))), "admitted on: {:?}", sheet.get((1, 5)));
    assert_eq!(sheet.get((1, 8)), Some(&calamine::Data::Float(10_000_000.0)), "registered capital in yuan");
    assert_eq!(sheet.get((1, 9)), Some(&calamine::Data::Float(120.0)), "employees");
    // In English for a reader whose account is in English.
    app.exec("UPDATE users SET locale = 'en' WHERE email = 'pm@example.com'");
    let res = pm.get(app.url(&format!("/api/v1/bases/{jinqiao}/tenants/export?format=xlsx&status=admitted"))).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let bytes = res.bytes().await.unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range("Tenants").unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!((rows[0][0].as_str(), rows[1][2].as_str(), rows[1][3].as_str()), ("Company name", "admitted", "Core chips"));
    assert!(rows[1][10].starts_with("High-tech enterprise (until 2026-11-30)"), "{}", rows[1][10]);
    app.exec("UPDATE users SET locale = 'zh-CN' WHERE email = 'pm@example.com'");

    let res = pm.get(app.url(&format!("/api/v1/bases/{jinqiao}/tenants/export?format=csv"))).send().await.unwrap();
    let text = res.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'), "BOM for Excel");
    assert!(text.contains("企业名称,统一社会信用代码") && text.contains("导出乙公司") && text.contains("已申请") && text.contains("核心芯片"));
    assert!(text.contains(",10000000.00,120,"), "capital and employees as plain numbers: {text}");
    let (status, body) = app.send(pm.get(app.url(&format!("/api/v1/bases/{jinqiao}/tenants/export?format=pdf")))).await;
    assert_eq!((status, body["fields"]["format"][0]["code"].as_str()), (422, Some("not_allowed")));
    // Another base's manager gets nothing.
    let shibei = app.id_of("bases", "shibei");
    app.create_user("pm-s@example.com", "park_manager", None, Some(shibei), None);
    let pm_s = app.login("pm-s@example.com", PASSWORD).await;
    assert_eq!(app.send(pm_s.get(app.url(&format!("/api/v1/bases/{jinqiao}/tenants/export")))).await.0, 403);
}

#[actix_rt::test]
async fn admins_add_and_edit_bases_and_anyone_reads_a_bases_public_page() {
    let app = TestApp::spawn().await;
    app.create_user("admin@example.com", "system_admin", None, None, None);
    let admin = app.login("admin@example.com", PASSWORD).await;
    let base = json!({
        "code": "zhangjiang", "name_zh": "张江超高清视频产业基地", "name_en": "Zhangjiang UHD Video Industry Base",
        "city_zh": "上海", "city_en": "Shanghai", "district_zh": "浦东新区", "district_en": "Pudong",
        "division_code": "310115", "description_zh": "芯片与编解码。", "description_en": "Chips and codecs."
    });
    let mut bad = base.clone();
    bad["code"] = json!("Zhang Jiang");
    bad["division_code"] = json!("31");
    let (status, body) = app.send(admin.post(app.url("/api/v1/bases")).json(&bad)).await;
    assert_eq!(status, 422);
    assert!(body["fields"]["code"].is_array() && body["fields"]["division_code"].is_array(), "{body}");
    let (status, created) = app.send(admin.post(app.url("/api/v1/bases")).json(&base)).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(app.send(admin.post(app.url("/api/v1/bases")).json(&base)).await.0, 409);
    let mut renamed = base.clone();
    renamed["name_zh"] = json!("张江科学城超高清基地");
    assert_eq!(app.send(admin.put(app.url(&format!("/api/v1/bases/{id}"))).json(&renamed)).await.0, 200);
    let (_, bases) = app.get_json("/api/v1/bases").await;
    assert!(bases.as_array().unwrap().iter().any(|b| b["name"]["zh"] == "张江科学城超高清基地"));
    // Park managers and companies cannot edit bases.
    app.create_user("pm@example.com", "park_manager", None, Some(id), None);
    let pm = app.login("pm@example.com", PASSWORD).await;
    assert_eq!(app.send(pm.put(app.url(&format!("/api/v1/bases/{id}"))).json(&renamed)).await.0, 403);

    // A tenant admitted to the new base shows on its public page: name and segment only.
    let c = app.register(240, "public@example.com", true).await;
    let client = app.login("public@example.com", PASSWORD).await;
    let (_, t) = app
        .send(client.post(app.url(&format!("/api/v1/enterprises/{}/tenancies", c.enterprise_id))).json(&json!({ "base_id": id, "segment": "core-chips", "floor_space_m2": 100, "staff_on_site": 5, "plan": "计划" })))
        .await;
    let tid = t["id"].as_i64().unwrap();
    app.send(pm.post(app.url(&format!("/api/v1/tenancies/{tid}/decision"))).json(&json!({ "action": "admit" }))).await;
    let (status, page) = app.get_json("/api/v1/bases/zhangjiang/public").await;
    assert_eq!(status, 200);
    assert_eq!(page["base"]["name"]["zh"], "张江科学城超高清基地");
    assert_eq!(page["tenants"]["total"], 1);
    assert_eq!(page["tenants"]["items"][0], json!({ "name": "测试超高清企业240", "segment": { "zh": "核心芯片", "en": "Core chips" } }));
    assert_eq!(page["by_segment"][0]["key"], "core-chips");
    assert!(!page.to_string().contains(&common::credit_code(240)), "no credit codes on the public page");
    assert_eq!(app.get_json("/api/v1/bases/nowhere/public").await.0, 404);
}

#[actix_rt::test]
async fn tenant_import_is_all_or_nothing_with_a_row_by_row_report() {
    let app = TestApp::spawn().await;
    let jinqiao = app.id_of("bases", "jinqiao");
    app.create_user("pm@example.com", "park_manager", None, Some(jinqiao), None);
    let pm = app.login("pm@example.com", PASSWORD).await;
    let existing = app.register(250, "existing@example.com", true).await;
    let url = app.url(&format!("/api/v1/bases/{jinqiao}/tenants/import"));
    let (c1, c2, c3) = (common::credit_code(251), common::credit_code(250), common::credit_code(252));
    let before = app.count("enterprises", "1=1");

    // One broken row (a mistyped credit code) and one unknown segment: nothing is imported.
    let mut typo = c3.clone();
    typo.replace_range(17..18, if c3.ends_with('0') { "1" } else { "0" });
    let broken = common::workbook(&[
        [&c1, "导入新公司", "王五", "上海市浦东新区", "浦东新区", "5000000", "2019-05-01", "40", "核心芯片", "已入驻", "2024-03-01"],
        [&typo, "错号公司", "", "", "", "", "", "", "core-chips", "", ""],
        [&c2, "已注册公司", "", "", "", "", "", "", "不存在的环节", "已申请", ""],
    ]);
    let (status, body) = app.send(pm.post(&url).body(broken)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"], "import_rejected");
    let rows: Vec<(i64, String)> = body["rows"].as_array().unwrap().iter().map(|r| (r["row"].as_i64().unwrap(), r["column"].as_str().unwrap().to_string())).collect();
    assert_eq!(rows, [(3, "统一社会信用代码".to_string()), (4, "产业链环节".to_string())]);
    assert_eq!(app.count("enterprises", "1=1"), before, "all or nothing");
    assert_eq!(app.count("tenancies", "1=1"), 0);
    let report = body["report_id"].as_i64().unwrap();
    let res = pm.get(app.url(&format!("/api/v1/imports/{report}/report.csv"))).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let csv = res.text().await.unwrap();
    assert!(csv.contains("行号,列,问题代码,说明") && csv.contains("3,统一社会信用代码,credit_code_check"), "{csv}");
    // The report is its author's.
    let other = app.login("existing@example.com", PASSWORD).await;
    assert_eq!(app.send(other.get(app.url(&format!("/api/v1/imports/{report}/report.csv")))).await.0, 404);

    // Fixed: both rows go in; the new company is created and admitted, the registered one (it
    // has its own account) is invited, not made a tenant: it decides for itself.
    let good = common::workbook(&[
        [&c1, "导入新公司", "王五", "上海市浦东新区", "浦东新区", "5,000,000", "2019-05-01", "40", "核心芯片", "已入驻", "2024-03-01"],
        [&c2, "已注册公司", "", "", "", "", "", "", "content-production", "已申请", ""],
    ]);
    let (status, body) = app.send(pm.post(&url).body(good.clone())).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["imported"].as_i64(), body["new_companies"].as_i64(), body["invited"].as_i64()), (Some(1), Some(1), Some(1)));
    let (_, list) = app.send(pm.get(app.url(&format!("/api/v1/bases/{jinqiao}/tenants?status=admitted")))).await;
    assert_eq!(list["items"][0]["name_zh"], "导入新公司");
    let (_, tenancies) = app.send(other.get(app.url(&format!("/api/v1/enterprises/{}/tenancies", existing.enterprise_id)))).await;
    assert_eq!(tenancies.as_array().map(|t| t.len()), Some(0), "{tenancies}");
    let (_, invitations) = app.send(other.get(app.url(&format!("/api/v1/enterprises/{}/tenancy-invitations", existing.enterprise_id)))).await;
    assert_eq!(invitations.as_array().map(|t| t.len()), Some(1), "{invitations}");
    // Importing the same file again is refused row by row (open tenancy, open invitation).
    let (status, body) = app.send(pm.post(&url).body(good)).await;
    assert_eq!((status, body["rows"].as_array().map(|r| r.len())), (422, Some(2)));

    // Not a spreadsheet: a clear error; another base's manager: refused.
    let (status, body) = app.send(pm.post(&url).body(b"%PDF-1.7 not a workbook".to_vec())).await;
    assert_eq!((status, body["fields"]["file"][0]["code"].as_str()), (422, Some("unreadable_file")));
    let shibei = app.id_of("bases", "shibei");
    app.create_user("pm-s@example.com", "park_manager", None, Some(shibei), None);
    let pm_s = app.login("pm-s@example.com", PASSWORD).await;
    assert_eq!(app.send(pm_s.post(&url).body(common::workbook(&[]))).await.0, 403);
    // The template downloads and imports as its own header.
    let res = pm.get(app.url("/api/v1/tenant-import-template.xlsx")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let bytes = res.bytes().await.unwrap().to_vec();
    assert_eq!(backend::registry::import::read_xlsx(&bytes).unwrap()[0][1], "示例超高清科技有限公司");
}

#[actix_rt::test]
async fn the_import_form_uploads_a_file_and_shows_the_refused_rows() {
    let app = TestApp::spawn().await;
    let jinqiao = app.id_of("bases", "jinqiao");
    app.create_user("pm@example.com", "park_manager", None, Some(jinqiao), None);
    let pm = app.login("pm@example.com", PASSWORD).await;
    // DOMAIN.md's worked example with a wrong check character (the right one is Q).
    let file = common::workbook(&[["91110108551385082A", "坏代码公司", "", "", "", "", "", "", "核心芯片", "", ""]]);
    let part = reqwest::multipart::Part::bytes(file).file_name("tenants.xlsx");
    let res = pm.post(app.url(&format!("/forms/bases/{jinqiao}/import"))).multipart(reqwest::multipart::Form::new().part("file", part)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.contains("import_report="), "{location}");
    let html = pm.get(app.url(&location)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("未导入任何企业"), "the page says nothing was imported");
    assert!(html.contains("统一社会信用代码"), "and names the column");
    assert!(html.contains(r#"data-testid="import-errors""#) && html.contains("<details open"), "the refused rows, the import box open: {html}");
}

#[actix_rt::test]
async fn documents_are_type_checked_from_their_bytes_and_served_only_within_scope() {
    let app = TestApp::spawn().await;
    let jinqiao = app.id_of("bases", "jinqiao");
    let shibei = app.id_of("bases", "shibei");
    let c = app.register(260, "docs@example.com", true).await;
    let owner = app.login("docs@example.com", PASSWORD).await;
    app.exec(&format!(
        "INSERT INTO tenancies (enterprise_id, base_id, status, applied_at, created_at, updated_at) VALUES ({}, {jinqiao}, 1, '2026-01-05 00:00:00', '2026-01-05 00:00:00', '2026-01-05 00:00:00')",
        c.enterprise_id
    ));
    let upload = |kind: &str, name: &str, bytes: Vec<u8>| {
        owner.post(app.url(&format!("/api/v1/enterprises/{}/documents?kind={kind}&file_name={name}", c.enterprise_id))).body(bytes)
    };
    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec();
    let png = [&b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..], &[0u8; 64][..]].concat();
    // A text file renamed to .pdf is refused: the type comes from the bytes.
    let (status, body) = app.send(upload("business_licence", "licence.pdf", b"just some text, not a PDF".to_vec())).await;
    assert_eq!((status, body["fields"]["file"][0]["code"].as_str()), (422, Some("unsupported_type")));
    let (status, body) = app.send(upload("passport", "x.pdf", pdf.clone())).await;
    assert_eq!((status, body["fields"]["kind"][0]["code"].as_str()), (422, Some("not_allowed")));
    let (status, doc) = app.send(upload("business_licence", "营业执照.pdf", pdf.clone())).await;
    assert_eq!(status, 201, "{doc}");
    assert_eq!((doc["content_type"].as_str(), doc["file_name"].as_str()), (Some("application/pdf"), Some("营业执照.pdf")));
    // A PNG named .pdf is stored as what it is.
    let (_, img) = app.send(upload("certificate", "cert.pdf", png.clone())).await;
    assert_eq!(img["content_type"], "image/png");
    // Content-addressed storage outside the web root.
    let sha = doc["sha256"].as_str().unwrap().to_string();
    assert!(app.data_dir.join("files/sha256").join(&sha[..2]).join(&sha).exists());

    let file_url = app.url(&format!("/api/v1/documents/{}/file", doc["id"]));
    let res = owner.get(&file_url).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf);

    app.create_user("pm-j@example.com", "park_manager", None, Some(jinqiao), None);
    app.create_user("pm-s@example.com", "park_manager", None, Some(shibei), None);
    let pm_j = app.login("pm-j@example.com", PASSWORD).await;
    let pm_s = app.login("pm-s@example.com", PASSWORD).await;
    app.register(261, "other@example.com", true).await;
    let other = app.login("other@example.com", PASSWORD).await;
    assert_eq!(pm_j.get(&file_url).send().await.unwrap().status().as_u16(), 200, "the base's manager sees its tenant's files");
    assert_eq!(pm_s.get(&file_url).send().await.unwrap().status().as_u16(), 404, "another base's manager does not");
    assert_eq!(other.get(&file_url).send().await.unwrap().status().as_u16(), 404);
    assert_eq!(app.new_client().get(&file_url).send().await.unwrap().status().as_u16(), 401);
    assert_eq!(app.send(pm_s.get(app.url(&format!("/api/v1/enterprises/{}/documents", c.enterprise_id)))).await.0, 404);
    // Only the company's administrator uploads or removes.
    assert_eq!(app.send(pm_j.post(app.url(&format!("/api/v1/enterprises/{}/documents?kind=other&file_name=a.pdf", c.enterprise_id))).body(pdf.clone())).await.0, 403);
    assert_eq!(app.send(owner.delete(app.url(&format!("/api/v1/enterprises/{}/documents/{}", c.enterprise_id, doc["id"])))).await.0, 204);
    let (_, docs) = app.send(owner.get(app.url(&format!("/api/v1/enterprises/{}/documents", c.enterprise_id)))).await;
    assert_eq!(docs.as_array().unwrap().len(), 1);
    assert_eq!(owner.get(&file_url).send().await.unwrap().status().as_u16(), 404);
    let (_, history) = app.send(owner.get(app.url(&format!("/api/v1/enterprises/{}/profile/history", c.enterprise_id)))).await;
    assert!(history.to_string().contains("营业执照.pdf"), "uploads and removals are in the history");
}

/// The S3-compatible backend, against a real S3 API server (CI starts one and sets the usual
/// `AWS_*` variables, see scripts/test-all.sh). Without `AWS_ENDPOINT` there is nothing to talk
/// to and the test says so.
#[actix_rt::test]
async fn documents_are_kept_in_an_s3_compatible_store_when_configured() {
    let (Ok(_), Ok(bucket)) = (std::env::var("AWS_ENDPOINT"), std::env::var("TEST_S3_BUCKET")) else {
        eprintln!("AWS_ENDPOINT/TEST_S3_BUCKET not set: no S3-compatible service to test against");
        return;
    };
    let prefix = format!("test-{}", std::process::id());
    let url = format!("s3://{bucket}/{prefix}");
    let app = TestApp::spawn_configured({
        let url = url.clone();
        move |s| s.storage_url = Some(url)
    })
    .await;
    let c = app.register(262, "s3@example.com", true).await;
    let owner = app.login("s3@example.com", PASSWORD).await;
    let pdf = format!("%PDF-1.4\n% {prefix}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n").into_bytes();
    let (status, doc) = app
        .send(owner.post(app.url(&format!("/api/v1/enterprises/{}/documents?kind=business_licence&file_name=licence.pdf", c.enterprise_id))).body(pdf.clone()))
        .await;
    assert_eq!(status, 201, "{doc}");
    let sha = doc["sha256"].as_str().unwrap().to_string();
    // The object is in the bucket (read back by a client of its own), and nothing went to
    // the local disk.
    let elsewhere = backend::storage::Storage::from_settings(&backend::Settings { storage_url: Some(url), ..backend::Settings::default() }).unwrap();
    assert_eq!(elsewhere.get(&sha).await.unwrap().to_vec(), pdf);
    assert!(!app.data_dir.join("files").exists());
    // Served back to the owner through the portal, the same bytes.
    let res = owner.get(app.url(&format!("/api/v1/documents/{}/file", doc["id"]))).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf);
}

/// The tenant page lists the company's applications its base recommended (the review workflow
/// records the recommendation; here the rows are written directly).
#[actix_rt::test]
async fn the_tenant_page_lists_the_applications_the_base_recommended() {
    let app = TestApp::spawn().await;
    let jinqiao = app.id_of("bases", "jinqiao");
    let shibei = app.id_of("bases", "shibei");
    let c = app.register(263, "apps@example.com", true).await;
    let owner = app.login("apps@example.com", PASSWORD).await;
    // Moved from Shibei to Jinqiao: both bases recommended one application in their time.
    for (base, status) in [(shibei, 3), (jinqiao, 1)] {
        app.exec(&format!(
            "INSERT INTO tenancies (enterprise_id, base_id, status, applied_at, created_at, updated_at) VALUES ({}, {base}, {status}, '2025-01-05 00:00:00', '2025-01-05 00:00:00', '2025-01-05 00:00:00')",
            c.enterprise_id
        ));
    }
    // One application per program call (a company applies once to each).
    let next_program = std::cell::Cell::new(0);
    let add = |title: &str, state: i32, base: Option<i64>, recommended: Option<&str>| {
        let program = app.scalar(&format!("SELECT id AS n FROM programs ORDER BY id LIMIT 1 OFFSET {}", next_program.get()));
        next_program.set(next_program.get() + 1);
        app.exec(&format!(
            "INSERT INTO applications (program_id, enterprise_id, state, title, amount_requested_fen, amount_approved_fen, submitted_at, created_at, updated_at, recommending_base_id, recommended_at) \
             VALUES ({program}, {}, {state}, '{title}', 150000000, {}, '2026-03-01 00:00:00', '2026-03-01 00:00:00', '2026-03-01 00:00:00', {}, {})",
            c.enterprise_id,
            if state == 6 { "120000000" } else { "NULL" },
            base.map_or("NULL".to_string(), |b| b.to_string()),
            recommended.map_or("NULL".to_string(), |d| format!("'{d}'")),
        ))
    };
    add("8K 超高清摄像机首台套", 6, Some(jinqiao), Some("2026-03-10 09:00:00"));
    add("AVS3 编码器首台套", 3, Some(jinqiao), Some("2026-04-02 09:00:00"));
    add("待推荐的激光投影机", 1, Some(jinqiao), None);
    add("市北时期的纪录片", 2, Some(shibei), Some("2025-06-01 09:00:00"));
    add("草稿", 0, None, None);

    app.create_user("pm-j@example.com", "park_manager", None, Some(jinqiao), None);
    app.create_user("pm-s@example.com", "park_manager", None, Some(shibei), None);
    app.create_user("pm-h@example.com", "park_manager", None, Some(app.id_of("bases", "huaguoshan")), None);
    let url = app.url(&format!("/api/v1/enterprises/{}/recommended-applications", c.enterprise_id));
    let titles = |body: &serde_json::Value| body.as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap().to_string()).collect::<Vec<_>>();

    let pm_j = app.login("pm-j@example.com", PASSWORD).await;
    let (status, body) = app.send(pm_j.get(&url)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(titles(&body), ["AVS3 编码器首台套", "8K 超高清摄像机首台套"], "newest recommendation first, only Jinqiao's");
    assert_eq!((body[1]["state"].as_str(), body[1]["amount_requested"].as_i64(), body[1]["amount_approved"].as_i64()), (Some("approved"), Some(150000000), Some(120000000)));
    assert_eq!(body[0]["state"], "expert_review");
    let pm_s = app.login("pm-s@example.com", PASSWORD).await;
    assert_eq!(titles(&app.send(pm_s.get(&url)).await.1), ["市北时期的纪录片"]);
    let pm_h = app.login("pm-h@example.com", PASSWORD).await;
    assert_eq!(app.send(pm_h.get(&url)).await.0, 404, "a base the company never joined sees nothing");
    assert_eq!(titles(&app.send(owner.get(&url)).await.1).len(), 3, "the company sees every recommendation");
    assert_eq!(app.send(app.new_client().get(&url)).await.0, 401);

    // The park manager's tenant page shows them, translated.
    let res = pm_j.get(app.url(&format!("/park/companies/{}", c.enterprise_id))).header("Accept-Language", "zh-CN").send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("基地推荐的申报项目") && html.contains("AVS3 编码器首台套") && html.contains("专家评审") && html.contains("1,500,000.00"), "{html}");
    assert!(!html.contains("市北时期的纪录片") && !html.contains("待推荐的激光投影机"));
}
