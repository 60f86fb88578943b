//! Public notice (公示) of a program's proposed awards: the agency lead of the program's lead
//! agency publishes the fully signed approvals together (`POST /api/v1/programs/{code}/notices`);
//! each moves to `public_notice` through the workflow's rules in the same write, and the notice
//! is public for the program's `notice_working_days`, counted on the portal's calendar from the
//! day after publication, its last day stated (`GET /api/v1/notices/{id}`, the public page and
//! the PDF). When that day has ended, a `notice_close` job approves every award on it with no
//! objection open; an award with one waits for the agency's finding (`objections`).

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{Duration, NaiveDate, NaiveTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use shared::applications::ApplicationState;
use shared::awards::{AwaitingItem, AwaitingNotice, AwardStatus, NoticeItem, NoticeSummary, NoticeView, PublishNoticeRequest, MAX_NOTICE_ITEMS};
use shared::dto::{Bilingual, Page};
use shared::review::{self, Action, Role};

use super::Part;
use crate::accounts::audit::{record, Event, RequestMeta};
use crate::db::schema::{agencies, applications, enterprises, notice_items, notices, objections, programs};
use crate::db::{now, DbConn};
use crate::error::{push_field_error, AppError, FieldErrors};
use crate::pagination::PageQuery;
use crate::principal::Identity;
use crate::queue::Kind;
use crate::state::AppState;

/// Where application `id` stands in its notice: the notice's last day (none if it is on no
/// notice) and how many objections to it are open.
pub fn standing(conn: &mut DbConn, id: i64) -> QueryResult<(Option<NaiveDate>, u32)> {
    let closes_on: Option<NaiveDate> =
        notice_items::table.inner_join(notices::table).filter(notice_items::application_id.eq(id)).select(notices::closes_on).first(conn).optional()?;
    let open: i64 = objections::table.filter(objections::application_id.eq(id)).filter(objections::status.eq("open")).count().get_result(conn)?;
    Ok((closes_on, u32::try_from(open).unwrap_or(u32::MAX)))
}

/// What a `notice_close` job names.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClosePayload {
    pub notice_id: i64,
}

