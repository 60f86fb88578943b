//! The project step's form fields and the draft's project JSON: one reading for the form post
//! on the server and for the browser, which shows the amount and the errors as the fields are
//! typed and saves the draft by itself.
//!
//! Form names are flat (`c0_value` is the first contract's value in yuan, `serial_numbers` a
//! textarea with one per line); the project's paths are those of [`crate::filing::Project`]
//! (`contracts.0.value_fen`). [`form_field`] maps a path back to the field that shows it.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::filing::ContentCategory;
use crate::programs::{ContentFormat, FirstSetLevel, ProgramKind};
use crate::Fen;

/// Contract rows the form may carry.
pub const MAX_CONTRACT_ROWS: usize = 10;

/// The lines of a textarea, trimmed, without empty ones.
fn lines(v: &str) -> Vec<String> {
    v.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// The project step's fields (`get` answers a field's value, `None` when it was not sent, as
/// an unticked checkbox is not) as the draft's project JSON, and the fields whose values do not
/// parse as (form field, error code). A value that does not parse is left out of the project,
/// so what is saved is never a guess.
pub fn project_from_fields(kind: ProgramKind, get: impl Fn(&str) -> Option<String>) -> (Value, Vec<(String, &'static str)>) {
    let text = |k: &str| get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let mut errors: Vec<(String, &'static str)> = Vec::new();
    let date = |k: &str, errors: &mut Vec<(String, &'static str)>| -> Value {
        let v = text(k);
        if v.is_empty() {
            return Value::Null;
        }
        match chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
            Ok(d) => json!(d),
            Err(_) => {
                errors.push((k.to_string(), "invalid_date"));
                Value::Null
            }
        }
    };
    let yuan = |k: &str, errors: &mut Vec<(String, &'static str)>| -> Value {
        let v = text(k);
        if v.is_empty() {
            return Value::Null;
        }
        match Fen::parse_yuan(&v) {
            Some(f) => json!(f.0),
            None => {
                errors.push((k.to_string(), "invalid_amount"));
                Value::Null
            }
        }
    };
    let mut p = Map::new();
    match kind {
        ProgramKind::FirstSetEquipment => {
            for k in ["equipment_name", "model", "buyer_name", "buyer_credit_code"] {
                p.insert(k.into(), json!(text(k)));
            }
            p.insert("serial_numbers".into(), json!(lines(&text("serial_numbers"))));
            p.insert("patents".into(), json!(lines(&text("patents"))));
            let level = text("first_set_level");
            p.insert("first_set_level".into(), if FirstSetLevel::parse(&level).is_some() { json!(level) } else { Value::Null });
            p.insert("first_use_on".into(), date("first_use_on", &mut errors));
            let mut contracts = Vec::new();
            for i in 0..MAX_CONTRACT_ROWS {
                let number = text(&format!("c{i}_number"));
                let value_fen = yuan(&format!("c{i}_value"), &mut errors);
                let signed = date(&format!("c{i}_signed_on"), &mut errors);
                if number.is_empty() && text(&format!("c{i}_value")).is_empty() && text(&format!("c{i}_signed_on")).is_empty() {
                    continue;
                }
                contracts.push(json!({ "number": number, "value_fen": value_fen, "signed_on": signed }));
            }
            p.insert("contracts".into(), Value::Array(contracts));
        }
        ProgramKind::UhdContent => {
            p.insert("work_title".into(), json!(text("work_title")));
            let category = text("category");
            p.insert("category".into(), if ContentCategory::parse(&category).is_some() { json!(category) } else { Value::Null });
            let format = text("format");
            p.insert("format".into(), if ContentFormat::parse(&format).is_some() { json!(format) } else { Value::Null });
            let minutes = text("minutes");
            let minutes = if minutes.is_empty() {
                Value::Null
            } else {
                match minutes.parse::<u32>() {
                    Ok(m) => json!(m),
                    Err(_) => {
                        errors.push(("minutes".into(), "out_of_range"));
                        Value::Null
                    }
                }
            };
            p.insert("minutes".into(), minutes);
            p.insert("audio_3d".into(), json!(get("audio_3d").is_some()));
            p.insert("first_producer".into(), json!(get("first_producer").is_some()));
            p.insert("licence_numbers".into(), json!(lines(&text("licence_numbers"))));
        }
        ProgramKind::General => {
            p.insert("project_title".into(), json!(text("project_title")));
            p.insert("summary".into(), json!(text("summary")));
            p.insert("investment_fen".into(), yuan("investment", &mut errors));
            p.insert("requested_fen".into(), yuan("requested", &mut errors));
        }
    }
    (Value::Object(p), errors)
}

/// The two pages the project is filed on: its details, then what the amount is computed from
/// (with the amount shown as it is typed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Details,
    Amount,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Details => "details",
            Step::Amount => "amount",
        }
    }

    pub fn parse(text: &str) -> Option<Step> {
        match text {
            "details" => Some(Step::Details),
            "amount" => Some(Step::Amount),
            _ => None,
        }
    }

    /// The page's path under `/applications/<id>/`.
    pub fn path(self) -> &'static str {
        match self {
            Step::Details => "project",
            Step::Amount => "amount",
        }
    }

    /// The step of a project field (its first path segment, `contracts` of
    /// `contracts.0.value_fen`).
    pub fn of(kind: ProgramKind, path: &str) -> Step {
        let head = path.trim_start_matches("project.").split('.').next().unwrap_or_default();
        let amount: &[&str] = match kind {
            ProgramKind::FirstSetEquipment => &["first_set_level", "contracts"],
            ProgramKind::UhdContent => &["format", "minutes", "audio_3d"],
            ProgramKind::General => &["investment_fen", "requested_fen"],
        };
        if amount.contains(&head) {
            Step::Amount
        } else {
            Step::Details
        }
    }

    /// The step of a form field (`c0_value` is a contract's, `investment` the investment's).
    pub fn of_field(kind: ProgramKind, name: &str) -> Step {
        let is_contract = name.strip_prefix('c').and_then(|rest| rest.split_once('_')).is_some_and(|(i, _)| !i.is_empty() && i.chars().all(|c| c.is_ascii_digit()));
        let path = match name {
            _ if is_contract => "contracts",
            "investment" => "investment_fen",
            "requested" => "requested_fen",
            other => other,
        };
        Step::of(kind, path)
    }
}

