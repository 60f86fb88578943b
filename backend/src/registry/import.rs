//! Bulk tenant import from the Excel template. Every row is checked (credit code, required
//! fields, known segment, dates, numbers, duplicates, open tenancies); if any row is wrong,
//! nothing is imported and a row-by-row report is kept for download. Otherwise all rows go in
//! one transaction.

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use calamine::{Data, Reader, Xlsx};
use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use rust_xlsxwriter::{Format, Workbook};
use serde::{Deserialize, Serialize};
use shared::registry::TenancyStatus;
use shared::{CreditCode, Fen};
use utoipa::ToSchema;

use crate::accounts::audit::{self, Event, RequestMeta};
use crate::accounts::identity::Identity;
use crate::scope::BaseScope;
use crate::accounts::now;
use crate::db::schema::{enterprise_segments, enterprises, import_reports, segments, tenancies, tenancy_events, tenancy_invitations, user_roles};
use crate::db::DbConn;
use crate::error::{AppError, ErrorEnvelope};
use crate::state::AppState;

/// The template's columns; `*` marks required ones.
pub const COLUMNS: [&str; 11] = [
    "统一社会信用代码*",
    "企业名称*",
    "法定代表人",
    "注册地址",
    "所在区",
    "注册资本（元）",
    "成立日期",
    "员工人数",
    "产业链环节*",
    "入驻状态",
    "入驻日期",
];

/// Largest file accepted (a base's tenants fit easily).
pub const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;
/// Rows accepted in one import.
pub const MAX_IMPORT_ROWS: usize = 20_000;

/// One problem in one row of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RowError {
    /// The spreadsheet row number (the header is row 1).
    pub row: usize,
    pub column: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportRejected {
    #[serde(flatten)]
    pub envelope: ErrorEnvelope,
    /// Download the report at `/api/v1/imports/{report_id}/report.csv` (absent when the file
    /// itself could not be read: then `fields.file` says why).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowError>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Imported {
    /// Tenancies created (for companies the import registered).
    pub imported: usize,
    pub new_companies: usize,
    /// Companies already registered with the portal: invited to join, not made tenants (the
    /// base sees them once they accept).
    #[serde(default)]
    pub invited: usize,
}

/// The template: the header row, one example row, and a sheet listing the segments.
pub fn template(conn: &mut DbConn) -> anyhow::Result<Vec<u8>> {
    let segs: Vec<(String, String)> = segments::table.select((segments::code, segments::name_zh)).order(segments::sort_order).load(conn)?;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("入驻企业")?;
    let bold = Format::new().set_bold();
    for (c, h) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        sheet.set_column_width(c as u16, if c < 2 { 28 } else { 16 })?;
    }
    let example = ["91110108551385082Q", "示例超高清科技有限公司", "张伟", "上海市浦东新区金桥路 1 号", "浦东新区", "10000000", "2015-03-01", "120", "采集与制作设备", "已入驻", "2024-01-15"];
    for (c, v) in example.iter().enumerate() {
        sheet.write_string(1, c as u16, *v)?;
    }
    let help = book.add_worksheet();
    help.set_name("说明")?;
    help.write_string_with_format(0, 0, "产业链环节（填名称或代码）", &bold)?;
    help.write_string_with_format(0, 1, "代码", &bold)?;
    for (i, (code, zh)) in segs.iter().enumerate() {
        help.write_string(i as u32 + 1, 0, zh)?;
        help.write_string(i as u32 + 1, 1, code)?;
    }
    help.write_string(segs.len() as u32 + 2, 0, "入驻状态：已入驻 或 已申请（空白为已入驻）；日期格式 2024-01-15；删除示例行后再导入。")?;
    help.set_column_width(0, 40)?;
    Ok(book.save_to_buffer()?)
}

