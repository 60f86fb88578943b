//! Public notice, objections and approval (issue 15) through the public API: a notice whose
//! window spans the 2026 National Day holiday and its make-up working day closes on the right
//! day; anonymous objections are refused; one objection is upheld (the award rejected, its budget
//! given back) and one dismissed (the award approved once nothing is open); the approval notice
//! read back with pdftotext and checked with qpdf, and verified by its code.
#![allow(clippy::unwrap_used)]

use crate::common;
use crate::review::{act, actions, edit_first_set, names, notices_of, staff, state_of, submitted, through_experts, Staff};

use common::filing::PDF;
use common::{TestApp, PASSWORD};
use serde_json::{json, Value};

/// Application of company `n` taken to a fully signed approval of `amount_fen`.
async fn decided(app: &TestApp, s: &Staff, n: u32, amount_fen: i64) -> (i64, reqwest::Client) {
    let (id, company) = submitted(app, n, &format!("award{n}@example.com"), &format!("ZL2026100{n:05}")).await;
    act(app, &s.park, id, json!({ "action": "recommend", "expected_state": "recommending_review" })).await;
    act(app, &s.reviewer, id, json!({ "action": "pass", "expected_state": "formal_review" })).await;
    through_experts(app, s, id).await;
    let (status, body) = act(app, &s.reviewer, id, json!({ "action": "propose_approval", "expected_state": "agency_decision", "amount_fen": amount_fen })).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = act(app, &s.lead, id, json!({ "action": "countersign", "expected_state": "agency_decision" })).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = act(app, &s.finance, id, json!({ "action": "countersign", "expected_state": "agency_decision" })).await;
    assert_eq!(status, 200, "{body}");
    (id, company)
}

/// An objection's multipart form: the text fields given, and `files` as evidence.
fn objection(fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    for (name, bytes) in files {
        form = form.part("evidence", reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()).mime_str("application/pdf").unwrap());
    }
    form
}

async fn file_objection(app: &TestApp, notice: i64, form: reqwest::multipart::Form) -> (u16, Value) {
    let public = app.new_client();
    app.send(public.post(app.url(&format!("/api/v1/notices/{notice}/objections"))).multipart(form)).await
}

fn program_budget(app: &TestApp) -> (i64, i64) {
    let reserved = app.scalar("SELECT budget_reserved_fen AS n FROM programs WHERE code = 'SH-2026-FIRST-SET'");
    let used = app.scalar("SELECT budget_used_fen AS n FROM programs WHERE code = 'SH-2026-FIRST-SET'");
    (reserved, used)
}

/// Text of a PDF by pdftotext, after qpdf has checked it.
fn pdf_text(bytes: &[u8], name: &str) -> String {
    let path = common::temp_dir("awards").join(name);
    std::fs::write(&path, bytes).unwrap();
    let check = std::process::Command::new("qpdf").arg("--check").arg(&path).output().unwrap();
    assert!(check.status.success(), "qpdf: {}", String::from_utf8_lossy(&check.stdout));
    String::from_utf8(std::process::Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output().unwrap().stdout).unwrap()
}

/// A portal on Tuesday 29 September 2026, 09:00 in Beijing, with the review's staff; the
/// first-set call opened early for these tests. Two dozen people sign in within a minute (the
/// staff, six experts, the companies, and again after the clock moves on).
async fn portal() -> (TestApp, Staff) {
    use chrono::TimeZone;
    let app = TestApp::spawn_configured(|s| s.login_rate_per_minute = 100).await;
    app.start_at(chrono::Utc.with_ymd_and_hms(2026, 9, 29, 1, 0, 0).unwrap());
    let s = staff(&app).await;
    edit_first_set(&app, &s.lead, |d| d["call_opens_at"] = json!("2026-09-01T01:00:00Z")).await;
    (app, s)
}

