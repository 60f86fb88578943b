//! The review workflow on the server: who plays which part in an application's review, what
//! they may read, and each step taken through the one write path. The rules themselves are
//! `shared::review::next`, run here inside the write that changes the application, against the
//! application's row locked for that write; the pages and `GET .../actions` run the same
//! function to offer only what the server would accept.

pub mod actions;
pub mod approval;
pub mod assign;
pub mod award_files;
pub mod checks;
pub mod dashboard;
pub mod deadlines;
pub mod experts;
pub mod inbox;
pub mod notices;
pub mod objections;
pub mod payments;
pub mod public_notice;
pub mod queue;
pub mod supplement;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use shared::applications::ApplicationState;
use shared::calendar::WorkCalendar;
use shared::programs::ProgramDefinition;
use shared::review::{Actor, Proposal, Refusal, Role, Situation};

use shared::accounts::Role as AccountRole;
use crate::db::schema::{agencies, application_events, applications, awards, decision_signatures, programs, supplement_flags};
use crate::db::{now, DbConn};
use crate::error::AppError;
use crate::principal::Identity;

/// An application's row as the review reads it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = applications)]
pub struct ReviewRow {
    pub id: i64,
    pub program_id: i64,
    pub program_version: i32,
    pub enterprise_id: i64,
    pub state: i32,
    pub project: String,
    pub computed_amount_fen: Option<i64>,
    pub recommending_base_id: Option<i64>,
    pub recommending_agency_id: Option<i64>,
    pub recommended_at: Option<NaiveDateTime>,
    pub review_round: i32,
    pub returned_from: Option<i32>,
    pub proposal: Option<String>,
    pub proposed_amount_fen: Option<i64>,
    pub stage_entered_on: Option<NaiveDate>,
    pub stage_due_on: Option<NaiveDate>,
    pub assigned_reviewer_id: Option<i64>,
}

/// One application under review with what its rules need.
pub struct Case {
    pub row: ReviewRow,
    pub definition: ProgramDefinition,
    pub lead_agency_id: i64,
    /// The co-review agencies the application's program version names.
    pub co_review: Vec<i64>,
    /// The agencies that have signed this round's proposal.
    pub signed: Vec<i64>,
    /// Flags of this round not answered yet.
    pub open_flags: u32,
    /// It has been in the decision stage (co-review agencies read it from then on).
    pub reached_decision: bool,
    /// The experts of this round's panel who confirmed no conflict (they read it).
    pub confirmed_experts: Vec<i64>,
    /// This round's panel meets the program's completion rule.
    pub experts_done: bool,
    /// In public notice: the notice's last day has passed (Beijing time).
    pub notice_closed: bool,
    /// In public notice: objections concerning it not decided yet.
    pub objections_open: u32,
    /// The agency whose staff record disbursements (the program's finance agency, else the
    /// lead agency).
    pub finance_agency_id: i64,
    /// Approved or being paid: the whole amount is paid.
    pub paid_in_full: bool,
    /// Approved or being paid: the acceptance is recorded.
    pub accepted: bool,
}

impl Case {
    pub fn state(&self) -> ApplicationState {
        ApplicationState::from_code(self.row.state).unwrap_or(ApplicationState::Draft)
    }

    pub fn round(&self) -> i32 {
        self.row.review_round
    }

    pub fn proposal(&self) -> Option<Proposal> {
        match self.row.proposal.as_deref() {
            Some("approve") => Some(Proposal::Approve),
            Some("reject") => Some(Proposal::Reject),
            _ => None,
        }
    }

    /// Where it stands, for `shared::review::next`.
    pub fn situation(&self) -> Situation {
        Situation {
            state: self.state(),
            returned_from: self.row.returned_from.and_then(ApplicationState::from_code),
            round: self.row.review_round.max(0) as u32,
            proposal: self.proposal(),
            lead_signed: self.signed.contains(&self.lead_agency_id),
            countersigns_missing: self.co_review.iter().filter(|a| !self.signed.contains(a)).count() as u32,
            open_flags: self.open_flags,
            experts_done: self.experts_done,
            notice_closed: self.notice_closed,
            objections_open: self.objections_open,
            paid_in_full: self.paid_in_full,
            accepted: self.accepted,
        }
    }
}

