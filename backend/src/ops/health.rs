//! `GET /healthz` answers while the process runs; `GET /readyz` only when the database
//! answers and every migration is applied.

use actix_web::{get, web, HttpResponse};
use diesel::connection::SimpleConnection;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{has_pending_migrations, DbUrl};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` or `ready`.
    pub status: &'static str,
    /// `sqlite` or `postgres` (readiness only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<&'static str>,
}

/// Liveness: the process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "The process is alive", body = Health)))]
#[get("/healthz")]
pub async fn get_healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok", database: None })
}

/// Readiness: the database is reachable and migrations are current.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses(
    (status = 200, description = "Ready to serve", body = Health),
    (status = 503, description = "Database unreachable or migrations pending", body = crate::error::ErrorEnvelope)))]
#[get("/readyz")]
pub async fn get_readyz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let database = check_ready(&state).await?;
    Ok(HttpResponse::Ok().json(Health { status: "ready", database: Some(database) }))
}

/// The readiness check itself (the `/readyz` probe and the service status page): the database
/// answers and no migration is pending. Returns the kind of database.
pub async fn check_ready(state: &AppState) -> Result<&'static str, AppError> {
    let database = match state.db.url() {
        DbUrl::Sqlite(_) => "sqlite",
        DbUrl::Postgres(_) => "postgres",
    };
    state
        .db
        .run(|conn| {
            conn.batch_execute("SELECT 1").map_err(|e| AppError::NotReady(format!("database: {e}")))?;
            match has_pending_migrations(conn) {
                Ok(false) => Ok(()),
                Ok(true) => Err(AppError::NotReady("migrations are pending".into())),
                Err(e) => Err(AppError::NotReady(e.to_string())),
            }
        })
        .await
        .map_err(|e| match e {
            AppError::Unavailable(msg) => AppError::NotReady(msg),
            other => other,
        })?;
    Ok(database)
}
