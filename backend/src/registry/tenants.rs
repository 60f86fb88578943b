//! The park manager's tenant list: search, filter, sort and paginate in the database, within
//! the bases the caller manages (system admins: any base).

use actix_web::{get, web};
use chrono::NaiveDateTime;
use std::collections::HashMap;
use std::sync::Arc;
use diesel::prelude::*;
use serde::Deserialize;
use shared::dto::Page;
use shared::registry::{QualificationKind, TenancyStatus, TenantRow};
use utoipa::IntoParams;

use crate::accounts::identity::Identity;
use crate::scope::BaseScope;

pub use crate::caches::{SegmentCodes, TenantListCaches, TenantTotals, SEGMENT_CODES_TTL, TENANT_TOTALS_TTL};
use crate::db::schema::{enterprise_qualifications, enterprise_segments, periodic_reports, segments, tenancies};
use crate::db::DbConn;
use crate::error::AppError;
use crate::pagination::PageQuery;
use crate::state::AppState;

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, IntoParams)]
pub struct TenantQuery {
    /// Part of the company name, or the start of its credit code.
    pub q: Option<String>,
    /// A chain segment code the company works in.
    pub segment: Option<String>,
    /// A qualification kind the company holds (e.g. `high_tech`).
    pub qualification: Option<String>,
    /// `applied`, `admitted`, `suspended`, `moved_out` or `rejected`.
    pub status: Option<String>,
    /// `filed` or `missing`: whether the company filed its report for `period`.
    pub report: Option<String>,
    /// The report period for `report` (default: the one due now), e.g. `2026-Q3`.
    pub period: Option<String>,
    /// `name` (default), `-name`, `applied` or `-applied`.
    pub sort: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// `%` and `_` typed by a person are literal characters, not wildcards.
fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

type Row = (i64, i64, String, String, i32, Option<i64>, NaiveDateTime);

impl TenantListCaches {
    /// Segment codes by id, covering every id in `ids` that exists.
    fn segment_codes(&self, conn: &mut DbConn, ids: &[i64]) -> QueryResult<Arc<HashMap<i64, String>>> {
        let generation = self.segment_codes.generation();
        if let Some(codes) = self.segment_codes.get(generation, ()) {
            if ids.iter().all(|id| codes.contains_key(id)) {
                return Ok(codes);
            }
        }
        let codes: HashMap<i64, String> = segments::table.select((segments::id, segments::code)).load(conn)?.into_iter().collect();
        let codes = Arc::new(codes);
        self.segment_codes.insert(generation, (), codes.clone());
        Ok(codes)
    }
}

pub fn list_tenants(conn: &mut DbConn, caches: &TenantListCaches, scope: &BaseScope, q: &TenantQuery, due: &str) -> Result<Page<TenantRow>, AppError> {
    let (page, per_page) = PageQuery { page: q.page, per_page: q.per_page }.validate()?;
    let (total, items) = query_tenants(conn, caches, true, scope, q, due, per_page, (page - 1) * per_page)?;
    Ok(Page { items, total, page, per_page })
}

/// The matching rows `offset..offset+limit` and, when `count`, the total count (else 0), in the
/// list's order.
#[allow(clippy::too_many_arguments)]
pub fn query_tenants(
    conn: &mut DbConn,
    caches: &TenantListCaches,
    count: bool,
    scope: &BaseScope,
    q: &TenantQuery,
    due: &str,
    limit: i64,
    offset: i64,
) -> Result<(i64, Vec<TenantRow>), AppError> {
    let base_id = scope.base_id();
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(TenancyStatus::parse(s).ok_or_else(|| AppError::field("status", "not_allowed", "Unknown status."))?),
        None => None,
    };
    let qualification = match q.qualification.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(QualificationKind::parse(s).ok_or_else(|| AppError::field("qualification", "not_allowed", "Unknown qualification."))?),
        None => None,
    };
    let segment_id = match q.segment.as_deref().filter(|s| !s.is_empty()) {
        Some(code) => Some(super::segment_by_code(conn, code)?.ok_or_else(|| AppError::field("segment", "unknown_segment", "Unknown segment."))?.0),
        None => None,
    };
    let report = match q.report.as_deref().filter(|s| !s.is_empty()) {
        Some("filed") => Some(true),
        Some("missing") => Some(false),
        Some(_) => return Err(AppError::field("report", "not_allowed", "report must be filed or missing")),
        None => None,
    };
    let period = match q.period.as_deref().filter(|s| !s.is_empty()) {
        Some(p) => shared::reports::Period::parse(p).ok_or_else(|| AppError::field("period", "invalid_period", "Use 2026-Q3 or 2026."))?.to_string(),
        None => due.to_string(),
    };
    let sort = q.sort.as_deref().unwrap_or("name");
    if !matches!(sort, "name" | "-name" | "applied" | "-applied") {
        return Err(AppError::field("sort", "not_allowed", "sort must be name, -name, applied or -applied"));
    }
    let text = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    // Every filter is on `tenancies` (the company's name and credit code are copied there) or a
    // subquery by id, and every column shown is in the sort indexes, so the count and the page
    // read one index of the base's tenancies and nothing else (on PostgreSQL an index-only scan;
    // no join, which PostgreSQL would plan on every request). The segment codes shown come from
    // `SegmentCodes`.
    let filtered = || {
        let mut query = tenancies::table.filter(tenancies::base_id.eq(base_id)).into_boxed();
        if let Some(s) = status {
            query = query.filter(tenancies::status.eq(s.code()));
        }
        if let Some(t) = &text {
            // Text that could start a credit code also matches codes by prefix.
            let code = shared::credit_code::normalize(t);
            let code_like = code.chars().all(|c| shared::credit_code::ALPHABET.contains(c)) && code.len() >= 2;
            let name = tenancies::enterprise_name.like(format!("%{}%", escape_like(t))).escape('\\');
            query = if code_like {
                query.filter(name.or(tenancies::enterprise_credit_code.like(format!("{code}%"))))
            } else {
                query.filter(name)
            };
        }
        if let Some(sid) = segment_id {
            query = query.filter(
                tenancies::segment_id.eq(sid).or(tenancies::enterprise_id.eq_any(
                    enterprise_segments::table.filter(enterprise_segments::segment_id.eq(sid)).select(enterprise_segments::enterprise_id),
                )),
            );
        }
        if let Some(filed) = report {
            let ids = periodic_reports::table.filter(periodic_reports::period.eq(period.clone())).select(periodic_reports::enterprise_id);
            query = if filed {
                query.filter(tenancies::enterprise_id.eq_any(ids))
            } else {
                query.filter(diesel::dsl::not(tenancies::enterprise_id.eq_any(ids)))
            };
        }
        if let Some(k) = qualification {
            query = query.filter(tenancies::enterprise_id.eq_any(
                enterprise_qualifications::table.filter(enterprise_qualifications::kind.eq(k.as_str())).select(enterprise_qualifications::enterprise_id),
            ));
        }
        query
    };
    let total = if count {
        let key = format!("{base_id}|{status:?}|{text:?}|{segment_id:?}|{qualification:?}|{report:?}|{}", if report.is_some() { period.as_str() } else { "" });
        caches.totals.get_or_try(key, || filtered().count().get_result(conn))?
    } else {
        0
    };
    let ordered = match sort {
        "-name" => filtered().order((tenancies::enterprise_name.desc(), tenancies::id.desc())),
        "applied" => filtered().order((tenancies::applied_at.asc(), tenancies::id.asc())),
        "-applied" => filtered().order((tenancies::applied_at.desc(), tenancies::id.desc())),
        _ => filtered().order((tenancies::enterprise_name.asc(), tenancies::id.asc())),
    };
    let rows: Vec<Row> = ordered
        .select((
            tenancies::id,
            tenancies::enterprise_id,
            tenancies::enterprise_name,
            tenancies::enterprise_credit_code,
            tenancies::status,
            tenancies::segment_id,
            tenancies::applied_at,
        ))
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    let segment_ids: Vec<i64> = rows.iter().filter_map(|r| r.5).collect();
    let codes = caches.segment_codes(conn, &segment_ids)?;
    let items = rows
        .into_iter()
        .map(|(tenancy_id, enterprise_id, name_zh, credit_code, status, segment_id, applied)| TenantRow {
            tenancy_id,
            enterprise_id,
            name_zh,
            credit_code,
            status: TenancyStatus::from_code(status).unwrap_or(TenancyStatus::Applied),
            segment: segment_id.and_then(|id| codes.get(&id).cloned()),
            applied_at: applied.and_utc(),
        })
        .collect();
    Ok((total, items))
}

/// The tenants (and applicants, past tenants) of a base: park managers of that base and
/// system admins.
#[utoipa::path(get, path = "/api/v1/bases/{id}/tenants", tag = "registry", params(("id" = i64, Path), TenantQuery),
    responses((status = 200, body = Page<TenantRow>), (status = 403), (status = 422)))]
#[get("/bases/{id}/tenants")]
pub async fn get_tenants(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>, q: web::Query<TenantQuery>) -> Result<web::Json<Page<TenantRow>>, AppError> {
    let (scope, q) = (BaseScope::of(&identity, path.into_inner())?, q.into_inner());
    let due = super::reports::due_period(&state).to_string();
    let st = state.clone();
    Ok(web::Json(state.db.run(move |conn| list_tenants(conn, &st.tenant_list, &scope, &q, &due)).await?))
}
