//! Public notice and award forms: the agency lead publishes a program's decided approvals,
//! anyone files an identified objection (multipart, with evidence files) while the notice is
//! open, the lead agency's staff record an objection's finding and an award's acceptance, the
//! finance agency's staff record disbursements and recoveries. Each calls the same service as
//! the REST API.

use super::*;
use backend::review::{award_files, objections, payments, public_notice};
use shared::awards::{AcceptanceRequest, DisbursementRequest, ObjectionDecision, PublishNoticeRequest, RecoveryRequest, SelfEvaluation};

/// The ticked approvals (`application_ids`, repeated) of a program's publish form.
async fn post_publish(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<String>, form: web::Form<Vec<(String, String)>>) -> HttpResponse {
    let back_to = "/review/notices";
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(back_to))) };
    let code = path.into_inner();
    let application_ids: Vec<i64> = form.iter().filter(|(k, _)| k == "application_ids").filter_map(|(_, v)| v.trim().parse().ok()).collect();
    let body = PublishNoticeRequest { application_ids };
    let meta = RequestMeta::from_request(&req);
    let origin = state.settings.public_origin().to_string();
    match state.db.write(move |conn| public_notice::publish(conn, &meta, &identity, &code, &body, &origin)).await {
        Ok(id) => see_other(&format!("/notices/{id}?published=1")),
        // A refused award is named by its position in the list; the page lists them again.
        Err(e) => back(back_to, &rename_fields(e, |name| if name.starts_with("application_ids") { "application_ids".to_string() } else { name.to_string() }), &[]),
    }
}

/// An objection from the notice's page: the same multipart fields as the API.
async fn post_objection(state: web::Data<AppState>, req: HttpRequest, path: web::Path<i64>, form: actix_multipart::Multipart) -> HttpResponse {
    let id = path.into_inner();
    // No fragment: the error summary takes the focus (a fragment would keep it from autofocus).
    let back_to = format!("/notices/{id}");
    let meta = RequestMeta::from_request(&req);
    if let Err(e) = state.limits.check(backend::ratelimit::Action::Objection, meta.client) {
        return back(&back_to, &e, &[]);
    }
    let (fields, files) = match objections::read_form(form).await {
        Ok(read) => read,
        Err(e) => return back(&back_to, &e, &[]),
    };
    let locale = if locale_of(&req).is_some_and(|l| l.to_ascii_lowercase().starts_with("en")) { "en" } else { "zh-CN" };
    let application_id = fields.application_id.map(|a| a.to_string()).unwrap_or_default();
    let keep_values = fields.clone();
    match objections::file(&state, &meta, id, fields, files, locale).await {
        Ok(receipt) => see_other(&format!("/notices/{id}?filed={}", receipt.id)),
        Err(e) => {
            let keep: Vec<(&str, &str)> = vec![
                ("application_id", application_id.as_str()),
                ("name", keep_values.name.as_str()),
                ("email", keep_values.email.as_str()),
                ("phone", keep_values.phone.as_str()),
                ("organisation", keep_values.organisation.as_str()),
                ("id_number", keep_values.id_number.as_str()),
                ("facts", keep_values.facts.as_str()),
            ];
            // The evidence must be chosen again: a browser never refills a file input.
            back(&back_to, &e, &keep)
        }
    }
}

/// The finding (`findings`) and which button was pressed (`upheld`: true or false).
async fn post_decision(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let id = path.into_inner();
    let notice = state.db.run(move |conn| objections::notice_of(conn, id).map_err(AppError::from)).await.ok().flatten();
    let back_to = notice.map_or_else(|| "/notices".to_string(), |n| format!("/notices/{n}#o-{id}"));
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&back_to))) };
    let body = ObjectionDecision { upheld: form.get("upheld").is_some_and(|v| v == "true"), findings: form.get("findings").cloned().unwrap_or_default() };
    let meta = RequestMeta::from_request(&req);
    let origin = state.settings.public_origin().to_string();
    match state.db.write(move |conn| objections::decide(conn, &meta, &identity, id, &body, &origin)).await {
        Ok(_) => see_other(&format!("{}?decided=1#o-{id}", back_to.split('#').next().unwrap_or("/notices"))),
        Err(e) => back(&back_to, &e, &[]),
    }
}

/// A money field in yuan (`amount`) and a day field, read from a form; field errors as the API's
/// (`amount_fen` is the form's `amount`).
fn money_and_day(form: &HashMap<String, String>, day: &str, fields: &mut shared::errors::FieldErrors) -> (i64, chrono::NaiveDate) {
    let given = form.get("amount").is_some_and(|v| !v.trim().is_empty());
    let amount_fen = yuan_field(form, "amount", fields).unwrap_or(0);
    if !given {
        backend::error::push_field_error(fields, "amount", "required", "");
    }
    let date = match form.get(day).map(|v| v.trim()).filter(|v| !v.is_empty()).map(|v| chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")) {
        Some(Ok(d)) => d,
        Some(Err(_)) => {
            backend::error::push_field_error(fields, day, "invalid_date", "");
            chrono::NaiveDate::MIN
        }
        None => {
            backend::error::push_field_error(fields, day, "required", "");
            chrono::NaiveDate::MIN
        }
    };
    (amount_fen, date)
}

