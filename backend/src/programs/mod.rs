//! Subsidy programs: each is a row in `programs` (what lists show, and which version is
//! current) and a series of versions in `program_versions`, each the whole definition
//! (`shared::programs::ProgramDefinition`) as JSON with the fields that changed from the version
//! before. Editing a program whose call is open, or whose current version has applications
//! filed under it, makes a new version; otherwise the current version is replaced. An
//! application keeps the version it was filed under.

pub mod edits;
pub mod eligibility;
pub mod get_program;
pub mod save_program;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::programs::ProgramDefinition;

use crate::db::schema::{agencies, applications, program_agencies, program_materials, program_versions, programs};
use crate::db::{now, DbConn};
use crate::error::AppError;

/// A program's current version, read from the database.
#[derive(Debug, Clone)]
pub struct Program {
    pub id: i64,
    pub code: String,
    pub version: i32,
    pub definition: ProgramDefinition,
}

/// The program `code` with its current definition; 404 `the program` when there is none.
pub fn load(conn: &mut DbConn, code: &str) -> Result<Program, AppError> {
    let (id, code, version): (i64, String, i32) = programs::table
        .filter(programs::code.eq(code))
        .filter(programs::current_version.gt(0))
        .select((programs::id, programs::code, programs::current_version))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound("the program"))?;
    let definition = load_version(conn, id, version)?;
    Ok(Program { id, code, version, definition })
}

/// Version `version` of program `program_id`.
pub fn load_version(conn: &mut DbConn, program_id: i64, version: i32) -> Result<ProgramDefinition, AppError> {
    let text: String = program_versions::table
        .filter(program_versions::program_id.eq(program_id))
        .filter(program_versions::version.eq(version))
        .select(program_versions::definition)
        .first(conn)?;
    serde_json::from_str(&text).map_err(|e| AppError::Internal(anyhow::anyhow!("program {program_id} version {version} does not parse: {e}")))
}

/// The top-level fields of a definition whose value differs between `old` and `new`.
pub fn changed_fields(old: &ProgramDefinition, new: &ProgramDefinition) -> Vec<String> {
    let (a, b) = (serde_json::to_value(old).unwrap_or_default(), serde_json::to_value(new).unwrap_or_default());
    match (a, b) {
        (serde_json::Value::Object(a), serde_json::Value::Object(b)) => {
            let mut keys: Vec<String> = b.iter().filter(|(k, v)| a.get(*k) != Some(*v)).map(|(k, _)| k.clone()).collect();
            keys.extend(a.keys().filter(|k| !b.contains_key(*k)).cloned());
            keys.sort();
            keys
        }
        _ => Vec::new(),
    }
}

/// What `save` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// A new program, version 1.
    Created,
    /// A new version.
    NewVersion(i32),
    /// The current version was replaced (nothing was filed under it and the call is not open).
    Replaced(i32),
    /// The definition is the current one already.
    Unchanged(i32),
}

impl Saved {
    pub fn version(self) -> i32 {
        match self {
            Saved::Created => 1,
            Saved::NewVersion(v) | Saved::Replaced(v) | Saved::Unchanged(v) => v,
        }
    }
}

/// The definition's problems, including agency codes that do not exist, as a validation error.
pub fn check(conn: &mut DbConn, def: &ProgramDefinition) -> Result<(), AppError> {
    let mut fields = shared::errors::FieldErrors::new();
    for (path, code) in def.problems() {
        crate::error::push_field_error(&mut fields, &path, code, format!("{path}: {code}"));
    }
    if agency_id(conn, &def.lead_agency)?.is_none() {
        crate::error::push_field_error(&mut fields, "lead_agency", "invalid_code", "No agency has this code.");
    }
    if let Some(code) = &def.finance_agency {
        if agency_id(conn, code)?.is_none() {
            crate::error::push_field_error(&mut fields, "finance_agency", "invalid_code", "No agency has this code.");
        }
    }
    for (i, code) in def.co_review.iter().enumerate() {
        if agency_id(conn, code)?.is_none() || *code == def.lead_agency {
            crate::error::push_field_error(&mut fields, &format!("co_review.{i}"), "invalid_code", "No other agency has this code.");
        }
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(fields))
    }
}

fn agency_id(conn: &mut DbConn, code: &str) -> QueryResult<Option<i64>> {
    agencies::table.filter(agencies::code.eq(code)).select(agencies::id).first(conn).optional()
}

