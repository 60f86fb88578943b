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
use shared::calendar::WorkCalendar;
use shared::review::QueueRow;
use std::sync::Arc;
use utoipa::IntoParams;

use crate::db::schema::{applications, bases, enterprises, program_agencies, programs, users};
use crate::caches::QueueCaches;
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

/// One part of the caller's work, read once per call, which an index serves in deadline order
/// (`applications_queue_*_idx`): a program's applications at one stage, or a base's or a
/// district agency's awaiting its recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Segment {
    Program(i64, i32),
    Base(i64),
    District(i64),
}

impl Segment {
    fn condition(self) -> Condition {
        let recommending = ApplicationState::RecommendingReview.code();
        match self {
            Segment::Program(program, state) => Box::new(applications::program_id.eq(program).and(applications::state.eq(state))),
            Segment::Base(id) => Box::new(applications::recommending_base_id.assume_not_null().eq(id).and(applications::state.eq(recommending))),
            Segment::District(id) => Box::new(applications::recommending_agency_id.assume_not_null().eq(id).and(applications::state.eq(recommending))),
        }
    }
}

/// The caller's work at `stage` (every stage of theirs when none), as segments. Which
/// programs an agency leads or countersigns is read once per data generation.
fn work(conn: &mut DbConn, identity: &Identity, stage: Option<ApplicationState>, caches: &QueueCaches) -> QueryResult<Vec<Segment>> {
    let agencies_as = |role: AccountRole| identity.grants.iter().filter(|g| g.role == role).filter_map(|g| g.agency_id).collect::<Vec<i64>>();
    let staff: Vec<i64> = agencies_as(AccountRole::AgencyReviewer).into_iter().chain(agencies_as(AccountRole::AgencyLead)).collect();
    let leads = agencies_as(AccountRole::AgencyLead);
    let wants = |s: ApplicationState| stage.is_none_or(|x| x == s);
    let mut out = Vec::new();
    if wants(ApplicationState::RecommendingReview) {
        out.extend(identity.managed_bases().into_iter().map(Segment::Base));
        out.extend(staff.iter().copied().map(Segment::District));
    }
    let lead_states: Vec<i32> = [ApplicationState::FormalReview, ApplicationState::ExpertReview, ApplicationState::AgencyDecision].into_iter().filter(|s| wants(*s)).map(|s| s.code()).collect();
    if !staff.is_empty() && !lead_states.is_empty() {
        let programs = caches.programs.get_or_try(format!("lead {staff:?}"), || {
            programs::table.filter(programs::lead_agency_id.eq_any(&staff)).select(programs::id).load::<i64>(conn).map(Arc::new)
        })?;
        for p in programs.iter().copied() {
            out.extend(lead_states.iter().map(|s| Segment::Program(p, *s)));
        }
    }
    if wants(ApplicationState::AgencyDecision) && !leads.is_empty() {
        let programs = caches.programs.get_or_try(format!("co_review {leads:?}"), || {
            program_agencies::table
                .filter(program_agencies::agency_id.eq_any(&leads))
                .filter(program_agencies::role.eq("co_review"))
                .select(program_agencies::program_id)
                .load::<i64>(conn)
                .map(Arc::new)
        })?;
        out.extend(programs.iter().map(|p| Segment::Program(*p, ApplicationState::AgencyDecision.code())));
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|s| seen.insert(*s));
    Ok(out)
}

/// One filter of the query string, read once per call.
#[derive(Debug)]
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

/// `SELECT * FROM (q0 LIMIT n) AS s0 UNION ALL SELECT * FROM (q1 LIMIT n) AS s1 ...`: each
/// branch keeps its own `ORDER BY` and `LIMIT` (so an index serves it), and the database gets
/// one statement instead of one per branch. Diesel's own `union_all` is not available for a
/// connection that may be either database; this form is valid SQL on both.
///
/// The statement is prepared once per connection and text, and the limit is written into the
/// text (it is ours: pages times page size, both validated), so that PostgreSQL settles on one
/// generic plan instead of planning every call (with the limit as a parameter it cannot cost
/// the plan and plans each call anew, which was a quarter of the database's work under load).
/// Past the first pages the text is not kept, so the cache stays small.
struct UnionAll<Q> {
    branches: Vec<Q>,
    limit: i64,
}

