//! Programs and filing (issue 13): the guide and its versions, eligibility with reasons, drafts,
//! materials, submission rules (call window, verified company, one per company per call,
//! duplicate funding, two at the same instant), withdrawal, the timeline and data scope.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::filing::{complete_draft, content_project, every_declaration, first_set_project, general_project, ready_company, submit, upload, CONTENT, CORE_RD, FIRST_SET, PDF};
use common::{all_at_once, credit_code, profile, TestApp, PASSWORD};
use serde_json::{json, Value};

#[tokio::test]
async fn the_guide_shows_the_current_version_and_what_changed() {
    let app = TestApp::spawn().await;
    let (status, guide) = app.get_json(&format!("/api/v1/programs/{FIRST_SET}")).await;
    assert_eq!(status, 200, "{guide}");
    assert_eq!(guide["version"], 1);
    assert_eq!(guide["definition"]["kind"], "first_set_equipment");
    assert_eq!(guide["definition"]["amount"]["tiers"][0]["cap_fen"], 3_000_000_000i64);
    assert_eq!(guide["call_status"], "open");
    assert!(guide["names"]["jinqiao"]["zh"].as_str().unwrap().contains("金桥"), "{guide}");
    assert!(guide["lead_agency_name"]["zh"].as_str().unwrap().contains("经济和信息化"));
    let (status, body) = app.get_json("/api/v1/programs/NO-SUCH").await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));

    // A draft filed under version 1, then the lead agency's lead edits the open call's budget.
    let (_, client) = ready_company(&app, 401, "guide@example.com").await;
    let (_, draft) = app.post_json(&client, "/api/v1/applications", json!({ "program_code": FIRST_SET })).await;
    let eitc = app.id_of("agencies", "sh-eitc");
    app.create_user("lead@eitc.example", "agency_lead", None, None, Some(eitc));
    let lead = app.login("lead@eitc.example", PASSWORD).await;
    let mut definition = guide["definition"].clone();
    definition["budget_total_fen"] = json!(25_000_000_000i64);
    let body = json!({ "city_code": "shanghai", "sort_order": 1, "definition": definition });
    let (status, saved) = app.send(lead.put(app.url(&format!("/api/v1/programs/{FIRST_SET}"))).json(&body)).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!((saved["version"].as_i64(), saved["outcome"].as_str()), (Some(2), Some("new_version")));
    let (status, again) = app.send(lead.put(app.url(&format!("/api/v1/programs/{FIRST_SET}"))).json(&body)).await;
    assert_eq!((status, again["outcome"].as_str()), (200, Some("unchanged")));
    // Another agency's lead may not; a company may not.
    let culture = app.id_of("agencies", "sh-culture-radio");
    app.create_user("lead@culture.example", "agency_lead", None, None, Some(culture));
    let other = app.login("lead@culture.example", PASSWORD).await;
    let (status, _) = app.send(other.put(app.url(&format!("/api/v1/programs/{FIRST_SET}"))).json(&body)).await;
    assert_eq!(status, 403);
    let (status, _) = app.send(client.put(app.url(&format!("/api/v1/programs/{FIRST_SET}"))).json(&body)).await;
    assert_eq!(status, 403);
    // A definition that does not add up is refused field by field.
    let mut bad = body.clone();
    bad["definition"]["tranches"] = json!([60, 30]);
    bad["definition"]["lead_agency"] = json!("sh-nobody");
    let (status, refused) = app.send(lead.put(app.url(&format!("/api/v1/programs/{FIRST_SET}"))).json(&bad)).await;
    assert_eq!(status, 403, "a lead agency that is not the caller's: {refused}");
    bad["definition"]["lead_agency"] = json!("sh-eitc");
    let (status, refused) = app.send(lead.put(app.url(&format!("/api/v1/programs/{FIRST_SET}"))).json(&bad)).await;
    assert_eq!((status, refused["fields"]["tranches"][0]["code"].as_str()), (422, Some("total_mismatch")), "{refused}");

    let (_, guide) = app.get_json(&format!("/api/v1/programs/{FIRST_SET}")).await;
    assert_eq!(guide["version"], 2);
    assert_eq!(guide["versions"][0]["changes"], json!(["budget_total_fen"]));
    assert_eq!(guide["budget_left_fen"], 25_000_000_000i64);
    // The draft stays on the version it was filed under; a new one takes the current.
    let (_, kept) = app.get_json_with(&client, &format!("/api/v1/applications/{}", draft["id"])).await;
    assert_eq!(kept["program_version"], 1);
    assert_eq!(app.count("audit_events", "event = 'program_saved'"), 1);
}

