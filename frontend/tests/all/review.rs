//! The review workflow (issue 14) through the public API: each party sees and takes only its
//! own actions, one shape for every step, field-level returns for supplement answered by the
//! company, the agencies' proposal with its budget reservation and signatures, returns to an
//! earlier stage, rejection, withdrawal, what the applicant's timeline never shows, and one
//! transition out of many attempted at the same instant.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::filing::{complete_draft, content_project, first_set_project, ready_company, submit, upload, CONTENT, FIRST_SET};
use common::{all_at_once, credit_code, TestApp, PASSWORD};
use serde_json::{json, Value};

/// The people of a first-set review: Jinqiao's park manager (the recommending unit), a reviewer
/// and the agency lead of the lead agency (sh-eitc), the co-review agency's lead (sh-finance),
/// and six experts in "8K 摄像机" with no ties to any test company.
pub(crate) struct Staff {
    pub(crate) park: reqwest::Client,
    pub(crate) reviewer: reqwest::Client,
    pub(crate) lead: reqwest::Client,
    pub(crate) finance: reqwest::Client,
    pub(crate) admin: reqwest::Client,
    pub(crate) experts: Vec<(i64, reqwest::Client)>,
}

const SPECIALTY: &str = "8K 摄像机";

pub(crate) async fn staff(app: &TestApp) -> Staff {
    let (jinqiao, eitc, finance) = (app.id_of("bases", "jinqiao"), app.id_of("agencies", "sh-eitc"), app.id_of("agencies", "sh-finance"));
    app.create_user("park@jinqiao.example", "park_manager", None, Some(jinqiao), None);
    app.create_user("reviewer@eitc.example", "agency_reviewer", None, None, Some(eitc));
    app.create_user("lead@eitc.example", "agency_lead", None, None, Some(eitc));
    app.create_user("lead@finance.example", "agency_lead", None, None, Some(finance));
    app.create_user("admin@portal.example", "system_admin", None, None, None);
    let admin = app.login("admin@portal.example", PASSWORD).await;
    let mut experts = Vec::new();
    for i in 0..6u32 {
        let email = format!("expert{i}@pool.example");
        let id = app.create_user(&email, "expert", None, None, None);
        let (status, body) = pool_entry(app, &admin, id, credit_code(7000 + i), &[]).await;
        assert_eq!(status, 200, "{body}");
        experts.push((id, app.login(&email, PASSWORD).await));
    }
    Staff {
        park: app.login("park@jinqiao.example", PASSWORD).await,
        reviewer: app.login("reviewer@eitc.example", PASSWORD).await,
        lead: app.login("lead@eitc.example", PASSWORD).await,
        finance: app.login("lead@finance.example", PASSWORD).await,
        admin,
        experts,
    }
}

/// Save expert `id`'s pool entry: specialty [`SPECIALTY`], its employer, related parties.
async fn pool_entry(app: &TestApp, admin: &reqwest::Client, id: i64, employer: String, related: &[String]) -> (u16, Value) {
    let body = json!({ "specialties": [SPECIALTY, "AVS3"], "employer_credit_code": employer, "past_employers": [], "related_parties": related });
    app.send(admin.put(app.url(&format!("/api/v1/admin/experts/{id}"))).json(&body)).await
}

/// The expert stage run through: the lead agency's lead draws a panel, each drawn expert
/// declares no conflict and scores until the program's rule (2/3) completes the stage.
pub(crate) async fn through_experts(app: &TestApp, s: &Staff, id: i64) {
    let (status, panel) = app.post_json(&s.lead, &format!("/api/v1/applications/{id}/expert-draw"), json!({ "specialty": SPECIALTY })).await;
    assert_eq!(status, 200, "{panel}");
    for (_, expert) in &s.experts {
        if state_of(app, id) != 3 {
            break;
        }
        let Some(assignment) = assignment_of(app, expert, id).await else { continue };
        let (status, body) = app.post_json(expert, &format!("/api/v1/expert-assignments/{assignment}/declaration"), json!({ "conflict": false })).await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = app.send(expert.put(app.url(&format!("/api/v1/expert-assignments/{assignment}/scores"))).json(&sheet(30, 20, 25))).await;
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(state_of(app, id), 4, "the expert stage completed");
}

/// The open assignment of `expert` for application `id`, if drawn.
async fn assignment_of(app: &TestApp, expert: &reqwest::Client, id: i64) -> Option<i64> {
    let (status, list) = app.get_json_with(expert, "/api/v1/expert-assignments").await;
    assert_eq!(status, 200, "{list}");
    list.as_array().unwrap().iter().find(|a| a["application_id"] == id && a["open"] == true).and_then(|a| a["id"].as_i64())
}

/// A score sheet of the first-set rubric.
fn sheet(innovation: u32, market: u32, capability: u32) -> Value {
    json!({ "scores": [
        { "code": "innovation", "score": innovation, "comment": "国内首创，指标领先" },
        { "code": "market", "score": market, "comment": "已有首用单位" },
        { "code": "capability", "score": capability, "comment": "研发投入持续" }
    ] })
}

/// A submitted first-set application of company `n`: its id and the company's client.
pub(crate) async fn submitted(app: &TestApp, n: u32, email: &str, patent: &str) -> (i64, reqwest::Client) {
    let (_, client) = ready_company(app, n, email).await;
    let id = complete_draft(app, &client, FIRST_SET, first_set_project(patent, &format!("CAM-{n}"), &format!("SN-{n}"))).await;
    let (status, body) = submit(app, &client, id).await;
    assert_eq!(status, 200, "{body}");
    (id, client)
}

pub(crate) async fn act(app: &TestApp, client: &reqwest::Client, id: i64, body: Value) -> (u16, Value) {
    app.post_json(client, &format!("/api/v1/applications/{id}/actions"), body).await
}

pub(crate) async fn actions(app: &TestApp, client: &reqwest::Client, id: i64) -> (u16, Value) {
    app.get_json_with(client, &format!("/api/v1/applications/{id}/actions")).await
}

pub(crate) fn names(v: &Value) -> Vec<String> {
    v["actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect()
}

pub(crate) async fn timeline(app: &TestApp, client: &reqwest::Client, id: i64) -> Value {
    let (status, body) = app.get_json_with(client, &format!("/api/v1/applications/{id}/timeline")).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// A new version of the first-set program's definition, changed by `change` (applications
/// submitted from then on follow it), saved by its lead agency's `lead`.
pub(crate) async fn edit_first_set(app: &TestApp, lead: &reqwest::Client, change: impl FnOnce(&mut Value)) {
    let (_, guide) = app.get_json(&format!("/api/v1/programs/{FIRST_SET}")).await;
    let mut definition = guide["definition"].clone();
    change(&mut definition);
    let body = json!({ "city_code": "shanghai", "sort_order": 1, "definition": definition });
    let (status, saved) = app.send(lead.put(app.url(&format!("/api/v1/programs/{FIRST_SET}"))).json(&body)).await;
    assert_eq!(status, 200, "{saved}");
}

/// The application's state as stored.
pub(crate) fn state_of(app: &TestApp, id: i64) -> i64 {
    app.scalar(&format!("SELECT CAST(state AS BIGINT) AS n FROM applications WHERE id = {id}"))
}

#[tokio::test]
async fn recommend_return_for_supplement_answer_and_pass_on() {
    let app = TestApp::spawn().await;
    let s = staff(&app).await;
    let (id, company) = submitted(&app, 501, "cam@example.com", "ZL202610000001").await;

    // Only the recommending unit may act now; the lead agency does not see it yet.
    let (status, view) = actions(&app, &s.park, id).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["state"], "recommending_review");
    assert_eq!(names(&view), vec!["recommend".to_string(), "return_for_supplement".into(), "reject".into()]);
    assert!(view["stage_due_on"].is_string(), "the stage has its time limit: {view}");
    let (status, _) = actions(&app, &s.reviewer, id).await;
    assert_eq!(status, 404, "not routed to the lead agency before the recommendation");
    let (status, _) = app.get_json_with(&s.reviewer, &format!("/api/v1/applications/{id}")).await;
    assert_eq!(status, 404);
    let (status, mine) = actions(&app, &company, id).await;
    assert_eq!((status, names(&mine)), (200, vec!["withdraw".to_string()]));
    // Not the company's step; not the park's with a wrong or missing input.
    let (status, body) = act(&app, &company, id, json!({ "action": "recommend", "expected_state": "recommending_review" })).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("action_not_allowed")), "{body}");
    let (status, body) = act(&app, &s.park, id, json!({ "action": "approve_all", "expected_state": "recommending_review" })).await;
    assert_eq!((status, body["fields"]["action"][0]["code"].as_str()), (422, Some("invalid")), "{body}");
    let (status, body) = act(&app, &s.park, id, json!({ "action": "approve", "expected_state": "recommending_review" })).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("action_not_allowed")), "approval comes after the notice: {body}");
    let bad_flags = json!({ "action": "return_for_supplement", "expected_state": "recommending_review", "comment": "请补正",
        "flags": [{ "field": "no_such_field", "comment": "x" }, { "material_code": "no-such", "comment": "y" }, { "field": "model", "material_code": "test-report", "comment": "z" }] });
    let (status, body) = act(&app, &s.park, id, bad_flags).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["fields"]["flags.0.field"][0]["code"], "invalid");
    assert_eq!(body["fields"]["flags.1.material_code"][0]["code"], "unknown_material");
    assert_eq!(body["fields"]["flags.2"][0]["code"], "invalid");
    let (status, body) = act(&app, &s.park, id, json!({ "action": "reject", "expected_state": "recommending_review" })).await;
    assert_eq!((status, body["fields"]["comment"][0]["code"].as_str()), (422, Some("required")), "a rejection says why: {body}");
    assert_eq!(state_of(&app, id), 1, "nothing changed");

    // The park returns it with two flags: a field and a material.
    let ret = json!({ "action": "return_for_supplement", "expected_state": "recommending_review", "comment": "型号与检测报告不一致，请补正。",
        "flags": [{ "field": "model", "comment": "型号应与检测报告一致" }, { "material_code": "test-report", "comment": "检测报告缺少盖章页" }] });
    let (status, after) = act(&app, &s.park, id, ret).await;
    assert_eq!(status, 200, "{after}");
    assert_eq!((after["state"].as_str(), after["round"].as_i64()), (Some("returned_for_supplement"), Some(1)));
    let (status, flags) = app.get_json_with(&company, &format!("/api/v1/applications/{id}/supplement")).await;
    assert_eq!(status, 200, "{flags}");
    let flags = flags.as_array().unwrap().clone();
    assert_eq!(flags.len(), 2);
    let (model_flag, report_flag) = (flags[0]["id"].as_i64().unwrap(), flags[1]["id"].as_i64().unwrap());
    assert_eq!(flags[0]["comment"], "型号应与检测报告一致");
    let (_, mine) = actions(&app, &company, id).await;
    assert_eq!(names(&mine), vec!["withdraw".to_string()], "no resubmission while flags are open: {mine}");

    // A partial answer: the model corrected; resubmitting is refused until the report is in.
    let (status, body) = app.send(company.put(app.url(&format!("/api/v1/applications/{id}/supplement"))).json(&json!({ "answers": [{ "flag_id": report_flag }] }))).await;
    assert_eq!((status, body["fields"]["answers.0"][0]["code"].as_str()), (422, Some("required")), "an empty answer: {body}");
    let (status, body) = app.send(company.put(app.url(&format!("/api/v1/applications/{id}/supplement"))).json(&json!({ "answers": [{ "flag_id": model_flag, "value": "" }] }))).await;
    assert_eq!((status, body["fields"]["answers.0.value"][0]["code"].as_str()), (422, Some("required")), "a corrected value passes the field's check: {body}");
    let (status, body) = app.send(company.put(app.url(&format!("/api/v1/applications/{id}/supplement"))).json(&json!({ "answers": [{ "flag_id": model_flag, "value": "CAM-501-B", "reply": "已按检测报告更正型号" }] }))).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = act(&app, &company, id, json!({ "action": "resubmit", "expected_state": "returned_for_supplement" })).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("flags_unanswered")), "{body}");
    // Only flagged materials may be replaced now.
    let (status, body) = upload(&app, &company, id, "patent-list", common::filing::PDF).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("not_a_draft")), "{body}");
    let (status, body) = upload(&app, &company, id, "test-report", b"%PDF-1.4\n% the stamped page\n%%EOF\n").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app.send(company.put(app.url(&format!("/api/v1/applications/{id}/supplement"))).json(&json!({ "answers": [{ "flag_id": report_flag }] }))).await;
    assert_eq!(status, 200, "the new file answers the material's flag: {body}");
    assert!(body[1]["answered_file_sha256"].is_string(), "{body}");
    let (status, after) = act(&app, &company, id, json!({ "action": "resubmit", "expected_state": "returned_for_supplement" })).await;
    assert_eq!(status, 200, "{after}");
    assert_eq!(state_of(&app, id), 1, "back to the stage that returned it");
    let (_, stored) = app.get_json_with(&company, &format!("/api/v1/applications/{id}")).await;
    assert_eq!(stored["project"]["model"], "CAM-501-B");

    // A stale view is refused with where it stands now.
    let (status, body) = act(&app, &s.park, id, json!({ "action": "recommend", "expected_state": "formal_review" })).await;
    assert_eq!((status, body["error"].as_str(), body["current_state"].as_str()), (409, Some("state_changed"), Some("recommending_review")), "{body}");
    let (status, _) = act(&app, &s.park, id, json!({ "action": "recommend", "expected_state": "recommending_review", "comment": "该企业为基地重点企业，建议支持。" })).await;
    assert_eq!(status, 200);
    // Recommended: it shows on the tenant page's recommendations; the lead agency now has it.
    let (status, view) = actions(&app, &s.reviewer, id).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["state"], "formal_review");
    assert_eq!(names(&view), vec!["return_for_supplement".to_string(), "reject".into(), "pass".into()]);
    let (status, read) = app.get_json_with(&s.reviewer, &format!("/api/v1/applications/{id}")).await;
    assert_eq!((status, read["project"]["model"].as_str()), (200, Some("CAM-501-B")), "the reviewer reads it");
    let status = app.get(&format!("/api/v1/applications/{id}/materials/test-report")).await.status().as_u16();
    assert_eq!(status, 401, "materials are not public");
    let material = s.reviewer.get(app.url(&format!("/api/v1/applications/{id}/materials/test-report"))).send().await.unwrap();
    assert_eq!(material.status().as_u16(), 200);
    let (status, _) = actions(&app, &s.finance, id).await;
    assert_eq!(status, 404, "the co-review agency sees it from the decision on");
    let (status, _) = act(&app, &s.reviewer, id, json!({ "action": "pass", "expected_state": "formal_review", "comment": "形式审查通过" })).await;
    assert_eq!(status, 200);
    assert_eq!(state_of(&app, id), 3);

    // The applicant's timeline: the steps in applicant terms, the return's reason, never an
    // internal opinion or who acted; staff see all of it.
    let mine = timeline(&app, &company, id).await.to_string();
    assert!(mine.contains("型号与检测报告不一致"), "{mine}");
    for hidden in ["建议支持", "形式审查通过", "park@jinqiao.example", "reviewer@eitc.example", "actor_name", "internal"] {
        assert!(!mine.contains(hidden), "the applicant's timeline shows {hidden}: {mine}");
    }
    let theirs = timeline(&app, &s.reviewer, id).await.to_string();
    for shown in ["建议支持", "形式审查通过", "park@jinqiao.example", "recommending_unit"] {
        assert!(theirs.contains(shown), "staff see {shown}: {theirs}");
    }
    // Every step is in the audit chain.
    assert_eq!(app.count("audit_events", &format!("event = 'application_review_step' AND object_id = {id}")), 4, "return, resubmit, recommend, pass");
}

