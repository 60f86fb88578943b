//! The working-day calendar's form posts (`/forms/admin/calendar/...`, system admins with a
//! recent second-factor check). Each calls the same service as the REST API and goes back to
//! `/admin/calendar` on the year it changed, with the deadline preview the admin was looking at,
//! so the effect of the change shows at once.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use backend::accounts::audit::RequestMeta;
use backend::accounts::identity::MaybeIdentity;
use backend::calendar::{add_day, load_arrangement, remove_day, save_year};
use backend::{AppError, AppState};
use shared::calendar::{HolidayInput, WorkdayInput, YearInput};

use super::{back, see_other, sensitive_admin};
use crate::components::text::url_encode as enc;

/// Mounted inside `/forms/admin`; the fixed paths before `/calendar/{year}`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/calendar/years", web::post().to(post_add_year))
        .route("/calendar/days/{date}/remove", web::post().to(post_remove_day))
        .route("/calendar/{year}", web::post().to(post_save_year))
        .route("/calendar/{year}/holidays", web::post().to(post_holiday))
        .route("/calendar/{year}/workdays", web::post().to(post_workday))
        .service(
            // A whole year's file is larger than the default form limit (16 KB).
            web::resource("/calendar/{year}/arrangement")
                .app_data(web::FormConfig::default().limit(load_arrangement::MAX_ARRANGEMENT_BYTES + 4096))
                .route(web::post().to(post_arrangement)),
        );
}

type Form = web::Form<HashMap<String, String>>;

fn get(form: &Form, k: &str) -> String {
    form.get(k).cloned().unwrap_or_default()
}

/// The calendar page on `year` (if any) with the preview the form carried.
fn page(year: Option<i32>, form: &Form) -> String {
    let mut query = Vec::new();
    if let Some(y) = year {
        query.push(format!("year={y}"));
    }
    for (field, key) in [("preview_from", "from"), ("preview_days", "days")] {
        let v = get(form, field);
        if !v.is_empty() {
            query.push(format!("{key}={}", enc(&v)));
        }
    }
    format!("/admin/calendar?{}", query.join("&"))
}

/// Done: back to the page, saying so.
fn saved(year: Option<i32>, form: &Form) -> HttpResponse {
    let url = page(year, form);
    let sep = if url.ends_with('?') { "" } else { "&" };
    see_other(&format!("{url}{sep}saved=1"))
}

/// Refused: back to the page with the errors, the service's field names given the form's
/// prefix (several forms share the page), and the typed values of `refill` (calendar entries,
/// nothing personal).
fn refused(year: Option<i32>, form: &Form, e: AppError, prefix: &str, refill: &[&str]) -> HttpResponse {
    let e = match e {
        AppError::Validation(fields) => AppError::Validation(fields.into_iter().map(|(f, p)| (format!("{prefix}{f}"), p)).collect()),
        other => other,
    };
    let keep: Vec<(&str, String)> = refill.iter().map(|k| (*k, get(form, k))).collect();
    let keep: Vec<(&str, &str)> = keep.iter().map(|(k, v)| (*k, v.as_str())).collect();
    back(page(year, form).trim_end_matches('?'), &e, &keep)
}

async fn post_add_year(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, form: Form) -> HttpResponse {
    let admin = match sensitive_admin(&state, identity, "/admin/calendar") {
        Ok(a) => a,
        Err(to) => return to,
    };
    let Ok(year) = get(&form, "new_year").trim().parse::<i32>() else {
        let code = if get(&form, "new_year").trim().is_empty() { "required" } else { "out_of_range" };
        return refused(None, &form, AppError::field("year", code, "A year such as 2027."), "new_", &["new_year", "new_source"]);
    };
    if backend::calendar::path_year(year).is_err() {
        return refused(None, &form, AppError::field("year", "out_of_range", "A year from 2000 to 2100."), "new_", &["new_year", "new_source"]);
    }
    let input = YearInput { provisional: form.contains_key("new_provisional"), source: get(&form, "new_source") };
    let meta = RequestMeta::from_request(&req);
    match state.db.write(move |conn| save_year::save_year(conn, &meta, admin.user_id, year, &input)).await {
        Ok(_) => saved(Some(year), &form),
        Err(e) => refused(None, &form, e, "new_", &["new_year", "new_source"]),
    }
}

