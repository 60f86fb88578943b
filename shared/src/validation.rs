//! Field checks for request bodies, with the `validator` crate's derive: each body says what
//! its fields must be (`#[validate(custom(function = ...))]`, `#[validate(nested)]` for lists),
//! and the functions here give each problem its code from the portal's vocabulary
//! ([`crate::errors::ErrorCode`]), so the form in the browser and the server report the same
//! field with the same code. [`issues`] flattens nested errors to paths such as
//! `contacts.0.email`; cross-field rules (a total that must add up, a date against today, a
//! duplicate segment) follow in each body's own `issues` method.

use validator::{Validate, ValidationError, ValidationErrors, ValidationErrorsKind};

use crate::accounts::{check_password_shape, email_is_valid, normalize_email, normalize_phone, phone_is_valid};
use crate::credit_code::{normalize as normalize_code, CreditCode};
use crate::errors::ErrorCode;
use crate::money::Fen;

/// One problem: the field's path and its code.
pub type Issue = (String, &'static str);

fn problem(code: ErrorCode) -> ValidationError {
    ValidationError::new(code.as_str())
}

fn problem_str(code: &'static str) -> ValidationError {
    ValidationError::new(code)
}

/// Text that must be given, at most `N` characters (trimmed).
pub fn text<const N: usize>(value: &str) -> Result<(), ValidationError> {
    let value = value.trim();
    if value.is_empty() {
        Err(problem(ErrorCode::Required))
    } else if value.chars().count() > N {
        Err(problem(ErrorCode::TooLong))
    } else {
        Ok(())
    }
}

/// Text that may be empty, at most `N` characters.
pub fn optional_text<const N: usize>(value: &str) -> Result<(), ValidationError> {
    if value.trim().chars().count() > N {
        Err(problem(ErrorCode::TooLong))
    } else {
        Ok(())
    }
}

/// A unified social credit code (full-width and lower case accepted).
pub fn credit_code(value: &str) -> Result<(), ValidationError> {
    if normalize_code(value).is_empty() {
        return Err(problem(ErrorCode::Required));
    }
    CreditCode::parse(value).map(|_| ()).map_err(|e| problem_str(e.code()))
}

/// An email address that must be given.
pub fn email(value: &str) -> Result<(), ValidationError> {
    let email = normalize_email(value);
    if email.is_empty() {
        Err(problem(ErrorCode::Required))
    } else {
        optional_email(&email)
    }
}

/// An email address that may be left empty.
pub fn optional_email(value: &str) -> Result<(), ValidationError> {
    let email = normalize_email(value);
    if email.is_empty() || email_is_valid(&email) {
        Ok(())
    } else {
        Err(problem(ErrorCode::InvalidEmail))
    }
}

/// A phone number that must be given.
pub fn phone(value: &str) -> Result<(), ValidationError> {
    if normalize_phone(value).is_empty() {
        Err(problem(ErrorCode::Required))
    } else {
        optional_phone(value)
    }
}

/// A phone number that may be left empty.
pub fn optional_phone(value: &str) -> Result<(), ValidationError> {
    let phone = normalize_phone(value);
    if phone.is_empty() || phone_is_valid(&phone) {
        Ok(())
    } else {
        Err(problem(ErrorCode::InvalidPhone))
    }
}

/// A password of the portal's shape (the server also refuses common ones).
pub fn password(value: &str) -> Result<(), ValidationError> {
    check_password_shape(value).map_err(problem_str)
}

/// An amount of money that is not negative.
pub fn money(value: &Fen) -> Result<(), ValidationError> {
    if value.0 < 0 {
        Err(problem(ErrorCode::OutOfRange))
    } else {
        Ok(())
    }
}

/// A count from `MIN` to `MAX`.
pub fn count<const MIN: i64, const MAX: i64>(value: i64) -> Result<(), ValidationError> {
    if (MIN..=MAX).contains(&value) {
        Ok(())
    } else {
        Err(problem(ErrorCode::OutOfRange))
    }
}

/// [`count`] for 32-bit fields.
pub fn count32<const MIN: i64, const MAX: i64>(value: i32) -> Result<(), ValidationError> {
    count::<MIN, MAX>(i64::from(value))
}

/// A list that must have at least one entry.
pub fn not_empty<T>(value: &[T]) -> Result<(), ValidationError> {
    if value.is_empty() {
        Err(problem(ErrorCode::Required))
    } else {
        Ok(())
    }
}

/// The problems `body`'s derived checks find, as `(path, code)` with list entries numbered
/// (`qualifications.0.certificate_no`), sorted by path.
pub fn issues(body: &impl Validate) -> Vec<Issue> {
    let mut out = Vec::new();
    if let Err(errors) = body.validate() {
        flatten(&errors, "", &mut out);
    }
    out.sort();
    out
}

fn flatten(errors: &ValidationErrors, prefix: &str, out: &mut Vec<Issue>) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() { field.to_string() } else { format!("{prefix}.{field}") };
        match kind {
            ValidationErrorsKind::Field(problems) => {
                for p in problems {
                    // Every code comes from the vocabulary; anything else is a bug in a check.
                    let code = ErrorCode::parse(&p.code).map_or(ErrorCode::Invalid.as_str(), ErrorCode::as_str);
                    out.push((path.clone(), code));
                }
            }
            ValidationErrorsKind::Struct(inner) => flatten(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    flatten(inner, &format!("{path}.{i}"), out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Validate)]
    struct Row {
        #[validate(custom(function = "text::<5>"))]
        name: String,
        #[validate(custom(function = "optional_email"))]
        email: Option<String>,
    }

    #[derive(Validate)]
    struct Body {
        #[validate(custom(function = "credit_code"))]
        code: String,
        #[validate(nested)]
        rows: Vec<Row>,
    }

    #[test]
    fn nested_problems_get_paths_and_vocabulary_codes() {
        let body = Body {
            // A real code with its check character mistyped (it ends in Q).
            code: "91110108551385082A".into(),
            rows: vec![Row { name: "ok".into(), email: None }, Row { name: "  ".into(), email: Some("nope".into()) }, Row { name: "toolong".into(), email: Some(String::new()) }],
        };
        let found = issues(&body);
        assert_eq!(
            found,
            vec![("code".to_string(), "credit_code_check"), ("rows.1.email".into(), "invalid_email"), ("rows.1.name".into(), "required"), ("rows.2.name".into(), "too_long")]
        );
    }
}
