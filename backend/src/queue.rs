//! The queue of scheduled work, as the changes that ask for it see it: the kinds of job, their
//! states and [`insert`], which writes a job inside the caller's write transaction. Running
//! jobs (claims, the worker, each kind's effect) is `jobs`, above every area; this part sits
//! below them, so an area (mail, reminders) can queue work without depending on the worker.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::jobs;
use crate::db::DbConn;

/// What a mail job names: the outbox row holding the message.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct MailPayload {
    pub outbox_id: i64,
}

/// Attempts before a mail job is given up (30 s doubling to an hour between them: about half a
/// day of an unreachable SMTP server).
pub const MAIL_ATTEMPTS: i32 = 12;

/// Attempts before a job is marked failed (mail has its own: [`Kind::max_attempts`]).
pub const MAX_ATTEMPTS: i32 = 5;

/// The kinds of job, as stored in `jobs.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One queued email (`mail.rs`).
    Mail,
    ReportReminders,
    /// A review stage's deadline is near (`review::deadlines`).
    StageReminder,
    /// A review stage's deadline has passed.
    StageEscalation,
    /// A public notice's window has closed: its awards without an open objection are approved
    /// (`review::public_notice`).
    NoticeClose,
    /// An objection's investigation deadline is near (`review::objections`).
    ObjectionReminder,
    /// An objection's investigation deadline has passed.
    ObjectionEscalation,
    /// A closed award's self-evaluation is due soon (`review::payments`).
    EvaluationReminder,
    /// A closed award's self-evaluation is overdue.
    EvaluationOverdue,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Mail,
        Kind::ReportReminders,
        Kind::StageReminder,
        Kind::StageEscalation,
        Kind::NoticeClose,
        Kind::ObjectionReminder,
        Kind::ObjectionEscalation,
        Kind::EvaluationReminder,
        Kind::EvaluationOverdue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Mail => "mail",
            Kind::ReportReminders => "report_reminders",
            Kind::StageReminder => "stage_reminder",
            Kind::StageEscalation => "stage_escalation",
            Kind::NoticeClose => "notice_close",
            Kind::ObjectionReminder => "objection_reminder",
            Kind::ObjectionEscalation => "objection_escalation",
            Kind::EvaluationReminder => "evaluation_reminder",
            Kind::EvaluationOverdue => "evaluation_overdue",
        }
    }

    /// Attempts before a job of this kind is marked failed: mail keeps trying for about half a
    /// day while the SMTP server is away (30 s doubling to an hour between attempts).
    pub fn max_attempts(self) -> i32 {
        match self {
            Kind::Mail => MAIL_ATTEMPTS,
            _ => MAX_ATTEMPTS,
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A job's state, as stored in `jobs.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Running,
    Done,
    Failed,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Pending, Status::Running, Status::Done, Status::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Running => "running",
            Status::Done => "done",
            Status::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The row of a new job, inside the caller's write; the worker is woken once it commits.
pub fn insert(conn: &mut DbConn, kind: Kind, payload: &str, run_at: NaiveDateTime, dedup_key: Option<&str>, created_by: Option<i64>) -> QueryResult<i64> {
    let now = crate::db::now();
    let id = diesel::insert_into(jobs::table)
        .values((
            jobs::kind.eq(kind.as_str()),
            jobs::payload.eq(payload),
            jobs::dedup_key.eq(dedup_key),
            jobs::status.eq(Status::Pending.as_str()),
            jobs::run_at.eq(run_at),
            jobs::max_attempts.eq(kind.max_attempts()),
            jobs::created_by.eq(created_by),
            jobs::created_at.eq(now),
            jobs::updated_at.eq(now),
        ))
        .returning(jobs::id)
        .get_result(conn)?;
    crate::db::scheduled_job();
    Ok(id)
}
