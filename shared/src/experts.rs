//! The expert stage (DOMAIN.md "The review workflow", step 4, and the practice notes on
//! recusal): who may never be drawn for an application, when the stage is complete, and the
//! panel's result from the experts' score sheets. Plain functions over plain data, so the
//! server decides and a page explains with the same code.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::programs::RubricItem;

/// When the expert stage is complete, by how many of the experts assigned have scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Completion {
    /// Every expert assigned.
    All,
    /// Any one of them.
    Any,
    /// At least this share of them (`2/3`).
    Ratio(u32, u32),
}

impl Completion {
    /// Whether `scored` of `assigned` experts meets the rule (never with nobody assigned).
    pub fn met(self, scored: u32, assigned: u32) -> bool {
        if assigned == 0 || scored == 0 {
            return false;
        }
        match self {
            Completion::All => scored >= assigned,
            Completion::Any => true,
            Completion::Ratio(num, den) => u64::from(scored) * u64::from(den) >= u64::from(assigned) * u64::from(num),
        }
    }
}

impl TryFrom<String> for Completion {
    type Error = String;

    fn try_from(text: String) -> Result<Completion, String> {
        match text.trim() {
            "all" => Ok(Completion::All),
            "any" => Ok(Completion::Any),
            ratio => {
                let parsed = ratio.split_once('/').and_then(|(a, b)| Some((a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?)));
                match parsed {
                    Some((num, den)) if num > 0 && den > 0 && num <= den => Ok(Completion::Ratio(num, den)),
                    _ => Err(format!("`{ratio}` is not a completion rule: `all`, `any` or a ratio such as `2/3`")),
                }
            }
        }
    }
}

impl From<Completion> for String {
    fn from(c: Completion) -> String {
        match c {
            Completion::All => "all".into(),
            Completion::Any => "any".into(),
            Completion::Ratio(num, den) => format!("{num}/{den}"),
        }
    }
}

/// A program's rules for its expert stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ExpertRules {
    /// How many experts an application's panel has (odd).
    pub panel_size: u32,
    /// At most this many applications of the program per expert.
    pub workload_cap: u32,
    /// `all`, `any`, or a ratio of the experts assigned such as `2/3`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2/3"))]
    pub completion: Completion,
    /// With five or more score sheets, the highest and lowest totals are left out of the mean.
    pub drop_extremes: bool,
}

impl Default for ExpertRules {
    fn default() -> Self {
        ExpertRules { panel_size: 5, workload_cap: 10, completion: Completion::All, drop_extremes: true }
    }
}

impl ExpertRules {
    /// What is wrong with the rules, as (field, code) pairs under `experts.`.
    pub fn problems(&self) -> Vec<(String, &'static str)> {
        let mut out = Vec::new();
        if self.panel_size == 0 || self.panel_size > 15 || self.panel_size % 2 == 0 {
            out.push(("experts.panel_size".into(), "out_of_range"));
        }
        if self.workload_cap == 0 || self.workload_cap > 1000 {
            out.push(("experts.workload_cap".into(), "out_of_range"));
        }
        out
    }
}

/// What the portal knows of an expert for the recusal rules: the employer now, earlier
/// employers with the day each employment ended, and declared related parties (credit codes).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExpertTies {
    pub employer_credit_code: String,
    #[serde(default)]
    pub past_employers: Vec<PastEmployer>,
    #[serde(default)]
    pub related_parties: Vec<String>,
}

/// An earlier employer and the last day of that employment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PastEmployer {
    pub credit_code: String,
    pub until: NaiveDate,
}

/// Why an expert may not score an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Tie {
    /// Works for the applicant.
    Employer,
    /// Worked for the applicant within the last three years.
    RecentEmployer,
    /// Declared the applicant a related party.
    RelatedParty,
    /// Works for an organisation the applicant asked to exclude (a competitor).
    ExcludedByApplicant,
}

/// How far back an earlier employment still ties an expert to the applicant.
pub const RECUSAL_YEARS: u32 = 3;