#[tokio::test]
async fn the_agencies_propose_reserve_countersign_and_send_back() {
    let app = TestApp::spawn().await;
    let s = staff(&app).await;
    let (id, company) = submitted(&app, 502, "decide@example.com", "ZL202610000002").await;
    act(&app, &s.park, id, json!({ "action": "recommend", "expected_state": "recommending_review" })).await;
    act(&app, &s.reviewer, id, json!({ "action": "pass", "expected_state": "formal_review" })).await;
    let (status, body) = act(&app, &s.reviewer, id, json!({ "action": "pass", "expected_state": "expert_review" })).await;
    assert_eq!(status, 403, "the expert stage completes by its rule, not by a reviewer: {body}");
    through_experts(&app, &s, id).await;

    let (_, view) = actions(&app, &s.reviewer, id).await;
    assert_eq!(names(&view), vec!["return_for_supplement".to_string(), "propose_approval".into(), "propose_rejection".into()]);
    let (status, view) = actions(&app, &s.finance, id).await;
    assert_eq!((status, names(&view)), (200, vec!["return_for_supplement".to_string(), "return_to_stage".into()]), "{view}");
    // The computed amount: 30% of 10,000,000 yuan = 3,000,000 yuan.
    let computed = 300_000_000i64;
    let (status, body) = act(&app, &s.reviewer, id, json!({ "action": "propose_approval", "expected_state": "agency_decision", "amount_fen": computed + 1 })).await;
    assert_eq!((status, body["fields"]["amount_fen"][0]["code"].as_str()), (422, Some("above_computed")), "{body}");
    let program = app.scalar(&format!("SELECT program_id AS n FROM applications WHERE id = {id}"));
    app.exec(&format!("UPDATE programs SET budget_used_fen = budget_total_fen - 100000000 WHERE id = {program}"));
    let (status, body) = act(&app, &s.reviewer, id, json!({ "action": "propose_approval", "expected_state": "agency_decision", "amount_fen": computed })).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("budget_exceeded")), "one yuan more than the budget left: {body}");
    app.exec(&format!("UPDATE programs SET budget_used_fen = 0 WHERE id = {program}"));
    let (status, body) = act(&app, &s.reviewer, id, json!({ "action": "propose_approval", "expected_state": "agency_decision", "amount_fen": 250_000_000, "comment": "建议按 250 万元支持" })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["proposal"].as_str(), body["proposed_amount_fen"].as_i64()), (Some("approve"), Some(250_000_000)));
    assert_eq!(app.scalar(&format!("SELECT budget_reserved_fen AS n FROM programs WHERE id = {program}")), 250_000_000, "the amount is reserved");
    let (_, mine) = actions(&app, &company, id).await;
    assert!(mine["proposal"].is_null() && mine["proposed_amount_fen"].is_null(), "the applicant does not see a proposal: {mine}");

    // The co-review agency countersigns after the lead agency's lead signs.
    let (status, body) = act(&app, &s.finance, id, json!({ "action": "countersign", "expected_state": "agency_decision" })).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("lead_not_signed")), "{body}");
    let (status, body) = act(&app, &s.lead, id, json!({ "action": "countersign", "expected_state": "agency_decision" })).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = act(&app, &s.lead, id, json!({ "action": "countersign", "expected_state": "agency_decision" })).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("already_signed")), "{body}");
    // A return to formal review: a new round; the signature and reservation no longer count.
    let (status, body) = act(&app, &s.finance, id, json!({ "action": "return_to_stage", "expected_state": "agency_decision", "to_stage": "draft", "comment": "x" })).await;
    assert_eq!((status, body["fields"]["to_stage"][0]["code"].as_str()), (422, Some("stage_not_earlier")), "{body}");
    let (status, body) = act(&app, &s.finance, id, json!({ "action": "return_to_stage", "expected_state": "agency_decision", "to_stage": "formal_review", "comment": "合同金额与发票不符，请重新形式审查。" })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(state_of(&app, id), 2);
    assert_eq!(app.scalar(&format!("SELECT budget_reserved_fen AS n FROM programs WHERE id = {program}")), 0, "the reservation is given back");
    // Every stage from there on is passed again, and signed again by all.
    act(&app, &s.reviewer, id, json!({ "action": "pass", "expected_state": "formal_review" })).await;
    through_experts(&app, &s, id).await;
    let (status, body) = act(&app, &s.lead, id, json!({ "action": "propose_approval", "expected_state": "agency_decision", "amount_fen": 200_000_000 })).await;
    assert_eq!(status, 200, "{body}");
    let (_, view) = actions(&app, &s.finance, id).await;
    assert_eq!(names(&view), vec!["return_for_supplement".to_string(), "return_to_stage".into()], "the lead's earlier signature no longer counts: {view}");
    act(&app, &s.lead, id, json!({ "action": "countersign", "expected_state": "agency_decision" })).await;
    let (status, body) = act(&app, &s.finance, id, json!({ "action": "countersign", "expected_state": "agency_decision", "comment": "同意" })).await;
    assert_eq!(status, 200, "{body}");
    // Decided: nobody may do anything more here; the applicant can no longer withdraw.
    for who in [&s.reviewer, &s.lead, &s.finance, &company] {
        let (_, view) = actions(&app, who, id).await;
        assert!(names(&view).is_empty(), "{view}");
    }
    let (status, body) = act(&app, &company, id, json!({ "action": "withdraw", "expected_state": "agency_decision", "comment": "不再申请" })).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("already_decided")), "{body}");
    let (status, body) = app.post_json(&company, &format!("/api/v1/applications/{id}/withdraw"), json!({ "reason": "不再申请" })).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("not_withdrawable")), "{body}");
    assert_eq!(app.scalar(&format!("SELECT budget_reserved_fen AS n FROM programs WHERE id = {program}")), 200_000_000);
    assert_eq!(app.count("decision_signatures", &format!("application_id = {id}")), 3, "one signature in the first round, two in the second");
}

