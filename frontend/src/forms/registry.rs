//! Registry forms: the company profile and documents, tenancy applications, invitations and
//! decisions, verification, periodic reports and reminders, the tenant import.

use super::*;

/// The profile form: repeated `segment` checkboxes and numbered rows for qualifications
/// (`q0_kind`, `q0_no`, `q0_from`, `q0_until`) and contacts (`c0_name`, `c0_title`, `c0_phone`,
/// `c0_email`); empty rows are skipped.
fn profile_from_form(pairs: &[(String, String)]) -> Result<shared::registry::ProfileUpdate, AppError> {
    use shared::registry::{Contact, ProfileUpdate, Qualification, QualificationKind};
    let get = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let date = |k: &str| -> Result<Option<chrono::NaiveDate>, AppError> {
        let v = get(k);
        if v.is_empty() {
            return Ok(None);
        }
        chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d").map(Some).map_err(|_| AppError::field(k, "invalid_date", "Use a date like 2015-03-01."))
    };
    let capital = get("registered_capital");
    let registered_capital = shared::Fen::parse_yuan(&capital)
        .ok_or_else(|| AppError::field("registered_capital", if capital.is_empty() { "required" } else { "invalid_amount" }, "Enter an amount in yuan."))?;
    let employees_text = get("employees");
    let employees = employees_text
        .parse::<i32>()
        .map_err(|_| AppError::field("employees", if employees_text.is_empty() { "required" } else { "out_of_range" }, "Enter a whole number."))?;
    let mut qualifications = Vec::new();
    let mut contacts = Vec::new();
    for i in 0..20 {
        let no = get(&format!("q{i}_no"));
        if !no.is_empty() {
            // A certificate needs its type chosen: no type is never taken to mean one.
            let kind_field = format!("q{i}_kind");
            let kind_text = get(&kind_field);
            let kind = QualificationKind::parse(&kind_text).ok_or_else(|| {
                AppError::field(&kind_field, if kind_text.is_empty() { "required" } else { "not_allowed" }, "Choose the qualification's type.")
            })?;
            qualifications.push(Qualification {
                kind,
                certificate_no: no,
                valid_from: date(&format!("q{i}_from"))?,
                valid_until: date(&format!("q{i}_until"))?,
            });
        }
        let name = get(&format!("c{i}_name"));
        let phone = get(&format!("c{i}_phone"));
        let email = get(&format!("c{i}_email"));
        if !name.is_empty() || !phone.is_empty() || !email.is_empty() {
            contacts.push(Contact {
                name,
                title: Some(get(&format!("c{i}_title"))),
                phone: Some(phone),
                email: Some(email),
            });
        }
    }
    Ok(ProfileUpdate {
        name_zh: get("name_zh"),
        name_en: Some(get("name_en")),
        legal_representative: get("legal_representative"),
        address: get("address"),
        district: get("district"),
        registered_capital,
        founded_on: date("founded_on")?,
        employees,
        segments: pairs.iter().filter(|(k, _)| k == "segment").map(|(_, v)| v.clone()).collect(),
        qualifications,
        contacts,
    })
}

/// A field of the profile form: the single fields, the segment checkboxes and the numbered
/// qualification and contact rows.
fn is_profile_field(key: &str) -> bool {
    const SINGLE: [&str; 9] = ["name_zh", "name_en", "legal_representative", "address", "district", "registered_capital", "founded_on", "employees", "segment"];
    let row = |prefix: char, parts: &[&str]| {
        key.strip_prefix(prefix)
            .and_then(|rest| rest.split_once('_'))
            .is_some_and(|(n, part)| n.parse::<u8>().is_ok_and(|n| n < 20) && parts.contains(&part))
    };
    SINGLE.contains(&key) || row('q', &["kind", "no", "from", "until"]) || row('c', &["name", "title", "phone", "email"])
}

async fn post_profile(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<Vec<(String, String)>>) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    let id = path.into_inner();
    let back_to = format!("/company/{id}/profile");
    let result = match (CompanyScope::of(&identity, id, true), profile_from_form(&form)) {
        (Err(e), _) | (_, Err(e)) => Err(e),
        (Ok(scope), Ok(body)) => backend::registry::profile::update_profile(&state, &RequestMeta::from_request(&req), &scope, body).await.map(|_| ()),
    };
    match result {
        Ok(()) => see_other(&format!("{back_to}?saved=1")),
        Err(e) => {
            // Everything that was typed or ticked comes back, rows and checkboxes included;
            // `refill` tells the page to show it (an emptied field stays empty).
            let mut keep: Vec<(&str, &str)> = vec![("refill", "1")];
            keep.extend(form.iter().filter(|(k, _)| is_profile_field(k)).map(|(k, v)| (k.as_str(), v.as_str())));
            back(&back_to, &e, &keep)
        }
    }
}

