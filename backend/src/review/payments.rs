//! An approved award's money and milestones (DOMAIN.md steps 8 and 9): disbursements recorded
//! by the program's finance agency against the tranche plan (the balance only after the
//! acceptance), the acceptance (验收) recorded by the lead agency, and after a revocation the
//! money recovered. Every figure moves in the same write as the record that moves it: a payment
//! takes its amount out of the program's reservation into what is used, a recovery gives it
//! back to the budget; the `awards` row's checks keep what is paid within the amount approved
//! and what is recovered within what was paid, and a voucher is recorded once (unique index).

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use diesel::prelude::*;
use shared::applications::ApplicationState;
use shared::awards::{payable, tranche_plan, AcceptanceRequest, AwardView, DisbursementRequest, DisbursementView, RecoveryRequest, SelfEvaluation, MAX_FACTS};
use shared::notifications::NoticeKind;
use serde::{Deserialize, Serialize};
use shared::review::{self, Action, Role};

use super::{Case, Part};
use crate::accounts::audit::{record, Event, RequestMeta};
use crate::db::schema::{applications, awards, disbursements, enterprise_bans, programs, recoveries};
use crate::db::{now, DbConn};
use crate::error::{push_field_error, AppError, FieldErrors};
use crate::principal::Identity;
use crate::state::AppState;

/// The award row of `id`: (amount, paid, approved on, accepted on, recover, recovered).
type Money = (i64, i64, NaiveDate, Option<NaiveDate>, i64, i64);

fn money(conn: &mut DbConn, id: i64) -> Result<Money, AppError> {
    awards::table
        .find(id)
        .select((awards::amount_fen, awards::paid_fen, awards::approved_on, awards::accepted_on, awards::recover_fen, awards::recovered_fen))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound("the award"))
}

/// The case of application `id` locked for this write, readable by `identity`, with the part
/// `identity` plays as one of `roles` (403 `action_not_allowed` if none).
pub(super) fn locked(conn: &mut DbConn, identity: &Identity, id: i64, roles: &[Role]) -> Result<(Case, Part), AppError> {
    let found = diesel::update(applications::table.find(id)).set(applications::id.eq(id)).execute(conn)?;
    if found == 0 {
        return Err(AppError::NotFound("the application"));
    }
    let case = super::load_readable(conn, identity, id)?;
    let part = super::parts(identity, &case).into_iter().find(|p| roles.contains(&p.role)).ok_or_else(|| super::refusal_error(review::Refusal::NotAllowed))?;
    Ok((case, part))
}

/// A voucher number: trimmed, 1 to 64 characters.
fn voucher(text: &str, fields: &mut FieldErrors) -> String {
    let v = text.trim().to_string();
    if v.is_empty() {
        push_field_error(fields, "voucher_number", "required", "Give the voucher's number.");
    } else if v.chars().count() > 64 {
        push_field_error(fields, "voucher_number", "too_long", "At most 64 characters.");
    }
    v
}

/// A day that has come, and not before `earliest`.
fn day_between(fields: &mut FieldErrors, field: &str, day: NaiveDate, earliest: NaiveDate, today: NaiveDate) {
    if day > today {
        push_field_error(fields, field, "in_future", "Not a day still to come.");
    } else if day < earliest {
        push_field_error(fields, field, "before_start", format!("Not before {earliest}."));
    }
}

/// A unique voucher taken by another record: a field error, nothing changed.
fn voucher_taken(e: diesel::result::Error) -> AppError {
    match e {
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
            AppError::field("voucher_number", "duplicate", "This voucher is already recorded.")
        }
        other => other.into(),
    }
}

