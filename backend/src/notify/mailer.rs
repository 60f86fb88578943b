//! The transport: SMTP (`SMTP_URL`) or, without it, `.eml` files under `data/mail/`. Sending is
//! the `mail` job's work (`jobs::mail`), after the transaction that queued the message.

use lettre::message::{header::ContentType, Mailbox};
use lettre::{FileTransport, Message, SmtpTransport, Transport};
use std::path::PathBuf;

use crate::config::Settings;

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

    /// Send one queued message. Its Message-ID names the outbox row (`<outbox-ID.TIME@host>`,
    /// TIME the portal clock's Unix seconds), so a message in a mailbox or a bounce can be
    /// traced back to the row that made it.
    pub fn send(&self, id: i64, at: i64, to: &str, subject: &str, body: &str) -> anyhow::Result<()> {
        let host = self.from.email.domain();
        let message = Message::builder()
            .message_id(Some(format!("<outbox-{id}.{at}@{host}>")))
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
