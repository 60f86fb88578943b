//! The mail worker: a thread that sends what the outbox holds, after the transactions that
//! wrote it have committed. A message is claimed for a minute before sending (so two portal
//! nodes never send it twice), marked sent on success, and retried with growing delays on
//! failure; nothing is lost while the SMTP server is down.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{FileTransport, Message, SmtpTransport, Transport};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError};

use crate::config::Settings;
use crate::db::schema::mail_outbox;
use crate::db::Db;

/// Attempts before a message is left alone (it stays in the table with its last error).
pub const MAX_ATTEMPTS: i32 = 12;
/// How often the worker looks for due retries when nobody wakes it.
const POLL: std::time::Duration = std::time::Duration::from_secs(5);

/// Tells the worker that new mail was committed; stops it at shutdown.
pub type MailWaker = crate::background::Waker;

enum Sink {
    Smtp(Box<SmtpTransport>),
    Files(FileTransport),
}

/// Sends mail through the configured transport.
pub struct Mailer {
    sink: Sink,
    from: Mailbox,
}

impl Mailer {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Mailer> {
        let from: Mailbox = settings.mail_from.parse().map_err(|e| anyhow::anyhow!("mail_from: {e}"))?;
        let sink = match &settings.smtp_url {
            Some(url) => Sink::Smtp(Box::new(
                SmtpTransport::from_url(url)
                    .map_err(|e| anyhow::anyhow!("SMTP_URL: {e}"))?
                    .timeout(Some(std::time::Duration::from_secs(20)))
                    .build(),
            )),
            None => {
                let dir: PathBuf = settings.data_dir.join("mail");
                std::fs::create_dir_all(&dir)?;
                Sink::Files(FileTransport::new(dir))
            }
        };
        Ok(Mailer { sink, from })
    }

    /// Send one queued message. Its Message-ID names the outbox row (`<outbox-ID.TIME@host>`),
    /// so a message in a mailbox or a bounce can be traced back to the row that made it.
    fn send(&self, id: i64, to: &str, subject: &str, body: &str) -> anyhow::Result<()> {
        let host = self.from.email.domain();
        let message = Message::builder()
            .message_id(Some(format!("<outbox-{id}.{}@{host}>", chrono::Utc::now().timestamp())))
            .from(self.from.clone())
            .to(to.parse::<Mailbox>()?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())?;
        match &self.sink {
            Sink::Smtp(t) => t.send(&message).map(|_| ()).map_err(Into::into),
            Sink::Files(t) => t.send(&message).map(|_| ()).map_err(Into::into),
        }
    }
}

/// Start the worker thread; the returned waker nudges it after a commit.
pub fn start(db: Db, mailer: Mailer) -> MailWaker {
    let waker = MailWaker::detached();
    waker.spawn("mail-worker", move |rx| run(db, mailer, rx));
    waker
}

fn run(db: Db, mailer: Mailer, rx: Receiver<()>) {
    loop {
        if let Err(e) = send_due(&db, &mailer) {
            tracing::warn!(error = %e, "mail worker");
        }
        match rx.recv_timeout(POLL) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// The body with every link that carries a one-time token replaced by a note, as kept in the
/// queue after sending.
pub fn without_links(body: &str) -> String {
    body.split_inclusive(char::is_whitespace)
        .map(|word| {
            let trimmed = word.trim_end();
            if trimmed.starts_with("http") && trimmed.contains("token=") {
                format!("[link removed after sending]{}", &word[trimmed.len()..])
            } else {
                word.to_string()
            }
        })
        .collect()
}

/// Send every due message once; returns how many were sent. Each claim and each outcome is
/// its own write (`Db::write_bookkeeping_blocking`); the sending happens between them, outside any
/// transaction.
pub fn send_due(db: &Db, mailer: &Mailer) -> anyhow::Result<usize> {
    let mut sent = 0;
    loop {
        let now = Utc::now().naive_utc();
        let due: Vec<(i64, String, String, String, i32)> = {
            let mut conn = db.pool().get()?;
            let due = mail_outbox::table
                .filter(mail_outbox::sent_at.is_null())
                .filter(mail_outbox::next_attempt_at.le(now))
                .filter(mail_outbox::attempts.lt(MAX_ATTEMPTS))
                .filter(mail_outbox::claimed_until.is_null().or(mail_outbox::claimed_until.lt(now)))
                .select((mail_outbox::id, mail_outbox::to_address, mail_outbox::subject, mail_outbox::body_text, mail_outbox::attempts))
                .order(mail_outbox::id)
                .limit(20)
                .load(&mut *conn);
            if due.is_err() {
                db.replace_if_lost(&mut conn);
            }
            due?
        };
        if due.is_empty() {
            return Ok(sent);
        }
        for (id, to, subject, body, attempts) in due {
            // Claim it; if another node got there first, skip it.
            let claimed = db.write_bookkeeping_blocking(|conn| {
                Ok(diesel::update(
                    mail_outbox::table
                        .filter(mail_outbox::id.eq(id))
                        .filter(mail_outbox::sent_at.is_null())
                        .filter(mail_outbox::claimed_until.is_null().or(mail_outbox::claimed_until.lt(now))),
                )
                .set(mail_outbox::claimed_until.eq(now + Duration::minutes(1)))
                .execute(conn)?)
            })?;
            if claimed == 0 {
                continue;
            }
            match mailer.send(id, &to, &subject, &body) {
                Ok(()) => {
                    // The one-time link has reached its reader; the queue keeps no copy of it.
                    db.write_bookkeeping_blocking(|conn| {
                        diesel::update(mail_outbox::table.filter(mail_outbox::id.eq(id)))
                            .set((
                                mail_outbox::sent_at.eq(Utc::now().naive_utc()),
                                mail_outbox::attempts.eq(attempts + 1),
                                mail_outbox::body_text.eq(without_links(&body)),
                            ))
                            .execute(conn)?;
                        Ok(())
                    })?;
                    sent += 1;
                }
                Err(e) => {
                    // 30 s, 1 min, 2 min ... capped at 1 hour.
                    let delay = Duration::seconds((30i64 << attempts.min(7)).min(3600));
                    tracing::warn!(mail_id = id, attempts = attempts + 1, error = %e, "sending mail failed; will retry");
                    let error = e.to_string().chars().take(500).collect::<String>();
                    db.write_bookkeeping_blocking(|conn| {
                        diesel::update(mail_outbox::table.filter(mail_outbox::id.eq(id)))
                            .set((
                                mail_outbox::attempts.eq(attempts + 1),
                                mail_outbox::next_attempt_at.eq(Utc::now().naive_utc() + delay),
                                mail_outbox::claimed_until.eq(None::<chrono::NaiveDateTime>),
                                mail_outbox::last_error.eq(&error),
                            ))
                            .execute(conn)?;
                        if attempts + 1 >= MAX_ATTEMPTS {
                            // Given up: the link will never be sent, so it need not be kept either.
                            diesel::update(mail_outbox::table.filter(mail_outbox::id.eq(id)))
                                .set(mail_outbox::body_text.eq(without_links(&body)))
                                .execute(conn)?;
                        }
                        Ok(())
                    })?;
                }
            }
        }
    }
}