/// The largest limit written into a statement that is kept prepared.
const CACHED_LIMIT: i64 = 200;

impl<Q> diesel::query_builder::QueryId for UnionAll<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: diesel::query_builder::Query> diesel::query_builder::Query for UnionAll<Q> {
    type SqlType = Q::SqlType;
}

impl<Q: diesel::query_builder::QueryFragment<Backend>> diesel::query_builder::QueryFragment<Backend> for UnionAll<Q> {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, Backend>) -> QueryResult<()> {
        if self.limit > CACHED_LIMIT {
            out.unsafe_to_cache_prepared();
        }
        for (i, branch) in self.branches.iter().enumerate() {
            if i > 0 {
                out.push_sql(" UNION ALL ");
            }
            out.push_sql("SELECT * FROM (");
            branch.walk_ast(out.reborrow())?;
            out.push_sql(&format!(" LIMIT {}) AS s{i}", self.limit));
        }
        Ok(())
    }
}

impl<Q, C> RunQueryDsl<C> for UnionAll<Q> {}

/// What the queue is ordered by, for one application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortKey {
    Due(Option<chrono::NaiveDate>),
    Amount(Option<i64>),
    Submitted(Option<chrono::NaiveDateTime>),
}

impl SortKey {
    /// The database's own order (`nulls_small`: NULL is the smallest value, as on SQLite;
    /// PostgreSQL treats it as the largest).
    fn compare(&self, other: &SortKey, nulls_small: bool) -> std::cmp::Ordering {
        fn opt<T: Ord>(a: &Option<T>, b: &Option<T>, nulls_small: bool) -> std::cmp::Ordering {
            match (a, b) {
                (Some(x), Some(y)) => x.cmp(y),
                (None, None) => std::cmp::Ordering::Equal,
                (None, Some(_)) if nulls_small => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some(_), None) if nulls_small => std::cmp::Ordering::Greater,
                (Some(_), None) => std::cmp::Ordering::Less,
            }
        }
        match (self, other) {
            (SortKey::Due(a), SortKey::Due(b)) => opt(a, b, nulls_small),
            (SortKey::Submitted(a), SortKey::Submitted(b)) => opt(a, b, nulls_small),
            // Largest first.
            (SortKey::Amount(a), SortKey::Amount(b)) => opt(b, a, nulls_small),
            _ => std::cmp::Ordering::Equal,
        }
    }
}

/// The caller's queue: one page, with its total.
pub fn queue(conn: &mut DbConn, identity: &Identity, q: &QueueQuery, today: chrono::NaiveDate, caches: &QueueCaches) -> Result<Page<QueueRow>, AppError> {
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
    let segments = work(conn, identity, stage, caches)?;
    if segments.is_empty() {
        return Ok(Page { items: Vec::new(), total: 0, page, per_page });
    }
    let with_filters = |segment: Segment| {
        let mut query = applications::table.filter(segment.condition()).into_boxed();
        for f in &filters {
            query = query.filter(f.condition());
        }
        query
    };
    // Each segment is read in order on its own (an index serves it; no sort of the whole
    // queue), all in one statement (`UNION ALL` of the segments' first rows), then merged here.
    // NULLs sort first on SQLite and last on PostgreSQL in ascending order; the merge follows
    // the database.
    let nulls_small = matches!(conn, DbConn::Sqlite(_));
    let mut total = 0i64;
    let wanted = page * per_page;
    for segment in segments.iter().copied() {
        // Counted once per data generation: the same part under the same filters is shared by
        // everyone whose work it is, and by each page of theirs.
        let key = format!("{segment:?}{filters:?}");
        total += caches.totals.get_or_try(key, || with_filters(segment).count().get_result::<i64>(conn))?;
    }
    let branches = |segments: &[Segment]| segments.iter().map(|s| with_filters(*s)).collect::<Vec<_>>();
    // (sort key, id): the key is the deadline, the amount or the submission time.
    let mut keys: Vec<(SortKey, i64)> = match sort {
        "amount" => {
            let q = branches(&segments).into_iter().map(|b| b.order((applications::computed_amount_fen.desc(), applications::id)).select((applications::computed_amount_fen, applications::id)));
            UnionAll { branches: q.collect(), limit: wanted }.load::<(Option<i64>, i64)>(conn)?.into_iter().map(|(a, id)| (SortKey::Amount(a), id)).collect()
        }
        "submitted" => {
            let q = branches(&segments).into_iter().map(|b| b.order((applications::submitted_at.asc(), applications::id)).select((applications::submitted_at, applications::id)));
            UnionAll { branches: q.collect(), limit: wanted }.load::<(Option<chrono::NaiveDateTime>, i64)>(conn)?.into_iter().map(|(t, id)| (SortKey::Submitted(t), id)).collect()
        }
        _ => {
            let q = branches(&segments).into_iter().map(|b| b.order((applications::stage_due_on.asc(), applications::id)).select((applications::stage_due_on, applications::id)));
            UnionAll { branches: q.collect(), limit: wanted }.load::<(Option<chrono::NaiveDate>, i64)>(conn)?.into_iter().map(|(d, id)| (SortKey::Due(d), id)).collect()
        }
    };
    keys.sort_by(|a, b| a.0.compare(&b.0, nulls_small).then(a.1.cmp(&b.1)));
    keys.dedup_by_key(|k| k.1);
    let ids: Vec<i64> = keys.into_iter().skip(usize::try_from((page - 1) * per_page).unwrap_or(usize::MAX)).take(usize::try_from(per_page).unwrap_or(0)).map(|k| k.1).collect();
    let calendar = calendar(conn, caches)?;
    let items = rows_of(conn, &ids, today, &calendar)?;
    Ok(Page { items, total, page, per_page })
}

