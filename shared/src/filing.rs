//! What a company files: the project fields of each program kind, their checks, the amount they
//! come to, and the keys the duplicate-funding check compares. One copy for the browser (the
//! amount shown while typing) and the server (the amount stored); money is integer fen.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::credit_code::{normalize as normalize_credit_code, CreditCode};
use crate::programs::{share_of, AmountRule, ContentFormat, ContractRule, FirstSetLevel, ProgramDefinition, ProgramKind};

/// A draft's project, by program kind. Every field may still be missing in a draft; what a
/// submission needs is [`Project::problems`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Project {
    FirstSet(FirstSetProject),
    Content(ContentProject),
    General(GeneralProject),
}

/// First-set equipment (首台套).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct FirstSetProject {
    pub equipment_name: String,
    pub model: String,
    pub serial_numbers: Vec<String>,
    pub first_set_level: Option<FirstSetLevel>,
    pub buyer_name: String,
    pub buyer_credit_code: String,
    pub contracts: Vec<Contract>,
    pub first_use_on: Option<NaiveDate>,
    pub patents: Vec<String>,
}

/// One sales contract of a first set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Contract {
    pub number: String,
    pub value_fen: Option<i64>,
    pub signed_on: Option<NaiveDate>,
}

/// A UHD content work (超高清内容).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ContentProject {
    pub work_title: String,
    pub category: Option<ContentCategory>,
    pub format: Option<ContentFormat>,
    pub minutes: Option<u32>,
    pub audio_3d: bool,
    pub licence_numbers: Vec<String>,
    /// The applicant declares it is the work's first producer.
    pub first_producer: bool,
}

/// Any other project (R&D, demonstration): the reviewers set the amount.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct GeneralProject {
    pub project_title: String,
    pub summary: String,
    pub investment_fen: Option<i64>,
    pub requested_fen: Option<i64>,
}

/// The kinds of content work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContentCategory {
    TvDrama,
    WebDrama,
    Documentary,
    Animation,
    Sports,
    Variety,
    Restoration,
    Audio3d,
}

impl ContentCategory {
    pub const ALL: [ContentCategory; 8] = [
        ContentCategory::TvDrama,
        ContentCategory::WebDrama,
        ContentCategory::Documentary,
        ContentCategory::Animation,
        ContentCategory::Sports,
        ContentCategory::Variety,
        ContentCategory::Restoration,
        ContentCategory::Audio3d,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ContentCategory::TvDrama => "tv_drama",
            ContentCategory::WebDrama => "web_drama",
            ContentCategory::Documentary => "documentary",
            ContentCategory::Animation => "animation",
            ContentCategory::Sports => "sports",
            ContentCategory::Variety => "variety",
            ContentCategory::Restoration => "restoration",
            ContentCategory::Audio3d => "audio_3d",
        }
    }

    pub fn parse(text: &str) -> Option<ContentCategory> {
        ContentCategory::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// How an amount was reached: the basis, the amount before the cap, the cap and the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AmountWorking {
    /// Contract value, minutes × rate (with the bonus), or the investment.
    pub basis_fen: i64,
    /// Before the cap.
    pub uncapped_fen: i64,
    pub cap_fen: i64,
    pub amount_fen: i64,
}

/// What a project's checks and amount need of its program: all the browser is given of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectRules {
    pub kind: ProgramKind,
    pub amount: AmountRule,
    pub contracts: Option<ContractRule>,
}

impl ProjectRules {
    pub fn of(program: &ProgramDefinition) -> ProjectRules {
        ProjectRules { kind: program.kind, amount: program.amount.clone(), contracts: program.eligibility.contracts.clone() }
    }
}

/// Longest text field of a project.
const MAX_TEXT: usize = 200;
const MAX_LIST: usize = 50;

impl Project {
    /// An empty project of a program kind.
    pub fn empty(kind: ProgramKind) -> Project {
        match kind {
            ProgramKind::FirstSetEquipment => Project::FirstSet(FirstSetProject::default()),
            ProgramKind::UhdContent => Project::Content(ContentProject::default()),
            ProgramKind::General => Project::General(GeneralProject::default()),
        }
    }

