//! Subsidy programs (专项) as data: what one version of a program says (who may apply, which
//! materials, how the amount is computed, how long each stage may take), and the eligibility
//! check that the guide, the company's dashboard and the submission share. Everything here is
//! plain data with serde, stored as one JSON document per program version, and compiled into the
//! browser as well as the server, so a page shows exactly what the server decides.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::dto::Bilingual;

/// What kind of project a program funds; it decides the project fields an application has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProgramKind {
    /// First-set equipment (首台套).
    FirstSetEquipment,
    /// UHD content production (超高清内容).
    UhdContent,
    /// Core technology R&D, and anything else whose amount the reviewers set.
    General,
}

impl ProgramKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            ProgramKind::FirstSetEquipment => "first_set_equipment",
            ProgramKind::UhdContent => "uhd_content",
            ProgramKind::General => "general",
        }
    }

    pub fn parse(text: &str) -> Option<ProgramKind> {
        [ProgramKind::FirstSetEquipment, ProgramKind::UhdContent, ProgramKind::General].into_iter().find(|k| k.as_str() == text)
    }
}

/// Who pre-reviews an application (推荐单位).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RecommendingUnit {
    /// The industry base the applicant is an admitted tenant of.
    Base,
    /// The government of the district the applicant is registered in.
    District,
}

/// One version of a program: everything an application filed under it is judged by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProgramDefinition {
    pub kind: ProgramKind,
    pub title: Bilingual,
    /// One paragraph for lists.
    pub summary: Bilingual,
    /// The guide's purpose and who may apply, paragraphs separated by blank lines.
    pub guide: Bilingual,
    /// The lead agency's code (`sh-eitc`).
    pub lead_agency: String,
    /// The co-review agencies' codes; each countersigns the decision.
    #[serde(default)]
    pub co_review: Vec<String>,
    pub recommending_unit: RecommendingUnit,
    /// Who to ask: the agency office's telephone and address, as text.
    pub contact: Bilingual,
    pub call_opens_at: DateTime<Utc>,
    /// The call closes at this instant: a submission at or after it is refused.
    pub call_closes_at: DateTime<Utc>,
    pub budget_total_fen: i64,
    #[serde(default)]
    pub eligibility: Eligibility,
    pub materials: Vec<MaterialSpec>,
    #[serde(default)]
    pub rubric: Vec<RubricItem>,
    pub amount: AmountRule,
    #[serde(default)]
    pub stage_limits: StageLimits,
    /// The expert stage: panel size, workload cap, completion rule, how the result is taken.
    #[serde(default)]
    pub experts: crate::experts::ExpertRules,
    pub notice_working_days: u32,
    /// Working days the lead agency has to investigate an objection filed during the notice.
    #[serde(default = "five")]
    pub objection_working_days: u32,
    pub supplement_working_days: u32,
    /// Share of the award paid in each tranche, in percent; adds up to 100. With more than one,
    /// the last (the balance) is paid only after the acceptance (验收).
    pub tranches: Vec<u32>,
    /// The agency whose staff record the disbursements (its code); the lead agency when none.
    #[serde(default)]
    pub finance_agency: Option<String>,
    /// Months from approval by which the award must be accepted; after that it is overdue and
    /// the company may not apply to the program again until it is.
    #[serde(default = "twenty_four")]
    pub acceptance_months: u32,
    /// Whether a company with an award of this program overdue for acceptance is refused new
    /// applications to the program until it is accepted (the `overdue_acceptance` rule). On
    /// unless a program turns it off.
    #[serde(default = "yes")]
    pub refuse_overdue_acceptance: bool,
    /// Years a company is banned from applying after an award of this program is revoked for
    /// fraud.
    #[serde(default = "three")]
    pub ban_years: u32,
    /// Months from closing by which the company files its performance self-evaluation (绩效自评).
    #[serde(default = "two")]
    pub evaluation_months: u32,
}

/// The structured eligibility rules of a program. An empty list means "no rule".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Eligibility {
    /// Administrative-division prefixes the company must be registered in (from the credit
    /// code's positions 3-8): `31` is Shanghai, `310115` Pudong.
    pub regions: Vec<String>,
    /// Base codes: the company must be an admitted tenant of one of them.
    pub bases: Vec<String>,
    /// Chain-segment codes: the company must work in at least one.
    pub segments: Vec<String>,
    /// Qualification kinds (`high_tech`, `little_giant`) the company must each hold, valid on
    /// the day of the check.
    pub qualifications: Vec<String>,
    /// Whole years since founding.
    pub min_years_founded: Option<u32>,
    /// The company's registration has been verified (always checked at submission).
    pub verified_company: bool,
    /// For first-set equipment: how many contracts, within how long, signed after when.
    pub contracts: Option<ContractRule>,
}

