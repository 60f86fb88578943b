//! The industry bases with their current tenant counts.

use actix_web::{get, web, HttpResponse};
use diesel::prelude::*;
use shared::dto::{BaseSummary, Bilingual};
use std::collections::HashMap;

use crate::db::schema::{bases, tenancies};
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;

/// Tenancy status value for an admitted tenant (see the tenancies migration).
const ADMITTED: i32 = 1;

pub use crate::caches::TenantCounts;

fn count_admitted(conn: &mut DbConn) -> QueryResult<HashMap<i64, i64>> {
    Ok(tenancies::table
        .filter(tenancies::status.eq(ADMITTED))
        .group_by(tenancies::base_id)
        .select((tenancies::base_id, diesel::dsl::count_star()))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect())
}

pub fn list_bases(conn: &mut DbConn, counts: &TenantCounts) -> Result<Vec<BaseSummary>, AppError> {
    let rows = bases::table
        .order((bases::sort_order, bases::id))
        .select((
            bases::id,
            bases::code,
            bases::name_zh,
            bases::name_en,
            bases::city_zh,
            bases::city_en,
            bases::district_zh,
            bases::district_en,
            bases::division_code,
            bases::description_zh,
            bases::description_en,
        ))
        .load::<(i64, String, String, String, String, String, String, String, String, String, String)>(conn)?;
    let counts = counts.get_or_try((), || count_admitted(conn))?;
    Ok(rows
        .into_iter()
        .map(|(id, code, nz, ne, cz, ce, dz, de, division_code, descz, desce)| BaseSummary {
            id,
            code,
            name: Bilingual::new(nz, ne),
            city: Bilingual::new(cz, ce),
            district: Bilingual::new(dz, de),
            division_code,
            description: Bilingual::new(descz, desce),
            tenant_count: counts.get(&id).copied().unwrap_or(0),
        })
        .collect())
}

/// List the industry bases.
#[utoipa::path(get, path = "/api/v1/bases", tag = "reference",
    responses((status = 200, description = "All industry bases", body = Vec<BaseSummary>)))]
#[get("/bases")]
pub async fn get_bases(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let counts = state.tenant_counts.clone();
    let bases = state.db.run(move |conn| list_bases(conn, &counts)).await?;
    Ok(HttpResponse::Ok().json(bases))
}
