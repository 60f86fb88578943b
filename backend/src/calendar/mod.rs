//! The working-day calendar: which days are statutory holidays and which weekends are make-up
//! working days (调休), year by year, and whether each year's arrangement is final. Deadlines
//! are counted with [`shared::calendar::WorkCalendar`], built from here by [`load`].
//!
//! A year's arrangement is written as a TOML file (the shipped ones are `seeds/calendar/`); the
//! seed loader and a system admin's upload read it with the same [`Arrangement::parse`]. A
//! system admin can also change a year day by day. A year changed in the portal is marked
//! `edited_in_portal`, and a shipped file no longer replaces it.

pub mod add_day;
pub mod get_year;
pub mod list_years;
pub mod load_arrangement;
pub mod remove_day;
pub mod save_year;
pub mod working_days;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;
use shared::calendar::{check_day, CalendarDay, CalendarYear, DayKind, WorkCalendar, YEARS};

use crate::accounts::audit::{self, Event, RequestMeta};
use crate::accounts::now;
use crate::db::schema::{calendar_days, calendar_years};
use crate::db::DbConn;
use crate::error::{push_field_error, AppError, FieldErrors};

/// The whole calendar, for counting working days.
pub fn load(conn: &mut DbConn) -> QueryResult<WorkCalendar> {
    let years: Vec<(i32, bool)> = calendar_years::table.select((calendar_years::year, calendar_years::provisional)).load(conn)?;
    let days: Vec<(NaiveDate, String)> = calendar_days::table.select((calendar_days::day, calendar_days::kind)).load(conn)?;
    Ok(WorkCalendar::new(years, days.into_iter().filter_map(|(d, k)| Some((d, DayKind::parse(&k)?)))))
}

type YearRow = (i32, bool, String, bool);

fn year_of(row: YearRow, days: Vec<CalendarDay>) -> CalendarYear {
    let (year, provisional, source, edited_in_portal) = row;
    CalendarYear { year, provisional, source, edited_in_portal, days }
}

const YEAR_COLUMNS: (calendar_years::year, calendar_years::provisional, calendar_years::source, calendar_years::edited_in_portal) =
    (calendar_years::year, calendar_years::provisional, calendar_years::source, calendar_years::edited_in_portal);

/// One year with its days in date order; 404 when the calendar does not hold it.
pub fn read_year(conn: &mut DbConn, year: i32) -> Result<CalendarYear, AppError> {
    let row: YearRow = calendar_years::table.find(year).select(YEAR_COLUMNS).first(conn).optional()?.ok_or(AppError::NotFound("the calendar year"))?;
    let (first, last) = bounds(year)?;
    let days: Vec<(NaiveDate, String, String, String)> = calendar_days::table
        .filter(calendar_days::day.between(first, last))
        .order(calendar_days::day)
        .select((calendar_days::day, calendar_days::kind, calendar_days::name_zh, calendar_days::name_en))
        .load(conn)?;
    let days = days
        .into_iter()
        .filter_map(|(date, kind, name_zh, name_en)| Some(CalendarDay { date, kind: DayKind::parse(&kind)?, name_zh, name_en }))
        .collect();
    Ok(year_of(row, days))
}

/// Every year the calendar holds, without their days, oldest first.
pub fn list(conn: &mut DbConn) -> QueryResult<Vec<CalendarYear>> {
    let rows: Vec<YearRow> = calendar_years::table.order(calendar_years::year).select(YEAR_COLUMNS).load(conn)?;
    Ok(rows.into_iter().map(|r| year_of(r, Vec::new())).collect())
}

fn bounds(year: i32) -> Result<(NaiveDate, NaiveDate), AppError> {
    match (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) {
        (Some(first), Some(last)) if YEARS.contains(&year) => Ok((first, last)),
        _ => Err(AppError::NotFound("the calendar year")),
    }
}

/// A year named in a path: within the years the calendar can hold, or 404.
pub fn path_year(year: i32) -> Result<i32, AppError> {
    bounds(year).map(|_| year)
}