/// The first-set contract rule: at most `max_contracts`, all signed within `within_months` of
/// each other, each on or after `signed_on_or_after`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContractRule {
    pub max_contracts: u32,
    pub within_months: u32,
    pub signed_on_or_after: NaiveDate,
}

/// One material of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MaterialSpec {
    pub code: String,
    pub name: Bilingual,
    pub required: bool,
    /// Allowed file types by extension as the bytes show them: `pdf`, `jpg`, `png`.
    pub types: Vec<String>,
    pub max_bytes: u64,
}

/// One line of the scoring rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RubricItem {
    pub code: String,
    pub name: Bilingual,
    pub max_score: u32,
    /// What a point of this criterion counts in the weighted total (1 unless given).
    #[serde(default = "one")]
    pub weight: u32,
}

fn one() -> u32 {
    1
}

fn five() -> u32 {
    5
}

fn yes() -> bool {
    true
}

fn three() -> u32 {
    3
}

fn two() -> u32 {
    2
}

fn twenty_four() -> u32 {
    24
}

/// Working days each review stage may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct StageLimits {
    pub recommending: u32,
    pub formal: u32,
    pub expert: u32,
    pub decision: u32,
    /// How many working days before a stage's deadline whoever holds the work is reminded.
    pub remind_before: u32,
}

impl Default for StageLimits {
    fn default() -> Self {
        StageLimits { recommending: 10, formal: 15, expert: 15, decision: 10, remind_before: 2 }
    }
}

/// The first-set level an application claims (首台套 级别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FirstSetLevel {
    International,
    Domestic,
}

/// A content work's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContentFormat {
    #[serde(rename = "8k")]
    K8,
    #[serde(rename = "4k")]
    K4,
    Restoration,
}

impl ContentFormat {
    pub const ALL: [ContentFormat; 3] = [ContentFormat::K8, ContentFormat::K4, ContentFormat::Restoration];

    pub const fn as_str(self) -> &'static str {
        match self {
            ContentFormat::K8 => "8k",
            ContentFormat::K4 => "4k",
            ContentFormat::Restoration => "restoration",
        }
    }

    pub fn parse(text: &str) -> Option<ContentFormat> {
        ContentFormat::ALL.into_iter().find(|f| f.as_str() == text)
    }
}

impl FirstSetLevel {
    pub const fn as_str(self) -> &'static str {
        match self {
            FirstSetLevel::International => "international",
            FirstSetLevel::Domestic => "domestic",
        }
    }

    pub fn parse(text: &str) -> Option<FirstSetLevel> {
        [FirstSetLevel::International, FirstSetLevel::Domestic].into_iter().find(|l| l.as_str() == text)
    }
}