/// Record a disbursement of application `id` as `identity` (the finance agency's staff),
/// inside the caller's write. The amount is at most what may be paid now (422 `above_approved`,
/// or 409 `balance_before_acceptance` for the balance before the acceptance) and within the
/// program's budget; the first payment moves the award to being paid.
pub fn disburse(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, id: i64, req: &DisbursementRequest, origin: &str) -> Result<AwardView, AppError> {
    let (case, part) = locked(conn, identity, id, &[Role::Finance])?;
    let before = case.situation();
    let after = review::next(&before, Action::Disburse, None, &part.actor(&case)).map_err(super::refusal_error)?;
    let (amount, paid, approved_on, accepted_on, _, _) = money(conn, id)?;
    let today = super::today();
    let mut fields = FieldErrors::new();
    let voucher = voucher(&req.voucher_number, &mut fields);
    day_between(&mut fields, "paid_on", req.paid_on, approved_on, today);
    if req.amount_fen <= 0 {
        push_field_error(&mut fields, "amount_fen", "invalid_amount", "The amount must be more than zero.");
    } else if req.amount_fen > amount - paid {
        push_field_error(&mut fields, "amount_fen", "above_approved", format!("At most what is left to pay, {} fen.", amount - paid));
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    if req.amount_fen > payable(amount, paid, &case.definition.tranches, accepted_on.is_some()) {
        let mut fields = FieldErrors::new();
        push_field_error(&mut fields, "amount_fen", "balance_before_acceptance", "The balance waits for the acceptance.");
        return Err(AppError::Refused { code: "balance_before_acceptance", message: "The balance can be paid only after the acceptance is recorded.".into(), fields });
    }
    let a = req.amount_fen;
    // The award never pays more than it was approved for (the row's check holds it too).
    let moved = diesel::update(awards::table.find(id).filter((awards::paid_fen + a).le(awards::amount_fen))).set(awards::paid_fen.eq(awards::paid_fen + a)).execute(conn)?;
    if moved == 0 {
        return Err(AppError::field("amount_fen", "above_approved", "More than what is left to pay."));
    }
    // From the reservation to what is used, in the program's budget.
    let program = diesel::update(programs::table.find(case.row.program_id).filter(programs::budget_reserved_fen.ge(a)))
        .set((programs::budget_reserved_fen.eq(programs::budget_reserved_fen - a), programs::budget_used_fen.eq(programs::budget_used_fen + a)))
        .execute(conn)?;
    if program == 0 {
        return Err(AppError::Refused { code: "budget_exceeded", message: "The program's budget does not hold this payment.".into(), fields: FieldErrors::new() });
    }
    diesel::insert_into(disbursements::table)
        .values((
            disbursements::application_id.eq(id),
            disbursements::amount_fen.eq(a),
            disbursements::paid_on.eq(req.paid_on),
            disbursements::voucher_number.eq(&voucher),
            disbursements::recorded_by.eq(identity.user_id),
            disbursements::recorded_at.eq(now()),
        ))
        .execute(conn)
        .map_err(voucher_taken)?;
    super::actions::store_step(conn, &case, &before, &after, None, None)?;
    let note = format!("{} · {}", shared::Fen(a), req.paid_on);
    super::history(conn, id, "disbursed", (Some(before.state), Some(after.state)), Some(&part), Some(identity.user_id), case.round(), Some(&note), false)?;
    let detail = serde_json::json!({ "amount_fen": a, "paid_on": req.paid_on, "voucher_number": voucher, "paid_fen": paid + a, "role": super::role_name(part.role) });
    record(conn, meta, Event::new("disbursement_recorded").actor(identity.user_id).object("application", id).detail(detail))?;
    let now_case = super::load_case(conn, id)?.ok_or(AppError::NotFound("the application"))?;
    super::notices::after_step(conn, origin, &case, &now_case, identity.user_id, None)?;
    view(conn, &now_case)
}

/// Record the acceptance (验收) of application `id` as `identity` (the lead agency's staff),
/// once (409 `already_accepted`), inside the caller's write.
pub fn accept(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, id: i64, req: &AcceptanceRequest) -> Result<AwardView, AppError> {
    let (case, part) = locked(conn, identity, id, &[Role::Reviewer, Role::AgencyLead])?;
    if !matches!(case.state(), ApplicationState::Approved | ApplicationState::Disbursement) {
        return Err(super::refusal_error(review::Refusal::NotAllowed));
    }
    let (_, _, approved_on, _, _, _) = money(conn, id)?;
    let today = super::today();
    let mut fields = FieldErrors::new();
    day_between(&mut fields, "accepted_on", req.accepted_on, approved_on, today);
    let report = req.report.trim();
    if report.is_empty() {
        push_field_error(&mut fields, "report", "required", "Give the acceptance report's conclusions.");
    } else if report.chars().count() > MAX_FACTS {
        push_field_error(&mut fields, "report", "too_long", format!("At most {MAX_FACTS} characters."));
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let changed = diesel::update(awards::table.find(id).filter(awards::accepted_on.is_null()))
        .set((awards::accepted_on.eq(req.accepted_on), awards::acceptance_report.eq(report)))
        .execute(conn)?;
    if changed == 0 {
        return Err(AppError::Conflict { code: "already_accepted", message: "The acceptance of this award is already recorded.".into() });
    }
    diesel::update(applications::table.find(id)).set(applications::accepted_at.eq(now())).execute(conn)?;
    let state = case.state();
    super::history(conn, id, "accepted", (Some(state), Some(state)), Some(&part), Some(identity.user_id), case.round(), Some(report), false)?;
    let detail = serde_json::json!({ "accepted_on": req.accepted_on, "role": super::role_name(part.role) });
    record(conn, meta, Event::new("acceptance_recorded").actor(identity.user_id).object("application", id).detail(detail))?;
    let now_case = super::load_case(conn, id)?.ok_or(AppError::NotFound("the application"))?;
    view(conn, &now_case)
}

/// Record money recovered after application `id`'s revocation, as `identity` (the finance
/// agency's staff), inside the caller's write: at most what is left to recover (422
/// `above_recoverable`), given back to the program's budget.
pub fn recover(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, id: i64, req: &RecoveryRequest) -> Result<AwardView, AppError> {
    let (case, part) = locked(conn, identity, id, &[Role::Finance])?;
    if case.state() != ApplicationState::Revoked {
        return Err(super::refusal_error(review::Refusal::NotAllowed));
    }
    let (_, _, approved_on, _, recover, recovered) = money(conn, id)?;
    let today = super::today();
    let mut fields = FieldErrors::new();
    let voucher = voucher(&req.voucher_number, &mut fields);
    day_between(&mut fields, "recovered_on", req.recovered_on, approved_on, today);
    if req.amount_fen <= 0 {
        push_field_error(&mut fields, "amount_fen", "invalid_amount", "The amount must be more than zero.");
    } else if req.amount_fen > recover - recovered {
        push_field_error(&mut fields, "amount_fen", "above_recoverable", format!("At most what is left to recover, {} fen.", recover - recovered));
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let a = req.amount_fen;
    let moved = diesel::update(awards::table.find(id).filter((awards::recovered_fen + a).le(awards::recover_fen))).set(awards::recovered_fen.eq(awards::recovered_fen + a)).execute(conn)?;
    if moved == 0 {
        return Err(AppError::field("amount_fen", "above_recoverable", "More than what is left to recover."));
    }
    diesel::update(programs::table.find(case.row.program_id)).set(programs::budget_used_fen.eq(programs::budget_used_fen - a)).execute(conn)?;
    diesel::insert_into(recoveries::table)
        .values((
            recoveries::application_id.eq(id),
            recoveries::amount_fen.eq(a),
            recoveries::recovered_on.eq(req.recovered_on),
            recoveries::voucher_number.eq(&voucher),
            recoveries::recorded_by.eq(identity.user_id),
            recoveries::recorded_at.eq(now()),
        ))
        .execute(conn)
        .map_err(voucher_taken)?;
    let note = format!("{} · {}", shared::Fen(a), req.recovered_on);
    super::history(conn, id, "recovered", (None, None), Some(&part), Some(identity.user_id), case.round(), Some(&note), false)?;
    let detail = serde_json::json!({ "amount_fen": a, "recovered_on": req.recovered_on, "voucher_number": voucher, "recovered_fen": recovered + a });
    record(conn, meta, Event::new("recovery_recorded").actor(identity.user_id).object("application", id).detail(detail))?;
    view(conn, &case)
}

/// What a self-evaluation deadline job names.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EvaluationPayload {
    pub application_id: i64,
    pub due_on: NaiveDate,
}

/// `case` closed `today`, inside the step's write: the award's closing day and its
/// self-evaluation's due day (the program's `evaluation_months` on), with a reminder five
/// working days ahead and a notice when it is overdue.
pub fn on_closed(conn: &mut DbConn, case: &Case, today: NaiveDate) -> Result<(), AppError> {
    let due = today.checked_add_months(chrono::Months::new(case.definition.evaluation_months)).unwrap_or(today);
    diesel::update(awards::table.find(case.row.id)).set((awards::closed_on.eq(today), awards::evaluation_due_on.eq(due))).execute(conn)?;
    let payload = serde_json::to_string(&EvaluationPayload { application_id: case.row.id, due_on: due }).map_err(|e| AppError::Internal(e.into()))?;
    let calendar = crate::calendar::load(conn)?;
    let remind_on = calendar.working_days_before(due, 5).unwrap_or(due);
    let morning = |d: NaiveDate| d.and_time(chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default()) - chrono::Duration::hours(8);
    let t = now();
    let overdue_at = due.succ_opt().unwrap_or(due).and_time(chrono::NaiveTime::MIN) - chrono::Duration::hours(8);
    for (kind, at) in [(crate::queue::Kind::EvaluationReminder, morning(remind_on).max(t)), (crate::queue::Kind::EvaluationOverdue, overdue_at.max(t))] {
        let key = format!("{}:{}:{due}", kind.as_str(), case.row.id);
        crate::queue::insert(conn, kind, &payload, at, Some(&key), None)?;
    }
    Ok(())
}

/// A self-evaluation deadline job: while it is not filed, the company's administrators are
/// reminded (and, once overdue, the lead agency's staff told too).
pub fn run_evaluation_deadline(conn: &mut DbConn, origin: &str, meta: &RequestMeta, kind: crate::queue::Kind, payload: &str) -> Result<(), AppError> {
    let p: EvaluationPayload = serde_json::from_str(payload).map_err(|e| AppError::Internal(anyhow::anyhow!("payload: {e}")))?;
    let filed: Option<Option<chrono::NaiveDateTime>> = awards::table.find(p.application_id).select(awards::evaluation_filed_at).first(conn).optional()?;
    let Some(None) = filed else { return Ok(()) };
    let Some(case) = super::load_case(conn, p.application_id)? else { return Ok(()) };
    let mut recipients = super::notices::applicant_ids(conn, case.row.enterprise_id)?;
    let overdue = kind == crate::queue::Kind::EvaluationOverdue;
    if overdue {
        recipients.extend(super::notices::lead_agency_staff(conn, &case)?);
    }
    let note = if overdue { "⚠" } else { "" };
    super::notices::send(conn, origin, &recipients, &super::notices::Notice { kind: NoticeKind::EvaluationDue, application_id: p.application_id, stage: case.state(), note: Some(note), due: Some(p.due_on) })?;
    let event = if overdue { "stage_escalated" } else { "stage_reminded" };
    record(conn, meta, Event::new(event).object("application", p.application_id).detail(serde_json::json!({ "self_evaluation_due_on": p.due_on, "recipients": recipients })))?;
    Ok(())
}

/// File the performance self-evaluation of closed application `id` as `identity` (one of its
/// company's people with a confirmed address), once (409 `evaluation_filed`).
pub fn evaluate(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, id: i64, req: &SelfEvaluation) -> Result<AwardView, AppError> {
    let (case, part) = locked(conn, identity, id, &[Role::Applicant])?;
    identity.require_email_verified()?;
    if case.state() != ApplicationState::Closed {
        return Err(super::refusal_error(review::Refusal::NotAllowed));
    }
    let text = req.evaluation.trim();
    if text.is_empty() {
        return Err(AppError::field("evaluation", "required", "Say what the project achieved."));
    }
    if text.chars().count() > MAX_FACTS {
        return Err(AppError::field("evaluation", "too_long", format!("At most {MAX_FACTS} characters.")));
    }
    let changed = diesel::update(awards::table.find(id).filter(awards::evaluation_filed_at.is_null()))
        .set((awards::evaluation_filed_at.eq(now()), awards::evaluation.eq(text)))
        .execute(conn)?;
    if changed == 0 {
        return Err(AppError::Conflict { code: "evaluation_filed", message: "The self-evaluation is already filed.".into() });
    }
    let state = case.state();
    super::history(conn, id, "evaluation_filed", (Some(state), Some(state)), Some(&part), Some(identity.user_id), case.round(), None, false)?;
    record(conn, meta, Event::new("evaluation_filed").actor(identity.user_id).object("application", id).detail(serde_json::json!({ "characters": text.chars().count() })))?;
    view(conn, &case)
}

/// File the performance self-evaluation (绩效自评) of a closed award (the company): once.
#[utoipa::path(put, path = "/api/v1/applications/{id}/self-evaluation", tag = "awards", params(("id" = i64, Path)), request_body = SelfEvaluation,
    responses((status = 200, body = AwardView, description = "Filed; the award now"), (status = 401, description = "`unauthenticated`"),
        (status = 403, description = "`action_not_allowed`: not the company's, or the award is not closed; `email_unverified`"),
        (status = 404, description = "`not_found`: no such application, or not one the caller may read"),
        (status = 409, description = "`evaluation_filed`: already filed"),
        (status = 422, description = "`evaluation` `required` or `too_long`")))]