#[tokio::test]
async fn rejection_and_withdrawal_end_the_review() {
    let app = TestApp::spawn().await;
    let s = staff(&app).await;
    // Rejected by the recommending unit: the reason reaches the applicant; nothing more.
    let (id, company) = submitted(&app, 503, "reject@example.com", "ZL202610000003").await;
    let (status, body) = act(&app, &s.park, id, json!({ "action": "reject", "expected_state": "recommending_review", "comment": "项目不属于首台套范围。" })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(state_of(&app, id), 10);
    assert!(timeline(&app, &company, id).await.to_string().contains("项目不属于首台套范围"));
    let (status, body) = act(&app, &s.park, id, json!({ "action": "recommend", "expected_state": "rejected" })).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("application_closed")), "{body}");
    assert_eq!(app.count("application_keys", &format!("application_id = {id} AND active")), 0, "its keys no longer count");
    // A rejection proposed by the lead agency and signed by all rejects, with its reason.
    let (id, company) = submitted(&app, 504, "reject2@example.com", "ZL202610000004").await;
    act(&app, &s.park, id, json!({ "action": "recommend", "expected_state": "recommending_review" })).await;
    act(&app, &s.reviewer, id, json!({ "action": "pass", "expected_state": "formal_review" })).await;
    through_experts(&app, &s, id).await;
    let (status, body) = act(&app, &s.reviewer, id, json!({ "action": "propose_rejection", "expected_state": "agency_decision", "comment": "专家评分未达到支持线。" })).await;
    assert_eq!(status, 200, "{body}");
    act(&app, &s.lead, id, json!({ "action": "countersign", "expected_state": "agency_decision" })).await;
    assert_eq!(state_of(&app, id), 4, "still waiting for the co-review agency");
    act(&app, &s.finance, id, json!({ "action": "countersign", "expected_state": "agency_decision" })).await;
    assert_eq!(state_of(&app, id), 10);
    let mine = timeline(&app, &company, id).await.to_string();
    assert!(mine.contains("专家评分未达到支持线"), "{mine}");
    // Withdrawn at formal review through the same shape of request.
    let (id, company) = submitted(&app, 505, "withdraw@example.com", "ZL202610000005").await;
    act(&app, &s.park, id, json!({ "action": "recommend", "expected_state": "recommending_review" })).await;
    let (status, body) = act(&app, &company, id, json!({ "action": "withdraw", "expected_state": "formal_review" })).await;
    assert_eq!((status, body["fields"]["comment"][0]["code"].as_str()), (422, Some("required")), "{body}");
    let (status, body) = act(&app, &company, id, json!({ "action": "withdraw", "expected_state": "formal_review", "comment": "项目调整" })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(state_of(&app, id), 9);
    let (status, _) = act(&app, &s.reviewer, id, json!({ "action": "pass", "expected_state": "withdrawn" })).await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn a_hundred_attempts_at_one_transition_make_one() {
    let app = TestApp::spawn().await;
    let s = staff(&app).await;
    let (id, _) = submitted(&app, 506, "race@example.com", "ZL202610000006").await;
    let body = json!({ "action": "recommend", "expected_state": "recommending_review" });
    let requests = (0..100).map(|_| s.park.post(app.url(&format!("/api/v1/applications/{id}/actions"))).json(&body)).collect();
    let answers = all_at_once(requests).await;
    let ok = answers.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(ok, 1, "{:?}", answers.iter().map(|a| a.0).collect::<Vec<_>>());
    for (status, body) in answers.iter().filter(|(status, _)| *status != 200) {
        assert_eq!((*status, body["error"].as_str(), body["current_state"].as_str()), (409, Some("state_changed"), Some("formal_review")), "{body}");
    }
    assert_eq!(app.count("application_events", &format!("application_id = {id} AND kind = 'recommend'")), 1);
    assert_eq!(app.count("audit_events", &format!("event = 'application_review_step' AND object_id = {id}")), 1);
}

#[tokio::test]
async fn the_expert_stage_draws_untied_experts_replaces_a_recusal_and_completes_by_two_thirds() {
    let app = TestApp::spawn().await;
    let s = staff(&app).await;
    // The applicant names a competitor to keep off its panel before submitting.
    let n = 507;
    let applicant = credit_code(n);
    let competitor = credit_code(8888);
    let (_, company) = ready_company(&app, n, "panel@example.com").await;
    let id = complete_draft(&app, &company, FIRST_SET, first_set_project("ZL202610000007", "CAM-507", "SN-507")).await;
    let project = first_set_project("ZL202610000007", "CAM-507", "SN-507");
    let (status, body) = app.send(company.put(app.url(&format!("/api/v1/applications/{id}"))).json(&json!({ "project": project, "excluded_orgs": [applicant.clone()] }))).await;
    assert_eq!((status, body["fields"]["excluded_orgs.0"][0]["code"].as_str()), (422, Some("invalid")), "not its own: {body}");
    let (status, body) = app.send(company.put(app.url(&format!("/api/v1/applications/{id}"))).json(&json!({ "project": project, "excluded_orgs": [competitor.clone()] }))).await;
    assert_eq!((status, body["excluded_orgs"][0].as_str()), (200, Some(competitor.as_str())), "{body}");
    let (status, body) = submit(&app, &company, id).await;
    assert_eq!(status, 200, "{body}");
    // Three more experts of the same specialty, each tied to the applicant: employed there,
    // declaring it a related party, employed by the competitor it named. None is ever drawn.
    let mut tied = Vec::new();
    for (i, (employer, related)) in [(applicant.clone(), vec![]), (credit_code(7100), vec![applicant.clone()]), (competitor.clone(), vec![])].into_iter().enumerate() {
        let email = format!("tied{i}@pool.example");
        let uid = app.create_user(&email, "expert", None, None, None);
        let (status, body) = pool_entry(&app, &s.admin, uid, employer, &related).await;
        assert_eq!(status, 200, "{body}");
        tied.push(uid);
    }
    let (status, body) = pool_entry(&app, &s.admin, tied[0], "91310115MA1K3YJ12".into(), &[]).await;
    assert_eq!((status, body["fields"]["employer_credit_code"][0]["code"].as_str()), (422, Some("credit_code_length")), "{body}");
    let (status, _) = pool_entry(&app, &s.lead, tied[0], credit_code(7200), &[]).await;
    assert_eq!(status, 403, "only system admins keep the pool");

    act(&app, &s.park, id, json!({ "action": "recommend", "expected_state": "recommending_review" })).await;
    let (status, body) = app.post_json(&s.lead, &format!("/api/v1/applications/{id}/expert-draw"), json!({ "specialty": SPECIALTY })).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("state_changed")), "not before the expert stage: {body}");
    act(&app, &s.reviewer, id, json!({ "action": "pass", "expected_state": "formal_review" })).await;
    let (status, body) = app.post_json(&s.reviewer, &format!("/api/v1/applications/{id}/expert-draw"), json!({ "specialty": SPECIALTY })).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("action_not_allowed")), "the agency lead draws: {body}");
    let (status, body) = app.post_json(&s.lead, &format!("/api/v1/applications/{id}/expert-draw"), json!({ "specialty": SPECIALTY, "count": 7 })).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("not_enough_experts")), "six untied experts for seven places: {body}");
    assert_eq!(app.count("expert_assignments", &format!("application_id = {id}")), 0, "nobody drawn");
    let (status, panel) = app.post_json(&s.lead, &format!("/api/v1/applications/{id}/expert-draw"), json!({ "specialty": SPECIALTY })).await;
    assert_eq!(status, 200, "{panel}");
    assert_eq!(panel["members"].as_array().unwrap().len(), 5, "the program's panel size: {panel}");
    for uid in &tied {
        assert_eq!(app.count("expert_assignments", &format!("expert_user_id = {uid}")), 0, "a tied expert was drawn");
    }

    // The drawn experts: one recuses and is replaced by the sixth; the others confirm.
    let mut drawn = Vec::new();
    for (uid, expert) in &s.experts {
        if let Some(a) = assignment_of(&app, expert, id).await {
            drawn.push((*uid, expert, a));
        }
    }
    assert_eq!(drawn.len(), 5);
    let (_, recusing, recused) = drawn[0];
    let (status, body) = app.get_json_with(recusing, &format!("/api/v1/applications/{id}")).await;
    assert_eq!(status, 404, "an expert reads the application only after confirming no conflict: {body}");
    let (status, body) = app.post_json(recusing, &format!("/api/v1/expert-assignments/{recused}/declaration"), json!({ "conflict": true })).await;
    assert_eq!((status, body["fields"]["reason"][0]["code"].as_str()), (422, Some("required")), "{body}");
    let (status, body) = app.post_json(recusing, &format!("/api/v1/expert-assignments/{recused}/declaration"), json!({ "conflict": true, "reason": "三年内曾为该企业提供咨询" })).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app.send(recusing.put(app.url(&format!("/api/v1/expert-assignments/{recused}/scores"))).json(&sheet(30, 20, 25))).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("not_confirmed")), "{body}");
    let replacement = s.experts.iter().find(|(uid, _)| !drawn.iter().any(|d| d.0 == *uid)).unwrap();
    let replacement_assignment = assignment_of(&app, &replacement.1, id).await;
    assert!(replacement_assignment.is_some(), "the sixth expert replaces the recused one");
    let (_, panel) = app.get_json_with(&s.lead, &format!("/api/v1/applications/{id}/experts")).await;
    let statuses: Vec<&str> = panel["members"].as_array().unwrap().iter().map(|m| m["status"].as_str().unwrap()).collect();
    assert_eq!((statuses.iter().filter(|s| **s == "recused").count(), statuses.len()), (1, 6), "{panel}");

    // Scoring: independent, checked line by line, complete at 4 of 5 (2/3, rounded up).
    let mut scorers: Vec<(&reqwest::Client, i64)> = drawn[1..].iter().map(|(_, c, a)| (*c, *a)).collect();
    scorers.push((&replacement.1, replacement_assignment.unwrap()));
    let (first, first_assignment) = scorers[0];
    let (status, body) = app.send(first.put(app.url(&format!("/api/v1/expert-assignments/{first_assignment}/scores"))).json(&sheet(30, 20, 25))).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("not_confirmed")), "{body}");
    for (expert, a) in &scorers {
        let (status, body) = app.post_json(expert, &format!("/api/v1/expert-assignments/{a}/declaration"), json!({ "conflict": false })).await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = app.get_json_with(first, &format!("/api/v1/applications/{id}")).await;
    assert_eq!(status, 200, "a confirmed expert reads the application: {body}");
    let (status, _) = app.get_json_with(first, &format!("/api/v1/applications/{id}/experts")).await;
    assert_eq!(status, 404, "an expert sees no other score");
    let bad = json!({ "scores": [{ "code": "innovation", "score": 41, "comment": "" }, { "code": "nope", "score": 1, "comment": "x" }] });
    let (status, body) = app.send(first.put(app.url(&format!("/api/v1/expert-assignments/{first_assignment}/scores"))).json(&bad)).await;
    assert_eq!(status, 422, "{body}");
    for field in ["scores.0.score", "scores.0.comment", "scores.1.code", "scores.market", "scores.capability"] {
        assert!(body["fields"][field].is_array(), "{field}: {body}");
    }
    // Weighted totals (weights 1): 75, 90, 60 and 85; with fewer than five the mean of all.
    let sheets = [sheet(30, 20, 25), sheet(40, 25, 25), sheet(20, 20, 20), sheet(35, 25, 25)];
    for (i, ((expert, a), body)) in scorers.iter().zip(sheets.iter()).enumerate() {
        let (status, answer) = app.send(expert.put(app.url(&format!("/api/v1/expert-assignments/{a}/scores"))).json(body)).await;
        assert_eq!(status, 200, "{answer}");
        let (status, again) = app.send(expert.put(app.url(&format!("/api/v1/expert-assignments/{a}/scores"))).json(body)).await;
        if i < 3 {
            assert_eq!((status, again["error"].as_str()), (409, Some("already_scored")), "{again}");
            assert_eq!(state_of(&app, id), 3, "{} of 5 is not yet 2/3", i + 1);
        } else {
            assert_eq!((status, again["error"].as_str()), (409, Some("state_changed")), "the stage is over: {again}");
        }
    }
    assert_eq!(state_of(&app, id), 4, "four of five sheets complete the stage");
    let (_, panel) = app.get_json_with(&s.lead, &format!("/api/v1/applications/{id}/experts")).await;
    assert_eq!((panel["complete"].as_bool(), panel["result_milli"].as_i64()), (Some(true), Some(77_500)), "{panel}");
    let scored = panel["members"].as_array().unwrap().iter().find(|m| m["total"].is_number()).unwrap();
    assert_eq!(scored["scores"][0]["comment"], "国内首创，指标领先", "each sheet in the rubric's order: {scored}");
    let (status, _) = app.get_json_with(&company, &format!("/api/v1/applications/{id}/experts")).await;
    assert_eq!(status, 404, "the applicant never sees the panel");
    let mine = timeline(&app, &company, id).await.to_string();
    for hidden in ["expert0@pool.example", "expert1@pool.example", "三年内曾为该企业提供咨询", "8K 摄像机", "77500"] {
        assert!(!mine.contains(hidden), "the applicant's timeline shows {hidden}: {mine}");
    }
    assert!(mine.contains("experts_complete"), "{mine}");
}