/// Publish a notice of `program_code`'s awards `req.application_ids`, inside the caller's
/// write, as `identity` (an agency lead of the program's lead agency; 403 otherwise). Every
/// application must be a fully signed approval of the program (422 `not_decided` on
/// `application_ids.N` otherwise, and nothing is published). Answers the notice's id.
pub fn publish(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, program_code: &str, req: &PublishNoticeRequest, origin: &str) -> Result<i64, AppError> {
    let program: Option<(i64, i64, i32)> =
        programs::table.filter(programs::code.eq(program_code.trim())).select((programs::id, programs::lead_agency_id, programs::notice_working_days)).first(conn).optional()?;
    let (program_id, lead_agency, days) = program.ok_or(AppError::NotFound("the program"))?;
    if !identity.led_agencies().contains(&lead_agency) {
        return Err(AppError::Forbidden { code: "forbidden", message: "Only the lead agency's agency lead publishes its notices." });
    }
    let mut fields = FieldErrors::new();
    let mut ids = req.application_ids.clone();
    if ids.is_empty() {
        push_field_error(&mut fields, "application_ids", "required", "Name the approvals to put on notice.");
    }
    if ids.len() > MAX_NOTICE_ITEMS {
        push_field_error(&mut fields, "application_ids", "out_of_range", format!("At most {MAX_NOTICE_ITEMS} awards in one notice."));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, id) in ids.iter().enumerate() {
        if !seen.insert(*id) {
            push_field_error(&mut fields, &format!("application_ids.{i}"), "duplicate", "Listed twice.");
        }
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    // One notice of a program at a time: the program's row is locked for this write.
    diesel::update(programs::table.find(program_id)).set(programs::id.eq(program_id)).execute(conn)?;
    let today = super::today();
    let calendar = crate::calendar::load(conn)?;
    let working_days = u32::try_from(days).unwrap_or(5).max(1);
    let closes_on = super::due_after(&calendar, today, working_days)
        .ok_or_else(|| AppError::field("application_ids", "outside_year", "The working-day calendar does not reach the notice's last day yet."))?;
    let t = now();
    let notice_id: i64 = diesel::insert_into(notices::table)
        .values((
            notices::program_id.eq(program_id),
            notices::published_by.eq(identity.user_id),
            notices::published_at.eq(t),
            notices::published_on.eq(today),
            notices::closes_on.eq(closes_on),
            notices::working_days.eq(working_days as i32),
        ))
        .returning(notices::id)
        .get_result(conn)?;
    // Each award in id order (two notices never wait on each other's rows in a circle).
    let order: Vec<(usize, i64)> = {
        let mut v: Vec<(usize, i64)> = ids.drain(..).enumerate().collect();
        v.sort_by_key(|(_, id)| *id);
        v
    };
    let part = Part { role: Role::AgencyLead, agency_id: Some(lead_agency) };
    let mut total = 0i64;
    for (i, id) in &order {
        let at = format!("application_ids.{i}");
        diesel::update(applications::table.find(*id)).set(applications::id.eq(*id)).execute(conn)?;
        let case = match super::load_case(conn, *id)? {
            Some(case) if case.row.program_id == program_id && super::may_read(identity, &case) => case,
            _ => {
                push_field_error(&mut fields, &at, "not_found", "No such application of this program.");
                continue;
            }
        };
        let before = case.situation();
        let (after, amount) = match (review::next(&before, Action::PublishNotice, None, &part.actor(&case)), case.row.proposed_amount_fen) {
            (Ok(after), Some(amount)) => (after, amount),
            _ => {
                push_field_error(&mut fields, &at, "not_decided", "Not a fully signed approval waiting for its notice.");
                continue;
            }
        };
        if !fields.is_empty() {
            continue;
        }
        super::actions::store_step(conn, &case, &before, &after, None, None)?;
        // The stage lasts until the notice's last day.
        diesel::update(applications::table.find(*id)).set(applications::stage_due_on.eq(closes_on)).execute(conn)?;
        let (company_name, credit_code): (String, String) = enterprises::table.find(case.row.enterprise_id).select((enterprises::name_zh, enterprises::credit_code)).first(conn)?;
        let title: String = applications::table.find(*id).select(applications::title).first(conn)?;
        diesel::insert_into(notice_items::table)
            .values((
                notice_items::application_id.eq(*id),
                notice_items::notice_id.eq(notice_id),
                notice_items::company_name.eq(&company_name),
                notice_items::credit_code.eq(&credit_code),
                notice_items::project_title.eq(&title),
                notice_items::amount_fen.eq(amount),
            ))
            .execute(conn)?;
        total += amount;
        super::history(conn, *id, Action::PublishNotice.as_str(), (Some(before.state), Some(after.state)), Some(&part), Some(identity.user_id), case.round(), None, false)?;
        let detail = serde_json::json!({
            "action": Action::PublishNotice.as_str(),
            "from_state": before.state,
            "to_state": after.state,
            "role": super::role_name(part.role),
            "agency_id": lead_agency,
            "round": case.round(),
            "notice_id": notice_id,
            "closes_on": closes_on,
        });
        record(conn, meta, Event::new("application_review_step").actor(identity.user_id).object("application", *id).detail(detail))?;
        let now_case = super::load_case(conn, *id)?.ok_or(AppError::NotFound("the application"))?;
        super::notices::after_step(conn, origin, &case, &now_case, identity.user_id, None)?;
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let detail = serde_json::json!({ "program": program_code.trim(), "awards": order.len(), "total_fen": total, "published_on": today, "closes_on": closes_on, "working_days": working_days });
    record(conn, meta, Event::new("notice_published").actor(identity.user_id).object("notice", notice_id).detail(detail))?;
    // When the last day has ended (Beijing midnight), the awards with no open objection are
    // approved.
    let payload = serde_json::to_string(&ClosePayload { notice_id }).map_err(|e| AppError::Internal(e.into()))?;
    let at = closes_on.succ_opt().unwrap_or(closes_on).and_time(NaiveTime::MIN) - Duration::hours(8);
    crate::queue::insert(conn, Kind::NoticeClose, &payload, at.max(t), Some(&format!("notice_close:{notice_id}")), None)?;
    Ok(notice_id)
}

/// The `notice_close` job's effect: every award of the notice still in notice with no objection
/// open is approved by the portal. One with an open objection is approved when the last of its
/// objections is dismissed.
pub fn close(conn: &mut DbConn, origin: &str, meta: &RequestMeta, payload: &str) -> Result<(), AppError> {
    let p: ClosePayload = serde_json::from_str(payload).map_err(|e| AppError::Internal(anyhow::anyhow!("payload: {e}")))?;
    let ids: Vec<i64> = notice_items::table
        .inner_join(applications::table)
        .filter(notice_items::notice_id.eq(p.notice_id))
        .filter(applications::state.eq(ApplicationState::PublicNotice.code()))
        .order(notice_items::application_id)
        .select(notice_items::application_id)
        .load(conn)?;
    for id in ids {
        super::actions::portal_step(conn, meta, origin, id, Action::Approve, None)?;
    }
    Ok(())
}

/// The programs `identity` leads (as an agency lead of their lead agency) with the fully signed
/// approvals waiting for a notice: what the publish form lists.
pub fn awaiting(conn: &mut DbConn, identity: &Identity) -> Result<Vec<AwaitingNotice>, AppError> {
    let led = identity.led_agencies();
    if led.is_empty() {
        return Ok(Vec::new());
    }
    let led_programs: Vec<(i64, String, String, String, i32)> = programs::table
        .filter(programs::lead_agency_id.eq_any(&led))
        .order(programs::sort_order)
        .select((programs::id, programs::code, programs::title_zh, programs::title_en, programs::notice_working_days))
        .load(conn)?;
    let mut out = Vec::new();
    for (program_id, code, zh, en, days) in led_programs {
        // Approvals proposed in the decision stage; the fully signed ones are kept.
        let candidates: Vec<(i64, String, String, Option<i64>)> = applications::table
            .inner_join(enterprises::table)
            .filter(applications::program_id.eq(program_id))
            .filter(applications::state.eq(ApplicationState::AgencyDecision.code()))
            .filter(applications::proposal.eq("approve"))
            .order(applications::id)
            .limit(MAX_NOTICE_ITEMS as i64)
            .select((applications::id, enterprises::name_zh, applications::title, applications::proposed_amount_fen))
            .load(conn)?;
        let mut items = Vec::new();
        for (id, company_name, project_title, amount) in candidates {
            if let (Some(case), Some(amount_fen)) = (super::load_case(conn, id)?, amount) {
                if case.situation().approval_decided() {
                    items.push(AwaitingItem { application_id: id, company_name, project_title, amount_fen });
                }
            }
        }
        out.push(AwaitingNotice { program_code: code, program_title: Bilingual::new(zh, en), notice_working_days: u32::try_from(days).unwrap_or(0), items });
    }
    Ok(out)
}

/// What an award on a notice shows of its state.
fn award_status(state: i32) -> AwardStatus {
    match ApplicationState::from_code(state) {
        Some(ApplicationState::PublicNotice) => AwardStatus::InNotice,
        Some(ApplicationState::Approved | ApplicationState::Disbursement | ApplicationState::Closed) => AwardStatus::Approved,
        _ => AwardStatus::Rejected,
    }
}

/// Notice `id` as the public reads it, on `today` (Beijing).
pub fn view(conn: &mut DbConn, id: i64, today: NaiveDate) -> Result<NoticeView, AppError> {
    type Head = (i64, NaiveDate, NaiveDate, i32, String, String, String, String, String);
    let head: Option<Head> = notices::table
        .inner_join(programs::table.inner_join(agencies::table))
        .filter(notices::id.eq(id))
        .select((notices::id, notices::published_on, notices::closes_on, notices::working_days, programs::code, programs::title_zh, programs::title_en, agencies::name_zh, agencies::name_en))
        .first(conn)
        .optional()?;
    let (id, published_on, closes_on, working_days, program_code, zh, en, agency_zh, agency_en) = head.ok_or(AppError::NotFound("the notice"))?;
    let rows: Vec<(i64, String, String, String, i64, i32)> = notice_items::table
        .inner_join(applications::table)
        .filter(notice_items::notice_id.eq(id))
        .order(notice_items::application_id)
        .select((notice_items::application_id, notice_items::company_name, notice_items::credit_code, notice_items::project_title, notice_items::amount_fen, applications::state))
        .load(conn)?;
    let items: Vec<NoticeItem> = rows
        .into_iter()
        .map(|(application_id, company_name, credit_code, project_title, amount_fen, state)| NoticeItem { application_id, company_name, credit_code, project_title, amount_fen, status: award_status(state) })
        .collect();
    Ok(NoticeView {
        id,
        program_code,
        program_title: Bilingual::new(zh, en),
        agency_name: Bilingual::new(agency_zh, agency_en),
        published_on,
        closes_on,
        working_days: u32::try_from(working_days).unwrap_or(0),
        open: today <= closes_on,
        total_fen: items.iter().map(|i| i.amount_fen).sum(),
        items,
    })
}

/// Every notice, newest first, one page.
pub fn list(conn: &mut DbConn, q: &PageQuery, today: NaiveDate) -> Result<Page<NoticeSummary>, AppError> {
    let (page, per_page) = q.validate()?;
    let total: i64 = notices::table.count().get_result(conn)?;
    type Row = (i64, NaiveDate, NaiveDate, String, String, String);
    let rows: Vec<Row> = notices::table
        .inner_join(programs::table)
        .order(notices::id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select((notices::id, notices::published_on, notices::closes_on, programs::code, programs::title_zh, programs::title_en))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    // Counted and added up here: a notice lists at most `MAX_NOTICE_ITEMS` awards (and
    // PostgreSQL would add BIGINT up as NUMERIC).
    let amounts: Vec<(i64, i64)> = notice_items::table.filter(notice_items::notice_id.eq_any(&ids)).select((notice_items::notice_id, notice_items::amount_fen)).load(conn)?;
    let items = rows
        .into_iter()
        .map(|(id, published_on, closes_on, program_code, zh, en)| {
            let mine = amounts.iter().filter(|a| a.0 == id);
            let (awards, total_fen) = mine.fold((0i64, 0i64), |(n, sum), a| (n + 1, sum + a.1));
            NoticeSummary { id, program_code, program_title: Bilingual::new(zh, en), published_on, closes_on, open: today <= closes_on, awards, total_fen }
        })
        .collect();
    Ok(Page { items, total, page, per_page })
}

/// The notice as PDF (公示名单): the program, the agency, the window with its last day, and
/// each award's company, credit code, project and amount.
pub fn pdf(notice: &NoticeView, page_url: &str) -> anyhow::Result<Vec<u8>> {
    crate::documents::notices::notice_pdf(notice, page_url)
}

/// Publish a notice of a program's proposed awards: each application named must be a fully
/// signed approval of the program; they go on public notice together for the program's
/// `notice_working_days`, counted in working days from the day after today. Answers the notice.
#[utoipa::path(post, path = "/api/v1/programs/{code}/notices", tag = "awards", params(("code" = String, Path)), request_body = PublishNoticeRequest,
    responses((status = 201, body = NoticeView, description = "Published; the notice with its closing day"),
        (status = 401, description = "`unauthenticated`"),
        (status = 403, description = "`forbidden`: not an agency lead of the program's lead agency"),
        (status = 404, description = "`not_found`: no such program"),
        (status = 422, description = "`application_ids` `required`, `out_of_range` or `outside_year`; `application_ids.N` `duplicate`, `not_found` or `not_decided` (nothing is published)")))]
#[post("/programs/{code}/notices")]
pub async fn post_notice(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<String>, body: web::Json<PublishNoticeRequest>) -> Result<HttpResponse, AppError> {
    let (code, meta, body) = (path.into_inner(), RequestMeta::from_request(&req), body.into_inner());
    let origin = state.settings.public_origin().to_string();
    let id = state.db.write(move |conn| publish(conn, &meta, &identity, &code, &body, &origin)).await?;
    let today = state.clock.today();
    let view = state.db.run(move |conn| view(conn, id, today)).await?;
    Ok(HttpResponse::Created().insert_header((header::LOCATION, format!("/api/v1/notices/{id}"))).json(view))
}

/// Every public notice, newest first. Public.
#[utoipa::path(get, path = "/api/v1/notices", tag = "awards", params(PageQuery),
    responses((status = 200, body = Page<NoticeSummary>), (status = 422, description = "`page` or `per_page` out of range")))]