#[tokio::test]
async fn a_notice_over_national_day_objections_upheld_and_dismissed_then_approval() {
    use chrono::TimeZone;
    let (app, s) = portal().await;
    let (disputed, disputed_co) = decided(&app, &s, 601, 200_000_000).await;
    let (upheld, upheld_co) = decided(&app, &s, 602, 150_000_000).await;
    let (clear, _) = decided(&app, &s, 603, 100_000_000).await;
    let (undecided, _) = submitted(&app, 604, "award604@example.com", "ZL202610000604").await;
    let (status, body) = app.post_json(&s.lead, "/api/v1/programs/SH-2026-FIRST-SET/notices", json!({ "application_ids": [undecided] })).await;
    assert_eq!((status, body["fields"]["application_ids.0"][0]["code"].as_str()), (422, Some("not_found")), "not yet the lead agency's to see: {body}");
    act(&app, &s.park, undecided, json!({ "action": "recommend", "expected_state": "recommending_review" })).await;
    assert_eq!(program_budget(&app), (450_000_000, 0), "the three proposals hold their amounts");
    let (_, view) = actions(&app, &s.lead, clear).await;
    assert!(names(&view).is_empty(), "a decided approval waits for its notice: {view}");

    // Only the lead agency's agency lead publishes, and only decided approvals: all or nothing.
    let notice_of = |ids: Vec<i64>| json!({ "application_ids": ids });
    let (status, body) = app.post_json(&s.reviewer, "/api/v1/programs/SH-2026-FIRST-SET/notices", notice_of(vec![clear])).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("forbidden")), "{body}");
    let (status, body) = app.post_json(&s.finance, "/api/v1/programs/SH-2026-FIRST-SET/notices", notice_of(vec![clear])).await;
    assert_eq!(status, 403, "a co-review agency does not publish: {body}");
    let (status, body) = app.post_json(&s.lead, "/api/v1/programs/SH-2026-FIRST-SET/notices", notice_of(vec![disputed, upheld, clear, undecided])).await;
    assert_eq!((status, body["fields"]["application_ids.3"][0]["code"].as_str()), (422, Some("not_decided")), "{body}");
    let (status, body) = app.post_json(&s.lead, "/api/v1/programs/SH-2026-FIRST-SET/notices", notice_of(vec![])).await;
    assert_eq!((status, body["fields"]["application_ids"][0]["code"].as_str()), (422, Some("required")), "{body}");
    assert_eq!(app.count("notices", "1 = 1"), 0, "nothing was published");
    assert_eq!(state_of(&app, clear), 4);
    let (status, body) = act(&app, &s.lead, clear, json!({ "action": "publish_notice", "expected_state": "agency_decision" })).await;
    assert_eq!((status, body["fields"]["action"][0]["code"].as_str()), (422, Some("invalid")), "a notice is not one application's action: {body}");

    let heard_before = notices_of(&app, &disputed_co, "status_changed").await.len();
    let (status, notice) = app.post_json(&s.lead, "/api/v1/programs/SH-2026-FIRST-SET/notices", notice_of(vec![disputed, upheld, clear])).await;
    assert_eq!(status, 201, "{notice}");
    // Five working days from Tuesday 29 September: 30 September, then (1 to 7 October off)
    // 8 and 9 October, the make-up Saturday 10 October, and Monday 12 October.
    assert_eq!((notice["published_on"].as_str(), notice["closes_on"].as_str(), notice["working_days"].as_i64()), (Some("2026-09-29"), Some("2026-10-12"), Some(5)), "{notice}");
    let id = notice["id"].as_i64().unwrap();
    for app_id in [disputed, upheld, clear] {
        assert_eq!(state_of(&app, app_id), 5, "in public notice");
    }
    let (status, public) = app.get_json(&format!("/api/v1/notices/{id}")).await;
    assert_eq!((status, public["open"].as_bool(), public["items"].as_array().unwrap().len()), (200, Some(true), 3), "{public}");
    assert_eq!(public["total_fen"], 450_000_000);
    assert_eq!(public["items"][0]["status"], "in_notice");
    let (_, list) = app.get_json("/api/v1/notices").await;
    assert_eq!((list["total"].as_i64(), list["items"][0]["awards"].as_i64()), (Some(1), Some(3)), "{list}");
    let heard = notices_of(&app, &disputed_co, "status_changed").await;
    assert_eq!(heard.len(), heard_before + 1, "the company hears its award is on notice");
    assert!(heard[0]["title"].as_str().unwrap().contains("公示"), "{}", heard[0]);

    // The notice as PDF.
    let res = app.new_client().get(app.url(&format!("/api/v1/notices/{id}/notice.pdf"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let text = pdf_text(&res.bytes().await.unwrap(), "notice.pdf");
    for needle in ["拟立项项目公示", "2026年10月12日", "金桥超高清测试企业601", "贰佰万元整", "壹佰伍拾万元整"] {
        assert!(text.contains(needle), "{needle} in the notice:\n{text}");
    }

    // Anonymous objections are refused field by field; nothing is stored.
    let (status, body) = file_objection(&app, id, objection(&[("application_id", &disputed.to_string()), ("facts", "合同金额与发票不符。")], &[("evidence.pdf", PDF)])).await;
    assert_eq!(status, 422, "{body}");
    for field in ["name", "email", "organisation"] {
        assert_eq!(body["fields"][field][0]["code"], "required", "{field}: {body}");
    }
    let identified = [("name", "王敏"), ("email", "wangmin@objector.example"), ("id_number", "11010519491231002X"), ("facts", "合同金额与发票不符。")];
    let mut fields: Vec<(&str, &str)> = identified.to_vec();
    let disputed_id = disputed.to_string();
    fields.push(("application_id", &disputed_id));
    let (status, body) = file_objection(&app, id, objection(&fields, &[])).await;
    assert_eq!((status, body["fields"]["evidence"][0]["code"].as_str()), (422, Some("required")), "{body}");
    let (status, body) = file_objection(&app, id, objection(&fields, &[("evidence.pdf", b"not a pdf at all")])).await;
    assert_eq!((status, body["fields"]["evidence.0"][0]["code"].as_str()), (422, Some("unsupported_type")), "{body}");
    let mut bad_id = fields.clone();
    bad_id[2] = ("id_number", "110105194912310021");
    let (status, body) = file_objection(&app, id, objection(&bad_id, &[("evidence.pdf", PDF)])).await;
    assert_eq!((status, body["fields"]["id_number"][0]["code"].as_str()), (422, Some("invalid")), "{body}");
    let undecided_id = undecided.to_string();
    let mut elsewhere = fields.clone();
    elsewhere[4] = ("application_id", &undecided_id);
    let (status, body) = file_objection(&app, id, objection(&elsewhere, &[("evidence.pdf", PDF)])).await;
    assert_eq!((status, body["fields"]["application_id"][0]["code"].as_str()), (422, Some("invalid")), "not an award of this notice: {body}");
    assert_eq!(app.count("objections", "1 = 1"), 0);

    // Two identified objections: one by a person (ID number), one by an organisation.
    let (status, first) = file_objection(&app, id, objection(&fields, &[("evidence.pdf", PDF)])).await;
    assert_eq!(status, 201, "{first}");
    // Five working days from 29 September, like the notice.
    assert_eq!(first["due_on"], "2026-10-12", "{first}");
    let upheld_id = upheld.to_string();
    let by_org = [("application_id", upheld_id.as_str()), ("name", "李强"), ("email", "liqiang@rival.example"), ("organisation", "上海某影像设备有限公司"), ("facts", "该设备并非首台套，2025 年已有同型号交付。"), ("phone", "13812345678")];
    let (status, second) = file_objection(&app, id, objection(&by_org, &[("contract.pdf", PDF), ("photo.pdf", PDF)])).await;
    assert_eq!(status, 201, "{second}");
    let (status, public) = app.get_json(&format!("/api/v1/notices/{id}")).await;
    assert_eq!(status, 200);
    assert!(!public.to_string().contains("王敏") && !public.to_string().contains("李强"), "who objected is not public: {public}");
    let audit: String = app.text("SELECT detail AS t FROM audit_events WHERE event = 'objection_filed' ORDER BY id LIMIT 1");
    assert!(!audit.contains("王敏") && !audit.contains("11010519491231002X"), "nor in the audit log admins read: {audit}");

    // Who objected: the lead agency's staff only.
    let (status, _) = app.get_json(&format!("/api/v1/notices/{id}/objections")).await;
    assert_eq!(status, 401);
    let (status, _) = app.get_json_with(&disputed_co, &format!("/api/v1/notices/{id}/objections")).await;
    assert_eq!(status, 403);
    let (status, _) = app.get_json_with(&s.finance, &format!("/api/v1/notices/{id}/objections")).await;
    assert_eq!(status, 403, "a co-review agency does not read objections");
    let (status, list) = app.get_json_with(&s.reviewer, &format!("/api/v1/notices/{id}/objections")).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!((list[0]["objector"]["name"].as_str(), list[0]["objector"]["id_number"].as_str()), (Some("王敏"), Some("11010519491231002X")));
    assert_eq!(list[1]["evidence"].as_array().unwrap().len(), 2);
    let evidence = list[1]["evidence"][0]["id"].as_i64().unwrap();
    let second_id = second["id"].as_i64().unwrap();
    let res = s.reviewer.get(app.url(&format!("/api/v1/objections/{second_id}/evidence/{evidence}"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
    let res = upheld_co.get(app.url(&format!("/api/v1/objections/{second_id}/evidence/{evidence}"))).send().await.unwrap();
    assert_eq!(res.status(), 404, "not the company's to read");
    let lead = app.login("lead@eitc.example", PASSWORD).await;
    assert_eq!(notices_of(&app, &lead, "objection_received").await.len(), 2, "the lead agency hears of each objection");

    // Nothing is approved while the notice is open.
    let (status, body) = act(&app, &s.lead, clear, json!({ "action": "approve", "expected_state": "public_notice" })).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("notice_open")), "{body}");

    // Upheld: the award is rejected with the findings, its budget given back; the objector is
    // told. A decision is made once.
    let decision = |upheld: bool, findings: &str| json!({ "upheld": upheld, "findings": findings });
    let (status, body) = app.post_json(&disputed_co, &format!("/api/v1/objections/{second_id}/decision"), decision(true, "x")).await;
    assert_eq!(status, 404, "not the company's to decide: {body}");
    let (status, body) = app.post_json(&s.reviewer, &format!("/api/v1/objections/{second_id}/decision"), decision(true, "  ")).await;
    assert_eq!((status, body["fields"]["findings"][0]["code"].as_str()), (422, Some("required")), "{body}");
    let (status, body) = app.post_json(&s.reviewer, &format!("/api/v1/objections/{second_id}/decision"), decision(true, "经核查，同型号设备已于 2025 年交付他方，不属首台套。")).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("upheld")), "{body}");
    assert_eq!(state_of(&app, upheld), 10, "rejected");
    assert_eq!(program_budget(&app), (300_000_000, 0), "its 1.5 million yuan are given back");
    let (status, body) = app.post_json(&s.lead, &format!("/api/v1/objections/{second_id}/decision"), decision(false, "再议")).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("objection_decided")), "{body}");
    let mail = app.mail_about("liqiang@rival.example", "经核实成立").await;
    assert!(mail.body.contains("同型号设备已于 2025 年交付他方"), "{}", mail.body);
    let rejected = notices_of(&app, &upheld_co, "rejected").await;
    assert_eq!(rejected.len(), 1, "the company is told why");
    assert!(rejected[0]["body"].as_str().unwrap().contains("不属首台套"), "{}", rejected[0]);

    // The window closes at the end of Monday 12 October (Beijing): the award without an open
    // objection is approved by the portal; the disputed one waits for its finding.
    let at = |y, m, d, h, min| chrono::Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap();
    let until = |t: chrono::DateTime<chrono::Utc>| t - app.state.clock.now();
    app.advance(until(at(2026, 10, 12, 15, 59)));
    app.run_due_jobs();
    assert_eq!(state_of(&app, clear), 5, "not before the last day has ended");
    let early_lead = app.login("lead@eitc.example", PASSWORD).await;
    assert_eq!(notices_of(&app, &early_lead, "reminder").await.len(), 1, "reminded of the open objection two working days ahead (the upheld one's reminder does nothing)");
    let (status, body) = file_objection(&app, id, objection(&fields, &[("evidence.pdf", PDF)])).await;
    assert_eq!(status, 201, "still on the last day: {body}");
    let third_id = body["id"].as_i64().unwrap();
    app.advance(until(at(2026, 10, 12, 16, 0)) + chrono::Duration::seconds(1));
    let (status, body) = file_objection(&app, id, objection(&fields, &[("evidence.pdf", PDF)])).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("notice_closed")), "a late objection counts as none: {body}");
    assert!(app.run_due_jobs() >= 1);
    assert_eq!(state_of(&app, clear), 6, "approved when the notice closed clear");
    assert_eq!(state_of(&app, disputed), 5, "still in notice: its objections are open");
    // Two weeks on: everyone signs in again.
    let lead = app.login("lead@eitc.example", PASSWORD).await;
    let reviewer = app.login("reviewer@eitc.example", PASSWORD).await;
    let clear_co2 = app.login("award603@example.com", PASSWORD).await;
    let disputed_co2 = app.login("award601@example.com", PASSWORD).await;
    let upheld_co2 = app.login("award602@example.com", PASSWORD).await;
    let (status, body) = act(&app, &lead, disputed, json!({ "action": "approve", "expected_state": "public_notice" })).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("objection_open")), "{body}");

    // Dismissing the first leaves one open; dismissing the last approves the award.
    let first_id = first["id"].as_i64().unwrap();
    let (status, body) = app.post_json(&reviewer, &format!("/api/v1/objections/{first_id}/decision"), decision(false, "发票与合同经核对一致，异议不成立。")).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("dismissed")), "{body}");
    assert_eq!(state_of(&app, disputed), 5);
    let (status, _) = app.post_json(&lead, &format!("/api/v1/objections/{third_id}/decision"), decision(false, "与前一异议相同，不成立。")).await;
    assert_eq!(status, 200);
    assert_eq!(state_of(&app, disputed), 6, "approved once nothing concerning it is open");
    app.mail_about("wangmin@objector.example", "经核实不成立").await;
    assert_eq!(program_budget(&app), (300_000_000, 0), "approved awards keep their reservation until paid");
    assert_eq!(app.count("awards", "1 = 1"), 2);
    assert_eq!(app.scalar(&format!("SELECT amount_approved_fen AS n FROM applications WHERE id = {disputed}")), 200_000_000);
    let (_, public) = app.get_json(&format!("/api/v1/notices/{id}")).await;
    let statuses: Vec<&str> = public["items"].as_array().unwrap().iter().map(|i| i["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, vec!["approved", "rejected", "approved"], "{public}");
    assert_eq!(public["open"], false);

    // The approval notice: the company's, read back; anyone else is told it does not exist.
    let res = clear_co2.get(app.url(&format!("/api/v1/applications/{clear}/approval.pdf"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let pdf = res.bytes().await.unwrap().to_vec();
    let text = pdf_text(&pdf, "approval.pdf");
    let code = app.text(&format!("SELECT verification_code AS t FROM applications WHERE id = {clear}"));
    for needle in ["立项通知", "金桥超高清测试企业603", "壹佰万元整", code.as_str(), "60% / 40%"] {
        assert!(text.contains(needle), "{needle} in the approval notice:\n{text}");
    }
    for (client, app_id) in [(&disputed_co2, clear), (&upheld_co2, upheld)] {
        let res = client.get(app.url(&format!("/api/v1/applications/{app_id}/approval.pdf"))).send().await.unwrap();
        assert_eq!(res.status(), 404);
    }
    use sha2::Digest;
    let fingerprint = hex::encode(sha2::Sha256::digest(&pdf));
    let (status, verified) = app.get_json(&format!("/api/v1/verify/{code}")).await;
    assert_eq!((status, verified["state"].as_str(), verified["approved_amount_fen"].as_i64(), verified["approved_on"].as_str()), (200, Some("approved"), Some(100_000_000), Some("2026-10-13")), "{verified}");
    assert!(verified["forms"].as_array().unwrap().iter().any(|f| f["kind"] == "approval_notice" && f["sha256"] == fingerprint.as_str()), "{verified}");

    // Every step is in the audit log, each in its own kind.
    for (event, n) in [("notice_published", 1), ("objection_filed", 3), ("objection_decided", 3), ("approval_notice_downloaded", 1)] {
        assert_eq!(app.count("audit_events", &format!("event = '{event}'")), n, "{event}");
    }
    assert_eq!(app.count("application_events", &format!("application_id = {clear} AND kind = 'approve'")), 1);
}

/// A page as `client` sees it, in Chinese.
async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).header("accept-language", "zh-CN").send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Where a form post sends the person (303), or the status.
async fn location(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    (status, res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string())
}

#[tokio::test]
async fn the_notice_pages_publish_object_and_decide_without_javascript() {
    let (app, s) = portal().await;
    let (id, company) = decided(&app, &s, 611, 120_000_000).await;

    // The agency lead's publish form lists the decided approval, ticked.
    let (status, html) = page(&app, &s.lead, "/review/notices").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("name=\"application_ids\" value=\"{id}\"")), "{html}");
    let (status, html) = page(&app, &s.reviewer, "/review/notices").await;
    assert_eq!(status, 200);
    assert!(!html.contains("name=\"application_ids\""), "a reviewer does not publish");
    let res = s.lead.post(app.url("/forms/programs/SH-2026-FIRST-SET/notices")).form(&[("application_ids", id.to_string())]).send().await.unwrap();
    let (status, to) = location(res).await;
    assert_eq!(status, 303);
    assert!(to.starts_with("/notices/") && to.ends_with("?published=1"), "{to}");
    let notice: i64 = to.trim_start_matches("/notices/").trim_end_matches("?published=1").parse().unwrap();

    // Anyone reads the notice and its closing day, and finds the objection form.
    let public = app.new_client();
    let (status, html) = page(&app, &public, "/notices").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("href=\"/notices/{notice}\"")));
    let notice_page = format!("/notices/{notice}");
    let (status, html) = page(&app, &public, &notice_page).await;
    assert_eq!(status, 200);
    assert!(html.contains("2026-10-12") && html.contains("金桥超高清测试企业611"), "{html}");
    assert!(html.contains(&format!("action=\"/forms/notices/{notice}/objections\"")) && html.contains("multipart/form-data"));
    let (status, _) = page(&app, &public, "/notices/999999").await;
    assert_eq!(status, 404);

    // An anonymous objection comes back with each missing field named and the facts kept.
    let form = objection(&[("application_id", &id.to_string()), ("facts", "首用证明系事后补签。")], &[("evidence.pdf", PDF)]);
    let (status, to) = location(public.post(app.url(&format!("/forms/notices/{notice}/objections"))).multipart(form).send().await.unwrap()).await;
    assert_eq!(status, 303);
    assert!(to.contains("name.required") && to.contains("email.required") && to.contains("organisation.required"), "{to}");
    let (_, html) = page(&app, &public, &to).await;
    assert!(html.contains("首用证明系事后补签。"), "the facts are kept");
    assert!(html.contains("aria-invalid=\"true\""), "the fields are marked");
    assert_eq!(app.count("objections", "1 = 1"), 0);
    let form = objection(
        &[("application_id", &id.to_string()), ("name", "周公民"), ("email", "zhou@objector.example"), ("organisation", "上海某检测中心"), ("facts", "首用证明系事后补签。")],
        &[("evidence.pdf", PDF)],
    );
    let (status, to) = location(public.post(app.url(&format!("/forms/notices/{notice}/objections"))).multipart(form).send().await.unwrap()).await;
    assert_eq!(status, 303);
    assert!(to.starts_with(&format!("/notices/{notice}?filed=")), "{to}");
    let objection_id: i64 = to.rsplit('=').next().unwrap().parse().unwrap();
    let (_, html) = page(&app, &public, &to).await;
    assert!(html.contains("data-testid=\"objection-filed\""));
    assert!(!html.contains("周公民") && !html.contains("上海某检测中心"), "who objected is not shown to the public");
    let (_, html) = page(&app, &company, &notice_page).await;
    assert!(!html.contains("周公民"), "nor to the company");

    // The lead agency's reviewer sees who objected and records the finding.
    let (_, html) = page(&app, &s.reviewer, &notice_page).await;
    assert!(html.contains("周公民") && html.contains("上海某检测中心"), "{html}");
    assert!(html.contains(&format!("action=\"/forms/objections/{objection_id}/decision\"")));
    let decide = format!("/forms/objections/{objection_id}/decision");
    let (status, to) = location(s.reviewer.post(app.url(&decide)).form(&[("findings", ""), ("upheld", "false")]).send().await.unwrap()).await;
    assert_eq!(status, 303);
    assert!(to.contains("findings.required"), "{to}");
    let (status, to) = location(s.reviewer.post(app.url(&decide)).form(&[("findings", "首用证明与验收记录一致。"), ("upheld", "false")]).send().await.unwrap()).await;
    assert_eq!((status, to.as_str()), (303, format!("/notices/{notice}?decided=1#o-{objection_id}").as_str()));
    assert_eq!(app.text(&format!("SELECT status AS t FROM objections WHERE id = {objection_id}")), "dismissed");
    assert_eq!(state_of(&app, id), 5, "still on notice until the window closes");
    let (_, html) = page(&app, &company, &format!("/applications/{id}")).await;
    assert!(!html.contains("approval.pdf"), "no approval notice before approval");
}