fn excel_date(serial: f64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(1899, 12, 30).map(|d| d + Duration::days(serial.trunc() as i64))
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_date(d.as_f64()).map(|d| d.to_string()).unwrap_or_default(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.chars().take(10).collect(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// The most the files inside an .xlsx (a zip archive) may add up to once uncompressed.
pub const MAX_UNCOMPRESSED_BYTES: u64 = 100 * 1024 * 1024;
/// Columns a sheet may use (the template has 11).
pub const MAX_IMPORT_COLUMNS: u32 = 50;

fn too_big(message: &'static str) -> AppError {
    AppError::field("file", "file_too_complex", message)
}

/// Refuse an archive that would unpack to more than [`MAX_UNCOMPRESSED_BYTES`], from its
/// directory alone (nothing is decompressed here).
fn check_archive(bytes: &[u8]) -> Result<(), AppError> {
    let unreadable = || AppError::field("file", "unreadable_file", "This is not an .xlsx file made from the template.");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
    if archive.len() > 1000 {
        return Err(too_big("The file has too many parts to be a tenant list."));
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|_| unreadable())?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_UNCOMPRESSED_BYTES {
        return Err(too_big("The file unpacks to more than 100 MB: it cannot be a tenant list."));
    }
    Ok(())
}

/// The first sheet's rows after the header, as text. Checked before anything is loaded: the
/// archive's uncompressed size, then the sheet's declared dimensions; cells are then read one
/// at a time, and a cell beyond the allowed rows or columns stops the read (a few bytes can
/// declare a cell at XFD1048576, which a dense range would allocate in full).
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    let unreadable = || AppError::field("file", "unreadable_file", "This is not an .xlsx file made from the template.");
    let too_many_rows = || AppError::field("file", "too_many_rows", "At most 20,000 rows per import.");
    check_archive(bytes)?;
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
    let first = book.sheet_names().first().cloned().ok_or_else(unreadable)?;
    let mut cells = book.worksheet_cells_reader(&first).map_err(|_| unreadable())?;
    let dims = cells.dimensions();
    let max_row = MAX_IMPORT_ROWS as u32 + 1;
    if dims.end.1 >= MAX_IMPORT_COLUMNS {
        return Err(too_big("The sheet declares more columns than the template has; use the template."));
    }
    if dims.end.0 > max_row {
        return Err(too_many_rows());
    }
    let mut grid: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(|_| unreadable())? {
        let (row, col) = cell.get_position();
        if col >= MAX_IMPORT_COLUMNS {
            return Err(too_big("The sheet uses more columns than the template has; use the template."));
        }
        if row > max_row {
            return Err(too_many_rows());
        }
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        let (row, col) = (row as usize, col as usize);
        if grid.len() <= row {
            grid.resize_with(row + 1, Vec::new);
        }
        if grid[row].len() <= col {
            grid[row].resize(col + 1, String::new());
        }
        grid[row][col] = text;
    }
    let mut rows = grid.into_iter();
    let header: Vec<String> = rows.next().unwrap_or_default();
    if header.first().map(|h| h.trim_end_matches('*')) != Some("统一社会信用代码") {
        return Err(AppError::field("file", "wrong_template", "The first column must be 统一社会信用代码: use the template."));
    }
    let out: Vec<Vec<String>> = rows.filter(|r| r.iter().any(|c| !c.is_empty())).collect();
    if out.is_empty() {
        return Err(AppError::field("file", "empty_file", "The file has no rows to import."));
    }
    if out.len() > MAX_IMPORT_ROWS {
        return Err(too_many_rows());
    }
    Ok(out)
}

/// One checked row, ready to insert.
struct Checked {
    code: CreditCode,
    name: String,
    legal: Option<String>,
    address: Option<String>,
    district: Option<String>,
    capital: Option<Fen>,
    founded: Option<NaiveDate>,
    employees: Option<i32>,
    segment_id: i64,
    status: TenancyStatus,
    admitted_on: Option<NaiveDate>,
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(s, "%Y/%m/%d")).ok()
}

fn check_rows(conn: &mut DbConn, base_id: i64, rows: &[Vec<String>]) -> QueryResult<(Vec<Checked>, Vec<RowError>)> {
    let segs: Vec<(i64, String, String)> = segments::table.select((segments::id, segments::code, segments::name_zh)).load(conn)?;
    let today = crate::clock::beijing_date(crate::db::now());
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let row = i + 2;
        let cell = |c: usize| r.get(c).map(|s| s.trim().to_string()).unwrap_or_default();
        let mut row_errors: Vec<RowError> = Vec::new();
        let mut err = |c: usize, code: &str, message: &str| {
            debug_assert!(shared::errors::is_known(code), "import row code {code:?} is not in shared::errors::ErrorCode");
            row_errors.push(RowError { row, column: COLUMNS[c].trim_end_matches('*').to_string(), code: code.into(), message: message.into() })
        };
        let code = match CreditCode::parse(&cell(0)) {
            Ok(code) => Some(code),
            Err(e) => {
                err(0, e.code(), &e.to_string());
                None
            }
        };
        if let Some(code) = &code {
            if seen.contains(&code.as_str().to_string()) {
                err(0, "duplicate", "This credit code appears twice in the file.");
            }
            seen.push(code.as_str().to_string());
        }
        let name = cell(1);
        if name.is_empty() {
            err(1, "required", "Required.");
        } else if name.chars().count() > 200 {
            err(1, "too_long", "At most 200 characters.");
        }
        let opt = |s: String| Some(s).filter(|s| !s.is_empty());
        let capital = match cell(5) {
            s if s.is_empty() => None,
            s => match Fen::parse_yuan(&s) {
                Some(f) => Some(f),
                None => {
                    err(5, "invalid_amount", "Enter an amount in yuan.");
                    None
                }
            },
        };
        let founded = match cell(6) {
            s if s.is_empty() => None,
            s => match parse_date(&s) {
                Some(d) if d <= today => Some(d),
                Some(_) => {
                    err(6, "in_future", "The date cannot be after today.");
                    None
                }
                None => {
                    err(6, "invalid_date", "Use a date like 2015-03-01.");
                    None
                }
            },
        };
        let employees = match cell(7) {
            s if s.is_empty() => None,
            s => match s.parse::<i32>() {
                Ok(n) if n >= 0 => Some(n),
                _ => {
                    err(7, "out_of_range", "A whole number, 0 or more.");
                    None
                }
            },
        };
        let seg_text = cell(8);
        let segment_id = segs.iter().find(|(_, code, zh)| *code == seg_text || *zh == seg_text).map(|s| s.0);
        if seg_text.is_empty() {
            err(8, "required", "Required.");
        } else if segment_id.is_none() {
            err(8, "unknown_segment", "Unknown segment: see the 说明 sheet.");
        }
        let status = match cell(9).as_str() {
            "" | "已入驻" | "admitted" => TenancyStatus::Admitted,
            "已申请" | "applied" => TenancyStatus::Applied,
            _ => {
                err(9, "not_allowed", "已入驻 or 已申请.");
                TenancyStatus::Admitted
            }
        };
        let admitted_on = match cell(10) {
            s if s.is_empty() => None,
            s => match parse_date(&s) {
                Some(d) => Some(d),
                None => {
                    err(10, "invalid_date", "Use a date like 2024-01-15.");
                    None
                }
            },
        };
        if let Some(code) = &code {
            let open: i64 = tenancies::table
                .inner_join(enterprises::table)
                .filter(enterprises::credit_code.eq(code.as_str()))
                .filter(tenancies::base_id.eq(base_id))
                .filter(tenancies::status.eq_any([0, 1, 2]))
                .count()
                .get_result(conn)?;
            if open > 0 {
                err(0, "tenancy_open", "This company already applied to or is a tenant of this base.");
            }
            let invited: i64 = tenancy_invitations::table
                .inner_join(enterprises::table)
                .filter(enterprises::credit_code.eq(code.as_str()))
                .filter(tenancy_invitations::base_id.eq(base_id))
                .filter(tenancy_invitations::response.is_null())
                .count()
                .get_result(conn)?;
            if invited > 0 {
                err(0, "invitation_open", "This company has been invited to this base and has not answered yet.");
            }
        }
        if row_errors.is_empty() {
            if let (Some(code), Some(segment_id)) = (code, segment_id) {
                ok.push(Checked {
                    code,
                    name,
                    legal: opt(cell(2)),
                    address: opt(cell(3)),
                    district: opt(cell(4)),
                    capital,
                    founded,
                    employees,
                    segment_id,
                    status,
                    admitted_on,
                });
            }
        }
        errors.extend(row_errors);
    }
    Ok((ok, errors))
}

