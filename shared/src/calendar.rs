//! Working days in mainland China: weekends are off, statutory holidays are off, and make-up
//! working days (调休, usually a Saturday or Sunday next to a holiday) are on. The arrangement
//! of each year comes from the State Council's notice, loaded into the portal's calendar; a
//! date in a year the calendar does not hold, or holds only provisionally, is counted with what
//! is known (weekends, and the provisional holidays) and the answer says it is provisional.
//!
//! The same type computes deadlines on the server and shows them in the browser, so both agree.
//! "N working days from D" never counts D itself: 5 working days from Tuesday 2026-09-29 is
//! Monday 2026-10-12 (30 September, then 8, 9 and the make-up Saturday 10 October, then 12
//! October; 1 to 7 October are the National Day holiday).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::validation::{self as v, Issue};

/// The most working days one computation may add (about four years); more is an input error.
pub const MAX_WORKING_DAYS: u32 = 1000;

/// What an entry in the calendar makes of its day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A statutory holiday (days off, weekends inside the range included).
    Holiday,
    /// A make-up working day on a weekend (调休).
    Workday,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }

    pub fn parse(s: &str) -> Option<DayKind> {
        match s {
            "holiday" => Some(DayKind::Holiday),
            "workday" => Some(DayKind::Workday),
            _ => None,
        }
    }
}

/// One day the calendar names: a holiday or a make-up working day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarDay {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date, example = "2026-10-01"))]
    pub date: NaiveDate,
    pub kind: DayKind,
    pub name_zh: String,
    pub name_en: String,
}

/// A year of the calendar: whether its arrangement is final, where it comes from, its days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarYear {
    pub year: i32,
    /// True until the State Council's arrangement for the year is loaded.
    pub provisional: bool,
    /// Where the arrangement comes from (the notice's title).
    pub source: String,
    /// Whether a system admin changed the year in the portal (shipped files then leave it alone).
    pub edited_in_portal: bool,
    /// The holidays and make-up working days, in date order (empty in a list of years).
    pub days: Vec<CalendarDay>,
}

/// A computed date or count, and whether it rests on a year that is not final.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reckoned<T> {
    pub value: T,
    /// Some day counted lies in a year whose arrangement is provisional or not loaded, so the
    /// answer may change when it is.
    pub provisional: bool,
}

/// The working-day calendar: the years it holds and the days they name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCalendar {
    /// Year -> provisional.
    years: BTreeMap<i32, bool>,
    days: BTreeMap<NaiveDate, DayKind>,
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

impl WorkCalendar {
    /// A calendar of the given years (`(year, provisional)`) and named days.
    pub fn new(years: impl IntoIterator<Item = (i32, bool)>, days: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> WorkCalendar {
        WorkCalendar { years: years.into_iter().collect(), days: days.into_iter().collect() }
    }

    /// Whether people work on `day`.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        match self.days.get(&day) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !is_weekend(day),
        }
    }

    /// Whether the arrangement of `year` is not final (provisional, or not loaded at all).
    pub fn is_provisional_year(&self, year: i32) -> bool {
        self.years.get(&year).copied().unwrap_or(true)
    }

    fn any_provisional(&self, from: NaiveDate, to: NaiveDate) -> bool {
        (from.year()..=to.year()).any(|y| self.is_provisional_year(y))
    }

    /// The date `n` working days after `from` (`from` itself not counted; 0 gives `from`).
    /// `None` past the end of the calendar type's dates, or above [`MAX_WORKING_DAYS`].
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Option<Reckoned<NaiveDate>> {
        if n > MAX_WORKING_DAYS {
            return None;
        }
        let (mut day, mut counted) = (from, 0);
        while counted < n {
            day = day.succ_opt()?;
            if self.is_working_day(day) {
                counted += 1;
            }
        }
        let provisional = n > 0 && self.any_provisional(from.succ_opt()?, day);
        Some(Reckoned { value: day, provisional })
    }

    /// The working day `n` working days before `due` (`due` itself not counted; 0 gives `due`):
    /// when a reminder `n` working days ahead of a deadline goes out. `None` before the
    /// calendar type's dates or above [`MAX_WORKING_DAYS`].
    pub fn working_days_before(&self, due: NaiveDate, n: u32) -> Option<NaiveDate> {
        if n > MAX_WORKING_DAYS {
            return None;
        }
        let (mut day, mut counted) = (due, 0);
        while counted < n {
            day = day.pred_opt()?;
            if self.is_working_day(day) {
                counted += 1;
            }
        }
        Some(day)
    }

    /// How many working days lie after `from` up to and including `to` (0 when `to` is not
    /// after `from`), so that `working_days_between(d, add_working_days(d, n)) == n`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Reckoned<u32> {
        if to <= from {
            return Reckoned { value: 0, provisional: false };
        }
        let mut count = 0;
        let mut day = from;
        while day < to {
            let Some(next) = day.succ_opt() else { break };
            day = next;
            if self.is_working_day(day) {
                count += 1;
            }
        }
        Reckoned { value: count, provisional: from.succ_opt().is_some_and(|first| self.any_provisional(first, to)) }
    }
}

