//! Rate limits per client (an IPv4 address or an IPv6 /64, see [`crate::net::rate_key`]) on the
//! routes an attacker would hammer: sign-in and the second factor, registration, password-reset
//! requests, resending the confirmation email, accepting invitations and filing objections.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;

use crate::config::Settings;
use crate::error::AppError;

/// What is being limited; each has its own budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SignIn,
    Register,
    PasswordReset,
    ResendVerification,
    AcceptInvitation,
    /// Filing an objection to an award on public notice (public, with files).
    Objection,
}

impl Action {
    fn message(self) -> &'static str {
        match self {
            Action::SignIn => "Too many sign-in attempts from this address. Wait a minute and try again.",
            Action::Register => "Too many registrations from this address. Try again later.",
            Action::PasswordReset => "Too many password-reset requests from this address. Try again later.",
            Action::ResendVerification => "Too many confirmation emails requested. Try again later.",
            Action::AcceptInvitation => "Too many attempts to accept invitations from this address. Try again later.",
            Action::Objection => "Too many objections filed from this address. Try again later.",
        }
    }
}

pub struct RateLimits {
    sign_in: DefaultKeyedRateLimiter<IpAddr>,
    register: DefaultKeyedRateLimiter<IpAddr>,
    reset: DefaultKeyedRateLimiter<IpAddr>,
    resend: DefaultKeyedRateLimiter<IpAddr>,
    accept: DefaultKeyedRateLimiter<IpAddr>,
    objection: DefaultKeyedRateLimiter<IpAddr>,
}

fn per_hour(n: u32) -> Quota {
    let n = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
    Quota::per_hour(n).allow_burst(n)
}

impl RateLimits {
    pub fn new(settings: &Settings) -> RateLimits {
        let sign_in = NonZeroU32::new(settings.login_rate_per_minute).unwrap_or(NonZeroU32::MIN);
        let hourly = settings.account_rate_per_hour;
        RateLimits {
            sign_in: RateLimiter::keyed(Quota::per_minute(sign_in)),
            register: RateLimiter::keyed(per_hour(hourly)),
            reset: RateLimiter::keyed(per_hour(hourly)),
            resend: RateLimiter::keyed(per_hour(hourly)),
            accept: RateLimiter::keyed(per_hour(hourly)),
            objection: RateLimiter::keyed(per_hour(hourly)),
        }
    }

    fn limiter(&self, action: Action) -> &DefaultKeyedRateLimiter<IpAddr> {
        match action {
            Action::SignIn => &self.sign_in,
            Action::Register => &self.register,
            Action::PasswordReset => &self.reset,
            Action::ResendVerification => &self.resend,
            Action::AcceptInvitation => &self.accept,
            Action::Objection => &self.objection,
        }
    }

    /// Count one attempt by `ip`; 429 `rate_limited` with `Retry-After` once the budget is spent.
    pub fn check(&self, action: Action, ip: Option<IpAddr>) -> Result<(), AppError> {
        let Some(ip) = ip else { return Ok(()) };
        let limiter = self.limiter(action);
        if limiter.len() > 100_000 {
            limiter.retain_recent();
        }
        limiter.check_key(&crate::net::rate_key(ip)).map_err(|not_until| AppError::TooManyRequests {
            code: "rate_limited",
            message: action.message(),
            retry_after_secs: not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1),
        })
    }
}