#[tokio::test]
async fn eligibility_names_each_failed_rule_in_words() {
    let app = TestApp::spawn().await;
    let company = app.register(402, "elig@example.com", true).await;
    let client = app.login("elig@example.com", PASSWORD).await;
    let url = app.url(&format!("/api/v1/programs/{FIRST_SET}/eligibility"));
    let (status, answer) = app.send(client.get(&url).header("Accept-Language", "en")).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["eligible"], false);
    let codes: Vec<&str> = answer["failed"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, vec!["base", "not_verified"]);
    assert!(answer["failed"][0]["message"].as_str().unwrap().contains("Jinqiao"), "{answer}");
    let (_, zh) = app.send(client.get(&url)).await;
    assert!(zh["failed"][0]["message"].as_str().unwrap().contains("浦东金桥"), "{zh}");

    // The R&D program: two years since founding, a valid high-tech qualification, core chips.
    let e = company.enterprise_id;
    let mut body = profile("资格测试企业");
    let founded = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive() - chrono::Months::new(11);
    body["founded_on"] = json!(founded.to_string());
    app.send(client.put(app.url(&format!("/api/v1/enterprises/{e}/profile"))).json(&body)).await;
    let rd = app.url(&format!("/api/v1/programs/{CORE_RD}/eligibility"));
    let (_, answer) = app.send(client.get(&rd).header("Accept-Language", "en")).await;
    let failed = answer["failed"].as_array().unwrap();
    let message = |code: &str| failed.iter().find(|f| f["code"] == code).map(|f| f["message"].as_str().unwrap().to_string());
    assert_eq!(message("years_founded").as_deref(), Some("Your company was founded 11 months ago; this program needs 2 years."));
    // The profile's high-tech certificate ended on 2026-11-30: not valid today.
    assert!(message("qualification").unwrap().contains("High-tech enterprise"), "{answer}");
    assert!(message("segment").is_some(), "{answer}");
    assert!(message("region").is_none());

    // Made eligible, then banned, then an award overdue for acceptance.
    let (e, client) = ready_company(&app, 403, "ready@example.com").await;
    let (_, answer) = app.send(client.get(&url)).await;
    assert_eq!(answer["eligible"], true, "{answer}");
    let program = app.id_of("programs", FIRST_SET);
    app.exec(&format!("INSERT INTO enterprise_bans (enterprise_id, program_id, starts_on, ends_on, reason, created_at) VALUES ({e}, NULL, '2026-01-01', '2029-12-31', 'fraud', CURRENT_TIMESTAMP)"));
    let (_, answer) = app.send(client.get(&url).header("Accept-Language", "en")).await;
    assert_eq!(answer["failed"][0]["code"], "banned");
    assert_eq!(answer["failed"][0]["message"], "Your company may not apply for subsidies until 2029-12-31.");
    app.exec(&format!("UPDATE enterprise_bans SET ends_on = '2026-01-02' WHERE enterprise_id = {e}"));
    app.exec(&format!(
        "INSERT INTO applications (program_id, enterprise_id, state, title, amount_requested_fen, created_at, updated_at, acceptance_due_on) \
         VALUES ({program}, {e}, 7, 'old', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '2026-01-31')"
    ));
    let (_, answer) = app.send(client.get(&url)).await;
    assert_eq!(answer["failed"][0]["code"], "overdue_acceptance", "{answer}");
    // Signed out: 401.
    let (status, _) = app.send(app.new_client().get(&url)).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_first_set_application_is_filed_step_by_step_and_submitted_once() {
    let app = TestApp::spawn().await;
    let (e, client) = ready_company(&app, 404, "file@example.com").await;
    let (status, draft) = app.post_json(&client, "/api/v1/applications", json!({ "program_code": FIRST_SET })).await;
    assert_eq!(status, 201, "{draft}");
    assert_eq!((draft["state"].as_str(), draft["program_code"].as_str()), (Some("draft"), Some(FIRST_SET)));
    assert_eq!(draft["verification_code"].as_str().unwrap().len(), 14);
    assert!(draft["computed_amount_fen"].is_null());
    let id = draft["id"].as_i64().unwrap();
    let put = |body: Value| app.send(client.put(app.url(&format!("/api/v1/applications/{id}"))).json(&body));
    // Incomplete is saved, with what is missing.
    let (status, saved) = put(json!({ "project": { "equipment_name": "8K 摄像机", "contracts": [{ "number": "A", "value_fen": 99_999_999_999i64, "signed_on": "2024-12-31" }] } })).await;
    assert_eq!(status, 200, "{saved}");
    let problems: Vec<String> = saved["problems"].as_array().unwrap().iter().map(|p| format!("{}={}", p["field"].as_str().unwrap(), p["code"].as_str().unwrap())).collect();
    for expected in ["project.model=required", "project.first_set_level=required", "project.contracts.0.signed_on=before_start", "materials.test-report=required"] {
        assert!(problems.contains(&expected.to_string()), "{expected} in {problems:?}");
    }
    assert!(!problems.iter().any(|p| p.starts_with("materials.novelty-search")), "optional material: {problems:?}");
    // The wrong type is refused and changes nothing.
    let (status, refused) = put(json!({ "project": { "contracts": "many" } })).await;
    assert_eq!((status, refused["fields"]["project"][0]["code"].as_str()), (422, Some("invalid")));
    let (status, refused) = put(json!({ "project": { "colour": "red" } })).await;
    assert_eq!(status, 422, "{refused}");
    let (_, kept) = app.get_json_with(&client, &format!("/api/v1/applications/{id}")).await;
    assert_eq!(kept["project"]["equipment_name"], "8K 摄像机");
    // The amount, computed as typed: 30% of 10,000,000 yuan; at the cap; just above it.
    let (_, saved) = put(json!({ "project": first_set_project("ZL 2023 1 0123456.7", "UHD-8K Cam", "SN-001") })).await;
    assert_eq!(saved["computed_amount_fen"], 300_000_000i64);
    let mut at_cap = first_set_project("ZL 2023 1 0123456.7", "UHD-8K Cam", "SN-001");
    at_cap["contracts"][0]["value_fen"] = json!(10_000_000_000i64);
    assert_eq!(put(json!({ "project": at_cap.clone() })).await.1["computed_amount_fen"], 3_000_000_000i64);
    at_cap["contracts"][0]["value_fen"] = json!(10_000_000_001i64);
    assert_eq!(put(json!({ "project": at_cap.clone() })).await.1["computed_amount_fen"], 3_000_000_000i64);
    at_cap["first_set_level"] = json!("domestic");
    at_cap["contracts"][0]["value_fen"] = json!(9_999_999_999i64);
    assert_eq!(put(json!({ "project": at_cap })).await.1["computed_amount_fen"], 999_999_999i64);
    // Four contracts, or contracts more than 6 months apart, break the contract rule.
    let mut many = first_set_project("ZL1", "M", "S");
    many["contracts"] = json!([
        { "number": "1", "value_fen": 100, "signed_on": "2026-01-05" }, { "number": "2", "value_fen": 100, "signed_on": "2026-02-05" },
        { "number": "3", "value_fen": 100, "signed_on": "2026-03-05" }, { "number": "4", "value_fen": 100, "signed_on": "2026-07-06" }
    ]);
    let (_, saved) = put(json!({ "project": many })).await;
    let problems = saved["problems"].to_string();
    assert!(problems.contains("\"project.contracts\",\"code\":\"out_of_range\"") || problems.contains("out_of_range"), "{problems}");
    assert!(problems.contains("contracts_span"), "{problems}");
    put(json!({ "project": first_set_project("ZL 2023 1 0123456.7", "UHD-8K Cam", "SN-001") })).await;

    // Submitting with materials missing: 422 naming them, and nothing changes.
    let (status, refused) = submit(&app, &client, id).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["fields"]["materials.application-form"][0]["code"], "required");
    // Materials: a type the material does not allow, an unknown material, then each one.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    let (status, refused) = upload(&app, &client, id, "application-form", png).await;
    assert_eq!((status, refused["fields"]["file"][0]["code"].as_str()), (422, Some("unsupported_type")), "{refused}");
    let (status, refused) = upload(&app, &client, id, "no-such-material", PDF).await;
    assert_eq!((status, refused["fields"]["material_code"][0]["code"].as_str()), (422, Some("unknown_material")));
    let (status, with_png) = upload(&app, &client, id, "business-licence", png).await;
    assert_eq!(status, 200, "a licence may be an image: {with_png}");
    for code in ["application-form", "sales-contract", "first-use-proof", "test-report", "patent-list", "authenticity-pledge"] {
        let (status, body) = upload(&app, &client, id, code, PDF).await;
        assert_eq!(status, 200, "{code}: {body}");
    }
    let file = client.get(app.url(&format!("/api/v1/applications/{id}/materials/test-report"))).send().await.unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.bytes().await.unwrap().as_ref(), PDF);

    // Without every declaration: 422 naming the ones not made (a body that is not JSON, too),
    // and nothing changes.
    let (status, refused) = app.post_json(&client, &format!("/api/v1/applications/{id}/submit"), json!({ "declarations": ["truthful"] })).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["fields"]["declarations.no_double_funding"][0]["code"], "required");
    assert_eq!(refused["fields"]["declarations.public_notice"][0]["code"], "required");
    assert!(refused["fields"].get("declarations.truthful").is_none(), "{refused}");
    let res = client.post(app.url(&format!("/api/v1/applications/{id}/submit"))).header("content-type", "application/json").body("declared").send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(app.count("applications", &format!("id = {id} AND state = 0 AND declarations IS NULL")), 1);

    let (status, submitted) = submit(&app, &client, id).await;
    assert_eq!(status, 200, "{submitted}");
    assert_eq!(submitted["state"], "recommending_review");
    assert_eq!(submitted["declarations"], json!(["truthful", "no_double_funding", "public_notice"]));
    assert!(submitted["submitted_at"].is_string());
    assert_eq!(app.count("applications", &format!("id = {id} AND recommending_base_id = {}", app.id_of("bases", "jinqiao"))), 1);
    assert_eq!(app.count("application_keys", &format!("application_id = {id} AND active")), 2);
    let mail = app.mail_about("file@example.com", "申报已提交").await;
    assert!(mail.body.contains(submitted["verification_code"].as_str().unwrap()) && mail.body.contains(&format!("/applications/{id}")), "{}", mail.body);
    // Once: again is 409, a second draft for the call is 409, the draft no longer changes.
    assert_eq!(submit(&app, &client, id).await.1["error"], "not_a_draft");
    let (status, again) = app.post_json(&client, "/api/v1/applications", json!({ "program_code": FIRST_SET })).await;
    assert_eq!((status, again["error"].as_str()), (409, Some("already_applied")));
    assert_eq!(put(json!({ "project": {} })).await.1["error"], "not_a_draft");
    assert_eq!(upload(&app, &client, id, "test-report", PDF).await.0, 409);

    let (status, list) = app.get_json_with(&client, "/api/v1/applications").await;
    assert_eq!(status, 200);
    assert_eq!(list["total"], 1);
    assert_eq!((list["items"][0]["state"].as_str(), list["items"][0]["title"].as_str()), (Some("recommending_review"), Some("8K 超高清摄像机")));
    let (_, timeline) = app.get_json_with(&client, &format!("/api/v1/applications/{id}/timeline")).await;
    let kinds: Vec<&str> = timeline.as_array().unwrap().iter().map(|t| t["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["created", "submitted"]);
    assert_eq!(app.count("audit_events", &format!("event = 'application_submitted' AND object_id = {id}")), 1);
    assert_eq!(app.count("audit_events", &format!("event = 'material_uploaded' AND object_id = {id}")), 7);

    // The application form: read back with pdftotext, checked with qpdf, and the verification
    // page shows its fingerprint.
    let res = client.get(app.url(&format!("/api/v1/applications/{id}/form.pdf"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let pdf = res.bytes().await.unwrap().to_vec();
    assert!(pdf.len() < 200 * 1024, "{} bytes", pdf.len());
    let path = common::temp_dir("form").join("form.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let text = String::from_utf8(std::process::Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output().unwrap().stdout).unwrap();
    let code = submitted["verification_code"].as_str().unwrap();
    for needle in ["金桥超高清测试企业404", "超高清首台套装备专项", "叁佰万元整", code, "ZL 2023 1 0123456.7", "法定代表人（签字）"] {
        assert!(text.contains(needle), "{needle} in the form:\n{text}");
    }
    let check = std::process::Command::new("qpdf").arg("--check").arg(&path).output().unwrap();
    assert!(check.status.success(), "qpdf: {}", String::from_utf8_lossy(&check.stdout));
    use sha2::Digest;
    let fingerprint = hex::encode(sha2::Sha256::digest(&pdf));
    let (status, verified) = app.get_json(&format!("/api/v1/verify/{}", code.to_lowercase().replace('-', " "))).await;
    assert_eq!(status, 200, "{verified}");
    assert_eq!(verified["forms"][0]["sha256"], fingerprint.as_str());
    assert_eq!((verified["company_name"].as_str(), verified["computed_amount_fen"].as_i64()), (Some("金桥超高清测试企业404"), Some(300_000_000)));
    assert!(verified["submitted_at"].is_string());
    assert_eq!(app.get_json("/api/v1/verify/AAAA-BBBB-CCCC").await.0, 404);

    // Withdrawn with a reason: the call is free again for the company.
    let (status, refused) = app.post_json(&client, &format!("/api/v1/applications/{id}/withdraw"), json!({ "reason": " " })).await;
    assert_eq!((status, refused["fields"]["reason"][0]["code"].as_str()), (422, Some("required")));
    let (status, withdrawn) = app.post_json(&client, &format!("/api/v1/applications/{id}/withdraw"), json!({ "reason": "合同变更" })).await;
    assert_eq!((status, withdrawn["state"].as_str()), (200, Some("withdrawn")), "{withdrawn}");
    assert_eq!(withdrawn["withdraw_reason"], "合同变更");
    let (status, _) = app.post_json(&client, &format!("/api/v1/applications/{id}/withdraw"), json!({ "reason": "again" })).await;
    assert_eq!(status, 409);
    assert_eq!(app.count("application_keys", &format!("application_id = {id} AND active")), 0);
    let again = complete_draft(&app, &client, FIRST_SET, first_set_project("ZL 2023 1 0123456.7", "UHD-8K Cam", "SN-001")).await;
    assert_eq!(submit(&app, &client, again).await.0, 200, "after a withdrawal the same project may be filed again");
    // A decided application may not be withdrawn.
    app.exec(&format!("UPDATE applications SET state = 6 WHERE id = {again}"));
    let (status, refused) = app.post_json(&client, &format!("/api/v1/applications/{again}/withdraw"), json!({ "reason": "x" })).await;
    assert_eq!((status, refused["error"].as_str()), (409, Some("not_withdrawable")));
    let _ = e;
}

#[tokio::test]
async fn submission_refuses_an_unverified_company_and_a_closed_call() {
    let app = TestApp::spawn().await;
    let (e, client) = ready_company(&app, 405, "window@example.com").await;
    let id = complete_draft(&app, &client, FIRST_SET, first_set_project("ZL-W-1", "W-1", "S-1")).await;
    app.exec(&format!("UPDATE enterprises SET verification = 'pending' WHERE id = {e}"));
    assert_eq!(submit(&app, &client, id).await.1["error"], "company_not_verified");
    app.exec(&format!("UPDATE enterprises SET verification = 'verified' WHERE id = {e}"));

    // The call closes at 2026-12-31T09:00:00Z: one second before, at, and after.
    let closes = chrono::DateTime::parse_from_rfc3339("2026-12-31T09:00:00Z").unwrap().with_timezone(&chrono::Utc);
    let (e2, client2) = ready_company(&app, 406, "window2@example.com").await;
    let late = complete_draft(&app, &client2, FIRST_SET, first_set_project("ZL-W-2", "W-2", "S-2")).await;
    app.advance(closes - chrono::Utc::now() - chrono::Duration::seconds(1) - chrono::Duration::milliseconds(300));
    let client = app.login("window@example.com", PASSWORD).await;
    let (status, body) = submit(&app, &client, id).await;
    assert_eq!(status, 200, "one second before closing: {body}");
    app.advance(chrono::Duration::seconds(2));
    let client2 = app.login("window2@example.com", PASSWORD).await;
    let (status, body) = submit(&app, &client2, late).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("call_closed")), "at closing: {body}");
    app.advance(chrono::Duration::days(1));
    let client2 = app.login("window2@example.com", PASSWORD).await;
    assert_eq!(submit(&app, &client2, late).await.1["error"], "call_closed");
    let (status, body) = app.post_json(&client2, "/api/v1/applications", json!({ "program_code": FIRST_SET })).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("call_closed")), "no new drafts once closed");

    // The R&D call opens at 2027-01-11T01:00:00Z: a draft before it, submitted one second
    // before (refused) and at opening (taken). It routes to the district government.
    let opens = chrono::DateTime::parse_from_rfc3339("2027-01-11T01:00:00Z").unwrap().with_timezone(&chrono::Utc);
    let rd = complete_draft(&app, &client2, CORE_RD, general_project()).await;
    app.advance(opens - app.state.clock.now() - chrono::Duration::seconds(1));
    let client2 = app.login("window2@example.com", PASSWORD).await;
    assert_eq!(submit(&app, &client2, rd).await.1["error"], "call_closed", "one second before opening");
    app.advance(chrono::Duration::seconds(1));
    let (status, body) = submit(&app, &client2, rd).await;
    assert_eq!(status, 200, "at opening: {body}");
    assert_eq!(app.count("applications", &format!("id = {rd} AND recommending_agency_id = {}", app.id_of("agencies", "sh-pudong"))), 1);
    let _ = e2;
}

#[tokio::test]
async fn the_same_project_cannot_be_funded_twice() {
    let app = TestApp::spawn().await;
    let (_, a) = ready_company(&app, 407, "dup-a@example.com").await;
    let (_, b) = ready_company(&app, 408, "dup-b@example.com").await;
    let first = complete_draft(&app, &a, FIRST_SET, first_set_project("ZL 2023 1 0123456.7", "UHD-8K Cam", "SN-001")).await;
    assert_eq!(submit(&app, &a, first).await.0, 200);
    let content = complete_draft(&app, &a, CONTENT, content_project("（沪）剧审字（2026）第 001 号")).await;
    assert_eq!(submit(&app, &a, content).await.0, 200);

    // The same patent with other spacing and case, in another company's application.
    let b1 = complete_draft(&app, &b, FIRST_SET, first_set_project("zl202310123456.7", "Other", "X-1")).await;
    let (status, refused) = submit(&app, &b, b1).await;
    assert_eq!((status, refused["error"].as_str()), (409, Some("duplicate_funding")), "{refused}");
    let message = refused["fields"]["project.patents"][0]["message"].as_str().unwrap();
    assert!(message.contains("zl202310123456.7") && !message.contains("测试") && !message.contains("407"), "names what matched, not whose: {message}");
    // The same model and serial number.
    app.send(b.put(app.url(&format!("/api/v1/applications/{b1}"))).json(&json!({ "project": first_set_project("ZL-B-1", "uhd 8k cam", "sn 001") }))).await;
    let (_, refused) = submit(&app, &b, b1).await;
    assert_eq!(refused["fields"]["project.serial_numbers"][0]["code"], "duplicate_funding", "{refused}");
    // The same work's licence number, in another program (Guangzhou's is not open to B; the
    // content program of Shanghai is, once A's is withdrawn... first: refused).
    let (e_c, c) = ready_company(&app, 409, "dup-c@example.com").await;
    let c1 = complete_draft(&app, &c, CONTENT, content_project("(沪)剧审字(2026)第001号")).await;
    let (_, refused) = submit(&app, &c, c1).await;
    assert_eq!(refused["fields"]["project.licence_numbers"][0]["code"], "duplicate_funding", "{refused}");
    // A withdrawn application no longer blocks; a rejected one neither.
    app.post_json(&a, &format!("/api/v1/applications/{content}/withdraw"), json!({ "reason": "重复" })).await;
    assert_eq!(submit(&app, &c, c1).await.0, 200);
    app.exec(&format!("UPDATE applications SET state = 10 WHERE id = {first}"));
    app.exec(&format!("UPDATE application_keys SET active = FALSE WHERE application_id = {first}"));
    app.send(b.put(app.url(&format!("/api/v1/applications/{b1}"))).json(&json!({ "project": first_set_project("ZL 2023 1 0123456.7", "UHD-8K Cam", "SN-001") }))).await;
    assert_eq!(submit(&app, &b, b1).await.0, 200);
    let _ = e_c;
}

#[tokio::test]
async fn two_submissions_released_at_once_make_one() {
    let app = TestApp::spawn().await;
    // One company, two drafts of one call, submitted at the same instant.
    let (e, client) = ready_company(&app, 410, "race-a@example.com").await;
    let one = complete_draft(&app, &client, FIRST_SET, first_set_project("ZL-R-1", "R-1", "S-1")).await;
    let two = complete_draft(&app, &client, FIRST_SET, first_set_project("ZL-R-2", "R-2", "S-2")).await;
    let other = app.login("race-a@example.com", PASSWORD).await;
    let answers = all_at_once(vec![
        client.post(app.url(&format!("/api/v1/applications/{one}/submit"))).json(&every_declaration()),
        other.post(app.url(&format!("/api/v1/applications/{two}/submit"))).json(&every_declaration()),
    ])
    .await;
    let mut statuses: Vec<(u16, Option<String>)> = answers.iter().map(|(s, b)| (*s, b["error"].as_str().map(str::to_string))).collect();
    statuses.sort();
    assert_eq!(statuses, vec![(200, None), (409, Some("already_applied".into()))], "{answers:?}");
    assert_eq!(app.count("applications", &format!("enterprise_id = {e} AND state = 1")), 1);

    // Two companies with the same patent, at the same instant.
    let (_, b) = ready_company(&app, 411, "race-b@example.com").await;
    let (_, c) = ready_company(&app, 412, "race-c@example.com").await;
    let b1 = complete_draft(&app, &b, FIRST_SET, first_set_project("ZL-SAME", "B", "1")).await;
    let c1 = complete_draft(&app, &c, FIRST_SET, first_set_project("zl same", "C", "1")).await;
    let answers = all_at_once(vec![
        b.post(app.url(&format!("/api/v1/applications/{b1}/submit"))).json(&every_declaration()),
        c.post(app.url(&format!("/api/v1/applications/{c1}/submit"))).json(&every_declaration()),
    ])
    .await;
    let mut statuses: Vec<(u16, Option<String>)> = answers.iter().map(|(s, b)| (*s, b["error"].as_str().map(str::to_string))).collect();
    statuses.sort();
    assert_eq!(statuses, vec![(200, None), (409, Some("duplicate_funding".into()))], "{answers:?}");
    assert_eq!(app.count("application_keys", "kind = 'patent' AND key = 'ZLSAME' AND active"), 1);
}

#[tokio::test]
async fn a_company_never_reads_another_companys_application() {
    let app = TestApp::spawn().await;
    let (_, a) = ready_company(&app, 413, "scope-a@example.com").await;
    let (_, b) = ready_company(&app, 414, "scope-b@example.com").await;
    let id = complete_draft(&app, &a, FIRST_SET, first_set_project("ZL-S", "S", "1")).await;
    for path in [
        format!("/api/v1/applications/{id}"),
        format!("/api/v1/applications/{id}/timeline"),
        format!("/api/v1/applications/{id}/materials/test-report"),
        format!("/api/v1/applications/{id}/form.pdf"),
    ] {
        let (status, body) = app.get_json_with(&b, &path).await;
        assert_eq!((status, body["error"].as_str()), (404, Some("not_found")), "{path}: {body}");
    }
    let (status, _) = app.send(b.put(app.url(&format!("/api/v1/applications/{id}"))).json(&json!({ "project": {} }))).await;
    assert_eq!(status, 404);
    assert_eq!(upload(&app, &b, id, "test-report", PDF).await.0, 404);
    assert_eq!(submit(&app, &b, id).await.0, 404);
    let (status, _) = app.post_json(&b, &format!("/api/v1/applications/{id}/withdraw"), json!({ "reason": "x" })).await;
    assert_eq!(status, 404);
    let (_, list) = app.get_json_with(&b, "/api/v1/applications").await;
    assert_eq!(list["total"], 0);
    // The park manager of the company's base does not see drafts either.
    app.create_user("pm@jinqiao.example", "park_manager", None, Some(app.id_of("bases", "jinqiao")), None);
    let pm = app.login("pm@jinqiao.example", PASSWORD).await;
    let (status, _) = app.get_json_with(&pm, &format!("/api/v1/applications/{id}")).await;
    assert_eq!(status, 404);
    let (status, _) = app.get_json_with(&app.new_client(), &format!("/api/v1/applications/{id}")).await;
    assert_eq!(status, 401);
    // One of the company's own people who has not confirmed their address reads it, but is told
    // why they may not change it.
    let member = app.create_user("scope-member@example.com", "enterprise_member", Some(app.scalar(&format!("SELECT enterprise_id AS n FROM applications WHERE id = {id}"))), None, None);
    app.exec(&format!("UPDATE users SET email_verified_at = NULL WHERE id = {member}"));
    let m = app.login("scope-member@example.com", PASSWORD).await;
    assert_eq!(app.get_json_with(&m, &format!("/api/v1/applications/{id}")).await.0, 200);
    let (status, body) = app.send(m.put(app.url(&format!("/api/v1/applications/{id}"))).json(&json!({ "project": {} }))).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("email_unverified")));
}