#[tokio::test]
async fn the_queue_shows_each_party_its_own_work_with_working_days_left() {
    let app = TestApp::spawn().await;
    let s = staff(&app).await;
    let mut ids = Vec::new();
    for n in 511..514u32 {
        ids.push(submitted(&app, n, &format!("queue{n}@example.com"), &format!("ZL2026200{n}")).await);
    }
    let queue = |client: &reqwest::Client, query: &str| {
        let (app, client, query) = (&app, client.clone(), query.to_string());
        async move { app.get_json_with(&client, &format!("/api/v1/review/queue{query}")).await }
    };
    let (status, park) = queue(&s.park, "").await;
    assert_eq!((status, park["total"].as_i64()), (200, Some(3)), "{park}");
    let row = &park["items"][0];
    assert_eq!((row["state"].as_str(), row["base_code"].as_str(), row["program_code"].as_str()), (Some("recommending_review"), Some("jinqiao"), Some(FIRST_SET)));
    assert_eq!(row["working_days_left"], 10, "the recommending unit's time limit: {row}");
    assert_eq!(row["overdue"], false);
    assert!(row["company_name"].as_str().unwrap().contains("金桥超高清测试企业"), "{row}");
    let (_, reviewer) = queue(&s.reviewer, "").await;
    assert_eq!(reviewer["total"], 0, "nothing at the lead agency before a recommendation");
    let (status, company) = queue(&ids[0].1, "").await;
    assert_eq!((status, company["total"].as_i64()), (200, Some(0)), "a company has no review work");

    let first = ids[0].0;
    act(&app, &s.park, first, json!({ "action": "recommend", "expected_state": "recommending_review" })).await;
    let (_, park) = queue(&s.park, "").await;
    assert_eq!(park["total"], 2);
    let (_, reviewer) = queue(&s.reviewer, "").await;
    assert_eq!((reviewer["total"].as_i64(), reviewer["items"][0]["id"].as_i64()), (Some(1), Some(first)), "{reviewer}");
    assert_eq!(reviewer["items"][0]["working_days_left"], 15, "formal review's limit");
    let (_, finance) = queue(&s.finance, "").await;
    assert_eq!(finance["total"], 0, "the co-review agency's work is the decision");
    let (_, lead) = queue(&s.lead, "?stage=recommending_review").await;
    assert_eq!(lead["total"], 0, "the lead agency does not recommend");

    // Filters and sort; a bad one is refused by field.
    let (_, by_program) = queue(&s.park, &format!("?program={FIRST_SET}&base=jinqiao&district=310115&min_amount_fen=1&sort=amount")).await;
    assert_eq!(by_program["total"], 2, "{by_program}");
    let (status, bad) = queue(&s.park, "?program=NOPE&district=31&flag=late&sort=name").await;
    assert_eq!(status, 422, "{bad}");
    let (_, bad) = queue(&s.park, "?program=NOPE&district=31&flag=late").await;
    for field in ["program", "district", "flag"] {
        assert!(bad["fields"][field].is_array(), "{field}: {bad}");
    }
    // A month later, every stage is overdue, shown first with the working days past.
    app.advance(chrono::Duration::days(30));
    let park = app.login("park@jinqiao.example", PASSWORD).await;
    let (_, overdue) = queue(&park, "?flag=overdue").await;
    assert_eq!(overdue["total"], 2, "{overdue}");
    let row = &overdue["items"][0];
    assert_eq!(row["overdue"], true);
    assert!(row["working_days_left"].as_i64().unwrap() < 0, "{row}");
    let (_, none) = queue(&park, "?flag=returned").await;
    assert_eq!(none["total"], 0);
    // The reminders and escalations of the month gone by.
    assert_eq!(app.run_due_jobs(), 8, "a reminder and an escalation for each of the four stages");
}

/// Notifications of `client` of `kind`.
pub(crate) async fn notices_of(app: &TestApp, client: &reqwest::Client, kind: &str) -> Vec<Value> {
    let (status, list) = app.get_json_with(client, "/api/v1/notifications?per_page=100").await;
    assert_eq!(status, 200, "{list}");
    list["items"].as_array().unwrap().iter().filter(|n| n["kind"] == kind).cloned().collect()
}

