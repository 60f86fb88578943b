//! Open data: the approved awards (company, credit code, program, project title, amount,
//! approval date) as CSV and JSON, public, with a stable schema (`schema_version` 1): fields
//! are only ever added, never renamed or removed. An award revoked for fraud is no longer
//! listed; one approved, being paid or closed is.

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;
use shared::applications::ApplicationState;
use utoipa::ToSchema;

use crate::db::schema::{applications, awards, enterprises, programs};
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;

/// The schema's version: a client checks it once; it changes only if a field ever had to.
pub const SCHEMA_VERSION: u32 = 1;

/// One approved award, as published.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpenAward {
    /// The recipient's registered name (Chinese).
    pub company_name: String,
    /// Its unified social credit code (18 characters).
    pub credit_code: String,
    pub program_code: String,
    pub program_title_zh: String,
    pub program_title_en: String,
    pub project_title: String,
    /// The amount approved, in fen (1/100 yuan), an integer.
    pub amount_fen: i64,
    /// The day it was approved (ISO 8601, Beijing).
    pub approved_on: NaiveDate,
}

/// `awards.json`: the schema version and the awards, oldest approval first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpenAwards {
    pub schema_version: u32,
    pub awards: Vec<OpenAward>,
}

/// Every approved award not revoked, oldest approval first.
pub fn approved(conn: &mut DbConn) -> Result<Vec<OpenAward>, AppError> {
    let live = [ApplicationState::Approved.code(), ApplicationState::Disbursement.code(), ApplicationState::Closed.code()];
    type Row = (String, String, String, String, String, String, i64, NaiveDate);
    let rows: Vec<Row> = awards::table
        .inner_join(applications::table.inner_join(enterprises::table).inner_join(programs::table))
        .filter(applications::state.eq_any(live))
        .order((awards::approved_on, awards::application_id))
        .select((enterprises::name_zh, enterprises::credit_code, programs::code, programs::title_zh, programs::title_en, applications::title, awards::amount_fen, awards::approved_on))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(company_name, credit_code, program_code, program_title_zh, program_title_en, project_title, amount_fen, approved_on)| OpenAward {
            company_name,
            credit_code,
            program_code,
            program_title_zh,
            program_title_en,
            project_title,
            amount_fen,
            approved_on,
        })
        .collect())
}

/// The CSV: UTF-8 with a byte-order mark (so spreadsheet programs read the Chinese), a header
/// row of the JSON's field names, one row per award. A text that a spreadsheet would run as a
/// formula gets a leading apostrophe (`registry::export::neutralise_cell`).
pub fn csv(awards: &[OpenAward]) -> Result<Vec<u8>, AppError> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let internal = |e: csv::Error| AppError::Internal(e.into());
    w.write_record(["company_name", "credit_code", "program_code", "program_title_zh", "program_title_en", "project_title", "amount_fen", "approved_on"]).map_err(internal)?;
    for a in awards {
        let text = |v: &str| crate::registry::export::neutralise_cell(v).into_owned();
        w.write_record([
            &text(&a.company_name),
            &text(&a.credit_code),
            &text(&a.program_code),
            &text(&a.program_title_zh),
            &text(&a.program_title_en),
            &text(&a.project_title),
            &a.amount_fen.to_string(),
            &a.approved_on.to_string(),
        ])
        .map_err(internal)?;
    }
    w.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))
}

/// The approved awards as CSV (schema version 1; columns `company_name`, `credit_code`,
/// `program_code`, `program_title_zh`, `program_title_en`, `project_title`, `amount_fen`,
/// `approved_on`). Public.
#[utoipa::path(get, path = "/api/v1/open-data/awards.csv", tag = "open data",
    responses((status = 200, description = "The approved awards, one row each (UTF-8 with a byte-order mark)", content((String = "text/csv")))))]
#[get("/open-data/awards.csv")]
pub async fn get_awards_csv(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let rows = state.db.run(approved).await?;
    let body = csv(&rows)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"uhd-awards.csv\""))
        .insert_header(("X-Schema-Version", SCHEMA_VERSION.to_string()))
        .body(body))
}

/// The approved awards as JSON, with the schema's version. Public.
#[utoipa::path(get, path = "/api/v1/open-data/awards.json", tag = "open data",
    responses((status = 200, body = OpenAwards, description = "The approved awards")))]
#[get("/open-data/awards.json")]
pub async fn get_awards_json(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let awards = state.db.run(approved).await?;
    Ok(HttpResponse::Ok().insert_header(("X-Schema-Version", SCHEMA_VERSION.to_string())).json(OpenAwards { schema_version: SCHEMA_VERSION, awards }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_has_the_json_fields_and_runs_no_formula() {
        let award = OpenAward {
            company_name: "=HYPERLINK(\"x\")".into(),
            credit_code: "91310115000006031A".into(),
            program_code: "SH-2026-FIRST-SET".into(),
            program_title_zh: "超高清首台套装备专项".into(),
            program_title_en: "First set".into(),
            project_title: "8K 摄像机".into(),
            amount_fen: 100_000_000,
            approved_on: NaiveDate::from_ymd_opt(2026, 10, 13).unwrap_or_default(),
        };
        let bytes = csv(&[award]).unwrap_or_default();
        let text = String::from_utf8(bytes).unwrap_or_default();
        let mut lines = text.trim_start_matches('\u{feff}').lines();
        assert_eq!(lines.next(), Some("company_name,credit_code,program_code,program_title_zh,program_title_en,project_title,amount_fen,approved_on"));
        assert_eq!(lines.next(), Some("\"'=HYPERLINK(\"\"x\"\")\",91310115000006031A,SH-2026-FIRST-SET,超高清首台套装备专项,First set,8K 摄像机,100000000,2026-10-13"));
    }
}
