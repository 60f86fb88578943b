//! The working-day calendar: deadlines counted over the shipped 2026 arrangement and into the
//! provisional 2027, and a system admin's edits through the API and the page's forms, each in
//! the audit log, with the preview following them.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{TestApp, PASSWORD};
use serde_json::json;

async fn after(app: &TestApp, from: &str, days: u32) -> (u16, serde_json::Value) {
    app.get_json(&format!("/api/v1/calendar/working-days?from={from}&days={days}")).await
}

#[actix_rt::test]
async fn deadlines_follow_the_state_councils_arrangement() {
    let app = TestApp::spawn().await;
    let (status, years) = app.get_json("/api/v1/calendar").await;
    assert_eq!(status, 200);
    let years: Vec<(i64, bool)> = years.as_array().unwrap().iter().map(|y| (y["year"].as_i64().unwrap(), y["provisional"].as_bool().unwrap())).collect();
    assert_eq!(years, [(2026, false), (2027, true)]);
    let (_, y2026) = app.get_json("/api/v1/calendar/2026").await;
    assert!(y2026["source"].as_str().unwrap().contains("2026年"));
    let day = |date: &str| y2026["days"].as_array().unwrap().iter().find(|d| d["date"] == date).cloned();
    assert_eq!(day("2026-10-10").unwrap()["kind"], "workday");
    assert_eq!(day("2026-10-01").unwrap()["kind"], "holiday");
    assert_eq!(app.get_json("/api/v1/calendar/2031").await.0, 404);
    assert_eq!(app.get_json("/api/v1/calendar/twenty").await.0, 404);

    // Wednesday 30 September counts; 1 to 7 October are off; 8, 9, the make-up Saturday 10
    // and Monday 12 count.
    let (status, body) = after(&app, "2026-09-29", 5).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["date"].as_str(), body["provisional"].as_bool()), (Some("2026-10-12"), Some(false)));
    assert_eq!(after(&app, "2026-09-28", 10).await.1["date"], "2026-10-16");
    // Spring Festival: Friday 13 February, the make-up Saturday 14, then Tuesday 24.
    assert_eq!(after(&app, "2026-02-13", 2).await.1["date"], "2026-02-24");
    // Labour Day: 1 to 5 May off, then 6, 7, 8 and the make-up Saturday 9.
    assert_eq!(after(&app, "2026-04-30", 4).await.1["date"], "2026-05-09");
    // Into 2027, whose arrangement is not published: New Year's Day off, and it says so.
    let (_, body) = after(&app, "2026-12-31", 1).await;
    assert_eq!((body["date"].as_str(), body["provisional"].as_bool()), (Some("2027-01-04"), Some(true)));
    let (_, body) = app.get_json("/api/v1/calendar/working-days/between?from=2026-09-29&to=2026-10-12").await;
    assert_eq!((body["working_days"].as_i64(), body["provisional"].as_bool()), (Some(5), Some(false)));
    let (status, body) = app.get_json("/api/v1/calendar/working-days/between?from=0001-01-01&to=9999-12-31").await;
    assert_eq!((status, body["fields"]["to"][0]["code"].as_str()), (422, Some("out_of_range")));

    for (query, field, code) in [
        ("from=2026-13-01&days=5", "from", "invalid_date"),
        ("from=2026-09-29&days=1001", "days", "out_of_range"),
        ("from=2026-09-29&days=-1", "days", "out_of_range"),
        ("days=5", "from", "required"),
        ("from=2026-09-29", "days", "required"),
    ] {
        let (status, body) = app.get_json(&format!("/api/v1/calendar/working-days?{query}")).await;
        assert_eq!((status, body["fields"][field][0]["code"].as_str()), (422, Some(code)), "{query}: {body}");
    }
}

