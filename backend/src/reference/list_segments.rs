//! The industry-chain segments (产业链环节).

use actix_web::{get, web};
use diesel::prelude::*;
use shared::dto::Bilingual;
use shared::registry::SegmentRef;

use crate::db::schema::segments;
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;

pub fn list_segments(conn: &mut DbConn) -> QueryResult<Vec<SegmentRef>> {
    let rows: Vec<(String, String, String)> = segments::table
        .select((segments::code, segments::name_zh, segments::name_en))
        .order((segments::sort_order, segments::id))
        .load(conn)?;
    Ok(rows.into_iter().map(|(code, zh, en)| SegmentRef { code, name: Bilingual::new(zh, en) }).collect())
}

/// The chain segments, in display order.
#[utoipa::path(get, path = "/api/v1/segments", tag = "reference", responses((status = 200, body = Vec<SegmentRef>)))]
#[get("/segments")]
pub async fn get_segments(state: web::Data<AppState>) -> Result<web::Json<Vec<SegmentRef>>, AppError> {
    Ok(web::Json(state.db.run(|conn| Ok(list_segments(conn)?)).await?))
}
