//! The expert stage: the pool (system admins keep it), the draw (the lead agency's agency lead,
//! at random by specialty, never someone tied to the applicant, within the workload cap), each
//! expert's declaration (no conflict, or recusal with a reason and a replacement drawn), the
//! score sheets (independent: an expert sees no other score), and the stage completing by the
//! program's rule, which the portal itself moves on.

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::seq::IndexedRandom;
use shared::applications::ApplicationState;
use shared::experts::{self, AssignmentStatus, AssignmentView, BatchDrawRequest, BatchDrawn, CriterionScore, Declaration, DrawRequest, ExpertInput, ExpertTies, ExpertView, PanelMember, PanelView, ScoreSheet};
use shared::review::{Role, MAX_COMMENT};

use super::{Case, Part};
use crate::accounts::audit::{record, Event, RequestMeta};
use crate::accounts::identity::{AgencyStaff, Expert, SystemAdmin};
use crate::db::schema::{applications, enterprises, expert_assignments, expert_profiles, expert_scores, programs, user_roles, users};
use crate::db::{now, DbConn};
use crate::error::{push_field_error, AppError, FieldErrors};
use crate::principal::Identity;
use crate::state::AppState;

/// A pool entry's stored row.
type ProfileRow = (i64, String, String, String, String);

fn ties_of(row: &ProfileRow) -> ExpertTies {
    ExpertTies {
        employer_credit_code: row.2.clone(),
        past_employers: serde_json::from_str(&row.3).unwrap_or_default(),
        related_parties: serde_json::from_str(&row.4).unwrap_or_default(),
    }
}

/// A credit code as stored: normalised, and valid (else a field error at `field`).
fn credit_code(fields: &mut FieldErrors, field: &str, text: &str) -> String {
    match shared::CreditCode::parse(text) {
        Ok(code) => code.as_str().to_string(),
        Err(e) => {
            push_field_error(fields, field, e.code(), "Not a valid unified social credit code.");
            String::new()
        }
    }
}

/// Save expert `user_id`'s pool entry (system admins), inside the caller's write.
pub fn save_expert(conn: &mut DbConn, meta: &RequestMeta, admin: i64, user_id: i64, input: &ExpertInput) -> Result<ExpertView, AppError> {
    let is_expert: bool = diesel::select(diesel::dsl::exists(user_roles::table.filter(user_roles::user_id.eq(user_id)).filter(user_roles::role.eq("expert")))).get_result(conn)?;
    if !is_expert {
        return Err(AppError::NotFound("the expert"));
    }
    let mut fields = FieldErrors::new();
    let specialties: Vec<String> = input.specialties.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    if specialties.is_empty() {
        push_field_error(&mut fields, "specialties", "required", "An expert needs at least one specialty.");
    }
    if specialties.len() > 10 || specialties.iter().any(|s| s.chars().count() > 50 || s.contains([';', '；'])) {
        push_field_error(&mut fields, "specialties", "out_of_range", "At most 10 specialties of 50 characters each.");
    }
    let employer = credit_code(&mut fields, "employer_credit_code", &input.employer_credit_code);
    let today = super::today();
    if input.past_employers.len() > 20 {
        push_field_error(&mut fields, "past_employers", "out_of_range", "At most 20 earlier employers.");
    }
    let mut past = Vec::new();
    for (i, p) in input.past_employers.iter().enumerate() {
        let code = credit_code(&mut fields, &format!("past_employers.{i}.credit_code"), &p.credit_code);
        if p.until > today {
            push_field_error(&mut fields, &format!("past_employers.{i}.until"), "in_future", "The day an earlier employment ended is not in the future.");
        }
        past.push(experts::PastEmployer { credit_code: code, until: p.until });
    }
    if input.related_parties.len() > 50 {
        push_field_error(&mut fields, "related_parties", "out_of_range", "At most 50 related parties.");
    }
    let related: Vec<String> = input.related_parties.iter().enumerate().map(|(i, c)| credit_code(&mut fields, &format!("related_parties.{i}"), c)).collect();
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let past_json = serde_json::to_string(&past).map_err(|e| AppError::Internal(e.into()))?;
    let related_json = serde_json::to_string(&related).map_err(|e| AppError::Internal(e.into()))?;
    let t = now();
    let joined = specialties.join("; ");
    let values = || (
        expert_profiles::specialties.eq(joined.clone()),
        expert_profiles::employer_credit_code.eq(employer.clone()),
        expert_profiles::past_employers.eq(past_json.clone()),
        expert_profiles::related_parties.eq(related_json.clone()),
        expert_profiles::updated_at.eq(t),
    );
    let updated = diesel::update(expert_profiles::table.find(user_id)).set(values()).execute(conn)?;
    if updated == 0 {
        diesel::insert_into(expert_profiles::table).values((expert_profiles::user_id.eq(user_id), values())).execute(conn)?;
    }
    let detail = serde_json::json!({ "specialties": specialties, "employer_credit_code": employer, "past_employers": past, "related_parties": related });
    record(conn, meta, Event::new("expert_profile_saved").actor(admin).subject(user_id).detail(detail))?;
    Ok(pool(conn, Some(user_id))?.into_iter().next().ok_or(AppError::NotFound("the expert"))?)
}

