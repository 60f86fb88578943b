//! `GET /api/v1/applications/{id}/actions` (what the caller may do now) and
//! `POST /api/v1/applications/{id}/actions` (one step of the workflow, every step in one shape).

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use shared::applications::ApplicationState;
use shared::review::{self, Action, ActionRequest, ActionsView, FlagRequest, Proposal, Refusal, Role, MAX_COMMENT, MAX_FLAGS};

use super::{Case, Part};
use crate::accounts::audit::{record, Event, RequestMeta};
use crate::db::schema::{application_events, application_keys, applications, decision_signatures, programs, stage_spans, supplement_flags};
use crate::db::{now, DbConn};
use crate::error::{push_field_error, AppError, FieldErrors};
use crate::principal::Identity;
use crate::state::AppState;

/// What `identity` may do with application `id` now.
pub fn actions_view(conn: &mut DbConn, identity: &Identity, id: i64) -> Result<ActionsView, AppError> {
    let case = super::load_readable(conn, identity, id)?;
    Ok(actions_for(identity, &case))
}

/// [`actions_view`] of a case already read (and found readable by the caller).
pub fn actions_for(identity: &Identity, case: &Case) -> ActionsView {
    let parts = super::parts(identity, &case);
    let s = case.situation();
    let mut actions: Vec<Action> = Vec::new();
    let mut return_targets: Vec<ApplicationState> = Vec::new();
    for part in &parts {
        let actor = part.actor(&case);
        // An applicant without a confirmed address is offered nothing it would be refused.
        if part.role == Role::Applicant && !identity.email_verified {
            continue;
        }
        actions.extend(review::allowed(&s, &actor));
        return_targets.extend(review::return_targets(&s, &actor));
    }
    let actions: Vec<Action> = Action::ALL.into_iter().filter(|a| actions.contains(a)).collect();
    let return_targets: Vec<ApplicationState> = review::RETURN_STAGES.into_iter().filter(|t| return_targets.contains(t)).collect();
    let mut roles: Vec<Role> = parts.iter().map(|p| p.role).collect();
    roles.dedup();
    let staff = parts.iter().any(|p| p.role != Role::Applicant) || identity.is_admin();
    ActionsView {
        state: s.state,
        round: s.round,
        roles,
        actions,
        return_targets,
        // The applicant learns of a proposal only once it is decided.
        proposal: if staff { s.proposal } else { None },
        proposed_amount_fen: if staff { case.row.proposed_amount_fen } else { None },
        stage_due_on: case.row.stage_due_on,
    }
}

/// The reason or opinion given with a step: trimmed, at most [`MAX_COMMENT`] characters,
/// required where the action must say why.
fn comment_of(req: &ActionRequest, action: Action) -> Result<Option<String>, AppError> {
    let text = req.comment.as_deref().map(str::trim).filter(|c| !c.is_empty());
    match text {
        None if action.needs_reason() => Err(AppError::field("comment", "required", "Say why.")),
        Some(c) if c.chars().count() > MAX_COMMENT => Err(AppError::field("comment", "too_long", format!("At most {MAX_COMMENT} characters."))),
        other => Ok(other.map(str::to_string)),
    }
}

