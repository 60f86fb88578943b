//! `GET` and `PUT /api/v1/applications/{id}`: read an application; save a draft's project.

use actix_web::{get, put, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use shared::applications::{ApplicationState, SaveDraft, MAX_EXCLUDED_ORGS};
use shared::filing::Project;
use shared::programs::ProgramKind;
use shared::project_form::{merge_step, project_from_fields, Step};

use crate::accounts::audit::{record, Event, RequestMeta};
use crate::db::schema::applications;
use crate::db::{now, DbConn};
use crate::error::AppError;
use crate::principal::Identity;
use crate::state::AppState;

/// Save `project` as the draft's project, inside the caller's write. The project is saved
/// whether or not it is complete (what is missing is in the view's `problems`); only a field of
/// the wrong type or an unknown field refuses it (422). 409 `not_a_draft` once submitted.
pub fn save(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, id: i64, project: serde_json::Value) -> Result<(), AppError> {
    let s = super::load_scoped(conn, identity, id, true)?;
    store(conn, meta, &s, project)
}

/// Save the organisations the applicant asks to keep off its expert panel, inside the caller's
/// write: at most [`MAX_EXCLUDED_ORGS`], each a valid credit code, none twice and not its own
/// (422 by `excluded_orgs.<i>`); while a draft (409 `not_a_draft`).
pub fn save_excluded(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, id: i64, orgs: &[String]) -> Result<(), AppError> {
    use crate::db::schema::enterprises;
    use crate::error::{push_field_error, FieldErrors};
    let s = super::load_scoped(conn, identity, id, true)?;
    let own: String = enterprises::table.find(s.row.enterprise_id).select(enterprises::credit_code).first(conn)?;
    let mut fields = FieldErrors::new();
    if orgs.len() > MAX_EXCLUDED_ORGS {
        push_field_error(&mut fields, "excluded_orgs", "out_of_range", format!("At most {MAX_EXCLUDED_ORGS} organisations."));
    }
    let mut codes: Vec<String> = Vec::new();
    for (i, text) in orgs.iter().enumerate() {
        match shared::CreditCode::parse(text) {
            Err(e) => push_field_error(&mut fields, &format!("excluded_orgs.{i}"), e.code(), "Not a valid unified social credit code."),
            Ok(c) if c.as_str() == own => push_field_error(&mut fields, &format!("excluded_orgs.{i}"), "invalid", "Your own company is kept off its panel anyway."),
            Ok(c) if codes.iter().any(|x| x == c.as_str()) => push_field_error(&mut fields, &format!("excluded_orgs.{i}"), "duplicate", "Named twice."),
            Ok(c) => codes.push(c.as_str().to_string()),
        }
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let json = serde_json::to_string(&codes).map_err(|e| AppError::Internal(e.into()))?;
    let changed = diesel::update(applications::table.find(id).filter(applications::state.eq(ApplicationState::Draft.code()))).set(applications::excluded_orgs.eq(&json)).execute(conn)?;
    if changed == 0 {
        return Err(not_a_draft());
    }
    record(conn, meta, Event::new("application_saved").actor(s.user_id).object("application", id).detail(serde_json::json!({ "excluded_orgs": codes })))?;
    Ok(())
}

/// [`save`] for an application already loaded in this write.
fn store(conn: &mut DbConn, meta: &RequestMeta, s: &super::Scoped, project: serde_json::Value) -> Result<(), AppError> {
    let id = s.row.id;
    let mut project = Project::from_json(s.definition.kind, project).map_err(|why| AppError::field("project", "invalid", why))?;
    project.tidy();
    let amount = project.amount(&s.definition.amount).map(|w| w.amount_fen);
    let title: String = project.title().chars().take(200).collect();
    let json = serde_json::to_string(&project).map_err(|e| AppError::Internal(e.into()))?;
    let changed = diesel::update(applications::table.find(id).filter(applications::state.eq(ApplicationState::Draft.code())))
        .set((
            applications::project.eq(&json),
            applications::computed_amount_fen.eq(amount),
            applications::amount_requested_fen.eq(amount.unwrap_or(0)),
            applications::title.eq(&title),
            applications::updated_at.eq(now()),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Err(not_a_draft());
    }
    record(conn, meta, Event::new("application_saved").actor(s.user_id).object("application", id).detail(serde_json::json!({ "computed_amount_fen": amount })))?;
    Ok(())
}

/// Save one page of the project step (`step`; `None`: the whole project) from its form fields
/// (`field` answers a field's value), the draft's other fields as they are saved: read and
/// written in the caller's one write, so two pages saved at once both keep their fields. Answers
/// the program's kind and the fields whose values did not parse (left out, the rest saved).
pub fn save_step(
    conn: &mut DbConn,
    meta: &RequestMeta,
    identity: &Identity,
    id: i64,
    step: Option<Step>,
    field: &dyn Fn(&str) -> Option<String>,
) -> Result<(ProgramKind, Vec<(String, &'static str)>), AppError> {
    let s = super::load_scoped(conn, identity, id, true)?;
    let kind = s.definition.kind;
    let (typed, unparsed) = project_from_fields(kind, field);
    let saved: serde_json::Value = serde_json::from_str(&s.row.project).unwrap_or_else(|_| serde_json::json!({}));
    store(conn, meta, &s, merge_step(kind, step, &saved, typed))?;
    Ok((kind, unparsed))
}

pub fn not_a_draft() -> AppError {
    AppError::Conflict { code: "not_a_draft", message: "This application has been submitted; it can no longer be changed.".into() }
}

/// An application of the caller's company: the project, the computed amount, the materials,
/// and (for a draft) what still stops its submission.
#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "applications", params(("id" = i64, Path)),
    responses((status = 200, body = shared::applications::ApplicationView), (status = 401, description = "`unauthenticated`"),
        (status = 404, description = "`not_found`: no such application, or not the caller's company's")))]
#[get("/applications/{id}")]
pub async fn get_application(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(super::view_after(&state, identity, path.into_inner()).await?))
}

/// Save a draft's project fields. Saved even when incomplete; the answer lists what still
/// stops a submission in `problems`.
#[utoipa::path(put, path = "/api/v1/applications/{id}", tag = "applications", params(("id" = i64, Path)), request_body = SaveDraft,
    responses((status = 200, body = shared::applications::ApplicationView), (status = 401, description = "`unauthenticated`"),
        (status = 403, description = "`email_unverified`"), (status = 404, description = "`not_found`"),
        (status = 409, description = "`not_a_draft`: submitted already"), (status = 422, description = "`invalid` on `project`: a field of the wrong type or unknown; `excluded_orgs.<i>`: not a credit code, the company's own, twice; `excluded_orgs`: more than three")))]
#[put("/applications/{id}")]
pub async fn put_application(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<i64>, body: web::Json<SaveDraft>) -> Result<HttpResponse, AppError> {
    let (id, meta, body, who) = (path.into_inner(), RequestMeta::from_request(&req), body.into_inner(), identity.clone());
    state
        .db
        .write(move |conn| {
            save(conn, &meta, &who, id, body.project.clone())?;
            match &body.excluded_orgs {
                Some(orgs) => save_excluded(conn, &meta, &who, id, orgs),
                None => Ok(()),
            }
        })
        .await?;
    Ok(HttpResponse::Ok().json(super::view_after(&state, identity, id).await?))
}
