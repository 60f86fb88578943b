//! Paging for every list the API answers: `?page=` (1-based) and `?per_page=` (1 to 100,
//! default 20), checked once here; a list answers `shared::dto::Page` with its total.

use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::{push_field_error, AppError, FieldErrors};

pub const MAX_PER_PAGE: i64 = 100;

/// The highest page number asked for (far beyond any list; keeps offsets in range).
pub const MAX_PAGE: i64 = 1_000_000;

#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    /// 1-based page number.
    pub page: Option<i64>,
    /// Items per page, 1 to 100 (default 20).
    pub per_page: Option<i64>,
}

impl PageQuery {
    /// Check the numbers; `(page, per_page)` or field errors.
    pub fn validate(&self) -> Result<(i64, i64), AppError> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(20);
        let mut fields = FieldErrors::new();
        if !(1..=MAX_PAGE).contains(&page) {
            push_field_error(&mut fields, "page", "out_of_range", "page must be between 1 and 1,000,000");
        }
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            let message = format!("per_page must be between 1 and {MAX_PER_PAGE}");
            push_field_error(&mut fields, "per_page", "out_of_range", message);
        }
        if fields.is_empty() {
            Ok((page, per_page))
        } else {
            Err(AppError::Validation(fields))
        }
    }
}
