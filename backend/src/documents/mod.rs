//! Documents the portal issues as PDF (printpdf, with an embedded CJK font that each document
//! carries only the glyphs of): the application form (申报书) so far.

pub mod application_form;

use chinese_number::{ChineseCase, ChineseCountMethod, ChineseVariant, NumberToChinese};

/// An amount in fen as written on Chinese financial documents (金额大写): `300000000` fen is
/// 叁佰万元整, `12345` fen is 壹佰贰拾叁元肆角伍分.
pub fn amount_in_words(fen: i64) -> String {
    let fen = fen.max(0);
    let (yuan, jiao, f) = (fen / 100, (fen / 10) % 10, fen % 10);
    let digit = |d: i64| (d as u8).to_chinese(ChineseVariant::Simple, ChineseCase::Upper, ChineseCountMethod::TenThousand).unwrap_or_default();
    let mut out = String::new();
    if yuan > 0 {
        out.push_str(&yuan.to_chinese(ChineseVariant::Simple, ChineseCase::Upper, ChineseCountMethod::TenThousand).unwrap_or_default());
        out.push('元');
    }
    match (jiao, f) {
        (0, 0) => {
            if yuan == 0 {
                out.push_str("零元");
            }
            out.push('整');
        }
        (0, f) => {
            if yuan > 0 {
                out.push('零');
            }
            out.push_str(&digit(f));
            out.push('分');
        }
        (j, 0) => {
            out.push_str(&digit(j));
            out.push_str("角整");
        }
        (j, f) => {
            out.push_str(&digit(j));
            out.push('角');
            out.push_str(&digit(f));
            out.push('分');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::amount_in_words;

    #[test]
    fn amounts_read_as_on_a_cheque() {
        assert_eq!(amount_in_words(300_000_000), "叁佰万元整");
        assert_eq!(amount_in_words(12_345), "壹佰贰拾叁元肆角伍分");
        assert_eq!(amount_in_words(10_005), "壹佰元零伍分");
        assert_eq!(amount_in_words(50), "伍角整");
        assert_eq!(amount_in_words(0), "零元整");
        assert_eq!(amount_in_words(3_000_000_000), "叁仟万元整");
    }
}
