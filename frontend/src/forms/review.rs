//! Review forms: a step of the workflow (one form per action the page offers, all posting the
//! same shape as `POST /api/v1/applications/{id}/actions`), the company's answers to a return
//! for supplement, an expert draw, an expert's declaration and score sheet, and the
//! notifications (read, all read, which kinds come by email). Each calls the same service as
//! the REST API.

use super::*;
use backend::review::{actions, experts, inbox, supplement};
use shared::applications::ApplicationState;
use shared::review::{ActionRequest, FlagRequest, SupplementAnswer, SupplementAnswers};

fn state_named(text: &str) -> Option<ApplicationState> {
    serde_json::from_value(serde_json::Value::String(text.trim().to_string())).ok()
}

fn text_of(form: &HashMap<String, String>, key: &str) -> Option<String> {
    form.get(key).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// The flags ticked on a return form: `flag.f.<field>` / `flag.m.<material>` with the comment
/// in `comment.f.<field>` / `comment.m.<material>`. A ticked flag without a comment is an
/// error at its comment box.
fn flags_of(form: &HashMap<String, String>, fields: &mut shared::errors::FieldErrors) -> Vec<FlagRequest> {
    let mut keys: Vec<&String> = form.keys().filter(|k| k.starts_with("flag.")).collect();
    keys.sort();
    let mut out = Vec::new();
    for key in keys {
        let rest = &key["flag.".len()..];
        let Some((kind, name)) = rest.split_once('.') else { continue };
        let comment_key = format!("comment.{kind}.{name}");
        let comment = text_of(form, &comment_key).unwrap_or_default();
        if comment.is_empty() {
            backend::error::push_field_error(fields, &comment_key, "required", "");
            continue;
        }
        match kind {
            "f" => out.push(FlagRequest { field: Some(name.to_string()), material_code: None, comment }),
            "m" => out.push(FlagRequest { field: None, material_code: Some(name.to_string()), comment }),
            _ => {}
        }
    }
    out
}

/// The API's field names on a step as the form's: each action's own comment box, `amount`
/// for `amount_fen`, a flag's comment box for `flags.<i>`.
fn form_error(e: AppError, flags: &[FlagRequest], action: &str) -> AppError {
    rename_fields(e, |name| {
        if name == "comment" {
            format!("comment_{action}")
        } else if name == "amount_fen" {
            "amount".to_string()
        } else if let Some(rest) = name.strip_prefix("flags.") {
            let i: usize = rest.split('.').next().and_then(|i| i.parse().ok()).unwrap_or(usize::MAX);
            match flags.get(i) {
                Some(FlagRequest { field: Some(f), .. }) => format!("comment.f.{f}"),
                Some(FlagRequest { material_code: Some(m), .. }) => format!("comment.m.{m}"),
                _ => "flags".to_string(),
            }
        } else {
            name.to_string()
        }
    })
}

async fn post_action(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let id = path.into_inner();
    let back_to = format!("/applications/{id}");
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&back_to))) };
    let form = form.into_inner();
    let action = form.get("action").cloned().unwrap_or_default();
    // Back to the form that was posted (each action's form has its own anchor).
    let anchor = format!("{back_to}#act-{}", action.replace('_', "-"));
    let keep: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let Some(expected_state) = form.get("expected_state").and_then(|s| state_named(s)) else {
        return back(&anchor, &AppError::field("expected_state", "invalid", ""), &keep);
    };
    let mut fields = shared::errors::FieldErrors::new();
    let flags = if action == "return_for_supplement" { flags_of(&form, &mut fields) } else { Vec::new() };
    if action == "return_for_supplement" && flags.is_empty() && fields.is_empty() {
        backend::error::push_field_error(&mut fields, "flags", "required", "");
    }
    let amount_fen = yuan_field(&form, "amount", &mut fields);
    let deadline_working_days = match text_of(&form, "deadline_working_days") {
        None => None,
        Some(t) => match t.parse::<u32>() {
            Ok(d) => Some(d),
            Err(_) => {
                backend::error::push_field_error(&mut fields, "deadline_working_days", "out_of_range", "");
                None
            }
        },
    };
    let to_stage = text_of(&form, "to_stage").and_then(|s| state_named(&s));
    if !fields.is_empty() {
        return back(&anchor, &AppError::Validation(fields), &keep);
    }
    let request = ActionRequest { action, expected_state, comment: text_of(&form, "comment"), flags: flags.clone(), deadline_working_days, amount_fen, to_stage };
    let meta = RequestMeta::from_request(&req);
    let origin = state.settings.public_origin().to_string();
    match state.db.write(move |conn| actions::act(conn, &meta, &identity, id, &request, &origin)).await {
        Ok(_) => see_other(&format!("{back_to}?done={}", enc(form.get("action").map(String::as_str).unwrap_or_default()))),
        Err(e) => back(&anchor, &form_error(e, &flags, form.get("action").map(String::as_str).unwrap_or_default()), &keep),
    }
}

