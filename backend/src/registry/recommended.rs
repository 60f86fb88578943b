//! The applications a base recommended (推荐), listed on the park manager's tenant page. The
//! review workflow records the recommendation (`applications.recommending_base_id` and
//! `recommended_at`); this reads it within the caller's scope.

use actix_web::{get, web};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::applications::{ApplicationState, RecommendedApplication};
use shared::Fen;

use crate::accounts::identity::Identity;
use crate::accounts::members::get_enterprise_scoped;
use crate::db::schema::{applications, programs};
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;

type Row = (i64, String, String, String, String, i32, i64, Option<i64>, Option<NaiveDateTime>);

/// A company's recommended applications: for a park manager those its own bases recommended
/// (the base's own decisions, kept after the company has left); for the company itself and
/// system admins every recommendation. Newest first.
pub fn recommended_applications(conn: &mut DbConn, identity: &Identity, enterprise_id: i64) -> Result<Vec<RecommendedApplication>, AppError> {
    let own_or_admin = identity.is_admin() || identity.enterprises(false).contains(&enterprise_id);
    if own_or_admin {
        get_enterprise_scoped(conn, identity, enterprise_id)?;
    } else {
        // A base the company was ever in (any tenancy status); anyone else learns nothing.
        let ever: i64 = crate::db::schema::tenancies::table
            .filter(crate::db::schema::tenancies::enterprise_id.eq(enterprise_id))
            .filter(crate::db::schema::tenancies::base_id.eq_any(identity.managed_bases()))
            .count()
            .get_result(conn)?;
        if ever == 0 {
            return Err(AppError::NotFound("the company"));
        }
    }
    let mut query = applications::table
        .inner_join(programs::table)
        .filter(applications::enterprise_id.eq(enterprise_id))
        .filter(applications::recommending_base_id.is_not_null())
        .filter(applications::recommended_at.is_not_null())
        .into_boxed();
    let own_company = identity.enterprises(false).contains(&enterprise_id);
    if !identity.is_admin() && !own_company {
        query = query.filter(applications::recommending_base_id.eq_any(identity.managed_bases()));
    }
    let rows: Vec<Row> = query
        .select((
            applications::id,
            programs::code,
            programs::title_zh,
            programs::title_en,
            applications::title,
            applications::state,
            applications::amount_requested_fen,
            applications::amount_approved_fen,
            applications::recommended_at,
        ))
        .order((applications::recommended_at.desc(), applications::id.desc()))
        .limit(200)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, program_code, program_title_zh, program_title_en, title, state, requested, approved, at)| {
            Some(RecommendedApplication {
                id,
                program_code,
                program_title_zh,
                program_title_en,
                title,
                state: ApplicationState::from_code(state)?,
                amount_requested: Fen(requested),
                amount_approved: approved.map(Fen),
                recommended_at: at?.and_utc(),
            })
        })
        .collect())
}

/// The company's applications recommended by a base: the park managers of the bases that
/// recommended them, the company itself and system admins.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/recommended-applications", tag = "registry", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<RecommendedApplication>), (status = 401), (status = 404)))]
#[get("/enterprises/{id}/recommended-applications")]
pub async fn get_recommended(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<web::Json<Vec<RecommendedApplication>>, AppError> {
    let id = path.into_inner();
    Ok(web::Json(state.db.run(move |conn| recommended_applications(conn, &identity, id)).await?))
}