/// How the amount is computed. Shares are in basis points (1/100 of a percent), so 30% is
/// 3000; money is integer fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum AmountRule {
    /// A share of the eligible cost (the contracts' value) by first-set level, capped per level.
    ShareOfCost { tiers: Vec<CostTier> },
    /// A rate per minute by format, a bonus for 3D audio, capped per work.
    PerMinute { rates: Vec<MinuteRate>, audio_3d_bonus_bp: u32, cap_fen: i64 },
    /// The applicant asks for an amount up to a share of the project's investment and a cap;
    /// the reviewers set what is awarded.
    Requested { max_share_bp: u32, cap_fen: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CostTier {
    pub level: FirstSetLevel,
    pub share_bp: u32,
    pub cap_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MinuteRate {
    pub format: ContentFormat,
    pub fen_per_minute: i64,
}

/// `amount × bp / 10,000`, rounded down to the fen, without overflow.
pub fn share_of(amount_fen: i64, bp: u32) -> i64 {
    let v = (amount_fen.max(0) as i128) * (bp as i128) / 10_000;
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl ProgramDefinition {
    /// Whether the call is open at `now`: from opening (inclusive) to closing (exclusive).
    pub fn call_open_at(&self, now: DateTime<Utc>) -> bool {
        self.call_opens_at <= now && now < self.call_closes_at
    }

    /// The material `code` of the checklist.
    pub fn material(&self, code: &str) -> Option<&MaterialSpec> {
        self.materials.iter().find(|m| m.code == code)
    }

    /// What is wrong with this definition as a whole (field path, code), empty when it can be
    /// saved.
    pub fn problems(&self) -> Vec<(String, &'static str)> {
        let mut out = Vec::new();
        let mut text = |path: &str, value: &str, max: usize| {
            if value.trim().is_empty() {
                out.push((path.to_string(), "required"));
            } else if value.chars().count() > max {
                out.push((path.to_string(), "too_long"));
            }
        };
        text("title.zh", &self.title.zh, 200);
        text("title.en", &self.title.en, 200);
        text("summary.zh", &self.summary.zh, 1000);
        text("summary.en", &self.summary.en, 1000);
        text("guide.zh", &self.guide.zh, 20_000);
        text("guide.en", &self.guide.en, 20_000);
        text("contact.zh", &self.contact.zh, 500);
        text("contact.en", &self.contact.en, 500);
        text("lead_agency", &self.lead_agency, 50);
        if self.call_closes_at <= self.call_opens_at {
            out.push(("call_closes_at".into(), "before_start"));
        }
        if self.budget_total_fen < 0 {
            out.push(("budget_total_fen".into(), "invalid_amount"));
        }
        if self.tranches.is_empty() || self.tranches.iter().sum::<u32>() != 100 || self.tranches.contains(&0) {
            out.push(("tranches".into(), "total_mismatch"));
        }
        if !(1..=30).contains(&self.notice_working_days) {
            out.push(("notice_working_days".into(), "out_of_range"));
        }
        if !(1..=120).contains(&self.acceptance_months) {
            out.push(("acceptance_months".into(), "out_of_range"));
        }
        if !(1..=24).contains(&self.evaluation_months) {
            out.push(("evaluation_months".into(), "out_of_range"));
        }
        if !(1..=10).contains(&self.ban_years) {
            out.push(("ban_years".into(), "out_of_range"));
        }
        if !(1..=30).contains(&self.objection_working_days) {
            out.push(("objection_working_days".into(), "out_of_range"));
        }
        if !(1..=30).contains(&self.supplement_working_days) {
            out.push(("supplement_working_days".into(), "out_of_range"));
        }
        let mut codes = std::collections::HashSet::new();
        for (i, m) in self.materials.iter().enumerate() {
            if m.code.is_empty() || !m.code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                out.push((format!("materials.{i}.code"), "invalid_code"));
            } else if !codes.insert(m.code.as_str()) {
                out.push((format!("materials.{i}.code"), "duplicate"));
            }
            if m.types.is_empty() || m.types.iter().any(|t| !MATERIAL_TYPES.contains(&t.as_str())) {
                out.push((format!("materials.{i}.types"), "unsupported_type"));
            }
            if m.max_bytes == 0 || m.max_bytes > MAX_MATERIAL_BYTES {
                out.push((format!("materials.{i}.max_bytes"), "out_of_range"));
            }
        }
        if self.material(APPLICATION_FORM).is_none() {
            out.push(("materials".into(), "required"));
        }
        let mut criteria = std::collections::HashSet::new();
        for (i, r) in self.rubric.iter().enumerate() {
            if r.code.is_empty() {
                out.push((format!("rubric.{i}.code"), "required"));
            } else if !criteria.insert(r.code.as_str()) {
                out.push((format!("rubric.{i}.code"), "duplicate"));
            }
            if r.max_score == 0 || r.max_score > 1000 || r.weight == 0 || r.weight > 100 {
                out.push((format!("rubric.{i}"), "out_of_range"));
            }
        }
        out.extend(self.experts.problems());
        match &self.amount {
            AmountRule::ShareOfCost { tiers } => {
                if self.kind != ProgramKind::FirstSetEquipment || tiers.is_empty() {
                    out.push(("amount".into(), "invalid"));
                }
                for (i, t) in tiers.iter().enumerate() {
                    if t.share_bp == 0 || t.share_bp > 10_000 || t.cap_fen <= 0 {
                        out.push((format!("amount.tiers.{i}"), "out_of_range"));
                    }
                }
            }
            AmountRule::PerMinute { rates, audio_3d_bonus_bp, cap_fen } => {
                if self.kind != ProgramKind::UhdContent || rates.is_empty() {
                    out.push(("amount".into(), "invalid"));
                }
                if rates.iter().any(|r| r.fen_per_minute <= 0) || *audio_3d_bonus_bp > 10_000 || *cap_fen <= 0 {
                    out.push(("amount".into(), "out_of_range"));
                }
            }
            AmountRule::Requested { max_share_bp, cap_fen } => {
                if self.kind != ProgramKind::General {
                    out.push(("amount".into(), "invalid"));
                }
                if *max_share_bp == 0 || *max_share_bp > 10_000 || *cap_fen <= 0 {
                    out.push(("amount".into(), "out_of_range"));
                }
            }
        }
        if let Some(rule) = &self.eligibility.contracts {
            if self.kind != ProgramKind::FirstSetEquipment || rule.max_contracts == 0 || rule.within_months == 0 {
                out.push(("eligibility.contracts".into(), "invalid"));
            }
        }
        out
    }
}

/// File types a material may allow.
pub const MATERIAL_TYPES: [&str; 3] = ["pdf", "jpg", "png"];
/// The largest file any material may allow: 20 MB.
pub const MAX_MATERIAL_BYTES: u64 = 20 * 1024 * 1024;
/// The material every program has: the signed and stamped application form.
pub const APPLICATION_FORM: &str = "application-form";

/// What the portal knows about a company on the day of an eligibility check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyFacts {
    /// Positions 3-8 of the credit code.
    pub division_code: String,
    /// Codes of the bases the company is an admitted tenant of.
    pub admitted_bases: Vec<String>,
    pub segments: Vec<String>,
    /// Qualification kinds valid on the day.
    pub qualifications: Vec<String>,
    pub founded_on: Option<NaiveDate>,
    pub verified: bool,
    /// The last day of a ban from applying in force on the day, if any.
    pub banned_until: Option<NaiveDate>,
    /// An award of this program overdue for acceptance.
    pub overdue_acceptance: bool,
}

/// One eligibility rule a company does not meet, with what the message needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum FailedRule {
    /// Registered outside the program's regions.
    Region { division_code: String, regions: Vec<String> },
    /// Not an admitted tenant of any of the bases.
    Base { bases: Vec<String> },
    /// None of the program's segments.
    Segment { segments: Vec<String> },
    /// A qualification missing or not valid on the day.
    Qualification { qualification: String },
    /// Founded too recently (or the founding date is not in the profile).
    YearsFounded { months: Option<u32>, min_years: u32 },
    /// The registration is not verified yet.
    NotVerified,
    /// Banned from applying until a day.
    Banned { until: NaiveDate },
    /// An earlier award of this program is overdue for acceptance.
    OverdueAcceptance,
}