/// The project with the fields of `step` taken from `typed` and every other field from
/// `saved` (`step` `None`: all from `typed`). Both are project JSON objects.
pub fn merge_step(kind: ProgramKind, step: Option<Step>, saved: &Value, typed: Value) -> Value {
    let Some(step) = step else { return typed };
    let mut merged = saved.as_object().cloned().unwrap_or_default();
    if let Value::Object(typed) = typed {
        for (k, v) in typed {
            if Step::of(kind, &k) == step {
                merged.insert(k, v);
            }
        }
    }
    Value::Object(merged)
}

/// The form field that shows a project path: `contracts.1.value_fen` is `c1_value`,
/// `serial_numbers.3` is `serial_numbers`, `investment_fen` is `investment`.
pub fn form_field(path: &str) -> String {
    let mut parts = path.split('.');
    let head = parts.next().unwrap_or_default();
    match (head, parts.next(), parts.next()) {
        ("contracts", Some(i), Some(leaf)) => {
            let leaf = match leaf {
                "value_fen" => "value",
                other => other,
            };
            format!("c{i}_{leaf}")
        }
        // The contracts as a whole (too many, too far apart) show under the first row.
        ("contracts", None, _) => "c0_number".to_string(),
        ("investment_fen", ..) => "investment".to_string(),
        ("requested_fen", ..) => "requested".to_string(),
        (other, ..) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filing::Project;
    use std::collections::HashMap;

    fn read(kind: ProgramKind, pairs: &[(&str, &str)]) -> (Project, Vec<(String, &'static str)>) {
        let form: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let (value, errors) = project_from_fields(kind, |k| form.get(k).cloned());
        (Project::from_json(kind, value).expect("the form's JSON is a project"), errors)
    }

    #[test]
    fn first_set_fields_and_what_does_not_parse() {
        let (p, errors) = read(
            ProgramKind::FirstSetEquipment,
            &[
                ("equipment_name", " 8K camera "),
                ("serial_numbers", "SN1\n\n SN2 "),
                ("first_set_level", "international"),
                ("c0_number", "HT-1"),
                ("c0_value", "1,000,000.50"),
                ("c0_signed_on", "2026-06-01"),
                ("c1_value", "一千万"),
                ("c2_signed_on", "June"),
            ],
        );
        let Project::FirstSet(p) = p else { panic!("a first-set project") };
        assert_eq!(p.equipment_name, "8K camera");
        assert_eq!(p.serial_numbers, vec!["SN1", "SN2"]);
        assert_eq!(p.contracts.len(), 3, "a row with anything typed in it is kept");
        assert_eq!(p.contracts[0].value_fen, Some(100_000_050));
        assert_eq!(p.contracts[1].value_fen, None);
        assert_eq!(errors, vec![("c1_value".to_string(), "invalid_amount"), ("c2_signed_on".to_string(), "invalid_date")]);
    }

    #[test]
    fn content_checkboxes_are_there_or_not() {
        let (p, errors) = read(ProgramKind::UhdContent, &[("format", "8k"), ("minutes", "90"), ("audio_3d", "on"), ("category", "nonsense")]);
        let Project::Content(p) = p else { panic!("a content project") };
        assert!(p.audio_3d && !p.first_producer);
        assert_eq!((p.minutes, p.category), (Some(90), None));
        assert!(errors.is_empty());
        let (_, errors) = read(ProgramKind::UhdContent, &[("minutes", "-3")]);
        assert_eq!(errors, vec![("minutes".to_string(), "out_of_range")]);
    }

    #[test]
    fn each_step_saves_its_own_fields_only() {
        let kind = ProgramKind::UhdContent;
        let saved = json!({ "work_title": "浦江", "format": "8k", "minutes": 90, "audio_3d": true });
        // The details page has no amount fields: its post leaves them as saved.
        let (typed, _) = project_from_fields(kind, |k| (k == "work_title").then(|| "浦江 8K".to_string()));
        let merged = merge_step(kind, Some(Step::Details), &saved, typed);
        assert_eq!((merged["work_title"].as_str(), merged["minutes"].as_u64(), merged["audio_3d"].as_bool()), (Some("浦江 8K"), Some(90), Some(true)));
        let (typed, _) = project_from_fields(kind, |k| (k == "minutes").then(|| "45".to_string()));
        let merged = merge_step(kind, Some(Step::Amount), &saved, typed);
        assert_eq!((merged["work_title"].as_str(), merged["minutes"].as_u64(), merged["audio_3d"].as_bool()), (Some("浦江"), Some(45), Some(false)));
        assert_eq!(Step::of(ProgramKind::FirstSetEquipment, "project.contracts.0.value_fen"), Step::Amount);
        assert_eq!(Step::of(ProgramKind::FirstSetEquipment, "patents.1"), Step::Details);
        assert_eq!(Step::of(ProgramKind::General, "requested_fen"), Step::Amount);
        assert_eq!(Step::of_field(ProgramKind::FirstSetEquipment, "c3_signed_on"), Step::Amount);
        assert_eq!(Step::of_field(ProgramKind::FirstSetEquipment, "buyer_credit_code"), Step::Details);
        assert_eq!(Step::of_field(ProgramKind::General, "investment"), Step::Amount);
    }

    #[test]
    fn paths_map_to_their_fields() {
        assert_eq!(form_field("contracts.1.value_fen"), "c1_value");
        assert_eq!(form_field("contracts.0.signed_on"), "c0_signed_on");
        assert_eq!(form_field("contracts"), "c0_number");
        assert_eq!(form_field("serial_numbers.3"), "serial_numbers");
        assert_eq!(form_field("requested_fen"), "requested");
        assert_eq!(form_field("model"), "model");
    }
}
