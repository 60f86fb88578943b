//! The review workflow (DOMAIN.md "The review workflow") as one pure function: from where an
//! application stands ([`Situation`]), what someone asks ([`Action`]) and who asks ([`Actor`])
//! to where it stands next, or a [`Refusal`]. The server runs it inside the write that changes
//! the application; the pages run [`allowed`] to show exactly the actions that the server would
//! take. Nothing here reads a database or a clock.
//!
//! The path to a decision: submitted, the recommending unit recommends, the lead agency's formal
//! review passes it on, the expert stage completes when the program's rule is met (the portal
//! itself moves it on), the lead agency proposes approval or rejection, its agency lead signs and
//! every co-review agency countersigns. A fully signed rejection rejects; a fully signed approval
//! waits in the decision stage for its public notice (the next part of the workflow).
//!
//! Every return (for supplement, or from the decision to an earlier stage) starts a new
//! *round*: approvals given in an earlier round stay in the history but no longer count, so
//! every path to a decision passes every stage it was returned to again.

use serde::{Deserialize, Serialize};

use crate::applications::ApplicationState;

/// How the person asking stands to the application. The server works it out from the caller's
/// roles and the application's routing; the machine decides what that role may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A person of the applicant company.
    Applicant,
    /// The recommending unit: the park manager of the base that admitted the applicant, or
    /// staff of the applicant's district government, per the program's rule.
    RecommendingUnit,
    /// A reviewer of the program's lead agency.
    Reviewer,
    /// The lead agency's agency lead.
    AgencyLead,
    /// The agency lead of one of the program's co-review agencies.
    CoReviewLead,
    /// The portal itself: the expert stage completes when the program's rule is met.
    System,
    /// Staff of the program's finance agency, who record disbursements.
    Finance,
}

/// What someone asks the workflow to do. The spelling is the API's `action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Submit,
    Recommend,
    ReturnForSupplement,
    Reject,
    Pass,
    Resubmit,
    ProposeApproval,
    ProposeRejection,
    Countersign,
    ReturnToStage,
    Withdraw,
    /// The agency lead puts a fully signed approval on public notice (公示). Taken for a
    /// program's awards at once through `POST /api/v1/programs/{code}/notices`, never through
    /// the actions route.
    PublishNotice,
    /// The award is approved: the notice's window has closed and no objection concerning it is
    /// open.
    Approve,
    /// The finance agency records a disbursement (`POST .../disbursements`): the first moves an
    /// approved award to being paid.
    Disburse,
    /// The lead agency's agency lead revokes an approved award for fraud, with the reason.
    Revoke,
    /// The lead agency closes an award paid in full and accepted.
    Close,
}

impl Action {
    pub const ALL: [Action; 16] = [
        Action::Submit,
        Action::Recommend,
        Action::ReturnForSupplement,
        Action::Reject,
        Action::Pass,
        Action::Resubmit,
        Action::ProposeApproval,
        Action::ProposeRejection,
        Action::Countersign,
        Action::ReturnToStage,
        Action::Withdraw,
        Action::PublishNotice,
        Action::Approve,
        Action::Disburse,
        Action::Revoke,
        Action::Close,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::Recommend => "recommend",
            Action::ReturnForSupplement => "return_for_supplement",
            Action::Reject => "reject",
            Action::Pass => "pass",
            Action::Resubmit => "resubmit",
            Action::ProposeApproval => "propose_approval",
            Action::ProposeRejection => "propose_rejection",
            Action::Countersign => "countersign",
            Action::ReturnToStage => "return_to_stage",
            Action::Withdraw => "withdraw",
            Action::PublishNotice => "publish_notice",
            Action::Approve => "approve",
            Action::Disburse => "disburse",
            Action::Revoke => "revoke",
            Action::Close => "close",
        }
    }

    /// Whether one application's step is asked for through `POST .../actions` (a notice is
    /// published for a program's awards together, through its own route).
    pub const fn by_actions_route(self) -> bool {
        !matches!(self, Action::PublishNotice | Action::Disburse)
    }

    pub fn parse(text: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// Whether the action must say why (a comment is required).
    pub const fn needs_reason(self) -> bool {
        matches!(
            self,
            Action::ReturnForSupplement
                | Action::Reject
                | Action::ProposeRejection
                | Action::ReturnToStage
                | Action::Withdraw
                | Action::Revoke
        )
    }
}

/// What the lead agency proposed in the decision stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Proposal {
    Approve,
    Reject,
}

/// Where an application stands, as far as the workflow's rules look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Situation {
    pub state: ApplicationState,
    /// While returned for supplement: the stage it goes back to.
    pub returned_from: Option<ApplicationState>,
    /// Starts at 0; one more at every return.
    pub round: u32,
    /// In the decision stage: what the lead agency proposed this round.
    pub proposal: Option<Proposal>,
    /// In the decision stage: the lead agency's agency lead signed this round's proposal.
    pub lead_signed: bool,
    /// In the decision stage: co-review agencies that have not countersigned this round.
    pub countersigns_missing: u32,
    /// While returned for supplement: flags not answered yet.
    pub open_flags: u32,
    /// In the expert stage: the program's completion rule is met.
    pub experts_done: bool,
    /// In public notice: the notice's last day has passed.
    pub notice_closed: bool,
    /// In public notice: objections concerning this award not decided yet.
    pub objections_open: u32,
    /// Approved or being paid: the whole approved amount has been paid.
    pub paid_in_full: bool,
    /// Approved or being paid: the lead agency has recorded the acceptance (验收).
    pub accepted: bool,
}

impl Situation {
    /// An application in `state` with nothing else going on (a fresh round, no proposal).
    pub const fn at(state: ApplicationState) -> Situation {
        Situation {
            state,
            returned_from: None,
            round: 0,
            proposal: None,
            lead_signed: false,
            countersigns_missing: 0,
            open_flags: 0,
            experts_done: false,
            notice_closed: false,
            objections_open: 0,
            paid_in_full: false,
            accepted: false,
        }
    }

    /// Every signature of this round's proposal is there: the agencies have decided.
    pub fn decided(&self) -> bool {
        self.state == ApplicationState::AgencyDecision
            && self.proposal.is_some()
            && self.lead_signed
            && self.countersigns_missing == 0
    }

    /// A fully signed approval, waiting for its public notice.
    pub fn approval_decided(&self) -> bool {
        self.decided() && self.proposal == Some(Proposal::Approve)
    }