/// Why a day cannot be entered in a year's calendar (a field error code).
pub fn check_day(year: i32, day: NaiveDate, kind: DayKind) -> Result<(), &'static str> {
    if day.year() != year {
        return Err("outside_year");
    }
    if kind == DayKind::Workday && !is_weekend(day) {
        // A weekday is a working day already; a make-up day is always on a weekend.
        return Err("not_a_weekend");
    }
    Ok(())
}

/// The years the calendar can hold: the portal's lifetime, not the whole of `NaiveDate`.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A day as the forms and the API write it: `YYYY-MM-DD`.
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    (s.len() == 10).then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()).flatten()
}

/// A day that must be given as `YYYY-MM-DD` (the derived check; the year's rules follow).
fn day_field(value: &str) -> Result<(), validator::ValidationError> {
    match parse_day(value) {
        Some(_) => Ok(()),
        None if value.trim().is_empty() => Err(validator::ValidationError::new("required")),
        None => Err(validator::ValidationError::new("invalid_date")),
    }
}

/// The derived checks of `body`, then `field`'s day against the year's rules (in the year, not
/// already a holiday or make-up day of another kind: see [`check_day`]).
fn day_in_year(out: &mut Vec<Issue>, field: &str, value: &str, year: i32, kind: DayKind) -> Option<NaiveDate> {
    if out.iter().any(|(f, _)| f == field) {
        return None;
    }
    let day = parse_day(value)?;
    match check_day(year, day, kind) {
        Ok(()) => Some(day),
        Err(code) => {
            out.push((field.to_string(), code));
            None
        }
    }
}

/// The longest holiday range one entry may cover (the Spring Festival is nine days).
pub const MAX_HOLIDAY_DAYS: i64 = 31;

/// `POST /api/v1/calendar/{year}/holidays`: days off from `from` to `to`, both included.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HolidayInput {
    #[cfg_attr(feature = "openapi", schema(format = Date, example = "2026-10-01"))]
    #[validate(custom(function = "day_field"))]
    pub from: String,
    #[cfg_attr(feature = "openapi", schema(format = Date, example = "2026-10-07"))]
    #[validate(custom(function = "day_field"))]
    pub to: String,
    #[cfg_attr(feature = "openapi", schema(example = "国庆节"))]
    #[validate(custom(function = "v::text::<100>"))]
    pub name_zh: String,
    #[cfg_attr(feature = "openapi", schema(example = "National Day"))]
    #[validate(custom(function = "v::text::<100>"))]
    pub name_en: String,
}

impl HolidayInput {
    /// The range, or every field's problem.
    pub fn check(&self, year: i32) -> Result<(NaiveDate, NaiveDate), Vec<Issue>> {
        let mut out = v::issues(self);
        let from = day_in_year(&mut out, "from", &self.from, year, DayKind::Holiday);
        let to = day_in_year(&mut out, "to", &self.to, year, DayKind::Holiday);
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                out.push(("to".into(), "before_start"));
            } else if (to - from).num_days() >= MAX_HOLIDAY_DAYS {
                out.push(("to".into(), "out_of_range"));
            }
        }
        match (from, to) {
            (Some(from), Some(to)) if out.is_empty() => Ok((from, to)),
            _ => Err(out),
        }
    }
}