impl FailedRule {
    pub fn code(&self) -> &'static str {
        match self {
            FailedRule::Region { .. } => "region",
            FailedRule::Base { .. } => "base",
            FailedRule::Segment { .. } => "segment",
            FailedRule::Qualification { .. } => "qualification",
            FailedRule::YearsFounded { .. } => "years_founded",
            FailedRule::NotVerified => "not_verified",
            FailedRule::Banned { .. } => "banned",
            FailedRule::OverdueAcceptance => "overdue_acceptance",
        }
    }

    /// The reason in words, in `lang` (`en...` English, otherwise Chinese). `names` turns a base,
    /// segment or qualification code into its name in that language.
    pub fn message(&self, lang: &str, names: &dyn Fn(&str) -> String) -> String {
        let en = lang.starts_with("en");
        let list = |codes: &[String]| codes.iter().map(|c| names(c)).collect::<Vec<_>>().join(if en { ", " } else { "、" });
        match self {
            FailedRule::Region { division_code, regions } => {
                if en {
                    format!("Your company is registered in division {division_code}; this program is for companies registered in {}.", list(regions))
                } else {
                    format!("贵单位注册地行政区划代码为 {division_code}，本专项仅受理注册地在{}的企业。", list(regions))
                }
            }
            FailedRule::Base { bases } => {
                if en {
                    format!("Your company is not an admitted tenant of {}; this program needs it to be.", list(bases))
                } else {
                    format!("贵单位尚未入驻{}，本专项要求申报单位为基地入驻企业。", list(bases))
                }
            }
            FailedRule::Segment { segments } => {
                if en {
                    format!("Your profile lists none of the chain segments this program supports: {}.", list(segments))
                } else {
                    format!("贵单位档案中的产业链环节不在本专项支持范围内（{}）。", list(segments))
                }
            }
            FailedRule::Qualification { qualification } => {
                let q = names(qualification);
                if en {
                    format!("This program needs the qualification \"{q}\", valid today; your profile has none.")
                } else {
                    format!("本专项要求具备有效的“{q}”资质，贵单位档案中没有有效期内的该资质。")
                }
            }
            FailedRule::YearsFounded { months: Some(months), min_years } => {
                let age = age_words(*months, en);
                if en {
                    format!("Your company was founded {age} ago; this program needs {min_years} year{}.", if *min_years == 1 { "" } else { "s" })
                } else {
                    format!("贵单位成立{age}，本专项要求成立满 {min_years} 年。")
                }
            }
            FailedRule::YearsFounded { months: None, min_years } => {
                if en {
                    format!("Your profile has no founding date; this program needs a company founded at least {min_years} years ago.")
                } else {
                    format!("贵单位档案未填写成立日期，本专项要求成立满 {min_years} 年。")
                }
            }
            FailedRule::NotVerified => {
                if en {
                    "Your company's registration has not been verified yet; ask your base or the portal to verify it.".to_string()
                } else {
                    "贵单位的注册信息尚未通过核验，请联系所在基地或平台管理员核验。".to_string()
                }
            }
            FailedRule::Banned { until } => {
                if en {
                    format!("Your company may not apply for subsidies until {until}.")
                } else {
                    format!("贵单位在 {until} 之前不得申报专项资金。")
                }
            }
            FailedRule::OverdueAcceptance => {
                if en {
                    "An earlier award of this program to your company is overdue for acceptance; complete it first.".to_string()
                } else {
                    "贵单位此前获得的本专项资助逾期未验收，完成验收前不得再次申报。".to_string()
                }
            }
        }
    }
}

