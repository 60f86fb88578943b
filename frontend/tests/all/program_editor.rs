//! The program editor's pages and forms on both databases: an agency lead edits its own
//! program's definition as TOML and saves a new version; text that does not parse, or fails
//! its checks, is kept and shown again with why; a lapsed second-factor check keeps the text
//! and sends the person to confirm; another agency's lead and a company are refused; a system
//! admin starts a new program from an existing one.

use crate::common;

use common::{TestApp, PASSWORD};

const FIRST_SET: &str = "SH-2026-FIRST-SET";

fn location(res: &reqwest::Response) -> String {
    res.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

async fn page(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The textarea's text as the page shows it (HTML entities undone).
fn definition_in(html: &str) -> String {
    let start = html.find("name=\"definition\"").expect("the definition field");
    let open = start + html[start..].find('>').unwrap() + 1;
    let close = open + html[open..].find("</textarea>").unwrap();
    html[open..close].replace("&quot;", "\"").replace("&#x27;", "'").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

#[tokio::test]
async fn an_agency_lead_edits_its_program_and_nothing_typed_is_lost() {
    let app = TestApp::spawn().await;
    let eitc = app.id_of("agencies", "sh-eitc");
    app.create_user("lead@eitc.example", "agency_lead", None, None, Some(eitc));
    let lead = app.login("lead@eitc.example", PASSWORD).await;

    // The list marks what the lead may edit; the editor shows the current version as TOML.
    let (status, html) = page(&lead, &app, "/admin/programs").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("href=\"/admin/programs/{FIRST_SET}\"")), "its own program has an edit link");
    assert!(!html.contains("href=\"/admin/programs/SH-2026-UHD-CONTENT\""), "another agency's has none");
    let (status, html) = page(&lead, &app, &format!("/admin/programs/{FIRST_SET}")).await;
    assert_eq!(status, 200);
    let text = definition_in(&html);
    assert!(text.contains("kind = \"first_set_equipment\"") && text.contains("budget_total_fen = 20000000000"), "{text}");

    // Text that does not parse: kept, shown again with the parser's line, nothing saved.
    let broken = text.replace("budget_total_fen = 20000000000", "budget_total_fen = twenty billion");
    let form = [("city_code", "shanghai"), ("sort_order", "1"), ("definition", broken.as_str())];
    let res = lead.post(app.url(&format!("/forms/programs/{FIRST_SET}"))).form(&form).send().await.unwrap();
    assert!(location(&res).contains("err=definition.invalid"), "{}", location(&res));
    let (_, html) = page(&lead, &app, &location(&res)).await;
    assert!(html.contains("data-testid=\"kept-edit\"") && html.contains("line "), "the parser's message: {html}");
    assert_eq!(definition_in(&html), broken, "the text as typed");
    assert_eq!(app.scalar(&format!("SELECT CAST(current_version AS BIGINT) AS n FROM programs WHERE code = '{FIRST_SET}'")), 1);
    // Still there on a later visit, until saved or discarded.
    let (_, html) = page(&lead, &app, &format!("/admin/programs/{FIRST_SET}")).await;
    assert_eq!(definition_in(&html), broken);

    // Text that parses but fails the checks: kept, each problem by its path.
    let unbalanced = text.replace("tranches = [\n    60,\n    40,\n]", "tranches = [60, 30]");
    assert_ne!(unbalanced, text, "the tranches as the editor shows them:\n{text}");
    let form = [("city_code", "shanghai"), ("sort_order", "1"), ("definition", unbalanced.as_str())];
    let res = lead.post(app.url(&format!("/forms/programs/{FIRST_SET}"))).form(&form).send().await.unwrap();
    assert!(location(&res).contains("tranches.total_mismatch"), "{}", location(&res));
    let (_, html) = page(&lead, &app, &location(&res)).await;
    assert!(html.contains("data-testid=\"definition-errors\"") && html.contains("<code>tranches</code>"), "{html}");
    assert_eq!(definition_in(&html), unbalanced);

    // After the second-factor window: kept, and sent to confirm first.
    app.advance(chrono::Duration::minutes(16));
    let edited = text.replace("budget_total_fen = 20000000000", "budget_total_fen = 25000000000");
    let form = [("city_code", "shanghai"), ("sort_order", "1"), ("definition", edited.as_str())];
    let res = lead.post(app.url(&format!("/forms/programs/{FIRST_SET}"))).form(&form).send().await.unwrap();
    assert!(location(&res).starts_with("/login/second-factor?next=%2Fadmin%2Fprograms%2F"), "{}", location(&res));
    let (_, html) = page(&lead, &app, &format!("/admin/programs/{FIRST_SET}")).await;
    assert_eq!(definition_in(&html), edited, "the edit waits for the person");
    assert_eq!(app.scalar(&format!("SELECT CAST(current_version AS BIGINT) AS n FROM programs WHERE code = '{FIRST_SET}'")), 1);

    // Confirmed again (signed in afresh), saved: the open call makes a new version.
    let lead = app.login("lead@eitc.example", PASSWORD).await;
    let res = lead.post(app.url(&format!("/forms/programs/{FIRST_SET}"))).form(&form).send().await.unwrap();
    assert_eq!(location(&res), format!("/admin/programs/{FIRST_SET}?saved=new_version&version=2"));
    let (_, html) = page(&lead, &app, &location(&res)).await;
    assert!(html.contains("data-testid=\"program-saved\"") && !html.contains("data-testid=\"kept-edit\""), "saved, nothing kept");
    let (_, guide) = app.get_json(&format!("/api/v1/programs/{FIRST_SET}")).await;
    assert_eq!((guide["version"].as_i64(), guide["definition"]["budget_total_fen"].as_i64()), (Some(2), Some(25_000_000_000)));
    assert_eq!(app.count("program_edits", "1 = 1"), 0);
    assert_eq!(app.count("audit_events", "event = 'program_saved'"), 1);
    assert_eq!(app.count("audit_events", "event = 'program_edit_kept'"), 3);

    // Another agency's lead: 403 on the page and on the form; nothing kept.
    let culture = app.id_of("agencies", "sh-culture-radio");
    app.create_user("lead@culture.example", "agency_lead", None, None, Some(culture));
    let other = app.login("lead@culture.example", PASSWORD).await;
    assert_eq!(page(&other, &app, &format!("/admin/programs/{FIRST_SET}")).await.0, 403);
    let res = other.post(app.url(&format!("/forms/programs/{FIRST_SET}"))).form(&form).send().await.unwrap();
    assert!(location(&res).contains("_.forbidden"), "{}", location(&res));
    assert_eq!(app.count("program_edits", "1 = 1"), 0);
    // A company's person: the pages are forbidden.
    app.register(430, "company@example.com", true).await;
    let company = app.login("company@example.com", PASSWORD).await;
    assert_eq!(page(&company, &app, "/admin/programs").await.0, 403);
}

#[tokio::test]
async fn a_system_admin_starts_a_new_program_from_an_existing_one() {
    let app = TestApp::spawn().await;
    app.create_user("admin@example.com", "system_admin", None, None, None);
    let admin = app.login("admin@example.com", PASSWORD).await;
    // A code that is taken or malformed is refused on the list page.
    let res = admin.post(app.url("/forms/programs/new")).form(&[("code", FIRST_SET), ("from", FIRST_SET)]).send().await.unwrap();
    assert!(location(&res).contains("code.code_taken"), "{}", location(&res));
    let res = admin.post(app.url("/forms/programs/new")).form(&[("code", "sh 2027"), ("from", FIRST_SET)]).send().await.unwrap();
    assert!(location(&res).contains("code.invalid_code"), "{}", location(&res));

    let res = admin.post(app.url("/forms/programs/new")).form(&[("code", "SH-2027-FIRST-SET"), ("from", FIRST_SET)]).send().await.unwrap();
    assert_eq!(location(&res), format!("/admin/programs/SH-2027-FIRST-SET?from={FIRST_SET}"));
    let (status, html) = page(&admin, &app, &location(&res)).await;
    assert_eq!(status, 200);
    // A long guide (Chinese is nine bytes a character once form-encoded): far more than the
    // 16 KB other forms take.
    let long_guide = "本专项支持超高清首台套装备的研制与应用。".repeat(300);
    let mut definition: toml::Value = toml::from_str(&definition_in(&html)).unwrap();
    definition["title"]["zh"] = toml::Value::String("2027 年超高清首台套装备专项".into());
    definition["guide"]["zh"] = toml::Value::String(long_guide.clone());
    let text = toml::to_string(&definition).unwrap();
    // A city the portal does not list is refused, the text kept.
    let res = admin.post(app.url("/forms/programs/SH-2027-FIRST-SET")).form(&[("city_code", "mars"), ("sort_order", "9"), ("definition", text.as_str())]).send().await.unwrap();
    assert!(location(&res).contains("city_code.not_allowed"), "{}", location(&res));
    assert_eq!(app.count("programs", "code = 'SH-2027-FIRST-SET'"), 0);
    let form = [("city_code", "shanghai"), ("sort_order", "9"), ("definition", text.as_str())];
    let res = admin.post(app.url("/forms/programs/SH-2027-FIRST-SET")).form(&form).send().await.unwrap();
    assert_eq!(location(&res), "/admin/programs/SH-2027-FIRST-SET?saved=created&version=1");
    let (status, guide) = app.get_json("/api/v1/programs/SH-2027-FIRST-SET").await;
    assert_eq!(status, 200, "{guide}");
    assert_eq!(guide["definition"]["title"]["zh"], "2027 年超高清首台套装备专项");
    assert_eq!(guide["definition"]["guide"]["zh"].as_str().map(|g| g.chars().count()), Some(long_guide.chars().count()));
    let (_, html) = page(&admin, &app, "/admin/programs").await;
    assert!(html.contains("SH-2027-FIRST-SET"));
}
