//! The program editor's text: a definition as TOML (the format of
//! `seeds/reference/programs.toml`), read back into a `ProgramDefinition`, and what a person
//! typed but could not save (`program_edits`: one per person and program code, kept until it is
//! saved or discarded, so a refused edit, or one interrupted by the second-factor check, is
//! never lost).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::Bilingual;
use shared::programs::{Editor, EditorRow, ProgramDefinition, ProgramKind};

use crate::accounts::audit::{record, Event, RequestMeta};
use crate::db::schema::{program_edits, programs};
use crate::db::{now, DbConn};
use crate::error::AppError;
use crate::principal::Identity;

/// A definition as the editor shows it.
pub fn to_text(def: &ProgramDefinition) -> Result<String, AppError> {
    toml::to_string_pretty(def).map_err(|e| AppError::Internal(anyhow::anyhow!("a program definition does not serialize as TOML: {e}")))
}

/// The editor's text as a definition; 422 `invalid` on `definition` naming the line and column
/// when it does not parse.
pub fn parse(text: &str) -> Result<ProgramDefinition, AppError> {
    toml::from_str(text).map_err(|e| AppError::field("definition", "invalid", e.to_string()))
}

/// An edit kept for its author.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = program_edits)]
pub struct Edit {
    pub city_code: String,
    pub sort_order: i32,
    pub definition: String,
    pub problem: String,
    pub created_at: NaiveDateTime,
}

/// Keep what `user_id` typed for program `code` (replacing what was kept before), with why it
/// was not saved; inside the caller's write, recorded in the audit log.
#[allow(clippy::too_many_arguments)]
pub fn keep(conn: &mut DbConn, meta: &RequestMeta, user_id: i64, code: &str, city_code: &str, sort_order: i32, text: &str, problem: &str) -> Result<(), AppError> {
    delete_kept(conn, user_id, code)?;
    diesel::insert_into(program_edits::table)
        .values((
            program_edits::code.eq(code),
            program_edits::user_id.eq(user_id),
            program_edits::city_code.eq(city_code),
            program_edits::sort_order.eq(sort_order),
            program_edits::definition.eq(text),
            program_edits::problem.eq(problem),
            program_edits::created_at.eq(now()),
        ))
        .execute(conn)?;
    record(conn, meta, Event::new("program_edit_kept").actor(user_id).detail(serde_json::json!({ "code": code, "bytes": text.len() })))?;
    Ok(())
}

/// What `user_id` typed for `code` and could not save, if anything.
pub fn pending(conn: &mut DbConn, user_id: i64, code: &str) -> Result<Option<Edit>, AppError> {
    Ok(program_edits::table
        .filter(program_edits::code.eq(code))
        .filter(program_edits::user_id.eq(user_id))
        .select(Edit::as_select())
        .first(conn)
        .optional()?)
}

/// Drop what `user_id` kept for `code` (saved, or discarded), inside the caller's write.
pub fn discard(conn: &mut DbConn, meta: &RequestMeta, user_id: i64, code: &str) -> Result<(), AppError> {
    if delete_kept(conn, user_id, code)? > 0 {
        record(conn, meta, Event::new("program_edit_discarded").actor(user_id).detail(serde_json::json!({ "code": code })))?;
    }
    Ok(())
}

/// Remove what `user_id` kept for `code`; how many rows went.
fn delete_kept(conn: &mut DbConn, user_id: i64, code: &str) -> QueryResult<usize> {
    diesel::delete(program_edits::table.filter(program_edits::code.eq(code)).filter(program_edits::user_id.eq(user_id))).execute(conn)
}

