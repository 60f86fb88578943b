//! Signed tokens (JWT, HS256). Each purpose has its own audience and lifetime, so a token made
//! for one purpose is rejected for every other: a password-reset link is not a sign-in.

use chrono::{Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
pub use crate::keys::Keys;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The access token in the session cookie (`sid` names the session row).
    Session,
    /// The link in the address-confirmation email (`fp` is the address it confirms).
    VerifyEmail,
    /// The link in an invitation email (`jti` is the invitation's nonce, single use).
    Invitation,
    /// The link in a password-reset email (`fp` fingerprints the password it replaces, so the
    /// link stops working once used).
    PasswordReset,
    /// A short-lived link to download one document (`jti` names the document).
    Download,
    /// The recovery codes just made, carried once from the enrolment form to the page that
    /// shows them (`sid` binds them to the session, `jti` holds them).
    RecoveryCodes,
}

impl Purpose {
    pub fn audience(self) -> &'static str {
        match self {
            Purpose::Session => "uhd:session",
            Purpose::VerifyEmail => "uhd:verify-email",
            Purpose::Invitation => "uhd:invitation",
            Purpose::PasswordReset => "uhd:password-reset",
            Purpose::Download => "uhd:download",
            Purpose::RecoveryCodes => "uhd:recovery-codes",
        }
    }

    /// How long a token of this purpose is valid (the session's comes from the settings).
    pub fn default_lifetime(self) -> Duration {
        match self {
            Purpose::Session => Duration::minutes(30),
            Purpose::VerifyEmail => Duration::days(3),
            Purpose::Invitation => Duration::days(7),
            Purpose::PasswordReset => Duration::hours(1),
            Purpose::Download => Duration::minutes(10),
            Purpose::RecoveryCodes => Duration::minutes(5),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fp: Option<String>,
}

impl Claims {
    pub fn new(purpose: Purpose, sub: impl ToString, lifetime: Duration) -> Claims {
        let now = Utc::now();
        Claims {
            sub: sub.to_string(),
            aud: purpose.audience().to_string(),
            iat: now.timestamp(),
            exp: (now + lifetime).timestamp(),
            sid: None,
            jti: None,
            fp: None,
        }
    }

    pub fn user_id(&self) -> Option<i64> {
        self.sub.parse().ok()
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the link has expired")]
    Expired,
    #[error("the link is not valid")]
    Invalid,
}

impl TokenError {
    pub fn code(&self) -> &'static str {
        match self {
            TokenError::Expired => "token_expired",
            TokenError::Invalid => "token_invalid",
        }
    }
}


impl Keys {
    pub fn new(secret: &str) -> Keys {
        Keys {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
        }
    }

    pub fn sign(&self, claims: &Claims) -> String {
        // HS256 over serializable claims cannot fail.
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding).unwrap_or_default()
    }

    /// Check signature, algorithm (HS256 only, so `alg: none` fails), audience and expiry.
    pub fn verify(&self, purpose: Purpose, token: &str) -> Result<Claims, TokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[purpose.audience()]);
        validation.set_required_spec_claims(&["exp", "aud", "sub"]);
        validation.leeway = 5;
        jsonwebtoken::decode::<Claims>(token.trim(), &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_only_serves_its_own_purpose() {
        let keys = Keys::new("test-secret");
        let reset = keys.sign(&Claims::new(Purpose::PasswordReset, 7, Duration::hours(1)));
        assert_eq!(keys.verify(Purpose::PasswordReset, &reset).map(|c| c.user_id()), Ok(Some(7)));
        for other in [Purpose::Session, Purpose::VerifyEmail, Purpose::Invitation, Purpose::Download] {
            assert_eq!(keys.verify(other, &reset), Err(TokenError::Invalid));
        }
    }

    #[test]
    fn expired_tampered_and_unsigned_tokens_fail() {
        let keys = Keys::new("test-secret");
        let old = keys.sign(&Claims::new(Purpose::Session, 1, Duration::minutes(-5)));
        assert_eq!(keys.verify(Purpose::Session, &old), Err(TokenError::Expired));

        let good = keys.sign(&Claims::new(Purpose::Session, 1, Duration::minutes(5)));
        let other_key = Keys::new("another-secret").sign(&Claims::new(Purpose::Session, 1, Duration::minutes(5)));
        assert_eq!(keys.verify(Purpose::Session, &other_key), Err(TokenError::Invalid));
        let mut tampered = good.clone();
        tampered.insert(good.find('.').unwrap_or(0) + 3, 'x');
        assert_eq!(keys.verify(Purpose::Session, &tampered), Err(TokenError::Invalid));

        // {"alg":"none"} with the same claims and no signature.
        let payload = good.split('.').nth(1).unwrap_or_default();
        let none = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.");
        assert_eq!(keys.verify(Purpose::Session, &none), Err(TokenError::Invalid));
    }
}
