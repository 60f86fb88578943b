//! Objections to awards on public notice (DOMAIN.md step 6). Anyone may file one while the
//! notice is open, identified (a name, an email address to be told the outcome, and an
//! organisation or an ID number) and with evidence files; anonymous and late ones are refused.
//! Who filed it is read only by the lead agency's staff, who investigate it within the
//! program's `objection_working_days` (a reminder before, an escalation to the agency leads
//! after, as for the review stages) and record the finding: upheld rejects the award and gives
//! its reserved budget back; dismissed leaves it, and approves it if the notice has closed and
//! nothing else concerning it is open. The objector is emailed the outcome.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use shared::applications::ApplicationState;
use shared::awards::{EvidenceFile, ObjectionDecision, ObjectionForm, ObjectionReceipt, ObjectionStatus, ObjectionView, Objector, MAX_EVIDENCE, MAX_EVIDENCE_BYTES, MAX_FACTS};
use shared::notifications::NoticeKind;
use shared::review::{Action, Role};

use super::notices::{self, Notice};
use super::{Case, Part};
use crate::accounts::audit::{record, Event, RequestMeta};
use crate::db::schema::{agencies, applications, notice_items, notices as notice_table, objection_evidence, objections, programs};
use crate::db::{now, DbConn};
use crate::error::{push_field_error, AppError, FieldErrors};
use crate::notify::outbox::{enqueue, Mail};
use crate::principal::Identity;
use crate::queue::Kind;
use crate::ratelimit::Action as Limited;
use crate::state::AppState;
use crate::uploads::{self, Upload};

/// The fields of an objection's multipart form, each within its limit: `application_id`,
/// `name`, `email`, `phone`, `organisation`, `id_number`, `facts`, and `evidence` (files,
/// repeated).
pub async fn read_form(form: actix_multipart::Multipart) -> Result<(ObjectionForm, Vec<Upload>), AppError> {
    let short = 1000;
    let spec = uploads::Spec {
        file_field: "evidence",
        max_files: MAX_EVIDENCE,
        max_file_bytes: MAX_EVIDENCE_BYTES,
        texts: &[("application_id", short), ("name", short), ("email", short), ("phone", short), ("organisation", short), ("id_number", short), ("facts", MAX_FACTS * 4 + 16)],
    };
    let parts = uploads::read(form, &spec).await?;
    let application_id = parts.text("application_id").trim();
    let application_id = if application_id.is_empty() {
        None
    } else {
        Some(application_id.parse().map_err(|_| AppError::field("application_id", "invalid", "Choose an award of this notice."))?)
    };
    let out = ObjectionForm {
        application_id,
        name: parts.text("name").to_string(),
        email: parts.text("email").to_string(),
        phone: parts.text("phone").to_string(),
        organisation: parts.text("organisation").to_string(),
        id_number: parts.text("id_number").to_string(),
        facts: parts.text("facts").to_string(),
    };
    Ok((out, parts.files))
}

/// The field errors of `form` and `files` (nothing stored yet).
fn check(form: &ObjectionForm, files: &[Upload]) -> Result<Vec<&'static str>, AppError> {
    let mut fields = FieldErrors::new();
    for (field, code, message) in form.problems() {
        push_field_error(&mut fields, field, code, message);
    }
    let types = uploads::file_types(files, "evidence", &mut fields);
    if fields.is_empty() {
        Ok(types)
    } else {
        Err(AppError::Validation(fields))
    }
}

/// The Beijing day of `t`.
fn beijing_day(t: NaiveDateTime) -> NaiveDate {
    crate::clock::beijing_date(t)
}

/// File an objection to an award on notice `notice_id`: checked (404 for no such notice, 409
/// `notice_closed` after its last day, field errors), the evidence stored, then one write
/// (the award must still be on this notice: `application_id` `invalid` otherwise).
pub async fn file(state: &AppState, meta: &RequestMeta, notice_id: i64, form: ObjectionForm, files: Vec<Upload>, locale: &'static str) -> Result<ObjectionReceipt, AppError> {
    let closes_on: NaiveDate = state
        .db
        .run(move |conn| notice_table::table.find(notice_id).select(notice_table::closes_on).first::<NaiveDate>(conn).optional()?.ok_or(AppError::NotFound("the notice")))
        .await?;
    if state.clock.today() > closes_on {
        return Err(closed());
    }
    let types = check(&form, &files)?;
    let stored = uploads::store(&state.storage, files, types, "evidence").await?;
    let origin = state.settings.public_origin().to_string();
    let meta = meta.clone();
    state.db.write(move |conn| record_objection(conn, &meta, &origin, notice_id, &form, &stored, locale)).await
}

