//! The `mail` job: one message of `mail_outbox`, queued by `notify::enqueue` in the transaction
//! of the change it tells about. The worker reads the message, sends it with no database
//! connection held while the SMTP server answers, then marks it sent (its one-time links
//! removed from the stored copy) and the job done in one write. A failure is the job's: back-off,
//! the SMTP server's answer as `last_error`, failed after [`MAX_ATTEMPTS`], retried by a system
//! admin from `/admin/jobs`.

use diesel::prelude::*;

use super::{mark_done, Claimed};
use crate::db::schema::mail_outbox;
use crate::db::DbConn;
use crate::error::AppError;
use crate::notify::without_links;
use crate::state::AppState;

pub use crate::queue::MAIL_ATTEMPTS as MAX_ATTEMPTS;

pub use crate::queue::MailPayload as Payload;

fn payload_of(text: &str) -> Result<Payload, AppError> {
    serde_json::from_str(text).map_err(|e| AppError::Internal(anyhow::anyhow!("mail job payload: {e}")))
}

/// Send the message the claimed job names, then record it sent and the job done. A message
/// already sent (a worker that lost its claim after sending) is not sent again.
pub fn send(state: &AppState, worker: &str, job: &Claimed) -> Result<(), AppError> {
    let Payload { outbox_id } = payload_of(&job.payload)?;
    let message = state.db.read_blocking(|conn| {
        Ok(mail_outbox::table
            .find(outbox_id)
            .select((mail_outbox::to_address, mail_outbox::subject, mail_outbox::body_text, mail_outbox::sent_at.is_not_null()))
            .first::<(String, String, String, bool)>(conn)
            .optional()?)
    })?;
    let Some((to, subject, body, already_sent)) = message else {
        // The message is gone (nothing to send): the job is done, not retried for half a day.
        tracing::warn!(job = job.id, outbox_id, "mail job names no message");
        return state.db.write_bookkeeping_blocking(|conn| mark_done(conn, worker, job.id).map(|_| ()).map_err(AppError::from));
    };
    if !already_sent {
        // No connection is held while the SMTP server answers.
        let at = state.clock.now().timestamp();
        state.mailer.send(outbox_id, at, &to, &subject, &body).map_err(|e| AppError::Unavailable(format!("sending mail: {e:#}")))?;
    }
    state.db.write_bookkeeping_blocking(|conn| {
        // The one-time link has reached its reader; the queue keeps no copy of it. Recorded even
        // when the claim was lost meanwhile, so the message is not sent a second time.
        diesel::update(mail_outbox::table.find(outbox_id).filter(mail_outbox::sent_at.is_null()))
            .set((mail_outbox::sent_at.eq(crate::db::now()), mail_outbox::body_text.eq(without_links(&body))))
            .execute(conn)?;
        mark_done(conn, worker, job.id)?;
        Ok(())
    })
}

/// The message of a mail job given up: its one-time links will never be sent, so they are not
/// kept either (a retry by an admin sends it without them; the person asks for a new link).
pub fn given_up(conn: &mut DbConn, payload: &str) -> Result<(), AppError> {
    let Payload { outbox_id } = payload_of(payload)?;
    let body: Option<String> = mail_outbox::table.find(outbox_id).select(mail_outbox::body_text).first(conn).optional()?;
    if let Some(body) = body {
        diesel::update(mail_outbox::table.find(outbox_id)).set(mail_outbox::body_text.eq(without_links(&body))).execute(conn)?;
    }
    Ok(())
}
