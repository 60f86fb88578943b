//! `GET /api/v1/programs/{code}/eligibility`: whether the signed-in company may apply, and for
//! each rule it fails, why.

use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;
use shared::applications::ApplicationState;
use shared::programs::{CompanyFacts, EligibilityAnswer, FailedRuleView, ProgramDefinition};
use shared::registry::TenancyStatus;
use utoipa::IntoParams;

use crate::db::schema::{applications, bases, enterprise_bans, enterprise_qualifications, enterprise_segments, enterprises, segments, tenancies};
use crate::db::DbConn;
use crate::error::AppError;
use crate::principal::Identity;
use crate::scope::CompanyScope;
use crate::state::AppState;

/// What the eligibility rules read about company `enterprise_id` for program `program_id` (whose
/// definition is `def`) on `today`. An overdue acceptance counts only where the program refuses it.
pub fn facts(conn: &mut DbConn, enterprise_id: i64, program_id: i64, def: &ProgramDefinition, today: NaiveDate) -> Result<CompanyFacts, AppError> {
    let (division_code, founded_on, verification): (String, Option<NaiveDate>, String) = enterprises::table
        .find(enterprise_id)
        .select((enterprises::division_code, enterprises::founded_on, enterprises::verification))
        .first(conn)?;
    let admitted_bases: Vec<String> = tenancies::table
        .inner_join(bases::table)
        .filter(tenancies::enterprise_id.eq(enterprise_id))
        .filter(tenancies::status.eq(TenancyStatus::Admitted.code()))
        .select(bases::code)
        .load(conn)?;
    let segments: Vec<String> = enterprise_segments::table
        .inner_join(segments::table)
        .filter(enterprise_segments::enterprise_id.eq(enterprise_id))
        .select(segments::code)
        .load(conn)?;
    let qualifications: Vec<String> = enterprise_qualifications::table
        .filter(enterprise_qualifications::enterprise_id.eq(enterprise_id))
        .filter(enterprise_qualifications::valid_from.is_null().or(enterprise_qualifications::valid_from.le(today)))
        .filter(enterprise_qualifications::valid_until.is_null().or(enterprise_qualifications::valid_until.ge(today)))
        .select(enterprise_qualifications::kind)
        .load(conn)?;
    let banned_until: Option<NaiveDate> = enterprise_bans::table
        .filter(enterprise_bans::enterprise_id.eq(enterprise_id))
        .filter(enterprise_bans::program_id.is_null().or(enterprise_bans::program_id.eq(program_id)))
        .filter(enterprise_bans::starts_on.le(today))
        .filter(enterprise_bans::ends_on.ge(today))
        .select(diesel::dsl::max(enterprise_bans::ends_on))
        .first(conn)?;
    let overdue: i64 = if !def.refuse_overdue_acceptance {
        0
    } else {
        applications::table
            .filter(applications::enterprise_id.eq(enterprise_id))
            .filter(applications::program_id.eq(program_id))
            .filter(applications::state.eq_any([ApplicationState::Approved.code(), ApplicationState::Disbursement.code()]))
            .filter(applications::acceptance_due_on.lt(today))
            .filter(applications::accepted_at.is_null())
            .count()
            .get_result(conn)?
    };
    Ok(CompanyFacts {
        division_code,
        admitted_bases,
        segments,
        qualifications,
        founded_on,
        verified: verification == "verified",
        banned_until,
        overdue_acceptance: overdue > 0,
    })
}

/// The eligibility of the company `scope` names for `program` on `today`, with reasons in `lang`.
pub fn answer(conn: &mut DbConn, scope: &CompanyScope, program_id: i64, code: &str, def: &ProgramDefinition, today: NaiveDate, lang: &str) -> Result<EligibilityAnswer, AppError> {
    let company = facts(conn, scope.enterprise_id(), program_id, def, today)?;
    let failed = def.eligibility.check(&company, today);
    let names = super::get_program::rule_names(conn, &def.eligibility)?;
    let name = |c: &str| names.get(c).map_or_else(|| c.to_string(), |b| b.get(lang).to_string());
    let failed: Vec<FailedRuleView> =
        failed.into_iter().map(|rule| FailedRuleView { code: rule.code().to_string(), message: rule.message(lang, &name), rule }).collect();
    Ok(EligibilityAnswer { program_code: code.to_string(), enterprise_id: scope.enterprise_id(), eligible: failed.is_empty(), failed })
}