#[actix_web::put("/applications/{id}/self-evaluation")]
pub async fn put_self_evaluation(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<i64>, body: web::Json<SelfEvaluation>) -> Result<HttpResponse, AppError> {
    let (id, meta, body) = (path.into_inner(), RequestMeta::from_request(&req), body.into_inner());
    Ok(HttpResponse::Ok().json(state.db.write(move |conn| evaluate(conn, &meta, &identity, id, &body)).await?))
}

/// The award of `case` (404 if it has none).
pub fn view(conn: &mut DbConn, case: &Case) -> Result<AwardView, AppError> {
    let id = case.row.id;
    type Row = ((i64, NaiveDate, i64, Option<NaiveDate>, Option<String>, Option<NaiveDate>, Option<NaiveDate>, Option<String>, i64, i64), (Option<NaiveDate>, Option<chrono::NaiveDateTime>, Option<String>));
    let row: Option<Row> = awards::table
        .find(id)
        .select((
            (
                awards::amount_fen,
                awards::approved_on,
                awards::paid_fen,
                awards::accepted_on,
                awards::acceptance_report,
                awards::closed_on,
                awards::revoked_on,
                awards::revoke_reason,
                awards::recover_fen,
                awards::recovered_fen,
            ),
            (awards::evaluation_due_on, awards::evaluation_filed_at, awards::evaluation),
        ))
        .first(conn)
        .optional()?;
    let ((amount, approved_on, paid, accepted_on, report, closed_on, revoked_on, revoke_reason, recover, recovered), (evaluation_due_on, evaluation_filed_at, evaluation)) = row.ok_or(AppError::NotFound("the award"))?;
    let due: Option<NaiveDate> = applications::table.find(id).select(applications::acceptance_due_on).first(conn)?;
    let paid_rows: Vec<(i64, NaiveDate, String)> = disbursements::table
        .filter(disbursements::application_id.eq(id))
        .order(disbursements::id)
        .select((disbursements::amount_fen, disbursements::paid_on, disbursements::voucher_number))
        .load(conn)?;
    let banned_until: Option<NaiveDate> = match revoked_on {
        Some(day) => enterprise_bans::table
            .filter(enterprise_bans::enterprise_id.eq(case.row.enterprise_id))
            .filter(enterprise_bans::starts_on.eq(day))
            .select(diesel::dsl::max(enterprise_bans::ends_on))
            .first(conn)?,
        None => None,
    };
    let today = super::today();
    let open = matches!(case.state(), ApplicationState::Approved | ApplicationState::Disbursement);
    Ok(AwardView {
        application_id: id,
        amount_fen: amount,
        approved_on,
        tranches: tranche_plan(amount, &case.definition.tranches),
        paid_fen: paid,
        payable_fen: if open { payable(amount, paid, &case.definition.tranches, accepted_on.is_some()) } else { 0 },
        disbursements: paid_rows.into_iter().map(|(amount_fen, paid_on, voucher_number)| DisbursementView { amount_fen, paid_on, voucher_number }).collect(),
        acceptance_due_on: due,
        acceptance_overdue: open && accepted_on.is_none() && due.is_some_and(|d| d < today),
        accepted_on,
        acceptance_report: report,
        closed_on,
        revoked_on,
        revoke_reason,
        recover_fen: recover,
        recovered_fen: recovered,
        banned_until,
        evaluation_due_on,
        evaluation_filed_at: evaluation_filed_at.map(|t| t.and_utc()),
        evaluation,
        files: super::award_files::list(conn, id)?,
    })
}