/// The working-day calendar, as read in this data generation.
pub fn calendar(conn: &mut DbConn, caches: &QueueCaches) -> QueryResult<Arc<WorkCalendar>> {
    caches.calendar.get_or_try((), || crate::calendar::load(conn).map(Arc::new))
}

/// Applications `ids` as queue rows, in that order, with the working days left as of `today`.
pub fn rows_of(conn: &mut DbConn, ids: &[i64], today: chrono::NaiveDate, calendar: &WorkCalendar) -> QueryResult<Vec<QueueRow>> {
    type Row = (
        (i64, i32, String, Option<i64>, Option<chrono::NaiveDateTime>, Option<chrono::NaiveDate>, i32, Option<i64>),
        (String, String, String),
        (String, String, String),
        Option<String>,
        Option<String>,
    );
    // One read: the rows with their program's, company's, base's and holder's names.
    let mut rows: Vec<Row> = applications::table
        .inner_join(programs::table)
        .inner_join(enterprises::table)
        .left_join(bases::table)
        .left_join(users::table.on(users::id.nullable().eq(applications::assigned_reviewer_id)))
        .filter(applications::id.eq_any(ids))
        .select((
            (
                applications::id,
                applications::state,
                applications::title,
                applications::computed_amount_fen,
                applications::submitted_at,
                applications::stage_due_on,
                applications::review_round,
                applications::assigned_reviewer_id,
            ),
            (programs::code, programs::title_zh, programs::title_en),
            (enterprises::name_zh, enterprises::credit_code, enterprises::division_code),
            bases::code.nullable(),
            users::display_name.nullable(),
        ))
        .load(conn)?;
    rows.sort_by_key(|r| ids.iter().position(|id| *id == r.0 .0));
    Ok(rows
        .into_iter()
        .map(|((id, state, title, amount, submitted_at, due, round, reviewer), (program_code, zh, en), (company_name, credit_code, division_code), base_code, reviewer_name)| {
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
                program_code,
                program_title: Bilingual { zh, en },
                company_name,
                company_credit_code: credit_code,
                division_code,
                base_code,
                title,
                computed_amount_fen: amount,
                submitted_at: submitted_at.map(|t| t.and_utc()),
                stage_due_on: due,
                working_days_left: left,
                overdue: due.is_some_and(|d| d < today),
                returned_before: round > 0,
                assigned_reviewer_id: reviewer,
                assigned_reviewer_name: reviewer_name,
            }
        })
        .collect())
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
    let caches = state.queue.clone();
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| queue(conn, &identity, &q, today, &caches)).await?))
}
