//! Who hears of each step of the review, and how: an in-app notification in the person's
//! language (`notifications`) and the same text by email through the outbox, unless the person
//! turned that kind off and it is not obligatory. Everything here runs inside the write that
//! takes the step, so a step and its notices commit together, and a retried write sends none
//! twice.

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_i18n::t;
use shared::applications::ApplicationState;
use shared::notifications::NoticeKind;
use shared::review::{ApplicantStatus, Proposal};

use super::Case;
use crate::db::schema::{applications, enterprises, expert_assignments, notifications, programs, supplement_flags, user_roles, users};
use crate::db::{now, DbConn};
use crate::error::AppError;
use crate::notify::outbox::{enqueue, Mail};

/// What one notice says.
pub struct Notice<'a> {
    pub kind: NoticeKind,
    pub application_id: i64,
    /// The stage it concerns (the new one for a step).
    pub stage: ApplicationState,
    /// A reason, the flags to supplement, or what else the kind carries.
    pub note: Option<&'a str>,
    pub due: Option<NaiveDate>,
}

/// The words of a stage in `locale`, as the person it goes to should read it.
fn stage_words(state: ApplicationState, applicant: bool, l: &str) -> String {
    if applicant {
        let status = serde_json::to_value(ApplicantStatus::of(state)).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        t!(format!("status.{status}"), locale = l).to_string()
    } else {
        t!(format!("stage.{}", state.as_str()), locale = l).to_string()
    }
}

/// Tell `recipients` (user ids; disabled people and duplicates are skipped) of `n`, inside the
/// caller's write. `origin` makes the emailed link absolute.
pub fn send(conn: &mut DbConn, origin: &str, recipients: &[i64], n: &Notice<'_>) -> Result<(), AppError> {
    let mut ids: Vec<i64> = recipients.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    let (title_zh, title_en, project, company, enterprise_id): (String, String, String, String, i64) = applications::table
        .inner_join(programs::table)
        .inner_join(enterprises::table)
        .filter(applications::id.eq(n.application_id))
        .select((programs::title_zh, programs::title_en, applications::title, enterprises::name_zh, applications::enterprise_id))
        .first(conn)?;
    let people: Vec<(i64, String, String, String, String)> = users::table
        .filter(users::id.eq_any(&ids))
        .filter(users::disabled_at.is_null())
        .select((users::id, users::email, users::display_name, users::locale, users::email_off))
        .load(conn)?;
    let applicants = applicant_ids(conn, enterprise_id)?;
    let t = now();
    for (id, email, name, locale, email_off) in people {
        let l = if locale == "en" { "en" } else { "zh-CN" };
        let applicant = applicants.contains(&id);
        let program = if l == "en" { &title_en } else { &title_zh };
        let kind = n.kind.as_str();
        let due = n.due.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_else(|| "—".into());
        let stage = stage_words(n.stage, applicant, l);
        let note = n.note.unwrap_or("");
        let title = t!(format!("notice.{kind}.title"), locale = l, program = program, title = project, due = due, stage = stage).to_string();
        let body = t!(format!("notice.{kind}.body"), locale = l, program = program, title = project, company = company, stage = stage, due = due, note = note).to_string();
        let link = format!("/applications/{}", n.application_id);
        diesel::insert_into(notifications::table)
            .values((
                notifications::user_id.eq(id),
                notifications::kind.eq(kind),
                notifications::application_id.eq(n.application_id),
                notifications::title.eq(&title),
                notifications::body.eq(&body),
                notifications::link.eq(&link),
                notifications::created_at.eq(t),
            ))
            .execute(conn)?;
        let off: Vec<String> = serde_json::from_str(&email_off).unwrap_or_default();
        if n.kind.obligatory() || !off.iter().any(|k| k == kind) {
            let full = format!("{}{link}", origin.trim_end_matches('/'));
            enqueue(conn, &email, l, Mail::Notice { name: &name, subject: &title, text: &body, link: &full })?;
        }
    }
    Ok(())
}