fn closed() -> AppError {
    AppError::Conflict { code: "notice_closed", message: "The public notice has closed; objections filed after it are not accepted.".into() }
}

/// The objection's write: the award locked and checked, the objection and its evidence
/// stored, the lead agency's staff told, the investigation's deadline jobs queued.
fn record_objection(conn: &mut DbConn, meta: &RequestMeta, origin: &str, notice_id: i64, form: &ObjectionForm, stored: &[uploads::Stored], locale: &str) -> Result<ObjectionReceipt, AppError> {
    let application_id = form.application_id.unwrap_or_default();
    diesel::update(applications::table.find(application_id)).set(applications::id.eq(application_id)).execute(conn)?;
    let closes_on: NaiveDate = notice_table::table.find(notice_id).select(notice_table::closes_on).first(conn)?;
    let t = now();
    let today = beijing_day(t);
    if today > closes_on {
        return Err(closed());
    }
    let on_notice: bool = diesel::select(diesel::dsl::exists(
        notice_items::table.filter(notice_items::notice_id.eq(notice_id)).filter(notice_items::application_id.eq(application_id)),
    ))
    .get_result(conn)?;
    let case = match super::load_case(conn, application_id)? {
        Some(case) if on_notice && case.state() == ApplicationState::PublicNotice => case,
        _ => return Err(AppError::field("application_id", "invalid", "Choose an award on this notice.")),
    };
    let calendar = crate::calendar::load(conn)?;
    let days = case.definition.objection_working_days;
    let due_on = super::due_after(&calendar, today, days).ok_or_else(|| AppError::field("application_id", "outside_year", "The working-day calendar does not reach the investigation's deadline yet."))?;
    let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let id: i64 = diesel::insert_into(objections::table)
        .values((
            objections::notice_id.eq(notice_id),
            objections::application_id.eq(application_id),
            objections::objector_name.eq(form.name.trim()),
            objections::objector_email.eq(form.email.trim()),
            objections::objector_phone.eq(opt(&form.phone)),
            objections::objector_organisation.eq(opt(&form.organisation)),
            objections::objector_id_number.eq(opt(&form.id_number).map(|n| n.to_ascii_uppercase())),
            objections::objector_locale.eq(locale),
            objections::facts.eq(form.facts.trim()),
            objections::filed_at.eq(t),
            objections::due_on.eq(due_on),
        ))
        .returning(objections::id)
        .get_result(conn)?;
    for f in stored {
        diesel::insert_into(objection_evidence::table)
            .values((
                objection_evidence::objection_id.eq(id),
                objection_evidence::file_name.eq(&f.file_name),
                objection_evidence::content_type.eq(f.content_type),
                objection_evidence::size_bytes.eq(f.size),
                objection_evidence::sha256.eq(&f.sha256),
            ))
            .execute(conn)?;
    }
    // The audit log is read by system admins: who objected stays with the lead agency.
    let detail = serde_json::json!({ "notice_id": notice_id, "application_id": application_id, "evidence": stored.len(), "due_on": due_on });
    record(conn, meta, Event::new("objection_filed").object("objection", id).detail(detail))?;
    super::history(conn, application_id, "objection_filed", (None, None), None, None, case.round(), None, true)?;
    let staff = notices::lead_agency_staff(conn, &case)?;
    let note = format!("#{id}");
    notices::send(conn, origin, &staff, &Notice { kind: NoticeKind::ObjectionReceived, application_id, stage: ApplicationState::PublicNotice, note: Some(&note), due: Some(due_on) })?;
    schedule(conn, &calendar, id, due_on, case.definition.stage_limits.remind_before)?;
    Ok(ObjectionReceipt { id, notice_id, application_id, filed_at: t.and_utc(), due_on })
}