    /// Nothing more can happen here (withdrawn, rejected, closed, revoked).
    pub fn is_final(&self) -> bool {
        matches!(
            self.state,
            ApplicationState::Withdrawn
                | ApplicationState::Rejected
                | ApplicationState::Closed
                | ApplicationState::Revoked
        )
    }
}

/// Who asks, and what the server knows of them that the rules need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Actor {
    pub role: Role,
    /// A co-review agency's lead whose agency has countersigned this round already.
    pub signed: bool,
}

impl Actor {
    pub const fn new(role: Role) -> Actor {
        Actor {
            role,
            signed: false,
        }
    }
}

/// Why an action is refused. Each has its API error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// Withdrawn, rejected or closed: nothing more can happen.
    Final,
    /// Not an action of this stage, or not of the caller's role at this stage.
    NotAllowed,
    /// A resubmission with flags not answered.
    FlagsOpen,
    /// The expert stage's completion rule is not met yet.
    ExpertsPending,
    /// A proposal is already made this round.
    ProposalExists,
    /// There is no proposal to sign.
    NoProposal,
    /// The caller's agency has signed this round already.
    AlreadySigned,
    /// The lead agency's lead signs before the co-review agencies countersign.
    LeadNotSigned,
    /// A return to a stage that is not an earlier review stage.
    StageNotEarlier,
    /// The agencies have decided: the decision is no longer open to change here.
    Decided,
    /// The public notice's window has not closed yet.
    NoticeOpen,
    /// An objection concerning the award is not decided yet.
    ObjectionOpen,
    /// The award is not paid in full yet.
    NotPaidInFull,
    /// The award's acceptance (验收) is not recorded yet.
    NotAccepted,
}

impl Refusal {
    /// The API's error code.
    pub const fn code(self) -> &'static str {
        match self {
            Refusal::Final => "application_closed",
            Refusal::NotAllowed => "action_not_allowed",
            Refusal::FlagsOpen => "flags_unanswered",
            Refusal::ExpertsPending => "experts_pending",
            Refusal::ProposalExists => "proposal_exists",
            Refusal::NoProposal => "no_proposal",
            Refusal::AlreadySigned => "already_signed",
            Refusal::LeadNotSigned => "lead_not_signed",
            Refusal::StageNotEarlier => "stage_not_earlier",
            Refusal::Decided => "already_decided",
            Refusal::NoticeOpen => "notice_open",
            Refusal::ObjectionOpen => "objection_open",
            Refusal::NotPaidInFull => "not_paid_in_full",
            Refusal::NotAccepted => "not_accepted",
        }
    }
}

/// The review stages an application can be returned to from the decision, in order.
pub const RETURN_STAGES: [ApplicationState; 3] = [
    ApplicationState::RecommendingReview,
    ApplicationState::FormalReview,
    ApplicationState::ExpertReview,
];

/// The review stages every decided application has passed, in order.
pub const STAGES: [ApplicationState; 4] = [
    ApplicationState::RecommendingReview,
    ApplicationState::FormalReview,
    ApplicationState::ExpertReview,
    ApplicationState::AgencyDecision,
];

/// Where the application stands after `action` by `actor`, or why it may not. `to_stage` is
/// the stage a `return_to_stage` goes back to (ignored by every other action).
pub fn next(
    s: &Situation,
    action: Action,
    to_stage: Option<ApplicationState>,
    actor: &Actor,
) -> Result<Situation, Refusal> {
    use ApplicationState as S;
    use Role as R;
    if s.is_final() {
        return Err(Refusal::Final);
    }
    let role = actor.role;
    let lead_agency = matches!(role, R::Reviewer | R::AgencyLead);
    // A stage the application enters afresh: nothing of the stage it left carries over.
    let enter = |state: S| Situation {
        state,
        round: s.round,
        ..Situation::at(state)
    };
    // A return: a new round, so approvals given before it no longer count.
    let returned = |state: S| Situation {
        state,
        round: s.round + 1,
        ..Situation::at(state)
    };
    match (s.state, action) {
        (S::Draft, Action::Submit) if role == R::Applicant => Ok(enter(S::RecommendingReview)),
        (_, Action::Withdraw) if role == R::Applicant => {
            if s.decided() {
                Err(Refusal::Decided)
            } else if s.state.withdrawable() {
                Ok(enter(S::Withdrawn))
            } else {
                Err(Refusal::NotAllowed)
            }
        }
        (S::RecommendingReview, Action::Recommend) if role == R::RecommendingUnit => {
            Ok(enter(S::FormalReview))
        }
        (S::RecommendingReview, Action::ReturnForSupplement | Action::Reject)
            if role == R::RecommendingUnit =>
        {
            Ok(return_or_reject(s, action))
        }
        (S::FormalReview, Action::Pass) if lead_agency => Ok(enter(S::ExpertReview)),
        (S::FormalReview | S::ExpertReview, Action::ReturnForSupplement | Action::Reject)
            if lead_agency =>
        {
            Ok(return_or_reject(s, action))
        }
        (S::ExpertReview, Action::Pass) if role == R::System => {
            if s.experts_done {
                Ok(enter(S::AgencyDecision))
            } else {
                Err(Refusal::ExpertsPending)
            }
        }
        (S::ReturnedForSupplement, Action::Resubmit) if role == R::Applicant => {
            if s.open_flags > 0 {
                Err(Refusal::FlagsOpen)
            } else {
                Ok(enter(s.returned_from.unwrap_or(S::FormalReview)))
            }
        }
        (S::AgencyDecision, Action::PublishNotice) if role == R::AgencyLead => {
            if s.approval_decided() {
                // The proposal (and the budget it holds) carries on into the notice.
                Ok(Situation {
                    proposal: s.proposal,
                    ..enter(S::PublicNotice)
                })
            } else {
                Err(Refusal::NotAllowed)
            }
        }
        (S::AgencyDecision, _) if s.decided() => Err(Refusal::Decided),
        (S::PublicNotice, Action::Approve) if lead_agency || role == R::System => {
            if !s.notice_closed {
                Err(Refusal::NoticeOpen)
            } else if s.objections_open > 0 {
                Err(Refusal::ObjectionOpen)
            } else {
                Ok(Situation {
                    proposal: s.proposal,
                    ..enter(S::Approved)
                })
            }
        }
        // An objection upheld: the portal rejects the award on the agency's finding.
        (S::PublicNotice, Action::Reject) if role == R::System => Ok(return_or_reject(s, action)),
        // Money: each disbursement is recorded by the finance agency; the first moves the award
        // to being paid (the amounts are the server's to check against the tranche plan).
        (S::Approved | S::Disbursement, Action::Disburse) if role == R::Finance => {
            if s.paid_in_full {
                Err(Refusal::NotAllowed)
            } else {
                Ok(Situation {
                    state: S::Disbursement,
                    ..*s
                })
            }
        }
        (S::Approved | S::Disbursement, Action::Revoke) if role == R::AgencyLead => Ok(Situation {
            round: s.round,
            ..Situation::at(S::Revoked)
        }),
        (S::Approved | S::Disbursement, Action::Close) if lead_agency => {
            if !s.accepted {
                Err(Refusal::NotAccepted)
            } else if !s.paid_in_full {
                Err(Refusal::NotPaidInFull)
            } else {
                Ok(Situation {
                    round: s.round,
                    ..Situation::at(S::Closed)
                })
            }
        }
        (S::AgencyDecision, Action::ProposeApproval | Action::ProposeRejection) if lead_agency => {
            if s.proposal.is_some() {
                return Err(Refusal::ProposalExists);
            }
            let proposal = if action == Action::ProposeApproval {
                Proposal::Approve
            } else {
                Proposal::Reject
            };
            Ok(Situation {
                proposal: Some(proposal),
                ..*s
            })
        }
        (S::AgencyDecision, Action::Countersign)
            if matches!(role, R::AgencyLead | R::CoReviewLead) =>
        {
            if s.proposal.is_none() {
                return Err(Refusal::NoProposal);
            }
            let signed = match role {
                R::AgencyLead if s.lead_signed => return Err(Refusal::AlreadySigned),
                R::AgencyLead => Situation {
                    lead_signed: true,
                    ..*s
                },
                _ if !s.lead_signed => return Err(Refusal::LeadNotSigned),
                _ if actor.signed || s.countersigns_missing == 0 => {
                    return Err(Refusal::AlreadySigned)
                }
                _ => Situation {
                    countersigns_missing: s.countersigns_missing - 1,
                    ..*s
                },
            };
            if signed.decided() && signed.proposal == Some(Proposal::Reject) {
                Ok(enter(S::Rejected))
            } else {
                Ok(signed)
            }
        }
        (S::AgencyDecision, Action::ReturnToStage)
            if matches!(role, R::AgencyLead | R::CoReviewLead) =>
        {
            match to_stage {
                Some(to) if RETURN_STAGES.contains(&to) => Ok(returned(to)),
                _ => Err(Refusal::StageNotEarlier),
            }
        }
        (S::AgencyDecision, Action::ReturnForSupplement)
            if lead_agency || role == R::CoReviewLead =>
        {
            Ok(return_or_reject(s, action))
        }
        _ => Err(Refusal::NotAllowed),
    }
}

