//! Accounts, sign-in and access control, end to end over HTTP against the real server and
//! database (SQLite or PostgreSQL per TEST_DATABASE); mail is read back from the .eml files
//! lettre wrote.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{credit_code, TestApp, PASSWORD};
use serde_json::json;

#[actix_rt::test]
async fn a_company_registers_confirms_its_email_and_signs_in() {
    let app = TestApp::spawn().await;
    let client = app.new_client();
    // Full-width characters and lower case in the credit code are normalized.
    let code = credit_code(1);
    let messy: String = code
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 - 0x30 + 0xFF10).unwrap() } else { c })
        .collect();
    let (status, body) = app
        .post_json(&client, "/api/v1/auth/register", json!({
            "credit_code": format!(" {messy} "), "company_name": "金桥超高清科技有限公司", "contact_name": "张伟",
            "email": " Zhang.Wei@Example.com ", "phone": "138 0013 8000", "password": PASSWORD, "locale": "en"
        }))
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["email"], "zhang.wei@example.com");
    assert_eq!(app.count("enterprises", &format!("credit_code = '{code}'")), 1);

    // Signed in before confirming: the account exists but is not confirmed.
    let (status, me) = app.post_json(&client, "/api/v1/auth/login", json!({ "email": "zhang.wei@example.com", "password": PASSWORD })).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["email_verified"], false);
    assert_eq!(me["roles"][0]["role"], "enterprise_admin");
    assert_eq!(me["roles"][0]["scope_name"], "金桥超高清科技有限公司");

    // The confirmation mail is in the recipient's language and carries the link.
    let mail = app.nth_mail("zhang.wei@example.com", 1).await;
    assert!(mail.subject.contains("confirm your email"), "{}", mail.subject);
    assert!(mail.link("/verify-email?token=").starts_with(&app.address));
    let (status, body) = app.post_json(&client, "/api/v1/auth/verify-email", json!({ "token": mail.token("/verify-email") })).await;
    assert_eq!(status, 200, "{body}");
    let (_, me) = app.send(client.get(app.url("/api/v1/me"))).await;
    assert_eq!(me["email_verified"], true);
    // A tampered link is refused.
    let (status, body) = app.post_json(&client, "/api/v1/auth/verify-email", json!({ "token": format!("{}x", mail.token("/verify-email")) })).await;
    assert_eq!((status, body["fields"]["token"][0]["code"].as_str()), (422, Some("token_invalid")));
}

#[actix_rt::test]
async fn registration_reports_field_errors_and_duplicates_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let client = app.new_client();
    let (status, body) = app
        .post_json(&client, "/api/v1/auth/register", json!({
            // DOMAIN.md's worked example with a wrong check character (the right one is Q).
            "credit_code": "91110108551385082A", "company_name": "", "contact_name": "李",
            "email": "nope", "phone": "123", "password": "password"
        }))
        .await;
    assert_eq!(status, 422);
    for field in ["credit_code", "company_name", "email", "phone", "password"] {
        assert!(body["fields"][field].is_array(), "{field} in {body}");
    }
    // A common password passes the shape rule but not the list.
    let (status, body) = app
        .post_json(&client, "/api/v1/auth/register", json!({
            "credit_code": credit_code(2), "company_name": "甲", "contact_name": "李",
            "email": "li@example.com", "phone": "13800138000", "password": "Password1!"
        }))
        .await;
    assert_eq!((status, body["fields"]["password"][0]["code"].as_str()), (422, Some("password_common")));
    assert_eq!(app.count("users", "1=1"), 0);

    app.register(3, "first@example.com", false).await;
    let (status, body) = app
        .post_json(&client, "/api/v1/auth/register", json!({
            "credit_code": credit_code(3), "company_name": "乙", "contact_name": "王",
            "email": "second@example.com", "phone": "13800138000", "password": PASSWORD
        }))
        .await;
    assert_eq!((status, body["error"].as_str()), (409, Some("credit_code_taken")));
    assert!(body["message"].as_str().unwrap().contains("administrator to invite you"));
    let (status, body) = app
        .post_json(&client, "/api/v1/auth/register", json!({
            "credit_code": credit_code(4), "company_name": "丙", "contact_name": "王",
            "email": "FIRST@example.com", "phone": "13800138000", "password": PASSWORD
        }))
        .await;
    assert_eq!((status, body["error"].as_str()), (409, Some("email_taken")));
    // The refused registrations queued no mail: their transactions rolled back.
    assert_eq!(app.count("mail_outbox", "to_address = 'second@example.com'"), 0);
    assert_eq!(app.count("enterprises", "1=1"), 1);
}

