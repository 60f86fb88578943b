//! Stage deadlines as jobs: when an application enters a stage with a deadline, a reminder is
//! queued for the morning `remind_before` working days ahead of it, and an escalation for the
//! moment the deadline day has ended (Beijing time). Each is a row in `jobs` with a key of its
//! own (application, round, stage, kind), so scheduling twice makes one, a restart loses none,
//! and the worker runs each once, in the transaction that marks it done. When it runs, a job
//! whose application has moved on does nothing.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use shared::applications::ApplicationState;
use shared::notifications::NoticeKind;

use super::notices::{self, Notice};
use crate::accounts::audit::{record, Event, RequestMeta};
use crate::db::schema::{jobs, supplement_flags};
use crate::db::DbConn;
use crate::error::AppError;
use crate::queue::Kind;

/// What a deadline job works on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Payload {
    pub application_id: i64,
    pub round: i32,
    /// The stage's state code.
    pub state: i32,
    pub due_on: NaiveDate,
}

/// The UTC instant of `time` Beijing time on `day`.
fn beijing(day: NaiveDate, time: NaiveTime) -> NaiveDateTime {
    day.and_time(time) - Duration::hours(8)
}

/// Queue the reminder and the escalation of `state` (round `round`) of application `id`, due
/// on `due_on`, inside the caller's write; `remind_before` working days ahead for the reminder.
pub fn schedule(conn: &mut DbConn, calendar: &shared::calendar::WorkCalendar, id: i64, round: i32, state: ApplicationState, due_on: NaiveDate, remind_before: u32) -> Result<(), AppError> {
    let payload = Payload { application_id: id, round, state: state.code(), due_on };
    let text = serde_json::to_string(&payload).map_err(|e| AppError::Internal(e.into()))?;
    let remind_on = calendar.working_days_before(due_on, remind_before).unwrap_or(due_on);
    let morning = NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default();
    let now = crate::db::now();
    let remind_at = beijing(remind_on, morning).max(now);
    // The deadline day is whole: the escalation comes at the midnight that ends it.
    let escalate_at = beijing(due_on.succ_opt().unwrap_or(due_on), NaiveTime::MIN).max(now);
    for (kind, at) in [(Kind::StageReminder, remind_at), (Kind::StageEscalation, escalate_at)] {
        // The deadline is part of the key: an extended supplement gets jobs of its own, and the
        // earlier ones find the deadline moved and do nothing.
        let key = format!("{}:{id}:{round}:{}:{due_on}", kind.as_str(), state.as_str());
        let taken: bool = diesel::select(diesel::dsl::exists(jobs::table.filter(jobs::dedup_key.eq(&key)))).get_result(conn)?;
        if !taken {
            crate::queue::insert(conn, kind, &text, at, Some(&key), None)?;
        }
    }
    Ok(())
}

/// A deadline job's effect, inside its transaction: the reminder to whoever holds the work, or
/// the escalation to the lead agency's agency leads (for an unanswered supplement, to whoever
/// returned it), each only while the application is still in that stage of that round.
pub fn run(conn: &mut DbConn, origin: &str, meta: &RequestMeta, kind: Kind, payload: &str) -> Result<(), AppError> {
    let p: Payload = serde_json::from_str(payload).map_err(|e| AppError::Internal(anyhow::anyhow!("payload: {e}")))?;
    let Some(case) = super::load_case(conn, p.application_id)? else { return Ok(()) };
    if case.row.state != p.state || case.round() != p.round || case.row.stage_due_on.is_some_and(|d| d != p.due_on) {
        return Ok(());
    }
    let state = case.state();
    let (notice_kind, recipients) = match kind {
        Kind::StageReminder => (NoticeKind::Reminder, notices::holders(conn, &case)?),
        _ if state == ApplicationState::ReturnedForSupplement => {
            let returners: Vec<i64> = supplement_flags::table
                .filter(supplement_flags::application_id.eq(p.application_id))
                .filter(supplement_flags::round.eq(p.round))
                .select(supplement_flags::created_by)
                .distinct()
                .load(conn)?;
            (NoticeKind::Escalation, returners)
        }
        _ => (NoticeKind::Escalation, notices::lead_agency_leads(conn, &case)?),
    };
    notices::send(conn, origin, &recipients, &Notice { kind: notice_kind, application_id: p.application_id, stage: state, note: None, due: Some(p.due_on) })?;
    if notice_kind == NoticeKind::Escalation {
        super::history(conn, p.application_id, "escalated", (None, None), None, None, p.round, None, true).map(|_| ())?;
    }
    let event = if notice_kind == NoticeKind::Escalation { "stage_escalated" } else { "stage_reminded" };
    let detail = serde_json::json!({ "state": state, "round": p.round, "due_on": p.due_on, "recipients": recipients });
    record(conn, meta, Event::new(event).object("application", p.application_id).detail(detail))?;
    Ok(())
}
