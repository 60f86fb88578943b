//! `GET /api/v1/programs/{code}`: a program's guide, its current version and its history.

use std::collections::BTreeMap;

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use shared::dto::{Bilingual, CallStatus};
use shared::programs::{ProgramGuide, VersionNote};

use crate::db::schema::{agencies, bases, program_versions, programs, segments};
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;

/// The qualification kinds' names (the rules name them by code).
pub fn qualification_name(code: &str) -> Bilingual {
    match code {
        "high_tech" => Bilingual::new("高新技术企业", "High-tech enterprise"),
        "little_giant" => Bilingual::new("专精特新“小巨人”企业", "Specialised \"little giant\""),
        "specialized" => Bilingual::new("专精特新中小企业", "Specialised SME"),
        "tech_sme" => Bilingual::new("科技型中小企业", "Technology SME"),
        other => Bilingual::new(other, other),
    }
}

/// Names of the bases, segments and qualifications `rules` name, by code.
pub fn rule_names(conn: &mut DbConn, rules: &shared::programs::Eligibility) -> QueryResult<BTreeMap<String, Bilingual>> {
    let mut names = BTreeMap::new();
    let rows: Vec<(String, String, String)> =
        bases::table.filter(bases::code.eq_any(&rules.bases)).select((bases::code, bases::name_zh, bases::name_en)).load(conn)?;
    let more: Vec<(String, String, String)> =
        segments::table.filter(segments::code.eq_any(&rules.segments)).select((segments::code, segments::name_zh, segments::name_en)).load(conn)?;
    for (code, zh, en) in rows.into_iter().chain(more) {
        names.insert(code, Bilingual::new(zh, en));
    }
    for q in &rules.qualifications {
        names.insert(q.clone(), qualification_name(q));
    }
    Ok(names)
}

/// The guide of program `code` at `now`.
pub fn guide(conn: &mut DbConn, code: &str, now: DateTime<Utc>) -> Result<ProgramGuide, AppError> {
    let program = super::load(conn, code)?;
    let def = &program.definition;
    let used: i64 = programs::table.find(program.id).select(programs::budget_used_fen).first(conn)?;
    let name = |conn: &mut DbConn, code: &str| -> QueryResult<Bilingual> {
        agencies::table
            .filter(agencies::code.eq(code))
            .select((agencies::name_zh, agencies::name_en))
            .first::<(String, String)>(conn)
            .map(|(zh, en)| Bilingual::new(zh, en))
    };
    let lead_agency_name = name(conn, &def.lead_agency)?;
    let mut co_review_names = Vec::new();
    for c in &def.co_review {
        co_review_names.push(name(conn, c)?);
    }
    let versions: Vec<(i32, chrono::NaiveDateTime, String)> = program_versions::table
        .filter(program_versions::program_id.eq(program.id))
        .order(program_versions::version.desc())
        .select((program_versions::version, program_versions::created_at, program_versions::changes))
        .load(conn)?;
    let versions = versions
        .into_iter()
        .map(|(version, at, changes)| VersionNote { version, created_at: at.and_utc(), changes: serde_json::from_str(&changes).unwrap_or_default() })
        .collect();
    Ok(ProgramGuide {
        code: program.code.clone(),
        version: program.version,
        call_status: CallStatus::at(now, def.call_opens_at, def.call_closes_at),
        budget_left_fen: def.budget_total_fen.saturating_sub(used),
        names: rule_names(conn, &def.eligibility)?,
        lead_agency_name,
        co_review_names,
        versions,
        definition: program.definition,
    })
}

/// A program's guide: purpose, who may apply, the materials, the amount rule, the call window,
/// the agencies and every version with what changed. Public.
#[utoipa::path(get, path = "/api/v1/programs/{code}", tag = "programs", params(("code" = String, Path, example = "SH-2026-FIRST-SET")),
    responses((status = 200, body = ProgramGuide), (status = 404, description = "`not_found`: no such program")))]
#[get("/programs/{code}")]
pub async fn get_program(state: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let code = path.into_inner();
    let guide = state.db.run(move |conn| guide(conn, &code, crate::db::now().and_utc())).await?;
    Ok(HttpResponse::Ok().json(guide))
}