fn age_words(months: u32, en: bool) -> String {
    let (y, m) = (months / 12, months % 12);
    if en {
        let unit = |n: u32, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
        match (y, m) {
            (0, m) => unit(m, "month"),
            (y, 0) => unit(y, "year"),
            (y, m) => format!("{} and {}", unit(y, "year"), unit(m, "month")),
        }
    } else {
        match (y, m) {
            (0, m) => format!(" {m} 个月"),
            (y, 0) => format!(" {y} 年"),
            (y, m) => format!(" {y} 年 {m} 个月"),
        }
    }
}

/// Whole months from `from` to `to` (0 when `to` is earlier).
pub fn whole_months(from: NaiveDate, to: NaiveDate) -> u32 {
    if to < from {
        return 0;
    }
    let mut months = (to.year() - from.year()) * 12 + (to.month() as i32 - from.month() as i32);
    if to.day() < from.day() {
        months -= 1;
    }
    months.max(0) as u32
}

impl Eligibility {
    /// The rules `company` fails on `today`, in the order the guide lists them; empty when it
    /// is eligible.
    pub fn check(&self, company: &CompanyFacts, today: NaiveDate) -> Vec<FailedRule> {
        let mut failed = Vec::new();
        if !self.regions.is_empty() && !self.regions.iter().any(|r| company.division_code.starts_with(r.as_str())) {
            failed.push(FailedRule::Region { division_code: company.division_code.clone(), regions: self.regions.clone() });
        }
        if !self.bases.is_empty() && !self.bases.iter().any(|b| company.admitted_bases.contains(b)) {
            failed.push(FailedRule::Base { bases: self.bases.clone() });
        }
        if !self.segments.is_empty() && !self.segments.iter().any(|s| company.segments.contains(s)) {
            failed.push(FailedRule::Segment { segments: self.segments.clone() });
        }
        for q in &self.qualifications {
            if !company.qualifications.contains(q) {
                failed.push(FailedRule::Qualification { qualification: q.clone() });
            }
        }
        if let Some(min_years) = self.min_years_founded {
            match company.founded_on {
                Some(founded) if whole_months(founded, today) >= min_years * 12 => {}
                founded => failed.push(FailedRule::YearsFounded { months: founded.map(|f| whole_months(f, today)), min_years }),
            }
        }
        if self.verified_company && !company.verified {
            failed.push(FailedRule::NotVerified);
        }
        if let Some(until) = company.banned_until {
            if until >= today {
                failed.push(FailedRule::Banned { until });
            }
        }
        if company.overdue_acceptance {
            failed.push(FailedRule::OverdueAcceptance);
        }
        failed
    }
}

/// A program as its guide shows it (`GET /api/v1/programs/{code}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramGuide {
    pub code: String,
    /// The current version's number.
    pub version: i32,
    pub definition: ProgramDefinition,
    pub lead_agency_name: Bilingual,
    pub co_review_names: Vec<Bilingual>,
    pub call_status: crate::dto::CallStatus,
    pub budget_left_fen: i64,
    /// Every version, newest first, with what changed and when.
    pub versions: Vec<VersionNote>,
    /// Names of the bases, segments and qualifications the rules name, by code.
    pub names: std::collections::BTreeMap<String, Bilingual>,
}