/// Application `id`'s award, for whoever may read the application (the revocation's evidence
/// for the agencies' staff only).
pub fn award(conn: &mut DbConn, identity: &Identity, id: i64) -> Result<AwardView, AppError> {
    let case = super::load_readable(conn, identity, id)?;
    view_for(conn, identity, &case)
}

/// The award of `case` as `identity` reads it: without a revocation's evidence unless they are
/// the agencies' staff (404 if it has none). For the API and the application's page alike.
pub fn view_for(conn: &mut DbConn, identity: &Identity, case: &Case) -> Result<AwardView, AppError> {
    Ok(super::award_files::for_reader(identity, case, view(conn, case)?))
}

/// An approved award's money and milestones: the tranche plan, what is paid and what may be
/// paid now, each disbursement, the acceptance and its deadline, and after a revocation what is
/// to be recovered and the ban. For the company and the agencies who may read the application.
#[utoipa::path(get, path = "/api/v1/applications/{id}/award", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, body = AwardView), (status = 401, description = "`unauthenticated`"),
        (status = 404, description = "`not_found`: no such application, not one the caller may read, or not approved")))]
#[get("/applications/{id}/award")]
pub async fn get_award(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| award(conn, &identity, id)).await?))
}

/// Record a disbursement (the program's finance agency): `amount_fen`, `paid_on`,
/// `voucher_number`. Before the acceptance only the tranches before the balance may be paid;
/// never more than the amount approved or the budget.
#[utoipa::path(post, path = "/api/v1/applications/{id}/disbursements", tag = "awards", params(("id" = i64, Path)), request_body = DisbursementRequest,
    responses((status = 201, body = AwardView, description = "Recorded; the award now"), (status = 401, description = "`unauthenticated`"),
        (status = 403, description = "`action_not_allowed`: not the finance agency's staff, or nothing to pay at this stage"),
        (status = 404, description = "`not_found`: no such application, or not one the caller may read"),
        (status = 409, description = "`balance_before_acceptance`; `budget_exceeded`; `application_closed`"),
        (status = 422, description = "`amount_fen` `invalid_amount` or `above_approved`; `paid_on` `in_future` or `before_start` (before the approval); `voucher_number` `required`, `too_long` or `duplicate`")))]