/// Save `def` as program `code` (created with `sort_order` and `city_code` when new), inside
/// the caller's write. Checks the definition first ([`check`]).
pub fn save(conn: &mut DbConn, code: &str, sort_order: i32, city_code: &str, def: &ProgramDefinition, actor: Option<i64>) -> Result<Saved, AppError> {
    check(conn, def)?;
    let t = now();
    let lead = agency_id(conn, &def.lead_agency)?.ok_or(AppError::NotFound("the lead agency"))?;
    let listed = (
        programs::title_zh.eq(&def.title.zh),
        programs::title_en.eq(&def.title.en),
        programs::summary_zh.eq(&def.summary.zh),
        programs::summary_en.eq(&def.summary.en),
        programs::lead_agency_id.eq(lead),
        programs::kind.eq(def.kind.as_str()),
        programs::call_opens_at.eq(def.call_opens_at.naive_utc()),
        programs::call_closes_at.eq(def.call_closes_at.naive_utc()),
        programs::budget_total_fen.eq(def.budget_total_fen),
        programs::notice_working_days.eq(def.notice_working_days as i32),
        programs::supplement_working_days.eq(def.supplement_working_days as i32),
        programs::updated_at.eq(t),
    );
    // Lock the program's row first (a no-op update: the row lock on PostgreSQL, the write lock
    // on SQLite), so two edits at once make two versions one after the other.
    let existing: Option<(i64, i32, NaiveDateTime, NaiveDateTime)> = diesel::update(programs::table.filter(programs::code.eq(code)))
        .set(programs::updated_at.eq(programs::updated_at))
        .returning((programs::id, programs::current_version, programs::call_opens_at, programs::call_closes_at))
        .get_result(conn)
        .optional()?;
    let json = serde_json::to_string(def).map_err(|e| AppError::Internal(e.into()))?;
    let (program_id, saved) = match existing {
        None => {
            let id: i64 = diesel::insert_into(programs::table)
                .values((listed, programs::code.eq(code), programs::sort_order.eq(sort_order), programs::city_code.eq(city_code), programs::created_at.eq(t), programs::current_version.eq(1)))
                .returning(programs::id)
                .get_result(conn)?;
            insert_version(conn, id, 1, &json, &[], actor)?;
            (id, Saved::Created)
        }
        Some((id, 0, _, _)) => {
            diesel::update(programs::table.find(id)).set((listed, programs::current_version.eq(1))).execute(conn)?;
            insert_version(conn, id, 1, &json, &[], actor)?;
            (id, Saved::Created)
        }
        Some((id, current, opens, closes)) => {
            let old = load_version(conn, id, current)?;
            let changes = changed_fields(&old, def);
            if changes.is_empty() {
                return Ok(Saved::Unchanged(current));
            }
            let open_now = opens <= t && t < closes;
            let filed: i64 = applications::table
                .filter(applications::program_id.eq(id))
                .filter(applications::program_version.eq(current))
                .count()
                .get_result(conn)?;
            diesel::update(programs::table.find(id)).set(listed).execute(conn)?;
            if open_now || filed > 0 {
                let next = current + 1;
                insert_version(conn, id, next, &json, &changes, actor)?;
                diesel::update(programs::table.find(id)).set(programs::current_version.eq(next)).execute(conn)?;
                (id, Saved::NewVersion(next))
            } else {
                // Nothing was filed under the current version and nobody can file now: the
                // version is corrected in place, and keeps the list of what changed.
                let before: String = program_versions::table
                    .filter(program_versions::program_id.eq(id))
                    .filter(program_versions::version.eq(current))
                    .select(program_versions::changes)
                    .first(conn)?;
                let mut all: Vec<String> = serde_json::from_str(&before).unwrap_or_default();
                all.extend(changes);
                all.sort();
                all.dedup();
                diesel::update(program_versions::table.filter(program_versions::program_id.eq(id)).filter(program_versions::version.eq(current)))
                    .set((program_versions::definition.eq(&json), program_versions::changes.eq(serde_json::to_string(&all).unwrap_or_default()), program_versions::created_at.eq(t)))
                    .execute(conn)?;
                (id, Saved::Replaced(current))
            }
        }
    };
    // What other areas read of the current version: the co-review agencies and the checklist.
    diesel::delete(program_agencies::table.filter(program_agencies::program_id.eq(program_id))).execute(conn)?;
    for code in &def.co_review {
        if let Some(agency) = agency_id(conn, code)? {
            diesel::insert_into(program_agencies::table)
                .values((program_agencies::program_id.eq(program_id), program_agencies::agency_id.eq(agency), program_agencies::role.eq("co_review")))
                .execute(conn)?;
        }
    }
    diesel::delete(program_materials::table.filter(program_materials::program_id.eq(program_id))).execute(conn)?;
    for (i, m) in def.materials.iter().enumerate() {
        diesel::insert_into(program_materials::table)
            .values((
                program_materials::program_id.eq(program_id),
                program_materials::code.eq(&m.code),
                program_materials::name_zh.eq(&m.name.zh),
                program_materials::name_en.eq(&m.name.en),
                program_materials::required.eq(m.required),
                program_materials::sort_order.eq(i as i32 + 1),
            ))
            .execute(conn)?;
    }
    Ok(saved)
}

fn insert_version(conn: &mut DbConn, program_id: i64, version: i32, json: &str, changes: &[String], actor: Option<i64>) -> QueryResult<usize> {
    diesel::insert_into(program_versions::table)
        .values((
            program_versions::program_id.eq(program_id),
            program_versions::version.eq(version),
            program_versions::definition.eq(json),
            program_versions::changes.eq(serde_json::to_string(changes).unwrap_or_else(|_| "[]".into())),
            program_versions::created_at.eq(now()),
            program_versions::created_by.eq(actor),
        ))
        .execute(conn)
}