/// The company's people who hear of their application: its administrators.
pub fn applicant_ids(conn: &mut DbConn, enterprise_id: i64) -> QueryResult<Vec<i64>> {
    user_roles::table.filter(user_roles::enterprise_id.eq(enterprise_id)).filter(user_roles::role.eq("enterprise_admin")).select(user_roles::user_id).load(conn)
}

/// People with `role` for agency `agency`.
fn agency_people(conn: &mut DbConn, agencies: &[i64], roles: &[&str]) -> QueryResult<Vec<i64>> {
    user_roles::table.filter(user_roles::agency_id.eq_any(agencies)).filter(user_roles::role.eq_any(roles)).select(user_roles::user_id).load(conn)
}

/// The lead agency's agency leads (escalations go to them).
pub fn lead_agency_leads(conn: &mut DbConn, case: &Case) -> QueryResult<Vec<i64>> {
    agency_people(conn, &[case.lead_agency_id], &["agency_lead"])
}

/// The lead agency's reviewers and agency leads (objections go to them).
pub fn lead_agency_staff(conn: &mut DbConn, case: &Case) -> QueryResult<Vec<i64>> {
    agency_people(conn, &[case.lead_agency_id], &["agency_reviewer", "agency_lead"])
}

/// Who holds the work of `case` now: the recommending unit; the reviewer it is assigned to (or
/// the lead agency's staff); the experts who have not scored (or, with none, the lead agency's
/// leads, who draw); in the decision stage the lead agency's staff until a proposal, then its
/// leads until they sign, then the co-review agencies' leads still to sign; while returned for
/// supplement, the company.
pub fn holders(conn: &mut DbConn, case: &Case) -> QueryResult<Vec<i64>> {
    let id = case.row.id;
    let lead = [case.lead_agency_id];
    Ok(match case.state() {
        ApplicationState::RecommendingReview => match (case.row.recommending_base_id, case.row.recommending_agency_id) {
            (Some(base), _) => user_roles::table.filter(user_roles::base_id.eq(base)).filter(user_roles::role.eq("park_manager")).select(user_roles::user_id).load(conn)?,
            (None, Some(agency)) => agency_people(conn, &[agency], &["agency_reviewer", "agency_lead"])?,
            (None, None) => Vec::new(),
        },
        ApplicationState::FormalReview => match case.row.assigned_reviewer_id {
            Some(reviewer) => vec![reviewer],
            None => agency_people(conn, &lead, &["agency_reviewer", "agency_lead"])?,
        },
        ApplicationState::ExpertReview => {
            let experts: Vec<i64> = expert_assignments::table
                .filter(expert_assignments::application_id.eq(id))
                .filter(expert_assignments::round.eq(case.round()))
                .filter(expert_assignments::status.ne("recused"))
                .filter(expert_assignments::scored_at.is_null())
                .select(expert_assignments::expert_user_id)
                .load(conn)?;
            if experts.is_empty() {
                agency_people(conn, &lead, &["agency_lead"])?
            } else {
                experts
            }
        }
        ApplicationState::AgencyDecision => {
            let s = case.situation();
            match s.proposal {
                None => agency_people(conn, &lead, &["agency_reviewer", "agency_lead"])?,
                Some(_) if !s.lead_signed => agency_people(conn, &lead, &["agency_lead"])?,
                Some(_) => {
                    let unsigned: Vec<i64> = case.co_review.iter().filter(|a| !case.signed.contains(a)).copied().collect();
                    agency_people(conn, &unsigned, &["agency_lead"])?
                }
            }
        }
        ApplicationState::ReturnedForSupplement => applicant_ids(conn, case.row.enterprise_id)?,
        _ => Vec::new(),
    })
}