/// The first tie of `expert` to an applicant with credit code `applicant`, which asked to
/// exclude `excluded` (credit codes), on `today`; none means the expert may be drawn.
pub fn tie(expert: &ExpertTies, applicant: &str, excluded: &[String], today: NaiveDate) -> Option<Tie> {
    let same = |a: &str, b: &str| !a.trim().is_empty() && a.trim().eq_ignore_ascii_case(b.trim());
    if same(&expert.employer_credit_code, applicant) {
        return Some(Tie::Employer);
    }
    let since = today.checked_sub_months(Months::new(12 * RECUSAL_YEARS)).unwrap_or(NaiveDate::MIN);
    if expert.past_employers.iter().any(|p| same(&p.credit_code, applicant) && p.until >= since) {
        return Some(Tie::RecentEmployer);
    }
    if expert.related_parties.iter().any(|p| same(p, applicant)) {
        return Some(Tie::RelatedParty);
    }
    if excluded.iter().any(|e| same(e, &expert.employer_credit_code)) {
        return Some(Tie::ExcludedByApplicant);
    }
    None
}

/// The weighted total of one score sheet: each criterion's score times its weight.
pub fn weighted_total(rubric: &[RubricItem], scores: &[(String, u32)]) -> u32 {
    rubric.iter().map(|item| item.weight * scores.iter().find(|(code, _)| *code == item.code).map_or(0, |(_, s)| *s)).sum()
}

/// The most a score sheet can total under `rubric`.
pub fn max_total(rubric: &[RubricItem]) -> u32 {
    rubric.iter().map(|i| i.weight * i.max_score).sum()
}

/// The panel's result in thousandths of a point: the mean of the weighted totals, without the
/// highest and the lowest when `drop_extremes` and five or more sheets are in. None without a
/// sheet.
pub fn panel_result_milli(totals: &[u32], drop_extremes: bool) -> Option<i64> {
    let mut totals: Vec<i64> = totals.iter().map(|t| i64::from(*t)).collect();
    totals.sort_unstable();
    let kept: &[i64] = if drop_extremes && totals.len() >= 5 { &totals[1..totals.len() - 1] } else { &totals };
    if kept.is_empty() {
        return None;
    }
    let n = kept.len() as i64;
    let sum: i64 = kept.iter().sum::<i64>() * 1000;
    // Rounded half up, in integers.
    Some((sum + n / 2) / n)
}

/// A score sheet's problems against `rubric`, as (field, code) pairs: each criterion once,
/// scored from 0 to its maximum, with a comment.
pub fn sheet_problems(rubric: &[RubricItem], scores: &[CriterionScore]) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for (i, s) in scores.iter().enumerate() {
        match rubric.iter().find(|r| r.code == s.code) {
            None => out.push((format!("scores.{i}.code"), "invalid")),
            Some(item) if s.score > item.max_score => out.push((format!("scores.{i}.score"), "out_of_range")),
            Some(_) => {}
        }
        if scores[..i].iter().any(|o| o.code == s.code) {
            out.push((format!("scores.{i}.code"), "duplicate"));
        }
        if s.comment.trim().is_empty() {
            out.push((format!("scores.{i}.comment"), "required"));
        } else if s.comment.chars().count() > crate::review::MAX_COMMENT {
            out.push((format!("scores.{i}.comment"), "too_long"));
        }
    }
    for item in rubric {
        if !scores.iter().any(|s| s.code == item.code) {
            out.push((format!("scores.{}", item.code), "required"));
        }
    }
    out
}

/// One criterion of a score sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CriterionScore {
    pub code: String,
    pub score: u32,
    pub comment: String,
}

/// The specialties of a pool entry's text ("8K capture; AVS3 codecs"), each trimmed.
pub fn specialties(text: &str) -> Vec<String> {
    text.split([';', '；', ',', '，', '、', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Whether a pool entry's specialties include `wanted` (ignoring case and surrounding space).
pub fn has_specialty(text: &str, wanted: &str) -> bool {
    specialties(text).iter().any(|s| s.to_lowercase() == wanted.trim().to_lowercase())
}

/// `PUT /api/v1/admin/experts/{user_id}`: a pool entry (the person has the expert role).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExpertInput {
    pub specialties: Vec<String>,
    pub employer_credit_code: String,
    #[serde(default)]
    pub past_employers: Vec<PastEmployer>,
    #[serde(default)]
    pub related_parties: Vec<String>,
}

/// A pool entry as system admins and agency leads see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpertView {
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    pub specialties: Vec<String>,
    #[serde(flatten)]
    pub ties: ExpertTies,
    /// Assignments not recused, over all programs.
    pub workload: i64,
}

/// `POST /api/v1/applications/{id}/expert-draw`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DrawRequest {
    /// How many to draw (default: what the panel still lacks of the program's size).
    #[serde(default)]
    pub count: Option<u32>,
    pub specialty: String,
}

