//! Filing helpers shared by the tests of filing and of the review: a company ready to apply,
//! projects of each kind, complete drafts and their submission.

use super::{credit_code, profile, TestApp, PASSWORD};
use serde_json::{json, Value};

pub const FIRST_SET: &str = "SH-2026-FIRST-SET";
pub const CONTENT: &str = "SH-2026-UHD-CONTENT";
pub const CORE_RD: &str = "SH-2027-CORE-RD";
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

/// Company `n`: registered with a confirmed email, a complete profile, admitted to Jinqiao and
/// verified; returns its enterprise id and a signed-in client.
pub async fn ready_company(app: &TestApp, n: u32, email: &str) -> (i64, reqwest::Client) {
    let company = app.register(n, email, true).await;
    let client = app.login(email, PASSWORD).await;
    let mut body = profile(&format!("金桥超高清测试企业{n}"));
    body["segments"] = json!(["capture-production", "content-production", "core-chips"]);
    body["qualifications"] = json!([{ "kind": "high_tech", "certificate_no": "GR202331001234", "valid_from": "2023-12-01", "valid_until": "2029-11-30" }]);
    let (status, answer) = app.send(client.put(app.url(&format!("/api/v1/enterprises/{}/profile", company.enterprise_id))).json(&body)).await;
    assert_eq!(status, 200, "{answer}");
    let jinqiao = app.id_of("bases", "jinqiao");
    let e = company.enterprise_id;
    app.exec(&format!(
        "INSERT INTO tenancies (enterprise_id, base_id, status, applied_at, admitted_at, created_at, updated_at, enterprise_name, enterprise_credit_code) \
         VALUES ({e}, {jinqiao}, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'n', '{}')",
        credit_code(n)
    ));
    app.exec(&format!("UPDATE enterprises SET verification = 'verified' WHERE id = {e}"));
    (e, client)
}

pub fn first_set_project(patent: &str, model: &str, serial: &str) -> Value {
    json!({
        "equipment_name": "8K 超高清摄像机",
        "model": model,
        "serial_numbers": [serial],
        "first_set_level": "international",
        "buyer_name": "上海广播电视台",
        "buyer_credit_code": credit_code(900),
        "contracts": [{ "number": "HT-2026-01", "value_fen": 1_000_000_000i64, "signed_on": "2026-06-01" }],
        "first_use_on": "2026-08-01",
        "patents": [patent]
    })
}

pub fn content_project(licence: &str) -> Value {
    json!({
        "work_title": "浦江 8K",
        "category": "documentary",
        "format": "8k",
        "minutes": 90,
        "audio_3d": true,
        "licence_numbers": [licence],
        "first_producer": true
    })
}

pub fn general_project() -> Value {
    json!({ "project_title": "AVS3 8K 解码芯片", "summary": "研发面向 AVS3 的 8K 解码 SoC。", "investment_fen": 10_000_000_000i64, "requested_fen": 1_000_000_000i64 })
}

/// Upload `code` for application `id` as a PDF.
pub async fn upload(app: &TestApp, client: &reqwest::Client, id: i64, code: &str, bytes: &[u8]) -> (u16, Value) {
    let form = reqwest::multipart::Form::new()
        .text("material_code", code.to_string())
        .part("file", reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(format!("{code}.pdf")).mime_str("application/pdf").unwrap());
    app.send(client.post(app.url(&format!("/api/v1/applications/{id}/materials"))).multipart(form)).await
}

/// A draft of `program` with `project` and every material of the checklist uploaded; its id.
pub async fn complete_draft(app: &TestApp, client: &reqwest::Client, program: &str, project: Value) -> i64 {
    let (status, draft) = app.post_json(client, "/api/v1/applications", json!({ "program_code": program })).await;
    assert_eq!(status, 201, "{draft}");
    let id = draft["id"].as_i64().unwrap();
    let (status, saved) = app.send(client.put(app.url(&format!("/api/v1/applications/{id}"))).json(&json!({ "project": project }))).await;
    assert_eq!(status, 200, "{saved}");
    for m in saved["materials"].as_array().unwrap() {
        let (status, body) = upload(app, client, id, m["code"].as_str().unwrap(), PDF).await;
        assert_eq!(status, 200, "{body}");
    }
    id
}

pub async fn submit(app: &TestApp, client: &reqwest::Client, id: i64) -> (u16, Value) {
    app.post_json(client, &format!("/api/v1/applications/{id}/submit"), every_declaration()).await
}

/// The submission body with every declaration made.
pub fn every_declaration() -> Value {
    json!({ "declarations": shared::applications::DECLARATIONS })
}