/// The company's answers: for each flag `reply.<id>`, and for a field flag the field's inputs
/// as the project step names them; a value is sent only when it differs from the saved one.
async fn post_supplement(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let id = path.into_inner();
    let back_to = format!("/applications/{id}/supplement");
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&back_to))) };
    let form = std::sync::Arc::new(form.into_inner());
    let typed = form.clone();
    let meta = RequestMeta::from_request(&req);
    let answered = state
        .db
        .write(move |conn| {
            let scoped = backend::applications::load_scoped(conn, &identity, id, true)?;
            let saved: serde_json::Value = serde_json::from_str(&scoped.row.project).unwrap_or_default();
            let flags = supplement::flags(conn, &identity, id)?;
            let (values, unparsed) = shared::project_form::project_from_fields(scoped.definition.kind, |k| typed.get(k).cloned());
            let mut fields = shared::errors::FieldErrors::new();
            for (name, code) in &unparsed {
                backend::error::push_field_error(&mut fields, name, code, "");
            }
            if !fields.is_empty() {
                return Err(AppError::Validation(fields));
            }
            let mut answers = Vec::new();
            let mut form_names = Vec::new();
            for f in &flags {
                let reply = text_of(&typed, &format!("reply.{}", f.id));
                let value = f.field.as_ref().and_then(|field| values.get(field).filter(|v| saved.get(field) != Some(*v)).cloned());
                form_names.push(match &f.field {
                    Some(field) => shared::project_form::form_field(field),
                    None => format!("reply.{}", f.id),
                });
                if reply.is_some() || value.is_some() {
                    answers.push((form_names.len() - 1, SupplementAnswer { flag_id: f.id, value, reply }));
                }
            }
            let body = SupplementAnswers { answers: answers.iter().map(|(_, a)| a.clone()).collect() };
            // The API's `answers.<i>` as the form's boxes.
            supplement::answer(conn, &meta, &identity, id, &body).map_err(|e| {
                rename_fields(e, |name| {
                    let at = name.strip_prefix("answers.").and_then(|rest| rest.split('.').next()).and_then(|i| i.parse::<usize>().ok());
                    match at.and_then(|i| answers.get(i)).and_then(|(at, _)| form_names.get(*at)) {
                        Some(form_name) => form_name.clone(),
                        None => name.to_string(),
                    }
                })
            })
        })
        .await;
    let keep: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    match answered {
        Ok(_) => see_other(&format!("{back_to}?saved=1")),
        Err(e) => back(&back_to, &e, &keep),
    }
}

async fn post_draw(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let id = path.into_inner();
    let back_to = format!("/applications/{id}");
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&back_to))) };
    let keep: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let count = match text_of(&form, "count") {
        None => None,
        Some(c) => match c.parse::<u32>() {
            Ok(c) => Some(c),
            Err(_) => return back(&format!("{back_to}#draw"), &AppError::field("count", "out_of_range", ""), &keep),
        },
    };
    let body = shared::experts::DrawRequest { count, specialty: text_of(&form, "specialty").unwrap_or_default() };
    let meta = RequestMeta::from_request(&req);
    let origin = state.settings.public_origin().to_string();
    match state.db.write(move |conn| experts::draw(conn, &meta, &identity, id, &body, &origin)).await {
        Ok(_) => see_other(&format!("{back_to}?drawn=1#panel")),
        Err(e) => back(&format!("{back_to}#draw"), &e, &keep),
    }
}

