//! Reference data from the versioned files in `seeds/` (embedded in the binary), loaded
//! idempotently: rows are matched by their natural key and updated in place, and a file whose
//! checksum is already recorded in `seed_versions` is skipped, so edits made in the portal are
//! not overwritten until the file itself changes.

use diesel::prelude::*;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::db::schema::{
    agencies, bases, seed_versions,
    segments,
};
use crate::db::DbConn;

/// Seed files in load order (agencies before the programs that name them).
pub const SEED_FILES: &[(&str, &str)] = &[
    ("reference/agencies.toml", include_str!("../../seeds/reference/agencies.toml")),
    ("reference/bases.toml", include_str!("../../seeds/reference/bases.toml")),
    ("reference/segments.toml", include_str!("../../seeds/reference/segments.toml")),
    ("reference/programs.toml", include_str!("../../seeds/reference/programs.toml")),
    ("calendar/2026.toml", include_str!("../../seeds/calendar/2026.toml")),
    ("calendar/2027.toml", include_str!("../../seeds/calendar/2027.toml")),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedReport {
    pub loaded: Vec<String>,
    pub unchanged: Vec<String>,
}

#[derive(Deserialize)]
struct BaseFile {
    version: i32,
    base: Vec<NewBaseRow>,
}

#[derive(Deserialize, Insertable, AsChangeset)]
#[diesel(table_name = bases)]
struct NewBaseRow {
    code: String,
    sort_order: i32,
    name_zh: String,
    name_en: String,
    city_zh: String,
    city_en: String,
    district_zh: String,
    district_en: String,
    division_code: String,
    description_zh: String,
    description_en: String,
}

#[derive(Deserialize)]
struct AgencyFile {
    version: i32,
    agency: Vec<AgencyRow>,
}

#[derive(Deserialize, Insertable, AsChangeset)]
#[diesel(table_name = agencies)]
struct AgencyRow {
    code: String,
    city_code: String,
    kind: String,
    name_zh: String,
    name_en: String,
    division_code: Option<String>,
}

#[derive(Deserialize)]
struct SegmentFile {
    version: i32,
    segment: Vec<SegmentSeed>,
}

#[derive(Deserialize)]
struct SegmentSeed {
    code: String,
    parent: Option<String>,
    name_zh: String,
    name_en: String,
}

#[derive(Deserialize)]
struct ProgramFile {
    version: i32,
    program: Vec<ProgramSeed>,
}

#[derive(Deserialize)]
struct ProgramSeed {
    code: String,
    sort_order: i32,
    city_code: String,
    definition: shared::programs::ProgramDefinition,
}

/// Load every seed file whose content changed since it was last loaded.
pub fn load_all(conn: &mut DbConn) -> anyhow::Result<SeedReport> {
    let mut report = SeedReport { loaded: vec![], unchanged: vec![] };
    for (name, text) in SEED_FILES {
        let checksum = hex::encode(Sha256::digest(text.as_bytes()));
        let recorded: Option<String> = seed_versions::table
            .find(name)
            .select(seed_versions::checksum)
            .first(conn)
            .optional()?;
        if recorded.as_deref() == Some(checksum.as_str()) {
            report.unchanged.push((*name).to_string());
            continue;
        }
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            let version = load_file(conn, name, text)?;
            diesel::delete(seed_versions::table.find(name)).execute(conn)?;
            diesel::insert_into(seed_versions::table)
                .values((
                    seed_versions::name.eq(name),
                    seed_versions::version.eq(version),
                    seed_versions::checksum.eq(&checksum),
                    seed_versions::applied_at.eq(crate::db::now()),
                ))
                .execute(conn)?;
            Ok(())
        })
        .map_err(|e| anyhow::anyhow!("seed file {name}: {e}"))?;
        report.loaded.push((*name).to_string());
    }
    Ok(report)
}