#[actix_rt::test]
async fn wrong_passwords_lock_the_address_without_revealing_it() {
    let app = TestApp::spawn().await;
    app.register(5, "owner@example.com", true).await;
    let client = app.new_client();
    let attempt = |email: &'static str, password: &'static str| {
        let client = client.clone();
        let app = &app;
        async move { app.post_json(&client, "/api/v1/auth/login", json!({ "email": email, "password": password })).await }
    };
    let (s1, known) = attempt("owner@example.com", "Wrong-Password-1").await;
    let (s2, unknown) = attempt("nobody@example.com", "Wrong-Password-1").await;
    assert_eq!((s1, s2), (401, 401));
    assert_eq!(known, unknown, "the same answer whether or not the address is registered");
    for _ in 0..3 {
        assert_eq!(attempt("owner@example.com", "Wrong-Password-1").await.0, 401);
    }
    // The fifth wrong password locks the address for 15 minutes ...
    let (status, body) = attempt("owner@example.com", "Wrong-Password-1").await;
    assert_eq!((status, body["error"].as_str()), (429, Some("account_locked")));
    // ... even for the right password.
    let res = client.post(app.url("/api/v1/auth/login")).json(&json!({ "email": "owner@example.com", "password": PASSWORD })).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 429);
    let retry: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((800..=900).contains(&retry), "{retry}");
    // An unregistered address locks the same way.
    for _ in 0..4 {
        attempt("nobody@example.com", "Wrong-Password-1").await;
    }
    assert_eq!(attempt("nobody@example.com", "x").await.1["error"], "account_locked");
    assert!(app.count("audit_events", "event = 'locked_out'") >= 2);
    assert!(app.count("audit_events", "event = 'login_failed' AND ip IS NOT NULL AND user_agent IS NOT NULL") >= 5);

    // Still locked 14 minutes later on the portal's clock; after the 15 minutes the right
    // password works.
    app.advance(chrono::Duration::minutes(14));
    assert_eq!(attempt("owner@example.com", PASSWORD).await.0, 429);
    app.advance(chrono::Duration::minutes(2));
    app.login("owner@example.com", PASSWORD).await;
}

#[actix_rt::test]
async fn sign_in_is_rate_limited_per_ip() {
    let app = TestApp::spawn_configured(|s| s.login_rate_per_minute = 3).await;
    let client = app.new_client();
    let mut statuses = Vec::new();
    for i in 0..5 {
        let email = format!("someone{i}@example.com");
        statuses.push(app.post_json(&client, "/api/v1/auth/login", json!({ "email": email, "password": "x" })).await);
    }
    assert_eq!(statuses.iter().map(|s| s.0).collect::<Vec<_>>(), [401, 401, 401, 429, 429]);
    assert_eq!(statuses[3].1["error"], "rate_limited");
}

#[actix_rt::test]
async fn a_forgotten_password_is_reset_by_email_once() {
    let app = TestApp::spawn().await;
    let company = app.register(6, "reset@example.com", true).await;
    let other_browser = app.login("reset@example.com", PASSWORD).await;
    let client = app.new_client();
    // Known and unknown addresses get the same answer.
    assert_eq!(app.post_json(&client, "/api/v1/auth/password-reset/request", json!({ "email": "reset@example.com" })).await.0, 202);
    assert_eq!(app.post_json(&client, "/api/v1/auth/password-reset/request", json!({ "email": "ghost@example.com" })).await.0, 202);
    assert_eq!(app.count("mail_outbox", "to_address = 'ghost@example.com'"), 0);
    let mail = app.nth_mail("reset@example.com", 2).await;
    assert!(mail.subject.contains("重置密码"), "{}", mail.subject);
    let token = mail.token("/password-reset/confirm");

    // Purpose confusion: the reset token is not a session, a session is not a reset token.
    let res = app.client.get(app.url("/api/v1/me")).header("cookie", format!("uhd_session={token}")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 401);
    let (status, body) = app.post_json(&client, "/api/v1/auth/verify-email", json!({ "token": token })).await;
    assert_eq!((status, body["fields"]["token"][0]["code"].as_str()), (422, Some("token_invalid")));

    let (status, body) = app.post_json(&client, "/api/v1/auth/password-reset/confirm", json!({ "token": token, "new_password": "abc" })).await;
    assert_eq!((status, body["fields"]["new_password"][0]["code"].as_str()), (422, Some("password_too_short")));
    let (status, _) = app.post_json(&client, "/api/v1/auth/password-reset/confirm", json!({ "token": token, "new_password": "Lanterns&Ledgers7" })).await;
    assert_eq!(status, 204);
    // Used once: the link no longer works.
    let (status, body) = app.post_json(&client, "/api/v1/auth/password-reset/confirm", json!({ "token": token, "new_password": "Another-Pass-99" })).await;
    assert_eq!((status, body["fields"]["token"][0]["code"].as_str()), (422, Some("token_invalid")));
    // Every session ended; the old password fails, the new one works; the person was told.
    assert_eq!(app.send(other_browser.get(app.url("/api/v1/me"))).await.0, 401);
    assert_eq!(app.post_json(&client, "/api/v1/auth/login", json!({ "email": "reset@example.com", "password": PASSWORD })).await.0, 401);
    app.login("reset@example.com", "Lanterns&Ledgers7").await;
    assert!(app.nth_mail("reset@example.com", 3).await.subject.contains("密码已修改"));
    assert_eq!(app.count("audit_events", &format!("event = 'password_reset' AND subject_user_id = {}", company.user_id)), 1);
}

#[actix_rt::test]
async fn sessions_are_listed_and_ended_one_or_all() {
    let app = TestApp::spawn().await;
    app.register(7, "multi@example.com", true).await;
    let laptop = app.login("multi@example.com", PASSWORD).await;
    let phone = app.login("multi@example.com", PASSWORD).await;
    let (status, sessions) = app.send(laptop.get(app.url("/api/v1/me/sessions"))).await;
    assert_eq!(status, 200);
    let sessions = sessions.as_array().unwrap().clone();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    let other = sessions.iter().find(|s| s["current"] == false).unwrap()["id"].as_str().unwrap().to_string();
    assert_eq!(app.send(laptop.delete(app.url(&format!("/api/v1/me/sessions/{other}")))).await.0, 204);
    assert_eq!(app.send(phone.get(app.url("/api/v1/me"))).await.0, 401);
    assert_eq!(app.send(laptop.get(app.url("/api/v1/me"))).await.0, 200);
    // Someone else's session id is not found.
    let stranger = {
        app.register(8, "stranger@example.com", true).await;
        app.login("stranger@example.com", PASSWORD).await
    };
    let (_, mine) = app.send(laptop.get(app.url("/api/v1/me/sessions"))).await;
    let mine = mine[0]["id"].as_str().unwrap().to_string();
    assert_eq!(app.send(stranger.delete(app.url(&format!("/api/v1/me/sessions/{mine}")))).await.0, 404);
    // Sign out everywhere.
    assert_eq!(app.send(laptop.delete(app.url("/api/v1/me/sessions"))).await.0, 204);
    assert_eq!(app.send(laptop.get(app.url("/api/v1/me"))).await.0, 401);
    // Sign out.
    let again = app.login("multi@example.com", PASSWORD).await;
    assert_eq!(app.send(again.post(app.url("/api/v1/auth/logout"))).await.0, 204);
    assert_eq!(app.send(again.get(app.url("/api/v1/me"))).await.0, 401);
}