/// The pool (or one entry), by name.
pub fn pool(conn: &mut DbConn, only: Option<i64>) -> QueryResult<Vec<ExpertView>> {
    let mut q = expert_profiles::table
        .inner_join(users::table.on(users::id.eq(expert_profiles::user_id)))
        .select((
            (expert_profiles::user_id, expert_profiles::specialties, expert_profiles::employer_credit_code, expert_profiles::past_employers, expert_profiles::related_parties),
            users::display_name,
            users::email,
        ))
        .order(users::display_name)
        .into_boxed();
    if let Some(id) = only {
        q = q.filter(expert_profiles::user_id.eq(id));
    }
    let rows: Vec<(ProfileRow, String, String)> = q.load(conn)?;
    let mut out = Vec::new();
    for (row, name, email) in rows {
        let workload: i64 =
            expert_assignments::table.filter(expert_assignments::expert_user_id.eq(row.0)).filter(expert_assignments::status.ne("recused")).count().get_result(conn)?;
        out.push(ExpertView { user_id: row.0, display_name: name, email, specialties: experts::specialties(&row.1), ties: ties_of(&row), workload });
    }
    Ok(out)
}

/// Every specialty in the pool, sorted (what a draw may ask for).
pub fn specialties(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    let lists: Vec<String> = expert_profiles::table.select(expert_profiles::specialties).load(conn)?;
    let mut all: Vec<String> = lists.iter().flat_map(|l| experts::specialties(l)).collect();
    all.sort();
    all.dedup();
    Ok(all)
}

/// Draw `count` experts with `specialty` for application `id` at random, inside the caller's
/// write: the lead agency's agency lead, in the expert stage. Never drawn: someone already on
/// this round's panel (recused ones included), tied to the applicant (`shared::experts::tie`),
/// or at the program's workload cap. The program's row is locked first, so draws for the same
/// program run one after another and the cap holds. Too few candidates draws nobody (409
/// `not_enough_experts`). Answers the new assignments' ids.
pub fn draw(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, id: i64, req: &DrawRequest, origin: &str) -> Result<Vec<i64>, AppError> {
    let specialty = req.specialty.trim();
    if specialty.is_empty() {
        return Err(AppError::field("specialty", "required", "Say which specialty to draw from."));
    }
    draw_one(conn, meta, identity, id, specialty, req.count, origin)
}

fn draw_one(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, id: i64, specialty: &str, count: Option<u32>, origin: &str) -> Result<Vec<i64>, AppError> {
    let case = super::load_readable(conn, identity, id)?;
    let part = super::parts(identity, &case).into_iter().find(|p| p.role == Role::AgencyLead);
    let Some(part) = part else {
        return Err(AppError::Forbidden { code: "action_not_allowed", message: "Only the lead agency's agency lead draws experts." });
    };
    if case.state() != ApplicationState::ExpertReview {
        return Err(AppError::StateChanged(case.state()));
    }
    let panel = panel_rows(conn, id, case.round())?;
    let active = panel.iter().filter(|m| m.status != AssignmentStatus::Recused).count() as u32;
    let rules = case.definition.experts;
    let count = count.unwrap_or(rules.panel_size.saturating_sub(active));
    if count == 0 || count > 15 {
        return Err(AppError::field("count", "out_of_range", "Draw between 1 and 15 experts."));
    }
    draw_into(conn, meta, origin, &case, Some(&part), identity.user_id, specialty, count)
}

