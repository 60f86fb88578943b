//! `GET /api/v1/review/queue`: the applications at the caller's stage of the review, with
//! filters, sort and the working days left before each stage's deadline (overdue first by
//! default). The caller's work: a park manager's base's applications with the recommending
//! unit, a district government's the same for its district, the lead agency's staff the formal
//! review, expert stage and decision of their agency's programs, a co-review agency's lead the
//! decisions of the programs it countersigns.

use actix_web::{get, web, HttpResponse};
use diesel::prelude::*;
use diesel::sql_types::Bool;
use serde::Deserialize;
use shared::accounts::Role as AccountRole;
use shared::applications::ApplicationState;
use shared::dto::{Bilingual, Page};
use shared::review::QueueRow;
use utoipa::IntoParams;

use crate::db::schema::{applications, bases, enterprises, program_agencies, programs, users};
use crate::db::DbConn;
use crate::error::{push_field_error, AppError, FieldErrors};
use crate::pagination::PageQuery;
use crate::principal::Identity;
use crate::state::AppState;

/// The queue's filters, sort and page.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct QueueQuery {
    /// `recommending_review`, `formal_review`, `expert_review` or `agency_decision` (default:
    /// every stage of the caller's work).
    pub stage: Option<String>,
    /// A program code.
    pub program: Option<String>,
    /// A base code (the recommending base).
    pub base: Option<String>,
    /// A six-digit division code the company is registered in (`310115`).
    pub district: Option<String>,
    /// The computed amount at least / at most this many fen.
    pub min_amount_fen: Option<i64>,
    pub max_amount_fen: Option<i64>,
    /// `overdue` (past the stage's deadline), `returned` (returned at least once),
    /// `unassigned` (no reviewer holds it), `mine` (the caller holds it).
    pub flag: Option<String>,
    /// `due` (the stage's deadline, earliest and so overdue first; the default), `amount`
    /// (largest first) or `submitted` (oldest first).
    pub sort: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

type Backend = <DbConn as diesel::Connection>::Backend;
type Condition = Box<dyn BoxableExpression<applications::table, Backend, SqlType = Bool>>;

const STAGES: [ApplicationState; 4] = shared::review::STAGES;

/// One part of the caller's work, read once per call and turned into a condition for each
/// query that needs it.
enum Lane {
    /// The recommending unit's applications of these bases.
    Bases(Vec<i64>),
    /// The recommending unit's applications of these district agencies.
    Districts(Vec<i64>),
    /// The lead agency's stages (state codes) of these programs.
    Lead(Vec<i32>, Vec<i64>),
    /// The decisions of the programs a co-review agency countersigns.
    CoReview(Vec<i64>),
}

impl Lane {
    fn condition(&self) -> Condition {
        let recommending = ApplicationState::RecommendingReview.code();
        match self {
            Lane::Bases(ids) => Box::new(applications::state.eq(recommending).and(applications::recommending_base_id.assume_not_null().eq_any(ids.clone()))),
            Lane::Districts(ids) => Box::new(applications::state.eq(recommending).and(applications::recommending_agency_id.assume_not_null().eq_any(ids.clone()))),
            Lane::Lead(states, programs) => Box::new(applications::state.eq_any(states.clone()).and(applications::program_id.eq_any(programs.clone()))),
            Lane::CoReview(programs) => Box::new(applications::state.eq(ApplicationState::AgencyDecision.code()).and(applications::program_id.eq_any(programs.clone()))),
        }
    }
}

/// The caller's work at `stage` (every stage of theirs when none).
fn work(conn: &mut DbConn, identity: &Identity, stage: Option<ApplicationState>) -> QueryResult<Vec<Lane>> {
    let agencies_as = |role: AccountRole| identity.grants.iter().filter(|g| g.role == role).filter_map(|g| g.agency_id).collect::<Vec<i64>>();
    let staff: Vec<i64> = agencies_as(AccountRole::AgencyReviewer).into_iter().chain(agencies_as(AccountRole::AgencyLead)).collect();
    let leads = agencies_as(AccountRole::AgencyLead);
    let wants = |s: ApplicationState| stage.is_none_or(|x| x == s);
    let mut lanes = Vec::new();
    let bases = identity.managed_bases();
    if wants(ApplicationState::RecommendingReview) && !bases.is_empty() {
        lanes.push(Lane::Bases(bases));
    }
    if wants(ApplicationState::RecommendingReview) && !staff.is_empty() {
        lanes.push(Lane::Districts(staff.clone()));
    }
    let lead_states: Vec<i32> = [ApplicationState::FormalReview, ApplicationState::ExpertReview, ApplicationState::AgencyDecision].into_iter().filter(|s| wants(*s)).map(|s| s.code()).collect();
    if !staff.is_empty() && !lead_states.is_empty() {
        let programs: Vec<i64> = programs::table.filter(programs::lead_agency_id.eq_any(&staff)).select(programs::id).load(conn)?;
        if !programs.is_empty() {
            lanes.push(Lane::Lead(lead_states, programs));
        }
    }
    if wants(ApplicationState::AgencyDecision) && !leads.is_empty() {
        let programs: Vec<i64> =
            program_agencies::table.filter(program_agencies::agency_id.eq_any(&leads)).filter(program_agencies::role.eq("co_review")).select(program_agencies::program_id).load(conn)?;
        if !programs.is_empty() {
            lanes.push(Lane::CoReview(programs));
        }
    }
    Ok(lanes)
}

