//! In-app notifications and the emails that carry the same text: the kinds, which of them a
//! person may turn off by email (the obligatory ones stay on), and what the API answers.

use serde::{Deserialize, Serialize};

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// Staff: an application arrived at the stage they work (submitted, recommended,
    /// resubmitted, the experts done, sent back to them).
    WorkArrived,
    /// The applicant: the application is at a new stage.
    StatusChanged,
    /// The applicant: returned for supplement, with the flags and the deadline.
    ReturnedForSupplement,
    /// Whoever returned it: the applicant answered and resubmitted.
    SupplementAnswered,
    /// An agency lead: a proposed decision waits for their signature.
    CountersignNeeded,
    /// An expert: drawn for an application, to declare on conflicts of interest.
    ExpertDrawn,
    /// The applicant: rejected, with the reason.
    Rejected,
    /// Whoever holds the work: the stage's deadline is near.
    Reminder,
    /// The agency lead: a stage's deadline passed without the work done.
    Escalation,
    /// A reviewer: the agency lead assigned an application to them.
    Assigned,
    /// The lead agency: an objection was filed against an award on public notice.
    ObjectionReceived,
    /// The company: the performance self-evaluation of a closed award is due soon, or overdue
    /// (also to the lead agency).
    EvaluationDue,
    /// The company: its award was revoked, with the reason.
    Revoked,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 13] = [
        NoticeKind::WorkArrived,
        NoticeKind::StatusChanged,
        NoticeKind::ReturnedForSupplement,
        NoticeKind::SupplementAnswered,
        NoticeKind::CountersignNeeded,
        NoticeKind::ExpertDrawn,
        NoticeKind::Rejected,
        NoticeKind::Reminder,
        NoticeKind::Escalation,
        NoticeKind::Assigned,
        NoticeKind::ObjectionReceived,
        NoticeKind::EvaluationDue,
        NoticeKind::Revoked,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            NoticeKind::WorkArrived => "work_arrived",
            NoticeKind::StatusChanged => "status_changed",
            NoticeKind::ReturnedForSupplement => "returned_for_supplement",
            NoticeKind::SupplementAnswered => "supplement_answered",
            NoticeKind::CountersignNeeded => "countersign_needed",
            NoticeKind::ExpertDrawn => "expert_drawn",
            NoticeKind::Rejected => "rejected",
            NoticeKind::Reminder => "reminder",
            NoticeKind::Escalation => "escalation",
            NoticeKind::Assigned => "assigned",
            NoticeKind::ObjectionReceived => "objection_received",
            NoticeKind::EvaluationDue => "evaluation_due",
            NoticeKind::Revoked => "revoked",
        }
    }

    pub fn parse(text: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Sent by email whatever the person chose: what asks them to act by a deadline, or
    /// decides against them.
    pub const fn obligatory(self) -> bool {
        matches!(
            self,
            NoticeKind::ReturnedForSupplement
                | NoticeKind::ExpertDrawn
                | NoticeKind::Rejected
                | NoticeKind::Reminder
                | NoticeKind::Escalation
                | NoticeKind::ObjectionReceived
                | NoticeKind::EvaluationDue
                | NoticeKind::Revoked
        )
    }
}

/// One notification (`GET /api/v1/notifications`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationView {
    pub id: i64,
    pub kind: NoticeKind,
    pub application_id: Option<i64>,
    pub title: String,
    pub body: String,
    /// The portal page it is about (a path).
    pub link: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub read: bool,
}

/// A page of notifications with the number still unread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationList {
    pub items: Vec<NotificationView>,
    pub unread: i64,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// `GET`/`PUT /api/v1/me/notification-settings`: the kinds not sent by email (never an
/// obligatory one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NotificationSettings {
    pub email_off: Vec<NoticeKind>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_the_obligatory_ones_are_those_that_ask_to_act() {
        for k in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), serde_json::Value::String(k.as_str().into()));
        }
        let optional: Vec<NoticeKind> = NoticeKind::ALL.into_iter().filter(|k| !k.obligatory()).collect();
        assert_eq!(optional, vec![NoticeKind::WorkArrived, NoticeKind::StatusChanged, NoticeKind::SupplementAnswered, NoticeKind::CountersignNeeded, NoticeKind::Assigned]);
    }
}