#[tokio::test]
async fn deadlines_remind_and_escalate_on_working_days_across_national_day_once_also_after_a_restart() {
    use chrono::TimeZone;
    let app = TestApp::spawn().await;
    // Monday 28 September 2026, 09:00 in Beijing; the call opened early for this test.
    app.start_at(chrono::Utc.with_ymd_and_hms(2026, 9, 28, 1, 0, 0).unwrap());
    let s = staff(&app).await;
    edit_first_set(&app, &s.lead, |d| d["call_opens_at"] = json!("2026-09-01T01:00:00Z")).await;
    let (id, company) = submitted(&app, 521, "holiday@example.com", "ZL202610000521").await;

    // Ten working days from Monday 28 September: 29 and 30 September, then (1 to 7 October
    // off) 8, 9, the make-up Saturday 10, 12, 13, 14, 15 and 16 October.
    let (_, view) = actions(&app, &s.park, id).await;
    assert_eq!(view["stage_due_on"], "2026-10-16", "{view}");
    let (_, queue) = app.get_json_with(&s.park, "/api/v1/review/queue").await;
    assert_eq!(queue["items"][0]["working_days_left"], 10, "{queue}");
    assert_eq!(notices_of(&app, &s.park, "work_arrived").await.len(), 1, "the park manager heard it arrived");
    assert_eq!(notices_of(&app, &company, "status_changed").await.len(), 0, "the company has its own submission mail");

    // The reminder: two working days ahead, on Wednesday 14 October at 09:00 (Beijing).
    let at = |y, m, d, h, min| chrono::Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap();
    let until = |t: chrono::DateTime<chrono::Utc>| t - app.state.clock.now();
    app.advance(until(at(2026, 10, 14, 0, 59)));
    app.run_due_jobs();
    let park = app.login("park@jinqiao.example", PASSWORD).await;
    assert_eq!(notices_of(&app, &park, "reminder").await.len(), 0, "not on 13 October, nor during the holiday");
    app.advance(until(at(2026, 10, 14, 1, 0)) + chrono::Duration::seconds(1));
    assert_eq!(app.run_due_jobs(), 1);
    let reminders = notices_of(&app, &park, "reminder").await;
    assert_eq!(reminders.len(), 1);
    assert!(reminders[0]["title"].as_str().unwrap().contains("2026-10-16"), "{}", reminders[0]);
    app.mail_about("park@jinqiao.example", "2026-10-16").await;
    assert_eq!(app.run_due_jobs(), 0, "once");

    // Friday 16 October is still within the time limit; the escalation comes at the midnight
    // that ends it, run by a restarted portal that finds the job where the first one left it.
    app.advance(until(at(2026, 10, 16, 15, 59)));
    assert_eq!(app.run_due_jobs(), 0);
    let db = backend::open_database(&app.state.settings).expect("the database again");
    db.clock().start_at(app.state.clock.now());
    let restarted = backend::AppState::new(app.state.settings.clone(), db).expect("a restarted portal");
    restarted.clock.advance(chrono::Duration::minutes(2));
    app.advance(chrono::Duration::minutes(2));
    let ran = backend::jobs::run_due(&restarted, "restarted-worker", backend::jobs::Kinds::AllBut(backend::jobs::Kind::Mail)).unwrap();
    assert_eq!(ran, 1, "the escalation, once");
    assert_eq!(app.run_due_jobs(), 0, "and not again by the first portal");
    let lead = app.login("lead@eitc.example", PASSWORD).await;
    let escalations = notices_of(&app, &lead, "escalation").await;
    assert_eq!(escalations.len(), 1, "the lead agency's agency lead hears of it");
    assert_eq!(app.count("jobs", &format!("kind IN ('stage_reminder', 'stage_escalation') AND payload LIKE '%\"application_id\":{id},%' AND status = 'done'")), 2);
    // The queue shows it overdue.
    let park = app.login("park@jinqiao.example", PASSWORD).await;
    let (_, queue) = app.get_json_with(&park, "/api/v1/review/queue?flag=overdue").await;
    assert_eq!((queue["total"].as_i64(), queue["items"][0]["working_days_left"].as_i64()), (Some(1), Some(-1)), "{queue}");

    // A step before the deadline makes the jobs of the stage it left do nothing.
    act(&app, &park, id, json!({ "action": "recommend", "expected_state": "recommending_review" })).await;
    let reviewer = app.login("reviewer@eitc.example", PASSWORD).await;
    let (_, view) = actions(&app, &reviewer, id).await;
    assert!(view["stage_due_on"].as_str().unwrap() > "2026-10-17", "{view}");
    // Notifications are one's own; read one, and turn off an optional email but not an
    // obligatory one.
    let (status, read) = app.post_json(&park, &format!("/api/v1/notifications/{}/read", reminders[0]["id"]), json!({})).await;
    assert_eq!((status, read["read"].as_bool()), (200, Some(true)), "{read}");
    let (status, _) = app.post_json(&lead, &format!("/api/v1/notifications/{}/read", reminders[0]["id"]), json!({})).await;
    assert_eq!(status, 404, "not the lead's");
    let (status, body) = app.send(park.put(app.url("/api/v1/me/notification-settings")).json(&json!({ "email_off": ["work_arrived", "reminder"] }))).await;
    assert_eq!((status, body["fields"]["email_off.1"][0]["code"].as_str()), (422, Some("not_allowed")), "{body}");
    let (status, body) = app.send(park.put(app.url("/api/v1/me/notification-settings")).json(&json!({ "email_off": ["work_arrived"] }))).await;
    assert_eq!((status, body["email_off"][0].as_str()), (200, Some("work_arrived")), "{body}");
}

/// A page as `client` sees it.
async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).header("accept-language", "zh-CN").send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Post a page's form as `client`: the status and where it sends the person.
async fn post_form(app: &TestApp, client: &reqwest::Client, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let res = client.post(app.url(path)).form(form).send().await.unwrap();
    let location = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (res.status().as_u16(), location)
}