#[actix_rt::test]
async fn forged_expired_and_unsigned_session_tokens_are_refused() {
    use jsonwebtoken::{encode, EncodingKey, Header};
    let app = TestApp::spawn().await;
    let company = app.register(9, "jwt@example.com", true).await;
    let client = app.login("jwt@example.com", PASSWORD).await;
    let (_, sessions) = app.send(client.get(app.url("/api/v1/me/sessions"))).await;
    let sid = sessions[0]["id"].as_str().unwrap().to_string();
    let now = chrono::Utc::now().timestamp();
    let claims = |exp: i64| json!({ "sub": company.user_id.to_string(), "aud": "uhd:session", "iat": now - 10, "exp": exp, "sid": sid });
    // No secret configured: the portal generated one in its data directory on first start.
    let secret_text = std::fs::read_to_string(app.data_dir.join(backend::config::JWT_SECRET_FILE)).unwrap();
    let secret = secret_text.trim().as_bytes();
    let valid = encode(&Header::default(), &claims(now + 600), &EncodingKey::from_secret(secret)).unwrap();
    let expired = encode(&Header::default(), &claims(now - 600), &EncodingKey::from_secret(secret)).unwrap();
    let wrong_key = encode(&Header::default(), &claims(now + 600), &EncodingKey::from_secret(b"guess")).unwrap();
    let payload = valid.split('.').nth(1).unwrap();
    let alg_none = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.");
    let mut tampered_claims = claims(now + 600);
    tampered_claims["sub"] = json!((company.user_id + 1000).to_string());
    let tampered_payload = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(tampered_claims.to_string())
    };
    let parts: Vec<&str> = valid.split('.').collect();
    let tampered = format!("{}.{}.{}", parts[0], tampered_payload, parts[2]);
    let wrong_audience = encode(&Header::default(), &json!({ "sub": company.user_id.to_string(), "aud": "uhd:password-reset", "iat": now, "exp": now + 600, "sid": sid }), &EncodingKey::from_secret(secret)).unwrap();

    let me = |token: String| {
        let app = &app;
        async move { app.client.get(app.url("/api/v1/me")).header("cookie", format!("uhd_session={token}")).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(me(valid).await, 200, "the control case");
    for (name, token) in [("expired", expired), ("wrong key", wrong_key), ("alg none", alg_none), ("tampered", tampered), ("wrong audience", wrong_audience)] {
        assert_eq!(me(token).await, 401, "{name}");
    }
}

#[actix_rt::test]
async fn api_tokens_are_scoped_expiring_and_revocable() {
    let app = TestApp::spawn().await;
    let company = app.register(10, "api@example.com", true).await;
    let client = app.login("api@example.com", PASSWORD).await;
    let (status, body) = app.post_json(&client, "/api/v1/me/tokens", json!({ "name": "ERP", "scope": "read", "expires_in_days": 0 })).await;
    assert_eq!((status, body["fields"]["expires_in_days"][0]["code"].as_str()), (422, Some("out_of_range")));
    let (status, read) = app.post_json(&client, "/api/v1/me/tokens", json!({ "name": "ERP", "scope": "read", "expires_in_days": 30 })).await;
    assert_eq!(status, 201, "{read}");
    let read_token = read["token"].as_str().unwrap().to_string();
    assert!(read_token.starts_with("uhd_"));
    let (_, write) = app.post_json(&client, "/api/v1/me/tokens", json!({ "name": "Sync", "scope": "write", "expires_in_days": 30 })).await;
    let write_token = write["token"].as_str().unwrap().to_string();
    // Only the digest is stored.
    assert_eq!(app.count("api_tokens", &format!("token_hash = '{read_token}'")), 0);

    let bare = reqwest::Client::new();
    let (status, me) = app.send(bare.get(app.url("/api/v1/me")).bearer_auth(&read_token)).await;
    assert_eq!((status, me["id"].as_i64()), (200, Some(company.user_id)));
    let (status, body) = app.send(bare.patch(app.url("/api/v1/me")).bearer_auth(&read_token).json(&json!({ "locale": "en" }))).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("insufficient_scope")));
    assert_eq!(app.send(bare.patch(app.url("/api/v1/me")).bearer_auth(&write_token).json(&json!({ "locale": "en" }))).await.0, 200);
    // Tokens cannot mint tokens or change the password.
    let (status, body) = app.send(bare.post(app.url("/api/v1/me/tokens")).bearer_auth(&write_token).json(&json!({ "name": "x", "scope": "write", "expires_in_days": 1 }))).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("session_required")));

    let id = read["info"]["id"].as_i64().unwrap();
    assert_eq!(app.send(client.delete(app.url(&format!("/api/v1/me/tokens/{id}")))).await.0, 204);
    let (status, body) = app.send(bare.get(app.url("/api/v1/me")).bearer_auth(&read_token)).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("invalid_token")));
    // An expired token stops working.
    app.exec("UPDATE api_tokens SET expires_at = created_at");
    assert_eq!(app.send(bare.get(app.url("/api/v1/me")).bearer_auth(&write_token)).await.0, 401);
    assert_eq!(app.count("audit_events", "event = 'token_issued'"), 2);
}

