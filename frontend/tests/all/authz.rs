//! Every API route, called as every role (and anonymously): who is allowed and who is refused,
//! including cross-company and cross-base attempts. "Refused" is 401 (not signed in), 403 (role
//! may not) or 404 (outside the caller's data scope, so its existence is not revealed).
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{TestApp, PASSWORD};
use serde_json::json;

const ROLES: [&str; 10] =
    ["anonymous", "system_admin", "x_admin", "x_member", "y_admin", "pm_jinqiao", "pm_shibei", "agency_lead", "agency_reviewer", "expert"];

#[actix_rt::test]
async fn every_route_allows_exactly_the_roles_it_should() {
    let app = TestApp::spawn().await;
    let x = app.register(101, "x-admin@example.com", true).await;
    let y = app.register(102, "y-admin@example.com", true).await;
    let jinqiao = app.id_of("bases", "jinqiao");
    let shibei = app.id_of("bases", "shibei");
    let eitc = app.id_of("agencies", "sh-eitc");
    // Company X is a tenant of Jinqiao; Y of none.
    app.exec(&format!(
        "INSERT INTO tenancies (enterprise_id, base_id, status, applied_at, created_at, updated_at) VALUES ({}, {jinqiao}, 1, '2026-01-05 00:00:00', '2026-01-05 00:00:00', '2026-01-05 00:00:00')",
        x.enterprise_id
    ));
    let x_tenancy = app.scalar(&format!("SELECT id AS n FROM tenancies WHERE enterprise_id = {}", x.enterprise_id));
    let x_member = app.create_user("x-member@example.com", "enterprise_member", Some(x.enterprise_id), None, None);
    app.create_user("admin@example.com", "system_admin", None, None, None);
    app.create_user("pm-j@example.com", "park_manager", None, Some(jinqiao), None);
    app.create_user("pm-s@example.com", "park_manager", None, Some(shibei), None);
    app.create_user("lead@example.com", "agency_lead", None, None, Some(eitc));
    app.create_user("reviewer@example.com", "agency_reviewer", None, None, Some(eitc));
    app.create_user("expert@example.com", "expert", None, None, None);
    let emails = [
        ("system_admin", "admin@example.com"),
        ("x_admin", "x-admin@example.com"),
        ("x_member", "x-member@example.com"),
        ("y_admin", "y-admin@example.com"),
        ("pm_jinqiao", "pm-j@example.com"),
        ("pm_shibei", "pm-s@example.com"),
        ("agency_lead", "lead@example.com"),
        ("agency_reviewer", "reviewer@example.com"),
        ("expert", "expert@example.com"),
    ];
    let mut clients = vec![("anonymous", app.new_client())];
    for (role, email) in emails {
        clients.push((role, app.login(email, PASSWORD).await));
    }

    // A draft of company X for the first-set program; a program definition that does not add up.
    let first_set = app.id_of("programs", "SH-2026-FIRST-SET");
    app.exec(&format!(
        "INSERT INTO applications (program_id, enterprise_id, state, title, amount_requested_fen, created_at, updated_at, program_version, verification_code) \
         VALUES ({first_set}, {}, 0, '', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, 'AUTH-ZAUT-HZ22')",
        x.enterprise_id
    ));
    let x_app = app.scalar(&format!("SELECT id AS n FROM applications WHERE enterprise_id = {}", x.enterprise_id));
    let mut bad_program = app.get_json("/api/v1/programs/SH-2026-FIRST-SET").await.1["definition"].clone();
    bad_program["tranches"] = json!([1]);
    let bad_program = json!({ "city_code": "shanghai", "definition": bad_program });

    let all_signed_in: Vec<&str> = ROLES[1..].to_vec();
    let everyone: Vec<&str> = ROLES.to_vec();
    let (xe, ye) = (x.enterprise_id, y.enterprise_id);
    // (method, path, body, roles allowed)
    let table: Vec<(&str, String, Option<serde_json::Value>, Vec<&str>)> = vec![
        ("GET", "/api/v1/bases".into(), None, everyone.clone()),
        ("GET", "/api/v1/programs".into(), None, everyone.clone()),
        ("GET", "/api/v1/me".into(), None, all_signed_in.clone()),
        ("PATCH", "/api/v1/me".into(), Some(json!({})), all_signed_in.clone()),
        ("GET", "/api/v1/me/sessions".into(), None, all_signed_in.clone()),
        ("GET", "/api/v1/me/tokens".into(), None, all_signed_in.clone()),
        ("POST", "/api/v1/me/tokens".into(), Some(json!({ "name": "", "scope": "read", "expires_in_days": 1 })), all_signed_in.clone()),
        ("POST", "/api/v1/me/password".into(), Some(json!({ "current_password": "wrong", "new_password": "x" })), all_signed_in.clone()),
        ("POST", "/api/v1/auth/resend-verification".into(), None, all_signed_in.clone()),
        // Company X: its people, the base it is a tenant of, admins. Not company Y, not Shibei.
        ("GET", format!("/api/v1/enterprises/{xe}"), None, vec!["system_admin", "x_admin", "x_member", "pm_jinqiao"]),
        ("GET", format!("/api/v1/enterprises/{ye}"), None, vec!["system_admin", "y_admin"]),
        ("GET", format!("/api/v1/enterprises/{xe}/members"), None, vec!["system_admin", "x_admin", "x_member"]),
        ("GET", format!("/api/v1/enterprises/{ye}/members"), None, vec!["system_admin", "y_admin"]),
        ("POST", format!("/api/v1/enterprises/{xe}/invitations"), Some(json!({ "email": "" })), vec!["system_admin", "x_admin"]),
        ("POST", format!("/api/v1/enterprises/{xe}/transfer-admin"), Some(json!({ "user_id": -1 })), vec!["system_admin", "x_admin"]),
        ("DELETE", format!("/api/v1/enterprises/{ye}/members/{x_member}"), None, vec!["system_admin", "y_admin"]),
        ("POST", "/api/v1/invitations".into(), Some(json!({ "email": "", "role": "agency_reviewer", "agency_id": eitc })), vec!["system_admin", "agency_lead"]),
        ("POST", "/api/v1/invitations".into(), Some(json!({ "email": "new-pm@example.com", "role": "park_manager", "base_id": -1 })), vec!["system_admin"]),
        ("GET", "/api/v1/admin/users".into(), None, vec!["system_admin"]),
        ("GET", format!("/api/v1/admin/users/{}", x.user_id), None, vec!["system_admin"]),
        ("POST", format!("/api/v1/admin/users/{x_member}/enable"), None, vec!["system_admin"]),
        ("POST", format!("/api/v1/admin/users/{x_member}/roles"), Some(json!({ "role": "nope" })), vec!["system_admin"]),
        ("DELETE", format!("/api/v1/admin/users/{x_member}/roles/-1"), None, vec!["system_admin"]),
        ("GET", "/api/v1/admin/audit".into(), None, vec!["system_admin"]),
        ("GET", "/api/v1/segments".into(), None, everyone.clone()),
        // The registry: the company, its base's manager and admins read; the company's admin
        // edits and applies; only the base's manager (or an admin) decides.
        ("GET", format!("/api/v1/enterprises/{xe}/profile"), None, vec!["system_admin", "x_admin", "x_member", "pm_jinqiao"]),
        ("GET", format!("/api/v1/enterprises/{ye}/profile"), None, vec!["system_admin", "y_admin"]),
        ("GET", format!("/api/v1/enterprises/{xe}/profile/history"), None, vec!["system_admin", "x_admin", "x_member", "pm_jinqiao"]),
        ("PUT", format!("/api/v1/enterprises/{xe}/profile"), Some(bad_profile()), vec!["system_admin", "x_admin"]),
        ("GET", format!("/api/v1/enterprises/{xe}/tenancies"), None, vec!["system_admin", "x_admin", "x_member", "pm_jinqiao"]),
        ("POST", format!("/api/v1/enterprises/{xe}/tenancies"), Some(json!({ "base_id": shibei, "segment": "", "floor_space_m2": 0, "staff_on_site": 0, "plan": "" })), vec!["system_admin", "x_admin"]),
        ("POST", format!("/api/v1/tenancies/{x_tenancy}/decision"), Some(json!({ "action": "suspend" })), vec!["system_admin", "pm_jinqiao"]),
        ("GET", format!("/api/v1/bases/{jinqiao}/tenants"), None, vec!["system_admin", "pm_jinqiao"]),
        ("GET", format!("/api/v1/bases/{shibei}/tenants"), None, vec!["system_admin", "pm_shibei"]),
        ("GET", format!("/api/v1/bases/{jinqiao}/tenants/export?format=csv"), None, vec!["system_admin", "pm_jinqiao"]),
        ("GET", format!("/api/v1/bases/{jinqiao}/dashboard"), None, vec!["system_admin", "pm_jinqiao"]),
        ("GET", format!("/api/v1/bases/{jinqiao}/reports"), None, vec!["system_admin", "pm_jinqiao"]),
        ("POST", format!("/api/v1/bases/{jinqiao}/reports/reminders"), Some(json!({ "period": "bad" })), vec!["system_admin", "pm_jinqiao"]),
        ("POST", format!("/api/v1/bases/{jinqiao}/tenants/import"), None, vec!["system_admin", "pm_jinqiao"]),
        ("GET", "/api/v1/tenant-import-template.xlsx".into(), None, all_signed_in.clone()),
        ("GET", format!("/api/v1/enterprises/{xe}/reports"), None, vec!["system_admin", "x_admin", "x_member", "pm_jinqiao"]),
        ("PUT", format!("/api/v1/enterprises/{xe}/reports/bad-period"), Some(json!({ "revenue_by_segment": [], "revenue_total": 0, "rd_spend": 0, "employees": 0, "content_4k_minutes": 0, "content_8k_minutes": 0, "patents_granted": 0 })), vec!["system_admin", "x_admin", "x_member"]),
        ("GET", format!("/api/v1/enterprises/{xe}/recommended-applications"), None, vec!["system_admin", "x_admin", "x_member", "pm_jinqiao"]),
        ("GET", format!("/api/v1/enterprises/{ye}/recommended-applications"), None, vec!["system_admin", "y_admin"]),
        ("GET", format!("/api/v1/enterprises/{xe}/documents"), None, vec!["system_admin", "x_admin", "x_member", "pm_jinqiao"]),
        ("POST", format!("/api/v1/enterprises/{xe}/documents?kind=other&file_name=a.txt"), None, vec!["system_admin", "x_admin"]),
        ("GET", "/api/v1/bases/jinqiao/public".into(), None, everyone.clone()),
        ("POST", "/api/v1/bases".into(), Some(json!({ "code": "" , "name_zh": "", "name_en": "", "city_zh": "", "city_en": "", "district_zh": "", "district_en": "", "division_code": "", "description_zh": "", "description_en": "" })), vec!["system_admin"]),
        ("PUT", format!("/api/v1/bases/{jinqiao}"), Some(json!({ "code": "" , "name_zh": "", "name_en": "", "city_zh": "", "city_en": "", "district_zh": "", "district_en": "", "division_code": "", "description_zh": "", "description_en": "" })), vec!["system_admin"]),
        // Security: invitations to join a base, verification, claims, second factors.
        ("GET", format!("/api/v1/enterprises/{xe}/tenancy-invitations"), None, vec!["system_admin", "x_admin", "x_member"]),
        ("POST", format!("/api/v1/enterprises/{xe}/verification"), Some(json!({ "decision": "bad" })), vec!["system_admin", "pm_jinqiao"]),
        ("POST", format!("/api/v1/enterprises/{ye}/verification"), Some(json!({ "decision": "bad" })), vec!["system_admin"]),
        ("GET", "/api/v1/admin/credit-code-claims".into(), None, vec!["system_admin"]),
        ("POST", "/api/v1/admin/credit-code-claims/-1".into(), Some(json!({ "decision": "bad" })), vec!["system_admin"]),
        ("POST", "/api/v1/me/totp".into(), Some(json!({})), all_signed_in.clone()),
        // The working-day calendar: anyone reads it, only a system admin changes it.
        ("GET", "/api/v1/calendar".into(), None, everyone.clone()),
        ("GET", "/api/v1/calendar/2026".into(), None, everyone.clone()),
        ("GET", "/api/v1/calendar/working-days?from=2026-09-29&days=5".into(), None, everyone.clone()),
        ("GET", "/api/v1/calendar/working-days/between?from=2026-09-29&to=2026-10-12".into(), None, everyone.clone()),
        ("PUT", "/api/v1/calendar/2030".into(), Some(json!({ "provisional": false, "source": "" })), vec!["system_admin"]),
        ("POST", "/api/v1/calendar/2026/holidays".into(), Some(json!({ "from": "", "to": "", "name_zh": "", "name_en": "" })), vec!["system_admin"]),
        ("POST", "/api/v1/calendar/2026/workdays".into(), Some(json!({ "date": "", "name_zh": "", "name_en": "" })), vec!["system_admin"]),
        ("PUT", "/api/v1/calendar/2026/arrangement".into(), Some(json!("year = ")), vec!["system_admin"]),
        ("DELETE", "/api/v1/calendar/days/2026-10-10".into(), None, vec!["system_admin"]),
        // Scheduled jobs: a base's reminders for its manager; the job list for system admins.
        ("GET", format!("/api/v1/bases/{jinqiao}/reports/reminders/scheduled"), None, vec!["system_admin", "pm_jinqiao"]),
        ("POST", format!("/api/v1/bases/{jinqiao}/reports/reminders/scheduled"), Some(json!({ "period": "bad", "run_at": "" })), vec!["system_admin", "pm_jinqiao"]),
        ("GET", "/api/v1/admin/jobs".into(), None, vec!["system_admin"]),
        ("POST", "/api/v1/admin/jobs/999999/retry".into(), None, vec!["system_admin"]),
        // Programs and applications: anyone reads a guide; a company checks its eligibility and
        // files; only its own people (and system admins) reach its applications.
        ("GET", "/api/v1/programs/SH-2026-FIRST-SET".into(), None, everyone.clone()),
        ("GET", "/api/v1/programs/SH-2026-FIRST-SET/eligibility".into(), None, vec!["x_admin", "x_member", "y_admin"]),
        ("PUT", "/api/v1/programs/SH-2026-FIRST-SET".into(), Some(bad_program), vec!["system_admin", "agency_lead"]),
        ("POST", "/api/v1/applications".into(), Some(json!({ "program_code": "NO-SUCH" })), vec!["x_admin", "x_member", "y_admin"]),
        ("GET", "/api/v1/applications".into(), None, all_signed_in.clone()),
        ("GET", format!("/api/v1/applications/{x_app}"), None, vec!["system_admin", "x_admin", "x_member"]),
        ("PUT", format!("/api/v1/applications/{x_app}"), Some(json!({ "project": { "contracts": "bad" } })), vec!["system_admin", "x_admin", "x_member"]),
        ("GET", format!("/api/v1/applications/{x_app}/timeline"), None, vec!["system_admin", "x_admin", "x_member"]),
        ("GET", format!("/api/v1/applications/{x_app}/form.pdf"), None, vec!["system_admin", "x_admin", "x_member"]),
        ("POST", format!("/api/v1/applications/{x_app}/withdraw"), Some(json!({ "reason": "" })), vec!["system_admin", "x_admin", "x_member"]),
        ("GET", "/api/v1/verify/AUTH-ZAUT-HZ22".into(), None, everyone.clone()),
        // Last: it ends the member's sessions.
        ("POST", format!("/api/v1/admin/users/{x_member}/totp/reset"), None, vec!["system_admin"]),
    ];

    // (Forms are posted so that they parse: a form that does not parse is answered with its
    // field errors before the service is reached.)
    let eitc_text = eitc.to_string();
    // The same services through the pages' form posts (no JavaScript) and the server
    // functions the pages call: refused is a redirect to sign in, a redirect back with
    // `_.forbidden` or `_.not_found`, or 401/403/404; allowed gets past authorization (the
    // forms are posted incomplete, so nothing changes).
    let forms: Vec<(String, Vec<(&str, &str)>, Vec<&str>)> = vec![
        ("/forms/admin/bases".into(), vec![("code", "")], vec!["system_admin"]),
        (format!("/forms/admin/users/{x_member}/roles"), vec![("role", "nope")], vec!["system_admin"]),
        ("/forms/admin/invitations".into(), vec![("email", ""), ("role", "agency_reviewer"), ("agency_id", eitc_text.as_str())], vec!["system_admin", "agency_lead"]),
        ("/forms/admin/calendar/2026/holidays".into(), vec![("holiday_from", "")], vec!["system_admin"]),
        ("/forms/admin/calendar/years".into(), vec![("new_year", "")], vec!["system_admin"]),
        (format!("/forms/enterprises/{xe}/profile"), vec![("name_zh", ""), ("registered_capital", "100"), ("employees", "1")], vec!["system_admin", "x_admin"]),
        (format!("/forms/enterprises/{xe}/invitations"), vec![("email", "")], vec!["system_admin", "x_admin"]),
        (format!("/forms/enterprises/{xe}/tenancies"), vec![("base_id", ""), ("segment", "")], vec!["system_admin", "x_admin"]),
        (format!("/forms/tenancies/{x_tenancy}/decision"), vec![("action", "suspend")], vec!["system_admin", "pm_jinqiao"]),
        (format!("/forms/enterprises/{xe}/verification"), vec![("decision", "nope")], vec!["system_admin", "pm_jinqiao"]),
        (format!("/forms/bases/{jinqiao}/reminders"), vec![("period", "bad")], vec!["system_admin", "pm_jinqiao"]),
        (format!("/forms/bases/{jinqiao}/reminders/scheduled"), vec![("period", "bad"), ("run_at", "")], vec!["system_admin", "pm_jinqiao"]),
    ];
    let mut wrong = Vec::new();
    for (path, form, allowed) in &forms {
        for (role, client) in &clients {
            let res = client.post(app.url(path)).form(form).send().await.unwrap();
            let status = res.status().as_u16();
            let to = res.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or("").to_string();
            let refused = matches!(status, 401 | 403 | 404)
                || (status == 303 && (to.starts_with("/login") || to.contains("_.forbidden") || to.contains("_.not_found") || to.contains("_.unauthenticated")));
            if allowed.contains(role) == refused {
                wrong.push(format!("form {path} as {role}: {status} {to}"));
            }
        }
    }
    // Server functions, called as the browser would (GET: they only read; arguments in the query).
    let server_fns: Vec<(&str, Vec<(&str, String)>, Vec<&str>)> = vec![
        ("admin_users", vec![("q", String::new()), ("role", String::new()), ("status", String::new()), ("page", "1".into())], vec!["system_admin"]),
        ("admin_user", vec![("id", x.user_id.to_string())], vec!["system_admin"]),
        ("admin_jobs", vec![("status", String::new()), ("page", "1".into())], vec!["system_admin"]),
        ("calendar_admin", vec![("from", String::new()), ("days", String::new())], vec!["system_admin"]),
        ("open_claims", vec![], vec!["system_admin"]),
        ("members", vec![("enterprise_id", xe.to_string())], vec!["system_admin", "x_admin", "x_member"]),
        ("company", vec![("enterprise_id", xe.to_string())], vec!["system_admin", "x_admin", "x_member", "pm_jinqiao"]),
        ("company_reports", vec![("enterprise_id", xe.to_string())], vec!["system_admin", "x_admin", "x_member", "pm_jinqiao"]),
        ("documents", vec![("enterprise_id", xe.to_string())], vec!["system_admin", "x_admin", "x_member", "pm_jinqiao"]),
        ("park_dashboard", vec![("base_id", jinqiao.to_string())], vec!["system_admin", "pm_jinqiao"]),
        ("scheduled_reminders", vec![("base_id", jinqiao.to_string())], vec!["system_admin", "pm_jinqiao"]),
        ("filing", vec![("base_id", jinqiao.to_string()), ("period", String::new()), ("filed", String::new()), ("page", "1".into())], vec!["system_admin", "pm_jinqiao"]),
    ];
    for (name, args, allowed) in &server_fns {
        for (role, client) in &clients {
            let res = client.get(app.url(&format!("/_sfn/{name}"))).query(args).send().await.unwrap();
            let status = res.status().as_u16();
            let body = res.text().await.unwrap_or_default();
            let refused = status != 200 && ["forbidden", "unauthenticated", "not_found"].iter().any(|c| body.contains(c));
            let ok = if allowed.contains(role) { status == 200 } else { refused };
            if !ok {
                wrong.push(format!("server function {name} as {role}: {status} {}", body.chars().take(120).collect::<String>()));
            }
        }
    }
    for (method, path, body, allowed) in &table {
        for (role, client) in &clients {
            let mut req = client.request(method.parse().unwrap(), app.url(path));
            if let Some(b) = body {
                req = req.json(b);
            }
            let status = req.send().await.unwrap().status().as_u16();
            let refused = matches!(status, 401 | 403 | 404);
            // Allowed callers get past authorization: success, or a validation/not-found
            // answer about the (deliberately bad or missing) input.
            let ok = if allowed.contains(role) {
                !matches!(status, 401 | 403) && (status != 404 || path.contains("/roles/-1") || path.contains("/members/") || path.contains("/jobs/999999"))
            } else {
                refused
            };
            if !ok {
                wrong.push(format!("{method} {path} as {role}: {status}"));
            }
        }
    }
    assert!(wrong.is_empty(), "authorization mismatches:\n{}", wrong.join("\n"));
}

/// A profile that passes deserialization but fails validation (so only the role decides
/// between 403 and 422).
fn bad_profile() -> serde_json::Value {
    json!({
        "name_zh": "", "legal_representative": "x", "address": "x", "district": "x", "registered_capital": 0,
        "founded_on": "2015-01-01", "employees": 1, "segments": ["core-chips"]
    })
}
