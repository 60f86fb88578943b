//! Queueing mail inside the caller's transaction.

use diesel::prelude::*;
use rust_i18n::t;

use crate::db::schema::mail_outbox;
use crate::db::DbConn;

/// One message to send, rendered in the recipient's language.
pub enum Mail<'a> {
    VerifyEmail { name: &'a str, link: &'a str },
    PasswordReset { name: &'a str, link: &'a str },
    PasswordChanged { name: &'a str },
    Invitation { inviter: &'a str, role: &'a str, organization: &'a str, link: &'a str },
    AdminRoleReceived { name: &'a str, company: &'a str },
    RemovedFromCompany { name: &'a str, company: &'a str },
    ReportReminder { name: &'a str, company: &'a str, base: &'a str, period: &'a str, link: &'a str },
    Verification { name: &'a str, company: &'a str, verified: bool, reason: &'a str },
    ClaimDecided { name: &'a str, company: &'a str, granted: bool, reason: &'a str },
    TenancyInvitation { name: &'a str, company: &'a str, base: &'a str, link: &'a str },
    /// A park manager changed a tenancy: `status` is the new status's code (`admitted`,
    /// `rejected`, `suspended`, `moved_out`); `reason` may be empty.
    TenancyDecided { name: &'a str, company: &'a str, base: &'a str, status: &'a str, reason: &'a str, link: &'a str },
    /// An application was submitted: to the company's administrators.
    ApplicationSubmitted { name: &'a str, company: &'a str, program: &'a str, code: &'a str, link: &'a str },
    /// A notification of the review (`review::notices`), the same text as in the portal.
    Notice { name: &'a str, subject: &'a str, text: &'a str, link: &'a str },
    /// The outcome of an objection to an award on public notice, to the objector.
    ObjectionOutcome { name: &'a str, upheld: bool, filed: &'a str, company: &'a str, title: &'a str, program: &'a str, agency: &'a str, findings: &'a str },
}

impl Mail<'_> {
    /// Subject and plain-text body in `locale` (`zh-CN` or `en`).
    pub fn render(&self, locale: &str) -> (String, String) {
        let l = if locale == "en" { "en" } else { "zh-CN" };
        let (subject, body) = match self {
            Mail::VerifyEmail { name, link } => (
                t!("mail.verify.subject", locale = l),
                t!("mail.verify.body", locale = l, name = name, link = link),
            ),
            Mail::PasswordReset { name, link } => (
                t!("mail.reset.subject", locale = l),
                t!("mail.reset.body", locale = l, name = name, link = link),
            ),
            Mail::PasswordChanged { name } => (
                t!("mail.password_changed.subject", locale = l),
                t!("mail.password_changed.body", locale = l, name = name),
            ),
            Mail::Invitation { inviter, role, organization, link } => {
                let role_name = t!(format!("role.{role}"), locale = l);
                (
                    t!("mail.invitation.subject", locale = l, role = role_name),
                    t!("mail.invitation.body", locale = l, inviter = inviter, role = role_name, organization = organization, link = link),
                )
            }
            Mail::AdminRoleReceived { name, company } => (
                t!("mail.admin_received.subject", locale = l, company = company),
                t!("mail.admin_received.body", locale = l, name = name, company = company),
            ),
            Mail::ReportReminder { name, company, base, period, link } => {
                let period = period_words(period, l);
                (
                    t!("mail.report_reminder.subject", locale = l, period = period),
                    t!("mail.report_reminder.body", locale = l, name = name, company = company, base = base, period = period, link = link),
                )
            }
            Mail::Verification { name, company, verified: true, .. } => (
                t!("mail.verified.subject", locale = l, company = company),
                t!("mail.verified.body", locale = l, name = name, company = company),
            ),
            Mail::Verification { name, company, verified: false, reason } => (
                t!("mail.verification_refused.subject", locale = l, company = company),
                t!("mail.verification_refused.body", locale = l, name = name, company = company, reason = reason),
            ),
            Mail::ClaimDecided { name, company, granted: true, .. } => (
                t!("mail.claim_granted.subject", locale = l, company = company),
                t!("mail.claim_granted.body", locale = l, name = name, company = company),
            ),
            Mail::ClaimDecided { name, company, granted: false, reason } => (
                t!("mail.claim_refused.subject", locale = l, company = company),
                t!("mail.claim_refused.body", locale = l, name = name, company = company, reason = reason),
            ),
            Mail::TenancyDecided { name, company, base, status, reason, link } => {
                let status_text = t!(format!("tenancy_status.{status}"), locale = l);
                let reason_text = if reason.is_empty() { String::new() } else { t!("mail.tenancy_decided.reason", locale = l, reason = reason).to_string() };
                (
                    t!("mail.tenancy_decided.subject", locale = l, base = base, status = status_text),
                    t!("mail.tenancy_decided.body", locale = l, name = name, company = company, base = base, status = status_text, reason = reason_text, link = link),
                )
            }
            Mail::TenancyInvitation { name, company, base, link } => (
                t!("mail.tenancy_invitation.subject", locale = l, base = base),
                t!("mail.tenancy_invitation.body", locale = l, name = name, company = company, base = base, link = link),
            ),
            Mail::ApplicationSubmitted { name, company, program, code, link } => (
                t!("mail.application_submitted.subject", locale = l, program = program),
                t!("mail.application_submitted.body", locale = l, name = name, company = company, program = program, code = code, link = link),
            ),
            Mail::Notice { name, subject, text, link } => (
                t!("mail.notice.subject", locale = l, subject = subject),
                t!("mail.notice.body", locale = l, name = name, text = text, link = link),
            ),
            Mail::ObjectionOutcome { name, upheld, filed, company, title, program, agency, findings } => {
                let key = if *upheld { "objection_upheld" } else { "objection_dismissed" };
                (
                    t!(format!("mail.{key}.subject"), locale = l, title = title),
                    t!(format!("mail.{key}.body"), locale = l, name = name, filed = filed, company = company, title = title, program = program, agency = agency, findings = findings),
                )
            }
            Mail::RemovedFromCompany { name, company } => (
                t!("mail.removed.subject", locale = l, company = company),
                t!("mail.removed.body", locale = l, name = name, company = company),
            ),
        };
        let footer = t!("mail.footer", locale = l);
        (subject.into_owned(), format!("{body}\n\n--\n{footer}\n"))
    }
}

/// A reporting period in words (`2026-Q3` is "2026年第三季度" or "Q3 2026").
fn period_words(period: &str, locale: &str) -> String {
    const QUARTERS_ZH: [&str; 4] = ["一", "二", "三", "四"];
    match shared::reports::Period::parse(period) {
        Some(shared::reports::Period { year, quarter: Some(q) }) => {
            let zh = QUARTERS_ZH.get(usize::from(q).saturating_sub(1)).copied().unwrap_or_default();
            t!("period.quarter", locale = locale, year = year, quarter = q, quarter_zh = zh).into_owned()
        }
        Some(shared::reports::Period { year, quarter: None }) => t!("period.year", locale = locale, year = year).into_owned(),
        None => period.to_string(),
    }
}

/// Queue a message with its `mail` job, inside the caller's write: it is sent only if the
/// surrounding transaction commits, and then by the job worker (`jobs::mail`).
pub fn enqueue(conn: &mut DbConn, to: &str, locale: &str, mail: Mail<'_>) -> QueryResult<()> {
    let (subject, body) = mail.render(locale);
    let now = crate::db::now();
    let id: i64 = diesel::insert_into(mail_outbox::table)
        .values((mail_outbox::to_address.eq(to), mail_outbox::subject.eq(subject), mail_outbox::body_text.eq(body), mail_outbox::created_at.eq(now)))
        .returning(mail_outbox::id)
        .get_result(conn)?;
    // Its job: sent after commit by the job worker (`jobs::mail`).
    let payload = serde_json::to_string(&crate::queue::MailPayload { outbox_id: id }).unwrap_or_default();
    crate::queue::insert(conn, crate::queue::Kind::Mail, &payload, now, None, None).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_in_both_languages() {
        let mail = Mail::VerifyEmail { name: "张伟", link: "http://x/verify-email?token=t" };
        let (zh_subject, zh_body) = mail.render("zh-CN");
        let (en_subject, en_body) = mail.render("en");
        assert!(zh_subject.contains("邮箱"), "{zh_subject}");
        assert!(en_subject.contains("email"), "{en_subject}");
        assert!(zh_body.contains("张伟") && zh_body.contains("http://x/verify-email?token=t"));
        assert!(en_body.contains("http://x/verify-email?token=t"));
        let invite = Mail::Invitation { inviter: "Admin", role: "park_manager", organization: "Jinqiao", link: "L" };
        assert!(invite.render("zh-CN").0.contains("园区管理员"));
        assert!(invite.render("en").0.contains("park manager"));
        let reminder = Mail::ReportReminder { name: "张伟", company: "C", base: "B", period: "2026-Q3", link: "L" };
        assert!(reminder.render("zh-CN").0.contains("2026年第三季度"), "{}", reminder.render("zh-CN").0);
        assert!(reminder.render("en").0.contains("Q3 2026"));
        let yearly = Mail::ReportReminder { name: "张伟", company: "C", base: "B", period: "2025", link: "L" };
        assert!(yearly.render("zh-CN").0.contains("2025年度"));
    }
}