/// Files kept with award `id`: `kind` and each of `files` as a `file` part.
async fn add_award_files(app: &TestApp, client: &reqwest::Client, id: i64, kind: &str, files: &[(&str, &[u8])]) -> (u16, Value) {
    let mut form = reqwest::multipart::Form::new().text("kind", kind.to_string());
    for (name, bytes) in files {
        form = form.part("file", reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()));
    }
    app.send(client.post(app.url(&format!("/api/v1/applications/{id}/award-files"))).multipart(form)).await
}

/// The failed eligibility rules of the company `client` speaks for, for the first-set program.
async fn failed_rules(app: &TestApp, client: &reqwest::Client) -> Vec<Value> {
    let (status, answer) = app.get_json_with(client, "/api/v1/programs/SH-2026-FIRST-SET/eligibility").await;
    assert_eq!(status, 200, "{answer}");
    answer["failed"].as_array().unwrap().clone()
}

#[tokio::test]
async fn two_tranches_around_the_acceptance_then_closing_and_a_revocation_with_recovery_and_ban() {
    use chrono::TimeZone;
    let (app, s) = portal().await;
    let (paid, _) = decided(&app, &s, 621, 200_000_000).await;
    let (fraud, _) = decided(&app, &s, 622, 100_000_000).await;
    let (late, _) = decided(&app, &s, 623, 50_000_000).await;
    let (status, notice) = app.post_json(&s.lead, "/api/v1/programs/SH-2026-FIRST-SET/notices", json!({ "application_ids": [paid, fraud, late] })).await;
    assert_eq!(status, 201, "{notice}");
    // Tuesday 13 October, 09:00 in Beijing: the notice closed at midnight; the awards approved.
    app.advance(chrono::Utc.with_ymd_and_hms(2026, 10, 13, 1, 0, 0).unwrap() - app.state.clock.now());
    app.run_due_jobs();
    for id in [paid, fraud, late] {
        assert_eq!(state_of(&app, id), 6, "approved");
    }
    assert_eq!(program_budget(&app), (350_000_000, 0), "approved: still reserved, nothing paid");
    let login = |email: &'static str| app.login(email, PASSWORD);
    let (lead, reviewer, finance) = (login("lead@eitc.example").await, login("reviewer@eitc.example").await, login("lead@finance.example").await);
    let (paid_co, fraud_co, late_co) = (login("award621@example.com").await, login("award622@example.com").await, login("award623@example.com").await);

    // The plan: 60% after approval, the balance after the acceptance; the company sees it.
    let (status, award) = app.get_json_with(&paid_co, &format!("/api/v1/applications/{paid}/award")).await;
    assert_eq!(status, 200, "{award}");
    assert_eq!((award["tranches"][0]["amount_fen"].as_i64(), award["tranches"][1]["amount_fen"].as_i64(), award["payable_fen"].as_i64()), (Some(120_000_000), Some(80_000_000), Some(120_000_000)), "{award}");
    assert_eq!(award["acceptance_due_on"], "2028-10-13", "24 months from approval");
    let (status, _) = app.get_json_with(&fraud_co, &format!("/api/v1/applications/{paid}/award")).await;
    assert_eq!(status, 404, "another company's award does not exist for it");

    // Disbursements: the finance agency's alone, within the tranche before the acceptance.
    let pay = |amount: i64, day: &str, voucher: &str| json!({ "amount_fen": amount, "paid_on": day, "voucher_number": voucher });
    let disbursements = format!("/api/v1/applications/{paid}/disbursements");
    let (status, body) = app.post_json(&reviewer, &disbursements, pay(120_000_000, "2026-10-13", "PZ-001")).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("action_not_allowed")), "{body}");
    let (status, body) = app.post_json(&finance, &disbursements, pay(120_000_000, "2026-10-14", "PZ-001")).await;
    assert_eq!((status, body["fields"]["paid_on"][0]["code"].as_str()), (422, Some("in_future")), "{body}");
    let (status, body) = app.post_json(&finance, &disbursements, pay(120_000_001, "2026-10-13", "PZ-001")).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("balance_before_acceptance")), "{body}");
    assert_eq!(program_budget(&app), (350_000_000, 0), "a refused payment moves nothing");
    let (status, body) = app.post_json(&finance, &disbursements, pay(120_000_000, "2026-10-13", "PZ-001")).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!((body["paid_fen"].as_i64(), body["payable_fen"].as_i64()), (Some(120_000_000), Some(0)), "{body}");
    assert_eq!(state_of(&app, paid), 7, "being paid");
    assert_eq!(program_budget(&app), (230_000_000, 120_000_000), "from reserved to paid");
    let (status, body) = app.post_json(&finance, &disbursements, pay(1, "2026-10-13", "PZ-002")).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("balance_before_acceptance")), "the balance waits: {body}");

    // Closing waits for the acceptance and the balance.
    let (status, body) = act(&app, &lead, paid, json!({ "action": "close", "expected_state": "disbursement" })).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("not_accepted")), "{body}");
    let acceptance = format!("/api/v1/applications/{paid}/acceptance");
    let (status, _) = app.post_json(&finance, &acceptance, json!({ "accepted_on": "2026-10-13", "report": "x" })).await;
    assert_eq!(status, 403, "the lead agency accepts");
    let (status, body) = app.post_json(&reviewer, &acceptance, json!({ "accepted_on": "2026-10-13", "report": " " })).await;
    assert_eq!((status, body["fields"]["report"][0]["code"].as_str()), (422, Some("required")), "{body}");
    let (status, body) = app.post_json(&reviewer, &acceptance, json!({ "accepted_on": "2026-10-13", "report": "设备运行稳定，各项指标达到申报要求，验收通过。" })).await;
    assert_eq!((status, body["accepted_on"].as_str(), body["payable_fen"].as_i64()), (200, Some("2026-10-13"), Some(80_000_000)), "{body}");
    let (status, body) = app.post_json(&lead, &acceptance, json!({ "accepted_on": "2026-10-13", "report": "再次验收" })).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("already_accepted")), "{body}");
    // The acceptance report kept as a file: the lead agency's staff add it, the company reads it.
    let (status, body) = add_award_files(&app, &finance, paid, "acceptance_report", &[("验收报告.pdf", PDF)]).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("action_not_allowed")), "{body}");
    let (status, body) = add_award_files(&app, &reviewer, paid, "", &[("验收报告.pdf", PDF)]).await;
    assert_eq!((status, body["fields"]["kind"][0]["code"].as_str()), (422, Some("required")), "{body}");
    let (status, body) = add_award_files(&app, &reviewer, paid, "acceptance_report", &[("验收报告.pdf", b"not a pdf")]).await;
    assert_eq!((status, body["fields"]["file.0"][0]["code"].as_str()), (422, Some("unsupported_type")), "{body}");
    let (status, body) = add_award_files(&app, &reviewer, paid, "acceptance_report", &[]).await;
    assert_eq!((status, body["fields"]["file"][0]["code"].as_str()), (422, Some("required")), "{body}");
    let (status, body) = add_award_files(&app, &reviewer, paid, "revocation_evidence", &[("证据.pdf", PDF)]).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("action_not_allowed")), "evidence is the agency lead's: {body}");
    assert_eq!(app.count("award_files", "1 = 1"), 0, "nothing kept from a refused upload");
    let (status, body) = add_award_files(&app, &reviewer, paid, "acceptance_report", &[("验收报告.pdf", PDF)]).await;
    assert_eq!(status, 201, "{body}");
    let report_file = body["files"][0]["id"].as_i64().unwrap();
    assert_eq!((body["files"][0]["kind"].as_str(), body["files"][0]["file_name"].as_str()), (Some("acceptance_report"), Some("验收报告.pdf")), "{body}");
    let res = paid_co.get(app.url(&format!("/api/v1/applications/{paid}/award-files/{report_file}"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("filename*=UTF-8''%E9%AA%8C"), "{:?}", res.headers());
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
    let res = fraud_co.get(app.url(&format!("/api/v1/applications/{paid}/award-files/{report_file}"))).send().await.unwrap();
    assert_eq!(res.status(), 404, "another company's file does not exist for it");
    let (status, body) = app.post_json(&finance, &disbursements, pay(80_000_001, "2026-10-13", "PZ-002")).await;
    assert_eq!((status, body["fields"]["amount_fen"][0]["code"].as_str()), (422, Some("above_approved")), "a payment over the approved amount: {body}");
    let (status, body) = app.post_json(&finance, &disbursements, pay(80_000_000, "2026-10-13", "PZ-001")).await;
    assert_eq!((status, body["fields"]["voucher_number"][0]["code"].as_str()), (422, Some("duplicate")), "a voucher is recorded once: {body}");
    assert_eq!(program_budget(&app), (230_000_000, 120_000_000), "nothing moved");
    let (status, body) = act(&app, &lead, paid, json!({ "action": "close", "expected_state": "disbursement" })).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("not_paid_in_full")), "{body}");
    let (status, body) = app.post_json(&finance, &disbursements, pay(80_000_000, "2026-10-13", "PZ-002")).await;
    assert_eq!((status, body["paid_fen"].as_i64()), (201, Some(200_000_000)), "{body}");
    assert_eq!(program_budget(&app), (150_000_000, 200_000_000));
    let (_, view) = actions(&app, &reviewer, paid).await;
    assert_eq!(names(&view), vec!["close".to_string()], "{view}");
    let (status, body) = act(&app, &reviewer, paid, json!({ "action": "close", "expected_state": "disbursement" })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(state_of(&app, paid), 8, "closed");
    assert_eq!(program_budget(&app), (150_000_000, 200_000_000), "closing moves no money");
    // The performance self-evaluation: due two months on, reminded five working days ahead.
    let (_, award) = app.get_json_with(&paid_co, &format!("/api/v1/applications/{paid}/award")).await;
    assert_eq!((award["closed_on"].as_str(), award["evaluation_due_on"].as_str()), (Some("2026-10-13"), Some("2026-12-13")), "{award}");
    assert_eq!(app.count("jobs", &format!("kind = 'evaluation_reminder' AND payload LIKE '%\"application_id\":{paid},%'")), 1);
    let evaluation = format!("/api/v1/applications/{paid}/self-evaluation");
    let (status, _) = app.send(reviewer.put(app.url(&evaluation)).json(&json!({ "evaluation": "x" }))).await;
    assert_eq!(status, 403, "the company's to file");
    let (status, body) = app.send(paid_co.put(app.url(&evaluation)).json(&json!({ "evaluation": "" }))).await;
    assert_eq!((status, body["fields"]["evaluation"][0]["code"].as_str()), (422, Some("required")), "{body}");
    // Five working days before 13 December (a Sunday): the reminder, to the company.
    app.advance(chrono::Utc.with_ymd_and_hms(2026, 12, 7, 1, 0, 1).unwrap() - app.state.clock.now());
    app.run_due_jobs();
    let paid_co = app.login("award621@example.com", PASSWORD).await;
    assert_eq!(notices_of(&app, &paid_co, "evaluation_due").await.len(), 1, "reminded");
    let (status, body) = app.send(paid_co.put(app.url(&evaluation)).json(&json!({ "evaluation": "设备已在三家电视台投入使用，达到申报目标；资金全部用于研发与首用推广。" }))).await;
    assert_eq!((status, body["evaluation_filed_at"].is_string()), (200, true), "{body}");
    let (status, body) = app.send(paid_co.put(app.url(&evaluation)).json(&json!({ "evaluation": "再次提交" }))).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("evaluation_filed")), "{body}");
    let (lead, reviewer, finance) = (login("lead@eitc.example").await, login("reviewer@eitc.example").await, login("lead@finance.example").await);
    let (fraud_co, _late_co) = (login("award622@example.com").await, login("award623@example.com").await);

    // A revocation for fraud after the first tranche: what was paid is to be recovered, the rest
    // of the reservation is given back, and the company is banned for three years.
    let (status, body) = app.post_json(&finance, &format!("/api/v1/applications/{fraud}/disbursements"), pay(60_000_000, "2026-10-13", "PZ-101")).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(program_budget(&app), (90_000_000, 260_000_000));
    let (status, body) = act(&app, &reviewer, fraud, json!({ "action": "revoke", "expected_state": "disbursement", "comment": "x" })).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("action_not_allowed")), "the agency lead revokes: {body}");
    let (status, body) = act(&app, &lead, fraud, json!({ "action": "revoke", "expected_state": "disbursement" })).await;
    assert_eq!((status, body["fields"]["comment"][0]["code"].as_str()), (422, Some("required")), "{body}");
    let (status, body) = act(&app, &lead, fraud, json!({ "action": "revoke", "expected_state": "disbursement", "comment": "经查，销售合同系伪造，首台套认定不成立。" })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(state_of(&app, fraud), 11, "revoked");
    assert_eq!(program_budget(&app), (50_000_000, 260_000_000), "the unpaid 40 million back to the budget");
    let revoked = notices_of(&app, &fraud_co, "revoked").await;
    assert_eq!(revoked.len(), 1, "the company is told, with the reason");
    assert!(revoked[0]["body"].as_str().unwrap().contains("销售合同系伪造"), "{}", revoked[0]);
    app.mail_about("award622@example.com", "立项已撤销").await;
    let (_, award) = app.get_json_with(&fraud_co, &format!("/api/v1/applications/{fraud}/award")).await;
    assert_eq!((award["recover_fen"].as_i64(), award["banned_until"].as_str(), award["revoke_reason"].as_str()), (Some(60_000_000), Some("2029-12-06"), Some("经查，销售合同系伪造，首台套认定不成立。")), "{award}");
    // The evidence behind the revocation: the agency lead's to add, the agencies' to read; the
    // company is told the reason, not shown the evidence.
    let (status, body) = add_award_files(&app, &lead, fraud, "revocation_evidence", &[("伪造合同.pdf", PDF), ("scan.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89")]).await;
    assert_eq!((status, body["files"].as_array().map(Vec::len)), (201, Some(2)), "{body}");
    let evidence = body["files"][0]["id"].as_i64().unwrap();
    let (_, award) = app.get_json_with(&fraud_co, &format!("/api/v1/applications/{fraud}/award")).await;
    assert_eq!(award["files"].as_array().map(Vec::len), Some(0), "{award}");
    let res = fraud_co.get(app.url(&format!("/api/v1/applications/{fraud}/award-files/{evidence}"))).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let res = finance.get(app.url(&format!("/api/v1/applications/{fraud}/award-files/{evidence}"))).send().await.unwrap();
    assert_eq!(res.status(), 200, "the finance agency recovering the money reads it");
    assert_eq!(app.count("audit_events", "event = 'award_file_downloaded'"), 1, "reading evidence is recorded");
    assert_eq!(app.count("audit_events", "event = 'award_files_added'"), 2);
    // On the application's page: the agency lead lists the evidence and adds more by a form
    // that works without JavaScript; the company's page does not list it.
    let (status, html) = page(&app, &lead, &format!("/applications/{fraud}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("伪造合同.pdf") && html.contains(&format!("action=\"/forms/applications/{fraud}/award-files\"")), "{html}");
    let (_, html) = page(&app, &fraud_co, &format!("/applications/{fraud}")).await;
    assert!(!html.contains("伪造合同.pdf") && !html.contains("award-files-form"), "{html}");
    let form = reqwest::multipart::Form::new().text("kind", "revocation_evidence").part("file", reqwest::multipart::Part::bytes(b"GIF89a".to_vec()).file_name("x.gif"));
    let (status, to) = location(lead.post(app.url(&format!("/forms/applications/{fraud}/award-files"))).multipart(form).send().await.unwrap()).await;
    assert!(status == 303 && to.contains("file.unsupported_type"), "{status} {to}");
    let form = reqwest::multipart::Form::new().text("kind", "revocation_evidence").part("file", reqwest::multipart::Part::bytes(PDF.to_vec()).file_name("笔录.pdf"));
    let (status, to) = location(lead.post(app.url(&format!("/forms/applications/{fraud}/award-files"))).multipart(form).send().await.unwrap()).await;
    assert_eq!((status, to.as_str()), (303, format!("/applications/{fraud}?filed=1#award-files").as_str()));
    assert_eq!(app.count("award_files", &format!("application_id = {fraud}")), 3);
    let recoveries = format!("/api/v1/applications/{fraud}/recoveries");
    let recover = |amount: i64, voucher: &str| json!({ "amount_fen": amount, "recovered_on": "2026-10-13", "voucher_number": voucher });
    let (status, body) = app.post_json(&finance, &recoveries, recover(60_000_001, "ZH-1")).await;
    assert_eq!((status, body["fields"]["amount_fen"][0]["code"].as_str()), (422, Some("above_recoverable")), "{body}");
    let (status, body) = app.post_json(&finance, &recoveries, recover(20_000_000, "ZH-1")).await;
    assert_eq!((status, body["recovered_fen"].as_i64()), (201, Some(20_000_000)), "a partial recovery: {body}");
    assert_eq!(program_budget(&app), (50_000_000, 240_000_000), "recovered money goes back to the budget");

    // The ban: the company sees why it cannot apply, to the day; then it lifts.
    let banned = failed_rules(&app, &fraud_co).await;
    let ban = banned.iter().find(|f| f["code"] == "banned").unwrap_or_else(|| panic!("{banned:?}"));
    assert!(ban["message"].as_str().unwrap().contains("2029-12-06"), "{ban}");
    // The company's profile shows the ban too (from every program), its last day and the reason.
    let fraud_enterprise = app.scalar(&format!("SELECT enterprise_id AS n FROM applications WHERE id = {fraud}"));
    let (status, profile) = app.get_json_with(&fraud_co, &format!("/api/v1/enterprises/{fraud_enterprise}/profile")).await;
    assert_eq!((status, profile["bans"][0]["ends_on"].as_str()), (200, Some("2029-12-06")), "{profile}");
    assert_eq!((profile["bans"][0]["program"].is_null(), profile["bans"][0]["reason"].as_str()), (true, Some("经查，销售合同系伪造，首台套认定不成立。")), "{profile}");
    let (_, html) = page(&app, &fraud_co, &format!("/company/{fraud_enterprise}/profile")).await;
    assert!(html.contains("data-testid=\"profile-ban\"") && html.contains("2029-12-06"), "{html}");
    assert!(failed_rules(&app, &paid_co).await.iter().all(|f| f["code"] != "banned"));
    // Revoked on 7 December 2026: 6 December 2029, 23:00 in Beijing, is still the ban's last day.
    app.advance(chrono::Utc.with_ymd_and_hms(2029, 12, 6, 15, 0, 0).unwrap() - app.state.clock.now());
    let fraud_co = app.login("award622@example.com", PASSWORD).await;
    assert!(failed_rules(&app, &fraud_co).await.iter().any(|f| f["code"] == "banned"));
    // The acceptance never recorded: overdue since 13 October 2028, the company is refused.
    let late_co2 = app.login("award623@example.com", PASSWORD).await;
    let overdue = failed_rules(&app, &late_co2).await;
    assert!(overdue.iter().any(|f| f["code"] == "overdue_acceptance"), "{overdue:?}");
    let (_, award) = app.get_json_with(&late_co2, &format!("/api/v1/applications/{late}/award")).await;
    assert_eq!(award["acceptance_overdue"], true, "{award}");
    // A program may choose not to refuse on an overdue acceptance: its lead saves a new version.
    let (_, guide) = app.get_json("/api/v1/programs/SH-2026-FIRST-SET").await;
    assert_eq!(guide["definition"]["refuse_overdue_acceptance"], true, "on unless turned off");
    let lead = app.login("lead@eitc.example", PASSWORD).await;
    edit_first_set(&app, &lead, |d| d["refuse_overdue_acceptance"] = json!(false)).await;
    assert!(failed_rules(&app, &late_co2).await.iter().all(|f| f["code"] != "overdue_acceptance"), "no longer refused");
    edit_first_set(&app, &lead, |d| d["refuse_overdue_acceptance"] = json!(true)).await;
    assert!(failed_rules(&app, &late_co2).await.iter().any(|f| f["code"] == "overdue_acceptance"), "refused again");
    drop(late_co);
    app.advance(chrono::Duration::hours(2));
    let fraud_co = app.login("award622@example.com", PASSWORD).await;
    assert!(failed_rules(&app, &fraud_co).await.iter().all(|f| f["code"] != "banned"), "lifted on 7 December 2029");

    // Every figure equals the sums of the rows beneath it.
    assert_eq!(app.scalar("SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) AS n FROM disbursements"), 260_000_000);
    assert_eq!(app.scalar("SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) AS n FROM recoveries"), 20_000_000);
    assert_eq!(app.scalar("SELECT CAST(COALESCE(SUM(paid_fen), 0) - COALESCE(SUM(recovered_fen), 0) AS BIGINT) AS n FROM awards"), program_budget(&app).1);
    for (event, n) in [("disbursement_recorded", 3), ("acceptance_recorded", 1), ("recovery_recorded", 1)] {
        assert_eq!(app.count("audit_events", &format!("event = '{event}'")), n, "{event}");
    }

    // The targets dashboard: subsidy committed (approved, and for the revoked award what stays
    // unrecovered) and paid (less recoveries) per program and base, equal to the rows' sums.
    let (status, targets) = app.get_json("/api/v1/targets").await;
    assert_eq!(status, 200, "{targets}");
    let first_set = targets["by_program"].as_array().unwrap().iter().find(|p| p["code"] == "SH-2026-FIRST-SET").cloned().unwrap();
    assert_eq!((first_set["awards"].as_i64(), first_set["committed_fen"].as_i64(), first_set["paid_fen"].as_i64()), (Some(3), Some(200_000_000 + 50_000_000 + 40_000_000), Some(240_000_000)), "{first_set}");
    let jinqiao = targets["by_base"].as_array().unwrap().iter().find(|b| b["code"] == "jinqiao").cloned().unwrap();
    assert_eq!(jinqiao["paid_fen"], 240_000_000, "{jinqiao}");
    let shanghai = targets["content"].as_array().unwrap().iter().find(|c| c["city_code"] == "shanghai").cloned().unwrap();
    let reported = app.scalar("SELECT CAST(COALESCE(SUM(r.content_4k_minutes), 0) AS BIGINT) AS n FROM periodic_reports r JOIN enterprises e ON e.id = r.enterprise_id WHERE e.division_code LIKE '31%'");
    assert_eq!((shanghai["delivered_4k_minutes"].as_i64(), shanghai["target_4k_hours"].as_i64()), (Some(reported), Some(10_000)), "{shanghai}");
    assert_eq!(targets["revenue"].as_array().unwrap().len(), 3);

    // Open data: the approved awards not revoked, as JSON and CSV with the same schema.
    let (status, open) = app.get_json("/api/v1/open-data/awards.json").await;
    assert_eq!((status, open["schema_version"].as_i64()), (200, Some(1)), "{open}");
    let listed: Vec<&str> = open["awards"].as_array().unwrap().iter().map(|a| a["company_name"].as_str().unwrap()).collect();
    assert_eq!(listed, vec!["金桥超高清测试企业621", "金桥超高清测试企业623"], "the revoked award is not published: {open}");
    assert_eq!((open["awards"][0]["amount_fen"].as_i64(), open["awards"][0]["approved_on"].as_str()), (Some(200_000_000), Some("2026-10-13")));
    let csv = app.get("/api/v1/open-data/awards.csv").await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    assert_eq!(lines.next(), Some("company_name,credit_code,program_code,program_title_zh,program_title_en,project_title,amount_fen,approved_on"));
    let first: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!((first[0], first[2], first[6], first[7]), ("金桥超高清测试企业621", "SH-2026-FIRST-SET", "200000000", "2026-10-13"));
    assert_eq!(lines.count(), 1);

    // The public page draws the same figures, each chart with its table.
    let (status, html) = page(&app, &app.new_client(), "/targets").await;
    assert_eq!(status, 200);
    assert!(html.contains("行动计划目标进展") && html.contains("role=\"img\"") && html.contains("<table"), "{html}");
    assert!(html.contains("超高清首台套装备专项 · 已拨付") && html.contains("240.0 万元"), "{html}");

    // Three years of reminders and escalations that came due meanwhile.
    app.run_due_jobs();
}