/// One filter of the query string, read once per call.
enum Filter {
    Program(i64),
    Base(i64),
    District(String),
    MinAmount(i64),
    MaxAmount(i64),
    DueBefore(chrono::NaiveDate),
    Returned,
    Unassigned,
    AssignedTo(i64),
}

impl Filter {
    fn condition(&self) -> Condition {
        match self {
            Filter::Program(id) => Box::new(applications::program_id.eq(*id)),
            Filter::Base(id) => Box::new(applications::recommending_base_id.assume_not_null().eq(*id)),
            Filter::District(d) => Box::new(applications::enterprise_id.eq_any(enterprises::table.filter(enterprises::division_code.eq(d.clone())).select(enterprises::id))),
            Filter::MinAmount(v) => Box::new(applications::computed_amount_fen.assume_not_null().ge(*v)),
            Filter::MaxAmount(v) => Box::new(applications::computed_amount_fen.assume_not_null().le(*v)),
            Filter::DueBefore(day) => Box::new(applications::stage_due_on.assume_not_null().lt(*day)),
            Filter::Returned => Box::new(applications::review_round.gt(0)),
            Filter::Unassigned => Box::new(applications::assigned_reviewer_id.is_null()),
            Filter::AssignedTo(user) => Box::new(applications::assigned_reviewer_id.assume_not_null().eq(*user)),
        }
    }
}

/// The filters of `q` (beyond the caller's work), or field errors.
fn filters(conn: &mut DbConn, identity: &Identity, q: &QueueQuery, today: chrono::NaiveDate) -> Result<Vec<Filter>, AppError> {
    let mut out = Vec::new();
    let mut fields = FieldErrors::new();
    if let Some(code) = q.program.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        match programs::table.filter(programs::code.eq(code)).select(programs::id).first::<i64>(conn).optional()? {
            Some(id) => out.push(Filter::Program(id)),
            None => push_field_error(&mut fields, "program", "unknown_program", "No such program."),
        }
    }
    if let Some(code) = q.base.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        match bases::table.filter(bases::code.eq(code)).select(bases::id).first::<i64>(conn).optional()? {
            Some(id) => out.push(Filter::Base(id)),
            None => push_field_error(&mut fields, "base", "invalid", "No such base."),
        }
    }
    if let Some(d) = q.district.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        if d.len() != 6 || !d.chars().all(|c| c.is_ascii_digit()) {
            push_field_error(&mut fields, "district", "invalid_division", "A six-digit division code.");
        } else {
            out.push(Filter::District(d.to_string()));
        }
    }
    for (field, value) in [("min_amount_fen", q.min_amount_fen), ("max_amount_fen", q.max_amount_fen)] {
        if value.is_some_and(|v| v < 0) {
            push_field_error(&mut fields, field, "invalid_amount", "An amount in fen, not negative.");
        }
    }
    out.extend(q.min_amount_fen.map(Filter::MinAmount));
    out.extend(q.max_amount_fen.map(Filter::MaxAmount));
    match q.flag.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        None => {}
        Some("overdue") => out.push(Filter::DueBefore(today)),
        Some("returned") => out.push(Filter::Returned),
        Some("unassigned") => out.push(Filter::Unassigned),
        Some("mine") => out.push(Filter::AssignedTo(identity.user_id)),
        Some(_) => push_field_error(&mut fields, "flag", "not_allowed", "overdue, returned, unassigned or mine."),
    }
    if fields.is_empty() {
        Ok(out)
    } else {
        Err(AppError::Validation(fields))
    }
}