    /// Read a project of `kind` from JSON; a field of the wrong type or an unknown field is an
    /// error naming it.
    pub fn from_json(kind: ProgramKind, value: serde_json::Value) -> Result<Project, String> {
        let project = match kind {
            ProgramKind::FirstSetEquipment => serde_json::from_value(value).map(Project::FirstSet),
            ProgramKind::UhdContent => serde_json::from_value(value).map(Project::Content),
            ProgramKind::General => serde_json::from_value(value).map(Project::General),
        };
        project.map_err(|e| e.to_string())
    }

    pub fn kind(&self) -> ProgramKind {
        match self {
            Project::FirstSet(_) => ProgramKind::FirstSetEquipment,
            Project::Content(_) => ProgramKind::UhdContent,
            Project::General(_) => ProgramKind::General,
        }
    }

    /// The project's name as lists show it.
    pub fn title(&self) -> &str {
        match self {
            Project::FirstSet(p) => &p.equipment_name,
            Project::Content(p) => &p.work_title,
            Project::General(p) => &p.project_title,
        }
    }

    /// Trim every text, normalise the buyer's credit code and drop empty list entries: what is
    /// stored for a draft.
    pub fn tidy(&mut self) {
        fn list(items: &mut Vec<String>) {
            for i in items.iter_mut() {
                *i = i.trim().to_string();
            }
            items.retain(|i| !i.is_empty());
        }
        match self {
            Project::FirstSet(p) => {
                p.equipment_name = p.equipment_name.trim().to_string();
                p.model = p.model.trim().to_string();
                p.buyer_name = p.buyer_name.trim().to_string();
                p.buyer_credit_code = normalize_credit_code(&p.buyer_credit_code);
                list(&mut p.serial_numbers);
                list(&mut p.patents);
                for c in p.contracts.iter_mut() {
                    c.number = c.number.trim().to_string();
                }
                p.contracts.retain(|c| !(c.number.is_empty() && c.value_fen.is_none() && c.signed_on.is_none()));
            }
            Project::Content(p) => {
                p.work_title = p.work_title.trim().to_string();
                list(&mut p.licence_numbers);
            }
            Project::General(p) => {
                p.project_title = p.project_title.trim().to_string();
                p.summary = p.summary.trim().to_string();
            }
        }
    }

