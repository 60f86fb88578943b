//! The signing keys of the portal's tokens (session cookies, emailed links). The type lives
//! here, below `AppState`; signing and checking are `accounts::tokens`.

use jsonwebtoken::{DecodingKey, EncodingKey};
use rand::RngCore;

/// The signing keys, derived from `PORTAL_JWT_SECRET`.
#[derive(Clone)]
pub struct Keys {
    pub(crate) encoding: EncodingKey,
    pub(crate) decoding: DecodingKey,
}

/// 32 random bytes as hex (session ids, invitation nonces, API token secrets, a generated
/// signing secret).
pub(crate) fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}