/// At most this many applications in one batch draw.
pub const MAX_BATCH: usize = 50;

/// `POST /api/v1/expert-draws`: the same draw for several applications at once, all or none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BatchDrawRequest {
    /// The applications (1 to 50, each once), all in the expert stage of programs the caller's
    /// agency leads.
    pub application_ids: Vec<i64>,
    /// How many to draw for each (default: what each panel still lacks of its program's size).
    #[serde(default)]
    pub count: Option<u32>,
    pub specialty: String,
}

/// What a batch draw drew for one application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchDrawn {
    pub application_id: i64,
    /// The new assignments' ids.
    pub assignment_ids: Vec<i64>,
}

/// What an assignment is to its expert, and to the agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AssignmentStatus {
    /// Drawn; the expert has not yet declared whether they have a conflict of interest.
    Drawn,
    /// No conflict declared: the expert reads the application and scores it.
    Confirmed,
    /// A conflict declared: replaced.
    Recused,
}

impl AssignmentStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            AssignmentStatus::Drawn => "drawn",
            AssignmentStatus::Confirmed => "confirmed",
            AssignmentStatus::Recused => "recused",
        }
    }

    pub fn parse(text: &str) -> Option<AssignmentStatus> {
        [AssignmentStatus::Drawn, AssignmentStatus::Confirmed, AssignmentStatus::Recused].into_iter().find(|s| s.as_str() == text)
    }
}

/// One of an expert's assignments (`GET /api/v1/expert-assignments`): enough to declare a
/// conflict (the applicant's name and credit code, the project), the rest once confirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignmentView {
    pub id: i64,
    pub application_id: i64,
    pub program_code: String,
    pub program_title: crate::dto::Bilingual,
    pub company_name: String,
    pub company_credit_code: String,
    pub project_title: String,
    pub specialty: String,
    pub status: AssignmentStatus,
    pub drawn_at: chrono::DateTime<chrono::Utc>,
    /// Whether the expert has submitted their score sheet.
    pub scored: bool,
    /// The rubric to score, once confirmed.
    pub rubric: Vec<RubricItem>,
    /// Whether the expert may still act on it (the stage and round are still those it was
    /// drawn for).
    pub open: bool,
}

/// `POST /api/v1/expert-assignments/{id}/declaration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    pub conflict: bool,
    /// Required with a conflict: what ties the expert to the applicant.
    #[serde(default)]
    pub reason: Option<String>,
}

/// `PUT /api/v1/expert-assignments/{id}/scores`: one line per criterion of the rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScoreSheet {
    pub scores: Vec<CriterionScore>,
}