pub enum Outcome {
    Imported(Imported),
    Rejected { report_id: i64, rows: Vec<RowError> },
}

/// Check every row; import all of them in one transaction, or none and keep a report.
pub fn import(conn: &mut DbConn, state: &AppState, meta: &RequestMeta, scope: &BaseScope, rows: &[Vec<String>]) -> Result<Outcome, AppError> {
    let (base_id, user_id) = (scope.base_id(), scope.user_id());
    // Inside the caller's write transaction (`Db::write`): all rows, or none and the report.
    // One import per base at a time: a second one, sent at the same moment, waits and then
    // checks its rows against what the first imported (on SQLite the write lock does this).
    super::lock_base(conn, base_id)?;
    {
        let (checked, errors) = check_rows(conn, base_id, rows)?;
        if !errors.is_empty() {
            // Nothing is imported: this transaction only stores the report.
            let report_id: i64 = diesel::insert_into(import_reports::table)
                .values((
                    import_reports::base_id.eq(base_id),
                    import_reports::user_id.eq(user_id),
                    import_reports::created_at.eq(now()),
                    import_reports::rows_json.eq(serde_json::to_string(&errors).map_err(anyhow::Error::from)?),
                ))
                .returning(import_reports::id)
                .get_result(conn)?;
            return Ok(Outcome::Rejected { report_id, rows: errors });
        }
        let t = now();
        let (mut imported, mut new_companies, mut invited) = (0, 0, 0);
        for c in &checked {
            let existing: Option<i64> = enterprises::table.filter(enterprises::credit_code.eq(c.code.as_str())).select(enterprises::id).first(conn).optional()?;
            let has_account = match existing {
                Some(id) => user_roles::table.filter(user_roles::enterprise_id.eq(id)).count().get_result::<i64>(conn)? > 0,
                None => false,
            };
            let enterprise_id = match existing {
                // A company with its own account decides for itself whether to join.
                Some(id) if has_account => {
                    if super::invitations::invite(conn, state, base_id, id, c.segment_id, user_id)? {
                        invited += 1;
                    }
                    continue;
                }
                // One that another import listed (no account yet) is listed here too.
                Some(id) => id,
                None => {
                    new_companies += 1;
                    let id: i64 = diesel::insert_into(enterprises::table)
                        .values((
                            enterprises::credit_code.eq(c.code.as_str()),
                            enterprises::name_zh.eq(&c.name),
                            enterprises::division_code.eq(c.code.division()),
                            enterprises::legal_representative.eq(&c.legal),
                            enterprises::address.eq(&c.address),
                            enterprises::district.eq(&c.district),
                            enterprises::registered_capital_fen.eq(c.capital.map(|f| f.0)),
                            enterprises::founded_on.eq(c.founded),
                            enterprises::employees.eq(c.employees),
                            enterprises::created_at.eq(t),
                            enterprises::updated_at.eq(t),
                        ))
                        .returning(enterprises::id)
                        .get_result(conn)?;
                    diesel::insert_into(enterprise_segments::table)
                        .values((enterprise_segments::enterprise_id.eq(id), enterprise_segments::segment_id.eq(c.segment_id)))
                        .execute(conn)?;
                    id
                }
            };
            let admitted_at = (c.status == TenancyStatus::Admitted).then(|| c.admitted_on.and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or(t));
            let tenancy_id: i64 = diesel::insert_into(tenancies::table)
                .values((
                    tenancies::enterprise_id.eq(enterprise_id),
                    tenancies::base_id.eq(base_id),
                    tenancies::status.eq(c.status.code()),
                    tenancies::applied_at.eq(admitted_at.unwrap_or(t).min(t)),
                    tenancies::admitted_at.eq(admitted_at),
                    tenancies::segment_id.eq(c.segment_id),
                    tenancies::created_at.eq(t),
                    tenancies::updated_at.eq(t),
                ))
                .returning(tenancies::id)
                .get_result(conn)
                .map_err(super::tenancy::open_tenancy_conflict)?;
            imported += 1;
            diesel::insert_into(tenancy_events::table)
                .values((
                    tenancy_events::tenancy_id.eq(tenancy_id),
                    tenancy_events::occurred_at.eq(t),
                    tenancy_events::user_id.eq(user_id),
                    tenancy_events::to_status.eq(c.status.code()),
                    tenancy_events::reason.eq("导入"),
                ))
                .execute(conn)?;
        }
        audit::record(
            conn,
            meta,
            Event::new("tenants_imported").actor(user_id).detail(serde_json::json!({ "base_id": base_id, "rows": checked.len(), "new_companies": new_companies, "invited": invited })),
        )?;
        Ok(Outcome::Imported(Imported { imported, new_companies, invited }))
    }
}