/// The same draw for each of `req.application_ids`, inside the caller's write: all drawn, or
/// (the first refusal, naming the application as `application_ids.<i>`) none. The programs'
/// rows are locked first in one order, so two batches never wait on each other in a circle;
/// each expert's workload counts what the batch has drawn before it.
pub fn draw_batch(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, req: &BatchDrawRequest, origin: &str) -> Result<Vec<BatchDrawn>, AppError> {
    let mut fields = FieldErrors::new();
    let ids = &req.application_ids;
    if ids.is_empty() || ids.len() > experts::MAX_BATCH {
        push_field_error(&mut fields, "application_ids", "out_of_range", format!("Choose between 1 and {} applications.", experts::MAX_BATCH));
    }
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            push_field_error(&mut fields, &format!("application_ids.{i}"), "duplicate", "The same application twice.");
        }
    }
    let specialty = req.specialty.trim();
    if specialty.is_empty() {
        push_field_error(&mut fields, "specialty", "required", "Say which specialty to draw from.");
    }
    if req.count.is_some_and(|c| c == 0 || c > 15) {
        push_field_error(&mut fields, "count", "out_of_range", "Draw between 1 and 15 experts.");
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let mut program_ids: Vec<i64> = applications::table.filter(applications::id.eq_any(ids)).select(applications::program_id).distinct().load(conn)?;
    program_ids.sort_unstable();
    for p in &program_ids {
        diesel::update(programs::table.find(p)).set(programs::id.eq(p)).execute(conn)?;
    }
    let mut out = Vec::new();
    for (i, id) in ids.iter().copied().enumerate() {
        let assignment_ids = draw_one(conn, meta, identity, id, specialty, req.count, origin).map_err(|e| in_batch(i, id, e))?;
        out.push(BatchDrawn { application_id: id, assignment_ids });
    }
    Ok(out)
}

/// A refusal for the `i`th application of a batch, named as field `application_ids.<i>`.
fn in_batch(i: usize, id: i64, e: AppError) -> AppError {
    let field = format!("application_ids.{i}");
    let one = |code: &str, message: String| {
        let mut fields = FieldErrors::new();
        push_field_error(&mut fields, &field, code, message);
        fields
    };
    match e {
        AppError::NotFound(_) => AppError::Validation(one("not_found", format!("No application {id} that you may draw experts for."))),
        AppError::Validation(inner) => {
            let mut fields = FieldErrors::new();
            for (_, errors) in inner {
                for err in errors {
                    push_field_error(&mut fields, &field, &err.code, format!("Application {id}: {}", err.message));
                }
            }
            AppError::Validation(fields)
        }
        AppError::StateChanged(now) => {
            let message = format!("Application {id} is no longer in the expert stage; it is now {}.", now.as_str());
            AppError::Refused { code: "state_changed", fields: one("state_changed", message.clone()), message }
        }
        AppError::Conflict { code, message } => {
            let message = format!("Application {id}: {message}");
            AppError::Refused { code, fields: one(code, message.clone()), message }
        }
        other => other,
    }
}

/// Draw `count` experts into `case`'s current panel (also the replacement for a recusal).
#[allow(clippy::too_many_arguments)]
fn draw_into(conn: &mut DbConn, meta: &RequestMeta, origin: &str, case: &Case, part: Option<&Part>, by: i64, specialty: &str, count: u32) -> Result<Vec<i64>, AppError> {
    let id = case.row.id;
    let program_id = case.row.program_id;
    diesel::update(programs::table.find(program_id)).set(programs::id.eq(program_id)).execute(conn)?;
    let (credit_code, excluded) = applicant_of(conn, case)?;
    let today = super::today();
    let round = case.round();
    let on_panel: Vec<i64> =
        expert_assignments::table.filter(expert_assignments::application_id.eq(id)).filter(expert_assignments::round.eq(round)).select(expert_assignments::expert_user_id).load(conn)?;
    let rows: Vec<ProfileRow> = expert_profiles::table
        .inner_join(user_roles::table.on(user_roles::user_id.eq(expert_profiles::user_id)))
        .inner_join(users::table.on(users::id.eq(expert_profiles::user_id)))
        .filter(user_roles::role.eq("expert"))
        .filter(users::disabled_at.is_null())
        .select((expert_profiles::user_id, expert_profiles::specialties, expert_profiles::employer_credit_code, expert_profiles::past_employers, expert_profiles::related_parties))
        .load(conn)?;
    // Each expert's assignments in this program (recusals aside), against the program's cap.
    let loads: Vec<(i64, i64)> = expert_assignments::table
        .filter(expert_assignments::program_id.eq(program_id))
        .filter(expert_assignments::status.ne("recused"))
        .group_by(expert_assignments::expert_user_id)
        .select((expert_assignments::expert_user_id, diesel::dsl::count_star()))
        .load(conn)?;
    let cap = i64::from(case.definition.experts.workload_cap);
    let mut candidates = Vec::new();
    for row in &rows {
        if on_panel.contains(&row.0) || !experts::has_specialty(&row.1, specialty) || experts::tie(&ties_of(row), &credit_code, &excluded, today).is_some() {
            continue;
        }
        let load = loads.iter().find(|(e, _)| *e == row.0).map_or(0, |(_, n)| *n);
        if load < cap {
            candidates.push(row.0);
        }
    }
    if candidates.len() < count as usize {
        let message = format!("Only {} experts with this specialty may be drawn for this application; {count} were asked.", candidates.len());
        return Err(AppError::Conflict { code: "not_enough_experts", message });
    }
    let chosen: Vec<i64> = candidates.choose_multiple(&mut rand::rng(), count as usize).copied().collect();
    let t = now();
    let mut ids = Vec::new();
    for expert in &chosen {
        let assignment: i64 = diesel::insert_into(expert_assignments::table)
            .values((
                expert_assignments::application_id.eq(id),
                expert_assignments::program_id.eq(program_id),
                expert_assignments::round.eq(round),
                expert_assignments::expert_user_id.eq(expert),
                expert_assignments::specialty.eq(specialty),
                expert_assignments::status.eq(AssignmentStatus::Drawn.as_str()),
                expert_assignments::drawn_at.eq(t),
                expert_assignments::drawn_by.eq(by),
            ))
            .returning(expert_assignments::id)
            .get_result(conn)?;
        ids.push(assignment);
    }
    let note = format!("{count} × {specialty}");
    super::history(conn, id, "experts_drawn", (None, None), part, Some(by), round, Some(&note), true)?;
    let notice = super::notices::Notice { kind: shared::notifications::NoticeKind::ExpertDrawn, application_id: id, stage: ApplicationState::ExpertReview, note: None, due: case.row.stage_due_on };
    super::notices::send(conn, origin, &chosen, &notice)?;
    let detail = serde_json::json!({ "specialty": specialty, "count": count, "candidates": candidates.len(), "experts": chosen, "assignments": ids, "round": round });
    record(conn, meta, Event::new("experts_drawn").actor(by).object("application", id).detail(detail))?;
    Ok(ids)
}