#[actix_rt::test]
async fn a_company_admin_invites_hands_over_and_removes_colleagues() {
    let app = TestApp::spawn().await;
    let company = app.register(11, "boss@example.com", true).await;
    let boss = app.login("boss@example.com", PASSWORD).await;
    let path = format!("/api/v1/enterprises/{}/invitations", company.enterprise_id);
    let (status, body) = app.post_json(&boss, &path, json!({ "email": "not-an-email" })).await;
    assert_eq!((status, body["fields"]["email"][0]["code"].as_str()), (422, Some("invalid_email")));
    let (status, body) = app.post_json(&boss, &path, json!({ "email": "colleague@example.com", "role": "park_manager" })).await;
    assert_eq!((status, body["fields"]["role"][0]["code"].as_str()), (422, Some("not_allowed")));
    let (status, body) = app.post_json(&boss, &path, json!({ "email": "Colleague@example.com", "locale": "en" })).await;
    assert_eq!(status, 201, "{body}");

    let mail = app.nth_mail("colleague@example.com", 1).await;
    assert!(mail.subject.contains("company member"), "{}", mail.subject);
    let token = mail.token("/invitation");
    let anon = app.new_client();
    let (status, details) = app.post_json(&anon, "/api/v1/auth/invitations/inspect", json!({ "token": token })).await;
    assert_eq!(status, 200);
    assert_eq!((details["role"].as_str(), details["existing_account"].as_bool()), (Some("enterprise_member"), Some(false)));
    let (status, body) = app.post_json(&anon, "/api/v1/auth/invitations/accept", json!({ "token": token, "password": PASSWORD })).await;
    assert_eq!((status, body["fields"]["display_name"][0]["code"].as_str()), (422, Some("required")));
    let (status, me) = app.post_json(&anon, "/api/v1/auth/invitations/accept", json!({ "token": token, "display_name": "李娜", "password": PASSWORD })).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!((me["email_verified"].as_bool(), me["roles"][0]["enterprise_id"].as_i64()), (Some(true), Some(company.enterprise_id)));
    // Signed in by accepting; the link is single use.
    assert_eq!(app.send(anon.get(app.url("/api/v1/me"))).await.0, 200);
    let (status, _) = app.post_json(&app.new_client(), "/api/v1/auth/invitations/accept", json!({ "token": token, "display_name": "X", "password": PASSWORD })).await;
    assert_eq!(status, 422);

    let colleague_id = me["id"].as_i64().unwrap();
    let (_, members) = app.send(boss.get(app.url(&format!("/api/v1/enterprises/{}/members", company.enterprise_id)))).await;
    assert_eq!(members.as_array().unwrap().len(), 2);
    // A member may not invite.
    assert_eq!(app.post_json(&anon, &path, json!({ "email": "third@example.com" })).await.0, 403);

    // Hand over the administrator role.
    let (status, _) = app.post_json(&boss, &format!("/api/v1/enterprises/{}/transfer-admin", company.enterprise_id), json!({ "user_id": colleague_id })).await;
    assert_eq!(status, 204);
    assert!(app.nth_mail("colleague@example.com", 2).await.subject.contains("administer"));
    let (_, me) = app.send(boss.get(app.url("/api/v1/me"))).await;
    assert_eq!(me["roles"][0]["role"], "enterprise_member");
    // The new admin removes the former one, whose sessions end.
    let (status, _) = app.send(anon.delete(app.url(&format!("/api/v1/enterprises/{}/members/{}", company.enterprise_id, company.user_id)))).await;
    assert_eq!(status, 204);
    assert_eq!(app.send(boss.get(app.url("/api/v1/me"))).await.0, 401);
    assert_eq!(app.count("audit_events", "event = 'role_revoked'"), 1);
}