#[tokio::test]
async fn the_first_set_path_through_the_pages_for_every_role() {
    let app = TestApp::spawn().await;
    let s = staff(&app).await;
    let (id, company) = submitted(&app, 511, "pages@example.com", "ZL202610000511").await;
    let app_page = format!("/applications/{id}");
    let act_form = format!("/forms/applications/{id}/actions");
    let (_, view) = app.get_json_with(&company, &app_page.replace("/applications", "/api/v1/applications")).await;
    let material = view["materials"][0]["code"].as_str().unwrap().to_string();

    // The park manager finds it in the queue and sees the actions of the stage, each a form.
    let (status, html) = page(&app, &s.park, "/review").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("href=\"/applications/{id}\"")), "in the park's queue");
    let (status, html) = page(&app, &s.park, &app_page).await;
    assert_eq!(status, 200);
    for action in ["recommend", "return_for_supplement", "reject"] {
        assert!(html.contains(&format!("data-action=\"{action}\"")), "{action} offered");
    }
    assert!(!html.contains("data-action=\"pass\""), "only what the machine allows");
    assert!(html.contains(&format!("/api/v1/applications/{id}/materials/{material}?inline=true")), "materials linked");
    // A PDF is previewed in the page on request, one at a time.
    assert!(!html.contains("<iframe"), "no PDF viewer until asked");
    let open = format!("/applications/{id}?preview={material}#preview-{material}");
    assert!(html.contains(&format!("href=\"{open}\"")), "each material offers its preview");
    let (status, html) = page(&app, &s.park, &format!("/applications/{id}?preview={material}")).await;
    assert_eq!(status, 200);
    assert_eq!(html.matches("<iframe").count(), 1, "the one asked for");
    assert!(html.contains(&format!("<iframe src=\"/api/v1/applications/{id}/materials/{material}?inline=true\"")), "shown inline");
    // The material itself, inline, framed only by the portal's own pages.
    let res = s.park.get(app.url(&format!("/api/v1/applications/{id}/materials/{material}?inline=true"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("inline"));
    assert_eq!(res.headers()["x-frame-options"], "SAMEORIGIN");
    let res = company.get(app.url(&format!("/api/v1/applications/{id}/materials/{material}"))).send().await.unwrap();
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    assert_eq!(res.headers()["x-frame-options"], "DENY");

    // A rejection without its reason comes back beside that form's own box.
    let (_, location) = post_form(&app, &s.park, &act_form, &[("action", "reject"), ("expected_state", "recommending_review")]).await;
    assert!(location.contains("err=comment_reject.required") && location.ends_with("#act-reject"), "{location}");

    // A return for supplement: a flag without its comment comes back beside its box and
    // changes nothing; then two flags with their comments.
    let mflag = format!("flag.m.{material}");
    let mcomment = format!("comment.m.{material}");
    let (status, location) =
        post_form(&app, &s.park, &act_form, &[("action", "return_for_supplement"), ("expected_state", "recommending_review"), ("comment", "请补正"), ("flag.f.model", "on"), ("comment.f.model", "型号与检测报告不一致"), (&mflag, "on")]).await;
    assert_eq!(status, 303);
    assert!(location.contains(&format!("err={}", urlencoding(&format!("{mcomment}.required")))), "{location}");
    assert_eq!(state_of(&app, id), 1, "nothing changed");
    let (status, location) = post_form(
        &app,
        &s.park,
        &act_form,
        &[("action", "return_for_supplement"), ("expected_state", "recommending_review"), ("comment", "请补正"), ("flag.f.model", "on"), ("comment.f.model", "型号与检测报告不一致"), (&mflag, "on"), (&mcomment, "请上传盖章版")],
    )
    .await;
    assert_eq!((status, location.as_str()), (303, format!("{app_page}?done=return_for_supplement").as_str()));
    assert_eq!(state_of(&app, id), 12, "returned for supplement");

    // The company sees each flag and answers on the supplement page: a corrected model and a
    // reply about the material. Resubmission is offered once both are answered.
    let (_, html) = page(&app, &company, &app_page).await;
    assert!(html.contains("data-testid=\"supplement-callout\"") && html.contains("型号与检测报告不一致"), "the flags beside the application");
    assert!(!html.contains("data-testid=\"review\""), "no staff section for the company");
    let (status, html) = page(&app, &company, &format!("{app_page}/supplement")).await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"model\"") && html.contains("请上传盖章版"), "the flagged field's own input");
    let flags: Vec<i64> = app.get_json_with(&company, &format!("/api/v1/applications/{id}/supplement")).await.1.as_array().unwrap().iter().map(|f| f["id"].as_i64().unwrap()).collect();
    let reply_model = format!("reply.{}", flags[0]);
    let reply_material = format!("reply.{}", flags[1]);
    let (status, location) = post_form(&app, &company, &format!("/forms/applications/{id}/supplement"), &[("model", "CAM-511-B"), (&reply_model, "已更正")]).await;
    assert_eq!((status, location.as_str()), (303, format!("{app_page}/supplement?saved=1").as_str()));
    let (_, html) = page(&app, &company, &format!("{app_page}/supplement")).await;
    assert!(!html.contains("id=\"act-resubmit\""), "one flag still open: no resubmission yet");
    let (status, location) = post_form(&app, &company, &format!("/forms/applications/{id}/supplement"), &[("model", "CAM-511-B"), (&reply_material, "盖章版即原件扫描件")]).await;
    assert_eq!(status, 303, "{location}");
    let (_, html) = page(&app, &company, &format!("{app_page}/supplement")).await;
    assert!(html.contains("id=\"act-resubmit\""));
    let (status, location) = post_form(&app, &company, &act_form, &[("action", "resubmit"), ("expected_state", "returned_for_supplement")]).await;
    assert_eq!((status, location.as_str()), (303, format!("{app_page}?done=resubmit").as_str()));
    assert_eq!(state_of(&app, id), 1);

    // Stale pages: a second post of the same step is told the state changed.
    let (_, location) = post_form(&app, &s.park, &act_form, &[("action", "recommend"), ("expected_state", "recommending_review"), ("comment", "建议支持")]).await;
    assert!(location.ends_with("?done=recommend"), "{location}");
    let (_, location) = post_form(&app, &s.park, &act_form, &[("action", "recommend"), ("expected_state", "recommending_review")]).await;
    assert!(location.contains("err=_.state_changed"), "{location}");

    // The lead agency's reviewer passes it on; the agency lead draws three experts.
    let (_, html) = page(&app, &s.reviewer, "/review?stage=formal_review").await;
    assert!(html.contains(&format!("href=\"/applications/{id}\"")));
    let (_, location) = post_form(&app, &s.reviewer, &act_form, &[("action", "pass"), ("expected_state", "formal_review")]).await;
    assert!(location.ends_with("?done=pass"), "{location}");
    let (_, html) = page(&app, &s.lead, &app_page).await;
    assert!(html.contains("data-testid=\"draw-form\"") && html.contains(SPECIALTY));
    let (_, location) = post_form(&app, &s.lead, &format!("/forms/applications/{id}/expert-draw"), &[("specialty", SPECIALTY), ("count", "3")]).await;
    assert!(location.contains("drawn=1"), "{location}");

    // Each drawn expert declares and scores on their own pages until 2 of 3 sheets are in.
    let mut scored = 0;
    for (_, expert) in &s.experts {
        let Some(assignment) = assignment_of(&app, expert, id).await else { continue };
        let (_, html) = page(&app, expert, "/expert").await;
        assert!(html.contains(&format!("/expert/assignments/{assignment}")));
        let detail = format!("/expert/assignments/{assignment}");
        let (_, location) = post_form(&app, expert, &format!("/forms/expert-assignments/{assignment}/declaration"), &[("conflict", "no")]).await;
        assert!(location.ends_with("?confirmed=1"), "{location}");
        let (_, html) = page(&app, expert, &detail).await;
        assert!(html.contains("data-testid=\"score-form\""));
        // A score above the criterion's maximum comes back beside it.
        let form = [("score.innovation", "99"), ("comment.innovation", "国内首创"), ("score.market", "20"), ("comment.market", "已有首用单位"), ("score.capability", "25"), ("comment.capability", "研发投入持续")];
        let (_, location) = post_form(&app, expert, &format!("/forms/expert-assignments/{assignment}/scores"), &form).await;
        assert!(location.contains("score.innovation.out_of_range"), "{location}");
        let mut form = form;
        form[0].1 = "30";
        let (_, location) = post_form(&app, expert, &format!("/forms/expert-assignments/{assignment}/scores"), &form).await;
        assert!(location.ends_with("?scored=1"), "{location}");
        scored += 1;
        if state_of(&app, id) != 3 {
            break;
        }
    }
    assert_eq!((scored, state_of(&app, id)), (2, 4), "2 of 3 sheets complete the expert stage");

    // The agencies see the panel; the applicant never sees who the experts are or a score.
    let (_, html) = page(&app, &s.lead, &app_page).await;
    assert!(html.contains("data-testid=\"panel\"") && html.contains("@pool.example") && html.contains("data-testid=\"panel-result\""));
    let (_, html) = page(&app, &company, &app_page).await;
    for secret in ["@pool.example", "data-testid=\"panel\"", "国内首创", "研发投入持续"] {
        assert!(!html.contains(secret), "the applicant's page shows {secret}");
    }

    // The decision: the reviewer proposes an amount in yuan, both agencies sign.
    let (_, location) = post_form(&app, &s.reviewer, &act_form, &[("action", "propose_approval"), ("expected_state", "agency_decision"), ("amount", "not money")]).await;
    assert!(location.contains("amount.invalid_amount"), "{location}");
    let (_, location) = post_form(&app, &s.reviewer, &act_form, &[("action", "propose_approval"), ("expected_state", "agency_decision"), ("amount", "2,500,000")]).await;
    assert!(location.ends_with("?done=propose_approval"), "{location}");
    let (_, location) = post_form(&app, &s.lead, &act_form, &[("action", "countersign"), ("expected_state", "agency_decision")]).await;
    assert!(location.ends_with("?done=countersign"), "{location}");
    let (_, html) = page(&app, &s.finance, &app_page).await;
    assert!(html.contains("data-action=\"countersign\"") && html.contains("data-action=\"return_to_stage\""));
    let (_, location) = post_form(&app, &s.finance, &act_form, &[("action", "countersign"), ("expected_state", "agency_decision"), ("comment", "同意")]).await;
    assert!(location.ends_with("?done=countersign"), "{location}");
    let (_, view) = actions(&app, &s.finance, id).await;
    assert!(names(&view).is_empty(), "decided: nothing more to do here: {view}");

    // The company's notifications: listed with an unread count in the header; all read.
    let (_, html) = page(&app, &company, "/notifications").await;
    assert!(html.contains("data-testid=\"notifications\"") && html.contains("data-testid=\"unread-count\""));
    assert!(!html.contains("@pool.example"));
    let (_, location) = post_form(&app, &company, "/forms/notifications/read-all", &[]).await;
    assert_eq!(location, "/notifications?all_read=1");
    let (_, html) = page(&app, &company, "/notifications").await;
    assert!(!html.contains("data-testid=\"unread-count\""));
    // Emails of the kinds that may be turned off: turned off, the obligatory ones stay.
    let (_, location) = post_form(&app, &company, "/forms/notification-settings", &[("email.work_arrived", "on")]).await;
    assert!(location.contains("settings_saved=1"), "{location}");
    let (_, settings) = app.get_json_with(&company, "/api/v1/me/notification-settings").await;
    assert_eq!(settings["email_off"], json!(["assigned", "countersign_needed", "status_changed", "supplement_answered"]));
    app.run_due_jobs();
}

fn urlencoding(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[tokio::test]
async fn reviewers_claim_and_the_agency_lead_assigns() {
    let app = TestApp::spawn().await;
    let s = staff(&app).await;
    let eitc = app.id_of("agencies", "sh-eitc");
    let second_id = app.create_user("reviewer2@eitc.example", "agency_reviewer", None, None, Some(eitc));
    let second = app.login("reviewer2@eitc.example", PASSWORD).await;
    let (id, company) = submitted(&app, 521, "assign@example.com", "ZL202610000521").await;
    let path = format!("/api/v1/applications/{id}/assignment");

    // Not before the lead agency's stages; never by the company.
    let (status, body) = app.post_json(&s.reviewer, &path, json!({})).await;
    assert_eq!(status, 404, "not routed to the agency yet: {body}");
    act(&app, &s.park, id, json!({ "action": "recommend", "expected_state": "recommending_review" })).await;
    let (status, body) = app.post_json(&company, &path, json!({})).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("action_not_allowed")), "{body}");

    // A reviewer claims it; another may not take it over; the queue says who holds it.
    let (status, body) = app.post_json(&s.reviewer, &path, json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["reviewer_name"], "reviewer@eitc.example");
    let (status, body) = app.post_json(&second, &path, json!({})).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("action_not_allowed")), "{body}");
    let (status, body) = app.post_json(&second, &path, json!({ "reviewer_id": second_id })).await;
    assert_eq!(status, 403, "{body}");
    let (_, mine) = app.get_json_with(&s.reviewer, "/api/v1/review/queue?flag=mine").await;
    assert_eq!(mine["items"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect::<Vec<_>>(), vec![id]);
    assert_eq!(mine["items"][0]["assigned_reviewer_name"], "reviewer@eitc.example");
    let (_, unassigned) = app.get_json_with(&second, "/api/v1/review/queue?flag=unassigned").await;
    assert!(!unassigned["items"].as_array().unwrap().iter().any(|r| r["id"] == id));

    // The agency lead assigns it to the second reviewer, who is told; not to an outsider.
    let (status, body) = app.post_json(&s.lead, &path, json!({ "reviewer_id": app.scalar("SELECT id AS n FROM users WHERE email = 'lead@finance.example'") })).await;
    assert_eq!((status, body["fields"]["reviewer_id"][0]["code"].as_str()), (422, Some("invalid")), "{body}");
    let (status, body) = app.post_json(&s.lead, &path, json!({ "reviewer_id": second_id })).await;
    assert_eq!((status, body["reviewer_id"].as_i64()), (200, Some(second_id)), "{body}");
    let (_, inbox) = app.get_json_with(&second, "/api/v1/notifications").await;
    assert_eq!(inbox["items"][0]["kind"], "assigned", "{inbox}");
    assert_eq!(app.count("audit_events", &format!("event = 'application_assigned' AND object_id = {id}")), 2);
    // Released by its holder; a release naming someone is refused.
    let (status, _) = app.post_json(&second, &path, json!({ "release": true, "reviewer_id": second_id })).await;
    assert_eq!(status, 422);
    let (status, body) = app.post_json(&second, &path, json!({ "release": true })).await;
    assert_eq!((status, body["reviewer_id"].is_null()), (200, true), "{body}");

    // Claimed from the application's page.
    let res = s.reviewer.post(app.url(&format!("/forms/applications/{id}/assignment"))).form(&[("claim", "1")]).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let (_, html) = page(&app, &s.reviewer, &format!("/applications/{id}")).await;
    assert!(html.contains("data-testid=\"holder\">reviewer@eitc.example<"), "the page names who holds it");
    app.run_due_jobs();
}