/// A return for supplement (to come back to this stage in a new round) or a rejection.
fn return_or_reject(s: &Situation, action: Action) -> Situation {
    if action == Action::Reject {
        Situation {
            round: s.round,
            ..Situation::at(ApplicationState::Rejected)
        }
    } else {
        Situation {
            returned_from: Some(s.state),
            round: s.round + 1,
            ..Situation::at(ApplicationState::ReturnedForSupplement)
        }
    }
}

/// Every action `actor` may take now, in [`Action::ALL`]'s order; for `return_to_stage`, the
/// stages it may go back to come from [`return_targets`].
pub fn allowed(s: &Situation, actor: &Actor) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| a.by_actions_route())
        .filter(|a| {
            let to = (*a == Action::ReturnToStage).then_some(RETURN_STAGES[0]);
            next(s, *a, to, actor).is_ok()
        })
        .collect()
}

/// The stages a `return_to_stage` may go back to from here.
pub fn return_targets(s: &Situation, actor: &Actor) -> Vec<ApplicationState> {
    RETURN_STAGES
        .into_iter()
        .filter(|to| next(s, Action::ReturnToStage, Some(*to), actor).is_ok())
        .collect()
}

/// What the applicant is told of a state: never the internal stage's workings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApplicantStatus {
    Draft,
    /// "Under review by the recommending unit".
    WithRecommendingUnit,
    /// "Under review by the agency" (formal review).
    UnderReview,
    /// "Please supplement".
    PleaseSupplement,
    /// "Under expert review".
    UnderExpertReview,
    /// "Decision pending".
    DecisionPending,
    InPublicNotice,
    Approved,
    BeingPaid,
    Closed,
    Withdrawn,
    Rejected,
    Revoked,
}

impl ApplicantStatus {
    pub const fn of(state: ApplicationState) -> ApplicantStatus {
        use ApplicationState as S;
        match state {
            S::Draft => ApplicantStatus::Draft,
            S::RecommendingReview => ApplicantStatus::WithRecommendingUnit,
            S::FormalReview => ApplicantStatus::UnderReview,
            S::ExpertReview => ApplicantStatus::UnderExpertReview,
            S::AgencyDecision => ApplicantStatus::DecisionPending,
            S::PublicNotice => ApplicantStatus::InPublicNotice,
            S::Approved => ApplicantStatus::Approved,
            S::Disbursement => ApplicantStatus::BeingPaid,
            S::Closed => ApplicantStatus::Closed,
            S::Withdrawn => ApplicantStatus::Withdrawn,
            S::Rejected => ApplicantStatus::Rejected,
            S::Revoked => ApplicantStatus::Revoked,
            S::ReturnedForSupplement => ApplicantStatus::PleaseSupplement,
        }
    }
}

/// `POST /api/v1/applications/{id}/actions`: one step of the workflow. Every action has this
/// one shape; which fields it needs depends on the action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    /// One of [`Action`]'s names (`recommend`, `return_for_supplement`, ...).
    #[cfg_attr(feature = "openapi", schema(value_type = Action))]
    pub action: String,
    /// The state the caller saw: the step is taken only if it is still current (else 409
    /// `state_changed` with `current_state`).
    pub expected_state: ApplicationState,
    /// Why: required to return, reject, propose a rejection, send back, withdraw or revoke (at most
    /// 2,000 characters). A return's or rejection's reason is shown to the applicant; any other
    /// comment is an internal opinion only staff read.
    #[serde(default)]
    pub comment: Option<String>,
    /// For `return_for_supplement`: what to supplement, one or more.
    #[serde(default)]
    pub flags: Vec<FlagRequest>,
    /// For `return_for_supplement`: working days to answer (default: the program's).
    #[serde(default)]
    pub deadline_working_days: Option<u32>,
    /// For `propose_approval`: the amount, at most the computed amount and the budget left.
    #[serde(default)]
    pub amount_fen: Option<i64>,
    /// For `return_to_stage`: `recommending_review`, `formal_review` or `expert_review`.
    #[serde(default)]
    pub to_stage: Option<ApplicationState>,
}