/// A return's flags, checked against the program: each names a project field or a material of
/// the checklist (not both), with a comment; at least one, at most [`MAX_FLAGS`], no two alike.
fn check_flags(case: &Case, flags: &[FlagRequest]) -> Result<(), AppError> {
    let mut fields = FieldErrors::new();
    if flags.is_empty() {
        push_field_error(&mut fields, "flags", "required", "Flag at least one field or material to supplement.");
    }
    if flags.len() > MAX_FLAGS {
        push_field_error(&mut fields, "flags", "out_of_range", format!("At most {MAX_FLAGS} flags."));
    }
    let project_fields = project_fields(case);
    let mut seen = std::collections::HashSet::new();
    for (i, f) in flags.iter().enumerate() {
        let at = format!("flags.{i}");
        match (f.field.as_deref().map(str::trim), f.material_code.as_deref().map(str::trim)) {
            (Some(field), None) if !project_fields.iter().any(|p| p == field) => {
                push_field_error(&mut fields, &format!("{at}.field"), "invalid", "The project has no such field.");
            }
            (None, Some(code)) if case.definition.material(code).is_none() => {
                push_field_error(&mut fields, &format!("{at}.material_code"), "unknown_material", "This program's checklist has no such material.");
            }
            (Some(_), None) | (None, Some(_)) => {}
            _ => push_field_error(&mut fields, &at, "invalid", "Name either a `field` or a `material_code`."),
        }
        if !seen.insert((f.field.clone(), f.material_code.clone())) {
            push_field_error(&mut fields, &at, "duplicate", "The same field or material is flagged twice.");
        }
        let comment = f.comment.trim();
        if comment.is_empty() {
            push_field_error(&mut fields, &format!("{at}.comment"), "required", "Say what to supplement.");
        } else if comment.chars().count() > MAX_COMMENT {
            push_field_error(&mut fields, &format!("{at}.comment"), "too_long", format!("At most {MAX_COMMENT} characters."));
        }
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(fields))
    }
}