#[tokio::test]
async fn the_queue_merges_its_parts_in_deadline_order_page_by_page() {
    let app = TestApp::spawn().await;
    let s = staff(&app).await;
    let mut ids = Vec::new();
    for n in 531..534u32 {
        let (id, _) = submitted(&app, n, &format!("merge{n}@example.com"), &format!("ZL2026300{n}")).await;
        act(&app, &s.park, id, json!({ "action": "recommend", "expected_state": "recommending_review" })).await;
        ids.push(id);
    }
    // The first moves on to the expert stage a week later: a later deadline, another part of
    // the reviewer's work (another stage of the program).
    app.advance(chrono::Duration::days(7));
    let reviewer = app.login("reviewer@eitc.example", PASSWORD).await;
    let (status, body) = act(&app, &reviewer, ids[0], json!({ "action": "pass", "expected_state": "formal_review" })).await;
    assert_eq!(status, 200, "{body}");
    let mut seen = Vec::new();
    for page in 1..=4 {
        let (status, q) = app.get_json_with(&reviewer, &format!("/api/v1/review/queue?per_page=1&page={page}")).await;
        assert_eq!((status, q["total"].as_i64()), (200, Some(3)), "{q}");
        seen.extend(q["items"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()));
    }
    assert_eq!(seen, vec![ids[1], ids[2], ids[0]], "earliest deadline first, one page at a time, nothing twice");
    // Far pages (a limit past the statements kept prepared) read the same way.
    let (status, far) = app.get_json_with(&reviewer, "/api/v1/review/queue?per_page=100&page=3").await;
    assert_eq!((status, far["total"].as_i64(), far["items"].as_array().map(Vec::len)), (200, Some(3), Some(0)), "{far}");
    let (status, all) = app.get_json_with(&reviewer, "/api/v1/review/queue?per_page=100").await;
    assert_eq!(status, 200);
    assert_eq!(all["items"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect::<Vec<_>>(), vec![ids[1], ids[2], ids[0]]);
    let (_, by_stage) = app.get_json_with(&reviewer, "/api/v1/review/queue?stage=expert_review").await;
    assert_eq!(by_stage["items"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect::<Vec<_>>(), vec![ids[0]]);
    app.run_due_jobs();
}

#[tokio::test]
async fn the_automatic_checks_show_what_they_found_to_staff_only() {
    let app = TestApp::spawn().await;
    let s = staff(&app).await;
    let (id, company) = submitted(&app, 541, "checks@example.com", "ZL202610000541").await;
    let path = format!("/api/v1/applications/{id}/checks");
    let (status, checks) = app.get_json_with(&s.park, &path).await;
    assert_eq!(status, 200, "{checks}");
    let kinds: Vec<&str> = checks.as_array().unwrap().iter().map(|c| c["check"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["credit_code", "duplicate_funding", "ban", "budget", "verified", "overdue_acceptance"]);
    assert!(checks.as_array().unwrap().iter().all(|c| c["passed"] == true), "{checks}");
    let (status, body) = app.get_json_with(&company, &path).await;
    assert_eq!(status, 403, "not for the company: {body}");

    // Run afresh on each read: a ban, an unverified company and a spent budget show at once.
    let enterprise = app.scalar(&format!("SELECT enterprise_id AS n FROM applications WHERE id = {id}"));
    app.exec(&format!("INSERT INTO enterprise_bans (enterprise_id, program_id, starts_on, ends_on, reason, created_at) VALUES ({enterprise}, NULL, '2026-01-01', '2029-12-31', '虚报', CURRENT_TIMESTAMP)"));
    app.exec(&format!("UPDATE enterprises SET verification = 'pending' WHERE id = {enterprise}"));
    app.exec(&format!("UPDATE programs SET budget_used_fen = budget_total_fen WHERE code = '{FIRST_SET}'"));
    let (_, checks) = app.get_json_with(&s.park, &path).await;
    let by = |k: &str| checks.as_array().unwrap().iter().find(|c| c["check"] == k).unwrap().clone();
    assert_eq!((by("ban")["passed"].as_bool(), by("ban")["evidence"].as_str()), (Some(false), Some("2029-12-31")));
    assert_eq!((by("verified")["passed"].as_bool(), by("verified")["evidence"].as_str()), (Some(false), Some("pending")));
    assert_eq!((by("budget")["passed"].as_bool(), by("budget")["left_fen"].as_i64()), (Some(false), Some(0)));
    assert_eq!(by("duplicate_funding")["passed"], true);
    let (_, html) = page(&app, &s.park, &format!("/applications/{id}")).await;
    assert!(html.contains("data-testid=\"checks\"") && html.contains("check--failed") && html.contains("2029-12-31"));
    let (_, html) = page(&app, &company, &format!("/applications/{id}")).await;
    assert!(!html.contains("data-testid=\"checks\""));
}

#[tokio::test]
async fn the_returner_extends_a_supplement_deadline_and_only_the_new_one_escalates() {
    let app = TestApp::spawn().await;
    let s = staff(&app).await;
    let (id, company) = submitted(&app, 551, "extend@example.com", "ZL202610000551").await;
    let ret = json!({ "action": "return_for_supplement", "expected_state": "recommending_review", "comment": "请补正", "deadline_working_days": 3,
        "flags": [{ "field": "model", "comment": "型号不一致" }] });
    let (status, body) = act(&app, &s.park, id, ret).await;
    assert_eq!(status, 200, "{body}");
    let path = format!("/api/v1/applications/{id}/supplement/deadline");
    let (status, body) = app.post_json(&s.reviewer, &path, json!({ "deadline_working_days": 10 })).await;
    assert_eq!(status, 404, "the lead agency does not see it yet: {body}");
    let (status, body) = app.post_json(&company, &path, json!({ "deadline_working_days": 10 })).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("action_not_allowed")), "{body}");
    let (status, body) = app.post_json(&s.park, &path, json!({ "deadline_working_days": 2 })).await;
    assert_eq!((status, body["fields"]["deadline_working_days"][0]["code"].as_str()), (422, Some("out_of_range")), "not later: {body}");
    let old_due = app.get_json_with(&company, &format!("/api/v1/applications/{id}/supplement")).await.1[0]["due_on"].as_str().unwrap().to_string();
    let (status, flags) = app.post_json(&s.park, &path, json!({ "deadline_working_days": 10 })).await;
    assert_eq!(status, 200, "{flags}");
    let new_due = flags[0]["due_on"].as_str().unwrap().to_string();
    assert!(new_due > old_due, "{old_due} -> {new_due}");
    let (_, inbox) = app.get_json_with(&company, "/api/v1/notifications").await;
    assert!(inbox["items"][0]["body"].as_str().unwrap().contains(&new_due), "the company is told the new day: {inbox}");

    // Past the old deadline nothing escalates; past the new one, once.
    let escalated = || app.count("application_events", &format!("application_id = {id} AND kind = 'escalated'"));
    app.advance(chrono::Duration::days(7));
    app.run_due_jobs();
    assert_eq!(escalated(), 0, "the old deadline's escalation found it moved");
    app.advance(chrono::Duration::days(14));
    app.run_due_jobs();
    app.run_due_jobs();
    assert_eq!(escalated(), 1);
}

#[tokio::test]
async fn a_uhd_content_application_goes_through_every_stage_with_all_experts_scoring() {
    let app = TestApp::spawn().await;
    let s = staff(&app).await;
    // The content program's lead agency and its people.
    let culture = app.id_of("agencies", "sh-culture-radio");
    app.create_user("reviewer@culture.example", "agency_reviewer", None, None, Some(culture));
    app.create_user("lead@culture.example", "agency_lead", None, None, Some(culture));
    let reviewer = app.login("reviewer@culture.example", PASSWORD).await;
    let lead = app.login("lead@culture.example", PASSWORD).await;
    let (_, company) = ready_company(&app, 561, "content@example.com").await;
    let id = complete_draft(&app, &company, CONTENT, content_project("沪网剧备字〔2026〕561号")).await;
    let (status, body) = submit(&app, &company, id).await;
    assert_eq!(status, 200, "{body}");

    // Through the recommending unit and the formal review; the first-set agency sees none of it.
    let (status, _) = act(&app, &s.park, id, json!({ "action": "recommend", "expected_state": "recommending_review" })).await;
    assert_eq!(status, 200);
    let (status, _) = actions(&app, &s.reviewer, id).await;
    assert_eq!(status, 404, "another program's lead agency");
    let (status, body) = act(&app, &reviewer, id, json!({ "action": "pass", "expected_state": "formal_review" })).await;
    assert_eq!(status, 200, "{body}");

    // The content program's rule is `all`: three drawn, the stage completes with the third sheet.
    let (status, panel) = app.post_json(&lead, &format!("/api/v1/applications/{id}/expert-draw"), json!({ "specialty": SPECIALTY, "count": 3 })).await;
    assert_eq!(status, 200, "{panel}");
    let content_sheet = json!({ "scores": [
        { "code": "quality", "score": 35, "comment": "8K HDR 画质优秀" },
        { "code": "content", "score": 25, "comment": "题材有代表性" },
        { "code": "reach", "score": 20, "comment": "已在两家平台播出" }
    ] });
    let mut sheets = 0;
    for (_, expert) in &s.experts {
        let Some(assignment) = assignment_of(&app, expert, id).await else { continue };
        let (status, body) = app.post_json(expert, &format!("/api/v1/expert-assignments/{assignment}/declaration"), json!({ "conflict": false })).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(state_of(&app, id), 3, "not complete before every sheet is in");
        let (status, body) = app.send(expert.put(app.url(&format!("/api/v1/expert-assignments/{assignment}/scores"))).json(&content_sheet)).await;
        assert_eq!(status, 200, "{body}");
        sheets += 1;
    }
    assert_eq!((sheets, state_of(&app, id)), (3, 4), "all three sheets complete the stage");
    let (_, panel) = app.get_json_with(&lead, &format!("/api/v1/applications/{id}/experts")).await;
    assert_eq!(panel["result_milli"], 80_000, "the mean of three totals of 80: {panel}");

    // The decision: proposed at most the computed amount, signed by both agencies.
    let computed = app.scalar(&format!("SELECT computed_amount_fen AS n FROM applications WHERE id = {id}"));
    let (status, body) = act(&app, &reviewer, id, json!({ "action": "propose_approval", "expected_state": "agency_decision", "amount_fen": computed })).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = act(&app, &lead, id, json!({ "action": "countersign", "expected_state": "agency_decision" })).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = act(&app, &s.finance, id, json!({ "action": "countersign", "expected_state": "agency_decision" })).await;
    assert_eq!(status, 200, "{body}");
    let reserved = app.scalar(&format!("SELECT budget_reserved_fen AS n FROM programs WHERE code = '{CONTENT}'"));
    assert_eq!(reserved, computed, "the approved amount stays reserved for the notice and payment");
    let mine = timeline(&app, &company, id).await.to_string();
    for hidden in ["@pool.example", "8K HDR 画质优秀", "reviewer@culture.example"] {
        assert!(!mine.contains(hidden), "the applicant's timeline shows {hidden}");
    }
    app.run_due_jobs();
}

#[tokio::test]
async fn the_agency_lead_draws_for_a_batch_all_or_none_within_the_cap_and_reads_the_dashboard() {
    use chrono::TimeZone;
    let app = TestApp::spawn().await;
    // Monday 2 November 2026, 09:00 in Beijing.
    app.start_at(chrono::Utc.with_ymd_and_hms(2026, 11, 2, 1, 0, 0).unwrap());
    let s = staff(&app).await;
    // Panels of three, and at most one assignment per expert in this program.
    edit_first_set(&app, &s.lead, |d| {
        d["experts"]["panel_size"] = json!(3);
        d["experts"]["workload_cap"] = json!(1);
    })
    .await;
    // a and b reach the expert stage; c stays in formal review.
    let mut ids = Vec::new();
    for n in 0..3u32 {
        let (id, _) = submitted(&app, 531 + n, &format!("batch{n}@example.com"), &format!("ZL20261000053{n}")).await;
        act(&app, &s.park, id, json!({ "action": "recommend", "expected_state": "recommending_review" })).await;
        if n < 2 {
            let (status, body) = act(&app, &s.reviewer, id, json!({ "action": "pass", "expected_state": "formal_review" })).await;
            assert_eq!(status, 200, "{body}");
        }
        ids.push(id);
    }
    let (a, b, c) = (ids[0], ids[1], ids[2]);
    let draws = "/api/v1/expert-draws";
    let (status, body) = app.post_json(&s.lead, draws, json!({ "application_ids": [a, a], "specialty": SPECIALTY })).await;
    assert_eq!((status, body["fields"]["application_ids.1"][0]["code"].as_str()), (422, Some("duplicate")), "{body}");
    let (status, body) = app.post_json(&s.lead, draws, json!({ "application_ids": [], "specialty": " " })).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["fields"]["application_ids"][0]["code"], "out_of_range", "{body}");
    assert_eq!(body["fields"]["specialty"][0]["code"], "required", "{body}");
    let (status, body) = app.post_json(&s.reviewer, draws, json!({ "application_ids": [a, b], "specialty": SPECIALTY })).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("action_not_allowed")), "the agency lead draws: {body}");
    let (status, body) = app.post_json(&s.park, draws, json!({ "application_ids": [a], "specialty": SPECIALTY })).await;
    assert_eq!(status, 403, "{body}");
    // One not in the expert stage: nothing drawn for the others either.
    let (status, body) = app.post_json(&s.lead, draws, json!({ "application_ids": [a, b, c], "specialty": SPECIALTY })).await;
    assert_eq!((status, body["error"].as_str(), body["fields"]["application_ids.2"][0]["code"].as_str()), (409, Some("state_changed"), Some("state_changed")), "{body}");
    assert_eq!(app.count("expert_assignments", "1 = 1"), 0, "all or none");
    // Six experts, one assignment each: four for a leaves two for b, so b cannot have four;
    // the batch's own draws count against the cap.
    let (status, body) = app.post_json(&s.lead, draws, json!({ "application_ids": [a, b], "specialty": SPECIALTY, "count": 4 })).await;
    assert_eq!((status, body["error"].as_str(), body["fields"]["application_ids.1"][0]["code"].as_str()), (409, Some("not_enough_experts"), Some("not_enough_experts")), "{body}");
    assert_eq!(app.count("expert_assignments", "1 = 1"), 0, "all or none");
    // The same through the queue page: the lead ticks the rows in the expert stage; the refusal
    // stands beside b's row, and nothing is drawn.
    let (status, html) = page(&app, &s.lead, "/review?stage=expert_review").await;
    assert_eq!(status, 200);
    assert!(html.contains("action=\"/forms/expert-draws\"") && html.contains(&format!("name=\"app.{a}\"")), "the batch form for the lead");
    let (_, html) = page(&app, &s.reviewer, "/review?stage=expert_review").await;
    assert!(!html.contains("/forms/expert-draws"), "not for a reviewer");
    let (a_key, b_key) = (format!("app.{a}"), format!("app.{b}"));
    let (status, location) =
        post_form(&app, &s.lead, "/forms/expert-draws", &[(&a_key, "on"), (&b_key, "on"), ("specialty", SPECIALTY), ("count", "4"), ("q.stage", "expert_review")]).await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/review?stage=expert_review&err=") && location.contains(&format!("app.{b}.not_enough_experts")), "{location}");
    assert_eq!(app.count("expert_assignments", "1 = 1"), 0, "all or none");
    // The program's panel size for each: three and three, every expert once.
    let (status, body) = app.post_json(&s.lead, draws, json!({ "application_ids": [a, b], "specialty": SPECIALTY })).await;
    assert_eq!(status, 200, "{body}");
    let drawn = body.as_array().unwrap();
    assert_eq!(drawn.iter().map(|d| (d["application_id"].as_i64().unwrap(), d["assignment_ids"].as_array().unwrap().len())).collect::<Vec<_>>(), vec![(a, 3), (b, 3)]);
    assert_eq!(app.scalar("SELECT COUNT(DISTINCT expert_user_id) AS n FROM expert_assignments"), 6, "each expert once");
    for (_, expert) in &s.experts {
        let (status, list) = app.get_json_with(expert, "/api/v1/expert-assignments").await;
        assert_eq!((status, list.as_array().map(Vec::len)), (200, Some(1)), "each drawn expert told: {list}");
    }
    assert_eq!(app.count("audit_events", "event = 'experts_drawn'"), 2);

    // The dashboard: only agency leads.
    for other in [&s.reviewer, &s.park] {
        let (status, body) = app.get_json_with(other, "/api/v1/review/dashboard").await;
        assert_eq!((status, body["error"].as_str()), (403, Some("forbidden")), "{body}");
    }
    let figures = |d: &Value, state: &str| -> Value {
        let program = d["programs"].as_array().unwrap().iter().find(|p| p["program_code"] == FIRST_SET).unwrap().clone();
        program["stages"].as_array().unwrap().iter().find(|x| x["state"] == state).cloned().unwrap_or(Value::Null)
    };
    let (status, d) = app.get_json_with(&s.lead, "/api/v1/review/dashboard").await;
    assert_eq!(status, 200, "{d}");
    assert_eq!((figures(&d, "expert_review")["count"].as_i64(), figures(&d, "formal_review")["count"].as_i64()), (Some(2), Some(1)), "{d}");
    let recommending = figures(&d, "recommending_review");
    assert_eq!((recommending["count"].as_i64(), recommending["completed_stays"].as_i64(), recommending["average_working_days_tenths"].as_i64()), (Some(0), Some(3), Some(0)), "recommended the day each came: {d}");
    assert_eq!(d["overdue_total"], 0, "{d}");
    let program = d["programs"].as_array().unwrap().iter().find(|p| p["program_code"] == FIRST_SET).unwrap();
    let (total, reserved, used) = (
        app.scalar(&format!("SELECT budget_total_fen AS n FROM programs WHERE code = '{FIRST_SET}'")),
        app.scalar(&format!("SELECT budget_reserved_fen AS n FROM programs WHERE code = '{FIRST_SET}'")),
        app.scalar(&format!("SELECT budget_used_fen AS n FROM programs WHERE code = '{FIRST_SET}'")),
    );
    assert_eq!((program["budget_total_fen"].as_i64(), program["budget_left_fen"].as_i64(), program["expert_workload_cap"].as_i64()), (Some(total), Some(total - reserved - used), Some(1)), "{program}");
    let experts = d["experts"].as_array().unwrap();
    assert_eq!(experts.len(), 6, "{d}");
    assert!(experts.iter().all(|e| e["awaiting_declaration"] == 1 && e["scored"] == 0), "{d}");

    // A month on, all three are past their stages' deadlines; c passing on counts its stay.
    app.advance(chrono::Duration::days(30));
    let lead = app.login("lead@eitc.example", PASSWORD).await;
    let reviewer = app.login("reviewer@eitc.example", PASSWORD).await;
    let (status, d) = app.get_json_with(&lead, "/api/v1/review/dashboard").await;
    assert_eq!(status, 200, "{d}");
    assert_eq!((d["overdue_total"].as_i64(), figures(&d, "expert_review")["overdue"].as_i64(), figures(&d, "formal_review")["overdue"].as_i64()), (Some(3), Some(2), Some(1)), "{d}");
    assert_eq!(d["overdue"][0]["overdue"], true, "{d}");
    let listed: Vec<i64> = d["overdue"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(listed.len(), 3, "{d}");
    assert!(listed.contains(&c), "{d}");
    let (status, body) = act(&app, &reviewer, c, json!({ "action": "pass", "expected_state": "formal_review" })).await;
    assert_eq!(status, 200, "{body}");
    let (_, between) = app.get_json("/api/v1/calendar/working-days/between?from=2026-11-02&to=2026-12-02").await;
    let days = between["working_days"].as_i64().unwrap_or_else(|| panic!("{between}"));
    let (_, d) = app.get_json_with(&lead, "/api/v1/review/dashboard").await;
    let formal = figures(&d, "formal_review");
    // a and b stayed 0 working days, c `days`: the mean in tenths, rounded.
    assert_eq!((formal["completed_stays"].as_i64(), formal["average_working_days_tenths"].as_i64()), (Some(3), Some((days * 10 * 2 + 3) / 6)), "{d}");
    assert_eq!(figures(&d, "expert_review")["count"], 3, "{d}");
    let (status, html) = page(&app, &lead, "/review/dashboard").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("data-testid=\"dash-program-{FIRST_SET}\"")), "the program card: {html}");
    assert!(html.contains("href=\"/review?flag=overdue\""), "the overdue ones in the queue");
    let (status, html) = page(&app, &reviewer, "/review/dashboard").await;
    assert_eq!(status, 403, "a reviewer is no agency lead");
    assert!(html.contains("您没有执行此操作的权限。"));
    // The reminders and escalations the month brought.
    assert!(app.run_due_jobs() > 0);
}