/// One thing to supplement: a project field (its name, `model`) or a material (its code), never
/// both, with what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FlagRequest {
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub material_code: Option<String>,
    pub comment: String,
}

/// `GET /api/v1/applications/{id}/actions`: what the caller may do now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionsView {
    pub state: ApplicationState,
    /// The review round (one more at every return).
    pub round: u32,
    /// The caller's parts in this application's review.
    pub roles: Vec<Role>,
    pub actions: Vec<Action>,
    /// Where a `return_to_stage` may send it, when that is allowed.
    pub return_targets: Vec<ApplicationState>,
    /// In the decision stage: the proposal of this round.
    pub proposal: Option<Proposal>,
    pub proposed_amount_fen: Option<i64>,
    /// The Beijing date the current stage's time limit ends.
    pub stage_due_on: Option<chrono::NaiveDate>,
}

/// One flag of a return for supplement, with its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlagView {
    pub id: i64,
    pub field: Option<String>,
    pub material_code: Option<String>,
    pub comment: String,
    /// The last day to answer (Beijing date).
    pub due_on: chrono::NaiveDate,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub answer_value: Option<serde_json::Value>,
    pub answer_reply: Option<String>,
    /// The SHA-256 of the new file given for a material.
    pub answered_file_sha256: Option<String>,
    pub answered_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// `PUT /api/v1/applications/{id}/supplement`: the company's answers, one per flag it answers
/// now (answers already given stay unless given again).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SupplementAnswers {
    pub answers: Vec<SupplementAnswer>,
}

/// The answer to one flag: a corrected value (a field's new value, as the draft's JSON has it),
/// a reply, or both; for a material, a new file uploaded to the materials endpoint since the
/// flag was raised, or a reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SupplementAnswer {
    pub flag_id: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    #[serde(default)]
    pub value: Option<serde_json::Value>,
    #[serde(default)]
    pub reply: Option<String>,
}

/// `POST /api/v1/applications/{id}/assignment`: who of the lead agency holds the application
/// in its current stage. A reviewer claims it for themselves (`reviewer_id` left out, or their
/// own id); the agency lead assigns it to a reviewer or lead of the agency, or releases it
/// (`release: true`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    #[serde(default)]
    pub reviewer_id: Option<i64>,
    #[serde(default)]
    pub release: bool,
}

/// Who holds an application now (the answer to an assignment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Holder {
    pub reviewer_id: Option<i64>,
    pub reviewer_name: Option<String>,
}

/// An automatic check the review runs on an application (`GET /api/v1/applications/{id}/checks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// The company's unified social credit code is well formed (check digit included).
    CreditCode,
    /// No live application of any program holds the same patent, model and serial, or licence.
    DuplicateFunding,
    /// No ban from applying in force.
    Ban,
    /// The program's budget left covers the computed amount.
    Budget,
    /// The company is verified.
    Verified,
    /// No award of this program overdue for acceptance.
    OverdueAcceptance,
}

/// The result of one automatic check, with what it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AutoCheck {
    pub check: CheckKind,
    pub passed: bool,
    /// What it found: the credit code; the numbers another application holds; the ban's last
    /// day; the company's verification status.
    pub evidence: Option<String>,
    /// For the budget: what is left of it (fen), and the amount it must cover.
    pub left_fen: Option<i64>,
    pub needed_fen: Option<i64>,
}

/// One application in a reviewer's queue (`GET /api/v1/review/queue`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueRow {
    pub id: i64,
    pub state: ApplicationState,
    pub program_code: String,
    pub program_title: crate::dto::Bilingual,
    pub company_name: String,
    pub company_credit_code: String,
    /// The district the company is registered in (credit code positions 3-8).
    pub division_code: String,
    /// The recommending base's code, when a base recommends it.
    pub base_code: Option<String>,
    pub title: String,
    pub computed_amount_fen: Option<i64>,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The last day of the current stage's time limit (Beijing date).
    pub stage_due_on: Option<chrono::NaiveDate>,
    /// Working days from today to that day; once past it, minus the working days since (at
    /// least -1).
    pub working_days_left: Option<i64>,
    pub overdue: bool,
    /// It has been returned at least once (a later round).
    pub returned_before: bool,
    pub assigned_reviewer_id: Option<i64>,
    pub assigned_reviewer_name: Option<String>,
}

/// The agency lead's dashboard (`GET /api/v1/review/dashboard`): the programs the caller's
/// agency leads, as of `today`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    /// The Beijing date the figures are for.
    pub today: chrono::NaiveDate,
    pub programs: Vec<ProgramFigures>,
    /// Applications past their stage's deadline, most overdue first (at most 20; the total is
    /// `overdue_total`).
    pub overdue: Vec<QueueRow>,
    pub overdue_total: i64,
    /// The experts drawn for these programs, busiest first.
    pub experts: Vec<ExpertLoad>,
}

/// One program on the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramFigures {
    pub program_code: String,
    pub program_title: crate::dto::Bilingual,
    /// Every state an application of the program is in (drafts left out), in the workflow's
    /// order.
    pub stages: Vec<StageFigures>,
    pub budget_total_fen: i64,
    /// Held by proposals and decisions not yet paid.
    pub budget_reserved_fen: i64,
    /// Paid out.
    pub budget_used_fen: i64,
    /// Neither reserved nor used.
    pub budget_left_fen: i64,
    /// The program's workload cap per expert.
    pub expert_workload_cap: u32,
}

/// One state of one program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageFigures {
    pub state: ApplicationState,
    /// Applications in it now.
    pub count: i64,
    /// Of those, past the stage's deadline.
    pub overdue: i64,
    /// Stays at this stage that have ended, and their mean length in working days (tenths).
    pub completed_stays: i64,
    pub average_working_days_tenths: Option<i64>,
}