    /// What stops this project from being submitted under a program with `program`'s rules on
    /// `today`, as (field path, error code), in field order. Empty when it is complete and
    /// consistent.
    pub fn problems(&self, program: &ProjectRules, today: NaiveDate) -> Vec<(String, &'static str)> {
        let mut out: Vec<(String, &'static str)> = Vec::new();
        let text = |out: &mut Vec<(String, &'static str)>, path: &str, value: &str| {
            if value.trim().is_empty() {
                out.push((path.to_string(), "required"));
            } else if value.chars().count() > MAX_TEXT {
                out.push((path.to_string(), "too_long"));
            }
        };
        let list = |out: &mut Vec<(String, &'static str)>, path: &str, items: &[String], required: bool, key: fn(&str) -> String| {
            if required && items.is_empty() {
                out.push((path.to_string(), "required"));
            }
            if items.len() > MAX_LIST {
                out.push((path.to_string(), "out_of_range"));
            }
            let mut seen = std::collections::HashSet::new();
            for (i, item) in items.iter().enumerate() {
                let k = key(item);
                if k.is_empty() || item.chars().count() > 100 {
                    out.push((format!("{path}.{i}"), "invalid"));
                } else if !seen.insert(k) {
                    out.push((format!("{path}.{i}"), "duplicate"));
                }
            }
        };
        let day = |out: &mut Vec<(String, &'static str)>, path: &str, value: Option<NaiveDate>| match value {
            None => out.push((path.to_string(), "required")),
            Some(d) if d > today => out.push((path.to_string(), "in_future")),
            Some(_) => {}
        };
        match self {
            Project::FirstSet(p) => {
                text(&mut out, "equipment_name", &p.equipment_name);
                text(&mut out, "model", &p.model);
                list(&mut out, "serial_numbers", &p.serial_numbers, true, normalize_key);
                match (p.first_set_level, &program.amount) {
                    (None, _) => out.push(("first_set_level".into(), "required")),
                    (Some(level), AmountRule::ShareOfCost { tiers }) if !tiers.iter().any(|t| t.level == level) => {
                        out.push(("first_set_level".into(), "not_allowed"))
                    }
                    _ => {}
                }
                text(&mut out, "buyer_name", &p.buyer_name);
                if p.buyer_credit_code.is_empty() {
                    out.push(("buyer_credit_code".into(), "required"));
                } else if let Err(e) = CreditCode::parse(&p.buyer_credit_code) {
                    out.push(("buyer_credit_code".into(), e.code()));
                }
                if p.contracts.is_empty() {
                    out.push(("contracts".into(), "required"));
                }
                for (i, c) in p.contracts.iter().enumerate() {
                    text(&mut out, &format!("contracts.{i}.number"), &c.number);
                    match c.value_fen {
                        None => out.push((format!("contracts.{i}.value_fen"), "required")),
                        Some(v) if v <= 0 || v > 1_000_000_000_000_00 => out.push((format!("contracts.{i}.value_fen"), "invalid_amount")),
                        Some(_) => {}
                    }
                    day(&mut out, &format!("contracts.{i}.signed_on"), c.signed_on);
                }
                if let Some(rule) = &program.contracts {
                    if p.contracts.len() > rule.max_contracts as usize {
                        out.push(("contracts".into(), "out_of_range"));
                    }
                    for (i, c) in p.contracts.iter().enumerate() {
                        if c.signed_on.is_some_and(|d| d < rule.signed_on_or_after) {
                            out.push((format!("contracts.{i}.signed_on"), "before_start"));
                        }
                    }
                    let days: Vec<NaiveDate> = p.contracts.iter().filter_map(|c| c.signed_on).collect();
                    if let (Some(first), Some(last)) = (days.iter().min(), days.iter().max()) {
                        if first.checked_add_months(Months::new(rule.within_months)).is_some_and(|limit| *last > limit) {
                            out.push(("contracts".into(), "contracts_span"));
                        }
                    }
                }
                day(&mut out, "first_use_on", p.first_use_on);
                list(&mut out, "patents", &p.patents, false, normalize_key);
            }
            Project::Content(p) => {
                text(&mut out, "work_title", &p.work_title);
                if p.category.is_none() {
                    out.push(("category".into(), "required"));
                }
                match (p.format, &program.amount) {
                    (None, _) => out.push(("format".into(), "required")),
                    (Some(f), AmountRule::PerMinute { rates, .. }) if !rates.iter().any(|r| r.format == f) => {
                        out.push(("format".into(), "not_allowed"))
                    }
                    _ => {}
                }
                match p.minutes {
                    None => out.push(("minutes".into(), "required")),
                    Some(m) if m == 0 || m > 100_000 => out.push(("minutes".into(), "out_of_range")),
                    Some(_) => {}
                }
                list(&mut out, "licence_numbers", &p.licence_numbers, true, normalize_key);
                if !p.first_producer {
                    out.push(("first_producer".into(), "required"));
                }
            }
            Project::General(p) => {
                text(&mut out, "project_title", &p.project_title);
                if p.summary.trim().is_empty() {
                    out.push(("summary".into(), "required"));
                } else if p.summary.chars().count() > 5000 {
                    out.push(("summary".into(), "too_long"));
                }
                match p.investment_fen {
                    None => out.push(("investment_fen".into(), "required")),
                    Some(v) if v <= 0 => out.push(("investment_fen".into(), "invalid_amount")),
                    Some(_) => {}
                }
                match (p.requested_fen, self.max_request(program)) {
                    (None, _) => out.push(("requested_fen".into(), "required")),
                    (Some(v), _) if v <= 0 => out.push(("requested_fen".into(), "invalid_amount")),
                    (Some(v), Some(max)) if v > max => out.push(("requested_fen".into(), "out_of_range")),
                    _ => {}
                }
            }
        }
        if self.kind() != program.kind {
            out.push(("project".into(), "invalid"));
        }
        out
    }

    /// The most a general project may ask for: the share of its investment, capped.
    fn max_request(&self, program: &ProjectRules) -> Option<i64> {
        match (self, &program.amount) {
            (Project::General(p), AmountRule::Requested { max_share_bp, cap_fen }) => {
                p.investment_fen.map(|inv| share_of(inv, *max_share_bp).min(*cap_fen))
            }
            _ => None,
        }
    }

    /// The amount this project comes to under `rule`, with its working; `None` while an input
    /// it needs is missing.
    pub fn amount(&self, rule: &AmountRule) -> Option<AmountWorking> {
        match (self, rule) {
            (Project::FirstSet(p), AmountRule::ShareOfCost { tiers }) => {
                let tier = tiers.iter().find(|t| Some(t.level) == p.first_set_level)?;
                if p.contracts.is_empty() {
                    return None;
                }
                let mut basis: i64 = 0;
                for c in &p.contracts {
                    basis = basis.checked_add(c.value_fen.filter(|v| *v > 0)?)?;
                }
                let uncapped = share_of(basis, tier.share_bp);
                Some(AmountWorking { basis_fen: basis, uncapped_fen: uncapped, cap_fen: tier.cap_fen, amount_fen: uncapped.min(tier.cap_fen) })
            }
            (Project::Content(p), AmountRule::PerMinute { rates, audio_3d_bonus_bp, cap_fen }) => {
                let rate = rates.iter().find(|r| Some(r.format) == p.format)?;
                let minutes = i64::from(p.minutes.filter(|m| *m > 0)?);
                let base = minutes.checked_mul(rate.fen_per_minute)?;
                let bonus = if p.audio_3d { share_of(base, *audio_3d_bonus_bp) } else { 0 };
                let uncapped = base.checked_add(bonus)?;
                Some(AmountWorking { basis_fen: base, uncapped_fen: uncapped, cap_fen: *cap_fen, amount_fen: uncapped.min(*cap_fen) })
            }
            (Project::General(p), AmountRule::Requested { max_share_bp, cap_fen }) => {
                let investment = p.investment_fen.filter(|v| *v > 0)?;
                let requested = p.requested_fen.filter(|v| *v > 0)?;
                let cap = share_of(investment, *max_share_bp).min(*cap_fen);
                Some(AmountWorking { basis_fen: investment, uncapped_fen: requested, cap_fen: cap, amount_fen: requested.min(cap) })
            }
            _ => None,
        }
    }

    /// The keys another open or funded application may not share (normalised): each patent,
    /// each model + serial number, each licence number.
    pub fn funding_keys(&self) -> Vec<FundingKey> {
        let mut keys = Vec::new();
        match self {
            Project::FirstSet(p) => {
                let model = normalize_key(&p.model);
                for s in &p.serial_numbers {
                    let serial = normalize_key(s);
                    if !model.is_empty() && !serial.is_empty() {
                        keys.push(FundingKey { kind: FundingKeyKind::ModelSerial, key: format!("{model}#{serial}"), shown: format!("{} / {}", p.model.trim(), s.trim()) });
                    }
                }
                for pat in &p.patents {
                    let key = normalize_key(pat);
                    if !key.is_empty() {
                        keys.push(FundingKey { kind: FundingKeyKind::Patent, key, shown: pat.trim().to_string() });
                    }
                }
            }
            Project::Content(p) => {
                for l in &p.licence_numbers {
                    let key = normalize_key(l);
                    if !key.is_empty() {
                        keys.push(FundingKey { kind: FundingKeyKind::Licence, key, shown: l.trim().to_string() });
                    }
                }
            }
            Project::General(_) => {}
        }
        keys.sort_by(|a, b| (a.kind, &a.key).cmp(&(b.kind, &b.key)));
        keys.dedup_by(|a, b| a.kind == b.kind && a.key == b.key);
        keys
    }
}

/// What a duplicate-funding key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FundingKeyKind {
    Patent,
    ModelSerial,
    Licence,
}