#[get("/notices")]
pub async fn get_notices(state: web::Data<AppState>, q: web::Query<PageQuery>) -> Result<HttpResponse, AppError> {
    let today = state.clock.today();
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| list(conn, &q, today)).await?))
}

/// A public notice: the program, the window and its closing day, whether objections are
/// accepted today, and every award it lists with where it stands. Public.
#[utoipa::path(get, path = "/api/v1/notices/{id}", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, body = NoticeView), (status = 404, description = "`not_found`: no such notice")))]
#[get("/notices/{id}")]
pub async fn get_notice(state: web::Data<AppState>, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let (id, today) = (path.into_inner(), state.clock.today());
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| view(conn, id, today)).await?))
}

/// The notice as PDF (公示名单), for printing and posting. Public.
#[utoipa::path(get, path = "/api/v1/notices/{id}/notice.pdf", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, description = "The public notice (公示名单)", content((Vec<u8> = "application/pdf"))), (status = 404, description = "`not_found`: no such notice")))]
#[get("/notices/{id}/notice.pdf")]
pub async fn get_notice_pdf(state: web::Data<AppState>, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let (id, today) = (path.into_inner(), state.clock.today());
    let url = state.link(&format!("/notices/{id}"));
    let db = state.db.clone();
    let bytes = state
        .public
        .notice_pdf
        .get_or_load((id, today), || async move {
            let notice = db.run(move |conn| view(conn, id, today)).await?;
            let bytes = web::block(move || pdf(&notice, &url)).await.map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))??;
            Ok::<_, AppError>(bytes::Bytes::from(bytes))
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/pdf"))
        .insert_header((header::CONTENT_DISPOSITION, format!("inline; filename=\"notice-{id}.pdf\"")))
        .body(bytes))
}
