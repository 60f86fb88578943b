//! Email. Messages are written to the `mail_outbox` table in the same transaction as the change
//! that causes them, each with a `mail` job ([`enqueue`]); the job worker sends them after
//! commit (`jobs::mail`), with retries, through SMTP (`SMTP_URL`) or, without it, as `.eml`
//! files under `data/mail/` ([`Mailer`]).
//! Texts are in `backend/locales/` in Chinese and English and follow the recipient's language.

pub mod mailer;
pub mod outbox;

pub use mailer::{without_links, Mailer};
pub use outbox::{enqueue, Mail};
