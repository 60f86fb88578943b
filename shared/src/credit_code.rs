//! The 18-character unified social credit code (统一社会信用代码, GB 32100-2015).
//! `CreditCode::parse` is the only way to build one, so a value of this type is always valid;
//! the browser form and the server run the same check.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Characters allowed in a credit code; a character's value is its index (no I, O, S, V, Z).
pub const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights 3^(i-1) mod 31 for positions 1-17.
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/// GB 11714 organization-code weights for positions 9-16 of the credit code.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("the credit code is empty")]
    Empty,
    #[error("a credit code has 18 characters, this one has {0}")]
    WrongLength(usize),
    #[error("character {position} ('{found}') is not allowed in a credit code")]
    InvalidCharacter { position: usize, found: char },
    #[error("the embedded organization code's check character is wrong")]
    OrganizationCheck,
    #[error("the check character is wrong")]
    CheckCharacter,
}

impl CreditCodeError {
    /// A stable code the UI translates.
    pub fn code(&self) -> &'static str {
        match self {
            CreditCodeError::Empty => "credit_code_empty",
            CreditCodeError::WrongLength(_) => "credit_code_length",
            CreditCodeError::InvalidCharacter { .. } => "credit_code_character",
            CreditCodeError::OrganizationCheck => "credit_code_org_check",
            CreditCodeError::CheckCharacter => "credit_code_check",
        }
    }
}

/// A valid unified social credit code, normalized (half-width, upper-case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

/// Trim, fold full-width ASCII to half-width and upper-case.
pub fn normalize(input: &str) -> String {
    input
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            other => other,
        })
        .flat_map(char::to_uppercase)
        .collect()
}

fn value_of(c: char) -> Option<u32> {
    ALPHABET.find(c).map(|i| i as u32)
}

/// The check character (position 18) for the first 17 characters, or `None` if one is invalid.
pub fn check_character(first17: &str) -> Option<char> {
    let mut sum = 0u32;
    let mut count = 0;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += value_of(c)? * w;
        count += 1;
    }
    if count != 17 {
        return None;
    }
    let idx = (31 - sum % 31) % 31;
    ALPHABET.chars().nth(idx as usize)
}

/// The GB 11714 check character for an 8-character organization-code body.
pub fn organization_check(body8: &str) -> Option<char> {
    let mut sum = 0u32;
    let mut count = 0;
    for (c, w) in body8.chars().zip(ORG_WEIGHTS) {
        let v = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'A'..='Z' => c as u32 - 'A' as u32 + 10,
            _ => return None,
        };
        sum += v * w;
        count += 1;
    }
    if count != 8 {
        return None;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10)?,
    })
}

impl CreditCode {
    pub fn parse(input: &str) -> Result<CreditCode, CreditCodeError> {
        let code = normalize(input);
        if code.is_empty() {
            return Err(CreditCodeError::Empty);
        }
        let chars: Vec<char> = code.chars().collect();
        if chars.len() != 18 {
            return Err(CreditCodeError::WrongLength(chars.len()));
        }
        if let Some((i, &c)) = chars.iter().enumerate().find(|(_, c)| value_of(**c).is_none()) {
            return Err(CreditCodeError::InvalidCharacter { position: i + 1, found: c });
        }
        let body: String = chars[8..16].iter().collect();
        if organization_check(&body) != Some(chars[16]) {
            return Err(CreditCodeError::OrganizationCheck);
        }
        let first17: String = chars[..17].iter().collect();
        if check_character(&first17) != Some(chars[17]) {
            return Err(CreditCodeError::CheckCharacter);
        }
        Ok(CreditCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Positions 3-8: the administrative division code (e.g. 310115 for Pudong).
    pub fn division(&self) -> &str {
        &self.0[2..8]
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CreditCode::parse(&value)
    }
}

impl From<CreditCode> for String {
    fn from(value: CreditCode) -> Self {
        value.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_worked_example() {
        let code = CreditCode::parse("91110108551385082Q").expect("valid");
        assert_eq!(code.as_str(), "91110108551385082Q");
        assert_eq!(code.division(), "110108");
    }

    #[test]
    fn normalizes_full_width_lower_case_and_spaces() {
        let code = CreditCode::parse("  ９１１１０１０８５５１３８５０８２ｑ\u{3000}").expect("valid");
        assert_eq!(code.as_str(), "91110108551385082Q");
        assert!(CreditCode::parse("91110108551385082q").is_ok());
    }

    #[test]
    fn rejects_bad_codes() {
        assert_eq!(CreditCode::parse(""), Err(CreditCodeError::Empty));
        assert_eq!(CreditCode::parse("9111010855138508"), Err(CreditCodeError::WrongLength(16)));
        assert_eq!(
            CreditCode::parse("91110108551385082I"),
            Err(CreditCodeError::InvalidCharacter { position: 18, found: 'I' })
        );
        assert_eq!(CreditCode::parse("91110108551385083Q"), Err(CreditCodeError::OrganizationCheck));
        assert_eq!(CreditCode::parse("91110108551385082R"), Err(CreditCodeError::CheckCharacter));
    }

    #[test]
    fn check_character_matches_the_worked_example() {
        assert_eq!(check_character("91110108551385082"), Some('Q'));
        assert_eq!(organization_check("55138508"), Some('2'));
        assert_eq!(check_character("9111"), None);
    }

    #[test]
    fn serde_round_trip_validates() {
        let ok: Result<CreditCode, _> = serde_json::from_str("\"91110108551385082Q\"");
        assert!(ok.is_ok());
        let bad: Result<CreditCode, _> = serde_json::from_str("\"91110108551385082R\"");
        assert!(bad.is_err());
    }
}
