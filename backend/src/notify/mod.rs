//! Email. Messages are written to the `mail_outbox` table in the same transaction as the change
//! that causes them ([`enqueue`]); a worker thread sends them after commit ([`worker`]), with
//! retries, through SMTP (`SMTP_URL`) or, without it, as `.eml` files under `data/mail/`.
//! Texts are in `backend/locales/` in Chinese and English and follow the recipient's language.

pub mod outbox;
pub mod worker;

pub use outbox::{enqueue, Mail};
pub use worker::{MailWaker, Mailer};
