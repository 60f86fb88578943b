//! The one error type of the backend and its JSON envelope
//! `{"error": code, "message": ..., "fields": {...}}`. Codes are stable snake_case; the UI
//! translates codes, never messages. Unexpected errors are logged and answered as an opaque 500.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

pub use shared::errors::{ErrorEnvelope, FieldError, FieldErrors};

/// The error code of a response built from an [`AppError`] (in the response's extensions).
#[derive(Debug, Clone, Copy)]
pub struct ErrorCode(pub &'static str);

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("the input is not valid")]
    Validation(FieldErrors),
    #[error("{0} was not found")]
    NotFound(&'static str),
    #[error("no such API route")]
    RouteNotFound,
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// A conflict that names what it concerns, field by field (409 with `fields`): the
    /// duplicate-funding check's matched numbers, the eligibility rules failed.
    #[error("{message}")]
    Refused { code: &'static str, message: String, fields: FieldErrors },
    /// A workflow step asked of a state that is no longer current (409 `state_changed`, with
    /// the state it is in now).
    #[error("The application is no longer at the stage you saw; it is now {}.", .0.as_str())]
    StateChanged(shared::applications::ApplicationState),
    #[error("{message}")]
    Unauthenticated { code: &'static str, message: &'static str },
    #[error("{message}")]
    Forbidden { code: &'static str, message: &'static str },
    #[error("{message}")]
    TooManyRequests { code: &'static str, message: &'static str, retry_after_secs: u64 },
    #[error("the service is temporarily unavailable")]
    Unavailable(String),
    /// The database refused a write for now (SQLite busy past its timeout, a PostgreSQL
    /// serialization failure, deadlock or lock timeout). `Db::write` tries again; what is
    /// still busy then is answered 503 with `Retry-After`.
    #[error("the database is busy")]
    Busy(String),
    #[error("the service is not ready: {0}")]
    NotReady(String),
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

/// Record one problem with `field`.
pub fn push_field_error(fields: &mut FieldErrors, field: &str, code: &str, message: impl Into<String>) {
    fields.entry(field.to_string()).or_default().push(FieldError {
        code: code.to_string(),
        message: message.into(),
    });
}

impl AppError {
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> AppError {
        let mut fields = FieldErrors::new();
        push_field_error(&mut fields, field, code, message);
        AppError::Validation(fields)
    }

    /// Sign-in needed (401).
    pub fn unauthenticated() -> AppError {
        AppError::Unauthenticated { code: "unauthenticated", message: "Sign in first." }
    }

    /// Signed in, but this role may not do this (403).
    pub fn forbidden() -> AppError {
        AppError::Forbidden { code: "forbidden", message: "Your role does not allow this." }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated { code, .. }
            | AppError::Forbidden { code, .. }
            | AppError::TooManyRequests { code, .. } => code,
            AppError::Validation(_) => "validation_failed",
            AppError::NotFound(_) => "not_found",
            AppError::RouteNotFound => "route_not_found",
            AppError::Conflict { code, .. } | AppError::Refused { code, .. } => code,
            AppError::StateChanged(_) => "state_changed",
            AppError::Unavailable(_) => "service_unavailable",
            AppError::Busy(_) => "busy",
            AppError::NotReady(_) => "not_ready",
            AppError::Internal(_) => "internal_error",
        }
    }

    /// Log what the envelope keeps from the caller (an unexpected error with its cause, the
    /// service or database not answering); refusals of the caller's input are not logged. Every
    /// answer built from an error does this: REST, form posts and server functions.
    pub fn log(&self) {
        match self {
            AppError::Internal(e) => tracing::error!(error = ?e, "unexpected error"),
            AppError::Unavailable(e) => tracing::warn!(error = %e, "service unavailable"),
            AppError::Busy(e) => tracing::warn!(error = %e, "database busy after retries"),
            AppError::NotReady(e) => tracing::warn!(error = %e, "not ready"),
            _ => {}
        }
    }

    /// What went wrong, with the inner cause the envelope keeps from the caller (for logs and
    /// a job's last error, which only staff see).
    pub fn detail(&self) -> String {
        match self {
            AppError::Internal(e) => format!("{e:#}"),
            AppError::Unavailable(why) | AppError::Busy(why) | AppError::NotReady(why) => why.clone(),
            other => other.to_string(),
        }
    }

    pub fn envelope(&self) -> ErrorEnvelope {
        let fields = match self {
            AppError::Validation(f) | AppError::Refused { fields: f, .. } => f.clone(),
            _ => FieldErrors::new(),
        };
        let message = match self {
            // Never leak internals: the details are in the log under the request id.
            AppError::Internal(_) => "An unexpected error occurred.".to_string(),
            AppError::Unavailable(_) => "The service is temporarily unavailable.".to_string(),
            AppError::Busy(_) => "The service is busy; nothing was changed. Please try again in a moment.".to_string(),
            AppError::NotReady(_) => "The service is not ready.".to_string(),
            other => other.to_string(),
        };
        debug_assert!(shared::errors::is_known(self.code()), "error code {:?} is not in shared::errors::ErrorCode", self.code());
        debug_assert!(
            fields.values().flatten().all(|p| shared::errors::is_known(&p.code)),
            "a field error code is not in shared::errors::ErrorCode: {fields:?}"
        );
        let current_state = match self {
            AppError::StateChanged(s) => Some(*s),
            _ => None,
        };
        ErrorEnvelope { error: self.code().to_string(), message, fields, current_state }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotFound(_) | AppError::RouteNotFound => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } | AppError::Refused { .. } | AppError::StateChanged(_) => StatusCode::CONFLICT,
            AppError::Unauthenticated { .. } => StatusCode::UNAUTHORIZED,
            AppError::Forbidden { .. } => StatusCode::FORBIDDEN,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) | AppError::NotReady(_) | AppError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        self.log();
        let mut res = HttpResponse::build(self.status_code());
        // The code, for the middleware that writes refusals to the audit log; an emailed link
        // that was refused (invalid or expired) is a refusal too.
        let link_refused = match self {
            AppError::Validation(fields) => fields
                .get("token")
                .and_then(|problems| problems.first())
                .and_then(|p| match p.code.as_str() {
                    "token_invalid" => Some("token_invalid"),
                    "token_expired" => Some("token_expired"),
                    _ => None,
                }),
            _ => None,
        };
        res.extensions_mut().insert(ErrorCode(link_refused.unwrap_or(self.code())));
        match self {
            AppError::TooManyRequests { retry_after_secs, .. } => {
                res.insert_header((actix_web::http::header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            AppError::Busy(_) => {
                res.insert_header((actix_web::http::header::RETRY_AFTER, "1"));
            }
            AppError::Unavailable(_) => {
                res.insert_header((actix_web::http::header::RETRY_AFTER, "5"));
            }
            _ => {}
        }
        if let AppError::Unauthenticated { .. } = self {
            res.insert_header((actix_web::http::header::WWW_AUTHENTICATE, "Bearer"));
        }
        res.json(self.envelope())
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => AppError::NotFound("the record"),
            // The constraint's name and the SQL stay in the log, never in the answer.
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                tracing::info!(constraint = ?info.constraint_name(), detail = info.message(), "unique violation");
                AppError::Conflict { code: "conflict", message: "This already exists.".to_string() }
            }
            // The database server went away (restart, failover): worth trying again; the closed
            // connection is replaced (see `db::Db::replace_if_lost`).
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, info) => {
                AppError::Unavailable(format!("lost the database connection: {}", info.message()))
            }
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, info) => AppError::Busy(info.message().to_string()),
            Error::DatabaseError(DatabaseErrorKind::Unknown, info) if is_busy_message(info.message()) => {
                AppError::Busy(info.message().to_string())
            }
            other => AppError::Internal(other.into()),
        }
    }
}