#[actix_rt::test]
async fn an_admin_edits_the_calendar_and_every_edit_is_on_the_record() {
    let app = TestApp::spawn().await;
    app.create_user("admin@example.com", "system_admin", None, None, None);
    let admin = app.login("admin@example.com", PASSWORD).await;
    let company = app.register(301, "cal-company@example.com", true).await;
    let company = app.login(&company.email, PASSWORD).await;
    let url = |p: &str| app.url(&format!("/api/v1/calendar{p}"));
    let before = app.count("audit_events", "event = 'calendar_edited'");

    // Only an admin changes it.
    let holiday = json!({ "from": "2028-01-01", "to": "2028-01-01", "name_zh": "元旦", "name_en": "New Year's Day" });
    assert_eq!(app.send(company.put(url("/2028")).json(&json!({ "provisional": true }))).await.0, 403);
    assert_eq!(app.send(app.new_client().put(url("/2028")).json(&json!({ "provisional": true }))).await.0, 401);
    // A year must be held before days go in; then it can be.
    assert_eq!(app.send(admin.post(url("/2028/holidays")).json(&holiday)).await.0, 404);
    let (status, body) = app.send(admin.put(url("/2028")).json(&json!({ "provisional": false, "source": "" }))).await;
    assert_eq!((status, body["fields"]["source"][0]["code"].as_str()), (422, Some("required")), "a final year names its source");
    let (status, body) = app.send(admin.put(url("/2028")).json(&json!({ "provisional": true }))).await;
    assert_eq!((status, body["provisional"].as_bool(), body["edited_in_portal"].as_bool()), (200, Some(true), Some(true)), "{body}");
    assert_eq!(app.send(admin.put(url("/1999")).json(&json!({ "provisional": true }))).await.0, 404);
    let (status, body) = app.send(admin.post(url("/2028/holidays")).json(&holiday)).await;
    assert_eq!((status, body["days"].as_i64()), (201, Some(1)), "{body}");

    // Refusals say what is wrong and change nothing.
    let days_2028 = app.count("calendar_days", "day >= '2028-01-01'");
    for (body, field, code) in [
        (json!({ "from": "2028-01-01", "to": "2028-01-01", "name_zh": "元旦", "name_en": "x" }), "", "day_taken"),
        (json!({ "from": "2028-02-10", "to": "2028-02-01", "name_zh": "春节", "name_en": "Spring Festival" }), "to", "before_start"),
        (json!({ "from": "2028-12-31", "to": "2029-01-02", "name_zh": "元旦", "name_en": "New Year" }), "to", "outside_year"),
        (json!({ "from": "2028-02-30", "to": "2028-03-01", "name_zh": "", "name_en": "x" }), "from", "invalid_date"),
    ] {
        let (status, answer) = app.send(admin.post(url("/2028/holidays")).json(&body)).await;
        if field.is_empty() {
            assert_eq!((status, answer["error"].as_str()), (409, Some(code)), "{answer}");
        } else {
            assert_eq!((status, answer["fields"][field][0]["code"].as_str()), (422, Some(code)), "{answer}");
        }
    }
    let (status, body) = app.send(admin.post(url("/2028/workdays")).json(&json!({ "date": "2028-01-03", "name_zh": "调休", "name_en": "Make-up" }))).await;
    assert_eq!((status, body["fields"]["date"][0]["code"].as_str()), (422, Some("not_a_weekend")), "Monday 3 January 2028");
    assert_eq!(app.count("calendar_days", "day >= '2028-01-01'"), days_2028);

    // A make-up Saturday moves a deadline; taking it out moves it back.
    let deadline = || app.get_json("/api/v1/calendar/working-days?from=2026-12-31&days=1");
    assert_eq!(deadline().await.1["date"], "2027-01-04");
    let (_, y2027) = app.get_json("/api/v1/calendar/2027").await;
    assert_eq!(y2027["edited_in_portal"], false);
    let (status, _) = app.send(admin.post(url("/2027/workdays")).json(&json!({ "date": "2027-01-02", "name_zh": "元旦调休上班", "name_en": "Make-up working day" }))).await;
    assert_eq!(status, 201);
    assert_eq!(deadline().await.1["date"], "2027-01-02");
    assert_eq!(app.send(admin.delete(url("/days/2027-01-02"))).await.0, 204);
    assert_eq!(app.send(admin.delete(url("/days/2027-01-02"))).await.0, 404);
    assert_eq!(app.send(admin.delete(url("/days/yesterday"))).await.0, 404);
    assert_eq!(deadline().await.1["date"], "2027-01-04");

    // The State Council publishes 2027: the admin loads the whole year from its file.
    let file = "year = 2027\nprovisional = false\nsource = \"国务院办公厅关于2027年部分节假日安排的通知\"\n\n[[holiday]]\nname_zh = \"元旦\"\nname_en = \"New Year's Day\"\nfrom = 2027-01-01\nto = 2027-01-03\n\n[[workday]]\ndate = 2027-01-09\nname_zh = \"元旦调休上班\"\nname_en = \"Make-up working day (New Year)\"\n";
    let (status, body) = app.send(admin.put(url("/2027/arrangement")).header("content-type", "text/plain; charset=utf-8").body(file)).await;
    assert_eq!((status, body["provisional"].as_bool(), body["days"].as_array().map(Vec::len)), (200, Some(false), Some(4)), "{body}");
    let (_, body) = deadline().await;
    assert_eq!((body["date"].as_str(), body["provisional"].as_bool()), (Some("2027-01-04"), Some(false)));
    let (status, body) = app.send(admin.put(url("/2027/arrangement")).body(file.replace("2027-01-09", "2027-01-11"))).await;
    assert_eq!((status, body["fields"]["arrangement"][0]["code"].as_str()), (422, Some("not_a_weekend")), "{body}");
    let (status, body) = app.send(admin.put(url("/2026/arrangement")).body(file)).await;
    assert_eq!((status, body["fields"]["arrangement"][0]["code"].as_str()), (422, Some("outside_year")), "{body}");
    let (status, body) = app.send(admin.put(url("/2027/arrangement")).body("year = ")).await;
    assert_eq!((status, body["fields"]["arrangement"][0]["code"].as_str()), (422, Some("invalid_arrangement")), "{body}");
    assert_eq!(app.get_json("/api/v1/calendar/2027").await.1["days"].as_array().unwrap().len(), 4, "a refused file changes nothing");

    // A shipped file no longer replaces a year edited in the portal.
    app.exec("DELETE FROM seed_versions WHERE name LIKE 'calendar/%'");
    app.db.write_blocking(|conn| Ok(backend::seeds::load_all(conn)?)).unwrap();
    let (_, y2027) = app.get_json("/api/v1/calendar/2027").await;
    assert_eq!((y2027["provisional"].as_bool(), y2027["days"].as_array().unwrap().len()), (Some(false), 4));

    // Every change is in the audit log, about its year, by the admin.
    let edits = app.count("audit_events", "event = 'calendar_edited'") - before;
    assert_eq!(edits, 5, "year 2028, a holiday, a make-up day added and removed, the 2027 file");
    assert_eq!(app.count("audit_events", "event = 'calendar_edited' AND object_type = 'calendar_year' AND object_id = 2027 AND actor_role = 'system_admin'"), 3);
    let (status, log) = app.send(admin.get(app.url("/api/v1/admin/audit?event=calendar_edited&object_type=calendar_year&object_id=2028"))).await;
    assert_eq!((status, log["total"].as_i64()), (200, Some(2)), "{log}");
}