/// The notices of a step from `before` to `after` (both loaded around it) taken by `actor`:
/// the applicant hears of every change of what it is shown (a return with its flags, a
/// rejection with its reason), the people who hold the work next hear that it arrived (a
/// proposal waiting for signatures is "countersign needed"), and whoever returned it hears that
/// the supplement came back. Nobody is told of their own step.
pub fn after_step(conn: &mut DbConn, origin: &str, before: &Case, after: &Case, actor: i64, reason: Option<&str>) -> Result<(), AppError> {
    let id = after.row.id;
    let (from, to) = (before.state(), after.state());
    let applicants = applicant_ids(conn, after.row.enterprise_id)?;
    let without_actor = |v: Vec<i64>| -> Vec<i64> { v.into_iter().filter(|u| *u != actor).collect() };
    if ApplicantStatus::of(from) != ApplicantStatus::of(to) && to != ApplicationState::Withdrawn {
        let (kind, note) = match to {
            ApplicationState::Rejected => (NoticeKind::Rejected, reason.map(str::to_string)),
            ApplicationState::Revoked => (NoticeKind::Revoked, reason.map(str::to_string)),
            ApplicationState::ReturnedForSupplement => (NoticeKind::ReturnedForSupplement, Some(flags_text(conn, after)?)),
            _ => (NoticeKind::StatusChanged, None),
        };
        let due = if to == ApplicationState::ReturnedForSupplement { after.row.stage_due_on } else { None };
        send(conn, origin, &without_actor(applicants.clone()), &Notice { kind, application_id: id, stage: to, note: note.as_deref(), due })?;
    }
    let moved = from != to || before.proposal() != after.proposal() || before.signed.len() != after.signed.len();
    if moved && !matches!(to, ApplicationState::ReturnedForSupplement | ApplicationState::Withdrawn | ApplicationState::Rejected) && !after.situation().decided() {
        let kind = if to == ApplicationState::AgencyDecision && after.proposal().is_some() { NoticeKind::CountersignNeeded } else { NoticeKind::WorkArrived };
        let holders: Vec<i64> = without_actor(holders(conn, after)?).into_iter().filter(|u| !applicants.contains(u)).collect();
        let note = match after.proposal() {
            Some(Proposal::Approve) => after.row.proposed_amount_fen.map(|f| shared::Fen(f).to_string()),
            _ => None,
        };
        send(conn, origin, &holders, &Notice { kind, application_id: id, stage: to, note: note.as_deref(), due: after.row.stage_due_on })?;
    }
    if from == ApplicationState::ReturnedForSupplement && to != ApplicationState::Withdrawn {
        // Whoever returned it: the flags of the round it was returned in.
        let returners: Vec<i64> = supplement_flags::table
            .filter(supplement_flags::application_id.eq(id))
            .filter(supplement_flags::round.eq(before.round()))
            .select(supplement_flags::created_by)
            .distinct()
            .load(conn)?;
        send(conn, origin, &without_actor(returners), &Notice { kind: NoticeKind::SupplementAnswered, application_id: id, stage: to, note: None, due: after.row.stage_due_on })?;
    }
    Ok(())
}

/// The flags of the current return as lines of text ("model: comment").
fn flags_text(conn: &mut DbConn, case: &Case) -> QueryResult<String> {
    let rows: Vec<(Option<String>, Option<String>, String)> = supplement_flags::table
        .filter(supplement_flags::application_id.eq(case.row.id))
        .filter(supplement_flags::round.eq(case.round()))
        .order(supplement_flags::id)
        .select((supplement_flags::field, supplement_flags::material_code, supplement_flags::comment))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(field, material, comment)| {
            let what = field.or_else(|| material.and_then(|m| case.definition.material(&m).map(|spec| spec.name.zh.clone()).or(Some(m)))).unwrap_or_default();
            format!("- {what}: {comment}")
        })
        .collect::<Vec<_>>()
        .join("\n"))
}