/// Who may open the editor: a system admin or an agency lead (403 otherwise).
fn editor_of(identity: &Identity) -> Result<(), AppError> {
    if identity.is_admin() || !identity.led_agencies().is_empty() {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// The programs as the editor's list shows them, each marked whether `identity` may edit it.
pub fn listing(conn: &mut DbConn, identity: &Identity) -> Result<Vec<EditorRow>, AppError> {
    editor_of(identity)?;
    let led = identity.led_agencies();
    let rows: Vec<(String, String, String, String, i32, NaiveDateTime, NaiveDateTime, i64)> = programs::table
        .filter(programs::current_version.gt(0))
        .order((programs::sort_order, programs::code))
        .select((programs::code, programs::title_zh, programs::title_en, programs::kind, programs::current_version, programs::call_opens_at, programs::call_closes_at, programs::lead_agency_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(code, zh, en, kind, version, opens, closes, lead)| EditorRow {
            code,
            title: Bilingual::new(zh, en),
            kind: ProgramKind::parse(&kind).unwrap_or(ProgramKind::General),
            version,
            call_opens_at: opens.and_utc(),
            call_closes_at: closes.and_utc(),
            may_edit: identity.is_admin() || led.contains(&lead),
        })
        .collect())
}

/// Program `code` (checked) as `identity` may edit it: its city, list position and lead
/// agency, or `None` for a new program. 403 for anyone but a system admin or an agency lead,
/// and for a program whose lead agency `identity` does not lead.
fn editable(conn: &mut DbConn, identity: &Identity, code: &str) -> Result<(String, Option<(String, i32, i64)>), AppError> {
    editor_of(identity)?;
    let code = super::save_program::check_code(code)?;
    let row: Option<(String, i32, i64)> =
        programs::table.filter(programs::code.eq(&code)).select((programs::city_code, programs::sort_order, programs::lead_agency_id)).first(conn).optional()?;
    if let Some((_, _, lead)) = row {
        if !identity.is_admin() && !identity.led_agencies().contains(&lead) {
            return Err(AppError::forbidden());
        }
    }
    Ok((code, row))
}

/// Whether program `code` exists, when `identity` may edit it (see [`editable`]); the editor's
/// forms ask this before they keep or save anything.
pub fn may_edit(conn: &mut DbConn, identity: &Identity, code: &str) -> Result<bool, AppError> {
    editable(conn, identity, code).map(|(_, row)| row.is_some())
}

/// The editor for program `code`: what `identity` typed and could not save, else the current
/// version, else (a new program) the definition of program `from`. 403 for a program whose
/// lead agency `identity` does not lead (system admins may edit all).
pub fn editor(conn: &mut DbConn, identity: &Identity, code: &str, from: Option<&str>, step_up_needed: bool) -> Result<Editor, AppError> {
    let (code, row) = editable(conn, identity, code)?;
    let kept = pending(conn, identity.user_id, &code)?;
    let (city_code, sort_order, text) = match (&kept, &row) {
        (Some(k), _) => (k.city_code.clone(), k.sort_order, k.definition.clone()),
        (None, Some((city, sort, _))) => (city.clone(), *sort, to_text(&super::load(conn, &code)?.definition)?),
        (None, None) => match from.filter(|f| !f.is_empty()) {
            Some(f) => {
                let template = super::load(conn, f)?;
                let city: String = programs::table.filter(programs::code.eq(f)).select(programs::city_code).first(conn)?;
                (city, 100, to_text(&template.definition)?)
            }
            None => ("shanghai".to_string(), 100, String::new()),
        },
    };
    Ok(Editor { code, exists: row.is_some(), city_code, sort_order, text, kept: kept.map(|k| (k.created_at.and_utc(), k.problem)), step_up_needed })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeded_programs_read_back_from_their_own_text() {
        let seeds: toml::Value = toml::from_str(include_str!("../../../seeds/reference/programs.toml")).unwrap();
        for p in seeds["program"].as_array().unwrap() {
            let def: ProgramDefinition = p["definition"].clone().try_into().unwrap();
            let text = to_text(&def).unwrap();
            assert_eq!(parse(&text).unwrap(), def, "{text}");
        }
        let refused = parse("kind = \"first_set_equipment\"\ntitle = ").unwrap_err();
        assert!(refused.to_string().contains("line 2") || format!("{refused:?}").contains("line 2"), "{refused:?}");
    }
}