/// An application's panel as its agency sees it (`GET /api/v1/applications/{id}/experts`):
/// who was drawn, declared and scored, each sheet, and the result. Never shown to the applicant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PanelView {
    pub round: u32,
    pub completion: String,
    pub complete: bool,
    /// The mean of the weighted totals (thousandths of a point), once complete.
    pub result_milli: Option<i64>,
    pub max_total: u32,
    pub members: Vec<PanelMember>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PanelMember {
    pub assignment_id: i64,
    pub expert_name: String,
    pub specialty: String,
    pub status: AssignmentStatus,
    pub recusal_reason: Option<String>,
    pub total: Option<u32>,
    pub scores: Vec<CriterionScore>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::Bilingual;

    fn item(code: &str, max: u32, weight: u32) -> RubricItem {
        RubricItem { code: code.into(), name: Bilingual { zh: code.into(), en: code.into() }, max_score: max, weight }
    }

    #[test]
    fn completion_rules() {
        for (text, rule) in [("all", Completion::All), ("any", Completion::Any), ("2/3", Completion::Ratio(2, 3))] {
            assert_eq!(Completion::try_from(text.to_string()), Ok(rule));
            assert_eq!(String::from(rule), text);
        }
        for bad in ["", "most", "0/3", "4/3", "2/0", "a/b"] {
            assert!(Completion::try_from(bad.to_string()).is_err(), "{bad}");
        }
        // 2/3 of 5 assigned: 4 (10/3 rounded up), not 3.
        assert!(!Completion::Ratio(2, 3).met(3, 5));
        assert!(Completion::Ratio(2, 3).met(4, 5));
        assert!(Completion::Ratio(2, 3).met(2, 3));
        assert!(!Completion::All.met(4, 5) && Completion::All.met(5, 5));
        assert!(Completion::Any.met(1, 5) && !Completion::Any.met(0, 5));
        assert!(!Completion::All.met(0, 0), "nobody assigned is not complete");
    }

    #[test]
    fn ties_that_keep_an_expert_out() {
        let today = NaiveDate::from_ymd_opt(2026, 10, 10).unwrap();
        let applicant = "91310115MA1K3YJ12X";
        let mut e = ExpertTies { employer_credit_code: "91310000132200821H".into(), ..ExpertTies::default() };
        assert_eq!(tie(&e, applicant, &[], today), None);
        assert_eq!(tie(&e, applicant, &["91310000132200821h".into()], today), Some(Tie::ExcludedByApplicant));
        e.past_employers.push(PastEmployer { credit_code: applicant.into(), until: NaiveDate::from_ymd_opt(2023, 10, 10).unwrap() });
        assert_eq!(tie(&e, applicant, &[], today), Some(Tie::RecentEmployer), "three years ago to the day still counts");
        e.past_employers[0].until = NaiveDate::from_ymd_opt(2023, 10, 9).unwrap();
        assert_eq!(tie(&e, applicant, &[], today), None);
        e.related_parties.push(applicant.into());
        assert_eq!(tie(&e, applicant, &[], today), Some(Tie::RelatedParty));
        e.employer_credit_code = applicant.into();
        assert_eq!(tie(&e, applicant, &[], today), Some(Tie::Employer));
    }

    #[test]
    fn the_panel_result_is_the_mean_without_the_extremes() {
        let rubric = [item("innovation", 40, 2), item("market", 30, 1), item("capability", 30, 1)];
        assert_eq!(max_total(&rubric), 140);
        assert_eq!(weighted_total(&rubric, &[("innovation".into(), 30), ("market".into(), 20), ("capability".into(), 25)]), 105);
        assert_eq!(panel_result_milli(&[80, 90, 100], true), Some(90_000), "fewer than five: all count");
        assert_eq!(panel_result_milli(&[10, 80, 90, 100, 140], true), Some(90_000), "five: highest and lowest dropped");
        assert_eq!(panel_result_milli(&[10, 80, 90, 100, 140], false), Some(84_000));
        assert_eq!(panel_result_milli(&[1, 2], false), Some(1_500));
        assert_eq!(panel_result_milli(&[1, 1, 2], false), Some(1_333));
        assert_eq!(panel_result_milli(&[], true), None);
    }

    #[test]
    fn a_score_sheet_covers_the_rubric() {
        let rubric = [item("innovation", 40, 1), item("market", 30, 1)];
        let good = vec![CriterionScore { code: "innovation".into(), score: 40, comment: "好".into() }, CriterionScore { code: "market".into(), score: 0, comment: "一般".into() }];
        assert!(sheet_problems(&rubric, &good).is_empty());
        let bad = vec![
            CriterionScore { code: "innovation".into(), score: 41, comment: " ".into() },
            CriterionScore { code: "innovation".into(), score: 1, comment: "x".into() },
            CriterionScore { code: "nope".into(), score: 1, comment: "x".into() },
        ];
        let problems = sheet_problems(&rubric, &bad);
        for want in [("scores.0.score", "out_of_range"), ("scores.0.comment", "required"), ("scores.1.code", "duplicate"), ("scores.2.code", "invalid"), ("scores.market", "required")] {
            assert!(problems.contains(&(want.0.to_string(), want.1)), "{want:?} in {problems:?}");
        }
    }
}