#[post("/applications/{id}/disbursements")]
pub async fn post_disbursement(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<i64>, body: web::Json<DisbursementRequest>) -> Result<HttpResponse, AppError> {
    let (id, meta, body) = (path.into_inner(), RequestMeta::from_request(&req), body.into_inner());
    let origin = state.settings.public_origin().to_string();
    Ok(HttpResponse::Created().json(state.db.write(move |conn| disburse(conn, &meta, &identity, id, &body, &origin)).await?))
}

/// Record the acceptance (验收) of an approved award (the lead agency's staff): `accepted_on`
/// and the `report`'s conclusions. Once; the balance may be paid after it.
#[utoipa::path(post, path = "/api/v1/applications/{id}/acceptance", tag = "awards", params(("id" = i64, Path)), request_body = AcceptanceRequest,
    responses((status = 200, body = AwardView, description = "Recorded; the award now"), (status = 401, description = "`unauthenticated`"),
        (status = 403, description = "`action_not_allowed`: not the lead agency's staff, or not an approved award being paid"),
        (status = 404, description = "`not_found`: no such application, or not one the caller may read"),
        (status = 409, description = "`already_accepted`; `application_closed`"),
        (status = 422, description = "`accepted_on` `in_future` or `before_start`; `report` `required` or `too_long`")))]
