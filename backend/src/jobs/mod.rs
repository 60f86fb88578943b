//! Scheduled work that survives a restart (the `jobs` table): a job is scheduled inside the
//! write transaction of the change that asks for it, and run by a worker once the portal's
//! [`Clock`](crate::clock::Clock) reaches its `run_at`. One file per kind of job
//! (`mail.rs`, `report_reminders.rs`; the review stages' reminders and escalations follow).
//! The worker is woken once the transaction that scheduled a job has committed (the write path
//! sees [`insert`] mark it), and otherwise looks for due jobs every few seconds.
//!
//! Running a job: a worker claims it in a short write of its own (PostgreSQL: `FOR UPDATE SKIP
//! LOCKED`, so several processes on one database never claim one job twice; SQLite: inside the
//! immediate transaction, which one writer holds at a time), holding no connection afterwards.
//! Then, in one write transaction, the kind's handler applies the job's effect and the job is
//! marked done, conditional on the claim still being this worker's; so a worker that died
//! (or whose claim expired and was taken over) never applies an effect, and the effect is
//! applied once. A failure puts the job back to pending with a later `run_at` (back-off) and
//! its last error, and after `max_attempts` marks it failed; a system admin sees it and can
//! retry it (`/admin/jobs`).

pub mod list_jobs;
pub mod mail;
pub mod report_reminders;
pub mod retry_job;
pub mod worker;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use shared::jobs::JobView;

pub use crate::queue::{insert, Kind, Status, MAX_ATTEMPTS};
use crate::accounts::audit::RequestMeta;
use crate::db::schema::jobs;
use crate::db::{Db, DbConn};
use crate::error::AppError;
use crate::state::AppState;

/// How long a claim lasts: a job not finished by then is taken to be lost with its process.
pub const LEASE: Duration = Duration::minutes(5);

/// A job as a worker claimed it.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i32,
    pub max_attempts: i32,
}