/// The report of a refused import, as CSV (its author or an admin).
pub fn report_csv(conn: &mut DbConn, identity: &Identity, id: i64) -> Result<Vec<u8>, AppError> {
    let (user_id, json): (i64, String) =
        import_reports::table.filter(import_reports::id.eq(id)).select((import_reports::user_id, import_reports::rows_json)).first(conn).optional()?.ok_or(AppError::NotFound("the report"))?;
    if user_id != identity.user_id && !identity.is_admin() {
        return Err(AppError::NotFound("the report"));
    }
    let rows: Vec<RowError> = serde_json::from_str(&json).map_err(anyhow::Error::from)?;
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(["行号", "列", "问题代码", "说明"]).map_err(anyhow::Error::from)?;
    for r in rows {
        w.write_record([r.row.to_string(), r.column, r.code, r.message]).map_err(anyhow::Error::from)?;
    }
    Ok(w.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))?)
}

/// The report's rows (its author or an admin).
pub fn report_rows(conn: &mut DbConn, identity: &Identity, id: i64) -> Result<Vec<RowError>, AppError> {
    let (user_id, json): (i64, String) =
        import_reports::table.filter(import_reports::id.eq(id)).select((import_reports::user_id, import_reports::rows_json)).first(conn).optional()?.ok_or(AppError::NotFound("the report"))?;
    if user_id != identity.user_id && !identity.is_admin() {
        return Err(AppError::NotFound("the report"));
    }
    Ok(serde_json::from_str(&json).map_err(anyhow::Error::from)?)
}