/// Mark the year changed by `admin` now; 404 when the calendar does not hold it. Locks the
/// year's row (the write lock on SQLite), so two edits of one year queue.
fn touch_year(conn: &mut DbConn, year: i32, admin: i64) -> Result<(), AppError> {
    let changed = diesel::update(calendar_years::table.find(year))
        .set((calendar_years::edited_in_portal.eq(true), calendar_years::updated_at.eq(now()), calendar_years::updated_by.eq(admin)))
        .execute(conn)?;
    if changed == 0 {
        return Err(AppError::NotFound("the calendar year"));
    }
    Ok(())
}

/// Record a change of `year`'s calendar in the audit log.
fn record_edit(conn: &mut DbConn, meta: &RequestMeta, admin: i64, year: i32, detail: serde_json::Value) -> QueryResult<()> {
    audit::record(conn, meta, Event::new("calendar_edited").actor(admin).object("calendar_year", i64::from(year)).detail(detail))
}

/// A year's arrangement as a file: the format of `seeds/calendar/*.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArrangementFile {
    #[serde(default)]
    #[allow(dead_code)]
    version: i32,
    year: i32,
    provisional: bool,
    #[serde(default)]
    source: String,
    #[serde(default)]
    holiday: Vec<HolidayEntry>,
    #[serde(default)]
    workday: Vec<WorkdayEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayEntry {
    name_zh: String,
    name_en: String,
    from: toml::value::Datetime,
    to: toml::value::Datetime,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkdayEntry {
    date: toml::value::Datetime,
    name_zh: String,
    name_en: String,
}

/// A whole year's arrangement, checked: every day inside the year, named, no day twice, make-up
/// days on weekends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrangement {
    pub year: i32,
    pub provisional: bool,
    pub source: String,
    pub days: Vec<CalendarDay>,
    /// The file's own `version` (seed files raise it when they change).
    pub version: i32,
}

impl Arrangement {
    /// Read a year's file; the problems are errors of the field `field` (the form's or the
    /// request's name for the file), each naming the entry.
    pub fn parse(text: &str, field: &str) -> Result<Arrangement, AppError> {
        let fail = |code: &str, message: String| AppError::field(field, code, message);
        let file: ArrangementFile = toml::from_str(text).map_err(|e| fail("invalid_arrangement", format!("The file cannot be read: {}", e.message())))?;
        if !YEARS.contains(&file.year) {
            return Err(fail("outside_year", format!("The year {} is outside {}..={}.", file.year, YEARS.start(), YEARS.end())));
        }
        let date = |d: &toml::value::Datetime| {
            d.date
                .filter(|_| d.time.is_none() && d.offset.is_none())
                .and_then(|d| NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day)))
                .ok_or_else(|| fail("invalid_date", format!("{d} is not a day such as 2026-10-01.")))
        };
        let mut fields = FieldErrors::new();
        let mut days: Vec<CalendarDay> = Vec::new();
        let mut entry = |day: NaiveDate, kind: DayKind, name_zh: &str, name_en: &str, fields: &mut FieldErrors| {
            if let Err(code) = check_day(file.year, day, kind) {
                push_field_error(fields, field, code, format!("{day} ({name_en}): {}", crate::accounts::issue_message(code)));
            } else if name_zh.trim().is_empty() || name_en.trim().is_empty() {
                push_field_error(fields, field, "required", format!("{day} needs a Chinese and an English name."));
            } else if days.iter().any(|d| d.date == day) {
                push_field_error(fields, field, "day_taken", format!("{day} is listed twice."));
            } else {
                days.push(CalendarDay { date: day, kind, name_zh: name_zh.trim().into(), name_en: name_en.trim().into() });
            }
        };
        for h in &file.holiday {
            let (from, to) = (date(&h.from)?, date(&h.to)?);
            if to < from || (to - from).num_days() >= shared::calendar::MAX_HOLIDAY_DAYS {
                push_field_error(&mut fields, field, "out_of_range", format!("{} runs from {from} to {to}.", h.name_en));
                continue;
            }
            for day in from.iter_days().take_while(|d| *d <= to) {
                entry(day, DayKind::Holiday, &h.name_zh, &h.name_en, &mut fields);
            }
        }
        for w in &file.workday {
            entry(date(&w.date)?, DayKind::Workday, &w.name_zh, &w.name_en, &mut fields);
        }
        if !fields.is_empty() {
            return Err(AppError::Validation(fields));
        }
        days.sort_by_key(|d| d.date);
        Ok(Arrangement { year: file.year, provisional: file.provisional, source: file.source.trim().to_string(), days, version: file.version })
    }
}