/// The applicant's credit code and the organisations it asked to keep off its panel.
fn applicant_of(conn: &mut DbConn, case: &Case) -> Result<(String, Vec<String>), AppError> {
    let (code, excluded): (String, String) =
        applications::table.inner_join(enterprises::table).filter(applications::id.eq(case.row.id)).select((enterprises::credit_code, applications::excluded_orgs)).first(conn)?;
    Ok((code, serde_json::from_str(&excluded).unwrap_or_default()))
}

/// One member of a round's panel, as stored.
struct Member {
    id: i64,
    name: String,
    specialty: String,
    status: AssignmentStatus,
    recusal_reason: Option<String>,
    total: Option<i32>,
}

fn panel_rows(conn: &mut DbConn, id: i64, round: i32) -> QueryResult<Vec<Member>> {
    type Row = (i64, String, String, String, Option<String>, Option<i32>);
    let rows: Vec<Row> = expert_assignments::table
        .inner_join(users::table.on(users::id.eq(expert_assignments::expert_user_id)))
        .filter(expert_assignments::application_id.eq(id))
        .filter(expert_assignments::round.eq(round))
        .order(expert_assignments::id)
        .select((
            expert_assignments::id,
            users::display_name,
            expert_assignments::specialty,
            expert_assignments::status,
            expert_assignments::recusal_reason,
            expert_assignments::total,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| Member { id: r.0, name: r.1, specialty: r.2, status: AssignmentStatus::parse(&r.3).unwrap_or(AssignmentStatus::Drawn), recusal_reason: r.4, total: r.5 })
        .collect())
}

/// How a round's panel stands against the program's rule: (scored, assigned, result).
pub fn tally(conn: &mut DbConn, case: &Case) -> QueryResult<(u32, u32, Option<i64>)> {
    let members = panel_rows(conn, case.row.id, case.round())?;
    let assigned = members.iter().filter(|m| m.status != AssignmentStatus::Recused).count() as u32;
    let totals: Vec<u32> = members.iter().filter(|m| m.status == AssignmentStatus::Confirmed).filter_map(|m| m.total).map(|t| t.max(0) as u32).collect();
    Ok((totals.len() as u32, assigned, experts::panel_result_milli(&totals, case.definition.experts.drop_extremes)))
}

/// The experts on a round's panel who have confirmed no conflict (they read the application).
pub fn confirmed_experts(conn: &mut DbConn, id: i64, round: i32) -> QueryResult<Vec<i64>> {
    expert_assignments::table
        .filter(expert_assignments::application_id.eq(id))
        .filter(expert_assignments::round.eq(round))
        .filter(expert_assignments::status.eq(AssignmentStatus::Confirmed.as_str()))
        .select(expert_assignments::expert_user_id)
        .load(conn)
}