/// What an objection's deadline job names.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeadlinePayload {
    pub objection_id: i64,
    pub due_on: NaiveDate,
}

/// Queue the investigation's reminder (the morning `remind_before` working days ahead) and
/// escalation (the midnight that ends the deadline day, Beijing time).
fn schedule(conn: &mut DbConn, calendar: &shared::calendar::WorkCalendar, id: i64, due_on: NaiveDate, remind_before: u32) -> Result<(), AppError> {
    let text = serde_json::to_string(&DeadlinePayload { objection_id: id, due_on }).map_err(|e| AppError::Internal(e.into()))?;
    let remind_on = calendar.working_days_before(due_on, remind_before).unwrap_or(due_on);
    let t = now();
    let remind_at = (remind_on.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default()) - Duration::hours(8)).max(t);
    let escalate_at = (due_on.succ_opt().unwrap_or(due_on).and_time(NaiveTime::MIN) - Duration::hours(8)).max(t);
    for (kind, at) in [(Kind::ObjectionReminder, remind_at), (Kind::ObjectionEscalation, escalate_at)] {
        let key = format!("{}:{id}:{due_on}", kind.as_str());
        crate::queue::insert(conn, kind, &text, at, Some(&key), None)?;
    }
    Ok(())
}

/// A deadline job's effect: while the objection is open and its award on notice, the reminder
/// to the lead agency's staff, or the escalation to its agency leads.
pub fn run_deadline(conn: &mut DbConn, origin: &str, meta: &RequestMeta, kind: Kind, payload: &str) -> Result<(), AppError> {
    let p: DeadlinePayload = serde_json::from_str(payload).map_err(|e| AppError::Internal(anyhow::anyhow!("payload: {e}")))?;
    let row: Option<(i64, String)> = objections::table.find(p.objection_id).select((objections::application_id, objections::status)).first(conn).optional()?;
    let Some((application_id, status)) = row else { return Ok(()) };
    if status != "open" {
        return Ok(());
    }
    let Some(case) = super::load_case(conn, application_id)? else { return Ok(()) };
    if case.state() != ApplicationState::PublicNotice {
        return Ok(());
    }
    let escalation = kind == Kind::ObjectionEscalation;
    let (notice_kind, recipients) = if escalation { (NoticeKind::Escalation, notices::lead_agency_leads(conn, &case)?) } else { (NoticeKind::Reminder, notices::lead_agency_staff(conn, &case)?) };
    let note = format!("#{}", p.objection_id);
    notices::send(conn, origin, &recipients, &Notice { kind: notice_kind, application_id, stage: ApplicationState::PublicNotice, note: Some(&note), due: Some(p.due_on) })?;
    let event = if escalation { "objection_escalated" } else { "objection_reminded" };
    record(conn, meta, Event::new(event).object("objection", p.objection_id).detail(serde_json::json!({ "application_id": application_id, "due_on": p.due_on, "recipients": recipients })))?;
    Ok(())
}

/// The part `identity` plays for the lead agency of `case` (a reviewer or an agency lead), if
/// any: objections are theirs alone.
fn lead_staff_part(identity: &Identity, case: &Case) -> Option<Part> {
    super::parts(identity, case).into_iter().find(|p| matches!(p.role, Role::Reviewer | Role::AgencyLead))
}