async fn post_apply(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    let id = path.into_inner();
    let back_to = format!("/company/{id}/tenancies");
    let get = |k: &str| form.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let body = shared::registry::TenancyApplication {
        base_id: get("base_id").parse().unwrap_or(0),
        segment: get("segment"),
        floor_space_m2: get("floor_space_m2").parse().unwrap_or(0),
        staff_on_site: get("staff_on_site").parse().unwrap_or(-1),
        plan: get("plan"),
    };
    let applied = match CompanyScope::filing(&identity, id, true) {
        Ok(scope) => backend::registry::tenancy::apply(&state, &RequestMeta::from_request(&req), &scope, body).await,
        Err(e) => Err(e),
    };
    match applied {
        Ok(_) => see_other(&format!("{back_to}?applied=1")),
        Err(e) => back(&back_to, &e, &[("floor_space_m2", &get("floor_space_m2")), ("staff_on_site", &get("staff_on_site")), ("plan", &get("plan"))]),
    }
}

async fn post_tenancy_decision(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    let tenancy_id = path.into_inner();
    let back_to = form.get("back").filter(|b| b.starts_with("/park/") && !b.starts_with("//")).cloned().unwrap_or_else(|| "/park/tenants".into());
    let action = match form.get("action").map(String::as_str) {
        Some("admit") => shared::registry::TenancyAction::Admit,
        Some("reject") => shared::registry::TenancyAction::Reject,
        Some("suspend") => shared::registry::TenancyAction::Suspend,
        Some("reinstate") => shared::registry::TenancyAction::Reinstate,
        Some("move_out") => shared::registry::TenancyAction::MoveOut,
        _ => return back(&back_to, &AppError::field("action", "not_allowed", "Unknown action."), &[]),
    };
    let body = shared::registry::TenancyDecision { action, reason: form.get("reason").cloned() };
    let sep = if back_to.contains('?') { '&' } else { '?' };
    match backend::registry::tenancy::decide(&state, &RequestMeta::from_request(&req), &identity, tenancy_id, body).await {
        // The page says what happened to whom (the new status of this company's tenancy).
        Ok(view) => see_other(&format!("{back_to}{sep}decided={}", view.status.as_str())),
        Err(e) => {
            let mut to = format!("{back_to}{sep}err={}", enc(&error_param(&e)));
            if let Some(r) = form.get("reason").filter(|r| !r.is_empty()) {
                to.push_str(&format!("&reason={}", enc(r)));
            }
            see_other(&to)
        }
    }
}

/// Mount the registry form handlers.
pub fn configure_registry(cfg: &mut web::ServiceConfig) {
    cfg.route("/forms/enterprises/{id}/profile", web::post().to(post_profile))
        .route("/forms/enterprises/{id}/tenancies", web::post().to(post_apply))
        .route("/forms/tenancies/{id}/decision", web::post().to(post_tenancy_decision));
}

/// Hours as typed (`12.5`) to whole minutes.
fn hours_to_minutes(text: &str) -> Option<i64> {
    shared::Fen::parse_yuan(text).map(|hundredths| (hundredths.0 * 60 + 50) / 100)
}