async fn post_save_year(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i32>, form: Form) -> HttpResponse {
    let year = path.into_inner();
    let admin = match sensitive_admin(&state, identity, &format!("/admin/calendar?year={year}")) {
        Ok(a) => a,
        Err(to) => return to,
    };
    let input = YearInput { provisional: form.contains_key("provisional"), source: get(&form, "source") };
    let meta = RequestMeta::from_request(&req);
    match state.db.write(move |conn| save_year::save_year(conn, &meta, admin.user_id, year, &input)).await {
        Ok(_) => saved(Some(year), &form),
        Err(e) => refused(Some(year), &form, e, "", &[]),
    }
}

async fn post_holiday(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i32>, form: Form) -> HttpResponse {
    let year = path.into_inner();
    let admin = match sensitive_admin(&state, identity, &format!("/admin/calendar?year={year}")) {
        Ok(a) => a,
        Err(to) => return to,
    };
    let input = HolidayInput {
        from: get(&form, "holiday_from"),
        to: get(&form, "holiday_to"),
        name_zh: get(&form, "holiday_name_zh"),
        name_en: get(&form, "holiday_name_en"),
    };
    let meta = RequestMeta::from_request(&req);
    match state.db.write(move |conn| add_day::add_holiday(conn, &meta, admin.user_id, year, &input)).await {
        Ok(_) => saved(Some(year), &form),
        Err(e) => refused(Some(year), &form, e, "holiday_", &["holiday_from", "holiday_to", "holiday_name_zh", "holiday_name_en"]),
    }
}

async fn post_workday(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i32>, form: Form) -> HttpResponse {
    let year = path.into_inner();
    let admin = match sensitive_admin(&state, identity, &format!("/admin/calendar?year={year}")) {
        Ok(a) => a,
        Err(to) => return to,
    };
    let input = WorkdayInput { date: get(&form, "workday_date"), name_zh: get(&form, "workday_name_zh"), name_en: get(&form, "workday_name_en") };
    let meta = RequestMeta::from_request(&req);
    match state.db.write(move |conn| add_day::add_workday(conn, &meta, admin.user_id, year, &input)).await {
        Ok(_) => saved(Some(year), &form),
        Err(e) => refused(Some(year), &form, e, "workday_", &["workday_date", "workday_name_zh", "workday_name_en"]),
    }
}

async fn post_arrangement(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i32>, form: Form) -> HttpResponse {
    let year = path.into_inner();
    let admin = match sensitive_admin(&state, identity, &format!("/admin/calendar?year={year}")) {
        Ok(a) => a,
        Err(to) => return to,
    };
    let text = get(&form, "arrangement");
    if text.len() > load_arrangement::MAX_ARRANGEMENT_BYTES {
        return refused(Some(year), &form, AppError::field("arrangement", "too_large", "At most 64 KB."), "", &[]);
    }
    let meta = RequestMeta::from_request(&req);
    // The file is not put back in the URL: it can be long.
    match state.db.write(move |conn| load_arrangement::load_arrangement(conn, &meta, admin.user_id, year, &text, "arrangement")).await {
        Ok(_) => saved(Some(year), &form),
        Err(e) => refused(Some(year), &form, e, "", &[]),
    }
}

async fn post_remove_day(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<String>, form: Form) -> HttpResponse {
    let day = shared::calendar::parse_day(&path);
    let year = day.map(|d| chrono::Datelike::year(&d));
    let back_to = year.map(|y| format!("/admin/calendar?year={y}")).unwrap_or_else(|| "/admin/calendar".into());
    let admin = match sensitive_admin(&state, identity, &back_to) {
        Ok(a) => a,
        Err(to) => return to,
    };
    let Some(day) = day else { return refused(None, &form, AppError::NotFound("the calendar day"), "", &[]) };
    let meta = RequestMeta::from_request(&req);
    match state.db.write(move |conn| remove_day::remove_day(conn, &meta, admin.user_id, day)).await {
        Ok(()) => saved(year, &form),
        Err(e) => refused(year, &form, e, "", &[]),
    }
}