/// Decide objection `id` as `identity` (staff of the award's lead agency; 404 for anyone else),
/// inside the caller's write: decided once (409 `objection_decided`), the award rejected if
/// upheld or approved if dismissed after the notice closed with nothing else open, the objector
/// emailed the finding.
pub fn decide(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, id: i64, decision: &ObjectionDecision, origin: &str) -> Result<ObjectionStatus, AppError> {
    type Row = (i64, String, String, String, NaiveDateTime);
    let row: Option<Row> = objections::table
        .find(id)
        .select((objections::application_id, objections::objector_name, objections::objector_email, objections::objector_locale, objections::filed_at))
        .first(conn)
        .optional()?;
    let (application_id, name, email, locale, filed_at) = row.ok_or(AppError::NotFound("the objection"))?;
    diesel::update(applications::table.find(application_id)).set(applications::id.eq(application_id)).execute(conn)?;
    let case = super::load_case(conn, application_id)?.ok_or(AppError::NotFound("the objection"))?;
    let part = lead_staff_part(identity, &case).ok_or(AppError::NotFound("the objection"))?;
    let findings = decision.findings.trim();
    if findings.is_empty() {
        return Err(AppError::field("findings", "required", "Record what the investigation found."));
    }
    if findings.chars().count() > MAX_FACTS {
        return Err(AppError::field("findings", "too_long", format!("At most {MAX_FACTS} characters.")));
    }
    let status = if decision.upheld { ObjectionStatus::Upheld } else { ObjectionStatus::Dismissed };
    let t = now();
    let changed = diesel::update(objections::table.find(id).filter(objections::status.eq("open")))
        .set((objections::status.eq(status.as_str()), objections::decided_at.eq(t), objections::decided_by.eq(identity.user_id), objections::findings.eq(findings)))
        .execute(conn)?;
    if changed == 0 {
        return Err(AppError::Conflict { code: "objection_decided", message: "This objection has already been decided.".into() });
    }
    let kind = if decision.upheld { "objection_upheld" } else { "objection_dismissed" };
    super::history(conn, application_id, kind, (None, None), Some(&part), Some(identity.user_id), case.round(), Some(findings), true)?;
    let detail = serde_json::json!({ "application_id": application_id, "upheld": decision.upheld, "role": super::role_name(part.role) });
    record(conn, meta, Event::new("objection_decided").actor(identity.user_id).object("objection", id).detail(detail))?;
    if case.state() == ApplicationState::PublicNotice {
        if decision.upheld {
            super::actions::portal_step(conn, meta, origin, application_id, Action::Reject, Some(findings))?;
        } else {
            // Approved now if the notice has closed and nothing else concerning it is open
            // (`next` refuses otherwise, and it waits).
            super::actions::portal_step(conn, meta, origin, application_id, Action::Approve, None)?;
        }
    }
    // The objector hears the finding, in the language they filed in.
    let (company, title, program_zh, program_en, agency_zh, agency_en): (String, String, String, String, String, String) = notice_items::table
        .inner_join(applications::table.inner_join(programs::table.inner_join(agencies::table)))
        .filter(notice_items::application_id.eq(application_id))
        .select((notice_items::company_name, notice_items::project_title, programs::title_zh, programs::title_en, agencies::name_zh, agencies::name_en))
        .first(conn)?;
    let en = locale == "en";
    let filed = (filed_at + Duration::hours(8)).format("%Y-%m-%d").to_string();
    let mail = Mail::ObjectionOutcome {
        name: &name,
        upheld: decision.upheld,
        filed: &filed,
        company: &company,
        title: &title,
        program: if en { &program_en } else { &program_zh },
        agency: if en { &agency_en } else { &agency_zh },
        findings,
    };
    enqueue(conn, &email, &locale, mail)?;
    Ok(status)
}

/// The notice objection `id` was filed to.
pub fn notice_of(conn: &mut DbConn, id: i64) -> QueryResult<Option<i64>> {
    objections::table.find(id).select(objections::notice_id).first(conn).optional()
}

/// The objections to the awards of notice `notice_id`, for the lead agency's staff (403 for
/// anyone else: the notice is public, who objected is not).
pub fn list(conn: &mut DbConn, identity: &Identity, notice_id: i64) -> Result<Vec<ObjectionView>, AppError> {
    let exists: bool = diesel::select(diesel::dsl::exists(notice_table::table.find(notice_id))).get_result(conn)?;
    if !exists {
        return Err(AppError::NotFound("the notice"));
    }
    let lead: i64 = notice_table::table.inner_join(programs::table).filter(notice_table::id.eq(notice_id)).select(programs::lead_agency_id).first(conn)?;
    let staff = identity.grants.iter().any(|g| matches!(g.role, shared::accounts::Role::AgencyReviewer | shared::accounts::Role::AgencyLead) && g.agency_id == Some(lead));
    if !staff {
        return Err(AppError::Forbidden { code: "forbidden", message: "Only the lead agency's staff read the objections." });
    }
    let ids = objections::table.filter(objections::notice_id.eq(notice_id)).select(objections::id).load::<i64>(conn)?;
    read(conn, ids)
}

