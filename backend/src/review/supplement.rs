//! A return for supplement from the applicant's side: `GET /api/v1/applications/{id}/supplement`
//! (the flags of the current round with their answers) and `PUT .../supplement` (answers).

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use shared::applications::ApplicationState;
use shared::filing::Project;
use shared::review::{FlagView, Role, SupplementAnswers, MAX_COMMENT};

use super::Case;
use crate::accounts::audit::{record, Event, RequestMeta};
use crate::db::schema::{application_materials, applications, supplement_flags};
use crate::db::{now, DbConn};
use crate::error::{push_field_error, AppError, FieldErrors};
use crate::principal::Identity;
use crate::state::AppState;

type FlagRow = (i64, Option<String>, Option<String>, String, NaiveDate, Option<String>, Option<String>, Option<String>, Option<NaiveDateTime>, NaiveDateTime);

fn flag_rows(conn: &mut DbConn, id: i64, round: i32) -> QueryResult<Vec<FlagRow>> {
    supplement_flags::table
        .filter(supplement_flags::application_id.eq(id))
        .filter(supplement_flags::round.eq(round))
        .order(supplement_flags::id)
        .select((
            supplement_flags::id,
            supplement_flags::field,
            supplement_flags::material_code,
            supplement_flags::comment,
            supplement_flags::due_on,
            supplement_flags::answer_value,
            supplement_flags::answer_reply,
            supplement_flags::answered_file_sha256,
            supplement_flags::answered_at,
            supplement_flags::created_at,
        ))
        .load(conn)
}

fn view(r: FlagRow) -> FlagView {
    FlagView {
        id: r.0,
        field: r.1,
        material_code: r.2,
        comment: r.3,
        due_on: r.4,
        answer_value: r.5.and_then(|v| serde_json::from_str(&v).ok()),
        answer_reply: r.6,
        answered_file_sha256: r.7,
        answered_at: r.8.map(|t| t.and_utc()),
    }
}

/// The flags of application `id`'s latest return for supplement (the current round while it is
/// returned), for anyone who may read the application.
pub fn flags(conn: &mut DbConn, identity: &Identity, id: i64) -> Result<Vec<FlagView>, AppError> {
    let case = super::load_readable(conn, identity, id)?;
    flags_for(conn, &case)
}

/// [`flags`] of a case already read (and found readable by the caller).
pub fn flags_for(conn: &mut DbConn, case: &Case) -> Result<Vec<FlagView>, AppError> {
    let id = case.row.id;
    let latest: Option<i32> =
        supplement_flags::table.filter(supplement_flags::application_id.eq(id)).select(diesel::dsl::max(supplement_flags::round)).first(conn)?;
    let round = if case.state() == ApplicationState::ReturnedForSupplement { case.round() } else { latest.unwrap_or(case.round()) };
    Ok(flag_rows(conn, id, round)?.into_iter().map(view).collect())
}

