//! Filing forms: start an application, save the project step (saved whenever it is posted;
//! values that do not parse come back with their errors), upload a material, submit, withdraw.
//! Each calls the same service as the REST API.

use super::*;
use backend::applications::{create_application, draft, materials, submit, withdraw};
use serde_json::{json, Map, Value};
use shared::programs::ProgramKind;

/// The lines of a textarea, trimmed, without empty ones.
fn lines(v: &str) -> Vec<String> {
    v.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// The project step's fields as the draft's project JSON, and the fields that did not parse
/// (left out of the project, reported with their codes).
pub fn project_from_form(kind: ProgramKind, form: &HashMap<String, String>) -> (Value, Vec<(String, &'static str)>) {
    let get = |k: &str| form.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let mut errors: Vec<(String, &'static str)> = Vec::new();
    let date = |k: &str, errors: &mut Vec<(String, &'static str)>| -> Value {
        let v = get(k);
        if v.is_empty() {
            return Value::Null;
        }
        match chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
            Ok(d) => json!(d),
            Err(_) => {
                errors.push((k.to_string(), "invalid_date"));
                Value::Null
            }
        }
    };
    let mut p = Map::new();
    match kind {
        ProgramKind::FirstSetEquipment => {
            for k in ["equipment_name", "model", "buyer_name", "buyer_credit_code"] {
                p.insert(k.into(), json!(get(k)));
            }
            p.insert("serial_numbers".into(), json!(lines(&get("serial_numbers"))));
            p.insert("patents".into(), json!(lines(&get("patents"))));
            let level = get("first_set_level");
            p.insert("first_set_level".into(), if shared::programs::FirstSetLevel::parse(&level).is_some() { json!(level) } else { Value::Null });
            p.insert("first_use_on".into(), date("first_use_on", &mut errors));
            let mut contracts = Vec::new();
            for i in 0..10 {
                let (number, value) = (get(&format!("c{i}_number")), get(&format!("c{i}_value")));
                let signed = date(&format!("c{i}_signed_on"), &mut errors);
                if number.is_empty() && value.is_empty() && signed.is_null() {
                    continue;
                }
                let value_fen = if value.is_empty() {
                    Value::Null
                } else {
                    match shared::Fen::parse_yuan(&value) {
                        Some(f) => json!(f.0),
                        None => {
                            errors.push((format!("c{i}_value"), "invalid_amount"));
                            Value::Null
                        }
                    }
                };
                contracts.push(json!({ "number": number, "value_fen": value_fen, "signed_on": signed }));
            }
            p.insert("contracts".into(), Value::Array(contracts));
        }
        ProgramKind::UhdContent => {
            p.insert("work_title".into(), json!(get("work_title")));
            let category = get("category");
            p.insert("category".into(), if shared::filing::ContentCategory::parse(&category).is_some() { json!(category) } else { Value::Null });
            let format = get("format");
            p.insert("format".into(), if shared::programs::ContentFormat::parse(&format).is_some() { json!(format) } else { Value::Null });
            let minutes = get("minutes");
            p.insert(
                "minutes".into(),
                if minutes.is_empty() {
                    Value::Null
                } else {
                    match minutes.parse::<u32>() {
                        Ok(m) => json!(m),
                        Err(_) => {
                            errors.push(("minutes".into(), "out_of_range"));
                            Value::Null
                        }
                    }
                },
            );
            p.insert("audio_3d".into(), json!(form.contains_key("audio_3d")));
            p.insert("first_producer".into(), json!(form.contains_key("first_producer")));
            p.insert("licence_numbers".into(), json!(lines(&get("licence_numbers"))));
        }
        ProgramKind::General => {
            p.insert("project_title".into(), json!(get("project_title")));
            p.insert("summary".into(), json!(get("summary")));
            for (field, key) in [("investment", "investment_fen"), ("requested", "requested_fen")] {
                let v = get(field);
                let fen = if v.is_empty() {
                    Value::Null
                } else {
                    match shared::Fen::parse_yuan(&v) {
                        Some(f) => json!(f.0),
                        None => {
                            errors.push((field.to_string(), "invalid_amount"));
                            Value::Null
                        }
                    }
                };
                p.insert(key.into(), fen);
            }
        }
    }
    (Value::Object(p), errors)
}

async fn post_create(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let code = form.get("program_code").map(|c| c.trim().to_string()).unwrap_or_default();
    let back_to = format!("/programs/{}", enc(&code));
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&back_to))) };
    let scope = backend::programs::eligibility::company_of(&identity, None).and_then(|e| CompanyScope::filing(&identity, e, false));
    let created = match scope {
        Ok(scope) => {
            let meta = RequestMeta::from_request(&req);
            state.db.write(move |conn| create_application::create(conn, &meta, &scope, &code)).await
        }
        Err(e) => Err(e),
    };
    match created {
        Ok(id) => see_other(&format!("/applications/{id}/project")),
        Err(e) => back(&back_to, &e, &[]),
    }
}