/// Assignment `assignment` of the calling expert (404 for anyone else's), with its case.
fn own_assignment(conn: &mut DbConn, identity: &Identity, assignment: i64) -> Result<(i64, i64, i32, AssignmentStatus, Option<NaiveDateTime>, String, Case), AppError> {
    let row: Option<(i64, i64, i32, String, Option<NaiveDateTime>, String)> = expert_assignments::table
        .find(assignment)
        .filter(expert_assignments::expert_user_id.eq(identity.user_id))
        .select((expert_assignments::id, expert_assignments::application_id, expert_assignments::round, expert_assignments::status, expert_assignments::scored_at, expert_assignments::specialty))
        .first(conn)
        .optional()?;
    let Some((aid, app_id, round, status, scored, specialty)) = row else {
        return Err(AppError::NotFound("the assignment"));
    };
    let case = super::load_case(conn, app_id)?.ok_or(AppError::NotFound("the assignment"))?;
    Ok((aid, app_id, round, AssignmentStatus::parse(&status).unwrap_or(AssignmentStatus::Drawn), scored, specialty, case))
}

/// Whether the expert may still act on an assignment of `round`: the application is in the
/// expert stage of that round.
fn open(case: &Case, round: i32) -> bool {
    case.state() == ApplicationState::ExpertReview && case.round() == round
}

