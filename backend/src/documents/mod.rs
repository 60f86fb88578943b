//! Documents the portal issues as PDF (printpdf, with an embedded CJK font that each document
//! carries only the glyphs of, laid out by `layout`): the application form (申报书), the public
//! notice of proposed awards (公示) and the approval notice (立项通知).

pub mod application_form;
pub mod layout;
pub mod notices;

use chinese_number::{ChineseCase, ChineseCountMethod, ChineseVariant, NumberToChinese};

/// Answer `bytes`, a document of kind `kind` (`application_form` or `approval_notice`) issued
/// for application `id` to `identity`, as a PDF download named `file_name`: each issue is first
/// recorded with its SHA-256 (which `/verify/<code>` lists) and an audit record `event`.
pub async fn issue(state: &crate::state::AppState, req: &actix_web::HttpRequest, user: i64, id: i64, kind: &'static str, event: &'static str, file_name: String, bytes: Vec<u8>) -> Result<actix_web::HttpResponse, crate::error::AppError> {
    use crate::accounts::audit::{record, Event, RequestMeta};
    use crate::db::schema::application_forms;
    use diesel::prelude::*;
    use sha2::Digest;
    let sha = hex::encode(sha2::Sha256::digest(&bytes));
    let meta = RequestMeta::from_request(req);
    state
        .db
        .write_bookkeeping(move |conn| {
            diesel::insert_into(application_forms::table)
                .values((
                    application_forms::application_id.eq(id),
                    application_forms::kind.eq(kind),
                    application_forms::sha256.eq(&sha),
                    application_forms::issued_at.eq(crate::db::now()),
                    application_forms::issued_to.eq(user),
                ))
                .execute(conn)?;
            record(conn, &meta, Event::new(event).actor(user).object("application", id).detail(serde_json::json!({ "sha256": sha })))?;
            Ok(())
        })
        .await?;
    Ok(actix_web::HttpResponse::Ok()
        .insert_header((actix_web::http::header::CONTENT_TYPE, "application/pdf"))
        .insert_header((actix_web::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

/// An amount in fen in yuan, as documents print it ("1000000 元").
pub fn yuan(fen: i64) -> String {
    format!("{} 元", shared::Fen(fen).in_units(1))
}

/// A UTC time as Beijing time, as documents print it.
pub fn beijing(t: chrono::NaiveDateTime) -> String {
    (t + chrono::Duration::hours(8)).format("%Y-%m-%d %H:%M").to_string() + "（北京时间）"
}

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