/// `POST /api/v1/calendar/{year}/workdays`: a make-up working day on a weekend.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkdayInput {
    #[cfg_attr(feature = "openapi", schema(format = Date, example = "2026-10-10"))]
    #[validate(custom(function = "day_field"))]
    pub date: String,
    #[cfg_attr(feature = "openapi", schema(example = "国庆节调休上班"))]
    #[validate(custom(function = "v::text::<100>"))]
    pub name_zh: String,
    #[cfg_attr(feature = "openapi", schema(example = "Make-up working day (National Day)"))]
    #[validate(custom(function = "v::text::<100>"))]
    pub name_en: String,
}

impl WorkdayInput {
    pub fn check(&self, year: i32) -> Result<NaiveDate, Vec<Issue>> {
        let mut out = v::issues(self);
        let date = day_in_year(&mut out, "date", &self.date, year, DayKind::Workday);
        match date {
            Some(d) if out.is_empty() => Ok(d),
            _ => Err(out),
        }
    }
}

/// `PUT /api/v1/calendar/{year}`: hold a year (or change it): final or provisional, and where
/// its arrangement comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearInput {
    pub provisional: bool,
    #[cfg_attr(feature = "openapi", schema(example = "国务院办公厅关于2027年部分节假日安排的通知"))]
    #[serde(default)]
    #[validate(custom(function = "v::optional_text::<200>"))]
    pub source: String,
}

impl YearInput {
    pub fn check(&self) -> Vec<Issue> {
        let mut out = v::issues(self);
        if !self.provisional && self.source.trim().is_empty() {
            // A final arrangement names the notice it comes from.
            out.push(("source".into(), "required"));
        }
        out
    }
}

/// The answer of `GET /api/v1/calendar/working-days`: the day `days` working days after `from`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkingDaysAfter {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date, example = "2026-09-29"))]
    pub from: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(example = 5))]
    pub days: u32,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date, example = "2026-10-12"))]
    pub date: NaiveDate,
    /// The answer rests on a year whose arrangement is not final.
    pub provisional: bool,
}

