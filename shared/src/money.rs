//! Money is stored and computed as integer fen (1 yuan = 100 fen); never floating point.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of money in fen (分).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Fen(pub i64);

impl Fen {
    pub const ZERO: Fen = Fen(0);

    pub fn from_yuan(yuan: i64) -> Fen {
        Fen(yuan.saturating_mul(100))
    }

    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).map(Fen)
    }

    pub fn checked_sub(self, other: Fen) -> Option<Fen> {
        self.0.checked_sub(other.0).map(Fen)
    }

    /// Parse yuan as people type it: `1500000`, `1,500,000.5`, `１２３.４５` (at most two
    /// decimals, not negative). `None` when it is not such an amount.
    pub fn parse_yuan(input: &str) -> Option<Fen> {
        let cleaned: String = input
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - 0xFF10 + 0x30).unwrap_or(c),
                '．' => '.',
                other => other,
            })
            .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
            .collect();
        let (whole, frac) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
        if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || frac.len() > 2 || !frac.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let yuan: i64 = whole.parse().ok()?;
        let fen: i64 = format!("{frac:0<2}").parse().ok()?;
        yuan.checked_mul(100)?.checked_add(fen).map(Fen)
    }

    /// The amount in units of `unit_yuan` yuan (10,000 for 万元, 100,000,000 for 亿元,
    /// 1,000,000 for "million"), rounded half up to two decimals, trailing zeros dropped:
    /// `Fen::from_yuan(12_345_678).in_units(10_000)` is `1234.57`. Integer arithmetic only.
    pub fn in_units(self, unit_yuan: i64) -> String {
        let unit_fen = (unit_yuan as i128) * 100;
        let hundredths = ((self.0 as i128).abs() * 100 + unit_fen / 2) / unit_fen;
        let sign = if self.0 < 0 && hundredths > 0 { "-" } else { "" };
        let (whole, frac) = (hundredths / 100, hundredths % 100);
        let text = format!("{whole}.{frac:02}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        format!("{sign}{text}")
    }

    /// Grouped yuan with two decimals, e.g. `1,500,000.00`.
    pub fn format_yuan(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (yuan, fen) = (abs / 100, abs % 100);
        let digits = yuan.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        format!("{sign}{grouped}.{fen:02}")
    }
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_yuan())
    }
}

#[cfg(test)]
mod units_tests {
    use super::Fen;

    #[test]
    fn large_amounts_read_in_wan_and_yi() {
        assert_eq!(Fen::from_yuan(12_345_678).in_units(10_000), "1234.57");
        assert_eq!(Fen::from_yuan(300_000_000).in_units(100_000_000), "3");
        assert_eq!(Fen::from_yuan(150_000_000).in_units(100_000_000), "1.5");
        assert_eq!(Fen(1_234_500).in_units(10_000), "1.23");
        assert_eq!(Fen(1_235_000).in_units(10_000), "1.24");
        assert_eq!(Fen::from_yuan(-50_000).in_units(10_000), "-5");
        assert_eq!(Fen(i64::MAX).in_units(100_000_000), "922337203.69");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_yuan_as_typed() {
        assert_eq!(Fen::parse_yuan("1,500,000"), Some(Fen(150_000_000)));
        assert_eq!(Fen::parse_yuan(" 12.5 "), Some(Fen(1250)));
        assert_eq!(Fen::parse_yuan("１２３．４５"), Some(Fen(12345)));
        assert_eq!(Fen::parse_yuan("-1"), None);
        assert_eq!(Fen::parse_yuan("1.234"), None);
        assert_eq!(Fen::parse_yuan("abc"), None);
        assert_eq!(Fen::parse_yuan(""), None);
    }

    #[test]
    fn formats_grouped_yuan() {
        assert_eq!(Fen(0).format_yuan(), "0.00");
        assert_eq!(Fen(5).format_yuan(), "0.05");
        assert_eq!(Fen::from_yuan(5_000_000).format_yuan(), "5,000,000.00");
        assert_eq!(Fen(-123_456).format_yuan(), "-1,234.56");
        assert_eq!(Fen(99_999_999).format_yuan(), "999,999.99");
    }

    #[test]
    fn checked_arithmetic() {
        assert_eq!(Fen(1).checked_add(Fen(2)), Some(Fen(3)));
        assert_eq!(Fen(i64::MAX).checked_add(Fen(1)), None);
        assert_eq!(Fen(1).checked_sub(Fen(3)), Some(Fen(-2)));
    }
}