/// The names of the project fields of `case`'s program kind (`model`, `contracts`, ...).
pub fn project_fields(case: &Case) -> Vec<String> {
    match serde_json::to_value(shared::filing::Project::empty(case.definition.kind)) {
        Ok(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Take step `req` on application `id` as `identity`, inside the caller's write. The row is
/// locked first, then the state the caller saw is compared with the state it is in (409
/// `state_changed` with `current_state`), then `shared::review::next` decides for each part the
/// caller plays. What the step needs is checked before anything changes; the application's row
/// is updated only if it is still in the state and round it was read in.
pub fn act(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, id: i64, req: &ActionRequest, origin: &str) -> Result<ApplicationState, AppError> {
    let action = Action::parse(req.action.trim())
        .filter(|a| a.by_actions_route())
        .ok_or_else(|| AppError::field("action", "invalid", "Not an action of the review workflow (a public notice is published through POST /api/v1/programs/{code}/notices)."))?;
    // Lock the row for this write (PostgreSQL; SQLite's writer already holds the database).
    let locked = diesel::update(applications::table.find(id)).set(applications::id.eq(id)).execute(conn)?;
    if locked == 0 {
        return Err(AppError::NotFound("the application"));
    }
    let case = super::load_readable(conn, identity, id)?;
    let from = case.state();
    if from != req.expected_state {
        return Err(AppError::StateChanged(from));
    }
    let before = case.situation();
    let parts = super::parts(identity, &case);
    let mut refusal: Option<Refusal> = None;
    let mut chosen: Option<(Part, review::Situation)> = None;
    for part in &parts {
        match review::next(&before, action, req.to_stage, &part.actor(&case)) {
            Ok(after) => {
                chosen = Some((*part, after));
                break;
            }
            // The most telling refusal: one about this step, not "not yours".
            Err(r) if refusal.is_none() || refusal == Some(Refusal::NotAllowed) => refusal = Some(r),
            Err(_) => {}
        }
    }
    let Some((part, after)) = chosen else {
        return Err(super::refusal_error(refusal.unwrap_or(Refusal::NotAllowed)));
    };
    if part.role == Role::Applicant {
        identity.require_email_verified()?;
    }
    let comment = comment_of(req, action)?;
    let today = super::today();
    let t = now();
    let round = case.round();
    let new_round = after.round as i32;
    let user = identity.user_id;

    // What the step needs, checked before anything changes.
    let mut flags_due = None;
    if action == Action::ReturnForSupplement {
        check_flags(&case, &req.flags)?;
        let days = req.deadline_working_days.unwrap_or(case.definition.supplement_working_days);
        if !(1..=60).contains(&days) {
            return Err(AppError::field("deadline_working_days", "out_of_range", "Between 1 and 60 working days."));
        }
        flags_due = Some(super::due_after(&crate::calendar::load(conn)?, today, days).ok_or_else(|| AppError::field("deadline_working_days", "outside_year", "The working-day calendar does not reach that far yet."))?);
    }
    let mut amount = None;
    if action == Action::ProposeApproval {
        let a = req.amount_fen.ok_or_else(|| AppError::field("amount_fen", "required", "Give the amount to approve, in fen."))?;
        if a <= 0 {
            return Err(AppError::field("amount_fen", "invalid_amount", "The amount must be more than zero."));
        }
        if let Some(computed) = case.row.computed_amount_fen {
            if a > computed {
                return Err(AppError::field("amount_fen", "above_computed", format!("At most the computed amount, {computed} fen.")));
            }
        }
        amount = Some(a);
    }
    if action == Action::Resubmit {
        refresh_keys(conn, &case)?;
    }

    // Leaving a proposal (a return, a withdrawal, a rejection) gives its reservation back.
    let proposal_ends = before.proposal.is_some() && after.proposal.is_none();
    if proposal_ends {
        super::release_reservation(conn, case.row.program_id, id)?;
    }
    if let Some(a) = amount {
        // Reserve the amount: never more than the budget left (the table's check holds it too).
        let reserved = diesel::update(
            programs::table
                .find(case.row.program_id)
                .filter((programs::budget_used_fen + programs::budget_reserved_fen + a).le(programs::budget_total_fen)),
        )
        .set(programs::budget_reserved_fen.eq(programs::budget_reserved_fen + a))
        .execute(conn)?;
        if reserved == 0 {
            return Err(AppError::Refused { code: "budget_exceeded", message: "The program's budget left is less than this amount.".into(), fields: budget_field() });
        }
    }
    if action == Action::Countersign {
        let agency = part.agency_id.unwrap_or(case.lead_agency_id);
        diesel::insert_into(decision_signatures::table)
            .values((
                decision_signatures::application_id.eq(id),
                decision_signatures::round.eq(round),
                decision_signatures::agency_id.eq(agency),
                decision_signatures::user_id.eq(user),
                decision_signatures::signed_at.eq(t),
            ))
            .execute(conn)
            .map_err(|e| match e {
                diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => super::refusal_error(Refusal::AlreadySigned),
                other => other.into(),
            })?;
    }

    store_step(conn, &case, &before, &after, flags_due, amount)?;
    let mut ban_until = None;
    match action {
        Action::Revoke => {
            ban_until = Some(super::approval::record_revocation(conn, &case, comment.as_deref().unwrap_or_default())?);
        }
        Action::Close => {
            super::payments::on_closed(conn, &case, today)?;
        }
        Action::Recommend => {
            diesel::update(applications::table.find(id)).set(applications::recommended_at.eq(t)).execute(conn)?;
        }
        Action::Withdraw => {
            diesel::update(applications::table.find(id)).set((applications::withdrawn_at.eq(t), applications::withdraw_reason.eq(comment.as_deref()))).execute(conn)?;
        }
        Action::ReturnForSupplement => {
            for f in &req.flags {
                diesel::insert_into(supplement_flags::table)
                    .values((
                        supplement_flags::application_id.eq(id),
                        supplement_flags::round.eq(new_round),
                        supplement_flags::field.eq(f.field.as_deref().map(str::trim)),
                        supplement_flags::material_code.eq(f.material_code.as_deref().map(str::trim)),
                        supplement_flags::comment.eq(f.comment.trim()),
                        supplement_flags::created_by.eq(user),
                        supplement_flags::created_at.eq(t),
                        supplement_flags::due_on.eq(flags_due.unwrap_or(today)),
                    ))
                    .execute(conn)?;
            }
        }
        _ => {}
    }
    if !after.state.live() {
        // Withdrawn or rejected: its duplicate-funding keys stop counting.
        diesel::update(application_keys::table.filter(application_keys::application_id.eq(id))).set(application_keys::active.eq(false)).execute(conn)?;
    }

    // The history: the step as the applicant sees it (a reason for a return, a rejection or a
    // withdrawal), the proposal and signatures for staff only, and any other comment as an
    // internal opinion.
    let states = (Some(from), Some(after.state));
    let deciding = matches!(action, Action::ProposeApproval | Action::ProposeRejection | Action::Countersign);
    let shown_reason = matches!(action, Action::ReturnForSupplement | Action::Reject | Action::Withdraw | Action::Revoke);
    let mut reason = comment.clone();
    if deciding && after.state == ApplicationState::Rejected {
        // A fully signed rejection: the applicant is told the reason proposed.
        reason = proposal_reason(conn, id, round)?;
        super::history(conn, id, action.as_str(), (Some(from), Some(from)), Some(&part), Some(user), round, comment.as_deref(), true)?;
        super::history(conn, id, "rejected", states, Some(&part), Some(user), new_round, reason.as_deref(), false)?;
    } else {
        let note = if shown_reason || deciding { comment.as_deref() } else { None };
        super::history(conn, id, action.as_str(), states, Some(&part), Some(user), new_round, note, deciding)?;
        if !shown_reason && !deciding {
            if let Some(c) = comment.as_deref() {
                super::history(conn, id, "opinion", (None, None), Some(&part), Some(user), new_round, Some(c), true)?;
            }
        }
    }
    let detail = serde_json::json!({
        "action": action.as_str(),
        "from_state": from,
        "to_state": after.state,
        "role": super::role_name(part.role),
        "agency_id": part.agency_id,
        "round": new_round,
        "comment": comment,
        "flags": req.flags,
        "amount_fen": amount,
        "to_stage": req.to_stage,
        "banned_until": ban_until,
    });
    record(conn, meta, Event::new("application_review_step").actor(user).object("application", id).detail(detail))?;
    let now_case = super::load_case(conn, id)?.ok_or(AppError::NotFound("the application"))?;
    super::notices::after_step(conn, origin, &case, &now_case, user, reason.as_deref())?;
    Ok(after.state)
}

/// Store the step from `before` to `after` on `case`'s row, only if its state and round are
/// still those it was read in (else 409 `state_changed`): the state, round, proposal (with
/// `amount` for a new one), and the stage's dates when a stage is entered (`flags_due` ends a
/// return for supplement; a review stage ends after its time limit in working days).
pub fn store_step(conn: &mut DbConn, case: &Case, before: &review::Situation, after: &review::Situation, flags_due: Option<chrono::NaiveDate>, amount: Option<i64>) -> Result<(), AppError> {
    let id = case.row.id;
    let from = before.state;
    let today = super::today();
    let entered = after.state != before.state || after.round != before.round;
    // Read once for the new stage's deadline, the stay just ended and the deadline's jobs.
    let calendar = if entered { Some(crate::calendar::load(conn)?) } else { None };
    let (entered_on, due_on) = if !entered {
        (case.row.stage_entered_on, case.row.stage_due_on)
    } else if after.state == ApplicationState::ReturnedForSupplement {
        (Some(today), flags_due)
    } else if let Some(days) = super::stage_limit(&case.definition, after.state) {
        (Some(today), calendar.as_ref().and_then(|c| super::due_after(c, today, days)))
    } else {
        (Some(today), None)
    };
    let proposal = after.proposal.map(|p| if p == Proposal::Approve { "approve" } else { "reject" });
    let proposed_amount = if after.proposal.is_none() { None } else { amount.or(case.row.proposed_amount_fen) };
    let changed = diesel::update(applications::table.find(id).filter(applications::state.eq(from.code())).filter(applications::review_round.eq(case.round())))
        .set((
            applications::state.eq(after.state.code()),
            applications::review_round.eq(after.round as i32),
            applications::returned_from.eq(after.returned_from.map(|s| s.code())),
            applications::proposal.eq(proposal),
            applications::proposed_amount_fen.eq(proposed_amount),
            applications::stage_entered_on.eq(entered_on),
            applications::stage_due_on.eq(due_on),
            applications::updated_at.eq(now()),
        ))
        .execute(conn)?;
    if changed == 0 {
        let now_state: i32 = applications::table.find(id).select(applications::state).first(conn)?;
        return Err(AppError::StateChanged(ApplicationState::from_code(now_state).unwrap_or(from)));
    }
    if after.state == ApplicationState::Approved && before.state != ApplicationState::Approved {
        super::approval::record_award(conn, case)?;
    }
    if let Some(calendar) = &calendar {
        // How long it stayed where it was (the lead's dashboard averages these).
        if let Some(since) = case.row.stage_entered_on.filter(|d| *d <= today) {
            let days = calendar.working_days_between(since, today).value;
            diesel::insert_into(stage_spans::table)
                .values((
                    stage_spans::application_id.eq(id),
                    stage_spans::program_id.eq(case.row.program_id),
                    stage_spans::state.eq(from.code()),
                    stage_spans::round.eq(case.round()),
                    stage_spans::entered_on.eq(since),
                    stage_spans::left_on.eq(today),
                    stage_spans::working_days.eq(i32::try_from(days).unwrap_or(i32::MAX)),
                ))
                .execute(conn)?;
        }
        if let Some(due) = due_on {
            super::deadlines::schedule(conn, calendar, id, after.round as i32, after.state, due, case.definition.stage_limits.remind_before)?;
        }
    }
    Ok(())
}

/// A step the portal takes itself on application `id`, inside the caller's write: an award
/// approved when its notice closes clear, or rejected on an upheld objection (`note`, the
/// findings, is the reason the applicant is told). The row is locked and read again; if the
/// workflow no longer allows the step there (it moved on meanwhile), nothing happens and `None`
/// is answered. Otherwise the same record as any step: history, audit record and notices.
pub fn portal_step(conn: &mut DbConn, meta: &RequestMeta, origin: &str, id: i64, action: Action, note: Option<&str>) -> Result<Option<ApplicationState>, AppError> {
    diesel::update(applications::table.find(id)).set(applications::id.eq(id)).execute(conn)?;
    let Some(case) = super::load_case(conn, id)? else { return Ok(None) };
    let before = case.situation();
    let Ok(after) = review::next(&before, action, None, &review::Actor::new(Role::System)) else { return Ok(None) };
    if before.proposal.is_some() && after.proposal.is_none() {
        super::release_reservation(conn, case.row.program_id, id)?;
    }
    store_step(conn, &case, &before, &after, None, None)?;
    if !after.state.live() {
        diesel::update(application_keys::table.filter(application_keys::application_id.eq(id))).set(application_keys::active.eq(false)).execute(conn)?;
    }
    let part = Part { role: Role::System, agency_id: Some(case.lead_agency_id) };
    let kind = if after.state == ApplicationState::Rejected { "rejected" } else { action.as_str() };
    let round = after.round as i32;
    super::history(conn, id, kind, (Some(before.state), Some(after.state)), Some(&part), None, round, note, false)?;
    let detail = serde_json::json!({
        "action": action.as_str(),
        "from_state": before.state,
        "to_state": after.state,
        "role": super::role_name(Role::System),
        "agency_id": case.lead_agency_id,
        "round": round,
        "comment": note,
    });
    record(conn, meta, Event::new("application_review_step").object("application", id).detail(detail))?;
    let now_case = super::load_case(conn, id)?.ok_or(AppError::NotFound("the application"))?;
    // Nobody took this step, so nobody is left out of its notices.
    super::notices::after_step(conn, origin, &case, &now_case, 0, note)?;
    Ok(Some(after.state))
}

/// The reason given with this round's rejection proposal.
fn proposal_reason(conn: &mut DbConn, id: i64, round: i32) -> QueryResult<Option<String>> {
    application_events::table
        .filter(application_events::application_id.eq(id))
        .filter(application_events::round.eq(round))
        .filter(application_events::kind.eq(Action::ProposeRejection.as_str()))
        .order(application_events::id.desc())
        .select(application_events::note)
        .first::<Option<String>>(conn)
        .optional()
        .map(Option::flatten)
}

fn budget_field() -> FieldErrors {
    let mut fields = FieldErrors::new();
    push_field_error(&mut fields, "amount_fen", "budget_exceeded", "More than the program's budget left.");
    fields
}

/// A resubmission: the project may have changed in answer to flags, so its duplicate-funding
/// keys are put in force again (409 `duplicate_funding` naming what matched).
fn refresh_keys(conn: &mut DbConn, case: &Case) -> Result<(), AppError> {
    let project: shared::filing::Project = serde_json::from_str::<serde_json::Value>(&case.row.project)
        .ok()
        .and_then(|v| shared::filing::Project::from_json(case.definition.kind, v).ok())
        .unwrap_or_else(|| shared::filing::Project::empty(case.definition.kind));
    let keys = project.funding_keys();
    let matched = crate::funding::duplicate_funding(conn, case.row.id, &keys)?;
    if !matched.is_empty() {
        return Err(AppError::Refused { code: "duplicate_funding", message: "The same project is already in another open or funded application.".into(), fields: matched });
    }
    crate::funding::activate_keys(conn, case.row.id, &keys)
}

/// Whether material `code` of application `id` may be replaced now: it is flagged, unanswered,
/// in the current round of a return for supplement.
pub fn material_flagged(conn: &mut DbConn, id: i64, code: &str) -> QueryResult<bool> {
    let row: Option<(i32, i32)> = applications::table.find(id).select((applications::state, applications::review_round)).first(conn).optional()?;
    let Some((state, round)) = row else { return Ok(false) };
    if state != ApplicationState::ReturnedForSupplement.code() {
        return Ok(false);
    }
    diesel::select(diesel::dsl::exists(
        supplement_flags::table
            .filter(supplement_flags::application_id.eq(id))
            .filter(supplement_flags::round.eq(round))
            .filter(supplement_flags::material_code.eq(code))
            .filter(supplement_flags::answered_at.is_null()),
    ))
    .get_result(conn)
}

/// The actions the caller may take on an application now, with the state they apply to.
#[utoipa::path(get, path = "/api/v1/applications/{id}/actions", tag = "review", params(("id" = i64, Path)),
    responses((status = 200, body = ActionsView), (status = 401, description = "`unauthenticated`"),
        (status = 404, description = "`not_found`: no such application, or not one the caller may read")))]
#[get("/applications/{id}/actions")]
pub async fn get_actions(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| actions_view(conn, &identity, id)).await?))
}