/// The calling expert declares on assignment `assignment`, inside the caller's write: no
/// conflict (confirmed: the application opens to them), or a conflict with a reason (recused;
/// a replacement with the same specialty is drawn at once when one can be).
pub fn declare(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, assignment: i64, body: &Declaration, origin: &str) -> Result<(), AppError> {
    let (aid, app_id, round, status, _, specialty, case) = own_assignment(conn, identity, assignment)?;
    if !open(&case, round) {
        return Err(AppError::StateChanged(case.state()));
    }
    if status != AssignmentStatus::Drawn {
        return Err(AppError::Conflict { code: "already_declared", message: "You have already declared on this assignment.".into() });
    }
    let reason = body.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if body.conflict && reason.is_none() {
        return Err(AppError::field("reason", "required", "Say what ties you to the applicant."));
    }
    if reason.is_some_and(|r| r.chars().count() > MAX_COMMENT) {
        return Err(AppError::field("reason", "too_long", format!("At most {MAX_COMMENT} characters.")));
    }
    let t = now();
    let to = if body.conflict { AssignmentStatus::Recused } else { AssignmentStatus::Confirmed };
    let changed = diesel::update(expert_assignments::table.find(aid).filter(expert_assignments::status.eq(AssignmentStatus::Drawn.as_str())))
        .set((expert_assignments::status.eq(to.as_str()), expert_assignments::declared_at.eq(t), expert_assignments::recusal_reason.eq(if body.conflict { reason } else { None })))
        .execute(conn)?;
    if changed == 0 {
        return Err(AppError::Conflict { code: "already_declared", message: "You have already declared on this assignment.".into() });
    }
    let detail = serde_json::json!({ "assignment_id": aid, "conflict": body.conflict, "reason": reason });
    record(conn, meta, Event::new("expert_declared").actor(identity.user_id).object("application", app_id).detail(detail))?;
    if body.conflict {
        super::history(conn, app_id, "expert_recused", (None, None), None, Some(identity.user_id), round, reason, true)?;
        // A replacement, when the pool has one; otherwise the agency lead draws later.
        match draw_into(conn, meta, origin, &case, None, identity.user_id, &specialty, 1) {
            Ok(_) | Err(AppError::Conflict { code: "not_enough_experts", .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The calling expert's score sheet for assignment `assignment`, inside the caller's write:
/// confirmed, not scored before, in the stage and round it was drawn for; one line per
/// criterion of the rubric (422 by line). When the program's completion rule is then met, the
/// expert stage completes: the portal moves the application to the agencies' decision with the
/// panel's result.
pub fn score(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, assignment: i64, sheet: &ScoreSheet, origin: &str) -> Result<(), AppError> {
    let (aid, app_id, round, status, scored, _, case) = own_assignment(conn, identity, assignment)?;
    // The application's row, locked: the sheet that completes the stage is counted once.
    diesel::update(applications::table.find(app_id)).set(applications::id.eq(app_id)).execute(conn)?;
    if !open(&case, round) {
        return Err(AppError::StateChanged(case.state()));
    }
    if status != AssignmentStatus::Confirmed {
        return Err(AppError::Conflict { code: "not_confirmed", message: "Declare that you have no conflict of interest first.".into() });
    }
    if scored.is_some() {
        return Err(AppError::Conflict { code: "already_scored", message: "Your score sheet is already in.".into() });
    }
    let rubric = &case.definition.rubric;
    let problems = experts::sheet_problems(rubric, &sheet.scores);
    if !problems.is_empty() {
        let mut fields = FieldErrors::new();
        for (field, code) in problems {
            push_field_error(&mut fields, &field, code, "Each criterion of the rubric once, from 0 to its maximum, with a comment.");
        }
        return Err(AppError::Validation(fields));
    }
    let lines: Vec<(String, u32)> = sheet.scores.iter().map(|s| (s.code.clone(), s.score)).collect();
    let total = experts::weighted_total(rubric, &lines);
    for s in &sheet.scores {
        diesel::insert_into(expert_scores::table)
            .values((expert_scores::assignment_id.eq(aid), expert_scores::code.eq(&s.code), expert_scores::score.eq(s.score as i32), expert_scores::comment.eq(s.comment.trim())))
            .execute(conn)?;
    }
    let t = now();
    diesel::update(expert_assignments::table.find(aid)).set((expert_assignments::scored_at.eq(t), expert_assignments::total.eq(total as i32))).execute(conn)?;
    record(conn, meta, Event::new("expert_scored").actor(identity.user_id).object("application", app_id).detail(serde_json::json!({ "assignment_id": aid, "total": total, "scores": sheet.scores })))?;
    let (scored, assigned, result) = tally(conn, &case)?;
    if case.definition.experts.completion.met(scored, assigned) {
        let mut before = case.situation();
        before.experts_done = true;
        let after = shared::review::next(&before, shared::review::Action::Pass, None, &shared::review::Actor::new(Role::System)).map_err(super::refusal_error)?;
        super::actions::store_step(conn, &case, &before, &after, None, None)?;
        diesel::update(applications::table.find(app_id)).set(applications::expert_result_milli.eq(result)).execute(conn)?;
        let part = Part { role: Role::System, agency_id: None };
        super::history(conn, app_id, "experts_complete", (Some(before.state), Some(after.state)), Some(&part), None, case.round(), None, false)?;
        let detail = serde_json::json!({ "scored": scored, "assigned": assigned, "rule": String::from(case.definition.experts.completion), "result_milli": result });
        record(conn, meta, Event::new("expert_stage_completed").actor(identity.user_id).object("application", app_id).detail(detail))?;
        let now_case = super::load_case(conn, app_id)?.ok_or(AppError::NotFound("the application"))?;
        super::notices::after_step(conn, origin, &case, &now_case, identity.user_id, None)?;
    }
    Ok(())
}

/// The calling expert's assignments, newest first.
pub fn assignments(conn: &mut DbConn, identity: &Identity) -> Result<Vec<AssignmentView>, AppError> {
    type Row = (i64, i64, i32, String, String, NaiveDateTime, Option<NaiveDateTime>);
    let rows: Vec<Row> = expert_assignments::table
        .filter(expert_assignments::expert_user_id.eq(identity.user_id))
        .order(expert_assignments::id.desc())
        .limit(200)
        .select((
            expert_assignments::id,
            expert_assignments::application_id,
            expert_assignments::round,
            expert_assignments::specialty,
            expert_assignments::status,
            expert_assignments::drawn_at,
            expert_assignments::scored_at,
        ))
        .load(conn)?;
    let mut out = Vec::new();
    for (aid, app_id, round, specialty, status, drawn_at, scored_at) in rows {
        let Some(case) = super::load_case(conn, app_id)? else { continue };
        let (company_name, company_credit_code, title, program_code): (String, String, String, String) = applications::table
            .inner_join(enterprises::table)
            .inner_join(programs::table)
            .filter(applications::id.eq(app_id))
            .select((enterprises::name_zh, enterprises::credit_code, applications::title, programs::code))
            .first(conn)?;
        let status = AssignmentStatus::parse(&status).unwrap_or(AssignmentStatus::Drawn);
        out.push(AssignmentView {
            id: aid,
            application_id: app_id,
            program_code,
            program_title: case.definition.title.clone(),
            company_name,
            company_credit_code,
            project_title: title,
            specialty,
            status,
            drawn_at: drawn_at.and_utc(),
            scored: scored_at.is_some(),
            rubric: if status == AssignmentStatus::Confirmed { case.definition.rubric.clone() } else { Vec::new() },
            open: open(&case, round),
        });
    }
    Ok(out)
}

/// An application's current panel for the staff of the agencies that review it (never the
/// applicant, never an expert: an expert sees no other score).
pub fn panel(conn: &mut DbConn, identity: &Identity, id: i64) -> Result<PanelView, AppError> {
    let case = super::load_readable(conn, identity, id)?;
    panel_for(conn, identity, &case)
}

/// [`panel`] of a case already read (and found readable by the caller).
pub fn panel_for(conn: &mut DbConn, identity: &Identity, case: &Case) -> Result<PanelView, AppError> {
    let id = case.row.id;
    let agency_staff = super::parts(identity, &case).iter().any(|p| matches!(p.role, Role::Reviewer | Role::AgencyLead | Role::CoReviewLead));
    if !agency_staff && !identity.is_admin() {
        return Err(AppError::NotFound("the panel"));
    }
    let members = panel_rows(conn, id, case.round())?;
    let (scored, assigned, result) = tally(conn, &case)?;
    let rules = case.definition.experts;
    let mut out = Vec::new();
    for m in members {
        let scores: Vec<(String, i32, String)> = expert_scores::table
            .filter(expert_scores::assignment_id.eq(m.id))
            .select((expert_scores::code, expert_scores::score, expert_scores::comment))
            .load(conn)?;
        out.push(PanelMember {
            assignment_id: m.id,
            expert_name: m.name,
            specialty: m.specialty,
            status: m.status,
            recusal_reason: m.recusal_reason,
            total: m.total.map(|t| t.max(0) as u32),
            scores: {
                // In the rubric's order.
                let rubric = &case.definition.rubric;
                let mut lines: Vec<CriterionScore> = scores.into_iter().map(|(code, score, comment)| CriterionScore { code, score: score.max(0) as u32, comment }).collect();
                lines.sort_by_key(|l| rubric.iter().position(|r| r.code == l.code).unwrap_or(usize::MAX));
                lines
            },
        });
    }
    let complete = rules.completion.met(scored, assigned);
    Ok(PanelView {
        round: case.round().max(0) as u32,
        completion: rules.completion.into(),
        complete,
        result_milli: if complete { result } else { None },
        max_total: experts::max_total(&case.definition.rubric),
        members: out,
    })
}

/// The expert pool (system admins; agency leads, who draw from it).
#[utoipa::path(get, path = "/api/v1/admin/experts", tag = "review",
    responses((status = 200, body = Vec<ExpertView>), (status = 401, description = "`unauthenticated`"), (status = 403, description = "`forbidden`: not a system admin or agency staff")))]
#[get("/admin/experts")]
pub async fn get_experts(state: web::Data<AppState>, identity: Identity) -> Result<HttpResponse, AppError> {
    if !identity.is_admin() && !identity.has(shared::accounts::Role::AgencyLead) {
        return Err(AppError::forbidden());
    }
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| Ok::<_, AppError>(pool(conn, None)?)).await?))
}