/// The objections to one award, for staff who may read the application (`review::may_read`
/// decides elsewhere; this reads).
pub fn of_application(conn: &mut DbConn, application_id: i64) -> Result<Vec<ObjectionView>, AppError> {
    let ids = objections::table.filter(objections::application_id.eq(application_id)).select(objections::id).load::<i64>(conn)?;
    read(conn, ids)
}

fn read(conn: &mut DbConn, ids: Vec<i64>) -> Result<Vec<ObjectionView>, AppError> {
    type Row = (
        (i64, i64, i64, String, String, Option<String>, Option<String>, Option<String>),
        (String, String, NaiveDateTime, NaiveDate, Option<NaiveDateTime>, Option<String>),
        (String, String),
    );
    let rows: Vec<Row> = objections::table
        .inner_join(notice_items::table)
        .filter(objections::id.eq_any(&ids))
        .order(objections::id)
        .select((
            (
                objections::id,
                objections::notice_id,
                objections::application_id,
                objections::objector_name,
                objections::objector_email,
                objections::objector_phone,
                objections::objector_organisation,
                objections::objector_id_number,
            ),
            (objections::facts, objections::status, objections::filed_at, objections::due_on, objections::decided_at, objections::findings),
            (notice_items::company_name, notice_items::project_title),
        ))
        .load(conn)?;
    let files: Vec<(i64, i64, String, String, i64)> = objection_evidence::table
        .filter(objection_evidence::objection_id.eq_any(&ids))
        .order(objection_evidence::id)
        .select((objection_evidence::objection_id, objection_evidence::id, objection_evidence::file_name, objection_evidence::content_type, objection_evidence::size_bytes))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|((id, notice_id, application_id, name, email, phone, organisation, id_number), (facts, status, filed_at, due_on, decided_at, findings), (company_name, project_title))| ObjectionView {
            id,
            notice_id,
            application_id,
            company_name,
            project_title,
            objector: Objector { name, email, phone, organisation, id_number },
            facts,
            evidence: files.iter().filter(|f| f.0 == id).map(|f| EvidenceFile { id: f.1, file_name: f.2.clone(), content_type: f.3.clone(), size_bytes: f.4 }).collect(),
            status: ObjectionStatus::parse(&status).unwrap_or(ObjectionStatus::Open),
            filed_at: filed_at.and_utc(),
            due_on,
            decided_at: decided_at.map(|t| t.and_utc()),
            findings,
        })
        .collect())
}

/// The stored evidence file `file_id` of objection `id`, for the award's lead agency staff
/// (404 for anyone else): (sha256, content type, file name).
pub fn evidence(conn: &mut DbConn, identity: &Identity, id: i64, file_id: i64) -> Result<(String, String, String), AppError> {
    let application_id: i64 = objections::table.find(id).select(objections::application_id).first(conn).optional()?.ok_or(AppError::NotFound("the file"))?;
    let case = super::load_case(conn, application_id)?.ok_or(AppError::NotFound("the file"))?;
    lead_staff_part(identity, &case).ok_or(AppError::NotFound("the file"))?;
    objection_evidence::table
        .filter(objection_evidence::objection_id.eq(id))
        .filter(objection_evidence::id.eq(file_id))
        .select((objection_evidence::sha256, objection_evidence::content_type, objection_evidence::file_name))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound("the file"))
}

/// File an identified objection to an award on a public notice, while the notice is open.
/// Multipart: `application_id` (the award), `name`, `email` (told the outcome), `phone`
/// (optional), `organisation` or `id_number` (at least one), `facts`, and 1 to 5 `evidence`
/// files (PDF, JPEG or PNG, each at most 10 MB). Public; rate-limited per address.
#[utoipa::path(post, path = "/api/v1/notices/{id}/objections", tag = "awards", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", content = ObjectionForm, description = "The objector's identity and the facts, with `evidence` files"),
    responses((status = 201, body = ObjectionReceipt, description = "Filed; the day the agency is to have investigated it by"),
        (status = 404, description = "`not_found`: no such notice"),
        (status = 409, description = "`notice_closed`: the notice's last day has passed"),
        (status = 422, description = "Field errors: `name`, `email` or `facts` `required` (anonymous objections are refused), `organisation` `required` (give an organisation or an ID number), `email` `invalid_email`, `phone` `invalid_phone`, `id_number` `invalid`, `application_id` `required` or `invalid` (not an award on this notice), `evidence` `required`, `out_of_range` or `too_large`, `evidence.N` `unsupported_type`, `unexpected_field`"),
        (status = 429, description = "`rate_limited`, with `Retry-After`")))]