/// The queue's batch draw: the ticked rows (`app.<id>`), a specialty and an optional count;
/// back to the same page of the queue (`q.<filter>`), a refusal shown beside its row.
async fn post_batch_draw(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let form = form.into_inner();
    // The queue as it was shown: only its own filters, each encoded.
    let filters: Vec<String> = ["stage", "program", "flag", "sort", "page"]
        .into_iter()
        .filter_map(|k| text_of(&form, &format!("q.{k}")).map(|v| format!("{k}={}", enc(&v))))
        .collect();
    let back_to = if filters.is_empty() { "/review".to_string() } else { format!("/review?{}", filters.join("&")) };
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&back_to))) };
    let keep: Vec<(&str, &str)> = form.iter().filter(|(k, _)| !k.starts_with("q.")).map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut ids: Vec<i64> = form.iter().filter(|(_, v)| v.as_str() == "on").filter_map(|(k, _)| k.strip_prefix("app.")?.parse().ok()).collect();
    ids.sort_unstable();
    let count = match text_of(&form, "count") {
        None => None,
        Some(c) => match c.parse::<u32>() {
            Ok(c) => Some(c),
            Err(_) => return back(&format!("{back_to}#batch-draw"), &AppError::field("count", "out_of_range", ""), &keep),
        },
    };
    let body = shared::experts::BatchDrawRequest { application_ids: ids.clone(), count, specialty: text_of(&form, "specialty").unwrap_or_default() };
    let meta = RequestMeta::from_request(&req);
    let origin = state.settings.public_origin().to_string();
    match state.db.write(move |conn| experts::draw_batch(conn, &meta, &identity, &body, &origin)).await {
        Ok(_) => {
            let sep = if back_to.contains('?') { '&' } else { '?' };
            see_other(&format!("{back_to}{sep}drawn={}#queue-title", ids.len()))
        }
        Err(e) => {
            // `application_ids.<i>` is the row of that application; a refusal naming one is
            // shown beside it.
            let e = match e {
                AppError::Refused { fields, .. } if !fields.is_empty() => AppError::Validation(fields),
                other => other,
            };
            let e = rename_fields(e, |name| match name.strip_prefix("application_ids.").and_then(|i| i.parse::<usize>().ok()).and_then(|i| ids.get(i)) {
                Some(id) => format!("app.{id}"),
                None => name.to_string(),
            });
            back(&format!("{back_to}#batch-draw"), &e, &keep)
        }
    }
}

async fn post_declaration(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let id = path.into_inner();
    let back_to = format!("/expert/assignments/{id}");
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&back_to))) };
    let keep: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let conflict = match form.get("conflict").map(String::as_str) {
        Some("yes") => true,
        Some("no") => false,
        _ => return back(&back_to, &AppError::field("conflict", "required", ""), &keep),
    };
    let body = shared::experts::Declaration { conflict, reason: text_of(&form, "reason") };
    let meta = RequestMeta::from_request(&req);
    let origin = state.settings.public_origin().to_string();
    match state.db.write(move |conn| experts::declare(conn, &meta, &identity, id, &body, &origin)).await {
        Ok(()) if conflict => see_other("/expert?recused=1"),
        Ok(()) => see_other(&format!("{back_to}?confirmed=1")),
        Err(e) => back(&back_to, &e, &keep),
    }
}

/// A score sheet: `score.<code>` and `comment.<code>` per criterion of the rubric.
async fn post_scores(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let id = path.into_inner();
    let back_to = format!("/expert/assignments/{id}");
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&back_to))) };
    let keep: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut fields = shared::errors::FieldErrors::new();
    let mut codes: Vec<&str> = form.keys().filter_map(|k| k.strip_prefix("score.")).collect();
    codes.sort_unstable();
    let mut scores = Vec::new();
    for code in codes {
        let text = text_of(&form, &format!("score.{code}")).unwrap_or_default();
        match text.parse::<u32>() {
            Ok(score) => scores.push(shared::experts::CriterionScore { code: code.to_string(), score, comment: text_of(&form, &format!("comment.{code}")).unwrap_or_default() }),
            Err(_) => backend::error::push_field_error(&mut fields, &format!("score.{code}"), if text.is_empty() { "required" } else { "out_of_range" }, ""),
        }
    }
    if !fields.is_empty() {
        return back(&back_to, &AppError::Validation(fields), &keep);
    }
    let sheet = shared::experts::ScoreSheet { scores: scores.clone() };
    let meta = RequestMeta::from_request(&req);
    let origin = state.settings.public_origin().to_string();
    match state.db.write(move |conn| experts::score(conn, &meta, &identity, id, &sheet, &origin)).await {
        Ok(()) => see_other(&format!("{back_to}?scored=1")),
        // The API's `scores.<i>.<part>` (or `scores.<code>`) as the form's boxes.
        Err(e) => back(
            &back_to,
            &rename_fields(e, |name| {
                let mut parts = name.split('.');
                match (parts.next(), parts.next(), parts.next()) {
                    (Some("scores"), Some(i), Some(part)) => match i.parse::<usize>().ok().and_then(|i| scores.get(i)) {
                        Some(s) => format!("{}.{}", if part == "comment" { "comment" } else { "score" }, s.code),
                        None => name.to_string(),
                    },
                    (Some("scores"), Some(code), None) if code.parse::<usize>().is_err() => format!("score.{code}"),
                    _ => name.to_string(),
                }
            }),
            &keep,
        ),
    }
}