/// Keep an expert's pool entry: specialties, employer, earlier employers with the day each
/// ended, declared related parties (credit codes). The person must have the expert role.
#[utoipa::path(put, path = "/api/v1/admin/experts/{user_id}", tag = "review", params(("user_id" = i64, Path)), request_body = ExpertInput,
    responses((status = 200, body = ExpertView), (status = 401, description = "`unauthenticated`"), (status = 403, description = "`forbidden`: not a system admin"),
        (status = 404, description = "`not_found`: no such expert"), (status = 422, description = "`specialties` missing or too many; a credit code not valid; an earlier employment ending in the future")))]
#[put("/admin/experts/{user_id}")]
pub async fn put_expert(state: web::Data<AppState>, req: HttpRequest, SystemAdmin(admin): SystemAdmin, path: web::Path<i64>, body: web::Json<ExpertInput>) -> Result<HttpResponse, AppError> {
    let (user_id, meta, body) = (path.into_inner(), RequestMeta::from_request(&req), body.into_inner());
    Ok(HttpResponse::Ok().json(state.db.write(move |conn| save_expert(conn, &meta, admin.user_id, user_id, &body)).await?))
}

/// Draw experts for an application at random by specialty (the lead agency's agency lead, in
/// the expert stage). Answers the panel.
#[utoipa::path(post, path = "/api/v1/applications/{id}/expert-draw", tag = "review", params(("id" = i64, Path)), request_body = DrawRequest,
    responses((status = 200, body = PanelView), (status = 401, description = "`unauthenticated`"), (status = 403, description = "`action_not_allowed`: not the lead agency's agency lead"),
        (status = 404, description = "`not_found`"), (status = 409, description = "`state_changed` (with `current_state`): not in the expert stage; `not_enough_experts`: fewer candidates than asked (nobody drawn)"),
        (status = 422, description = "`specialty` missing; `count` out of range")))]
#[post("/applications/{id}/expert-draw")]
pub async fn post_expert_draw(state: web::Data<AppState>, req: HttpRequest, AgencyStaff(identity): AgencyStaff, path: web::Path<i64>, body: web::Json<DrawRequest>) -> Result<HttpResponse, AppError> {
    let (id, meta, who, body) = (path.into_inner(), RequestMeta::from_request(&req), identity.clone(), body.into_inner());
    let origin = state.settings.public_origin().to_string();
    state.db.write(move |conn| draw(conn, &meta, &who, id, &body, &origin)).await?;
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| panel(conn, &identity, id)).await?))
}

