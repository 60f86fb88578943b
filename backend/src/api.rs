//! The REST API under `/api/v1`, its OpenAPI document (generated from the handlers'
//! annotations) and the human-readable docs page at `/api/v1/docs/`.

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::{AppError, ErrorEnvelope, FieldError};
use crate::{ops, reference};

#[derive(OpenApi)]
#[openapi(
    info(title = "UHD Portal API", version = "1", description = "Industry registry and subsidy applications for the ultra-high-definition video industry."),
    paths(
        ops::health::get_healthz,
        ops::health::get_readyz,
        reference::list_bases::get_bases,
        reference::list_programs::get_programs,
    ),
    components(schemas(ErrorEnvelope, FieldError)),
    tags(
        (name = "operations", description = "Probes and metrics"),
        (name = "reference", description = "Industry bases and subsidy programs")
    )
)]
pub struct ApiDoc;

/// Bad query strings and JSON bodies get the error envelope too.
fn bad_input(field: &str, err: impl std::fmt::Display) -> actix_web::Error {
    let e = AppError::field(field, "invalid", err.to_string());
    actix_web::error::InternalError::from_response(e.to_string(), e.error_response()).into()
}

/// Unknown routes under `/api` answer with the envelope.
pub async fn api_not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::RouteNotFound)
}


/// Mount the REST API and the operations endpoints (all but `/metrics`, which the metrics
/// middleware answers).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(ops::health::get_healthz)
        .service(ops::health::get_readyz)
        .service(SwaggerUi::new("/api/v1/docs/{_:.*}").url("/api/v1/openapi.json", ApiDoc::openapi()))
        .service(
            web::scope("/api/v1")
                .app_data(web::QueryConfig::default().error_handler(|e, _req: &HttpRequest| bad_input("query", e)))
                .app_data(web::JsonConfig::default().error_handler(|e, _req: &HttpRequest| bad_input("body", e)))
                .service(reference::list_bases::get_bases)
                .service(reference::list_programs::get_programs)
                .default_service(web::to(api_not_found)),
        );
}