/// Take one step of the review workflow. Every step has this one shape: `action`, the
/// `expected_state` the caller saw, a `comment`, and what the action needs (`flags` and
/// `deadline_working_days` for a return for supplement, `amount_fen` for a proposed approval,
/// `to_stage` for a return from the decision). After the decision the same route takes
/// `approve` (once the public notice has closed with no objection open), `revoke` (the lead
/// agency's agency lead, with the reason in `comment`) and `close` (paid in full and accepted);
/// a notice and a payment have routes of their own. Answers with what the caller may do next.
#[utoipa::path(post, path = "/api/v1/applications/{id}/actions", tag = "review", params(("id" = i64, Path)), request_body = ActionRequest,
    responses((status = 200, body = ActionsView, description = "The step was taken; what the caller may do now"),
        (status = 401, description = "`unauthenticated`"),
        (status = 403, description = "`action_not_allowed`: not an action of the caller's part at this stage; `email_unverified`"),
        (status = 404, description = "`not_found`: no such application, or not one the caller may read"),
        (status = 409, description = "`state_changed` (with `current_state`): it is no longer in `expected_state`; `application_closed`; `flags_unanswered`; `experts_pending`; `proposal_exists`; `no_proposal`; `already_signed`; `lead_not_signed`; `already_decided`; `budget_exceeded`; `duplicate_funding` (a resubmission); `notice_open` or `objection_open` (an `approve` before the notice has closed clear); `not_accepted` or `not_paid_in_full` (a `close` too early)"),
        (status = 422, description = "`action` unknown; `comment` missing or too long; `flags.*` invalid; `deadline_working_days` out of range; `amount_fen` missing, not positive or `above_computed`; `to_stage` `stage_not_earlier`")))]
#[post("/applications/{id}/actions")]
pub async fn post_action(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<i64>, body: web::Json<ActionRequest>) -> Result<HttpResponse, AppError> {
    let (id, meta, who, body) = (path.into_inner(), RequestMeta::from_request(&req), identity.clone(), body.into_inner());
    let origin = state.settings.public_origin().to_string();
    state.db.write(move |conn| act(conn, &meta, &who, id, &body, &origin)).await?;
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| actions_view(conn, &identity, id)).await?))
}