/// One expert's work for the dashboard's programs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpertLoad {
    pub user_id: i64,
    pub display_name: String,
    /// Drawn, not yet declared.
    pub awaiting_declaration: i64,
    /// Confirmed, score sheet not in.
    pub awaiting_scores: i64,
    pub scored: i64,
    pub recused: i64,
}

/// At most this many flags in one return, and characters in a comment.
pub const MAX_FLAGS: usize = 50;
pub const MAX_COMMENT: usize = 2000;

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationState as S;

    const ROLES: [Role; 7] = [
        Role::Applicant,
        Role::RecommendingUnit,
        Role::Reviewer,
        Role::AgencyLead,
        Role::CoReviewLead,
        Role::System,
        Role::Finance,
    ];

    fn actor(role: Role) -> Actor {
        Actor::new(role)
    }

    fn step(s: Situation, action: Action, role: Role) -> Situation {
        next(&s, action, None, &actor(role))
            .unwrap_or_else(|r| panic!("{action:?} by {role:?} at {s:?}: {r:?}"))
    }

    /// A situation in the decision stage with `missing` co-review signatures to come.
    fn deciding(missing: u32) -> Situation {
        Situation {
            countersigns_missing: missing,
            ..Situation::at(S::AgencyDecision)
        }
    }

    #[test]
    fn the_straight_path_to_an_approval() {
        let mut s = Situation::at(S::Draft);
        s = step(s, Action::Submit, Role::Applicant);
        assert_eq!(s.state, S::RecommendingReview);
        s = step(s, Action::Recommend, Role::RecommendingUnit);
        assert_eq!(s.state, S::FormalReview);
        s = step(s, Action::Pass, Role::Reviewer);
        assert_eq!(s.state, S::ExpertReview);
        assert_eq!(
            next(&s, Action::Pass, None, &actor(Role::System)),
            Err(Refusal::ExpertsPending)
        );
        s.experts_done = true;
        s = step(s, Action::Pass, Role::System);
        assert_eq!(s.state, S::AgencyDecision);
        s.countersigns_missing = 2;
        assert_eq!(
            next(&s, Action::Countersign, None, &actor(Role::AgencyLead)),
            Err(Refusal::NoProposal)
        );
        s = step(s, Action::ProposeApproval, Role::Reviewer);
        assert_eq!(
            next(&s, Action::ProposeRejection, None, &actor(Role::AgencyLead)),
            Err(Refusal::ProposalExists)
        );
        assert_eq!(
            next(&s, Action::Countersign, None, &actor(Role::CoReviewLead)),
            Err(Refusal::LeadNotSigned)
        );
        s = step(s, Action::Countersign, Role::AgencyLead);
        assert_eq!(
            next(&s, Action::Countersign, None, &actor(Role::AgencyLead)),
            Err(Refusal::AlreadySigned)
        );
        s = step(s, Action::Countersign, Role::CoReviewLead);
        assert_eq!(
            next(
                &s,
                Action::Countersign,
                None,
                &Actor {
                    role: Role::CoReviewLead,
                    signed: true
                }
            ),
            Err(Refusal::AlreadySigned)
        );
        assert!(!s.decided());
        s = step(s, Action::Countersign, Role::CoReviewLead);
        assert!(s.approval_decided());
        assert_eq!(s.state, S::AgencyDecision);
        // Decided: no withdrawal, no return, nothing more in this part of the workflow.
        for role in ROLES {
            assert!(
                allowed(&s, &actor(role)).is_empty(),
                "{role:?} may do nothing once decided"
            );
        }
        assert_eq!(
            next(&s, Action::Withdraw, None, &actor(Role::Applicant)),
            Err(Refusal::Decided)
        );
    }

    #[test]
    fn a_fully_signed_rejection_rejects() {
        let mut s = step(deciding(1), Action::ProposeRejection, Role::Reviewer);
        s = step(s, Action::Countersign, Role::AgencyLead);
        assert_eq!(s.state, S::AgencyDecision);
        s = step(s, Action::Countersign, Role::CoReviewLead);
        assert_eq!(s.state, S::Rejected);
        // Without co-review agencies, the lead's signature decides.
        let s = step(
            step(deciding(0), Action::ProposeRejection, Role::AgencyLead),
            Action::Countersign,
            Role::AgencyLead,
        );
        assert_eq!(s.state, S::Rejected);
    }

    #[test]
    fn a_return_for_supplement_comes_back_to_its_stage_in_a_new_round() {
        for (stage, role) in [
            (S::RecommendingReview, Role::RecommendingUnit),
            (S::FormalReview, Role::Reviewer),
            (S::ExpertReview, Role::AgencyLead),
            (S::AgencyDecision, Role::CoReviewLead),
        ] {
            let at = Situation {
                round: 3,
                ..Situation::at(stage)
            };
            let mut s = step(at, Action::ReturnForSupplement, role);
            assert_eq!(
                (s.state, s.returned_from, s.round),
                (S::ReturnedForSupplement, Some(stage), 4)
            );
            s.open_flags = 1;
            assert_eq!(
                next(&s, Action::Resubmit, None, &actor(Role::Applicant)),
                Err(Refusal::FlagsOpen)
            );
            s.open_flags = 0;
            let back = step(s, Action::Resubmit, Role::Applicant);
            assert_eq!(
                (back.state, back.round, back.returned_from),
                (stage, 4, None)
            );
        }
    }

    #[test]
    fn a_return_from_the_decision_drops_the_proposal_and_its_signatures() {
        let mut s = step(deciding(2), Action::ProposeApproval, Role::Reviewer);
        s = step(s, Action::Countersign, Role::AgencyLead);
        s = step(s, Action::Countersign, Role::CoReviewLead);
        let back = next(
            &s,
            Action::ReturnToStage,
            Some(S::FormalReview),
            &actor(Role::CoReviewLead),
        )
        .unwrap();
        assert_eq!(
            back,
            Situation {
                round: 1,
                ..Situation::at(S::FormalReview)
            }
        );
        for bad in [
            None,
            Some(S::AgencyDecision),
            Some(S::Draft),
            Some(S::Approved),
        ] {
            assert_eq!(
                next(&s, Action::ReturnToStage, bad, &actor(Role::AgencyLead)),
                Err(Refusal::StageNotEarlier)
            );
        }
        assert_eq!(
            return_targets(&s, &actor(Role::AgencyLead)),
            RETURN_STAGES.to_vec()
        );
        assert!(
            return_targets(&s, &actor(Role::Reviewer)).is_empty(),
            "a reviewer does not send a decision back"
        );
    }

    #[test]
    fn each_stage_offers_its_own_actions_to_its_own_people() {
        use Action as A;
        let cases: [(Situation, Role, Vec<Action>); 14] = [
            (
                Situation::at(S::Draft),
                Role::Applicant,
                vec![A::Submit, A::Withdraw],
            ),
            (Situation::at(S::Draft), Role::Reviewer, vec![]),
            (
                Situation::at(S::RecommendingReview),
                Role::RecommendingUnit,
                vec![A::Recommend, A::ReturnForSupplement, A::Reject],
            ),
            (Situation::at(S::RecommendingReview), Role::Reviewer, vec![]),
            (
                Situation::at(S::RecommendingReview),
                Role::Applicant,
                vec![A::Withdraw],
            ),
            (
                Situation::at(S::FormalReview),
                Role::Reviewer,
                vec![A::ReturnForSupplement, A::Reject, A::Pass],
            ),
            (
                Situation::at(S::FormalReview),
                Role::RecommendingUnit,
                vec![],
            ),
            (
                Situation::at(S::ExpertReview),
                Role::AgencyLead,
                vec![A::ReturnForSupplement, A::Reject],
            ),
            (
                Situation {
                    experts_done: true,
                    ..Situation::at(S::ExpertReview)
                },
                Role::System,
                vec![A::Pass],
            ),
            (
                deciding(1),
                Role::Reviewer,
                vec![
                    A::ReturnForSupplement,
                    A::ProposeApproval,
                    A::ProposeRejection,
                ],
            ),
            (
                Situation {
                    proposal: Some(Proposal::Approve),
                    ..deciding(1)
                },
                Role::AgencyLead,
                vec![A::ReturnForSupplement, A::Countersign, A::ReturnToStage],
            ),
            (
                Situation {
                    proposal: Some(Proposal::Approve),
                    ..deciding(1)
                },
                Role::CoReviewLead,
                vec![A::ReturnForSupplement, A::ReturnToStage],
            ),
            (
                Situation {
                    returned_from: Some(S::FormalReview),
                    open_flags: 2,
                    ..Situation::at(S::ReturnedForSupplement)
                },
                Role::Applicant,
                vec![A::Withdraw],
            ),
            (
                Situation {
                    returned_from: Some(S::FormalReview),
                    ..Situation::at(S::ReturnedForSupplement)
                },
                Role::Applicant,
                vec![A::Resubmit, A::Withdraw],
            ),
        ];
        for (s, role, want) in cases {
            assert_eq!(allowed(&s, &actor(role)), want, "{role:?} at {s:?}");
        }
    }

    #[test]
    fn final_states_accept_nothing_from_anyone() {
        for state in [S::Withdrawn, S::Rejected, S::Closed, S::Revoked] {
            for role in ROLES {
                for action in Action::ALL {
                    for to in [None, Some(S::FormalReview)] {
                        assert_eq!(
                            next(
                                &Situation::at(state),
                                action,
                                to,
                                &Actor {
                                    role,
                                    signed: false
                                }
                            ),
                            Err(Refusal::Final)
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_decided_approval_goes_on_notice_and_is_approved_once_the_window_closes_clear() {
        let decided = Situation {
            proposal: Some(Proposal::Approve),
            lead_signed: true,
            ..deciding(0)
        };
        assert!(decided.approval_decided());
        for role in [Role::Reviewer, Role::CoReviewLead, Role::Applicant, Role::System] {
            assert!(
                next(&decided, Action::PublishNotice, None, &actor(role)).is_err(),
                "{role:?} publishes no notice"
            );
        }
        let unsigned = Situation {
            proposal: Some(Proposal::Approve),
            ..deciding(1)
        };
        assert_eq!(
            next(&unsigned, Action::PublishNotice, None, &actor(Role::AgencyLead)),
            Err(Refusal::NotAllowed)
        );
        let mut s = step(decided, Action::PublishNotice, Role::AgencyLead);
        assert_eq!((s.state, s.proposal), (S::PublicNotice, Some(Proposal::Approve)));
        assert!(
            !allowed(&decided, &actor(Role::AgencyLead)).contains(&Action::PublishNotice),
            "a notice is published through its own route"
        );
        assert_eq!(
            next(&s, Action::Approve, None, &actor(Role::AgencyLead)),
            Err(Refusal::NoticeOpen)
        );
        assert_eq!(
            next(&s, Action::Withdraw, None, &actor(Role::Applicant)),
            Err(Refusal::NotAllowed)
        );
        s.notice_closed = true;
        s.objections_open = 1;
        assert_eq!(
            next(&s, Action::Approve, None, &actor(Role::System)),
            Err(Refusal::ObjectionOpen)
        );
        assert_eq!(
            next(&s, Action::Reject, None, &actor(Role::AgencyLead)),
            Err(Refusal::NotAllowed),
            "only an upheld objection rejects an award in notice"
        );
        let upheld = step(s, Action::Reject, Role::System);
        assert_eq!((upheld.state, upheld.proposal), (S::Rejected, None));
        s.objections_open = 0;
        assert_eq!(allowed(&s, &actor(Role::AgencyLead)), vec![Action::Approve]);
        assert!(allowed(&s, &actor(Role::Applicant)).is_empty());
        let approved = step(s, Action::Approve, Role::AgencyLead);
        assert_eq!(
            (approved.state, approved.proposal),
            (S::Approved, Some(Proposal::Approve))
        );
    }

    #[test]
    fn an_approved_award_is_paid_accepted_and_closed_or_revoked() {
        let approved = Situation {
            proposal: Some(Proposal::Approve),
            ..Situation::at(S::Approved)
        };
        assert_eq!(
            next(&approved, Action::Disburse, None, &actor(Role::Reviewer)),
            Err(Refusal::NotAllowed),
            "the finance agency pays"
        );
        let mut paying = step(approved, Action::Disburse, Role::Finance);
        assert_eq!(paying.state, S::Disbursement);
        assert!(!allowed(&paying, &actor(Role::Finance)).contains(&Action::Disburse), "through its own route");
        assert_eq!(next(&paying, Action::Close, None, &actor(Role::AgencyLead)), Err(Refusal::NotAccepted));
        paying.accepted = true;
        assert_eq!(next(&paying, Action::Close, None, &actor(Role::Reviewer)), Err(Refusal::NotPaidInFull));
        paying.paid_in_full = true;
        assert_eq!(next(&paying, Action::Disburse, None, &actor(Role::Finance)), Err(Refusal::NotAllowed), "nothing left to pay");
        assert_eq!(allowed(&paying, &actor(Role::Reviewer)), vec![Action::Close]);
        assert_eq!(allowed(&paying, &actor(Role::AgencyLead)), vec![Action::Revoke, Action::Close]);
        let closed = step(paying, Action::Close, Role::Reviewer);
        assert_eq!(closed.state, S::Closed);
        assert!(closed.is_final());
        assert_eq!(next(&closed, Action::Revoke, None, &actor(Role::AgencyLead)), Err(Refusal::Final));
        for role in [Role::Reviewer, Role::CoReviewLead, Role::Finance, Role::Applicant] {
            assert!(next(&approved, Action::Revoke, None, &actor(role)).is_err(), "{role:?} does not revoke");
        }
        let revoked = step(approved, Action::Revoke, Role::AgencyLead);
        assert_eq!((revoked.state, revoked.proposal), (S::Revoked, None));
        assert!(Action::Revoke.needs_reason());
    }

    #[test]
    fn every_refusal_has_a_code_in_the_vocabulary() {
        use crate::errors::ErrorCode;
        for r in [
            Refusal::Final,
            Refusal::NotAllowed,
            Refusal::FlagsOpen,
            Refusal::ExpertsPending,
            Refusal::ProposalExists,
            Refusal::NoProposal,
            Refusal::AlreadySigned,
            Refusal::LeadNotSigned,
            Refusal::StageNotEarlier,
            Refusal::Decided,
            Refusal::NoticeOpen,
            Refusal::ObjectionOpen,
            Refusal::NotPaidInFull,
            Refusal::NotAccepted,
        ] {
            assert!(
                ErrorCode::parse(r.code()).is_some(),
                "{} is not in shared::errors",
                r.code()
            );
        }
    }

    #[test]
    fn action_names_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
            assert_eq!(
                serde_json::to_value(a).unwrap(),
                serde_json::Value::String(a.as_str().into())
            );
        }
        assert_eq!(Action::parse("approve_all"), None);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// One request someone might make: mostly one the role is offered now (so walks get
        /// far), sometimes any action at all; the stage a return names; and what the world did
        /// meanwhile (flags answered, experts finished, whether this co-review lead signed).
        #[derive(Debug, Clone)]
        struct Request {
            offered: bool,
            pick: usize,
            /// Whether an offered withdrawal or rejection may be taken (rarely, so walks go on).
            may_end: bool,
            /// Whether an offered return may be taken (now and then, so walks also finish).
            may_return: bool,
            action: Action,
            to: Option<ApplicationState>,
            role: Role,
            answer_flags: bool,
            experts_finish: bool,
            signed: bool,
        }

        fn request() -> impl Strategy<Value = Request> {
            (
                (
                    proptest::bool::weighted(0.8),
                    any::<usize>(),
                    proptest::bool::weighted(0.1),
                    proptest::bool::weighted(0.15),
                ),
                proptest::sample::select(Action::ALL.to_vec()),
                proptest::option::of(proptest::sample::select(ApplicationState::ALL.to_vec())),
                proptest::sample::select(ROLES.to_vec()),
                proptest::bool::weighted(0.3),
                proptest::bool::weighted(0.3),
                proptest::bool::weighted(0.1),
            )
                .prop_map(
                    |(
                        (offered, pick, may_end, may_return),
                        action,
                        to,
                        role,
                        answer_flags,
                        experts_finish,
                        signed,
                    )| Request {
                        offered,
                        pick,
                        may_end,
                        may_return,
                        action,
                        to,
                        role,
                        answer_flags,
                        experts_finish,
                        signed,
                    },
                )
        }

        fn walk_strategy() -> impl Strategy<Value = (u32, u32, Vec<Request>)> {
            (
                0u32..3,
                0u32..3,
                proptest::collection::vec(request(), 0..80),
            )
        }

        /// Whether a situation is one the workflow defines.
        fn defined(s: &Situation) -> bool {
            let returned_ok = match s.state {
                S::ReturnedForSupplement => s.returned_from.is_some_and(|f| STAGES.contains(&f)),
                _ => s.returned_from.is_none() && s.open_flags == 0,
            };
            // An award in notice, approved or being paid carries its approval (and the budget
            // it holds).
            let awarded = matches!(s.state, S::PublicNotice | S::Approved | S::Disbursement);
            let deciding_ok = s.state == S::AgencyDecision
                || (!s.lead_signed
                    && s.countersigns_missing == 0
                    && if awarded {
                        s.proposal == Some(Proposal::Approve)
                    } else {
                        s.proposal.is_none()
                    });
            let signed_ok = s.proposal.is_some() || !s.lead_signed;
            // Paid and accepted awards come from an approval; anything else is unreachable.
            let reached = true;
            returned_ok && deciding_ok && signed_ok && reached
        }

        /// How a walk ended.
        #[derive(Debug, Default)]
        struct Ending {
            approved: bool,
            rejected_by_decision: bool,
            returned: bool,
        }

        /// Runs the requests from a draft and checks every step: a final situation accepts
        /// nothing; every accepted step gives a defined situation; a refused one changes
        /// nothing; a decision (approval or rejection) is reached only through every stage
        /// since the last return sent it back.
        fn walk(co_review: u32, flags: u32, requests: &[Request]) -> Result<Ending, String> {
            let mut s = Situation::at(S::Draft);
            let mut ending = Ending::default();
            // The stages passed, in order, that still count.
            let mut passed: Vec<ApplicationState> = Vec::new();
            for r in requests {
                if r.answer_flags {
                    s.open_flags = 0;
                }
                if r.experts_finish && s.state == S::ExpertReview {
                    s.experts_done = true;
                }
                // The notice's window closes, or an objection is filed or decided; money is paid
                // and the acceptance recorded.
                if s.state == S::PublicNotice {
                    s.notice_closed |= r.experts_finish;
                    s.objections_open = if r.answer_flags { 0 } else { flags };
                }
                if matches!(s.state, S::Approved | S::Disbursement) {
                    s.paid_in_full |= r.experts_finish;
                    s.accepted |= r.answer_flags;
                }
                // An offered request: by someone who is offered something now.
                let busy: Vec<Role> = ROLES
                    .into_iter()
                    .filter(|role| {
                        !allowed(
                            &s,
                            &Actor {
                                role: *role,
                                signed: r.signed,
                            },
                        )
                        .is_empty()
                    })
                    .collect();
                let role = if r.offered && !busy.is_empty() {
                    busy[r.pick % busy.len()]
                } else {
                    r.role
                };
                let who = Actor {
                    role,
                    signed: r.signed,
                };
                let offered: Vec<Action> = allowed(&s, &who)
                    .into_iter()
                    .filter(|a| {
                        (r.may_end || !matches!(a, Action::Withdraw | Action::Reject))
                            && (r.may_return
                                || !matches!(
                                    a,
                                    Action::ReturnForSupplement | Action::ReturnToStage
                                ))
                    })
                    .collect();
                let (action, to) = if r.offered && !offered.is_empty() {
                    let a = offered[(r.pick / 7) % offered.len()];
                    (a, Some(RETURN_STAGES[(r.pick / 11) % RETURN_STAGES.len()]))
                } else {
                    (r.action, r.to)
                };
                let before = s;
                match next(&s, action, to, &who) {
                    Ok(mut after) => {
                        if before.is_final() {
                            return Err(format!("the final {before:?} accepted {action:?}"));
                        }
                        if !defined(&after) {
                            return Err(format!(
                                "{action:?} by {role:?} at {before:?} gave {after:?}"
                            ));
                        }
                        if after.round < before.round {
                            return Err(format!("{action:?} went back a round"));
                        }
                        if after.state == S::PublicNotice
                            && before.state != S::PublicNotice
                            && !before.approval_decided()
                        {
                            return Err(format!("in public notice without a decided approval: {before:?}"));
                        }
                        if matches!(after.state, S::Disbursement | S::Revoked)
                            && !matches!(before.state, S::Approved | S::Disbursement)
                        {
                            return Err(format!("paid or revoked without an approval: {before:?}"));
                        }
                        if after.state == S::Closed && !(before.paid_in_full && before.accepted) {
                            return Err(format!("closed before paid in full and accepted: {before:?}"));
                        }
                        if after.state == S::Approved
                            && !(before.state == S::PublicNotice
                                && before.notice_closed
                                && before.objections_open == 0)
                        {
                            return Err(format!("approved before its notice closed clear: {before:?}"));
                        }
                        if after.state == S::ReturnedForSupplement
                            && before.state != S::ReturnedForSupplement
                        {
                            after.open_flags = flags;
                        }
                        if after.state == S::AgencyDecision && before.state != S::AgencyDecision {
                            after.countersigns_missing = co_review;
                        }
                        let stage = |x: ApplicationState| STAGES.iter().position(|p| *p == x);
                        let backwards = after.state == S::ReturnedForSupplement
                            || matches!((stage(before.state), stage(after.state)), (Some(b), Some(a)) if a < b);
                        if backwards != (after.round > before.round) {
                            return Err(format!("{action:?} from {before:?} to {after:?}: a return, and only a return, starts a new round"));
                        }
                        if after.round > before.round {
                            ending.returned = true;
                            // What counts starts again at the stage it goes back to.
                            let back = after.returned_from.unwrap_or(after.state);
                            let cut = STAGES.iter().position(|x| *x == back).unwrap_or(0);
                            passed
                                .retain(|p| STAGES.iter().position(|x| x == p).unwrap_or(0) < cut);
                        }
                        if STAGES.contains(&after.state) && !passed.contains(&after.state) {
                            passed.push(after.state);
                        }
                        let rejected_by_decision =
                            after.state == S::Rejected && before.state == S::AgencyDecision;
                        if (after.decided() || rejected_by_decision) && passed != STAGES.to_vec() {
                            return Err(format!(
                                "decided having passed only {passed:?}: {after:?}"
                            ));
                        }
                        ending.approved |= after.approval_decided();
                        ending.rejected_by_decision |= rejected_by_decision;
                        s = after;
                    }
                    Err(_) if s != before => {
                        return Err("a refused request changed something".into())
                    }
                    Err(_) => {}
                }
            }
            Ok(ending)
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

            /// No sequence of requests by anyone leaves the workflow (see [`walk`]).
            #[test]
            fn no_sequence_leaves_the_workflow((co_review, flags, requests) in walk_strategy()) {
                if let Err(e) = walk(co_review, flags, &requests) {
                    prop_assert!(false, "{}", e);
                }
            }

            /// What `allowed` offers is exactly what `next` accepts.
            #[test]
            fn allowed_agrees_with_next(state in proptest::sample::select(ApplicationState::ALL.to_vec()), role in proptest::sample::select(ROLES.to_vec()),
                proposal in proptest::option::of(prop_oneof![Just(Proposal::Approve), Just(Proposal::Reject)]),
                lead_signed in any::<bool>(), missing in 0u32..3, flags in 0u32..2, experts_done in any::<bool>(), signed in any::<bool>()) {
                let s = Situation { state, returned_from: Some(S::FormalReview), round: 0, proposal, lead_signed, countersigns_missing: missing, open_flags: flags, experts_done, notice_closed: experts_done, objections_open: flags, paid_in_full: experts_done, accepted: signed };
                let who = Actor { role, signed };
                let offered = allowed(&s, &who);
                for a in Action::ALL {
                    let to = (a == Action::ReturnToStage).then_some(S::RecommendingReview);
                    prop_assert_eq!(offered.contains(&a), a.by_actions_route() && next(&s, a, to, &who).is_ok());
                }
            }
        }

        /// The walks above do reach decisions, including after returns: a property that holds
        /// only because nothing got far would prove nothing.
        #[test]
        fn the_walks_reach_decisions_after_returns() {
            use proptest::strategy::ValueTree;
            let mut runner = proptest::test_runner::TestRunner::deterministic();
            let (mut approved, mut rejected, mut approved_after_return) = (0, 0, 0);
            for _ in 0..3000 {
                let (co, flags, requests) =
                    walk_strategy().new_tree(&mut runner).unwrap().current();
                let ending = walk(co, flags, &requests).unwrap();
                approved += usize::from(ending.approved);
                rejected += usize::from(ending.rejected_by_decision);
                approved_after_return += usize::from(ending.approved && ending.returned);
            }
            assert!(approved > 50 && rejected > 50 && approved_after_return > 20, "approved {approved}, rejected {rejected}, approved after a return {approved_after_return}");
        }
    }
}