/// Application `id` as the review sees it; `None` if there is none.
pub fn load_case(conn: &mut DbConn, id: i64) -> Result<Option<Case>, AppError> {
    let Some(row) = applications::table.find(id).select(ReviewRow::as_select()).first(conn).optional()? else {
        return Ok(None);
    };
    let definition = crate::programs::load_version(conn, row.program_id, row.program_version)?;
    let mut codes = definition.co_review.clone();
    codes.push(definition.lead_agency.clone());
    codes.extend(definition.finance_agency.clone());
    let ids: Vec<(i64, String)> = agencies::table.filter(agencies::code.eq_any(&codes)).select((agencies::id, agencies::code)).load(conn)?;
    let id_of = |code: &str| ids.iter().find(|(_, c)| c == code).map(|(i, _)| *i);
    let lead_agency_id = match id_of(&definition.lead_agency) {
        Some(i) => i,
        None => programs::table.find(row.program_id).select(programs::lead_agency_id).first(conn)?,
    };
    let co_review: Vec<i64> = definition.co_review.iter().filter_map(|c| id_of(c)).filter(|a| *a != lead_agency_id).collect();
    let finance_agency_id = definition.finance_agency.as_deref().and_then(id_of).unwrap_or(lead_agency_id);
    let signed: Vec<i64> = decision_signatures::table
        .filter(decision_signatures::application_id.eq(id))
        .filter(decision_signatures::round.eq(row.review_round))
        .select(decision_signatures::agency_id)
        .load(conn)?;
    let open_flags: i64 = supplement_flags::table
        .filter(supplement_flags::application_id.eq(id))
        .filter(supplement_flags::round.eq(row.review_round))
        .filter(supplement_flags::answered_at.is_null())
        .count()
        .get_result(conn)?;
    let reached_decision = row.state == ApplicationState::AgencyDecision.code()
        || diesel::select(diesel::dsl::exists(
            application_events::table.filter(application_events::application_id.eq(id)).filter(application_events::to_state.eq(ApplicationState::AgencyDecision.code())),
        ))
        .get_result(conn)?;
    let mut case = Case {
        row,
        definition,
        lead_agency_id,
        co_review,
        signed,
        open_flags: open_flags as u32,
        reached_decision,
        confirmed_experts: Vec::new(),
        experts_done: false,
        notice_closed: false,
        objections_open: 0,
        finance_agency_id,
        paid_in_full: false,
        accepted: false,
    };
    if case.state() == ApplicationState::PublicNotice {
        let (closes_on, open) = public_notice::standing(conn, id)?;
        case.notice_closed = closes_on.is_some_and(|d| d < today());
        case.objections_open = open;
    }
    if matches!(case.state(), ApplicationState::Approved | ApplicationState::Disbursement) {
        let money: Option<(i64, i64, Option<NaiveDate>)> = awards::table.find(id).select((awards::amount_fen, awards::paid_fen, awards::accepted_on)).first(conn).optional()?;
        if let Some((amount, paid, accepted_on)) = money {
            case.paid_in_full = paid >= amount;
            case.accepted = accepted_on.is_some();
        }
    }
    if case.state() == ApplicationState::ExpertReview {
        case.confirmed_experts = experts::confirmed_experts(conn, id, case.round())?;
        let (scored, assigned, _) = experts::tally(conn, &case)?;
        case.experts_done = case.definition.experts.completion.met(scored, assigned);
    }
    Ok(Some(case))
}

/// One part the caller plays in a case: the role, and the agency it acts for (agency roles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    pub role: Role,
    pub agency_id: Option<i64>,
}

impl Part {
    /// The actor `shared::review::next` judges.
    pub fn actor(&self, case: &Case) -> Actor {
        Actor { role: self.role, signed: self.agency_id.is_some_and(|a| case.signed.contains(&a)) }
    }
}

/// The agencies `identity` works for with `role`.
fn agencies_as(identity: &Identity, role: AccountRole) -> impl Iterator<Item = i64> + '_ {
    identity.grants.iter().filter(move |g| g.role == role).filter_map(|g| g.agency_id)
}