/// Replace a year's days and settings with `arrangement`, creating the year if it is new.
/// `edited_by` is the admin who loaded it in the portal (`None` for a shipped file).
pub fn replace_year(conn: &mut DbConn, arrangement: &Arrangement, edited_by: Option<i64>) -> Result<(), AppError> {
    let (first, last) = bounds(arrangement.year)?;
    let t = now();
    let values = (
        calendar_years::provisional.eq(arrangement.provisional),
        calendar_years::source.eq(&arrangement.source),
        calendar_years::edited_in_portal.eq(edited_by.is_some()),
        calendar_years::updated_at.eq(t),
        calendar_years::updated_by.eq(edited_by),
    );
    if diesel::update(calendar_years::table.find(arrangement.year)).set(values).execute(conn)? == 0 {
        diesel::insert_into(calendar_years::table).values((calendar_years::year.eq(arrangement.year), values)).execute(conn)?;
    }
    diesel::delete(calendar_days::table.filter(calendar_days::day.between(first, last))).execute(conn)?;
    for d in &arrangement.days {
        diesel::insert_into(calendar_days::table)
            .values((
                calendar_days::day.eq(d.date),
                calendar_days::kind.eq(d.kind.as_str()),
                calendar_days::name_zh.eq(&d.name_zh),
                calendar_days::name_en.eq(&d.name_en),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Whether a system admin changed `year` in the portal (a shipped file then leaves it alone).
pub fn edited_in_portal(conn: &mut DbConn, year: i32) -> QueryResult<bool> {
    Ok(calendar_years::table.find(year).select(calendar_years::edited_in_portal).first::<bool>(conn).optional()?.unwrap_or(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(e: AppError) -> Vec<String> {
        match e {
            AppError::Validation(f) => f.values().flatten().map(|e| e.code.clone()).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_shipped_files_parse() {
        let y2026 = Arrangement::parse(include_str!("../../../seeds/calendar/2026.toml"), "file").unwrap();
        assert!(!y2026.provisional);
        assert!(y2026.source.contains("2026"));
        let national_day = y2026.days.iter().filter(|d| d.name_en == "National Day").count();
        assert_eq!(national_day, 7);
        assert!(Arrangement::parse(include_str!("../../../seeds/calendar/2027.toml"), "file").unwrap().provisional);
    }

    #[test]
    fn a_bad_file_says_what_is_wrong() {
        let e = Arrangement::parse("year = 2026\nprovisional = [", "file").unwrap_err();
        assert_eq!(codes(e), ["invalid_arrangement"]);
        let text = "year = 2026\nprovisional = false\n[[workday]]\ndate = 2026-10-12\nname_zh = \"调休\"\nname_en = \"Make-up\"\n[[holiday]]\nname_zh = \"元旦\"\nname_en = \"New Year\"\nfrom = 2027-01-01\nto = 2027-01-01\n";
        assert_eq!(codes(Arrangement::parse(text, "file").unwrap_err()), ["outside_year", "not_a_weekend"]);
        let twice = "year = 2026\nprovisional = false\n[[holiday]]\nname_zh = \"a\"\nname_en = \"a\"\nfrom = 2026-10-01\nto = 2026-10-02\n[[holiday]]\nname_zh = \"b\"\nname_en = \"b\"\nfrom = 2026-10-02\nto = 2026-10-02\n";
        assert_eq!(codes(Arrangement::parse(twice, "file").unwrap_err()), ["day_taken"]);
        assert_eq!(codes(Arrangement::parse("year = 1999\nprovisional = true", "file").unwrap_err()), ["outside_year"]);
    }
}