/// Record the company's answers to the flags of application `id`, inside the caller's write.
/// Only while it is returned for supplement (409 `state_changed` otherwise), by its company's
/// people with a confirmed address. Each answer names a flag of this round (422 `not_flagged`)
/// and gives something: a corrected value for a field (stored into the project, which must still
/// parse and whose field must then pass its check), a reply, or, for a material, a new file
/// uploaded since the flag was raised. Answers not given now stay as they were.
pub fn answer(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, id: i64, body: &SupplementAnswers) -> Result<usize, AppError> {
    let locked = diesel::update(applications::table.find(id)).set(applications::id.eq(id)).execute(conn)?;
    if locked == 0 {
        return Err(AppError::NotFound("the application"));
    }
    let case = super::load_readable(conn, identity, id)?;
    if !identity.enterprises(false).contains(&case.row.enterprise_id) {
        // Staff read the flags; only the company answers them.
        return Err(AppError::Forbidden { code: "action_not_allowed", message: "Only the applicant answers a return for supplement." });
    }
    identity.require_email_verified()?;
    if case.state() != ApplicationState::ReturnedForSupplement {
        return Err(AppError::StateChanged(case.state()));
    }
    let round = case.round();
    let rows = flag_rows(conn, id, round)?;
    let mut fields = FieldErrors::new();
    if body.answers.is_empty() {
        push_field_error(&mut fields, "answers", "required", "Answer at least one flag.");
    }
    let mut project: serde_json::Value = serde_json::from_str(&case.row.project).unwrap_or_else(|_| serde_json::json!({}));
    let mut changed_fields: Vec<(usize, String)> = Vec::new();
    let mut updates: Vec<(i64, Option<String>, Option<String>, Option<String>)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, a) in body.answers.iter().enumerate() {
        let at = format!("answers.{i}");
        let Some(flag) = rows.iter().find(|r| r.0 == a.flag_id) else {
            push_field_error(&mut fields, &format!("{at}.flag_id"), "not_flagged", "No such flag in this return for supplement.");
            continue;
        };
        if !seen.insert(a.flag_id) {
            push_field_error(&mut fields, &format!("{at}.flag_id"), "duplicate", "The same flag is answered twice.");
            continue;
        }
        let reply = a.reply.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
        if reply.as_ref().is_some_and(|r| r.chars().count() > MAX_COMMENT) {
            push_field_error(&mut fields, &format!("{at}.reply"), "too_long", format!("At most {MAX_COMMENT} characters."));
        }
        let mut value = None;
        let mut file = None;
        match (&flag.1, &flag.2) {
            (Some(field), _) => {
                if let Some(v) = &a.value {
                    if let serde_json::Value::Object(map) = &mut project {
                        map.insert(field.clone(), v.clone());
                    }
                    changed_fields.push((i, field.clone()));
                    value = Some(v.to_string());
                }
            }
            (None, Some(code)) => {
                if a.value.is_some() {
                    push_field_error(&mut fields, &format!("{at}.value"), "unexpected_field", "A material is answered with a new file (or a reply), not a value.");
                }
                let uploaded: Option<(String, NaiveDateTime)> = application_materials::table
                    .filter(application_materials::application_id.eq(id))
                    .filter(application_materials::material_code.eq(code))
                    .select((application_materials::sha256, application_materials::uploaded_at))
                    .first(conn)
                    .optional()?;
                file = uploaded.filter(|(_, at)| *at >= flag.9).map(|(sha, _)| sha);
            }
            (None, None) => {}
        }
        if value.is_none() && reply.is_none() && file.is_none() {
            let why = if flag.2.is_some() { "Upload a new file for this material first, or reply." } else { "Give a corrected value or a reply." };
            push_field_error(&mut fields, &at, "required", why);
            continue;
        }
        updates.push((a.flag_id, value, reply, file));
    }
    // The corrected project must still be a project of its kind, and each corrected field must
    // pass its own check.
    let mut parsed = None;
    if !changed_fields.is_empty() && fields.is_empty() {
        match Project::from_json(case.definition.kind, project.clone()) {
            Err(why) => {
                for (i, _) in &changed_fields {
                    push_field_error(&mut fields, &format!("answers.{i}.value"), "invalid", why.clone());
                }
            }
            Ok(mut p) => {
                p.tidy();
                let problems = p.problems(&shared::filing::ProjectRules::of(&case.definition), super::today());
                for (i, field) in &changed_fields {
                    for (path, code) in problems.iter().filter(|(path, _)| path == field || path.starts_with(&format!("{field}."))) {
                        push_field_error(&mut fields, &format!("answers.{i}.value"), code, format!("{path}: {code}"));
                    }
                }
                parsed = Some(p);
            }
        }
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let t = now();
    if let Some(p) = parsed {
        let amount = p.amount(&case.definition.amount).map(|w| w.amount_fen);
        let title: String = p.title().chars().take(200).collect();
        let json = serde_json::to_string(&p).map_err(|e| AppError::Internal(e.into()))?;
        diesel::update(applications::table.find(id))
            .set((
                applications::project.eq(&json),
                applications::computed_amount_fen.eq(amount),
                applications::amount_requested_fen.eq(amount.unwrap_or(0)),
                applications::title.eq(&title),
            ))
            .execute(conn)?;
    }
    for (flag_id, value, reply, file) in &updates {
        diesel::update(supplement_flags::table.find(*flag_id))
            .set((
                supplement_flags::answer_value.eq(value),
                supplement_flags::answer_reply.eq(reply),
                supplement_flags::answered_file_sha256.eq(file),
                supplement_flags::answered_at.eq(t),
                supplement_flags::answered_by.eq(identity.user_id),
            ))
            .execute(conn)?;
    }
    diesel::update(applications::table.find(id)).set(applications::updated_at.eq(t)).execute(conn)?;
    let part = super::Part { role: shared::review::Role::Applicant, agency_id: None };
    super::history(conn, id, "supplement_answered", (None, None), Some(&part), Some(identity.user_id), round, None, false)?;
    let detail = serde_json::json!({ "round": round, "answers": updates.iter().map(|u| serde_json::json!({ "flag_id": u.0, "value": u.1, "reply": u.2, "file_sha256": u.3 })).collect::<Vec<_>>() });
    record(conn, meta, Event::new("supplement_answered").actor(identity.user_id).object("application", id).detail(detail))?;
    Ok(updates.len())
}