/// Claim (`claim`), release (`release`) or assign (`reviewer_id`) the application.
async fn post_assignment(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let id = path.into_inner();
    let back_to = format!("/applications/{id}");
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&back_to))) };
    let release = form.contains_key("release");
    let reviewer_id = if release || form.contains_key("claim") {
        None
    } else {
        match text_of(&form, "reviewer_id").map(|r| r.parse::<i64>()) {
            Some(Ok(r)) => Some(r),
            _ => return back(&format!("{back_to}#assignment"), &AppError::field("reviewer_id", "required", ""), &[]),
        }
    };
    let body = shared::review::AssignRequest { reviewer_id, release };
    let meta = RequestMeta::from_request(&req);
    let origin = state.settings.public_origin().to_string();
    match state.db.write(move |conn| backend::review::assign::assign(conn, &meta, &identity, id, &body, &origin)).await {
        Ok(_) => see_other(&format!("{back_to}?assigned=1#assignment")),
        Err(e) => back(&format!("{back_to}#assignment"), &e, &[]),
    }
}

async fn post_extend(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let id = path.into_inner();
    let back_to = format!("/applications/{id}");
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&back_to))) };
    let Some(days) = text_of(&form, "deadline_working_days").and_then(|d| d.parse::<u32>().ok()) else {
        return back(&format!("{back_to}#extend"), &AppError::field("deadline_working_days", "out_of_range", ""), &[]);
    };
    let meta = RequestMeta::from_request(&req);
    let origin = state.settings.public_origin().to_string();
    match state.db.write(move |conn| supplement::extend(conn, &meta, &identity, id, days, &origin)).await {
        Ok(_) => see_other(&format!("{back_to}?extended=1#extend")),
        Err(e) => back(&format!("{back_to}#extend"), &e, &[]),
    }
}

async fn post_read(state: web::Data<AppState>, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let id = path.into_inner();
    let Some(identity) = identity.0 else { return see_other("/login?next=%2Fnotifications") };
    // "Open" marks it read and goes to the page it is about; "mark read" stays on the list.
    let open = form.get("open").is_some();
    match state.db.write(move |conn| inbox::mark_read(conn, &identity, id)).await {
        Ok(n) if open && n.link.starts_with('/') && !n.link.starts_with("//") => see_other(&n.link),
        Ok(_) => see_other(&format!("/notifications#n-{id}")),
        Err(e) => back("/notifications", &e, &[]),
    }
}

async fn post_read_all(state: web::Data<AppState>, identity: MaybeIdentity) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login?next=%2Fnotifications") };
    match state.db.write(move |conn| inbox::mark_all_read(conn, &identity)).await {
        Ok(_) => see_other("/notifications?all_read=1"),
        Err(e) => back("/notifications", &e, &[]),
    }
}

/// Which kinds come by email: a box `email.<kind>` per kind that may be turned off, ticked to
/// receive it.
async fn post_settings(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let back_to = "/notifications#settings";
    let Some(identity) = identity.0 else { return see_other("/login?next=%2Fnotifications") };
    let email_off = shared::notifications::NoticeKind::ALL.into_iter().filter(|k| !k.obligatory() && !form.contains_key(&format!("email.{}", k.as_str()))).collect();
    let body = shared::notifications::NotificationSettings { email_off };
    let meta = RequestMeta::from_request(&req);
    match state.db.write(move |conn| inbox::save_settings(conn, &meta, &identity, &body)).await {
        Ok(_) => see_other("/notifications?settings_saved=1#settings"),
        Err(e) => back(back_to, &e, &[]),
    }
}

/// Mount the review form handlers.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/forms/applications/{id}/actions", web::post().to(post_action))
        .route("/forms/applications/{id}/supplement", web::post().to(post_supplement))
        .route("/forms/applications/{id}/expert-draw", web::post().to(post_draw))
        .route("/forms/expert-draws", web::post().to(post_batch_draw))
        .route("/forms/applications/{id}/assignment", web::post().to(post_assignment))
        .route("/forms/applications/{id}/supplement-deadline", web::post().to(post_extend))
        .route("/forms/expert-assignments/{id}/declaration", web::post().to(post_declaration))
        .route("/forms/expert-assignments/{id}/scores", web::post().to(post_scores))
        .route("/forms/notifications/read-all", web::post().to(post_read_all))
        .route("/forms/notifications/{id}/read", web::post().to(post_read))
        .route("/forms/notification-settings", web::post().to(post_settings));
}