/// The refusals that mean "not now" rather than "wrong": SQLite's busy and locked (a writer
/// held the lock past `busy_timeout`), PostgreSQL's deadlock and lock timeout (Diesel names
/// only the serialization failure among these as a kind).
fn is_busy_message(message: &str) -> bool {
    const BUSY: [&str; 5] = ["database is locked", "database is busy", "database table is locked", "deadlock detected", "lock timeout"];
    BUSY.iter().any(|m| message.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_are_opaque() {
        let e = AppError::Internal(anyhow::anyhow!("password=hunter2 leaked"));
        let env = e.envelope();
        assert_eq!(env.error, "internal_error");
        assert!(!env.message.contains("hunter2"));
        assert_eq!(e.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn statuses_follow_the_table() {
        assert_eq!(AppError::field("page", "out_of_range", "x").status_code().as_u16(), 422);
        assert_eq!(AppError::from(diesel::result::Error::NotFound).status_code().as_u16(), 404);
        assert_eq!(AppError::Unavailable("pool".into()).status_code().as_u16(), 503);
    }

    #[test]
    fn a_busy_database_is_503_with_retry_after_and_a_broken_one_is_not_busy() {
        use diesel::result::{DatabaseErrorKind, Error};
        let db = |kind, message: &str| Error::DatabaseError(kind, Box::new(message.to_string()));
        for busy in [
            db(DatabaseErrorKind::Unknown, "database is locked"),
            db(DatabaseErrorKind::Unknown, "deadlock detected"),
            db(DatabaseErrorKind::SerializationFailure, "could not serialize access due to concurrent update"),
        ] {
            let e = AppError::from(busy);
            assert!(matches!(e, AppError::Busy(_)), "{e:?}");
            let res = e.error_response();
            assert_eq!(res.status().as_u16(), 503);
            assert_eq!(res.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("1"));
            assert_eq!(e.envelope().error, "busy");
        }
        assert!(matches!(AppError::from(db(DatabaseErrorKind::Unknown, "no such table: x")), AppError::Internal(_)));
    }
}
