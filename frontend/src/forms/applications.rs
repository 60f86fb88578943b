//! Filing forms: start an application, save the project step (saved whenever it is posted;
//! values that do not parse come back with their errors), upload a material, submit, withdraw.
//! Each calls the same service as the REST API.

use super::*;
use backend::applications::{create_application, draft, materials, submit, withdraw};

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
    use shared::project_form::Step;
    let id = path.into_inner();
    // The page posted (`step`: details or amount; none: every project field at once).
    let step = form.get("step").and_then(|s| Step::parse(s));
    let page_of = |step: Step| format!("/applications/{id}/{}", step.path());
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&page_of(step.unwrap_or(Step::Details))))) };
    let meta = RequestMeta::from_request(&req);
    // Saved whether or not it is complete; what did not parse comes back to be corrected.
    let form = std::sync::Arc::new(form.into_inner());
    let typed = form.clone();
    let saved = state.db.write(move |conn| draft::save_step(conn, &meta, &identity, id, step, &|k| typed.get(k).cloned())).await;
    // Back to the page posted; for a post of every field, to the page of the first error.
    let back_to = page_of(match &saved {
        Ok((kind, unparsed)) => step.or_else(|| unparsed.first().map(|(f, _)| Step::of_field(*kind, f))).unwrap_or(Step::Details),
        Err(_) => step.unwrap_or(Step::Details),
    });
    let keep: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    match saved {
        Err(e) => back(&back_to, &e, &keep),
        Ok((_, unparsed)) if !unparsed.is_empty() => {
            let mut fields = shared::errors::FieldErrors::new();
            for (field, code) in &unparsed {
                backend::error::push_field_error(&mut fields, field, code, "");
            }
            back(&back_to, &AppError::Validation(fields), &keep)
        }
        Ok(_) => match form.get("next").map(String::as_str) {
            Some("amount") => see_other(&format!("/applications/{id}/amount")),
            Some("materials") => see_other(&format!("/applications/{id}/materials")),
            _ => see_other(&format!("{back_to}?saved=1")),
        },
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

async fn post_submit(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let id = path.into_inner();
    let back_to = format!("/applications/{id}");
    let declarations_page = format!("/applications/{id}/declarations");
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&declarations_page))) };
    // Each declaration is a checkbox `declaration_<code>`; one not ticked comes back to the
    // declarations page, beside its box, before anything is checked or changed.
    let declared = shared::applications::SubmitApplication {
        declarations: shared::applications::DECLARATIONS.iter().filter(|d| form.contains_key(&format!("declaration_{d}"))).map(|d| d.to_string()).collect(),
    };
    let missing = declared.missing();
    if !missing.is_empty() {
        let mut fields = shared::errors::FieldErrors::new();
        for d in &missing {
            backend::error::push_field_error(&mut fields, d, "required", "");
        }
        let keep: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        return back(&declarations_page, &AppError::Validation(fields), &keep);
    }
    let meta = RequestMeta::from_request(&req);
    let st = state.clone();
    match state.db.write(move |conn| submit::submit(conn, &meta, &identity, id, &declared, &|p| st.link(p))).await {
        Ok(()) => see_other(&format!("{back_to}?submitted=1")),
        // A refusal naming fields (the matched numbers, the failed rules, what is missing)
        // comes back field by field; the application page lists them with the fields' names.
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