fn as_form_fields(e: AppError) -> AppError {
    rename_fields(e, |name| if name == "amount_fen" { "amount".to_string() } else { name.to_string() })
}

async fn post_disbursement(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let id = path.into_inner();
    let back_to = format!("/applications/{id}");
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&back_to))) };
    let keep: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut fields = shared::errors::FieldErrors::new();
    let (amount_fen, paid_on) = money_and_day(&form, "paid_on", &mut fields);
    if !fields.is_empty() {
        return back(&back_to, &AppError::Validation(fields), &keep);
    }
    let body = DisbursementRequest { amount_fen, paid_on, voucher_number: form.get("voucher_number").cloned().unwrap_or_default() };
    let meta = RequestMeta::from_request(&req);
    let origin = state.settings.public_origin().to_string();
    match state.db.write(move |conn| payments::disburse(conn, &meta, &identity, id, &body, &origin)).await {
        Ok(_) => see_other(&format!("{back_to}?paid=1#award")),
        Err(e) => back(&back_to, &as_form_fields(e), &keep),
    }
}

async fn post_acceptance(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let id = path.into_inner();
    let back_to = format!("/applications/{id}");
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&back_to))) };
    let keep: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let accepted_on = match form.get("accepted_on").map(|v| chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")) {
        Some(Ok(d)) => d,
        _ => return back(&back_to, &AppError::field("accepted_on", "invalid_date", ""), &keep),
    };
    let body = AcceptanceRequest { accepted_on, report: form.get("report").cloned().unwrap_or_default() };
    let meta = RequestMeta::from_request(&req);
    match state.db.write(move |conn| payments::accept(conn, &meta, &identity, id, &body)).await {
        Ok(_) => see_other(&format!("{back_to}?accepted=1#award")),
        Err(e) => back(&back_to, &e, &keep),
    }
}

/// Files kept with an award, from the application's page: the same multipart fields as the API
/// (`kind`, `file` repeated). A refused file is named on the one file field.
async fn post_award_files(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: actix_multipart::Multipart) -> HttpResponse {
    let id = path.into_inner();
    let back_to = format!("/applications/{id}");
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&back_to))) };
    let meta = RequestMeta::from_request(&req);
    match award_files::upload(&state, &meta, identity, id, form).await {
        Ok(_) => see_other(&format!("{back_to}?filed=1#award-files")),
        Err(e) => back(&back_to, &rename_fields(e, |name| if name.starts_with("file") { "file".to_string() } else { name.to_string() }), &[]),
    }
}

async fn post_recovery(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let id = path.into_inner();
    let back_to = format!("/applications/{id}");
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&back_to))) };
    let keep: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut fields = shared::errors::FieldErrors::new();
    let (amount_fen, recovered_on) = money_and_day(&form, "recovered_on", &mut fields);
    if !fields.is_empty() {
        return back(&back_to, &AppError::Validation(fields), &keep);
    }
    let body = RecoveryRequest { amount_fen, recovered_on, voucher_number: form.get("voucher_number").cloned().unwrap_or_default() };
    let meta = RequestMeta::from_request(&req);
    match state.db.write(move |conn| payments::recover(conn, &meta, &identity, id, &body)).await {
        Ok(_) => see_other(&format!("{back_to}?recovered=1#award")),
        Err(e) => back(&back_to, &as_form_fields(e), &keep),
    }
}

async fn post_evaluation(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let id = path.into_inner();
    let back_to = format!("/applications/{id}");
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&back_to))) };
    let keep: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let body = SelfEvaluation { evaluation: form.get("evaluation").cloned().unwrap_or_default() };
    let meta = RequestMeta::from_request(&req);
    match state.db.write(move |conn| payments::evaluate(conn, &meta, &identity, id, &body)).await {
        Ok(_) => see_other(&format!("{back_to}?evaluated=1#award")),
        Err(e) => back(&back_to, &e, &keep),
    }
}

/// Mount the notice and award form handlers.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/forms/programs/{code}/notices", web::post().to(post_publish))
        .route("/forms/notices/{id}/objections", web::post().to(post_objection))
        .route("/forms/objections/{id}/decision", web::post().to(post_decision))
        .route("/forms/applications/{id}/disbursements", web::post().to(post_disbursement))
        .route("/forms/applications/{id}/acceptance", web::post().to(post_acceptance))
        .route("/forms/applications/{id}/recoveries", web::post().to(post_recovery))
        .route("/forms/applications/{id}/award-files", web::post().to(post_award_files))
        .route("/forms/applications/{id}/self-evaluation", web::post().to(post_evaluation));
}