#[post("/notices/{id}/objections")]
pub async fn post_objection(state: web::Data<AppState>, req: HttpRequest, path: web::Path<i64>, form: actix_multipart::Multipart) -> Result<HttpResponse, AppError> {
    let meta = RequestMeta::from_request(&req);
    state.limits.check(Limited::Objection, meta.client)?;
    let (form, files) = read_form(form).await?;
    let locale = crate::programs::eligibility::request_lang(&req);
    let receipt = file(&state, &meta, path.into_inner(), form, files, locale).await?;
    Ok(HttpResponse::Created().json(receipt))
}

/// The objections to a notice's awards, with who filed them and their evidence: for the lead
/// agency's staff only.
#[utoipa::path(get, path = "/api/v1/notices/{id}/objections", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ObjectionView>), (status = 401, description = "`unauthenticated`"),
        (status = 403, description = "`forbidden`: not staff of the program's lead agency"), (status = 404, description = "`not_found`: no such notice")))]
#[get("/notices/{id}/objections")]
pub async fn get_objections(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| list(conn, &identity, id)).await?))
}

/// Record the investigation of an objection: `upheld` (the award is rejected and its reserved
/// budget given back) or not (dismissed; the award is approved if its notice has closed and
/// nothing else concerning it is open), with the `findings`, which the objector is emailed.
#[utoipa::path(post, path = "/api/v1/objections/{id}/decision", tag = "awards", params(("id" = i64, Path)), request_body = ObjectionDecision,
    responses((status = 200, body = ObjectionView, description = "Decided"), (status = 401, description = "`unauthenticated`"),
        (status = 404, description = "`not_found`: no such objection, or not one of the caller's agency"),
        (status = 409, description = "`objection_decided`: already decided"),
        (status = 422, description = "`findings` `required` or `too_long`")))]
#[post("/objections/{id}/decision")]
pub async fn post_decision(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<i64>, body: web::Json<ObjectionDecision>) -> Result<HttpResponse, AppError> {
    let (id, meta, body, who) = (path.into_inner(), RequestMeta::from_request(&req), body.into_inner(), identity.clone());
    let origin = state.settings.public_origin().to_string();
    state.db.write(move |conn| decide(conn, &meta, &who, id, &body, &origin)).await?;
    let view = state
        .db
        .run(move |conn| {
            let application_id: i64 = objections::table.find(id).select(objections::application_id).first(conn)?;
            Ok::<_, AppError>(of_application(conn, application_id)?.into_iter().find(|o| o.id == id))
        })
        .await?
        .ok_or(AppError::NotFound("the objection"))?;
    Ok(HttpResponse::Ok().json(view))
}

/// An evidence file of an objection, for the lead agency's staff (404 for anyone else).
/// Reading it is recorded.
#[utoipa::path(get, path = "/api/v1/objections/{id}/evidence/{file_id}", tag = "awards", params(("id" = i64, Path), ("file_id" = i64, Path)),
    responses((status = 200, description = "The file as filed", content((Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"))),
        (status = 401, description = "`unauthenticated`"), (status = 404, description = "`not_found`")))]
#[get("/objections/{id}/evidence/{file_id}")]
pub async fn get_evidence(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<(i64, i64)>) -> Result<HttpResponse, AppError> {
    let (id, file_id) = path.into_inner();
    let who = identity.clone();
    let (sha, content_type, file_name) = state.db.run(move |conn| evidence(conn, &who, id, file_id)).await?;
    let bytes = state.storage.get(&sha).await?;
    let (meta, user) = (RequestMeta::from_request(&req), identity.user_id);
    state
        .db
        .write_bookkeeping(move |conn| record(conn, &meta, Event::new("objection_evidence_downloaded").actor(user).object("objection", id).detail(serde_json::json!({ "file_id": file_id }))).map_err(AppError::from))
        .await?;
    Ok(uploads::download(content_type, &file_name, bytes))
}