async fn post_project(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let id = path.into_inner();
    let back_to = format!("/applications/{id}/project");
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&back_to))) };
    let who = identity.clone();
    let kind = match state.db.run(move |conn| backend::applications::load_scoped(conn, &who, id, true).map(|s| s.definition.kind)).await {
        Ok(kind) => kind,
        Err(e) => return back(&back_to, &e, &[]),
    };
    let (project, unparsed) = project_from_form(kind, &form);
    let meta = RequestMeta::from_request(&req);
    // Saved whether or not it is complete; what did not parse comes back to be corrected.
    let saved = state.db.write(move |conn| draft::save(conn, &meta, &identity, id, project.clone())).await;
    let keep: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    match saved {
        Err(e) => back(&back_to, &e, &keep),
        Ok(()) if !unparsed.is_empty() => {
            let mut fields = shared::errors::FieldErrors::new();
            for (field, code) in &unparsed {
                backend::error::push_field_error(&mut fields, field, code, "");
            }
            back(&back_to, &AppError::Validation(fields), &keep)
        }
        Ok(()) if form.get("next").map(String::as_str) == Some("materials") => see_other(&format!("/applications/{id}/materials")),
        Ok(()) => see_other(&format!("{back_to}?saved=1")),
    }
}

async fn post_material(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: actix_multipart::Multipart) -> HttpResponse {
    let id = path.into_inner();
    let back_to = format!("/applications/{id}/materials");
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&back_to))) };
    // Who may upload is checked before the upload is read.
    let who = identity.clone();
    if let Err(e) = state.db.run(move |conn| backend::applications::load_scoped(conn, &who, id, true).map(|_| ())).await {
        return back(&back_to, &e, &[]);
    }
    let uploaded = match materials::read_form(form).await {
        Ok((code, name, bytes)) => materials::upload(&state, &RequestMeta::from_request(&req), &identity, id, &code, &name, bytes).await.map(|_| code),
        Err(e) => Err(e),
    };
    match uploaded {
        Ok(code) => see_other(&format!("{back_to}?uploaded={}", enc(&code))),
        Err(e) => back(&back_to, &e, &[]),
    }
}

async fn post_submit(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>) -> HttpResponse {
    let id = path.into_inner();
    let back_to = format!("/applications/{id}");
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&back_to))) };
    let meta = RequestMeta::from_request(&req);
    let st = state.clone();
    match state.db.write(move |conn| submit::submit(conn, &meta, &identity, id, &|p| st.link(p))).await {
        Ok(()) => see_other(&format!("{back_to}?submitted=1")),
        // A refusal naming fields (the matched numbers, the failed rules) comes back field by
        // field; the application page lists them with the fields' names.
        Err(AppError::Refused { fields, .. }) => back(&back_to, &AppError::Validation(fields), &[]),
        Err(e) => back(&back_to, &e, &[]),
    }
}

async fn post_withdraw(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let id = path.into_inner();
    let back_to = format!("/applications/{id}");
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&back_to))) };
    let (meta, reason) = (RequestMeta::from_request(&req), form.get("reason").cloned().unwrap_or_default());
    match state.db.write(move |conn| withdraw::withdraw(conn, &meta, &identity, id, &reason)).await {
        Ok(()) => see_other(&back_to),
        Err(e) => back(&back_to, &e, &[]),
    }
}

/// Mount the filing form handlers.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/forms/applications", web::post().to(post_create))
        .route("/forms/applications/{id}/project", web::post().to(post_project))
        .route("/forms/applications/{id}/materials", web::post().to(post_material))
        .route("/forms/applications/{id}/submit", web::post().to(post_submit))
        .route("/forms/applications/{id}/withdraw", web::post().to(post_withdraw));
}