async fn post_report(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<Vec<(String, String)>>) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    let id = path.into_inner();
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let period = get("period");
    let back_to = format!("/company/{id}/reports?period={}", enc(&period));
    let money = |k: &str| shared::Fen::parse_yuan(&get(k)).ok_or_else(|| AppError::field(k, "invalid_amount", "Enter an amount in yuan."));
    let count = |k: &str| get(k).parse::<i32>().map_err(|_| AppError::field(k, "out_of_range", "Enter a whole number."));
    let minutes = |k: &str| hours_to_minutes(&get(k)).ok_or_else(|| AppError::field(k, "out_of_range", "Enter hours, e.g. 12.5."));
    let body = (|| -> Result<shared::reports::ReportInput, AppError> {
        let mut revenue_by_segment = Vec::new();
        for (k, v) in form.iter() {
            if let Some(code) = k.strip_prefix("rev_") {
                if !v.trim().is_empty() {
                    let revenue = shared::Fen::parse_yuan(v).ok_or_else(|| AppError::field(k, "invalid_amount", "Enter an amount in yuan."))?;
                    revenue_by_segment.push(shared::reports::SegmentRevenue { segment: code.to_string(), revenue });
                }
            }
        }
        Ok(shared::reports::ReportInput {
            revenue_by_segment,
            revenue_total: money("revenue_total")?,
            rd_spend: money("rd_spend")?,
            employees: count("employees")?,
            content_4k_minutes: minutes("content_4k_hours")?,
            content_8k_minutes: minutes("content_8k_hours")?,
            patents_granted: count("patents_granted")?,
        })
    })();
    let result = match (CompanyScope::filing(&identity, id, false), body) {
        (Err(e), _) | (_, Err(e)) => Err(e),
        (Ok(scope), Ok(body)) => backend::registry::reports::file(&state, &RequestMeta::from_request(&req), &scope, &period, body).await.map(|_| ()),
    };
    match result {
        Ok(()) => see_other(&format!("{back_to}&filed=1")),
        Err(e) => {
            let keep: Vec<(String, String)> = form.iter().filter(|(k, _)| k != "period").cloned().collect();
            let keep_refs: Vec<(&str, &str)> = keep.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let mut resp = back(&format!("/company/{id}/reports"), &e, &keep_refs);
            if let Some(loc) = resp.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).map(|s| format!("{s}&period={}", enc(&period))) {
                if let Ok(v) = header::HeaderValue::from_str(&loc) {
                    resp.headers_mut().insert(header::LOCATION, v);
                }
            }
            resp
        }
    }
}

async fn post_reminders(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: MaybeIdentity,
    path: web::Path<i64>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    let base_id = path.into_inner();
    let period = form.get("period").cloned().unwrap_or_default();
    let back_to = format!("/park/reports?base={base_id}&period={}", enc(&period));
    let remind = async {
        let scope = BaseScope::of(&identity, base_id)?;
        backend::registry::reports::remind(&state, RequestMeta::from_request(&req), &scope, &period).await
    };
    match remind.await {
        // What happened, in numbers; the page says it in words.
        Ok(r) => see_other(&format!(
            "{back_to}&reminded={}&emails={}&recent={}&no_account={}",
            r.companies,
            r.emails,
            r.skipped_recent.len(),
            r.without_account.len()
        )),
        Err(e) => see_other(&format!("{back_to}&err={}", enc(&error_param(&e)))),
    }
}

/// Mount the report form handlers.
pub fn configure_reports(cfg: &mut web::ServiceConfig) {
    cfg.route("/forms/enterprises/{id}/reports", web::post().to(post_report))
        .route("/forms/bases/{id}/reminders", web::post().to(post_reminders));
}

async fn post_import(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: actix_multipart::Multipart) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    let base_id = path.into_inner();
    let back_to = format!("/park/tenants?base={base_id}");
    // Who may import is checked before the upload is read.
    let scope = match BaseScope::of(&identity, base_id) {
        Ok(scope) => scope,
        Err(e) => return see_other(&format!("{back_to}&err={}", enc(&error_param(&e)))),
    };
    let bytes = match read_upload(form, backend::registry::import::MAX_IMPORT_BYTES).await {
        Ok((_, bytes)) => bytes,
        Err(e) => return see_other(&format!("{back_to}&err={}", enc(&error_param(&e)))),
    };
    match backend::registry::import::run(&state, &req, &scope, bytes).await {
        Ok(backend::registry::import::Outcome::Imported(i)) => see_other(&format!("{back_to}&imported={}&invited={}", i.imported, i.invited)),
        Ok(backend::registry::import::Outcome::Rejected { report_id, .. }) => see_other(&format!("{back_to}&import_report={report_id}")),
        Err(e) => see_other(&format!("{back_to}&err={}", enc(&error_param(&e)))),
    }
}

/// Mount the import form handler.
pub fn configure_import(cfg: &mut web::ServiceConfig) {
    cfg.route("/forms/bases/{id}/import", web::post().to(post_import));
}