/// The flags of the application's latest return for supplement, with the answers given.
#[utoipa::path(get, path = "/api/v1/applications/{id}/supplement", tag = "review", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<FlagView>), (status = 401, description = "`unauthenticated`"), (status = 404, description = "`not_found`")))]
#[get("/applications/{id}/supplement")]
pub async fn get_supplement(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| flags(conn, &identity, id)).await?))
}

/// Answer flags of a return for supplement: one answer per flag answered now (a corrected
/// `value`, a `reply`, or for a material a new file uploaded first to the materials endpoint).
/// Resubmitting (`POST .../actions` with `resubmit`) needs every flag answered.
#[utoipa::path(put, path = "/api/v1/applications/{id}/supplement", tag = "review", params(("id" = i64, Path)), request_body = SupplementAnswers,
    responses((status = 200, body = Vec<FlagView>, description = "The flags with their answers"), (status = 401, description = "`unauthenticated`"),
        (status = 403, description = "`action_not_allowed`: not the applicant; `email_unverified`"), (status = 404, description = "`not_found`"),
        (status = 409, description = "`state_changed` (with `current_state`): not returned for supplement"),
        (status = 422, description = "`answers.<i>.flag_id` `not_flagged` or `duplicate`; `answers.<i>` `required` (nothing given); `answers.<i>.value` invalid or failing the field's check, or `unexpected_field` for a material; `answers.<i>.reply` too long")))]
#[put("/applications/{id}/supplement")]
pub async fn put_supplement(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<i64>, body: web::Json<SupplementAnswers>) -> Result<HttpResponse, AppError> {
    let (id, meta, who, body) = (path.into_inner(), RequestMeta::from_request(&req), identity.clone(), body.into_inner());
    state.db.write(move |conn| answer(conn, &meta, &who, id, &body)).await?;
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| flags(conn, &identity, id)).await?))
}

