//! Who is calling, as the portal holds it between the authentication middleware and the
//! services: the person with their role grants, how they proved it, and the sessions recently
//! found live. Only the types live here, below every area and `AppState`; what checks and
//! loads them is `accounts::identity`.

use chrono::NaiveDateTime;
use shared::accounts::Role;

/// One role with its scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub id: i64,
    pub role: Role,
    pub enterprise_id: Option<i64>,
    pub base_id: Option<i64>,
    pub agency_id: Option<i64>,
}

/// How the request proved who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// Browser session cookie; the session row's id.
    Session(String),
    /// Personal API token; its id and whether it may write.
    Token { id: i64, write: bool },
}

/// Where a session stands with the second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactor {
    /// Signed in completely (or an API token, issued from a complete session).
    Done,
    /// The password was right; the code from the authenticator app is still to come.
    Required,
    /// The password was right; a staff account without a second factor must enrol first.
    Enrol,
}

impl SecondFactor {
    pub fn as_str(self) -> &'static str {
        match self {
            SecondFactor::Done => "done",
            SecondFactor::Required => "required",
            SecondFactor::Enrol => "enrol",
        }
    }

    pub fn parse(s: &str) -> SecondFactor {
        match s {
            "done" => SecondFactor::Done,
            "enrol" => SecondFactor::Enrol,
            // Anything unexpected is treated as unfinished.
            _ => SecondFactor::Required,
        }
    }
}

/// A signed-in person, as the middleware found them.
#[derive(Debug, Clone)]
pub struct Identity {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub locale: String,
    pub email_verified: bool,
    pub grants: Vec<Grant>,
    pub via: Via,
    /// Whether this session has passed the second factor (see [`PendingIdentity`]).
    pub second_factor: SecondFactor,
    /// When this session last passed it (sign-in or step-up).
    pub second_factor_at: Option<NaiveDateTime>,
    /// An authenticator app is enrolled.
    pub totp_enrolled: bool,
}

/// Sessions recently found live, by session id: the person and when the session ends (see
/// [`crate::cache`]: signing out, removing a member or changing roles is a POST or DELETE, after
/// which nothing read before is served).
pub type SessionCache = crate::cache::Cached<String, (Identity, NaiveDateTime)>;

/// How long a session ended through another server process may still be honoured here.
pub const SESSION_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(5);