/// The caller's queue: one page, with its total.
pub fn queue(conn: &mut DbConn, identity: &Identity, q: &QueueQuery, today: chrono::NaiveDate) -> Result<Page<QueueRow>, AppError> {
    let (page, per_page) = PageQuery { page: q.page, per_page: q.per_page }.validate()?;
    let stage = match q.stage.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(STAGES.into_iter().find(|x| x.as_str() == s).ok_or_else(|| AppError::field("stage", "not_allowed", "A review stage."))?),
    };
    let sort = q.sort.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or("due");
    if !["due", "amount", "submitted"].contains(&sort) {
        return Err(AppError::field("sort", "not_allowed", "due, amount or submitted."));
    }
    // The filters are checked first: a bad one is refused even when the caller has no work.
    let filters = filters(conn, identity, q, today)?;
    let lanes = work(conn, identity, stage)?;
    if lanes.is_empty() {
        return Ok(Page { items: Vec::new(), total: 0, page, per_page });
    }
    // The same conditions twice (a boxed query is used once): for the count and for the page.
    let build = || {
        let mut query = applications::table.into_boxed();
        if let Some(w) = lanes.iter().map(Lane::condition).reduce(|a, b| Box::new(a.or(b))) {
            query = query.filter(w);
        }
        for f in &filters {
            query = query.filter(f.condition());
        }
        query
    };
    let total: i64 = build().count().get_result(conn)?;
    let query = build();
    let query = match sort {
        "amount" => query.order((applications::computed_amount_fen.desc(), applications::id)),
        "submitted" => query.order((applications::submitted_at.asc(), applications::id)),
        _ => query.order((applications::stage_due_on.asc(), applications::id)),
    };
    type Row = (i64, i32, i64, i64, Option<i64>, String, Option<i64>, Option<chrono::NaiveDateTime>, Option<chrono::NaiveDate>, i32, Option<i64>);
    let rows: Vec<Row> = query
        .select((
            applications::id,
            applications::state,
            applications::program_id,
            applications::enterprise_id,
            applications::recommending_base_id,
            applications::title,
            applications::computed_amount_fen,
            applications::submitted_at,
            applications::stage_due_on,
            applications::review_round,
            applications::assigned_reviewer_id,
        ))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .load(conn)?;
    // Names for the page's rows, one query each.
    let program_ids: Vec<i64> = rows.iter().map(|r| r.2).collect();
    let programs_of: Vec<(i64, String, String, String)> =
        programs::table.filter(programs::id.eq_any(&program_ids)).select((programs::id, programs::code, programs::title_zh, programs::title_en)).load(conn)?;
    let enterprise_ids: Vec<i64> = rows.iter().map(|r| r.3).collect();
    let companies: Vec<(i64, String, String, String)> = enterprises::table
        .filter(enterprises::id.eq_any(&enterprise_ids))
        .select((enterprises::id, enterprises::name_zh, enterprises::credit_code, enterprises::division_code))
        .load(conn)?;
    let base_ids: Vec<i64> = rows.iter().filter_map(|r| r.4).collect();
    let base_codes: Vec<(i64, String)> = bases::table.filter(bases::id.eq_any(&base_ids)).select((bases::id, bases::code)).load(conn)?;
    let reviewer_ids: Vec<i64> = rows.iter().filter_map(|r| r.10).collect();
    let reviewers: Vec<(i64, String)> = users::table.filter(users::id.eq_any(&reviewer_ids)).select((users::id, users::display_name)).load(conn)?;
    let calendar = crate::calendar::load(conn)?;
    let items = rows
        .into_iter()
        .map(|(id, state, program_id, enterprise_id, base_id, title, amount, submitted_at, due, round, reviewer)| {
            let program = programs_of.iter().find(|p| p.0 == program_id);
            let company = companies.iter().find(|c| c.0 == enterprise_id);
            let left = due.map(|d| {
                if d >= today {
                    i64::from(calendar.working_days_between(today, d).value)
                } else {
                    // Past it: the working days since, at least one (a weekend after a Friday
                    // deadline is already late).
                    -i64::from(calendar.working_days_between(d, today).value.max(1))
                }
            });
            QueueRow {
                id,
                state: ApplicationState::from_code(state).unwrap_or(ApplicationState::Draft),
                program_code: program.map(|p| p.1.clone()).unwrap_or_default(),
                program_title: Bilingual { zh: program.map(|p| p.2.clone()).unwrap_or_default(), en: program.map(|p| p.3.clone()).unwrap_or_default() },
                company_name: company.map(|c| c.1.clone()).unwrap_or_default(),
                company_credit_code: company.map(|c| c.2.clone()).unwrap_or_default(),
                division_code: company.map(|c| c.3.clone()).unwrap_or_default(),
                base_code: base_id.and_then(|b| base_codes.iter().find(|x| x.0 == b)).map(|x| x.1.clone()),
                title,
                computed_amount_fen: amount,
                submitted_at: submitted_at.map(|t| t.and_utc()),
                stage_due_on: due,
                working_days_left: left,
                overdue: due.is_some_and(|d| d < today),
                returned_before: round > 0,
                assigned_reviewer_id: reviewer,
                assigned_reviewer_name: reviewer.and_then(|r| reviewers.iter().find(|x| x.0 == r)).map(|x| x.1.clone()),
            }
        })
        .collect();
    Ok(Page { items, total, page, per_page })
}

/// The applications at the caller's stage of the review (park managers, district and agency
/// staff), with filters and sort; each row with the working days left before its stage's
/// deadline.
#[utoipa::path(get, path = "/api/v1/review/queue", tag = "review", params(QueueQuery),
    responses((status = 200, body = Page<QueueRow>), (status = 401, description = "`unauthenticated`"),
        (status = 422, description = "`stage`, `sort` or `flag` not one of theirs; `program` `unknown_program`; `base` invalid; `district` `invalid_division`; an amount `invalid_amount`; `page` or `per_page` out of range")))]
#[get("/review/queue")]
pub async fn get_queue(state: web::Data<AppState>, identity: Identity, q: web::Query<QueueQuery>) -> Result<HttpResponse, AppError> {
    let today = state.clock.today();
    let q = q.into_inner();
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| queue(conn, &identity, &q, today)).await?))
}