/// Give the company more time to answer a return for supplement: the open flags' deadline
/// becomes `days` working days from today (later than it was), with a reminder and an
/// escalation of its own. By the party of the stage that returned it (the recommending unit,
/// or the lead agency's staff). The company is told.
pub fn extend(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, id: i64, days: u32, origin: &str) -> Result<NaiveDate, AppError> {
    let locked = diesel::update(applications::table.find(id)).set(applications::id.eq(id)).execute(conn)?;
    if locked == 0 {
        return Err(AppError::NotFound("the application"));
    }
    let case = super::load_readable(conn, identity, id)?;
    if case.state() != ApplicationState::ReturnedForSupplement {
        return Err(AppError::StateChanged(case.state()));
    }
    let from = case.situation().returned_from;
    let parts = super::parts(identity, &case);
    let part = parts.iter().find(|p| match from {
        Some(ApplicationState::RecommendingReview) => p.role == Role::RecommendingUnit,
        _ => matches!(p.role, Role::Reviewer | Role::AgencyLead),
    });
    let Some(part) = part.copied() else {
        return Err(AppError::Forbidden { code: "action_not_allowed", message: "Only the party that returned it extends its deadline." });
    };
    if !(1..=60).contains(&days) {
        return Err(AppError::field("deadline_working_days", "out_of_range", "From 1 to 60 working days."));
    }
    let calendar = crate::calendar::load(conn)?;
    let due = super::due_after(&calendar, super::today(), days).ok_or_else(|| AppError::field("deadline_working_days", "out_of_range", "Past the working-day calendar's years."))?;
    if case.row.stage_due_on.is_some_and(|d| due <= d) {
        return Err(AppError::field("deadline_working_days", "out_of_range", "The new deadline must be later than the current one."));
    }
    let round = case.round();
    diesel::update(supplement_flags::table.filter(supplement_flags::application_id.eq(id)).filter(supplement_flags::round.eq(round)).filter(supplement_flags::answered_at.is_null()))
        .set(supplement_flags::due_on.eq(due))
        .execute(conn)?;
    diesel::update(applications::table.find(id)).set((applications::stage_due_on.eq(Some(due)), applications::updated_at.eq(now()))).execute(conn)?;
    super::deadlines::schedule(conn, &calendar, id, round, ApplicationState::ReturnedForSupplement, due, case.definition.stage_limits.remind_before)?;
    let note = due.to_string();
    super::history(conn, id, "supplement_extended", (None, None), Some(&part), Some(identity.user_id), round, Some(&note), false)?;
    record(conn, meta, Event::new("supplement_extended").actor(identity.user_id).object("application", id).detail(serde_json::json!({ "round": round, "due_on": due, "from": case.row.stage_due_on })))?;
    let company = super::notices::applicant_ids(conn, case.row.enterprise_id)?;
    let open: Vec<String> = flag_rows(conn, id, round)?.into_iter().filter(|r| r.8.is_none()).map(|r| r.3).collect();
    let note = open.join("; ");
    super::notices::send(conn, origin, &company, &super::notices::Notice { kind: shared::notifications::NoticeKind::ReturnedForSupplement, application_id: id, stage: ApplicationState::ReturnedForSupplement, note: Some(&note), due: Some(due) })?;
    Ok(due)
}

/// `POST /api/v1/applications/{id}/supplement/deadline`.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendRequest {
    /// Working days from today for the open flags (1 to 60), later than the deadline now.
    pub deadline_working_days: u32,
}

/// Give the company more time to answer (the party that returned it). Answers the flags.
#[utoipa::path(post, path = "/api/v1/applications/{id}/supplement/deadline", tag = "review", params(("id" = i64, Path)), request_body = ExtendRequest,
    responses((status = 200, body = Vec<FlagView>), (status = 401, description = "`unauthenticated`"),
        (status = 403, description = "`action_not_allowed`: not the party that returned it"), (status = 404, description = "`not_found`"),
        (status = 409, description = "`state_changed` (with `current_state`): not returned for supplement"),
        (status = 422, description = "`deadline_working_days` `out_of_range` (1 to 60, later than now)")))]
#[post("/applications/{id}/supplement/deadline")]
pub async fn post_deadline(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<i64>, body: web::Json<ExtendRequest>) -> Result<HttpResponse, AppError> {
    let (id, meta, who, days) = (path.into_inner(), RequestMeta::from_request(&req), identity.clone(), body.deadline_working_days);
    let origin = state.settings.public_origin().to_string();
    state.db.write(move |conn| extend(conn, &meta, &who, id, days, &origin)).await?;
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| flags(conn, &identity, id)).await?))
}