#[actix_rt::test]
async fn staff_are_invited_by_admins_and_leads_never_self_registered() {
    let app = TestApp::spawn().await;
    let jinqiao = app.id_of("bases", "jinqiao");
    let eitc = app.id_of("agencies", "sh-eitc");
    let culture = app.id_of("agencies", "sh-culture-radio");
    app.db.write_blocking(|conn| backend::accounts::admin_users::create_admin(conn, "root@example.gov.cn", "平台管理员", "Admin-Portal-2026")).unwrap();
    // No default or weak password.
    assert!(app.db.write_blocking(|conn| backend::accounts::admin_users::create_admin(conn, "weak@example.gov.cn", "x", "admin123")).is_err());
    let admin = app.login("root@example.gov.cn", "Admin-Portal-2026").await;
    let (status, body) = app.post_json(&admin, "/api/v1/invitations", json!({ "email": "pm@example.com", "role": "park_manager" })).await;
    assert_eq!((status, body["fields"]["base_id"][0]["code"].as_str()), (422, Some("required")));
    let (status, body) = app.post_json(&admin, "/api/v1/invitations", json!({ "email": "e@example.com", "role": "expert", "employer_credit_code": "123" })).await;
    assert_eq!(status, 422);
    assert!(body["fields"]["specialties"].is_array() && body["fields"]["employer_credit_code"].is_array(), "{body}");
    let (status, body) = app.post_json(&admin, "/api/v1/invitations", json!({ "email": "pm@example.com", "role": "park_manager", "base_id": jinqiao })).await;
    assert_eq!(status, 201, "{body}");
    let mail = app.nth_mail("pm@example.com", 1).await;
    assert!(mail.subject.contains("园区管理员"), "{}", mail.subject);
    let pm = app.new_client();
    let (status, me) = app.post_json(&pm, "/api/v1/auth/invitations/accept", json!({ "token": mail.token("/invitation"), "display_name": "金桥园区", "password": PASSWORD })).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!((me["roles"][0]["role"].as_str(), me["roles"][0]["base_id"].as_i64()), (Some("park_manager"), Some(jinqiao)));
    // Staff enrol an authenticator before anything else.
    assert_eq!(me["second_factor"], "enrol");
    assert_eq!(app.send(pm.get(app.url("/api/v1/me"))).await.0, 401);
    app.enrol(&pm).await;
    assert_eq!(app.send(pm.get(app.url("/api/v1/me"))).await.0, 200);

    let (status, _) = app.post_json(&admin, "/api/v1/invitations", json!({ "email": "lead@example.com", "role": "agency_lead", "agency_id": eitc })).await;
    assert_eq!(status, 201);
    let lead = app.new_client();
    let token = app.nth_mail("lead@example.com", 1).await.token("/invitation");
    assert_eq!(app.post_json(&lead, "/api/v1/auth/invitations/accept", json!({ "token": token, "display_name": "负责人", "password": PASSWORD })).await.0, 200);
    app.enrol(&lead).await;
    // A lead invites reviewers of its own agency only.
    assert_eq!(app.post_json(&lead, "/api/v1/invitations", json!({ "email": "rev@example.com", "role": "agency_reviewer", "agency_id": eitc })).await.0, 201);
    assert_eq!(app.post_json(&lead, "/api/v1/invitations", json!({ "email": "rev2@example.com", "role": "agency_reviewer", "agency_id": culture })).await.0, 403);
    assert_eq!(app.post_json(&lead, "/api/v1/invitations", json!({ "email": "lead2@example.com", "role": "agency_lead", "agency_id": eitc })).await.0, 403);
    // An expert's profile comes with the invitation.
    let (status, _) = app.post_json(&admin, "/api/v1/invitations", json!({ "email": "expert@example.com", "role": "expert", "specialties": "8K 摄制; AVS3", "employer_credit_code": credit_code(99) })).await;
    assert_eq!(status, 201);
    let token = app.nth_mail("expert@example.com", 1).await.token("/invitation");
    assert_eq!(app.post_json(&app.new_client(), "/api/v1/auth/invitations/accept", json!({ "token": token, "display_name": "专家", "password": PASSWORD })).await.0, 200);
    assert_eq!(app.count("expert_profiles", &format!("employer_credit_code = '{}'", credit_code(99))), 1);
    // Inviting someone to a role they hold is a conflict.
    assert_eq!(app.post_json(&admin, "/api/v1/invitations", json!({ "email": "pm@example.com", "role": "park_manager", "base_id": jinqiao })).await.0, 409);
}

#[actix_rt::test]
async fn system_admins_manage_users_and_read_the_audit_log() {
    let app = TestApp::spawn().await;
    let admin_id = app.db.write_blocking(|conn| backend::accounts::admin_users::create_admin(conn, "root@example.gov.cn", "平台管理员", "Admin-Portal-2026")).unwrap();
    let admin = app.login("root@example.gov.cn", "Admin-Portal-2026").await;
    let company = app.register(12, "target@example.com", false).await;
    let target = app.login("target@example.com", PASSWORD).await;

    let (status, page) = app.send(admin.get(app.url("/api/v1/admin/users?role=enterprise_admin&status=unverified"))).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["email"], "target@example.com");
    let (_, page) = app.send(admin.get(app.url("/api/v1/admin/users?q=ROOT"))).await;
    assert_eq!(page["items"][0]["id"].as_i64(), Some(admin_id));
    let (status, body) = app.send(admin.get(app.url("/api/v1/admin/users?role=king"))).await;
    assert_eq!((status, body["fields"]["role"][0]["code"].as_str()), (422, Some("unknown_role")));

    // Roles: grant with a scope, refuse a missing scope, revoke.
    let jinqiao = app.id_of("bases", "jinqiao");
    let roles = format!("/api/v1/admin/users/{}/roles", company.user_id);
    let (status, body) = app.post_json(&admin, &roles, json!({ "role": "park_manager" })).await;
    assert_eq!((status, body["fields"]["base_id"][0]["code"].as_str()), (422, Some("required")));
    let (status, me) = app.post_json(&admin, &roles, json!({ "role": "park_manager", "base_id": jinqiao })).await;
    assert_eq!(status, 200, "{me}");
    let grant = me["roles"].as_array().unwrap().iter().find(|r| r["role"] == "park_manager").unwrap()["id"].as_i64().unwrap();
    assert_eq!(app.send(admin.delete(app.url(&format!("{roles}/{grant}")))).await.0, 204);
    // The last system admin keeps the role; nobody disables themselves.
    let (_, me) = app.send(admin.get(app.url("/api/v1/me"))).await;
    let own = me["roles"][0]["id"].as_i64().unwrap();
    assert_eq!(app.send(admin.delete(app.url(&format!("/api/v1/admin/users/{admin_id}/roles/{own}")))).await.0, 409);
    assert_eq!(app.send(admin.post(app.url(&format!("/api/v1/admin/users/{admin_id}/disable")))).await.0, 409);

    // Disabling ends the person's sessions and refuses sign-in, answering exactly as a wrong
    // password does (nothing tells an attacker the password was right).
    assert_eq!(app.send(admin.post(app.url(&format!("/api/v1/admin/users/{}/disable", company.user_id)))).await.0, 204);
    assert_eq!(app.send(target.get(app.url("/api/v1/me"))).await.0, 401);
    let (status, disabled) = app.post_json(&app.new_client(), "/api/v1/auth/login", json!({ "email": "target@example.com", "password": PASSWORD })).await;
    let (_, wrong) = app.post_json(&app.new_client(), "/api/v1/auth/login", json!({ "email": "target@example.com", "password": "Wrong-Password-1" })).await;
    assert_eq!((status, disabled["error"].as_str()), (401, Some("invalid_credentials")));
    assert_eq!(disabled, wrong);
    assert_eq!(app.send(admin.post(app.url(&format!("/api/v1/admin/users/{}/enable", company.user_id)))).await.0, 204);
    app.login("target@example.com", PASSWORD).await;

    let (status, log) = app.send(admin.get(app.url(&format!("/api/v1/admin/audit?user_id={}&per_page=100", company.user_id)))).await;
    assert_eq!(status, 200);
    let events: Vec<&str> = log["items"].as_array().unwrap().iter().map(|e| e["event"].as_str().unwrap()).collect();
    for expected in ["registered", "login_succeeded", "login_failed", "role_granted", "role_revoked", "user_disabled", "user_enabled"] {
        assert!(events.contains(&expected), "{expected} in {events:?}");
    }
    let first = &log["items"][0];
    assert!(first["ip"].as_str().is_some() && first["occurred_at"].as_str().is_some());
}