/// The location a form post redirects to.
fn location(res: &reqwest::Response) -> String {
    res.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string()
}

async fn page(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).header("Accept-Language", "zh-CN").send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn a_company_files_through_the_pages_without_javascript() {
    let app = TestApp::spawn().await;
    // The public guide: purpose, rules, amount with a worked example, materials, timeline.
    let (status, html) = page(&app.new_client(), &app, &format!("/programs/{FIRST_SET}")).await;
    assert_eq!(status, 200);
    for needle in ["超高清首台套装备专项", "申报条件", "计算示例", "第三方检测报告", "个工作日", "请以企业身份登录"] {
        assert!(html.contains(needle), "{needle} on the guide");
    }
    assert_eq!(page(&app.new_client(), &app, "/programs/NO-SUCH").await.0, 404);

    // A company that is not yet a tenant sees why it may not apply.
    app.register(420, "pages-new@example.com", true).await;
    let newcomer = app.login("pages-new@example.com", PASSWORD).await;
    let (_, html) = page(&newcomer, &app, &format!("/programs/{FIRST_SET}")).await;
    assert!(html.contains("贵单位尚未入驻") && html.contains("尚未通过核验"), "reasons in words");
    let (_, html) = page(&newcomer, &app, "/dashboard").await;
    assert!(html.contains("适合贵单位的专项") && html.contains("data-program=\"SH-2026-FIRST-SET\""), "programs for you");

    let (e, client) = ready_company(&app, 421, "pages@example.com").await;
    let (_, html) = page(&client, &app, &format!("/programs/{FIRST_SET}")).await;
    assert!(html.contains("贵单位符合本专项申报条件") && html.contains("action=\"/forms/applications\""), "eligible, with the start button");
    let res = client.post(app.url("/forms/applications")).form(&[("program_code", FIRST_SET)]).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let to = location(&res);
    assert!(to.starts_with("/applications/") && to.ends_with("/project"), "{to}");
    let id: i64 = to.trim_start_matches("/applications/").trim_end_matches("/project").parse().unwrap();
    let (status, html) = page(&client, &app, &to).await;
    assert_eq!(status, 200);
    // One thing per page: the details, then what the amount is computed from.
    assert!(html.contains("name=\"equipment_name\"") && !html.contains("name=\"c0_value\""));
    let (_, html) = page(&client, &app, &format!("/applications/{id}/amount")).await;
    assert!(html.contains("name=\"c0_value\"") && !html.contains("name=\"equipment_name\""));

    // A value that does not parse comes back to its page with its error; the rest is saved.
    let res = client.post(app.url(&format!("/forms/applications/{id}/project"))).form(&[("step", "details"), ("equipment_name", "8K 转播摄像机"), ("model", "UHD-8K Cam"), ("next", "amount")]).send().await.unwrap();
    assert_eq!(location(&res), format!("/applications/{id}/amount"));
    let form = [("step", "amount"), ("c0_number", "HT-1"), ("c0_value", "一千万"), ("c0_signed_on", "2026-06-01"), ("next", "materials")];
    let res = client.post(app.url(&format!("/forms/applications/{id}/project"))).form(&form).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let back = location(&res);
    assert!(back.starts_with(&format!("/applications/{id}/amount?err=c0_value.invalid_amount")), "{back}");
    let (_, html) = page(&client, &app, &back).await;
    assert!(html.contains("一千万"), "what was typed comes back");
    let (_, saved) = app.get_json_with(&client, &format!("/api/v1/applications/{id}")).await;
    assert_eq!(saved["project"]["equipment_name"], "8K 转播摄像机", "the rest was saved");

    let buyer = credit_code(900);
    let form = [
        ("equipment_name", "8K 转播摄像机"), ("model", "UHD-8K Cam"), ("serial_numbers", "SN-P-1\nSN-P-2"), ("first_set_level", "international"),
        ("buyer_name", "上海广播电视台"), ("buyer_credit_code", buyer.as_str()), ("c0_number", "HT-1"), ("c0_value", "10,000,000"),
        ("c0_signed_on", "2026-06-01"), ("first_use_on", "2026-08-01"), ("patents", "ZL-PAGE-1"), ("next", "materials"),
    ];
    let res = client.post(app.url(&format!("/forms/applications/{id}/project"))).form(&form).send().await.unwrap();
    assert_eq!(location(&res), format!("/applications/{id}/materials"));
    let (_, html) = page(&client, &app, &format!("/applications/{id}/amount")).await;
    assert!(html.contains("3,000,000.00"), "the amount computed from what was saved");
    // Each page of the project step saves its own fields: the details page leaves the
    // contracts as they are, and the amount page the equipment's name.
    let res = client.post(app.url(&format!("/forms/applications/{id}/project"))).form(&[("step", "details"), ("equipment_name", "8K 转播摄像机 II"), ("model", "UHD-8K Cam"), ("serial_numbers", "SN-P-1\nSN-P-2"), ("buyer_name", "上海广播电视台"), ("buyer_credit_code", buyer.as_str()), ("first_use_on", "2026-08-01"), ("patents", "ZL-PAGE-1"), ("next", "amount")]).send().await.unwrap();
    assert_eq!(location(&res), format!("/applications/{id}/amount"));
    let res = client.post(app.url(&format!("/forms/applications/{id}/project"))).form(&[("step", "amount"), ("first_set_level", "domestic"), ("c0_number", "HT-1"), ("c0_value", "10,000,000"), ("c0_signed_on", "2026-06-01"), ("next", "stay")]).send().await.unwrap();
    assert_eq!(location(&res), format!("/applications/{id}/amount?saved=1"));
    let (_, view) = app.get_json_with(&client, &format!("/api/v1/applications/{id}")).await;
    assert_eq!((view["project"]["equipment_name"].as_str(), view["computed_amount_fen"].as_i64()), (Some("8K 转播摄像机 II"), Some(100_000_000)));
    let res = client.post(app.url(&format!("/forms/applications/{id}/project"))).form(&[("step", "amount"), ("first_set_level", "international"), ("c0_number", "HT-1"), ("c0_value", "10,000,000"), ("c0_signed_on", "2026-06-01"), ("next", "materials")]).send().await.unwrap();
    assert_eq!(location(&res), format!("/applications/{id}/materials"));

    // Materials, each through the upload form.
    let (_, html) = page(&client, &app, &format!("/applications/{id}/materials")).await;
    assert!(html.contains("enctype=\"multipart/form-data\""));
    let (_, view) = app.get_json_with(&client, &format!("/api/v1/applications/{id}")).await;
    for m in view["materials"].as_array().unwrap() {
        let code = m["code"].as_str().unwrap().to_string();
        let form = reqwest::multipart::Form::new()
            .text("material_code", code.clone())
            .part("file", reqwest::multipart::Part::bytes(PDF.to_vec()).file_name("scan.pdf").mime_str("application/pdf").unwrap());
        let res = client.post(app.url(&format!("/forms/applications/{id}/materials"))).multipart(form).send().await.unwrap();
        assert_eq!(location(&res), format!("/applications/{id}/materials?uploaded={code}"));
    }
    // Check your answers, then submit.
    let (_, html) = page(&client, &app, &format!("/applications/{id}")).await;
    assert!(html.contains("提交前请核对申报内容") && html.contains("SN-P-1") && html.contains("修改"), "answers with change links");
    assert!(html.contains(&format!("/applications/{id}/declarations")), "the check page leads on to the declarations");
    // A declaration not ticked comes back beside its box; nothing is submitted.
    let (_, html) = page(&client, &app, &format!("/applications/{id}/declarations")).await;
    assert!(html.contains("所填信息及所附材料真实") && html.contains("name=\"declaration_public_notice\""), "{html}");
    let res = client.post(app.url(&format!("/forms/applications/{id}/submit"))).form(&[("declaration_truthful", "on"), ("declaration_no_double_funding", "on")]).send().await.unwrap();
    assert!(location(&res).starts_with(&format!("/applications/{id}/declarations?err=")), "{}", location(&res));
    assert!(location(&res).contains("declarations.public_notice.required"), "{}", location(&res));
    let (_, html) = page(&client, &app, &location(&res)).await;
    assert!(html.contains("此项必填") && html.contains("checked"), "the message beside the box, the ticked boxes kept: {html}");
    assert_eq!(app.count("applications", &format!("id = {id} AND state = 0")), 1);
    let declared = [("declaration_truthful", "on"), ("declaration_no_double_funding", "on"), ("declaration_public_notice", "on")];
    let res = client.post(app.url(&format!("/forms/applications/{id}/submit"))).form(&declared).send().await.unwrap();
    assert_eq!(location(&res), format!("/applications/{id}?submitted=1"));
    let (_, html) = page(&client, &app, &location(&res)).await;
    assert!(html.contains("推荐单位审核中") && html.contains("已提交"), "the status in words for applicants");
    let (_, html) = page(&client, &app, "/applications").await;
    assert!(html.contains("8K 转播摄像机"));
    // A second start is refused with the reason on the guide.
    let res = client.post(app.url("/forms/applications")).form(&[("program_code", FIRST_SET)]).send().await.unwrap();
    assert!(location(&res).contains("_.already_applied"), "{}", location(&res));
    // Another company's page is the not-found page.
    assert_eq!(page(&newcomer, &app, &format!("/applications/{id}")).await.0, 404);

    // Anyone checks the printed form by its code.
    let code = view["verification_code"].as_str().unwrap().to_string();
    let (status, html) = page(&app.new_client(), &app, &format!("/verify/{code}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("金桥超高清测试企业421"), "{html}");
    let _ = e;
}
