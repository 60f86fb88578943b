//! Password hashing (Argon2id with the crate's recommended parameters) and the password rule:
//! the shape rule shared with the browser, then a check against common and easily guessed
//! passwords (zxcvbn's frequency lists of leaked passwords, words and names, plus the person's
//! own details).

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::OnceLock;

/// Hash a password for storage (PHC string, Argon2id).
pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
}

/// [`hash`] on the blocking pool: Argon2 takes tens of milliseconds of CPU and must never
/// stall an async worker (nor run while a database connection is held).
pub async fn hash_off_worker(password: &str) -> Result<String, crate::AppError> {
    let password = password.to_string();
    actix_web::web::block(move || hash(&password))
        .await
        .map_err(|e| crate::AppError::Internal(anyhow::anyhow!("password hashing: {e}")))?
        .map_err(crate::AppError::Internal)
}

/// Whether `password` matches the stored hash.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// Spend the same time as [`verify`] when there is no account, so response times do not tell
/// whether an email address is registered.
pub fn verify_nothing(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let stored = DUMMY.get_or_init(|| hash("no account has this password").unwrap_or_default());
    let _ = verify(password, stored);
}

/// The full rule for a new password; `user_inputs` are the person's own details (email, name,
/// company), which make a password guessable. Returns a field error code.
pub fn check_new(password: &str, user_inputs: &[&str]) -> Result<(), &'static str> {
    shared::accounts::check_password_shape(password)?;
    let estimate = zxcvbn::zxcvbn(password, user_inputs);
    if u8::from(estimate.score()) < 2 {
        return Err("password_common");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let a = hash("Uhd-Portal-2026").expect("hash");
        let b = hash("Uhd-Portal-2026").expect("hash");
        assert_ne!(a, b, "salted");
        assert!(a.starts_with("$argon2id$"));
        assert!(verify("Uhd-Portal-2026", &a));
        assert!(!verify("uhd-portal-2026", &a));
        assert!(!verify("x", "not a hash"));
    }

    #[test]
    fn common_passwords_are_refused() {
        assert_eq!(check_new("Password1!", &[]), Err("password_common"));
        assert_eq!(check_new("P@ssw0rd123", &[]), Err("password_common"));
        assert_eq!(check_new("Qwerty123!", &[]), Err("password_common"));
        assert_eq!(check_new("Zhangwei1!", &["zhangwei@example.com", "zhangwei"]), Err("password_common"));
        assert_eq!(check_new("short", &[]), Err("password_too_short"));
        assert_eq!(check_new("Uhd-Portal-2026", &[]), Ok(()));
        assert_eq!(check_new("Lanterns&Ledgers7", &[]), Ok(()));
    }
}