/// Every part `identity` plays in `case`'s review (none for a system admin as such: the
/// operator reads, never decides).
pub fn parts(identity: &Identity, case: &Case) -> Vec<Part> {
    let mut out = Vec::new();
    if identity.enterprises(false).contains(&case.row.enterprise_id) {
        out.push(Part { role: Role::Applicant, agency_id: None });
    }
    let staff_of = |agency: i64| agencies_as(identity, AccountRole::AgencyReviewer).chain(agencies_as(identity, AccountRole::AgencyLead)).any(|a| a == agency);
    let recommending = case.row.recommending_base_id.is_some_and(|b| identity.managed_bases().contains(&b)) || case.row.recommending_agency_id.is_some_and(staff_of);
    if recommending {
        out.push(Part { role: Role::RecommendingUnit, agency_id: case.row.recommending_agency_id });
    }
    let lead = case.lead_agency_id;
    if agencies_as(identity, AccountRole::AgencyReviewer).any(|a| a == lead) {
        out.push(Part { role: Role::Reviewer, agency_id: Some(lead) });
    }
    if agencies_as(identity, AccountRole::AgencyLead).any(|a| a == lead) {
        out.push(Part { role: Role::AgencyLead, agency_id: Some(lead) });
    }
    for a in agencies_as(identity, AccountRole::AgencyLead) {
        if case.co_review.contains(&a) {
            out.push(Part { role: Role::CoReviewLead, agency_id: Some(a) });
        }
    }
    let finance = case.finance_agency_id;
    if agencies_as(identity, AccountRole::AgencyReviewer).chain(agencies_as(identity, AccountRole::AgencyLead)).any(|a| a == finance) {
        out.push(Part { role: Role::Finance, agency_id: Some(finance) });
    }
    out
}

/// Whether `identity` may read `case` at all (anyone else is told it does not exist): its
/// company; the recommending unit once submitted; the lead agency's staff once recommended; a
/// co-review agency's staff once it reached the decision; an expert of the current panel from
/// their confirmation of no conflict while the expert stage lasts; a system admin.
pub fn may_read(identity: &Identity, case: &Case) -> bool {
    if identity.is_admin() || identity.enterprises(false).contains(&case.row.enterprise_id) {
        return true;
    }
    if case.state() == ApplicationState::Draft {
        return false;
    }
    let staff: Vec<i64> = agencies_as(identity, AccountRole::AgencyReviewer).chain(agencies_as(identity, AccountRole::AgencyLead)).collect();
    let recommending = case.row.recommending_base_id.is_some_and(|b| identity.managed_bases().contains(&b)) || case.row.recommending_agency_id.is_some_and(|a| staff.contains(&a));
    let lead = case.row.recommended_at.is_some() && staff.contains(&case.lead_agency_id);
    let co = case.reached_decision && case.co_review.iter().any(|a| staff.contains(a));
    // The finance agency once there is an award to pay (or recover).
    let awarded = matches!(case.state(), ApplicationState::Approved | ApplicationState::Disbursement | ApplicationState::Closed | ApplicationState::Revoked);
    let finance = awarded && staff.contains(&case.finance_agency_id);
    // An expert from the moment they confirm no conflict, while the stage lasts.
    let expert = case.confirmed_experts.contains(&identity.user_id);
    recommending || lead || co || expert || finance
}

/// The case for `identity`, or 404 when it may not read it.
pub fn load_readable(conn: &mut DbConn, identity: &Identity, id: i64) -> Result<Case, AppError> {
    match load_case(conn, id)? {
        Some(case) if may_read(identity, &case) => Ok(case),
        _ => Err(AppError::NotFound("the application")),
    }
}