#[post("/applications/{id}/acceptance")]
pub async fn post_acceptance(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<i64>, body: web::Json<AcceptanceRequest>) -> Result<HttpResponse, AppError> {
    let (id, meta, body) = (path.into_inner(), RequestMeta::from_request(&req), body.into_inner());
    Ok(HttpResponse::Ok().json(state.db.write(move |conn| accept(conn, &meta, &identity, id, &body)).await?))
}

/// Record money recovered after a revocation (the finance agency's staff): `amount_fen`,
/// `recovered_on`, `voucher_number`; at most what is left to recover.
#[utoipa::path(post, path = "/api/v1/applications/{id}/recoveries", tag = "awards", params(("id" = i64, Path)), request_body = RecoveryRequest,
    responses((status = 201, body = AwardView, description = "Recorded; the award now"), (status = 401, description = "`unauthenticated`"),
        (status = 403, description = "`action_not_allowed`: not the finance agency's staff, or the award is not revoked"),
        (status = 404, description = "`not_found`: no such application, or not one the caller may read"),
        (status = 422, description = "`amount_fen` `invalid_amount` or `above_recoverable`; `recovered_on` `in_future` or `before_start`; `voucher_number` `required`, `too_long` or `duplicate`")))]
#[post("/applications/{id}/recoveries")]
pub async fn post_recovery(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<i64>, body: web::Json<RecoveryRequest>) -> Result<HttpResponse, AppError> {
    let (id, meta, body) = (path.into_inner(), RequestMeta::from_request(&req), body.into_inner());
    Ok(HttpResponse::Created().json(state.db.write(move |conn| recover(conn, &meta, &identity, id, &body)).await?))
}