/// The answer of `GET /api/v1/calendar/working-days/between`: the working days after `from`
/// up to and including `to`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkingDaysBetween {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub from: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub to: NaiveDate,
    pub working_days: u32,
    pub provisional: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn range(from: &str, to: &str) -> Vec<(NaiveDate, DayKind)> {
        d(from).iter_days().take_while(|x| *x <= d(to)).map(|x| (x, DayKind::Holiday)).collect()
    }

    /// 2026 as the State Council arranged it (the parts these tests cross), 2027 provisional.
    fn calendar() -> WorkCalendar {
        let mut days = Vec::new();
        days.extend(range("2026-02-15", "2026-02-23"));
        days.extend(range("2026-05-01", "2026-05-05"));
        days.extend(range("2026-10-01", "2026-10-07"));
        days.extend(range("2027-01-01", "2027-01-01"));
        for w in ["2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"] {
            days.push((d(w), DayKind::Workday));
        }
        WorkCalendar::new([(2026, false), (2027, true)], days)
    }

    #[test]
    fn national_day_and_its_make_up_saturday() {
        let c = calendar();
        // Counts 30 September, skips 1-7 October, counts 8, 9, Saturday 10 and Monday 12.
        assert_eq!(c.add_working_days(d("2026-09-29"), 5), Some(Reckoned { value: d("2026-10-12"), provisional: false }));
        assert_eq!(c.add_working_days(d("2026-09-28"), 10).unwrap().value, d("2026-10-16"));
        assert_eq!(c.working_days_between(d("2026-09-29"), d("2026-10-12")).value, 5);
        assert!(c.is_working_day(d("2026-10-10")));
        assert!(!c.is_working_day(d("2026-10-11")));
        // The make-up Sunday before the holiday counts.
        assert_eq!(c.add_working_days(d("2026-09-19"), 1).unwrap().value, d("2026-09-20"));
    }

    #[test]
    fn spring_festival_and_labour_day() {
        let c = calendar();
        // Friday 13 February, then the make-up Saturday 14, then nothing until Tuesday 24.
        assert_eq!(c.add_working_days(d("2026-02-13"), 1).unwrap().value, d("2026-02-14"));
        assert_eq!(c.add_working_days(d("2026-02-13"), 2).unwrap().value, d("2026-02-24"));
        // Saturday 28 February is worked.
        assert_eq!(c.add_working_days(d("2026-02-27"), 1).unwrap().value, d("2026-02-28"));
        // 30 April (Thursday) to Labour Day: 1-5 May off, Wednesday 6, Thursday 7, Friday 8,
        // make-up Saturday 9.
        assert_eq!(c.add_working_days(d("2026-04-30"), 4).unwrap().value, d("2026-05-09"));
        assert_eq!(c.working_days_between(d("2026-04-30"), d("2026-05-11")).value, 5);
    }

    #[test]
    fn into_a_provisional_year() {
        let c = calendar();
        // Thursday 31 December 2026; 1 January 2027 is a (provisional) holiday; Monday 4.
        let r = c.add_working_days(d("2026-12-31"), 1).unwrap();
        assert_eq!(r, Reckoned { value: d("2027-01-04"), provisional: true });
        assert!(!c.add_working_days(d("2026-12-29"), 2).unwrap().provisional, "ends on 31 December");
        assert!(c.working_days_between(d("2026-12-30"), d("2027-01-05")).provisional);
        // A year not loaded at all: weekends only, provisional.
        let r = c.add_working_days(d("2028-03-03"), 1).unwrap();
        assert_eq!(r, Reckoned { value: d("2028-03-06"), provisional: true });
    }

    #[test]
    fn counting_is_the_inverse_of_adding() {
        let c = calendar();
        let mut from = d("2026-01-01");
        while from < d("2027-02-01") {
            for n in [0, 1, 3, 10, 25] {
                let to = c.add_working_days(from, n).unwrap().value;
                assert_eq!(c.working_days_between(from, to).value, n, "{from} + {n}");
            }
            from = from.succ_opt().unwrap();
        }
        assert_eq!(c.working_days_between(d("2026-10-12"), d("2026-09-29")).value, 0);
        assert_eq!(c.add_working_days(d("2026-01-01"), MAX_WORKING_DAYS + 1), None);
    }

    #[test]
    fn days_that_cannot_be_entered() {
        assert_eq!(check_day(2026, d("2027-01-01"), DayKind::Holiday), Err("outside_year"));
        assert_eq!(check_day(2026, d("2026-10-12"), DayKind::Workday), Err("not_a_weekend"));
        assert_eq!(check_day(2026, d("2026-10-10"), DayKind::Workday), Ok(()));
        assert_eq!(check_day(2026, d("2026-10-12"), DayKind::Holiday), Ok(()));
        let h = |from: &str, to: &str| HolidayInput { from: from.into(), to: to.into(), name_zh: "国庆节".into(), name_en: "National Day".into() };
        assert_eq!(h("2026-10-01", "2026-10-07").check(2026), Ok((d("2026-10-01"), d("2026-10-07"))));
        // Problems as (field, code), in field order.
        fn errs<T: std::fmt::Debug>(r: Result<T, Vec<Issue>>) -> Vec<(String, &'static str)> {
            let mut e = r.expect_err("refused");
            e.sort();
            e
        }
        let want = |v: &[(&str, &'static str)]| v.iter().map(|(f, c)| (f.to_string(), *c)).collect::<Vec<_>>();
        assert_eq!(errs(h("2026-10-07", "2026-10-01").check(2026)), want(&[("to", "before_start")]));
        assert_eq!(errs(h("2026-10-01", "2026-12-01").check(2026)), want(&[("to", "out_of_range")]));
        assert_eq!(errs(h("2026-13-01", "").check(2026)), want(&[("from", "invalid_date"), ("to", "required")]));
        assert_eq!(errs(h("2026-12-31", "2027-01-01").check(2026)), want(&[("to", "outside_year")]));
        let w = WorkdayInput { date: "2026-10-12".into(), name_zh: String::new(), name_en: "x".into() };
        assert_eq!(errs(w.check(2026)), want(&[("date", "not_a_weekend"), ("name_zh", "required")]));
        assert_eq!(YearInput { provisional: false, source: " ".into() }.check(), want(&[("source", "required")]));
        assert!(YearInput { provisional: true, source: String::new() }.check().is_empty());
    }
}