/// Update the row with the same `code`, or insert it; stamps `created_at`/`updated_at`.
macro_rules! upsert_by_code {
    ($conn:expr, $table:ident, $row:expr, $now:expr) => {{
        let updated = diesel::update($table::table.filter($table::code.eq(&$row.code)))
            .set(($row, $table::updated_at.eq($now)))
            .execute($conn)?;
        if updated == 0 {
            diesel::insert_into($table::table)
                .values(($row, $table::created_at.eq($now), $table::updated_at.eq($now)))
                .execute($conn)?;
        }
    }};
}

fn load_file(conn: &mut DbConn, name: &str, text: &str) -> anyhow::Result<i32> {
    let now = crate::db::now();
    if name.starts_with("calendar/") {
        let arrangement = crate::calendar::Arrangement::parse(text, name).map_err(|e| anyhow::anyhow!("{e}: {e:?}"))?;
        if crate::calendar::edited_in_portal(conn, arrangement.year)? {
            // A system admin changed the year in the portal: theirs stands.
            tracing::warn!(year = arrangement.year, "calendar file {name} not loaded: the year was edited in the portal");
        } else {
            crate::calendar::replace_year(conn, &arrangement, None).map_err(|e| anyhow::anyhow!("{e}: {e:?}"))?;
        }
        return Ok(arrangement.version);
    }
    match name {
        "reference/bases.toml" => {
            let file: BaseFile = toml::from_str(text)?;
            for row in &file.base {
                upsert_by_code!(conn, bases, row, now);
            }
            Ok(file.version)
        }
        "reference/agencies.toml" => {
            let file: AgencyFile = toml::from_str(text)?;
            for row in &file.agency {
                upsert_by_code!(conn, agencies, row, now);
            }
            Ok(file.version)
        }
        "reference/segments.toml" => {
            let file: SegmentFile = toml::from_str(text)?;
            for (i, s) in file.segment.iter().enumerate() {
                let values = (
                    segments::code.eq(&s.code),
                    segments::parent_code.eq(&s.parent),
                    segments::name_zh.eq(&s.name_zh),
                    segments::name_en.eq(&s.name_en),
                    segments::sort_order.eq(i as i32 + 1),
                );
                let updated = diesel::update(segments::table.filter(segments::code.eq(&s.code)))
                    .set(values)
                    .execute(conn)?;
                if updated == 0 {
                    diesel::insert_into(segments::table).values(values).execute(conn)?;
                }
            }
            Ok(file.version)
        }
        "reference/programs.toml" => {
            let file: ProgramFile = toml::from_str(text)?;
            for p in &file.program {
                load_program(conn, p)?;
            }
            Ok(file.version)
        }
        other => anyhow::bail!("no loader for seed file {other}"),
    }
}

fn load_program(conn: &mut DbConn, p: &ProgramSeed) -> anyhow::Result<()> {
    crate::programs::save(conn, &p.code, p.sort_order, &p.city_code, &p.definition, None)
        .map_err(|e| anyhow::anyhow!("program {}: {e}: {:?}", p.code, e.envelope().fields))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seed_file_parses() {
        for (name, text) in SEED_FILES {
            let ok = match *name {
                "reference/bases.toml" => toml::from_str::<BaseFile>(text).map(|_| ()).map_err(|e| e.to_string()),
                "reference/agencies.toml" => toml::from_str::<AgencyFile>(text).map(|_| ()).map_err(|e| e.to_string()),
                "reference/segments.toml" => toml::from_str::<SegmentFile>(text).map(|_| ()).map_err(|e| e.to_string()),
                "reference/programs.toml" => toml::from_str::<ProgramFile>(text).map(|_| ()).map_err(|e| e.to_string()),
                _ => crate::calendar::Arrangement::parse(text, name).map(|_| ()).map_err(|e| e.to_string()),
            };
            assert!(ok.is_ok(), "{name}: {ok:?}");
        }
    }

    #[test]
    fn demo_programs_are_valid_definitions() {
        let file: ProgramFile = toml::from_str(SEED_FILES[3].1).expect("programs parse");
        for p in &file.program {
            assert_eq!(p.definition.problems(), vec![], "{}", p.code);
        }
    }
}