#[actix_rt::test]
async fn unsafe_cookie_requests_must_come_from_the_portal() {
    let app = TestApp::spawn().await;
    app.register(13, "csrf@example.com", true).await;
    let client = app.login("csrf@example.com", PASSWORD).await;
    // Another site's page posting with the victim's cookie.
    let (status, body) = app.send(client.patch(app.url("/api/v1/me")).header("origin", "https://evil.example").json(&json!({ "locale": "en" }))).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("cross_origin_request")));
    // No Origin and no Referer with a cookie: refused too.
    let cookie_only = reqwest::Client::new();
    let jar_cookie = {
        let (_, sessions) = app.send(client.get(app.url("/api/v1/me/sessions"))).await;
        assert!(sessions.is_array());
        // Re-sign-in to read the cookie value the server sets.
        let res = cookie_only.post(app.url("/api/v1/auth/login")).json(&json!({ "email": "csrf@example.com", "password": PASSWORD })).send().await.unwrap();
        let value = res.cookies().find(|c| c.name() == "uhd_session").unwrap().value().to_string();
        value
    };
    let res = cookie_only.patch(app.url("/api/v1/me")).header("cookie", format!("uhd_session={jar_cookie}")).json(&json!({ "locale": "en" })).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 403);
    // Same origin by Referer is fine; reading is always fine.
    let res = cookie_only
        .patch(app.url("/api/v1/me"))
        .header("cookie", format!("uhd_session={jar_cookie}"))
        .header("referer", app.url("/account"))
        .json(&json!({ "locale": "en" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(app.send(client.get(app.url("/api/v1/me")).header("origin", "https://evil.example")).await.0, 200);
    // The cookie is HttpOnly and SameSite=Lax.
    let res = cookie_only.post(app.url("/api/v1/auth/login")).json(&json!({ "email": "csrf@example.com", "password": PASSWORD })).send().await.unwrap();
    let set_cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"), "{set_cookie}");
}

#[actix_rt::test]
async fn every_response_carries_security_headers() {
    let app = TestApp::spawn().await;
    for path in ["/", "/api/v1/bases", "/api/v1/nope", "/login"] {
        let res = app.get(path).await;
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
    }
    // Pages allow only their own inline scripts, by nonce.
    let res = app.get("/").await;
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_string();
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_string();
    let html = res.text().await.unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "hydration scripts carry the nonce");
    assert!(!csp.contains("unsafe-inline"));
}

#[actix_rt::test]
async fn mail_survives_a_failing_smtp_server_and_uses_real_smtp_when_configured() {
    // Nothing listens on port 9: sending fails and the message's job waits for a retry, with
    // the SMTP failure as its last error.
    let app = TestApp::spawn_configured(|s| s.smtp_url = Some("smtp://127.0.0.1:9".into())).await;
    app.register(14, "queued@example.com", false).await;
    let waiting = |attempts: i32| format!("kind = 'mail' AND status = 'pending' AND attempts = {attempts} AND last_error LIKE '%sending mail%'");
    let wait_for = |clause: String| {
        let app = &app;
        async move {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
            while app.count("jobs", &clause) == 0 && std::time::Instant::now() < deadline {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            assert_eq!(app.count("jobs", &clause), 1, "{clause}");
        }
    };
    wait_for(waiting(1)).await;
    assert_eq!(app.count("mail_outbox", "to_address = 'queued@example.com' AND sent_at IS NULL"), 1);
    // Not again at once; again once the clock passes the back-off (the worker looks every 2 s).
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(app.count("jobs", &waiting(1)), 1, "backing off");
    app.advance(chrono::Duration::seconds(31));
    wait_for(waiting(2)).await;

    // With the test mail sink (scripts/test-all.sh starts maildev), the message goes out by SMTP.
    let Ok(smtp) = std::env::var("TEST_SMTP_URL") else { return };
    let app = TestApp::spawn_configured(move |s| s.smtp_url = Some(smtp)).await;
    let email = format!("smtp-{}@example.com", std::process::id());
    app.register(15, &email, false).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.count("mail_outbox", "sent_at IS NOT NULL") == 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.count("mail_outbox", &format!("to_address = '{email}' AND sent_at IS NOT NULL")), 1);
    assert_eq!(app.count("jobs", "kind = 'mail' AND status = 'done' AND attempts = 1"), 1);
    if let Ok(api) = std::env::var("TEST_MAILDEV_API") {
        let mails: serde_json::Value = reqwest::get(format!("{api}/email")).await.unwrap().json().await.unwrap();
        let found = mails.as_array().unwrap().iter().any(|m| m["to"][0]["address"] == email.as_str());
        assert!(found, "maildev received the confirmation mail");
    }
}

#[actix_rt::test]
async fn the_account_forms_work_without_javascript() {
    let app = TestApp::spawn().await;
    let company = app.register(16, "forms@example.com", true).await;
    let client = app.new_client();
    // A wrong password sends the form back with the code in the URL; the typed email comes back
    // in a short-lived HttpOnly cookie for that page, never in the URL, and never the password.
    let res = client.post(app.url("/forms/login")).form(&[("email", "forms@example.com"), ("password", "Wrong-Password-1")]).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, "/login?err=_.invalid_credentials");
    let refill = res.headers().get_all("set-cookie").iter().map(|c| c.to_str().unwrap().to_string()).find(|c| c.starts_with("uhd_refill=")).expect("a refill cookie");
    assert!(refill.contains("HttpOnly") && refill.contains("SameSite=Strict") && refill.contains("Path=/login"), "{refill}");
    // (Encoded twice: as a query value, then the whole as a cookie value.)
    assert!(refill.contains("forms%2540example.com") && !refill.contains("Wrong-Password"), "{refill}");
    let html = client.get(app.url(&location)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("邮箱或密码不正确。"), "the page translates the code");
    assert!(html.contains("value=\"forms@example.com\""), "the typed email is back in its field");
    let again = client.get(app.url(&location)).send().await.unwrap().text().await.unwrap();
    assert!(!again.contains("value=\"forms@example.com\""), "only once: the cookie was removed");
    // Words with spaces, an ampersand and Chinese come back exactly as typed.
    let res = client
        .post(app.url("/forms/register"))
        .form(&[("credit_code", ""), ("company_name", "超高清 & 视频 公司"), ("contact_name", "李 娜"), ("email", "li@example.com"), ("phone", "1"), ("password", "x")])
        .send()
        .await
        .unwrap();
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/register?err=") && !location.contains("example.com"), "{location}");
    let html = client.get(app.url(&location)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("value=\"超高清 &amp; 视频 公司\"") && html.contains("value=\"李 娜\""), "typed values refilled");

    let res = client.post(app.url("/forms/login")).form(&[("email", "forms@example.com"), ("password", PASSWORD)]).send().await.unwrap();
    assert_eq!((res.status().as_u16(), res.headers()["location"].to_str().unwrap()), (303, "/dashboard"));
    let html = client.get(app.url("/dashboard")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("测试超高清企业16"), "the dashboard shows the company");

    let res = client.post(app.url("/forms/locale")).form(&[("locale", "en")]).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(app.count("users", &format!("id = {} AND locale = 'en'", company.user_id)), 1);
    // The next email follows the new language.
    client.post(app.url("/forms/password-reset")).form(&[("email", "forms@example.com")]).send().await.unwrap();
    assert!(app.nth_mail("forms@example.com", 2).await.subject.contains("Reset your password"));

    let res = client.post(app.url("/forms/logout")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(app.send(client.get(app.url("/api/v1/me"))).await.0, 401);
}

/// `uhd-portal verify-audit` against the test database: (exit status, stdout + stderr).
fn verify_audit_cli(app: &TestApp) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_uhd-portal"))
        .arg("verify-audit")
        .env("DATABASE_URL", app.test_db.url())
        .env("PORTAL_DATA_DIR", &app.data_dir)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[tokio::test]
async fn the_audit_log_is_one_filterable_hash_chain_that_verify_audit_checks() {
    use backend::accounts::audit::{verify, Verification};
    use backend::diesel::{self, RunQueryDsl};
    let app = TestApp::spawn().await;
    let company = app.register(51, "chain@example.com", true).await;
    let jinqiao = app.id_of("bases", "jinqiao");
    app.create_user("pm-chain@example.com", "park_manager", None, Some(jinqiao), None);
    app.create_user("admin-chain@example.com", "system_admin", None, None, None);
    let c = app.login("chain@example.com", PASSWORD).await;
    let pm = app.login("pm-chain@example.com", PASSWORD).await;
    let admin = app.login("admin-chain@example.com", PASSWORD).await;
    let application = json!({ "base_id": jinqiao, "segment": "capture-production", "floor_space_m2": 120, "staff_on_site": 6, "plan": "4K 摄像机" });
    let (status, t) = app.send(c.post(app.url(&format!("/api/v1/enterprises/{}/tenancies", company.enterprise_id))).json(&application)).await;
    assert_eq!(status, 201, "{t}");
    let tid = t["id"].as_i64().unwrap();
    let (status, _) = app.send(pm.post(app.url(&format!("/api/v1/tenancies/{tid}/decision"))).json(&json!({ "action": "admit" }))).await;
    assert_eq!(status, 200);
    let (status, _) = app.send(c.put(app.url(&format!("/api/v1/enterprises/{}/profile", company.enterprise_id))).json(&common::profile("上海链式审计科技有限公司"))).await;
    assert_eq!(status, 200);

    // One log of every event, filterable by role, object, kind, actor and day.
    let audit = |query: &str| app.send(admin.get(app.url(&format!("/api/v1/admin/audit?{query}"))));
    let (status, page) = audit(&format!("role=park_manager&object_type=tenancy&object_id={tid}")).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["total"], 1, "{page}");
    let decided = &page["items"][0];
    assert_eq!((decided["event"].as_str(), decided["actor_role"].as_str()), (Some("tenancy_decided"), Some("park_manager")));
    assert_eq!(decided["detail"]["to"], "admitted");
    assert!(decided["seq"].as_i64().unwrap() > 0);
    let (_, page) = audit(&format!("actor_id={}&event=tenancy_applied", company.user_id)).await;
    assert_eq!((page["total"].as_i64(), page["items"][0]["actor_role"].as_str()), (Some(1), Some("enterprise_admin")));
    let (_, page) = audit(&format!("object_type=enterprise&object_id={}", company.enterprise_id)).await;
    assert!(page["items"].as_array().unwrap().iter().any(|e| e["event"] == "profile_saved"), "{page}");
    let beijing_today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let (_, page) = audit(&format!("from={beijing_today}&to={beijing_today}&event=tenancy_decided")).await;
    assert_eq!(page["total"], 1);
    let (_, page) = audit(&format!("from={}", beijing_today + chrono::Duration::days(1))).await;
    assert_eq!(page["total"], 0);
    let (status, body) = audit("from=2026-13-01").await;
    assert_eq!((status, body["fields"]["from"][0]["code"].as_str()), (422, Some("invalid_date")));
    let (status, body) = audit("role=king").await;
    assert_eq!((status, body["fields"]["role"][0]["code"].as_str()), (422, Some("not_allowed")));

    // The whole chain verifies, from the library and from the command line.
    let records = app.count("audit_events", "1=1");
    let check = || verify(&mut app.db.pool().get().unwrap()).unwrap();
    assert_eq!(check(), Verification::Intact { records });
    let (code, out) = verify_audit_cli(&app);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(&format!("all {records} records verify")), "{out}");

    // The database itself refuses to change or remove a record, through any of the portal's
    // connections.
    let plain = |sql: &str| app.db.maintenance(|conn| Ok(diesel::sql_query(sql).execute(conn)?));
    for sql in ["UPDATE audit_events SET detail = '{}' WHERE seq = 3", "DELETE FROM audit_events WHERE seq = 3"] {
        let refused = plain(sql).expect_err(sql).to_string();
        assert!(refused.contains("append-only"), "{sql}: {refused}");
    }
    assert_eq!(check(), Verification::Intact { records });
    // Tampering, as someone who owns the database would (triggers off: a superuser's session
    // replication role on PostgreSQL, the triggers dropped from the SQLite file), is found and
    // named: first an altered record ...
    let postgres = app.test_db.is_postgres();
    if !postgres {
        plain("DROP TRIGGER audit_events_no_update").unwrap();
        plain("DROP TRIGGER audit_events_no_delete").unwrap();
    }
    let tamper = |sql: &str| {
        app.db
            .maintenance(|conn| {
                use backend::diesel::Connection;
                Ok(conn.transaction(|c| {
                    if postgres {
                        diesel::sql_query("SET LOCAL session_replication_role = replica").execute(c)?;
                    }
                    diesel::sql_query(sql).execute(c)
                })?)
            })
            .unwrap()
    };
    let detail_of_3: String = {
        use backend::db::schema::audit_events;
        use backend::diesel::{ExpressionMethods, QueryDsl};
        audit_events::table.filter(audit_events::seq.eq(3)).select(audit_events::detail).first(&mut *app.db.pool().get().unwrap()).unwrap()
    };
    tamper("UPDATE audit_events SET detail = '{\"edited\":true}' WHERE seq = 3");
    let Verification::Broken { problem, records_checked } = check() else { panic!("an altered record verifies") };
    assert!(problem.contains("record 3 ") && problem.contains("altered"), "{problem}");
    assert_eq!(records_checked, 2);
    let (code, out) = verify_audit_cli(&app);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("record 3 ") && out.contains("altered"), "{out}");
    tamper(&format!("UPDATE audit_events SET detail = '{}' WHERE seq = 3", detail_of_3.replace('\'', "''")));
    assert_eq!(check(), Verification::Intact { records });
    // ... two records swapped ...
    tamper("UPDATE audit_events SET seq = -5 WHERE seq = 5");
    tamper("UPDATE audit_events SET seq = 5 WHERE seq = 6");
    tamper("UPDATE audit_events SET seq = 6 WHERE seq = -5");
    let Verification::Broken { problem, .. } = check() else { panic!("reordered records verify") };
    assert!(problem.contains("record 5 ") && problem.contains("reordered"), "{problem}");
    tamper("UPDATE audit_events SET seq = -5 WHERE seq = 5");
    tamper("UPDATE audit_events SET seq = 5 WHERE seq = 6");
    tamper("UPDATE audit_events SET seq = 6 WHERE seq = -5");
    assert_eq!(check(), Verification::Intact { records });
    // ... a record slipped in beside the chain ...
    tamper("INSERT INTO audit_events (occurred_at, event, detail) VALUES (CURRENT_TIMESTAMP, 'login_succeeded', '{}')");
    let Verification::Broken { problem, .. } = check() else { panic!("a record outside the chain verifies") };
    assert!(problem.contains("outside the chain"), "{problem}");
    tamper("DELETE FROM audit_events WHERE seq IS NULL");
    // ... the last record removed ...
    tamper(&format!("DELETE FROM audit_events WHERE seq = {records}"));
    let Verification::Broken { problem, .. } = check() else { panic!("a shortened log verifies") };
    assert!(problem.contains("removed from the end"), "{problem}");
    // ... and one removed from the middle.
    tamper("DELETE FROM audit_events WHERE seq = 2");
    let Verification::Broken { problem, records_checked } = check() else { panic!("a log with a gap verifies") };
    assert!(problem.contains("record 2 is missing"), "{problem}");
    assert_eq!(records_checked, 1);
}