/// Draw experts for several applications at once (the lead agency's agency lead): the same
/// specialty and count for each, all drawn or none. Answers what was drawn for each.
#[utoipa::path(post, path = "/api/v1/expert-draws", tag = "review", request_body = BatchDrawRequest,
    responses((status = 200, body = Vec<BatchDrawn>), (status = 401, description = "`unauthenticated`"),
        (status = 403, description = "`forbidden`: not agency staff; `action_not_allowed`: an application whose lead agency's agency lead the caller is not"),
        (status = 409, description = "`state_changed`: an application not in the expert stage; `not_enough_experts`: too few candidates for one (nobody drawn for any); `fields` names it as `application_ids.<i>`"),
        (status = 422, description = "`application_ids` empty, more than 50, or one twice (`duplicate`), or one not found (`not_found`); `specialty` missing; `count` out of range, or a panel already full")))]
#[post("/expert-draws")]
pub async fn post_expert_draws(state: web::Data<AppState>, req: HttpRequest, AgencyStaff(identity): AgencyStaff, body: web::Json<BatchDrawRequest>) -> Result<HttpResponse, AppError> {
    let (meta, body) = (RequestMeta::from_request(&req), body.into_inner());
    let origin = state.settings.public_origin().to_string();
    Ok(HttpResponse::Ok().json(state.db.write(move |conn| draw_batch(conn, &meta, &identity, &body, &origin)).await?))
}

/// An application's expert panel with each score sheet (the agencies that review it).
#[utoipa::path(get, path = "/api/v1/applications/{id}/experts", tag = "review", params(("id" = i64, Path)),
    responses((status = 200, body = PanelView), (status = 401, description = "`unauthenticated`"), (status = 404, description = "`not_found`: no such application, or not one whose panel the caller may see")))]
#[get("/applications/{id}/experts")]
pub async fn get_panel(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| panel(conn, &identity, id)).await?))
}

/// The calling expert's assignments.
#[utoipa::path(get, path = "/api/v1/expert-assignments", tag = "review",
    responses((status = 200, body = Vec<AssignmentView>), (status = 401, description = "`unauthenticated`"), (status = 403, description = "`forbidden`: not an expert")))]
#[get("/expert-assignments")]
pub async fn get_assignments(state: web::Data<AppState>, Expert(identity): Expert) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| assignments(conn, &identity)).await?))
}

/// Declare no conflict of interest (`conflict: false`), or a conflict with its `reason` (the
/// expert is recused and a replacement drawn).
#[utoipa::path(post, path = "/api/v1/expert-assignments/{id}/declaration", tag = "review", params(("id" = i64, Path)), request_body = Declaration,
    responses((status = 200, body = Vec<AssignmentView>, description = "The expert's assignments"), (status = 401, description = "`unauthenticated`"), (status = 403, description = "`forbidden`: not an expert"),
        (status = 404, description = "`not_found`: not the caller's assignment"), (status = 409, description = "`already_declared`; `state_changed` (with `current_state`): the expert stage of that round is over"),
        (status = 422, description = "`reason` missing with a conflict, or too long")))]
#[post("/expert-assignments/{id}/declaration")]
pub async fn post_declaration(state: web::Data<AppState>, req: HttpRequest, Expert(identity): Expert, path: web::Path<i64>, body: web::Json<Declaration>) -> Result<HttpResponse, AppError> {
    let (id, meta, who, body) = (path.into_inner(), RequestMeta::from_request(&req), identity.clone(), body.into_inner());
    let origin = state.settings.public_origin().to_string();
    state.db.write(move |conn| declare(conn, &meta, &who, id, &body, &origin)).await?;
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| assignments(conn, &identity)).await?))
}

/// Submit the score sheet: one line per criterion of the program's rubric (`code`, `score` from
/// 0 to its maximum, `comment`). Final once in.
#[utoipa::path(put, path = "/api/v1/expert-assignments/{id}/scores", tag = "review", params(("id" = i64, Path)), request_body = ScoreSheet,
    responses((status = 200, body = Vec<AssignmentView>, description = "The expert's assignments"), (status = 401, description = "`unauthenticated`"), (status = 403, description = "`forbidden`: not an expert"),
        (status = 404, description = "`not_found`: not the caller's assignment"),
        (status = 409, description = "`not_confirmed`: declare first; `already_scored`; `state_changed` (with `current_state`): the expert stage of that round is over"),
        (status = 422, description = "`scores.<i>.code` invalid or duplicate, `scores.<i>.score` out of range, `scores.<i>.comment` required or too long, `scores.<code>` required (a criterion not scored)")))]
#[put("/expert-assignments/{id}/scores")]
pub async fn put_scores(state: web::Data<AppState>, req: HttpRequest, Expert(identity): Expert, path: web::Path<i64>, body: web::Json<ScoreSheet>) -> Result<HttpResponse, AppError> {
    let (id, meta, who, body) = (path.into_inner(), RequestMeta::from_request(&req), identity.clone(), body.into_inner());
    let origin = state.settings.public_origin().to_string();
    state.db.write(move |conn| score(conn, &meta, &who, id, &body, &origin)).await?;
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| assignments(conn, &identity)).await?))
}
