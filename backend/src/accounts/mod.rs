//! Accounts, sign-in and access control: registration, email confirmation, sessions, password
//! reset, API tokens, invitations, company members, user administration and the audit log.
//! `identity` holds the authentication middleware and the role extractors every other area
//! uses; data scope is applied in each query (see `members::get_enterprise`).

pub mod admin_users;
pub mod audit;
pub mod claims;
pub mod identity;
pub mod invitations;
pub mod login;
pub mod me;
pub mod members;
pub mod password;
pub mod password_reset;
pub mod register;
pub mod second_factor;
pub mod tokens;

use chrono::NaiveDateTime;

pub use identity::{Identity, SystemAdmin};

/// The time of the database work in progress (see [`crate::db::now`]).
pub(crate) fn now() -> NaiveDateTime {
    crate::db::now()
}

/// 32 random bytes as hex (session ids, invitation nonces, API token secrets).
pub(crate) use crate::keys::random_secret;

/// A short fingerprint of a value (the password a reset link replaces, the address a
/// confirmation link confirms); a link stops working once the value changes.
pub(crate) fn fingerprint(value: &str) -> String {
    identity::token_digest(value)[..16].to_string()
}

/// Field errors from the shared checks, in the API's envelope.
pub(crate) fn issues_to_error<F: AsRef<str>>(issues: Vec<(F, &'static str)>) -> Result<(), crate::AppError> {
    if issues.is_empty() {
        return Ok(());
    }
    Err(issues_error(issues))
}

/// The envelope's field errors for a check that found problems.
pub(crate) fn issues_error<F: AsRef<str>>(issues: Vec<(F, &'static str)>) -> crate::AppError {
    let mut fields = crate::error::FieldErrors::new();
    for (field, code) in issues {
        crate::error::push_field_error(&mut fields, field.as_ref(), code, issue_message(code));
    }
    crate::AppError::Validation(fields)
}

/// English explanations of the field codes, for API clients (the UI translates the codes).
pub(crate) fn issue_message(code: &str) -> &'static str {
    match code {
        "required" => "This field is required.",
        "too_long" => "This is too long.",
        "invalid_email" => "This is not a valid email address.",
        "invalid_phone" => "Enter a mobile number such as 13800138000 or +8613800138000.",
        "password_too_short" => "The password needs at least 8 characters.",
        "password_too_simple" => "Use three of: upper case, lower case, digits, symbols.",
        "password_common" => "This password is too common or too easy to guess.",
        "credit_code_empty" | "credit_code_length" => "A credit code has 18 characters.",
        "credit_code_character" => "A credit code uses digits and letters except I, O, S, V, Z.",
        "credit_code_org_check" | "credit_code_check" => "This credit code's check character is wrong; check for a typo.",
        "token_expired" => "The link has expired; ask for a new one.",
        "token_invalid" => "The link is not valid.",
        "wrong_password" => "The current password is wrong.",
        "unknown_role" => "Unknown role.",
        "not_allowed" => "This value is not allowed here.",
        "not_found" => "Not found.",
        "out_of_range" => "Out of range.",
        "invalid_date" => "A day as YYYY-MM-DD.",
        "before_start" => "This is before the start.",
        "outside_year" => "This day is not in the year being edited.",
        "not_a_weekend" => "A make-up working day is a Saturday or Sunday; weekdays are working days already.",
        "day_taken" => "This day is already in the calendar; remove it first.",
        "invalid_arrangement" => "The calendar file cannot be read.",
        "too_large" => "This is too large.",
        _ => "This value is not valid.",
    }
}