fn xlsx_response(bytes: Vec<u8>, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
        .body(bytes)
}

/// The import template (.xlsx).
#[utoipa::path(get, path = "/api/v1/tenant-import-template.xlsx", tag = "registry", responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
#[get("/tenant-import-template.xlsx")]
pub async fn get_template(state: web::Data<AppState>, _identity: Identity) -> Result<HttpResponse, AppError> {
    let bytes = state.db.run(|conn| Ok(template(conn)?)).await?;
    Ok(xlsx_response(bytes, "tenant-import-template.xlsx"))
}

/// Run an import from the bytes of an .xlsx file.
pub async fn run(state: &AppState, req: &HttpRequest, scope: &BaseScope, bytes: Vec<u8>) -> Result<Outcome, AppError> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(AppError::field("file", "too_large", "At most 10 MB."));
    }
    // Unpacking and parsing take CPU: off the async workers.
    let rows = web::block(move || read_xlsx(&bytes))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("reading the import: {e}")))??;
    let (meta, scope) = (RequestMeta::from_request(req), scope.clone());
    let st = state.clone();
    let outcome = state.db.write(move |conn| import(conn, &st, &meta, &scope, &rows)).await?;
    Ok(outcome)
}

/// Import tenants from the template: the request body is the .xlsx file. All rows or none.
#[utoipa::path(post, path = "/api/v1/bases/{id}/tenants/import", tag = "registry", params(("id" = i64, Path)),
    request_body(content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (Vec<u8> = "application/octet-stream"))),
    responses((status = 200, body = Imported), (status = 403), (status = 422, description = "import_rejected: nothing imported; see rows and report_id", body = ImportRejected)))]
#[post("/bases/{id}/tenants/import")]
pub async fn post_import(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<i64>, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let scope = BaseScope::of(&identity, path.into_inner())?;
    match run(&state, &req, &scope, body.to_vec()).await? {
        Outcome::Imported(i) => Ok(HttpResponse::Ok().json(i)),
        Outcome::Rejected { report_id, rows } => {
            let e = AppError::Conflict { code: "import_rejected", message: format!("{} problems; nothing was imported.", rows.len()) };
            let mut envelope = e.envelope();
            envelope.error = "import_rejected".into();
            Ok(HttpResponse::build(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY).json(ImportRejected { envelope, report_id: Some(report_id), rows }))
        }
    }
}

/// The row-by-row report of a refused import (CSV).
#[utoipa::path(get, path = "/api/v1/imports/{id}/report.csv", tag = "registry", params(("id" = i64, Path)), responses((status = 200, content_type = "text/csv"), (status = 404)))]
#[get("/imports/{id}/report.csv")]
pub async fn get_report(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let bytes = state.db.run(move |conn| report_csv(conn, &identity, id)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"import-report-{id}.csv\"")))
        .body(bytes))
}