/// The answer for a refused step.
pub fn refusal_error(r: Refusal) -> AppError {
    let message = match r {
        Refusal::Final => "This application is closed; nothing more can be done with it.",
        Refusal::NotAllowed => "You cannot take this action at this stage.",
        Refusal::FlagsOpen => "Answer every flag before resubmitting.",
        Refusal::ExpertsPending => "The expert review is not complete yet.",
        Refusal::ProposalExists => "A decision has already been proposed in this round.",
        Refusal::NoProposal => "There is no proposed decision to sign yet.",
        Refusal::AlreadySigned => "Your agency has already signed this round's proposal.",
        Refusal::LeadNotSigned => "The lead agency's head signs first; co-review agencies countersign after.",
        Refusal::StageNotEarlier => "`to_stage` must be recommending_review, formal_review or expert_review.",
        Refusal::Decided => "The agencies have decided; this can no longer be changed here.",
        Refusal::NoticeOpen => "The public notice is still open; the award can be approved once it closes.",
        Refusal::ObjectionOpen => "An objection to this award is still being investigated; decide it first.",
        Refusal::NotPaidInFull => "The award is not paid in full yet.",
        Refusal::NotAccepted => "The award's acceptance is not recorded yet.",
    };
    match r {
        Refusal::NotAllowed => AppError::Forbidden { code: r.code(), message },
        Refusal::StageNotEarlier => AppError::field("to_stage", r.code(), message),
        _ => AppError::Conflict { code: r.code(), message: message.into() },
    }
}

/// The working days a stage may take under `def` (none for a state that is not a review stage).
pub fn stage_limit(def: &ProgramDefinition, state: ApplicationState) -> Option<u32> {
    match state {
        ApplicationState::RecommendingReview => Some(def.stage_limits.recommending),
        ApplicationState::FormalReview => Some(def.stage_limits.formal),
        ApplicationState::ExpertReview => Some(def.stage_limits.expert),
        ApplicationState::AgencyDecision => Some(def.stage_limits.decision),
        _ => None,
    }
}

/// The last day of a stage entered on `today` that may take `days` working days (none past
/// the calendar's years).
pub fn due_after(calendar: &WorkCalendar, today: NaiveDate, days: u32) -> Option<NaiveDate> {
    calendar.add_working_days(today, days).map(|r| r.value)
}

/// The Beijing date of the write in progress.
pub fn today() -> NaiveDate {
    crate::clock::beijing_date(now())
}

/// Append a step to the application's history: `internal` steps only staff see; `note` is
/// what the step says (a reason shown to the applicant unless `internal`).
#[allow(clippy::too_many_arguments)]
pub fn history(
    conn: &mut DbConn,
    id: i64,
    kind: &str,
    (from, to): (Option<ApplicationState>, Option<ApplicationState>),
    part: Option<&Part>,
    actor: Option<i64>,
    round: i32,
    note: Option<&str>,
    internal: bool,
) -> QueryResult<usize> {
    diesel::insert_into(application_events::table)
        .values((
            application_events::application_id.eq(id),
            application_events::at.eq(now()),
            application_events::kind.eq(kind),
            application_events::from_state.eq(from.map(|s| s.code())),
            application_events::to_state.eq(to.map(|s| s.code())),
            application_events::actor_user_id.eq(actor),
            application_events::note.eq(note),
            application_events::actor_role.eq(part.map(|p| role_name(p.role))),
            application_events::agency_id.eq(part.and_then(|p| p.agency_id)),
            application_events::round.eq(round),
            application_events::internal.eq(internal),
        ))
        .execute(conn)
}

pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Applicant => "applicant",
        Role::RecommendingUnit => "recommending_unit",
        Role::Reviewer => "reviewer",
        Role::AgencyLead => "agency_lead",
        Role::CoReviewLead => "co_review_lead",
        Role::System => "system",
        Role::Finance => "finance",
    }
}

/// Give back what a proposal of application `id` still holds of its program's budget: the
/// amount proposed, less what an award of it has been paid (paid money is no longer reserved).
pub fn release_reservation(conn: &mut DbConn, program_id: i64, id: i64) -> QueryResult<()> {
    let held: Option<(Option<String>, Option<i64>)> =
        applications::table.find(id).select((applications::proposal, applications::proposed_amount_fen)).first(conn).optional()?;
    let paid: i64 = awards::table.find(id).select(awards::paid_fen).first(conn).optional()?.unwrap_or(0);
    if let Some((Some(p), Some(amount))) = held {
        let amount = amount - paid;
        if p == "approve" && amount > 0 {
            diesel::update(programs::table.find(program_id)).set(programs::budget_reserved_fen.eq(programs::budget_reserved_fen - amount)).execute(conn)?;
        }
    }
    Ok(())
}