/// A job row as the lists show it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = jobs)]
pub struct Row {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub run_at: NaiveDateTime,
    pub attempts: i32,
    pub max_attempts: i32,
    pub last_error: Option<String>,
    pub payload: String,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

impl Row {
    pub fn view(self) -> JobView {
        JobView {
            id: self.id,
            kind: self.kind,
            status: self.status,
            run_at: self.run_at.and_utc(),
            attempts: self.attempts,
            max_attempts: self.max_attempts,
            last_error: self.last_error,
            payload: serde_json::from_str(&self.payload).unwrap_or(serde_json::Value::Null),
            created_at: self.created_at.and_utc(),
            finished_at: self.finished_at.map(|t| t.and_utc()),
        }
    }
}

/// One job as the lists show it; 404 when there is none.
pub fn view_of(conn: &mut DbConn, id: i64) -> Result<JobView, AppError> {
    let row: Row = jobs::table.find(id).select(Row::as_select()).first(conn).optional()?.ok_or(AppError::NotFound("the job"))?;
    Ok(row.view())
}

/// Schedule a job of `kind` at `run_at`, inside the caller's write transaction. With a
/// `dedup_key`, scheduling the same thing again is refused (409 `job_exists`) by the unique
/// index, not only by this check.
pub fn schedule(conn: &mut DbConn, kind: Kind, payload: &impl Serialize, run_at: NaiveDateTime, dedup_key: Option<&str>, created_by: Option<i64>) -> Result<i64, AppError> {
    if let Some(key) = dedup_key {
        let taken: Option<i64> = jobs::table.filter(jobs::dedup_key.eq(key)).select(jobs::id).first(conn).optional()?;
        if taken.is_some() {
            return Err(AppError::Conflict { code: "job_exists", message: "This is already scheduled.".into() });
        }
    }
    let payload = serde_json::to_string(payload).map_err(|e| AppError::Internal(e.into()))?;
    Ok(insert(conn, kind, &payload, run_at, dedup_key, created_by)?)
}

/// Which kinds a worker runs: all of them (a server process), or only some (the tests run
/// mail in the background and every other kind on demand).
#[derive(Debug, Clone, Copy)]
pub enum Kinds {
    All,
    Only(&'static [Kind]),
    AllBut(Kind),
}

impl Kinds {
    fn names(self) -> Vec<&'static str> {
        let wanted = |k: &Kind| match self {
            Kinds::All => true,
            Kinds::Only(kinds) => kinds.contains(k),
            Kinds::AllBut(other) => *k != other,
        };
        Kind::ALL.iter().filter(|k| wanted(k)).map(|k| k.as_str()).collect()
    }
}

/// Claim the next due job of `kinds` for `worker` (its own write): pending with `run_at`
/// reached, or running with an expired claim. `None` when nothing is due. Whether anything is
/// due is read first, so an idle worker's look is a read, not a write transaction.
pub fn claim(db: &Db, worker: &str, kinds: Kinds) -> Result<Option<Claimed>, AppError> {
    let names = kinds.names();
    let any_due = db.read_blocking(|conn| {
        let now = crate::db::now();
        Ok(jobs::table.filter(is_due(now)).filter(jobs::kind.eq_any(&names)).select(jobs::id).first::<i64>(conn).optional()?)
    })?;
    if any_due.is_none() {
        return Ok(None);
    }
    db.write_bookkeeping_blocking(|conn| {
        let now = crate::db::now();
        let due = jobs::table
            .filter(is_due(now))
            .filter(jobs::kind.eq_any(&names))
            .order((jobs::run_at, jobs::id))
            .select(jobs::id);
        let id: Option<i64> = match conn {
            // Another process's claim in flight is skipped, not waited for.
            DbConn::Postgres(c) => due.for_update().skip_locked().first(c).optional()?,
            DbConn::Sqlite(c) => due.first(c).optional()?,
        };
        let Some(id) = id else { return Ok(None) };
        let claimed = diesel::update(jobs::table.find(id))
            .set((
                jobs::status.eq(Status::Running.as_str()),
                jobs::attempts.eq(jobs::attempts + 1),
                jobs::claimed_by.eq(worker),
                jobs::claimed_until.eq(now + LEASE),
                jobs::updated_at.eq(now),
            ))
            .returning((jobs::id, jobs::kind, jobs::payload, jobs::attempts, jobs::max_attempts))
            .get_result::<(i64, String, String, i32, i32)>(conn)?;
        let (id, kind, payload, attempts, max_attempts) = claimed;
        Ok(Some(Claimed { id, kind, payload, attempts, max_attempts }))
    })
}

/// The delay before attempt `attempts + 1`: 30 s, 1 min, 2 min, ... at most an hour.
pub fn back_off(attempts: i32) -> Duration {
    Duration::seconds((30i64 << attempts.clamp(0, 7)).min(3600))
}

/// Run one claimed job: its effect and "done" in one transaction that commits only while the
/// claim is still `worker`'s; on failure, back to pending after the back-off, or failed.
/// Mail is sent outside any transaction first (`mail::send`). Returns whether it succeeded.
pub fn execute(state: &AppState, worker: &str, job: &Claimed) -> Result<bool, AppError> {
    let meta = RequestMeta::background(&format!("job {} ({})", job.id, job.kind));
    let outcome = match Kind::parse(&job.kind) {
        Some(Kind::Mail) => mail::send(state, worker, job),
        Some(Kind::ReportReminders) => finish_with(state, worker, job, |conn| report_reminders::run(conn, state, &meta, &job.payload, job.id)),
        Some(kind @ (Kind::StageReminder | Kind::StageEscalation)) => {
            let origin = state.settings.public_origin().to_string();
            finish_with(state, worker, job, |conn| crate::review::deadlines::run(conn, &origin, &meta, kind, &job.payload))
        }
        Some(Kind::NoticeClose) => {
            let origin = state.settings.public_origin().to_string();
            finish_with(state, worker, job, |conn| crate::review::public_notice::close(conn, &origin, &meta, &job.payload))
        }
        Some(kind @ (Kind::EvaluationReminder | Kind::EvaluationOverdue)) => {
            let origin = state.settings.public_origin().to_string();
            finish_with(state, worker, job, |conn| crate::review::payments::run_evaluation_deadline(conn, &origin, &meta, kind, &job.payload))
        }
        Some(kind @ (Kind::ObjectionReminder | Kind::ObjectionEscalation)) => {
            let origin = state.settings.public_origin().to_string();
            finish_with(state, worker, job, |conn| crate::review::objections::run_deadline(conn, &origin, &meta, kind, &job.payload))
        }
        None => Err(AppError::Internal(anyhow::anyhow!("unknown kind of job {:?}", job.kind))),
    };
    match outcome {
        Ok(()) => Ok(true),
        Err(AppError::Conflict { code: "claim_lost", .. }) => Ok(false),
        Err(e) => {
            let error: String = format!("{}: {}", e.code(), e.detail()).chars().take(1000).collect();
            tracing::warn!(job = job.id, kind = %job.kind, attempts = job.attempts, error = %error, "job failed");
            let failed = job.attempts >= job.max_attempts;
            state.db.write_bookkeeping_blocking(|conn| {
                let now = crate::db::now();
                diesel::update(jobs::table.find(job.id).filter(jobs::claimed_by.eq(worker)).filter(jobs::status.eq(Status::Running.as_str())))
                    .set((
                        jobs::status.eq(if failed { Status::Failed } else { Status::Pending }.as_str()),
                        jobs::run_at.eq(now + back_off(job.attempts - 1)),
                        jobs::claimed_until.eq(None::<NaiveDateTime>),
                        jobs::last_error.eq(&error),
                        jobs::finished_at.eq(failed.then_some(now)),
                        jobs::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                if failed && job.kind == Kind::Mail.as_str() {
                    mail::given_up(conn, &job.payload)?;
                }
                Ok(())
            })?;
            Ok(false)
        }
    }
}

/// `effect` and "done" in one write transaction, which commits only while the claim is still
/// `worker`'s (409 `claim_lost` otherwise: the claim expired and another worker took the job).
fn finish_with(state: &AppState, worker: &str, job: &Claimed, mut effect: impl FnMut(&mut DbConn) -> Result<(), AppError>) -> Result<(), AppError> {
    state.db.write_blocking(|conn| {
        effect(conn)?;
        if !mark_done(conn, worker, job.id)? {
            return Err(AppError::Conflict { code: "claim_lost", message: "The job's claim was taken over.".into() });
        }
        Ok(())
    })
}

/// Mark `id` done if `worker` still holds its claim; whether it did.
fn mark_done(conn: &mut DbConn, worker: &str, id: i64) -> QueryResult<bool> {
    let now = crate::db::now();
    let finished = diesel::update(jobs::table.find(id).filter(jobs::status.eq(Status::Running.as_str())).filter(jobs::claimed_by.eq(worker)))
        .set((jobs::status.eq(Status::Done.as_str()), jobs::claimed_until.eq(None::<NaiveDateTime>), jobs::finished_at.eq(now), jobs::updated_at.eq(now)))
        .execute(conn)?;
    Ok(finished == 1)
}

/// Run every job of `kinds` due now, one after another, as `worker`; returns how many ran
/// (done or not).
pub fn run_due(state: &AppState, worker: &str, kinds: Kinds) -> Result<usize, AppError> {
    let mut ran = 0;
    while let Some(job) = claim(&state.db, worker, kinds)? {
        execute(state, worker, &job)?;
        ran += 1;
    }
    Ok(ran)
}

/// How many jobs of `kinds` are due and not run (pending with `run_at` reached, or holding an
/// expired claim) at `now`.
pub fn due_count(conn: &mut DbConn, now: NaiveDateTime, kinds: Kinds) -> QueryResult<i64> {
    jobs::table.filter(is_due(now)).filter(jobs::kind.eq_any(kinds.names())).count().get_result(conn)
}

/// Due at `now`: pending with `run_at` reached, or running with an expired claim.
#[diesel::dsl::auto_type]
fn is_due(now: NaiveDateTime) -> _ {
    let pending: &'static str = Status::Pending.as_str();
    let running: &'static str = Status::Running.as_str();
    jobs::status.eq(pending).and(jobs::run_at.le(now)).or(jobs::status.eq(running).and(jobs::claimed_until.lt(now)))
}