/// One version of a program in its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionNote {
    pub version: i32,
    pub created_at: DateTime<Utc>,
    /// The top-level fields of the definition that differ from the version before.
    pub changes: Vec<String>,
}

/// Whether the signed-in company may apply (`GET /api/v1/programs/{code}/eligibility`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EligibilityAnswer {
    pub program_code: String,
    pub enterprise_id: i64,
    pub eligible: bool,
    pub failed: Vec<FailedRuleView>,
}

/// A failed rule with its reason in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FailedRuleView {
    /// `region`, `base`, `segment`, `qualification`, `years_founded`, `not_verified`, `banned`
    /// or `overdue_acceptance`.
    pub code: String,
    /// The reason, in the language asked for (`Accept-Language`; Chinese unless English).
    pub message: String,
    pub rule: FailedRule,
}

/// How well one program fits a company (its dashboard's "programs for you").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramFit {
    pub code: String,
    pub title: Bilingual,
    pub call_status: crate::dto::CallStatus,
    pub call_closes_at: DateTime<Utc>,
    pub eligible: bool,
    /// The reasons it may not apply, in words.
    pub reasons: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn years_since_founding_counts_whole_months() {
        let rule = Eligibility { min_years_founded: Some(2), ..Eligibility::default() };
        let mut company = CompanyFacts { founded_on: Some(day("2024-12-05")), ..CompanyFacts::default() };
        let failed = rule.check(&company, day("2026-12-04"));
        assert_eq!(failed, vec![FailedRule::YearsFounded { months: Some(23), min_years: 2 }]);
        assert_eq!(
            failed[0].message("en", &|c| c.to_string()),
            "Your company was founded 1 year and 11 months ago; this program needs 2 years."
        );
        company.founded_on = Some(day("2024-12-04"));
        assert!(rule.check(&company, day("2026-12-04")).is_empty());
        company.founded_on = Some(day("2026-01-04"));
        assert_eq!(
            rule.check(&company, day("2026-12-04"))[0].message("en", &|c| c.to_string()),
            "Your company was founded 11 months ago; this program needs 2 years."
        );
    }

    #[test]
    fn a_ban_ends_after_its_last_day() {
        let company = CompanyFacts { banned_until: Some(day("2026-12-04")), ..CompanyFacts::default() };
        let rules = Eligibility::default();
        assert_eq!(rules.check(&company, day("2026-12-04")).len(), 1);
        assert!(rules.check(&company, day("2026-12-05")).is_empty());
    }

    #[test]
    fn regions_match_by_prefix() {
        let rules = Eligibility { regions: vec!["31".into()], ..Eligibility::default() };
        let sh = CompanyFacts { division_code: "310115".into(), ..CompanyFacts::default() };
        let gz = CompanyFacts { division_code: "440104".into(), ..CompanyFacts::default() };
        assert!(rules.check(&sh, day("2026-12-04")).is_empty());
        assert_eq!(rules.check(&gz, day("2026-12-04"))[0].code(), "region");
    }

    #[test]
    fn share_rounds_down_to_the_fen() {
        assert_eq!(share_of(333, 3000), 99);
        assert_eq!(share_of(i64::MAX, 10_000), i64::MAX);
    }
}

/// A program as the program editor's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditorRow {
    pub code: String,
    pub title: crate::dto::Bilingual,
    pub kind: ProgramKind,
    pub version: i32,
    pub call_opens_at: DateTime<Utc>,
    pub call_closes_at: DateTime<Utc>,
    /// The reader may edit it (a system admin, or its lead agency's agency lead).
    pub may_edit: bool,
}

/// What the program editor shows for a program code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Editor {
    pub code: String,
    /// The program exists (else this defines a new one).
    pub exists: bool,
    pub city_code: String,
    pub sort_order: i32,
    /// The definition as TOML: what the reader typed and could not save, else the current
    /// version (or, for a new program, the definition of the program it starts from).
    pub text: String,
    /// When the text is a kept edit: when it was kept, and why it was not saved (the TOML
    /// parser's message, or empty).
    pub kept: Option<(DateTime<Utc>, String)>,
    /// Saving needs a second-factor check first.
    pub step_up_needed: bool,
}