/// Every program that is open or upcoming, as it fits the company `scope` names: open and
/// eligible first, then by how few rules it fails, then by closing time.
pub fn fits(conn: &mut DbConn, scope: &CompanyScope, now: chrono::DateTime<chrono::Utc>, lang: &str) -> Result<Vec<shared::programs::ProgramFit>, AppError> {
    use shared::dto::CallStatus;
    let codes: Vec<String> = crate::db::schema::programs::table
        .filter(crate::db::schema::programs::current_version.gt(0))
        .filter(crate::db::schema::programs::call_closes_at.gt(now.naive_utc()))
        .order(crate::db::schema::programs::sort_order)
        .select(crate::db::schema::programs::code)
        .load(conn)?;
    let today = crate::clock::beijing_date(now.naive_utc());
    let mut out = Vec::new();
    for code in codes {
        let program = super::load(conn, &code)?;
        let a = answer(conn, scope, program.id, &program.code, &program.definition, today, lang)?;
        let def = &program.definition;
        out.push(shared::programs::ProgramFit {
            code: program.code.clone(),
            title: def.title.clone(),
            call_status: CallStatus::at(now, def.call_opens_at, def.call_closes_at),
            call_closes_at: def.call_closes_at,
            eligible: a.eligible,
            reasons: a.failed.into_iter().map(|f| f.message).collect(),
        });
    }
    out.sort_by_key(|f| (f.call_status != CallStatus::Open, !f.eligible, f.reasons.len(), f.call_closes_at));
    Ok(out)
}

/// Which company a request acts for: the one named, or the caller's only company.
pub fn company_of(identity: &Identity, named: Option<i64>) -> Result<i64, AppError> {
    match named {
        Some(id) => Ok(id),
        None => {
            let mut own = identity.enterprises(false);
            own.sort_unstable();
            own.dedup();
            match own.as_slice() {
                [one] => Ok(*one),
                [] => Err(AppError::forbidden()),
                _ => Err(AppError::field("enterprise_id", "required", "You act for more than one company: name it with enterprise_id.")),
            }
        }
    }
}

/// The language of the answer's messages: English when the request prefers it.
pub fn request_lang(req: &HttpRequest) -> &'static str {
    let accept = req.headers().get(actix_web::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let first = accept.split(',').next().unwrap_or("").trim().to_ascii_lowercase();
    if first.starts_with("en") {
        "en"
    } else {
        "zh-CN"
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct EligibilityQuery {
    /// The company to check (needed only by someone who acts for more than one).
    pub enterprise_id: Option<i64>,
}

/// Whether the signed-in company may apply to this program today, and for each rule it fails,
/// why (in the language of `Accept-Language`: Chinese unless English comes first).
#[utoipa::path(get, path = "/api/v1/programs/{code}/eligibility", tag = "programs", params(("code" = String, Path, example = "SH-2026-FIRST-SET"), EligibilityQuery),
    responses((status = 200, body = EligibilityAnswer), (status = 401, description = "`unauthenticated`"),
        (status = 403, description = "`forbidden`: not a person of the company"), (status = 404, description = "`not_found`: no such program"),
        (status = 422, description = "`enterprise_id` is needed (the caller acts for several companies)")))]
#[get("/programs/{code}/eligibility")]
pub async fn get_eligibility(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<String>, q: web::Query<EligibilityQuery>) -> Result<HttpResponse, AppError> {
    let enterprise_id = company_of(&identity, q.enterprise_id)?;
    let scope = CompanyScope::of(&identity, enterprise_id, false)?;
    let (code, lang) = (path.into_inner(), request_lang(&req));
    let answer = state
        .db
        .run(move |conn| {
            let program = super::load(conn, &code)?;
            let today = crate::clock::beijing_date(crate::db::now());
            answer(conn, &scope, program.id, &program.code, &program.definition, today, lang)
        })
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}