impl FundingKeyKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            FundingKeyKind::Patent => "patent",
            FundingKeyKind::ModelSerial => "model_serial",
            FundingKeyKind::Licence => "licence",
        }
    }

    pub fn parse(text: &str) -> Option<FundingKeyKind> {
        [FundingKeyKind::Patent, FundingKeyKind::ModelSerial, FundingKeyKind::Licence].into_iter().find(|k| k.as_str() == text)
    }

    /// The project field the key comes from.
    pub const fn field(self) -> &'static str {
        match self {
            FundingKeyKind::Patent => "patents",
            FundingKeyKind::ModelSerial => "serial_numbers",
            FundingKeyKind::Licence => "licence_numbers",
        }
    }
}

/// One duplicate-funding key: its kind, the normalised key compared, and the text as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundingKey {
    pub kind: FundingKeyKind,
    pub key: String,
    pub shown: String,
}

/// A number as the duplicate check compares it: full-width characters made half-width,
/// upper case, without spaces and separators (`-`, `_`, `.`, `/`, `·`), so `zl 2023-1012.3`
/// and `ZL20231012 3` are the same.
pub fn normalize_key(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            other => other,
        })
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '.' | '/' | '·' | '—' | '–'))
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programs::{CostTier, MinuteRate};

    fn first_set(level: FirstSetLevel, values: &[i64]) -> Project {
        Project::FirstSet(FirstSetProject {
            first_set_level: Some(level),
            contracts: values.iter().map(|v| Contract { number: "C".into(), value_fen: Some(*v), signed_on: None }).collect(),
            ..FirstSetProject::default()
        })
    }

    fn shanghai_first_set() -> AmountRule {
        AmountRule::ShareOfCost {
            tiers: vec![
                CostTier { level: FirstSetLevel::International, share_bp: 3000, cap_fen: 3_000_000_000 },
                CostTier { level: FirstSetLevel::Domestic, share_bp: 1000, cap_fen: 1_000_000_000 },
            ],
        }
    }

    #[test]
    fn first_set_share_and_caps() {
        let rule = shanghai_first_set();
        // International: 30% up to 30,000,000 yuan; the cap is reached at 100,000,000 yuan.
        let at = |level, v: i64| first_set(level, &[v]).amount(&rule).map(|w| w.amount_fen);
        assert_eq!(at(FirstSetLevel::International, 10_000_000_000), Some(3_000_000_000));
        assert_eq!(at(FirstSetLevel::International, 9_999_999_999), Some(2_999_999_999));
        assert_eq!(at(FirstSetLevel::International, 10_000_000_001), Some(3_000_000_000));
        assert_eq!(at(FirstSetLevel::Domestic, 10_000_000_000), Some(1_000_000_000));
        assert_eq!(at(FirstSetLevel::Domestic, 9_999_999_999), Some(999_999_999));
        assert_eq!(at(FirstSetLevel::Domestic, 10_000_000_010), Some(1_000_000_000));
        // Contracts add up; a missing value leaves the amount unknown.
        assert_eq!(first_set(FirstSetLevel::Domestic, &[100, 200]).amount(&rule).map(|w| w.basis_fen), Some(300));
        let mut p = first_set(FirstSetLevel::Domestic, &[100]);
        if let Project::FirstSet(f) = &mut p {
            f.contracts[0].value_fen = None;
        }
        assert_eq!(p.amount(&rule), None);
    }

    #[test]
    fn per_minute_with_and_without_3d_audio() {
        let rule = AmountRule::PerMinute {
            rates: vec![
                MinuteRate { format: ContentFormat::K8, fen_per_minute: 200_000 },
                MinuteRate { format: ContentFormat::K4, fen_per_minute: 80_000 },
                MinuteRate { format: ContentFormat::Restoration, fen_per_minute: 40_000 },
            ],
            audio_3d_bonus_bp: 2000,
            cap_fen: 150_000_000,
        };
        let work = |format, minutes, audio_3d| {
            Project::Content(ContentProject { format: Some(format), minutes: Some(minutes), audio_3d, ..ContentProject::default() })
                .amount(&rule)
                .map(|w| w.amount_fen)
        };
        assert_eq!(work(ContentFormat::K8, 750, false), Some(150_000_000));
        assert_eq!(work(ContentFormat::K8, 749, false), Some(149_800_000));
        assert_eq!(work(ContentFormat::K8, 751, false), Some(150_000_000));
        assert_eq!(work(ContentFormat::K8, 625, true), Some(150_000_000));
        assert_eq!(work(ContentFormat::K8, 624, true), Some(149_760_000));
        assert_eq!(work(ContentFormat::K4, 90, true), Some(8_640_000));
        assert_eq!(work(ContentFormat::Restoration, 1, true), Some(48_000));
    }

    #[test]
    fn keys_ignore_case_spacing_and_separators() {
        assert_eq!(normalize_key(" zl 2023-1012.3 "), "ZL202310123");
        assert_eq!(normalize_key("ＺＬ２０２３１０１２３"), "ZL202310123");
        let p = Project::FirstSet(FirstSetProject {
            model: "UHD-8K cam".into(),
            serial_numbers: vec!["sn 001".into(), "SN-001".into()],
            patents: vec!["ZL1".into()],
            ..FirstSetProject::default()
        });
        let keys = p.funding_keys();
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[0].key, "ZL1");
        assert_eq!(keys[1].key, "UHD8KCAM#SN001");
    }
}
