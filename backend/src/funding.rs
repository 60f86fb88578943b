//! The duplicate-funding keys of applications (DOMAIN.md "No duplicate funding"): the same
//! equipment model and serial, work licence or patent in no two live applications of any
//! program. Checked at submission and again when a returned application is resubmitted; the
//! unique index `application_keys_active_idx` holds it for two at the same instant.

use diesel::prelude::*;
use shared::filing::{FundingKey, FundingKeyKind};

use crate::db::schema::application_keys;
use crate::db::DbConn;
use crate::error::{push_field_error, AppError, FieldErrors};

/// The keys of `keys` that a live application other than `id` holds (any program), as field
/// errors on the project field each comes from, naming what matched but not whose it is.
pub fn duplicate_funding(conn: &mut DbConn, id: i64, keys: &[FundingKey]) -> Result<FieldErrors, AppError> {
    let mut fields = FieldErrors::new();
    for kind in [FundingKeyKind::Patent, FundingKeyKind::ModelSerial, FundingKeyKind::Licence] {
        let wanted: Vec<&str> = keys.iter().filter(|k| k.kind == kind).map(|k| k.key.as_str()).collect();
        if wanted.is_empty() {
            continue;
        }
        let taken: Vec<String> = application_keys::table
            .filter(application_keys::kind.eq(kind.as_str()))
            .filter(application_keys::key.eq_any(&wanted))
            // `active` as it stands, not `= ?`: a bound value keeps SQLite from using the
            // partial index `WHERE active`, and the check would read every key.
            .filter(application_keys::active)
            .filter(application_keys::application_id.ne(id))
            .select(application_keys::key)
            .load(conn)?;
        for k in keys.iter().filter(|k| k.kind == kind && taken.contains(&k.key)) {
            let what = match kind {
                FundingKeyKind::Patent => "patent",
                FundingKeyKind::ModelSerial => "equipment model and serial number",
                FundingKeyKind::Licence => "licence number",
            };
            push_field_error(&mut fields, &format!("project.{}", kind.field()), "duplicate_funding", format!("The {what} {} is already in another open or funded application.", k.shown));
        }
    }
    Ok(fields)
}

/// Put `keys` in force for application `id` (replacing what it had). A key another live
/// application holds fails on the unique index (the check before names it; this is for two
/// submissions at once).
pub fn activate_keys(conn: &mut DbConn, id: i64, keys: &[FundingKey]) -> Result<(), AppError> {
    diesel::delete(application_keys::table.filter(application_keys::application_id.eq(id))).execute(conn)?;
    for k in keys {
        diesel::insert_into(application_keys::table)
            .values((
                application_keys::application_id.eq(id),
                application_keys::kind.eq(k.kind.as_str()),
                application_keys::key.eq(&k.key),
                application_keys::shown.eq(&k.shown),
                application_keys::active.eq(true),
            ))
            .execute(conn)
            .map_err(|e| match e {
                diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
                    let mut fields = FieldErrors::new();
                    push_field_error(&mut fields, &format!("project.{}", k.kind.field()), "duplicate_funding", format!("{} is already in another open or funded application.", k.shown));
                    AppError::Refused { code: "duplicate_funding", message: "The same project is already in another open or funded application.".into(), fields }
                }
                other => other.into(),
            })?;
    }
    Ok(())
}