async fn post_document(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, mut form: actix_multipart::Multipart) -> HttpResponse {
    use futures_util::StreamExt;
    let Some(identity) = identity.0 else { return see_other("/login") };
    let id = path.into_inner();
    let back_to = format!("/company/{id}/profile");
    // Who may upload is checked before the upload is read.
    let scope = match CompanyScope::filing(&identity, id, true) {
        Ok(scope) => scope,
        Err(e) => return back(&back_to, &e, &[]),
    };
    let limit = backend::registry::documents::MAX_DOCUMENT_BYTES;
    let (mut kind, mut file_name, mut bytes) = (String::new(), String::new(), Vec::new());
    // Only the two expected fields are read, each within its own limit: `kind` (a short code)
    // and one `file`. Anything else ends the read with an error before it is buffered.
    let mut refused: Option<AppError> = None;
    let mut seen_file = false;
    while let Some(Ok(mut field)) = form.next().await {
        let name = field.name().unwrap_or_default().to_string();
        let field_limit = match name.as_str() {
            "kind" => 64,
            "file" if !seen_file => limit,
            _ => {
                refused = Some(AppError::field("file", "unexpected_field", "The form carries fields it should not."));
                break;
            }
        };
        let filename = field.content_disposition().and_then(|cd| cd.get_filename().map(str::to_string));
        let mut data = Vec::new();
        while let Some(Ok(chunk)) = field.next().await {
            if data.len() + chunk.len() > field_limit {
                refused = Some(if name == "file" {
                    AppError::field("file", "too_large", "At most 20 MB.")
                } else {
                    AppError::field(&name, "too_long", "This is too long.")
                });
                break;
            }
            data.extend_from_slice(&chunk);
        }
        if refused.is_some() {
            break;
        }
        if name == "kind" {
            kind = String::from_utf8_lossy(&data).to_string();
        } else {
            seen_file = true;
            file_name = filename.unwrap_or_default();
            bytes = data;
        }
    }
    let result = if let Some(e) = refused {
        Err(e)
    } else {
        backend::registry::documents::upload(&state, &RequestMeta::from_request(&req), &scope, &kind, &file_name, bytes).await.map(|_| ())
    };
    match result {
        Ok(()) => see_other(&format!("{back_to}?uploaded=1")),
        Err(e) => back(&back_to, &e, &[]),
    }
}

/// Mount the document upload handler.
pub fn configure_documents(cfg: &mut web::ServiceConfig) {
    cfg.route("/forms/enterprises/{id}/documents", web::post().to(post_document));
}

#[derive(Deserialize)]
pub struct InvitationAnswerForm {
    decision: String,
    #[serde(default)]
    back: String,
}

async fn post_tenancy_invitation(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<InvitationAnswerForm>) -> HttpResponse {
    use backend::registry::invitations::{respond, InvitationDecision};
    let Some(identity) = identity.0 else { return see_other("/login") };
    let back_to = local_path(&form.back).unwrap_or("/dashboard").to_string();
    let decision = match form.decision.as_str() {
        "accept" => InvitationDecision::Accept,
        "decline" => InvitationDecision::Decline,
        _ => return back(&back_to, &AppError::field("decision", "not_allowed", "accept or decline"), &[]),
    };
    let (id, meta) = (path.into_inner(), RequestMeta::from_request(&req));
    match state.db.write(move |conn| respond(conn, &meta, &identity, id, decision)).await {
        Ok(()) => see_other(&format!("{back_to}?answered=1")),
        Err(e) => back(&back_to, &e, &[]),
    }
}

/// Mount the tenancy-invitation form handler.
pub fn configure_tenancy_invitations(cfg: &mut web::ServiceConfig) {
    cfg.route("/forms/tenancy-invitations/{id}", web::post().to(post_tenancy_invitation));
}

#[derive(Deserialize)]
pub struct VerificationForm {
    decision: String,
    #[serde(default)]
    verification_reason: String,
    #[serde(default)]
    back: String,
}

async fn post_verification(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<VerificationForm>) -> HttpResponse {
    use backend::registry::verification::{decide, VerificationDecision};
    let Some(identity) = identity.0 else { return see_other("/login") };
    let f = form.into_inner();
    let back_to = local_path(&f.back).unwrap_or("/dashboard").to_string();
    let body = VerificationDecision { decision: f.decision, reason: Some(f.verification_reason.clone()) };
    let (id, meta) = (path.into_inner(), RequestMeta::from_request(&req));
    match state.db.write(move |conn| decide(conn, &meta, &identity, id, &body)).await {
        Ok(_) => {
            let sep = if back_to.contains('?') { '&' } else { '?' };
            see_other(&format!("{back_to}{sep}decided=1"))
        }
        // The field is `verification_reason` on the page (the tenancy forms have a `reason`).
        Err(e) => back(back_to.split('?').next().unwrap_or("/dashboard"), &rename_field(e, "reason", "verification_reason"), &[("verification_reason", &f.verification_reason)]),
    }
}

/// Mount the company-verification form handler.
pub fn configure_verification(cfg: &mut web::ServiceConfig) {
    cfg.route("/forms/enterprises/{id}/verification", web::post().to(post_verification));
}