/// A page's text as a reader gets it (without the markers Leptos puts between the parts of
/// an interpolated sentence).
async fn text(res: reqwest::Response) -> String {
    res.text().await.unwrap().replace("<!>", "")
}

#[actix_rt::test]
async fn the_calendar_page_edits_without_javascript_and_previews_the_effect() {
    let app = TestApp::spawn().await;
    app.create_user("admin@example.com", "system_admin", None, None, None);
    let admin = app.login("admin@example.com", PASSWORD).await;
    let html = |path: &'static str| {
        let admin = admin.clone();
        let url = app.url(path);
        async move {
            let res = admin.get(url).send().await.unwrap();
            assert_eq!(res.status().as_u16(), 200);
            text(res).await
        }
    };
    let page = html("/admin/calendar?year=2026&from=2026-09-28&days=10").await;
    assert!(page.contains("从 2026-09-28 (星期一) 起 10 个工作日是 2026-10-16 (星期五)"), "{page}");
    assert!(page.contains("国庆节") && page.contains("2026-10-10"));
    assert!(page.contains("<title>工作日历"), "the page has its own title");

    let post = |path: &'static str, form: Vec<(&'static str, &'static str)>| {
        let admin = admin.clone();
        let url = app.url(path);
        async move {
            let res = admin.post(url).form(&form).send().await.unwrap();
            assert_eq!(res.status().as_u16(), 303);
            res.headers()["location"].to_str().unwrap().to_string()
        }
    };
    let keep = [("preview_from", "2026-09-28"), ("preview_days", "10")];
    // Refused: back to the page with the error beside the field and what was typed.
    let mut form = vec![("workday_date", "2026-10-12"), ("workday_name_zh", "调休"), ("workday_name_en", "Make-up")];
    form.extend(keep);
    let to = post("/forms/admin/calendar/2026/workdays", form).await;
    assert!(to.starts_with("/admin/calendar?year=2026&from=2026-09-28&days=10&err=workday_date.not_a_weekend"), "{to}");
    // Taking out the make-up Saturday 10 October moves the deadline to Monday 19 October.
    let mut form = Vec::new();
    form.extend(keep);
    let to = post("/forms/admin/calendar/days/2026-10-10/remove", form).await;
    assert_eq!(to, "/admin/calendar?year=2026&from=2026-09-28&days=10&saved=1");
    let page = text(admin.get(app.url(&to)).send().await.unwrap()).await;
    assert!(page.contains("是 2026-10-19 (星期一)"), "{page}");
    // And a holiday range through the form.
    let mut form = vec![("holiday_from", "2026-10-19"), ("holiday_to", "2026-10-20"), ("holiday_name_zh", "测试假日"), ("holiday_name_en", "Test holiday")];
    form.extend(keep);
    let to = post("/forms/admin/calendar/2026/holidays", form).await;
    let page = text(admin.get(app.url(&to)).send().await.unwrap()).await;
    assert!(page.contains("是 2026-10-21 (星期三)") && page.contains("测试假日"), "{page}");
    assert_eq!(app.count("audit_events", "event = 'calendar_edited'"), 2);

    // Not for anyone else.
    let company = app.register(302, "cal-page@example.com", true).await;
    let company = app.login(&company.email, PASSWORD).await;
    assert_eq!(company.get(app.url("/admin/calendar")).send().await.unwrap().status().as_u16(), 403);
    let res = company.post(app.url("/forms/admin/calendar/days/2026-10-01/remove")).form(&[("preview_from", "")]).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(app.count("calendar_days", "day = '2026-10-01'"), 1);
}
